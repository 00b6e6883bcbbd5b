"""What an import reports: its counts, the rejected rows, and the error file a user fixes and imports again."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cchc.tablefiles import spreadsheet_value

# --- results -----------------------------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file cannot be read (at all, or past some row), or another import of the agency is running. The message
    is meant for the user. `result` holds what was imported before a file broken half-way stopped, else None."""

    def __init__(self, message: str, result: ImportResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class RowError:
    row: int
    code: str
    message: str
    values: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    seconds: float = 0.0
    file_name: str = ""
    headers: list[str] = field(default_factory=list, repr=False)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


def write_errors_csv(result: ImportResult, target: str | os.PathLike | io.TextIOBase) -> int:
    """Write the rejected rows, as they were in the file plus the row number and the reason, to a CSV (UTF-8 with
    BOM so that Excel shows the diacritics). Fixed rows can be imported again from this very file. Returns the
    number of rows written."""
    own = not hasattr(target, "write")
    handle = open(target, "w", encoding="utf-8-sig", newline="") if own else target  # noqa: SIM115
    try:
        writer = csv.writer(handle)
        # Cells go out as text, never as formulas (cchc.tablefiles.cells); re-importing this file reads them back.
        writer.writerow([spreadsheet_value(v, "csv") for v in [*result.headers, _("Dòng trong tệp gốc"), _("Lỗi")]])
        width = len(result.headers)
        for error in result.errors:
            values = list(error.values[:width]) + [""] * (width - len(error.values[:width]))
            writer.writerow([spreadsheet_value(v, "csv") for v in [*values, error.row, error.message]])
    finally:
        if own:
            handle.close()
    return len(result.errors)
