"""Report pages: the list and "Tạo báo cáo" (which asks first when the period already has a report of that
template), and the editor: details, sections with their computed figures and narrative saved per section through
htmx, the workflow panel and versions. A submitted or approved report shows the figures it was frozen with and,
when the data changed since, what changed and why (freeze.py). The workflow actions and downloads are in
views_workflow.py, the agency's templates and their outline in views_templates.py.

Thin on purpose: every rule is in services.py (permissions, states, conflicts), checks.py (what to confirm) and
freeze.py; the views scope queries to the user, check the right, call the service and render. A report of an agency
the user cannot read is a 404; a reader without the right gets 403.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.agencies.models import Agency
from cchc.agencies.scoping import can, get_scoped_or_404, home_agency, require, scope
from cchc.aggregation import submissions
from cchc.text import fold

from . import checks, freeze, services
from .blocks import REGISTRY, BlockContext, render_block
from .forms import (
    ApproveForm,
    ReportCreateForm,
    ReportDetailsForm,
    ReportFilterForm,
    ReturnForm,
    SectionForm,
    VersionForm,
    apply_errors,
)
from .html import blocks_html
from .models import Report, ReportSection, ReportStatus, TemplateKind
from .templates_registry import templates_for

STATUS_STYLES = {ReportStatus.DRAFT: "muted", ReportStatus.SUBMITTED: "", ReportStatus.APPROVED: "ok"}
DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILE_PREFIX = {
    TemplateKind.CCHC: "bao-cao-cchc",
    TemplateKind.FOCAL_TASKS: "bao-cao-nhiem-vu-trong-tam",
    TemplateKind.BUSINESS_ENVIRONMENT: "bao-cao-moi-truong-kinh-doanh",
}


# --- helpers -----------------------------------------------------------------------------------------------------


def _report_or_404(request: HttpRequest, pk: int) -> Report:
    return get_scoped_or_404(
        Report.objects.select_related("agency", "agency__province", "template"), request.user, pk=pk
    )


def _section_or_404(request: HttpRequest, pk: int) -> ReportSection:
    return get_scoped_or_404(
        ReportSection.objects.select_related("report", "report__agency", "updated_by"),
        request.user,
        agency_field="report__agency",
        pk=pk,
    )


def _editing_agency(request: HttpRequest) -> Agency:
    agency = home_agency(request.user)
    if agency is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc cơ quan nào."))
    require(request.user, "report.edit", agency)
    return agency


def _form_errors(form) -> str:
    """ "Thẩm quyền ký: Hãy chọn một lựa chọn hợp lệ ..." for a message on the editor page."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def download_name(report: Report, extension: str) -> str:
    """ "bao-cao-cchc-quy-i-2023.docx": ASCII, so every browser and mail client keeps it."""
    prefix = FILE_PREFIX.get(report.template.kind, "bao-cao")
    # "Quý I năm 2023" -> "quy-i-2023": the year needs no "năm" in a file name.
    period = re.sub(r"\bnam (\d{4})\b", r"\1", fold(report.period_label))
    period = re.sub(r"[^a-z0-9]+", "-", period).strip("-")
    return f"{prefix}-{period}.{extension}"


@dataclass
class SectionView:
    section: ReportSection
    preview: SafeString
    block_labels: list[str]
    text: str
    version: int
    conflict: services.EditConflict | None = None
    error: str = ""
    saved: bool = False

    @property
    def updated_by_label(self) -> str:
        return services.user_label(self.section.updated_by)


def _preview(report: Report, section: ReportSection, cache: dict) -> SafeString:
    if not section.blocks:
        return mark_safe("")
    kept = cache.get("frozen_sections")
    if kept is not None:
        # A frozen report shows the figures it was submitted or approved with (HTML escaped when it was kept).
        return mark_safe((kept.get(section.key) or {}).get("html", ""))  # noqa: S308
    base = BlockContext(report, cache=cache)
    rendered: list = []
    for name in section.blocks:
        if name in REGISTRY:
            rendered += render_block(name, report, base.with_options(section.options))
    return blocks_html(rendered)


