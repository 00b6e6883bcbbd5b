"""Every change a figure of statistics.service can depend on raises the data version of the agencies it touches,
in the change's own transaction (statistics.versions): dossiers (save, delete, bulk writes, COPY), procedures (the
catalogue counted), fields (their names head the rows by field) and calendar days (kept for rules that read the
working calendar; today's figures read the stored due days)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cchc.calendar.models import CalendarOverride
from cchc.datachanges import agencies_written
from cchc.procedures.models import Field, Procedure

from . import versions


@receiver(agencies_written)
def _agencies_written(agency_ids, **kwargs) -> None:
    """Dossiers (every save, delete and bulk write) and bulk writes of procedures."""
    versions.bump_agencies(agency_ids)


@receiver([post_save, post_delete], sender=Procedure)
def _procedure_changed(instance: Procedure, **kwargs) -> None:
    versions.bump_agencies([instance.agency_id])


@receiver([post_save, post_delete], sender=Field)
def _field_changed(**kwargs) -> None:
    versions.bump_all()


@receiver([post_save, post_delete], sender=CalendarOverride)
def _calendar_changed(**kwargs) -> None:
    versions.bump_all()
