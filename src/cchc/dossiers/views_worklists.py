"""Worklist pages: "Việc của tôi", the dossier list's bulk assignment and its export to Excel.

Thin: the rules are in dossiers/worklists.py and dossiers/export.py; the list itself is views.dossier_list.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.agencies.scoping import can, home_agency
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from . import export, worklists
from .views import _filter_form, filtered_dossiers


class TempFileResponse(FileResponse):
    """A FileResponse that deletes its temporary file once the body has been sent (or the client went away)."""

    def __init__(self, path: Path, *args, **kwargs) -> None:
        self._temp_path = path
        super().__init__(path.open("rb"), *args, **kwargs)

    def close(self) -> None:
        super().close()
        try:
            os.unlink(self._temp_path)
        except FileNotFoundError:
            pass


def filter_description(form, figure_title: str | None) -> str:
    """The filters in words, for the export's title row and its audit entry."""
    parts = []
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    for name, field in form.fields.items():
        value = data.get(name)
        if value in (None, "", False):
            continue
        if name == "overdue":
            parts.append(str(field.label))
            continue
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        if hasattr(value, "strftime"):
            value = value.strftime("%d/%m/%Y")
        parts.append(f"{field.label}: {value}")
    if figure_title:
        parts.append(figure_title)
    return "; ".join(parts) if parts else _("tất cả hồ sơ")


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    """The dossier list as filtered on the page (same filters, same order), every row, as .xlsx."""
    form = _filter_form(request)
    queryset, _notes, figure_title = filtered_dossiers(request, form)
    sort = worklists.parse_sort(request.GET.get("sort"))
    agency = home_agency(request.user)
    description = filter_description(form, figure_title)
    now = timezone.localtime()
    title = _("Danh sách hồ sơ (%(filters)s), xuất lúc %(moment)s bởi %(user)s") % {
        "filters": description,
        "moment": now.strftime("%d/%m/%Y %H:%M"),
        "user": request.user.get_full_name() or request.user.get_username(),
    }
    path = export.temporary_xlsx()
    try:
        rows = export.write_xlsx(queryset, path, title=title, sort=sort, agency=agency)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    audit.record(
        agency or request.user,
        request.user,
        AuditEntry.Action.EXPORT,
        changes={"rows": rows, "filters": {k: v for k, v in request.GET.items() if v}},
        summary=_("Xuất Excel %(n)s hồ sơ: %(filters)s") % {"n": f"{rows:,}".replace(",", "."), "filters": description},
        agency=agency,
    )
    return TempFileResponse(
        path,
        as_attachment=True,
        filename=export.filename(now.date()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _back_to_list(request: HttpRequest) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}) and target.startswith("/"):
        return target
    return "/ho-so/"


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    agency = home_agency(request.user)
    if agency is None or not can(request.user, "dossier.process", agency):
        raise PermissionDenied(_("Bạn không có quyền chuyển hồ sơ."))
    back = _back_to_list(request)
    pks = []
    for value in request.POST.getlist("dossier"):
        try:
            pks.append(int(value))
        except ValueError:
            continue
    unit = worklists.assignable_units(agency).filter(pk=request.POST.get("unit") or None).first()
    if not pks:
        messages.error(request, _("Chưa chọn hồ sơ nào để chuyển."))
        return redirect(back)
    if len(pks) > worklists.MAX_BULK:
        messages.error(request, _("Mỗi lần chuyển tối đa %(n)s hồ sơ.") % {"n": worklists.MAX_BULK})
        return redirect(back)
    if unit is None:
        messages.error(request, _("Chọn đơn vị nhận hồ sơ."))
        return redirect(back)
    result = worklists.bulk_assign(request.user, pks, unit)
    if result.ok:
        messages.success(
            request,
            _("Đã chuyển %(n)s hồ sơ đến %(unit)s.") % {"n": len(result.assigned), "unit": unit.name},
        )
    else:
        reasons = "; ".join(f"{code}: {reason}" for code, reason in result.refused)
        messages.error(
            request,
            _(
                "Không chuyển hồ sơ nào: %(n)s trong %(total)s hồ sơ đã chọn không chuyển được đến %(unit)s "
                "(%(reasons)s). Bỏ chọn các hồ sơ này rồi chuyển lại."
            )
            % {"n": len(result.refused), "total": len(set(pks)), "unit": unit.name, "reasons": reasons},
        )
    return redirect(back)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    conditions = worklists.work_conditions(request.user)
    labels = worklists.work_tabs()
    from .workflow.models import DossierStep

    tabs = []
    for key, condition in conditions.items():
        if condition is None:
            continue
        count, capped = worklists.capped_count(DossierStep.objects.filter(condition))
        tabs.append({"key": key, "label": labels[key], "count": count, "capped": capped})
    keys = [tab["key"] for tab in tabs]
    current = request.GET.get("tab") if request.GET.get("tab") in keys else (keys[0] if keys else None)
    for tab in tabs:
        tab["current"] = tab["key"] == current
        tab["query"] = urlencode({"tab": tab["key"]})
    rows = []
    presenter = worklists.RowPresenter(home_agency(request.user))
    if current is not None:
        rows = [presenter.step(step) for step in worklists.work_rows(conditions[current])]
    current_tab = next((tab for tab in tabs if tab["current"]), None)
    return render(
        request,
        "dossiers/my_work.html",
        {
            "tabs": tabs,
            "current": current_tab,
            "rows": rows,
            "shown": worklists.WORK_ROWS,
            "tones": presenter.tones,
            "agency": home_agency(request.user),
        },
    )
