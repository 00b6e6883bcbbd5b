"""How one dossier counts in the figures of one period — defined once, in two forms that tests prove equal:

- conditions(period): Django Q expressions per flag, for the SQL aggregates of statistics.service;
- classify(dossier, period): the same flags in Python for one dossier (drill-downs, explanations, tests).

Definitions (tthc.md §3, tthc-details.md §1.11, columns of Biểu 06/VPCP/KSTT of Thông tư 01/2020/TT-VPCP), for a
period [start, end] (end = today while the period runs, see below) and the stored columns received_on, ended_on,
due_date (the legal due day, moved by supplement pauses, not by an apology), paused_at:

- carried over (từ kỳ trước): received_on < start and not ended before start;
- newly received (mới tiếp nhận): start <= received_on <= end, split by channel (2 online, 1 direct, 3 postal);
- resolved (đã giải quyết): start <= ended_on <= end, whatever the outcome (refusals and withdrawals also end
  processing and are reported separately too), so that received = resolved + in progress; early if ended_on <
  due_date, on time if equal, late if after;
- in progress at the end (đang giải quyết): received_on <= end and not ended by end; within the deadline (trong hạn)
  when due_date >= end, or when the applicant is being waited for since a day up to the due day (the clock is
  paused, NĐ 61/2018 Điều 19 / tthc-details.md §1.6); overdue (quá hạn) otherwise.

Granularity: by date (the default of tthc-details.md §1.11: "early" = a day before the due day). Every comparison
goes through a Granularity object so a "datetime" granularity (received_at / ended_at / due_at against moments) can be
added as a second instance without touching the callers.

A period that has not ended yet is classified as of now: every function takes `today` (default: the current local
day) and counts up to period.cutoff(today) = min(end, today) instead of `end`. A dossier still open is then overdue
only if its due day is before today, and nothing received or ended after today counts. The dashboard, the reports,
the roll-up and the drill-down lists all go through these functions, so they agree on it by construction.

Only dossiers with received_on <= cutoff and (ended_on is null or ended_on >= start) can count at all:
`relevant()`. The identities rely on a dossier never ending before it was received (ended_on >= received_on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from cchc.dossiers.models import Channel, Outcome

from . import periods
from .periods import Period

CHANNEL_DIRECT = Channel.DIRECT
CHANNEL_ONLINE = Channel.ONLINE
CHANNEL_POSTAL = Channel.POSTAL
OUTCOME_REFUSED = Outcome.REFUSED
OUTCOME_WITHDRAWN = Outcome.WITHDRAWN


@dataclass(frozen=True)
class Granularity:
    """The columns a comparison uses. Only "date" exists; "datetime" would map to received_at/ended_at/due_at."""

    name: str
    received: str
    ended: str
    due: str


DATE = Granularity("date", received="received_on", ended="ended_on", due="due_date")
GRANULARITIES = {"date": DATE}


def granularity(name: str = "date") -> Granularity:
    try:
        return GRANULARITIES[name]
    except KeyError:
        raise ValueError(f"Độ chi tiết so sánh chưa được hỗ trợ: «{name}» (hiện có: date).") from None


@dataclass(frozen=True)
class Flags:
    """Which columns of the period report one dossier counts in. `resolved_*`, `refused`, `withdrawn` overlap:
    a refused dossier ended in the period is also resolved early, on time or late."""

    carried_over: bool = False
    received_online: bool = False
    received_direct: bool = False
    received_postal: bool = False
    resolved_early: bool = False
    resolved_on_time: bool = False
    resolved_late: bool = False
    refused: bool = False
    withdrawn: bool = False
    in_progress_within: bool = False
    in_progress_overdue: bool = False

    def names(self) -> set[str]:
        return {f.name for f in fields(self) if getattr(self, f.name)}

    @property
    def counted(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


FLAG_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Flags))


def cutoff(period: Period, today: dt.date | None = None) -> dt.date:
    """The last day counted: the period's end, or today while the period runs (today defaults to the local day)."""
    return period.cutoff(today if today is not None else periods.today())


def relevant(period: Period, g: Granularity = DATE, *, today: dt.date | None = None) -> Q:
    """The dossiers that can count in the period; filter with it before aggregating (it is what the indexes serve)."""
    return Q(**{f"{g.received}__lte": cutoff(period, today)}) & (
        Q(**{f"{g.ended}__isnull": True}) | Q(**{f"{g.ended}__gte": period.start})
    )


def _paused_on_or_before_due(g: Granularity) -> Q:
    # The local day the supplement request was sent, against the due day (both in Asia/Ho_Chi_Minh).
    return Q(paused_at__isnull=False) & Q(LessThanOrEqual(TruncDate("paused_at"), F(g.due)))


def conditions(period: Period, g: Granularity = DATE, *, today: dt.date | None = None) -> dict[str, Q]:
    """flag name -> Q, each to be combined with relevant(period) (the aggregates filter the rows with it); as of
    `today` for a period that has not ended (see the module docstring)."""
    start, last = period.start, cutoff(period, today)  # the end, or today while the period runs
    received_in = Q(**{f"{g.received}__gte": start, f"{g.received}__lte": last})
    ended_in = Q(**{f"{g.ended}__gte": start, f"{g.ended}__lte": last})
    open_at_end = Q(**{f"{g.received}__lte": last}) & (
        Q(**{f"{g.ended}__isnull": True}) | Q(**{f"{g.ended}__gt": last})
    )
    within = Q(**{f"{g.due}__gte": last}) | _paused_on_or_before_due(g)
    return {
        "carried_over": Q(**{f"{g.received}__lt": start})
        & (Q(**{f"{g.ended}__isnull": True}) | Q(**{f"{g.ended}__gte": start})),
        "received_online": received_in & Q(channel=CHANNEL_ONLINE),
        "received_direct": received_in & Q(channel=CHANNEL_DIRECT),
        "received_postal": received_in & Q(channel=CHANNEL_POSTAL),
        "resolved_early": ended_in & Q(**{f"{g.ended}__lt": F(g.due)}),
        "resolved_on_time": ended_in & Q(**{g.ended: F(g.due)}),
        "resolved_late": ended_in & Q(**{f"{g.ended}__gt": F(g.due)}),
        "refused": ended_in & Q(outcome=OUTCOME_REFUSED),
        "withdrawn": ended_in & Q(outcome=OUTCOME_WITHDRAWN),
        "in_progress_within": open_at_end & within,
        "in_progress_overdue": open_at_end & ~within,
    }


def local_day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    if timezone.is_aware(moment):
        return timezone.localtime(moment).date()
    return moment.date()


def classify(dossier, period: Period, g: Granularity = DATE, *, today: dt.date | None = None) -> Flags:
    """The flags of one dossier (any object with the stored columns: a Dossier, a row, a test double)."""
    if g is not DATE:
        raise ValueError(f"Độ chi tiết so sánh chưa được hỗ trợ: «{g.name}».")
    received, ended, due = dossier.received_on, dossier.ended_on, dossier.due_date
    start, last = period.start, cutoff(period, today)  # the end, or today while the period runs
    if received > last or (ended is not None and ended < start):
        return Flags()
    received_in = start <= received <= last
    ended_in = ended is not None and start <= ended <= last
    open_at_end = ended is None or ended > last
    paused_day = local_day(dossier.paused_at)
    within = due >= last or (paused_day is not None and paused_day <= due)
    return Flags(
        carried_over=received < start,
        received_online=received_in and dossier.channel == CHANNEL_ONLINE,
        received_direct=received_in and dossier.channel == CHANNEL_DIRECT,
        received_postal=received_in and dossier.channel == CHANNEL_POSTAL,
        resolved_early=ended_in and ended < due,
        resolved_on_time=ended_in and ended == due,
        resolved_late=ended_in and ended > due,
        refused=ended_in and dossier.outcome == OUTCOME_REFUSED,
        withdrawn=ended_in and dossier.outcome == OUTCOME_WITHDRAWN,
        in_progress_within=open_at_end and within,
        in_progress_overdue=open_at_end and not within,
    )


def dossiers_with(queryset, period: Period, flag: str, g: Granularity = DATE, *, today: dt.date | None = None):
    """The dossiers behind one figure (the drill-down of a report cell), e.g. dossiers_with(qs, p, "resolved_late")."""
    today = today if today is not None else periods.today()
    conds = conditions(period, g, today=today)
    if flag not in conds:
        raise ValueError(f"Không có chỉ tiêu «{flag}».")
    return queryset.filter(relevant(period, g, today=today)).filter(conds[flag])
