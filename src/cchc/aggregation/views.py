"""Roll-up pages: the aggregator's table (with its XLSX) and sending an approved report to the aggregator
(uploading existing reports and their review: views_imports.py).

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
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.agencies.models import Agency
from cchc.agencies.scoping import get_scoped_or_404, visible_agencies
from cchc.reports.models import Report
from cchc.statistics.periods import current_quarter, parse_period

from . import rollup, submissions


def _aggregator(request: HttpRequest) -> tuple[Agency, list[Agency]]:
    """The aggregator the page is for, and every aggregator the user acts for (the picker), from one query."""
    choices = list(submissions.aggregator_agencies(request.user).order_by("name"))
    wanted = request.GET.get("co_quan") or request.POST.get("co_quan")
    if wanted:
        try:
            return next(a for a in choices if a.pk == int(wanted)), choices
        except (ValueError, StopIteration) as exc:
            raise Http404(_("Không tìm thấy cơ quan tổng hợp.")) from exc
    if not choices:
        raise PermissionDenied(_("Chỉ cơ quan tổng hợp mới xem được bảng tổng hợp."))
    return choices[0], choices


def _members(request: HttpRequest, aggregator: Agency):
    return submissions.members_of(aggregator).filter(pk__in=visible_agencies(request.user).values("pk"))


@login_required
def table(request: HttpRequest) -> HttpResponse:
    aggregator, aggregators = _aggregator(request)
    raw = request.GET.get("ky") or current_quarter(timezone.localdate()).key
    try:
        period = parse_period(raw)
    except ValueError as exc:
        messages.error(request, str(exc))
        period = current_quarter(timezone.localdate())
    result = rollup.rollup_table(aggregator, period, members=_members(request, aggregator))
    if request.GET.get("tai") == "xlsx":
        response = HttpResponse(
            rollup.export_xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"tong-hop-{aggregator.code.lower()}-{period.key}.xlsx"
        )
        return response
    return render(
        request,
        "rollup/table.html",
        {
            "aggregator": aggregator,
            "aggregators": aggregators,
            "period": period,
            "period_text": raw,
            "table": result,
            "columns": rollup.COLUMNS,
            "source_labels": {str(k): v for k, v in rollup.SOURCE_LABELS.items() if k},
            "rows": [(row, result.member_label(row.agency), *result.row_rates(row)) for row in result.rows],
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an approved report to the aggregator(s) of its agency (the button sits on the report page)."""
    report = get_scoped_or_404(Report.objects.select_related("agency"), request.user, pk=pk)
    try:
        sent = submissions.submit_to_aggregator(report, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        for submission in sent:
            text = _("Đã gửi báo cáo cho %(aggregator)s.") % {"aggregator": submission.aggregator.name}
            if submission.late:
                text += " " + _("Gửi sau hạn %(deadline)s.") % {"deadline": f"{submission.deadline:%d/%m/%Y}"}
            messages.success(request, text)
    return redirect("reports:detail", pk=report.pk)
