"""A step's time: when it is due from its share of the processing time, how much working time it held, and the
label of the Phiếu kiểm soát (Trước hạn / Đúng hạn / Quá hạn).

A share runs as working time from the moment the step starts (moved to the next opening when it starts outside
office hours, on a day off or a holiday): 0,5 ngày làm việc is half an office day, 2 giờ làm việc two office hours.
Unlike the dossier's legal deadline, the day a step starts is counted: the shares of a process then add up to the
procedure's time instead of each step gaining the rest of its first day (ADR 0007).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cchc import calendar
from cchc.procedures.models import StepTimeUnit


def _day_hours() -> Decimal:
    opens, closes = calendar.office_hours()
    seconds = (closes.hour * 3600 + closes.minute * 60) - (opens.hour * 3600 + opens.minute * 60)
    return Decimal(seconds) / Decimal(3600)


def share_hours(duration: Decimal | int | float, unit: str) -> Decimal:
    """A share in working hours: a working day is one office day (07:30-17:00 by default: 9,5 hours)."""
    amount = Decimal(str(duration))
    if amount < 0:
        raise ValueError(_("Thời gian của bước không được âm."))
    if unit == StepTimeUnit.WORKING_HOURS:
        return amount
    if unit == StepTimeUnit.WORKING_DAYS:
        return amount * _day_hours()
    raise ValueError(_("Đơn vị thời gian của bước không hợp lệ: %(unit)s") % {"unit": unit})


def step_due(start: dt.datetime, duration: Decimal | int | float, unit: str, province=None) -> dt.datetime:
    """The moment a step started at `start` with a share of `duration` `unit` is due."""
    hours = share_hours(duration, unit)
    begin = calendar.effective_receipt(start, province)
    if not hours:
        # "Trong ngày": due at the close of the day it starts.
        opens, closes = calendar.office_hours()
        return timezone.make_aware(dt.datetime.combine(timezone.localtime(begin).date(), closes))
    return calendar.due_moment(begin, hours, unit=calendar.DurationUnit.HOURS, province=province)


def working_seconds(start: dt.datetime, end: dt.datetime, province=None) -> int:
    """Office-hours seconds between two moments (0 when end is not after start): the time a step held the dossier."""
    if end <= start:
        return 0
    cal = calendar.calendar_for(province)
    opens, closes = calendar.office_hours()
    start, end = timezone.localtime(start), timezone.localtime(end)
    total = 0
    day = start.date()
    while day <= end.date():
        if cal.is_working_day(day):
            day_open = timezone.make_aware(dt.datetime.combine(day, opens))
            day_close = timezone.make_aware(dt.datetime.combine(day, closes))
            lo, hi = max(start, day_open), min(end, day_close)
            if hi > lo:
                total += int((hi - lo).total_seconds())
        day += dt.timedelta(days=1)
    return total


def held_text(start: dt.datetime | None, end: dt.datetime | None, province=None) -> str:
    """ "1 ngày 2 giờ làm việc": the working time between two moments, as the page and the forms write it."""
    if start is None:
        return ""
    end = end or timezone.now()
    seconds = working_seconds(start, end, province)
    day = int(_day_hours() * 3600)
    days, rest = divmod(seconds, day)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(_("%(n)s ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)s giờ") % {"n": hours})
    if minutes or not parts:
        parts.append(_("%(n)s phút") % {"n": minutes})
    return _("%(time)s làm việc") % {"time": " ".join(parts)}


# --- the label of the Phiếu kiểm soát -----------------------------------------------------------------------

EARLY = "early"
ON_TIME = "on_time"
LATE = "late"


def timeliness(finished_at: dt.datetime | None, due_at: dt.datetime | None) -> str | None:
    """early / on_time / late for a step finished at `finished_at` against its due moment, as the reports count
    (tthc-details §1.11, by date): finished on an earlier day than the due day is early, on the due day and not
    after the due moment on time, after it late. None when either moment is missing."""
    if finished_at is None or due_at is None:
        return None
    if finished_at > due_at:
        return LATE
    if timezone.localtime(finished_at).date() < timezone.localtime(due_at).date():
        return EARLY
    return ON_TIME


LABELS = {EARLY: _lazy("Trước hạn"), ON_TIME: _lazy("Đúng hạn"), LATE: _lazy("Quá hạn")}


def timeliness_label(finished_at: dt.datetime | None, due_at: dt.datetime | None) -> str:
    """ "Trước hạn" / "Đúng hạn" / "Quá hạn" (or "" without both moments): the result column of the Phiếu kiểm
    soát quá trình giải quyết hồ sơ."""
    key = timeliness(finished_at, due_at)
    return str(LABELS[key]) if key else ""


def step_label(step) -> str:
    """The Phiếu kiểm soát label of a finished step ("" while it runs)."""
    return timeliness_label(step.finished_at, step.due_at)


def handover_label(handover) -> str:
    """The label of one hand-over row: did the step handed on keep its time? ("" for a take or a first hand-over)."""
    step = handover.from_step
    if step is None or handover.kind in ("take", "reassign"):
        return ""
    if step.due_at is None and handover.on_time is not None:
        # A hand-over recorded with its verdict only (a step without a due moment, e.g. imported): by that verdict.
        return str(LABELS[ON_TIME if handover.on_time else LATE])
    return timeliness_label(handover.at, step.due_at)
