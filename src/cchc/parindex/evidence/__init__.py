"""PLACEHOLDER written by P1 (branch `par`) for its own tests, exactly the interface of /work/wt/PAR.md.

P2 (branch `parevidence`) owns this package: at merge the lead keeps P2's version of this file and drops this one.
The registry is empty here: no evaluator, so `measure` returns None for every name and cchc proposes nothing until
P2's evaluators are merged. Tests register their own evaluators in REGISTRY (monkeypatch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class SourceRef:
    label: str
    url: str | None = None
    model: str | None = None
    pk: int | None = None


@dataclass(frozen=True)
class Measurement:
    kind: str  # "bool" | "ratio" | "date" | "count"
    value: bool | Decimal | dt.date | int | None
    deadline: dt.date | None = None
    figures: tuple[tuple[str, str], ...] = ()
    sources: tuple[SourceRef, ...] = ()
    explanation: str = ""


@dataclass(frozen=True)
class Evaluator:
    name: str
    label: str
    kind: str
    params: dict = field(default_factory=dict)
    measure: Callable[[Any, int, dict], Measurement] | None = None


REGISTRY: dict[str, Evaluator] = {}


def measure(name: str, agency, year: int, params: dict | None = None) -> Measurement | None:
    evaluator = REGISTRY.get(name)
    if evaluator is None or evaluator.measure is None:
        return None
    return evaluator.measure(agency, year, {**evaluator.params, **(params or {})})


def data_version(agency, year: int) -> str:
    return ""
