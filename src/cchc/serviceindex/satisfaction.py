"""The inputs of the satisfaction group (5.2, 5.3, 5.4), read from what cchc records today: the feedback items of
cchc.feedback (phản ánh, kiến nghị). This module is the one place the index reads them: `inputs()` for the counts
and `items()` for the lists, so the applicants' own ratings (a later model: "hài lòng / không hài lòng" per
dossier, likes and dislikes of a published answer, re-raised feedback) plug in here, by adding their counts to
SatisfactionInputs, without touching the scoring or the pages.

Definitions (tthc-details.md §3.2, §4.1), for the window [start, last] (last = the period's end, or today while it
runs), over items of the agency's remit (status "không thuộc phạm vi xử lý" excluded):
- 5.2: items handled in the window or still open at its end; on time = answered by the answer deadline, or open
  with the deadline not passed at the end;
- 5.3: items first received in the window, less those answered late or open past the deadline (and, once
  recorded, those rated unsatisfied or raised again);
- 5.4: each item received in the window counts as one dossier with feedback (feedback is not linked to dossiers
  yet), added to the dossiers rated unsatisfied (none recorded yet).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, QuerySet, Value

from cchc.feedback.models import CLOSED, Feedback, Status

from . import prepared
from .measures import Window

LATE_FEEDBACK = "late"
RECEIVED_FEEDBACK = "received_late"
COMPLAINTS = "complaints"


@dataclass(frozen=True)
class SatisfactionInputs:
    feedback_counted: int = 0  # 5.2 denominator
    feedback_on_time: int = 0  # 5.2 numerator
    feedback_received: int = 0  # 5.3 denominator
    feedback_received_late: int = 0
    feedback_unsatisfied: int = 0  # more dislikes than likes: not recorded by cchc yet
    feedback_reraised: int = 0  # raised again: not recorded by cchc yet
    dossiers_complained: int = 0  # 5.4: dossiers with feedback or rated unsatisfied

    @property
    def feedback_satisfied(self) -> int:
        """5.3 numerator."""
        lost = self.feedback_received_late + self.feedback_unsatisfied + self.feedback_reraised
        return max(0, self.feedback_received - lost)


def _conditions(w: Window) -> dict[str, Q]:
    start, last = w.period.start, w.last
    in_scope = ~Q(status=Status.NOT_IN_SCOPE)
    closed_in = Q(status__in=CLOSED, answered_on__gte=start, answered_on__lte=last)
    open_at_end = Q(received_on__lte=last) & (Q(answered_on__isnull=True) | Q(answered_on__gt=last))
    counted = in_scope & (closed_in | open_at_end)
    on_time = (closed_in & Q(answered_on__lte=F("answer_due_on"))) | (open_at_end & Q(answer_due_on__gte=last))
    received = in_scope & Q(received_on__gte=start, received_on__lte=last)
    answered_late = Q(answered_on__isnull=False, answered_on__lte=last, answered_on__gt=F("answer_due_on"))
    late = answered_late | (open_at_end & Q(answer_due_on__lt=last))
    return {
        "counted": counted,
        "on_time": counted & on_time,
        "late": counted & ~on_time,
        "received": received,
        "received_late": received & late,
    }


def _scoped(agency_ids: Iterable[int]) -> QuerySet[Feedback]:
    return Feedback.objects.filter(agency_id__in=sorted(set(agency_ids)))


def _counts(w: Window, agency_ids: list[int]) -> QuerySet:
    c = _conditions(w)
    # values() on a constant groups everything in one row, a queryset prepared.rows can keep.
    return (
        _scoped(agency_ids)
        .order_by()
        .annotate(_all=Value(1, output_field=IntegerField()))
        .values("_all")
        .annotate(
            counted=Count("pk", filter=c["counted"]),
            on_time=Count("pk", filter=c["on_time"]),
            received=Count("pk", filter=c["received"]),
            received_late=Count("pk", filter=c["received_late"]),
        )
    )


def inputs(w: Window, agency_ids: Iterable[int]) -> SatisfactionInputs:
    """The counts of the satisfaction group for the agencies (already scoped by the caller), in one query
    (prepared.py: compiled once per scope)."""
    ids = sorted(set(agency_ids))
    found = (
        prepared.rows(("feedback", tuple(ids)), lambda start, last: _counts(Window.between(start, last), ids),
                      (w.period.start, w.last))  # fmt: skip
        if ids
        else []
    )
    row = found[0] if found else {"counted": 0, "on_time": 0, "received": 0, "received_late": 0}
    return SatisfactionInputs(
        feedback_counted=row["counted"],
        feedback_on_time=row["on_time"],
        feedback_received=row["received"],
        feedback_received_late=row["received_late"],
        dossiers_complained=row["received"],
    )


def items(w: Window, agency_ids: Iterable[int], what: str) -> QuerySet[Feedback]:
    """The feedback items behind lost points: LATE_FEEDBACK (5.2), RECEIVED_FEEDBACK (5.3: received in the window
    and late) or COMPLAINTS (5.4: every item received in the window)."""
    c = _conditions(w)
    condition = {LATE_FEEDBACK: c["late"], RECEIVED_FEEDBACK: c["received_late"], COMPLAINTS: c["received"]}[what]
    return _scoped(agency_ids).filter(condition).select_related("agency", "procedure").order_by("received_on", "pk")
