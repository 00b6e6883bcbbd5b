"""Tables (appendix tables, statistics) as an .xlsx workbook, one sheet per table, in the documents' typography."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from cchc.tablefiles import spreadsheet_value

from .document import Cell, CellValue, Table, as_cell, layout_grid, nfc

FONT = "Times New Roman"
FONT_PT = 12
TOTAL_WIDTH_CHARS = 150  # a landscape A4 page at 12 pt, for tables given relative widths
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str | None, index: int, used: set[str]) -> str:
    base = " ".join(_INVALID_SHEET_CHARS.sub(" ", nfc(title or "")).split())[:31].strip() or f"Bảng {index}"
    candidate = base
    n = 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _value(raw: CellValue) -> object:
    """Numbers stay numbers so officers can sum them; everything else is text as printed ("01" keeps its zero)."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int | float):
        return raw
    cell = as_cell(raw)
    return nfc(cell.plain_text)


def table_to_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table: the title in a merged first row, bold header rows, borders, widths, Times New Roman."""
    if not tables:
        raise ValueError("table_to_xlsx needs at least one table")
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for index, spec in enumerate(tables, start=1):
        sheet = book.create_sheet(_sheet_title(spec.title, index, used))
        header = spec.header_rows
        raw_header: list[Sequence[CellValue]] = (
            list(spec.header) if spec.header else ([spec.columns] if spec.columns else [])
        )
        raw_rows = list(raw_header) + [list(r) for r in spec.rows]
        cells: list[list[Cell]] = header + spec.body_rows
        grid = layout_grid(cells) if cells else []
        ncols = len(grid[0]) if grid else 0
        top = 1
        if spec.title:
            title_cell = sheet.cell(row=1, column=1, value=spreadsheet_value(nfc(spec.title), "xlsx"))
            title_cell.font = Font(name=FONT, size=FONT_PT + 1, bold=True)
            title_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if ncols > 1:
                sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
            top = 3
        bold_rows = {len(header) + i for i in spec.bold_rows}
        aligns = list(spec.aligns) if spec.aligns else [None] * ncols
        longest = [0] * ncols
        for r, row in enumerate(grid):
            is_header = r < len(header)
            # Position of each origin cell among its row's declared cells, to find its raw value.
            declared = {}
            for i, _cell in enumerate(cells[r]):
                declared[id(_cell)] = i
            for c, slot in enumerate(row):
                target = sheet.cell(row=top + r, column=c + 1)
                target.border = _BORDER
                target.font = Font(name=FONT, size=FONT_PT, bold=is_header or r in bold_rows)
                if slot is None:
                    continue
                cell, origin_r, origin_c = slot
                if (origin_r, origin_c) != (r, c):
                    continue
                value = _value(raw_rows[r][declared[id(cell)]])
                target.value = spreadsheet_value(value, "xlsx")  # text stays text, never a formula
                align = cell.align or ("center" if is_header else aligns[c] or "left")
                horizontal = "justify" if align == "justify" else align
                target.alignment = Alignment(
                    horizontal=horizontal, vertical="center" if is_header else "top", wrap_text=True
                )
                target.font = Font(
                    name=FONT, size=FONT_PT, bold=is_header or cell.bold or r in bold_rows, italic=cell.italic
                )
                if cell.colspan == 1:
                    longest[c] = max(longest[c], max((len(line) for line in str(value).split("\n")), default=0))
                if cell.rowspan > 1 or cell.colspan > 1:
                    sheet.merge_cells(
                        start_row=top + r,
                        start_column=c + 1,
                        end_row=top + r + cell.rowspan - 1,
                        end_column=c + cell.colspan,
                    )
        if spec.widths and len(spec.widths) == ncols:
            total = sum(spec.widths)
            widths = [max(4.0, w / total * TOTAL_WIDTH_CHARS) for w in spec.widths]
        else:
            widths = [min(60.0, max(6.0, n * 1.1 + 2)) for n in longest]
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = round(width, 1)
        if header:
            sheet.freeze_panes = sheet.cell(row=top + len(header), column=1)
            sheet.print_title_rows = f"{top}:{top + len(header) - 1}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
