"""From a Measurement (what cchc's records say, cchc.parindex.evidence) to the points an item's rule gives it.

The rule is data on the item: its kind and parameters (JSON, decimals written as strings so 0.25 stays 0.25):

- all-or-nothing  {"threshold": "0.95"} for a ratio (default 1, i.e. 100 %), {"min": 1} for a count (default 1);
                  a bool is met when true, a date when it is on or before its deadline;
- proportional    points = maximum x ratio; for a count {"target": 4} makes the ratio count / target;
                  {"step": "0.25"} rounds the points down to a multiple of the step;
- tiers           {"tiers": [["1", "2"], ["0.8", "1"]]}: the points of the first threshold the value reaches, 0 below
                  the last; thresholds are ratios, or counts with {"counts": true} (a count with a "target" is a
                  ratio of it);
- deadline        full points on or before the deadline, {"late_points": "0.5"} after it; the deadline is the
                  measurement's, else {"deadline": "31/12", "year_offset": -1} (day/month of the framework's year
                  plus the offset);
- manual          the officer or appraiser decides: never a proposal.

A measurement whose value is None (cchc holds no data) gives no proposal: cchc never guesses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from cchc.indicators.services import decimal_text

from .evidence import Measurement
from .models import RuleKind

CENT = Decimal("0.01")
ONE = Decimal("1")


class RuleError(ValueError):
    """A rule's parameters cannot be read; the message (Vietnamese) names what is wrong."""


@dataclass(frozen=True)
class Proposal:
    points: Decimal | None  # None: no proposal
    reason: str  # how the rule turned the figure into points, or why there is no proposal


def decimal(value: Any, what: str) -> Decimal:
    """A parameter as a Decimal ("0,5", "0.5", 0.5, 1): RuleError naming `what` otherwise."""
    if isinstance(value, bool) or value is None:
        raise RuleError(_("%(what)s phải là một số.") % {"what": what})
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise RuleError(_("%(what)s phải là một số (đang ghi “%(value)s”).") % {"what": what, "value": value}) from None
    if not number.is_finite():
        raise RuleError(_("%(what)s phải là một số.") % {"what": what})
    return number


def points_text(value: Decimal) -> str:
    return decimal_text(value.quantize(CENT))


def percent_text(ratio: Decimal) -> str:
    return f"{decimal_text((ratio * 100).quantize(Decimal('0.1'), ROUND_HALF_UP))} %"


def tiers_of(params: dict) -> list[tuple[Decimal, Decimal]]:
    """The tiers of a rule, highest threshold first."""
    raw = params.get("tiers")
    if not isinstance(raw, list) or not raw:
        raise RuleError(_("Cách chấm theo mức cần ít nhất một mức (ngưỡng và điểm)."))
    tiers = []
    for entry in raw:
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise RuleError(_("Mỗi mức gồm hai số: ngưỡng và điểm."))
        tiers.append((decimal(entry[0], _("Ngưỡng của mức")), decimal(entry[1], _("Điểm của mức"))))
    return sorted(tiers, key=lambda tier: tier[0], reverse=True)


def deadline_of(params: dict, year: int) -> dt.date | None:
    """The rule's own deadline: "31/12" of the framework's year plus "year_offset"."""
    text = str(params.get("deadline") or "").strip()
    if not text:
        return None
    try:
        day, month = (int(part) for part in text.split("/")[:2])
        offset = int(params.get("year_offset", 0))
        return dt.date(year + offset, month, day)
    except (TypeError, ValueError):
        raise RuleError(_("Hạn của cách chấm phải ghi ngày/tháng, ví dụ 31/12 (đang ghi “%(text)s”).")
                        % {"text": text}) from None  # fmt: skip


def _clamp(points: Decimal, maximum: Decimal) -> Decimal:
    return min(max(points, Decimal("0")), maximum).quantize(CENT, ROUND_HALF_UP)


def _ratio(measurement: Measurement, params: dict) -> Decimal | None:
    value = measurement.value
    if measurement.kind == "bool":
        return ONE if value else Decimal("0")
    if measurement.kind == "ratio":
        return Decimal(str(value))
    if measurement.kind == "count" and "target" in params:
        target = decimal(params["target"], _("Mục tiêu"))
        if target <= 0:
            raise RuleError(_("Mục tiêu phải lớn hơn 0."))
        return min(Decimal(int(value)) / target, ONE)
    return None


