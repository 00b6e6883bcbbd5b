"""The parts of a procedure (components, fees, internal process): the rules, the pages that edit them (who may,
what a bad row says, nothing saved then), the detail page that shows them, and the copy to a new version."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.agencies.models import Unit
from cchc.audit.models import AuditEntry
from cchc.procedures import parts, services
from cchc.procedures.models import Component, DurationUnit, Fee, InternalStep, Procedure

pytestmark = pytest.mark.django_db


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "200",
    }


def _step(position, name, duration, **extra):
    return {
        "position": position,
        "name": name,
        "role": "officer",
        "unit": None,
        "duration": Decimal(duration),
        "duration_unit": "working_days",
        "is_approval": False,
        "external_agency": None,
        "external_name": "",
        **extra,
    }


# --- texts ---------------------------------------------------------------------------------------------------------


def test_amounts_and_times_read_the_vietnamese_way():
    assert parts.amount_text(Decimal("1500000")) == "1.500.000 đồng"
    assert parts.amount_text(Decimal("0")) == "Không thu"
    assert parts.duration_text(Decimal("0.50"), "working_days") == "0,5 ngày làm việc"
    assert parts.duration_text(Decimal("4"), "working_hours") == "4 giờ làm việc"


# --- rules -----------------------------------------------------------------------------------------------------


def test_steps_longer_than_the_applied_time_are_refused_with_hours_counted_as_eighths(procedure):
    procedure.reduced_processing_time = Decimal("2")
    procedure.save()
    rows = [
        _step(1, "Tiếp nhận", "0.5"),
        _step(2, "Thẩm định", "1"),
        _step(3, "Trả kết quả", "4", duration_unit="working_hours"),
    ]
    assert parts.step_problems(procedure, rows) == []  # 0,5 + 1 + 4/8 = 2 days
    rows.append(_step(4, "Đóng dấu", "1", duration_unit="working_hours"))
    problems = parts.step_problems(procedure, rows)
    assert len(problems) == 1 and "vượt thời hạn áp dụng" in problems[0].message
    assert "2,12 ngày làm việc" in problems[0].message or "2,125 ngày làm việc" in problems[0].message


def test_time_in_calendar_days_or_months_is_explained(procedure):
    procedure.time_unit = DurationUnit.MONTHS
    procedure.processing_time = Decimal("1")
    assert "23 ngày làm việc" in parts.time_rule(procedure)
    assert parts.step_problems(procedure, [_step(1, "Thẩm định", "23")]) == []
    assert parts.step_problems(procedure, [_step(1, "Thẩm định", "24")])
    procedure.time_unit = DurationUnit.DAYS
    assert "ngày lịch" in parts.time_rule(procedure)


def test_step_rules(procedure, other_agency, make_user):
    foreign_unit = Unit.objects.create(agency=other_agency, name="Phòng Tổ chức")
    rows = [
        _step(1, "Thẩm định", "1", unit=foreign_unit),
        _step(1, "Lãnh đạo phòng", "1", is_approval=True),
        _step(3, "Lãnh đạo Sở", "1", is_approval=True),
        _step(4, "Xin ý kiến", "1", external_agency=other_agency, external_name="Bộ Y tế"),
    ]
    messages = {(p.row, p.field): p.message for p in parts.step_problems(procedure, rows)}
    assert "không thuộc Sở Khoa học và Công nghệ" in messages[(1, "unit")]
    assert "trùng với dòng 1" in messages[(2, "position")]
    assert "Chỉ một bước" in messages[(3, "is_approval")]
    assert "không cả hai" in messages[(4, "external_name")]


def test_fee_rules():
    problems = parts.fee_problems(
        [
            {"position": 1, "name": "Lệ phí", "amount": None, "rule": ""},
            {"position": 2, "name": "Phí thẩm định", "amount": Decimal(-5), "rule": ""},
            {"position": 3, "name": "Phí theo diện tích", "amount": None, "rule": "10.000 đồng/m²"},
        ]
    )
    assert [(p.row, p.message) for p in problems] == [
        (1, "Khoản thu cần có mức thu (đồng) hoặc cách tính."),
        (2, "Mức thu không được âm."),
    ]


# --- writing, audit, copy to a new version -------------------------------------------------------------------


def test_replace_keeps_rows_reorders_and_audits(procedure, officer):
    parts.replace_part(
        procedure,
        "components",
        [
            {"position": 1, "name": "Đơn đề nghị", "originals": 1, "copies": 0, "mandatory": True},
            {"position": 2, "name": "Bản sao giấy chứng nhận", "originals": 0, "copies": 1, "mandatory": False},
        ],
        officer,
    )
    first, second = procedure.components.order_by("position")
    rows = parts.part_rows(procedure, "components")
    rows[0]["position"], rows[1]["position"] = 2, 1  # swap: the unique constraint must hold at every write
    assert parts.replace_part(procedure, "components", rows, officer)
    assert list(procedure.components.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    assert not parts.replace_part(procedure, "components", parts.part_rows(procedure, "components"), officer)
    entries = AuditEntry.objects.filter(object_id=str(procedure.pk)).order_by("pk")
    assert [e.summary for e in entries] == [
        "Cập nhật thành phần hồ sơ: thêm 2, sửa 0, xóa 0 dòng",
        "Cập nhật thành phần hồ sơ: thêm 0, sửa 2, xóa 0 dòng",
    ]


def test_a_new_version_starts_with_the_parts_of_the_one_it_follows(procedure, officer, unit):
    parts.replace_part(
        procedure,
        "fee_items",
        [{"position": 1, "kind": "le_phi", "name": "Lệ phí cấp giấy phép", "amount": Decimal(200000)}],
        officer,
    )
    parts.replace_part(procedure, "internal_steps", [_step(1, "Thẩm định", "5", unit=unit)], officer)
    data = {f: getattr(procedure, f) for f in services.EDITABLE_FIELDS}
    newer = services.create_procedure(procedure.agency, {**data, "effective_from": dt.date(2025, 1, 1)}, officer)
    assert list(newer.fee_items.values_list("name", "amount")) == [("Lệ phí cấp giấy phép", Decimal(200000))]
    assert newer.internal_steps.get().unit == unit
    assert procedure.fee_items.count() == 1  # the old version keeps its own
    assert AuditEntry.objects.filter(object_id=str(newer.pk), summary__startswith="Sao chép").exists()


# --- pages -------------------------------------------------------------------------------------------------


def test_the_detail_page_shows_every_part(client, procedure, officer, unit, other_agency):
    Component.objects.create(
        procedure=procedure,
        position=1,
        name="Đơn đề nghị cấp giấy phép",
        originals=1,
        form_name="Mẫu số 01",
        form_file=SimpleUploadedFile("mau-01.docx", _docx()),
    )
    Fee.objects.create(
        procedure=procedure,
        position=1,
        kind="le_phi",
        name="Lệ phí cấp giấy phép",
        amount=Decimal(1500000),
        legal_basis="Thông tư 287/2016/TT-BTC",
    )
    Fee.objects.create(procedure=procedure, position=2, kind="phi", name="Phí thẩm định", rule="Theo số thiết bị")
    procedure.result_kind = "giay_phep"
    procedure.internal_process_decision = "Quyết định 567/QĐ-UBND ngày 15/3/2024"
    procedure.save()
    InternalStep.objects.create(
        procedure=procedure, position=1, name="Tiếp nhận", role="one_stop", duration=Decimal("0.5")
    )
    InternalStep.objects.create(
        procedure=procedure, position=2, name="Xin ý kiến", duration=Decimal(2), external_agency=other_agency
    )
    InternalStep.objects.create(
        procedure=procedure,
        position=3,
        name="Lãnh đạo Sở ký",
        role="leader",
        unit=unit,
        duration=Decimal(4),
        duration_unit="working_hours",
        is_approval=True,
    )
    client.force_login(officer)
    html = client.get(reverse("procedures:detail", args=[procedure.pk])).content.decode()
    for text in (
        "Đơn đề nghị cấp giấy phép",
        "Mẫu số 01",
        "Tải tệp mẫu",
        "1.500.000 đồng",
        "Thông tư 287/2016/TT-BTC",
        "Theo số thiết bị",
        "Giấy phép",
        "Quyết định 567/QĐ-UBND",
        "0,5 ngày làm việc",
        "4 giờ làm việc",
        "Liên thông: Sở Nội vụ",
        "Phê duyệt kết quả",
        "3 ngày làm việc",
    ):
        assert text in html, text
    download = client.get(reverse("procedures:component_file", args=[procedure.components.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == _docx()


def test_a_viewer_sees_but_cannot_edit_and_another_agency_gets_404(client, procedure, viewer, make_user, other_agency):
    url = reverse("procedures:fees", args=[procedure.pk])
    client.force_login(viewer)
    assert "Sửa phí, lệ phí" not in client.get(reverse("procedures:detail", args=[procedure.pk])).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, _management("phi", 1)).status_code == 403
    client.force_login(make_user("snv", other_agency, "admin"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("procedures:detail", args=[procedure.pk])).status_code == 404


def test_bad_fee_rows_say_why_and_nothing_is_saved(client, procedure, officer):
    client.force_login(officer)
    url = reverse("procedures:fees", args=[procedure.pk])
    response = client.post(
        url,
        {
            **_management("phi", 2),
            "phi-0-position": "1",
            "phi-0-kind": "le_phi",
            "phi-0-name": "Lệ phí",
            "phi-0-amount": "",
            "phi-1-position": "1",
            "phi-1-kind": "phi",
            "phi-1-name": "Phí",
            "phi-1-amount": "-100",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Khoản thu cần có mức thu (đồng) hoặc cách tính." in html
    assert "Số thứ tự 1 trùng với dòng 1." in html
    assert not procedure.fee_items.exists()
    response = client.post(
        url,
        {
            **_management("phi", 1),
            "phi-0-position": "1",
            "phi-0-kind": "le_phi",
            "phi-0-name": "Lệ phí cấp giấy phép",
            "phi-0-amount": "1.500.000",
        },
    )
    assert response.status_code == 302
    assert procedure.fee_items.get().amount == Decimal(1500000)


def test_bad_steps_say_why_and_nothing_is_saved(client, procedure, officer, unit):
    client.force_login(officer)
    url = reverse("procedures:steps", args=[procedure.pk])
    assert client.get(url).status_code == 200
    row = {"role": "officer", "duration_unit": "working_days"}
    data = {**_management("buoc", 2), "buoc-internal_process_decision": "", "internal_process_decision": "QĐ 1"}
    for i, (name, duration) in enumerate([("Thẩm định", "8"), ("Lãnh đạo ký", "2,5")]):
        data.update({f"buoc-{i}-{k}": v for k, v in row.items()})
        data.update(
            {
                f"buoc-{i}-position": str(i + 1),
                f"buoc-{i}-name": name,
                f"buoc-{i}-duration": duration,
                f"buoc-{i}-is_approval": "on",
            }
        )
    html = client.post(url, data).content.decode()
    assert "Chỉ một bước được đánh dấu là bước phê duyệt" in html
    assert "vượt thời hạn áp dụng của thủ tục" in html
    assert not procedure.internal_steps.exists()
    del data["buoc-1-is_approval"]
    data["buoc-1-duration"] = "2"
    data["buoc-1-unit"] = str(unit.pk)
    assert client.post(url, data).status_code == 302
    assert list(procedure.internal_steps.values_list("name", "duration", "is_approval", "unit")) == [
        ("Thẩm định", Decimal(8), True, None),
        ("Lãnh đạo ký", Decimal(2), False, unit.pk),
    ]
    assert Procedure.objects.get(pk=procedure.pk).internal_process_decision == "QĐ 1"


def test_component_form_files_are_checked(client, procedure, officer):
    client.force_login(officer)
    url = reverse("procedures:components", args=[procedure.pk])
    base = {
        **_management("tp", 1),
        "tp-0-position": "1",
        "tp-0-name": "Đơn đề nghị",
        "tp-0-originals": "1",
        "tp-0-copies": "0",
        "tp-0-mandatory": "on",
    }
    fake = SimpleUploadedFile("mau.docx", b"MZ\x90\x00 not a document")
    html = client.post(url, {**base, "tp-0-form_file": fake}).content.decode()
    assert "Nội dung tệp mẫu không đúng với phần mở rộng .docx." in html
    assert not procedure.components.exists()
    script = SimpleUploadedFile("mau.exe", b"MZ")
    assert "Tệp mẫu chỉ nhận PDF" in client.post(url, {**base, "tp-0-form_file": script}).content.decode()
    good = SimpleUploadedFile("Mẫu đơn số 01.docx", _docx())
    assert client.post(url, {**base, "tp-0-form_file": good}).status_code == 302
    stored = procedure.components.get()
    assert stored.form_file.name.endswith(".docx") and "mau-don-so-01" in stored.form_file.name
