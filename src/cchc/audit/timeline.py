"""The audit trail as a person reads it: one presenter for every object's "Lịch sử thay đổi".

Audit entries carry their changes in two shapes: `{field: [old, new]}` (updates, transitions, and the creations that
record what a field was set from) and `{field: value}` (snapshots at creation, counts of an import). Pages never
unpack these themselves; they call `entries()` and show labels and values in Vietnamese: a field's verbose name,
a choice's label rather than its code, dates as dd/mm/yyyy, lists joined, yes/no in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import AuditEntry
from .service import history

LONG_TEXT = 240  # characters of a long text shown in a change row; the object's own page has the whole text


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    summary: str
    changes: list[ChangeRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.summary or self.action_label


def person(user) -> str:
    """How a page names whoever did something: full name, else user name; the system when nobody did."""
    if user is None:
        return _("Hệ thống")
    return user.get_full_name() or user.get_username()


def _model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1].rstrip() + "…"


def _date_text(value: str, with_time: bool) -> str | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if with_time:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%d/%m/%Y %H:%M")
    return moment.strftime("%d/%m/%Y")


def display_value(model_field: models.Field | None, value: Any) -> str:
    """A stored audit value as a person reads it ("—" for nothing)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (list, tuple)):
        return _short("; ".join(display_value(model_field, item) for item in value))
    if isinstance(value, dict):
        return _short("; ".join(f"{k}: {display_value(None, v)}" for k, v in value.items()))
    if model_field is not None and model_field.choices:
        labels = {str(code): str(label) for code, label in model_field.flatchoices}
        if str(value) in labels:
            return labels[str(value)]
    if isinstance(value, str) and isinstance(model_field, (models.DateField, models.DateTimeField)):
        shown = _date_text(value, isinstance(model_field, models.DateTimeField))
        if shown is not None:
            return shown
    if isinstance(model_field, models.DecimalField) or isinstance(value, (float, Decimal)):
        try:
            return formats.number_format(Decimal(str(value)).normalize(), use_l10n=True)
        except (InvalidOperation, ValueError):
            pass
    return _short(str(value))


# A key that is not a model field but names something a person recognises: its label and a field whose kind
# says how to show its values (e.g. a dossier's "event:resolved" moment, shown like a date and time).
ExtraKey = Callable[[str], "tuple[str, models.Field | None] | None"]


def rows_for(
    changes: Any,
    model: type[models.Model] | None,
    *,
    creation: bool = False,
    extra: ExtraKey | None = None,
) -> list[ChangeRow]:
    """One row per changed field of `model` (and per key `extra` names). Other keys (an import's counts, say)
    are left to the entry's summary: they have no label a person would recognise."""
    rows = []
    for name, change in (changes if isinstance(changes, dict) else {}).items():
        model_field = _model_field(model, name)
        if model_field is not None:
            label = str(model_field.verbose_name)
        else:
            known = extra(name) if extra else None
            if known is None:
                continue
            label, model_field = known
        old, new = _old_new(model_field, change)
        if creation and old is None:
            # A creation lists every field it was made with; the object's page already shows them.
            continue
        rows.append(ChangeRow(label[:1].upper() + label[1:], display_value(model_field, old),
                              display_value(model_field, new)))
    return rows


def change_rows(entry: AuditEntry, model: type[models.Model] | None = None, extra: ExtraKey | None = None):
    return rows_for(
        entry.changes,
        model or entry.content_type.model_class(),
        creation=entry.action == AuditEntry.Action.CREATE,
        extra=extra,
    )


def _old_new(model_field: models.Field | None, change: Any) -> tuple[Any, Any]:
    """[old, new] of a change; a bare value is what a creation or a snapshot set. A JSON field holding a list
    is a pair only when both halves are lists (or nothing)."""
    if isinstance(change, (list, tuple)) and len(change) == 2:
        if not isinstance(model_field, models.JSONField) or all(isinstance(c, (list, type(None))) for c in change):
            return change[0], change[1]
    return None, change


def describe(entry: AuditEntry, model: type[models.Model] | None = None) -> TimelineEntry:
    return TimelineEntry(
        at=entry.at,
        actor=person(entry.actor),
        action=entry.action,
        action_label=str(entry.get_action_display() or entry.action),
        summary=entry.summary,
        changes=change_rows(entry, model),
    )


def entries(instance: models.Model, limit: int = 50, exclude_actions: Iterable[str] = ()) -> list[TimelineEntry]:
    """The newest `limit` audit entries of `instance`, ready for a page."""
    queryset = history(instance).select_related("actor")
    if exclude_actions:
        queryset = queryset.exclude(action__in=list(exclude_actions))
    model = type(instance)
    return [describe(entry, model) for entry in queryset[:limit]]
