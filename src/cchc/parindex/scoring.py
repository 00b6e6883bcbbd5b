"""A sheet's totals: per item (a parent is its children's sum), per field, overall, the index and the tier.

Three columns of scores and the result:
- self      the agency's self-assessment;
- round1    the appraisal of round 1; an item the appraisers did not score keeps the self-assessment;
- round2    the appraisal of round 2; an item not scored again keeps its round-1 score;
- result    the column of the sheet's phase: self until appraisal starts, round 1 during round 1 and the
            explanation window, round 2 from then on (the council's final result is round 2 as closed).

Survey items are not self-assessed: the Sở Nội vụ enters them during appraisal. Bonus and penalty items add and
subtract within the cap of their group (the group's maximum). Points = scored + survey + bonus − penalty; the index
is points / maximum × 100 %, the maximum being that of the scored and survey parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import ItemScore, Phase, Section, Sheet, Tier
from .tree import Node, build, walk

ZERO = Decimal("0")
CENT = Decimal("0.01")
COLUMNS = ("self", "round1", "round2")
PHASE_COLUMN = {
    Phase.DRAFTING: "self",
    Phase.SELF_LOCKED: "self",
    Phase.ROUND1: "round1",
    Phase.EXPLANATION: "round1",
    Phase.ROUND2: "round2",
    Phase.COUNCIL: "round2",
    Phase.FINAL: "round2",
}
# The columns that have begun in each phase (a column not begun is shown empty, not as a copy of the one before).
BEGUN = {
    Phase.DRAFTING: ("self",),
    Phase.SELF_LOCKED: ("self",),
    Phase.ROUND1: ("self", "round1"),
    Phase.EXPLANATION: ("self", "round1"),
    Phase.ROUND2: COLUMNS,
    Phase.COUNCIL: COLUMNS,
    Phase.FINAL: COLUMNS,
}


def leaf_values(score: ItemScore | None, section: str) -> dict[str, Decimal | None]:
    """The three columns of one scored item, each carrying the one before when left empty."""
    if score is None:
        return {"self": None, "round1": None, "round2": None}
    own = None if section == Section.SURVEY else score.self_points
    round1 = score.round1_points if score.round1_points is not None else own
    round2 = score.round2_points if score.round2_points is not None else round1
    return {"self": own, "round1": round1, "round2": round2}


@dataclass
class FieldTotal:
    node: Node
    points: dict[str, Decimal]

    @property
    def item(self):
        return self.node.item


@dataclass
class Totals:
    maximum: Decimal
    base: dict[str, Decimal]
    bonus: dict[str, Decimal]
    penalty: dict[str, Decimal]
    bonus_cap: Decimal
    penalty_cap: Decimal
    column: str  # the result column of the sheet's phase
    begun: Sequence[str]
    fields: list[FieldTotal] = field(default_factory=list)
    # item id -> column -> points (a parent's is its children's sum; None: nothing scored below it)
    by_item: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    tier: Tier | None = None

    def total(self, column: str) -> Decimal:
        return (self.base[column] + self.bonus[column] - self.penalty[column]).quantize(CENT, ROUND_HALF_UP)

    def index(self, column: str) -> Decimal:
        if not self.maximum:
            return ZERO.quantize(CENT)
        return (self.total(column) * 100 / self.maximum).quantize(CENT, ROUND_HALF_UP)

    @property
    def points(self) -> Decimal:
        return self.total(self.column)

    @property
    def result_index(self) -> Decimal:
        return self.index(self.column)

    def field_points(self, code: str) -> Decimal | None:
        for field_total in self.fields:
            if field_total.item.code == code:
                return field_total.points[self.column]
        return None


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, ZERO) if present else None


def tier_for(index: Decimal, tiers: Sequence[Tier]) -> Tier | None:
    for tier in sorted(tiers, key=lambda t: t.min_index, reverse=True):
        if index >= tier.min_index:
            return tier
    return None


def compute(sheet: Sheet, *, roots: list[Node] | None = None, scores: Iterable[ItemScore] | None = None,
            tiers: Sequence[Tier] | None = None) -> Totals:  # fmt: skip
    """The totals of `sheet`; pass what the caller already read (the tree, the scores, the tiers) to save queries."""
    roots = roots if roots is not None else build(sheet.framework.items.all())
    by_item_score = {score.item_id: score for score in (scores if scores is not None else sheet.scores.all())}
    tiers = list(tiers if tiers is not None else sheet.framework.tiers.all())
    totals = Totals(
        maximum=ZERO, base=dict.fromkeys(COLUMNS, ZERO), bonus=dict.fromkeys(COLUMNS, ZERO),
        penalty=dict.fromkeys(COLUMNS, ZERO), bonus_cap=ZERO, penalty_cap=ZERO,
        column=PHASE_COLUMN[Phase(sheet.phase)], begun=BEGUN[Phase(sheet.phase)],
    )  # fmt: skip

    def values(node: Node) -> dict[str, Decimal | None]:
        if node.is_leaf:
            found = leaf_values(by_item_score.get(node.item.pk), node.item.section)
        else:
            children = [values(child) for child in node.children]
            found = {column: _sum(child[column] for child in children) for column in COLUMNS}
        totals.by_item[node.item.pk] = found
        return found

    for root in roots:
        found = values(root)
        section = root.item.section
        if section in (Section.SCORED, Section.SURVEY):
            totals.maximum += root.item.max_points
            points = {column: found[column] or ZERO for column in COLUMNS}
            for column in COLUMNS:
                totals.base[column] += points[column]
            totals.fields.append(FieldTotal(root, points))
        elif section in (Section.BONUS, Section.PENALTY):
            target = totals.bonus if section == Section.BONUS else totals.penalty
            cap = root.item.max_points
            if section == Section.BONUS:
                totals.bonus_cap += cap
            else:
                totals.penalty_cap += cap
            for column in COLUMNS:
                target[column] += min(found[column] or ZERO, cap)
    totals.tier = tier_for(totals.result_index, tiers)
    return totals


def lowered(score: ItemScore) -> bool:
    """Did round 1 give the item less than the agency's self-assessment? (What the agency may explain.)"""
    return score.round1_points is not None and score.self_points is not None and score.round1_points < score.self_points


def ranks(points: Sequence[Decimal]) -> list[int]:
    """Competition ranks, highest first: equal points share a rank and the next rank skips ("1, 1, 3")."""
    ordered = sorted(points, reverse=True)
    return [ordered.index(value) + 1 for value in points]


def leaves_in_order(roots: Sequence[Node]) -> list[Node]:
    return [node for node in walk(roots) if node.is_leaf]
