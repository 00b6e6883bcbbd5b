"""Read a report file into blocks: paragraphs and tables (rows of cells), in document order.

Formats: .docx (python-docx, body paragraphs and tables, footnotes appended), .txt/.md (one line per paragraph; lines
with tab-separated cells are table rows, as the shared samples write them; markdown and HTML remnants are removed),
.pdf (``pdftotext`` from poppler-utils, then read as text).

Layout tables are not data: the two-column header of Nghị định 30/2020 (agency | quốc hiệu) and the signature block
(Nơi nhận | chức vụ, tên) are often Word tables. They are returned as paragraphs, cell by cell, so the metadata reader
sees the same lines whether the header was typed as lines or as a table.

Text pasted from PDF breaks sentences over lines; a line that does not end a sentence and is followed by one that
starts in lower case is joined to it.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cchc.text import fold, nfc

__all__ = ["Block", "ExtractionError", "read_blocks", "text_to_blocks"]

MAX_BYTES = 30 * 1024 * 1024


class ExtractionError(Exception):
    """The file cannot be read as a report; the message is for the user (Vietnamese)."""


@dataclass
class Block:
    kind: str  # "paragraph" or "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)

    @property
    def is_table(self) -> bool:
        return self.kind == "table"


_TAG = re.compile(r"<[^>\n]{0,400}>")
_INLINE_TAG = re.compile(r"</?(?:i|b|em|strong|span|a|u|sup|sub|font)(?:\s[^>\n]{0,300})?>", re.IGNORECASE)
_LI = re.compile(r"<li[^>]*>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(?:p|li|div|tr|h[1-6])>|<br\s*/?>", re.IGNORECASE)
_LINK_TEXT_END = re.compile(r"[\]\n]")
_MD_LINK_URL = re.compile(r"\(([^)\s]*)\)")
_URL_END = re.compile(r"[)\s]")
_AUTOLINK_START = re.compile(r"<(?:https?|ftp|www)")
_AUTOLINK_END = re.compile(r"[>\s]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(?<![\w*])[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b]+")
_SENTENCE_END = re.compile(r"[.:;!?…]\s*$|\./\.$")
_LOWER_START = re.compile(r"^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")
_LIST_START = re.compile(r"^(?:[-+•*–]\s|[0-9]+[.)]\s|[a-zđ][.)]\s|[IVX]+[.)]\s)")
_QUOC_HIEU = "cong hoa xa hoi chu nghia viet nam"
_OPEN_SPACE = re.compile(r"\(\s+")
_SPACE_CLOSE = re.compile(r"\s+\)")


def _md_links(text: str) -> str:
    """Markdown links "[text](url)" -> "text", as _MD_LINK.sub(r"\\1", text) but in one pass: every "[" between a
    failed "[" and the "]" or line end that stopped it fails the same way, so the search goes on after that stop
    (the regex tried each "[" again: a line of brackets took the square of its length)."""
    out: list[str] = []
    pos = 0
    url_fails_until = -1  # a URL scan from before this point reached a space or the end, not ")"
    i = text.find("[")
    while i != -1:
        stop = _LINK_TEXT_END.search(text, i + 1)
        if stop is None:
            break
        q = stop.start()
        if text[q] == "]" and q + 1 > url_fails_until:
            url = _MD_LINK_URL.match(text, q + 1)
            if url:
                out.append(text[pos:i])
                out.append(text[i + 1:q])
                pos = url.end()
                i = text.find("[", pos)
                continue
            if text.startswith("(", q + 1):
                end = _URL_END.search(text, q + 2)
                url_fails_until = end.start() if end else len(text)
        i = text.find("[", q + 1)
    out.append(text[pos:])
    return "".join(out)


def _autolinks(text: str) -> str:
    """"<https://...>" -> "https://...", as re.sub(r"<((?:https?|ftp|www)[^>\\s]*)>", r"\\1", text) in one pass: a
    "<http" that reaches a space first fails, and so does every "<http" after it up to that space."""
    out: list[str] = []
    pos = i = 0
    while True:
        start = _AUTOLINK_START.search(text, i)
        if start is None:
            break
        end = _AUTOLINK_END.search(text, start.end())
        if end is None:
            break
        if text[end.start()] == ">":
            out.append(text[pos:start.start()])
            out.append(text[start.start() + 1:end.start()])
            pos = i = end.end()
        else:
            i = end.start()
    out.append(text[pos:])
    return "".join(out)


def clean_inline(text: str) -> str:
    """One cell or line without markdown/HTML remnants, NFC, single spaces."""
    if not text:
        return ""
    text = nfc(text)
    if "<" in text:
        text = _autolinks(text)
        # No "<li" match ends past the last ">": the rest is left as it is, not scanned again from each "<li".
        cut = text.rfind(">") + 1
        text = _LI.sub("\n", text[:cut]) + text[cut:]
        text = _BLOCK_END.sub("\n", text)
        text = _INLINE_TAG.sub("", text)
        text = _TAG.sub(" ", text)
    if "](" in text:
        text = _md_links(text)
    if "&" in text:
        text = html.unescape(text)
    text = _MD_HEADING.sub("", text)
    if "*" in text or "_" in text:
        text = _MD_EMPHASIS.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def cell_text(text: str) -> str:
    """A table cell on one line: its lines joined by "; " unless a line already ends with punctuation."""
    # Pieces joined once at the end: a cell of thousands of lines stays linear.
    parts: list[str] = []
    last = ""  # the last character of the cell so far ("" while it is empty)
    for line in clean_inline(text).split("\n"):
        line = _OPEN_SPACE.sub("(", _SPACE_CLOSE.sub(")", line))
        if last:
            parts.append(" " if last in ";:.," else "; ")
        parts.append(line)
        last = line[-1:] or (parts[-2][-1:] if len(parts) > 1 else "")
    return "".join(parts)


def _is_row(line: str) -> bool:
    return "\t" in line and bool(line.strip())


def _join_broken(paragraphs: list[str]) -> list[str]:
    """Join a line that stops mid-sentence to a following line that starts in lower case (PDF/page breaks).

    Linear in the text: the pieces of a paragraph are joined once at the end, and whether the paragraph so far ends a
    sentence is asked of its last piece only (the end of "a b" is the end of "b"); growing the joined string and
    searching it from the start at each line made a line repeated thousands of times take minutes."""
    out: list[list[str]] = []
    for text in paragraphs:
        if (
            out
            and text
            and _LOWER_START.match(text)
            and not _ends_sentence(out[-1])
            and not _LIST_START.match(text)
        ):
            out[-1].append(text)
        else:
            out.append([text])
    return [pieces[0] if len(pieces) == 1 else " ".join(pieces) for pieces in out]


def _ends_sentence(pieces: list[str]) -> bool:
    last = pieces[-1]
    if last.strip() or len(pieces) == 1:
        return bool(_SENTENCE_END.search(last))
    return bool(_SENTENCE_END.search(" ".join(pieces)))  # a blank last piece: the callers never pass one


def text_to_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text report: tab-separated lines are table rows; a run of rows (blank lines allowed
    between them, as page breaks leave them) is one table."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        for para in _join_broken(pending):
            blocks.append(Block("paragraph", para))
        pending.clear()

    for raw in text.split("\n"):
        if _is_row(raw):
            cells = [cell_text(c) for c in raw.rstrip("\n").split("\t")]
            if any(cells):
                flush()
                if blocks and blocks[-1].is_table:
                    blocks[-1].rows.append(cells)
                else:
                    blocks.append(Block("table", rows=[cells]))
            continue
        line = clean_inline(raw)
        if not line:
            continue
        for part in line.split("\n"):
            if blocks and blocks[-1].is_table and not pending and not part.strip():
                continue
            pending.append(part)
    flush()
    return blocks


def _docx_blocks(data: bytes) -> list[Block]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a project dependency
        raise ExtractionError("Thiếu thư viện python-docx để đọc tệp .docx.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        raw: list[Block] = []
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                text = Paragraph(child, document).text
                for line in text.split("\n"):
                    raw.append(Block("paragraph", line))
            elif tag == "tbl":
                table = Table(child, document)
                rows: list[list[str]] = []
                for row in table.rows:
                    cells: list[str] = []
                    previous = None
                    for cell in row.cells:
                        # Merged cells repeat in python-docx; keep one copy, an empty cell for the others.
                        same = previous is not None and cell._tc is previous
                        previous = cell._tc
                        cells.append("" if same else cell.text)
                    rows.append(cells)
                raw.append(Block("table", rows=rows))
        footnotes = _docx_footnotes(data)
    except ExtractionError:
        raise
    except Exception as exc:  # python-docx raises many kinds (KeyError, ValueError, lxml errors) on damaged files
        raise ExtractionError("Tệp .docx bị hỏng hoặc không phải tài liệu Word hợp lệ.") from exc

    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        for para in _join_broken(pending):
            blocks.append(Block("paragraph", para))
        pending.clear()

    for block in raw:
        if block.is_table:
            if _is_layout_table(block.rows):
                # Column by column: the left column (agency / Nơi nhận) before the right one.
                ncols = max((len(r) for r in block.rows), default=0)
                for col in range(ncols):
                    for row in block.rows:
                        if col < len(row):
                            pending.extend(x for x in clean_inline(row[col]).split("\n") if x)
                continue
            flush()
            rows = [[cell_text(c) for c in row] for row in block.rows]
            rows = [r for r in rows if any(r)]
            if rows:
                blocks.append(Block("table", rows=rows))
        else:
            pending.extend(x for x in clean_inline(block.text).split("\n") if x)
    pending.extend(footnotes)
    flush()
    return blocks


_W_T = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_W_FOOTNOTE = re.compile(r"<w:footnote\b([^>]*)>(.*?)</w:footnote>", re.DOTALL)


def _docx_footnotes(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            xml = archive.read("word/footnotes.xml").decode("utf-8", "replace")
        except KeyError:
            return []
    notes: list[str] = []
    for attrs, content in _W_FOOTNOTE.findall(xml):
        if 'w:type="separator"' in attrs or 'w:type="continuationSeparator"' in attrs:
            continue
        text = clean_inline(html.unescape("".join(_W_T.findall(content))))
        if text:
            notes.append(text)
    return notes


def _is_layout_table(rows: list[list[str]]) -> bool:
    """The header (agency | quốc hiệu) or signature (Nơi nhận | chức vụ) table of a document."""
    if not rows or len(rows) > 4 or max(len(r) for r in rows) > 3:
        return False
    folded = fold(" ".join(" ".join(r) for r in rows))
    return _QUOC_HIEU in folded or "noi nhan" in folded or bool(re.search(r"(?:^|\s)(?:kt|tm|tl|tuq)\. ", folded))


def _pdf_text(data: bytes) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ExtractionError("Không đọc được tệp PDF: máy chủ thiếu công cụ pdftotext (poppler-utils).")
    try:
        done = subprocess.run(
            # -raw keeps a hyphen that ends a line: Vietnamese words are never hyphenated, so such a hyphen belongs to
            # a document symbol ("34/KH-" + "SKHCN"), which the default mode would glue into "34/KHSKHCN".
            [exe, "-raw", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExtractionError("Không đọc được tệp PDF.") from exc
    if done.returncode != 0:
        raise ExtractionError("Tệp PDF bị hỏng hoặc không đọc được.")
    text = done.stdout.decode("utf-8", "replace")
    if not text.strip():
        raise ExtractionError("Tệp PDF không có lớp chữ (bản quét ảnh); cần nhận dạng chữ (OCR) trước khi đọc.")
    return text


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", "replace")


def read_blocks(source: str | Path | bytes, filename: str | None = None) -> list[Block]:
    """Blocks of the report in `source` (a path or the file's bytes; `filename` names the format for bytes)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ExtractionError("Tệp quá lớn để đọc như một báo cáo.")
            data = path.read_bytes()
        except OSError as exc:
            raise ExtractionError(f"Không mở được tệp {path.name}.") from exc
    else:
        data = bytes(source)
    if len(data) > MAX_BYTES:
        raise ExtractionError("Tệp quá lớn để đọc như một báo cáo.")
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".docx" or (not suffix and data[:2] == b"PK"):
        return _docx_blocks(data)
    if suffix == ".doc":
        raise ExtractionError("Định dạng .doc (Word 97-2003) chưa được hỗ trợ; hãy lưu lại thành .docx.")
    if suffix == ".pdf" or (not suffix and data[:5] == b"%PDF-"):
        return text_to_blocks(_pdf_text(data))
    if suffix in (".txt", ".md", ".markdown", ".text", ""):
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ExtractionError("Tệp không phải văn bản (có dữ liệu nhị phân).")
        return text_to_blocks(decode_text(data))
    raise ExtractionError(f"Định dạng {suffix} không được hỗ trợ; hãy dùng .docx, .pdf, .txt hoặc .md.")
