"""`cchc demo` and `cchc serve` as a user runs them."""

from __future__ import annotations

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


def test_serve_with_waitress_serves_compressed_static_files(start_server, tmp_path: Path):
    server = start_server("--threads", "2", "--server", "waitress")
    port = server.port
    assert f"http://127.0.0.1:{port}" in server.line, server.line
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
