"""Uploaded tables (CSV and XLSX) read safely, and exported cells written safely: the one place every import and
export of cchc goes through (dossiers, the TTHC catalogue, plan tasks, report tables, the roll-up).

    with open_table(upload, limits=WEB_LIMITS, header_score=score) as table:
        for number, cells in table.rows:       # cells: a list, or a RowDefect to report as a row error
            ...

A file that cannot be read raises TableFileError with one line of Vietnamese for the user, before any row when the
problem is visible up front (not a table, empty, a zip bomb, a NUL in a CSV, a worksheet declaring too many rows or
columns), else where reading stops (a workbook broken half-way). Limits bounds what a file may hold; memory stays
bounded whatever the file (see xlsx.py and csvfile.py). Exports pass every value through spreadsheet_value.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from . import sniff
from .cells import looks_like_formula, spreadsheet_value
from .common import COMMAND_LINE_LIMITS, WEB_LIMITS, Limits, Row, RowDefect, SheetMissing, Table, TableFileError
from .csvfile import open_csv
from .xlsx import broken_workbook, open_xlsx

__all__ = [
    "COMMAND_LINE_LIMITS",
    "WEB_LIMITS",
    "Limits",
    "Row",
    "RowDefect",
    "SheetMissing",
    "Table",
    "TableFileError",
    "looks_like_formula",
    "open_table",
    "spreadsheet_value",
    "upload_problem",
]

upload_problem = sniff.upload_problem


def open_table(
    source: Any,
    *,
    filename: str | None = None,
    limits: Limits = WEB_LIMITS,
    header_score: Callable[[list[str]], int] | None = None,
    sheet: str | None = None,
) -> Table:
    """Open the first worksheet of an .xlsx file or a CSV file (a path, bytes, a binary file object or an upload).

    `header_score(cells)` tells how well a row looks like the caller's header (e.g. how many known columns it
    names); it picks a CSV's delimiter. `sheet` names the worksheet of an .xlsx file to read (matched ignoring case
    and diacritics; SheetMissing when absent). Close the table (or use it as a context manager) when done."""
    stream, name, own = sniff.as_binary(source)
    name = Path(filename).name if filename else name

    def close_stream() -> None:
        if own:
            stream.close()

    try:
        head = sniff.read_head(stream)
        kind = sniff.kind_of(head)
        suffix = Path(name).suffix.lower()
        if kind != sniff.XLSX and suffix == ".xls":
            kind = sniff.XLS
        if kind == sniff.CSV and suffix in (".xlsx", ".xlsm"):
            raise broken_workbook(name)  # named as a workbook, but not even a zip
        message = sniff.kind_message(kind, name)
        if message is not None:
            raise TableFileError(message)
        if kind == sniff.XLSX:
            return open_xlsx(stream, name, limits, close_stream, sheet)
        return open_csv(stream, name, head, limits, header_score, close_stream)
    except TableFileError:
        close_stream()
        raise
    except (OSError, MemoryError) as exc:
        close_stream()
        raise TableFileError(_("Không đọc được tệp %(name)s.") % {"name": name or _("đã chọn")}) from exc
