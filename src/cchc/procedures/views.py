"""The procedure catalogue pages: list with filters and live search, detail with versions and history, create,
edit and export. Every query goes through cchc.agencies.scoping; changes go through procedures.services (which
audits them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cchc.agencies import scoping
from cchc.agencies.models import Agency
from cchc.audit import timeline

from . import services
from .forms import ProcedureFilterForm, ProcedureForm
from .models import Procedure

PAGE_SIZE = 25


def _scoped(request: HttpRequest):
    return scoping.scope(Procedure.objects.select_related("agency", "field"), request.user)


def _filter_form(request: HttpRequest) -> ProcedureFilterForm:
    return ProcedureFilterForm(request.GET or None, agencies=scoping.visible_agencies(request.user))


def _filtered(request: HttpRequest):
    form = _filter_form(request)
    if form.is_bound:
        form.is_valid()
        if "agency" in form.errors:
            # An agency the user cannot read answers like a missing one (as the dashboard's ?co_quan= does).
            raise Http404(_("Không tìm thấy cơ quan."))
    queryset = form.apply(_scoped(request)).order_by("code", "-effective_from", "pk")
    return form, queryset


def _editable_agencies(user) -> list[Agency]:
    return [a for a in scoping.visible_agencies(user) if scoping.can(user, "procedure.edit", a)]


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "form": form,
        "page": page,
        "day": form.day(),
        "query": query.urlencode(),
        "can_create": bool(_editable_agencies(request.user)),
    }
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, "procedures/_results.html", context)
    return render(request, "procedures/list.html", context)


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = scoping.get_scoped_or_404(Procedure.objects.select_related("agency", "field"), request.user, pk=pk)
    versions = Procedure.objects.filter(agency=procedure.agency, code=procedure.code).order_by("-effective_from")
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "versions": versions,
            "history": timeline.entries(procedure),
            "can_edit": scoping.can(request.user, "procedure.edit", procedure.agency),
            "components": procedure.components.order_by("position"),
            "fees": procedure.fee_items.order_by("position"),
            "steps": list(procedure.internal_steps.select_related("unit", "external_agency").order_by("position")),
        },
    )


@login_required
def procedure_create(request: HttpRequest) -> HttpResponse:
    agency_id = request.GET.get("co_quan") or request.POST.get("co_quan")
    if agency_id:
        if not str(agency_id).isdigit():
            raise Http404
        agency = get_object_or_404(scoping.visible_agencies(request.user), pk=int(agency_id))
    else:
        agency = scoping.home_agency(request.user)
        if agency is None:
            raise Http404
    scoping.require(request.user, "procedure.edit", agency)
    form = ProcedureForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        procedure = services.create_procedure(agency, form.cleaned_data, request.user)
        messages.success(request, _("Đã thêm thủ tục %(code)s.") % {"code": procedure.code})
        return redirect("procedures:detail", pk=procedure.pk)
    return render(request, "procedures/form.html", {"form": form, "agency": agency, "procedure": None})


@login_required
def procedure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = scoping.get_scoped_or_404(Procedure.objects.select_related("agency", "field"), request.user, pk=pk)
    scoping.require(request.user, "procedure.edit", procedure.agency)
    form = ProcedureForm(request.POST or None, instance=procedure, agency=procedure.agency)
    if request.method == "POST" and form.is_valid():
        # The service compares with the stored row, so hand it a fresh copy rather than the form-mutated instance.
        stored = Procedure.objects.get(pk=procedure.pk)
        procedure = services.update_procedure(stored, form.cleaned_data, request.user)
        messages.success(request, _("Đã lưu thay đổi của thủ tục %(code)s.") % {"code": procedure.code})
        return redirect("procedures:detail", pk=procedure.pk)
    return render(request, "procedures/form.html", {"form": form, "agency": procedure.agency, "procedure": procedure})


@login_required
def procedure_export(request: HttpRequest, fmt: str) -> HttpResponse:
    from . import io

    if fmt not in ("xlsx", "csv"):
        raise Http404
    _form, queryset = _filtered(request)
    return io.export_response(queryset, fmt)
