"""What the readers share: the bounds on what a file may hold, the errors, one bad row, and an open table."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on an uploaded table, checked before anything is expanded in memory (docs/dossier-import.md §1).

    Memory stays bounded whatever the file: a worksheet is streamed and never held whole, so its size only costs
    time; the shared strings are held (compactly, about their own size), hence their smaller bound."""

    max_rows: int = 1_048_576  # Excel's own limit
    max_columns: int = 1_024
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_line_chars: int = 1_048_576  # one physical CSV line; longer ones are skipped as a bad row
    max_members: int = 10_000  # entries in the zip container of an .xlsx
    max_ratio: int = 200  # uncompressed / compressed, for any part over 1 MiB (real workbooks: 5-30)
    max_sheet_bytes: int = 512 * MiB  # the worksheet's XML, uncompressed
    max_strings_bytes: int = 32 * MiB  # the shared strings' XML, uncompressed
    max_part_bytes: int = 16 * MiB  # workbook, styles, relationships, content types

    def with_(self, **changes: Any) -> Limits:
        return dataclasses.replace(self, **changes)


# Uploads through the web pages (20 MB files), and the command line, where an administrator imports large exports
# on purpose: more rows in a worksheet and more shared strings, still bounded.
WEB_LIMITS = Limits()
COMMAND_LINE_LIMITS = Limits(max_sheet_bytes=4096 * MiB, max_strings_bytes=128 * MiB)


class TableFileError(Exception):
    """The file cannot be read (or no further): one line of Vietnamese meant for the user."""


class SheetMissing(TableFileError):
    """The workbook has no worksheet of the name asked for (a workbook may leave out an optional sheet)."""


@dataclass(frozen=True)
class RowDefect:
    """A row that cannot be read as it is (a cell too long, an unclosed quote...): the importers report it as a row
    error and go on with the next row. `values` are the cells as far as they could be read."""

    message: str
    values: tuple[str, ...] = field(default=(), repr=False)


Row = tuple[int, "list[Any] | RowDefect"]


@dataclass
class Table:
    """An open table: iterate `rows` for (row number as Excel or a text editor shows it, cells or a RowDefect).
    Empty rows of a worksheet are not yielded (their numbers are skipped). `total_rows` (for progress) is the line
    count of a CSV or the row count the worksheet declares, once known."""

    name: str
    kind: str  # "csv" or "xlsx"
    rows: Iterator[Row]
    closer: Callable[[], None]
    total_rows: int | None = None
    encoding: str = ""

    def close(self) -> None:
        self.closer()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
