"""The report's workflow actions (submit, approve, return to draft, save a version) and its downloads.

Submitting or approving a report with sections still empty or with unanswered outline prompts shows the report page
with those sections listed (links to each) and asks; the confirmation goes through and is audited (services.py).
Downloads of a submitted or approved report are the files kept when it was frozen (freeze.py), byte for byte: they
never rebuild from the data and never start a LibreOffice conversion. A draft is built from the live data.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.agencies.scoping import require
from cchc.reports.rendering import PdfConversionError, table_to_xlsx

from . import builder, checks, freeze, services
from .forms import ApproveForm
from .models import Report
from .views import _editor, _form_errors, _report_or_404, download_name

DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _workflow(request: HttpRequest, pk: int, action: str, work, *, confirm_action: str = "") -> HttpResponse:
    report = _report_or_404(request, pk)
    require(request.user, action, report.agency_id)
    try:
        message = work(report)
    except checks.UnfinishedSections as exc:
        data = {key: request.POST.get(key, "") for key in ("number", "issue_date")}
        confirm = {"action": confirm_action, "unfinished": exc.unfinished, "data": data}
        return _editor(request, _report_or_404(request, pk), confirm=confirm, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect("reports:detail", pk=report.pk)


def _confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm_unfinished") in ("1", "true", "on")


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def work(report: Report) -> str:
        services.submit(report, request.user, ask_if_unfinished=not _confirmed(request))
        return _("Đã gửi báo cáo để lãnh đạo duyệt.")

    return _workflow(request, pk, "report.edit", work, confirm_action="submit")


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def work(report: Report) -> str:
        form = ApproveForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        report = services.approve(
            report,
            request.user,
            number=form.cleaned_data["number"],
            issue_date=form.cleaned_data["issue_date"],
            ask_if_unfinished=not form.cleaned_data["confirm_unfinished"],
        )
        return _("Đã duyệt báo cáo, số %(number)s/%(symbol)s.") % {"number": report.number, "symbol": report.symbol}

    return _workflow(request, pk, "report.approve", work, confirm_action="approve")


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


def _frozen_file(request: HttpRequest, report: Report, fmt: str) -> bytes | HttpResponse | None:
    """The kept file of a frozen report; None for a draft; a redirect with the reason when the PDF was not made."""
    version = freeze.frozen_version(report)
    if version is None:
        return None
    content = getattr(version, fmt)
    if content:
        return bytes(content)
    if fmt == "pdf":
        reason = version.pdf_error or _("tệp PDF không được tạo khi chốt")
        messages.error(
            request,
            _("Không có tệp PDF của bản đã chốt (%(reason)s). Hãy tải tệp .docx của bản này.") % {"reason": reason},
        )
        return redirect("reports:detail", pk=report.pk)
    return _no_tables(request, report)


def _no_tables(request: HttpRequest, report: Report) -> HttpResponse:
    messages.error(request, _("Báo cáo không có bảng số liệu nào để xuất ra tệp Excel."))
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404(_("Không có định dạng này."))
    report = _report_or_404(request, pk)
    content = _frozen_file(request, report, fmt)
    if isinstance(content, HttpResponse):
        return content
    if content is None:
        if fmt == "docx":
            content = builder.build_docx(report)
        elif fmt == "xlsx":
            tables = builder.report_tables(report)
            if not tables:
                return _no_tables(request, report)
            content = table_to_xlsx(tables)
        else:
            try:
                content = builder.build_pdf(report)
            except PdfConversionError as exc:
                messages.error(request, _("Không tạo được tệp PDF: %(error)s") % {"error": exc})
                return redirect("reports:detail", pk=report.pk)
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, download_name(report, fmt))
    return response
