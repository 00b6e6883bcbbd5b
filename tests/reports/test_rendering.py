"""The .docx/PDF/XLSX renderer against the layout Nghị định 30/2020/NĐ-CP, Phụ lục I fixes.

The rendered document is re-opened with python-docx and every element the decree specifies is checked; the PDF comes
from the real LibreOffice (one conversion per test run) and is read back with poppler's pdftotext.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from cchc.reports.rendering import (
    AdministrativeDocument,
    Cell,
    Heading,
    Paragraph,
    PdfConversionError,
    Run,
    Signature,
    Table,
    number_line,
    pad2,
    parse_inline,
    render_docx,
    table_to_xlsx,
    to_pdf,
    vietnamese_date_line,
)
from cchc.reports.rendering.document import Footnote, layout_grid
from cchc.reports.rendering.docx import text_width_mm
from cchc.reports.rendering.samples import figures_table, quang_tri_annual_report, rating_table

FONT = "Times New Roman"
FOOTNOTE = "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022"


# -- helpers ---------------------------------------------------------------------------------------------------------


def mm(length) -> float:  # noqa: ANN001
    return length / Mm(1)


def effective(paragraph, name: str):  # noqa: ANN001, ANN201
    """A paragraph-format property as Word applies it: the paragraph's own value, else its style chain's."""
    value = getattr(paragraph.paragraph_format, name)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, name)
        style = style.base_style
    return value


def text_runs(paragraph):  # noqa: ANN001, ANN201
    return [r for r in paragraph.runs if r.text.strip()]


def fonts_of(run) -> dict[str, str | None]:  # noqa: ANN001
    rfonts = run._r.rPr.find(qn("w:rFonts"))
    return {a: rfonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")}


def assert_runs(paragraph, *, size: float, bold: bool, italic: bool) -> None:  # noqa: ANN001
    runs = text_runs(paragraph)
    assert runs, f"no text in {paragraph.text!r}"
    for run in runs:
        assert run.font.size == Pt(size), (paragraph.text, run.font.size.pt if run.font.size else None)
        assert bool(run.bold) is bold, paragraph.text
        assert bool(run.italic) is italic, paragraph.text
        assert set(fonts_of(run).values()) == {FONT}


def body_children(document):  # noqa: ANN001, ANN201
    """Paragraphs and tables of the body in order."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    for el in document.element.body.iterchildren():
        if el.tag == qn("w:p"):
            yield DocxParagraph(el, document)
        elif el.tag == qn("w:tbl"):
            yield DocxTable(el, document)


def paragraph_with(document, text: str):  # noqa: ANN001, ANN201
    for p in document.paragraphs:
        if p.text.strip() == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def rule_length_mm(paragraph, available_mm: float) -> float:  # noqa: ANN001
    """Length of a rule drawn as a paragraph bottom border between the paragraph's indents."""
    border = paragraph._p.pPr.find(qn("w:pBdr"))
    assert border is not None and border.find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert paragraph.text == ""
    fmt = paragraph.paragraph_format
    return available_mm - mm(fmt.left_indent or 0) - mm(fmt.right_indent or 0)


def cell_text_width(cell) -> float:  # noqa: ANN001
    return mm(cell.width) - 2 * 1.0  # the header table's cell margins are 1 mm


# -- pure helpers ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2020, 11, 19), "Quảng Trị, ngày 19 tháng 11 năm 2020"),
        (dt.date(2020, 2, 5), "Quảng Trị, ngày 05 tháng 02 năm 2020"),
        (dt.date(2023, 1, 10), "Quảng Trị, ngày 10 tháng 01 năm 2023"),
        (dt.date(2023, 3, 19), "Quảng Trị, ngày 19 tháng 3 năm 2023"),
        (dt.date(2023, 9, 1), "Quảng Trị, ngày 01 tháng 9 năm 2023"),
        (dt.date(2023, 12, 31), "Quảng Trị, ngày 31 tháng 12 năm 2023"),
    ],
)
def test_date_line_pads_days_below_ten_and_january_february_only(date: dt.date, expected: str) -> None:
    assert vietnamese_date_line("Quảng Trị", date) == expected


