"""The life of a dossier, from receipt to result (tthc.md §2, tthc-details.md §1.3-1.12).

Every step is one plain function, run in one transaction that locks the dossier row, records a `DossierEvent`
(who, when, which unit, note) and an audit entry with the changed fields, and keeps the columns the statistics read
(status, due_at/due_date, paused_at, ended_at/ended_on, outcome, returned_at) in step with the events. Views,
commands and importers call these functions; they never change those columns themselves.

    receive -> RECEIVED -> assign -> IN_PROCESS <-> (request_supplement / supplement) WAITING_SUPPLEMENT
    RECEIVED | IN_PROCESS -> resolve -> RESOLVED -> return_result -> RETURNED
    any state before the end -> refuse -> REFUSED | withdraw -> WITHDRAWN
    issue_apology: before the end, once, at the latest the day before the due date; changes no state.

A dossier that ends while it waits for a supplement keeps `paused_at` (the request moment): the pause lasted until
the end, and the statistics may deduct it (tthc-details §1.11: t_end* = t_end - pause).

A receipt or a step dated inside the period of a submitted or approved report (the desk accepts any past moment)
changes what that report stated: every step takes `change_reason`, refuses without one
(reports.freeze.ChangeReasonRequired, a ValidationError naming the reports), and records it in the audit entry,
the dossier's timeline and against each report (reports.freeze decides which reports a moment touches).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import calendar
from cchc.agencies.models import Membership
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.procedures.models import SupplementClock
from cchc.reports import freeze
from cchc.text import nfc

from . import codes
from .deadlines import due_for
from .models import Dossier, DossierEvent, EventKind, Outcome, Status
from .rules import (
    CLOCK_SKEW,
    FINAL_STATUSES,
    GUARDS,
    OPEN_STATUSES,
    TransitionError,
    fmt_day,
    fmt_moment,
    guard_apology,
    guard_assign,
    guard_end,
    guard_request_supplement,
    guard_resolve,
    guard_return,
    guard_supplement,
    local_date,
    nd118_effective,
    regime_on,
    required_text,
    step_moment,
)
from .timeline import timeline

# Part of this module's interface for callers that import them from here (the importer, views, tests).
__all__ = [
    "CLOCK_SKEW",
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "TransitionError",
    "allowed_actions",
    "assign",
    "issue_apology",
    "nd118_effective",
    "perform",
    "receive",
    "refuse",
    "regime_on",
    "request_supplement",
    "resolve",
    "return_result",
    "supplement",
    "timeline",
    "withdraw",
]

CODE_ATTEMPTS = 5

RECEIPT_FIELDS = frozenset(
    {
        "applicant_kind",
        "applicant_id_number",
        "applicant_address",
        "applicant_phone",
        "applicant_email",
        "summary",
        "result_channel",
        "digitised",
        "national_code",
        # What the service index reads (dossiers migration 0013), known at receipt or imported with the dossier.
        "fees_due",
        "fees_paid",
        "payment_gateway",
        "digitised_components",
        "reused_components",
        "national_store_linked",
        "population_data_used",
        "synced_at",
    }
)
# The columns a transition may change: the audit entry lists those that did.
TRACKED_FIELDS = [
    "status",
    "current_unit",
    "due_at",
    "due_date",
    "promised_date",
    "paused_at",
    "supplement_requests",
    "ended_at",
    "ended_on",
    "outcome",
    "returned_at",
    "result_digitised",
]


def _lock(dossier: Dossier) -> None:
    """Lock the dossier row for the transaction and load its current state into `dossier`."""
    Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk", flat=True).first()
    dossier.refresh_from_db()


def _last_moment(dossier: Dossier) -> dt.datetime:
    last = dossier.events.order_by("-at", "-pk").values_list("at", flat=True).first()
    return max(last, dossier.received_at) if last else dossier.received_at


def _check_order(dossier: Dossier, at: dt.datetime) -> None:
    last = _last_moment(dossier)
    if at < last:
        raise TransitionError(
            _("Thời điểm %(at)s không được trước thao tác trước đó của hồ sơ (%(last)s).")
            % {"at": fmt_moment(at), "last": fmt_moment(last)}
        )


def _actor_unit(actor, dossier: Dossier):
    """The unit the actor works in, within the dossier's agency; else the unit holding the dossier."""
    if getattr(actor, "is_authenticated", False):
        membership = (
            Membership.objects.filter(user=actor, agency_id=dossier.agency_id, unit__isnull=False)
            .select_related("unit")
            .first()
        )
        if membership is not None:
            return membership.unit
    return dossier.current_unit


