"""The QĐ 766 service index of a scope (agencies, a province, everything) for a period: every indicator's numerator,
denominator, ratio and points, by group, with the parameters in force (parameters.py) and the rules of scoring.py.

A fixed number of queries whatever the number of dossiers, like cchc.statistics.service: the parameters (2), one
GROUP BY over the dossiers by procedure row with a conditional count per indicator (the totals are sums of its
rows), the codes of those rows, the catalogue in force, the feedback (satisfaction.inputs), the imported values
and the scope's agencies. What each indicator counts is in measures.py.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, QuerySet

from cchc.agencies.models import Agency, Province
from cchc.procedures.models import Procedure
from cchc.statistics.periods import Period
from cchc.statistics.service import procedures_in_force, scoped_dossiers

from . import measures, prepared, satisfaction, scoring
from .measures import CatalogueRow, CodesSeen, Window
from .models import ImportedFigure, Measure, Source
from .parameters import Indicator, Parameters, for_day

DOSSIERS = "dossiers"
PROCEDURES = "procedures"
FEEDBACK = "feedback"
IMPORTED = "imported"

COMPUTED_ORIGIN = "computed"
IMPORTED_ORIGIN = "imported"


@dataclass
class IndicatorResult:
    code: str
    name: str
    group: str
    measure: str
    max_points: Decimal
    points: Decimal | None
    numerator: int | Decimal | None
    denominator: int | Decimal | None
    ratio: Decimal | None
    state: str  # scoring.SCORED, EMPTY, NO_DATA, NOT_APPLICABLE
    origin: str  # COMPUTED_ORIGIN or IMPORTED_ORIGIN
    threshold: Decimal | None = None
    note: str = ""
    legal_basis: str = ""
    lost: int | Decimal | None = None  # how many dossiers, procedures or feedback items cost points
    lists: tuple[str, ...] = ()  # DOSSIERS, PROCEDURES, FEEDBACK: what the lost-points list shows

    @property
    def points_or_zero(self) -> Decimal:
        return self.points if self.points is not None else Decimal(0)

    @property
    def lost_points(self) -> Decimal:
        return max(Decimal(0), self.max_points - self.points_or_zero)

    @property
    def percent(self) -> Decimal | None:
        return None if self.ratio is None else (self.ratio * 100).quantize(Decimal("0.01"))

    @property
    def monitoring(self) -> bool:
        """Shown for information: the scoring table gives it no points of its own."""
        return self.max_points == 0

    @property
    def has_list(self) -> bool:
        return bool(self.lists) and self.origin == COMPUTED_ORIGIN and bool(self.lost)


@dataclass
class GroupResult:
    code: str
    name: str
    max_points: Decimal
    indicators: list[IndicatorResult]

    @property
    def points(self) -> Decimal:
        return sum((i.points_or_zero for i in self.indicators), Decimal(0))


@dataclass
class IndexResult:
    period: Period
    as_of: dt.date
    agency_ids: list[int]
    parameters: Parameters
    groups: list[GroupResult] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((g.points for g in self.groups), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))

    @property
    def has_ended(self) -> bool:
        return self.period.has_ended(self.as_of)

    def indicator(self, code: str) -> IndicatorResult | None:
        return next((i for g in self.groups for i in g.indicators if i.code == code), None)

    def as_json(self) -> dict[str, Any]:
        """The command's JSON: total, max and groups, each with its indicators."""

        def number(value):
            if value is None:
                return None
            if isinstance(value, Decimal):
                return int(value) if value == value.to_integral_value() else float(value)
            return value

        return {
            "period": {
                "key": self.period.key,
                "label": self.period.label,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "as_of": self.as_of.isoformat(),
            },  # fmt: skip
            "parameters": self.parameters.code,
            "total": number(self.total),
            "max": number(self.max_points),
            "groups": [
                {
                    "code": g.code,
                    "name": g.name,
                    "max": number(g.max_points),
                    "points": number(g.points),
                    "indicators": [
                        {
                            "code": i.code,
                            "name": i.name,
                            "max": number(i.max_points),
                            "points": number(i.points),
                            "numerator": number(i.numerator),
                            "denominator": number(i.denominator),
                            "ratio": number(i.ratio.quantize(Decimal("0.0001")) if i.ratio is not None else None),
                            "state": i.state,
                            "origin": i.origin,
                        }
                        for i in g.indicators
                    ],
                }
                for g in self.groups
            ],
        }


