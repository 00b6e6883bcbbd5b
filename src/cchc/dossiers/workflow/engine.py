"""The shared mechanics of every move: lock the dossier, check the transition table, change the step, write the
hand-over, the audit entry and, once committed, the step_reached signal. services.py and sync.py call these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from ..models import Dossier, Status
from ..rules import TransitionError, fmt_moment
from . import deadlines, signals
from .models import DossierStep, Handover, HandoverKind, StepState
from .permissions import is_outside, person, step_agency_id
from .transitions import TRANSITIONS, Actor, Move, check

STEP_UNIT = object()  # a hand-over's receiving unit, by default the unit of the step handed to
STEP_FIELDS = ["state", "holder", "unit", "started_at", "due_at", "finished_at", "on_time", "paused_at"]


def lock(dossier_id: int) -> Dossier:
    """Lock the dossier row for the transaction (every move of its steps waits for the one before) and read it."""
    return Dossier.objects.select_for_update().select_related("agency", "procedure").get(pk=dossier_id)


def fresh_step(step_id: int, dossier: Dossier) -> DossierStep:
    step = DossierStep.objects.select_related("holder", "unit", "external_agency").get(pk=step_id)
    step.dossier = dossier
    return step


def steps_of(dossier: Dossier) -> list[DossierStep]:
    steps = list(DossierStep.objects.filter(dossier=dossier).select_related("holder", "unit", "external_agency"))
    for step in steps:
        step.dossier = dossier
    return steps


def province(dossier: Dossier):
    return dossier.agency.province_id


def step_title(step: DossierStep) -> str:
    return _("bước %(n)s. %(name)s") % {"n": step.position, "name": step.name}


def apply(step: DossierStep, move: Move, actors: set[Actor], changes: dict[str, Any]) -> dict[str, Any]:
    """Check `move` against the table, set its target state and `changes` on the step and save; returns the audit
    diff of the step."""
    transition = check(step.state, move, actors)
    before = audit.snapshot(step, STEP_FIELDS)
    step.state = transition.target
    for name, value in changes.items():
        setattr(step, name, value)
    step.save()
    return audit.diff(before, audit.snapshot(step, STEP_FIELDS))


def record(step: DossierStep, actor, move: Move, diff: dict[str, Any], note: str = "") -> None:
    summary = f"{TRANSITIONS[move].label}: {step_title(step)}"
    if note:
        diff = {**diff, "note": note}
    audit.record(
        step, actor, AuditEntry.Action.TRANSITION, changes=diff, summary=summary[:255], agency=step.dossier.agency_id
    )


def finish(step: DossierStep, at: dt.datetime) -> dict[str, Any]:
    return {"finished_at": at, "on_time": step.due_at is None or at <= step.due_at}


def check_moment(step: DossierStep, at: dt.datetime) -> None:
    if step.started_at and at < step.started_at:
        raise TransitionError(
            _("Thời điểm %(at)s không được trước lúc bắt đầu bước (%(start)s).")
            % {"at": fmt_moment(at), "start": fmt_moment(step.started_at)}
        )


def handover(
    step_from: DossierStep | None,
    step_to: DossierStep | None,
    kind: str,
    *,
    dossier: Dossier,
    at: dt.datetime,
    from_user=None,
    to_user=None,
    from_unit=None,
    to_unit=STEP_UNIT,
    note: str = "",
) -> Handover:
    return Handover.objects.create(
        dossier=dossier,
        kind=kind,
        from_step=step_from,
        to_step=step_to,
        from_user=from_user if getattr(from_user, "is_authenticated", False) else None,
        to_user=to_user,
        from_unit=from_unit if from_unit is not None else (step_from.unit if step_from else None),
        to_unit=(step_to.unit if step_to else None) if to_unit is STEP_UNIT else to_unit,
        at=at,
        note=note,
        on_time=step_from.on_time if step_from is not None and kind != HandoverKind.TAKE else None,
    )


def announce(step: DossierStep) -> None:
    """step_reached, once the move is committed (a rolled-back move tells nobody)."""
    transaction.on_commit(lambda: signals.step_reached.send(sender=DossierStep, step=step))


def assign_unit(dossier: Dossier, step: DossierStep, actor, at: dt.datetime, change_reason: str) -> None:
    """A step in another unit of the agency moves the dossier there (the lifecycle's "Chuyển đơn vị xử lý", which
    also sets it "Đang xử lý"), while processing runs; after the result the unit no longer changes."""
    from .. import lifecycle
    from .context import driving

    if (
        step.unit_id is None
        or step.external_agency_id
        or dossier.current_unit_id == step.unit_id
        or dossier.status not in (Status.RECEIVED, Status.IN_PROCESS)
    ):
        return
    with driving():
        lifecycle.assign(dossier, unit=step.unit, actor=actor, at=at, note=step.name, change_reason=change_reason)


def reach(
    step: DossierStep,
    *,
    dossier: Dossier,
    at: dt.datetime,
    actor,
    from_step: DossierStep | None,
    to_user=None,
    kind: str = HandoverKind.FORWARD,
    note: str = "",
    change_reason: str = "",
    reopen: bool = False,
) -> Handover:
    """Hand `step` to `to_user`, or to its queue (its unit's, or the liên thông agency's), from `from_step`."""
    from .permissions import may_hold

    if step.unit_from_dossier and not step.external_agency_id:
        step.unit = dossier.current_unit
    assign_unit(dossier, step, actor, at, change_reason)
    if to_user is not None and (is_outside(step) or not may_hold(to_user, step)):
        raise TransitionError(
            _("%(person)s không thể nhận %(step)s: không có vai trò “%(role)s”%(unit)s.")
            % {
                "person": person(to_user),
                "step": step_title(step),
                "role": step.get_role_display(),
                "unit": _(" tại %(unit)s") % {"unit": step.unit.name} if step.unit else "",
            }
        )
    if reopen and to_user is not None:
        move = Move.REOPEN
    else:
        move = Move.REACH_PERSON if to_user is not None else Move.REACH_QUEUE
    due = (
        dossier.due_at
        if step.is_default
        else deadlines.step_due(at, step.duration, step.duration_unit, province(dossier))
    )
    diff = apply(
        step,
        move,
        {Actor.SYSTEM},
        {"holder": to_user, "started_at": at, "due_at": due, "finished_at": None, "on_time": None, "paused_at": None},
    )
    record(step, actor, move, diff, note)
    row = handover(
        from_step,
        step,
        kind,
        dossier=dossier,
        at=at,
        from_user=actor,
        to_user=to_user,
        from_unit=unit_of(actor, dossier.agency_id) or (from_step.unit if from_step else None),
        to_unit=unit_of(to_user, step_agency_id(step)) if to_user is not None else STEP_UNIT,
        note=note,
    )
    if not is_outside(step):
        announce(step)
    return row


def unit_of(user, agency_id: int):
    """The unit a person works in at an agency (None without one): the unit of a hand-over's giver or receiver."""
    from cchc.agencies.models import Membership

    if not getattr(user, "is_authenticated", False):
        return None
    membership = Membership.objects.filter(user=user, agency_id=agency_id).select_related("unit").first()
    return membership.unit if membership is not None else None


