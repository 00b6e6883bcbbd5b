"""Dossier pages: list, detail, receipt, lifecycle steps and file import.

Thin on purpose: every rule is in dossiers/lifecycle.py, dossiers/importer/ and statistics/; the views scope
queries to the user (cchc.agencies.scoping), check the permission, call the domain function and render.
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from cchc.agencies.models import Agency
from cchc.agencies.scoping import can, get_scoped_or_404, home_agency, require, scope, visible_agencies
from cchc.audit import timeline
from cchc.jobs.models import Job, JobKind
from cchc.procedures.models import Field, Procedure
from cchc.reports.freeze import ChangeReasonRequired
from cchc.statistics import classification, periods
from cchc.text import fold

from . import lifecycle, worklists
from .forms import STEP_FORMS, DossierFilterForm, ImportForm
from .models import Dossier, DossierEvent, EventKind, Outcome

PAGE_SIZE = 50
# The list shows "more than N" instead of counting a large filtered set on every page.
COUNT_CAP = 1000
SEARCH_COUNT_CAP = 200
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


# --- list ------------------------------------------------------------------------------------------------------


# Totals of the report columns (Biểu 06/VPCP/KSTT): a total is the union of its parts' conditions.
# Named like the totals of statistics.service.DossierFigures.
FIGURE_TOTALS: dict[str, tuple[str, ...]] = {
    "received_new": ("received_online", "received_direct", "received_postal"),
    "received_direct_or_postal": ("received_direct", "received_postal"),
    "received_total": ("carried_over", "received_online", "received_direct", "received_postal"),
    "resolved": ("resolved_early", "resolved_on_time", "resolved_late"),
    "resolved_on_time_or_early": ("resolved_early", "resolved_on_time"),
    "in_progress": ("in_progress_within", "in_progress_overdue"),
    "late_total": ("resolved_late", "in_progress_overdue"),
}
FIGURE_LABELS: dict[str, str] = {
    "carried_over": _lazy("Kỳ trước chuyển qua"),
    "received_online": _lazy("Mới tiếp nhận trực tuyến"),
    "received_direct": _lazy("Mới tiếp nhận trực tiếp"),
    "received_postal": _lazy("Mới tiếp nhận qua bưu chính công ích"),
    "received_new": _lazy("Mới tiếp nhận"),
    "received_direct_or_postal": _lazy("Mới tiếp nhận trực tiếp và bưu chính công ích"),
    "received_total": _lazy("Nhận giải quyết"),
    "resolved": _lazy("Đã giải quyết"),
    "resolved_early": _lazy("Giải quyết trước hạn"),
    "resolved_on_time": _lazy("Giải quyết đúng hạn"),
    "resolved_late": _lazy("Giải quyết quá hạn"),
    "resolved_on_time_or_early": _lazy("Giải quyết trước hạn và đúng hạn"),
    "late_total": _lazy("Trễ hạn (đã và đang giải quyết)"),
    "refused": _lazy("Từ chối giải quyết"),
    "withdrawn": _lazy("Rút hồ sơ"),
    "in_progress": _lazy("Đang giải quyết"),
    "in_progress_within": _lazy("Đang giải quyết trong hạn"),
    "in_progress_overdue": _lazy("Đang giải quyết quá hạn"),
}


def figure_condition(period: periods.Period, figure: str) -> Q:
    """The dossiers one figure of `period` counts, with the very conditions statistics/classification.py gives the
    aggregates, so a figure on the dashboard and the list behind it always agree."""
    conditions = classification.conditions(period)
    parts = FIGURE_TOTALS.get(figure, (figure,))
    if any(part not in conditions for part in parts):
        raise ValueError(_("Không có chỉ tiêu «%(figure)s».") % {"figure": figure})
    # received_on <= end is part of relevant(); the same bound on received_at lets the (agency, received_at) index
    # start the scan at the period's end instead of at today.
    return (
        Q(received_at__lt=_day_start(period.end + dt.timedelta(days=1)))
        & classification.relevant(period)
        & reduce(operator.or_, (conditions[part] for part in parts))
    )


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the agencies' time zone: received_on is the local date of received_at."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _search(queryset: QuerySet, text: str) -> QuerySet:
    """By dossier code (exact, through the unique index), or any part of the code, national code, applicant name or
    identity number, ignoring case and diacritics ("nguyen van an" finds "Nguyễn Văn An", "dang" finds "Đặng").

    Every folded word must appear in the folded search column; on PostgreSQL its trigram index finds the rows."""
    exact = queryset.filter(code=text)
    if " " not in text and exact.exists():
        return exact
    words = fold(text).split()
    if not words:
        return queryset.none()
    return queryset.filter(reduce(operator.and_, (Q(search_text__contains=word) for word in words)))


def _today_period() -> periods.Period:
    today = timezone.localdate()
    return periods.date_range(today, today)


def filtered_dossiers(request: HttpRequest, form: DossierFilterForm) -> tuple[QuerySet, list[str], str | None]:
    """The user's dossiers narrowed by the filter form; also the notes about filters that were ignored and the
    title of the period figure being shown, if any."""
    queryset = scope(Dossier.objects.all(), request.user)
    notes: list[str] = []
    if not form.is_valid() and "agency" in form.errors:
        # An agency the user cannot read answers like a missing one (as the dashboard's ?co_quan= does).
        raise Http404(_("Không tìm thấy cơ quan."))
    if not form.is_valid():
        notes.extend(f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items() if name)
        notes.extend(form.non_field_errors())
        data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    else:
        data = form.cleaned_data
    if data.get("agency"):
        queryset = queryset.filter(agency=data["agency"])
    text = " ".join((data.get("q") or "").split())
    if text:
        queryset = _search(queryset, text)
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("channel"):
        queryset = queryset.filter(channel=data["channel"])
    if data.get("procedure"):
        queryset = queryset.filter(procedure=data["procedure"])
    if data.get("field"):
        queryset = queryset.filter(procedure__field=data["field"])
    # Bounds on received_at rather than received_on: the same days, and the list's index serves them.
    if data.get("received_from"):
        queryset = queryset.filter(received_at__gte=_day_start(data["received_from"]))
    if data.get("received_to"):
        queryset = queryset.filter(received_at__lt=_day_start(data["received_to"] + dt.timedelta(days=1)))
    if data.get("overdue"):
        # "Quá hạn" today is the dashboard's "đang giải quyết quá hạn" for a period ending today.
        queryset = queryset.filter(figure_condition(_today_period(), "in_progress_overdue"))
    period_text, figure = request.GET.get("period"), request.GET.get("figure")
    if period_text and figure:
        try:
            # "cach_tinh" is the dashboard's name for the period mode.
            mode = request.GET.get("mode") or request.GET.get("cach_tinh") or "nd09"
            period = periods.parse_period(period_text, mode)
            queryset = queryset.filter(figure_condition(period, figure))
        except ValueError as exc:
            notes.append(_("Bộ lọc số liệu kỳ báo cáo không áp dụng được: %(error)s") % {"error": exc})
        else:
            return queryset, notes, f"{period.label}: {FIGURE_LABELS.get(figure, figure)}"
    return queryset, notes, None


def _filter_form(request: HttpRequest) -> DossierFilterForm:
    agencies = visible_agencies(request.user)
    return DossierFilterForm(
        request.GET,
        procedures=scope(Procedure.objects.all(), request.user).order_by("code", "-effective_from"),
        fields=Field.objects.filter(procedures__agency__in=agencies).distinct().order_by("name"),
        agencies=agencies.order_by("name"),
    )


SORT_COLUMNS = (("code", _lazy("Mã hồ sơ")), ("applicant", _lazy("Chủ hồ sơ")), ("received", _lazy("Tiếp nhận")),
                ("due", _lazy("Hẹn trả")))  # fmt: skip


def _sort_headers(params: dict[str, str], sort: worklists.Sort) -> dict[str, dict]:
    """Each sortable column's link (the other direction when it is the sorted one) and its aria-sort."""
    kept = {k: v for k, v in params.items() if k != "sort"}
    headers = {}
    for key, label in SORT_COLUMNS:
        active = key == sort.key
        headers[key] = {
            "label": label,
            "query": urlencode({**kept, "sort": sort.toggled(key)}),
            "aria": ("descending" if sort.descending else "ascending") if active else "none",
            "arrow": ("▼" if sort.descending else "▲") if active else "",
        }
    return headers


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    queryset, notes, figure_title = filtered_dossiers(request, form)
    sort = worklists.parse_sort(request.GET.get("sort"))
    page = worklists.keyset_page(
        worklists.list_rows(queryset),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        sort=sort,
    )
    # A capped count: exact up to the cap, "more than" beyond, so a million-row agency never counts them all. A text
    # search counts to a lower cap: its rows are found by reading the search column row by row (SQLite has no
    # trigram index; PostgreSQL's planner often prefers a scan for a common name), and a count of 1,000 matches of
    # "Nguyễn Văn" read most of an agency's dossiers (250 ms at 200k on SQLite) to say what "hơn 200" says as well.
    cap = SEARCH_COUNT_CAP if (request.GET.get("q") or "").strip() else COUNT_CAP
    capped = queryset.order_by().values("pk")[: cap + 1].count()
    params = {k: v for k, v in request.GET.items() if k not in ("after", "before") and v}
    if sort.param == worklists.DEFAULT_SORT:
        params.pop("sort", None)
    else:
        params["sort"] = sort.param
    agency = home_agency(request.user)
    presenter = worklists.RowPresenter(agency)
    can_assign = agency is not None and can(request.user, "dossier.process", agency)
    context = {
        "form": form,
        "page": page,
        "rows": [presenter.dossier(d) for d in page.rows],
        "notes": notes,
        "figure_title": figure_title,
        "count": min(capped, cap),
        "count_capped": capped > cap,
        "next_query": urlencode({**params, "after": page.next_cursor}) if page.next_cursor else None,
        "prev_query": urlencode({**params, "before": page.prev_cursor}) if page.prev_cursor else None,
        "list_query": urlencode(params),
        "sort": sort,
        "sort_param": params.get("sort", ""),
        "headers": _sort_headers(params, sort),
        "show_agency": visible_agencies(request.user).count() > 1,
        "can_receive": agency is not None and can(request.user, "dossier.receive", agency),
        "can_import": agency is not None and can(request.user, "dossier.import", agency),
        "can_assign": can_assign,
        "units": list(worklists.assignable_units(agency)) if can_assign else [],
        "tones": presenter.tones,
        "due_soon_days": agency.due_soon_days if agency is not None else None,
    }
    # htmx swaps only the results; a history restore (the Back button after a swap) needs the whole page.
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, "dossiers/_results.html" if partial else "dossiers/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- detail and steps ------------------------------------------------------------------------------------------


