"""Results across sheets: the ranking of a framework's agencies, and an agency's final result for the reports.

The ranking ranks every sheet of the framework by its points in the result column of its phase (scoring.py), equal
points sharing a rank. An agency's final result is its sheet once the council's result is recorded (phase final):
reports quote it ("Chỉ số CCHC năm 2023 của Sở đạt 86,25 điểm, xếp thứ 3/19"), and it replaces a typed value of
the agency's PAR Index in cchc.indicators (register_indicator_provider).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from .models import Framework, ItemScore, Phase, Sheet
from .scoring import Totals, compute, ranks
from .tree import build

PAR_INDEX = "PAR_INDEX"


@dataclass
class RankRow:
    sheet: Sheet
    totals: Totals
    rank: int
    of: int

    @property
    def points(self) -> Decimal:
        return self.totals.points

    @property
    def index(self) -> Decimal:
        return self.totals.result_index

    @property
    def tier_name(self) -> str:
        return self.totals.tier.name if self.totals.tier else ""


def ranking(framework: Framework, sheets: QuerySet[Sheet] | Sequence[Sheet] | None = None,
            sort: str | None = None) -> list[RankRow]:  # fmt: skip
    """Every sheet of `framework` (or those given) with its totals and rank, by points (or by the points of the field
    whose code is `sort`), highest first; the rank is always by the total, among all the framework's sheets."""
    roots = build(framework.items.all())
    tiers = list(framework.tiers.all())
    everyone = list(framework.sheets.select_related("agency", "framework"))
    by_sheet: dict[int, list[ItemScore]] = {}
    for score in ItemScore.objects.filter(sheet__framework=framework):
        by_sheet.setdefault(score.sheet_id, []).append(score)
    totals = {s.pk: compute(s, roots=roots, scores=by_sheet.get(s.pk, []), tiers=tiers) for s in everyone}
    ordered = sorted(everyone, key=lambda s: (-totals[s.pk].points, s.agency.name))
    rank_of = dict(zip([s.pk for s in ordered], ranks([totals[s.pk].points for s in ordered]), strict=True))
    shown = {s.pk for s in sheets} if sheets is not None else {s.pk for s in everyone}
    rows = [RankRow(s, totals[s.pk], rank_of[s.pk], len(everyone)) for s in ordered if s.pk in shown]
    if sort:
        rows.sort(key=lambda row: (-(row.totals.field_points(sort) or Decimal("0")), row.rank, row.sheet.agency.name))
    return rows


@dataclass(frozen=True)
class FinalResult:
    sheet: Sheet
    year: int
    points: Decimal
    maximum: Decimal
    index: Decimal
    rank: int
    of: int
    tier: str
    decision: str


def final_result(agency, year: int, *, latest: bool = True) -> FinalResult | None:
    """The agency's final result of `year` (with `latest`, of the most recent year up to it)."""
    found = Sheet.objects.filter(agency=agency, phase=Phase.FINAL, framework__year__isnull=False)
    found = found.filter(framework__year__lte=year) if latest else found.filter(framework__year=year)
    sheet = found.select_related("framework", "agency").order_by("-framework__year").first()
    if sheet is None:
        return None
    row = next(r for r in ranking(sheet.framework) if r.sheet.pk == sheet.pk)
    return FinalResult(sheet=sheet, year=sheet.framework.year, points=row.points, maximum=row.totals.maximum,
                       index=row.index, rank=row.rank, of=row.of, tier=row.tier_name,
                       decision=sheet.final_decision)  # fmt: skip


def _provider(code: str, province_id: int, year: int, agency_id: int, latest: bool):
    """cchc.indicators asks this first for an agency's own value: the PAR Index from the final result."""
    if code != PAR_INDEX:
        return None
    from cchc.agencies.models import Agency
    from cchc.indicators.models import Indicator, IndicatorValue

    agency = Agency.objects.filter(pk=agency_id, province_id=province_id).first()
    result = final_result(agency, year, latest=latest) if agency else None
    if result is None:
        return None
    indicator = Indicator.objects.filter(code=PAR_INDEX).first() or Indicator(
        code=PAR_INDEX, name="Chỉ số cải cách hành chính", short_name="Chỉ số CCHC"
    )
    source = result.decision or result.sheet.framework.name
    return IndicatorValue(indicator=indicator, province_id=province_id, agency=agency, year=result.year,
                          score=result.points, max_score=result.maximum, rank=result.rank, rank_of=result.of,
                          source=source[:500])  # fmt: skip


def register_indicator_provider() -> None:
    from cchc.indicators import services

    if _provider not in services.AGENCY_VALUE_PROVIDERS:
        services.AGENCY_VALUE_PROVIDERS.append(_provider)
