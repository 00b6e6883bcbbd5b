"""Views that belong to no single app: the dashboard."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.plans.services import overdue_tasks
from cchc.statistics import cache
from cchc.statistics.service import overdue_first

from . import dashboard as dash

OVERDUE_SHOWN = 15


def _dossier_list_url() -> str | None:
    try:
        return reverse("dossiers:list")
    except NoReverseMatch:
        return None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = dash.resolve_scope(request.user, request.GET.get("co_quan"))
    if scope is None:
        return render(request, "web/no_agency.html")
    today = timezone.localdate()
    choice = dash.resolve_period(request.GET, today)
    period = choice.period
    # Kept results (statistics.cache): the same figures as compute(), recomputed only when their data changed.
    stats = cache.statistics(period, scope.agencies, today=today)

    chart_end = min(period.end, today)
    chart_range = dash.last_twelve_months(chart_end)
    series = cache.series(*chart_range, scope.agencies)
    chart = {
        "type": "bar",
        "labels": [f"{start:%m/%Y}" for start, _received, _resolved in series],
        "series": [
            {"label": _("Tiếp nhận"), "data": [received for _s, received, _r in series]},
            {"label": _("Đã giải quyết"), "data": [resolved for _s, _r, resolved in series], "kind": "line"},
        ],
    }
    overdue, overdue_count = overdue_first(scope.agencies, on=today, limit=OVERDUE_SHOWN)

    list_url = _dossier_list_url()
    base_params = {"agency": scope.agency.pk} if scope.agency else {}
    if period.mode != "nd09":
        base_params["cach_tinh"] = period.mode

    def figure_url(figure: str) -> str | None:
        if not list_url:
            return None
        return f"{list_url}?{urlencode({**base_params, 'period': period.key, 'figure': figure})}"

    figures = stats.dossiers
    cards = [
        {
            "label": _("Tổng số hồ sơ tiếp nhận"),
            "value": figures.received_total,
            "style": "accent",
            "note": _("trong đó kỳ trước chuyển qua: %(n)s") % {"n": figures.carried_over},
            "url": figure_url("received_total"),
        },
        {
            "label": _("Tiếp nhận trực tuyến"),
            "value": figures.received_online,
            "style": "accent",
            "note": _("chiếm %(rate)s số hồ sơ mới tiếp nhận") % {"rate": _percent(figures.online_rate)},
            "url": figure_url("received_online"),
        },
        {
            "label": _("Giải quyết trước hạn"),
            "value": figures.resolved_early,
            "style": "ok",
            "url": figure_url("resolved_early"),
        },
        {
            "label": _("Giải quyết đúng hạn"),
            "value": figures.resolved_on_time,
            "style": "ok",
            "url": figure_url("resolved_on_time"),
        },
        {
            "label": _("Giải quyết quá hạn"),
            "value": figures.resolved_late,
            "style": "bad" if figures.resolved_late else "ok",
            "url": figure_url("resolved_late"),
        },
        {
            "label": _("Tỷ lệ đúng hạn"),
            "value": _percent(figures.on_time_rate),
            "style": "ok",
            "note": _("trên %(n)s hồ sơ đã giải quyết") % {"n": figures.resolved},
        },
        {
            "label": _("Đang giải quyết trong hạn"),
            "value": figures.in_progress_within,
            "style": "warn",
            "url": figure_url("in_progress_within"),
        },
        {
            "label": _("Đang giải quyết quá hạn"),
            "value": figures.in_progress_overdue,
            "style": "bad" if figures.in_progress_overdue else "ok",
            "url": figure_url("in_progress_overdue"),
        },
    ]
    context = {
        "scope": scope,
        "scope_options": dash.scope_options(request.user),
        "choice": choice,
        "period": period,
        "period_options": dash.period_options(today, choice.mode),
        "custom": dash.CUSTOM,
        "stats": stats,
        "cards": cards,
        "chart": chart,
        "chart_start": chart_range[0],
        "chart_end": chart_end,
        "overdue": overdue,
        "overdue_count": overdue_count,
        "overdue_url": f"{list_url}?{urlencode({**base_params, 'overdue': 'on'})}" if list_url else None,
        "overdue_tasks": list(overdue_tasks(scope.agencies, as_of=today)[:10]),
        "today": today,
    }
    for card in cards:
        if isinstance(card["value"], int):
            card["value"] = intcomma(card["value"])
    return render(request, "web/dashboard.html", context)


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + "%"
