"""The index's report block: the QĐ 766 service index of the report's agency for the calendar period matching the
report's period (a quarterly report of Quý I/2023 under Nghị định 09 shows the index of 01/01–31/03/2023, the
national portal's period). Registered in the engine's block registry when the app is ready (apps.py), so the
engine never imports this app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.reports.blocks import BlockContext, RenderBlock, block
from cchc.reports.models import Report
from cchc.reports.rendering import Cell, Paragraph, Table
from cchc.reports.wording import period_phrase

from . import pickers, service
from .formatting import percent, points


def index_for(report: Report, context: BlockContext) -> service.IndexResult:
    """The index of the report's agency, once per build."""
    if "index766" not in context.cache:
        period = pickers.calendar_period(context.period)
        context.cache["index766"] = service.compute(period, agencies=[report.agency])
    return context.cache["index766"]


def summary_sentence(result: service.IndexResult) -> str:
    groups = "; ".join(f"{g.name.lower()} {points(g.points)}/{points(g.max_points)} điểm" for g in result.groups)
    period = result.period
    when = period_phrase(period)
    span = f"từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"
    as_of = "" if result.has_ended else f", số liệu tính đến ngày {result.as_of:%d/%m/%Y}"
    return (
        f"Chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg, tính từ dữ liệu hồ sơ, thủ tục và phản "
        f"ánh, kiến nghị của cơ quan ({when}, {span}{as_of}): đạt {points(result.total)}/"
        f"{points(result.max_points)} điểm, gồm {groups}."
    )


def index_table(result: service.IndexResult) -> Table:
    rows: list[list] = []
    bold: list[int] = []
    for group in result.groups:
        bold.append(len(rows))
        rows.append([Cell(group.name, colspan=3, bold=True), points(group.points), points(group.max_points)])
        for i in group.indicators:
            imported = " (số liệu Cổng DVCQG)" if i.origin == service.IMPORTED_ORIGIN and i.state == "scored" else ""
            rows.append([i.code, f"{i.name}{imported}",
                         f"{points(i.numerator)}/{points(i.denominator)} ({percent(i.percent)})",
                         points(i.points), points(i.max_points)])  # fmt: skip
    rows.append([Cell("Tổng cộng", colspan=3, bold=True), points(result.total), points(result.max_points)])
    bold.append(len(rows) - 1)
    return Table(
        columns=["Mã", "Chỉ số", "Tử số/mẫu số (tỷ lệ)", "Điểm", "Tối đa"],
        rows=rows,
        widths=[12, 80, 36, 16, 16],
        aligns=["center", "left", "center", "center", "center"],
        bold_rows=bold,
        font_size=11,
    )


@block("service_index_766", _("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"))
def service_index_766(report: Report, context: BlockContext) -> list[RenderBlock]:
    """The total and the six groups in a sentence; with the option "table" (default true) the table of every
    indicator with its count and points."""
    result = index_for(report, context)
    out: list[RenderBlock] = [Paragraph.of(summary_sentence(result))]
    if context.options.get("table", True):
        out.append(index_table(result))
    return out
