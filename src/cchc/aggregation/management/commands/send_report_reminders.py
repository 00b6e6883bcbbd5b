"""`cchc send-report-reminders [--date YYYY-MM-DD]`: remind the members that have not sent a report whose deadline
is near or past, once per member, period, kind of report and step (running it twice the same day reminds no one
twice). The task queue runs the same every day; this is for cron and for running it by hand."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cchc.aggregation import reminders


class Command(BaseCommand):
    help = "Nhắc các cơ quan chưa gửi báo cáo sắp đến hạn hoặc đã quá hạn (chạy hằng ngày)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Chạy như vào ngày này (YYYY-MM-DD), mặc định hôm nay")

    def handle(self, *args, **options) -> None:
        now = None
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {options['date']} (viết YYYY-MM-DD).") from exc
            now = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))
        result = reminders.send_report_reminders(now)
        self.stdout.write(
            f"{result.before} lần nhắc trước hạn, {result.after} lần nhắc sau hạn; "
            f"đã tạo {result.notifications} thông báo."
        )
