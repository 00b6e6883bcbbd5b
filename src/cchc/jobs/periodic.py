"""Work the workers start on their own, so that an installation needs no cron: every running `cchc worker` (and
the worker beside `cchc serve`) looks at each beat whether a periodic task is due and enqueues it.

However many workers run, a due task is enqueued once: each periodic task has a row (PeriodicRun) whose last
moment a worker moves forward with a conditional UPDATE, and only the worker whose UPDATE changed the row enqueues.
The apps register their tasks in their AppConfig.ready (notifications: the outbox sweep every minute, the
reminders once a day). The management commands stay for installations that prefer cron; running both is harmless
(the sweep claims each message, the reminders dedupe per day).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("cchc.jobs")


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # dotted path of a django-tasks Task
    every: dt.timedelta | None = None  # run again this long after the last run
    daily_after: dt.time | None = None  # or once a local day, from this time on

    def due(self, last: dt.datetime | None, now: dt.datetime) -> bool:
        if self.every is not None:
            return last is None or now - last >= self.every
        local = timezone.localtime(now)
        if self.daily_after is not None and local.time() < self.daily_after:
            return False
        return last is None or timezone.localtime(last).date() < local.date()


REGISTRY: dict[str, Periodic] = {}


def register(name: str, task: str, *, every: dt.timedelta | None = None, daily_after: dt.time | None = None) -> None:
    if (every is None) == (daily_after is None):
        raise ValueError("a periodic task runs either every so often or once a day")
    REGISTRY[name] = Periodic(name, task, every, daily_after)


def _claim(job: Periodic, now: dt.datetime) -> bool:
    from .models import PeriodicRun

    row = PeriodicRun.objects.filter(name=job.name).first()
    if row is None:
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=job.name, last_at=now)
        except IntegrityError:  # another worker created it first, and runs it
            return False
        return True
    if not job.due(row.last_at, now):
        return False
    return PeriodicRun.objects.filter(name=job.name, last_at=row.last_at).update(last_at=now) == 1


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every registered periodic task that is due and that no other worker claimed; returns their names."""
    now = now or timezone.now()
    started = []
    for job in list(REGISTRY.values()):
        if not _claim(job, now):
            continue
        import_string(job.task).enqueue()
        logger.info("Periodic task %s enqueued", job.name)
        started.append(job.name)
    return started
