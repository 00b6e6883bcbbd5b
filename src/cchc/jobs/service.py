"""Starting a job, reporting its progress and running it: what views, commands and the worker call.

A job kind is a handler, `handler(job, progress) -> result`, named in HANDLERS by its dotted path (the domain app
owns its handler; this module imports none of them). The handler raises JobFailed with a message for the person
when the work cannot be done (a bad file); any other exception fails the job with a general message, the
traceback staying in the task's row and the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Job, JobFile, JobKind, JobState

logger = logging.getLogger("cchc.jobs")

HANDLERS: dict[str, str] = {
    JobKind.DOSSIER_IMPORT: "cchc.dossiers.jobs.run_import",
    JobKind.REPORT_IMPORT: "cchc.aggregation.importing.jobs.run_upload",
}

Progress = Callable[..., None]


class JobFailed(Exception):
    """The job cannot be done; the message is for the person who started it. `result` keeps what was done before
    (a file broken half-way still imported its first rows)."""

    def __init__(self, message: str, result: dict | None = None) -> None:
        super().__init__(message)
        self.result = result


def start(
    kind: str,
    *,
    agency,
    actor,
    title: str,
    params: dict | None = None,
    files: Iterable[tuple[str, bytes, str]] = (),
) -> Job:
    """Create the job with its input files and put it in the queue, in one transaction: the queue is a table of the
    same database, so either both exist or neither does (no job without its task, no task without its job)."""
    from .tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            agency=agency,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            title=title[:255],
            params=params or {},
            message=_("Đang chờ đến lượt."),
        )
        for name, content, content_type in files:
            JobFile.objects.create(
                job=job, role=JobFile.Role.INPUT, name=name[:255], content=content, size=len(content),
                content_type=content_type[:100],
            )  # fmt: skip
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
        job.task_id = str(result.id)
    return job


def progress_for(job: Job) -> Progress:
    """A callback the handler calls as it goes: progress(done, total=None, message=None). Each call writes the
    counts at once (one small UPDATE, outside the handler's own transactions), which the job page polls."""

    def progress(done: int, total: int | None = None, message: str | None = None) -> None:
        values: dict[str, Any] = {"done": done, "updated_at": timezone.now()}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message[:500]
        Job.objects.filter(pk=job.pk).update(**values)
        job.done = done
        if total is not None:
            job.total = total

    return progress


def add_output(job: Job, name: str, content: bytes, content_type: str) -> JobFile:
    return JobFile.objects.create(
        job=job, role=JobFile.Role.OUTPUT, name=name[:255], content=content, size=len(content),
        content_type=content_type,
    )  # fmt: skip


def run(job_id: int) -> dict | None:
    """Run the job (the task's body; also callable directly, e.g. by the demo). A job already finished is not run
    again (a task re-queued after it had in fact finished)."""
    job = Job.objects.select_related("agency", "created_by").get(pk=job_id)
    if job.finished:
        return job.result
    now = timezone.now()
    job.attempts += 1
    job.state = JobState.RUNNING
    job.started_at = job.started_at or now
    job.error = ""
    job.message = _("Đang chạy.") if job.attempts == 1 else _("Đang chạy lại (lần %(n)s).") % {"n": job.attempts}
    job.save(update_fields=["attempts", "state", "started_at", "error", "message", "updated_at"])
    handler = import_string(HANDLERS[job.kind])
    try:
        result = handler(job, progress_for(job))
    except JobFailed as exc:
        _finish(job, JobState.FAILED, result=exc.result, error=str(exc))
        return exc.result
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        message = _(
            "Công việc gặp lỗi không mong đợi và đã dừng. Hãy thử lại; nếu vẫn lỗi, báo quản trị hệ thống (mã công "
            "việc %(id)s)."
        ) % {"id": job.pk}
        _finish(job, JobState.FAILED, error=message)
        raise
    _finish(job, JobState.DONE, result=result)
    return result


def _finish(job: Job, state: str, *, result: dict | None = None, error: str = "") -> None:
    job.state = state
    job.result = result
    job.error = error
    job.finished_at = timezone.now()
    job.message = _("Đã xong.") if state == JobState.DONE else _("Không hoàn thành.")
    if state == JobState.DONE and job.total is None:
        job.total = job.done
    job.save(update_fields=["state", "result", "error", "finished_at", "message", "total", "updated_at"])
