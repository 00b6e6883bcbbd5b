"""The roll-up block of the report engine: an aggregator's report shows who reported, the members' totals and their
table. Registered in the engine's block registry when the app is ready (apps.py), so the engine never imports the
aggregator's side."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext_lazy as _

from cchc.reports.blocks import BlockContext, RenderBlock, block
from cchc.reports.models import Report
from cchc.reports.rendering import Paragraph
from cchc.reports.wording import decimal_comma

from .rollup import as_document_table, rollup_table
from .submissions import is_aggregator
from .wording import rollup_submissions_sentence, rollup_totals_sentences

ROLLUP_PARTS = ("submissions", "totals", "table")


def rollup_for(report: Report, context: BlockContext):
    """The roll-up of the report's agency for the report's period, once per build."""
    if "rollup" not in context.cache:
        context.cache["rollup"] = rollup_table(report.agency, context.period)
    return context.cache["rollup"]


@block("rollup_table", _("Bảng tổng hợp số liệu các cơ quan"))
def rollup_summary(report: Report, context: BlockContext) -> list[RenderBlock]:
    """For an aggregator (Sở Nội vụ, UBND tỉnh, a ministry): who reported, the totals, and the table of its members,
    each row computed by cchc or as reported (rollup.py). Options: "parts", a subset of ROLLUP_PARTS in order."""
    if not is_aggregator(report.agency):
        return [Paragraph.of(f"{report.agency.name} chưa được khai báo là cơ quan tổng hợp báo cáo của các cơ quan "
                             "khác, nên chưa có bảng tổng hợp.")]  # fmt: skip
    table = rollup_for(report, context)
    if not table.rows:
        return [Paragraph.of(f"{report.agency.name} chưa có cơ quan thành viên gửi báo cáo.")]
    parts = [part for part in context.options.get("parts", ROLLUP_PARTS) if part in ROLLUP_PARTS]
    out: list[RenderBlock] = []
    for part in parts:
        if part == "submissions":
            out.append(Paragraph.of(f"- {rollup_submissions_sentence(table)}"))
        elif part == "totals":
            out.extend(Paragraph.of(f"- {text}") for text in rollup_totals_sentences(table))
        elif part == "table":
            document_table = as_document_table(table)
            columns = len(document_table.columns)
            out.append(
                dataclasses.replace(
                    document_table,
                    rows=[[decimal_comma(value) for value in row] for row in document_table.rows],
                    widths=[8, 48, *([16] * (columns - 4)), 24, 18],
                    aligns=["center", "left", *(["center"] * (columns - 2))],
                    font_size=10,
                )
            )
    return out
