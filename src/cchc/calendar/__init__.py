"""The working calendar: which days count for legal deadlines (ngày làm việc) and when a dossier is due.

Base: the `holidays` package, country VN (Bộ luật Lao động 2019 Điều 112 holidays, the government's yearly day
swaps and the Saturdays made working days). On top: overrides an admin records (`CalendarOverride`), nationwide
or for one province, each with the deciding document. Weekends are Saturday and Sunday (QĐ 188/1999/QĐ-TTg).

Every lookup is O(1): a calendar is built once per province for 2010-2040 into a flag table, the ordered list of
working days and a running count of working days, then cached in the process. A change to the overrides is seen at
once by the code that saved it (even inside its transaction), by the other threads of the process when it commits,
and by other processes within a few seconds (through the shared cache). A rolled-back change leaves no trace.

Conventions (see docs/domain-decisions.md):
- add_working_days(d, n) is the n-th working day after d (d itself never counts; n=0 returns d);
- working_days_between(start, end) counts working days in (start, end], so that
  working_days_between(d, add_working_days(d, n)) == n;
- due_moment() follows tthc.md §2 / tthc-details.md §1.12: a dossier received outside office hours or on a day
  off counts as received at the next working-day opening, the day of receipt is not counted, and the result is
  due at the close of the last day.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
import math
import threading
import time
from bisect import bisect_right
from decimal import Decimal
from functools import lru_cache

FIRST_YEAR = 2010
LAST_YEAR = 2040
_VERSION_KEY = "cchc:calendar:version"
_VERSION_CHECK_SECONDS = 5.0


class OutOfRange(ValueError):
    pass


class WorkingCalendar:
    """An immutable working calendar over [FIRST_YEAR, LAST_YEAR]."""

    def __init__(
        self,
        days_off: dict[dt.date, str],
        working_days: dict[dt.date, str],
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
    ) -> None:
        self.first = dt.date(first_year, 1, 1)
        self.last = dt.date(last_year, 12, 31)
        self._base = self.first.toordinal()
        size = self.last.toordinal() - self._base + 1
        self.days_off = dict(days_off)
        self.extra_working_days = dict(working_days)
        flags = bytearray(size)
        working: list[int] = []
        # running[i] = number of working days with ordinal <= base + i
        running = [0] * size
        count = 0
        for i in range(size):
            day = dt.date.fromordinal(self._base + i)
            if day in working_days:
                works = True
            elif day in days_off:
                works = False
            else:
                works = day.weekday() < 5
            if works:
                flags[i] = 1
                count += 1
                working.append(self._base + i)
            running[i] = count
        self._flags = bytes(flags)
        self._size = size
        self._working = working
        self._working_dates = [dt.date.fromordinal(o) for o in working]
        self._running = running

    def _index(self, day: dt.date) -> int:
        i = day.toordinal() - self._base
        if i < 0 or i >= len(self._flags):
            raise OutOfRange(
                f"Ngày {day:%d/%m/%Y} nằm ngoài phạm vi lịch làm việc ({self.first.year}–{self.last.year})."
            )
        return i

    def is_working_day(self, day: dt.date) -> bool:
        return self._flags[self._index(day)] == 1

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n > 0), before it (n < 0), or `day` itself (n == 0)."""
        # The hot path of deadline computation: index arithmetic only, no loop over days.
        i = day.toordinal() - self._base
        if i < 0 or i >= self._size:
            self._index(day)
        if n > 0:
            target = self._running[i] + n - 1
        elif n < 0:
            target = self._running[i] - self._flags[i] + n
        else:
            return day
        if target < 0 or target >= len(self._working_dates):
            raise OutOfRange(f"Kết quả nằm ngoài phạm vi lịch làm việc ({self.first.year}–{self.last.year}).")
        return self._working_dates[target]

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return self._running[self._index(end)] - self._running[self._index(start)]

    def next_working_day(self, day: dt.date, include_today: bool = False) -> dt.date:
        if include_today and self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def working_days_in(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days of [start, end], both included."""
        self._index(start)
        self._index(end)
        lo = bisect_right(self._working, start.toordinal() - 1)
        hi = bisect_right(self._working, end.toordinal())
        return [dt.date.fromordinal(o) for o in self._working[lo:hi]]


@lru_cache(maxsize=4)
def _package_days(first_year: int, last_year: int) -> tuple[tuple[tuple[dt.date, str], ...], tuple[dt.date, ...]]:
    import holidays

    vn = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
    return tuple(vn.items()), tuple(getattr(vn, "weekend_workdays", ()))


def _base_days(first_year: int, last_year: int) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """The package's days off and working Saturdays: fresh dicts, so that overrides never touch the cached base."""
    days_off, working_saturdays = _package_days(first_year, last_year)
    return dict(days_off), {day: "Ngày làm bù" for day in working_saturdays}


def build_calendar(province_id: int | None = None) -> WorkingCalendar:
    """Build the calendar of a province (or the national one) from the base and the stored overrides."""
    from .models import CalendarOverride

    days_off, working = _base_days(FIRST_YEAR, LAST_YEAR)
    overrides = CalendarOverride.objects.filter(province__isnull=True)
    if province_id is not None:
        overrides = CalendarOverride.objects.filter(province__isnull=True) | CalendarOverride.objects.filter(
            province_id=province_id
        )
    # National first, then the province's own, so a province's decision wins on the same date.
    for override in sorted(overrides, key=lambda o: o.province_id is not None):
        if override.kind == CalendarOverride.Kind.DAY_OFF:
            days_off[override.date] = override.name
            working.pop(override.date, None)
        else:
            working[override.date] = override.name
            days_off.pop(override.date, None)
    return WorkingCalendar(days_off, working)


_lock = threading.Lock()
_calendars: dict[int | None, WorkingCalendar] = {}
_state = {"version": None, "checked": 0.0}
# Overrides changed inside a transaction not yet committed: the calendars this thread sees until it commits.
# Each change registers its own on-commit callback; Django drops the callbacks of a rolled-back transaction or
# savepoint (a rollback sends no signal), so "is one of our callbacks still registered?" tells whether the
# uncommitted change still exists.
_pending = threading.local()


def _shared_version():
    from django.core.cache import cache

    return cache.get(_VERSION_KEY)


def invalidate() -> None:
    """Forget built calendars here and tell other processes (through the cache) to do the same."""
    from django.core.cache import cache

    with _lock:
        _calendars.clear()
        version = time.time_ns()
        cache.set(_VERSION_KEY, version, None)
        _state["version"] = version
        _state["checked"] = time.monotonic()


def overrides_changed() -> None:
    """Called when an override is saved or deleted (see signals.py).

    Outside a transaction every process forgets its calendars. Inside one, only this thread sees the change until
    the commit: other threads keep the committed calendar, and a rollback leaves the shared cache untouched.
    """
    from django.db import connection, transaction

    if not connection.in_atomic_block:
        invalidate()
        return

    def committed() -> None:
        _pending.state = None
        invalidate()

    state = getattr(_pending, "state", None) or {"callbacks": [], "calendars": {}}
    state["callbacks"].append(committed)
    state["calendars"] = {}
    _pending.state = state
    transaction.on_commit(committed)


def _pending_calendars() -> dict[int | None, WorkingCalendar] | None:
    state = getattr(_pending, "state", None)
    if state is None:
        return None
    from django.db import connection

    registered = {id(func) for _, func, _ in connection.run_on_commit}
    alive = [func for func in state["callbacks"] if id(func) in registered]
    if not alive:
        _pending.state = None
        return None
    if len(alive) != len(state["callbacks"]):
        # A savepoint holding some of the changes was rolled back: read the overrides again.
        state["callbacks"] = alive
        state["calendars"] = {}
    return state["calendars"]


def _province_id(province) -> int | None:
    if province is None:
        return None
    return province if isinstance(province, int) else province.pk


def calendar_for(province=None) -> WorkingCalendar:
    """The working calendar of a province (a Province, its id, or None for the national calendar)."""
    key = _province_id(province)
    if getattr(_pending, "state", None) is not None:
        pending = _pending_calendars()
        if pending is not None:
            found = pending.get(key)
            if found is None:
                found = pending[key] = build_calendar(key)
            return found
    now = time.monotonic()
    if now - _state["checked"] > _VERSION_CHECK_SECONDS:
        version = _shared_version()
        with _lock:
            if version != _state["version"]:
                _calendars.clear()
                _state["version"] = version
            _state["checked"] = now
    found = _calendars.get(key)
    if found is None:
        found = build_calendar(key)
        with _lock:
            _calendars[key] = found
    return found


def is_working_day(day: dt.date, province=None) -> bool:
    return calendar_for(province).is_working_day(day)


def add_working_days(day: dt.date, n: int, province=None) -> dt.date:
    return calendar_for(province).add_working_days(day, n)


def working_days_between(start: dt.date, end: dt.date, province=None) -> int:
    return calendar_for(province).working_days_between(start, end)


# --- dossier deadlines -------------------------------------------------------------------------------------


class DurationUnit:
    WORKING_DAYS = "working_days"
    DAYS = "days"
    HOURS = "working_hours"
    MONTHS = "months"


def office_hours() -> tuple[dt.time, dt.time]:
    from django.conf import settings

    opens = dt.time.fromisoformat(settings.CCHC["OFFICE_OPENS"])
    closes = dt.time.fromisoformat(settings.CCHC["OFFICE_CLOSES"])
    return opens, closes


def _local(moment: dt.datetime) -> dt.datetime:
    from django.utils import timezone

    if timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return timezone.localtime(moment)


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, at))


