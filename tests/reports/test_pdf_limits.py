"""PDF conversions are bounded across threads and processes, answer "busy" instead of piling up, and leave nothing
behind, not even when the converting process is killed. Real LibreOffice, real processes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import docx
import pytest
from django.urls import reverse

from cchc.reports.rendering import pdf
from cchc.reports.rendering.pdf import PdfBusyError, conversion_slot, to_pdf, work_root

SRC = Path(__file__).resolve().parents[2] / "src"

pytestmark = pytest.mark.skipif(pdf.soffice_binary() is None, reason="LibreOffice (soffice) is not installed")


def small_docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def conversions_running(root: Path) -> set[str]:
    """The work folders under `root` in which a LibreOffice process (soffice, oosplash, soffice.bin) runs now."""
    marker = str(root) + os.sep
    running = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        for part in cmdline:
            if part.startswith("-env:UserInstallation=") and marker in part:
                running.add(part.split(marker, 1)[1].split("/", 1)[0])
    return running


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    # Slot locks and work folders live in the data dir: one of this test's own, shared with its child processes.
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


class PeakWatcher(threading.Thread):
    def __init__(self, root: Path) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak = 0
        self.seen: set[str] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            running = conversions_running(self.root)
            self.seen |= running
            self.peak = max(self.peak, len(running))
            time.sleep(0.02)


_CHILD = """
import sys, django
django.setup()
from cchc.reports.rendering.pdf import to_pdf
source, target = sys.argv[1], sys.argv[2]
open(target, "wb").write(to_pdf(open(source, "rb").read()))
"""


def child_env(settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(SRC),
        DJANGO_SETTINGS_MODULE="cchc.settings",
        CCHC_DATA_DIR=str(settings.DATA_DIR),
        CCHC_PDF_CONCURRENCY=str(settings.CCHC_PDF_CONCURRENCY),
        CCHC_PDF_QUEUE=str(settings.CCHC_PDF_QUEUE),
        CCHC_PDF_WAIT_SECONDS=str(settings.CCHC_PDF_WAIT_SECONDS),
    )
    env.update(extra)
    return env


def test_six_conversions_from_threads_and_processes_never_run_more_than_the_limit(settings, tmp_path):
    settings.CCHC_PDF_CONCURRENCY = 2
    settings.CCHC_PDF_QUEUE = 6
    settings.CCHC_PDF_WAIT_SECONDS = 300
    watcher = PeakWatcher(work_root())
    watcher.start()
    results: dict[str, bytes | Exception] = {}

    def convert(name: str) -> None:
        try:
            results[name] = to_pdf(small_docx(f"Báo cáo thử {name}"))
        except Exception as exc:  # reported below with the others
            results[name] = exc

    threads = [threading.Thread(target=convert, args=(f"luong-{n}",)) for n in range(3)]
    children = []
    for n in range(3):
        source = tmp_path / f"tien-trinh-{n}.docx"
        source.write_bytes(small_docx(f"Báo cáo thử tiến trình {n}"))
        command = [sys.executable, "-c", _CHILD, str(source), str(tmp_path / f"tien-trinh-{n}.pdf")]
        children.append(subprocess.Popen(command, env=child_env(settings), stderr=subprocess.PIPE))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    errors = [child.communicate(timeout=300)[1].decode()[-1000:] for child in children]
    watcher.stop.set()
    watcher.join()
    assert [child.returncode for child in children] == [0, 0, 0], errors
    for name, result in results.items():
        assert isinstance(result, bytes) and result.startswith(b"%PDF"), (name, result)
    for n in range(3):
        assert (tmp_path / f"tien-trinh-{n}.pdf").read_bytes().startswith(b"%PDF")
    assert len(watcher.seen) == 6, "every conversion was seen running"
    assert 1 <= watcher.peak <= 2, f"{watcher.peak} LibreOffice conversions ran at once"
    assert list(work_root().iterdir()) == [], "each conversion removed its folder"


def test_a_request_finding_every_slot_taken_is_told_the_server_is_busy(settings):
    settings.CCHC_PDF_CONCURRENCY = 1
    settings.CCHC_PDF_QUEUE = 1
    settings.CCHC_PDF_WAIT_SECONDS = 1
    with conversion_slot():
        started = time.monotonic()
        with pytest.raises(PdfBusyError, match="Máy chủ đang bận tạo tệp PDF"):
            to_pdf(small_docx("chờ"))
        waited = time.monotonic() - started
        assert 0.9 <= waited < 10, "it waited for a slot, but not without bound"
        # A waiter already queued: the next one is answered at once.
        settings.CCHC_PDF_QUEUE = 0
        started = time.monotonic()
        with pytest.raises(PdfBusyError):
            to_pdf(small_docx("không chờ"))
        assert time.monotonic() - started < 0.5
    settings.CCHC_PDF_QUEUE = 1
    assert to_pdf(small_docx("đã rảnh")).startswith(b"%PDF")


def test_the_report_page_says_busy_in_vietnamese(client, settings, agency, officer):
    from cchc.reports import services

    settings.CCHC_PDF_CONCURRENCY = 1
    settings.CCHC_PDF_QUEUE = 0
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    client.force_login(officer)
    with conversion_slot():
        response = client.get(reverse("reports:download", args=[report.pk, "pdf"]), follow=True)
    body = response.content.decode()
    assert "Không tạo được tệp PDF: Máy chủ đang bận tạo tệp PDF" in body


def test_a_conversion_killed_mid_way_is_cleaned_up_by_the_next(settings, tmp_path):
    source = tmp_path / "bi-dung.docx"
    source.write_bytes(small_docx("Chuyển đổi bị dừng giữa chừng"))
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(source), str(tmp_path / "bi-dung.pdf")], env=child_env(settings)
    )
    try:
        deadline = time.monotonic() + 60
        while not conversions_running(work_root()) and time.monotonic() < deadline:
            time.sleep(0.02)
        left = conversions_running(work_root())
        assert left, "the conversion started"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    (folder,) = [work_root() / name for name in left]
    assert folder.is_dir(), "a killed conversion cannot remove its own folder"

    assert to_pdf(small_docx("Chuyển đổi kế tiếp")).startswith(b"%PDF")
    assert not folder.exists(), "the next conversion removed the dead one's folder"
    assert not conversions_running(work_root()), "and ended the LibreOffice it had left running"
    assert list(work_root().iterdir()) == []


def test_a_timeout_kills_the_whole_libreoffice_process_group(settings, tmp_path, monkeypatch):
    # A stand-in soffice that starts a helper and hangs: the helper must die with it.
    helper_pid = tmp_path / "helper.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {helper_pid}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CCHC_SOFFICE", str(fake))
    with pytest.raises(pdf.PdfConversionError, match="trong 1 giây"):
        to_pdf(small_docx("treo"), timeout=1)
    pid = int(helper_pid.read_text())
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "Z":
            break
        time.sleep(0.05)
    alive = Path(f"/proc/{pid}").exists() and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    assert not alive, "the helper process was killed with soffice"
    assert list(work_root().iterdir()) == []
