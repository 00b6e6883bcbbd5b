"""A CSV file, streamed record by record, with every way a text file can be broken turned into one clear message.

- Encoding: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode Text", with a BOM or plain Latin text without),
  else Windows-1258 (older Vietnamese Excel). Chosen in one pass over the file, which also counts the lines (for
  progress) and finds a NUL character: a file with one is refused before any row is read, naming the line.
- Delimiter: comma, semicolon, tab or bar; the one under which the caller recognises its header best (or, without
  a header test, the most frequent one in the first lines).
- Bounds: a physical line longer than Limits.max_line_chars is skipped (read in pieces, never held whole) and its
  record is a RowDefect; so is a cell longer than Excel's 32,767 characters or a record with too many cells. The csv
  module's own field limit (131,072 by default) would otherwise stop the whole file.
- An unclosed quote makes the csv module swallow the following lines into one cell. A record that spans many lines,
  or whose cell holds whole lines that look like rows, is a RowDefect naming the lines it swallowed.
- A cell exported as text with a leading apostrophe ("'=SUM(A1)", see cells.py) reads back without it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _

from .cells import looks_like_formula
from .common import Limits, Row, RowDefect, Table, TableFileError
from .sniff import utf16_kind

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_CHARS = 64 * 1024
HEADER_SEARCH_RECORDS = 20
# A record spanning more lines than this is an unclosed quote, not a cell with line breaks.
MAX_RECORD_LINES = 100
_OVERLONG = "\x00cchc:dong-qua-dai\x00"  # stands for a skipped line; a real line never holds NUL (refused)
_CHUNK = 1 << 20


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _nul_error(name: str, line: int) -> TableFileError:
    return TableFileError(
        _(
            "Tệp CSV %(name)s có ký tự NUL (mã 0) ở dòng %(line)s: tệp bị hỏng hoặc không phải tệp văn bản. Không dòng "
            "nào được nhập; hãy xuất lại tệp từ phần mềm gốc."
        )
        % {"name": name, "line": _number(line)}
    )


def scan(stream: BinaryIO, head: bytes, name: str) -> tuple[str, int]:
    """(text encoding, number of lines), reading the whole file once; refuses a file with a NUL character."""
    utf16 = utf16_kind(head)
    lines = 0
    if utf16:
        decoder = codecs.getincrementaldecoder(utf16)("strict")
        read = 0
        while True:
            chunk = stream.read(_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                stream.seek(0)
                raise TableFileError(
                    _("Tệp CSV %(name)s không đọc được theo bảng mã UTF-16 (hỏng ở khoảng byte %(offset)s).")
                    % {"name": name, "offset": _number(read + exc.start)}
                ) from exc
            read += len(chunk)
            at = text.find("\x00")
            if at >= 0:
                stream.seek(0)
                raise _nul_error(name, lines + text.count("\n", 0, at) + 1)
            lines += text.count("\n")
            if not chunk:
                break
        stream.seek(0)
        return utf16, lines
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        at = chunk.find(b"\x00")
        if at >= 0:
            stream.seek(0)
            raise _nul_error(name, lines + chunk.count(b"\n", 0, at) + 1)
        lines += chunk.count(b"\n")
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False  # the file ends inside a multi-byte character
    stream.seek(0)
    # Older Vietnamese Windows exports (Excel "CSV" on a Vietnamese system).
    return ("utf-8-sig" if utf8 else "cp1258"), lines


def _sample(stream: BinaryIO, encoding: str) -> str:
    data = stream.read(SAMPLE_CHARS)
    stream.seek(0)
    return data.decode(encoding, errors="ignore")


def choose_delimiter(sample: str, header_score: Callable[[list[str]], int] | None) -> str:
    """The delimiter under which the caller's header test scores best; else the most frequent one."""
    lines = [line for line in sample.splitlines()[:HEADER_SEARCH_RECORDS] if line.strip()][:5]
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    by_count = sorted(DELIMITERS, key=lambda d: -counts[d])
    if header_score is not None:
        best, best_score = None, 0
        for delimiter in by_count:
            score = 0
            try:
                reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
                for number, record in enumerate(reader, start=1):
                    score = max(score, header_score(record))
                    if number >= HEADER_SEARCH_RECORDS:
                        break
            except csv.Error:
                pass
            if score > best_score:
                best, best_score = delimiter, score
        if best is not None:
            return best
    return by_count[0] if counts[by_count[0]] else ","


class _Lines:
    """Physical lines for the csv module, each at most `limit` characters: a longer line is read in pieces,
    dropped, and replaced by a marker so that its record can be reported."""

    def __init__(self, text: io.TextIOBase, limit: int, name: str) -> None:
        self.text, self.limit, self.name = text, limit, name
        self.number = 0
        self.chars = 0
        self.overlong: list[int] = []
        self.apostrophe = False  # a line since the last record holds "'" (an exported text marker, maybe)

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) >= self.limit and line[-1] not in "\r\n":
            while True:
                more = self.text.readline(self.limit)
                if not more or more[-1] in "\r\n":
                    break
            self.overlong.append(self.number)
            return _OVERLONG + "\n"
        if "\x00" in line:  # scan() refuses these; a file changed since would be caught here
            raise _nul_error(self.name, self.number)
        self.chars += len(line)
        if "'" in line:
            self.apostrophe = True
        return line