# --- scope --------------------------------------------------------------------------------------------------------


def _scope(agencies, province) -> tuple[list[int], set[str]]:
    """The agency ids of the scope and their kinds, in one query."""
    rows = Agency.objects.all()
    if agencies is not None:
        if isinstance(agencies, Agency | int):
            agencies = [agencies]
        if isinstance(agencies, QuerySet):
            rows = rows.filter(pk__in=agencies.values("pk"))
        else:
            rows = rows.filter(pk__in=[a.pk if isinstance(a, Agency) else int(a) for a in agencies])
    if province is not None:
        rows = rows.filter(province_id=province.pk if isinstance(province, Province) else int(province))
    found = list(rows.values_list("pk", "kind"))
    return sorted(pk for pk, _ in found), {kind for _, kind in found}


# --- counting -----------------------------------------------------------------------------------------------------


def _computed(indicator: Indicator) -> bool:
    return indicator.source != Source.IMPORTED


def _dossier_aggregates(w: Window, wanted: list[Indicator]) -> tuple[dict[str, Count], dict[str, tuple[str, str]]]:
    aggregates: dict[str, Count] = {}
    keys: dict[str, tuple[str, str]] = {}
    for indicator in wanted:
        counted = measures.DOSSIER_MEASURES[indicator.measure](w, indicator)
        base_name, good_name = f"b_{counted.base_key}", f"g_{counted.base_key}_{counted.good_key}"
        if base_name not in aggregates:
            aggregates[base_name] = Count("pk", filter=counted.base) if counted.base else Count("pk")
        if good_name not in aggregates:
            aggregates[good_name] = Count("pk", filter=counted.base & counted.good)
        keys[indicator.code] = (base_name, good_name)
    for name, condition in measures.PROCEDURE_COUNTS.items():
        aggregates[f"p_{name}"] = Count("pk", filter=condition(w))
    return aggregates, keys


def dossier_query(w: Window, wanted: list[Indicator], ids: list[int]) -> QuerySet:
    """One GROUP BY over the scope's dossiers by procedure row, a conditional count per indicator condition."""
    # Grouping on "procedure_id + 0": as in statistics.service, SQLite then filters by agency first.
    group = ExpressionWrapper(F("procedure_id") + 0, output_field=BigIntegerField())
    return (
        scoped_dossiers(ids)
        .filter(w.relevant())
        .order_by()
        .annotate(_procedure=group)
        .values("_procedure")
        .annotate(**_dossier_aggregates(w, wanted)[0])
    )


def _options_key(indicators: list[Indicator]) -> tuple:
    return tuple((i.code, i.measure, json.dumps(i.options, sort_keys=True)) for i in indicators)


def dossier_counts(w: Window, parameters: Parameters, ids: list[int]) -> tuple[dict[str, tuple[int, int]], CodesSeen]:
    """code -> (base, good) for every dossier indicator, and the procedure codes with dossiers of each kind, from
    one GROUP BY over the scope's dossiers by procedure row (prepared.py: compiled once per shape). Indicators
    sharing a condition share its count."""
    wanted = [
        i for g in parameters.groups for i in g.indicators if i.measure in measures.DOSSIER_MEASURES and _computed(i)
    ]
    aggregates, keys = _dossier_aggregates(w, wanted)
    rows = []
    if ids:
        rows = prepared.rows(
            ("dossiers", tuple(ids), _options_key(wanted)),
            lambda start, last: dossier_query(Window.between(start, last), wanted, ids),
            (w.period.start, w.last),
        )
    totals = {name: 0 for name in aggregates if not name.startswith("p_")}
    seen: dict[str, set[int]] = {name: set() for name in measures.PROCEDURE_COUNTS}
    for row in rows:
        for name in totals:
            totals[name] += row[name] or 0
        for name in measures.PROCEDURE_COUNTS:
            if row[f"p_{name}"]:
                seen[name].add(row["_procedure"])
    codes = _codes(set().union(*seen.values()))
    counts = {code: (totals[base], totals[good]) for code, (base, good) in keys.items()}
    return counts, CodesSeen(**{name: frozenset(codes[pk] for pk in pks) for name, pks in seen.items()})


