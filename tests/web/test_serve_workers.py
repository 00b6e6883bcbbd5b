"""`cchc serve` under gunicorn: several workers, static files, a clean stop, no work for clients that left."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cchc.web import serving
from cchc.web.login_limits import MAX_FAILURES

TOO_MANY = "Bạn đã đăng nhập sai quá nhiều lần"

pytestmark = pytest.mark.skipif(not serving.gunicorn_available(), reason="gunicorn runs on Unix only")


def _children(pid: int) -> list[int]:
    """Live child processes of `pid`, from /proc (a zombie, already exited, is not counted)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _web_workers(pid: int) -> list[int]:
    """gunicorn's workers among the children (not the background-job worker `cchc serve` starts beside them)."""
    return [
        child for child in _children(pid) if b"worker" not in Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
    ]


@pytest.fixture
def started(start_server) -> tuple[subprocess.Popen, int]:
    server = start_server("--workers", "3", "--threads", "2", migrate=True)
    assert f"http://127.0.0.1:{server.port}" in server.line and "3 tiến trình × 2 luồng" in server.line, server.line
    return server.process, server.port


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    for _ in range(100):
        try:
            return urllib.request.urlopen(request, timeout=10)
        except OSError:
            time.sleep(0.1)  # the workers are still starting
    raise AssertionError(f"no answer from {url}")


def _failed_login(opener, port: int) -> str:
    page = opener.open(f"http://127.0.0.1:{port}/dang-nhap/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "skhcn.lanhdao", "password": "sai"})
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/dang-nhap/", data=form.encode(), headers={"Referer": f"http://127.0.0.1:{port}/"}
    )
    return opener.open(request, timeout=10).read().decode()


def test_serve_runs_several_workers_serves_pages_and_static_files_and_stops_on_sigterm(started, tmp_path):
    process, port = started
    login = _get(f"http://127.0.0.1:{port}/dang-nhap/")
    assert login.status == 200 and "Đăng nhập" in login.read().decode()
    assert login.headers["Server"] == "cchc"  # not the server software's name
    static = _get(f"http://127.0.0.1:{port}/static/admin/css/base.css", **{"Accept-Encoding": "gzip"})
    assert static.status == 200 and static.headers["Content-Encoding"] == "gzip"

    deadline = time.monotonic() + 20
    while len(workers := _web_workers(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)  # gunicorn forks its workers one after another
    assert len(workers) == 3, workers

    # The failed log-in limit counts across the workers (each log-in on a new connection, so spread over them).
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    answers = [_failed_login(opener, port) for _ in range(MAX_FAILURES + 1)]
    assert not any(TOO_MANY in answer for answer in answers[:-1])
    assert TOO_MANY in answers[-1]
    assert list((tmp_path / "cache").glob("*.djcache"))  # shared by the processes, in the data folder

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not _children(process.pid)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # the workers stopped too, none left over
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


@pytest.mark.parametrize(
    "args, message",
    [
        (("--workers", "0"), "Số tiến trình (--workers) phải lớn hơn 0."),
        (("--workers", "nhiều"), "phải là một số nguyên, không phải «nhiều»"),
        (("--threads", "0"), "Số luồng (--threads) phải lớn hơn 0."),
        (("--server", "nginx"), "--server phải là một trong: auto, gunicorn, waitress"),
        (("--server", "waitress", "--workers", "4"), "waitress chỉ chạy một tiến trình"),
    ],
)
def test_bad_options_are_refused_in_vietnamese(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("serve", *args)


def _connected_pair() -> tuple[socket.socket, socket.socket]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
    return client, server


def _call(app, environ: dict) -> tuple[str, bytes]:
    seen = {}

    def start_response(status, headers):
        seen["status"] = status

    body = b"".join(app(environ, start_response))
    return seen["status"], body


def test_a_request_whose_client_left_is_not_computed():
    computed = []

    def app(environ, start_response):
        computed.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"page"]

    guarded = serving.guarded(app, body_limit=1024)
    client, server = _connected_pair()
    try:
        client.sendall(b"GET / HTTP/1.1\r\n\r\n")
        server.recv(1024)  # what gunicorn's parser read
        assert _call(guarded, {"PATH_INFO": "/here", "gunicorn.socket": server}) == ("200 OK", b"page")
        client.close()  # the user gave up while the request waited for a thread
        time.sleep(0.05)
        status, _ = _call(guarded, {"PATH_INFO": "/gone", "gunicorn.socket": server})
        assert status.startswith("499")
    finally:
        server.close()
    assert _call(guarded, {"PATH_INFO": "/w", "waitress.client_disconnected": lambda: True})[0].startswith("499")
    assert computed == ["/here"]


def test_a_chunked_body_gets_a_length_bounded_by_the_limit():
    import io

    lengths = []

    def app(environ, start_response):
        lengths.append((environ["CONTENT_LENGTH"], len(environ["wsgi.input"].read())))
        start_response("200 OK", [])
        return [b""]

    guarded = serving.guarded(app, body_limit=1000)
    client, server = _connected_pair()
    try:
        for size in (10, 5000):
            environ = {
                "HTTP_TRANSFER_ENCODING": "chunked",
                "wsgi.input": io.BytesIO(b"x" * size),
                "gunicorn.socket": server,
            }
            _call(guarded, environ)
    finally:
        client.close()
        server.close()
    # Over the limit, the length says one byte more and no more than that was read.
    assert lengths == [("10", 10), ("1001", 1001)]
