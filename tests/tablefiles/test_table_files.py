"""cchc.tablefiles: uploaded tables read with bounded memory, every broken or hostile file turned into one clear
Vietnamese message, and the values openpyxl itself would give for honest files."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import hostile_files as hostile
from cchc.tablefiles import Limits, RowDefect, TableFileError, open_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [
    ROOT / "src" / "cchc" / "dossiers" / "samples" / "ho-so-mau.xlsx",
    ROOT / "src" / "cchc" / "procedures" / "samples" / "danh-muc-tthc-mau.xlsx",
]


def rows_of(source, **kwargs) -> list:
    with open_table(source, **kwargs) as table:
        return list(table.rows)


def openpyxl_rows(data: bytes) -> list:
    """What openpyxl's read-only, data-only reading gives (empty rows and trailing empty cells dropped)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    found = []
    for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if values:
            found.append((number, values))
    book.close()
    return found


# --- honest workbooks: the same values as openpyxl ----------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_workbooks_read_as_openpyxl_reads_them(path):
    assert rows_of(path) == openpyxl_rows(path.read_bytes())


def test_dates_numbers_booleans_rich_text_and_gaps_read_as_openpyxl_reads_them():
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã hồ sơ", "Ngày tiếp nhận", "Số", "Có", "Ghi chú"])
    sheet.append(["HS-1", dt.datetime(2024, 2, 5, 9, 30), 1.004444, True, "Nguyễn Văn An"])
    sheet.append(["HS-2", dt.date(2024, 2, 6), 20240001, False, None])
    sheet["E3"] = CellRichText(["Phí ", TextBlock(InlineFont(b=True), "miễn"), " theo quy định"])
    sheet["A6"] = "sau ba dòng trống"
    sheet["C6"] = -12.5
    sheet["B7"] = dt.time(15, 0)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    ours = rows_of(data, filename="a.xlsx")
    assert ours == openpyxl_rows(data)
    assert [number for number, _values in ours] == [1, 2, 3, 6, 7]
    assert ours[2][1][4] == "Phí miễn theo quy định"


def test_a_1904_workbook_keeps_its_dates():
    book = openpyxl.Workbook()
    book.epoch = openpyxl.utils.datetime.MAC_EPOCH
    book.active.append(["Ngày", dt.datetime(2024, 2, 5, 9, 0)])
    buffer = io.BytesIO()
    book.save(buffer)
    assert rows_of(buffer.getvalue())[0][1] == ["Ngày", dt.datetime(2024, 2, 5, 9, 0)]


# --- hostile workbooks: refused before anything is inflated -------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_declared_sizes():
    bomb = hostile.zip_bomb(80 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    with pytest.raises(TableFileError, match="bom giải nén") as caught:
        open_table(bomb, filename="bom.xlsx")
    assert "xl/sharedStrings.xml" in str(caught.value) and "\n" not in str(caught.value)


def test_a_part_past_its_size_bound_is_refused_even_at_an_ordinary_ratio(tmp_path):
    rows = [hostile.DOSSIER_HEADER, *hostile.dossier_rows(12000)]
    data = hostile.workbook(hostile.sheet_xml(rows))
    with pytest.raises(TableFileError, match="giải nén ra hơn 1 MB"):
        open_table(data, filename="lon.xlsx", limits=Limits(max_sheet_bytes=1024 * 1024))


def test_a_zip_that_lies_about_its_sizes_is_caught_while_inflating():
    rows = [hostile.DOSSIER_HEADER, *hostile.dossier_rows(20000)]
    honest = hostile.workbook(hostile.sheet_xml(rows))
    # The central directory claims the worksheet inflates to 2 KB; it inflates to megabytes.
    lying = hostile.lying_sizes(honest, "xl/worksheets/sheet1.xml", 2048)
    with pytest.raises(TableFileError, match="tệp bị hỏng"):
        rows_of(lying, filename="noi-doi.xlsx")
    # And where the declared size would be believed, the counted bytes still stop at the bound.
    with pytest.raises(TableFileError, match="vượt giới hạn"):
        rows_of(honest, filename="dem.xlsx", limits=Limits(max_sheet_bytes=1024 * 1024, max_part_bytes=1024 * 1024))


def test_a_truncated_workbook_is_a_broken_file():
    book = openpyxl.Workbook()
    for row in [hostile.DOSSIER_HEADER, *hostile.dossier_rows(500)]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TableFileError, match="chưa tải lên trọn vẹn"):
        open_table(hostile.truncated(buffer.getvalue()), filename="cut.xlsx")


