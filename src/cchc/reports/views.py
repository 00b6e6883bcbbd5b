"""Report pages: the list and "Tạo báo cáo", the editor (details, sections with their computed figures and narrative
saved per section through htmx, workflow, versions), the downloads, and the agency's templates with their outline.

Thin on purpose: every rule is in services.py (permissions, states, conflicts) and templates_registry.py (outlines);
the views scope queries to the user, check the right, call the service and render. A report of an agency the user
cannot read is a 404; a reader without the right gets 403.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cchc.agencies.models import Agency
from cchc.agencies.scoping import can, get_scoped_or_404, home_agency, require, scope
from cchc.reports.rendering import Footnote, Paragraph, PdfConversionError, Run, Table
from cchc.reports.rendering.document import layout_grid
from cchc.text import fold

from . import builder, services, submissions
from .blocks import REGISTRY, BlockContext, render_block
from .forms import (
    ApproveForm,
    OutlineFormSet,
    ReportCreateForm,
    ReportDetailsForm,
    ReportFilterForm,
    ReturnForm,
    SectionForm,
    VersionForm,
    apply_errors,
    outline_block_choices,
)
from .models import Report, ReportSection, ReportStatus, ReportTemplate, TemplateKind
from .templates_registry import normalise_outline, templates_for

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


# --- computed blocks as HTML -------------------------------------------------------------------------------------


@dataclass
class _Notes:
    """Footnotes met while rendering one section, numbered in order, listed under it as the .docx prints them."""

    items: list[str] = field(default_factory=list)


def _inline_html(parts: list[Any], notes: _Notes) -> str:
    out = []
    for part in parts:
        if isinstance(part, Footnote):
            notes.items.append(part.text)
            number = len(notes.items)
            out.append(format_html('<sup class="fn" title="{}">{}</sup>', part.text, number))
        elif isinstance(part, Run):
            text = escape(part.text)
            if part.bold:
                text = f"<strong>{text}</strong>"
            if part.italic:
                text = f"<em>{text}</em>"
            if part.underline:
                text = f"<u>{text}</u>"
            out.append(text)
    return "".join(out)


def _table_html(table: Table, notes: _Notes) -> str:
    bold_rows = set(table.bold_rows)
    aligns = list(table.aligns or [])

    def cells(row, tag: str, bold: bool = False) -> str:
        # The column of each cell is where layout_grid placed it (spans shift the later cells).
        html = []
        for cell in row:
            attrs = ""
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            column = cell_columns.get(id(cell), len(aligns))
            align = cell.align or (aligns[column] if column < len(aligns) else None)
            if align and tag == "td":
                attrs += f' class="al-{align}"'
            content = _inline_html(cell.runs, notes)
            if bold or cell.bold:
                content = f"<strong>{content}</strong>"
            html.append(f"<{tag}{attrs}>{content}</{tag}>")
        return "<tr>" + "".join(html) + "</tr>"

    header, body = table.header_rows, table.body_rows
    cell_columns: dict[int, int] = {}
    for rows in (header, body):
        for line in layout_grid(rows) if rows else []:
            for slot in line:
                if slot is not None:
                    cell_columns.setdefault(id(slot[0]), slot[2])
    parts = ['<div class="table-wrap"><table class="table--compact report-table">']
    if table.title:
        parts.append(f"<caption>{escape(table.title)}</caption>")
    widths = list(table.widths or [])
    if widths and len(widths) == table.column_count and sum(widths) > 0:
        # The same proportions as the .docx columns, so the text column is not squeezed to one word a line.
        total = sum(widths)
        parts.append(
            "<colgroup>" + "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in widths) + "</colgroup>"
        )
    if header:
        parts.append("<thead>" + "".join(cells(row, "th") for row in header) + "</thead>")
    parts.append(
        "<tbody>" + "".join(cells(row, "td", index in bold_rows) for index, row in enumerate(body)) + "</tbody>"
    )
    parts.append("</table></div>")
    return "".join(parts)


def blocks_html(blocks: list[Paragraph | Table]) -> SafeString:
    """Rendering blocks (the same objects the .docx is made of) as HTML for the editor's preview: paragraphs with
    their bullets, emphasis and footnote marks, tables with merged cells, then the footnotes."""
    notes = _Notes()
    out = []
    for item in blocks:
        if isinstance(item, Table):
            out.append(_table_html(item, notes))
        elif isinstance(item, Paragraph):
            content = _inline_html(item.content, notes)
            if item.bullet:
                content = f"{escape(item.bullet)} {content}"
            if item.bold:
                content = f"<strong>{content}</strong>"
            if item.italic:
                content = f"<em>{content}</em>"
            out.append(f'<p class="al-{item.align}">{content}</p>')
    if notes.items:
        out.append('<ol class="footnotes">' + "".join(f"<li>{escape(text)}</li>" for text in notes.items) + "</ol>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


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
    return render(
        request,
        "reports/list.html",
        {
            "form": form,
            "rows": rows,
            "status_styles": STATUS_STYLES,
            "create_form": ReportCreateForm(templates=templates_for(agency)) if can_create else None,
            "show_agency": len({row.agency_id for row in rows}) > 1,
        },
    )


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    agency = _editing_agency(request)
    form = ReportCreateForm(request.POST, templates=templates_for(agency))
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.create_report(agency, data["template_obj"], data["period"], request.user)
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
        },
        status=400,
    )


# --- the editor --------------------------------------------------------------------------------------------------


def _editor(request: HttpRequest, report: Report, overrides: dict[int, dict] | None = None, status: int = 200):
    cache: dict = {}
    overrides = overrides or {}
    sections = [
        _section_view(report, section, cache, **overrides.get(section.pk, {}))
        for section in report.sections.select_related("updated_by").order_by("order")
    ]
    appendices = []
    base = BlockContext(report, cache=cache)
    for spec in report.appendices or []:
        if spec.get("block") in REGISTRY:
            blocks = render_block(spec["block"], report, base.with_options(spec.get("options")))
            appendices.append({"title": spec.get("title", ""), "html": blocks_html(blocks)})
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
            "appendices": appendices,
            "can_edit": may_edit and not report.is_locked,
            "can_submit": may_edit and report.status == ReportStatus.DRAFT,
            "can_save_version": may_edit,
            "can_review": may_approve and report.status == ReportStatus.SUBMITTED,
            "aggregators": aggregators,
            "can_send": may_edit and bool(aggregators),
            "sent_submissions": sent,
            "status_style": STATUS_STYLES.get(report.status, ""),
            "details_form": ReportDetailsForm(initial=ReportDetailsForm.initial_for(report)),
            "approve_form": ApproveForm(),
            "return_form": ReturnForm(),
            "version_form": VersionForm(),
            "versions": report.versions.select_related("created_by")[:50],
        },
        status=status,
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, _report_or_404(request, pk))


@login_required
@require_POST
def report_details(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    require(request.user, "report.edit", report.agency_id)
    form = ReportDetailsForm(request.POST)
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


def _workflow(request: HttpRequest, pk: int, action: str, work) -> HttpResponse:
    report = _report_or_404(request, pk)
    require(request.user, action, report.agency_id)
    try:
        message = work(report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def work(report: Report) -> str:
        services.submit(report, request.user)
        return _("Đã gửi báo cáo để lãnh đạo duyệt.")

    return _workflow(request, pk, "report.edit", work)


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def work(report: Report) -> str:
        form = ApproveForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        report = services.approve(
            report, request.user, number=form.cleaned_data["number"], issue_date=form.cleaned_data["issue_date"]
        )
        return _("Đã duyệt báo cáo, số %(number)s/%(symbol)s.") % {"number": report.number, "symbol": report.symbol}

    return _workflow(request, pk, "report.approve", work)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    def work(report: Report) -> str:
        services.return_to_draft(report, request.user, request.POST.get("reason", ""))
        return _("Đã trả lại báo cáo về dự thảo.")

    return _workflow(request, pk, "report.approve", work)


@login_required
@require_POST
def report_save_version(request: HttpRequest, pk: int) -> HttpResponse:
    def work(report: Report) -> str:
        version = services.save_version(report, request.user, request.POST.get("note", "")[:500])
        return _("Đã lưu phiên bản %(version)s.") % {"version": version.version}

    return _workflow(request, pk, "report.edit", work)


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404(_("Không có định dạng này."))
    report = _report_or_404(request, pk)
    if fmt == "docx":
        content = builder.build_docx(report)
    elif fmt == "xlsx":
        content = builder.build_xlsx(report)
    else:
        try:
            content = builder.build_pdf(report)
        except PdfConversionError as exc:
            messages.error(request, _("Không tạo được tệp PDF: %(error)s") % {"error": exc})
            return redirect("reports:detail", pk=report.pk)
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, download_name(report, fmt))
    return response


# --- templates -----------------------------------------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    agency = home_agency(request.user)
    templates = templates_for(agency) if agency is not None else []
    return render(
        request,
        "reports/templates.html",
        {
            "templates": templates,
            "agency": agency,
            "can_edit": agency is not None and can(request.user, "report.edit", agency),
            "block_labels": {name: str(spec.label) for name, spec in REGISTRY.items()},
        },
    )


def _template_for_copy(pk: int, agency: Agency) -> ReportTemplate:
    try:
        return ReportTemplate.objects.filter(Q(agency__isnull=True) | Q(agency=agency)).get(pk=pk)
    except ReportTemplate.DoesNotExist as exc:
        raise Http404(_("Không tìm thấy mẫu báo cáo.")) from exc


@login_required
@require_POST
def template_copy(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _editing_agency(request)
    source = _template_for_copy(pk, agency)
    try:
        copy = services.copy_template(source, agency, request.user)
    except IntegrityError:
        messages.error(request, _("Mẫu này vừa được sao chép; hãy tải lại trang."))
        return redirect("reports:templates")
    messages.success(request, _("Đã sao chép mẫu; sửa dàn ý bên dưới."))
    return redirect("reports:outline", pk=copy.pk)


def _unique_key(heading: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(heading)).strip("-")[:40] or "muc"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def outline_from_formset(formset, original: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in the order the user gave them; a kept row keeps what the form does not show (options, default
    text) from the section it was."""
    by_key = {item["key"]: item for item in normalise_outline(original)}
    rows = []
    for position, form in enumerate(formset.forms):
        data = form.cleaned_data if form.is_valid() else {}
        if not data or formset.can_delete and formset._should_delete_form(form):
            continue
        if not any(data.get(name) for name in ("number", "heading", "block", "guidance")):
            continue  # an empty extra row
        rows.append((data.get("ORDER") if data.get("ORDER") is not None else 10_000 + position, position, data))
    rows.sort(key=lambda row: (row[0], row[1]))
    taken = {data["key"] for _order, _pos, data in rows if data.get("key")}
    outline = []
    for _order, _pos, data in rows:
        key = data.get("key") or _unique_key(data.get("heading") or data.get("number") or "", taken)
        taken.add(key)
        previous = by_key.get(key, {})
        outline.append(
            {
                "key": key,
                "number": data.get("number", "").strip(),
                "heading": data.get("heading", "").strip(),
                "level": data.get("level") or 1,
                "block": [name for name in (data.get("block") or "").split(",") if name],
                "guidance": data.get("guidance", "").strip(),
                "default_text": previous.get("default_text", ""),
                "options": previous.get("options", {}),
            }
        )
    return outline


