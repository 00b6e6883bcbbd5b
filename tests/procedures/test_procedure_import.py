"""Import and export of the TTHC catalogue: validation, idempotence, versions, round trips, commands."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cchc.audit.models import AuditEntry
from cchc.procedures import io as catalogue_io
from cchc.procedures.models import Field, Procedure

SAMPLES = Path(catalogue_io.__file__).parent.parent / "samples"
SAMPLE_XLSX = SAMPLES / "danh-muc-tthc-mau.xlsx"
SAMPLE_CSV = SAMPLES / "danh-muc-tthc-mau.csv"

HEADER = (
    "Mã TTHC;Tên TTHC;Lĩnh vực;Cấp thực hiện;Thời hạn giải quyết;Thời hạn cắt giảm;Đơn vị thời hạn;DVC trực tuyến;"
    "Mức độ (NĐ 43/2011);Liên thông;Một cửa;Phí, lệ phí;Quyết định công bố;Hiệu lực từ;Bãi bỏ từ"
)
GOOD = (
    "1.014445;Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ;Hoạt động khoa học và công nghệ;Cấp tỉnh;"
    "15;10;ngày làm việc;Một phần;;Không;Có;Không;QĐ 1/QĐ-UBND;01/12/2025;"
)


def csv_bytes(*lines: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode("utf-8")


def audit_count() -> int:
    return AuditEntry.objects.filter(content_type__model="procedure").count()


def exported_rows(data: bytes) -> list[list]:
    """The data rows of an exported CSV without the number and agency columns."""
    text = data.decode("utf-8-sig")
    import csv

    rows = list(csv.reader(io.StringIO(text)))
    return [row[1:-1] for row in rows[1:]]


# --- the sample files ---------------------------------------------------------------------------------------


def test_sample_xlsx_imports_every_row_with_section_fields_and_versions(agency):
    result = catalogue_io.import_catalogue(SAMPLE_XLSX, agency)
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (11, 0, 0)
    registration = Procedure.objects.get(agency=agency, code="1.014389")
    assert registration.local_code == "1.014389.H45"
    assert registration.field.name == "Hoạt động khoa học và công nghệ"  # from the section row above it
    assert registration.processing_time == 15 and registration.reduced_processing_time == 10
    assert registration.online_service == "full"
    selection = Procedure.objects.get(agency=agency, code="1.014454")
    assert selection.time_unit == "days"
    old, new = Procedure.objects.filter(agency=agency, code="1.004444").order_by("effective_from")
    assert old.legacy_online_level == 3 and old.abolished_on == dt.date(2025, 7, 1)
    assert new.abolished_on is None and new.reduced_processing_time == 15
    assert Procedure.objects.get(agency=agency, code="1.003505").interconnection == "same_level"
    assert audit_count() == 11


def test_importing_the_same_file_again_changes_nothing(agency):
    catalogue_io.import_catalogue(SAMPLE_CSV, agency)
    stamps = dict(Procedure.objects.values_list("pk", "updated_at"))
    entries = audit_count()
    again = catalogue_io.import_catalogue(SAMPLE_CSV, agency)
    assert (again.created, again.updated, again.unchanged, again.closed, again.errors) == (0, 0, 11, 0, [])
    assert dict(Procedure.objects.values_list("pk", "updated_at")) == stamps
    assert audit_count() == entries


def test_csv_and_xlsx_samples_describe_the_same_catalogue(agency, other_agency):
    catalogue_io.import_catalogue(SAMPLE_CSV, agency)
    catalogue_io.import_catalogue(SAMPLE_XLSX, other_agency)
    first = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(agency), "csv")
    second = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(other_agency), "csv")
    assert exported_rows(first) == exported_rows(second)
    assert Field.objects.filter(name="Hoạt động khoa học và công nghệ").count() == 1


# --- validation ---------------------------------------------------------------------------------------------


def test_bad_rows_are_reported_with_their_row_number_and_good_rows_kept(agency):
    content = csv_bytes(
        HEADER,
        GOOD,
        ";Thủ tục không có mã;Hoạt động khoa học và công nghệ;Cấp tỉnh;10;;ngày làm việc;Không;;Không;Có;;;01/12/2025;",
        "1.0144;Mã ngắn;Hoạt động khoa học và công nghệ;Cấp tỉnh;10;;ngày làm việc;Không;;Không;Có;;;01/12/2025;",
        "1.014446;Thời hạn chữ;Hoạt động khoa học và công nghệ;Cấp tỉnh;mười;;ngày làm việc;Không;;Không;Có;;;"
        "01/12/2025;",
        "1.014447;Ngày sai;Hoạt động khoa học và công nghệ;Cấp tỉnh;10;;ngày làm việc;Không;;Không;Có;;;31/02/2025;",
        "1.014448;DVC lạ;Hoạt động khoa học và công nghệ;Cấp tỉnh;10;;ngày làm việc;Toàn phần;;Không;Có;;;01/12/2025;",
        "1.014449;Cắt giảm quá;Hoạt động khoa học và công nghệ;Cấp tỉnh;10;12;ngày làm việc;Không;;Không;Có;;;"
        "01/12/2025;",
        "1.014450;Bãi bỏ trước;Hoạt động khoa học và công nghệ;Cấp tỉnh;10;;ngày làm việc;Không;;Không;Có;;;"
        "01/12/2025;01/01/2025",
        "1.014451;Không lĩnh vực;;Cấp tỉnh;10;;ngày làm việc;Không;;Không;Có;;;01/12/2025;",
        "1.014452;Mức độ lạ;Hoạt động khoa học và công nghệ;Cấp tỉnh;10;;ngày làm việc;Không;5;Không;Có;;;01/12/2025;",
        "1.014453;Hai lỗi;Hoạt động khoa học và công nghệ;Cấp vùng;10;;tuần;Không;;Không;Có;;;01/12/2025;",
        GOOD,
    )
    result = catalogue_io.import_catalogue(content, agency, filename="danh-muc.csv")
    assert result.created == 1
    errors = dict(result.errors)
    assert sorted(errors) == list(range(3, 14)), result.errors
    assert "Thiếu mã TTHC" in errors[3]
    assert "sai định dạng" in errors[4] and "1.0144" in errors[4]
    assert "Thời hạn giải quyết" in errors[5] and "không phải là số" in errors[5]
    assert "không phải là ngày hợp lệ" in errors[6]
    assert "DVC trực tuyến" in errors[7] and "Toàn phần" in errors[7] and "Toàn trình" in errors[7]
    assert "lớn hơn thời hạn giải quyết" in errors[8]
    assert "Ngày bãi bỏ phải sau ngày hiệu lực" in errors[9]
    assert "Thiếu lĩnh vực" in errors[10]
    assert "Mức độ" in errors[11]
    assert "Cấp thực hiện" in errors[12] and "Đơn vị thời hạn" in errors[12]
    assert "Trùng mã TTHC và ngày hiệu lực với dòng 2" in errors[13]
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.014445"]


def test_headers_match_without_case_diacritics_and_with_remarks(agency):
    content = csv_bytes(
        "Danh muc thu tuc hanh chinh,,,,",
        ",,,,",
        "STT,ma tthc,TEN THU TUC,linh vuc,Thoi han giai quyet (ngay lam viec),hieu luc tu,Ghi chú",
        "1,2.002278,Thủ tục cũ,Hoạt động khoa học và công nghệ,10 ngày làm việc kể từ khi nhận đủ hồ sơ,2020-01-01,x",
        '2,1.014460,Đăng ký kết quả nhiệm vụ,Hoạt động khoa học và công nghệ,"2,5",2025-12-01,',
        "3,1.014461,Xác nhận trong ngày,Hoạt động khoa học và công nghệ,Trong ngày,01/12/2025,",
        "4,1.014462,Theo giờ,Hoạt động khoa học và công nghệ,4 giờ làm việc,01/12/2025,",
        bom=False,
    )
    result = catalogue_io.import_catalogue(content, agency)
    assert result.errors == []
    values = {p.code: (p.processing_time, p.time_unit) for p in Procedure.objects.all()}
    assert values == {
        "2.002278": (Decimal(10), "working_days"),
        "1.014460": (Decimal("2.5"), "working_days"),
        "1.014461": (Decimal(0), "working_days"),
        "1.014462": (Decimal(4), "working_hours"),
    }


def test_missing_effective_date_is_an_error_unless_a_default_is_given(agency):
    content = csv_bytes("Mã TTHC;Tên TTHC;Lĩnh vực;Thời hạn giải quyết", "1.014445;Cấp GCN;Bưu chính;15")
    result = catalogue_io.import_catalogue(content, agency)
    assert result.errors == [(2, "Thiếu ngày hiệu lực (cột “Hiệu lực từ”)")]
    result = catalogue_io.import_catalogue(content, agency, default_effective_from=dt.date(2025, 7, 1))
    assert result.created == 1
    assert Procedure.objects.get().effective_from == dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (b"PK\x03\x04 not really a workbook", "danh-muc.xlsx", "tệp bị hỏng"),
        (csv_bytes("Họ tên;Ngày sinh", "Nguyễn Văn A;01/01/1990"), "nguoi.csv", "Không tìm thấy dòng tiêu đề"),
        # Latin-1 is not Vietnamese: read as Windows-1258, "Lĩnh vực" comes out broken and is not a header.
        (
            "Mã TTHC;Tên TTHC;Lĩnh vực;Thời hạn giải quyết\r\n".encode("latin-1", "replace"),
            "cu.csv",
            "thiếu cột: Lĩnh vực",
        ),
        (b"", "trong.csv", "Tệp rỗng"),
    ],
)
def test_unreadable_files_raise_a_clear_error(agency, content, filename, reason):
    with pytest.raises(catalogue_io.UnreadableFile, match=reason):
        catalogue_io.import_catalogue(content, agency, filename=filename)
    assert not Procedure.objects.exists()


def test_a_crash_mid_row_leaves_no_half_row(agency):
    from django.contrib.auth import get_user_model

    unsaved_actor = get_user_model()(username="chua-luu")  # the audit entry cannot be written for it
    content = csv_bytes(HEADER, GOOD.replace("Hoạt động khoa học và công nghệ", "Lĩnh vực mới"))
    with pytest.raises(ValueError):
        catalogue_io.import_catalogue(content, agency, unsaved_actor)
    assert not Procedure.objects.exists()
    assert not Field.objects.filter(name="Lĩnh vực mới").exists()
    assert audit_count() == 0


# --- updates, versions, audit -------------------------------------------------------------------------------


def test_a_changed_row_is_updated_and_audited_with_its_diff(agency, officer):
    catalogue_io.import_catalogue(SAMPLE_CSV, agency)
    changed = SAMPLE_CSV.read_bytes().decode("utf-8-sig")
    changed = changed.replace(";20;15;ngày làm việc;Một phần;;Cùng cấp;", ";20;12;ngày làm việc;Toàn trình;;Cùng cấp;")
    result = catalogue_io.import_catalogue(changed.encode("utf-8"), agency, officer, filename="sua.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 10)
    postal = Procedure.objects.get(agency=agency, code="1.003505")
    assert postal.reduced_processing_time == 12 and postal.online_service == "full"
    entry = AuditEntry.objects.filter(object_id=str(postal.pk)).first()
    assert entry.action == AuditEntry.Action.IMPORT
    assert entry.actor == officer
    assert entry.changes == {"reduced_processing_time": ["15", "12"], "online_service": ["partial", "full"]}
    assert "sua.csv" in entry.summary


def test_a_new_version_closes_the_open_earlier_one(agency, procedure):
    content = csv_bytes(
        HEADER,
        "1.004444;Cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán trong y tế);"
        "Năng lượng nguyên tử, an toàn bức xạ và hạt nhân;Cấp tỉnh;25;15;ngày làm việc;Toàn trình;;Không;Có;;;"
        "01/07/2025;",
    )
    result = catalogue_io.import_catalogue(content, agency)
    assert (result.created, result.closed) == (1, 1)
    procedure.refresh_from_db()
    assert procedure.abolished_on == dt.date(2025, 7, 1)
    assert AuditEntry.objects.filter(object_id=str(procedure.pk), summary__contains="Đóng phiên bản cũ").exists()
    in_force = Procedure.objects.filter(agency=agency)
    assert list(in_force.in_force_on(dt.date(2025, 6, 30))) == [procedure]
    assert [p.effective_from for p in in_force.in_force_on(dt.date(2025, 7, 1))] == [dt.date(2025, 7, 1)]
    again = catalogue_io.import_catalogue(content, agency)
    assert (again.created, again.updated, again.unchanged, again.closed) == (0, 0, 1, 0)


def test_an_older_version_imported_later_ends_where_the_newer_starts(agency):
    newer = csv_bytes(HEADER, GOOD)
    older = csv_bytes(HEADER, GOOD.replace("01/12/2025", "01/01/2021").replace(";10;ngày", ";12;ngày"))
    catalogue_io.import_catalogue(newer, agency)
    result = catalogue_io.import_catalogue(older, agency)
    assert result.created == 1 and result.errors == []
    first = Procedure.objects.get(effective_from=dt.date(2021, 1, 1))
    assert first.abolished_on == dt.date(2025, 12, 1)
    assert Procedure.objects.in_force_on(dt.date(2023, 5, 1)).get() == first


def test_overlapping_versions_are_refused(agency):
    content = csv_bytes(
        HEADER,
        GOOD.replace("01/12/2025;", "01/01/2021;31/12/2026"),
        GOOD,
    )
    result = catalogue_io.import_catalogue(content, agency)
    assert [number for number, _ in result.errors] == [2]
    assert "chồng lên" in result.errors[0][1]


def test_in_force_on_picks_the_version_of_the_day(agency):
    catalogue_io.import_catalogue(SAMPLE_XLSX, agency)
    catalogue = Procedure.objects.filter(agency=agency)
    assert list(catalogue.in_force_on(dt.date(2024, 1, 1)).values_list("code", "effective_from")) == [
        ("1.004444", dt.date(2021, 7, 1))
    ]
    assert catalogue.in_force_on(dt.date(2025, 7, 1)).count() == 5
    assert catalogue.in_force_on(dt.date(2025, 12, 15)).count() == 10


# --- export and round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_round_trips_unchanged(agency, other_agency, fmt):
    catalogue_io.import_catalogue(SAMPLE_XLSX, agency)
    exported = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(agency), fmt)
    entries = audit_count()
    same = catalogue_io.import_catalogue(exported, agency, filename=f"xuat.{fmt}")
    assert (same.created, same.updated, same.unchanged, same.errors) == (0, 0, 11, [])
    assert audit_count() == entries
    copy = catalogue_io.import_catalogue(exported, other_agency, filename=f"xuat.{fmt}")
    assert copy.created == 11 and copy.errors == []
    again = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(other_agency), "csv")
    original = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(agency), "csv")
    assert exported_rows(again) == exported_rows(original)


def test_export_has_the_import_headers_and_can_be_limited_to_a_day(agency):
    catalogue_io.import_catalogue(SAMPLE_XLSX, agency)
    data = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(agency, dt.date(2024, 1, 1)), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[2]
    assert headers[1:4] == ("Mã TTHC", "Tên TTHC", "Lĩnh vực")
    assert "Bãi bỏ từ" in headers and "DVC trực tuyến" in headers
    assert len(rows) == 4 and rows[3][1] == "1.004444"
    csv_text = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(agency), "csv").decode("utf-8")
    assert csv_text.startswith("\ufeffSTT,Mã TTHC,Tên TTHC,Lĩnh vực")
    assert "01/07/2025" in csv_text


# --- commands -----------------------------------------------------------------------------------------------


def test_commands_import_and_export_with_a_vietnamese_summary(agency, tmp_path):
    out = io.StringIO()
    call_command("import_procedures", str(SAMPLE_XLSX), agency="SKHCN", province="H45", stdout=out)
    assert "Thêm mới 11" in out.getvalue() and "0 dòng lỗi" in out.getvalue()
    target = tmp_path / "danh-muc.xlsx"
    out = io.StringIO()
    call_command("export_procedures", agency="skhcn", output=str(target), stdout=out)
    assert "Đã xuất 11 thủ tục" in out.getvalue()
    out = io.StringIO()
    call_command("import_procedures", str(target), agency="SKHCN", stdout=out)
    assert "không đổi 11" in out.getvalue()


def test_import_command_lists_bad_rows(agency, tmp_path):
    path = tmp_path / "loi.csv"
    path.write_bytes(csv_bytes(HEADER, GOOD, GOOD.replace("1.014445", "1,014445")))
    out = io.StringIO()
    call_command("import_procedures", str(path), agency="SKHCN", stdout=out)
    assert "Dòng 3: Mã TTHC “1,014445” sai định dạng" in out.getvalue()


def test_import_command_fails_on_an_unreadable_file_or_unknown_agency(agency, foreign_agency, tmp_path):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(CommandError, match="tệp bị hỏng"):
        call_command("import_procedures", str(path), agency="SKHCN", province="H45")
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("import_procedures", str(tmp_path / "khong-co.csv"), agency="SKHCN", province="H45")
    with pytest.raises(CommandError, match="nhiều cơ quan"):
        call_command("import_procedures", str(SAMPLE_CSV), agency="SKHCN")
    with pytest.raises(CommandError, match="Không tìm thấy cơ quan"):
        call_command("import_procedures", str(SAMPLE_CSV), agency="SXD")
    assert not Procedure.objects.exists()
