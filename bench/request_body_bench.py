"""Benchmark: what 300 MB request bodies cost `cchc serve`.

    .venv/bin/python bench/request_body_bench.py [--mb 300] [--upload-limit-mb 20]

Starts `cchc serve` (gunicorn, 2 workers x 4 threads; `--server waitress` for waitress) on a temporary SQLite
data dir, then streams a body of --mb megabytes to
an upload URL (/ho-so/nhap-tu-tep/) and to the log-in URL (/dang-nhap/), each once with a Content-Length and once
chunked, in 1 MiB pieces, until the server answers or closes. For each it prints the status, how much of the body
had been sent (socket buffers included) when the answer came, and how long that took; then whether the server
still answers a log-in page, and the peak resident memory (VmHWM from /proc) of the largest server process (the
master or one worker: each holds what it reads on its own). Goal: peak under 300 MiB. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
GOAL_MIB = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def server_pids(pid: int) -> list[int]:
    """The server process and its children (gunicorn's workers)."""
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return pids


def largest_mib(pid: int, field: str) -> float:
    """The largest `field` among the server's processes."""
    values = []
    for each in server_pids(pid):
        try:
            values.append(memory_mib(each, field))
        except (OSError, RuntimeError):
            continue  # a worker that just exited
    return max(values)


def start_server(data_dir: Path, upload_limit_mb: int, server: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        CCHC_DATA_DIR=str(data_dir),
        CCHC_MAX_UPLOAD_MB=str(upload_limit_mb),
        PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""),
    )
    command = [sys.executable, "-m", "cchc", "serve", "--port", str(port), "--threads", "4", "--no-collectstatic"]
    command += ["--server", server, "--workers", "2" if server == "gunicorn" else "1"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("cchc serve stopped: " + (process.stdout.read() if process.stdout else ""))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("cchc serve did not listen within 60 s")


def stream_body(port: int, path: str, total: int, chunked: bool, timeout: float = 120) -> dict:
    """Sends a POST whose body is `total` bytes, piece by piece, until the server answers; returns what happened."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        f"{framing}\r\nConnection: close\r\n\r\n"
    ).encode()
    piece = b"x" * MIB
    sent = 0
    answer = b""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        try:
            while sent < total and time.monotonic() - started < timeout:
                readable, _w, _x = select.select([sock], [], [], 0)
                if readable:
                    break  # the server answered before the body was all sent
                size = min(len(piece), total - sent)
                data = piece[:size]
                sock.sendall(f"{size:x}\r\n".encode() + data + b"\r\n" if chunked else data)
                sent += size
            if chunked and sent >= total:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection after answering
        try:
            sock.settimeout(10)
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    status = answer.split(b"\r\n", 1)[0].decode("latin-1") if answer else "(no answer)"
    return {
        "path": path,
        "framing": "chunked" if chunked else "content-length",
        "status": status,
        "sent_mib": round(sent / MIB, 1),
        "seconds": round(time.monotonic() - started, 2),
    }


def still_answers(port: int) -> tuple[bool, float]:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET /dang-nhap/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.startswith(b"HTTP/1.1 200") and "Đăng nhập".encode() in answer, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=300, help="body size in megabytes (default 300)")
    parser.add_argument("--upload-limit-mb", type=int, default=20, help="CCHC_MAX_UPLOAD_MB for the server")
    parser.add_argument("--server", default="gunicorn", choices=["gunicorn", "waitress"], help="which server to run")
    args = parser.parse_args()
    total = args.mb * 1000 * 1000
    with tempfile.TemporaryDirectory(prefix="cchc-body-bench-") as data_dir:
        process, port = start_server(Path(data_dir), args.upload_limit_mb, args.server)
        try:
            ok, _seconds = still_answers(port)  # warm: the first request imports the views
            baseline = largest_mib(process.pid, "VmRSS")
            print(
                f"cchc serve ({args.server}) on port {port}, pid {process.pid}: largest process {baseline:.1f} MiB "
                "resident after one request"
            )
            print(f"upload limit {args.upload_limit_mb} MB; sending {args.mb} MB bodies in 1 MiB pieces")
            results = []
            for path in ("/ho-so/nhap-tu-tep/", "/dang-nhap/"):
                for chunked in (False, True):
                    result = stream_body(port, path, total, chunked)
                    result["rss_mib_after"] = round(largest_mib(process.pid, "VmRSS"), 1)
                    results.append(result)
                    print(
                        f"  {result['path']:<22} {result['framing']:<14} {result['status']:<38} "
                        f"answered when {result['sent_mib']:>6} MiB had been sent, {result['seconds']:>6} s, "
                        f"resident {result['rss_mib_after']} MiB"
                    )
            ok, seconds = still_answers(port)
            peak = largest_mib(process.pid, "VmHWM")
        finally:
            process.terminate()
            process.wait(timeout=30)
    refused = all(r["status"].startswith("HTTP/1.1 413") for r in results)
    print(f"server still answers the log-in page: {'yes' if ok else 'NO'} ({seconds * 1000:.0f} ms)")
    print(f"server peak resident memory (VmHWM, largest process): {peak:.1f} MiB (goal < {GOAL_MIB} MiB)")
    print(
        json.dumps(
            {
                "bench": "request_body",
                "server": args.server,
                "body_mb": args.mb,
                "upload_limit_mb": args.upload_limit_mb,
                "baseline_rss_mib": round(baseline, 1),
                "peak_rss_mib": round(peak, 1),
                "goal_mib": GOAL_MIB,
                "all_refused_413": refused,
                "still_answers": ok,
                "met": ok and refused and peak < GOAL_MIB,
                "requests": results,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
