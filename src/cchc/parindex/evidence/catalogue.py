"""Shares of the agency's TTHC catalogue (cchc.procedures) on the last day of the statistics year (14/12 under
NĐ 09/2019, or today while the year runs): the catalogue the period figures count (statistics.service
.procedures_in_force, one row per code), and of it the procedures with their publishing decision recorded, those
received through the one-stop desk, and those offered as an online public service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cchc.agencies.models import Agency
from cchc.procedures.models import OnlineService, Procedure
from cchc.statistics.service import procedures_in_force

from . import base
from .base import Measurement, SourceRef, register

MAX_LISTED = 10  # the procedures that fall short, listed by name on the sheet


def _list_url(agency: Agency, day: dt.date, **filters: str) -> str:
    return f"{reverse('procedures:list')}?{urlencode({'agency': agency.pk, 'on': day.isoformat(), **filters})}"


def _catalogue_share(
    agency: Agency,
    year: int,
    params: dict,
    *,
    meets: Q,
    what: str,
    missing_filters: dict[str, str] | None,
    sentence: Callable[[str, str, str], str],
) -> Measurement:
    period = base.statistics_year(year, params["period_mode"])
    day = period.cutoff(base.today())
    catalogue = procedures_in_force(day, agencies=[agency])
    counts = catalogue.order_by().aggregate(total=Count("pk"), meets=Count("pk", filter=meets))
    total, part = counts["total"], counts["meets"]
    if not total:
        return Measurement(
            "ratio",
            None,
            explanation=_(
                "Chưa có dữ liệu: danh mục TTHC của {agency} trên cchc chưa có thủ tục nào còn hiệu lực ngày {day}."
            ).format(agency=agency.name, day=base.day(day)),
        )
    value = base.ratio(part, total)
    sources = [SourceRef(_("Danh mục TTHC còn hiệu lực ngày {day}").format(day=base.day(day)), _list_url(agency, day))]
    short: list[Procedure] = []
    if part < total:
        short = list(catalogue.exclude(meets).order_by("code", "pk")[:MAX_LISTED])
        if missing_filters is not None:
            sources.append(SourceRef(_("Thủ tục chưa đạt"), _list_url(agency, day, **missing_filters)))
        sources += [
            SourceRef(
                f"{p.code} – {p.name}"[:300], reverse("procedures:detail", args=[p.pk]), "procedures.procedure", p.pk
            )
            for p in short
        ]
    figures = (
        (what, base.fraction(part, total)),
        (_("Tỷ lệ"), base.percent(value)),
        (_("Danh mục tính đến ngày"), base.day(day)),
    )
    return Measurement(
        "ratio",
        value,
        figures=figures,
        sources=tuple(sources),
        explanation=sentence(base.fraction(part, total), base.percent(value), base.day(day)),
    )


@register(
    "procedures_published_share",
    gettext_noop("Tỷ lệ TTHC đã có quyết định công bố"),
    "ratio",
    {"period_mode": "nd09"},
)
def procedures_published_share(agency: Agency, year: int, params: dict) -> Measurement:
    """Procedures in force whose publishing decision (quyết định công bố) is recorded in the catalogue."""
    return _catalogue_share(
        agency,
        year,
        params,
        meets=~Q(publishing_decision=""),
        what=_("TTHC có quyết định công bố"),
        missing_filters=None,
        sentence=lambda fraction, pct, day: _(
            "{fraction} TTHC còn hiệu lực ngày {day} đã ghi quyết định công bố ({percent})."
        ).format(fraction=fraction, day=day, percent=pct),
    )


@register(
    "procedures_one_stop_share",
    gettext_noop("Tỷ lệ TTHC tiếp nhận qua bộ phận một cửa"),
    "ratio",
    {"period_mode": "nd09"},
)
def procedures_one_stop_share(agency: Agency, year: int, params: dict) -> Measurement:
    """Procedures in force received through the one-stop desk (bộ phận một cửa)."""
    return _catalogue_share(
        agency,
        year,
        params,
        meets=Q(one_stop=True),
        what=_("TTHC tiếp nhận qua bộ phận một cửa"),
        missing_filters={"one_stop": "0"},
        sentence=lambda fraction, pct, day: _(
            "{fraction} TTHC còn hiệu lực ngày {day} tiếp nhận qua bộ phận một cửa ({percent})."
        ).format(fraction=fraction, day=day, percent=pct),
    )


@register(
    "procedures_online_share",
    gettext_noop("Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến"),
    "ratio",
    {"period_mode": "nd09", "level": "any"},
)
def procedures_online_share(agency: Agency, year: int, params: dict) -> Measurement:
    """Procedures in force offered as an online public service (Nghị định 42/2022 Điều 11): `level` "any" counts
    the partial and the full ones, "full" only the full ones (toàn trình)."""
    level = base.choice(params["level"], ("any", "full"), name="level")
    if level == "full":
        meets, what = Q(online_service=OnlineService.FULL), _("TTHC cung cấp dịch vụ công trực tuyến toàn trình")
        missing = None
    else:
        meets = Q(online_service__in=[OnlineService.FULL, OnlineService.PARTIAL])
        what, missing = _("TTHC cung cấp dịch vụ công trực tuyến"), {"online_service": OnlineService.NONE.value}
    words = _("dịch vụ công trực tuyến toàn trình") if level == "full" else _("dịch vụ công trực tuyến")
    return _catalogue_share(
        agency,
        year,
        params,
        meets=meets,
        what=what,
        missing_filters=missing,
        sentence=lambda fraction, pct, day: _(
            "{fraction} TTHC còn hiệu lực ngày {day} được cung cấp {words} ({percent})."
        ).format(fraction=fraction, day=day, words=words, percent=pct),
    )