def effective_receipt(moment: dt.datetime, province=None, cutoff: dt.time | None = None) -> dt.datetime:
    """The moment from which a dossier received at `moment` counts.

    Outside office hours or on a day off it counts as received at the next working-day opening; before opening
    on a working day, at that day's opening. `cutoff` (a procedure's own cut-off, e.g. 15:00 for procedures
    settled within the day) moves a receipt after it to the next working day.
    """
    cal = calendar_for(province)
    opens, closes = office_hours()
    local = _local(moment)
    day, at = local.date(), local.time()
    late = at >= closes or (cutoff is not None and at >= cutoff)
    if not cal.is_working_day(day) or late:
        return _aware(cal.next_working_day(day), opens)
    if at < opens:
        return _aware(day, opens)
    return local


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, std_calendar.monthrange(year, month)[1]))


def due_moment(
    received_at: dt.datetime,
    duration: Decimal | int | float,
    unit: str = DurationUnit.WORKING_DAYS,
    province=None,
    cutoff: dt.time | None = None,
) -> dt.datetime:
    """When a dossier received at `received_at` with a processing time of `duration` `unit` is due.

    The day of receipt is not counted (Bộ luật Dân sự 2015 Điều 147); a period ending on a day off ends on the
    next working day (Điều 148). A duration of 0 means "within the day". A fraction of a working day (internal
    step budgets are set in 0,5 day) runs as that share of the office hours of the next working day.
    """
    amount = Decimal(str(duration))
    if amount < 0:
        raise ValueError(f"Thời hạn không được âm: {duration}")
    cal = calendar_for(province)
    opens, closes = office_hours()
    start = effective_receipt(received_at, province, cutoff)
    start_day = start.date()
    if unit == DurationUnit.HOURS:
        return _add_working_hours(cal, start, amount, opens, closes)
    if unit == DurationUnit.WORKING_DAYS:
        whole = int(amount)
        due_day = cal.add_working_days(start_day, whole)
        fraction = amount - whole
        if fraction:
            day_hours = Decimal((_seconds(closes) - _seconds(opens)) / 3600)
            next_opening = _aware(cal.next_working_day(due_day), opens)
            return _add_working_hours(cal, next_opening, fraction * day_hours, opens, closes)
    elif unit == DurationUnit.DAYS:
        due_day = cal.next_working_day(start_day + dt.timedelta(days=math.ceil(amount)), include_today=True)
    elif unit == DurationUnit.MONTHS:
        if amount != int(amount):
            raise ValueError(f"Thời hạn tính theo tháng phải là số nguyên: {duration}")
        due_day = cal.next_working_day(_add_months(start_day, int(amount)), include_today=True)
    else:
        raise ValueError(f"Đơn vị thời hạn không hợp lệ: {unit}")
    return _aware(due_day, closes)


