"""The aggregator's roll-up: members using cchc computed, the others as reported, each marked; totals and rates;
submissions against the regime's deadline with the missing and late lists; the XLSX export."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.agencies.models import Agency
from cchc.aggregation.models import AggregationGroup, DeadlineRule, ReportedFigure, ReportingRegime, Submission
from cchc.aggregation.rollup import COMPUTED, REPORTED, export_xlsx, rollup_table
from cchc.aggregation.submissions import aggregators_of, members_of, missing_and_late, submit_to_aggregator
from cchc.aggregation.wording import rollup_totals_sentences
from cchc.reports import services
from cchc.statistics.periods import current_quarter, parse_period
from cchc.statistics.service import compute

pytestmark = pytest.mark.django_db

User = get_user_model()
D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = parse_period("2023-Q1")


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def dossiers(agency, procedure):
    """Sở KH&CN uses cchc: in Q1 2023 one carried over, two new resolved (one late), one in progress."""
    from cchc.dossiers.models import Dossier

    rows = [
        ("A1", D(2022, 12, 1), 1, D(2022, 12, 20), D(2022, 12, 19)),
        ("A2", D(2023, 1, 5), 2, D(2023, 1, 20), D(2023, 1, 10)),
        ("A3", D(2023, 2, 1), 2, D(2023, 2, 10), D(2023, 2, 15)),
        ("A4", D(2023, 3, 1), 1, D(2023, 3, 30), None),
    ]
    for code, received, channel, due, ended in rows:
        Dossier.objects.create(
            agency=agency, procedure=procedure, code=code, applicant_name=f"Chủ hồ sơ {code}", channel=channel,
            received_at=_at(received), received_on=received, due_at=_at(due, 17), due_date=due,
            status="resolved" if ended else "in_process", ended_at=_at(ended, 10) if ended else None,
            ended_on=ended, outcome="resolved" if ended else "",
        )  # fmt: skip


@pytest.fixture
def justice(province):
    return Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")


@pytest.fixture
def finance(province):
    return Agency.objects.create(province=province, code="STC", name="Sở Tài chính")


@pytest.fixture
def home_affairs(other_agency, make_user):
    """Sở Nội vụ, the province's aggregator (its user holds the aggregator role)."""
    make_user("tonghop", other_agency, "aggregator")
    return other_agency


def _report(agency, key, values, sha="b" * 64):
    period = parse_period(key)
    for name, value in values.items():
        ReportedFigure.objects.create(
            agency=agency, period_key=period.key, period_start=period.start, period_end=period.end, key=name,
            value=Decimal(value), source_sha256=sha,
        )  # fmt: skip


def _approved_report(agency, leader, key="2023-Q1"):
    report = services.create_report(agency, "cchc-quarterly", key, leader)
    services.submit(report, leader)
    return services.approve(report, leader, number=12, issue_date=D(2023, 3, 16))


def test_members_default_to_the_province_and_follow_groups_when_there_are_some(
    home_affairs, agency, justice, finance, foreign_agency
):
    assert set(members_of(home_affairs)) == {agency, justice, finance}
    assert aggregators_of(justice) == [home_affairs]
    group = AggregationGroup.objects.create(aggregator=home_affairs, name="Khối sở")
    group.members.set([agency, justice])
    assert set(members_of(home_affairs)) == {agency, justice}
    assert aggregators_of(justice) == [home_affairs]
    assert aggregators_of(finance) == []  # the aggregator now collects by its group only
    ministry = Agency.objects.create(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind=Agency.Kind.MINISTRY)
    foreign_agency.parent = ministry
    foreign_agency.save()
    assert list(members_of(ministry)) == [foreign_agency]


