"""The default templates (files in defaults/), their rows in the database, and which template prints a dossier.

The files are loaded into FormTemplate rows without agency or province by ensure_defaults() (idempotent, called by
the data migration and before every look-up, one query when nothing changed). `defaults/<regime>/<form>.txt` is
version 1; a corrected edition of the circular is a new file `<form>.v2.txt` whose first line says from which
receipt day it applies: "# áp dụng từ: 01/01/2027".

A dossier prints with: its regime; the newest version whose first day is on or before its receipt day (the first
version for a dossier older than every version); of that version, the agency's variant, else the province's, else
the default. An agency edits its own variant on a page; "reset" deletes the variant, so the default applies again.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.text import nfc

from . import markup
from .catalogue import SPECS, FormSpec, spec_for
from .models import FormTemplate

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
_VERSION = re.compile(r"^(?P<form>[a-z-]+?)(?:\.v(?P<version>\d+))?\.txt$")
_FROM = re.compile(r"^#\s*áp dụng từ:\s*(\d{2}/\d{2}/\d{4})", re.IGNORECASE)


@cache
def default_files() -> dict[tuple[str, str, int], tuple[dt.date, str]]:
    """(regime, form, version) -> (first receipt day, text) of every file in defaults/."""
    out = {}
    for (regime, form), spec in SPECS.items():
        for path in sorted((DEFAULTS_DIR / regime).glob(f"{form}*.txt")):
            match = _VERSION.match(path.name)
            if not match or match.group("form") != form:
                continue
            text = nfc(path.read_text(encoding="utf-8"))
            version = int(match.group("version") or 1)
            first = _FROM.match(text.lstrip())
            valid_from = dt.datetime.strptime(first.group(1), "%d/%m/%Y").date() if first else spec.valid_from
            out[(regime, form, version)] = (valid_from, text)
    return out


def ensure_defaults(model: type[FormTemplate] = FormTemplate) -> int:
    """Write the default files into the database (new ones created, changed ones updated); returns rows written."""
    files = default_files()
    existing = {
        (row.regime, row.form, row.version): row
        for row in model.objects.filter(agency__isnull=True, province__isnull=True)
    }
    written = 0
    for key, (valid_from, text) in files.items():
        row = existing.get(key)
        if row is None:
            model.objects.create(regime=key[0], form=key[1], version=key[2], valid_from=valid_from, text=text)
            written += 1
        elif row.text != text or row.valid_from != valid_from:
            row.text, row.valid_from = text, valid_from
            row.save(update_fields=["text", "valid_from", "updated_at"])
            written += 1
    return written


_loaded = False


def _ensure_once() -> None:
    # Once per process: the files do not change while it runs.
    global _loaded
    if not _loaded:
        ensure_defaults()
        _loaded = True


def version_for(regime: str, form: str, day: dt.date) -> FormTemplate | None:
    """The default row of the version in force on `day` (the first version for an earlier day)."""
    _ensure_once()
    rows = FormTemplate.objects.filter(regime=regime, form=form, agency__isnull=True, province__isnull=True)
    defaults = list(rows.order_by("valid_from", "version"))
    if not defaults and (regime, form) in SPECS:
        # The default rows went away after this process wrote them (a flushed database: the tests that run a live
        # server; a restored backup): write them again rather than answer that the form does not exist.
        ensure_defaults()
        defaults = list(rows.order_by("valid_from", "version"))
    if not defaults:
        return None
    in_force = [row for row in defaults if row.valid_from <= day]
    return in_force[-1] if in_force else defaults[0]


def resolve(agency, regime: str, form: str, day: dt.date) -> FormTemplate | None:
    """The template that prints form `form` of `regime` for a dossier of `agency` received on `day`."""
    default = version_for(regime, form, day)
    if default is None:
        return None
    scopes = Q(agency=agency)
    if agency.province_id:
        scopes |= Q(agency__isnull=True, province_id=agency.province_id)
    variants = list(FormTemplate.objects.filter(scopes, regime=regime, form=form, version=default.version))
    by_scope = {("agency" if row.agency_id else "province"): row for row in variants}
    return by_scope.get("agency") or by_scope.get("province") or default


def validate(text: str, form: str) -> markup.Parsed:
    return markup.parse(text, form)


def save_variant(agency, regime: str, form: str, version: int, text: str, *, actor, note: str = "") -> FormTemplate:
    """Create or change the agency's variant of one version of a form; TemplateError if the text cannot be used."""
    spec: FormSpec | None = spec_for(regime, form)
    if spec is None:
        raise ValidationError(_("Chế độ pháp lý này không có biểu mẫu đó."))
    text = nfc(text or "").replace("\r\n", "\n").strip() + "\n"
    validate(text, form)
    default = FormTemplate.objects.filter(
        regime=regime, form=form, version=version, agency__isnull=True, province__isnull=True
    ).first()
    if default is None:
        raise ValidationError(_("Không có phiên bản %(version)d của biểu mẫu này.") % {"version": version})
    with transaction.atomic():
        row = (
            FormTemplate.objects.select_for_update()
            .filter(agency=agency, regime=regime, form=form, version=version)
            .first()
        )
        if row is None:
            row = FormTemplate.objects.create(
                agency=agency,
                regime=regime,
                form=form,
                version=version,
                valid_from=default.valid_from,
                text=text,
                note=nfc(note).strip()[:255],
                updated_by=actor,
            )
            audit.record(
                row,
                actor,
                AuditEntry.Action.CREATE,
                changes={"text": [default.text, text], "note": row.note},
                summary=_("Tạo mẫu biểu riêng của cơ quan"),
                agency=agency,
            )
            return row
        before = row.text
        if before == text and row.note == nfc(note).strip()[:255]:
            return row
        row.text, row.note, row.updated_by = text, nfc(note).strip()[:255], actor
        row.save()
        audit.record(
            row,
            actor,
            AuditEntry.Action.UPDATE,
            changes={"text": [before, text], "note": row.note},
            summary=_("Sửa mẫu biểu của cơ quan"),
            agency=agency,
        )
    return row


def reset_variant(agency, regime: str, form: str, version: int, *, actor) -> bool:
    """Delete the agency's variant (the province's or the default applies again); False if there was none."""
    with transaction.atomic():
        row = FormTemplate.objects.filter(agency=agency, regime=regime, form=form, version=version).first()
        if row is None:
            return False
        audit.record(
            row,
            actor,
            AuditEntry.Action.DELETE,
            changes={"text": [row.text, None]},
            summary=_("Trả mẫu biểu về mẫu mặc định"),
            agency=agency,
        )
        row.delete()
    return True
