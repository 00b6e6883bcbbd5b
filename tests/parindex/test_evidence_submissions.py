"""Evidence from the reports an agency sent: n/m reports of the year that arrived by their deadline, against the
reporting regime of the aggregator (Sở Nội vụ) it reports to.

Quarterly regime of the fixtures: 3 working days after the NĐ 09 cut-off (the 14th of the quarter's last month):
Q1 2023 14/03 (Tuesday) -> 17/03; Q2 14/06 (Wednesday) -> 19/06; Q3 14/09 (Thursday) -> 19/09; Q4 14/12 (Thursday)
-> 19/12/2023.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cchc.agencies.models import Agency
from cchc.aggregation.models import AggregationGroup, DeadlineRule, ReportingRegime, Submission
from cchc.parindex.evidence import ParamError, measure
from cchc.reports import services as reports
from cchc.statistics.periods import parse_period

pytestmark = pytest.mark.django_db
D = dt.date
VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINES = {
    "2023-Q1": D(2023, 3, 17),
    "2023-Q2": D(2023, 6, 19),
    "2023-Q3": D(2023, 9, 19),
    "2023-Q4": D(2023, 12, 19),
}


@pytest.fixture
def home_affairs(other_agency, make_user):
    """Sở Nội vụ collects the province's reports (its user holds the aggregator role)."""
    make_user("tonghop", other_agency, "aggregator")
    return other_agency


@pytest.fixture
def quarterly(home_affairs):
    return ReportingRegime.objects.create(
        aggregator=home_affairs, name="Báo cáo CCHC quý", period_kind="quarter", rule=DeadlineRule.WORKING_DAYS, days=3
    )


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def _sent(agency, key, when: dt.datetime, aggregator=None, deadline="regime", source="imported", **fields):
    period = parse_period(key)
    return Submission.objects.create(
        agency=agency,
        aggregator=aggregator,
        source=source,
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        submitted_at=when,
        deadline=DEADLINES.get(key) if deadline == "regime" else deadline,
        **fields,
    )


def test_the_regime_gives_the_deadlines_the_fixtures_use(quarterly, home_affairs):
    for key, deadline in DEADLINES.items():
        assert quarterly.deadline(parse_period(key), home_affairs.province_id) == deadline


def test_four_quarterly_reports_on_time_give_four_of_four(agency, home_affairs, quarterly):
    for key, deadline in DEADLINES.items():
        _sent(agency, key, _at(deadline - dt.timedelta(days=1)), home_affairs)
    m = measure("reports_sent_on_time", agency, 2023)
    assert (m.kind, m.value) == ("ratio", 1)
    assert m.explanation == "4/4 báo cáo quý gửi đúng hạn."
    assert ("Báo cáo gửi đúng hạn", "4/4") in m.figures and ("Cơ quan nhận báo cáo", "Sở Nội vụ") in m.figures
    assert [s.model for s in m.sources] == ["aggregation.submission"] * 4
    assert m.sources[0].label == "Báo cáo quý I năm 2023 gửi Sở Nội vụ ngày 16/3/2023 (hạn 17/3/2023)"


def test_a_report_sent_on_its_deadline_day_is_on_time_and_one_a_day_late_is_not(agency, home_affairs, quarterly):
    _sent(agency, "2023-Q1", _at(D(2023, 3, 17), 23, 30), home_affairs)  # late evening of the deadline day
    _sent(agency, "2023-Q2", _at(D(2023, 6, 20), 0, 30), home_affairs)  # just after midnight, the day after
    _sent(agency, "2023-Q3", _at(D(2023, 9, 19), 8), home_affairs)
    _sent(agency, "2023-Q4", _at(D(2023, 12, 18), 8), home_affairs)
    m = measure("reports_sent_on_time", agency, 2023)
    assert str(m.value) == "0.75"
    assert m.explanation == "3/4 báo cáo quý gửi đúng hạn (gửi muộn: quý II năm 2023)."
    assert ("Gửi muộn", "Quý II năm 2023: gửi ngày 20/6/2023, hạn 19/6/2023") in m.figures


def test_a_report_never_sent_counts_against_once_its_deadline_has_passed(agency, home_affairs, quarterly, monkeypatch):
    # Before the first deadline nothing was due: no value.
    monkeypatch.setattr("cchc.parindex.evidence.base.today", lambda: D(2023, 2, 1))
    m = measure("reports_sent_on_time", agency, 2023)
    assert m.value is None and m.explanation.startswith("Chưa có dữ liệu: chưa có báo cáo quý năm 2023 nào đến hạn")
    monkeypatch.undo()
    for key in ("2023-Q1", "2023-Q2", "2023-Q3"):
        _sent(agency, key, _at(DEADLINES[key]), home_affairs)
    m = measure("reports_sent_on_time", agency, 2023)
    assert str(m.value) == "0.75" and m.explanation == "3/4 báo cáo quý gửi đúng hạn (chưa gửi: quý IV năm 2023)."
    assert ("Chưa gửi", "Quý IV năm 2023: hạn 19/12/2023") in m.figures
    # On its deadline day the fourth report is not due yet (it may still come in time): 3/3.
    monkeypatch.setattr("cchc.parindex.evidence.base.today", lambda: D(2023, 12, 19))
    m = measure("reports_sent_on_time", agency, 2023)
    assert m.value == 1 and m.explanation == "3/3 báo cáo quý gửi đúng hạn."
    assert ("Chưa đến hạn", "Quý IV năm 2023") in m.figures


