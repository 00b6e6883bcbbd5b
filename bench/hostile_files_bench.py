"""Benchmark: the server's and the command line's memory when fed a hostile .xlsx (a decompression bomb).

    .venv/bin/python bench/hostile_files_bench.py [--port 8765] [--keep]

Builds two real zip bombs with zipfile (tests/hostile_files.py): a 257 KB and a 1 MB .xlsx whose shared strings
inflate about 1000 times (the probe took the server from 171 MiB to 3.2 GiB with the first, the command line to
12.2 GiB with the second). Then, in a temporary data directory (SQLite): `cchc migrate`, `cchc demo`, starts
`cchc serve`, logs in as the demo's one-stop desk user (skhcn.motcua), uploads each file to the dossier import page
(Hồ sơ → Nhập từ tệp) and reads the server's peak resident memory (VmHWM in /proc) after each upload; and runs
`cchc import-dossiers FILE --agency SKHCN` on each file, reading its peak memory from wait4(). Prints the figures
and ends with one JSON line. Goal: the server stays under 300 MiB.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the hostile files are made by the tests' generator

import hostile_files  # noqa: E402

GOAL_MIB = 300
DESK_USER, PASSWORD = "skhcn.motcua", "demo1234"
SIZES = {"257KB": 257 * 1024, "1MB": 1024 * 1024}


def mib(kib: float) -> float:
    return round(kib / 1024, 1)


def peak_kib(pid: int) -> int:
    """VmHWM: the process's peak resident set since it started."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))


def cchc(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "cchc.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=check)


def run_measured(env: dict[str, str], *args: str) -> tuple[int, int, str]:
    """(exit code, peak RSS in KiB, stderr) of `cchc args...`."""
    with tempfile.TemporaryFile(mode="w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "cchc.cli", *args], env=env, stdout=subprocess.DEVNULL, stderr=err, text=True
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return process.returncode, usage.ru_maxrss, err.read()


class Browser:
    """Just enough of a browser: cookies, the CSRF token of each form, multipart uploads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=600) as response:
            return response.read().decode("utf-8")

    @staticmethod
    def token(page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, path: str, fields: dict[str, str], file: tuple[str, str, bytes] | None = None) -> tuple[int, str]:
        if file is None:
            body = urllib.parse.urlencode(fields).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                for name, value in fields.items()
            ]
            field_name, file_name, content = file
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{file_name}"\r\n'
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
            parts.append(f"--{boundary}--\r\n".encode())
            body, kind = b"".join(parts), f"multipart/form-data; boundary={boundary}"
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Content-Type": kind, "Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=600) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")


def wait_for(url: str, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"cchc serve stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("cchc serve did not answer")


def message_of(page: str) -> str:
    found = re.search(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', page, re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip() if found else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="cchc-hostile-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CCHC_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="cchc.settings")
    files: dict[str, Path] = {}
    for label, size in SIZES.items():
        started = time.perf_counter()
        path = data_dir / f"bom-{label}.xlsx"
        path.write_bytes(hostile_files.zip_bomb_of_size(size))
        inflated = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
        print(
            f"hostile file {path.name}: {path.stat().st_size / 1024:.0f} KB, inflates to {inflated / 2**20:.0f} MiB "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        files[label] = path

    started = time.perf_counter()
    cchc(env, "migrate", "--no-input", "-v", "0")
    cchc(env, "demo")
    print(f"demo database built in {time.perf_counter() - started:.0f} s ({data_dir})")

    server = subprocess.Popen(
        [sys.executable, "-m", "cchc.cli", "serve", "--port", str(args.port), "--no-collectstatic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    results: dict[str, dict] = {"server": {}, "command_line": {}}
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait_for(base + "/dang-nhap/", server)
        browser = Browser(base)
        login = browser.get("/dang-nhap/")
        status, _page = browser.post(
            "/dang-nhap/", {"csrfmiddlewaretoken": browser.token(login), "username": DESK_USER, "password": PASSWORD}
        )
        page = browser.get("/ho-so/nhap-tu-tep/")  # logged in, and the page's code loaded once
        baseline = peak_kib(server.pid)
        results["server"]["baseline_mib"] = mib(baseline)
        print(f"server (pid {server.pid}) after log-in and one visit of the import page: peak {mib(baseline)} MiB")
        for label, path in files.items():
            page = browser.get("/ho-so/nhap-tu-tep/")
            started = time.perf_counter()
            form = {"csrfmiddlewaretoken": browser.token(page)}
            status, answer = browser.post("/ho-so/nhap-tu-tep/", form, ("file", path.name, path.read_bytes()))
            seconds = time.perf_counter() - started
            peak = peak_kib(server.pid)
            shown = message_of(answer)
            results["server"][label] = {"status": status, "peak_mib": mib(peak), "seconds": round(seconds, 2)}
            print(f"  upload {path.name}: HTTP {status} in {seconds:.2f} s, server peak {mib(peak)} MiB")
            print(f"    page says: {shown or '(no message)'}")
    finally:
        server.terminate()
        server.wait(30)

    for label, path in files.items():
        code, peak, err = run_measured(env, "import-dossiers", str(path), "--agency", "SKHCN", "--province", "H45")
        last = err.strip().splitlines()[-1] if err.strip() else ""
        results["command_line"][label] = {"exit_code": code, "peak_mib": mib(peak)}
        print(f"  cchc import-dossiers {path.name}: exit {code}, peak {mib(peak)} MiB")
        print(f"    says: {last}")

    server_peak = max(v["peak_mib"] for k, v in results["server"].items() if k != "baseline_mib")
    results.update(goal_mib=GOAL_MIB, server_peak_mib=server_peak, met=server_peak < GOAL_MIB)
    print(f"server peak {server_peak} MiB against the goal of {GOAL_MIB} MiB: {'met' if results['met'] else 'NOT met'}")
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