def _dossier_or_404(request: HttpRequest, pk: int) -> Dossier:
    return get_scoped_or_404(
        Dossier.objects.select_related("agency", "procedure", "procedure__field", "current_unit", "created_by"),
        request.user,
        pk=pk,
    )


BADGES: dict[str, tuple[str, str]] = {
    "resolved_early": (_lazy("Giải quyết trước hạn"), "ok"),
    "resolved_on_time": (_lazy("Giải quyết đúng hạn"), "ok"),
    "resolved_late": (_lazy("Giải quyết quá hạn"), "bad"),
    "in_progress_within": (_lazy("Đang xử lý trong hạn"), "muted"),
    "in_progress_overdue": (_lazy("Đang xử lý quá hạn"), "bad"),
}


def classification_badge(dossier: Dossier) -> dict | None:
    """The dossier's timeliness exactly as the statistics count it: an ended dossier in the period of its end day,
    an open one in a period ending today (statistics/classification.py). A refused or withdrawn dossier is counted
    among the resolved ones in Biểu 06 (tthc-details.md §1.11), but it was not resolved: its status badge says
    what happened, and instead of a timeliness badge a note says how the statistics count it."""
    day = dossier.ended_on or timezone.localdate()
    flags = classification.classify(dossier, periods.date_range(day, day)).names()
    for key, (label, style) in BADGES.items():
        if key in flags:
            if dossier.outcome in (Outcome.REFUSED, Outcome.WITHDRAWN):
                return {"note": _("Biểu 06 tính hồ sơ này vào số đã giải quyết (%(how)s).") % {"how": label.lower()}}
            return {"key": key, "label": label, "style": style}
    return None


