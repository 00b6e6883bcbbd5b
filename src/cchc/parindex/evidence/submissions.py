"""Periodic reports sent on time: the agency's submissions (cchc.aggregation) against the deadlines of the reporting
regimes of the aggregators it reports to.

The reports expected are the periods of the framework year of every regime of those aggregators (one per period of
the regime's kind: four quarters, two halves...). A report counts as on time when it arrived by its deadline's day
(local time), as Submission.late judges it; its deadline is the one recorded when it arrived, or the regime's for a
report recorded without one (an imported report with no named recipient). A report not sent whose deadline has
passed counts as not on time; one whose deadline has not come yet is left out. Without an aggregator or a regime
cchc does not know what was due, and says so instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cchc.agencies.models import Agency
from cchc.aggregation.models import ReportingRegime, Submission
from cchc.aggregation.submissions import aggregators_of
from cchc.statistics import periods
from cchc.statistics.periods import Period

from . import base
from .base import Measurement, SourceRef, register

PERIOD_KINDS = ("month", "quarter", "half", "nine_months", "year")
KIND_WORDS = {
    "month": gettext_noop("tháng"),
    "quarter": gettext_noop("quý"),
    "half": gettext_noop("6 tháng"),
    "nine_months": gettext_noop("9 tháng"),
    "year": gettext_noop("năm"),
}


def periods_of(kind: str, year: int, mode: str) -> list[Period]:
    if kind == "month":
        return [periods.month(year, n, mode) for n in range(1, 13)]
    if kind == "quarter":
        return [periods.quarter(year, n, mode) for n in range(1, 5)]
    if kind == "half":
        return [periods.half(year, n, mode) for n in (1, 2)]
    if kind == "nine_months":
        return [periods.nine_months(year, mode)]
    return [periods.year(year, mode)]


@dataclass
class Expected:
    aggregator: Agency
    period: Period
    deadline: dt.date
    submission: Submission | None

    @property
    def sent_on(self) -> dt.date | None:
        return timezone.localtime(self.submission.submitted_at).date() if self.submission else None

    @property
    def on_time(self) -> bool:
        return self.sent_on is not None and self.sent_on <= self.deadline


def _source(item: Expected) -> SourceRef:
    submission = item.submission
    if submission.report_id:
        url = reverse("reports:detail", args=[submission.report_id])
    elif submission.imported_id:
        url = reverse("rollup:review", args=[submission.imported_id])
    else:
        url = None
    label = _("Báo cáo {period} gửi {aggregator} ngày {sent} (hạn {deadline})").format(
        period=base.lower_first(item.period.label),
        aggregator=item.aggregator.name,
        sent=base.day(item.sent_on),
        deadline=base.day(item.deadline),
    )
    return SourceRef(label, url, "aggregation.submission", submission.pk)


def _kinds(value) -> list[str]:
    kinds = base.text_list(value, name="period_kinds")
    for kind in kinds:
        base.choice(kind, PERIOD_KINDS, name="period_kinds")
    return kinds


@register(
    "reports_sent_on_time",
    gettext_noop("Báo cáo định kỳ gửi đúng hạn"),
    "ratio",
    {"period_kinds": [], "period_mode": "nd09"},
)
def reports_sent_on_time(agency: Agency, year: int, params: dict) -> Measurement:
    """n/m reports of the year sent on time. `period_kinds` restricts the regimes counted (e.g. ["quarter"]; empty:
    every regime of the aggregators); `period_mode` is how the periods' days are counted ("nd09" or "calendar")."""
    kinds = _kinds(params["period_kinds"])
    mode = base.choice(params["period_mode"], periods.MODES, name="period_mode")
    aggregators = aggregators_of(agency)
    if not aggregators:
        return Measurement(
            "ratio",
            None,
            explanation=_("Chưa có dữ liệu: chưa xác định cơ quan tổng hợp nhận báo cáo của {agency}.").format(
                agency=agency.name
            ),
        )
    regimes = ReportingRegime.objects.filter(aggregator__in=aggregators).order_by("aggregator_id", "pk")
    if kinds:
        regimes = regimes.filter(period_kind__in=kinds)
    regimes = [regime for regime in regimes if regime.period_kind in PERIOD_KINDS]
    names = ", ".join(a.name for a in aggregators)
    if not regimes:
        return Measurement(
            "ratio",
            None,
            explanation=_("Chưa có dữ liệu: {aggregators} chưa khai báo chế độ báo cáo (hạn gửi) trên cchc.").format(
                aggregators=names
            ),
        )
    by_id = {a.pk: a for a in aggregators}
    wanted = [(regime, period) for regime in regimes for period in periods_of(regime.period_kind, year, mode)]
    rows = (
        Submission.objects.filter(agency=agency, period_key__in={period.key for _r, period in wanted})
        .filter(Q(aggregator__in=aggregators) | Q(aggregator__isnull=True))
        .order_by("submitted_at", "pk")
    )
    sent: dict[tuple[int | None, str], Submission] = {}
    for row in rows:
        sent.setdefault((row.aggregator_id, row.period_key), row)
    now = base.today()
    due: list[Expected] = []
    not_due: list[Expected] = []
    for regime, period in wanted:
        aggregator = by_id[regime.aggregator_id]
        # Its own submission first; an imported report with no named recipient is held by every aggregator.
        submission = sent.get((aggregator.pk, period.key)) or sent.get((None, period.key))
        deadline = (submission.deadline if submission else None) or regime.deadline(period, aggregator.province_id)
        item = Expected(aggregator, period, deadline, submission)
        (due if submission is not None or deadline < now else not_due).append(item)
    single_kind = len({regime.period_kind for regime in regimes}) == 1
    word = _(KIND_WORDS[regimes[0].period_kind]) if single_kind else _("định kỳ")
    waiting = ", ".join(item.period.label for item in not_due)
    if not due:
        return Measurement(
            "ratio",
            None,
            figures=((_("Chưa đến hạn"), waiting),),
            explanation=_("Chưa có dữ liệu: chưa có báo cáo {word} năm {year} nào đến hạn gửi.").format(
                word=word, year=year
            ),
        )
    on_time = [item for item in due if item.on_time]
    late = [item for item in due if item.submission is not None and not item.on_time]
    missing = [item for item in due if item.submission is None]
    value = base.ratio(len(on_time), len(due))
    figures = [
        (_("Báo cáo gửi đúng hạn"), base.fraction(len(on_time), len(due))),
        (_("Tỷ lệ"), base.percent(value)),
        (_("Cơ quan nhận báo cáo"), names),
    ]
    for item in late:
        figures.append(
            (
                _("Gửi muộn"),
                _("{period}: gửi ngày {sent}, hạn {deadline}").format(
                    period=item.period.label, sent=base.day(item.sent_on), deadline=base.day(item.deadline)
                ),
            )
        )
    for item in missing:
        figures.append(
            (
                _("Chưa gửi"),
                _("{period}: hạn {deadline}").format(period=item.period.label, deadline=base.day(item.deadline)),
            )
        )
    if not_due:
        figures.append((_("Chưa đến hạn"), waiting))
    notes = []
    if late:
        notes.append(
            _("gửi muộn: {periods}").format(periods=", ".join(base.lower_first(item.period.label) for item in late))
        )
    if missing:
        notes.append(
            _("chưa gửi: {periods}").format(periods=", ".join(base.lower_first(item.period.label) for item in missing))
        )
    sentence = _("{fraction} báo cáo {word} gửi đúng hạn").format(
        fraction=base.fraction(len(on_time), len(due)), word=word
    )
    if notes:
        sentence += f" ({'; '.join(notes)})"
    return Measurement(
        "ratio",
        value,
        figures=tuple(figures),
        sources=tuple(_source(item) for item in due if item.submission is not None),
        explanation=sentence + ".",
    )
