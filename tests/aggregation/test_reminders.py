"""Reminders to members that have not sent a report: before the deadline and after it, to the member's report
editors and leaders, in the application and by e-mail, once per member, period, kind and step however often they
run; audited; through the task queue every day and `cchc send-report-reminders` by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.aggregation import reminders
from cchc.aggregation.deadlines import save_deadline
from cchc.aggregation.models import DeadlineRule, ReminderStep, ReportingRegime, ReportReminder, Submission
from cchc.audit.models import AuditEntry
from cchc.jobs import periodic
from cchc.notifications.models import Kind, Notification, OutboxMessage
from cchc.statistics.periods import parse_period

pytestmark = pytest.mark.django_db

D = dt.date
Q4 = parse_period("2026-Q4")  # 15/09/2026 – 14/12/2026 (Monday); + 2 working days: Wednesday 16/12/2026


def _morning(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


@pytest.fixture
def people(agency, justice, finance, make_user):
    users = {
        "leader": make_user("lanhdao", agency, "leader"),
        "officer": make_user("chuyenvien", agency, "officer"),
        "viewer": make_user("xem", agency, "viewer"),
        "desk": make_user("motcua", agency, "one_stop"),
        "justice": make_user("stp", justice, "officer"),
    }
    users["leader"].email = "lanhdao@skhcn.example.vn"
    users["leader"].save()
    inactive = make_user("nghi", agency, "officer")
    inactive.is_active = False
    inactive.save()
    return users


@pytest.fixture
def quarterly(home_affairs):
    return save_deadline(ReportingRegime(aggregator=home_affairs, name="Báo cáo quý", period_kind="quarter",
                                         rule=DeadlineRule.WORKING_DAYS, days=2, remind_before_days=3,
                                         remind_after_days=1), None)  # fmt: skip


def _sent_on_time(member, aggregator) -> None:
    Submission.objects.create(
        agency=member, aggregator=aggregator, source="imported", period_key=Q4.key, period_start=Q4.start,
        period_end=Q4.end, submitted_at=_morning(D(2026, 12, 15)),
    )  # fmt: skip


def test_members_not_sent_are_reminded_before_and_after_the_deadline_once_each(
    quarterly, home_affairs, agency, justice, finance, people
):
    _sent_on_time(finance, home_affairs)
    assert reminders.send_report_reminders(_morning(D(2026, 12, 12))).before == 0  # 4 days before: not yet

    first = reminders.send_report_reminders(_morning(D(2026, 12, 14)))
    assert (first.before, first.after) == (2, 0)  # Sở KH&CN and Sở Tư pháp; Sở Tài chính has sent
    # The member's editors and leaders: not its viewer, not its one-stop desk, not a person no longer active.
    notified = Notification.objects.filter(kind=Kind.REPORT_DUE_SOON)
    assert sorted(n.recipient.username for n in notified) == ["chuyenvien", "lanhdao", "stp"]
    assert first.notifications == 3
    notice = notified.get(recipient=people["leader"])
    assert notice.title == "Sắp đến hạn gửi báo cáo quý IV năm 2026 (hạn 16/12/2026)"
    assert "Sở Nội vụ nhắc: Sở Khoa học và Công nghệ chưa gửi báo cáo cải cách hành chính" in notice.body
    assert notice.agency == agency and notice.link == "/bao-cao/"
    mail = OutboxMessage.objects.get(recipient_user=people["leader"])
    assert mail.recipient_address == "lanhdao@skhcn.example.vn" and mail.kind == Kind.REPORT_DUE_SOON

    # The same day again, and the next day still before the deadline: nothing more.
    assert reminders.send_report_reminders(_morning(D(2026, 12, 14)) + dt.timedelta(hours=6)).notifications == 0
    assert reminders.send_report_reminders(_morning(D(2026, 12, 16))).notifications == 0
    # The day after the deadline, the step after it; then nothing more.
    after = reminders.send_report_reminders(_morning(D(2026, 12, 17)))
    assert (after.before, after.after, after.notifications) == (0, 2, 3)
    late = Notification.objects.get(kind=Kind.REPORT_OVERDUE, recipient=people["justice"])
    assert "đã quá hạn 1 ngày (hạn 16/12/2026)" in late.body
    assert reminders.send_report_reminders(_morning(D(2026, 12, 20))).notifications == 0

    kept = ReportReminder.objects.filter(agency=agency).order_by("sent_at")
    assert [(r.step, r.period_key, r.deadline, r.recipients) for r in kept] == [
        (ReminderStep.BEFORE, "2026-Q4", D(2026, 12, 16), 2),
        (ReminderStep.AFTER, "2026-Q4", D(2026, 12, 16), 2),
    ]
    audited = AuditEntry.objects.filter(content_type__model="reportreminder", agency=agency)
    assert audited.count() == 2 and all(e.action == AuditEntry.Action.CREATE for e in audited)


def test_a_member_that_sends_after_the_first_reminder_is_not_reminded_again(quarterly, home_affairs, justice, people):
    reminders.send_report_reminders(_morning(D(2026, 12, 14)))
    _sent_on_time(justice, home_affairs)
    reminders.send_report_reminders(_morning(D(2026, 12, 17)))
    assert not ReportReminder.objects.filter(agency=justice, step=ReminderStep.AFTER).exists()


def test_steps_set_to_zero_and_old_periods_remind_no_one(quarterly, home_affairs, justice, people):
    quarterly.remind_before_days = 0
    save_deadline(quarterly, None)
    assert reminders.send_report_reminders(_morning(D(2026, 12, 14))).before == 0
    # A deadline set today for quarters long past does not remind of them: the step after the deadline lasts 30
    # days (2026-Q3: due 16/09/2026, reminded until 17/10/2026).
    assert reminders.send_report_reminders(_morning(D(2026, 11, 20))).after == 0
    # Q3, 15 days after its deadline: the three members (Sở Tài chính has no one to tell, it is still counted).
    assert reminders.send_report_reminders(_morning(D(2026, 10, 1))).after == 3
    quarterly.remind_after_days = 0
    save_deadline(quarterly, None)
    ReportReminder.objects.all().delete()
    assert reminders.send_report_reminders(_morning(D(2026, 10, 1))).after == 0


def test_an_annual_deadline_of_its_own_reminds_before_the_year_ends(home_affairs, justice, people):
    """ "Báo cáo năm 2026: hạn 05/12/2026": reminded from 02/12, inside the year still running."""
    save_deadline(ReportingRegime(aggregator=home_affairs, period_kind="year", period_key="2026",
                                  rule=DeadlineRule.FIXED_DATE, due_date=D(2026, 12, 5)), None)  # fmt: skip
    assert reminders.send_report_reminders(_morning(D(2026, 12, 1))).before == 0
    result = reminders.send_report_reminders(_morning(D(2026, 12, 2)))
    assert result.before == 3
    assert set(ReportReminder.objects.values_list("period_key", "deadline")) == {("2026", D(2026, 12, 5))}


def test_the_daily_task_and_the_command_run_the_same_reminders(quarterly, home_affairs, justice, people, capsys):
    assert periodic.REGISTRY["aggregation.send_report_reminders"].task == "cchc.aggregation.tasks.send_report_reminders"
    assert periodic.REGISTRY["aggregation.send_report_reminders"].daily_after == dt.time(7, 30)
    call_command("send_report_reminders", "--date", "2026-12-14")
    # Sở KH&CN (two people), Sở Tư pháp (one), Sở Tài chính (no one to tell).
    assert "3 lần nhắc trước hạn, 0 lần nhắc sau hạn; đã tạo 3 thông báo." in capsys.readouterr().out
    call_command("send_report_reminders", "--date", "2026-12-14")
    assert "0 lần nhắc trước hạn" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send_report_reminders", "--date", "14/12/2026")

    from cchc.aggregation.tasks import send_report_reminders

    # The queue's task runs the same as of now (whatever today is, 14/12/2026 was reminded already).
    assert set(send_report_reminders.call()) == {"before", "after", "notifications"}
    assert ReportReminder.objects.filter(period_key="2026-Q4", step=ReminderStep.BEFORE).count() == 3
