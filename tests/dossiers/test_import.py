"""Importing dossiers from the CSV/XLSX exports of other one-stop-shop systems."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.dossiers import lifecycle
from cchc.dossiers.importer import ImportFileError, import_dossiers, write_errors_csv
from cchc.dossiers.models import Channel, Dossier, DossierEvent, EventKind, Outcome, Regime, Status
from cchc.procedures.models import Procedure

HEADER = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Chủ hồ sơ",
    "Loại chủ hồ sơ",
    "Kênh nộp",
    "Ngày tiếp nhận",
    "Hạn giải quyết",
    "Ngày yêu cầu bổ sung",
    "Ngày bổ sung",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Ngày từ chối",
    "Lý do từ chối",
    "Ngày rút hồ sơ",
    "Ngày hẹn lại",
    "Số hóa hồ sơ",
    "Trạng thái",
]
KEYS = {
    "code": "Mã hồ sơ",
    "tthc": "Mã TTHC",
    "name": "Chủ hồ sơ",
    "kind": "Loại chủ hồ sơ",
    "channel": "Kênh nộp",
    "received": "Ngày tiếp nhận",
    "due": "Hạn giải quyết",
    "requested": "Ngày yêu cầu bổ sung",
    "supplemented": "Ngày bổ sung",
    "resolved": "Ngày có kết quả",
    "returned": "Ngày trả kết quả",
    "refused": "Ngày từ chối",
    "reason": "Lý do từ chối",
    "withdrawn": "Ngày rút hồ sơ",
    "promised": "Ngày hẹn lại",
    "digitised": "Số hóa hồ sơ",
    "status": "Trạng thái",
}


def row(code: str, **values: str) -> dict[str, str]:
    data = {"code": code, "tthc": "1.004444", "name": "Bệnh viện Đa khoa tỉnh Quảng Trị", "channel": "Trực tuyến"}
    data["received"] = "05/02/2024 09:00"
    data.update(values)
    return {KEYS[k]: v for k, v in data.items()}


def write_csv(path: Path, rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def local(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def counts() -> tuple[int, int, int]:
    return Dossier.objects.count(), DossierEvent.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def restart_procedure(agency, field):
    return Procedure.objects.create(
        agency=agency,
        code="1.000001",
        name="Cấp giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        field=field,
        processing_time=Decimal("7"),
        supplement_clock="restart",
        effective_from=dt.date(2020, 1, 1),
    )


# The demo catalogue's codes used by the sample files (src/cchc/dossiers/samples/ho-so-mau.*).
SAMPLE_PROCEDURES = [
    ("1.004444", "Cấp giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang chẩn đoán trong y tế", 10),
    ("1.004445", "Gia hạn giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang chẩn đoán trong y tế", 10),
    ("1.004448", "Cấp chứng chỉ nhân viên bức xạ", 15),
    ("1.004451", "Khai báo thiết bị X-quang chẩn đoán trong y tế", 5),
    ("1.005029", "Cấp Giấy chứng nhận đăng ký chuyển giao công nghệ", 15),
    ("1.014459", "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước", 5),
    ("1.014445", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", 10),
    ("1.003012", "Cung cấp thông tin và dữ liệu thống kê khoa học và công nghệ theo yêu cầu", 5),
]


# --- good rows ---------------------------------------------------------------------------------------------------


def test_good_rows_get_the_columns_the_lifecycle_would_store(tmp_path, agency, procedure, one_stop_staff):
    # The same history once through the lifecycle and once through a file must store the same columns.
    by_desk = lifecycle.receive(
        agency=agency,
        procedure=procedure,
        applicant_name="Bệnh viện Đa khoa tỉnh Quảng Trị",
        channel=Channel.ONLINE,
        actor=one_stop_staff,
        received_at=local(2024, 2, 5),
        code="DESK-1",
    )
    lifecycle.request_supplement(by_desk, actor=one_stop_staff, at=local(2024, 2, 6, 10), note="Thiếu hồ sơ")
    lifecycle.supplement(by_desk, actor=one_stop_staff, at=local(2024, 2, 20, 14))
    lifecycle.resolve(by_desk, actor=one_stop_staff, at=local(2024, 3, 1, 16))
    lifecycle.return_result(by_desk, actor=one_stop_staff, at=local(2024, 3, 4, 8))
    by_desk.refresh_from_db()

    path = write_csv(
        tmp_path / "ho-so.csv",
        [
            row(
                "FILE-1",
                requested="06/02/2024 10:00",
                supplemented="20/02/2024 14:00",
                resolved="01/03/2024 16:00",
                returned="2024-03-04 08:00",
            )
        ],
    )
    result = import_dossiers(path, agency=agency, actor=one_stop_staff)
    assert (result.created, result.errors) == (1, [])
    imported = Dossier.objects.get(code="FILE-1")
    # Tết Giáp Thìn (08-14/02/2024): 10 working days from 05/02 end on 26/02; the pause from 06/02 to 20/02
    # (5 working days: 07, 15, 16, 19, 20/02) moves it to 04/03.
    assert imported.due_date == dt.date(2024, 3, 4)
    for name in [
        "received_at",
        "received_on",
        "due_at",
        "due_date",
        "status",
        "supplement_requests",
        "paused_at",
        "ended_at",
        "ended_on",
        "outcome",
        "returned_at",
        "regime",
        "channel",
        "result_channel",
        "procedure_id",
    ]:
        assert getattr(imported, name) == getattr(by_desk, name), name
    kinds = list(imported.events.order_by("at").values_list("kind", "actor"))
    assert kinds == [
        (EventKind.RECEIVED, one_stop_staff.pk),
        (EventKind.SUPPLEMENT_REQUESTED, one_stop_staff.pk),
        (EventKind.SUPPLEMENTED, one_stop_staff.pk),
        (EventKind.RESOLVED, one_stop_staff.pk),
        (EventKind.RESULT_RETURNED, one_stop_staff.pk),
    ]


def test_due_date_across_a_holiday_and_the_other_derived_columns(tmp_path, agency, procedure, one_stop_staff):
    rows = [
        # Received Friday 26/04/2024: 29/04 is a swapped day off, 30/04 and 01/05 are holidays, Saturday 04/05 is
        # worked in exchange.
        row("HS-1", received="26/04/2024 15:00", channel="1"),
        # Waiting for a supplement: paused.
        row("HS-2", received="2024-06-03 08:30:00", requested="05/06/2024 10:00", channel="Bưu chính công ích"),
        # Refused, withdrawn, received under Nghị định 118/2025 with a new promised date.
        row("HS-3", received="10/06/2024 09:00", refused="12/06/2024 10:00", reason="Không đủ điều kiện"),
        row("HS-4", received="01/07/2025 09:00", withdrawn="03/07/2025", kind="Doanh nghiệp"),
        row("HS-5", received="01/07/2025 09:00", promised="30/07/2025", digitised="Có", status="4"),
    ]
    result = import_dossiers(write_csv(tmp_path / "a.csv", rows), agency=agency, actor=one_stop_staff)
    assert (result.created, result.updated, result.unchanged, result.errors) == (5, 0, 0, [])
    assert result.total_rows == 5
    one, two, three, four, five = (Dossier.objects.get(code=f"HS-{i}") for i in range(1, 6))
    # 10 working days after 26/04/2024: 02, 03, 04 (Saturday worked), 06-10, 13, 14/05.
    assert one.due_date == dt.date(2024, 5, 14)
    assert (one.channel, one.status, one.regime, one.ended_at) == (Channel.DIRECT, Status.RECEIVED, Regime.ND61, None)
    assert two.status == Status.WAITING_SUPPLEMENT
    assert two.paused_at == local(2024, 6, 5, 10)
    assert (two.supplement_requests, two.channel, two.result_channel) == (1, Channel.POSTAL, Channel.POSTAL)
    assert (three.status, three.outcome, three.ended_on) == (Status.REFUSED, Outcome.REFUSED, dt.date(2024, 6, 12))
    assert three.events.get(kind=EventKind.REFUSED).note == "Không đủ điều kiện"
    assert (four.status, four.outcome, four.regime) == (Status.WITHDRAWN, Outcome.WITHDRAWN, Regime.ND118)
    assert four.applicant_kind == "organisation"
    # A date without a time is a step taken during that day: recorded at the office closing time.
    assert four.ended_at == local(2025, 7, 3, 17)
    assert (five.status, five.promised_date, five.digitised) == (Status.IN_PROCESS, dt.date(2025, 7, 30), True)
    assert five.events.filter(kind=EventKind.APOLOGY_ISSUED, new_promised_date=dt.date(2025, 7, 30)).exists()
    # One audit entry for the batch, on the agency, with the codes it created.
    entry = AuditEntry.objects.get(action="import")
    assert entry.agency_id == agency.pk
    assert entry.changes["created"] == 5
    assert entry.changes["created_codes"] == [f"HS-{i}" for i in range(1, 6)]


def test_given_due_date_is_kept_and_restart_procedure_recomputes(tmp_path, agency, procedure, restart_procedure):
    rows = [
        row("HS-1", due="20/02/2024"),
        row(
            "HS-2",
            tthc="1.000001",
            received="01/03/2024 09:00",
            requested="04/03/2024 09:00",
            supplemented="11/03/2024 10:00",
        ),
    ]
    result = import_dossiers(write_csv(tmp_path / "a.csv", rows), agency=agency)
    assert result.errors == []
    first = Dossier.objects.get(code="HS-1")
    assert timezone.localtime(first.due_at) == local(2024, 2, 20, 17)
    # Restart: 7 working days from the complete dossier of Mon 11/03/2024 -> Wed 20/03.
    assert Dossier.objects.get(code="HS-2").due_date == dt.date(2024, 3, 20)


# --- bad rows ----------------------------------------------------------------------------------------------------


def test_each_kind_of_bad_row_is_reported_with_its_row_and_good_rows_are_kept(tmp_path, agency, procedure, field):
    Procedure.objects.create(
        agency=agency,
        code="2.000123",
        name="Thủ tục mới",
        field=field,
        processing_time=5,
        effective_from=dt.date(2025, 1, 1),
    )
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    rows = [
        row("OK-1"),  # row 2
        row("", name=""),  # 3
        row("BAD-TTHC", tthc="9.999999"),  # 4
        row("BAD-FORCE", tthc="2.000123"),  # 5
        row("BAD-DATE", received="31/02/2024 09:00"),  # 6
        row("BAD-ORDER", resolved="01/02/2024 10:00"),  # 7
        row("BAD-RETURN", resolved="01/03/2024 10:00", returned="29/02/2024 10:00"),  # 8
        row("BAD-BOTH", resolved="01/03/2024 10:00", refused="01/03/2024 11:00", reason="Sai"),  # 9
        row("BAD-CHANNEL", channel="Fax"),  # 10
        row("OK-1", name="Trùng mã"),  # 11
        row("BAD-FUTURE", received=future),  # 12
        row("BAD-STATUS", resolved="01/03/2024 10:00", status="4"),  # 13
        row("BAD-REASON", refused="01/03/2024 10:00"),  # 14
        row("OK-2", received="06/02/2024"),  # 15
    ]
    result = import_dossiers(write_csv(tmp_path / "bad.csv", rows), agency=agency)
    assert result.created == 2
    assert set(Dossier.objects.values_list("code", flat=True)) == {"OK-1", "OK-2"}
    messages = {error.row: error.message for error in result.errors}
    assert sorted(messages) == list(range(3, 15))
    assert "Thiếu giá trị bắt buộc “Mã hồ sơ”" in messages[3] and "“Chủ hồ sơ”" in messages[3]
    assert messages[4] == (
        "Mã TTHC “9.999999” không có trong danh mục thủ tục hành chính của Sở Khoa học và Công nghệ."
    )
    assert "chưa có hiệu lực vào ngày tiếp nhận 05/02/2024 (hiệu lực từ 01/01/2025)" in messages[5]
    assert "Ngày tiếp nhận “31/02/2024 09:00” không phải ngày giờ hợp lệ" in messages[6]
    assert messages[7] == "Ngày có kết quả (01/02/2024 10:00) trước Ngày tiếp nhận (05/02/2024 09:00)."
    assert messages[8] == "Ngày trả kết quả (29/02/2024 10:00) trước Ngày có kết quả (01/03/2024 10:00)."
    assert "không thể vừa có “Ngày có kết quả” vừa có “Ngày từ chối”" in messages[9]
    assert "Kênh nộp “Fax” không hợp lệ" in messages[10]
    assert messages[11] == "Mã hồ sơ OK-1 trùng với dòng 2 trong tệp."
    assert "nằm trong tương lai" in messages[12]
    assert "Trạng thái “4 – Đang xử lý” không khớp" in messages[13]
    assert "phải có “Lý do từ chối”" in messages[14]
    assert {error.code for error in result.errors if error.row == 4} == {"BAD-TTHC"}

    # The rejected rows are not lost: written with their values, their row number and the reason.
    out = tmp_path / "loi.csv"
    assert write_errors_csv(result, out) == 12
    with out.open(encoding="utf-8-sig") as handle:
        written = list(csv.reader(handle))
    assert written[0][: len(HEADER)] == HEADER and written[0][-2:] == ["Dòng trong tệp gốc", "Lỗi"]
    assert written[2][0] == "BAD-TTHC" and written[2][-2] == "4"


def test_another_agencys_procedure_codes_are_rejected(tmp_path, agency, other_agency, field):
    Procedure.objects.create(
        agency=other_agency,
        code="2.001234",
        name="Thủ tục của Sở Nội vụ",
        field=field,
        processing_time=10,
        effective_from=dt.date(2020, 1, 1),
    )
    result = import_dossiers(write_csv(tmp_path / "a.csv", [row("HS-1", tthc="2.001234")]), agency=agency)
    assert result.created == 0
    assert "không có trong danh mục thủ tục hành chính của Sở Khoa học và Công nghệ" in result.errors[0].message
    assert not Dossier.objects.exists()


def test_procedure_version_in_force_on_the_receipt_date_is_used(tmp_path, agency, procedure, field):
    procedure.abolished_on = dt.date(2024, 7, 1)
    procedure.save()
    newer = Procedure.objects.create(
        agency=agency,
        code="1.004444",
        name=procedure.name,
        field=field,
        processing_time=Decimal("10"),
        reduced_processing_time=Decimal("5"),
        effective_from=dt.date(2024, 7, 1),
    )
    rows = [row("OLD"), row("NEW", received="01/07/2024 09:00")]
    result = import_dossiers(write_csv(tmp_path / "a.csv", rows), agency=agency)
    assert result.errors == []
    assert Dossier.objects.get(code="OLD").procedure == procedure
    new = Dossier.objects.get(code="NEW")
    assert (new.procedure, new.due_date) == (newer, dt.date(2024, 7, 8))


# --- idempotence and updates -------------------------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(tmp_path, agency, procedure, one_stop_staff):
    rows = [
        row("HS-1", resolved="01/03/2024 16:00", returned="04/03/2024 08:00"),
        row("HS-2", requested="06/02/2024 10:00"),
        row("HS-3", refused="12/02/2024 10:00", reason="Không đủ điều kiện"),
        row("HS-4", promised="15/03/2024"),
    ]
    path = write_csv(tmp_path / "a.csv", rows)
    first = import_dossiers(path, agency=agency, actor=one_stop_staff)
    assert first.created == 4
    before = counts()
    updated_at = dict(Dossier.objects.values_list("code", "updated_at"))
    second = import_dossiers(path, agency=agency, actor=one_stop_staff)
    assert (second.created, second.updated, second.unchanged, second.errors) == (0, 0, 4, [])
    assert counts() == before
    assert dict(Dossier.objects.values_list("code", "updated_at")) == updated_at


def test_a_changed_row_updates_the_dossier_and_its_events_with_one_audit_entry(
    tmp_path, agency, procedure, one_stop_staff
):
    path = write_csv(tmp_path / "a.csv", [row("HS-1", requested="06/02/2024 10:00"), row("HS-2")])
    import_dossiers(path, agency=agency, actor=one_stop_staff)
    dossier = Dossier.objects.get(code="HS-1")
    assert dossier.status == Status.WAITING_SUPPLEMENT
    events_before = DossierEvent.objects.count()

    changed = [
        row("HS-1", requested="06/02/2024 10:00", supplemented="20/02/2024 14:00", resolved="01/03/2024 16:00"),
        row("HS-2"),
    ]
    result = import_dossiers(write_csv(tmp_path / "a.csv", changed), agency=agency, actor=one_stop_staff)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.paused_at, dossier.due_date) == (Status.RESOLVED, None, dt.date(2024, 3, 4))
    assert dossier.ended_at == local(2024, 3, 1, 16)
    assert DossierEvent.objects.count() == events_before + 2
    entries = history(dossier).filter(action="import")
    assert entries.count() == 1
    assert entries.get().changes["status"] == [Status.WAITING_SUPPLEMENT, Status.RESOLVED]

    # A corrected date moves the event instead of adding one.
    fixed = [
        row("HS-1", requested="06/02/2024 10:00", supplemented="20/02/2024 14:00", resolved="29/02/2024 16:00"),
        row("HS-2"),
    ]
    import_dossiers(write_csv(tmp_path / "a.csv", fixed), agency=agency, actor=one_stop_staff)
    assert DossierEvent.objects.count() == events_before + 2
    assert dossier.events.get(kind=EventKind.RESOLVED).at == local(2024, 2, 29, 16)


def test_an_update_keeps_what_the_file_does_not_carry(tmp_path, agency, procedure, one_stop_staff, unit):
    dossier = lifecycle.receive(
        agency=agency,
        procedure=procedure,
        applicant_name="Công ty TNHH Minh Phát",
        channel=Channel.DIRECT,
        actor=one_stop_staff,
        received_at=local(2024, 2, 5),
        code="HS-1",
        applicant_email="minhphat@example.vn",
    )
    lifecycle.assign(dossier, unit=unit, actor=one_stop_staff, at=local(2024, 2, 5, 10))
    path = tmp_path / "a.csv"
    path.write_text(
        "Mã hồ sơ,Mã TTHC,Chủ hồ sơ,Kênh nộp,Ngày tiếp nhận\nHS-1,1.004444,Công ty TNHH Minh Phát,1,05/02/2024 09:00\n",
        encoding="utf-8",
    )
    result = import_dossiers(path, agency=agency, actor=one_stop_staff)
    assert (result.updated, result.unchanged) == (0, 1)
    dossier.refresh_from_db()
    assert (dossier.applicant_email, dossier.status, dossier.current_unit) == (
        "minhphat@example.vn",
        Status.IN_PROCESS,
        unit,
    )


# --- file formats ------------------------------------------------------------------------------------------------


def test_csv_with_bom_semicolons_and_header_variants(tmp_path, agency, procedure):
    text = (
        "DANH SÁCH HỒ SƠ ĐÃ TIẾP NHẬN;;;;\n"
        "MA HO SO (*);  mã  thủ tục ;Tên chủ hồ sơ;Kênh tiếp nhận;Thời điểm tiếp nhận\n"
        "HS-1;1.004444;Nguyễn Văn An;2;05/02/2024 09:00\n"
        ";;;;\n"
        "HS-2;1.004444;Trần Thị Bình;Trực tiếp;31/02/2024\n"
    )
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    result = import_dossiers(path, agency=agency)
    assert result.created == 1
    assert Dossier.objects.get().applicant_name == "Nguyễn Văn An"
    # Title row 1, header row 2, blank row 4: the bad row is row 5 as Excel numbers it.
    assert [(e.row, e.code) for e in result.errors] == [(5, "HS-2")]


def test_utf16_tab_separated_export(tmp_path, agency, procedure):
    # Excel's "Unicode Text" export: UTF-16 with BOM, tab-separated.
    text = "Mã hồ sơ\tMã TTHC\tChủ hồ sơ\tNgày tiếp nhận\nHS-1\t1.004444\tPhạm Thị Thu Hà\t05/02/2024 09:00\n"
    path = tmp_path / "unicode.csv"
    path.write_text(text, encoding="utf-16")
    result = import_dossiers(path, agency=agency)
    assert (result.created, result.errors) == (1, [])
    assert Dossier.objects.get().applicant_name == "Phạm Thị Thu Hà"


def test_xlsx_with_real_dates_and_numbers(tmp_path, agency, procedure):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã hồ sơ", "Mã TTHC", "Chủ hồ sơ", "Kênh nộp", "Ngày tiếp nhận", "Ngày có kết quả"])
    sheet.append(["HS-1", "1.004444", "Nguyễn Văn An", 2, dt.datetime(2024, 2, 5, 9, 0), dt.datetime(2024, 2, 20)])
    sheet.append([])
    sheet.append([20240001, 1.004444, "Lê Văn Cường", "Trực tiếp", "05/02/2024 10:15", None])
    sheet.append(["HS-3", "1.004444", "", 1, dt.datetime(2024, 2, 5, 9, 0), None])
    path = tmp_path / "ho-so.xlsx"
    workbook.save(path)
    result = import_dossiers(path, agency=agency)
    assert result.created == 2
    assert [(e.row, e.code) for e in result.errors] == [(5, "HS-3")]
    first = Dossier.objects.get(code="HS-1")
    assert (first.channel, first.received_at, first.ended_at) == (
        Channel.ONLINE,
        local(2024, 2, 5),
        local(2024, 2, 20, 17),
    )
    assert Dossier.objects.get(code="20240001").procedure == procedure


def test_upload_object_is_accepted(agency, procedure):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    writer.writerow(row("HS-1"))
    upload = SimpleUploadedFile("ho-so.csv", buffer.getvalue().encode("utf-8"))
    result = import_dossiers(upload, agency=agency)
    assert (result.created, result.file_name) == (1, "ho-so.csv")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 binary \x00\x01\x02 stuff", "không phải tệp CSV"),
        (b"PK\x03\x04 truncated zip", "tệp bị hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", ".xls"),
        ("Mã hồ sơ,Mã TTHC,Chủ hồ sơ\nHS-1,1.004444,An\n".encode(), "thiếu cột bắt buộc: Ngày tiếp nhận"),
        (b"a,b,c\n1,2,3\n", "Không tìm thấy dòng tiêu đề"),
        (b"", "Tệp rỗng"),
    ],
)
def test_a_file_that_cannot_be_read_raises_and_changes_nothing(tmp_path, agency, procedure, content, message):
    path = tmp_path / "hong.csv"
    path.write_bytes(content)
    before = counts()
    with pytest.raises(ImportFileError) as caught:
        import_dossiers(path, agency=agency)
    assert message in str(caught.value)
    assert counts() == before


def test_progress_is_reported(tmp_path, agency, procedure):
    rows = [row(f"HS-{i}", received=f"{(i % 20) + 1:02d}/03/2024 09:00") for i in range(25)]
    calls = []
    result = import_dossiers(
        write_csv(tmp_path / "a.csv", rows), agency=agency, batch_size=10, progress=lambda d, t: calls.append((d, t))
    )
    assert result.created == 25
    assert calls[0] == (10, 25) and calls[-1] == (25, 25)
    # Three batches, three audit entries on the agency.
    assert AuditEntry.objects.filter(action="import").count() == 3


# --- the command -------------------------------------------------------------------------------------------------


def test_command_prints_summary_and_writes_errors(tmp_path, agency, procedure, capsys):
    path = write_csv(tmp_path / "a.csv", [row("HS-1"), row("HS-2", channel="Fax")])
    errors = tmp_path / "loi.csv"
    call_command("import_dossiers", str(path), "--agency", "SKHCN", "--province", "H45", "--errors", str(errors))
    out = capsys.readouterr().out
    assert "Thêm mới: 1" in out and "Dòng lỗi: 1" in out
    assert "Dòng 3 (HS-2): Kênh nộp “Fax” không hợp lệ" in out
    assert "HS-2" in errors.read_text(encoding="utf-8-sig")


def test_command_fails_on_unreadable_file_and_unknown_agency(tmp_path, agency, procedure):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CommandError, match="tệp bị hỏng"):
        call_command("import_dossiers", str(path), "--agency", "SKHCN")
    with pytest.raises(CommandError, match="Không tìm thấy cơ quan"):
        call_command("import_dossiers", str(path), "--agency", "KHONGCO")


def test_cli_exit_code(tmp_path, agency, procedure):
    from cchc.cli import main

    path = tmp_path / "hong.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(SystemExit) as exited:
        main(["import-dossiers", str(path), "--agency", "SKHCN"])
    assert exited.value.code != 0


def test_sample_files_import_cleanly(agency, field, one_stop_staff):
    for code, name, days in SAMPLE_PROCEDURES:
        Procedure.objects.create(
            agency=agency, code=code, name=name, field=field, processing_time=days, effective_from=dt.date(2020, 1, 1)
        )
    samples = Path(__file__).resolve().parents[2] / "src" / "cchc" / "dossiers" / "samples"
    csv_result = import_dossiers(samples / "ho-so-mau.csv", agency=agency, actor=one_stop_staff)
    assert csv_result.errors == [] and csv_result.created >= 25
    xlsx_result = import_dossiers(samples / "ho-so-mau.xlsx", agency=agency, actor=one_stop_staff)
    # The workbook holds the same dossiers: nothing new, nothing changed.
    assert (xlsx_result.errors, xlsx_result.created, xlsx_result.updated) == ([], 0, 0)
    assert xlsx_result.unchanged == csv_result.created


@pytest.mark.django_db(transaction=True)
def test_import_outside_a_transaction_commits_every_batch(tmp_path, agency, procedure, one_stop_staff):
    # On PostgreSQL outside a transaction a second thread writes one batch while the next is parsed.
    rows = [
        row(f"HS-{i}", received=f"{(i % 20) + 1:02d}/03/2024 09:00", resolved="25/03/2024 10:00") for i in range(25)
    ]
    rows.append(row("HS-0", name="Trùng mã"))
    path = write_csv(tmp_path / "a.csv", rows)
    result = import_dossiers(path, agency=agency, actor=one_stop_staff, batch_size=10)
    assert (result.created, [e.row for e in result.errors]) == (25, [27])
    assert DossierEvent.objects.filter(kind=EventKind.RESOLVED, actor=one_stop_staff).count() == 25
    before = counts()
    again = import_dossiers(path, agency=agency, actor=one_stop_staff, batch_size=10)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 25)
    assert counts() == before
