"""PDF through LibreOffice headless, a bounded number at a time.

One soffice takes 150-200 MB and a CPU core for seconds, so conversions are limited across every thread and every
process sharing the data dir: CCHC_PDF_CONCURRENCY slot files under DATA_DIR/pdf/slots, each held with an exclusive
fcntl lock for the length of one conversion (the kernel releases it when its holder dies, however it dies). At most
CCHC_PDF_QUEUE more requests may wait for a slot (wait-slot files, locked the same way), each for at most
CCHC_PDF_WAIT_SECONDS; any further one is told at once that the server is busy (PdfBusyError), and so is one that
waited that long, so PDF requests cannot pile up and take every server thread.

Each conversion has its own folder under DATA_DIR/pdf/work (the document, LibreOffice's throw-away user profile, the
output; two conversions sharing a profile block each other), named after the owning process and removed in a
`finally`. A process killed mid-conversion cannot run its `finally`: the next conversion removes every folder whose
owner is gone, after killing the LibreOffice processes still working in it. A timeout kills soffice's whole process
group. Times New Roman is replaced by the metric-compatible Liberation Serif when the font itself is not installed,
so line breaks match Word.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_TIMEOUT_SECONDS = 120
_OWNER_FILE = "owner"


class PdfConversionError(RuntimeError):
    """LibreOffice is missing, failed, or took too long."""


class PdfBusyError(PdfConversionError):
    """Every conversion slot stayed taken: the user should try again in a moment."""


def soffice_binary() -> str | None:
    """The LibreOffice executable: $CCHC_SOFFICE, else soffice or libreoffice on PATH."""
    configured = os.environ.get("CCHC_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_root() -> Path:
    return Path(settings.DATA_DIR) / "pdf"


def work_root() -> Path:
    return pdf_root() / "work"


# -- slots ----------------------------------------------------------------------------------------------------------


def _try_lock(path: Path) -> int | None:
    """An open, exclusively locked descriptor of `path`, or None if another holder has it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        # flock locks belong to the open file description: two threads of one process exclude each other too.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _first_free(paths: list[Path]) -> int | None:
    for path in random.sample(paths, len(paths)):  # random order: waiters do not all poll slot 0 first
        fd = _try_lock(path)
        if fd is not None:
            return fd
    return None


def _release(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the descriptor drops the lock


@contextlib.contextmanager
def conversion_slot(wait: float | None = None) -> Iterator[None]:
    """Holds one of CCHC_PDF_CONCURRENCY slots for the block; PdfBusyError if none frees up within `wait` seconds."""
    slots = pdf_root() / "slots"
    slots.mkdir(parents=True, exist_ok=True)
    count = settings.CCHC_PDF_CONCURRENCY
    wait = settings.CCHC_PDF_WAIT_SECONDS if wait is None else wait
    busy = PdfBusyError(
        _(
            "Máy chủ đang bận tạo tệp PDF cho người dùng khác (tối đa %(count)d tệp cùng lúc). "
            "Vui lòng thử lại sau ít phút; tệp .docx vẫn tải được ngay."
        )
        % {"count": count}
    )
    run = [slots / f"run-{i}.lock" for i in range(count)]
    held = _first_free(run)
    if held is None:
        queue_fd = _first_free([slots / f"wait-{i}.lock" for i in range(settings.CCHC_PDF_QUEUE)])
        if queue_fd is None:
            raise busy
        try:
            deadline = time.monotonic() + wait
            while held is None and time.monotonic() < deadline:
                time.sleep(0.1 + random.random() * 0.15)
                held = _first_free(run)
        finally:
            _release(queue_fd)
        if held is None:
            raise busy
    try:
        yield
    finally:
        _release(held)


# -- work folders ---------------------------------------------------------------------------------------------------


def _process_start(pid: int) -> str | None:
    """The start time of process `pid` (clock ticks since boot), to tell it from a later process with the same id."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _owner_alive(folder: Path) -> bool:
    try:
        pid_text, started = (folder / _OWNER_FILE).read_text().split()
        pid = int(pid_text)
    except (OSError, ValueError):
        # No owner file yet: a folder being created this instant, or debris. Give it a minute.
        try:
            return time.time() - folder.stat().st_mtime < 60
        except OSError:
            return False
    return _process_start(pid) == started


def _kill_leftover_processes(folder: Path) -> None:
    """SIGKILL every process still working in `folder` (a soffice orphaned by its killed owner)."""
    marker = str(folder)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in cmdline:
            with contextlib.suppress(OSError):
                os.kill(int(entry.name), signal.SIGKILL)


def sweep_leftovers() -> list[Path]:
    """Removes the work folders of conversions whose process is gone; returns them."""
    root = work_root()
    if not root.is_dir():
        return []
    removed = []
    for folder in root.iterdir():
        if folder.is_dir() and not _owner_alive(folder):
            _kill_leftover_processes(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextlib.contextmanager
def _work_folder() -> Iterator[Path]:
    root = work_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    folder.mkdir()
    try:
        (folder / _OWNER_FILE).write_text(f"{os.getpid()} {_process_start(os.getpid())}")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- conversion -----------------------------------------------------------------------------------------------------


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def to_pdf(docx_bytes: bytes, *, timeout: float = DEFAULT_TIMEOUT_SECONDS, wait: float | None = None) -> bytes:
    """Convert .docx bytes to PDF bytes with LibreOffice headless.

    Waits at most `wait` seconds (default CCHC_PDF_WAIT_SECONDS) for a conversion slot, then raises PdfBusyError.
    """
    binary = soffice_binary()
    if binary is None:
        raise PdfConversionError(
            _(
                "Không tìm thấy LibreOffice (lệnh soffice) để chuyển văn bản sang PDF. "
                "Hãy cài gói libreoffice-writer và phông fonts-liberation (scripts/setup.sh)."
            )
        )
    with conversion_slot(wait):
        sweep_leftovers()
        with _work_folder() as work:
            return _convert(binary, docx_bytes, work, timeout)


def _convert(binary: str, docx_bytes: bytes, work: Path, timeout: float) -> bytes:
    source = work / "document.docx"
    source.write_bytes(docx_bytes)
    command = [
        binary,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(work),
        str(source),
    ]
    env = {**os.environ, "HOME": str(work), "TMPDIR": str(work), "SAL_USE_VCLPLUGIN": "svp"}
    # A new session (process group) so that a timeout ends soffice and the helpers it starts, and nothing else.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work, start_new_session=True
    )
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise PdfConversionError(
            _("LibreOffice không chuyển xong văn bản sang PDF trong %(seconds)s giây.") % {"seconds": int(timeout)}
        ) from None
    except BaseException:  # interrupted (KeyboardInterrupt, SystemExit): leave no soffice behind
        _kill_group(process)
        raise
    target = work / "document.pdf"
    if process.returncode != 0 or not target.exists():
        detail = err.decode("utf-8", "replace").strip()[-500:]
        raise PdfConversionError(
            _("LibreOffice không chuyển được văn bản sang PDF (mã lỗi %(code)s): %(detail)s")
            % {"code": process.returncode, "detail": detail}
        )
    return target.read_bytes()
