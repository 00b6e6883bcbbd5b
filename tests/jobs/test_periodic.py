"""Without cron: the workers enqueue the outbox sweep every minute and the reminders once a day, once however many
workers run; a real `cchc worker` sends a message nobody queued a task for."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cchc.jobs import periodic
from cchc.jobs.models import PeriodicRun
from concurrency import child_database_url, concurrent_database

ROOT = Path(__file__).resolve().parents[2]
SWEEP = "cchc.notifications.tasks.sweep_outbox"
REMINDERS = "cchc.notifications.tasks.send_reminders"


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def run_due(now: dt.datetime) -> list[str]:
    """The notifications' periodic tasks enqueued at `now` (other apps register their own)."""
    return [name for name in periodic.run_due(now) if name.startswith("notifications.")]


def enqueued(path: str) -> int:
    return DBTaskResult.objects.filter(task_path=path).count()


@pytest.mark.django_db
def test_the_sweep_runs_every_minute_and_the_reminders_once_a_day_from_seven():
    assert {"notifications.sweep_outbox", "notifications.send_reminders"} <= set(periodic.REGISTRY)
    early = local(2025, 8, 4, 6, 30)  # a Monday, before the reminders' hour
    assert run_due(early) == ["notifications.sweep_outbox", "notifications.send_reminders"]
    # A first run records the moment; the reminders' day is now taken, whatever the hour of that first run.
    assert (enqueued(SWEEP), enqueued(REMINDERS)) == (1, 1)
    assert run_due(early + dt.timedelta(seconds=30)) == []  # another worker's beat, half a minute later
    assert run_due(early + dt.timedelta(seconds=61)) == ["notifications.sweep_outbox"]
    assert run_due(local(2025, 8, 4, 16, 0)) == ["notifications.sweep_outbox"]  # same day: no reminders
    assert run_due(local(2025, 8, 5, 6, 59, 30)) == ["notifications.sweep_outbox"]  # next day, too early
    assert run_due(local(2025, 8, 5, 7, 0, 5)) == ["notifications.send_reminders"]
    assert (enqueued(SWEEP), enqueued(REMINDERS)) == (4, 2)
    assert PeriodicRun.objects.get(name="notifications.send_reminders").last_at == local(2025, 8, 5, 7, 0, 5)


@pytest.mark.django_db
def test_a_worker_that_read_a_stale_moment_does_not_enqueue_twice(monkeypatch):
    now = local(2025, 8, 4, 9, 0)
    periodic.run_due(now)
    later = now + dt.timedelta(minutes=2)
    stale = PeriodicRun.objects.get(name="notifications.sweep_outbox")
    # Another worker claims the sweep between this worker's read and its update.
    PeriodicRun.objects.filter(pk=stale.pk).update(last_at=later)
    real_filter = PeriodicRun.objects.filter

    def read_stale(*args, **kwargs):
        query = real_filter(*args, **kwargs)
        if kwargs == {"name": "notifications.sweep_outbox"}:
            monkeypatch.setattr(query, "first", lambda: stale)
        return query

    monkeypatch.setattr(PeriodicRun.objects, "filter", read_stale)
    assert "notifications.sweep_outbox" not in periodic.run_due(later)
    assert enqueued(SWEEP) == 1


@pytest.mark.django_db
def test_a_periodic_task_is_one_or_the_other():
    with pytest.raises(ValueError):
        periodic.register("x", SWEEP)
    with pytest.raises(ValueError):
        periodic.register("x", SWEEP, every=dt.timedelta(minutes=1), daily_after=dt.time(7))


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_sends_a_message_no_task_was_queued_for(agency, tmp_path):
    from cchc.notifications.models import Channel, Kind, OutboxMessage, OutboxState

    message = OutboxMessage.objects.create(
        channel=Channel.EMAIL, agency=agency, recipient_address="chuyenvien@example.vn", subject="Nhắc việc",
        body="Hồ sơ sắp đến hạn", kind=Kind.STEP_DUE_SOON, next_attempt_at=timezone.now(),
    )  # fmt: skip
    assert not DBTaskResult.objects.exists()  # written straight to the outbox: only a sweep can send it
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_") and k != "CCHC_EMAIL_BACKEND"}
    env.update(PYTHONPATH=str(ROOT / "src"), DATABASE_URL=child_database_url(), CCHC_DATA_DIR=str(tmp_path))
    worker = subprocess.Popen([sys.executable, "-m", "cchc", "worker", "--interval", "0.2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while OutboxMessage.objects.get(pk=message.pk).state != OutboxState.SENT:
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the worker's sweep did not send the message"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(30)
    assert DBTaskResult.objects.filter(task_path=SWEEP, status="SUCCESSFUL").exists()
    assert [p.name for p in (tmp_path / "mail").iterdir()]
