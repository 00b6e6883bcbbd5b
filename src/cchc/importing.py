"""What every bulk import needs besides reading its file: one import at a time per agency (or plan), and fresh
planner statistics afterwards.

Two identical imports run at once used to race each other's inserts (a unique-key clash or a deadlock answered
500); `exclusive_import` serialises them with a database lock that outlives the import's many transactions:
- PostgreSQL: a session advisory lock (pg_try_advisory_lock) on the importing connection, released at the end, and
  by the server if the process dies;
- SQLite: the database is one local file, so the lock is an exclusive flock on a file beside it (every process
  that can write the database can see it; released if the process dies); an in-memory database, reachable from
  one process only, uses a lock inside the process.
The second import waits a few seconds, then gets ImportInProgress with a Vietnamese message (never a traceback).

A bulk load leaves the planner's statistics stale until autovacuum's next ANALYZE (a dossier list query took 1 s
instead of 65 ms); `refresh_statistics` analyses the tables an import wrote, when it wrote enough rows to matter.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.db.models import Model
from django.utils.translation import gettext as _

WAIT_SECONDS = 5.0
POLL_SECONDS = 0.2
ANALYZE_AFTER_ROWS = 500
SQLITE_ANALYSIS_LIMIT = 1000  # rows sampled per index by SQLite's ANALYZE: cheap on big tables, still accurate

_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


class ImportInProgress(Exception):
    """Another import of the same data is running; the message is meant for the user."""


def _busy(owner: str) -> ImportInProgress:
    return ImportInProgress(
        _(
            "Một lần nhập khác của %(owner)s đang chạy: hãy đợi lần đó xong rồi nhập lại (nhập lại cùng tệp không tạo "
            "dữ liệu trùng)."
        )
        % {"owner": owner}
    )


def agency_owner(agency) -> str:
    """How the busy message names an agency: 'cơ quan Sở Khoa học và Công nghệ'."""
    return _("cơ quan %(name)s") % {"name": agency.name}


def _key(kind: str, key: int | str) -> int:
    """A signed 64-bit advisory lock key for (kind, key)."""
    digest = hashlib.blake2b(f"cchc-import:{kind}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def _postgresql_lock(kind: str, key: int | str, owner: str, wait: float) -> Iterator[None]:
    lock = _key(kind, key)
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock])
            if cursor.fetchone()[0]:
                break
            if time.monotonic() >= deadline:
                raise _busy(owner)
            time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
        except Exception:  # noqa: BLE001 - a broken connection has released the lock with its session
            pass


def _sqlite_file() -> Path | None:
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name)


@contextmanager
def _file_lock(path: Path, owner: str, wait: float) -> Iterator[None]:
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    handle = path.open("a+b")
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(owner) from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


@contextmanager
def _process_lock(name: str, owner: str, wait: float) -> Iterator[None]:
    with _process_locks_guard:
        lock = _process_locks.setdefault(name, threading.Lock())
    if not lock.acquire(timeout=wait):
        raise _busy(owner)
    try:
        yield
    finally:
        lock.release()


@contextmanager
def exclusive_import(kind: str, key: int | str, *, owner: str, wait: float | None = None) -> Iterator[None]:
    """Run the body as the only import of `kind` for `key` (an agency's or a plan's id), across threads and
    processes; raise ImportInProgress after waiting `wait` seconds for another one to finish. `owner` names what
    is being imported into, in Vietnamese, for the message ("cơ quan Sở Nội vụ", see agency_owner)."""
    wait = WAIT_SECONDS if wait is None else wait
    if connection.vendor == "postgresql":
        with _postgresql_lock(kind, key, owner, wait):
            yield
        return
    database = _sqlite_file() if connection.vendor == "sqlite" else None
    if database is not None and os.name == "posix":
        lock_file = database.with_name(f"{database.name}.locks") / f"{kind}-{key}.lock"
        with _file_lock(lock_file, owner, wait):
            yield
        return
    with _process_lock(f"{connection.alias}:{kind}:{key}", owner, wait):
        yield


def refresh_statistics(models: Sequence[type[Model]], rows_written: int) -> bool:
    """ANALYZE the tables of `models` after an import that wrote `rows_written` rows, if that is enough to move the
    planner's estimates; returns whether it ran. PostgreSQL samples a fixed number of rows per table; SQLite is told
    to sample (analysis_limit) instead of reading whole indexes."""
    if rows_written < ANALYZE_AFTER_ROWS or not models:
        return False
    quote = connection.ops.quote_name
    tables = [quote(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
        else:
            return False
    return True
