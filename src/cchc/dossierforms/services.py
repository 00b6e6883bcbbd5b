"""Printing a form: which forms apply to a dossier, and the form as .docx or PDF bytes.

Views and the `cchc dossier-form` command call these; every refusal is a FormNotAvailable (a ValidationError) with
its reason in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cchc.dossiers.models import Dossier, EventKind, Regime
from cchc.reports.rendering import AdministrativeDocument, render_docx, to_pdf

from . import markup, templates_store
from .catalogue import DOSSIER_FORMS, FormCode, spec_for
from .filling import DossierFilling
from .register import register_filling

# The event a form reports on: without it the form has nothing to say.
NEEDS_EVENT = {
    FormCode.SUPPLEMENT: (EventKind.SUPPLEMENT_REQUESTED, _lazy("Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện.")),
    FormCode.REFUSAL: (EventKind.REFUSED, _lazy("Hồ sơ không bị từ chối giải quyết.")),
    FormCode.APOLOGY: (EventKind.APOLOGY_ISSUED, _lazy("Hồ sơ chưa có văn bản xin lỗi, hẹn lại ngày trả kết quả.")),
    FormCode.STOP: (EventKind.WITHDRAWN, _lazy("Hồ sơ chưa dừng giải quyết (tổ chức, cá nhân chưa rút hồ sơ).")),
}
FILE_NAMES = {
    FormCode.RECEIPT: "giay-tiep-nhan",
    FormCode.SUPPLEMENT: "phieu-yeu-cau-bo-sung",
    FormCode.REFUSAL: "phieu-tu-choi",
    FormCode.APOLOGY: "phieu-xin-loi",
    FormCode.STOP: "thong-bao-dung",
    FormCode.CONTROL: "phieu-kiem-soat",
    FormCode.REGISTER: "so-theo-doi",
}


class FormNotAvailable(ValidationError):
    """The form cannot be printed for this dossier; the message says why."""


@dataclass(frozen=True)
class Available:
    code: str
    label: str


def _no_form_message(regime: str, form: str) -> str:
    if form == FormCode.STOP and regime == Regime.ND61:
        return _(
            "Thông tư 01/2018/TT-VPCP (hồ sơ nhận theo Nghị định 61/2018/NĐ-CP) không có mẫu thông báo dừng giải "
            "quyết hồ sơ; việc rút hồ sơ được ghi trong Sổ theo dõi hồ sơ và Phiếu kiểm soát quá trình giải quyết."
        )
    return _("Chế độ %(regime)s không có biểu mẫu «%(form)s».") % {"regime": Regime(regime).label, "form": form}


def check_form(dossier: Dossier, form: str) -> None:
    """FormNotAvailable unless `form` can be printed for `dossier` (its regime has it, the dossier's state calls
    for it)."""
    if form not in FormCode.values:
        raise FormNotAvailable(
            _("Không có biểu mẫu «%(form)s»; các biểu mẫu: %(all)s.")
            % {"form": form, "all": ", ".join(FormCode.values)}
        )
    if form == FormCode.REGISTER:
        raise FormNotAvailable(_("Sổ theo dõi hồ sơ in cho một khoảng ngày, không cho một hồ sơ."))
    if spec_for(dossier.regime, form) is None:
        raise FormNotAvailable(_no_form_message(dossier.regime, form))
    need = NEEDS_EVENT.get(form)
    if need and not dossier.events.filter(kind=need[0]).exists():
        raise FormNotAvailable(need[1])


def available_forms(dossier: Dossier) -> list[Available]:
    """The forms of the dossier's regime that its state calls for, in the circular's order."""
    kinds = set(dossier.events.values_list("kind", flat=True).distinct())
    out = []
    for code in DOSSIER_FORMS:
        spec = spec_for(dossier.regime, code)
        if spec is None or (code in NEEDS_EVENT and NEEDS_EVENT[code][0] not in kinds):
            continue
        out.append(Available(code, spec.title))
    return out


def _template(agency, regime: str, form: str, day: dt.date):
    template = templates_store.resolve(agency, regime, form, day)
    if template is None:
        raise FormNotAvailable(_no_form_message(regime, form))
    return template


def dossier_document(dossier: Dossier, form: str, *, text: str | None = None) -> AdministrativeDocument:
    """The filled form; `text` replaces the stored template (the edit page's preview)."""
    check_form(dossier, form)
    source = text if text is not None else _template(dossier.agency, dossier.regime, form, dossier.received_on).text
    parsed = markup.parse(source, form)
    return markup.build(parsed, DossierFilling(dossier, form).filling())


def register_document(
    agency, start: dt.date, end: dt.date, *, regime: str | None = None, text: str | None = None
) -> AdministrativeDocument:
    """The Sổ theo dõi of the period; its form is the regime in force at the period's end unless given."""
    from cchc.dossiers.rules import regime_on

    regime = regime or regime_on(end)
    source = text if text is not None else _template(agency, regime, FormCode.REGISTER, end).text
    parsed = markup.parse(source, FormCode.REGISTER)
    return markup.build(parsed, register_filling(agency, start, end))


def dossier_docx(dossier: Dossier, form: str) -> bytes:
    return render_docx(dossier_document(dossier, form))


def as_pdf(docx: bytes) -> bytes:
    return to_pdf(docx)


def file_name(form: str, key: str, extension: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-._" else "-" for ch in key)
    return f"{FILE_NAMES.get(form, form)}-{safe}.{extension}"
