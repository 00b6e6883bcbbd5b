"""The index's parameters: loading the versioned data file into the database, and reading the set that applies to a
period as plain values (so the scoring is plain functions over plain values, tested without the database).

The set that applies to a period is the one with the latest `valid_from` on or before the period's last day; a
period ending before every set's first day is scored with the earliest set (and says so).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

DATA_FILE = Path(__file__).resolve().parent / "data" / "qd766.json"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    measure: str
    max_points: Decimal
    threshold: Decimal | None = None
    cap: Decimal | None = None
    rounding: int = 2
    when_empty: str = "na"
    source: str = "computed"
    options: dict[str, Any] = field(default_factory=dict)
    legal_basis: str = ""
    note: str = ""

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    indicators: tuple[Indicator, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.indicators), Decimal(0))


@dataclass(frozen=True)
class Parameters:
    code: str
    name: str
    valid_from: dt.date
    legal_basis: str
    groups: tuple[Group, ...]
    before_first: bool = False  # the period ends before this (earliest) set applies

    @property
    def max_points(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))

    def indicator(self, code: str) -> Indicator | None:
        return next((i for g in self.groups for i in g.indicators if i.code == code), None)

    def group_of(self, code: str) -> Group | None:
        return next((g for g in self.groups if any(i.code == code for i in g.indicators)), None)


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def read_file(path: Path = DATA_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def load_file(path: Path = DATA_FILE, *, models=None) -> bool:
    """Create the parameter set of `path` unless a set with its code exists (an edited set is never overwritten).
    `models` is the migration's app registry, or None for the current models. Returns whether it was created."""
    if models is None:
        from django.apps import apps as models
    ParameterSet = models.get_model("serviceindex", "ParameterSet")
    GroupParameter = models.get_model("serviceindex", "GroupParameter")
    IndicatorParameter = models.get_model("serviceindex", "IndicatorParameter")
    data = read_file(path)
    with transaction.atomic():
        if ParameterSet.objects.filter(code=data["code"]).exists():
            return False
        parameter_set = ParameterSet.objects.create(
            code=data["code"],
            name=data["name"],
            valid_from=dt.date.fromisoformat(data["valid_from"]),
            legal_basis=data.get("legal_basis", ""),
            note=data.get("note", ""),
            source_file=path.name,
        )
        for group_position, group in enumerate(data["groups"], start=1):
            group_row = GroupParameter.objects.create(
                parameter_set=parameter_set, code=group["code"], name=group["name"], position=group_position
            )
            IndicatorParameter.objects.bulk_create(
                IndicatorParameter(
                    group=group_row,
                    code=item["code"],
                    position=position,
                    name=item["name"],
                    measure=item["measure"],
                    max_points=Decimal(item["max_points"]),
                    threshold=_decimal(item.get("threshold")),
                    cap=_decimal(item.get("cap")),
                    rounding=int(item.get("rounding", 2)),
                    when_empty=item.get("when_empty", "na"),
                    source=item.get("source", "computed"),
                    options=item.get("options", {}),
                    legal_basis=item.get("legal_basis", ""),
                    note=item.get("note", ""),
                )
                for position, item in enumerate(group["indicators"], start=1)
            )
    return True


def _plain(parameter_set, before_first: bool = False) -> Parameters:
    from .models import IndicatorParameter

    rows = list(
        IndicatorParameter.objects.filter(group__parameter_set=parameter_set)
        .select_related("group")
        .order_by("group__position", "position", "pk")
    )
    groups: dict[int, tuple[Any, list[Indicator]]] = {}
    for row in rows:
        groups.setdefault(row.group_id, (row.group, []))[1].append(
            Indicator(
                code=row.code,
                name=row.name,
                measure=row.measure,
                max_points=row.max_points,
                threshold=row.threshold,
                cap=row.cap,
                rounding=row.rounding,
                when_empty=row.when_empty,
                source=row.source,
                options=dict(row.options or {}),
                legal_basis=row.legal_basis,
                note=row.note,
            )
        )
    ordered = sorted(groups.values(), key=lambda item: (item[0].position, item[0].pk))
    # A group whose indicators were all deleted still shows (with 0 points): the GroupParameter rows decide.
    empty = parameter_set.groups.exclude(pk__in=groups.keys()).order_by("position")
    all_groups = [(g, items) for g, items in ordered] + [(g, []) for g in empty]
    all_groups.sort(key=lambda item: (item[0].position, item[0].pk))
    return Parameters(
        code=parameter_set.code,
        name=parameter_set.name,
        valid_from=parameter_set.valid_from,
        legal_basis=parameter_set.legal_basis,
        groups=tuple(Group(g.code, g.name, tuple(items)) for g, items in all_groups),
        before_first=before_first,
    )


class Resolver:
    """The parameter sets read once, for the many periods of one page (the trend's months)."""

    def __init__(self) -> None:
        self._sets: dict[dt.date, Parameters] = {}

    def for_day(self, day: dt.date) -> Parameters:
        from .models import ParameterSet

        if not self._sets:
            rows = list(ParameterSet.objects.order_by("valid_from", "pk"))
            if not rows:
                return for_day(day)
            for row in rows:
                self._sets[row.valid_from] = _plain(row)
        applying = [valid_from for valid_from in self._sets if valid_from <= day]
        if applying:
            return self._sets[max(applying)]
        earliest = self._sets[min(self._sets)]
        return dataclasses.replace(earliest, before_first=True)


def for_day(day: dt.date) -> Parameters:
    """The parameter set in force on `day` (the last day of the period scored). Loads the shipped file first when
    the database has no set at all (a database flushed by tests, or one where the data migration was faked)."""
    from .models import ParameterSet

    found = ParameterSet.objects.filter(valid_from__lte=day).order_by("-valid_from", "-pk").first()
    if found is not None:
        return _plain(found)
    earliest = ParameterSet.objects.order_by("valid_from", "pk").first()
    if earliest is None:
        load_file()
        return for_day(day)
    return _plain(earliest, before_first=True)