def test_broken_xml_stops_where_it_breaks_with_the_rows_before_read():
    read = []
    with pytest.raises(TableFileError, match="tệp bị hỏng"), open_table(hostile.broken_xml_workbook(3)) as table:
        for row in table.rows:
            read.append(row)
    assert [number for number, _values in read] == [1, 2, 3, 4]


def test_a_worksheet_declaring_every_row_and_column_is_refused_before_its_rows():
    with open_table(hostile.huge_dimension_workbook(), filename="rong.xlsx") as table:
        with pytest.raises(TableFileError, match="1.048.576 dòng × 16.384 cột"):
            next(table.rows)


def test_rows_and_cells_past_the_bounds():
    rows = [hostile.DOSSIER_HEADER, *hostile.dossier_rows(5)]
    data = hostile.workbook(hostile.sheet_xml(rows))
    with pytest.raises(TableFileError, match="hơn 4 dòng"):
        rows_of(data, limits=Limits(max_rows=4))
    found = rows_of(data, limits=Limits(max_columns=3, max_cell_chars=12))
    assert all(isinstance(values, RowDefect) for _number, values in found)
    assert "cột thứ 4, ngoài giới hạn 3 cột" in found[0][1].message
    # A cell longer than a cell may be (a shared string too): that row only.
    sheet = hostile.sheet_xml([["Mã hồ sơ"], ["HS-1"]]).replace(
        b'<row r="2">', b'<row r="2"><c r="B2" t="s"><v>0</v></c>'
    )
    strings = f'<sst xmlns="{hostile.MAIN_NS}"><si><t>{"x" * 40000}</t></si></sst>'.encode()
    found = rows_of(hostile.workbook(sheet, strings))
    assert found[0] == (1, ["Mã hồ sơ"])
    assert isinstance(found[1][1], RowDefect) and "dài hơn 32.767 ký tự" in found[1][1].message


def test_old_excel_files_and_other_binaries_are_named():
    with pytest.raises(TableFileError, match=r"\.xls"):
        open_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, filename="cu.xls")
    with pytest.raises(TableFileError, match="không phải tệp CSV hay bảng tính"):
        open_table(b"%PDF-1.7\n\x00\x01binary", filename="a.csv")
    with pytest.raises(TableFileError, match="Tệp rỗng"):
        open_table(b"", filename="a.csv")
    with pytest.raises(TableFileError, match="tệp bị hỏng"):
        open_table(b"not a zip at all", filename="a.xlsx")


def _peak_growth(path: Path) -> dict:
    """Read `path` through open_table in a fresh Python; its peak memory (ru_maxrss) before and after."""
    code = (
        "import json, resource, sys, django; django.setup()\n"
        "from cchc.tablefiles import open_table\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "with open_table(sys.argv[1]) as table:\n"
        "    rows = sum(1 for _ in table.rows)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'rows': rows, 'growth_mib': (after - before) / 1024}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="cchc.settings")
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, timeout=600, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_memory_does_not_grow_with_the_worksheet(tmp_path):
    """200,000 rows with a height and a style each (which openpyxl's read-only reader keeps one dictionary per row
    for, ~150 MB here) and one shared string per row: read in a fresh process, peak memory grows by a few MB."""
    path = tmp_path / "dai.xlsx"
    count = 200_000
    rows = "".join(
        f'<row r="{n}" ht="30" customHeight="1" s="1"><c r="A{n}" t="s"><v>{n - 1}</v></c><c r="B{n}"><v>{n}</v></c>'
        "</row>"
        for n in range(1, count + 1)
    )
    sheet = f'<worksheet xmlns="{hostile.MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    strings = f'<sst xmlns="{hostile.MAIN_NS}">{"".join(f"<si><t>HS-{n:07d}</t></si>" for n in range(count))}</sst>'
    path.write_bytes(hostile.workbook(sheet, strings.encode()))
    measured = _peak_growth(path)
    assert measured["rows"] == count
    assert measured["growth_mib"] < 40, measured


# --- CSV ----------------------------------------------------------------------------------------------------------


def test_a_nul_byte_refuses_the_file_naming_its_line():
    lines = [",".join(hostile.DOSSIER_HEADER), *hostile.dossier_csv_lines(30)]
    lines[20] = lines[20].replace("Nguyễn", "Nguy\x00ễn")
    with pytest.raises(TableFileError, match="ký tự NUL \\(mã 0\\) ở dòng 21") as caught:
        open_table(hostile.csv_bytes(lines), filename="nul.csv")
    assert "Không dòng nào được nhập" in str(caught.value)
    with pytest.raises(TableFileError, match="ở dòng 21"):
        open_table(hostile.csv_bytes(lines, "utf-16"), filename="nul16.csv")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "utf-8", "cp1258"])
