"""The import itself: open the file, find its header, take the agency's import lock, parse rows and hand them to
the writer in batches, reporting progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection
from django.utils.translation import gettext as _

from cchc.importing import ImportInProgress, agency_owner, exclusive_import, refresh_statistics
from cchc.tablefiles import WEB_LIMITS, Limits, RowDefect, Table, TableFileError, open_table
from cchc.text import clean_line

from ..import_guard import ReportedPeriodGuard
from ..models import Dossier, DossierEvent
from .results import ImportFileError, ImportResult, RowError
from .rows import _RowParser
from .sources import _cell_text, _find_header, _header_score
from .values import _Context, _RowProblem
from .writing import _Pending, _Writer

Progress = Callable[[int, int | None], None]


def _close_connection() -> None:
    # Looked up in the calling thread: each thread has its own connection.
    connection.close()


class _Pipeline:
    """Writes batches in order. On PostgreSQL outside a transaction, a second thread (with its own connection)
    writes one batch while the next is parsed, so the database's work (indexes, foreign keys) overlaps Python's;
    inside a caller's transaction everything stays on the caller's connection, in its transaction."""

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.batches = 0
        self.pending: Future | None = None
        self.executor: ThreadPoolExecutor | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cchc-import")

    def submit(self, batch: list[_Pending]) -> None:
        self.batches += 1
        self.writer.prepare(batch)
        if self.executor is None:
            self.writer.flush(batch, self.batches)
            return
        self._wait()
        self.pending = self.executor.submit(self.writer.flush, batch, self.batches)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def finish(self) -> None:
        if self.executor is None:
            return
        try:
            self._wait()
        finally:
            self.executor.submit(_close_connection).result()
            self.executor.shutdown()


# --- the import --------------------------------------------------------------------------------------------------


def import_dossiers(
    path_or_file,
    *,
    agency,
    actor=None,
    change_reason: str = "",
    progress: Progress | None = None,
    batch_size: int = 2000,
    limits: Limits = WEB_LIMITS,
    wait: float | None = None,
) -> ImportResult:
    """Import the dossiers of `agency` from a CSV or XLSX file (a path, a binary file object or an upload).

    Good rows are created or updated, bad rows are listed in `errors` with their row number as Excel shows it
    (header = row 1 when it is the first line). Raises ImportFileError, before changing anything, when the file
    cannot be read at all (not CSV/XLSX, damaged, past the `limits`, no header row, missing required columns) or
    when another import of the agency is still running after `wait` seconds; a file damaged further down raises it
    where the damage starts, keeping the batches already written (re-importing is safe) in the error's `result`.
    Rows that would change the data of a period already reported (a submitted or approved report) are written only
    with a `change_reason`, and recorded against those reports (dossiers/import_guard.py); else they are row errors.
    """
    started = time.perf_counter()
    try:
        source = open_table(path_or_file, limits=limits, header_score=_header_score)
    except TableFileError as exc:
        raise ImportFileError(str(exc)) from exc
    result = ImportResult(file_name=source.name)
    try:
        try:
            header_row, header_values, mapping = _find_header(source)
        except TableFileError as exc:
            raise ImportFileError(str(exc)) from exc
        result.headers = [_cell_text(v) for v in header_values]
        while result.headers and not result.headers[-1]:
            result.headers.pop()
        try:
            with exclusive_import("dossiers", agency.pk, owner=agency_owner(agency), wait=wait):
                # After a bulk load the planner's estimates are stale until autovacuum comes by: refresh them,
                # also when the file broke half-way (the batches before stay written).
                try:
                    _import_rows(source, header_row, mapping, agency, actor, progress, batch_size, result,
                                 change_reason)  # fmt: skip
                except TableFileError:
                    refresh_statistics([Dossier, DossierEvent], result.created + result.updated)
                    raise
                refresh_statistics([Dossier, DossierEvent], result.created + result.updated)
        except ImportInProgress as exc:
            raise ImportFileError(str(exc)) from exc
        except TableFileError as exc:
            message = str(exc)
            if result.total_rows:
                message += " " + _(
                    "%(rows)s dòng trước chỗ hỏng đã được xử lý (thêm mới %(created)s, cập nhật %(updated)s); sửa tệp "
                    "rồi nhập lại là an toàn."
                ) % {"rows": result.total_rows, "created": result.created, "updated": result.updated}
            raise ImportFileError(message, result) from exc
    finally:
        source.close()
    result.errors.sort(key=lambda error: error.row)  # the writer's refusals come after the parser's errors
    result.seconds = time.perf_counter() - started
    return result


def _import_rows(
    source: Table, header_row: int, mapping, agency, actor, progress, batch_size, result, change_reason: str = ""
) -> None:
    """Parse, check and write the rows after the header, in batches; result.total_rows counts the rows seen."""
    total = source.total_rows - header_row if source.total_rows else None
    ctx = _Context(agency, actor)
    parser = _RowParser(ctx, mapping)
    pipeline = _Pipeline(_Writer(ctx, result, ReportedPeriodGuard(agency, change_reason)))
    seen: dict[str, int] = {}
    batch: list[_Pending] = []
    errors = result.errors
    result.total_rows = 0
    code_index = mapping["code"]

    def rows():
        # Where the file turns out broken, the good rows read so far are written before the error goes on (the
        # documented "everything before the damage is imported").
        try:
            yield from source.rows
        except TableFileError:
            if batch:
                pipeline.submit(batch)
            raise

    try:
        for number, values in rows():
            if values.__class__ is RowDefect:
                # The reader could not read this row as it is (a cell too long, an unclosed quote...).
                result.total_rows += 1
                cells = values.values
                code = clean_line(cells[code_index]) if code_index < len(cells) else ""
                errors.append(RowError(number, code, values.message, cells))
                continue
            if not any(values):
                continue
            try:
                code, data, events = parser.parse(values)
            except _RowProblem as exc:
                cells = tuple(_cell_text(v) for v in values)
                if not any(cells):
                    continue  # a row of spaces
                result.total_rows += 1
                raw_code = cells[code_index] if code_index < len(cells) else ""
                errors.append(RowError(number, raw_code, str(exc), cells))
                continue
            result.total_rows += 1
            first = seen.get(code)
            if first is not None:
                errors.append(
                    RowError(
                        number,
                        code,
                        _("Mã hồ sơ %(code)s trùng với dòng %(row)s trong tệp.") % {"code": code, "row": first},
                        tuple(_cell_text(v) for v in values),
                    )
                )
                continue
            seen[code] = number
            batch.append(_Pending(number, code, data, events, values=values))
            if len(batch) >= batch_size:
                pipeline.submit(batch)
                batch = []
                if progress is not None:
                    done = result.total_rows
                    progress(done, max(total, done) if total else None)
        if batch:
            pipeline.submit(batch)
    finally:
        pipeline.finish()
    if progress is not None:
        progress(result.total_rows, result.total_rows)


def check_file(path_or_file, *, limits: Limits = WEB_LIMITS) -> None:
    """Raise ImportFileError, as import_dossiers would before changing anything, for a file that cannot be imported
    at all (unreadable, past the limits, no header row, a required column missing). Reads only the first rows: the
    upload page answers at once, and the background job imports the rest. A file object is rewound."""
    try:
        source = open_table(path_or_file, limits=limits, header_score=_header_score)
    except TableFileError as exc:
        raise ImportFileError(str(exc)) from exc
    try:
        _find_header(source)
    except TableFileError as exc:
        raise ImportFileError(str(exc)) from exc
    finally:
        source.close()
        if hasattr(path_or_file, "seek"):
            path_or_file.seek(0)
