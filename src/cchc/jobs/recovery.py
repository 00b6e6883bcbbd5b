"""Finding the tasks a dead worker left "running" and deciding what becomes of them (docs/adr/0006).

django-tasks-db marks a task running when a worker claims it and finished when the worker is done; a worker killed
in between (SIGKILL, power cut, the machine gone) leaves the row running for ever, and no other worker picks it up.
Every `cchc worker` process therefore writes a heartbeat (WorkerBeat) every BEAT_SECONDS, and looks, when it
starts and then every RECOVER_SECONDS, for running tasks whose last worker has not beaten for STALE_SECONDS:
- a task run fewer than MAX_ATTEMPTS times goes back to the queue (its job shows "chờ chạy" and why); cchc's jobs
  are safe to run again (an import of the same file creates nothing twice, a report staged twice is one row);
- a task already run MAX_ATTEMPTS times is marked failed, and its job shows a message saying so: a job that kills
  its worker every time (a file that exhausts memory) does not take every worker down one after another.
Both are single conditional UPDATEs, so two workers recovering at once cannot both act on one task.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import FINISHED, Job, JobState, WorkerBeat

logger = logging.getLogger("cchc.jobs")

BEAT_SECONDS = 5.0
RECOVER_SECONDS = 15.0
MAX_ATTEMPTS = 2
LOST = "cchc.jobs.recovery.WorkerLost"


def stale_seconds() -> float:
    """How long a silent worker counts as alive: CCHC_WORKER_STALE_SECONDS (default 60: a worker stuck a few seconds
    behind a long SQLite write must not be taken for dead)."""
    return float(getattr(settings, "CCHC_WORKER_STALE_SECONDS", None) or os.environ.get("CCHC_WORKER_STALE_SECONDS")
                 or 60)  # fmt: skip


def beat(worker_id: str, host: str, started_at: dt.datetime) -> None:
    now = timezone.now()
    updated = WorkerBeat.objects.filter(pk=worker_id).update(beat_at=now)
    if not updated:
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id, defaults={"host": host[:255], "pid": os.getpid(), "started_at": started_at,
                                           "beat_at": now},
        )  # fmt: skip


def forget(worker_id: str) -> None:
    WorkerBeat.objects.filter(pk=worker_id).delete()


def recover_stale(now: dt.datetime | None = None) -> tuple[int, int]:
    """Re-queue or fail the running tasks of dead workers; returns (re-queued, failed)."""
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=stale_seconds())
    alive = set(WorkerBeat.objects.filter(beat_at__gte=stale_before).values_list("worker_id", flat=True))
    requeued = failed = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stale_before)
    for task in running.only("id", "worker_ids", "started_at", "task_path", "args_kwargs"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        # started_at changes with every claim: the UPDATE acts only if nobody re-queued or re-claimed it meanwhile.
        same = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at)
        job = _job_of(task)
        attempts = len(task.worker_ids)
        if attempts < MAX_ATTEMPTS:
            if not same.update(status=TaskResultStatus.READY, started_at=None):
                continue
            requeued += 1
            logger.warning("Task %s re-queued: its worker %s stopped", task.pk, task.worker_ids[-1:])
            if job is not None:
                Job.objects.filter(pk=job.pk).exclude(state__in=FINISHED).update(
                    state=JobState.QUEUED, updated_at=now,
                    message=_("Máy chạy công việc đã dừng giữa chừng; công việc được xếp lại hàng đợi để chạy lại."),
                )  # fmt: skip
        else:
            if not same.update(status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=LOST,
                               traceback=f"Worker {task.worker_ids[-1:]} stopped while running this task "
                                         f"({attempts} attempts)."):  # fmt: skip
                continue
            failed += 1
            logger.warning("Task %s failed: its worker stopped on each of %s attempts", task.pk, attempts)
            if job is not None:
                Job.objects.filter(pk=job.pk).exclude(state__in=FINISHED).update(
                    state=JobState.FAILED, finished_at=now, updated_at=now, message=_("Không hoàn thành."),
                    error=_("Công việc bị dừng giữa chừng %(n)s lần vì máy chạy công việc tắt đột ngột, nên không chạy "
                            "lại nữa. Phần đã làm được giữ nguyên; hãy tạo lại công việc (với tệp nhập: nhập lại cùng "
                            "tệp không tạo dữ liệu trùng).") % {"n": attempts},
                )  # fmt: skip
    WorkerBeat.objects.filter(beat_at__lt=stale_before).delete()
    return requeued, failed


def _job_of(task: DBTaskResult) -> Job | None:
    if task.task_path != "cchc.jobs.tasks.run_job":
        return None
    args = (task.args_kwargs or {}).get("args") or []
    return Job.objects.filter(pk=args[0]).first() if args else None