@login_required
@require_http_methods(["GET", "POST"])
def template_outline(request: HttpRequest, pk: int) -> HttpResponse:
    # Built-in templates have no agency, so scope() never returns them: only an agency's copy is editable here.
    template = get_scoped_or_404(ReportTemplate.objects.select_related("agency"), request.user, pk=pk)
    may_edit = can(request.user, "report.edit", template.agency_id)
    if request.method == "POST":
        require(request.user, "report.edit", template.agency_id)
    choices = outline_block_choices(template.outline)
    initial = [
        {
            "key": item["key"],
            "number": item["number"],
            "heading": item["heading"],
            "level": item["level"],
            "block": ",".join(item["block"]),
            "guidance": item["guidance"],
            "ORDER": position,
        }
        for position, item in enumerate(normalise_outline(template.outline), start=1)
    ]
    formset = OutlineFormSet(request.POST or None, initial=initial, block_choices=choices, prefix="muc")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        outline = outline_from_formset(formset, template.outline)
        try:
            services.save_outline(template, outline, request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Đã lưu dàn ý (%(n)s mục).") % {"n": len(outline)})
            return redirect("reports:outline", pk=template.pk)
    return render(
        request,
        "reports/outline.html",
        {"template": template, "formset": formset, "errors": errors, "can_edit": may_edit},
        status=400 if request.method == "POST" else 200,
    )
