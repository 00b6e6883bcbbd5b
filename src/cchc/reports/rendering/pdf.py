"""PDF through LibreOffice headless.

Each conversion runs soffice with its own throw-away user profile: two conversions sharing a profile block each other
(LibreOffice locks it), so concurrent requests or test workers would otherwise fail or hang. Times New Roman is
replaced by the metric-compatible Liberation Serif when the font itself is not installed, so line breaks match Word.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

DEFAULT_TIMEOUT_SECONDS = 120


class PdfConversionError(RuntimeError):
    """LibreOffice is missing, failed, or took too long."""


def soffice_binary() -> str | None:
    """The LibreOffice executable: $CCHC_SOFFICE, else soffice or libreoffice on PATH."""
    configured = os.environ.get("CCHC_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_bytes: bytes, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """Convert .docx bytes to PDF bytes with LibreOffice headless."""
    binary = soffice_binary()
    if binary is None:
        raise PdfConversionError(
            _(
                "Không tìm thấy LibreOffice (lệnh soffice) để chuyển văn bản sang PDF. "
                "Hãy cài gói libreoffice-writer và phông fonts-liberation (scripts/setup.sh)."
            )
        )
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as workdir:
        work = Path(workdir)
        source = work / "document.docx"
        source.write_bytes(docx_bytes)
        profile = work / "profile"
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
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
        env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
        # A new session so that a timeout can end soffice and the helper processes it starts, and nothing else.
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work, start_new_session=True
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionError(
                _("LibreOffice không chuyển xong văn bản sang PDF trong %(seconds)s giây.") % {"seconds": int(timeout)}
            ) from None
        target = work / "document.pdf"
        if process.returncode != 0 or not target.exists():
            detail = err.decode("utf-8", "replace").strip()[-500:]
            raise PdfConversionError(
                _("LibreOffice không chuyển được văn bản sang PDF (mã lỗi %(code)s): %(detail)s")
                % {"code": process.returncode, "detail": detail}
            )
        return target.read_bytes()
