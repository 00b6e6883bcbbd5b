"""Column widths and font sizes of a table such that no word is ever broken inside.

LibreOffice (like Word) breaks a word that is wider than its column letter by letter: a Biểu 06 header printed
"Tồn g số", "Trự c tuyế n". A table's `widths` are only weights; here every column gets at least the width of the
longest word it holds (measured with the printing font's metrics, fontmetrics.py, plus the cell margins), a header
cell spanning several columns gets its longest word across them, and the rest of the line is shared by the weights.
When the words cannot all fit at the table's size, the header is set smaller first (half a point at a time, down to
MIN_HEADER_PT), then the body (down to MIN_BODY_PT); a column squeezed far below its weighted share also makes the
header smaller, so a narrow number column does not starve the text column beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import fontmetrics
from .document import Cell, Table, layout_grid

CELL_MARGIN_MM = 1.0  # left and right inner margin of every data cell (tblCellMar)
BORDER_SLACK_MM = 0.6  # the vertical rules and LibreOffice's rounding to twips
KERNING_SLACK = 1.03  # pair kerning and hinting may widen a word a little
MIN_HEADER_PT = 8.0
MIN_BODY_PT = 8.0
STEP_PT = 0.5
SQUEEZE = 0.6  # a column keeps at least this share of its weighted width, or the header shrinks further


@dataclass(frozen=True)
class TableFit:
    widths_mm: list[float]
    header_pt: float
    body_pt: float


def longest_word_mm(text: str, size_pt: float, *, bold: bool, italic: bool = False) -> float:
    """The widest run of non-blank characters of `text` (lines break only at blanks)."""
    words = text.split()
    if not words:
        return 0.0
    return max(fontmetrics.width_mm(word, size_pt, bold=bold, italic=italic) for word in words)


def _need_mm(cell: Cell, size_pt: float, bold: bool) -> float:
    word = longest_word_mm(cell.plain_text, size_pt, bold=bold or cell.bold, italic=cell.italic)
    return word * KERNING_SLACK + 2 * CELL_MARGIN_MM + BORDER_SLACK_MM if word else 0.0


def _needs(spec: Table, header_pt: float, body_pt: float, ncols: int):
    """Per column the width its single-column cells need, and (first, last, need) for cells spanning columns."""
    header, body = spec.header_rows, spec.body_rows
    bold_rows = set(spec.bold_rows)
    singles = [0.0] * ncols
    spans: list[tuple[int, int, float]] = []
    for rows, is_header in ((header, True), (body, False)):
        if not rows:
            continue
        for r, line in enumerate(layout_grid(rows)):
            for c, slot in enumerate(line):
                if slot is None or (slot[1], slot[2]) != (r, c):
                    continue
                cell = slot[0]
                size = header_pt if is_header else body_pt
                need = _need_mm(cell, size, is_header or r in bold_rows)
                if cell.colspan == 1:
                    singles[c] = max(singles[c], need)
                elif need:
                    spans.append((c, c + cell.colspan, need))
    return singles, spans


def distribute(total: float, weights: Sequence[float], minimums: Sequence[float]) -> list[float] | None:
    """Share `total` by `weights`, no column under its minimum (the others share what is left); None if the
    minimums alone exceed `total`."""
    if sum(minimums) > total + 1e-9:
        return None
    weights = [max(w, 1e-6) for w in weights]
    fixed: dict[int, float] = {}
    while True:
        free = [c for c in range(len(weights)) if c not in fixed]
        remaining = total - sum(fixed.values())
        weight_sum = sum(weights[c] for c in free)
        shares = {c: remaining * weights[c] / weight_sum for c in free} if free else {}
        low = [c for c in free if shares[c] < minimums[c] - 1e-9]
        if not low:
            return [fixed[c] if c in fixed else shares[c] for c in range(len(weights))]
        for c in low:
            fixed[c] = minimums[c]


def _widths(total: float, weights: Sequence[float], singles: list[float], spans) -> list[float] | None:
    """Widths meeting the single-column needs and the spanning cells' needs (raised over their columns in
    proportion), or None when they cannot all fit."""
    minimums = list(singles)
    for _round in range(8):
        widths = distribute(total, weights, minimums)
        if widths is None:
            return None
        short = [(a, b, need) for a, b, need in spans if sum(widths[a:b]) < need - 1e-6]
        if not short:
            return widths
        for a, b, need in short:
            have = sum(widths[a:b])
            for c in range(a, b):
                minimums[c] = max(minimums[c], widths[c] * need / have)
    return None


def fit_table(spec: Table, total_mm: float, ncols: int) -> TableFit:
    """Column widths (mm) summing to `total_mm`, and the header and body font sizes, for `spec`."""
    weights = list(spec.widths) if spec.widths else [1.0] * ncols
    if len(weights) != ncols:
        raise ValueError(f"table has {ncols} columns but {len(weights)} widths")
    weight_sum = sum(weights) or 1.0
    wanted = [w / weight_sum * total_mm for w in weights]
    size = float(spec.font_size)
    fallback: TableFit | None = None
    header_pt = size
    while header_pt >= MIN_HEADER_PT - 1e-9:
        singles, spans = _needs(spec, header_pt, size, ncols)
        widths = _widths(total_mm, weights, singles, spans)
        if widths is not None:
            fit = TableFit(widths, header_pt, size)
            fallback = fallback or fit
            if all(w >= SQUEEZE * share - 1e-6 for w, share in zip(widths, wanted, strict=True)):
                return fit
        header_pt -= STEP_PT
    if fallback is not None:
        return fallback
    # Even the smallest header does not fit beside the body's words: set the body smaller too.
    body_pt = size - STEP_PT
    while body_pt >= MIN_BODY_PT - 1e-9:
        singles, spans = _needs(spec, MIN_HEADER_PT, body_pt, ncols)
        widths = _widths(total_mm, weights, singles, spans)
        if widths is not None:
            return TableFit(widths, min(MIN_HEADER_PT, body_pt), body_pt)
        body_pt -= STEP_PT
    # Nothing fits (a page far too narrow for the words): keep the proportions; some words will break.
    return TableFit(wanted, MIN_HEADER_PT, MIN_BODY_PT)
