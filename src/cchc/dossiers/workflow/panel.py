"""What the "Quy trình xử lý" panel shows a user: each step with its holder or queue, its due moment and colour, its
state in words and its Phiếu kiểm soát label, and the moves this user may make now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import calendar
from cchc.agencies.scoping import can

from ..models import Dossier, Status
from . import deadlines
from .engine import approval_of, return_step, steps_of
from .models import DossierResult, Handover, HandoverKind, StepState
from .permissions import actor_kinds, is_outside, person
from .transitions import TRANSITIONS, Move, allowed

# The moves the panel offers, with the page that makes them (all through the move view, by name).
OFFERED = (Move.TAKE, Move.FORWARD, Move.APPROVE, Move.SEND_OUT, Move.RECEIVE_BACK, Move.SEND_BACK, Move.REASSIGN)


def state_label(step) -> str:
    if step.state == StepState.SENT_BACK:
        return _("Đã trả lại bước trước")
    if is_outside(step) and step.state == StepState.QUEUED:
        return _("Chờ gửi cơ quan liên thông")
    if is_outside(step) and step.state == StepState.ACTIVE:
        return _("Đã gửi cơ quan liên thông")
    if step.paused_at is not None:
        return _("Tạm dừng (chờ bổ sung)")
    return str(StepState(step.state).label)


def where(step) -> str:
    if is_outside(step):
        return step.external_name
    if step.holder is not None and step.state in (StepState.ACTIVE, StepState.DONE, StepState.SENT_BACK):
        return person(step.holder)
    if step.state == StepState.QUEUED:
        if step.external_agency is not None:
            return _("Hàng chờ của %(agency)s") % {"agency": step.external_agency.name}
        if step.unit is not None:
            return _("Hàng chờ của %(unit)s") % {"unit": step.unit.name}
        return _("Hàng chờ của cơ quan")
    if step.external_agency is not None:
        return step.external_agency.name
    return step.unit.name if step.unit else ""


def due_colour(step, now: dt.datetime) -> str:
    """bad (past due), warn (due today or the next working day), ok; muted for a step not running."""
    if step.due_at is None or step.state not in (StepState.QUEUED, StepState.ACTIVE):
        return "muted"
    if step.due_at < now:
        return "bad"
    province = step.dossier.agency.province_id
    soon = calendar.add_working_days(timezone.localdate(now), 1, province)
    return "warn" if timezone.localtime(step.due_at).date() <= soon else "ok"


def _moves(user, step, steps, dossier) -> list[dict[str, Any]]:
    if dossier.status in (Status.REFUSED, Status.WITHDRAWN, Status.RETURNED, Status.WAITING_SUPPLEMENT):
        return []
    kinds = actor_kinds(user, step)
    last = return_step(steps)
    moves = []
    for move in OFFERED:
        if not allowed(step.state, move, kinds):
            continue
        outside = is_outside(step)
        if move == Move.TAKE and outside or move in (Move.SEND_OUT, Move.RECEIVE_BACK) and not outside:
            continue
        if move == Move.FORWARD and (step.is_approval or outside or (last is not None and step.pk == last.pk)):
            continue
        if move == Move.FORWARD and not any(s.position > step.position for s in steps):
            continue
        if move == Move.APPROVE and not step.is_approval:
            continue
        if move == Move.SEND_BACK and not any(s.position < step.position and s.state == StepState.DONE for s in steps):
            continue
        moves.append({"move": str(move), "label": str(TRANSITIONS[move].label).capitalize(),
                      "url": reverse("dossiers:workflow_move", args=[step.pk, str(move)])})  # fmt: skip
    approval = approval_of(steps)
    if (
        step.state == StepState.ACTIVE and "holder" in {str(k) for k in kinds} and dossier.status == Status.RESOLVED
        and approval is not None and step.position > approval.position and not (last and step.pk == last.pk)
        and can(user, "document.issue", dossier.agency_id)
    ):  # fmt: skip
        moves.append({"move": "number", "label": _("Cấp số kết quả"),
                      "url": reverse("dossiers:workflow_move", args=[step.pk, "number"])})  # fmt: skip
    return moves


def panel(user, dossier: Dossier) -> dict[str, Any]:
    steps = steps_of(dossier)
    now = timezone.now()
    province = dossier.agency.province_id
    sent_back = {
        h.to_step_id: h.note
        for h in Handover.objects.filter(dossier=dossier, kind=HandoverKind.SEND_BACK).order_by("at", "pk")
    }
    rows = []
    for step in steps:
        rows.append(
            {
                "step": step,
                "where": where(step),
                "state": state_label(step),
                "colour": due_colour(step, now),
                "timeliness": deadlines.step_label(step),
                "held": deadlines.held_text(step.started_at, step.finished_at, province)
                if is_outside(step) and step.state in (StepState.ACTIVE, StepState.DONE) else "",
                "sent_back_reason": sent_back.get(step.pk, "") if step.state in (StepState.ACTIVE, StepState.QUEUED)
                else "",
                "moves": _moves(user, step, steps, dossier),
            }
        )  # fmt: skip
    last = return_step(steps)
    can_return = dossier.status == Status.RESOLVED and (
        (last is not None and last.state == StepState.ACTIVE and last.holder_id == getattr(user, "pk", None))
        or (last is None and can(user, "dossier.process", dossier.agency_id))
        or (last is not None and user.is_superuser and last.state == StepState.ACTIVE)
    )
    result = DossierResult.objects.filter(dossier=dossier).first()
    return {
        "dossier": dossier,
        "rows": rows,
        "return_url": reverse("dossiers:workflow_return", args=[dossier.pk]) if can_return else "",
        "result": result,
        "has_steps": bool(steps),
    }
