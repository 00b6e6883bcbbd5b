"""cchc send-outbox: put back the messages a stopped worker left half-sent and send every due message (run every
minute from cron, or beside the workers: it is safe with them)."""

from django.core.management.base import BaseCommand

from cchc.notifications import outbox


class Command(BaseCommand):
    help = "Gửi các thư, tin nhắn đến hạn trong hộp thư đi và khôi phục những thư bị dừng giữa chừng."

    def handle(self, *args, **options) -> None:
        result = outbox.sweep()
        self.stdout.write(
            f"Đã gửi {result.sent}, chờ gửi lại {result.retried}, không gửi được {result.failed}; "
            f"khôi phục {result.recovered} thư, tin nhắn bị dừng giữa chừng."
        )
