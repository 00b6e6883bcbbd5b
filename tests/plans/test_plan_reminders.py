"""Reminders about overdue tasks: one e-mail per lead unit, at most once per task per day."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core.management import CommandError, call_command

from cchc.plans import services
from cchc.plans.models import TaskReminder
from cchc.plans.rating import Progress

D = dt.date


@pytest.fixture
def overdue(plan, office, division):
    first = services.create_task(
        plan, code="1", content="Rà soát quy chế làm việc của Sở", deadline="Quý I/2023", lead_unit=office
    )
    second = services.create_task(
        plan, code="2", content="Cập nhật quy trình nội bộ ISO", deadline="Tháng 2/2023", lead_unit=office
    )
    third = services.create_task(
        plan, code="3", content="Số hóa kết quả giải quyết TTHC", deadline="30/3/2023", lead_unit=division
    )
    services.create_task(plan, code="4", content="Tổng kết năm", deadline="Cả năm", lead_unit=division)
    return first, second, third


def test_each_lead_unit_gets_its_overdue_tasks_once_a_day(overdue, mailoutbox, office, division):
    result = services.send_task_reminders(D(2023, 4, 10))
    assert (result.emails, result.tasks) == (2, 3)
    by_recipient = {message.to[0]: message for message in mailoutbox}
    office_mail = by_recipient[office.email]
    assert office_mail.subject == "[CCHC] 02 nhiệm vụ quá hạn của Văn phòng"
    assert "Kính gửi: Văn phòng," in office_mail.body
    assert "Đến ngày 10/4/2023" in office_mail.body
    assert "Mục 2: Cập nhật quy trình nội bộ ISO" in office_mail.body
    assert "Thời hạn: Tháng 02/2023 (quá hạn 41 ngày)" in office_mail.body
    assert "Thời hạn: Quý I/2023 (quá hạn 10 ngày)" in office_mail.body
    assert "Số hóa kết quả" not in office_mail.body
    assert "Mục 3: Số hóa kết quả giải quyết TTHC" in by_recipient[division.email].body

    again = services.send_task_reminders(D(2023, 4, 10))
    assert (again.emails, again.tasks, len(mailoutbox)) == (0, 0, 2)
    assert TaskReminder.objects.filter(sent_on=D(2023, 4, 10)).count() == 3

    next_day = services.send_task_reminders(D(2023, 4, 11))
    assert (next_day.emails, next_day.tasks, len(mailoutbox)) == (2, 3, 4)


def test_done_and_unassigned_tasks_get_no_reminder(plan, overdue, mailoutbox, office):
    first, second, third = overdue
    services.record_progress(first, "Đã ban hành quy chế", Progress.DONE, completed_on=D(2023, 4, 1), on=D(2023, 4, 1))
    services.create_task(plan, code="5", content="Nhiệm vụ chưa giao", deadline="Tháng 1/2023")
    result = services.send_task_reminders(D(2023, 4, 10))
    assert result.tasks == 2
    assert "Rà soát quy chế" not in "".join(m.body for m in mailoutbox)


def test_units_without_email_are_reported_not_skipped_silently(overdue, mailoutbox, division):
    division.email = ""
    division.save()
    result = services.send_task_reminders(D(2023, 4, 10))
    assert result.emails == 1 and len(mailoutbox) == 1
    assert result.units_without_email == ["Phòng Quản lý công nghệ (Sở Khoa học và Công nghệ)"]
    assert not TaskReminder.objects.filter(unit=division).exists()


class RefusingBackend:
    """A mail connection whose server refuses every message (SMTP 550)."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.vn": (550, b"refused")})


def test_a_refused_message_is_retried_on_the_next_run(overdue, mailoutbox):
    result = services.send_task_reminders(D(2023, 4, 10), connection=RefusingBackend())
    assert result.emails == 0 and len(result.failed_units) == 2
    assert not TaskReminder.objects.exists()
    retry = services.send_task_reminders(D(2023, 4, 10))
    assert retry.tasks == 3 and len(mailoutbox) == 2


def test_command_sends_and_validates_its_date(overdue, mailoutbox, capsys):
    call_command("send_task_reminders", "--date", "2023-04-10")
    assert "Đã gửi 2 thư nhắc về 3 nhiệm vụ quá hạn." in capsys.readouterr().out
    call_command("send_task_reminders", "--date", "2023-04-10")
    assert "Đã gửi 0 thư nhắc" in capsys.readouterr().out and len(mailoutbox) == 2
    with pytest.raises(CommandError):
        call_command("send_task_reminders", "--date", "10/04/2023")
