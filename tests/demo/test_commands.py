"""`cchc demo` and `cchc serve` as a user runs them."""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cchc.agencies.models import Agency


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_command_prints_log_ins_and_url(db):
    text = run_demo("--years", "1", "--scale", "0")
    assert Agency.objects.filter(code="SKHCN", province__code="H45").exists()
    for username in (
        "admin",
        "skhcn.admin",
        "skhcn.lanhdao",
        "skhcn.chuyenvien",
        "skhcn.motcua",
        "skhcn.xem",
        "snv.tonghop",
        "stp.chuyenvien",
    ):
        assert f"| {username} " in text
    assert "demo1234" in text
    assert "Tên đăng nhập" in text and "Cán bộ một cửa" in text
    assert "Tổng hợp báo cáo (Sở Nội vụ, UBND tỉnh, Bộ)" in text
    assert "http://127.0.0.1:8000" in text
    again = run_demo("--years", "1", "--scale", "0")
    assert "đã có sẵn, không tạo thêm" in again


@pytest.mark.parametrize(
    "args",
    [("--years", "0"), ("--scale", "-1"), ("--dossiers", "-5")],
)
def test_demo_command_rejects_bad_options(db, args):
    with pytest.raises(CommandError):
        run_demo(*args)
    assert not Agency.objects.exists()


@pytest.mark.parametrize("args", [("--port", "0"), ("--port", "70000"), ("--threads", "0")])
def test_serve_rejects_bad_options(args):
    with pytest.raises(CommandError):
        call_command("serve", *args)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_with_waitress_serves_compressed_static_files(tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CCHC_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "cchc", "serve", "--port", str(port), "--threads", "2", "--server", "waitress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        line = ""
        deadline = time.monotonic() + 60
        while "đang chạy" not in line and time.monotonic() < deadline and process.poll() is None:
            if selector.select(timeout=1):
                line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}" in line, line
        # collectstatic ran into STATIC_ROOT, with gzip twins.
        assert (tmp_path / "static" / "admin" / "css" / "base.css.gz").exists()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/static/admin/css/base.css", headers={"Accept-Encoding": "gzip"}
        )
        response = None
        for _ in range(50):
            try:
                response = urllib.request.urlopen(request, timeout=5)
                break
            except OSError:
                time.sleep(0.1)  # the server printed its address; give its socket a moment to accept
        assert response is not None, "the server never answered on its port"
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Server"] == "cchc"
    finally:
        process.terminate()
        process.wait(timeout=10)