def test_rollup_mixes_computed_and_reported_rows_with_markers_and_right_totals(
    home_affairs, agency, justice, finance, dossiers
):
    _report(justice, "2023-Q1", {"dossiers_received": 300, "dossiers_online": 150, "dossiers_resolved": 280,
                                 "dossiers_early_or_on_time": 270, "dossiers_late": 10,
                                 "procedures_total": 120})  # fmt: skip
    _report(justice, "2022-Q4", {"dossiers_received": 999})  # another period: never counted
    _report(agency, "2023-Q1", {"dossiers_received": 88})  # a cchc user's own report: shown beside, not used
    table = rollup_table(home_affairs, Q1)
    rows = {row.agency.code: row for row in table.rows}
    assert set(rows) == {"SKHCN", "STP", "STC"}

    stats = compute(Q1, agencies=[agency])
    science = rows["SKHCN"]
    assert science.uses_cchc and science.source == COMPUTED
    assert science.cells["dossiers_received"].value == stats.dossiers.received_total == 4
    assert science.cells["dossiers_resolved"].value == stats.dossiers.resolved == 3
    assert science.cells["dossiers_late"].value == stats.dossiers.resolved_late == 1
    assert science.cells["dossiers_in_progress"].value == 1
    assert science.cells["procedures_total"].value == stats.procedures.total == 1
    assert science.cells["procedures_online"].value == 1
    assert science.cells["dossiers_received"].reported == Decimal(88)
    assert science.cells["dossiers_received"].differs

    justice_row = rows["STP"]
    assert not justice_row.uses_cchc and justice_row.source == REPORTED
    assert justice_row.cells["dossiers_received"].value == 300
    assert justice_row.cells["dossiers_in_progress"].source is None  # not stated: missing, not zero

    assert rows["STC"].source is None and not rows["STC"].has_figures
    assert table.totals["dossiers_received"] == 304
    assert table.totals["dossiers_early_or_on_time"] == 270 + 2
    assert table.totals["dossiers_in_progress"] == 1
    assert table.on_time_rate == round(100 * 272 / 283, 2)
    assert table.online_rate == round(100 * (150 + stats.dossiers.received_online) / 304, 2)
    assert {a.code for a in table.missing} == {"SKHCN", "STP", "STC"}  # figures are not a submission


def test_a_period_before_a_member_used_cchc_takes_its_reported_figures(home_affairs, agency, justice, dossiers):
    # The Sở KH&CN keeps dossiers in cchc from December 2022 and its catalogue from 2020: for 2019 only its own
    # report can tell; for 2021 the catalogue is cchc's but the dossiers are still the reported ones.
    _report(agency, "2019", {"dossiers_received": 53, "procedures_total": 54})
    _report(agency, "2021", {"dossiers_received": 61, "procedures_total": 50})

    old = {row.agency.code: row for row in rollup_table(home_affairs, parse_period("2019")).rows}["SKHCN"]
    assert old.source == REPORTED and not old.uses_cchc
    assert old.cells["dossiers_received"].value == 53 and old.cells["procedures_total"].value == 54

    mixed = {row.agency.code: row for row in rollup_table(home_affairs, parse_period("2021")).rows}["SKHCN"]
    assert mixed.source == "mixed"
    assert mixed.cells["dossiers_received"].source == REPORTED and mixed.cells["dossiers_received"].value == 61
    assert mixed.cells["procedures_total"].source == COMPUTED and mixed.cells["procedures_total"].value == 1
    assert mixed.cells["procedures_total"].reported == Decimal(50)


def test_submissions_are_judged_against_the_regime_and_listed_missing_or_late(
    home_affairs, agency, justice, finance, make_user
):
    leader = make_user("lanhdao", agency, "leader")
    ReportingRegime.objects.create(aggregator=home_affairs, name="Báo cáo quý", period_kind="quarter",
                                   rule=DeadlineRule.WORKING_DAYS, days=3)  # fmt: skip
    draft = services.create_report(agency, "cchc-quarterly", "2023-Q1", leader)
    with pytest.raises(ValidationError):
        submit_to_aggregator(draft, leader)
    assert not Submission.objects.exists()

    report = _approved_report(agency, leader)
    [submission] = submit_to_aggregator(report, leader)
    # Cut-off 14/03/2023 (Tuesday) + 3 working days = Friday 17/03/2023; sent today: late.
    assert submission.aggregator == home_affairs and submission.deadline == D(2023, 3, 17)
    assert submission.late
    assert submit_to_aggregator(report, leader)[0].pk == submission.pk  # sending again keeps the first moment

    # Sở Tư pháp's imported report, dated before the deadline, is on time.
    Submission.objects.create(agency=justice, aggregator=None, source="imported", period_key="2023-Q1",
                              period_start=Q1.start, period_end=Q1.end, submitted_at=_at(D(2023, 3, 16)),
                              deadline=D(2023, 3, 17))  # fmt: skip
    compliance = missing_and_late(home_affairs, Q1)
    assert compliance.missing == [finance]
    assert [a for a, _s in compliance.late] == [agency]
    assert [a for a, _s in compliance.on_time] == [justice]
    table = rollup_table(home_affairs, Q1)
    assert [a.code for a in table.missing] == ["STC"] and [a.code for a, _s in table.late] == ["SKHCN"]


