"""What leaves the sheet: the XLSX, the self-assessment report, `cchc par ...`, the report block quoting the final
result and the final result replacing the typed PAR Index value."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx import Document as Docx

from cchc.parindex import proposals, scores, sheets
from cchc.parindex.outputs import report, tables
from cchc.parindex.presenter import read_sheet
from cchc.parindex.workflow import Move

D = Decimal


def prepare(sheet, users, score_of, *, publish=False):
    """Self 1.1 = 2 (cchc's), 1.2 = 1 (no evidence, explained), 2.1 = 3; round 1 lowers 1.2 to 0,5 and gives the
    survey 2,5; round 2 keeps it; the council publishes."""
    officer, lead, justice = users["officer"], users["lead"], users["justice"]
    proposals.refresh(sheet)
    scores.save_self(score_of(sheet, "1.1"), officer, points=None, accept=True)
    scores.add_evidence(score_of(sheet, "1.1"), officer, kind="link", title="Kế hoạch 64/KH-SKHCN",
                        url="https://vi-du.gov.vn/kh64.pdf")  # fmt: skip
    scores.save_self(score_of(sheet, "1.2"), officer, points=D("1"), note="Kiểm tra lồng ghép, chưa có biên bản riêng")
    scores.save_self(score_of(sheet, "2.1"), officer, points=None, accept=True)
    scores.add_evidence(score_of(sheet, "2.1"), officer, kind="link", title="Biểu 06", url="https://vi-du.gov.vn/b06")
    sheets.move(sheet, officer, Move.LOCK_SELF)
    if not publish:
        return sheet
    sheets.move(sheet, lead, Move.START_ROUND1)
    scores.appraise(score_of(sheet, "1.2"), lead, points=D("0.5"), note="Thiếu biên bản")
    scores.appraise(score_of(sheet, "8.1"), lead, points=D("2.5"))
    scores.appraise(score_of(sheet, "2.1"), justice, points=D("3"))
    sheets.move(sheet, lead, Move.CLOSE_ROUND1)
    sheets.move(sheet, lead, Move.FINISH_EXPLANATION)
    sheets.move(sheet, lead, Move.CLOSE_ROUND2)
    return sheets.move(sheet, lead, Move.PUBLISH, decision="Quyết định số 456/QĐ-UBND ngày 20/3/2024")


def test_the_sheet_as_xlsx_has_every_item_the_three_columns_and_the_totals(sheet, score_of, province_world):
    prepare(sheet, province_world["users"], score_of, publish=True)
    book = openpyxl.load_workbook(io.BytesIO(tables.sheet_xlsx(read_sheet(sheet))))
    rows = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert "Bảng điểm Chỉ số CCHC năm 2023" in rows[0][0]
    header = rows[2]
    assert header[:7] == ["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "cchc đề xuất", "Tự chấm",
                          "Thẩm định lần 1", "Thẩm định lần 2"]  # fmt: skip
    by_code = {row[0]: row for row in rows[3:] if row[0]}
    assert by_code["1.1"][2:7] == [2, 2, 2, 2, 2]
    assert by_code["1.2"][4:7] == [1, 0.5, 0.5] and by_code["1.2"][7] == 0
    assert by_code["1"][4:7] == [3, 2.5, 2.5]
    points = next(row for row in rows if row[0] == "Điểm đạt được")
    assert points[4:7] == [6, 8, 8]  # 2 + 0,5 + 3 + survey 2,5


def test_the_self_assessment_report_names_the_result_and_the_items_without_evidence(sheet, score_of, province_world):
    prepare(sheet, province_world["users"], score_of)
    document = Docx(io.BytesIO(report.report_docx(read_sheet(sheet))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm 2023" in text
    assert "Căn cứ Quyết định số 123/QĐ-UBND ngày 10/01/2023" in text
    assert "Tổng điểm tự đánh giá của Sở: 6/10 điểm, Chỉ số CCHC tự đánh giá đạt 60 %" in text
    assert "Tiêu chí 1.2 (Kiểm tra CCHC, 1 điểm): Kiểm tra lồng ghép, chưa có biên bản riêng" in text
    assert "Có 2 tiêu chí được hệ thống cchc đề xuất điểm" in text and "2 tiêu chí tự chấm theo đề xuất" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Phụ lục" in text or any("Phụ lục" in p.text for p in document.paragraphs)
    assert "2.1" in cells and "Hồ sơ giải quyết đúng hạn" in cells


@pytest.mark.slow
def test_the_report_converts_to_pdf(sheet, score_of, province_world):
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    prepare(sheet, province_world["users"], score_of)
    assert report.report_pdf(read_sheet(sheet)).startswith(b"%PDF")


def test_par_show_prints_totals_and_one_entry_per_item(sheet, score_of, province_world):
    prepare(sheet, province_world["users"], score_of, publish=True)
    out = StringIO()
    call_command("par", "show", "--agency", "SKHCN", "--province", "H45", "--year", "2023", "--format", "json",
                 stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["totals"]["points"] == 8 and data["totals"]["index"] == 80 and data["totals"]["tier"] == "Khá"
    entries = {entry["code"]: entry for entry in data["items"]}
    assert set(entries) == {"1", "1.1", "1.2", "2", "2.1", "8", "8.1", "T", "T.1", "T.2", "TR", "TR.1"}
    assert entries["1.1"] == {"code": "1.1", "title": "Ban hành kế hoạch CCHC đúng hạn", "max": 2, "self": 2,
                              "round1": 2, "round2": 2, "proposed": 2, "evidence": 1,
                              "proposal_reason": "Ngày 30/12/2022, đúng hạn 31/12/2022 → 2 điểm"}  # fmt: skip
    assert entries["1.2"]["proposed"] is None and entries["1.2"]["round1"] == 0.5
    assert entries["1"]["evidence"] == 1 and entries["8.1"]["self"] is None


def test_par_export_writes_the_sheet(sheet, score_of, province_world, tmp_path):
    prepare(sheet, province_world["users"], score_of)
    target = tmp_path / "bang-diem.xlsx"
    out = StringIO()
    call_command("par", "export", "--agency", "SKHCN", "--province", "H45", "--year", "2023", "-o", str(target),
                 stdout=out)  # fmt: skip
    assert target.exists() and "Đã ghi" in out.getvalue()
    with pytest.raises(CommandError, match="chưa có bảng điểm năm 2023"):
        call_command("par", "export", "--agency", "STP", "--year", "2023", "-o", str(target))
    with pytest.raises(CommandError, match="Có nhiều cơ quan mã"):
        call_command("par", "export", "--agency", "SKHCN", "--year", "2023", "-o", str(target))


def test_par_import_framework_and_its_errors(tiny, province_world, tmp_path):
    from cchc.parindex.io import framework_xlsx
    from cchc.parindex.models import Framework

    good = tmp_path / "bo-tieu-chi.xlsx"
    good.write_bytes(framework_xlsx.export_framework(tiny))
    out = StringIO()
    call_command("par", "import-framework", str(good), "--province", "H45", "--year", "2024", stdout=out)
    assert "12 mục" in out.getvalue()
    assert Framework.objects.get(year=2024).items.count() == 12
    with pytest.raises(CommandError, match="đã có bộ tiêu chí năm 2024"):
        call_command("par", "import-framework", str(good), "--province", "H45", "--year", "2024")
    with pytest.raises(CommandError, match="Không có tỉnh"):
        call_command("par", "import-framework", str(good), "--province", "H99", "--year", "2025")


def test_par_load_default_copies_the_template_for_a_province(province_world):
    from cchc.parindex.models import Framework

    out = StringIO()
    call_command("par", "load-default", "--province", "H45", "--year", "2023", stdout=out)
    copy = Framework.objects.get(province=province_world["province"], year=2023)
    assert copy.is_template and copy.items.count() == Framework.objects.get(province=None).items.count()


def test_the_report_block_quotes_the_final_result_instead_of_the_typed_value(sheet, tiny, score_of, province_world):
    from cchc.indicators.models import Indicator, IndicatorValue
    from cchc.indicators.services import value_for
    from cchc.reports import services
    from cchc.reports.blocks import BlockContext, render_block

    science = province_world["science"]
    IndicatorValue.objects.create(indicator=Indicator.objects.get(code="PAR_INDEX"), province=science.province,
                                  agency=science, year=2023, score=D("80.5"), rank=7, rank_of=19)  # fmt: skip
    draft = services.create_report(science, "cchc-annual", "2024", province_world["users"]["officer"])
    typed = render_block("par_index_result", draft, BlockContext(draft))[0].plain_text
    assert typed == "- Chỉ số cải cách hành chính (PAR Index) năm 2023 của Sở đạt 80,5 điểm, xếp hạng 7/19."
    other = sheets.open_sheet(tiny, province_world["justice"], province_world["users"]["lead"])
    prepare(sheet, province_world["users"], score_of, publish=True)
    assert other.pk
    quoted = render_block("par_index_result", draft, BlockContext(draft))[0].plain_text
    assert quoted == "- Chỉ số CCHC năm 2023 của Sở đạt 8 điểm, xếp thứ 1/2, xếp loại Khá."
    value = value_for("PAR_INDEX", science.province_id, 2024, agency=science)
    assert (value.score, value.max_score, value.rank, value.rank_of) == (D("8.00"), D("10.00"), 1, 2)
    assert value.source == "Quyết định số 456/QĐ-UBND ngày 20/3/2024"
    # A typed value of a later year than the final result still wins: it is newer.
    IndicatorValue.objects.create(indicator=Indicator.objects.get(code="PAR_INDEX"), province=science.province,
                                  agency=science, year=2024, score=D("90"))  # fmt: skip
    assert value_for("PAR_INDEX", science.province_id, 2024, agency=science).score == D("90")
