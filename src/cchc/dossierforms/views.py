"""Pages of the printed forms: a dossier's form as .docx or PDF, the Sổ theo dõi of a period, and the templates
(list, edit with validation and preview, reset to the default).

A form is the agency's own paper: only members of the dossier's agency print it (an aggregator reading the
province's dossiers gets a 404, as for a dossier it cannot read). Only the agency's admin edits its templates.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.agencies.models import Role
from cchc.agencies.scoping import get_scoped_or_404, home_agency, role_in
from cchc.dossiers.models import Dossier, Regime
from cchc.reports.rendering import PdfConversionError, render_docx

from . import services, templates_store
from .catalogue import SPECS, FormCode, placeholders_for, spec_for
from .forms import RegisterForm, TemplateForm
from .models import FormTemplate
from .preview import document_html

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _member_or_404(user, agency_id: int) -> None:
    if not user.is_superuser and role_in(user, agency_id) is None:
        raise Http404(_("Không tìm thấy."))


def _file(content: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX if fmt == "docx" else "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _pdf_or_message(request: HttpRequest, docx: bytes, name: str, back: str) -> HttpResponse:
    try:
        return _file(services.as_pdf(docx), name, "pdf")
    except PdfConversionError as exc:
        messages.error(request, str(exc))
        return redirect(back)


@login_required
def dossier_form(request: HttpRequest, pk: int, form: str, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise Http404(_("Không có định dạng này."))
    dossier = get_scoped_or_404(Dossier.objects.select_related("agency"), request.user, pk=pk)
    _member_or_404(request.user, dossier.agency_id)
    try:
        docx = services.dossier_docx(dossier, form)
    except ValidationError as exc:  # FormNotAvailable, or a template that no longer validates
        messages.error(request, " ".join(exc.messages))
        return redirect("dossiers:detail", pk=dossier.pk)
    name = services.file_name(form, dossier.code, fmt)
    if fmt == "docx":
        return _file(docx, name, "docx")
    return _pdf_or_message(request, docx, name, dossier_url(dossier))


def dossier_url(dossier: Dossier) -> str:
    from django.urls import reverse

    return reverse("dossiers:detail", args=[dossier.pk])


def _agency_of(request: HttpRequest):
    agency = home_agency(request.user)
    if agency is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc cơ quan nào."))
    return agency


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The Sổ theo dõi hồ sơ of a date range: the page, and the file when the form is sent."""
    agency = _agency_of(request)
    today = timezone.localdate()
    if "tu_ngay" in request.GET:
        form = RegisterForm(request.GET)
    else:
        form = RegisterForm(initial={"tu_ngay": today.replace(day=1), "den_ngay": today, "dinh_dang": "docx"})
    if form.is_bound and form.is_valid():
        start, end, fmt = form.cleaned_data["tu_ngay"], form.cleaned_data["den_ngay"], form.cleaned_data["dinh_dang"]
        try:
            docx = render_docx(services.register_document(agency, start, end))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            name = services.file_name(FormCode.REGISTER, f"{start:%Y%m%d}-{end:%Y%m%d}", fmt)
            if fmt == "docx":
                return _file(docx, name, "docx")
            try:
                return _file(services.as_pdf(docx), name, "pdf")
            except PdfConversionError as exc:
                form.add_error(None, str(exc))
    return render(request, "dossierforms/register.html", {"form": form, "agency": agency})


# -- templates ------------------------------------------------------------------------------------------------------


def _can_edit(user, agency) -> bool:
    return user.is_superuser or role_in(user, agency) == Role.ADMIN


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    agency = _agency_of(request)
    rows = []
    for (regime, code), spec in SPECS.items():
        default = templates_store.version_for(regime, code, timezone.localdate())
        used = templates_store.resolve(agency, regime, code, timezone.localdate())
        rows.append({"spec": spec, "regime_label": Regime(regime).label, "template": used, "default": default})
    return render(
        request,
        "dossierforms/template_list.html",
        {"rows": rows, "agency": agency, "can_edit": _can_edit(request.user, agency)},
    )


