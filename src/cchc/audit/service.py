"""One audit mechanism for every model that matters: call `record` whenever a create, update or state change
is saved. Domain services call it inside the same transaction as the change, so a change and its audit entry
land together or not at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance`, JSON-ready, for a before/after comparison."""
    names = fields or [f.name for f in instance._meta.concrete_fields if f.name not in ("id",)]
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        raw = getattr(instance, field.attname)
        values[name] = _plain(getattr(instance, name) if field.is_relation and raw is not None else raw)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    instance: models.Model,
    actor,
    action: str,
    changes: dict[str, Any] | None = None,
    summary: str = "",
    agency=None,
) -> AuditEntry:
    if agency is None and hasattr(instance, "agency_id"):
        agency_id = instance.agency_id
    else:
        agency_id = getattr(agency, "pk", agency)
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        agency_id=agency_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=summary[:255],
        changes=changes or {},
    )


def history(instance: models.Model):
    """Audit entries of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("actor")
