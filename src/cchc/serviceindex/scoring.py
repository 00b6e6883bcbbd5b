"""From a count to points, by the rules of tthc-details.md §3.2, with the indicator's parameters (parameters.py):

- ratio = numerator / denominator, kept within [0, 1];
- without a threshold, points = max × ratio; with one, points = max × min(1, ratio / threshold) (full points from
  the threshold on);
- never above the cap (the maximum when no cap is set); rounded to the indicator's decimals (2 by default), half
  up, from the exact ratio;
- nothing to count (denominator 0, or no imported value for an imported indicator): what `when_empty` says: no
  score (shown as such, 0 points in the sums), full points (the feedback indicators when there was no feedback),
  or 0;
- an indicator that does not apply to the agency (the communes' electronic copy certification for a department)
  gets full points, as the national portal scores indicators that do not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .parameters import Indicator

SCORED = "scored"
EMPTY = "empty"
NO_DATA = "no_data"
NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Score:
    points: Decimal | None  # None: not scored (counts 0 in the sums)
    ratio: Decimal | None  # in [0, 1]; None when there was nothing to count
    state: str  # SCORED, EMPTY, NO_DATA or NOT_APPLICABLE

    @property
    def points_or_zero(self) -> Decimal:
        return self.points if self.points is not None else Decimal(0)


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ceiling(indicator: Indicator) -> Decimal:
    """The most points the indicator can give: its cap when lower than its maximum."""
    if indicator.cap is not None:
        return min(indicator.cap, indicator.max_points)
    return indicator.max_points


def _empty(indicator: Indicator, state: str) -> Score:
    if indicator.when_empty == "full":
        return Score(_round(ceiling(indicator), indicator.rounding), None, state)
    if indicator.when_empty == "zero":
        return Score(_round(Decimal(0), indicator.rounding), None, state)
    return Score(None, None, state)


def ratio_of(numerator, denominator) -> Decimal | None:
    if denominator is None or Decimal(denominator) <= 0:
        return None
    value = Decimal(numerator) / Decimal(denominator)
    return min(Decimal(1), max(Decimal(0), value))


def points_for_ratio(indicator: Indicator, ratio: Decimal) -> Decimal:
    share = ratio
    if indicator.threshold is not None:
        share = Decimal(1) if indicator.threshold <= 0 else min(Decimal(1), ratio / indicator.threshold)
    return _round(min(ceiling(indicator), indicator.max_points * share), indicator.rounding)


def score(indicator: Indicator, numerator, denominator, *, applicable: bool = True) -> Score:
    """The points of one indicator for a counted numerator and denominator (None: no data at all)."""
    if not applicable:
        return Score(_round(ceiling(indicator), indicator.rounding), None, NOT_APPLICABLE)
    if denominator is None:
        return _empty(indicator, NO_DATA)
    ratio = ratio_of(numerator, denominator)
    if ratio is None:
        return _empty(indicator, EMPTY)
    return Score(points_for_ratio(indicator, ratio), ratio, SCORED)


def score_ratio(indicator: Indicator, ratio: Decimal | None) -> Score:
    """Points for a ratio computed otherwise (5.4: 100 % minus two rates); None: nothing counted."""
    if ratio is None:
        return _empty(indicator, EMPTY)
    ratio = min(Decimal(1), max(Decimal(0), ratio))
    return Score(points_for_ratio(indicator, ratio), ratio, SCORED)
