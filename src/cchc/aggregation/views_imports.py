"""Importing existing reports: uploading report files, their review, correction and confirmation.

Thin: the rules are in the package importing/ and in submissions.py. An aggregator imports for its members only
(intersected with what agencies.scoping lets the user read); an officer for their own agency. An object the user
cannot read is a 404; a reader without the right gets 403. Several files are read in the task queue (the job's page
follows them); a single small file is read at once and its review opens.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.agencies.models import Agency
from cchc.agencies.scoping import get_scoped_or_404, scope
from cchc.jobs.models import Job, JobKind
from cchc.plans.models import PlanKind
from cchc.statistics.periods import parse_period, today

from . import submissions
from .importing import (
    FigureEdits,
    FigureErrors,
    ImportRejected,
    agency_label,
    apply_edits,
    confirm,
    discard,
    import_agencies,
    may_handle,
    only_figures_note,
    recording_aggregator,
    stage_file,
    upload_desk,
)
from .importing import (
    review as review_report,
)
from .importing.jobs import start_upload
from .importing.periods import period_choices
from .models import AgencySource, ImportedReport, ImportStatus

__all__ = ["import_agencies", "review", "upload"]

MAX_FILES = 50
# One file up to this size is read while the person waits and its review opens at once; more go to the queue.
INLINE_BYTES = 1024 * 1024
RECENT = 50
NEW_ROWS = 3  # empty "add a figure" rows the page offers without JavaScript


def _uploads(user, agencies: list[Agency]):
    desks = submissions.aggregator_agencies(user).values("pk")
    rows = ImportedReport.objects.filter(
        Q(agency__in=[a.pk for a in agencies]) | Q(agency__in=desks, agency_source=AgencySource.UNKNOWN)
    )
    return scope(rows.select_related("agency__province", "replaced_by"), user)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    agencies = import_agencies(request.user)
    if not agencies:
        raise PermissionDenied(_("Bạn không có quyền nhập báo cáo."))
    selected: Agency | None = None
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if request.POST.get("agency"):
            try:
                selected = next(a for a in agencies if a.pk == int(request.POST["agency"]))
            except (StopIteration, ValueError) as exc:
                raise Http404(_("Không tìm thấy cơ quan.")) from exc
        files = request.FILES.getlist("files")
        if not files:
            errors.append(_("Chọn ít nhất một tệp báo cáo."))
        elif len(files) > MAX_FILES:
            count = {"max": MAX_FILES, "count": len(files)}
            errors.append(_("Mỗi lần tải lên tối đa %(max)s tệp; đã chọn %(count)s.") % count)
        elif len(files) == 1 and files[0].size <= INLINE_BYTES:
            try:
                imported = stage_file(selected, files[0], request.user, candidates=agencies,
                                      desk=upload_desk(request.user, selected))  # fmt: skip
            except ImportRejected as exc:
                errors.append(str(exc))
            else:
                return redirect("rollup:review", pk=imported.pk)
        else:
            contents = []
            for upload_file in files:
                content = b"".join(upload_file.chunks())
                contents.append((upload_file.name or "bao-cao", content, upload_file.content_type or ""))
            desk = upload_desk(request.user, selected) or agencies[0]
            job = start_upload(contents, desk=desk, actor=request.user, agency=selected)
            return redirect("jobs:detail", pk=job.pk)
        status = 400
    jobs = scope(Job.objects.filter(kind=JobKind.REPORT_IMPORT).select_related("agency"), request.user)[:10]
    return render(
        request,
        "rollup/upload.html",
        {
            "agencies": [(a, agency_label(a)) for a in agencies],
            "selected": selected,
            "errors": errors,
            "recent": list(_uploads(request.user, agencies)[:RECENT]),
            "jobs": list(jobs),
            "max_files": MAX_FILES,
        },
        status=status,
    )


def _imported_or_404(request: HttpRequest, pk: int) -> tuple[ImportedReport, list[Agency]]:
    """404 for an upload of an agency the user cannot read; 403 for one they read but may not import for (a viewer
    of the agency, an aggregator it does not report to)."""
    imported = get_scoped_or_404(ImportedReport.objects.select_related("agency__province"), request.user, pk=pk)
    if not may_handle(request.user, imported):
        raise PermissionDenied(_("Bạn không có quyền nhập báo cáo của cơ quan này."))
    return imported, import_agencies(request.user)


def _edits(data) -> FigureEdits:
    """The figure rows of the review form: "gia-tri-<key>" (the value typed), "bo-<key>" (remove), and the added
    rows "them-chi-tieu" / "them-gia-tri" (repeated, in order)."""
    edits = FigureEdits()
    for name, value in data.items():
        if name.startswith("gia-tri-"):
            edits.values[name.removeprefix("gia-tri-")] = value
        elif name.startswith("bo-") and value:
            edits.removed.add(name.removeprefix("bo-"))
    keys, values = data.getlist("them-chi-tieu"), data.getlist("them-gia-tri")
    edits.added = list(zip(keys, values + [""] * (len(keys) - len(values)), strict=False))
    return edits


def _agency_from(data, imported: ImportedReport, agencies: list[Agency]) -> Agency | None:
    if data.get("agency"):
        agency = next((a for a in agencies if str(a.pk) == data.get("agency")), None)
        if agency is None:
            raise Http404(_("Không tìm thấy cơ quan."))
        return agency
    if imported.agency_source == AgencySource.UNKNOWN:
        return None
    return imported.agency


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    imported, agencies = _imported_or_404(request, pk)
    data = request.POST if request.method == "POST" else request.GET
    agency = _agency_from(data, imported, agencies)
    period_text = (data.get("period") or imported.period_key or "").strip()
    plan_kind = data.get("plan_kind") or PlanKind.CCHC_ANNUAL
    action = data.get("action") if request.method == "POST" else None
    edits = _edits(data) if request.method == "POST" else FigureEdits()
    errors: list[str] = []
    row_errors: dict[str, str] = {}
    status = 200
    pending = imported.status == ImportStatus.PENDING
    # "Xem lại" re-reads the page with the corrections typed so far: a POST (the form carries the CSRF token, which
    # a GET would put in the address), changing nothing.
    if action == "discard":
        discard(imported, request.user)
        messages.success(request, _("Đã bỏ báo cáo %(name)s.") % {"name": imported.file_name})
        return redirect("rollup:upload")
    if action in ("save", "confirm") and pending:
        try:
            changed = apply_edits(imported, edits, request.user)
            if action == "save":
                messages.success(request, _("Đã lưu %(count)s sửa đổi số liệu.") % {"count": changed})
                query = {"period": period_text, **({"agency": agency.pk} if agency else {})}
                return redirect(f"{reverse('rollup:review', args=[imported.pk])}?{urlencode(query)}")
            if agency is None:
                raise ValidationError(_("Chưa xác định cơ quan của báo cáo: hãy chọn cơ quan báo cáo."))
            aggregator = submissions.acting_aggregator(request.user, agency)
            done = confirm(
                imported,
                {"agency": agency, "period": period_text, "plan_kind": plan_kind,
                 "tasks": data.get("tasks", "1") == "1", "aggregator": aggregator},
                request.user,
            )  # fmt: skip
        except FigureErrors as exc:
            row_errors = exc.by_row
            errors = [_("Có số liệu chưa hợp lệ: sửa các ô được đánh dấu rồi gửi lại. Chưa có gì được lưu.")]
            status = 400
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
        imported.refresh_from_db()
    elif action == "review" and pending:
        try:
            from .importing.edits import plan_edits

            plan_edits(imported, edits)
        except FigureErrors as exc:
            row_errors = exc.by_row
    period = None
    try:
        period = parse_period(period_text) if period_text else None
    except ValueError as exc:
        if str(exc) not in errors:
            errors.append(str(exc))
        status = 400
    result = review_report(imported, agency=agency, period=period, plan_kind=plan_kind, candidates=agencies)
    if not period_text and result.period is not None:
        period_text = result.period.key
    for row in result.figures:
        if request.method == "POST" and row.key in edits.values:
            row.typed = edits.values[row.key]
        row.error = row_errors.get(row.key, "")
    added = [{"key": key, "text": text, "error": row_errors.get(f"new-{i}", "")}
             for i, (key, text) in enumerate(edits.added) if key or str(text).strip()]  # fmt: skip
    added += [{"key": "", "text": "", "error": ""}] * max(0, NEW_ROWS - len(added))
    recorded_for = recording_aggregator(request.user, agency) if agency is not None else None
    choices = period_choices(result.period, today())
    return render(
        request,
        "rollup/review.html",
        {
            "imported": imported,
            "review": result,
            "agencies": [(a, agency_label(a)) for a in agencies],
            "agency": agency,
            "period_text": period_text,
            "period_choices": choices,
            "period_known": any(key == period_text for _year, options in choices for key, _label in options),
            "plan_kind": plan_kind,
            "plan_kinds": PlanKind.choices,
            "errors": errors,
            "removed": edits.removed,
            "added": added,
            "pending": imported.status == ImportStatus.PENDING,
            "only_figures_note": only_figures_note(recorded_for) if recorded_for else "",
        },
        status=status,
    )