def _codes(ids: set[int]) -> dict[int, tuple[int, str]]:
    found: dict[int, tuple[int, str]] = {}
    ordered = sorted(ids)
    for chunk in range(0, len(ordered), 5000):  # stay under SQLite's bound-parameter limit
        rows = Procedure.objects.filter(pk__in=ordered[chunk : chunk + 5000]).values_list("pk", "agency_id", "code")
        found.update({pk: (agency_id, code) for pk, agency_id, code in rows})
    return found


CATALOGUE_COLUMNS = ("pk", "agency_id", "code", "name", "online_service", "online_payment", "_fee", "_complete")


def catalogue_query(day: dt.date, ids: list[int]) -> QuerySet:
    return (
        procedures_in_force(day, ids)
        .order_by("agency_id", "code")
        .annotate(_fee=measures.has_fee(), _complete=measures.complete())
        .values(*CATALOGUE_COLUMNS)
    )


def catalogue_rows(day: dt.date, ids: list[int]) -> list[CatalogueRow]:
    """The catalogue in force on `day` (one row per agency and code) with the flags the indicators read."""
    if not ids:
        return []
    rows = prepared.rows(("catalogue", tuple(ids)), lambda d: catalogue_query(d, ids), (day,))
    flags = ("online_payment", "_fee", "_complete")  # SQLite gives 0 and 1
    return [CatalogueRow(*(bool(row[c]) if c in flags else row[c] for c in CATALOGUE_COLUMNS)) for row in rows]


def _catalogue_counts(rows: list[CatalogueRow], seen: CodesSeen, parameters: Parameters) -> dict[str, tuple[int, int]]:
    counts = {}
    for indicator in (i for g in parameters.groups for i in g.indicators):
        test = measures.CATALOGUE_MEASURES.get(indicator.measure)
        if test is None or not _computed(indicator):
            continue
        base = good = 0
        for row in rows:
            in_base, in_good = test(row, seen)
            base += in_base
            good += in_base and in_good
        counts[indicator.code] = (base, good)
    return counts


def population_counts(seen: CodesSeen) -> tuple[int, int]:
    """4.5b: procedure codes with dossiers of people, and those among them with population data used."""
    return len(seen.people), len(seen.population & seen.people)


def _imported(w: Window, parameters: Parameters, ids: list[int]) -> dict[str, tuple[Decimal, Decimal]]:
    """code -> (numerator, denominator) summed over the agencies' imported values inside the period: for each
    agency the rows that span exactly the period when there are some, else the shortest rows inside it (months
    inside a quarter), never a row together with one it contains."""
    codes = [i.code for g in parameters.groups for i in g.indicators if i.source != Source.COMPUTED]
    if not codes:
        return {}
    start, end = w.period.start, w.period.end
    rows = list(
        ImportedFigure.objects.filter(agency_id__in=ids, indicator_code__in=codes, start__gte=start, end__lte=end)
        .order_by("agency_id", "indicator_code", "start", "end")
        .values_list("agency_id", "indicator_code", "start", "end", "numerator", "denominator")
    )
    by_key: dict[tuple[int, str], list[tuple]] = {}
    for row in rows:
        by_key.setdefault((row[0], row[1]), []).append(row)
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for (_agency, code), found in by_key.items():
        exact = [r for r in found if r[2] == start and r[3] == end]
        chosen = exact or [r for r in found if not any(o is not r and r[2] <= o[2] and o[3] <= r[3] for o in found)]
        numerator = sum((r[4] for r in chosen), Decimal(0))
        denominator = sum((r[5] for r in chosen), Decimal(0))
        before = totals.get(code, (Decimal(0), Decimal(0)))
        totals[code] = (before[0] + numerator, before[1] + denominator)
    return totals


# --- putting it together ------------------------------------------------------------------------------------------

LISTS = {
    Measure.CATALOGUE_COMPLETE: (PROCEDURES,),
    Measure.ONLINE_PROCEDURES: (PROCEDURES,),
    Measure.ONLINE_SERVICES_USED: (PROCEDURES,),
    Measure.FEE_PROCEDURES_INTEGRATED: (PROCEDURES,),
    Measure.FEE_PROCEDURES_PAID_ONLINE: (PROCEDURES,),
    Measure.POPULATION_PROCEDURES: (PROCEDURES,),
    Measure.FEEDBACK_ON_TIME: (FEEDBACK,),
    Measure.FEEDBACK_SATISFACTION: (FEEDBACK,),
    Measure.DOSSIER_SATISFACTION: (DOSSIERS, FEEDBACK),
    **{m: (DOSSIERS,) for m in measures.DOSSIER_MEASURES if m != Measure.DOSSIER_SATISFACTION},
}


