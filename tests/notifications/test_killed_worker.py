"""A killed worker loses no message: real `cchc db_worker` processes, the first one SIGKILLed while its gateway is
sending; the sweeper run by a second worker sends the message, and the officer's e-mail queued meanwhile goes too."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cchc.dossiers.models import DossierStep, StepState
from cchc.notifications import outbox, tasks, triggers
from cchc.notifications.models import Channel, Kind, Notification, OutboxMessage, OutboxState

pytestmark = pytest.mark.django_db(transaction=True)

SRC = Path(__file__).resolve().parents[2] / "src"


def _database_url() -> str:
    """The test database, as the worker processes must reach it."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    base = os.environ["DATABASE_URL"]
    return base.rsplit("/", 1)[0] + f"/{name}"


def _worker(data_dir: Path, *args: str, **env_extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_") and k != "CCHC_EMAIL_BACKEND"}
    env.update(
        DATABASE_URL=_database_url(),
        CCHC_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join([str(SRC), str(Path(__file__).parent)]),
        **env_extra,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "cchc", "db_worker", "--no-startup-delay", "--interval", "0.2", "--no-reload", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_while_sending_loses_no_message(agency, officer, receive, tmp_path):
    from django_tasks_db.models import DBTaskResult

    mark = tmp_path / "gateway-started"
    with transaction.atomic():
        dossier = receive(applicant_phone="0912345678")
    # The officer gets an address only now: the step queued at receipt told them in the application alone.
    officer.email = "chuyenvien@example.vn"
    officer.save()
    sms = OutboxMessage.objects.get(dossier=dossier, channel=Channel.SMS)
    assert DBTaskResult.objects.filter(task_path="cchc.notifications.tasks.send_message").count() == 1

    first = _worker(tmp_path, CCHC_SMS_BACKEND="failing_gateway.SlowGateway", SLOW_GATEWAY_MARK=str(mark))
    try:
        _wait_for(mark.exists, 60, "the gateway to start sending")
        sms.refresh_from_db()
        assert (sms.state, sms.attempts) == (OutboxState.SENDING, 1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    # The queue alone would never run that task again: it stays "running" for a worker that no longer exists.
    assert DBTaskResult.objects.get(task_path="cchc.notifications.tasks.send_message").status == "RUNNING"
    sms.refresh_from_db()
    assert sms.state == OutboxState.SENDING

    # Meanwhile a step reaches the officer: a notice in the application and an e-mail, queued for the workers.
    step = DossierStep.objects.get(dossier=dossier)  # the default step the receipt queued, now the officer's
    step.holder, step.state, step.started_at = officer, StepState.ACTIVE, timezone.now()
    step.due_at = timezone.now() + dt.timedelta(days=3)
    step.save()
    [notice] = triggers.notify_step_reached(step)
    assert notice.recipient == officer and notice.read_at is None
    assert Notification.objects.filter(recipient=officer, read_at=None).count() == 2  # the queue's, and this one
    email = OutboxMessage.objects.get(kind=Kind.STEP_REACHED)
    tasks.sweep_outbox.enqueue()

    time.sleep(1.2)  # older than the second worker's stale timeout
    second = _worker(tmp_path, "--batch", CCHC_SMS_BACKEND="file", CCHC_OUTBOX_STALE_SECONDS="1")
    try:
        output, _ = second.communicate(timeout=90)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0, output

    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (OutboxState.SENT, 2), sms.last_error
    [line] = (tmp_path / "sms").glob("*.jsonl")
    [sent] = [json.loads(row) for row in line.read_text(encoding="utf-8").splitlines()]
    assert sent["to"] == "0912345678" and dossier.code in sent["text"]

    email.refresh_from_db()
    assert email.state == OutboxState.SENT
    [written] = list((tmp_path / "mail").iterdir())
    content = written.read_text(encoding="utf-8")
    assert "To: chuyenvien@example.vn" in content and f"X-CCHC-Outbox-Id: {email.pk}" in content
    assert outbox.sweep().sent == 0  # nothing left behind
