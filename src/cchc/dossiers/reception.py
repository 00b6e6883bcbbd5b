"""Reception at the one-stop desk with the procedure's checklist and fees (tthc.md §2).

`receive` is the one call the receive page makes: in one transaction it refuses a dossier missing a mandatory
component, receives it (lifecycle.receive: code, due date, event, audit) and writes what was handed in
(ReceivedComponent) and what was collected (FeePayment), audited on the dossier. The identity rules (CCCD for a
person, tax code for an organisation) and the look-up of an applicant's earlier details live here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.procedures.models import Component, Fee, Procedure
from cchc.procedures.parts import amount_text

from . import lifecycle
from .models import ApplicantKind, Dossier, FeePayment, PaymentGateway, ReceivedComponent
from .rules import TransitionError

_CCCD = re.compile(r"^\d{12}$")
_TAX_CODE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")


# --- identity numbers --------------------------------------------------------------------------------------------


def normalise_identity(number: str) -> str:
    """ "0123 4567 89001" -> "0123456789-001": spaces and dots dropped, a branch tax code written with its dash."""
    text = re.sub(r"[\s.]", "", number or "")
    match = _TAX_CODE.match(text)
    if match and match.group(2):
        return f"{match.group(1)}-{match.group(2)}"
    return text


def identity_problem(kind: str, number: str) -> str | None:
    """Why `number` is not a valid identity number for an applicant of `kind`, else None (an empty number is fine:
    the field is optional)."""
    number = normalise_identity(number)
    if not number:
        return None
    person, tax = bool(_CCCD.match(number)), bool(_TAX_CODE.match(number))
    if kind == ApplicantKind.PERSON and not person:
        return _("Số định danh cá nhân (căn cước công dân) gồm đúng 12 chữ số.")
    if kind == ApplicantKind.ORGANISATION and not tax:
        return _("Mã số thuế của tổ chức gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (ví dụ 0123456789-001).")
    if kind == ApplicantKind.HOUSEHOLD_BUSINESS and not (person or tax):
        return _(
            "Ghi số định danh cá nhân của chủ hộ (12 chữ số) hoặc mã số thuế của hộ kinh doanh (10 hoặc 13 chữ số)."
        )
    return None


@dataclass(frozen=True)
class EarlierApplicant:
    name: str
    address: str
    phone: str
    email: str
    kind: str
    dossier_code: str
    received_at: dt.datetime


def earlier_applicant(agency, number: str) -> EarlierApplicant | None:
    """The details the applicant with this identity number gave on their latest dossier in `agency` (only there:
    the desk of one agency never sees another agency's applicants)."""
    number = normalise_identity(number)
    if len(number) < 10:
        return None
    variants = {number, number.replace("-", "")}
    dossier = (
        Dossier.objects.filter(agency=agency, applicant_id_number__in=variants)
        .order_by("-received_at", "-pk")
        .only(
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "applicant_email",
            "applicant_kind",
            "code",
            "received_at",
        )
        .first()
    )
    if dossier is None:
        return None
    return EarlierApplicant(
        dossier.applicant_name,
        dossier.applicant_address,
        dossier.applicant_phone,
        dossier.applicant_email,
        dossier.applicant_kind,
        dossier.code,
        dossier.received_at,
    )


# --- the checklist and the fees ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandedIn:
    """One component as the clerk checked it: `received` or not, with the counts and whether it was digitised."""

    component: Component
    received: bool
    originals: int = 0
    copies: int = 0
    digitised: bool = False
    reused: bool = False  # not handed in again: taken from digitised data (QĐ 766 indicator 4.3)


@dataclass(frozen=True)
class Collected:
    """One fee collected: the amount in đồng, the receipt (biên lai) number, online or at the desk."""

    fee: Fee
    amount: Decimal
    receipt_number: str = ""
    paid_online: bool = False
    gateway: int = PaymentGateway.NATIONAL  # where an online payment went (DVCQG or the province's gateway)


class MissingComponents(TransitionError):
    def __init__(self, missing: list[Component]):
        self.missing = missing
        names = "; ".join(f"“{c.name}”" for c in missing)
        super().__init__(
            _(
                "Chưa đủ thành phần hồ sơ bắt buộc: %(names)s. Không tiếp nhận hồ sơ thiếu thành phần; hướng dẫn "
                "người nộp bổ sung, hoàn thiện hồ sơ (lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)."
            )
            % {"names": names}
        )


def missing_mandatory(procedure: Procedure, handed_in: list[HandedIn]) -> list[Component]:
    received = {line.component.pk for line in handed_in if line.received}
    return [c for c in procedure.components.order_by("position") if c.mandatory and c.pk not in received]


def _check(procedure: Procedure, handed_in: list[HandedIn], collected: list[Collected]) -> None:
    for line in handed_in:
        if line.component.procedure_id != procedure.pk:
            raise TransitionError(_("Thành phần “%(name)s” không thuộc thủ tục đã chọn.") % {"name": line.component})
        if line.received and line.originals + line.copies == 0:
            raise TransitionError(
                _("Thành phần “%(name)s”: ghi số bản chính hoặc bản sao đã nhận.") % {"name": line.component.name}
            )
    for payment in collected:
        if payment.fee.procedure_id != procedure.pk:
            raise TransitionError(_("Khoản thu “%(name)s” không thuộc thủ tục đã chọn.") % {"name": payment.fee})
        if payment.amount is None or payment.amount < 0:
            raise TransitionError(_("Khoản thu “%(name)s”: số tiền không hợp lệ.") % {"name": payment.fee.name})
    missing = missing_mandatory(procedure, handed_in)
    if missing:
        raise MissingComponents(missing)


def receive(
    *,
    agency,
    procedure: Procedure,
    applicant_name: str,
    channel: int,
    actor,
    handed_in: list[HandedIn] = (),
    collected: list[Collected] = (),
    **fields: Any,
) -> Dossier:
    """Receive a dossier with its checklist and fees (see the module's docstring). Raises MissingComponents (a
    TransitionError) when a mandatory component was not handed in, and the errors of lifecycle.receive."""
    handed_in, collected = list(handed_in), list(collected)
    if fields.get("applicant_id_number"):
        fields["applicant_id_number"] = normalise_identity(fields["applicant_id_number"])
    with transaction.atomic():
        _check(procedure, handed_in, collected)
        received = [line for line in handed_in if line.received]
        if received and all(line.digitised for line in received):
            fields["digitised"] = True
        # The summary the service index counts (the lines and payments below keep the detail).
        if received:
            fields.setdefault("digitised_components", sum(1 for line in received if line.digitised))
            fields.setdefault("reused_components", sum(1 for line in received if line.reused))
        if collected:
            paid = sum((p.amount for p in collected), Decimal(0))
            fields.setdefault("fees_paid", paid)
            fields.setdefault("fees_due", paid)
            online = next((p for p in collected if p.paid_online), None)
            if online is not None:
                fields.setdefault("payment_gateway", online.gateway)
        dossier = lifecycle.receive(
            agency=agency, procedure=procedure, applicant_name=applicant_name, channel=channel, actor=actor, **fields
        )
        lines = ReceivedComponent.objects.bulk_create(
            ReceivedComponent(
                dossier=dossier,
                component=line.component,
                position=i,
                name=line.component.name,
                originals=line.originals,
                copies=line.copies,
                digitised=line.digitised,
                reused=line.reused,
            )
            for i, line in enumerate(received, start=1)
        )
        payments = FeePayment.objects.bulk_create(
            FeePayment(
                dossier=dossier,
                fee=p.fee,
                name=p.fee.name,
                amount=p.amount,
                receipt_number=p.receipt_number,
                paid_online=p.paid_online,
                paid_at=dossier.received_at,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for p in collected
        )
        if lines or payments:
            audit.record(
                dossier,
                actor,
                AuditEntry.Action.UPDATE,
                changes={
                    "received_components": [
                        _("%(name)s: %(o)d bản chính, %(c)d bản sao%(d)s")
                        % {
                            "name": x.name,
                            "o": x.originals,
                            "c": x.copies,
                            "d": _(", đã số hóa") if x.digitised else "",
                        }
                        for x in lines
                    ],
                    "fee_payments": [
                        f"{p.name}: {amount_text(p.amount)}"
                        + (f" ({_('biên lai')} {p.receipt_number})" if p.receipt_number else "")
                        + (f" ({_('trực tuyến')})" if p.paid_online else "")
                        for p in payments
                    ],
                },
                summary=_("Ghi nhận %(n)d thành phần hồ sơ đã nhận và %(m)d khoản phí, lệ phí đã thu")
                % {"n": len(lines), "m": len(payments)},
            )
    return dossier