def _sample_dossier(agency, regime: str, form: str) -> Dossier | None:
    """The agency's newest dossier of that regime the form can be printed for: the preview fills it."""
    candidates = Dossier.objects.filter(agency=agency, regime=regime).order_by("-received_at", "-pk")
    need = services.NEEDS_EVENT.get(form)
    if need:
        candidates = candidates.filter(events__kind=need[0])
    return candidates.first()


def _preview(agency, regime: str, form: str, text: str, day: dt.date):
    """(html, problem): the filled form as HTML, or why there is none."""
    try:
        if form == FormCode.REGISTER:
            start = day.replace(day=1)
            return document_html(services.register_document(agency, start, day, regime=regime, text=text)), ""
        dossier = _sample_dossier(agency, regime, form)
        if dossier is None:
            return "", _("Chưa có hồ sơ nào của cơ quan dùng được biểu mẫu này để xem thử.")
        return document_html(services.dossier_document(dossier, form, text=text)), ""
    except ValidationError:
        return "", ""  # the errors are shown beside the text already


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, regime: str, form: str) -> HttpResponse:
    agency = _agency_of(request)
    spec = spec_for(regime, form)
    if spec is None:
        raise Http404(_("Không có biểu mẫu này."))
    today = timezone.localdate()
    current = templates_store.resolve(agency, regime, form, today)
    default = templates_store.version_for(regime, form, today)
    can_edit = _can_edit(request.user, agency)
    errors: list[str] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Chỉ quản trị cơ quan được sửa biểu mẫu."))
        if "reset" in request.POST:
            if templates_store.reset_variant(agency, regime, form, default.version, actor=request.user):
                messages.success(request, _("Đã trả biểu mẫu về mẫu mặc định."))
            return redirect("dossierforms:template_edit", regime=regime, form=form)
        edit = TemplateForm(request.POST)
        if edit.is_valid():
            text = edit.cleaned_data["text"]
            try:
                templates_store.validate(text, form)
            except ValidationError as exc:
                errors = exc.messages
            else:
                if "save" in request.POST:
                    templates_store.save_variant(
                        agency, regime, form, default.version, text, actor=request.user, note=edit.cleaned_data["note"]
                    )
                    messages.success(request, _("Đã lưu biểu mẫu của cơ quan."))
                    return redirect("dossierforms:template_edit", regime=regime, form=form)
                if "docx" in request.POST:
                    return _preview_docx(agency, regime, form, text)
    else:
        edit = TemplateForm(initial={"text": current.text, "note": current.note if current.agency_id else ""})
    text = edit.data.get("text", current.text) if edit.is_bound else current.text
    html, problem = ("", "") if errors else _preview(agency, regime, form, text, today)
    return render(
        request,
        "dossierforms/template_edit.html",
        {
            "spec": spec,
            "regime_label": Regime(regime).label,
            "form": edit,
            "current": current,
            "default": default,
            "errors": errors,
            "preview": html,
            "preview_problem": problem,
            "placeholders": sorted(placeholders_for(form).items()),
            "can_edit": can_edit,
            "agency": agency,
            "has_variant": FormTemplate.objects.filter(
                agency=agency, regime=regime, form=form, version=default.version
            ).exists(),
        },
    )


def _preview_docx(agency, regime: str, form: str, text: str) -> HttpResponse:
    today = timezone.localdate()
    try:
        if form == FormCode.REGISTER:
            document = services.register_document(agency, today.replace(day=1), today, regime=regime, text=text)
            key = "xem-thu"
        else:
            dossier = _sample_dossier(agency, regime, form)
            if dossier is None:
                raise Http404(_("Chưa có hồ sơ nào của cơ quan dùng được biểu mẫu này để xem thử."))
            document = services.dossier_document(dossier, form, text=text)
            key = dossier.code
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    return _file(render_docx(document), services.file_name(form, key, "docx"), "docx")
