"""Parsed rows to the database: each procedure row in its own transaction, versions chained, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from cchc.audit.models import AuditEntry
from cchc.importing import ImportInProgress, agency_owner, exclusive_import, refresh_statistics
from cchc.procedures import services
from cchc.procedures.models import Field, Procedure
from cchc.tablefiles import TableFileError, open_table
from cchc.text import fold

from . import parts as parts_io
from .common import LIMITS, ImportResult, UnreadableFile
from .reading import ParsedRow, _header_score, _parse_rows

# --- import -------------------------------------------------------------------------------------------------


def import_catalogue(
    source: str | Path | bytes | IO[bytes],
    agency,
    actor=None,
    *,
    filename: str | None = None,
    default_effective_from: dt.date | None = None,
    wait: float | None = None,
) -> ImportResult:
    """Import a catalogue file (XLSX or CSV) for `agency`. Raises UnreadableFile, before saving anything, if it
    cannot be read or another import of the agency's catalogue is still running after `wait` seconds."""
    source_name = filename or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", ""))
    result = ImportResult()
    try:
        with open_table(source, filename=filename, limits=LIMITS, header_score=_header_score) as table:
            parsed, seen = _parse_rows(table, default_effective_from, result)
    except TableFileError as exc:
        raise UnreadableFile(str(exc)) from exc
    in_file = parts_io.read_parts(source, filename or source_name, agency)
    columns = parsed.columns
    try:
        with exclusive_import("procedures", agency.pk, owner=agency_owner(agency), wait=wait):
            existing = {
                (p.code, p.effective_from): p for p in Procedure.objects.filter(agency=agency).select_related("field")
            }
            starts: dict[str, set[dt.date]] = {}
            for code, start in [*existing, *seen]:
                starts.setdefault(code, set()).add(start)
            fields = {fold(f.name): f for f in Field.objects.all()}
            for row in parsed.rows:
                _chain_versions(row, existing, starts, columns, result)
            parts_io.check_parts(
                in_file,
                {
                    key: _probe(agency, existing.get(key), row.data)
                    for key, row in ((_key(row), row) for row in parsed.rows)
                },
                agency,
            )
            result.part_errors = [message for messages in in_file.errors.values() for message in messages]
            for row in parsed.rows:
                if _key(row) in in_file.problem_keys():
                    result.errors.append((row.number, _("Không nhập thủ tục này: các phần của thủ tục có dòng lỗi.")))
            failed = {number for number, _message in result.errors}
            for row in parsed.rows:
                if row.number in failed:
                    continue
                _save_row(row, agency, actor, existing, starts, set(seen), fields, source_name, result, in_file)
            refresh_statistics([Procedure], result.created + result.updated)
    except ImportInProgress as exc:
        raise UnreadableFile(str(exc)) from exc
    result.errors.sort()
    return result


def _key(row: ParsedRow) -> tuple[str, dt.date]:
    return row.data["code"], row.data["effective_from"]


def _probe(agency, stored: Procedure | None, data: dict) -> Procedure:
    """The version as the row would make it, for the checks of its parts (the steps' time against its time)."""
    probe = Procedure(agency=agency)
    for name in ("processing_time", "reduced_processing_time", "time_unit"):
        setattr(probe, name, data[name] if name in data else getattr(stored, name, getattr(probe, name)))
    return probe


def _chain_versions(row: ParsedRow, existing, starts, columns, result: ImportResult) -> None:
    """A row open-ended in the file ends where the next version of its code starts."""
    code, start = row.data["code"], row.data["effective_from"]
    later = sorted(s for s in starts.get(code, ()) if s > start)
    if not later:
        return
    end = (
        row.data.get("abolished_on")
        if "abolished_on" in columns
        else getattr(existing.get((code, start)), "abolished_on", None)
    )
    if end is None:
        row.data["abolished_on"] = later[0]
    elif end > later[0]:
        result.errors.append(
            (
                row.number,
                _("Thời gian hiệu lực chồng lên phiên bản khác của mã %(code)s bắt đầu từ %(day)s")
                % {"code": code, "day": f"{later[0]:%d/%m/%Y}"},
            )
        )


def _save_row(
    row, agency, actor, existing, starts, file_keys, fields, source_name, result: ImportResult, in_file=None
) -> None:
    data = dict(row.data)
    created_fields: list[str] = []
    folded = fold(row.field_name)
    try:
        with transaction.atomic():
            field_obj = fields.get(folded)
            if field_obj is None:
                field_obj = Field.objects.create(name=row.field_name)
                fields[folded] = field_obj
                created_fields.append(folded)
            data["field"] = field_obj
            key = (data["code"], data["effective_from"])
            stored = existing.get(key)
            if stored is None:
                stored = services.create_procedure(
                    agency,
                    data,
                    actor,
                    action=AuditEntry.Action.IMPORT,
                    summary=_("Thêm mới từ tệp %(name)s") % {"name": source_name},
                )
                outcome = "created"
            elif services.changed_fields(stored, data):
                services.update_procedure(
                    stored,
                    data,
                    actor,
                    action=AuditEntry.Action.IMPORT,
                    summary=_("Cập nhật từ tệp %(name)s") % {"name": source_name},
                )
                outcome = "updated"
            else:
                outcome = "unchanged"
            if in_file is not None and in_file.sheets:
                parts_io.save_parts(in_file, key, stored, actor, AuditEntry.Action.IMPORT, source_name)
            closed = _close_earlier_versions(stored, existing, starts, file_keys, actor, source_name)
    except ValidationError as exc:
        _forget(fields, created_fields)
        messages = (
            [m for messages in exc.message_dict.values() for m in messages]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        result.errors.append((row.number, "; ".join(str(m) for m in messages)))
        return
    except DatabaseError as exc:
        _forget(fields, created_fields)
        result.errors.append((row.number, _("Không lưu được: %(error)s") % {"error": exc}))
        return
    except BaseException:
        _forget(fields, created_fields)
        raise
    existing[key] = stored
    setattr(result, outcome, getattr(result, outcome) + 1)
    result.closed += closed


def _forget(fields: dict[str, Field], created: Iterable[str]) -> None:
    for folded in created:
        fields.pop(folded, None)


def _close_earlier_versions(procedure, existing, starts, file_keys, actor, source_name) -> int:
    """Close the open versions in the database that the file does not mention and that this version follows."""
    closed = 0
    for (code, start), older in list(existing.items()):
        if code != procedure.code or start >= procedure.effective_from or (code, start) in file_keys:
            continue
        if older.abolished_on is not None:
            continue
        end = min(s for s in starts[code] if s > start)
        services.update_procedure(
            older,
            {"abolished_on": end},
            actor,
            action=AuditEntry.Action.IMPORT,
            summary=_("Đóng phiên bản cũ khi nhập phiên bản mới từ tệp %(name)s") % {"name": source_name},
        )
        closed += 1
    return closed
