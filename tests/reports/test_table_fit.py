"""Table headers in the PDF never break inside a word (issue 7: the Biểu 06 header printed "Tồn g số",
"Trự c tuyế n"): the .docx renderer fits column widths and header size to the longest word of each header, measured
with Liberation Serif's metrics, the font LibreOffice prints Times New Roman with.

The check is on the real PDF: LibreOffice converts the .docx, `pdftotext -bbox-layout` lists every word it printed,
and every word of every table header must be among them as often as the .docx holds it (a word broken across two
lines comes out as two pieces, so the whole word goes missing)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from cchc.reports.rendering import (
    AdministrativeDocument,
    Appendix,
    Paragraph,
    Signature,
    Table,
    fontmetrics,
    render_docx,
    to_pdf,
)
from cchc.reports.rendering.tablefit import CELL_MARGIN_MM, fit_table, longest_word_mm

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PORTRAIT_TEXT_MM = 210 - 30 - 15
LANDSCAPE_TEXT_MM = 297 - 30 - 15


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def template_tables(agency, other_agency, procedure, make_user, officer):
    """Every table the built-in templates print, from the real blocks: Biểu 06 (13 columns), the aggregator's
    roll-up (14 columns, the widest), the plan-rating appendix and the focal-task appendix."""
    from cchc.dossiers.models import Dossier
    from cchc.plans.models import PlanKind
    from cchc.plans.services import create_plan, create_task
    from cchc.reports import services
    from cchc.reports.blocks import BlockContext, render_block

    for n in range(1, 4):
        received = D(2023, 1, 4 + n)
        Dossier.objects.create(
            agency=agency, procedure=procedure, code=f"A{n}", applicant_name=f"Chủ hồ sơ {n}", channel=n,
            received_at=_at(received), received_on=received, due_at=_at(D(2023, 2, 1), 17), due_date=D(2023, 2, 1),
            status="in_process",
        )  # fmt: skip
    plan = create_plan(agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="Kế hoạch CCHC năm 2023", actor=officer)
    group = create_task(plan, code="I", content="Cải cách thủ tục hành chính", actor=officer)
    create_task(plan, parent=group, code="1", content="Rà soát, đơn giản hóa thủ tục hành chính", deadline="Quý I/2023")
    focal = create_plan(agency, kind=PlanKind.FOCAL_TASKS, year=2023, title="Nhiệm vụ trọng tâm 2023", actor=officer)
    create_task(focal, code="1", content="Triển khai chữ ký số trong gửi, nhận văn bản", deadline="Tháng 3/2023")

    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", None)
    context = BlockContext(report)
    tables = [item for item in render_block("dossier_results", report, context.with_options({"table": True}))]
    tables += render_block("plan_appendix_rating", report, context.with_options({"plan_kind": "cchc"}))
    tables += render_block("focal_tasks_appendix", report, context.with_options({"plan_kind": "focal"}))
    make_user("tonghop", other_agency, "aggregator")
    summary = services.create_report(other_agency, "rollup-summary", "2023-Q1", None)
    tables += render_block("rollup_table", summary, BlockContext(summary).with_options({"parts": ["table"]}))
    tables = [item for item in tables if isinstance(item, Table)]
    assert len(tables) == 4
    assert max(t.column_count for t in tables) == 14
    return tables


def _document(tables: list[Table]) -> AdministrativeDocument:
    """Each table in the portrait body, and again in a portrait and a landscape appendix."""
    body: list = []
    for table in tables:
        body += [Paragraph.of("Bảng số liệu:"), table]
    return AdministrativeDocument(
        parent_authority="UBND tỉnh Quảng Trị", issuing_agency="Sở Khoa học và Công nghệ", symbol="BC-SKHCN",
        place="Quảng Trị", document_type="Báo cáo", excerpt="Bảng của các mẫu báo cáo", year=2023, body=body,
        signature=Signature(title="Giám đốc", name=""),
        appendices=[
            Appendix(title="Các bảng trên trang dọc", blocks=list(tables), numeral="I", landscape=False),
            Appendix(title="Các bảng trên trang ngang", blocks=list(tables), numeral="II", landscape=True),
        ],
    )  # fmt: skip


def _header_words(tables: list[Table]) -> Counter:
    words: Counter = Counter()
    for table in tables:
        for row in table.header_rows:
            for cell in row:
                words.update(cell.plain_text.split())
    return words


def _docx_words(data: bytes) -> Counter:
    """Every word of the .docx body: paragraphs and table cells (the page header's number field is not body)."""
    body = open_docx(io.BytesIO(data)).element.body
    words: Counter = Counter()
    for paragraph in body.iter(qn("w:p")):
        words.update("".join(t.text or "" for t in paragraph.iter(qn("w:t"))).split())
    return words


def _pdf_words(pdf: bytes, tmp_path: Path) -> Counter:
    """The words `pdftotext -bbox-layout` finds, each one whole on its line."""
    path = tmp_path / "tables.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return Counter(html.unescape(word) for word in re.findall(r"<word [^>]*>([^<]*)</word>", out))


def _broken(tables: list[Table], docx_bytes: bytes, pdf_words: Counter) -> dict[str, tuple[int, int]]:
    expected = _docx_words(docx_bytes)
    return {
        word: (pdf_words[word], expected[word]) for word in _header_words(tables) if pdf_words[word] < expected[word]
    }


needs_pdf_tools = pytest.mark.skipif(
    shutil.which("pdftotext") is None or not fontmetrics.have_fonts(),
    reason="pdftotext (poppler-utils) or Liberation Serif (fonts-liberation) is not installed",
)


@needs_pdf_tools
def test_no_header_word_of_any_template_table_breaks_in_the_pdf(template_tables, tmp_path):
    docx_bytes = render_docx(_document(template_tables))
    words = _pdf_words(to_pdf(docx_bytes), tmp_path)
    assert words["Tổng"] >= 3 and words["tuyến"] >= 3  # the PDF was read: Biểu 06 headers in all three places
    assert _broken(template_tables, docx_bytes, words) == {}


@needs_pdf_tools
def test_biểu_06_with_four_digit_counts_on_portrait_keeps_header_words_and_numbers_whole(tmp_path):
    """The defect's own table: 13 columns of Biểu 06 in the portrait body of a quarterly report."""
    from cchc.reports.blocks import dossier_table
    from cchc.statistics.periods import parse_period
    from cchc.statistics.service import DossierFigures, PeriodStatistics, ProcedureFigures

    figures = DossierFigures(
        carried_over=112, received_online=4321, received_direct=1056, received_postal=17, resolved_early=3800,
        resolved_on_time=1300, resolved_late=15, in_progress_within=340, in_progress_overdue=31,
    )  # fmt: skip
    by_field = [("Năng lượng nguyên tử, an toàn bức xạ và hạt nhân", figures), ("Sở hữu trí tuệ", figures)]
    period = parse_period("2023-Q1")
    table = dossier_table(PeriodStatistics(period, figures, ProcedureFigures(), by_field, [], as_of=period.end))
    document = _document([table])
    document.appendices = []
    docx_bytes = render_docx(document)
    words = _pdf_words(to_pdf(docx_bytes), tmp_path)
    assert _broken([table], docx_bytes, words) == {}
    for number in ("4321", "5506", "5115"):  # online; received total (carried over + new); resolved
        assert words[number] == 3, number


def test_widths_give_every_column_its_longest_word_and_still_fill_the_line():
    table = Table(
        header=[["TT", "Lĩnh vực giải quyết", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước"]],
        rows=[["1", "Khoa học", "1234", "56", "7"]],
        widths=[8, 46, 14, 14, 14],
        font_size=13,
    )
    fit = fit_table(table, 100, 5)
    assert sum(fit.widths_mm) == pytest.approx(100)
    for column, header in enumerate(table.header[0]):
        need = longest_word_mm(header, fit.header_pt, bold=True) + 2 * CELL_MARGIN_MM
        assert fit.widths_mm[column] >= need, header
    assert fit.body_pt == 13


def test_a_header_too_wide_at_its_size_is_set_smaller_and_a_spanning_header_gets_room():
    words = ["Trướchạn", "Đúnghạn", "Quáhạn", "Trongsốđó"]
    table = Table(
        header=[[_span("Kết quả giải quyết", 4)], words], rows=[["1", "2", "3", "4"]], widths=[1, 1, 1, 1],
        font_size=14,
    )  # fmt: skip
    fit = fit_table(table, 60, 4)
    assert fit.header_pt < 14
    for column, word in enumerate(words):
        assert fit.widths_mm[column] >= longest_word_mm(word, fit.header_pt, bold=True) + 2 * CELL_MARGIN_MM


def _span(text: str, columns: int):
    from cchc.reports.rendering import Cell

    return Cell(text, colspan=columns)


def test_vietnamese_horned_letters_are_measured_wider_than_their_base_letters():
    if not fontmetrics.have_fonts():
        pytest.skip("Liberation Serif (fonts-liberation) is not installed: the fallback measures base letters")
    assert fontmetrics.width_em("ư") > fontmetrics.width_em("u")
    assert fontmetrics.width_em("Trực tuyến", bold=True) > fontmetrics.width_em("Truc tuyen", bold=True)


def test_font_files_are_read_from_the_configured_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_FONT_DIR", str(tmp_path))
    fontmetrics.font.cache_clear()
    try:
        source = next((Path(d) / "LiberationSerif-Regular.ttf" for d in fontmetrics.FONT_DIRS
                       if (Path(d) / "LiberationSerif-Regular.ttf").is_file()), None)  # fmt: skip
        if source is None:
            pytest.skip("Liberation Serif (fonts-liberation) is not installed")
        (tmp_path / "LiberationSerif-Regular.ttf").write_bytes(b"not a font")
        # A broken file in the configured folder is passed over for the installed one.
        assert fontmetrics.font() is not None
        assert fontmetrics.width_em("0") == pytest.approx(0.5)
    finally:
        fontmetrics.font.cache_clear()