def test_a_report_for_the_running_quarter_sent_now_is_on_time(home_affairs, agency, make_user):
    leader = make_user("lanhdao", agency, "leader")
    ReportingRegime.objects.create(aggregator=home_affairs, name="Quý", period_kind="quarter",
                                   rule=DeadlineRule.DAY_OF_NEXT_MONTH, days=20)  # fmt: skip
    period = current_quarter(timezone.localdate())
    [submission] = submit_to_aggregator(_approved_report(agency, leader, period.key), leader)
    assert submission.deadline.day == 20 and submission.deadline > period.end
    assert not submission.late


def test_only_editors_of_the_agency_submit(home_affairs, agency, make_user, viewer):
    leader = make_user("lanhdao", agency, "leader")
    report = _approved_report(agency, leader)
    with pytest.raises(PermissionDenied):
        submit_to_aggregator(report, viewer)
    with pytest.raises(PermissionDenied):
        submit_to_aggregator(report, make_user("tonghop2", home_affairs, "aggregator"))
    assert not Submission.objects.exists()


def test_xlsx_export_opens_and_holds_the_rows_and_totals(home_affairs, agency, justice, finance, dossiers):
    _report(justice, "2023-Q1", {"dossiers_received": 300, "dossiers_resolved": 280, "dossiers_early_or_on_time": 270})
    book = load_workbook(io.BytesIO(export_xlsx(rollup_table(home_affairs, Q1))))
    sheet = book.active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert "Quý I năm 2023" in values[0][0]
    header = values[2]
    assert header[1] == "Cơ quan" and "Hồ sơ tiếp nhận" in header
    received = header.index("Hồ sơ tiếp nhận")
    by_name = {row[1]: row for row in values[3:]}
    assert by_name["Sở Tư pháp"][received] == 300
    assert by_name["Sở Tư pháp"][header.index("Nguồn số liệu")] == "Theo báo cáo"
    assert by_name["Sở Khoa học và Công nghệ"][received] == 4
    assert by_name["Sở Khoa học và Công nghệ"][header.index("Nguồn số liệu")] == "Tính từ cchc"
    assert by_name["Sở Tài chính"][received] == "—"
    assert by_name["Tổng cộng"][received] == 304


def test_a_member_stating_on_time_without_resolved_stays_out_of_the_total_rate(
    client, home_affairs, agency, justice, finance, dossiers
):
    """Issue 7: Sở Tài chính reported "trước hạn, đúng hạn 9" and no resolved count; its 9 entered the numerator of
    the total on-time rate but not the denominator, and the page and the Excel showed 105,4 %."""
    _report(justice, "2023-Q1", {"dossiers_resolved": 145, "dossiers_early_or_on_time": 145})
    _report(finance, "2023-Q1", {"dossiers_early_or_on_time": 9})
    table = rollup_table(home_affairs, Q1)
    rows = {row.agency.code: row for row in table.rows}
    # The Sở KH&CN computed: 3 resolved, 2 early or on time. The column totals still add every figure given.
    skhcn = rows["SKHCN"].cells
    assert (skhcn["dossiers_resolved"].value, skhcn["dossiers_early_or_on_time"].value) == (3, 2)
    assert table.totals["dossiers_early_or_on_time"] == 2 + 145 + 9 and table.totals["dossiers_resolved"] == 3 + 145
    # The rate is over the two members that state both parts: 147 / 148 (not 156 / 148 = 105,4 %).
    assert table.on_time_rate == 99.32

    client.force_login(User.objects.get(username="tonghop"))
    html = client.get(reverse("rollup:table"), {"co_quan": home_affairs.pk, "ky": "2023-Q1"}).content.decode()
    assert "105,4" not in html
    rate_cell = re.search(r'<th class="num" id="rollup-on-time-rate">(.*?)</th>', html, re.S).group(1)
    assert rate_cell.startswith("99,3") and "tính trên 2/3 cơ quan có đủ số liệu" in rate_cell
    coverage = re.search(r'<tr id="rollup-coverage">(.*?)</tr>', html, re.S).group(1)
    assert "Số cơ quan có số liệu" in coverage and re.findall(r"\d+/3", coverage)[4:6] == ["2/3", "3/3"]

    response = client.get(reverse("rollup:table"), {"co_quan": home_affairs.pk, "ky": "2023-Q1", "tai": "xlsx"})
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = values[2]
    by_name = {row[1]: row for row in values[3:]}
    rate_column = header.index("Tỷ lệ đúng hạn (%)")
    assert by_name["Tổng cộng"][rate_column] == 99.32
    assert by_name["Sở Tài chính"][rate_column] == "—"
    assert by_name["Tổng cộng"][header.index("Trước hạn, đúng hạn")] == 156

    # The summary report's sentence says the rate covers two of the three members.
    sentence = " ".join(rollup_totals_sentences(table))
    assert "đúng hạn 99,32%, tính trên 2/3 cơ quan có đủ số liệu" in sentence
    assert by_name["Số cơ quan có số liệu"][rate_column] == "2/3"

    # What the page shows comes from here: the row without a resolved count states no rate, the total says 2 of 3.
    assert rows["STC"].rate("on_time") is None and not rows["STC"].states_both("on_time")
    on_time = table.rates["on_time"]
    assert (on_time.value, on_time.covered, on_time.members) == (99.32, 2, 3)
    assert on_time.note == "tính trên 2/3 cơ quan có đủ số liệu"
    # Received and online: the Sở KH&CN only; resolved: two of three; on time: all three.
    assert table.coverage() == ["1/3", "1/3", "1/3", "1/3", "2/3", "3/3", "1/3", "1/3", "2/3", "1/3"]