def person_guard(dossier: Dossier) -> None:
    """No one moves a step of a dossier that ended or waits for the applicant's supplement."""
    if dossier.status in (Status.REFUSED, Status.WITHDRAWN, Status.RETURNED):
        raise TransitionError(
            _("Hồ sơ đã kết thúc (%(status)s): các bước không còn thao tác.")
            % {"status": dossier.get_status_display().lower()}
        )
    if dossier.status == Status.WAITING_SUPPLEMENT:
        raise TransitionError(_("Hồ sơ đang chờ công dân bổ sung: các bước tạm dừng cho đến khi nhận đủ bổ sung."))


def next_step(steps: list[DossierStep], step: DossierStep) -> DossierStep | None:
    return next((s for s in steps if s.position > step.position), None)


def approval_of(steps: list[DossierStep]) -> DossierStep | None:
    return next((s for s in steps if s.is_approval), None)


def return_step(steps: list[DossierStep]) -> DossierStep | None:
    """The last step when it comes after the approval: the desk that returns the result."""
    approval = approval_of(steps)
    if not steps or approval is None or steps[-1].position <= approval.position:
        return None
    return steps[-1]


def open_states() -> tuple[str, ...]:
    return (StepState.WAITING, StepState.QUEUED, StepState.ACTIVE)
