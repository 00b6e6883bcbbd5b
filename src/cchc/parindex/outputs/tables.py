"""The sheet and the ranking as tables of the renderer (cchc.reports.rendering): the appendix of the self-assessment
report and the XLSX downloads are the same tables. In a workbook numbers stay numbers (officers add them up); in a
document they are written with the decimal comma."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from cchc.reports.rendering import Cell, Table, table_to_xlsx

from ..models import Phase
from ..presenter import SheetView
from ..results import RankRow
from ..rules import points_text

COLUMN_TITLES = {"self": "Tự chấm", "round1": "Thẩm định lần 1", "round2": "Thẩm định lần 2"}


def _value(value: Decimal | None, numbers: bool) -> Any:
    if value is None:
        return ""
    if numbers:
        return int(value) if value == value.to_integral_value() else float(value)
    return points_text(value)


def score_table(view: SheetView, *, numbers: bool, columns: Sequence[str] | None = None,
                title: str | None = None) -> Table:  # fmt: skip
    """One row per item (fields and criteria in bold), the score columns that have begun, the evidence count and the
    notes; then the totals, bonus, penalty, points, index and tier."""
    columns = list(columns or view.begun)
    header = ["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "cchc đề xuất",
              *(COLUMN_TITLES[c] for c in columns), "Tài liệu kiểm chứng", "Ghi chú, giải trình của cơ quan",
              "Ý kiến thẩm định"]  # fmt: skip
    rows: list[list[Any]] = []
    bold: list[int] = []
    for row in view.rows:
        score = row.score
        notes = ""
        opinion = ""
        if score is not None:
            notes = "\n".join(
                part
                for part in (
                    score.self_note,
                    score.override_reason and f"Lý do khác đề xuất: {score.override_reason}",
                    score.explanation and f"Giải trình: {score.explanation}",
                )
                if part
            )
            opinion = "\n".join(
                part
                for part in (
                    score.round1_note and f"Lần 1: {score.round1_note}",
                    score.round2_note and f"Lần 2: {score.round2_note}",
                )
                if part
            )
        if not row.is_leaf:
            bold.append(len(rows))
        rows.append([
            row.item.code, row.item.title, _value(row.item.max_points, numbers),
            _value(row.proposed, numbers) if row.is_leaf else "",
            *(_value(row.points.get(column), numbers) for column in columns),
            row.evidence_count if numbers else str(row.evidence_count), notes, opinion,
        ])  # fmt: skip
    totals = view.totals

    def line(label: str, values: dict[str, Decimal] | None, maximum: Decimal | None = None) -> list[Any]:
        cells = [Cell(label, colspan=2, bold=True), _value(maximum, numbers), ""]
        cells += [_value(values[c], numbers) if values else "" for c in columns]
        return cells + ["", "", ""]  # evidence, notes, opinion

    bold.append(len(rows))
    rows.append(line("Tổng điểm các lĩnh vực", totals.base, totals.maximum))
    if totals.bonus_cap:
        rows.append(line(f"Điểm thưởng (tối đa {points_text(totals.bonus_cap)})", totals.bonus))
    if totals.penalty_cap:
        rows.append(line(f"Điểm trừ (tối đa {points_text(totals.penalty_cap)})", totals.penalty))
    bold.append(len(rows))
    rows.append(line("Điểm đạt được", {c: totals.total(c) for c in columns}))
    bold.append(len(rows))
    rows.append(line("Chỉ số CCHC (%)", {c: totals.index(c) for c in columns}))
    return Table(
        header=[header], rows=rows, bold_rows=bold, title=title,
        widths=[10, 70, 12, 12, *([14] * len(columns)), 12, 40, 36],
        aligns=["center", "left", "center", "center", *(["center"] * len(columns)), "center", "left", "left"],
        font_size=11,
    )  # fmt: skip


def sheet_xlsx(view: SheetView) -> bytes:
    sheet = view.sheet
    title = f"Bảng điểm Chỉ số CCHC năm {sheet.framework.year} – {sheet.agency.name}"
    table = score_table(view, numbers=True, columns=("self", "round1", "round2"), title=title)
    return table_to_xlsx([table])


def ranking_table(rows: Sequence[RankRow], fields: Sequence[Any], *, numbers: bool, title: str | None = None) -> Table:
    """The appraisal table: one row per agency with its points per field, bonus, penalty, total, index, rank, tier."""
    header = ["Xếp hạng", "Cơ quan", *(f"{field.code}. {field.title}" for field in fields), "Điểm thưởng",
              "Điểm trừ", "Tổng điểm", "Chỉ số CCHC (%)", "Xếp loại", "Giai đoạn"]  # fmt: skip
    body = []
    for row in rows:
        totals = row.totals
        body.append([
            row.rank if numbers else str(row.rank), row.sheet.agency.name,
            *(_value(totals.field_points(field.code), numbers) for field in fields),
            _value(totals.bonus[totals.column], numbers), _value(totals.penalty[totals.column], numbers),
            _value(totals.points, numbers), _value(totals.result_index, numbers), row.tier_name,
            str(Phase(row.sheet.phase).label),
        ])  # fmt: skip
    return Table(header=[header], rows=body, title=title, font_size=11,
                 widths=[10, 50, *([14] * len(fields)), 12, 12, 14, 14, 14, 24],
                 aligns=["center", "left", *(["center"] * (len(fields) + 5)), "left"])  # fmt: skip


def ranking_xlsx(framework, rows: Sequence[RankRow], fields: Sequence[Any]) -> bytes:
    title = f"Kết quả thẩm định Chỉ số CCHC năm {framework.year} – {framework.name}"
    return table_to_xlsx([ranking_table(rows, fields, numbers=True, title=title)])
