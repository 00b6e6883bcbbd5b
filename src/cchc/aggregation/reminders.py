"""Reminders to the members of an aggregator that have not sent a report: N days before its deadline and N days
after it (each deadline's remind_before_days and remind_after_days; 0 turns a step off), in the application and by
e-mail, to the member's report editors and leaders (agencies.scoping.ACTION_ROLES["report.edit"]).

Run once a day by the task queue (apps.py registers it with jobs.periodic) or by `cchc send-report-reminders`.
Each reminder is written once per aggregator, member, report kind, period and step (ReportReminder's unique
constraint, taken before any notice is written), so running it twice the same day, or on two workers, reminds
once; every reminder is audited. Only the latest periods of each kind are looked at (deadlines.recent_periods), and
the step after the deadline only within AFTER_WINDOW of its day: setting a deadline for the first time does not
remind every member of every old period it never sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.agencies.scoping import ACTION_ROLES
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.notifications import outbox
from cchc.notifications.models import Channel, Kind, Notification
from cchc.reports.models import TemplateKind
from cchc.reports.wording import period_phrase
from cchc.statistics.periods import Period

from .compliance import MemberStatus, member_statuses
from .deadlines import recent_periods
from .models import ReminderStep, ReportingRegime, ReportReminder
from .submissions import members_of
from .succession import period_members, with_predecessors

logger = logging.getLogger("cchc.aggregation")

AFTER_WINDOW = dt.timedelta(days=30)


@dataclass
class ReminderResult:
    before: int = 0
    after: int = 0
    notifications: int = 0


def step_for(status: MemberStatus, today: dt.date) -> str | None:
    """Which reminder `status` calls for today: BEFORE within remind_before_days of the deadline (its day
    included), AFTER from remind_after_days after it (for AFTER_WINDOW); None once sent or without a deadline."""
    regime: ReportingRegime | None = status.regime
    if status.submission is not None or status.deadline is None or regime is None:
        return None
    deadline = status.deadline
    before = regime.remind_before_days
    if before and deadline - dt.timedelta(days=before) <= today <= deadline:
        return ReminderStep.BEFORE
    after = regime.remind_after_days
    if after and deadline + dt.timedelta(days=after) <= today <= deadline + dt.timedelta(days=after) + AFTER_WINDOW:
        return ReminderStep.AFTER
    return None


def recipients_of(agency: Agency) -> list:
    """The member's active people who write or approve its reports."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__agency=agency, memberships__role__in=ACTION_ROLES["report.edit"])
        .distinct()
        .order_by("pk")
    )


def _message(aggregator: Agency, status: MemberStatus, period: Period, kind: str, step: str) -> tuple[str, str]:
    values = {
        "aggregator": aggregator.name, "agency": status.agency.name, "period": period_phrase(period),
        "kind": TemplateKind(kind).label.lower(), "deadline": f"{status.deadline:%d/%m/%Y}",
        "late": status.days_late or 0,
    }  # fmt: skip
    if step == ReminderStep.BEFORE:
        title = _("Sắp đến hạn gửi báo cáo %(period)s (hạn %(deadline)s)") % values
        body = _("%(aggregator)s nhắc: %(agency)s chưa gửi %(kind)s %(period)s. Hạn gửi: %(deadline)s.") % values
    else:
        title = _("Quá hạn gửi báo cáo %(period)s (hạn %(deadline)s)") % values
        body = (
            _(
                "%(aggregator)s nhắc: %(agency)s chưa gửi %(kind)s %(period)s, đã quá hạn %(late)s ngày "
                "(hạn %(deadline)s). Đề nghị gửi báo cáo sớm."
            )
            % values
        )
    return title, body


def _remind(aggregator: Agency, status: MemberStatus, period: Period, kind: str, step: str) -> int | None:
    """Write one reminder and its notices; None when it was written already (by an earlier run or another worker)."""
    member = status.agency
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = ReportReminder.objects.create(
                    aggregator=aggregator, agency=member, report_kind=kind, period_key=period.key, step=step,
                    deadline=status.deadline,
                )  # fmt: skip
        except IntegrityError:
            return None
        title, body = _message(aggregator, status, period, kind, step)
        notice_kind = Kind.REPORT_DUE_SOON if step == ReminderStep.BEFORE else Kind.REPORT_OVERDUE
        link = reverse("reports:list")
        people = recipients_of(member)
        for user in people:
            Notification.objects.create(recipient=user, agency=member, kind=notice_kind, title=title[:255],
                                        body=body, link=link)  # fmt: skip
            if user.email:
                outbox.queue(channel=Channel.EMAIL, agency=member, address=user.email, recipient_user=user,
                             subject=title, body=f"{body}\n\n{_('Xem báo cáo')}: {link}", kind=notice_kind)  # fmt: skip
        reminder.recipients = len(people)
        reminder.save(update_fields=["recipients"])
        audit.record(
            reminder, None, AuditEntry.Action.CREATE,
            changes={"aggregator": aggregator.name, "period": period.key, "kind": kind, "step": step,
                     "deadline": status.deadline.isoformat(), "recipients": len(people)},
            summary=_("Nhắc gửi báo cáo %(period)s (%(step)s)") % {"period": period.label,
                                                                  "step": reminder.get_step_display().lower()},
            agency=member,
        )  # fmt: skip
    return len(people)


def send_report_reminders(now: dt.datetime | None = None) -> ReminderResult:
    """Remind every member that has not sent a report whose deadline is near or past (see the module)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    result = ReminderResult()
    aggregators = Agency.objects.filter(pk__in=ReportingRegime.objects.values("aggregator_id")).order_by("pk")
    for aggregator in aggregators:
        combos = sorted(set(ReportingRegime.objects.filter(aggregator=aggregator)
                            .values_list("report_kind", "period_kind")))  # fmt: skip
        members = list(with_predecessors(members_of(aggregator)).select_related("successor"))
        for kind, period_kind in combos:
            for period in recent_periods(period_kind, today):
                expected = period_members(aggregator, period, members).expected
                for status in member_statuses(aggregator, period, expected, kind=kind, today=today):
                    step = step_for(status, today)
                    if step is None:
                        continue
                    sent = _remind(aggregator, status, period, kind, step)
                    if sent is None:
                        continue
                    if step == ReminderStep.BEFORE:
                        result.before += 1
                    else:
                        result.after += 1
                    result.notifications += sent
    logger.info("Report reminders: %s", result)
    return result