def _result(indicator: Indicator, group: str, numerator, denominator, *, origin: str, applicable: bool = True,
            lost=None, ratio: Decimal | None = None, use_ratio: bool = False) -> IndicatorResult:  # fmt: skip
    if use_ratio:
        s = scoring.score_ratio(indicator, ratio) if denominator else scoring.score(indicator, 0, denominator)
    else:
        s = scoring.score(indicator, numerator, denominator, applicable=applicable)
    return IndicatorResult(
        code=indicator.code, name=indicator.name, group=group, measure=indicator.measure,
        max_points=indicator.max_points, points=s.points, numerator=numerator, denominator=denominator,
        ratio=s.ratio, state=s.state, origin=origin, threshold=indicator.threshold, note=indicator.note,
        legal_basis=indicator.legal_basis, lost=lost, lists=LISTS.get(indicator.measure, ()),
    )  # fmt: skip


def compute(
    period: Period,
    *,
    agencies=None,
    province: Province | int | None = None,
    today: dt.date | None = None,
    parameters: Parameters | None = None,
) -> IndexResult:
    """The index of the agencies (objects, ids or a queryset: what the user may see), or of a province's agencies,
    or of everything when neither is given, for `period` as counted on `today` (default: the current day)."""
    w = Window.of(period, today)
    parameters = parameters or for_day(period.end)
    ids, kinds = _scope(agencies, province)
    counts, seen = dossier_counts(w, parameters, ids)
    needs_catalogue = any(
        i.measure in measures.CATALOGUE_MEASURES and _computed(i) for g in parameters.groups for i in g.indicators
    )
    catalogue = _catalogue_counts(catalogue_rows(w.last, ids), seen, parameters) if needs_catalogue else {}
    feedback = satisfaction.inputs(w, ids)
    imported = _imported(w, parameters, ids)
    result = IndexResult(period=period, as_of=w.last, agency_ids=ids, parameters=parameters)
    for group in parameters.groups:
        rows = [_indicator(i, group.code, counts, catalogue, seen, feedback, imported, kinds) for i in group.indicators]
        result.groups.append(GroupResult(group.code, group.name, group.max_points, rows))
    return result


def _indicator(i: Indicator, group: str, counts, catalogue, seen: CodesSeen,
               feedback: satisfaction.SatisfactionInputs, imported, kinds: set[str]) -> IndicatorResult:  # fmt: skip
    applies_to = i.option("applies_to")
    applicable = not applies_to or bool(kinds & set(applies_to))
    if i.source != Source.COMPUTED and i.code in imported:
        numerator, denominator = imported[i.code]
        return _result(i, group, numerator, denominator, origin=IMPORTED_ORIGIN, applicable=applicable)
    if not applicable:  # scored by the rule for indicators that do not apply (full points), nothing imported
        return _result(i, group, None, None, origin=COMPUTED_ORIGIN, applicable=False)
    if i.source == Source.IMPORTED:
        return _result(i, group, None, None, origin=IMPORTED_ORIGIN)
    if i.measure == Measure.DOSSIER_SATISFACTION:
        base, good = counts[i.code]
        complained = feedback.dossiers_complained
        numerator = max(0, good - complained)
        ratio = (Decimal(good) - Decimal(complained)) / Decimal(base) if base else None
        lost = (base - good) + complained
        return _result(i, group, numerator, base, origin=COMPUTED_ORIGIN, lost=lost, ratio=ratio, use_ratio=True)
    if i.code in counts:
        base, good = counts[i.code]
    elif i.code in catalogue:
        base, good = catalogue[i.code]
    elif i.measure == Measure.POPULATION_PROCEDURES:
        base, good = population_counts(seen)
    elif i.measure == Measure.FEEDBACK_ON_TIME:
        base, good = feedback.feedback_counted, feedback.feedback_on_time
    elif i.measure == Measure.FEEDBACK_SATISFACTION:
        base, good = feedback.feedback_received, feedback.feedback_satisfied
    else:  # a measure cchc cannot count (publication on time, ...) and no imported value
        return _result(i, group, None, None, origin=IMPORTED_ORIGIN)
    return _result(i, group, good, base, origin=COMPUTED_ORIGIN, lost=base - good)
