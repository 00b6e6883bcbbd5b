"""The shapes every evaluator shares (the interface of docs in PAR.md) and the small helpers they word figures with.

An evaluator measures one thing a PAR Index item asks, from cchc's own records, for one agency and one framework
year, and returns a Measurement: the value a rule turns into points, the figures behind it as Vietnamese text, the
objects it came from and one sentence saying what was found. It never guesses: when cchc holds nothing to measure,
the value is None and the sentence says what is missing.

Ratios are Decimals in [0, 1] (tiers are written as threshold ratios), cut to six places downwards so that a ratio
just under a threshold never rounds over it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.plans.deadlines import format_date
from cchc.statistics import periods
from cchc.statistics.periods import Period

KINDS = ("bool", "ratio", "date", "count")


@dataclass(frozen=True)
class SourceRef:
    label: str  # Vietnamese: "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022"
    url: str | None = None  # a cchc page of the object when there is one (reverse()), else None
    model: str | None = None  # "plans.plan", "documents.document", "aggregation.submission", ...
    pk: int | None = None


@dataclass(frozen=True)
class Measurement:
    kind: str  # "bool" | "ratio" | "date" | "count"
    value: bool | Decimal | dt.date | int | None  # None: cchc holds no data for it (never a guess)
    deadline: dt.date | None = None  # for kind "date": the date it was due
    figures: tuple[tuple[str, str], ...] = ()  # (label, value as Vietnamese text), e.g. ("Tỷ lệ đúng hạn", "97,9 %")
    sources: tuple[SourceRef, ...] = ()
    explanation: str = ""  # one Vietnamese sentence


@dataclass(frozen=True)
class Evaluator:
    name: str  # stable identifier, e.g. "plan_issued_by"
    label: str  # Vietnamese label for the framework editor
    kind: str  # the Measurement kind it returns
    params: dict  # documented parameters with their defaults
    measure: Callable[[Agency, int, dict], Measurement]  # (agency, framework year, params) -> Measurement


REGISTRY: dict[str, Evaluator] = {}


class ParamError(ValueError):
    """A parameter an evaluator cannot use; the message is Vietnamese, for the framework editor."""


def register(name: str, label: str, kind: str, params: Mapping[str, Any]):
    """Register the decorated function as the evaluator `name`. The registered `measure` fills the parameters left
    out with their defaults and refuses unknown ones (a misspelt parameter must not silently fall back)."""
    if kind not in KINDS:
        raise ValueError(f"unknown measurement kind {kind!r}")
    defaults = dict(params)

    def decorate(function: Callable[[Agency, int, dict], Measurement]) -> Callable[[Agency, int, dict], Measurement]:
        if name in REGISTRY:
            raise ValueError(f"evaluator {name!r} registered twice")

        def measure(agency: Agency, year: int, given: dict | None = None) -> Measurement:
            given = dict(given or {})
            unknown = sorted(set(given) - set(defaults))
            if unknown:
                raise ParamError(
                    _("Tham số không dùng được cho «{name}»: {params}.").format(name=name, params=", ".join(unknown))
                )
            if not isinstance(year, int) or not 1990 <= year <= 2100:
                raise ParamError(_("Năm đánh giá không hợp lệ: {year}.").format(year=year))
            result = function(agency, year, {**defaults, **given})
            assert result.kind == kind, (name, result.kind)
            return result

        measure.__name__ = function.__name__
        measure.__doc__ = function.__doc__
        REGISTRY[name] = Evaluator(name=name, label=label, kind=kind, params=dict(defaults), measure=measure)
        return function

    return decorate


def today() -> dt.date:
    """The current day in the agencies' time zone (tests replace it to stand on a chosen day)."""
    return timezone.localdate()


# --- parameters ------------------------------------------------------------------------------------------------

_DAY_OF_YEAR = re.compile(r"^\s*(\d{1,2})-(\d{1,2})(?:\s+of\s+year\s*(?:([+-])\s*(\d+))?)?\s*$")


def day_in_year(spec: Any, year: int, *, name: str) -> dt.date:
    """A day given relative to the framework year: "12-31 of year-1" (31/12 of the year before), "01-15 of year+1",
    "06-30" or "06-30 of year" (in the year itself), or a fixed ISO day "2022-12-31"."""
    text = str(spec or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        match = _DAY_OF_YEAR.match(text)
        if match:
            month, day, sign, offset = match.groups()
            shift = int(offset or 0) * (-1 if sign == "-" else 1)
            return dt.date(year + shift, int(month), int(day))
    except ValueError:
        pass
    raise ParamError(
        _("Tham số «{name}» không hiểu được: «{value}» (ví dụ: 12-31 of year-1, 06-30 of year, 2022-12-31).").format(
            name=name, value=text
        )
    )


def choice(value: Any, allowed: tuple[str, ...], *, name: str) -> str:
    if value not in allowed:
        raise ParamError(
            _("Tham số «{name}» phải là một trong: {allowed} (đang là «{value}»).").format(
                name=name, allowed=", ".join(allowed), value=value
            )
        )
    return value


def text_list(value: Any, *, name: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise ParamError(_("Tham số «{name}» phải là một danh sách chữ.").format(name=name))
    return [item.strip() for item in value if item.strip()]


def statistics_year(year: int, mode: Any) -> Period:
    """The year of the dossier statistics: under NĐ 09/2019 (Biểu 06) 15/12 of the year before to 14/12; in
    "calendar" mode 01/01 to 31/12 (the national portal's counting)."""
    choice(mode, periods.MODES, name="period_mode")
    return periods.year(year, mode)


# --- words and numbers ---------------------------------------------------------------------------------------------


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole in [0, 1], six places cut downwards; None when the whole is 0 (nothing to measure)."""
    if whole <= 0:
        return None
    if not 0 <= part <= whole:
        raise ValueError(f"ratio {part}/{whole} outside [0, 1]")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.000001"), rounding=ROUND_DOWN).normalize()


def percent(value: Decimal | None) -> str:
    """ "97,9 %", "100 %", "0 %": one decimal with a comma. Only a whole ratio shows 100 % and only nothing shows 0 %,
    so that a ratio just under 1 never reads as complete."""
    if value is None:
        return "—"
    shown = (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value < 1 and shown >= 100:
        shown = Decimal("99.9")
    if value > 0 and shown <= 0:
        shown = Decimal("0.1")
    text = f"{shown:f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",") + " %"


def number(n: int) -> str:
    """ "7", "1.176": a dot between thousands, as Vietnamese texts write them."""
    return f"{n:,}".replace(",", ".")


def fraction(part: int, whole: int) -> str:
    """ "4/4", "173.623/192.087"."""
    return f"{number(part)}/{number(whole)}"


def day(value: dt.date) -> str:
    """ "30/12/2022", "30/6/2023": the numeric style of administrative documents (Nghị định 30/2020)."""
    return format_date(value)


def lower_first(text: str) -> str:
    """ "quý I năm 2023" from "Quý I năm 2023" (only the first letter: the numeral stays upper case)."""
    return text[:1].lower() + text[1:]


def days_range(period: Period) -> str:
    """ "15/12/2022–14/12/2023"."""
    return f"{day(period.start)}–{day(period.end)}"


def as_of_clause(period: Period, as_of: dt.date) -> str:
    """ ", số liệu đến ngày 02/10/2023" while the period runs, "" once it has ended."""
    if as_of < period.end:
        return _(", số liệu đến ngày {day}").format(day=day(as_of))
    return ""
