"""Writing validated rows in batches, one transaction each: COPY on PostgreSQL, bulk_create elsewhere for new
dossiers and their events, bulk_update for changed ones; one audit entry per batch and per changed dossier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.datachanges import written

from ..import_guard import ReportedPeriodGuard
from ..models import Dossier, DossierEvent, EventKind, Status, search_text_for
from .columns import COMPARED, MANAGED_EVENTS
from .results import ImportResult, RowError
from .sources import _cell_text
from .values import _Context, _plain

# --- writing -----------------------------------------------------------------------------------------------------

_DEFAULTS = {
    "national_code": "",
    "applicant_kind": "person",
    "applicant_id_number": "",
    "applicant_address": "",
    "applicant_phone": "",
    "applicant_email": "",
    "summary": "",
    "digitised": False,
    "result_digitised": False,
    # The service index's columns (dossiers migration 0013): COPY writes every column, so each needs a value.
    "fees_due": None,
    "fees_paid": 0,
    "payment_gateway": 0,
    "digitised_components": 0,
    "reused_components": 0,
    "national_store_linked": False,
    "population_data_used": False,
    "synced_at": None,
}


@dataclass
class _Pending:
    row: int
    code: str
    data: dict[str, Any]
    events: list[tuple]
    copy_line: str = ""  # PostgreSQL: the dossier and its events as COPY lines, see _Writer.prepare
    event_lines: str = ""
    values: Any = ()  # the row as read, for the error file when the writer refuses it

    def moments(self) -> list[dt.datetime]:
        return [self.data.get("received_at"), *(at for _kind, at, _note, _promised in self.events)]


class _Writer:
    def __init__(self, ctx: _Context, result: ImportResult, guard: ReportedPeriodGuard) -> None:
        self.ctx = ctx
        self.result = result
        self.guard = guard
        self._refused: list[RowError] = []
        self.use_copy = connection.vendor == "postgresql"
        self.dossier_columns = [f.column for f in Dossier._meta.concrete_fields]
        self.dossier_attnames = [f.attname for f in Dossier._meta.concrete_fields]
        self.formatters = [(f.attname, _copy_formatter(f)) for f in Dossier._meta.concrete_fields]
        self.event_fields = [f for f in DossierEvent._meta.concrete_fields if f.attname != "id"]
        self.event_names = [f.attname for f in self.event_fields]
        if set(self.event_names) != {
            "dossier_id",
            "kind",
            "at",
            "actor_id",
            "unit_id",
            "note",
            "new_promised_date",
            "recorded_at",
        }:
            raise RuntimeError("DossierEvent has columns the importer does not fill")

    def flush(self, batch: list[_Pending], batch_number: int) -> None:
        for attempt in range(2):
            self._refused = []
            try:
                with transaction.atomic():
                    created, updated, unchanged = self._write(batch, batch_number)
                    self.guard.record_batch(self.ctx.actor, self.result.file_name)
                break
            except IntegrityError:
                self.guard.forget_batch()
                # Another import took one of these codes between our look-up and our insert: look again once.
                if attempt == 1:
                    raise
        self.result.errors.extend(self._refused)
        self.result.created += created
        self.result.updated += updated
        self.result.unchanged += unchanged

    def _write(self, batch: list[_Pending], batch_number: int) -> tuple[int, int, int]:
        ctx = self.ctx
        codes = [item.code for item in batch]
        if self.use_copy:
            # One array parameter instead of thousands of placeholders; most batches of a new file find nothing.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT code FROM {connection.ops.quote_name(Dossier._meta.db_table)} "
                    "WHERE agency_id = %s AND code = ANY(%s)",
                    [ctx.agency.pk, codes],
                )
                codes = [row[0] for row in cursor.fetchall()]
        existing = {}
        if codes:
            existing = {
                row["code"]: row
                for row in Dossier.objects.filter(agency=ctx.agency, code__in=codes).values("id", "code", *COMPARED)
            }
        new = [item for item in batch if item.code not in existing and self._admitted(item, item.moments())]
        old = [item for item in batch if item.code in existing]
        now = timezone.now()
        if new:
            if self.use_copy:
                self._insert_copy(new)
            else:
                self._insert_orm(new, now)
        updated = self._update(old, existing, now) if old else 0
        unchanged = len(old) - updated
        if new or updated:
            first, last = batch[0].row, batch[-1].row
            audit.record(
                ctx.agency,
                ctx.actor,
                AuditEntry.Action.IMPORT,
                changes={
                    "file": self.result.file_name,
                    "batch": batch_number,
                    "rows": [first, last],
                    "created": len(new),
                    "updated": updated,
                    "unchanged": unchanged,
                    "created_codes": [item.code for item in new],
                },
                summary=_("Nhập hồ sơ từ tệp %(file)s: %(created)s thêm mới, %(updated)s cập nhật")
                % {"file": self.result.file_name, "created": len(new), "updated": updated},
                agency=ctx.agency,
            )
        return len(new), updated, unchanged

    def _admitted(self, item: _Pending, moments: list) -> bool:
        """Whether the row may change data at `moments` (periods already reported need the import's reason)."""
        problem = self.guard.refusal(moments)
        if problem:
            cells = tuple(_cell_text(value) for value in item.values)
            self._refused.append(RowError(item.row, item.code, problem, cells))
        return not problem

    def _dossier_values(self, item: _Pending, pk: int | None, now: dt.datetime) -> dict[str, Any]:
        values = dict(_DEFAULTS)
        values.update(item.data)
        if "result_channel" not in item.data:
            values["result_channel"] = values["channel"]
        values.update(
            id=pk,
            agency_id=self.ctx.agency.pk,
            code=item.code,
            current_unit_id=None,
            created_by_id=self.ctx.actor.pk if self.ctx.actor else None,
            created_at=now,
            updated_at=now,
        )
        # bulk_create skips save(): the search column is filled here.
        values["search_text"] = search_text_for(
            item.code, values["applicant_name"], values["applicant_id_number"], values["national_code"]
        )
        return values

    def prepare(self, batch: list[_Pending]) -> None:
        """PostgreSQL: give each row of the batch an id from the table's sequence and build its COPY lines (the
        dossier and its events, in the text format, built here: faster than adapting value by value). Runs in the
        parsing thread, so that the writing thread only talks to the database. A row that turns out to exist already
        is updated instead and its id stays unused (a gap in the sequence, nothing more)."""
        if not self.use_copy:
            return
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Dossier._meta.db_table, len(batch)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        # Columns the rows share are formatted once; a row formats only its own values.
        shared = dict(_DEFAULTS)
        shared.update(
            agency_id=self.ctx.agency.pk,
            current_unit_id=None,
            created_by_id=self.ctx.actor.pk if self.ctx.actor else None,
            created_at=now,
            updated_at=now,
        )
        plan = [(name, fmt, fmt(shared[name]) if name in shared else None) for name, fmt in self.formatters]
        event_line = "\t".join(f"{{{name}}}" for name in self.event_names) + "\n"
        actor = _copy_text(self.ctx.actor.pk if self.ctx.actor else None)
        unit = _copy_text(self.ctx.unit_id)
        recorded = now.isoformat()
        missing = object()
        for item, pk in zip(batch, ids, strict=True):
            data = dict(item.data, id=pk, code=item.code)
            get = data.get
            data["search_text"] = search_text_for(
                item.code, data["applicant_name"], get("applicant_id_number") or "", get("national_code") or ""
            )
            if "result_channel" not in data:
                data["result_channel"] = data["channel"]
            item.copy_line = (
                "\t".join(
                    [fmt(value) if (value := get(name, missing)) is not missing else text for name, fmt, text in plan]
                )
                + "\n"
            )
            key = str(pk)
            item.event_lines = "".join(
                [
                    event_line.format(
                        dossier_id=key,
                        kind=str(kind),
                        at=at.isoformat(),
                        actor_id=actor,
                        unit_id=unit,
                        note=_copy_str(note),
                        new_promised_date=_copy_iso(promised),
                        recorded_at=recorded,
                    )
                    for kind, at, note, promised in item.events
                ]
            )

    def _insert_copy(self, new: list[_Pending]) -> None:
        """COPY the rows prepared by prepare()."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            raw = cursor.cursor
            columns = ", ".join(quote(c) for c in self.dossier_columns)
            with raw.copy(f"COPY {quote(Dossier._meta.db_table)} ({columns}) FROM STDIN") as copy:
                copy.write("".join([item.copy_line for item in new]))
            columns = ", ".join(quote(f.column) for f in self.event_fields)
            with raw.copy(f"COPY {quote(DossierEvent._meta.db_table)} ({columns}) FROM STDIN") as copy:
                copy.write("".join([item.event_lines for item in new]))
        # COPY skips the queryset's bulk methods: announce the change in this batch's transaction (cchc.datachanges).
        written(Dossier, {self.ctx.agency.pk})

    def _insert_orm(self, new: list[_Pending], now: dt.datetime) -> None:
        objects = []
        for item in new:
            values = self._dossier_values(item, None, now)
            objects.append(Dossier(**values))
        Dossier.objects.bulk_create(objects)
        events = []
        for item, dossier in zip(new, objects, strict=True):
            for kind, at, note, promised in item.events:
                events.append(self._event(dossier.pk, kind, at, note, promised))
        DossierEvent.objects.bulk_create(events)

    def _event(self, dossier_id: int, kind: str, at, note: str, promised) -> DossierEvent:
        return DossierEvent(
            dossier_id=dossier_id,
            kind=kind,
            at=at,
            actor=self.ctx.actor,
            unit_id=self.ctx.unit_id,
            note=note,
            new_promised_date=promised,
        )

    def _update(self, old: list[_Pending], existing: dict[str, dict[str, Any]], now: dt.datetime) -> int:
        ctx = self.ctx
        ids = [existing[item.code]["id"] for item in old]
        current_events: dict[int, dict[str, tuple]] = {}
        for event_id, dossier_id, kind, at, note, promised in (
            DossierEvent.objects.filter(dossier_id__in=ids, kind__in=MANAGED_EVENTS)
            .order_by("at", "pk")
            .values_list("id", "dossier_id", "kind", "at", "note", "new_promised_date")
        ):
            current_events.setdefault(dossier_id, {}).setdefault(kind, (event_id, at, note, promised))

        changed_dossiers: list[Dossier] = []
        event_updates: list[DossierEvent] = []
        event_creates: list[DossierEvent] = []
        event_deletes: list[int] = []
        audits: list[tuple[Dossier, dict[str, Any]]] = []
        for item in old:
            before = existing[item.code]
            dossier_id = before["id"]
            desired = dict(item.data)
            if desired["status"] == Status.RECEIVED and before["status"] == Status.IN_PROCESS:
                # Assigned to a unit in cchc; the file knows nothing of that hand-over.
                desired["status"] = Status.IN_PROCESS
            changes = {
                name: [_plain(before[name]), _plain(value)] for name, value in desired.items() if before[name] != value
            }
            have = current_events.get(dossier_id, {})
            wanted = {kind: (at, note, promised) for kind, at, note, promised in item.events}
            creates: list[DossierEvent] = []
            updates: list[DossierEvent] = []
            deletes: list[int] = []
            for kind, (at, note, promised) in wanted.items():
                found = have.get(kind)
                if found is None:
                    creates.append(self._event(dossier_id, kind, at, note, promised))
                    changes[f"event:{kind}"] = [None, _plain(at)]
                    continue
                event_id, old_at, old_note, old_promised = found
                # The file carries no notes except the refusal reason: keep notes written in cchc.
                new_note = note if kind == EventKind.REFUSED else old_note
                if kind == EventKind.APOLOGY_ISSUED:
                    at = old_at  # the file has no apology date: keep the recorded one
                if (old_at, old_note, old_promised) != (at, new_note, promised):
                    updates.append(
                        DossierEvent(
                            id=event_id,
                            dossier_id=dossier_id,
                            kind=kind,
                            at=at,
                            note=new_note,
                            new_promised_date=promised,
                        )
                    )
                    changes[f"event:{kind}"] = [_plain(old_at), _plain(at)]
            for kind, (event_id, old_at, _note, _promised) in have.items():
                if kind not in wanted:
                    deletes.append(event_id)
                    changes[f"event:{kind}"] = [_plain(old_at), None]
            if not changes:
                continue
            # A change moves figures out of the old moments' periods as well as into the new ones'.
            if not self._admitted(item, [before["received_at"], *item.moments(), *(e[1] for e in have.values())]):
                continue
            event_creates += creates
            event_updates += updates
            event_deletes += deletes
            merged = {name: before[name] for name in COMPARED}
            merged.update(desired)
            dossier = Dossier(id=dossier_id, agency_id=ctx.agency.pk, code=item.code, updated_at=now, **merged)
            dossier.search_text = search_text_for(
                item.code, dossier.applicant_name, dossier.applicant_id_number, dossier.national_code
            )
            changed_dossiers.append(dossier)
            audits.append((dossier, changes))
        if changed_dossiers:
            Dossier.objects.bulk_update(changed_dossiers, [*COMPARED, "search_text", "updated_at"], batch_size=500)
        if event_updates:
            DossierEvent.objects.bulk_update(event_updates, ["at", "note", "new_promised_date"], batch_size=500)
        if event_creates:
            DossierEvent.objects.bulk_create(event_creates)
        if event_deletes:
            DossierEvent.objects.filter(pk__in=event_deletes).delete()
        for dossier, changes in audits:
            audit.record(
                dossier,
                ctx.actor,
                AuditEntry.Action.IMPORT,
                changes=changes,
                summary=_("Cập nhật từ tệp %(file)s") % {"file": self.result.file_name},
            )
        return len(changed_dossiers)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(int(value)) if isinstance(value, int) else str(value)


def _copy_str(value: str | None) -> str:
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return str(value)


def _copy_iso(value) -> str:
    return "\\N" if value is None else value.isoformat()


def _copy_bool(value) -> str:
    return "\\N" if value is None else ("t" if value else "f")


def _copy_int(value) -> str:
    return "\\N" if value is None else str(int(value))


def _copy_formatter(model_field) -> Callable[[Any], str]:
    """A COPY text formatter for one column, chosen once per import from the field's type."""
    kind = model_field.get_internal_type()
    if kind in ("DateTimeField", "DateField"):
        return _copy_iso
    if kind == "BooleanField":
        return _copy_bool
    if kind in ("CharField", "TextField", "EmailField"):
        return _copy_str
    if model_field.is_relation or kind.endswith("IntegerField") or kind.endswith("AutoField"):
        return _copy_int
    return _copy_text
