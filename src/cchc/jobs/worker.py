"""The worker process (`cchc worker`, and the one `cchc serve` starts beside the web server).

django-tasks-db's Worker claims the next ready task (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive
transaction on SQLite) and runs it; around it, a thread writes this process's heartbeat, recovers the tasks of
dead workers (recovery.py) and enqueues the periodic tasks that are due (periodic.py: the outbox sweep, the daily
reminders), so that no cron is needed. Several processes, on one machine or many, share one queue: the database
decides who runs what.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from django.db import connection
from django.db.utils import DatabaseError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from . import periodic, recovery

logger = logging.getLogger("cchc.jobs")

# What the worker prints when it starts; never the words "đang chạy", which `cchc serve`'s caller waits for.
STARTED = "Bộ xử lý công việc nền {worker_id} đã khởi động (hàng đợi: {queues})."
NOT_MIGRATED = "Cơ sở dữ liệu chưa có bảng công việc nền: chạy «cchc migrate»; bộ xử lý công việc sẽ đợi."


def new_worker_id() -> str:
    host = socket.gethostname()[:30]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"[:64]


class _Heart(threading.Thread):
    """Beats for the worker and, every RECOVER_SECONDS, recovers dead workers' tasks. A database error (SQLite busy
    past its timeout, a PostgreSQL restart) is logged and tried again at the next beat."""

    def __init__(self, worker_id: str, periodic_tasks: bool = True) -> None:
        super().__init__(name="cchc-worker-heart", daemon=True)
        self.worker_id = worker_id
        self.periodic_tasks = periodic_tasks
        self.host = socket.gethostname()
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def once(self, recover: bool) -> None:
        try:
            recovery.beat(self.worker_id, self.host, self.started_at)
            if recover:
                recovery.recover_stale()
            if self.periodic_tasks:
                periodic.run_due()
        except DatabaseError:
            logger.warning("Worker %s: heartbeat or recovery failed, trying again", self.worker_id, exc_info=True)
            connection.close()

    def run(self) -> None:
        last_recovery = time.monotonic()
        try:
            while not self.stopping.wait(recovery.BEAT_SECONDS):
                due = time.monotonic() - last_recovery >= recovery.RECOVER_SECONDS
                self.once(recover=due)
                if due:
                    last_recovery = time.monotonic()
        finally:
            connection.close()


class CchcWorker(Worker):
    def run(self) -> None:
        # A batch run (the queue emptied, then exit) starts no periodic work: it would never find the queue empty.
        heart = _Heart(self.worker_id, periodic_tasks=not self.batch)
        # Before the first claim: this worker is known alive, and whatever a dead one left is dealt with.
        heart.once(recover=True)
        heart.start()
        try:
            super().run()
        finally:
            heart.stopping.set()
            heart.join(timeout=recovery.BEAT_SECONDS + 5)
            try:
                recovery.forget(self.worker_id)
            except DatabaseError:
                pass


def _tables_ready() -> bool:
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerBeat

    try:
        names = set(connection.introspection.table_names())
    except DatabaseError:
        return False
    finally:
        connection.close()
    return {DBTaskResult._meta.db_table, WorkerBeat._meta.db_table} <= names


def run_worker(
    *, queues: Sequence[str], interval: float = 1.0, batch: bool = False, max_tasks: int | None = None, out=None
) -> None:
    """Run one worker in this process until SIGTERM/SIGINT (a running task is finished first; a second signal stops
    at once) or, with `batch`, until the queue is empty."""
    worker = CchcWorker(
        queue_names=list(queues), interval=interval, batch=batch, backend_name="default", startup_delay=not batch,
        max_tasks=max_tasks, worker_id=new_worker_id(), excluded_queue_names=[],
    )  # fmt: skip
    worker.configure_signals()
    warned = False
    while not _tables_ready():
        if batch:
            raise SystemExit(NOT_MIGRATED)
        if not warned and out is not None:
            out(NOT_MIGRATED)
            warned = True
        time.sleep(5)
    if out is not None:
        out(STARTED.format(worker_id=worker.worker_id, queues=", ".join(queues)))
    worker.run()


def worker_command(queues: Sequence[str], interval: float | None = None) -> list[str]:
    command = [sys.executable, "-m", "cchc", "worker", "--processes", "1", "--queues", ",".join(queues)]
    if interval is not None:
        command += ["--interval", str(interval)]
    return command


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if its parent dies, even by SIGKILL, so no worker outlives its server."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def spawn(queues: Sequence[str] = ("default",), interval: float | None = None) -> subprocess.Popen:
    """Start a worker process (a child of this one, same environment and database)."""
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    # A session of its own: Ctrl+C in the terminal reaches the parent only, which then stops the worker with one
    # SIGTERM (a second signal would cut the running task short).
    return subprocess.Popen(worker_command(queues, interval), preexec_fn=preexec, start_new_session=True)


def stop(process: subprocess.Popen, timeout: float = 30.0) -> int | None:
    """SIGTERM: the worker finishes its current task and exits; after `timeout` it is killed (its task then goes
    back to the queue when a worker next starts: recovery.py)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


def supervise(count: int, queues: Sequence[str], interval: float | None = None, out=None) -> None:
    """Run `count` worker processes until SIGTERM/SIGINT, starting again any that dies on its own."""
    stopping = threading.Event()

    def on_signal(signum, _frame) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    children = [spawn(queues, interval) for _ in range(count)]
    if out is not None:
        out(f"{count} bộ xử lý công việc nền đã khởi động (tiến trình {', '.join(str(c.pid) for c in children)}).")
    try:
        while not stopping.wait(1.0):
            for index, child in enumerate(children):
                if child.poll() is not None:
                    logger.warning("Worker process %s exited with %s; starting another", child.pid, child.returncode)
                    time.sleep(1.0)
                    children[index] = spawn(queues, interval)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            stop(child)


def run_ready_in_process(limit: int | None = None) -> int:
    """Run the ready tasks now, in this process and on its connection (inside the caller's transaction, if any):
    for the demo build and for tests of a page, where a worker process could not see uncommitted rows. Returns how
    many ran."""
    from django_tasks_db.models import DBTaskResult

    worker = CchcWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False, max_tasks=None,
        worker_id=new_worker_id(), excluded_queue_names=[],
    )  # fmt: skip
    ran = 0
    while limit is None or ran < limit:
        task = DBTaskResult.objects.ready().filter(backend_name="default").first()
        if task is None:
            break
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran
