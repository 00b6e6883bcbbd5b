"""Whether each member sent a period's report to its aggregator, when, against which deadline, and how late.

The deadline is the one that applies now (deadlines.DeadlineBook: the aggregator's rule for the member, the report
kind and the period), so a deadline the aggregator corrects judges again every report of that period; without any
rule, the deadline kept with the submission when it was sent. The day sent
is the submission's: the moment of sending on cchc, or the report's own date for a report imported later (a report
dated in April and uploaded in December was sent in April). A report without a date of its own was received, but
when is not known: it is neither late nor on time, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.agencies.models import Agency
from cchc.reports.models import TemplateKind
from cchc.statistics import periods
from cchc.statistics.periods import Period

from .deadlines import deadline_book
from .models import ReportingRegime, Submission

SENT = "sent"
LATE = "late"
UNKNOWN = "unknown"  # received, day of sending not known
NOT_SENT = "not_sent"  # not sent, deadline not passed (or none set)
OVERDUE = "overdue"  # not sent, deadline passed

STATE_LABELS = {
    SENT: gettext_lazy("Đã gửi"),
    LATE: gettext_lazy("Gửi muộn"),
    UNKNOWN: gettext_lazy("Đã nhận, không rõ ngày gửi"),
    NOT_SENT: gettext_lazy("Chưa gửi"),
    OVERDUE: gettext_lazy("Chưa gửi, quá hạn"),
}


def _day(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@dataclass
class MemberStatus:
    agency: Agency
    submission: Submission | None
    deadline: dt.date | None
    regime: ReportingRegime | None
    today: dt.date

    @property
    def sent_on(self) -> dt.date | None:
        if self.submission is None or not self.submission.date_known:
            return None
        return self.submission.sent_on

    @property
    def state(self) -> str:
        if self.submission is None:
            return OVERDUE if self.deadline is not None and self.today > self.deadline else NOT_SENT
        if not self.submission.date_known:
            return UNKNOWN
        if self.deadline is not None and self.sent_on > self.deadline:
            return LATE
        return SENT

    @property
    def late(self) -> bool:
        return self.state == LATE

    @property
    def missing(self) -> bool:
        return self.submission is None

    @property
    def days_late(self) -> int | None:
        """Days after the deadline: of the sending for a late report, of today for one still not sent."""
        state = self.state
        if state == LATE:
            return (self.sent_on - self.deadline).days
        if state == OVERDUE:
            return (self.today - self.deadline).days
        return None

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def text(self) -> str:
        """ "Gửi ngày 28/04/2023, hạn 17/03/2023: muộn 42 ngày", "Hạn 17/03/2023: quá hạn 12 ngày", ..."""
        state = self.state
        deadline = _("hạn %(day)s") % {"day": _day(self.deadline)} if self.deadline else _("chưa đặt hạn gửi")
        if state == SENT:
            return _("Gửi ngày %(sent)s, %(deadline)s") % {"sent": _day(self.sent_on), "deadline": deadline}
        if state == LATE:
            return _("Gửi ngày %(sent)s, %(deadline)s: muộn %(n)s ngày") % {
                "sent": _day(self.sent_on), "deadline": deadline, "n": self.days_late}  # fmt: skip
        if state == UNKNOWN:
            return _("Báo cáo không ghi ngày, %(deadline)s") % {"deadline": deadline}
        if state == OVERDUE:
            return _("Hạn %(day)s: quá hạn %(n)s ngày") % {"day": _day(self.deadline), "n": self.days_late}
        if self.deadline is None:
            return _("Chưa đặt hạn gửi")
        left = (self.deadline - self.today).days
        if left == 0:
            return _("Hạn %(day)s: hôm nay là hạn cuối") % {"day": _day(self.deadline)}
        return _("Hạn %(day)s: còn %(n)s ngày") % {"day": _day(self.deadline), "n": left}


def member_statuses(
    aggregator: Agency, period: Period, members: list[Agency], *, kind: str = TemplateKind.CCHC,
    today: dt.date | None = None, submitted: dict[int, Submission] | None = None,
) -> list[MemberStatus]:  # fmt: skip
    """The status of each of `members` (in their order) for the period's report of `kind`: three queries at most,
    whatever the number of members (the submissions may be passed in when the caller read them already)."""
    from .submissions import submissions_for

    today = today if today is not None else periods.today()
    ids = [m.pk for m in members]
    if submitted is None:
        submitted = submissions_for(aggregator, period, Agency.objects.filter(pk__in=ids), kind)
    book = deadline_book(aggregator, period, kind, ids)
    statuses = []
    for member in members:
        deadline, regime = book.for_member(member.pk)
        submission = submitted.get(member.pk)
        if deadline is None and submission is not None:
            # No rule applies now: the deadline kept when it was sent still judges it.
            deadline = submission.deadline
        statuses.append(MemberStatus(member, submission, deadline, regime, today))
    return statuses