def test_a_report_stating_more_on_time_than_resolved_gives_no_rate(home_affairs, agency, justice):
    _report(justice, "2023-Q1", {"dossiers_resolved": 10, "dossiers_early_or_on_time": 12, "dossiers_received": 20,
                                 "dossiers_online": 5})  # fmt: skip
    table = rollup_table(home_affairs, Q1)
    justice_row = {row.agency.code: row for row in table.rows}["STP"]
    assert table.row_rates(justice_row) == (None, 25.0)  # 12 of 10 is no rate, never 120 %
    assert table.on_time_rate is None and table.online_rate == 25.0
    assert table.rates["on_time"].covered == 0 and table.rates["on_time"].note == "tính trên 0/2 cơ quan có đủ số liệu"


def test_a_running_period_is_rolled_up_as_of_today_and_says_so(client, home_affairs, agency, procedure):
    from cchc.dossiers.models import Dossier
    from cchc.statistics.periods import date_range

    today = timezone.localdate()
    period = date_range(today - dt.timedelta(days=30), today + dt.timedelta(days=10))
    for n, due_in in enumerate([-2, 3]):
        received = today - dt.timedelta(days=10)
        due = today + dt.timedelta(days=due_in)
        Dossier.objects.create(
            agency=agency, procedure=procedure, code=f"R{n}", applicant_name="Chủ hồ sơ", channel=2,
            received_at=_at(received), received_on=received, due_at=_at(due, 17), due_date=due, status="in_process",
        )  # fmt: skip
    table = rollup_table(home_affairs, period)
    assert table.as_of == today and table.as_of_text == f"Số liệu tính đến ngày {today:%d/%m/%Y}"
    stats = compute(period, agencies=[agency])
    assert stats.as_of == today and stats.dossiers.in_progress_overdue == 1 and stats.dossiers.in_progress == 2
    science = {row.agency.code: row for row in table.rows}["SKHCN"]
    assert science.cells["dossiers_in_progress"].value == stats.dossiers.in_progress

    client.force_login(User.objects.get(username="tonghop"))
    html = client.get(reverse("rollup:table"), {"co_quan": home_affairs.pk, "ky": period.key}).content.decode()
    assert f'<p id="rollup-as-of"><strong>Số liệu tính đến ngày {today:%d/%m/%Y}</strong></p>' in html
    response = client.get(reverse("rollup:table"), {"co_quan": home_affairs.pk, "ky": period.key, "tai": "xlsx"})
    title = load_workbook(io.BytesIO(response.content)).active.cell(row=1, column=1).value
    assert title.endswith(f"(số liệu tính đến ngày {today:%d/%m/%Y})")
    # An ended period says nothing of the kind.
    assert rollup_table(home_affairs, Q1).as_of_text == ""
    html = client.get(reverse("rollup:table"), {"co_quan": home_affairs.pk, "ky": "2023-Q1"}).content.decode()
    assert "rollup-as-of" not in html
