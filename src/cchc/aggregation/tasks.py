"""Background tasks of the aggregator's side (Django's Tasks API, django-tasks' database backend: settings.TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_report_reminders() -> dict:
    """The daily reminders to members that have not sent a report (`cchc send-report-reminders`)."""
    from dataclasses import asdict

    from . import reminders

    return asdict(reminders.send_report_reminders())
