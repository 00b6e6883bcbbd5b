"""`cchc serve`: the production server (waitress) for cchc.wsgi.application.

Static files are served by WhiteNoise. Before starting, collectstatic copies them into STATIC_ROOT and each
compressible file gets a gzip twin, and WhiteNoise is told to serve STATIC_ROOT only (not the app folders, which is
what development and the tests use): browsers then get compressed, long-cacheable files without any disk lookup
per request.

Request bodies: waitress buffers a whole body before the application sees it (up to 1 GiB by default). Here it
refuses, from the Content-Length and without reading, any body over twice CCHC_MAX_REQUEST_BODY_BYTES (the upload
limit plus 1 MiB, from CCHC_MAX_UPLOAD_MB), and stops reading a chunked one at that size; a body between the limit
and twice it is spooled to a temporary file and refused with a Vietnamese page by RequestBodyLimitMiddleware.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


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


class Command(BaseCommand):
    help = "Chạy máy chủ web (waitress) phục vụ cchc."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Cổng (mặc định 8000).")
        parser.add_argument("--threads", type=int, default=8, help="Số luồng xử lý (mặc định 8).")
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Không thu gom tệp tĩnh (phục vụ từ thư mục ứng dụng)."
        )

    def handle(self, *args, **options) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError("Cổng (--port) phải từ 1 đến 65535.")
        if options["threads"] < 1:
            raise CommandError("Số luồng (--threads) phải lớn hơn 0.")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            compress_static(Path(settings.STATIC_ROOT))
            # Before the WSGI application (and its WhiteNoise middleware) is created.
            settings.WHITENOISE_USE_FINDERS = False
        from waitress import serve

        from cchc.wsgi import application

        host, port = options["host"], options["port"]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        if ":" in shown:
            shown = f"[{shown}]"
        self.stdout.write(f"cchc đang chạy tại http://{shown}:{port} — nhấn Ctrl+C để dừng.")
        if settings.DEBUG:
            self.stdout.write("Lưu ý: đang bật chế độ gỡ lỗi (CCHC_DEBUG=1), không dùng cho máy chủ thật.")
        self.stdout.flush()
        serve(
            application,
            host=host,
            port=port,
            threads=options["threads"],
            ident="cchc",
            max_request_body_size=waitress_body_limit(),
        )
