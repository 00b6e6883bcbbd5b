"""Changes to the TTHC catalogue. Every create and update goes through here so that it is audited (with a diff)
in the same transaction as the change; views, the importer and the admin tools call these functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.text import clean_line, clean_text, code_problem

from . import parts
from .models import Procedure

# Fields a caller may set; the rest (agency, search text, timestamps) are the service's business.
EDITABLE_FIELDS = (
    "code",
    "local_code",
    "name",
    "field",
    "level",
    "processing_time",
    "reduced_processing_time",
    "time_unit",
    "cutoff_time",
    "supplement_clock",
    "online_service",
    "legacy_online_level",
    "interconnection",
    "one_stop",
    "full_online_eligible",
    "online_payment",
    "written_result",
    "fees",
    "result_document",
    "result_kind",
    "internal_process_decision",
    "publishing_decision",
    "effective_from",
    "abolished_on",
)
_AUDITED = [*EDITABLE_FIELDS, "agency"]


def _values(procedure: Procedure) -> dict[str, Any]:
    """Comparable values of the audited fields: foreign keys by id, decimals at the field's precision."""
    values = {}
    for name in _AUDITED:
        field = Procedure._meta.get_field(name)
        value = getattr(procedure, field.attname)
        if isinstance(value, Decimal):
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        values[name] = value
    return values


def _readable(procedure: Procedure, name: str, value: Any) -> Any:
    field = Procedure._meta.get_field(name)
    if field.is_relation and value is not None:
        related = getattr(procedure, name, None)
        value = related if related is not None and related.pk == value else f"#{value}"
    if isinstance(value, Decimal):
        return str(value.normalize()) if value != value.to_integral_value() else str(int(value))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def _diff(before: Procedure | None, after: Procedure) -> dict[str, list[Any]]:
    old = _values(before) if before is not None else {}
    new = _values(after)
    return {
        name: [_readable(before, name, old.get(name)) if before is not None else None, _readable(after, name, value)]
        for name, value in new.items()
        if old.get(name) != value or before is None
    }


# Texts cleaned before they are stored or compared (cchc.text): a code typed with a zero-width space is the code.
_ONE_LINE = ("code", "local_code", "name", "result_document", "internal_process_decision", "publishing_decision")


def _apply(procedure: Procedure, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name in EDITABLE_FIELDS:
            if isinstance(value, str):
                value = clean_line(value) if name in _ONE_LINE else clean_text(value) if name == "fees" else value
            setattr(procedure, name, value)


def save_procedure(
    procedure: Procedure, actor, *, action: str | None = None, summary: str = ""
) -> dict[str, list[Any]]:
    """Save `procedure` and audit it: a new row is recorded whole, an existing one with the diff against the
    stored row. An existing row that did not change is not written and not audited. Returns the recorded changes
    ({field: [old, new]}), empty when nothing changed."""
    problem = code_problem(procedure.code or "", _("Mã TTHC"))
    if problem:
        raise ValidationError({"code": problem})
    with transaction.atomic():
        if procedure.pk is None:
            procedure.full_clean(exclude=["search_text"])
            procedure.save()
            changes = _diff(None, procedure)
            audit.record(procedure, actor, action or AuditEntry.Action.CREATE, changes, summary=summary)
            return changes
        stored = Procedure.objects.select_for_update().get(pk=procedure.pk)
        changes = _diff(stored, procedure)
        if not changes:
            return {}
        procedure.full_clean(exclude=["search_text"])
        procedure.save()
        audit.record(procedure, actor, action or AuditEntry.Action.UPDATE, changes, summary=summary)
        return changes


def create_procedure(
    agency, data: dict[str, Any], actor, *, action: str | None = None, summary: str = "", copy_parts: bool = True
) -> Procedure:
    """A new catalogue entry of `agency` from `data` (model field names, e.g. a form's cleaned_data). A new version
    of a code the agency already has starts with the parts (components, fees, internal process) of the version it
    follows, unless `copy_parts` is False."""
    procedure = Procedure(agency=agency)
    _apply(procedure, data)
    with transaction.atomic():
        save_procedure(procedure, actor, action=action, summary=summary)
        earlier = parts.predecessor(procedure) if copy_parts else None
        if earlier is not None:
            parts.copy_parts(earlier, procedure, actor, action=action or AuditEntry.Action.CREATE)
    return procedure


def update_procedure(
    procedure: Procedure, data: dict[str, Any], actor, *, action: str | None = None, summary: str = ""
) -> Procedure:
    """Apply `data` to a stored entry; audited when something changed, untouched otherwise."""
    _apply(procedure, data)
    save_procedure(procedure, actor, action=action, summary=summary)
    return procedure


def changed_fields(procedure: Procedure, data: dict[str, Any]) -> list[str]:
    """The names of the fields `data` would change on `procedure` (without changing it)."""
    before = _values(procedure)
    probe = Procedure(**{f.attname: getattr(procedure, f.attname) for f in Procedure._meta.concrete_fields})
    _apply(probe, data)
    after = _values(probe)
    return [name for name in after if before[name] != after[name]]
