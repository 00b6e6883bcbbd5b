"""cchc send-task-reminders [--date YYYY-MM-DD]: e-mail each lead unit its overdue plan tasks (run daily by cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.plans.services import send_task_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc các đơn vị chủ trì về nhiệm vụ quá hạn (mỗi nhiệm vụ tối đa một lần mỗi ngày)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="Ngày xét quá hạn, dạng YYYY-MM-DD (mặc định: hôm nay)")

    def handle(self, *args, **options) -> None:
        as_of = None
        if options.get("date"):
            try:
                as_of = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {options['date']} (cần dạng YYYY-MM-DD).") from exc
        result = send_task_reminders(as_of)
        self.stdout.write(f"Đã gửi {result.emails} thư nhắc về {result.tasks} nhiệm vụ quá hạn.")
        for unit in result.units_without_email:
            self.stdout.write(f"Không gửi được cho {unit}: đơn vị chưa có địa chỉ thư điện tử hoặc đã ngừng hoạt động.")
        for unit in result.failed_units:
            self.stderr.write(f"Máy chủ thư từ chối thư gửi {unit}; sẽ thử lại ở lần chạy sau.")
        if result.failed_units:
            raise CommandError("Một số thư nhắc chưa gửi được.")
