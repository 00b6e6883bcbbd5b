"""The catalogue workbook with the procedures' parts: export -> import round-trips, bad rows name their sheet, row
and column, and a procedure with a bad part row is not imported at all."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from cchc.procedures import io as catalogue_io
from cchc.procedures import parts
from cchc.procedures.models import Procedure

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def full(procedure, officer, unit, other_agency):
    procedure.result_kind = "giay_phep"
    procedure.internal_process_decision = "Quyết định 567/QĐ-UBND ngày 15/3/2024"
    procedure.save()
    parts.replace_part(
        procedure,
        "components",
        [
            {
                "position": 1,
                "name": "Đơn đề nghị cấp giấy phép",
                "originals": 1,
                "copies": 0,
                "mandatory": True,
                "form_name": "Mẫu số 01",
                "note": "",
            },
            {
                "position": 2,
                "name": "Bản sao quyết định thành lập",
                "originals": 0,
                "copies": 1,
                "mandatory": False,
                "form_name": "",
                "note": "Có chứng thực",
            },
        ],
        officer,
    )
    parts.replace_part(
        procedure,
        "fee_items",
        [
            {
                "position": 1,
                "kind": "le_phi",
                "name": "Lệ phí cấp giấy phép",
                "amount": Decimal(1500000),
                "rule": "",
                "legal_basis": "Thông tư 287/2016/TT-BTC",
            },
            {
                "position": 2,
                "kind": "phi",
                "name": "Phí thẩm định",
                "amount": None,
                "rule": "Theo số thiết bị",
                "legal_basis": "",
            },
        ],
        officer,
    )
    parts.replace_part(
        procedure,
        "internal_steps",
        [
            _step(1, "Tiếp nhận hồ sơ", "0.5", role="one_stop"),
            _step(2, "Thẩm định", "4", unit=unit),
            _step(3, "Xin ý kiến", "2", external_agency=other_agency),
            _step(4, "Lấy ý kiến Bộ", "1", external_name="Bộ Khoa học và Công nghệ"),
            _step(5, "Lãnh đạo Sở ký", "4", role="leader", duration_unit="working_hours", is_approval=True),
        ],
        officer,
    )
    return procedure


def _snapshot(procedure):
    return {
        kind: [{k: v for k, v in row.items() if k != "id"} for row in parts.part_rows(procedure, kind)]
        for kind in parts.KINDS
    }


def test_export_then_import_round_trips_the_parts(full, agency, officer):
    before = _snapshot(full)
    data = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(agency), "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Danh mục TTHC", "Thành phần hồ sơ", "Phí, lệ phí", "Quy trình nội bộ"]
    assert workbook["Phí, lệ phí"]["F2"].value == 1500000
    for kind in parts.KINDS:
        parts.replace_part(full, kind, [], officer)
    Procedure.objects.filter(pk=full.pk).update(result_kind="", internal_process_decision="")

    result = catalogue_io.import_catalogue(data, agency, officer, filename="danh-muc.xlsx")
    assert result.ok, (result.errors, result.part_errors)
    assert _snapshot(full) == before
    full.refresh_from_db()
    assert (full.result_kind, full.internal_process_decision) == ("giay_phep", "Quyết định 567/QĐ-UBND ngày 15/3/2024")

    again = catalogue_io.import_catalogue(data, agency, officer, filename="danh-muc.xlsx")
    assert (again.updated, again.unchanged, again.part_errors) == (0, 1, [])
    assert _snapshot(full) == before


def test_bad_part_rows_name_sheet_row_and_column_and_nothing_of_the_procedure_is_imported(full, agency, officer):
    data = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(agency), "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    main = workbook["Danh mục TTHC"]
    name_column = [c.value for c in main[3]].index("Tên TTHC") + 1
    main.cell(row=4, column=name_column).value = "Tên mới không được lưu"
    workbook["Phí, lệ phí"]["F3"] = -200
    workbook["Quy trình nội bộ"]["F3"] = "Phòng không có"
    workbook["Thành phần hồ sơ"].append(["9.999999", full.effective_from, 1, "Giấy tờ lạc", 1, 0, "Có"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = _snapshot(full)

    result = catalogue_io.import_catalogue(buffer.getvalue(), agency, officer, filename="danh-muc.xlsx")
    assert not result.ok
    messages = "\n".join(result.part_errors)
    assert "Trang “Phí, lệ phí”, dòng 3, cột “Mức thu (đồng)”: Mức thu không được âm." in messages
    assert "Trang “Quy trình nội bộ”, dòng 3, cột “Đơn vị thực hiện”: không có đơn vị “Phòng không có”" in messages
    assert "Trang “Thành phần hồ sơ”, dòng 4: thủ tục mã 9.999999" in messages
    assert [number for number, _message in result.errors] == [4]
    full.refresh_from_db()
    assert full.name != "Tên mới không được lưu"
    assert _snapshot(full) == before


def test_a_workbook_without_parts_sheets_leaves_the_parts_alone(full, agency, officer):
    data = catalogue_io.export_catalogue(catalogue_io.agency_catalogue(agency), "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for title in ("Thành phần hồ sơ", "Phí, lệ phí", "Quy trình nội bộ"):
        del workbook[title]
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = _snapshot(full)
    result = catalogue_io.import_catalogue(buffer.getvalue(), agency, officer, filename="danh-muc.xlsx")
    assert result.ok and _snapshot(full) == before
