"""What sends what to whom.

Applicants: at receipt, at a supplement request, at an apology and when the result is ready, by e-mail when the
dossier has an address and by SMS when it has a phone number. Written when the DossierEvent is saved, inside the
lifecycle's transaction (a post_save receiver: lifecycle.py is not touched), and only for an event recorded within
CCHC["APPLICANT_NOTICE_MAX_AGE_HOURS"] of its moment: a receipt of last year typed in today is history, not news.

Officers: when a step reaches them (notify_step_reached, connected to the workflow's `step_reached` signal), and
every day for the steps they hold that are due soon or late (send_reminders), in the application and by e-mail.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import calendar
from cchc.dossiers.models import Dossier, DossierEvent, DossierStep, EventKind, StepState
from cchc.dossiers.workflow.permissions import candidates
from cchc.dossiers.workflow.signals import step_reached

from . import outbox
from .gateways import normal_phone, sms_text
from .models import Channel, Kind, Notification

logger = logging.getLogger("cchc.notifications")

APPLICANT_KINDS = {
    EventKind.RECEIVED: Kind.DOSSIER_RECEIVED,
    EventKind.SUPPLEMENT_REQUESTED: Kind.SUPPLEMENT_REQUESTED,
    EventKind.APOLOGY_ISSUED: Kind.APOLOGY_ISSUED,
    EventKind.RESOLVED: Kind.RESULT_READY,
}


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%d/%m/%Y}"


def _dossier_url(dossier: Dossier) -> str:
    return reverse("dossiers:detail", args=[dossier.pk])


# --- applicants -------------------------------------------------------------------------------------------------


def applicant_message(event: DossierEvent) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS text before shortening) telling the applicant about `event`."""
    dossier = event.dossier
    agency = dossier.agency.name
    values = {
        "agency": agency,
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "name": dossier.applicant_name,
        "due": _day(dossier.due_date),
        "received": _day(dossier.received_at),
        "note": event.note,
        "new_date": _day(event.new_promised_date),
    }
    kind = event.kind
    if kind == EventKind.RECEIVED:
        subject = _("Hồ sơ %(code)s đã được tiếp nhận") % values
        body = (
            _(
                "Kính gửi %(name)s,\n\n%(agency)s đã tiếp nhận hồ sơ %(code)s (%(procedure)s) ngày %(received)s.\n"
                "Ngày hẹn trả kết quả: %(due)s.\nVui lòng ghi lại mã hồ sơ để tra cứu và nhận kết quả."
            )
            % values
        )
        sms = _("%(agency)s đã tiếp nhận hồ sơ %(code)s ngày %(received)s. Hẹn trả kết quả: %(due)s.") % values
    elif kind == EventKind.SUPPLEMENT_REQUESTED:
        subject = _("Hồ sơ %(code)s cần bổ sung, hoàn thiện") % values
        body = (
            _(
                "Kính gửi %(name)s,\n\nHồ sơ %(code)s (%(procedure)s) cần bổ sung, hoàn thiện các nội dung sau:\n"
                "%(note)s\n\nThời hạn giải quyết tạm dừng cho đến khi %(agency)s nhận đủ hồ sơ bổ sung."
            )
            % values
        )
        sms = _("Hồ sơ %(code)s cần bổ sung: %(note)s") % values
    elif kind == EventKind.APOLOGY_ISSUED:
        subject = _("Xin lỗi về việc chậm trả kết quả hồ sơ %(code)s") % values
        body = (
            _(
                "Kính gửi %(name)s,\n\n%(agency)s xin lỗi vì hồ sơ %(code)s (%(procedure)s) chưa có kết quả đúng hẹn "
                "ngày %(due)s.\nLý do: %(note)s\nNgày hẹn trả kết quả mới: %(new_date)s."
            )
            % values
        )
        sms = _("%(agency)s xin lỗi: hồ sơ %(code)s chậm trả kết quả. Hẹn lại ngày %(new_date)s.") % values
    elif kind == EventKind.RESOLVED:
        subject = _("Hồ sơ %(code)s đã có kết quả") % values
        body = (
            _(
                "Kính gửi %(name)s,\n\nHồ sơ %(code)s (%(procedure)s) đã có kết quả giải quyết.\n"
                "Mời ông/bà nhận kết quả theo hình thức đã đăng ký với %(agency)s."
            )
            % values
        )
        sms = _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà nhận kết quả tại %(agency)s.") % values
    else:
        raise ValueError(kind)
    return subject, body, sms


def notify_applicant(event: DossierEvent) -> list:
    """Queue the e-mail and the SMS telling the applicant about `event` (none when it is not one they are told)."""
    kind = APPLICANT_KINDS.get(event.kind)
    if kind is None:
        return []
    dossier = event.dossier
    subject, body, sms = applicant_message(event)
    messages = []
    if dossier.applicant_email:
        messages.append(
            outbox.queue(
                channel=Channel.EMAIL, agency=dossier.agency, address=dossier.applicant_email, subject=subject,
                body=body, kind=kind, dossier=dossier,
            )
        )  # fmt: skip
    phone = normal_phone(dossier.applicant_phone)
    if phone:
        messages.append(
            outbox.queue(
                channel=Channel.SMS, agency=dossier.agency, address=phone, subject=subject, body=sms_text(sms),
                kind=kind, dossier=dossier,
            )
        )  # fmt: skip
    return messages


