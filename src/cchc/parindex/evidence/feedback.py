"""Feedback (phản ánh, kiến nghị) answered on time, from cchc.feedback's period counts for the statistics year."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cchc.agencies.models import Agency
from cchc.feedback.services import period_counts
from cchc.statistics.periods import date_range

from . import base
from .base import Measurement, register
from .dossiers import period_words


@register(
    "feedback_on_time_share",
    gettext_noop("Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn"),
    "ratio",
    {"period_mode": "nd09"},
)
def feedback_on_time_share(agency: Agency, year: int, params: dict) -> Measurement:
    """Items closed (answered, or found outside the agency's remit) by their answer deadline / items closed in the
    year plus items still open past their deadline at its end: an item left unanswered after its deadline counts
    against the agency; one still within its time is not judged yet."""
    period = base.statistics_year(year, params["period_mode"])
    as_of = period.cutoff(base.today())
    # While the year runs, count up to today: an item due later than today is not overdue yet.
    counted = period if as_of >= period.end else date_range(period.start, as_of)
    f = period_counts(counted, [agency])
    judged = f.handled + f.pending_overdue
    words = period_words(period) + base.as_of_clause(period, as_of)
    if not judged:
        what = _("đến hạn xử lý") if f.pending else _("nào")
        return Measurement(
            "ratio",
            None,
            figures=((_("Đang xử lý trong hạn"), base.number(f.pending_within)),) if f.pending else (),
            explanation=_("Chưa có dữ liệu: không có phản ánh, kiến nghị {what} trong kỳ ({words}).").format(
                what=what, words=words
            ),
        )
    value = base.ratio(f.handled_on_time, judged)
    figures = (
        (_("Tiếp nhận trong kỳ"), base.number(f.received)),
        (_("Đã xử lý xong"), base.number(f.handled)),
        (_("Xử lý đúng hạn"), base.number(f.handled_on_time)),
        (_("Xử lý quá hạn"), base.number(f.handled_late)),
        (_("Chưa xử lý, đã quá hạn"), base.number(f.pending_overdue)),
        (_("Tỷ lệ đúng hạn"), base.percent(value)),
        (_("Kỳ số liệu"), base.days_range(period)),
    )
    return Measurement(
        "ratio",
        value,
        figures=figures,
        explanation=_("{fraction} phản ánh, kiến nghị được xử lý đúng hạn, tỷ lệ {percent} ({words}).").format(
            fraction=base.fraction(f.handled_on_time, judged), percent=base.percent(value), words=words
        ),
    )