def _section_view(report: Report, section: ReportSection, cache: dict, **state: Any) -> SectionView:
    return SectionView(
        section=section,
        preview=_preview(report, section, cache),
        block_labels=[str(REGISTRY[name].label) for name in section.blocks if name in REGISTRY],
        text=state.pop("text", section.text),
        version=state.pop("version", section.version),
        **state,
    )


def _section_context(request: HttpRequest, report: Report, view: SectionView) -> dict[str, Any]:
    return {
        "report": report,
        "item": view,
        "can_edit": can(request.user, "report.edit", report.agency_id) and not report.is_locked,
    }


# --- list and creation -------------------------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = scope(Report.objects.select_related("agency", "template"), request.user)
    years = sorted({day.year for day in reports.values_list("period_end", flat=True)}, reverse=True)
    form = ReportFilterForm(request.GET, years=years)
    if form.is_valid():
        if form.cleaned_data.get("trang_thai"):
            reports = reports.filter(status=form.cleaned_data["trang_thai"])
        if form.cleaned_data.get("nam"):
            reports = reports.filter(period_end__year=form.cleaned_data["nam"])
    agency = home_agency(request.user)
    can_create = agency is not None and can(request.user, "report.edit", agency)
    rows = list(reports[:300])
    create_form = ReportCreateForm(templates=templates_for(agency)) if can_create else None
    return render(
        request,
        "reports/list.html",
        {
            "form": form,
            "rows": rows,
            "status_styles": STATUS_STYLES,
            "create_form": create_form,
            "show_agency": len({row.agency_id for row in rows}) > 1,
        },
    )


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    agency = _editing_agency(request)
    form = ReportCreateForm(request.POST, templates=templates_for(agency))
    duplicates: list[Report] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.create_report(
                agency, data["template_obj"], data["period"], request.user,
                ask_if_exists=not data["confirm_duplicate"],
            )  # fmt: skip
        except checks.DuplicateReport as exc:
            # Ask first: the reports of that period with links, the form as typed, "Vẫn tạo báo cáo mới".
            duplicates = exc.existing
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo báo cáo “%(title)s”.") % {"title": " ".join(report.title.split())})
            return redirect("reports:detail", pk=report.pk)
    reports = scope(Report.objects.select_related("agency", "template"), request.user)
    return render(
        request,
        "reports/list.html",
        {
            "form": ReportFilterForm(years=[]),
            "rows": list(reports[:300]),
            "status_styles": STATUS_STYLES,
            "create_form": form,
            "create_open": True,
            "duplicates": duplicates,
        },
        status=409 if duplicates else 400,
    )


# --- the editor --------------------------------------------------------------------------------------------------


@dataclass
class FrozenState:
    """What the page of a submitted or approved report shows beside the figures it was frozen with."""

    version: Any
    figures: list[freeze.FigureChange]
    sections: list[str]
    changes: list
    live: dict

    @property
    def changed(self) -> bool:
        return bool(self.figures or self.sections or self.changes)


def _frozen_state(report: Report, cache: dict) -> FrozenState | None:
    version = freeze.frozen_version(report, files=False)
    if version is None:
        return None
    kept = version.figures or {}
    live = freeze.compute_figures(report, cache)
    cache["frozen_sections"] = kept.get("sections") or {}
    return FrozenState(
        version=version,
        figures=freeze.differences(kept, live),
        sections=freeze.changed_sections(report, kept, live),
        changes=freeze.changes_since_frozen(report, version),
        live=live,
    )


def _appendices(report: Report, cache: dict, frozen: FrozenState | None) -> list[dict[str, Any]]:
    if frozen is not None:
        kept = (frozen.version.figures or {}).get("appendices") or []
        return [{"title": a.get("title", ""), "html": mark_safe(a.get("html", ""))} for a in kept]  # noqa: S308
    out = []
    base = BlockContext(report, cache=cache)
    for spec in report.appendices or []:
        if spec.get("block") in REGISTRY:
            blocks = render_block(spec["block"], report, base.with_options(spec.get("options")))
            out.append({"title": spec.get("title", ""), "html": blocks_html(blocks)})
    return out


