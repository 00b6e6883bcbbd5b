"""Background tasks (Django's Tasks API, django-tasks' database backend: settings.TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_message(message_id: int) -> str | None:
    """Send one outbox message (enqueued when its transaction commits, and again at each retry)."""
    from . import outbox

    return outbox.send(message_id)


@task()
def sweep_outbox() -> dict:
    """Recover messages of dead workers and send every due one (`cchc send-outbox` does the same from cron)."""
    from dataclasses import asdict

    from . import outbox

    return asdict(outbox.sweep())


@task()
def send_reminders() -> dict:
    """The daily reminders of steps due soon or late (`cchc send-reminders`)."""
    from dataclasses import asdict

    from . import triggers

    return asdict(triggers.send_reminders())