def _seconds(at: dt.time) -> int:
    return at.hour * 3600 + at.minute * 60 + at.second


def _add_working_hours(
    cal: WorkingCalendar, start: dt.datetime, hours: Decimal, opens: dt.time, closes: dt.time
) -> dt.datetime:
    remaining = dt.timedelta(seconds=float(hours) * 3600)
    current = start
    while True:
        day_end = _aware(current.date(), closes)
        available = day_end - current
        if remaining <= available:
            return current + remaining
        remaining -= available
        current = _aware(cal.next_working_day(current.date()), opens)


def extend_by_working_days(due: dt.datetime, days: int, province=None) -> dt.datetime:
    """Move a due moment by whole working days (used when a supplement pauses the clock)."""
    local = _local(due)
    new_day = calendar_for(province).add_working_days(local.date(), days)
    return _aware(new_day, local.time())


def days_off_in_year(year: int, province=None) -> list[tuple[dt.date, str, bool]]:
    """(date, name, is_working) of every non-ordinary day of a year: holidays on weekdays and working weekends."""
    cal = calendar_for(province)
    rows = []
    for day, name in sorted(cal.days_off.items()):
        if day.year == year and day.weekday() < 5:
            rows.append((day, name, False))
    for day, name in sorted(cal.extra_working_days.items()):
        if day.year == year:
            rows.append((day, name, True))
    return sorted(rows)
