"""cchc send-reminders: remind the people holding steps due soon or late, in the application and by e-mail, once
per step, person and day (run daily from cron; running it twice the same day sends nothing more)."""

from django.core.management.base import BaseCommand

from cchc.notifications import triggers


class Command(BaseCommand):
    help = "Nhắc việc các bước xử lý hồ sơ sắp đến hạn và quá hạn (chạy hằng ngày)."

    def handle(self, *args, **options) -> None:
        result = triggers.send_reminders()
        self.stdout.write(
            f"{result.due_soon} bước sắp đến hạn, {result.late} bước quá hạn; đã tạo {result.notifications} thông báo."
        )