def _event_saved(sender, instance: DossierEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not created or instance.kind not in APPLICANT_KINDS:
        return
    recorded = instance.recorded_at or timezone.now()
    if recorded - instance.at > dt.timedelta(hours=int(settings.CCHC["APPLICANT_NOTICE_MAX_AGE_HOURS"])):
        return
    notify_applicant(instance)


# --- officers ---------------------------------------------------------------------------------------------------


def step_recipients(step: DossierStep) -> list:
    """Who a step is for: its holder; with none (a queue), every active person who may take it.

    The workflow's own rule decides who may take it (workflow.permissions.candidates: the step's role in its unit,
    in the liên thông agency when the step is held by one). A step held outside cchc tells nobody here."""
    if step.holder_id:
        return [step.holder] if step.holder.is_active else []
    if not step.role or (step.external_name and not step.external_agency_id):
        return []
    return list(candidates(step).order_by("pk"))


def _step_agency(step: DossierStep):
    """The agency working the step (a liên thông agency inside cchc, else the dossier's): its people's notices and
    e-mails belong to it."""
    return step.external_agency if step.external_agency_id else step.dossier.agency


def _notify(
    user, step: DossierStep, kind: str, title: str, body: str, dedupe: str | None = None
) -> Notification | None:
    """One in-app notice and its e-mail (when the user has an address); None when `dedupe` was used already."""
    dossier = step.dossier
    agency = _step_agency(step)
    key = f"{dedupe}:app" if dedupe else None
    if key and Notification.objects.filter(dedupe_key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=user, agency=agency, kind=kind, title=title[:255], body=body,
                link=_dossier_url(dossier), dossier=dossier, dedupe_key=key,
            )  # fmt: skip
    except IntegrityError:
        return None
    if user.email:
        outbox.queue(
            channel=Channel.EMAIL, agency=agency, address=user.email, recipient_user=user, subject=title,
            body=f"{body}\n\n{_('Xem hồ sơ')}: {_dossier_url(dossier)}", kind=kind, dossier=dossier,
            dedupe_key=f"{dedupe}:email" if dedupe else None,
        )  # fmt: skip
    return notification


def notify_step_reached(step: DossierStep) -> list[Notification]:
    """Tell the holder (or the unit's members with the step's role, for a queued step) that a step reached them."""
    step = DossierStep.objects.select_related("dossier__agency", "dossier__procedure", "holder", "external_agency").get(
        pk=step.pk
    )
    if step.state not in (StepState.QUEUED, StepState.ACTIVE):
        return []
    dossier = step.dossier
    values = {"code": dossier.code, "step": step.name, "procedure": dossier.procedure.name, "due": _day(step.due_at)}
    if step.holder_id:
        title = _("Hồ sơ %(code)s chuyển đến bạn: %(step)s") % values
    else:
        title = _("Hồ sơ %(code)s chờ đơn vị nhận xử lý: %(step)s") % values
    body = _("Hồ sơ %(code)s (%(procedure)s), bước “%(step)s”, hạn của bước: %(due)s.") % values
    with transaction.atomic():
        sent = [_notify(user, step, Kind.STEP_REACHED, title, body) for user in step_recipients(step)]
    return [n for n in sent if n is not None]


def _on_step_reached(sender, step: DossierStep, **kwargs) -> None:
    notify_step_reached(step)


# --- reminders --------------------------------------------------------------------------------------------------


def due_soon_days(agency) -> int:
    """The agency's "due soon" window in working days (its own setting when it has one, else the installation's)."""
    own = getattr(agency, "due_soon_days", None)
    return int(own) if own is not None else int(settings.CCHC["DUE_SOON_WORKING_DAYS"])


@dataclass
class ReminderResult:
    due_soon: int = 0
    late: int = 0
    notifications: int = 0


def send_reminders(now: dt.datetime | None = None) -> ReminderResult:
    """Remind the people holding steps due within their agency's window, or past their due moment: once per step,
    person and day however often this runs (the dedupe keys carry the day)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    result = ReminderResult()
    # Cheap bound first (the widest window plus weekends and holidays), exact working days below.
    horizon = now + dt.timedelta(days=3 * max(int(settings.CCHC["DUE_SOON_WORKING_DAYS"]), 5) + 14)
    steps = (
        DossierStep.objects.filter(
            state__in=[StepState.QUEUED, StepState.ACTIVE], due_at__isnull=False, due_at__lt=horizon,
            dossier__ended_at__isnull=True,
        )
        .select_related("dossier__agency", "dossier__procedure", "holder", "external_agency")
        .order_by("due_at", "pk")
    )  # fmt: skip
    for step in steps.iterator(chunk_size=500):
        dossier = step.dossier
        values = {"code": dossier.code, "step": step.name, "due": _day(step.due_at)}
        if step.due_at < now:
            kind = Kind.STEP_LATE
            title = _("Quá hạn: hồ sơ %(code)s, bước “%(step)s”") % values
            body = _("Bước “%(step)s” của hồ sơ %(code)s đã quá hạn (hạn %(due)s).") % values
        else:
            due_day = timezone.localtime(step.due_at).date()
            left = calendar.working_days_between(today, due_day, dossier.agency.province_id)
            if left > due_soon_days(dossier.agency):
                continue
            kind = Kind.STEP_DUE_SOON
            title = _("Sắp đến hạn: hồ sơ %(code)s, bước “%(step)s”") % values
            body = _("Bước “%(step)s” của hồ sơ %(code)s đến hạn ngày %(due)s.") % values
        if kind == Kind.STEP_LATE:
            result.late += 1
        else:
            result.due_soon += 1
        with transaction.atomic():
            for user in step_recipients(step):
                dedupe = f"{kind}:{step.pk}:{user.pk}:{today.isoformat()}"
                if _notify(user, step, kind, title, body, dedupe=dedupe) is not None:
                    result.notifications += 1
    return result


def connect() -> None:
    post_save.connect(_event_saved, sender=DossierEvent, dispatch_uid="cchc.notifications.applicant")
    step_reached.connect(_on_step_reached, dispatch_uid="cchc.notifications.step_reached")
