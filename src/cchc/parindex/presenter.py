"""A sheet read once for a page, an export, the report or `cchc par show`: its tree, rows, totals and evidence.

Every output of a sheet goes through `read_sheet`, so the page, the XLSX, the .docx and the JSON show the same
numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count

from .models import ItemScore, Phase, Section, Sheet
from .rules import points_text
from .scoring import Totals, compute, lowered
from .tree import Node, build, walk


@dataclass
class Row:
    node: Node
    score: ItemScore | None
    points: dict[str, Decimal | None]
    evidence_count: int

    @property
    def item(self):
        return self.node.item

    @property
    def depth(self) -> int:
        return self.node.depth

    @property
    def is_leaf(self) -> bool:
        return self.node.is_leaf

    @property
    def proposed(self) -> Decimal | None:
        return self.score.proposed_points if self.score else None

    @property
    def has_proposal(self) -> bool:
        return self.score is not None and self.score.proposed_points is not None

    @property
    def lowered(self) -> bool:
        return self.score is not None and lowered(self.score)

    @property
    def is_survey(self) -> bool:
        return self.item.section == Section.SURVEY

    @property
    def needs_explanation(self) -> bool:
        """Given points without any evidence: the report lists its explanation (or its lack of one)."""
        score = self.score
        return (self.is_leaf and score is not None and not self.is_survey and score.self_points is not None
                and score.self_points > 0 and not self.evidence_count)  # fmt: skip


@dataclass
class SheetView:
    sheet: Sheet
    roots: list[Node]
    rows: list[Row]
    totals: Totals

    @property
    def leaves(self) -> list[Row]:
        return [row for row in self.rows if row.is_leaf]

    @property
    def begun(self):
        return self.totals.begun

    def row_for(self, item_id: int) -> Row | None:
        return next((row for row in self.rows if row.item.pk == item_id), None)

    @property
    def proposed_count(self) -> int:
        return sum(1 for row in self.leaves if row.has_proposal)

    @property
    def explanations(self) -> list[Row]:
        return [row for row in self.leaves if row.needs_explanation]


def read_sheet(sheet: Sheet) -> SheetView:
    framework = sheet.framework
    roots = build(framework.items.all())
    scores = list(
        sheet.scores.select_related("assignee", "round1_by", "round2_by").annotate(evidence_count=Count("evidence"))
    )
    by_item = {score.item_id: score for score in scores}
    totals = compute(sheet, roots=roots, scores=scores, tiers=list(framework.tiers.all()))
    rows = []
    for node in walk(roots):
        score = by_item.get(node.item.pk) if node.is_leaf else None
        if node.is_leaf:
            count = score.evidence_count if score else 0
        else:
            count = sum((by_item[leaf.item.pk].evidence_count if leaf.item.pk in by_item else 0)
                        for leaf in node.leaves())  # fmt: skip
        rows.append(Row(node, score, totals.by_item.get(node.item.pk, {}), count))
    return SheetView(sheet, roots, rows, totals)


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def as_json(view: SheetView) -> dict[str, Any]:
    """`cchc par show --format json`: the totals and one entry per item."""
    totals = view.totals
    sheet = view.sheet
    begun = set(totals.begun)
    items = []
    for row in view.rows:
        entry = {
            "code": row.item.code,
            "title": row.item.title,
            "max": _number(row.item.max_points),
            "self": _number(row.points.get("self")),
            "round1": _number(row.points.get("round1")) if "round1" in begun else None,
            "round2": _number(row.points.get("round2")) if "round2" in begun else None,
            "proposed": _number(row.proposed) if row.is_leaf else None,
            "evidence": row.evidence_count,
        }
        if row.is_leaf and row.score is not None and row.score.proposal.get("reason"):
            entry["proposal_reason"] = row.score.proposal["reason"]
        items.append(entry)
    return {
        "agency": sheet.agency.code,
        "agency_name": sheet.agency.name,
        "framework": sheet.framework.name,
        "year": sheet.framework.year,
        "phase": sheet.phase,
        "phase_label": str(Phase(sheet.phase).label),
        "totals": {
            "max": _number(totals.maximum),
            **{
                column: _number(totals.total(column)) if column in begun else None
                for column in ("self", "round1", "round2")
            },
            "bonus": _number(totals.bonus[totals.column]),
            "penalty": _number(totals.penalty[totals.column]),
            "points": _number(totals.points),
            "index": _number(totals.result_index),
            "tier": totals.tier.name if totals.tier else None,
            "fields": {f.item.code: _number(f.points[totals.column]) for f in totals.fields},
        },
        "items": items,
    }


def shown(value: Decimal | None) -> str:
    return "" if value is None else points_text(value)