# Returning the result goes through the workflow's return form (its "Trả kết quả" in the Quy trình xử lý panel),
# which records the DossierResult (number, date, file, to whom); the plain action would return without it.
NOT_OFFERED = {EventKind.RESULT_RETURNED}


def _step_actions(request: HttpRequest, dossier: Dossier) -> list[dict]:
    if not can(request.user, "dossier.process", dossier.agency_id):
        return []
    return [
        {"kind": kind, "label": EventKind(kind).label}
        for kind in lifecycle.allowed_actions(dossier)
        if kind in STEP_FORMS and kind not in NOT_OFFERED
    ]


def _event_key(name: str):
    """The importer records a corrected step moment as "event:<kind>"."""
    kind = name.split(":", 1)[1] if name.startswith("event:") else ""
    if kind in EventKind.values:
        return str(EventKind(kind).label), DossierEvent._meta.get_field("at")
    return None


def _with_change_rows(entries: list[dict]) -> list[dict]:
    for entry in entries:
        entry["change_rows"] = timeline.rows_for(entry.get("changes"), Dossier, extra=_event_key)
    return entries


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier_or_404(request, pk)
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "badge": classification_badge(dossier),
            "timeline": _with_change_rows(lifecycle.timeline(dossier)),
            "actions": _step_actions(request, dossier),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    form_class = STEP_FORMS.get(kind)
    if form_class is None:
        raise Http404(_("Không có thao tác này."))
    dossier = _dossier_or_404(request, pk)
    require(request.user, "dossier.process", dossier.agency_id)
    if request.method == "POST":
        form = form_class(request.POST, dossier=dossier)
        if form.is_valid():
            try:
                lifecycle.perform(dossier, kind, actor=request.user, **form.lifecycle_data())
            except ChangeReasonRequired as exc:  # inside a reported period: ask for the reason, keep what was typed
                form.ask_reason(exc.messages)
                dossier = _dossier_or_404(request, pk)
            except ValidationError as exc:  # TransitionError included: its Vietnamese message goes on the form
                form.add_error(None, exc.messages)
                dossier = _dossier_or_404(request, pk)
            else:
                messages.success(request, _("Đã ghi nhận: %(step)s.") % {"step": EventKind(kind).label})
                return redirect("dossiers:detail", pk=dossier.pk)
    else:
        form = form_class(dossier=dossier)
    return render(
        request,
        "dossiers/action.html",
        {
            "dossier": dossier,
            "form": form,
            "kind": kind,
            "kind_label": EventKind(kind).label,
            "allowed": kind in lifecycle.allowed_actions(dossier),
        },
    )


