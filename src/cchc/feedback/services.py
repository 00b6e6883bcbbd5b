"""Receiving, answering and counting feedback (phản ánh, kiến nghị; Nghị định 20/2008/NĐ-CP).

The answer time is configurable: settings.CCHC_FEEDBACK_ANSWER_WORKING_DAYS (default 10 working days, counted with
cchc.calendar from the day after receipt), or `answer_days` per call. The deadline is fixed when an item is received,
so a later change of the setting does not rewrite the history of items already received.

Every change is audited in the same transaction (cchc.audit.service.record) and needs the "feedback.edit" right (see
agencies.scoping.ACTION_ROLES: officers and the one-stop desk, which receives most feedback).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from cchc import calendar
from cchc.agencies import scoping
from cchc.agencies.models import Agency
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.statistics.periods import Period

from .models import CLOSED, Feedback, Status

DEFAULT_ANSWER_WORKING_DAYS = 10
EDIT_ACTION = "feedback.edit"


def answer_working_days() -> int:
    return int(getattr(settings, "CCHC_FEEDBACK_ANSWER_WORKING_DAYS", DEFAULT_ANSWER_WORKING_DAYS))


def answer_due(received_on: dt.date, agency: Agency, answer_days: int | None = None) -> dt.date:
    """The last day to answer: `answer_days` working days after the day of receipt (which does not count)."""
    days = answer_working_days() if answer_days is None else answer_days
    if days < 0:
        raise ValidationError(_("Thời hạn trả lời phản ánh, kiến nghị không được âm."))
    return calendar.add_working_days(received_on, days, province=agency.province_id)


def _require(actor, agency: Agency) -> None:
    if actor is None:
        return  # system jobs (import, demo)
    if not scoping.can(actor, EDIT_ACTION, agency):
        raise PermissionDenied(_("Bạn không có quyền cập nhật phản ánh, kiến nghị của cơ quan này."))


def visible(user) -> QuerySet[Feedback]:
    """Feedback items the user may read."""
    return scoping.scope(Feedback.objects.select_related("agency", "procedure"), user)


@transaction.atomic
def receive(
    agency: Agency,
    actor,
    *,
    received_on: dt.date,
    channel: str,
    subject: str,
    answer_days: int | None = None,
    **fields,
) -> Feedback:
    """Record a received item; its answer deadline is computed now."""
    _require(actor, agency)
    if not subject.strip():
        raise ValidationError(_("Chưa nhập nội dung tóm tắt của phản ánh, kiến nghị."))
    procedure = fields.get("procedure")
    if procedure is not None and procedure.agency_id != agency.pk:
        raise ValidationError(_("Thủ tục hành chính liên quan thuộc cơ quan khác."))
    item = Feedback(
        agency=agency,
        received_on=received_on,
        answer_due_on=answer_due(received_on, agency, answer_days),
        channel=channel,
        subject=subject.strip(),
        **fields,
    )
    item.full_clean()
    item.save()
    audit.record(item, actor, AuditEntry.Action.CREATE, changes=audit.snapshot(item), summary=_("Tiếp nhận phản ánh"))
    return item


def _change(item: Feedback, actor, summary: str, **values) -> Feedback:
    _require(actor, item.agency)
    before = audit.snapshot(item)
    for name, value in values.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    audit.record(
        item, actor, AuditEntry.Action.UPDATE, changes=audit.diff(before, audit.snapshot(item)), summary=summary
    )
    return item


@transaction.atomic
def start_processing(item: Feedback, actor) -> Feedback:
    if item.status != Status.RECEIVED:
        raise ValidationError(_("Chỉ chuyển sang xử lý phản ánh, kiến nghị vừa tiếp nhận."))
    return _change(item, actor, _("Bắt đầu xử lý phản ánh"), status=Status.PROCESSING)


@transaction.atomic
def close(item: Feedback, actor, *, on: dt.date, answer: str, not_in_scope: bool = False) -> Feedback:
    """Answer an item, or close it as outside the agency's remit (with the reason as `answer`)."""
    if item.status in CLOSED:
        raise ValidationError(_("Phản ánh, kiến nghị này đã được xử lý xong."))
    if on < item.received_on:
        raise ValidationError(_("Ngày trả lời không được trước ngày tiếp nhận."))
    if not answer.strip():
        raise ValidationError(_("Chưa nhập nội dung trả lời."))
    status = Status.NOT_IN_SCOPE if not_in_scope else Status.ANSWERED
    return _change(item, actor, _("Trả lời phản ánh"), status=status, answered_on=on, answer=answer.strip())


@dataclass(frozen=True)
class FeedbackFigures:
    """Counts for one period. `handled` items were closed (answered or out of remit) inside the period, whenever
    they were received; `pending` items were received by the period's end and not closed by then."""

    received: int = 0
    handled: int = 0
    handled_on_time: int = 0
    not_in_scope: int = 0
    pending: int = 0
    pending_overdue: int = 0

    @property
    def handled_late(self) -> int:
        return self.handled - self.handled_on_time

    @property
    def pending_within(self) -> int:
        return self.pending - self.pending_overdue

    @property
    def empty(self) -> bool:
        return not (self.received or self.handled or self.pending)


def period_counts(period: Period, agencies: Iterable[Agency | int]) -> FeedbackFigures:
    """Feedback counts of `agencies` for `period`, in one aggregate query. The caller scopes `agencies`."""
    ids = [getattr(agency, "pk", agency) for agency in agencies]
    start, end = period.start, period.end
    closed_in = Q(status__in=CLOSED, answered_on__gte=start, answered_on__lte=end)
    open_at_end = Q(received_on__lte=end) & (Q(answered_on__isnull=True) | Q(answered_on__gt=end))
    values = Feedback.objects.filter(agency_id__in=ids).aggregate(
        received=Count("pk", filter=Q(received_on__gte=start, received_on__lte=end)),
        handled=Count("pk", filter=closed_in),
        handled_on_time=Count("pk", filter=closed_in & Q(answered_on__lte=F("answer_due_on"))),
        not_in_scope=Count("pk", filter=closed_in & Q(status=Status.NOT_IN_SCOPE)),
        pending=Count("pk", filter=open_at_end),
        pending_overdue=Count("pk", filter=open_at_end & Q(answer_due_on__lt=end)),
    )
    return FeedbackFigures(**values)
