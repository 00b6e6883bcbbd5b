"""What a file is, from its first bytes: a workbook (.xlsx), an old binary Excel file, a text table (and in which
Unicode form), or something else; and the binary stream behind a path, bytes, a file object or an upload."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from .common import TableFileError

HEAD_BYTES = 8192
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls, and password-protected workbooks
_BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x05\x06", b"PK\x07\x08", b"\x1f\x8b", b"Rar!")

XLSX = "xlsx"
CSV = "csv"
XLS = "xls"
BINARY = "binary"
EMPTY = "empty"


def as_binary(source: Any) -> tuple[BinaryIO, str, bool]:
    """(seekable binary stream, file name for messages, whether the caller must close the stream)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source)), "", True
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            return path.open("rb"), path.name, True
        except OSError as exc:
            raise TableFileError(
                _("Không đọc được tệp %(name)s: %(reason)s.") % {"name": path.name, "reason": _os_reason(exc)}
            ) from exc
    name = Path(getattr(source, "name", "") or "").name
    if hasattr(source, "open") and hasattr(source, "chunks"):  # a Django UploadedFile
        source.open("rb")
        source = getattr(source, "file", source)
    if isinstance(source, io.TextIOBase):
        return io.BytesIO(source.read().encode("utf-8")), name, True
    try:
        source.seek(0)
    except (AttributeError, OSError, ValueError):
        # Not seekable (a pipe): the readers need to go back to the start, so take the bytes.
        return io.BytesIO(source.read()), name, True
    return source, name, False


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return _("không có tệp này")
    if isinstance(exc, PermissionError):
        return _("không có quyền đọc tệp")
    if isinstance(exc, IsADirectoryError):
        return _("đây là một thư mục")
    return _("lỗi khi đọc ổ đĩa")


def read_head(stream: BinaryIO) -> bytes:
    try:
        stream.seek(0)
        head = stream.read(HEAD_BYTES)
        stream.seek(0)
    except (OSError, ValueError, AttributeError) as exc:
        raise TableFileError(_("Không đọc được tệp.")) from exc
    if isinstance(head, str):  # a text stream opened by the caller
        raise TableFileError(_("Không đọc được tệp: hãy mở tệp ở chế độ nhị phân."))
    return head


def utf16_kind(head: bytes) -> str | None:
    """'utf-16' with a byte-order mark (Excel's "Unicode Text"); 'utf-16-le'/'utf-16-be' for text without one
    whose every other byte is zero (plain Latin text in UTF-16); None otherwise."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:512]
    if len(sample) < 8:
        return None
    # Half the characters or more are ASCII even in Vietnamese text: their high byte is zero, never their low one.
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.5 * len(odd) and 0 not in even:
        return "utf-16-le"
    if even.count(0) >= 0.5 * len(even) and 0 not in odd:
        return "utf-16-be"
    return None


def _binary(head: bytes) -> bool:
    """NUL bytes in plenty, or bytes that are not text: a binary file. A text with a stray NUL is still a text (the
    CSV reader then names the line of the NUL)."""
    nul = head.count(0)
    if not nul:
        return False
    if nul * 100 > len(head):
        return True
    text = head.decode("utf-8", errors="replace")
    return text.count("\ufffd") * 100 > len(text)


def kind_of(head: bytes) -> str:
    """XLSX, CSV, XLS, BINARY or EMPTY, from the first bytes of a file."""
    if not head.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        return EMPTY
    if head.startswith(ZIP_MAGIC):
        return XLSX
    if head.startswith(OLE_MAGIC):
        return XLS
    if head.startswith(_BINARY_MAGICS):
        return BINARY
    if utf16_kind(head):
        return CSV
    if _binary(head):
        return BINARY
    return CSV


def kind_message(kind: str, name: str) -> str | None:
    """The Vietnamese refusal for a file that is no table at all, else None."""
    if kind == EMPTY:
        return _("Tệp rỗng.")
    if kind == XLS:
        return _(
            "Tệp Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu không được hỗ trợ: hãy mở bằng Excel, bỏ mật "
            "khẩu nếu có và lưu lại dưới dạng .xlsx hoặc .csv."
        )
    if kind == BINARY:
        return _("Tệp %(name)s không phải tệp CSV hay bảng tính .xlsx.") % {"name": name or _("đã chọn")}
    return None


def upload_problem(upload: Any, suffix: str) -> str | None:
    """For an upload form: the Vietnamese message when the content does not match the extension (.csv or .xlsx),
    else None. UTF-16 text is a CSV like any other."""
    stream, _name, _own = as_binary(upload)
    kind = kind_of(read_head(stream))
    if kind == EMPTY:
        return _("Tệp rỗng.")
    if suffix == ".xlsx" and kind != XLSX:
        return _("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")
    if suffix == ".csv" and kind != CSV:
        return _("Tệp không phải tệp văn bản CSV (có thể là bảng tính Excel đổi tên).")
    return None
