"""The first worksheet of an .xlsx file, streamed row by row with bounded memory, whatever the file holds.

An .xlsx is a zip of XML parts; a few hundred kilobytes can inflate to gigabytes (a "zip bomb"). Before anything is
inflated: the zip's central directory is read for the number of entries, and every part we will read is checked for
its declared size and compression ratio (Limits). While reading, the inflated bytes are counted, since a declared
size can lie. Then the parts are parsed incrementally (lxml iterparse, no DTD, no entity expansion) and every element
is dropped from the tree once read, so memory does not grow with the sheet:

- the worksheet: rows are yielded one at a time; the declared dimension is checked against the row and column bounds
  before the first row, and each row as it streams (a cell past the column bound or longer than Excel allows makes
  the row a RowDefect; a row past the row bound stops the file);
- the shared strings (the only part held in memory) are packed into one UTF-8 buffer with offsets;
- the styles are only read for which cell formats are dates.

Why not openpyxl's read-only worksheet: it holds the shared strings as Python objects (17 bytes of XML become ~60
bytes), keeps a dictionary per row that has a height or a style, keeps every parsed row element in the tree, and
builds a whole stylesheet of objects: all of which a small hostile file inflates without bound. Cell values are
converted with openpyxl's own helpers (dates, numbers, the date formats), so values are those openpyxl's
`load_workbook(read_only=True, data_only=True)` gives.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from cchc.text import fold

from .common import Limits, MiB, Row, RowDefect, SheetMissing, Table, TableFileError

_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_REL_ATTR = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)


def _tags(local: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{local}" for ns in _MAIN)


_C, _ROW, _V, _IS, _T, _R = (_tags(n) for n in ("c", "row", "v", "is", "t", "r"))
_SI, _DIMENSION, _XF, _CELL_XFS, _NUM_FMT = (_tags(n) for n in ("si", "dimension", "xf", "cellXfs", "numFmt"))
_SHEET, _WORKBOOK_PR = _tags("sheet"), _tags("workbookPr")
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_EOCD = struct.Struct("<4s4H2IH")
_SMALL_PART = 1 * MiB  # parts this small may have any compression ratio
_MAX_NUMBER_FORMATS = 10_000  # Excel keeps a few hundred custom number formats at most


def broken_workbook(name: str) -> TableFileError:
    return TableFileError(
        _("Không đọc được tệp Excel %(name)s: tệp bị hỏng, chưa tải lên trọn vẹn hoặc không phải bảng tính .xlsx.")
        % {"name": name}
    )


def _too_big(name: str, part: str, limit: int) -> TableFileError:
    return TableFileError(
        _(
            "Tệp Excel %(name)s bị từ chối: phần “%(part)s” giải nén ra hơn %(limit)s MB, vượt giới hạn (có thể là tệp "
            "độc hại). Hãy lưu dưới dạng .csv hoặc chia nhỏ tệp rồi nhập lại."
        )
        % {"name": name, "part": part, "limit": _number(limit // MiB)}
    )


def _too_compressed(name: str, part: str, ratio: int) -> TableFileError:
    return TableFileError(
        _(
            "Tệp Excel %(name)s bị từ chối: phần “%(part)s” được nén tới %(ratio)s lần, điều không có ở một bảng tính "
            "thật (có thể là tệp độc hại, “bom giải nén”)."
        )
        % {"name": name, "part": part, "ratio": _number(ratio)}
    )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class _CountedPart:
    """A zip member being inflated, refusing to give more than `limit` bytes, and turning zip and zlib failures into
    the one broken-file message."""

    def __init__(self, raw, name: str, part: str, limit: int) -> None:
        self.raw, self.name, self.part, self.limit, self.count = raw, name, part, limit, 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = 64 * 1024
        try:
            data = self.raw.read(min(size, self.limit + 1 - self.count))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
            raise broken_workbook(self.name) from exc
        self.count += len(data)
        if self.count > self.limit:
            raise _too_big(self.name, self.part, self.limit)
        return data

    def close(self) -> None:
        self.raw.close()


def _central_directory_entries(stream: BinaryIO) -> int | None:
    """The entry count of the zip's end-of-central-directory record (None when there is none: not a whole zip)."""
    stream.seek(0, 2)
    size = stream.tell()
    tail_size = min(size, _EOCD.size + 65535)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    fields = _EOCD.unpack_from(tail, at)
    return max(fields[3], fields[4])


