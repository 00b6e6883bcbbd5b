"""The report engine's block for the PAR Index: "Chỉ số CCHC năm 2023 của Sở đạt 86,25 điểm, xếp thứ 3/19, xếp loại
Tốt." from the agency's final result (the council's, on its score sheet); without one, the agency's typed PAR Index
value (cchc.indicators); without either, a sentence saying there is none. Registered when the app is ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.indicators.services import decimal_text
from cchc.reports.blocks import BlockContext, RenderBlock, block
from cchc.reports.rendering import Paragraph
from cchc.reports.wording import agency_word, indicator_sentence

from .results import PAR_INDEX, FinalResult, final_result


def result_sentence(result: FinalResult, who: str, *, with_tier: bool = True) -> str:
    points = decimal_text(result.points)
    text = f"Chỉ số CCHC năm {result.year} của {who} đạt {points} điểm, xếp thứ {result.rank}/{result.of}"
    if with_tier and result.tier:
        text += f", xếp loại {result.tier}"
    return text + "."


@block("par_index_result", _("Kết quả Chỉ số CCHC của cơ quan (từ bảng điểm đã thẩm định)"))
def par_index_result(report, context: BlockContext) -> list[RenderBlock]:
    """Options: "tier" (default true) adds the tier."""
    who = agency_word(report.agency)
    result = final_result(report.agency, report.year)
    if result is not None:
        return [Paragraph.of(f"- {result_sentence(result, who, with_tier=context.options.get('tier', True))}")]
    from cchc.indicators.services import value_for

    if report.agency.province_id:
        typed = value_for(PAR_INDEX, report.agency.province_id, report.year, agency=report.agency)
        if typed is not None:
            return [Paragraph.of(f"- {indicator_sentence(typed, 'của ' + who)}")]
    return [Paragraph.of(f"- Chưa có kết quả Chỉ số CCHC của {who} trong hệ thống cchc.")]
