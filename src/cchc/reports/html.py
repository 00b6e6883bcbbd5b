"""Rendering blocks (the same objects the .docx is made of) as HTML: the editor's preview of computed figures and
the previews kept with a frozen report (freeze.py). Every piece of text is escaped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from cchc.reports.rendering import Footnote, Paragraph, Run, Table
from cchc.reports.rendering.document import layout_grid


@dataclass
class _Notes:
    """Footnotes met while rendering one section, numbered in order, listed under it as the .docx prints them."""

    items: list[str] = field(default_factory=list)


def _inline_html(parts: list[Any], notes: _Notes) -> str:
    out = []
    for part in parts:
        if isinstance(part, Footnote):
            notes.items.append(part.text)
            number = len(notes.items)
            out.append(format_html('<sup class="fn" title="{}">{}</sup>', part.text, number))
        elif isinstance(part, Run):
            text = escape(part.text)
            if part.bold:
                text = f"<strong>{text}</strong>"
            if part.italic:
                text = f"<em>{text}</em>"
            if part.underline:
                text = f"<u>{text}</u>"
            out.append(text)
    return "".join(out)


def _table_html(table: Table, notes: _Notes) -> str:
    bold_rows = set(table.bold_rows)
    aligns = list(table.aligns or [])

    def cells(row, tag: str, bold: bool = False) -> str:
        # The column of each cell is where layout_grid placed it (spans shift the later cells).
        html = []
        for cell in row:
            attrs = ""
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            column = cell_columns.get(id(cell), len(aligns))
            align = cell.align or (aligns[column] if column < len(aligns) else None)
            if align and tag == "td":
                attrs += f' class="al-{align}"'
            content = _inline_html(cell.runs, notes)
            if bold or cell.bold:
                content = f"<strong>{content}</strong>"
            html.append(f"<{tag}{attrs}>{content}</{tag}>")
        return "<tr>" + "".join(html) + "</tr>"

    header, body = table.header_rows, table.body_rows
    cell_columns: dict[int, int] = {}
    for rows in (header, body):
        for line in layout_grid(rows) if rows else []:
            for slot in line:
                if slot is not None:
                    cell_columns.setdefault(id(slot[0]), slot[2])
    parts = ['<div class="table-wrap"><table class="table--compact report-table">']
    if table.title:
        parts.append(f"<caption>{escape(table.title)}</caption>")
    widths = list(table.widths or [])
    if widths and len(widths) == table.column_count and sum(widths) > 0:
        # The same proportions as the .docx columns, so the text column is not squeezed to one word a line.
        total = sum(widths)
        parts.append(
            "<colgroup>" + "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in widths) + "</colgroup>"
        )
    if header:
        parts.append("<thead>" + "".join(cells(row, "th") for row in header) + "</thead>")
    parts.append(
        "<tbody>" + "".join(cells(row, "td", index in bold_rows) for index, row in enumerate(body)) + "</tbody>"
    )
    parts.append("</table></div>")
    return "".join(parts)


def blocks_html(blocks: list[Paragraph | Table]) -> SafeString:
    """Rendering blocks (the same objects the .docx is made of) as HTML for the editor's preview: paragraphs with
    their bullets, emphasis and footnote marks, tables with merged cells, then the footnotes."""
    notes = _Notes()
    out = []
    for item in blocks:
        if isinstance(item, Table):
            out.append(_table_html(item, notes))
        elif isinstance(item, Paragraph):
            content = _inline_html(item.content, notes)
            if item.bullet:
                content = f"{escape(item.bullet)} {content}"
            if item.bold:
                content = f"<strong>{content}</strong>"
            if item.italic:
                content = f"<em>{content}</em>"
            out.append(f'<p class="al-{item.align}">{content}</p>')
    if notes.items:
        out.append('<ol class="footnotes">' + "".join(f"<li>{escape(text)}</li>" for text in notes.items) + "</ol>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
