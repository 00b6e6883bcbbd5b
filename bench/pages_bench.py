"""Benchmark: the pages people wait for, served by `cchc serve`, against a bare view on the same server.

    .venv/bin/python bench/pages_bench.py [--dossiers 200000] [--clients 1,8,32] [--duration 10]
        [--database-url postgres://postgres@127.0.0.1:5432/cchc_serve_bench] [--data-dir DIR] [--server gunicorn]

Builds the demo plus benchmark dossiers (`cchc migrate`, `cchc demo --large --dossiers N`; idempotent, so a kept
--data-dir or database is only topped up) on SQLite in a fresh data dir, or on --database-url. Starts `cchc serve`
with bench/pages_bench_settings.py, whose URLconf adds a bare view (a constant through the same middleware: session,
user, security headers); it exists only under that settings module. Logs in through the log-in form (CSRF token
and cookies, as a browser) a few sessions per user, once: skhcn.lanhdao (a department's leader) and snv.tonghop (the
province's aggregator). Then for each page and each number of clients, those clients (threads, one kept-alive
http.client connection each) request the page in a loop for --duration seconds. Prints req/s, p50 and p99 latency
and the ratio of req/s to the bare view's at the same number of clients; ends with one JSON line.

The clients run on the same machine as the server and take CPU from it: compare ratios, not absolute figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PASSWORD = "demo1234"
DEPARTMENT_USER = "skhcn.lanhdao"
AGGREGATOR_USER = "snv.tonghop"
BARE_PATH = "/__bench__/bare/"
SESSIONS_PER_USER = 8  # each log-in hashes a password: the clients share these sessions round-robin


@dataclass
class Page:
    name: str
    path: str
    user: str


@dataclass
class Run:
    page: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def all_ok(self) -> bool:
        return self.errors == 0 and set(self.statuses) == {200}


def server_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        CCHC_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(BENCH), env.get("PYTHONPATH", "")]),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def cchc(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cchc", *args], env=env, check=True, **kwargs)


def build_data(env: dict[str, str], dossiers: int, demo_args: list[str] | None = None, quiet: bool = False) -> float:
    """Migrates and builds the demo with `dossiers` benchmark dossiers; returns the seconds it took."""
    started = time.monotonic()
    output = subprocess.DEVNULL if quiet else None
    cchc(env, "migrate", "-v", "0", stdout=output)
    cchc(env, "demo", *(demo_args or []), "--large", "--dossiers", str(dossiers), stdout=output)
    return time.monotonic() - started


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], server: str, workers: int | None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "cchc", "serve", "--port", str(port), "--server", server]
    if workers:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(
        command,
        env={**env, "DJANGO_SETTINGS_MODULE": "pages_bench_settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise RuntimeError("cchc serve stopped before it was ready")
        if "đang chạy" in line:
            print(line.strip())
            # Keep reading its output so that a full pipe never blocks the server.
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, port
    process.kill()
    raise RuntimeError("cchc serve was not ready within 120 s")


class Session:
    """One browser: its cookies and one kept-alive connection."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        """One request; reconnects once if the server had closed the kept-alive connection."""
        all_headers = {**self._cookie_header(), **(headers or {})}
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
        return response, content

    def log_in(self, username: str) -> None:
        _response, page = self.request("GET", "/dang-nhap/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        response, _ = self.request(
            "POST", "/dang-nhap/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"log-in of {username} failed: HTTP {response.status}")

    def close(self) -> None:
        self.connection.close()


def log_in_sessions(port: int, users: list[str], per_user: int) -> dict[str, list[dict[str, str]]]:
    """Logs in `per_user` sessions for each user (in parallel: each log-in hashes a password); their cookies."""
    found: dict[str, list[dict[str, str]]] = {user: [] for user in users}
    lock = threading.Lock()

    def one(user: str) -> None:
        session = Session(port)
        session.log_in(user)
        session.close()
        with lock:
            found[user].append(session.cookies)

    threads = [threading.Thread(target=one, args=(u,)) for u in users for _ in range(per_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for user, cookies in found.items():
        if len(cookies) != per_user:
            raise RuntimeError(f"only {len(cookies)} of {per_user} log-ins of {user} succeeded")
    return found


def discover_pages(port: int, sessions: dict[str, list[dict[str, str]]], search: str) -> list[Page]:
    """The pages to drive; the dossier and the report are the first ones their lists link to."""
    session = Session(port, sessions[DEPARTMENT_USER][0])
    _r, listing = session.request("GET", "/ho-so/")
    dossier = re.search(rb'href="/ho-so/(\d+)/"', listing)
    _r, reports = session.request("GET", "/bao-cao/")
    report = re.search(rb'href="/bao-cao/(\d+)/"', reports)
    session.close()
    if dossier is None or report is None:
        raise RuntimeError("no dossier or no report linked from /ho-so/ and /bao-cao/: is the demo built?")
    dossier_id, report_id = dossier.group(1).decode(), report.group(1).decode()
    query = urllib.parse.urlencode({"q": search})
    return [
        Page("bare view (floor)", BARE_PATH, DEPARTMENT_USER),
        Page("dashboard /", "/", DEPARTMENT_USER),
        Page("dossier list /ho-so/", "/ho-so/", DEPARTMENT_USER),
        Page(f"dossier search ?q={search}", f"/ho-so/?{query}", DEPARTMENT_USER),
        Page("dossier detail", f"/ho-so/{dossier_id}/", DEPARTMENT_USER),
        Page("report editor", f"/bao-cao/{report_id}/", DEPARTMENT_USER),
        Page("report build (.docx)", f"/bao-cao/{report_id}/tai-ve/docx/", DEPARTMENT_USER),
        Page("province dashboard /", "/", AGGREGATOR_USER),
        Page("province roll-up /tong-hop/", "/tong-hop/", AGGREGATOR_USER),
    ]


def drive(port: int, page: Page, cookies: list[dict[str, str]], clients: int, duration: float) -> Run:
    """`clients` threads request `page` in a loop for `duration` seconds, each on its own kept-alive connection."""
    run = Run(page.name, clients, 0.0)
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    finished: list[float] = []

    def client(index: int) -> None:
        session = Session(port, cookies[index % len(cookies)])
        latencies, statuses, errors = [], {}, 0
        ready.wait()
        deadline = started + duration
        while time.perf_counter() < deadline:
            begun = time.perf_counter()
            try:
                response, _content = session.request("GET", page.path)
            except (OSError, http.client.HTTPException):
                errors += 1
                continue
            latencies.append(time.perf_counter() - begun)
            statuses[response.status] = statuses.get(response.status, 0) + 1
        ended = time.perf_counter()
        session.close()
        with lock:
            run.latencies.extend(latencies)
            run.errors += errors
            for status, count in statuses.items():
                run.statuses[status] = run.statuses.get(status, 0) + count
            finished.append(ended)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    ready.wait()
    for thread in threads:
        thread.join()
    run.seconds = max(finished) - started
    return run


def bench_pages(
    port: int, clients_list: list[int], duration: float, search: str, only: list[str] | None = None
) -> list[Run]:
    """Logs in, finds the pages, warms each once, then drives each at each number of clients."""
    sessions = log_in_sessions(port, [DEPARTMENT_USER, AGGREGATOR_USER], min(SESSIONS_PER_USER, max(clients_list)))
    pages = discover_pages(port, sessions, search)
    if only:
        pages = [p for p in pages if p.path == BARE_PATH or any(word in p.name for word in only)]
    for page in pages:  # warm: imports, caches, first connections; and a page that fails shows it at once
        warm = Session(port, sessions[page.user][0])
        response, _ = warm.request("GET", page.path)
        warm.close()
        print(f"  warm {page.name}: HTTP {response.status}", flush=True)
    runs = []
    for clients in clients_list:
        for page in pages:
            run = drive(port, page, sessions[page.user], clients, duration)
            runs.append(run)
            print(f"  {page.name:<34} {clients:>3} clients {run.rate:9.1f} req/s", flush=True)
    return runs


def table(runs: list[Run]) -> list[dict]:
    bare = {r.clients: r.rate for r in runs if r.page.startswith("bare")}
    rows = []
    for run in runs:
        floor = bare.get(run.clients)
        rows.append(
            {
                "page": run.page,
                "clients": run.clients,
                "requests": len(run.latencies),
                "req_per_s": round(run.rate, 1),
                "p50_ms": round(run.percentile(0.50) * 1000, 1),
                "p99_ms": round(run.percentile(0.99) * 1000, 1),
                "ratio_to_bare": round(run.rate / floor, 3) if floor else None,
                "statuses": {str(k): v for k, v in sorted(run.statuses.items())},
                "errors": run.errors,
            }
        )
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"{'page':<36} {'clients':>7} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'vs bare':>8}  statuses")
    for row in rows:
        ratio = f"{row['ratio_to_bare'] * 100:.1f}%" if row["ratio_to_bare"] is not None else "-"
        errors = f" errors {row['errors']}" if row["errors"] else ""
        print(
            f"{row['page']:<36} {row['clients']:>7} {row['req_per_s']:>9.1f} {row['p50_ms']:>9.1f} "
            f"{row['p99_ms']:>9.1f} {ratio:>8}  {row['statuses']}{errors}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000, help="benchmark dossiers (default 200000)")
    parser.add_argument("--clients", default="1,8,32", help="numbers of concurrent clients (default 1,8,32)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page and number of clients")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite in the data dir)")
    parser.add_argument("--data-dir", default=None, help="keep the data here (default: a fresh temporary dir)")
    parser.add_argument("--server", default="auto", help="passed to cchc serve --server (auto, gunicorn, waitress)")
    parser.add_argument("--workers", type=int, default=None, help="passed to cchc serve --workers")
    parser.add_argument("--search", default="Nguyễn Văn", help="the text searched in the dossier list")
    parser.add_argument("--pages", default="", help="only the pages whose names contain one of these, comma-separated")
    args = parser.parse_args()
    clients_list = [int(c) for c in args.clients.split(",") if c.strip()]
    with tempfile.TemporaryDirectory(prefix="cchc-pages-bench-") as scratch:
        data_dir = Path(args.data_dir or scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = server_env(data_dir, args.database_url)
        database = "postgresql" if args.database_url else "sqlite"
        print(f"building the demo and {args.dossiers:,} dossiers ({database}, data in {data_dir})...", flush=True)
        build_seconds = build_data(env, args.dossiers, quiet=True)
        print(f"built in {build_seconds:.0f} s", flush=True)
        process, port = start_server(env, args.server, args.workers)
        try:
            runs = bench_pages(port, clients_list, args.duration, args.search, [p for p in args.pages.split(",") if p])
        finally:
            process.terminate()
            process.wait(timeout=60)
    rows = table(runs)
    print()
    print_table(rows)
    print(
        json.dumps(
            {
                "bench": "pages",
                "database": database,
                "dossiers": args.dossiers,
                "server": args.server,
                "workers": args.workers,
                "duration_s": args.duration,
                "cores": os.cpu_count(),
                "all_ok": all(r.all_ok for r in runs),
                "results": rows,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
