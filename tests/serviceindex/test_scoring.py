"""From counts to points (tthc-details.md §3.2): proportional points, thresholds, caps, rounding, empty counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.serviceindex import scoring
from cchc.serviceindex.parameters import Indicator


def indicator(max_points="6", **extra) -> Indicator:
    return Indicator(code="x", name="Chỉ số thử", measure="synced", max_points=Decimal(max_points), **extra)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(0, 10, "0.00"), (1, 3, "2.00"), (2, 3, "4.00"), (10, 10, "6.00"), (7, 9, "4.67"), (1, 7, "0.86")],
)
def test_points_are_the_maximum_times_the_ratio_rounded_to_two_places(numerator, denominator, expected):
    assert scoring.score(indicator(), numerator, denominator).points == Decimal(expected)


def test_rounding_is_half_up_and_from_the_exact_ratio():
    # 20 x 3/8 = 7.5 exactly; 2 x 5/8 = 1.25; 6 x 1/16 = 0.375 -> 0.38 (half up, not to even).
    assert scoring.score(indicator("20"), 3, 8).points == Decimal("7.50")
    assert scoring.score(indicator("6"), 1, 16).points == Decimal("0.38")
    assert scoring.score(indicator("6", rounding=1), 1, 16).points == Decimal("0.4")


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(4, 10, "1.00"), (79, 100, "1.98"), (8, 10, "2.00"), (9, 10, "2.00"), (10, 10, "2.00")],
)
def test_a_threshold_gives_full_points_from_it_on_never_more(numerator, denominator, expected):
    assert scoring.score(indicator("2", threshold=Decimal("0.8")), numerator, denominator).points == Decimal(expected)


def test_a_cap_below_the_maximum_limits_the_points():
    capped = indicator("10", cap=Decimal("8"))
    assert scoring.score(capped, 9, 10).points == Decimal("8.00")
    assert scoring.score(capped, 5, 10).points == Decimal("5.00")


def test_the_ratio_stays_within_zero_and_one():
    assert scoring.score(indicator(), 12, 10).ratio == 1
    assert scoring.score_ratio(indicator(), Decimal("-0.2")).points == 0


@pytest.mark.parametrize(("when_empty", "points"), [("na", None), ("full", Decimal("6.00")), ("zero", Decimal("0.00"))])
def test_an_empty_denominator_follows_the_parameter(when_empty, points):
    result = scoring.score(indicator(when_empty=when_empty), 0, 0)
    assert (result.points, result.ratio, result.state) == (points, None, scoring.EMPTY)
    assert scoring.score(indicator(when_empty=when_empty), None, None).state == scoring.NO_DATA


def test_an_indicator_that_does_not_apply_gets_full_points():
    result = scoring.score(indicator("2"), None, None, applicable=False)
    assert (result.points, result.state) == (Decimal("2.00"), scoring.NOT_APPLICABLE)


def test_a_monitoring_indicator_has_a_ratio_and_no_points():
    result = scoring.score(indicator("0", threshold=Decimal("0.5")), 3, 8)
    assert (result.points, result.ratio) == (0, Decimal("0.375"))
