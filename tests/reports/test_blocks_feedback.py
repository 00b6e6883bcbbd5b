"""The computed blocks for feedback (phản ánh, kiến nghị), the province's indices and the agency's staff: their
sentences for zero and non-zero figures, the period's cut-off days, one agency's figures only, and their place in
the built quarterly report."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document as open_docx

D = dt.date
NONE_Q1 = "Trong quý I năm 2023, Sở không nhận được phản ánh, kiến nghị nào về quy định TTHC."


def receive(agency, received_on, answered_on=None, *, not_in_scope=False):
    from cchc.feedback import services

    item = services.receive(agency, None, received_on=received_on, channel="cong_dvcqg", subject="Phản ánh")
    if answered_on:
        services.close(item, None, on=answered_on, answer="Đã trả lời.", not_in_scope=not_in_scope)
    return item


def quarterly(agency, period="2023-Q1"):
    from cchc.reports.services import create_report

    return create_report(agency, "cchc-quarterly", period, None)


def text_of(name, report, **options) -> list[str]:
    from cchc.reports.blocks import BlockContext, render_block

    return [item.plain_text for item in render_block(name, report, BlockContext(report, options))]


def docx_lines(report) -> list[str]:
    from cchc.reports.builder import build_docx

    return [p.text for p in open_docx(io.BytesIO(build_docx(report))).paragraphs]


# --- feedback ----------------------------------------------------------------------------------------------------


def test_no_feedback_in_the_period_is_one_sentence_saying_so(agency, other_agency):
    receive(other_agency, D(2023, 2, 1))  # another agency's feedback is not ours
    receive(agency, D(2023, 3, 15))  # the day after Q1's cut-off (Nghị định 09/2019)
    receive(agency, D(2022, 12, 1), D(2022, 12, 14))  # closed the day before Q1 starts
    assert text_of("feedback", quarterly(agency)) == [NONE_Q1]


def test_feedback_all_answered_on_time(agency):
    receive(agency, D(2022, 12, 15), D(2022, 12, 20))  # the first day of Q1
    receive(agency, D(2023, 2, 1), D(2023, 2, 10))
    receive(agency, D(2023, 3, 1), D(2023, 3, 14))  # answered on the last day, within 10 working days
    assert text_of("feedback", quarterly(agency)) == [
        "Trong quý I năm 2023, Sở tiếp nhận 03 phản ánh, kiến nghị, đã xử lý 03 (đúng hạn 03); "
        "không có phản ánh, kiến nghị quá hạn."
    ]


def test_feedback_late_out_of_remit_and_pending(agency):
    receive(agency, D(2023, 1, 2), D(2023, 2, 20))  # due 16/01: answered late
    receive(agency, D(2023, 2, 1), D(2023, 2, 2), not_in_scope=True)
    receive(agency, D(2023, 2, 6))  # due 20/02: overdue on 14/03
    receive(agency, D(2023, 3, 10))  # within its time on 14/03
    assert text_of("feedback", quarterly(agency)) == [
        "Trong quý I năm 2023, Sở tiếp nhận 04 phản ánh, kiến nghị, đã xử lý 02 (đúng hạn 01, quá hạn 01), "
        "trong đó 01 phản ánh, kiến nghị không thuộc phạm vi xử lý; đang xử lý 02 phản ánh, kiến nghị (01 quá hạn)."
    ]


def test_feedback_carried_over_from_the_previous_period(agency):
    receive(agency, D(2023, 3, 10))  # Q1, answered in Q2
    receive(agency, D(2023, 3, 13), D(2023, 3, 16))  # Q2 starts on 15/03 (Nghị định 09/2019)
    [text] = text_of("feedback", quarterly(agency, "2023-Q2"))
    assert text == (
        "Trong quý II năm 2023, Sở không tiếp nhận phản ánh, kiến nghị mới, đã xử lý 01 (đúng hạn 01); "
        "đang xử lý 01 phản ánh, kiến nghị (01 quá hạn)."
    )


# --- indices -----------------------------------------------------------------------------------------------------


def put(code, province, year, score, *, agency=None, rank=None, rank_of=None, max_score=None):
    from cchc.indicators.models import Indicator, IndicatorValue

    return IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        province=province,
        agency=agency,
        year=year,
        score=Decimal(score),
        rank=rank,
        rank_of=rank_of,
        max_score=max_score,
    )


def test_indicators_of_the_most_recent_year(agency, province, other_province):
    put("PII", province, 2022, "36.20", rank=40, rank_of=63)
    put("PII", province, 2023, "38.50", rank=35, rank_of=63)
    put("PII", province, 2024, "40")  # after the report's year
    put("PAR_INDEX", province, 2022, "85.12", rank=12, rank_of=63)
    put("PAPI", other_province, 2023, "45")  # another province
    put("PAPI", province, 2023, "92.5", agency=agency, rank=3, max_score=Decimal("100"))
    assert text_of("indicators", quarterly(agency)) == [
        "- Chỉ số cải cách hành chính (PAR Index) năm 2022 của tỉnh đạt 85,12 điểm, xếp hạng 12/63.",
        "- Chỉ số PII năm 2023 của tỉnh đạt 38,5 điểm, xếp hạng 35/63.",
        "- Chỉ số PAPI năm 2023 của Sở đạt 92,5/100 điểm, xếp thứ 3.",
    ]
    assert text_of("indicators", quarterly(agency), codes=["PII"]) == [
        "- Chỉ số PII năm 2023 của tỉnh đạt 38,5 điểm, xếp hạng 35/63."
    ]


def test_indicators_missing(agency, province):
    put("PII", province, 2024, "40")
    assert text_of("indicators", quarterly(agency)) == [
        "- Chưa có kết quả các chỉ số PAR Index, PAPI, PII của tỉnh trong hệ thống cchc."
    ]


# --- staff -------------------------------------------------------------------------------------------------------


def test_staff_figures_and_zero_recruitment(agency, other_agency):
    from cchc.indicators.models import StaffCount

    StaffCount.objects.create(agency=agency, year=2023, approved_posts=35, present=32, recruited=0, trained=12)
    StaffCount.objects.create(agency=other_agency, year=2023, approved_posts=9, present=9, recruited=4, trained=0)
    assert text_of("staff", quarterly(agency)) == [
        "- Biên chế được giao năm 2023: 35 người; số hiện có: 32 người (chưa sử dụng 03 biên chế); "
        "tuyển dụng trong năm: không; cử đào tạo, bồi dưỡng: 12 lượt công chức, viên chức."
    ]
    assert text_of("staff", quarterly(other_agency)) == [
        "- Biên chế được giao năm 2023: 09 người; số hiện có: 09 người; "
        "tuyển dụng trong năm: 04 người; cử đào tạo, bồi dưỡng: không."
    ]
    assert text_of("staff", quarterly(agency, "2024-Q1")) == [
        "- Chưa có số liệu biên chế năm 2024 của Sở trong hệ thống cchc."
    ]


# --- the built report --------------------------------------------------------------------------------------------


def test_quarterly_report_places_feedback_and_staff_under_their_headings(agency):
    from cchc.indicators.models import StaffCount

    receive(agency, D(2023, 2, 1), D(2023, 2, 3))
    StaffCount.objects.create(agency=agency, year=2023, approved_posts=35, present=35, recruited=1, trained=3)
    lines = docx_lines(quarterly(agency))
    feedback_heading = next(i for i, line in enumerate(lines) if "Kết quả tiếp nhận, xử lý phản ánh, kiến nghị" in line)
    assert lines[feedback_heading + 1] == (
        "Trong quý I năm 2023, Sở tiếp nhận 01 phản ánh, kiến nghị, đã xử lý 01 (đúng hạn 01); "
        "không có phản ánh, kiến nghị quá hạn."
    )
    civil_service = lines.index("4. Cải cách chế độ công vụ")
    assert lines[civil_service + 1] == (
        "- Biên chế được giao năm 2023: 35 người; số hiện có: 35 người; tuyển dụng trong năm: 01 người; "
        "cử đào tạo, bồi dưỡng: 03 lượt công chức, viên chức."
    )


@pytest.mark.django_db
def test_stored_builtin_template_is_refreshed_with_the_new_blocks():
    from cchc.reports.models import ReportTemplate
    from cchc.reports.templates_registry import ensure_builtin_templates

    ensure_builtin_templates()
    stored = ReportTemplate.objects.get(agency=None, slug="cchc-quarterly")
    stale = [{**section, "block": [b for b in section["block"] if b not in ("feedback", "staff")]}
             for section in stored.outline]  # fmt: skip
    ReportTemplate.objects.filter(pk=stored.pk).update(outline=stale)
    ensure_builtin_templates()
    blocks = {section["key"]: section["block"] for section in ReportTemplate.objects.get(pk=stored.pk).outline}
    assert blocks["results.procedures.feedback"] == ["feedback"]
    assert blocks["results.civil_service"] == ["staff"]