def _state(dossier: Dossier) -> dict[str, Any]:
    return audit.snapshot(dossier, TRACKED_FIELDS)


def _commit(
    dossier: Dossier,
    before: dict[str, Any],
    kind: str,
    *,
    actor,
    at: dt.datetime,
    note: str = "",
    unit=None,
    new_promised_date: dt.date | None = None,
    reported: freeze.ReportedChange | None = None,
) -> DossierEvent:
    dossier.save()
    event = DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit if unit is not None else _actor_unit(actor, dossier),
        note=note,
        new_promised_date=new_promised_date,
    )
    changes: dict[str, Any] = audit.diff(before, _state(dossier))
    if reported:
        changes.update(reported.audit_fields())
        reported.record(actor, _description(kind, dossier), moment=at, dossier=dossier)
    audit.record(dossier, actor, AuditEntry.Action.TRANSITION, changes=changes, summary=str(EventKind(kind).label))
    # The steps of the internal process follow (pause, cancel, close): dossiers/workflow/sync.py.
    from .workflow.sync import after_event

    after_event(dossier, event)
    return event


def _reported(agency_id: int, at: dt.datetime, change_reason: str) -> freeze.ReportedChange:
    """The reports a step dated `at` changes; ChangeReasonRequired when there are some and no reason."""
    return freeze.ReportedChange(freeze.check_change(agency_id, [at], change_reason), change_reason)


def _description(kind: str, dossier: Dossier) -> str:
    return _("%(step)s hồ sơ %(code)s") % {"step": EventKind(kind).label, "code": dossier.code}


# --- the steps ----------------------------------------------------------------------------------------------