def _receiving_agency(request: HttpRequest, action_name: str) -> Agency:
    agency = home_agency(request.user)
    if agency is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc cơ quan nào."))
    require(request.user, action_name, agency)
    return agency


# --- import ----------------------------------------------------------------------------------------------------


def _samples() -> list[Path]:
    if not SAMPLES_DIR.is_dir():
        return []
    return sorted(p for p in SAMPLES_DIR.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xlsx"))


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    """The upload: a file that cannot be imported at all is refused here, at once; any other goes to a background
    job (dossiers/jobs.py) and the user follows it on the job's page."""
    agency = _receiving_agency(request, "dossier.import")
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            from .importer import ImportFileError, check_file
            from .jobs import start_import

            upload = form.cleaned_data["file"]
            try:
                check_file(upload)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                job = start_import(
                    upload, agency=agency, actor=request.user, change_reason=form.cleaned_data["change_reason"]
                )
                return redirect("jobs:detail", pk=job.pk)
    else:
        form = ImportForm()
    recent = Job.objects.filter(agency=agency, kind=JobKind.DOSSIER_IMPORT).select_related("created_by")[:10]
    return render(
        request,
        "dossiers/import.html",
        {"form": form, "agency": agency, "recent_jobs": recent, "samples": [p.name for p in _samples()]},
    )


@login_required
def import_sample(request: HttpRequest, name: str) -> FileResponse:
    for path in _samples():
        if path.name == name:
            return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    raise Http404(_("Không có tệp mẫu này."))
