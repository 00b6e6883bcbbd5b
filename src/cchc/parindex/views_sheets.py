"""Pages of a score sheet: the sheet with its totals, moves and timeline; the assignment of items; the downloads
(XLSX, the self-assessment report as .docx or PDF); the ranking of a framework's agencies and its XLSX.

A sheet the user may not read is a 404 (permissions.sheets_visible); a move or an edit they may not make is a 403
with the reason; a move the phase does not allow goes back to the sheet with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from cchc.audit.timeline import person
from cchc.reports.rendering import PdfConversionError

from . import permissions, proposals, scores, sheets
from .forms import MoveForm
from .models import Framework, Phase, Section, Sheet
from .outputs import report, tables
from .presenter import read_sheet
from .results import ranking
from .timeline import sheet_entries
from .tree import build
from .views_frameworks import framework_or_404
from .workflow import PERSON_MOVES, TRANSITIONS, Move, TransitionError, allowed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
COLUMN_LABELS = {"self": _lazy("Tự chấm"), "round1": _lazy("Thẩm định lần 1"), "round2": _lazy("Thẩm định lần 2")}


def sheet_or_404(request: HttpRequest, pk: int) -> Sheet:
    queryset = permissions.sheets_visible(request.user).select_related("framework", "framework__province", "agency")
    return get_object_or_404(queryset, pk=pk)


def fresh(sheet: Sheet) -> Sheet:
    """The sheet after its deadlines and with its proposals up to date (both no-ops most of the time)."""
    sheet = sheets.apply_deadlines(sheet)
    proposals.refresh(sheet)
    return sheet


def available_moves(request: HttpRequest, sheet: Sheet) -> list[dict]:
    actors = sheets.actors_for(request.user, sheet)
    out = []
    for move in PERSON_MOVES:
        if allowed(sheet.phase, move, actors):
            transition = TRANSITIONS[move]
            out.append({"move": move.value, "label": transition.label, "reason": transition.needs_reason,
                        "decision": move == Move.PUBLISH})  # fmt: skip
    return out


def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = fresh(sheet_or_404(request, pk))
    view = read_sheet(sheet)
    user = request.user
    mine = request.GET.get("cua_toi") == "1"
    rows = [row for row in view.rows if not mine or (row.score and row.score.assignee_id == user.pk)]
    return render(request, "parindex/sheet.html", {
        "sheet": sheet, "view": view, "rows": rows, "mine": mine, "totals": view.totals,
        "columns": [(c, COLUMN_LABELS[c]) for c in ("self", "round1", "round2")], "begun": view.begun,
        "moves": available_moves(request, sheet), "move_form": MoveForm(),
        "lock_problems": sheets.lock_problems(sheet) if sheet.phase == Phase.DRAFTING else [],
        "may_prepare": permissions.may_prepare(user, sheet), "may_assign": permissions.may_assign(user, sheet),
        "is_lead": permissions.is_lead(user, sheet.framework),
        "appraiser": permissions.may_appraise_any(user, sheet), "history": sheet_entries(sheet),
        "phase": Phase, "survey": Section.SURVEY, "today": timezone.localdate(),
    })  # fmt: skip


@require_POST
def sheet_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    sheet = sheet_or_404(request, pk)
    if move not in {m.value for m in Move}:
        raise Http404(_("Không có thao tác này."))
    form = MoveForm(request.POST)
    form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    try:
        moved = sheets.move(sheet, request.user, move, reason=data.get("reason", ""), decision=data.get("decision", ""))
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Bảng điểm chuyển sang giai đoạn “%(phase)s”.") % {
            "phase": Phase(moved.phase).label})  # fmt: skip
    return redirect("parindex:sheet", pk=sheet.pk)


@require_http_methods(["GET", "POST"])
def sheet_assign(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_or_404(request, pk)
    if not permissions.may_assign(request.user, sheet):
        raise PermissionDenied(_("Chỉ quản trị và lãnh đạo cơ quan được phân công chuẩn bị các mục."))
    view = read_sheet(sheet)
    members = list(get_user_model().objects.filter(memberships__agency=sheet.agency).order_by("first_name", "username"))
    by_pk = {user.pk: user for user in members}
    if request.method == "POST":
        assignments = {}
        for row in view.leaves:
            if row.score is None:
                continue
            raw = request.POST.get(f"nguoi-{row.score.pk}")
            if raw is None:
                continue
            wanted = by_pk.get(int(raw)) if raw.isdigit() else None
            if raw and raw.isdigit() and wanted is None:
                messages.error(request, _("Người được giao phải thuộc %(agency)s.") % {"agency": sheet.agency.name})
                return redirect("parindex:sheet_assign", pk=sheet.pk)
            assignments[row.score.pk] = wanted
        try:
            changed = scores.assign(sheet, request.user, assignments)
        except (ValidationError, TransitionError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Đã phân công %(n)s mục.") % {"n": changed})
            return redirect("parindex:sheet", pk=sheet.pk)
    people = [(user.pk, person(user)) for user in members]
    return render(request, "parindex/assign.html", {"sheet": sheet, "view": view, "people": people,
                                                    "editable": sheet.phase == Phase.DRAFTING})  # fmt: skip


def sheet_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_or_404(request, pk)
    response = HttpResponse(tables.sheet_xlsx(read_sheet(sheet)), content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="bang-diem-{sheet.agency.code.lower()}-'
                                       f'{sheet.framework.year}.xlsx"')  # fmt: skip
    return response


def sheet_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sheet = sheet_or_404(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404(_("Không có định dạng này."))
    view = read_sheet(sheet)
    if fmt == "docx":
        response = HttpResponse(report.report_docx(view), content_type=DOCX)
    else:
        try:
            response = HttpResponse(report.report_pdf(view), content_type="application/pdf")
        except PdfConversionError as exc:
            messages.error(request, str(exc))
            return redirect("parindex:sheet", pk=sheet.pk)
    response["Content-Disposition"] = f'attachment; filename="{report.file_name(view, fmt)}"'
    return response


def _ranking_rows(request: HttpRequest, framework: Framework):
    """What the user may see of the ranking: every sheet for the Sở Nội vụ and the appraisers, else the agency's
    own sheet and the published (final) results."""
    user = request.user
    visible = permissions.sheets_visible(user).filter(framework=framework)
    published = framework.sheets.filter(phase=Phase.FINAL)
    if framework.province_id not in permissions.provinces_of(user) and not user.is_superuser:
        published = published.none()
    shown = list(Sheet.objects.filter(pk__in=[*visible.values_list("pk", flat=True),
                                              *published.values_list("pk", flat=True)]))  # fmt: skip
    fields = [node.item for node in _roots(framework) if node.item.section in (Section.SCORED, Section.SURVEY)]
    sort = request.GET.get("sap_xep") or ""
    if sort and sort not in {field.code for field in fields}:
        sort = ""
    rows = ranking(framework, shown, sort=sort or None)
    readable = set(visible.values_list("pk", flat=True))
    for row in rows:
        row.readable = row.sheet.pk in readable
    return rows, fields, sort


def _roots(framework: Framework):
    return build(framework.items.all())


def _ranked_framework(request: HttpRequest, pk: int) -> Framework:
    framework = framework_or_404(request, pk)
    if framework.province_id is None:
        raise Http404(_("Bộ tiêu chí mẫu không dùng để chấm điểm nên không có bảng xếp hạng."))
    return framework


def ranking_page(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _ranked_framework(request, pk)
    rows, fields, sort = _ranking_rows(request, framework)
    return render(request, "parindex/ranking.html", {"framework": framework, "rows": rows, "fields": fields,
                                                     "sort": sort, "total": framework.sheets.count()})  # fmt: skip


def ranking_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _ranked_framework(request, pk)
    rows, fields, _sort = _ranking_rows(request, framework)
    response = HttpResponse(tables.ranking_xlsx(framework, rows, fields), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ket-qua-tham-dinh-{framework.year or "mau"}.xlsx"'
    return response