def receive(
    *,
    agency,
    procedure,
    applicant_name: str,
    channel: int,
    actor,
    received_at: dt.datetime | None = None,
    code: str | None = None,
    change_reason: str = "",
    **fields: Any,
) -> Dossier:
    """Receive a complete dossier (Giấy tiếp nhận hồ sơ và hẹn trả kết quả): give it a code and a due date."""
    unknown = set(fields) - RECEIPT_FIELDS
    if unknown:
        raise TypeError(f"receive() got unexpected fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        received_at = step_moment(received_at)
        received_on = local_date(received_at)
        if procedure.agency_id != agency.pk:
            raise TransitionError(
                _("Thủ tục %(code)s không thuộc danh mục thủ tục của %(agency)s.")
                % {"code": procedure.code, "agency": agency.name}
            )
        if (agency.valid_from and received_on < agency.valid_from) or (
            agency.valid_to and received_on > agency.valid_to
        ):
            raise TransitionError(
                _("%(agency)s không hoạt động vào ngày %(day)s.") % {"agency": agency.name, "day": fmt_day(received_on)}
            )
        # A dossier is received under the catalogue in force on its receipt date.
        if procedure.effective_from > received_on:
            raise TransitionError(
                _("Thủ tục %(code)s chưa có hiệu lực vào ngày %(day)s (hiệu lực từ %(start)s).")
                % {"code": procedure.code, "day": fmt_day(received_on), "start": fmt_day(procedure.effective_from)}
            )
        if not procedure.is_in_force(received_on):
            raise TransitionError(
                _("Thủ tục %(code)s đã bị bãi bỏ từ ngày %(end)s, không tiếp nhận hồ sơ ngày %(day)s.")
                % {"code": procedure.code, "end": fmt_day(procedure.abolished_on), "day": fmt_day(received_on)}
            )
        try:
            due_at = due_for(procedure, received_at)
        except (calendar.OutOfRange, ValueError) as exc:
            raise TransitionError(_("Không tính được hạn giải quyết: %(error)s") % {"error": exc}) from exc

        text_fields = {k: nfc(v).strip() if isinstance(v, str) else v for k, v in fields.items()}
        dossier = Dossier(
            agency=agency,
            procedure=procedure,
            applicant_name=nfc(applicant_name or "").strip(),
            channel=channel,
            received_at=received_at,
            received_on=received_on,
            due_at=due_at,
            due_date=local_date(due_at),
            regime=regime_on(received_on),
            status=Status.RECEIVED,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **text_fields,
        )
        try:
            dossier.full_clean(exclude=["code"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise TransitionError(exc.message_dict) from exc
        if "result_channel" not in fields:
            # Unless the applicant chose otherwise, the result goes back the way the dossier came.
            dossier.result_channel = dossier.channel

        # A blank code (an empty import cell) means "not given": the generator issues one.
        code = (nfc(code).strip() if code else "") or None
        if code:
            if Dossier.objects.filter(agency=agency, code=code).exists():
                raise TransitionError(_("Mã hồ sơ %(code)s đã được cấp cho hồ sơ khác.") % {"code": code})
        reported = _reported(agency.pk, received_at, change_reason)
        for attempt in range(CODE_ATTEMPTS):
            dossier.code = code if code is not None else codes.generate(agency, received_at)
            try:
                with transaction.atomic():
                    dossier.save()
                break
            except IntegrityError as exc:
                # Another transaction took the code between the check and the insert.
                if code is not None or attempt == CODE_ATTEMPTS - 1:
                    raise TransitionError(
                        _("Mã hồ sơ %(code)s đã được cấp cho hồ sơ khác.") % {"code": dossier.code}
                    ) from exc
                dossier.pk = None

        DossierEvent.objects.create(
            dossier=dossier,
            kind=EventKind.RECEIVED,
            at=received_at,
            actor=dossier.created_by,
            unit=_actor_unit(actor, dossier),
        )
        changes = audit.snapshot(dossier)
        if reported:
            changes.update(reported.audit_fields())
            reported.record(actor, _description(EventKind.RECEIVED, dossier), moment=received_at, dossier=dossier)
        audit.record(dossier, actor, AuditEntry.Action.CREATE, changes=changes, summary=_("Tiếp nhận"))
        # The internal process starts in the same transaction: its steps, the desk's step done by the receiver.
        from .workflow import services as workflow

        workflow.start(dossier, actor=actor, at=received_at, change_reason=change_reason)
    return dossier


def assign(
    dossier: Dossier, *, unit, actor, at: dt.datetime | None = None, note: str = "", change_reason: str = ""
) -> DossierEvent:
    """Hand the dossier to a unit of the agency (one row of the Phiếu kiểm soát quá trình giải quyết hồ sơ)."""
    with transaction.atomic():
        _lock(dossier)
        at = step_moment(at)
        guard_assign(dossier, at)
        if unit is None or unit.agency_id != dossier.agency_id:
            raise TransitionError(
                _("Đơn vị %(unit)s không thuộc cơ quan giải quyết hồ sơ.") % {"unit": getattr(unit, "name", "")}
            )
        if not unit.is_active:
            raise TransitionError(_("Đơn vị %(unit)s không còn hoạt động.") % {"unit": unit.name})
        if dossier.current_unit_id == unit.pk:
            raise TransitionError(_("Hồ sơ đang ở đơn vị %(unit)s.") % {"unit": unit.name})
        _check_order(dossier, at)
        reported = _reported(dossier.agency_id, at, change_reason)
        before = _state(dossier)
        dossier.current_unit = unit
        dossier.status = Status.IN_PROCESS
        return _commit(
            dossier,
            before,
            EventKind.ASSIGNED,
            actor=actor,
            at=at,
            note=nfc(note).strip(),
            unit=unit,
            reported=reported,
        )


def request_supplement(
    dossier: Dossier, *, actor, at: dt.datetime | None = None, note: str, change_reason: str = ""
) -> DossierEvent:
    """Ask the applicant to supplement (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): the clock stops until then."""
    with transaction.atomic():
        _lock(dossier)
        at = step_moment(at)
        guard_request_supplement(dossier, at)
        note = required_text(note, _("Phải nêu rõ các nội dung cần bổ sung, hoàn thiện."))
        _check_order(dossier, at)
        reported = _reported(dossier.agency_id, at, change_reason)
        before = _state(dossier)
        dossier.status = Status.WAITING_SUPPLEMENT
        dossier.paused_at = at
        dossier.supplement_requests += 1
        return _commit(
            dossier, before, EventKind.SUPPLEMENT_REQUESTED, actor=actor, at=at, note=note, reported=reported
        )


def supplement(
    dossier: Dossier, *, actor, at: dt.datetime | None = None, note: str = "", change_reason: str = ""
) -> DossierEvent:
    """The applicant handed in what was missing: the clock runs again.

    Pause (default): the time already used still counts and the due date moves by the working days the dossier
    waited (NĐ 61/2018 Điều 19; the QĐ 766 formula deducts request -> supplement). Restart (sector laws counting
    "kể từ ngày nhận đủ hồ sơ hợp lệ"): the full processing time runs again from the supplement.
    """
    with transaction.atomic():
        _lock(dossier)
        at = step_moment(at)
        guard_supplement(dossier, at)
        _check_order(dossier, at)
        reported = _reported(dossier.agency_id, at, change_reason)
        before = _state(dossier)
        procedure = dossier.procedure
        province = dossier.agency.province_id
        try:
            if procedure.supplement_clock == SupplementClock.RESTART:
                dossier.due_at = due_for(procedure, at)
            else:
                paused = calendar.working_days_between(local_date(dossier.paused_at), local_date(at), province)
                dossier.due_at = calendar.extend_by_working_days(dossier.due_at, paused, province)
        except (calendar.OutOfRange, ValueError) as exc:
            raise TransitionError(_("Không tính được hạn giải quyết: %(error)s") % {"error": exc}) from exc
        dossier.due_date = local_date(dossier.due_at)
        dossier.paused_at = None
        dossier.status = Status.IN_PROCESS
        return _commit(
            dossier, before, EventKind.SUPPLEMENTED, actor=actor, at=at, note=nfc(note).strip(), reported=reported
        )


def issue_apology(
    dossier: Dossier,
    *,
    actor,
    new_date: dt.date,
    at: dt.datetime | None = None,
    note: str,
    change_reason: str = "",
) -> DossierEvent:
    """Apologise and set a new promised date (Phiếu xin lỗi và hẹn lại ngày trả kết quả; from 7/2025 Văn bản xin
    lỗi và đề nghị gia hạn thời gian giải quyết). The legal due date stays: a late dossier stays late."""
    with transaction.atomic():
        _lock(dossier)
        at = step_moment(at)
        guard_apology(dossier, at)
        note = required_text(note, _("Phải nêu rõ lý do chậm trả kết quả."))
        if not isinstance(new_date, dt.date) or isinstance(new_date, dt.datetime):
            raise TransitionError(_("Ngày hẹn trả mới không hợp lệ."))
        if new_date <= dossier.due_date:
            raise TransitionError(
                _("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại (%(due)s).") % {"due": fmt_day(dossier.due_date)}
            )
        _check_order(dossier, at)
        reported = _reported(dossier.agency_id, at, change_reason)
        before = _state(dossier)
        dossier.promised_date = new_date
        return _commit(
            dossier, before, EventKind.APOLOGY_ISSUED, actor=actor, at=at, note=note, new_promised_date=new_date,
            reported=reported,
        )  # fmt: skip


def resolve(
    dossier: Dossier,
    *,
    actor,
    at: dt.datetime | None = None,
    note: str = "",
    result_digitised: bool = False,
    change_reason: str = "",
) -> DossierEvent:
    """The result is ready (DVCQG status 9): processing ends here, not when the result is handed over."""
    with transaction.atomic():
        _lock(dossier)
        at = step_moment(at)
        guard_resolve(dossier, at)
        _check_order(dossier, at)
        reported = _reported(dossier.agency_id, at, change_reason)
        before = _state(dossier)
        dossier.status = Status.RESOLVED
        dossier.outcome = Outcome.RESOLVED
        dossier.ended_at = at
        dossier.ended_on = local_date(at)
        dossier.result_digitised = bool(result_digitised)
        return _commit(
            dossier, before, EventKind.RESOLVED, actor=actor, at=at, note=nfc(note).strip(), reported=reported
        )


def return_result(
    dossier: Dossier, *, actor, at: dt.datetime | None = None, note: str = "", change_reason: str = ""
) -> DossierEvent:
    """The result is handed over to the applicant (DVCQG status 10)."""
    with transaction.atomic():
        _lock(dossier)
        at = step_moment(at)
        guard_return(dossier, at)
        _check_order(dossier, at)
        reported = _reported(dossier.agency_id, at, change_reason)
        before = _state(dossier)
        dossier.status = Status.RETURNED
        dossier.returned_at = at
        return _commit(
            dossier, before, EventKind.RESULT_RETURNED, actor=actor, at=at, note=nfc(note).strip(), reported=reported
        )


def _end(
    dossier: Dossier, kind: str, status: str, outcome: str, *, actor, at, note: str, change_reason: str = ""
) -> DossierEvent:
    with transaction.atomic():
        _lock(dossier)
        at = step_moment(at)
        guard_end(dossier, at)
        if kind == EventKind.REFUSED:
            note = required_text(note, _("Phải nêu rõ lý do từ chối giải quyết hồ sơ."))
        _check_order(dossier, at)
        reported = _reported(dossier.agency_id, at, change_reason)
        before = _state(dossier)
        dossier.status = status
        dossier.outcome = outcome
        dossier.ended_at = at
        dossier.ended_on = local_date(at)
        return _commit(dossier, before, kind, actor=actor, at=at, note=nfc(note).strip(), reported=reported)


def refuse(
    dossier: Dossier, *, actor, at: dt.datetime | None = None, reason: str, change_reason: str = ""
) -> DossierEvent:
    """The dossier does not qualify after appraisal: a written refusal with its reason ends it without result."""
    return _end(
        dossier, EventKind.REFUSED, Status.REFUSED, Outcome.REFUSED, actor=actor, at=at, note=reason,
        change_reason=change_reason,
    )  # fmt: skip


def withdraw(
    dossier: Dossier, *, actor, at: dt.datetime | None = None, note: str = "", change_reason: str = ""
) -> DossierEvent:
    """The applicant withdraws the dossier (NĐ 118/2025 Điều 21; Thông báo dừng giải quyết hồ sơ, TT 03/2025 Mẫu 05)."""
    return _end(
        dossier, EventKind.WITHDRAWN, Status.WITHDRAWN, Outcome.WITHDRAWN, actor=actor, at=at, note=note,
        change_reason=change_reason,
    )  # fmt: skip


ACTIONS: dict[str, Callable[..., DossierEvent]] = {
    EventKind.ASSIGNED: assign,
    EventKind.SUPPLEMENT_REQUESTED: request_supplement,
    EventKind.SUPPLEMENTED: supplement,
    EventKind.APOLOGY_ISSUED: issue_apology,
    EventKind.RESOLVED: resolve,
    EventKind.RESULT_RETURNED: return_result,
    EventKind.REFUSED: refuse,
    EventKind.WITHDRAWN: withdraw,
}


def allowed_actions(dossier: Dossier, at: dt.datetime | None = None) -> list[str]:
    """The EventKind values that may come next for `dossier` (at `at`, default now), in the order of ACTIONS."""
    at = at or timezone.now()
    allowed = []
    for kind, guard in GUARDS.items():
        try:
            guard(dossier, at)
        except TransitionError:
            continue
        allowed.append(str(kind))
    return allowed


def perform(dossier: Dossier, kind: str, *, actor, **data: Any) -> DossierEvent:
    """Run the step named by an EventKind value (the dispatcher behind the detail page's buttons)."""
    action = ACTIONS.get(kind)
    if action is None:
        raise TransitionError(_("Thao tác “%(kind)s” không hợp lệ.") % {"kind": kind})
    return action(dossier, actor=actor, **data)