def test_csv_encodings(encoding):
    text = "Mã hồ sơ\tChủ hồ sơ\nHS-1\tPhạm Thị Thu Hà\n" if encoding != "cp1258" else "Tên\tGhi chú\nAn\tĐông Hà\n"
    rows = [line.split("\t") for line in text.splitlines()]
    assert rows_of(text.encode(encoding), filename="a.csv") == [(1, rows[0]), (2, rows[1])]


def test_a_cell_over_the_csv_modules_own_limit_is_one_bad_row():
    lines = ["Mã hồ sơ,Chủ hồ sơ,Trích yếu", "HS-1,An,ngắn", f"HS-2,Bình,{'x' * 200_000}", "HS-3,Cường,ngắn"]
    found = rows_of(hostile.csv_bytes(lines), filename="dai.csv")
    assert [n for n, _v in found] == [1, 2, 3, 4]
    assert found[3] == (4, ["HS-3", "Cường", "ngắn"])
    defect = found[2][1]
    assert isinstance(defect, RowDefect)
    assert "cột thứ 3 dài 200.000 ký tự, vượt giới hạn 32.767" in defect.message
    assert defect.values[0] == "HS-2"


def test_a_line_past_the_line_bound_is_skipped_without_being_held():
    lines = ["Mã hồ sơ,Chủ hồ sơ", "HS-1,An", "HS-2," + "y" * 5000, "HS-3,Cường"]
    found = rows_of(hostile.csv_bytes(lines), filename="a.csv", limits=Limits(max_line_chars=1000))
    assert found[1] == (2, ["HS-1", "An"]) and found[3] == (4, ["HS-3", "Cường"])
    assert isinstance(found[2][1], RowDefect) and "Dòng 3 của tệp dài hơn 1.000 ký tự" in found[2][1].message


def test_an_unclosed_quote_names_the_lines_it_swallowed():
    lines = [",".join(hostile.DOSSIER_HEADER), *hostile.dossier_csv_lines(40)]
    lines[11] = lines[11].replace("Nguyễn Văn An", '"Nguyễn Văn An')  # line 12 opens a quote nobody closes
    found = rows_of(hostile.csv_bytes(lines), filename="ngoac.csv")
    assert [n for n, v in found if not isinstance(v, RowDefect)] == list(range(1, 12))
    defects = [(n, v) for n, v in found if isinstance(v, RowDefect)]
    assert len(defects) == 1 and defects[0][0] == 12
    assert "Dấu ngoặc kép mở ở dòng 12 của tệp không được đóng: các dòng 12–41 bị gộp" in defects[0][1].message


def test_a_quoted_cell_with_line_breaks_is_not_an_unclosed_quote():
    data = 'Mã hồ sơ,Địa chỉ,Chủ hồ sơ\nHS-1,"Số 2, đường Hùng Vương,\nphường Đông Hà",An\nHS-2,Huế,Bình\n'.encode()
    assert rows_of(data, filename="a.csv") == [
        (1, ["Mã hồ sơ", "Địa chỉ", "Chủ hồ sơ"]),
        (2, ["HS-1", "Số 2, đường Hùng Vương,\nphường Đông Hà", "An"]),
        (3, ["HS-2", "Huế", "Bình"]),
    ]


def test_an_exported_text_marker_is_read_back_without_its_apostrophe():
    data = "Tên,Số\n'=HYPERLINK(\"x\"),'-\nit's,-5\n".encode()
    assert rows_of(data, filename="a.csv")[1:] == [(2, ['=HYPERLINK("x")', "-"]), (3, ["it's", "-5"])]


def test_the_delimiter_is_the_one_the_header_reads_best_under():
    # A semicolon file whose header names a column with a comma, and more commas than semicolons in its rows.
    data = "Mã TTHC;Phí, lệ phí;Tên\n1.004444;a, b, c, d;Cấp phép\n".encode()
    score = lambda cells: sum(cell.strip() in ("Mã TTHC", "Phí, lệ phí", "Tên") for cell in cells)  # noqa: E731
    assert rows_of(data, filename="a.csv", header_score=score)[0] == (1, ["Mã TTHC", "Phí, lệ phí", "Tên"])


def test_a_zip_named_csv_or_a_text_named_xlsx_is_not_misread():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(TableFileError, match="tệp bị hỏng|không có trang tính"):
        open_table(buffer.getvalue(), filename="a.csv")
