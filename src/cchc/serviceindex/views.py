"""The index pages: the index of a scope and period (groups, indicators, points, the trend by month), the list of
what cost an indicator its points, and the dashboard's card (a fragment the dashboard loads).

Thin: the figures come from service.compute and lost.py; the scope from the dashboard's picker (an agency, a
province for an aggregator, everything for a superuser: cchc.agencies.scoping), which answers 404 for anything the
user may not read. A user who belongs to no agency gets 403.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from cchc.web import dashboard as dash

from . import lost, pickers, service
from .formatting import percent as _percent
from .formatting import points as _points
from .measures import Window
from .parameters import Resolver, for_day

PAGE_SIZE = 50


def _scope(request: HttpRequest):
    scope = dash.resolve_scope(request.user, request.GET.get("co_quan"))
    if scope is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc cơ quan nào nên chưa xem được chỉ số phục vụ."))
    return scope


def _query(scope, choice: pickers.PeriodChoice, **extra) -> str:
    params = {"co_quan": scope.value, **choice.query, **extra}
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    today = timezone.localdate()
    choice = pickers.resolve(request.GET, today)
    sets = Resolver()
    result = service.compute(
        choice.period, agencies=scope.agencies, today=today, parameters=sets.for_day(choice.period.end)
    )
    trend = [
        (month, service.compute(month, agencies=result.agency_ids, today=today, parameters=sets.for_day(month.end)))
        for month in pickers.months_ending(choice.period, today)
    ]
    chart = {
        "type": "bar",
        "labels": [f"{month.start:%m/%Y}" for month, _r in trend],
        "series": [{"label": _("Tổng điểm"), "data": [float(r.total) for _m, r in trend]}],
    }
    context = {
        "scope": scope,
        "scope_options": dash.scope_options(request.user),
        "choice": choice,
        "period": choice.period,
        "period_options": pickers.options(today),
        "custom": pickers.CUSTOM,
        "result": result,
        "total": _points(result.total),
        "max": _points(result.max_points),
        "groups": [
            {
                "group": group,
                "points": _points(group.points),
                "max": _points(group.max_points),
                "rows": [
                    {
                        "i": i,
                        "points": _points(i.points),
                        "max": _points(i.max_points),
                        "lost": _points(i.lost_points),
                        "numerator": _points(i.numerator),
                        "denominator": _points(i.denominator),
                        "percent": _percent(i.percent),
                        "threshold": _percent(i.threshold * 100) if i.threshold is not None else "",
                        "url": f"{reverse('serviceindex:lost', args=[i.code])}?{_query(scope, choice)}"
                        if i.has_list
                        else None,
                    }
                    for i in group.indicators
                ],
            }
            for group in result.groups
        ],
        "trend": [(month, _points(r.total)) for month, r in trend],
        "chart": chart,
        "query": _query(scope, choice),
        "today": today,
    }
    return render(request, "serviceindex/index.html", context)


@login_required
def lost_list(request: HttpRequest, code: str) -> HttpResponse:
    """What cost one indicator its points, paginated: dossiers, procedures or feedback items, each with its reason
    and a link to its page."""
    scope = _scope(request)
    today = timezone.localdate()
    choice = pickers.resolve(request.GET, today)
    parameters = for_day(choice.period.end)
    indicator = parameters.indicator(code)
    if indicator is None:
        raise Http404(_("Không có chỉ số này."))
    result = service.compute(choice.period, agencies=scope.agencies, today=today, parameters=parameters)
    row = result.indicator(code)
    w = Window.of(choice.period, today)
    ids = result.agency_ids
    what = request.GET.get("loai") or (row.lists[0] if row.lists else "")
    if what not in row.lists:
        raise Http404(_("Chỉ số này không có danh sách này."))
    if what == service.DOSSIERS:
        page = Paginator(lost.dossiers(w, indicator, ids), PAGE_SIZE).get_page(request.GET.get("trang"))
        items = [(d, lost.dossier_reason(w, indicator, d)) for d in page.object_list]
    elif what == service.PROCEDURES:
        page = Paginator(lost.procedures(w, indicator, ids), PAGE_SIZE).get_page(request.GET.get("trang"))
        items = [(p, lost.procedure_reason(indicator, p)) for p in page.object_list]
    else:
        page = Paginator(lost.feedback(w, indicator, ids), PAGE_SIZE).get_page(request.GET.get("trang"))
        items = [(f, lost.feedback_reason(w, indicator, f)) for f in page.object_list]
    return render(
        request,
        "serviceindex/lost.html",
        {
            "scope": scope,
            "choice": choice,
            "period": choice.period,
            "result": result,
            "row": row,
            "points": _points(row.points),
            "max": _points(row.max_points),
            "what": what,
            "kinds": [(kind, kind == what) for kind in row.lists],
            "page": page,
            "items": items,
            "many_agencies": len(ids) > 1,
            "back": f"{reverse('serviceindex:index')}?{_query(scope, choice)}",
            "query": _query(scope, choice, loai=what),
            "base_query": _query(scope, choice),
        },
    )


@login_required
def card(request: HttpRequest) -> HttpResponse:
    """The dashboard's card: the index of the dashboard's scope for the calendar period matching its period."""
    scope = dash.resolve_scope(request.user, request.GET.get("co_quan"))
    if scope is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc cơ quan nào."))
    today = timezone.localdate()
    period = pickers.calendar_period(dash.resolve_period(request.GET, today).period)
    choice = pickers.PeriodChoice(period, pickers.CUSTOM if period.kind == "range" else period.key, None, None)
    url = f"{reverse('serviceindex:index')}?{_query(scope, choice)}"
    if not request.htmx:
        # Asked for as a page (no JavaScript): the index page of the same scope and period.
        return redirect(url)
    result = service.compute(period, agencies=scope.agencies, today=today)
    response = render(
        request,
        "serviceindex/_card.html",
        {
            "result": result,
            "period": period,
            "total": _points(result.total),
            "max": _points(result.max_points),
            "groups": [(g, _points(g.points), _points(g.max_points)) for g in result.groups],
            "url": url,
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
