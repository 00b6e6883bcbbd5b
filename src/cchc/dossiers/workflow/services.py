"""The moves people make on a dossier's steps, and the creation of the steps at receipt (ADR 0007).

Every function runs in one transaction that locks the dossier row, so two officers taking the same queued step one
after the other: the first takes it, the second is told who has it. Each checks the transition table
(transitions.check) with who the user is to the step (permissions.actor_kinds), writes a Handover, an audit entry
and announces the step reached (signals.step_reached) once committed. The lifecycle's columns (status, due and end
moments) change only through dossiers/lifecycle.py, which the approval and the return call.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.agencies.models import Role
from cchc.agencies.scoping import can
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.procedures.models import DurationUnit, StepTimeUnit
from cchc.text import nfc

from .. import lifecycle
from ..models import Dossier, Status
from ..rules import TransitionError, required_text, step_moment
from . import deadlines
from .context import driving, is_suspended
from .engine import (
    apply,
    approval_of,
    check_moment,
    finish,
    fresh_step,
    handover,
    lock,
    next_step,
    person_guard,
    reach,
    record,
    return_step,
    step_title,
    steps_of,
)
from .models import DossierResult, DossierStep, HandoverKind, StepState
from .permissions import actor_kinds, is_outside, may_hold, person
from .transitions import Actor, Move, StepPermissionDenied, check

# --- at receipt -----------------------------------------------------------------------------------------------


def start(dossier: Dossier, *, actor, at: dt.datetime, change_reason: str = "") -> list[DossierStep]:
    """Give a just-received dossier its steps, copied from its procedure version's internal process.

    With two steps or more and the desk (cán bộ một cửa) first, the first step is the receipt itself, done by the
    receiving clerk; the next goes to its unit's queue. A procedure without an internal process gets one default
    step, "Xử lý hồ sơ", for an officer of the unit holding the dossier, due when the dossier is due, where the
    result is approved; the plain lifecycle steps stay open to it (ADR 0007)."""
    if is_suspended():
        return []
    procedure = dossier.procedure
    definitions = list(procedure.internal_steps.order_by("position"))
    if not definitions:
        unit = (
            StepTimeUnit.WORKING_HOURS
            if procedure.time_unit == DurationUnit.WORKING_HOURS
            else StepTimeUnit.WORKING_DAYS
        )
        steps = [
            DossierStep.objects.create(
                dossier=dossier, position=1, name=_("Xử lý hồ sơ"), role=Role.OFFICER,
                unit=dossier.current_unit, unit_from_dossier=True, is_default=True, is_approval=True,
                duration=Decimal(procedure.applied_processing_time), duration_unit=unit,
            )
        ]  # fmt: skip
    else:
        approval = next((d for d in definitions if d.is_approval), None)
        if approval is None:
            # Unmarked: the result is approved at the last step that is not the desk's.
            approval = next((d for d in reversed(definitions) if d.role != Role.ONE_STOP), definitions[-1])
        steps = [
            DossierStep.objects.create(
                dossier=dossier, position=d.position, definition=d, name=d.name, role=d.role, unit=d.unit,
                unit_from_dossier=d.unit_id is None and not d.is_external, is_approval=d is approval,
                external_agency=d.external_agency, external_name=d.external_name, duration=d.duration,
                duration_unit=d.duration_unit,
            )
            for d in definitions
        ]  # fmt: skip
    for step in steps:
        step.dossier = dossier
    first = steps[0]
    if len(steps) > 1 and first.role == Role.ONE_STOP and not first.external_name and not first.external_agency_id:
        due = deadlines.step_due(at, first.duration, first.duration_unit, dossier.agency.province_id)
        diff = apply(
            first,
            Move.DONE_AT_RECEIPT,
            {Actor.SYSTEM},
            {
                "holder": actor if getattr(actor, "is_authenticated", False) else None,
                "started_at": at,
                "due_at": due,
                "finished_at": at,
                "on_time": True,
            },
        )
        record(first, actor, Move.DONE_AT_RECEIPT, diff)
        reach(steps[1], dossier=dossier, at=at, actor=actor, from_step=first, change_reason=change_reason)
    else:
        reach(first, dossier=dossier, at=at, actor=actor, from_step=None, change_reason=change_reason)
    return steps


# --- the moves of a person ------------------------------------------------------------------------------------


def _begin(
    step: DossierStep, actor, at: dt.datetime | None
) -> tuple[Dossier, DossierStep, list[DossierStep], dt.datetime]:
    dossier = lock(step.dossier_id)
    fresh = fresh_step(step.pk, dossier)
    at = step_moment(at)
    return dossier, fresh, steps_of(dossier), at


def _kinds(actor, step: DossierStep) -> set[Actor]:
    return actor_kinds(actor, step)


def take(step: DossierStep, *, actor, at: dt.datetime | None = None) -> DossierStep:
    """An officer takes a step from the queue: it is theirs until they hand it on."""
    with transaction.atomic():
        dossier, step, _steps, at = _begin(step, actor, at)
        if step.state == StepState.ACTIVE and step.holder_id:
            if step.holder_id == actor.pk:
                raise TransitionError(_("Bạn đã nhận xử lý %(step)s.") % {"step": step_title(step)})
            raise TransitionError(
                _("%(who)s đã nhận xử lý %(step)s trước bạn.") % {"who": person(step.holder), "step": step_title(step)}
            )
        if is_outside(step):
            raise TransitionError(_("Bước liên thông ngoài hệ thống: hãy ghi nhận đã gửi hồ sơ."))
        person_guard(dossier)
        check(step.state, Move.TAKE, _kinds(actor, step))
        check_moment(step, at)
        diff = apply(step, Move.TAKE, {Actor.ROLE}, {"holder": actor})
        record(step, actor, Move.TAKE, diff)
        handover(step, step, HandoverKind.TAKE, dossier=dossier, at=at, to_user=actor, from_unit=step.unit)
    return step


def _forward_to(
    dossier, steps, step, *, actor, at, to_user, note, change_reason, kind=HandoverKind.FORWARD
) -> DossierStep | None:
    following = next_step(steps, step)
    if following is not None:
        reach(following, dossier=dossier, at=at, actor=actor, from_step=step, to_user=to_user, kind=kind,
              note=note, change_reason=change_reason)  # fmt: skip
    return following


def forward(
    step: DossierStep, *, actor, to_user=None, at: dt.datetime | None = None, note: str = "", change_reason: str = ""
) -> DossierStep:
    """The holder hands the dossier to the next step: to a person of its role, or to its queue. Returns that step."""
    with transaction.atomic():
        dossier, step, steps, at = _begin(step, actor, at)
        person_guard(dossier)
        check(step.state, Move.FORWARD, _kinds(actor, step))
        if step.is_approval:
            raise TransitionError(_("Đây là bước phê duyệt kết quả: hãy phê duyệt để chuyển tiếp."))
        if step is return_step(steps) or step.pk == getattr(return_step(steps), "pk", None):
            raise TransitionError(_("Đây là bước trả kết quả: hãy ghi nhận trả kết quả cho người nộp."))
        following = next_step(steps, step)
        if following is None:
            raise TransitionError(_("Đây là bước cuối của quy trình, không còn bước để chuyển."))
        check_moment(step, at)
        note = nfc(note or "").strip()
        diff = apply(step, Move.FORWARD, {Actor.HOLDER}, finish(step, at))
        record(step, actor, Move.FORWARD, diff, note)
        _forward_to(dossier, steps, step, actor=actor, at=at, to_user=to_user, note=note, change_reason=change_reason)
    return following


def send_back(
    step: DossierStep, *, actor, reason: str, at: dt.datetime | None = None, change_reason: str = ""
) -> DossierStep:
    """The holder sends the dossier back to the previous step, with the reason; that step opens again, for the
    person who held it (if they still may), else for its queue. Returns that step."""
    with transaction.atomic():
        dossier, step, steps, at = _begin(step, actor, at)
        person_guard(dossier)
        check(step.state, Move.SEND_BACK, _kinds(actor, step))
        reason = required_text(reason, _("Phải nêu rõ lý do trả lại bước trước."))
        earlier = [s for s in steps if s.position < step.position and s.state == StepState.DONE and not is_outside(s)]
        if not earlier:
            raise TransitionError(_("Không có bước trước để trả lại."))
        target = earlier[-1]
        approval = approval_of(steps)
        if dossier.status == Status.RESOLVED and approval is not None and target.position <= approval.position:
            raise TransitionError(_("Kết quả đã được phê duyệt: không thể trả lại bước phê duyệt hoặc trước đó."))
        check_moment(step, at)
        diff = apply(step, Move.SEND_BACK, {Actor.HOLDER}, finish(step, at))
        record(step, actor, Move.SEND_BACK, diff, reason)
        holder = target.holder if target.holder is not None and may_hold(target.holder, target) else None
        reach(target, dossier=dossier, at=at, actor=actor, from_step=step, to_user=holder,
              kind=HandoverKind.SEND_BACK, note=reason, change_reason=change_reason, reopen=True)  # fmt: skip
    return target


def reassign(step: DossierStep, *, actor, to_user, at: dt.datetime | None = None, note: str = "") -> DossierStep:
    """A leader or the administrator gives a queued or held step to another person of its role."""
    with transaction.atomic():
        dossier, step, _steps, at = _begin(step, actor, at)
        person_guard(dossier)
        check(step.state, Move.REASSIGN, _kinds(actor, step))
        if to_user is None:
            raise TransitionError(_("Hãy chọn người nhận xử lý."))
        if step.holder_id == to_user.pk:
            raise TransitionError(_("%(person)s đang xử lý bước này.") % {"person": person(to_user)})
        if is_outside(step) or not may_hold(to_user, step):
            raise TransitionError(
                _("%(person)s không có vai trò “%(role)s” của bước này.")
                % {"person": person(to_user), "role": step.get_role_display()}
            )
        check_moment(step, at)
        note = nfc(note or "").strip()
        diff = apply(step, Move.REASSIGN, {Actor.SUPERVISOR}, {"holder": to_user})
        record(step, actor, Move.REASSIGN, diff, note)
        handover(step, step, HandoverKind.REASSIGN, dossier=dossier, at=at, from_user=actor, to_user=to_user,
                 note=note)  # fmt: skip
        from .engine import announce

        announce(step)
    return step


def approve(
    step: DossierStep,
    *,
    actor,
    to_user=None,
    at: dt.datetime | None = None,
    note: str = "",
    result_digitised: bool = False,
    change_reason: str = "",
) -> DossierStep:
    """The leader approves the result at the approval step: the dossier is resolved (lifecycle.resolve: DVCQG
    status 9, the end the statistics count) and goes on to the next step, if any."""
    with transaction.atomic():
        dossier, step, steps, at = _begin(step, actor, at)
        person_guard(dossier)
        check(step.state, Move.APPROVE, _kinds(actor, step))
        if not step.is_approval:
            raise TransitionError(_("Chỉ phê duyệt kết quả ở bước phê duyệt của quy trình."))
        check_moment(step, at)
        note = nfc(note or "").strip()
        with driving():
            lifecycle.resolve(
                dossier, actor=actor, at=at, note=note, result_digitised=result_digitised, change_reason=change_reason
            )
        result, created = DossierResult.objects.get_or_create(dossier=dossier)
        result.approved_by, result.approved_at = actor, at
        result.save()
        audit.record(result, actor, AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
                     changes={"approved_at": at.isoformat()}, summary=_("Phê duyệt kết quả"),
                     agency=dossier.agency_id)  # fmt: skip
        diff = apply(step, Move.APPROVE, {Actor.HOLDER}, finish(step, at))
        record(step, actor, Move.APPROVE, diff, note)
        _forward_to(dossier, steps, step, actor=actor, at=at, to_user=to_user, note=note, change_reason=change_reason)
    return step


def send_out(step: DossierStep, *, actor, at: dt.datetime | None = None, note: str = "") -> DossierStep:
    """Liên thông outside cchc: the dossier leaves for the other agency; the time it holds counts from now."""
    with transaction.atomic():
        dossier, step, _steps, at = _begin(step, actor, at)
        person_guard(dossier)
        if not is_outside(step):
            raise TransitionError(_("Chỉ gửi hồ sơ ở bước liên thông với cơ quan ngoài hệ thống."))
        check(step.state, Move.SEND_OUT, _kinds(actor, step))
        check_moment(step, at)
        note = nfc(note or "").strip() or _("Gửi hồ sơ đến %(agency)s") % {"agency": step.external_name}
        due = deadlines.step_due(at, step.duration, step.duration_unit, dossier.agency.province_id)
        diff = apply(step, Move.SEND_OUT, {Actor.ROLE}, {"started_at": at, "due_at": due})
        record(step, actor, Move.SEND_OUT, diff, note)
        handover(step, step, HandoverKind.FORWARD, dossier=dossier, at=at, from_user=actor, note=note)
    return step


def receive_back(
    step: DossierStep, *, actor, to_user=None, at: dt.datetime | None = None, note: str = "", change_reason: str = ""
) -> DossierStep:
    """The other agency's answer is back: the step ends (the time it held is its start to now) and the next step
    is reached."""
    with transaction.atomic():
        dossier, step, steps, at = _begin(step, actor, at)
        person_guard(dossier)
        if not is_outside(step):
            raise TransitionError(_("Chỉ nhận lại hồ sơ ở bước liên thông với cơ quan ngoài hệ thống."))
        check(step.state, Move.RECEIVE_BACK, _kinds(actor, step))
        check_moment(step, at)
        held = deadlines.held_text(step.started_at, at, dossier.agency.province_id)
        note = nfc(note or "").strip()
        text = _("Nhận lại từ %(agency)s sau %(held)s") % {"agency": step.external_name, "held": held}
        note = f"{text}. {note}" if note else text
        diff = apply(step, Move.RECEIVE_BACK, {Actor.ROLE}, finish(step, at))
        record(step, actor, Move.RECEIVE_BACK, diff, note)
        if _forward_to(dossier, steps, step, actor=actor, at=at, to_user=to_user, note=note,
                       change_reason=change_reason) is None:  # fmt: skip
            handover(step, None, HandoverKind.FORWARD, dossier=dossier, at=at, from_user=actor, note=note)
    return step


def number_result(
    step: DossierStep,
    *,
    actor,
    register,
    document_kind: str,
    issued_on: dt.date,
    at: dt.datetime | None = None,
    file=None,
) -> DossierResult:
    """The clerical office numbers the approved result in the agency's register (documents.numbering.issue_document:
    no gap, no duplicate), at a step it holds after the approval."""
    from cchc.documents.models import DocumentKind
    from cchc.documents.numbering import issue_document

    with transaction.atomic():
        dossier, step, steps, at = _begin(step, actor, at)
        person_guard(dossier)
        approval = approval_of(steps)
        if dossier.status != Status.RESOLVED or approval is None or step.position <= approval.position:
            raise TransitionError(_("Chỉ cấp số kết quả sau khi kết quả được phê duyệt."))
        if Actor.HOLDER not in actor_kinds(actor, step) or step.state != StepState.ACTIVE:
            raise StepPermissionDenied(_("Chỉ người đang xử lý bước này mới được cấp số kết quả."))
        if register is None or register.agency_id != dossier.agency_id:
            raise TransitionError(_("Hãy chọn sổ văn bản đi của cơ quan."))
        result, created = DossierResult.objects.get_or_create(dossier=dossier)
        if result.document_id or result.number:
            raise TransitionError(_("Kết quả đã có số: %(number)s.") % {"number": result.number})
        document = issue_document(
            register=register, kind=document_kind or DocumentKind.OTHER, issue_date=issued_on, actor=actor,
            excerpt=_("Kết quả giải quyết hồ sơ %(code)s – %(name)s") % {
                "code": dossier.code, "name": dossier.procedure.name},
            file=file or "",
        )  # fmt: skip
        before = audit.snapshot(result)
        result.document, result.number, result.issued_on = document, document.number_symbol, document.issue_date
        if file:
            result.file = file
        result.save()
        audit.record(result, actor, AuditEntry.Action.UPDATE, changes=audit.diff(before, audit.snapshot(result)),
                     summary=_("Cấp số kết quả %(number)s") % {"number": result.number},
                     agency=dossier.agency_id)  # fmt: skip
    return result


def return_result(
    dossier: Dossier,
    *,
    actor,
    at: dt.datetime | None = None,
    number: str = "",
    issued_on: dt.date | None = None,
    register=None,
    document_kind: str = "",
    file=None,
    electronic: bool = False,
    return_channel: int | None = None,
    returned_to: str = "",
    note: str = "",
    change_reason: str = "",
) -> DossierResult:
    """The desk hands the result to the applicant (lifecycle.return_result: DVCQG status 10) and records it: its
    number and date (issued through the documents registry when a register is given, else as typed), its file,
    whether it is electronic, how it was returned and to whom. When the process ends with the desk's step, that
    step's holder does it; otherwise a member who may process the dossier."""
    from cchc.documents.models import DocumentKind
    from cchc.documents.numbering import issue_document

    from ..models import Channel

    with transaction.atomic():
        dossier = lock(dossier.pk)
        at = step_moment(at)
        if dossier.status != Status.RESOLVED:
            raise TransitionError(_("Không thể trả kết quả: hồ sơ chưa có kết quả giải quyết."))
        steps = steps_of(dossier)
        last = return_step(steps)
        still_open = [s for s in steps if s.state in (StepState.QUEUED, StepState.ACTIVE) and s is not last]
        if still_open:
            raise TransitionError(
                _("Chưa thể trả kết quả: %(step)s chưa hoàn thành.") % {"step": step_title(still_open[0])}
            )
        if last is not None and last.state != StepState.DONE:
            check(last.state, Move.RETURN, actor_kinds(actor, last))
            check_moment(last, at)
        elif not can(actor, "dossier.process", dossier.agency_id):
            raise StepPermissionDenied(_("Bạn không có quyền trả kết quả hồ sơ của cơ quan này."))
        returned_to = nfc(returned_to or "").strip()
        if not returned_to:
            raise TransitionError(_("Phải ghi người nhận kết quả."))
        if return_channel not in Channel.values:
            raise TransitionError(_("Hãy chọn hình thức trả kết quả."))
        result, created = DossierResult.objects.get_or_create(dossier=dossier)
        before = audit.snapshot(result)
        if register is not None:
            if register.agency_id != dossier.agency_id:
                raise TransitionError(_("Sổ văn bản không thuộc cơ quan giải quyết hồ sơ."))
            day = issued_on or at.date()
            document = issue_document(
                register=register, kind=document_kind or DocumentKind.OTHER, issue_date=day, actor=actor,
                excerpt=_("Kết quả giải quyết hồ sơ %(code)s – %(name)s") % {
                    "code": dossier.code, "name": dossier.procedure.name},
                file=file or "",
            )  # fmt: skip
            result.document, result.number, result.issued_on = document, document.number_symbol, document.issue_date
        else:
            number = nfc(number or "").strip()
            if not (number or result.number) or not (issued_on or result.issued_on):
                raise TransitionError(_("Phải ghi số, ký hiệu và ngày ký của kết quả (hoặc chọn sổ để cấp số)."))
            result.number = number or result.number
            result.issued_on = issued_on or result.issued_on
        if file:
            result.file = file
        result.electronic = bool(electronic)
        result.return_channel = return_channel
        result.returned_to = returned_to
        result.save()
        note = nfc(note or "").strip()
        with driving():
            lifecycle.return_result(dossier, actor=actor, at=at, note=note, change_reason=change_reason)
        audit.record(result, actor, AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
                     changes=audit.diff(before, audit.snapshot(result)), summary=_("Trả kết quả"),
                     agency=dossier.agency_id)  # fmt: skip
        text = _("Trả kết quả cho %(who)s (%(how)s)") % {"who": returned_to, "how": Channel(return_channel).label}
        if last is not None and last.state != StepState.DONE:
            diff = apply(last, Move.RETURN, {Actor.HOLDER}, finish(last, at))
            record(last, actor, Move.RETURN, diff, text)
            handover(last, None, HandoverKind.FORWARD, dossier=dossier, at=at, from_user=actor,
                     note=f"{text}. {note}" if note else text)  # fmt: skip
    return result
