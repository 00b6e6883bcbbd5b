"""The period picker of the index pages: calendar months, quarters and years (the national portal's periods, not
the Nghị định 09/2019 cut-off days) and any range of days; and the mapping of another page's period (the
dashboard's, a report's) onto the calendar period the index is computed for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cchc.statistics import periods
from cchc.statistics.periods import Period

CALENDAR = "calendar"
CUSTOM = "tuy-chon"
_SAME_KINDS = {"month", "quarter", "half", "nine_months", "year"}


@dataclass
class PeriodChoice:
    period: Period
    key: str  # the period's key, or CUSTOM
    start: dt.date | None
    end: dt.date | None
    error: str = ""

    @property
    def query(self) -> dict[str, str]:
        """The query parameters that select this period again (for links)."""
        if self.key == CUSTOM:
            return {"ky": CUSTOM, "tu": self.period.start.isoformat(), "den": self.period.end.isoformat()}
        return {"ky": self.key}


def current(today: dt.date) -> Period:
    return periods.current_quarter(today, CALENDAR)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def resolve(params, today: dt.date) -> PeriodChoice:
    """Read ?ky=<key or tuy-chon>&tu=&den=; on bad input fall back to the current calendar quarter and say why."""
    default = current(today)
    key = (params.get("ky") or "").strip()
    start, end = _date(params.get("tu")), _date(params.get("den"))
    if key == CUSTOM or (not key and (params.get("tu") or params.get("den"))):
        if start is None or end is None:
            return PeriodChoice(default, default.key, start, end, _("Hãy nhập đủ ngày bắt đầu và ngày kết thúc."))
        try:
            return PeriodChoice(periods.date_range(start, end), CUSTOM, start, end)
        except ValueError as exc:
            return PeriodChoice(default, default.key, start, end, str(exc))
    if not key:
        return PeriodChoice(default, default.key, None, None)
    try:
        period = periods.parse_period(key, CALENDAR)
    except ValueError as exc:
        return PeriodChoice(default, default.key, None, None, str(exc))
    return PeriodChoice(period, period.key, None, None)


def options(today: dt.date) -> list[tuple[str, list[Period]]]:
    """This year's and last year's periods up to the current one: the year, its quarters, its months, newest first."""
    groups = []
    for year in (today.year, today.year - 1):
        items = [periods.year(year, CALENDAR)]
        items += [periods.quarter(year, n, CALENDAR) for n in range(4, 0, -1) if dt.date(year, 3 * n - 2, 1) <= today]
        items += [periods.month(year, n, CALENDAR) for n in range(12, 0, -1) if dt.date(year, n, 1) <= today]
        groups.append((_("Năm %(y)s") % {"y": year}, items))
    return groups


def calendar_period(period: Period) -> Period:
    """The calendar period of the same kind, number and year (Quý I/2023 under NĐ 09 -> 01/01–31/03/2023); a
    range of days stays as it is."""
    if period.mode == CALENDAR or period.kind not in _SAME_KINDS:
        return period
    return periods.parse_period(period.key, CALENDAR)


def months_ending(period: Period, today: dt.date, count: int = 12) -> list[Period]:
    """The `count` calendar months ending with the period's last counted month (the trend)."""
    last = min(period.end, today)
    index = last.year * 12 + last.month - 1
    return [periods.month(i // 12, i % 12 + 1, CALENDAR) for i in range(index - count + 1, index + 1)]