def test_nothing_sent_gives_zero_and_another_members_reports_never_count(agency, home_affairs, quarterly, province):
    justice = Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")
    for key, deadline in DEADLINES.items():
        _sent(justice, key, _at(deadline), home_affairs)
    _sent(agency, "2022-Q4", _at(D(2022, 12, 16)), home_affairs)  # the year before
    assert measure("reports_sent_on_time", justice, 2023).value == 1
    m = measure("reports_sent_on_time", agency, 2023)
    assert m.value == 0 and m.sources == () and m.explanation.startswith("0/4 báo cáo quý gửi đúng hạn (chưa gửi:")


def test_an_imported_report_without_recipient_or_deadline_is_judged_by_the_regime(agency, home_affairs, quarterly):
    _sent(agency, "2023-Q1", _at(D(2023, 3, 20)), None, deadline=None)  # after 17/03: late
    _sent(agency, "2023-Q2", _at(D(2023, 6, 19)), None, deadline=None)
    m = measure("reports_sent_on_time", agency, 2023)
    assert (
        m.explanation
        == "1/4 báo cáo quý gửi đúng hạn (gửi muộn: quý I năm 2023; chưa gửi: quý III năm 2023, quý IV năm 2023)."
    )


def test_the_regimes_counted_and_their_words_follow_the_parameters(agency, home_affairs, quarterly):
    ReportingRegime.objects.create(
        aggregator=home_affairs, name="Báo cáo năm", period_kind="year", rule=DeadlineRule.DAY_OF_NEXT_MONTH, days=5
    )
    for key, deadline in DEADLINES.items():
        _sent(agency, key, _at(deadline), home_affairs)
    _sent(agency, "2023", _at(D(2024, 1, 5)), home_affairs, deadline=None)  # the 5th of the month after 14/12
    both = measure("reports_sent_on_time", agency, 2023)
    assert both.value == 1 and both.explanation == "5/5 báo cáo định kỳ gửi đúng hạn."
    yearly = measure("reports_sent_on_time", agency, 2023, {"period_kinds": ["year"]})
    assert yearly.explanation == "1/1 báo cáo năm gửi đúng hạn."
    with pytest.raises(ParamError):
        measure("reports_sent_on_time", agency, 2023, {"period_kinds": ["tuan"]})


def test_a_report_made_in_cchc_links_to_its_page(agency, home_affairs, quarterly, make_user):
    leader = make_user("lanhdao", agency, "leader")
    report = reports.create_report(agency, "cchc-quarterly", "2023-Q1", leader)
    _sent(agency, "2023-Q1", _at(D(2023, 3, 15)), home_affairs, report=report, source="cchc")
    [source] = measure("reports_sent_on_time", agency, 2023).sources
    assert source.url == reverse("reports:detail", args=[report.pk])


def test_without_an_aggregator_or_a_regime_there_is_no_value(agency, home_affairs, foreign_agency):
    m = measure("reports_sent_on_time", agency, 2023)
    assert m.value is None and m.explanation == (
        "Chưa có dữ liệu: Sở Nội vụ chưa khai báo chế độ báo cáo (hạn gửi) trên cchc."
    )
    lone = measure("reports_sent_on_time", foreign_agency, 2023)  # nobody collects in Cao Bằng
    assert lone.value is None and "chưa xác định cơ quan tổng hợp" in lone.explanation


def test_an_aggregator_collecting_by_group_judges_only_its_members(agency, home_affairs, quarterly, province):
    justice = Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")
    group = AggregationGroup.objects.create(aggregator=home_affairs, name="Khối sở")
    group.members.set([justice])
    assert measure("reports_sent_on_time", agency, 2023).value is None  # Sở Nội vụ no longer collects its reports
    assert measure("reports_sent_on_time", justice, 2023).value == 0


def test_sent_on_time_costs_a_few_queries_whatever_the_number_of_reports(
    agency, home_affairs, make_user, django_assert_max_num_queries
):
    ReportingRegime.objects.create(
        aggregator=home_affairs, name="Tháng", period_kind="month", rule=DeadlineRule.DAY_OF_NEXT_MONTH, days=20
    )
    for month in range(1, 13):
        period = parse_period(f"2023-{month:02d}")
        _sent(agency, period.key, _at(period.end), home_affairs, deadline=None)
    with django_assert_max_num_queries(6):
        m = measure("reports_sent_on_time", agency, 2023)
    assert m.explanation == "12/12 báo cáo tháng gửi đúng hạn."
