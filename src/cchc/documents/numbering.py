"""Numbers and symbols of outgoing documents (Nghị định 30/2020/NĐ-CP Điều 15, Phụ lục I and III).

- Numbers run per register from 01 on 1 January to 31 December, without gaps or duplicates, however many officers
  issue at the same moment: a counter row per (register, year) is locked with SELECT ... FOR UPDATE on PostgreSQL;
  SQLite takes its write lock at BEGIN (settings use transaction_mode IMMEDIATE), which serialises the same way.
- Issue a document with `issue_document`: the number is taken and the document saved in one transaction, so a
  failure rolls both back and the number is handed out again — no gap. `allocate_number` alone commits a number
  that no document carries; call it inside your own transaction.atomic() together with the document it numbers.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from cchc.agencies.scoping import can
from cchc.audit.service import record

from .models import Direction, Document, DocumentKind, NumberCounter, Register

T = TypeVar("T")
_SQLITE_ATTEMPTS = 60

def format_number(n: int) -> str:
    """"05" below 10, as the decree writes numbers (Phụ lục I: "Số: 05/BC-..."), else the plain number."""
    if n < 1:
        raise ValueError("Số văn bản bắt đầu từ 1.")
    return f"{n:02d}"


def full_symbol(kind: DocumentKind | str, agency_code: str, unit_code: str | None = None) -> str:
    """The symbol after the slash: "KH-SKHCN"; for a công văn the agency and the drafting unit, "SKHCN-QLĐLCL".

    A unit code after a typed document's agency code is allowed where the agency's own rules add it
    ("QĐ-SKHCN-VP"); the decree requires it only for công văn."""
    kind = DocumentKind(kind)
    agency_code = agency_code.strip()
    if not agency_code:
        raise ValueError("Thiếu ký hiệu cơ quan ban hành.")
    parts = []
    if kind.symbol_abbreviation:
        parts.append(kind.symbol_abbreviation)
    parts.append(agency_code)
    if unit_code and unit_code.strip():
        parts.append(unit_code.strip())
    return "-".join(parts)


def _plain_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _counter_year(register: Register, year: int) -> int:
    return year if register.resets_yearly else 0


def _retry_when_sqlite_is_locked(work: Callable[[], T]) -> T:
    """Run `work` (one whole transaction); on SQLite, run it again when the database is locked.

    PostgreSQL makes a concurrent issuer wait on the row lock. SQLite waits up to busy_timeout for a file lock, but
    reports a lock held by another connection of a shared cache (the in-memory database of the tests) at once, and
    gives up after busy_timeout under heavy load; the transaction was rolled back, so running it again is safe.
    Inside an outer transaction nothing can be retried here: the caller's transaction decides.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return work()
    for attempt in range(_SQLITE_ATTEMPTS):
        try:
            return work()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == _SQLITE_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.001, min(0.1, 0.002 * 2 ** min(attempt, 6))))
    raise AssertionError("unreachable")


def allocate_number(register: Register, year: int, *, actor) -> int:
    """Take the next number of `register` for `year` (1, 2, ...), atomically; audited with the actor."""
    return _retry_when_sqlite_is_locked(lambda: _allocate(register, year, actor))


def _allocate(register: Register, year: int, actor) -> int:
    key_year = _counter_year(register, year)
    with transaction.atomic():
        counter = NumberCounter.objects.select_for_update().filter(register=register, year=key_year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter = NumberCounter.objects.create(register=register, year=key_year, last=0)
            except IntegrityError:
                # Another transaction created the row in the meantime: wait for its lock and continue from it.
                counter = NumberCounter.objects.select_for_update().get(register=register, year=key_year)
        counter.last += 1
        counter.save(update_fields=["last"])
        record(counter, actor, "allocate", {"number": counter.last, "year": year},
               summary=_("Cấp số %(n)s") % {"n": format_number(counter.last)}, agency=register.agency_id)
        return counter.last


def issue_document(
    *,
    register: Register,
    kind: DocumentKind | str,
    excerpt: str,
    issue_date: dt.date,
    actor,
    unit_code: str | None = None,
    **fields,
) -> Document:
    """Allocate the next number of `register` and create the outgoing document in one transaction.

    `fields` are further Document fields (signer_name, signer_title, signing_form, digitally_signed, file, ...).
    """
    if register.direction != Direction.OUTGOING:
        raise ValidationError(_("Chỉ cấp số văn bản đi trong sổ văn bản đi."))
    if not register.is_active:
        raise ValidationError(_("Sổ văn bản này đã ngừng sử dụng."))
    if not can(actor, "document.issue", register.agency_id):
        raise PermissionDenied(_("Bạn không có quyền ban hành văn bản của cơ quan này."))
    if not (excerpt or "").strip():
        raise ValidationError(_("Văn bản cần có trích yếu."))
    return _retry_when_sqlite_is_locked(
        lambda: _issue(register, DocumentKind(kind), excerpt, issue_date, actor, unit_code, fields)
    )


def _issue(register, kind, excerpt, issue_date, actor, unit_code, fields) -> Document:
    agency = register.agency
    with transaction.atomic():
        n = _allocate(register, issue_date.year, actor)
        document = Document.objects.create(
            agency=agency,
            register=register,
            direction=Direction.OUTGOING,
            kind=DocumentKind(kind),
            number=format_number(n),
            numeric_number=n,
            year=issue_date.year,
            symbol=full_symbol(kind, agency.code, unit_code),
            issue_date=issue_date,
            issuing_body=agency.name,
            excerpt=(excerpt or "").strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **fields,
        )
        changes = {
            name: [None, _plain_value(getattr(document, name))]
            for name in ("kind", "number", "symbol", "year", "issue_date", "excerpt", "signer_name", "signing_form")
        }
        record(document, actor, "create", changes, summary=_("Ban hành %(doc)s") % {"doc": document.number_symbol})
    return document
