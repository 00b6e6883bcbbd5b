"""Evaluators on the agency's dossiers for the statistics year: by default the year of Biểu 06 under NĐ 09/2019
(15/12 of the year before to 14/12), "calendar" for 01/01 to 31/12. A year still running is counted up to today.

The on-time and online shares are the period figures of cchc.statistics read through its cache (the same numbers as
the dashboard and the reports); the digitised and apology shares count with the very conditions of
statistics.classification, so "received in the year" or "late" mean here what they mean in Biểu 06."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cchc.agencies.models import Agency
from cchc.dossiers.models import DossierEvent, EventKind, Outcome
from cchc.statistics import cache, classification
from cchc.statistics.periods import Period
from cchc.statistics.service import scoped_dossiers

from . import base
from .base import Measurement, SourceRef, register

MAX_LISTED = 10  # late dossiers without an apology, listed one by one on the sheet


def period_words(period: Period) -> str:
    """ "Biểu 06, 15/12/2022–14/12/2023" for the NĐ 09 year, "01/01/2023–31/12/2023" for a calendar one."""
    if period.mode == "nd09":
        return _("Biểu 06, {days}").format(days=base.days_range(period))
    return base.days_range(period)


def _dashboard(agency: Agency, period: Period) -> SourceRef:
    query = {"co_quan": agency.pk, "ky": period.key}
    if period.mode != "nd09":
        query["cach_tinh"] = period.mode
    return SourceRef(
        _("Số liệu hồ sơ {period} ({words})").format(period=base.lower_first(period.label), words=period_words(period)),
        f"{reverse('dashboard')}?{urlencode(query)}",
    )


def _listed(agency: Agency, period: Period, figure: str, label: str) -> SourceRef:
    query = {"agency": agency.pk, "period": period.key, "figure": figure}
    if period.mode != "nd09":
        query["cach_tinh"] = period.mode
    return SourceRef(label, f"{reverse('dossiers:list')}?{urlencode(query)}")


def _no_data(period: Period, what: str, as_of) -> Measurement:
    return Measurement(
        "ratio",
        None,
        explanation=_("Chưa có dữ liệu: không có hồ sơ {what} trong kỳ ({words}{as_of}).").format(
            what=what, words=period_words(period), as_of=base.as_of_clause(period, as_of)
        ),
    )


@register(
    "dossiers_on_time_share",
    gettext_noop("Tỷ lệ hồ sơ TTHC giải quyết đúng hạn"),
    "ratio",
    {"period_mode": "nd09"},
)
def dossiers_on_time_share(agency: Agency, year: int, params: dict) -> Measurement:
    """Dossiers resolved early or on time / dossiers resolved in the year (columns 8 + 9 over 7 of Biểu 06)."""
    period = base.statistics_year(year, params["period_mode"])
    stats = cache.statistics(period, [agency], today=base.today())
    f = stats.dossiers
    if not f.resolved:
        return _no_data(period, _("giải quyết xong"), stats.as_of)
    value = base.ratio(f.resolved_on_time_or_early, f.resolved)
    figures = (
        (_("Hồ sơ đã giải quyết"), base.number(f.resolved)),
        (_("Trước hạn"), base.number(f.resolved_early)),
        (_("Đúng hạn"), base.number(f.resolved_on_time)),
        (_("Quá hạn"), base.number(f.resolved_late)),
        (_("Tỷ lệ đúng hạn"), base.percent(value)),
        (_("Kỳ số liệu"), base.days_range(period)),
    )
    return Measurement(
        "ratio",
        value,
        figures=figures,
        sources=(_dashboard(agency, period), _listed(agency, period, "resolved_late", _("Hồ sơ giải quyết quá hạn"))),
        explanation=_("Tỷ lệ hồ sơ giải quyết đúng hạn {percent} ({words}{as_of}).").format(
            percent=base.percent(value), words=period_words(period), as_of=base.as_of_clause(period, stats.as_of)
        ),
    )


@register(
    "dossiers_online_share",
    gettext_noop("Tỷ lệ hồ sơ TTHC tiếp nhận trực tuyến"),
    "ratio",
    {"period_mode": "nd09"},
)
def dossiers_online_share(agency: Agency, year: int, params: dict) -> Measurement:
    """Dossiers newly received online / dossiers newly received in the year (column 4 over 4 + 5 of Biểu 06)."""
    period = base.statistics_year(year, params["period_mode"])
    stats = cache.statistics(period, [agency], today=base.today())
    f = stats.dossiers
    if not f.received_new:
        return _no_data(period, _("tiếp nhận mới"), stats.as_of)
    value = base.ratio(f.received_online, f.received_new)
    figures = (
        (_("Hồ sơ tiếp nhận mới"), base.number(f.received_new)),
        (_("Trực tuyến"), base.number(f.received_online)),
        (_("Trực tiếp và bưu chính công ích"), base.number(f.received_direct_or_postal)),
        (_("Tỷ lệ trực tuyến"), base.percent(value)),
        (_("Kỳ số liệu"), base.days_range(period)),
    )
    return Measurement(
        "ratio",
        value,
        figures=figures,
        sources=(
            _dashboard(agency, period),
            _listed(agency, period, "received_online", _("Hồ sơ tiếp nhận trực tuyến")),
        ),
        explanation=_(
            "{fraction} hồ sơ tiếp nhận mới qua dịch vụ công trực tuyến, tỷ lệ {percent} ({words}{as_of})."
        ).format(
            fraction=base.fraction(f.received_online, f.received_new),
            percent=base.percent(value),
            words=period_words(period),
            as_of=base.as_of_clause(period, stats.as_of),
        ),
    )


def _received_in(conditions: dict[str, Q]) -> Q:
    return conditions["received_online"] | conditions["received_direct"] | conditions["received_postal"]


def _resolved_in(conditions: dict[str, Q]) -> Q:
    return conditions["resolved_early"] | conditions["resolved_on_time"] | conditions["resolved_late"]


@register(
    "dossiers_digitised_share",
    gettext_noop("Tỷ lệ hồ sơ TTHC được số hóa"),
    "ratio",
    {"period_mode": "nd09", "which": "dossier"},
)
def dossiers_digitised_share(agency: Agency, year: int, params: dict) -> Measurement:
    """`which` "dossier": dossiers newly received in the year whose components were digitised at reception /
    dossiers newly received; "result": dossiers resolved (with a result, not refused or withdrawn) in the year whose
    result was digitised / those dossiers."""
    period = base.statistics_year(year, params["period_mode"])
    which = base.choice(params["which"], ("dossier", "result"), name="which")
    now = base.today()
    as_of = period.cutoff(now)
    conditions = classification.conditions(period, today=now)
    if which == "dossier":
        scope, flag = _received_in(conditions), Q(digitised=True)
        what, done = _("tiếp nhận mới"), _("Hồ sơ được số hóa thành phần")
    else:
        scope, flag = _resolved_in(conditions) & Q(outcome=Outcome.RESOLVED), Q(result_digitised=True)
        what, done = _("giải quyết có kết quả"), _("Hồ sơ có kết quả được số hóa")
    row = (
        scoped_dossiers([agency])
        .filter(classification.relevant(period, today=now))
        .filter(scope)
        .order_by()
        .aggregate(total=Count("pk"), done=Count("pk", filter=flag))
    )
    if not row["total"]:
        return _no_data(period, what, as_of)
    value = base.ratio(row["done"], row["total"])
    figures = (
        (_("Hồ sơ {what}").format(what=what), base.number(row["total"])),
        (done, base.number(row["done"])),
        (_("Tỷ lệ số hóa"), base.percent(value)),
        (_("Kỳ số liệu"), base.days_range(period)),
    )
    subject = (
        _("hồ sơ {what} được số hóa").format(what=what)
        if which == "dossier"
        else _("hồ sơ giải quyết có kết quả được số hóa kết quả")
    )
    return Measurement(
        "ratio",
        value,
        figures=figures,
        sources=(_dashboard(agency, period),),
        explanation=_("{fraction} {subject}, tỷ lệ {percent} ({words}{as_of}).").format(
            fraction=base.fraction(row["done"], row["total"]),
            subject=subject,
            percent=base.percent(value),
            words=period_words(period),
            as_of=base.as_of_clause(period, as_of),
        ),
    )


@register(
    "late_dossiers_apologised_share",
    gettext_noop("Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi"),
    "ratio",
    {"period_mode": "nd09"},
)
def late_dossiers_apologised_share(agency: Agency, year: int, params: dict) -> Measurement:
    """Late dossiers of the year (resolved late, or still open past their due day at its end: "trễ hạn" of Biểu 06)
    for which an apology with a new promised date was issued / late dossiers. A year with dossiers but none late
    gives 1 (no apology was owed) and says so; a year without any dossier gives no value."""
    period = base.statistics_year(year, params["period_mode"])
    now = base.today()
    as_of = period.cutoff(now)
    conditions = classification.conditions(period, today=now)
    late = conditions["resolved_late"] | conditions["in_progress_overdue"]
    apologised = Exists(DossierEvent.objects.filter(dossier_id=OuterRef("pk"), kind=EventKind.APOLOGY_ISSUED))
    counted = scoped_dossiers([agency]).filter(classification.relevant(period, today=now))
    row = counted.order_by().aggregate(
        counted=Count("pk"), late=Count("pk", filter=late), apologised=Count("pk", filter=late & Q(apologised))
    )
    if not row["counted"]:
        return _no_data(period, _("nào"), as_of)
    words = period_words(period) + base.as_of_clause(period, as_of)
    if not row["late"]:
        return Measurement(
            "ratio",
            base.ratio(1, 1),
            figures=((_("Hồ sơ trễ hạn"), "0"), (_("Kỳ số liệu"), base.days_range(period))),
            sources=(_dashboard(agency, period),),
            explanation=_("Không có hồ sơ trễ hạn nên không phát sinh văn bản xin lỗi ({words}).").format(words=words),
        )
    value = base.ratio(row["apologised"], row["late"])
    sources = [_dashboard(agency, period), _listed(agency, period, "late_total", _("Hồ sơ trễ hạn"))]
    if row["apologised"] < row["late"]:
        unapologised = (
            counted.filter(late).exclude(apologised).order_by("received_at", "pk").only("pk", "code")[:MAX_LISTED]
        )
        sources += [
            SourceRef(
                _("Hồ sơ {code} trễ hạn, chưa có văn bản xin lỗi").format(code=d.code),
                reverse("dossiers:detail", args=[d.pk]),
                "dossiers.dossier",
                d.pk,
            )
            for d in unapologised
        ]
    figures = (
        (_("Hồ sơ trễ hạn"), base.number(row["late"])),
        (_("Có văn bản xin lỗi"), base.fraction(row["apologised"], row["late"])),
        (_("Tỷ lệ"), base.percent(value)),
        (_("Kỳ số liệu"), base.days_range(period)),
    )
    return Measurement(
        "ratio",
        value,
        figures=figures,
        sources=tuple(sources),
        explanation=_("{fraction} hồ sơ trễ hạn có văn bản xin lỗi, hẹn lại ngày trả kết quả ({words}).").format(
            fraction=base.fraction(row["apologised"], row["late"]), words=words
        ),
    )
