"""`cchc serve`: the production server for cchc.wsgi.application (docs/adr/0004-serve-workers.md).

On Linux and other Unixes, gunicorn: --workers processes (default 2 x cores + 1, at most 8), each with --threads
threads (default 4). On Windows, or with --server waitress, waitress: one process, --threads threads (default 8).

Static files are served by WhiteNoise. Before starting, collectstatic copies them into STATIC_ROOT and each
compressible file gets a gzip twin, and WhiteNoise is told to serve STATIC_ROOT only (not the app folders, which is
what development and the tests use): browsers then get compressed, long-cacheable files without any disk lookup
per request.

Request bodies: RequestBodyLimitMiddleware refuses, from the Content-Length and without reading, any body over
CCHC_MAX_REQUEST_BODY_BYTES (the upload limit plus 1 MiB, from CCHC_MAX_UPLOAD_MB) with a Vietnamese page. Neither
server holds a body in memory: gunicorn hands it over as the application reads it (and a chunked one is counted by
cchc.web.serving up to the limit); waitress spools it to a temporary file and, here, refuses by itself any body over
twice the limit.

Background jobs: unless --no-worker, one `cchc worker` process runs beside the server, in a session of its own, and
is stopped (SIGTERM: its current job finishes first, for up to 30 seconds) when the server stops.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cchc.jobs import worker as jobs_worker
from cchc.web import serving

SERVERS = ("auto", "gunicorn", "waitress")


def waitress_body_limit() -> int:
    """The largest body waitress accepts: twice the application's limit, so that a user slightly over it gets the
    application's Vietnamese page rather than waitress's bare English one."""
    return 2 * settings.CCHC_MAX_REQUEST_BODY_BYTES


def compress_static(root: Path) -> int:
    """Write a .gz beside every compressible file of `root` that lacks an up-to-date one; returns how many."""
    from whitenoise.compress import Compressor

    compressor = Compressor(use_brotli=False, quiet=True)
    written = 0
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if name.endswith((".gz", ".br")) or not compressor.should_compress(name):
                continue
            twin = path.with_name(name + ".gz")
            if twin.exists() and twin.stat().st_mtime >= path.stat().st_mtime:
                continue
            written += len(compressor.compress(str(path)))
    return written


def _cache_is_per_process() -> bool:
    return settings.CACHES.get("default", {}).get("BACKEND") == "django.core.cache.backends.locmem.LocMemCache"


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"phải là một số nguyên, không phải «{text}»") from None


class Command(BaseCommand):
    help = "Chạy máy chủ web phục vụ cchc (gunicorn nhiều tiến trình; waitress trên Windows)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1).")
        parser.add_argument("--port", type=_whole_number, default=8000, help="Cổng (mặc định 8000).")
        parser.add_argument(
            "--workers",
            type=_whole_number,
            default=None,
            help=f"Số tiến trình xử lý của gunicorn (mặc định 2 × số lõi + 1, tối đa {serving.MAX_AUTO_WORKERS}; "
            f"ở đây: {serving.default_workers()}).",
        )
        parser.add_argument(
            "--threads",
            type=_whole_number,
            default=None,
            help=f"Số luồng xử lý của mỗi tiến trình (mặc định {serving.GUNICORN_THREADS} với gunicorn, "
            f"{serving.WAITRESS_THREADS} với waitress).",
        )
        parser.add_argument(
            "--server",
            default="auto",
            help="gunicorn, waitress hoặc auto (mặc định: gunicorn nếu chạy được trên máy này, không thì waitress).",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Không thu gom tệp tĩnh (phục vụ từ thư mục ứng dụng)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Không chạy bộ xử lý công việc nền bên cạnh máy chủ web (khi đã chạy «cchc worker» riêng).",
        )

    def handle(self, *args, **options) -> None:
        server = self._choose_server(options)
        if not 0 < options["port"] < 65536:
            raise CommandError("Cổng (--port) phải từ 1 đến 65535.")
        if options["threads"] is not None and options["threads"] < 1:
            raise CommandError("Số luồng (--threads) phải lớn hơn 0.")
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("Số tiến trình (--workers) phải lớn hơn 0.")
        if server == "waitress" and (options["workers"] or 1) > 1:
            raise CommandError("waitress chỉ chạy một tiến trình: bỏ --workers hoặc dùng --server gunicorn.")
        workers = options["workers"] or serving.default_workers()
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            compress_static(Path(settings.STATIC_ROOT))
            # Before the WSGI application (and its WhiteNoise middleware) is created.
            settings.WHITENOISE_USE_FINDERS = False
        if server == "gunicorn" and workers > 1 and _cache_is_per_process():
            self.stderr.write(
                "Cảnh báo: bộ nhớ đệm riêng từng tiến trình; bộ đếm đăng nhập sai không dùng chung giữa các tiến trình "
                "(chạy qua lệnh cchc, hoặc đặt CCHC_SHARED_CACHE=file hay REDIS_URL)."
            )

        from cchc.wsgi import application

        # The embedded default: one background worker beside the web server, stopped with it (docs/adr/0006).
        background = None if options["no_worker"] else jobs_worker.spawn()
        try:
            self._serve(server, application, options, workers)
        finally:
            if background is not None:
                jobs_worker.stop(background)

    def _serve(self, server: str, application, options: dict, workers: int) -> None:
        host, port = options["host"], options["port"]
        if server == "gunicorn":
            threads = options["threads"] or serving.GUNICORN_THREADS
            app = serving.guarded(application, settings.CCHC_MAX_REQUEST_BODY_BYTES)
            detail = f"gunicorn, {workers} tiến trình × {threads} luồng"
            serving.run_gunicorn(
                app,
                host=host,
                port=port,
                workers=workers,
                threads=threads,
                on_ready=lambda: self._announce(host, port, detail),
            )
        else:
            threads = options["threads"] or serving.WAITRESS_THREADS
            app = serving.guarded(application, waitress_body_limit())
            serving.stop_on_sigterm()
            detail = f"waitress, {threads} luồng"
            serving.run_waitress(
                app,
                host=host,
                port=port,
                threads=threads,
                body_limit=waitress_body_limit(),
                on_ready=lambda: self._announce(host, port, detail),
            )

    @staticmethod
    def _choose_server(options: dict) -> str:
        server = options["server"]
        if server not in SERVERS:
            raise CommandError(f"--server phải là một trong: {', '.join(SERVERS)} (không phải «{server}»).")
        if server == "auto":
            return "gunicorn" if serving.gunicorn_available() else "waitress"
        if server == "gunicorn" and not serving.gunicorn_available():
            raise CommandError(
                "gunicorn không chạy được trên máy này (cần Linux hoặc Unix và gói gunicorn): dùng --server waitress."
            )
        return server

    def _announce(self, host: str, port: int, detail: str) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        if ":" in shown:
            shown = f"[{shown}]"
        self.stdout.write(f"cchc đang chạy tại http://{shown}:{port} ({detail}) — nhấn Ctrl+C để dừng.")
        if settings.DEBUG:
            self.stdout.write("Lưu ý: đang bật chế độ gỡ lỗi (CCHC_DEBUG=1), không dùng cho máy chủ thật.")
        self.stdout.flush()
        sys.stdout.flush()
