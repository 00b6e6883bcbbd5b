"""Importing existing reports: uploading report files, their review and confirmation.

Thin: the rules are in rollup.py, imports.py and submissions.py. An aggregator sees its members only (intersected
with what agencies.scoping lets the user read); an officer imports for their own agency. An object the user cannot
read is a 404; a reader without the right gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.agencies.models import Agency
from cchc.agencies.scoping import can, get_scoped_or_404, visible_agencies
from cchc.plans.models import PlanKind
from cchc.statistics.periods import parse_period

from . import imports, submissions
from .models import ImportedReport, ImportStatus

MAX_FILES = 20


def import_agencies(user) -> list[Agency]:
    """The agencies a user may import reports for (submissions.may_import_for): their own, with the right to edit
    reports, and the members of the aggregators they act for."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: dict[int, Agency] = {}
    visible = visible_agencies(user)
    for agency in visible.filter(memberships__user=user).select_related("province").distinct():
        if can(user, "report.edit", agency):
            found[agency.pk] = agency
    for aggregator in submissions.aggregator_agencies(user).order_by("name", "pk")[:50]:
        for member in submissions.members_of(aggregator).filter(pk__in=visible.values("pk")):
            found.setdefault(member.pk, member)
    return sorted(found.values(), key=lambda a: (a.name, a.province.name if a.province else "", a.pk))


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    agencies = import_agencies(request.user)
    if not agencies:
        raise PermissionDenied(_("Bạn không có quyền nhập báo cáo."))
    results = []
    selected = agencies[0]
    if request.method == "POST":
        try:
            selected = next(a for a in agencies if a.pk == int(request.POST.get("agency") or agencies[0].pk))
        except (StopIteration, ValueError) as exc:
            raise Http404(_("Không tìm thấy cơ quan.")) from exc
        files = request.FILES.getlist("files")[:MAX_FILES]
        if not files:
            messages.error(request, _("Chọn ít nhất một tệp báo cáo."))
        for upload_file in files:
            try:
                imported = imports.stage_file(selected, upload_file, request.user)
            except imports.ImportRejected as exc:
                results.append({"name": upload_file.name, "ok": False, "message": str(exc)})
            else:
                results.append({"name": upload_file.name, "ok": True, "imported": imported})
    pending = ImportedReport.objects.filter(agency__in=[a.pk for a in agencies]).select_related("agency")[:50]
    return render(
        request,
        "rollup/upload.html",
        {"agencies": agencies, "selected": selected, "results": results, "recent": pending},
        status=400 if results and not any(r["ok"] for r in results) else 200,
    )


def _imported_or_404(request: HttpRequest, pk: int) -> tuple[ImportedReport, list[Agency]]:
    """404 for an upload of an agency the user cannot read; 403 for one they read but may not import for (a viewer
    of the agency, an aggregator it does not report to)."""
    imported = get_scoped_or_404(ImportedReport.objects.select_related("agency"), request.user, pk=pk)
    agencies = import_agencies(request.user)
    if imported.agency_id not in {a.pk for a in agencies}:
        raise PermissionDenied(_("Bạn không có quyền nhập báo cáo của cơ quan này."))
    return imported, agencies


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    imported, agencies = _imported_or_404(request, pk)
    data = request.POST if request.method == "POST" else request.GET
    agency = imported.agency
    if data.get("agency"):
        agency = next((a for a in agencies if str(a.pk) == data.get("agency")), None)
        if agency is None:
            raise Http404(_("Không tìm thấy cơ quan."))
    period_text = (data.get("period") or imported.period_key or "").strip()
    plan_kind = data.get("plan_kind") or PlanKind.CCHC_ANNUAL
    errors: list[str] = []
    status = 200
    # "Xem lại" re-reads the page with the corrections typed so far: a POST (the form carries the CSRF token, which
    # a GET would put in the address), changing nothing.
    if request.method == "POST" and data.get("action") != "review":
        try:
            if data.get("action") == "discard":
                imports.discard(imported, request.user)
                messages.success(request, _("Đã bỏ báo cáo %(name)s.") % {"name": imported.file_name})
                return redirect("rollup:upload")
            aggregator = submissions.acting_aggregator(request.user, agency)
            done = imports.confirm(
                imported,
                {"agency": agency, "period": period_text, "plan_kind": plan_kind,
                 "tasks": data.get("tasks", "1") == "1", "aggregator": aggregator},
                request.user,
            )  # fmt: skip
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            result = done.result
            messages.success(
                request,
                _("Đã nhập: %(documents)s văn bản mới vào sổ, %(tasks)s nhiệm vụ, %(figures)s số liệu.") % result,
            )
            return redirect("rollup:review", pk=done.pk)
    period = None
    try:
        period = parse_period(period_text) if period_text else None
    except ValueError as exc:
        errors.append(str(exc))
        status = 400
    result = imports.review(imported, agency=agency, period=period, plan_kind=plan_kind)
    recorded_for = imports.recording_aggregator(request.user, agency)
    return render(
        request,
        "rollup/review.html",
        {
            "imported": imported,
            "review": result,
            "agencies": agencies,
            "agency": agency,
            "period_text": period_text,
            "plan_kind": plan_kind,
            "plan_kinds": PlanKind.choices,
            "errors": errors,
            "pending": imported.status == ImportStatus.PENDING,
            "only_figures_note": imports.only_figures_note(recorded_for) if recorded_for else "",
        },
        status=status,
    )