class _Archive:
    """The zip container, checked before any part is inflated."""

    def __init__(self, stream: BinaryIO, name: str, limits: Limits) -> None:
        self.name, self.limits = name, limits
        entries = _central_directory_entries(stream)
        if entries is None:
            raise broken_workbook(name)
        if entries >= min(limits.max_members, 0xFFFF):
            raise TableFileError(
                _(
                    "Tệp Excel %(name)s bị từ chối: có hơn %(limit)s phần bên trong, không phải một bảng tính bình "
                    "thường."
                )
                % {"name": name, "limit": _number(limits.max_members)}
            )
        try:
            self.zip = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise broken_workbook(name) from exc
        self.members = {info.filename: info for info in self.zip.infolist()}

    def has(self, path: str) -> bool:
        return path in self.members

    def open(self, path: str, limit: int) -> _CountedPart:
        info = self.members.get(path)
        if info is None:
            raise broken_workbook(self.name)
        if info.flag_bits & 0x1:
            raise TableFileError(
                _("Tệp Excel %(name)s có đặt mật khẩu: hãy bỏ mật khẩu rồi lưu lại.") % {"name": self.name}
            )
        # Declared sizes first, before anything is inflated; _CountedPart then counts the real bytes.
        if info.file_size > _SMALL_PART and info.file_size > info.compress_size * self.limits.max_ratio:
            raise _too_compressed(self.name, path, info.file_size // max(info.compress_size, 1))
        if info.file_size > limit:
            raise _too_big(self.name, path, limit)
        try:
            raw = self.zip.open(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
            raise broken_workbook(self.name) from exc
        return _CountedPart(raw, self.name, path, limit)

    def close(self) -> None:
        self.zip.close()


def _elements(part: _CountedPart, name: str) -> Iterator[Any]:
    """End events of a part; each element is removed from the tree once the caller has seen it, so the tree never
    holds more than the chain of open elements. Callers take what they need (a text, an attribute) at the end of
    each element."""
    events = etree.iterparse(
        part,
        events=("end",),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in events:
            yield element
            parent = element.getparent()
            element.clear()
            if parent is not None:
                parent.remove(element)
    except etree.LxmlError as exc:  # XMLSyntaxError: the XML is broken or truncated
        raise broken_workbook(name) from exc
    finally:
        part.close()


class _Text:
    """Collects the <t> pieces of one text container (<si>, or the <is> of an inline string), bounded: a piece past
    the cell limit is not kept, only counted."""

    def __init__(self, containers: frozenset[str], limit: int) -> None:
        self.containers, self.limit = containers, limit
        self.owner: Any = None
        self.pieces: list[str] = []
        self.size = 0

    def piece(self, t_element: Any) -> None:
        parent = t_element.getparent()
        container = parent.getparent() if parent is not None and parent.tag in _R else parent
        if container is None or container.tag not in self.containers:
            return  # e.g. the phonetic guide of East Asian text (<rPh>)
        if container is not self.owner:
            self.owner, self.pieces, self.size = container, [], 0
        text = t_element.text
        if not text:
            return  # nothing to keep (and a million empty pieces must not pile up)
        self.size += len(text)
        if self.size <= self.limit + 1:
            self.pieces.append(text)

    def take(self, container: Any) -> str:
        """The text of `container`, _xHHHH_ escapes decoded (longer than the limit when it was too long)."""
        if container is not self.owner:
            return ""
        text = "".join(self.pieces)
        self.owner, self.pieces = None, []
        if "_x" in text:
            text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        if self.size > self.limit:
            # Longer than a cell may be: a string of limit + 1 characters, which the reader refuses.
            return text.ljust(self.limit + 1, "…")[: self.limit + 1]
        return text


class _SharedStrings:
    """The shared string table, packed: one UTF-8 buffer and the end offset of each string."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.ends = array("I")

    def append(self, text: str) -> None:
        self.data += text.encode("utf-8", "surrogatepass")
        self.ends.append(len(self.data))

    def __getitem__(self, index: int) -> str:
        if index < 0:
            raise IndexError(index)
        start = self.ends[index - 1] if index > 0 else 0
        return self.data[start : self.ends[index]].decode("utf-8", "surrogatepass")


def _relationships(archive: _Archive, path: str, limits: Limits) -> dict[str, tuple[str, str]]:
    """{id: (type, part path)} of the relationships of part `path` ("" for the package itself)."""
    folder, base = posixpath.split(path)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    found: dict[str, tuple[str, str]] = {}
    if not archive.has(rels):
        return found
    for element in _elements(archive.open(rels, limits.max_part_bytes), archive.name):
        if len(found) >= limits.max_members:
            continue  # more relationships than the zip has parts: the rest cannot matter
        if element.tag == _RELATIONSHIP and element.get("TargetMode") != "External":
            target = element.get("Target") or ""
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[element.get("Id") or ""] = (element.get("Type") or "", posixpath.normpath(resolved))
    return found


def _part_of_type(relations: dict[str, tuple[str, str]], suffix: str) -> str | None:
    return next((target for kind, target in relations.values() if kind.endswith(suffix)), None)


class _Workbook:
    """Where the first worksheet, the shared strings and the styles are, and the date epoch."""

    def __init__(self, archive: _Archive, limits: Limits, sheet_name: str | None = None) -> None:
        workbook = _part_of_type(_relationships(archive, "", limits), "/officeDocument") or "xl/workbook.xml"
        if not archive.has(workbook):
            raise broken_workbook(archive.name)
        self.epoch = WINDOWS_EPOCH
        sheet_ids: list[str] = []
        for element in _elements(archive.open(workbook, limits.max_part_bytes), archive.name):
            if element.tag in _WORKBOOK_PR and element.get("date1904") in ("1", "true"):
                self.epoch = MAC_EPOCH
            elif element.tag in _SHEET and len(sheet_ids) < limits.max_members:
                rel = next((element.get(a) for a in _REL_ATTR if element.get(a)), None)
                if rel and (sheet_name is None or fold(element.get("name") or "") == fold(sheet_name)):
                    sheet_ids.append(rel)
        relations = _relationships(archive, workbook, limits)
        sheets = [
            relations[i][1]
            for i in sheet_ids
            if i in relations and relations[i][0].endswith("/worksheet") and archive.has(relations[i][1])
        ]
        if not sheets and sheet_name is not None:
            raise SheetMissing(
                _("Tệp Excel %(name)s không có trang tính “%(sheet)s”.") % {"name": archive.name, "sheet": sheet_name}
            )
        if not sheets:
            raise TableFileError(_("Tệp Excel %(name)s không có trang tính nào để đọc.") % {"name": archive.name})
        self.sheet = sheets[0]
        self.strings = _part_of_type(relations, "/sharedStrings")
        self.styles = _part_of_type(relations, "/styles")


def _shared_strings(archive: _Archive, part: str | None, limits: Limits) -> _SharedStrings:
    table = _SharedStrings()
    if part is None or not archive.has(part):
        return table
    text = _Text(_SI, limits.max_cell_chars)
    for element in _elements(archive.open(part, limits.max_strings_bytes), archive.name):
        tag = element.tag
        if tag in _T:
            text.piece(element)
        elif tag in _SI:
            # An over-long string stays (shortened) in the table: the cells using it are refused when read.
            table.append(text.take(element)[: limits.max_cell_chars + 1])
    return table


def _date_styles(archive: _Archive, part: str | None, limits: Limits) -> tuple[bytearray, bytearray]:
    """Flags per cell format (index of <cellXfs>): whether it shows a date, whether a duration."""
    dates, durations = bytearray(), bytearray()
    if part is None or not archive.has(part):
        return dates, durations
    custom: dict[int, str] = {}
    for element in _elements(archive.open(part, limits.max_part_bytes), archive.name):
        if element.tag in _NUM_FMT:
            if len(custom) >= _MAX_NUMBER_FORMATS:
                continue
            try:
                custom[int(element.get("numFmtId", ""))] = element.get("formatCode") or ""
            except ValueError:
                continue
        elif element.tag in _XF and element.getparent() is not None and element.getparent().tag in _CELL_XFS:
            try:
                number_format = int(element.get("numFmtId") or 0)
            except ValueError:
                number_format = 0
            code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format) or "General"
            dates.append(1 if is_date_format(code) else 0)
            durations.append(1 if is_timedelta_format(code) else 0)
    return dates, durations


class _SheetReader:
    """Rows of one worksheet as (row number, values) or (row number, RowDefect)."""

    def __init__(self, archive: _Archive, workbook: _Workbook, limits: Limits, table: Table) -> None:
        self.archive, self.limits, self.table = archive, limits, table
        self.epoch = workbook.epoch
        self.strings = _shared_strings(archive, workbook.strings, limits)
        self.dates, self.durations = _date_styles(archive, workbook.styles, limits)
        self.part = archive.open(workbook.sheet, limits.max_sheet_bytes)

    def _check_dimension(self, ref: str | None) -> None:
        if not ref:
            return
        try:
            _min_col, _min_row, max_col, max_row = range_boundaries(ref.split(" ")[0])
        except (TypeError, ValueError):
            return  # a malformed dimension is only a hint: the rows are checked anyway
        limits = self.limits
        if (max_row or 0) > limits.max_rows or (max_col or 0) > limits.max_columns:
            raise TableFileError(
                _(
                    "Bảng tính của tệp %(name)s khai báo %(rows)s dòng × %(columns)s cột, vượt giới hạn %(max_rows)s "
                    "dòng × %(max_columns)s cột. Hãy xóa các dòng, cột thừa (hoặc chia tệp) rồi nhập lại."
                )
                % {
                    "name": self.archive.name,
                    "rows": _number(max_row or 0),
                    "columns": _number(max_col or 0),
                    "max_rows": _number(limits.max_rows),
                    "max_columns": _number(limits.max_columns),
                }
            )
        self.table.total_rows = max_row

    def _value(self, cell: Any, text: str | None, inline: str | None) -> Any:
        """The value of a <c> as openpyxl's data_only reading gives it (`text`: its <v>, `inline`: the text of its
        <is>); raises ValueError or IndexError when the cell is broken."""
        kind = cell.get("t") or "n"
        if kind == "inlineStr":
            return inline
        if not text:
            return None
        if kind == "n":
            number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            style = int(cell.get("s") or 0)
            if 0 < style < len(self.dates) and self.dates[style]:
                try:
                    return from_excel(number, self.epoch, timedelta=bool(self.durations[style]))
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text result) and "e" (an error such as #N/A)

    def rows(self) -> Iterator[Row]:
        limits = self.limits
        max_columns, max_chars, max_rows = limits.max_columns, limits.max_cell_chars, limits.max_rows
        inline = _Text(_IS, max_chars)
        value_owner: Any = None  # the <c> whose <v> was read last, and that text
        value_text: str | None = None
        inline_owner: Any = None  # the <c> whose <is> was read last, and its text
        inline_text: str | None = None
        current: Any = None  # the <row> whose cells are being read
        cells: dict[int, Any] = {}
        column = 0
        problem: str | None = None
        last_row = 0
        for element in _elements(self.part, self.archive.name):
            tag = element.tag
            if tag in _V:
                value_owner, value_text = element.getparent(), element.text
            elif tag in _T:
                inline.piece(element)
            elif tag in _IS:
                inline_owner, inline_text = element.getparent(), inline.take(element)
            elif tag in _C:
                row_element = element.getparent()
                text = value_text if value_owner is element else None
                inline_value = inline_text if inline_owner is element else None
                value_owner = inline_owner = None
                if row_element is None or row_element.tag not in _ROW:
                    continue
                if row_element is not current:
                    current, cells, column, problem = row_element, {}, 0, None
                reference = element.get("r")
                if reference:
                    try:
                        column = column_index_from_string(reference.rstrip("0123456789"))
                    except ValueError:
                        column = max_columns + 1
                else:
                    column += 1
                if column > max_columns:
                    problem = problem or _("Có dữ liệu ở cột thứ %(column)s, ngoài giới hạn %(limit)s cột.") % {
                        "column": _number(column),
                        "limit": _number(max_columns),
                    }
                    continue
                try:
                    value = self._value(element, text, inline_value)
                except (ValueError, IndexError, TypeError, OverflowError):
                    problem = problem or _("Ô ở cột thứ %(column)s bị hỏng (giá trị không đọc được).") % {
                        "column": _number(column)
                    }
                    continue
                if isinstance(value, str) and len(value) > max_chars:
                    problem = problem or _(
                        "Ô ở cột thứ %(column)s dài hơn %(limit)s ký tự (giới hạn của một ô Excel)."
                    ) % {"column": _number(column), "limit": _number(max_chars)}
                    continue
                if value is not None:
                    cells[column] = value
            elif tag in _ROW:
                reference = element.get("r")
                try:
                    number = int(float(reference)) if reference else last_row + 1
                except ValueError:
                    raise broken_workbook(self.archive.name) from None
                if number <= last_row:
                    raise broken_workbook(self.archive.name)
                if number > max_rows:
                    raise TableFileError(
                        _("Bảng tính của tệp %(name)s có hơn %(limit)s dòng; hãy chia tệp rồi nhập từng phần.")
                        % {"name": self.archive.name, "limit": _number(max_rows)}
                    )
                last_row = number
                if current is not element:
                    cells, problem = {}, None
                current = None
                if problem is not None:
                    yield number, RowDefect(problem, _row_values(cells))
                elif cells:
                    yield number, _row_list(cells)
            elif tag in _DIMENSION:
                self._check_dimension(element.get("ref"))


def _row_list(cells: dict[int, Any]) -> list[Any]:
    values: list[Any] = [None] * max(cells)
    for column, value in cells.items():
        values[column - 1] = value
    return values


def _row_values(cells: dict[int, Any]) -> tuple[str, ...]:
    return tuple("" if value is None else str(value) for value in _row_list(cells)) if cells else ()


def open_xlsx(stream: BinaryIO, name: str, limits: Limits, close_stream, sheet: str | None = None) -> Table:
    """The first worksheet of an .xlsx file (or the one named `sheet`, SheetMissing when there is none) as a Table;
    raises TableFileError before any row when it cannot be read."""
    archive = _Archive(stream, name, limits)
    try:
        workbook = _Workbook(archive, limits, sheet)
        table = Table(name=name, kind="xlsx", rows=iter(()), closer=lambda: None)
        reader = _SheetReader(archive, workbook, limits, table)
    except BaseException:
        archive.close()
        close_stream()
        raise

    def close() -> None:
        reader.part.close()
        archive.close()
        close_stream()

    table.rows = reader.rows()
    table.closer = close
    return table
