"""`cchc worker`: run background jobs (docs/adr/0006-task-queue.md). As many as wanted, on as many machines as
wanted, against one PostgreSQL database; `cchc serve` already starts one beside the web server unless told not to
(--no-worker)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cchc.jobs import worker


class Command(BaseCommand):
    help = "Chạy bộ xử lý công việc nền (nhập hồ sơ từ tệp, đọc báo cáo tải lên...)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--processes", type=int, default=1, help="Số tiến trình xử lý (mặc định 1).")
        parser.add_argument(
            "--queues", default="default", help="Các hàng đợi cần xử lý, cách nhau bởi dấu phẩy (mặc định default)."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Số giây chờ giữa hai lần hỏi hàng đợi khi rảnh (mặc định 1)."
        )
        parser.add_argument("--batch", action="store_true", help="Xử lý hết các công việc đang chờ rồi dừng.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Dừng sau số công việc này.")

    def handle(self, *args, processes: int, queues: str, interval: float, batch: bool, max_tasks, **options) -> None:
        names = [name.strip() for name in queues.split(",") if name.strip()]
        if not names:
            raise CommandError("Cần ít nhất một hàng đợi (--queues).")
        if processes < 1:
            raise CommandError("Số tiến trình (--processes) phải lớn hơn 0.")
        if interval < 0:
            raise CommandError("--interval không được âm.")
        if max_tasks is not None and max_tasks < 1:
            raise CommandError("--max-tasks phải lớn hơn 0.")
        if processes > 1 and (batch or max_tasks):
            raise CommandError("--batch và --max-tasks chỉ dùng với một tiến trình.")

        def out(text: str) -> None:
            self.stdout.write(text)
            self.stdout.flush()

        if processes == 1:
            worker.run_worker(queues=names, interval=interval, batch=batch, max_tasks=max_tasks, out=out)
        else:
            worker.supervise(processes, names, interval, out=out)
