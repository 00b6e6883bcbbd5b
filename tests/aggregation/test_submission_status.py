"""Late and missing reports on the roll-up: each member sent or not, when, against which deadline, how late; an
imported report counts as sent on its own date (never the upload's), one without a date is received but not judged,
and the deadline that applies when the table is read is the one that judges."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from cchc.aggregation import imports
from cchc.aggregation.compliance import LATE, NOT_SENT, OVERDUE, SENT, UNKNOWN, member_statuses
from cchc.aggregation.deadlines import save_deadline
from cchc.aggregation.models import DeadlineRule, ReportingRegime, Submission, SubmissionSource
from cchc.aggregation.rollup import rollup_table
from cchc.aggregation.submissions import missing_and_late
from cchc.statistics.periods import parse_period

pytestmark = pytest.mark.django_db

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = parse_period("2023-Q1")  # cut-off 14/03/2023; 02 working days later: 16/03/2023


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _report_text(day_line: str, received: int = 41) -> bytes:
    return (
        "UBND TỈNH QUẢNG TRỊ\nSỞ TƯ PHÁP\nSố: 27/BC-STP\n"
        f"{day_line}\nBÁO CÁO\nTình hình thực hiện công tác cải cách hành chính quý I năm 2023\n"
        f"Trong quý I năm 2023, Sở tiếp nhận {received} hồ sơ, đã giải quyết 39 hồ sơ, trong đó trước hạn và đúng "
        "hạn 39 hồ sơ.\n"
    ).encode()


@pytest.fixture
def regime(home_affairs):
    return save_deadline(ReportingRegime(aggregator=home_affairs, name="Báo cáo quý", period_kind="quarter",
                                         rule=DeadlineRule.WORKING_DAYS, days=2), None)  # fmt: skip


@pytest.fixture
def aggregator_user(home_affairs):
    return get_user_model().objects.get(username="tonghop")


def _import(member, actor, aggregator, text: bytes, name: str):
    staged = imports.stage_file(member, text, actor, filename=name)
    return imports.confirm(staged, {"period": "2023-Q1", "tasks": False, "aggregator": aggregator}, actor)


def test_a_report_imported_months_after_it_was_sent_late_is_flagged_late_from_its_own_date(
    client, regime, home_affairs, justice, finance, agency, aggregator_user
):
    """Sở Tư pháp dated its Q1 report 28/07/2023; the Sở Nội vụ uploads it years later: it was sent 134 days late,
    whatever the day of the upload."""
    _import(justice, aggregator_user, home_affairs, _report_text("Quảng Trị, ngày 28 tháng 7 năm 2023"), "stp.txt")
    submission = Submission.objects.get(agency=justice)
    assert submission.date_known and submission.sent_on == D(2023, 7, 28)
    assert submission.deadline == D(2023, 3, 16)

    table = rollup_table(home_affairs, Q1, today=D(2026, 12, 1))
    rows = {row.agency.code: row for row in table.rows}
    status = rows["STP"].status
    assert (status.state, status.days_late, status.deadline) == (LATE, 134, D(2023, 3, 16))
    assert status.text == "Gửi ngày 28/07/2023, hạn 16/03/2023: muộn 134 ngày"
    assert [a.code for a, _s in table.late] == ["STP"]
    # The others never sent: missing, and overdue by the days since the deadline.
    assert sorted(a.code for a in table.missing) == ["SKHCN", "STC"]
    assert (
        rows["STC"].status.state == OVERDUE and rows["STC"].status.days_late == (D(2026, 12, 1) - D(2023, 3, 16)).days
    )

    client.force_login(aggregator_user)
    html = client.get(reverse("rollup:table"), {"ky": "2023-Q1"}).content.decode()
    assert 'data-status="late"' in html and "muộn 134 ngày" in html
    assert "Sở Tài chính – Hạn 16/03/2023: quá hạn" in html
    response = client.get(reverse("rollup:table"), {"ky": "2023-Q1", "tai": "xlsx"})
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = values[2]
    justice_row = next(row for row in values[3:] if row[1] == "Sở Tư pháp")
    assert justice_row[header.index("Đã gửi báo cáo")] == "Gửi muộn"
    assert justice_row[header.index("Ngày gửi")] == "28/07/2023"
    assert justice_row[header.index("Hạn gửi")] == "16/03/2023"
    assert justice_row[header.index("Số ngày muộn")] == 134
    finance_row = next(row for row in values[3:] if row[1] == "Sở Tài chính")
    assert finance_row[header.index("Đã gửi báo cáo")] == "Chưa gửi, quá hạn"
    assert finance_row[header.index("Ngày gửi")] == "Chưa gửi"


def test_a_report_sent_before_the_deadline_is_on_time_and_one_without_a_date_is_received_not_judged(
    regime, home_affairs, justice, finance, aggregator_user
):
    _import(justice, aggregator_user, home_affairs, _report_text("Quảng Trị, ngày 15 tháng 3 năm 2023"), "a.txt")
    _import(finance, aggregator_user, home_affairs,
            _report_text("Quảng Trị, ngày     tháng 3 năm 2023", 52).replace(b"STP", b"STC"), "b.txt")  # fmt: skip
    undated = Submission.objects.get(agency=finance)
    assert not undated.date_known and not undated.late
    statuses = {s.agency.code: s for s in member_statuses(home_affairs, Q1, [justice, finance], today=D(2026, 1, 1))}
    assert statuses["STP"].state == SENT and statuses["STP"].days_late is None
    assert statuses["STP"].text == "Gửi ngày 15/03/2023, hạn 16/03/2023"
    assert statuses["STC"].state == UNKNOWN and statuses["STC"].sent_on is None
    assert statuses["STC"].text == "Báo cáo không ghi ngày, hạn 16/03/2023"
    compliance = missing_and_late(home_affairs, Q1, today=D(2026, 1, 1))
    assert compliance.late == [] and finance not in compliance.missing


def test_a_member_not_sent_yet_sees_the_days_left_and_without_a_deadline_is_only_missing(home_affairs, justice, regime):
    [before] = member_statuses(home_affairs, Q1, [justice], today=D(2023, 3, 13))
    assert (before.state, before.text) == (NOT_SENT, "Hạn 16/03/2023: còn 3 ngày")
    [last_day] = member_statuses(home_affairs, Q1, [justice], today=D(2023, 3, 16))
    assert last_day.state == NOT_SENT and "hôm nay là hạn cuối" in last_day.text
    [after] = member_statuses(home_affairs, Q1, [justice], today=D(2023, 3, 17))
    assert (after.state, after.days_late) == (OVERDUE, 1)
    regime.delete()
    [none] = member_statuses(home_affairs, Q1, [justice], today=D(2026, 3, 17))
    assert (none.state, none.deadline, none.text) == (NOT_SENT, None, "Chưa đặt hạn gửi")


def test_the_deadline_that_applies_when_the_table_is_read_judges_and_the_kept_one_without_any(
    home_affairs, justice, regime
):
    Submission.objects.create(agency=justice, aggregator=home_affairs, source=SubmissionSource.IMPORTED,
                              period_key=Q1.key, period_start=Q1.start, period_end=Q1.end,
                              submitted_at=at(D(2023, 3, 20)), deadline=D(2023, 3, 16))  # fmt: skip
    [status] = member_statuses(home_affairs, Q1, [justice])
    assert status.state == LATE and status.days_late == 4
    # The aggregator extends the quarter's deadline to 24/03/2023: the same report is now on time.
    save_deadline(ReportingRegime(aggregator=home_affairs, period_kind="quarter", period_key="2023-Q1",
                                  rule=DeadlineRule.FIXED_DATE, due_date=D(2023, 3, 24)), None)  # fmt: skip
    [status] = member_statuses(home_affairs, Q1, [justice])
    assert status.state == SENT and status.deadline == D(2023, 3, 24)
    # Without any rule left, the deadline kept when it was sent still judges it.
    ReportingRegime.objects.all().delete()
    [status] = member_statuses(home_affairs, Q1, [justice])
    assert status.state == LATE and status.deadline == D(2023, 3, 16)


def test_the_status_follows_one_kind_of_report(client, home_affairs, justice, regime, aggregator_user):
    """A focal-tasks report sent on time is not the CCHC report: the CCHC column still says not sent."""
    Submission.objects.create(agency=justice, aggregator=home_affairs, source=SubmissionSource.IMPORTED, kind="focal",
                              period_key=Q1.key, period_start=Q1.start, period_end=Q1.end,
                              submitted_at=at(D(2023, 3, 15)))  # fmt: skip
    assert [s.state for s in member_statuses(home_affairs, Q1, [justice], today=D(2023, 4, 1))] == [OVERDUE]
    assert [s.state for s in member_statuses(home_affairs, Q1, [justice], kind="focal")] == [SENT]
    client.force_login(aggregator_user)
    cchc = client.get(reverse("rollup:table"), {"ky": "2023-Q1"}).content.decode()
    focal = client.get(reverse("rollup:table"), {"ky": "2023-Q1", "loai": "focal"}).content.decode()
    assert 'data-agency="STP"' in cchc and 'data-status="overdue"' in cchc
    assert 'data-status="sent"' in focal and 'value="focal" selected' in focal
    bad = client.get(reverse("rollup:table"), {"ky": "2023-Q1", "loai": "<script>"})
    assert bad.status_code == 200 and 'value="cchc" selected' in bad.content.decode()
