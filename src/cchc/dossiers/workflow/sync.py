"""The steps follow what the plain lifecycle does to their dossier (called from lifecycle._commit for every event
that is not the workflow's own call):

- supplement requested: the open steps' clocks stop (paused_at); supplemented: each open step's due moment moves by
  the working days the dossier waited, as the dossier's own due moment does (or, for a procedure whose clock
  restarts, runs its whole share again from the supplement); the default step keeps the dossier's due moment;
- refused or withdrawn: the open steps are cancelled;
- resolved or returned through the plain lifecycle (possible only without a defined process): the open steps close;
- assigned to a unit (idem): a queued step of "the unit holding the dossier" moves to that unit's queue.
"""

from __future__ import annotations

from cchc import calendar
from cchc.procedures.models import SupplementClock

from ..models import DossierEvent, EventKind
from ..rules import local_date
from . import deadlines
from .context import is_driving
from .engine import apply, finish, record, steps_of
from .models import StepState
from .transitions import Actor, Move

OPEN = (StepState.WAITING, StepState.QUEUED, StepState.ACTIVE)
HELD = (StepState.QUEUED, StepState.ACTIVE)


def after_event(dossier, event: DossierEvent) -> None:
    if is_driving() or event.kind == EventKind.RECEIVED:
        return
    steps = [s for s in steps_of(dossier) if s.state in OPEN]
    if not steps:
        return
    actor, at = event.actor, event.at
    province = dossier.agency.province_id
    if event.kind == EventKind.SUPPLEMENT_REQUESTED:
        for step in steps:
            if step.state in HELD and step.paused_at is None:
                step.paused_at = at
                step.save(update_fields=["paused_at"])
    elif event.kind == EventKind.SUPPLEMENTED:
        restart = dossier.procedure.supplement_clock == SupplementClock.RESTART
        for step in steps:
            if step.paused_at is None:
                continue
            if step.is_default:
                step.due_at = dossier.due_at
            elif restart:
                step.due_at = deadlines.step_due(at, step.duration, step.duration_unit, province)
            elif step.due_at is not None:
                waited = calendar.working_days_between(local_date(step.paused_at), local_date(at), province)
                step.due_at = calendar.extend_by_working_days(step.due_at, waited, province)
            step.paused_at = None
            step.save(update_fields=["due_at", "paused_at"])
    elif event.kind in (EventKind.REFUSED, EventKind.WITHDRAWN):
        for step in steps:
            diff = apply(step, Move.CANCEL, {Actor.SYSTEM}, {"finished_at": at})
            record(step, actor, Move.CANCEL, diff, str(EventKind(event.kind).label))
    elif event.kind in (EventKind.RESOLVED, EventKind.RESULT_RETURNED):
        for step in steps:
            if event.kind == EventKind.RESOLVED and not step.is_approval and step.position > _approval_position(steps):
                continue
            changes = finish(step, at) if step.state != StepState.WAITING else {"finished_at": at}
            diff = apply(step, Move.CLOSE, {Actor.SYSTEM}, changes)
            record(step, actor, Move.CLOSE, diff, str(EventKind(event.kind).label))
    elif event.kind == EventKind.ASSIGNED:
        for step in steps:
            if step.unit_from_dossier and step.state == StepState.QUEUED and step.unit_id != dossier.current_unit_id:
                step.unit = dossier.current_unit
                step.save(update_fields=["unit"])


def _approval_position(steps) -> int:
    return next((s.position for s in steps if s.is_approval), 10**4)