def _unclosed(start: int, end: int) -> str:
    return _(
        "Dấu ngoặc kép mở ở dòng %(start)s của tệp không được đóng: các dòng %(start)s–%(end)s bị gộp thành một ô. "
        "Hãy sửa dấu ngoặc kép rồi nhập lại các dòng này."
    ) % {"start": _number(start), "end": _number(end)}


def _swallowed(fields: list[str], delimiter: str, width: int, span: int) -> bool:
    """Does this multi-line record hold whole rows in one cell (an unclosed quote) rather than a cell with line
    breaks? Yes when it spans very many lines, or when a line inside a cell has as many delimiters as a row."""
    if span > MAX_RECORD_LINES:
        return True
    threshold = max(3, width - 1)
    for value in fields:
        if "\n" in value or "\r" in value:
            for line in value.splitlines()[1:]:
                if line.count(delimiter) >= threshold:
                    return True
    return False


def _records(lines: _Lines, delimiter: str, limits: Limits) -> Iterator[Row]:
    reader = csv.reader(lines, delimiter=delimiter)
    max_chars, max_columns, max_rows = limits.max_cell_chars, limits.max_columns, limits.max_rows
    record = 0
    width = 0  # the widest one-line record so far (the header, usually)
    while True:
        start, chars, overlong = lines.number + 1, lines.chars, len(lines.overlong)
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The csv module gave up on this record (a cell past its field limit): most often an unclosed quote.
            record += 1
            end = lines.number
            message = (
                _unclosed(start, end)
                if end > start
                else _("Dòng %(line)s của tệp không đọc được theo định dạng CSV.") % {"line": _number(start)}
            )
            yield record, RowDefect(message)
            continue
        record += 1
        if record > max_rows:
            raise TableFileError(
                _("Tệp CSV %(name)s có hơn %(limit)s dòng; hãy chia tệp rồi nhập từng phần.")
                % {"name": lines.name, "limit": _number(max_rows)}
            )
        end = lines.number
        if len(lines.overlong) > overlong:
            yield (
                record,
                RowDefect(
                    _("Dòng %(line)s của tệp dài hơn %(limit)s ký tự, không phải một dòng của bảng: dòng bị bỏ qua.")
                    % {"line": _number(lines.overlong[overlong]), "limit": _number(limits.max_line_chars)}
                ),
            )
            continue
        if end > start and _swallowed(fields, delimiter, width, end - start + 1):
            yield record, RowDefect(_unclosed(start, end), tuple(fields))
            continue
        if end == start and len(fields) > width:
            width = min(len(fields), max_columns)
        if len(fields) > max_columns:
            yield (
                record,
                RowDefect(
                    _("Dòng có %(count)s ô, vượt giới hạn %(limit)s cột.")
                    % {"count": _number(len(fields)), "limit": _number(max_columns)},
                    tuple(fields[:max_columns]),
                ),
            )
            continue
        if lines.chars - chars > max_chars:
            longest = max(range(len(fields)), key=lambda i: len(fields[i]))
            if len(fields[longest]) > max_chars:
                yield (
                    record,
                    RowDefect(
                        _("Ô ở cột thứ %(column)s dài %(length)s ký tự, vượt giới hạn %(limit)s ký tự của một ô.")
                        % {
                            "column": _number(longest + 1),
                            "length": _number(len(fields[longest])),
                            "limit": _number(max_chars),
                        },
                        tuple(fields),
                    ),
                )
                continue
        if lines.apostrophe:
            lines.apostrophe = False
            fields = [f[1:] if f[:1] == "'" and looks_like_formula(f[1:]) else f for f in fields]
        yield record, fields


def open_csv(
    stream: BinaryIO,
    name: str,
    head: bytes,
    limits: Limits,
    header_score: Callable[[list[str]], int] | None,
    close_stream: Callable[[], None],
) -> Table:
    encoding, line_count = scan(stream, head, name)
    delimiter = choose_delimiter(_sample(stream, encoding), header_score)
    if csv.field_size_limit() < limits.max_line_chars + 1:
        # Process-wide, and only ever raised: our own bounds (lines, cells) are checked above.
        csv.field_size_limit(limits.max_line_chars + 1)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    lines = _Lines(text, limits.max_line_chars, name)

    def close() -> None:
        try:
            text.detach()
        except ValueError:
            pass
        close_stream()

    table = Table(name=name, kind="csv", rows=_records(lines, delimiter, limits), closer=close, encoding=encoding)
    table.total_rows = line_count or None
    return table
