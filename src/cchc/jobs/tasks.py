"""The task the queue runs for every job (service.run does the work). Kept in its own module: the task row names
it by path, `cchc.jobs.tasks.run_job`."""

from __future__ import annotations

from django_tasks import task

from . import service


@task()
def run_job(job_id: int) -> dict | None:
    return service.run(job_id)