def _figure(measurement: Measurement) -> str:
    value = measurement.value
    if measurement.kind == "ratio":
        return percent_text(Decimal(str(value)))
    if measurement.kind == "bool":
        return _("có") if value else _("không")
    if measurement.kind == "date":
        return f"{value:%d/%m/%Y}"
    return str(value)


def _all_or_nothing(m: Measurement, params: dict, maximum: Decimal, year: int) -> Proposal:
    if m.kind == "bool":
        met = bool(m.value)
        reason = _("Đạt") if met else _("Không đạt")
    elif m.kind == "ratio":
        threshold = decimal(params.get("threshold", "1"), _("Ngưỡng đạt"))
        met = Decimal(str(m.value)) >= threshold
        reason = _("%(value)s %(cmp)s ngưỡng %(threshold)s") % {
            "value": _figure(m), "cmp": "≥" if met else "<", "threshold": percent_text(threshold)}  # fmt: skip
    elif m.kind == "count":
        minimum = decimal(params.get("min", 1), _("Số tối thiểu"))
        met = Decimal(int(m.value)) >= minimum
        reason = _("%(value)s %(cmp)s %(minimum)s") % {
            "value": m.value, "cmp": "≥" if met else "<", "minimum": decimal_text(minimum)}  # fmt: skip
    else:
        deadline = m.deadline or deadline_of(params, year)
        if deadline is None:
            return Proposal(None, _("Không xác định được thời hạn để so sánh."))
        met = m.value <= deadline
        reason = _("Ngày %(value)s, hạn %(deadline)s") % {"value": _figure(m), "deadline": f"{deadline:%d/%m/%Y}"}
    points = maximum if met else Decimal("0")
    return Proposal(_clamp(points, maximum), f"{reason} → {points_text(points)} điểm")


def _proportional(m: Measurement, params: dict, maximum: Decimal) -> Proposal:
    ratio = _ratio(m, params)
    if ratio is None:
        return Proposal(None, _("Cách chấm theo tỷ lệ cần một tỷ lệ (hoặc một số đếm kèm mục tiêu)."))
    points = maximum * max(min(ratio, ONE), Decimal("0"))
    if "step" in params:
        step = decimal(params["step"], _("Bước làm tròn"))
        if step > 0:
            points = (points / step).to_integral_value(ROUND_DOWN) * step
    points = _clamp(points, maximum)
    return Proposal(points, _("%(max)s điểm × %(ratio)s → %(points)s điểm") % {
        "max": points_text(maximum), "ratio": percent_text(ratio), "points": points_text(points)})  # fmt: skip


def _tiers(m: Measurement, params: dict, maximum: Decimal) -> Proposal:
    tiers = tiers_of(params)
    if params.get("counts"):
        if m.kind != "count":
            return Proposal(None, _("Các mức tính theo số lượng nhưng số liệu không phải một số đếm."))
        value, shown = Decimal(int(m.value)), str(m.value)
        threshold_text = decimal_text
    else:
        value = _ratio(m, params)
        if value is None:
            return Proposal(None, _("Cách chấm theo mức cần một tỷ lệ hoặc một số đếm."))
        shown, threshold_text = percent_text(value), percent_text
    for threshold, points in tiers:
        if value >= threshold:
            points = _clamp(points, maximum)
            return Proposal(points, _("%(value)s ≥ %(threshold)s → %(points)s điểm") % {
                "value": shown, "threshold": threshold_text(threshold), "points": points_text(points)})  # fmt: skip
    lowest = tiers[-1][0]
    return Proposal(Decimal("0.00"), _("%(value)s < %(threshold)s → 0 điểm") % {
        "value": shown, "threshold": threshold_text(lowest)})  # fmt: skip