def test_draft_date_line_leaves_day_and_month_blank_with_the_year() -> None:
    line = vietnamese_date_line("Bà Rịa - Vũng Tàu", None, year=2023)
    assert re.fullmatch(r"Bà Rịa - Vũng Tàu, ngày\s{2,}tháng\s{2,}năm 2023", line)


@pytest.mark.parametrize(("n", "expected"), [(1, "01"), (9, "09"), (10, "10"), (88, "88"), (100, "100"), (0, "0")])
def test_pad2_counts(n: int, expected: str) -> None:
    assert pad2(n) == expected


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_pad2_rejects_what_is_not_a_count(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        pad2(bad)  # type: ignore[arg-type]


def test_number_line_pads_small_numbers_and_keeps_a_gap_for_drafts() -> None:
    assert number_line("136", "BC-SKHCN") == "Số: 136/BC-SKHCN"
    assert number_line(5, "BC-SKHCN") == "Số: 05/BC-SKHCN"
    assert re.fullmatch(r"Số:\s{3,}/BC-SKHCN", number_line(None, "BC-SKHCN"))
    assert re.fullmatch(r"Số:\s{3,}/BC-SKHCN", number_line("  ", "BC-SKHCN"))


def test_recipient_lines_punctuation() -> None:
    doc = quang_tri_annual_report()
    assert doc.recipient_lines == [
        "- Sở Nội vụ (B/c);",
        "- Văn phòng UBND tỉnh (B/c);",
        "- Các phòng, đơn vị thuộc Sở;",
        "- Lưu: VT, VP.",
    ]
    doc.archive_unit = None
    doc.recipients = []
    assert doc.recipient_lines == ["- Lưu: VT."]


def test_inline_markup_and_bullets() -> None:
    para = Paragraph.of("- Đã ban hành **11/38** nội dung[^Kế hoạch số 151/KH-SKHCN ngày 23/12/2022]; *xem phụ lục*.")
    assert para.bullet == "-"
    assert para.content == [
        Run("Đã ban hành "),
        Run("11/38", bold=True),
        Run(" nội dung"),
        Footnote("Kế hoạch số 151/KH-SKHCN ngày 23/12/2022"),
        Run("; "),
        Run("xem phụ lục", italic=True),
        Run("."),
    ]
    assert parse_inline("3 * 4 = 12") == [Run("3 * 4 = 12")]


def test_layout_grid_rejects_overlapping_spans() -> None:
    with pytest.raises(ValueError, match="overlap"):
        layout_grid([[Cell("a"), Cell("b", rowspan=2)], [Cell("c", colspan=2)]])
    with pytest.raises(ValueError, match=">= 1"):
        Cell("e", colspan=0)


def test_heading_level_must_be_in_the_outline() -> None:
    with pytest.raises(ValueError):
        Heading("a.1.1", "quá sâu", level=5)


# -- the rendered .docx ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx(quang_tri_annual_report())


@pytest.fixture(scope="module")
def rendered(docx_bytes: bytes):  # noqa: ANN201
    return docx.Document(io.BytesIO(docx_bytes))


def test_page_is_a4_portrait_with_the_decree_margins(rendered) -> None:  # noqa: ANN001
    section = rendered.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert mm(section.page_width) == pytest.approx(210, abs=0.5)
    assert mm(section.page_height) == pytest.approx(297, abs=0.5)
    assert mm(section.top_margin) == pytest.approx(20, abs=0.5)
    assert mm(section.bottom_margin) == pytest.approx(20, abs=0.5)
    assert mm(section.left_margin) == pytest.approx(30, abs=0.5)
    assert mm(section.right_margin) == pytest.approx(15, abs=0.5)


def test_every_run_is_times_new_roman(rendered) -> None:  # noqa: ANN001
    rpr_default = rendered.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr_default.find(qn("w:rFonts"))
    assert {rfonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {FONT}
    assert rfonts.get(qn("w:asciiTheme")) is None  # a theme font would override the explicit one
    runs = rendered.element.body.iter(qn("w:r"))
    checked = 0
    for r in runs:
        if r.find(qn("w:t")) is None:
            continue
        fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {FONT}
        checked += 1
    assert checked > 50


def test_header_table_left_column(rendered) -> None:  # noqa: ANN001
    first = next(body_children(rendered))
    assert first.__class__.__name__ == "Table", "the header block must open the document"
    left = first.cell(0, 0)
    texts = [p.text for p in left.paragraphs]
    assert texts[:2] == ["UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    authority, agency, rule = left.paragraphs[:3]
    assert_runs(authority, size=13, bold=False, italic=False)
    assert_runs(agency, size=13, bold=True, italic=False)
    for p in (authority, agency, rule):
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # The short rule is 1/3 to 1/2 of the agency line (mục I.2.2).
    agency_width = text_width_mm("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 13, bold=True)
    length = rule_length_mm(rule, cell_text_width(left))
    assert agency_width / 3 <= length <= agency_width / 2
    number = first.cell(1, 0).paragraphs[0]
    assert number.text == "Số: 136/BC-SKHCN"
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert_runs(number, size=13, bold=False, italic=False)


def test_header_table_right_column_and_date_line(rendered) -> None:  # noqa: ANN001
    header = next(body_children(rendered))
    right = header.cell(0, 1)
    national, motto, rule = right.paragraphs[:3]
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert_runs(national, size=12, bold=True, italic=False)
    assert_runs(motto, size=13, bold=True, italic=False)
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in (national, motto, rule))
    # The rule under the motto is as long as the motto (mục I.2.1).
    motto_width = text_width_mm(motto.text, 13, bold=True)
    assert rule_length_mm(rule, cell_text_width(right)) == pytest.approx(motto_width, abs=1.0)
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == "Quảng Trị, ngày 19 tháng 3 năm 2023"
    assert date.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert_runs(date, size=14, bold=False, italic=True)
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}, "the header table has no visible borders"


def test_document_type_and_excerpt(rendered) -> None:  # noqa: ANN001
    kind = paragraph_with(rendered, "BÁO CÁO")
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert_runs(kind, size=14, bold=True, italic=False)
    paragraphs = rendered.paragraphs
    index = [p._p for p in paragraphs].index(kind._p)
    excerpt, rule = paragraphs[index + 1], paragraphs[index + 2]
    assert excerpt.text == "Tình hình thực hiện công tác cải cách hành chính\nnăm 2023 của Sở Khoa học và Công nghệ"
    assert excerpt.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert_runs(excerpt, size=14, bold=True, italic=False)
    longest = text_width_mm("Tình hình thực hiện công tác cải cách hành chính", 14, bold=True)
    assert longest / 3 <= rule_length_mm(rule, 165) <= longest / 2


def test_body_paragraphs_are_justified_14pt_with_first_line_indent(rendered) -> None:  # noqa: ANN001
    p = next(p for p in rendered.paragraphs if p.text.startswith("Ngay từ đầu năm, Sở Khoa học"))
    assert effective(p, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert effective(p, "first_line_indent") == Cm(1.27)
    assert effective(p, "space_after") >= Pt(6)
    assert 1.0 <= effective(p, "line_spacing") <= 1.5
    assert_runs(p, size=14, bold=False, italic=False)
    item = next(p for p in rendered.paragraphs if p.text.startswith("- Đăng tải"))
    assert item.text == "- Đăng tải trên Cổng thông tin điện tử của Sở: 09 văn bản chỉ đạo về cải cách hành chính;"
    assert [r.italic for r in text_runs(item) if r.text == "09 văn bản"] == [True]
    assert effective(item, "first_line_indent") == Cm(1.27)
    assert any(p.text.startswith("+ Trong đó 01 bài") for p in rendered.paragraphs)


@pytest.mark.parametrize(
    ("text", "bold", "italic"),
    [
        ("I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", True, False),
        ("1. Công tác chỉ đạo, điều hành", True, False),
        ("a) Công tác chỉ đạo, điều hành thực hiện CCHC", True, True),
    ],
)
def test_outline_headings(rendered, text: str, bold: bool, italic: bool) -> None:  # noqa: ANN001
    heading = paragraph_with(rendered, text)
    assert_runs(heading, size=14, bold=bold, italic=italic)
    assert effective(heading, "keep_with_next")


def test_footnote_is_a_real_word_footnote(rendered) -> None:  # noqa: ANN001
    parts = [rel.target_part for rel in rendered.part.rels.values() if rel.reltype.endswith("/footnotes")]
    assert len(parts) == 1
    xml = parts[0].blob.decode("utf-8")
    assert 'w:type="separator"' in xml and 'w:type="continuationSeparator"' in xml
    assert FOOTNOTE in xml
    refs = list(rendered.element.body.iter(qn("w:footnoteReference")))
    assert len(refs) == 1
    note_id = refs[0].get(qn("w:id"))
    assert re.search(rf'<w:footnote w:id="{note_id}">.*?{re.escape(FOOTNOTE)}', xml)
    run = refs[0].getparent()
    assert run.find(qn("w:rPr")).find(qn("w:rStyle")).get(qn("w:val")) == "FootnoteReference"
    assert rendered.styles["Footnote Reference"].font.superscript
    # The mark follows "có 43 nhiệm vụ" in the paragraph text.
    paragraph = run.getparent()
    before = "".join(t.text for t in paragraph.iter(qn("w:t")) if t.getparent().getparent() is paragraph)
    assert before.startswith("Kế hoạch cải cách hành chính năm 2023 của Sở có 43 nhiệm vụ")


def test_signature_block_and_recipients(rendered) -> None:  # noqa: ANN001
    tables = [t for t in body_children(rendered) if t.__class__.__name__ == "Table"]
    signature = next(t for t in tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:")
    left, right = signature.cell(0, 0), signature.cell(0, 1)
    title, *recipients = left.paragraphs
    assert_runs(title, size=12, bold=True, italic=True)
    assert [p.text for p in recipients] == [
        "- Sở Nội vụ (B/c);",
        "- Văn phòng UBND tỉnh (B/c);",
        "- Các phòng, đơn vị thuộc Sở;",
        "- Lưu: VT, VP.",
    ]
    for p in recipients:
        assert_runs(p, size=11, bold=False, italic=False)
    lines = [p for p in right.paragraphs if p.text.strip()]
    assert [p.text for p in lines] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    for p in lines:
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert_runs(p, size=14, bold=True, italic=False)
    assert lines[2].paragraph_format.space_before >= Pt(60), "room for the signature and the seal"
    assert {b.get(qn("w:val")) for b in signature._tbl.tblPr.find(qn("w:tblBorders"))} == {"nil"}


def test_page_numbers_from_page_two(rendered) -> None:  # noqa: ANN001
    first = rendered.sections[0]
    assert first.different_first_page_header_footer
    assert "PAGE" not in first.first_page_header._element.xml
    instr = [el.text.strip() for el in first.header._element.iter(qn("w:instrText"))]
    assert instr == ["PAGE"]
    number = first.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(r.font.size == Pt(14) for r in number.runs)


def test_appendix_is_a_landscape_section_with_its_heading(rendered) -> None:  # noqa: ANN001
    assert len(rendered.sections) == 2
    appendix = rendered.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert mm(appendix.page_width) == pytest.approx(297, abs=0.5)
    assert mm(appendix.page_height) == pytest.approx(210, abs=0.5)
    assert mm(appendix.left_margin) == pytest.approx(30, abs=0.5)
    # Numbering continues on the appendix's first page.
    assert not appendix.different_first_page_header_footer
    assert appendix.header.is_linked_to_previous
    label = paragraph_with(rendered, "Phụ lục I")
    title = paragraph_with(rendered, "KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2023")
    reference = paragraph_with(
        rendered, "(Kèm theo Báo cáo số 136/BC-SKHCN ngày 19/3/2023 của Sở Khoa học và Công nghệ)"
    )
    for p in (label, title, reference):
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert_runs(label, size=14, bold=True, italic=False)
    assert_runs(title, size=14, bold=True, italic=False)
    assert_runs(reference, size=14, bold=False, italic=True)


def test_appendix_rating_table(rendered) -> None:  # noqa: ANN001
    table = rendered.tables[-1]
    assert table.cell(0, 0).text == "TT"
    assert table.cell(0, 3).text == "Đánh giá kết quả thực hiện"
    merged = table.rows[0]._tr.tc_lst[3]
    assert merged.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "4"
    assert [table.cell(1, c).text for c in range(3, 7)] == [
        "Hoàn thành tốt",
        "Hoàn thành",
        "Hoàn thành chậm",
        "Chưa hoàn thành",
    ]
    # Both header rows repeat on every page; the body rows do not.
    assert [r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table.rows[:3]] == [
        True,
        True,
        False,
    ]
    for c in range(8):
        for p in table.cell(1, c).paragraphs:
            for run in text_runs(p):
                assert run.bold and run.font.size == Pt(12)
    group = table.cell(2, 0)
    assert group.text == "I. Cải cách thể chế"
    assert text_runs(group.paragraphs[0])[0].bold
    first_task = table.rows[3]
    assert first_task.cells[1].text.startswith("Xây dựng kế hoạch")
    assert [first_task.cells[c].text for c in range(3, 7)] == ["X", "", "", ""]
    assert not text_runs(first_task.cells[1].paragraphs[0])[0].bold
    borders = {b.tag.split("}")[1]: b.get(qn("w:val")) for b in table._tbl.tblPr.find(qn("w:tblBorders"))}
    assert borders == {s: "single" for s in ("top", "left", "bottom", "right", "insideH", "insideV")}


def test_draft_without_number_date_footnotes_or_appendix() -> None:
    doc = AdministrativeDocument(
        parent_authority="UBND tỉnh Bà Rịa - Vũng Tàu",
        issuing_agency="Sở Khoa học và Công nghệ",
        symbol="BC-SKHCN",
        place="Bà Rịa - Vũng Tàu",
        document_type="Báo cáo",
        excerpt="Công tác cải cách hành chính Quý I năm 2023",
        year=2023,
        body=[Paragraph.of("Nội dung.")],
        signature=Signature(title="Giám đốc", name="Trần Văn B"),
        recipients=["Sở Nội vụ"],
        archive_unit="CCHC",
    )
    out = docx.Document(io.BytesIO(render_docx(doc)))
    header = out.tables[0]
    assert re.fullmatch(r"Số:\s{3,}/BC-SKHCN", header.cell(1, 0).paragraphs[0].text)
    assert re.fullmatch(r"Bà Rịa - Vũng Tàu, ngày\s+tháng\s+năm 2023", header.cell(1, 1).paragraphs[0].text)
    assert not [rel for rel in out.part.rels.values() if rel.reltype.endswith("/footnotes")]
    assert len(out.sections) == 1
    right = [p.text for p in out.tables[-1].cell(0, 1).paragraphs if p.text.strip()]
    assert right == ["GIÁM ĐỐC", "Trần Văn B"]


def test_official_letter_puts_its_excerpt_under_the_number() -> None:
    doc = quang_tri_annual_report()
    doc.document_type = ""
    doc.symbol = "SKHCN-VP"
    doc.excerpt = "V/v góp ý dự thảo Kế hoạch cải cách hành chính năm 2024"
    doc.appendices = []
    out = docx.Document(io.BytesIO(render_docx(doc)))
    left = [p.text for p in out.tables[0].cell(1, 0).paragraphs]
    assert left == ["Số: 136/SKHCN-VP", "V/v góp ý dự thảo Kế hoạch cải cách hành chính năm 2024"]
    assert not any(p.text == "BÁO CÁO" for p in out.paragraphs)


def test_table_widths_must_match_the_columns() -> None:
    doc = quang_tri_annual_report()
    doc.body = [Table(columns=["TT", "Nội dung"], rows=[["1", "a"]], widths=[1, 2, 3])]
    with pytest.raises(ValueError, match="2 columns but 3 widths"):
        render_docx(doc)


# -- PDF through LibreOffice -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_path(docx_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("CCHC_TEST_ARTIFACTS") or tmp_path_factory.mktemp("report-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "quangtri-sample.docx").write_bytes(docx_bytes)
    path = folder / "quangtri-sample.pdf"
    path.write_bytes(to_pdf(docx_bytes))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(path), str(folder / "page")], check=True)
    print(f"\nreport artifacts (docx, pdf, PNG of page 1): {folder}")
    return path


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]


def squash(text: str) -> str:
    return " ".join(text.split())


def test_pdf_text_has_the_header_footnote_and_appendix(pdf_path: Path) -> None:
    text = squash(pdftotext(pdf_path))
    for line in (
        "UBND TỈNH QUẢNG TRỊ",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 136/BC-SKHCN",
        "Quảng Trị, ngày 19 tháng 3 năm 2023",
        "BÁO CÁO",
        "Phụ lục I",
        "KẾT QUẢ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2023",
        "Đánh giá kết quả thực hiện",
        FOOTNOTE,
    ):
        assert line in text, line


def test_pdf_footnote_sits_at_the_bottom_of_page_one(pdf_path: Path) -> None:
    page1 = pdftotext(pdf_path, 1)
    lines = [squash(line) for line in page1.splitlines() if line.strip()]
    footnote_line = next(i for i, line in enumerate(lines) if "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022" in line)
    body_line = next(i for i, line in enumerate(lines) if line.startswith("Kế hoạch cải cách hành chính năm 2023"))
    assert footnote_line > body_line
    # The superscript number lands on its own text line or at the start of the note's line.
    assert lines[footnote_line].startswith("1 ") or lines[footnote_line - 1] == "1", "the footnote carries its number"
    assert footnote_line >= len(lines) - 3, "footnote text is at the foot of the page, not inline"


def test_pdf_pages_numbers_and_landscape_appendix(pdf_path: Path) -> None:
    pages = pdf_pages(pdf_path)
    assert len(pages) >= 2
    assert pages[0] == pytest.approx((595.3, 841.9), abs=1.5)
    assert pages[-1] == pytest.approx((841.9, 595.3), abs=1.5)
    first_line = next(line for line in pdftotext(pdf_path, 1).splitlines() if line.strip())
    assert "UBND TỈNH QUẢNG TRỊ" in first_line, "no page number on page 1"
    second = next(line for line in pdftotext(pdf_path, 2).splitlines() if line.strip())
    assert second.strip() == "2"
    assert (pdf_path.parent / "page-1.png").stat().st_size > 10_000


def test_pdf_error_when_libreoffice_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(PdfConversionError, match="Không tìm thấy LibreOffice"):
        to_pdf(b"PK")


def test_pdf_error_when_libreoffice_fails_or_hangs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = tmp_path / "failing-soffice"
    failing.write_text("#!/bin/sh\necho 'source file could not be loaded' >&2\nexit 1\n")
    failing.chmod(failing.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("CCHC_SOFFICE", str(failing))
    with pytest.raises(PdfConversionError, match="could not be loaded"):
        to_pdf(b"PK")
    hanging = tmp_path / "hanging-soffice"
    hanging.write_text("#!/bin/sh\nsleep 30\n")
    hanging.chmod(hanging.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("CCHC_SOFFICE", str(hanging))
    with pytest.raises(PdfConversionError, match="trong 1 giây"):
        to_pdf(b"PK", timeout=1)


# -- XLSX ------------------------------------------------------------------------------------------------------------


def test_tables_as_xlsx() -> None:
    rating = rating_table()
    rating.title = "Phụ lục I: Kết quả thực hiện kế hoạch CCHC năm 2023"
    figures = figures_table()
    figures.title = "Số liệu hồ sơ"
    figures.rows = [*figures.rows, ["5", "Tỷ lệ đúng hạn (%)", 96.6, 97]]
    book = openpyxl.load_workbook(io.BytesIO(table_to_xlsx([rating, figures])))
    assert book.sheetnames == ["Phụ lục I Kết quả thực hiện kế", "Số liệu hồ sơ"]
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Phụ lục I: Kết quả thực hiện kế hoạch CCHC năm 2023"
    assert sheet["A3"].value == "TT" and sheet["D3"].value == "Đánh giá kết quả thực hiện"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:H1", "D3:G3", "A3:A4", "A5:H5"} <= merged
    assert [sheet.cell(row=4, column=c).value for c in range(4, 8)] == [
        "Hoàn thành tốt",
        "Hoàn thành",
        "Hoàn thành chậm",
        "Chưa hoàn thành",
    ]
    header = sheet["D4"]
    assert header.font.bold and header.font.name == FONT
    assert header.border.left.style == "thin" and header.border.bottom.style == "thin"
    assert sheet["A5"].font.bold and sheet["A5"].value == "I. Cải cách thể chế"
    assert not sheet["B6"].font.bold and sheet["B6"].font.name == FONT
    assert sheet.freeze_panes == "A5"
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width
    numbers = book.worksheets[1]
    assert numbers["D7"].value == "01", "a padded count stays text as printed"
    assert numbers["C8"].value == 96.6 and numbers["D8"].value == 97, "numbers stay numbers"


def test_xlsx_needs_a_table() -> None:
    with pytest.raises(ValueError):
        table_to_xlsx([])
