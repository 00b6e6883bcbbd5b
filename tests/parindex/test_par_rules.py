"""Rules turn what cchc measured into points; their parameters read and write as officers type them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.parindex.evidence import Measurement
from cchc.parindex.models import RuleKind
from cchc.parindex.rules import RuleError, check_params, propose
from cchc.parindex.ruletext import params_text, parse_params

D = Decimal


def ratio(value: str) -> Measurement:
    return Measurement(kind="ratio", value=D(value))


@pytest.mark.parametrize(
    ("value", "points"),
    [("1", "2"), ("0.98", "1.5"), ("0.979", "1"), ("0.95", "1"), ("0.9", "0.5"), ("0.899", "0")],
)
def test_tiers_give_the_points_of_the_first_threshold_reached(value, points):
    params = {"tiers": [["1", "2"], ["0.98", "1.5"], ["0.95", "1"], ["0.9", "0.5"]]}
    proposal = propose(RuleKind.TIERS, params, D("2"), ratio(value), 2023)
    assert proposal.points == D(points)
    assert "%" in proposal.reason and "điểm" in proposal.reason


def test_the_reason_says_which_tier_and_why():
    params = parse_params(RuleKind.TIERS, "100%: 2; 98%: 1,5; 95%: 1")
    proposal = propose(RuleKind.TIERS, params, D("2"), ratio("0.979"), 2023)
    assert proposal.reason == "97,9 % ≥ 95 % → 1 điểm"


def test_a_deadline_gives_full_points_on_time_and_the_late_points_after():
    on_time = Measurement(kind="date", value=dt.date(2022, 12, 30), deadline=dt.date(2022, 12, 31))
    late = Measurement(kind="date", value=dt.date(2023, 1, 9), deadline=dt.date(2022, 12, 31))
    assert propose(RuleKind.DEADLINE, {"late_points": "0.5"}, D("1"), on_time, 2023).points == D("1")
    proposal = propose(RuleKind.DEADLINE, {"late_points": "0.5"}, D("1"), late, 2023)
    assert proposal.points == D("0.5")
    assert "chậm" in proposal.reason and "31/12/2022" in proposal.reason


def test_a_deadline_may_come_from_the_rule_when_the_measurement_has_none():
    measured = Measurement(kind="date", value=dt.date(2023, 1, 20))
    params = parse_params(RuleKind.DEADLINE, "hạn: 15/1; chậm: 0,25")
    assert propose(RuleKind.DEADLINE, params, D("1"), measured, 2023).points == D("0.25")
    params = parse_params(RuleKind.DEADLINE, "hạn: 31/1; năm: 0")
    assert propose(RuleKind.DEADLINE, params, D("1"), measured, 2023).points == D("1")


def test_all_or_nothing_on_a_ratio_a_count_and_a_yes_no():
    assert propose(RuleKind.ALL_OR_NOTHING, {}, D("1"), ratio("1"), 2023).points == D("1")
    assert propose(RuleKind.ALL_OR_NOTHING, {}, D("1"), ratio("0.99"), 2023).points == D("0")
    assert propose(RuleKind.ALL_OR_NOTHING, {"threshold": "0.95"}, D("1"), ratio("0.96"), 2023).points == D("1")
    count = Measurement(kind="count", value=2)
    assert propose(RuleKind.ALL_OR_NOTHING, {"min": 3}, D("1"), count, 2023).points == D("0")
    assert propose(RuleKind.ALL_OR_NOTHING, {}, D("1"), Measurement(kind="bool", value=True), 2023).points == D("1")


def test_proportional_with_a_step_and_a_count_target():
    assert propose(RuleKind.PROPORTIONAL, {}, D("2"), ratio("0.8"), 2023).points == D("1.6")
    assert propose(RuleKind.PROPORTIONAL, {"step": "0.25"}, D("2"), ratio("0.8"), 2023).points == D("1.5")
    count = Measurement(kind="count", value=3)
    assert propose(RuleKind.PROPORTIONAL, {"target": 4}, D("2"), count, 2023).points == D("1.5")
    assert propose(RuleKind.PROPORTIONAL, {"target": 2}, D("2"), count, 2023).points == D("2")


def test_no_data_no_rule_or_a_manual_item_give_no_proposal():
    assert propose(RuleKind.TIERS, {"tiers": [["1", "1"]]}, D("1"), Measurement(kind="ratio", value=None),
                   2023).points is None  # fmt: skip
    assert propose(RuleKind.TIERS, {"tiers": [["1", "1"]]}, D("1"), None, 2023).points is None
    assert propose(RuleKind.MANUAL, {}, D("1"), ratio("1"), 2023).points is None
    assert propose(RuleKind.DEADLINE, {}, D("1"), ratio("1"), 2023).points is None


def test_points_never_exceed_the_maximum():
    proposal = propose(RuleKind.TIERS, {"tiers": [["0.5", "9"]]}, D("2"), ratio("1"), 2023)
    assert proposal.points == D("2")


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (RuleKind.TIERS, "100%: 2; 80%: 1,5; 50%: 0,25"),
        (RuleKind.TIERS, "3: 1; 1: 0,5"),
        (RuleKind.TIERS, "100%: 2; mục tiêu: 4"),
        (RuleKind.ALL_OR_NOTHING, "ngưỡng: 95%"),
        (RuleKind.ALL_OR_NOTHING, "tối thiểu: 2"),
        (RuleKind.PROPORTIONAL, "mục tiêu: 4; bước: 0,25"),
        (RuleKind.DEADLINE, "chậm: 0,5; hạn: 31/12; năm: -1"),
        (RuleKind.MANUAL, ""),
    ],
)
def test_parameters_read_back_to_the_same_text(rule, text):
    assert params_text(rule, parse_params(rule, text)) == text


def test_parameters_read_what_people_type():
    assert parse_params(RuleKind.TIERS, " 100 % : 2 ;80%:1.5") == {"tiers": [["1", "2"], ["0.8", "1.5"]]}
    assert parse_params(RuleKind.ALL_OR_NOTHING, "Ngưỡng: 0,95") == {"threshold": "0.95"}


@pytest.mark.parametrize(
    ("rule", "text", "message"),
    [
        (RuleKind.TIERS, "", "ít nhất một mức"),
        (RuleKind.TIERS, "100%: 2; 3: 1", "cùng tính theo tỷ lệ"),
        (RuleKind.TIERS, "100%: hai", "phải là một số"),
        (RuleKind.DEADLINE, "chậm 0,5", "tên: giá trị"),
        (RuleKind.DEADLINE, "hạn: cuối năm", "ngày/tháng"),
        (RuleKind.MANUAL, "chậm: 0,5", "không phải tham số"),
        (RuleKind.ALL_OR_NOTHING, "80%: 1", "chỉ cách chấm theo mức"),
    ],
)
def test_bad_parameters_are_refused_with_the_reason(rule, text, message):
    with pytest.raises(RuleError, match=message):
        parse_params(rule, text)


def test_checking_parameters_against_the_maximum():
    assert check_params(RuleKind.TIERS, {"tiers": [["1", "3"]]}, D("2")) == [
        "Điểm của mức (3) phải từ 0 đến điểm tối đa 2."
    ]
    assert "thấp hơn" in check_params(RuleKind.TIERS, {"tiers": [["1", "1"], ["0.8", "2"]]}, D("2"))[0]
    assert check_params(RuleKind.TIERS, {"tiers": [["1.5", "1"]]}, D("2")) == ["Ngưỡng tỷ lệ không vượt quá 100 %."]
    assert check_params(RuleKind.DEADLINE, {"late_points": "3"}, D("1")) == ["Điểm khi chậm phải từ 0 đến điểm tối đa."]
    assert check_params(RuleKind.TIERS, {"tiers": [["1", "2"], ["0.8", "1"]]}, D("2")) == []