def _deadline(m: Measurement, params: dict, maximum: Decimal, year: int) -> Proposal:
    if m.kind != "date":
        return Proposal(None, _("Cách chấm theo thời hạn cần một ngày thực hiện."))
    deadline = m.deadline or deadline_of(params, year)
    if deadline is None:
        return Proposal(None, _("Không xác định được thời hạn để so sánh."))
    if m.value <= deadline:
        return Proposal(_clamp(maximum, maximum), _("Ngày %(value)s, đúng hạn %(deadline)s → %(points)s điểm") % {
            "value": _figure(m), "deadline": f"{deadline:%d/%m/%Y}", "points": points_text(maximum)})  # fmt: skip
    late = _clamp(decimal(params.get("late_points", "0"), _("Điểm khi chậm")), maximum)
    return Proposal(late, _("Ngày %(value)s, chậm so với hạn %(deadline)s → %(points)s điểm") % {
        "value": _figure(m), "deadline": f"{deadline:%d/%m/%Y}", "points": points_text(late)})  # fmt: skip


def propose(rule: str, params: dict | None, maximum: Decimal, measurement: Measurement | None, year: int) -> Proposal:
    """The points `rule` gives for `measurement`, with the reason in Vietnamese; Proposal(None, why) when there is
    none (a manual rule, no measurement, no data, a measurement the rule cannot use). RuleError for bad parameters."""
    params = params or {}
    if rule == RuleKind.MANUAL:
        return Proposal(None, _("Tiêu chí chấm trực tiếp."))
    if measurement is None:
        return Proposal(None, _("cchc không có bộ đánh giá cho tiêu chí này."))
    if measurement.value is None:
        return Proposal(None, measurement.explanation or _("cchc chưa có số liệu cho tiêu chí này."))
    if rule == RuleKind.ALL_OR_NOTHING:
        return _all_or_nothing(measurement, params, maximum, year)
    if rule == RuleKind.PROPORTIONAL:
        return _proportional(measurement, params, maximum)
    if rule == RuleKind.TIERS:
        return _tiers(measurement, params, maximum)
    if rule == RuleKind.DEADLINE:
        return _deadline(measurement, params, maximum, year)
    raise RuleError(_("Cách chấm “%(rule)s” không có trong cchc.") % {"rule": rule})


def check_params(rule: str, params: dict, maximum: Decimal) -> list[str]:
    """What is wrong with a rule's parameters (Vietnamese, empty when nothing)."""
    problems: list[str] = []
    if not isinstance(params, dict):
        return [_("Tham số cách chấm phải là một bảng khóa – giá trị.")]
    try:
        if rule == RuleKind.TIERS:
            tiers = tiers_of(params)
            for threshold, points in tiers:
                if threshold < 0:
                    problems.append(_("Ngưỡng của mức không được âm."))
                elif threshold > ONE and not params.get("counts"):
                    problems.append(_("Ngưỡng tỷ lệ không vượt quá 100 %."))
                if points < 0 or points > maximum:
                    problems.append(_("Điểm của mức (%(points)s) phải từ 0 đến điểm tối đa %(max)s.") % {
                        "points": points_text(points), "max": points_text(maximum)})  # fmt: skip
            thresholds = [threshold for threshold, _points in tiers]
            if len(set(thresholds)) != len(thresholds):
                problems.append(_("Hai mức có cùng ngưỡng."))
            ordered = [points for _threshold, points in tiers]
            if ordered != sorted(ordered, reverse=True):
                problems.append(_("Mức có ngưỡng cao hơn phải có điểm không thấp hơn."))
        elif rule == RuleKind.DEADLINE:
            late = decimal(params.get("late_points", "0"), _("Điểm khi chậm"))
            if late < 0 or late > maximum:
                problems.append(_("Điểm khi chậm phải từ 0 đến điểm tối đa."))
            deadline_of(params, 2000)
        elif rule == RuleKind.ALL_OR_NOTHING:
            if "threshold" in params:
                threshold = decimal(params["threshold"], _("Ngưỡng đạt"))
                if not Decimal("0") < threshold <= ONE:
                    problems.append(_("Ngưỡng đạt là một tỷ lệ từ trên 0 đến 1 (100 %)."))
            if "min" in params:
                decimal(params["min"], _("Số tối thiểu"))
        elif rule == RuleKind.PROPORTIONAL:
            for key, what in (("target", _("Mục tiêu")), ("step", _("Bước làm tròn"))):
                if key in params and decimal(params[key], what) <= 0:
                    problems.append(_("%(what)s phải lớn hơn 0.") % {"what": what})
    except RuleError as exc:
        problems.append(str(exc))
    return problems