def _editor(
    request: HttpRequest,
    report: Report,
    overrides: dict[int, dict] | None = None,
    status: int = 200,
    *,
    confirm: dict[str, Any] | None = None,
):
    """The report page. `confirm`: the workflow step waiting for the user's confirmation ({"action": "submit" or
    "approve", "unfinished": [checks.Unfinished], "data": the approval form's values})."""
    cache: dict = {}
    frozen = _frozen_state(report, cache)
    overrides = overrides or {}
    sections = [
        _section_view(report, section, cache, **overrides.get(section.pk, {}))
        for section in report.sections.select_related("updated_by").order_by("order")
    ]
    may_edit = can(request.user, "report.edit", report.agency_id)
    may_approve = can(request.user, "report.approve", report.agency_id)
    # An approved report goes to the aggregators of its agency (rollup:submit); the page lists where it already went.
    aggregators = submissions.aggregators_of(report.agency) if report.status == ReportStatus.APPROVED else []
    sent = list(report.submissions.select_related("aggregator").order_by("submitted_at")) if aggregators else []
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "period": report.period,
            "sections": sections,
            "appendices": _appendices(report, cache, frozen),
            "frozen": frozen,
            "confirm": confirm,
            "can_edit": may_edit and not report.is_locked,
            "can_submit": may_edit and report.status == ReportStatus.DRAFT,
            "can_save_version": may_edit,
            "can_review": may_approve and report.status == ReportStatus.SUBMITTED,
            "aggregators": aggregators,
            "can_send": may_edit and bool(aggregators),
            "sent_submissions": sent,
            "status_style": STATUS_STYLES.get(report.status, ""),
            "details_form": ReportDetailsForm(
                initial=ReportDetailsForm.initial_for(report), leaders=list(services.leaders_of(report.agency_id))
            ),
            "signer": _signer_line(report),
            "approve_form": ApproveForm(initial=(confirm or {}).get("data")),
            "return_form": ReturnForm(),
            "version_form": VersionForm(),
            "versions": report.versions.select_related("created_by")[:50],
        },
        status=status,
    )


def _signer_line(report: Report) -> dict[str, str]:
    from .builder import signature_of

    signature = signature_of(report)
    return {"authority": signature.authority_form or "", "title": signature.title, "name": signature.name}


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, _report_or_404(request, pk))


@login_required
@require_POST
def report_details(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    require(request.user, "report.edit", report.agency_id)
    form = ReportDetailsForm(request.POST, leaders=list(services.leaders_of(report.agency_id)))
    if form.is_valid():
        try:
            services.update_report(report, request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu thông tin báo cáo."))
    else:
        messages.error(request, _form_errors(form))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def section_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one section's narrative at the version the editor opened. With htmx the answer is the section's
    fragment: the new version on success; on a conflict the other person's text beside the user's own, still in the
    box, so nothing typed is lost."""
    section = _section_or_404(request, pk)
    report = _report_or_404(request, section.report_id)
    require(request.user, "report.edit", report.agency_id)
    form = SectionForm(request.POST)
    typed = request.POST.get("text", "")
    state: dict[str, Any]
    if not form.is_valid():
        state = {"text": typed, "error": _("Thiếu phiên bản của mục: hãy tải lại trang rồi sửa lại.")}
    else:
        try:
            section = services.save_section(
                section, form.cleaned_data["text"], form.cleaned_data["version"], request.user
            )
        except services.EditConflict as conflict:
            section = conflict.section
            # The form keeps what the user typed; the next save is against the version they have now seen.
            state = {"text": typed, "version": conflict.current_version, "conflict": conflict}
        except ValidationError as exc:
            report.refresh_from_db()
            state = {"text": typed, "error": " ".join(exc.messages)}
        else:
            state = {"saved": True}
    if _is_htmx(request):
        view = _section_view(report, section, {}, **state)
        return render(request, "reports/_section.html", _section_context(request, report, view))
    if state.get("saved"):
        messages.success(request, _("Đã lưu mục %(section)s.") % {"section": str(section)})
        return redirect(reverse("reports:detail", kwargs={"pk": report.pk}) + f"#muc-{section.pk}")
    return _editor(request, report, {section.pk: state}, status=409 if state.get("conflict") else 400)


