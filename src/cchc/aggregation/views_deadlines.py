"""The aggregator's deadline pages: list and add, edit, delete, and create the defaults (rules: deadlines.py).

A deadline of an agency the user cannot read is a 404; one of an agency they read but do not manage, 403; a group
of another aggregator named in the form, 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.agencies.models import Agency
from cchc.agencies.scoping import get_scoped_or_404
from cchc.reports.forms import apply_errors

from . import deadlines
from .forms import DeadlineForm
from .models import AggregationGroup, ReportingRegime


def _aggregator(request: HttpRequest) -> tuple[Agency, list[Agency]]:
    choices = list(deadlines.managed_aggregators(request.user).order_by("name", "pk"))
    wanted = request.GET.get("co_quan") or request.POST.get("co_quan")
    if wanted:
        try:
            return next(a for a in choices if a.pk == int(wanted)), choices
        except (ValueError, StopIteration) as exc:
            raise Http404(_("Không tìm thấy cơ quan tổng hợp.")) from exc
    if not choices:
        raise PermissionDenied(_("Chỉ cơ quan tổng hợp mới đặt được hạn gửi báo cáo."))
    return choices[0], choices


def _check_group(request: HttpRequest, aggregator: Agency) -> None:
    """A group of another aggregator named in the form: 404, as any id the user may not use."""
    raw = (request.POST.get("group") or "").strip()
    if raw and not AggregationGroup.objects.filter(aggregator=aggregator, pk=raw if raw.isdigit() else -1).exists():
        raise Http404(_("Không tìm thấy nhóm cơ quan báo cáo."))


def _list_url(aggregator: Agency) -> str:
    return f"{reverse('rollup:deadlines')}?co_quan={aggregator.pk}"


def _page(request: HttpRequest, aggregator: Agency, aggregators: list[Agency], form: DeadlineForm, status: int = 200):
    rows = deadlines.deadline_rows(aggregator, timezone.localdate())
    return render(
        request,
        "rollup/deadlines.html",
        {
            "aggregator": aggregator,
            "aggregators": aggregators,
            "rows": rows,
            "form": form,
            "has_defaults": any(row.is_default for row in rows),
            "defaults": deadlines.DEFAULT_DEADLINES,
        },
        status=status,
    )


@login_required
def deadline_list(request: HttpRequest) -> HttpResponse:
    """The aggregator's deadlines, and the form to add one (POST)."""
    aggregator, aggregators = _aggregator(request)
    if request.method != "POST":
        return _page(request, aggregator, aggregators, DeadlineForm(aggregator=aggregator))
    if not deadlines.may_manage(request.user, aggregator):
        raise PermissionDenied(_("Bạn không có quyền đặt hạn gửi báo cáo."))
    _check_group(request, aggregator)
    form = DeadlineForm(request.POST, aggregator=aggregator)
    if form.is_valid():
        try:
            regime = deadlines.save_deadline(form.apply(ReportingRegime(aggregator=aggregator)), request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm hạn gửi “%(name)s”.") % {"name": regime.name})
            return redirect(_list_url(aggregator))
    return _page(request, aggregator, aggregators, form, status=400)


@login_required
@require_POST
def deadline_defaults(request: HttpRequest) -> HttpResponse:
    aggregator, _aggregators = _aggregator(request)
    created = deadlines.install_defaults(aggregator, request.user)
    if created:
        messages.success(request, _("Đã tạo %(n)s hạn gửi mặc định; hãy đối chiếu với văn bản của tỉnh.") % {
            "n": len(created)})  # fmt: skip
    else:
        messages.info(request, _("Cơ quan đã có đủ các hạn gửi mặc định."))
    return redirect(_list_url(aggregator))


def _regime(request: HttpRequest, pk: int) -> ReportingRegime:
    regime = get_scoped_or_404(
        ReportingRegime.objects.select_related("aggregator", "group"), request.user, "aggregator", pk=pk
    )
    if not deadlines.may_manage(request.user, regime.aggregator):
        raise PermissionDenied(_("Bạn không có quyền sửa hạn gửi báo cáo của cơ quan này."))
    return regime


@login_required
def deadline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    regime = _regime(request, pk)
    aggregator = regime.aggregator
    status = 200
    if request.method == "POST":
        _check_group(request, aggregator)
        form = DeadlineForm(request.POST, aggregator=aggregator)
        if form.is_valid():
            try:
                deadlines.save_deadline(form.apply(regime), request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu hạn gửi “%(name)s”.") % {"name": regime.name})
                return redirect(_list_url(aggregator))
        status = 400
    else:
        form = DeadlineForm(initial=DeadlineForm.initial_for(regime), aggregator=aggregator)
    return render(request, "rollup/deadline_form.html", {"regime": regime, "aggregator": aggregator, "form": form},
                  status=status)  # fmt: skip


@login_required
@require_POST
def deadline_delete(request: HttpRequest, pk: int) -> HttpResponse:
    regime = _regime(request, pk)
    aggregator = regime.aggregator
    name = regime.name
    deadlines.delete_deadline(regime, request.user)
    messages.success(request, _("Đã xóa hạn gửi “%(name)s”.") % {"name": name})
    return redirect(_list_url(aggregator))
