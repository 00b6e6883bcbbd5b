"""The document registry's domain functions that are not number allocation (numbering.py): incoming documents,
search, and matching references found in text against the registry. Views, the report importer and the demo call
these."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.audit.service import record
from cchc.text import fold

from .models import Direction, Document, DocumentKind, Register
from .numbering import allocate_number
from .references import Reference, normalise_symbol


def search_documents(queryset: QuerySet, text: str) -> QuerySet:
    """Documents whose number/symbol or excerpt contains `text`, ignoring case and diacritics ("ke hoach cai cach"
    finds "Kế hoạch cải cách"). Folding happens in Python, the same on SQLite and PostgreSQL: an agency's registry
    holds thousands of documents a year, not millions."""
    wanted = fold(text)
    if not wanted:
        return queryset
    matches = [
        pk
        for pk, number, symbol, excerpt in queryset.values_list("pk", "number", "symbol", "excerpt")
        if wanted in fold(f"{number}/{symbol} {number}-{symbol} {excerpt}")
    ]
    return queryset.filter(pk__in=matches)


def register_incoming(
    agency: Agency,
    *,
    actor,
    kind: str,
    number: str,
    symbol: str,
    issue_date: dt.date,
    issuing_body: str,
    excerpt: str,
    register: Register | None = None,
    received_on: dt.date | None = None,
    **fields,
) -> Document:
    """Record an incoming document; with a register, take its next arrival number (of the arrival year) in the same
    transaction. The incoming twin of numbering.issue_document. `received_on` (default today) lets a department
    record its earlier arrivals when it starts using cchc."""
    if register is not None and (register.agency_id != agency.pk or register.direction != Direction.INCOMING):
        raise ValidationError(_("Chỉ vào sổ văn bản đến của cơ quan mình."))
    arrival_year = (received_on or timezone.localdate()).year
    with transaction.atomic():
        arrival = allocate_number(register, arrival_year, actor=actor) if register else None
        document = Document.objects.create(
            agency=agency,
            register=register,
            direction=Direction.INCOMING,
            kind=DocumentKind(kind),
            number=number,
            numeric_number=arrival,
            year=arrival_year if register else issue_date.year,
            symbol=symbol,
            issue_date=issue_date,
            issuing_body=issuing_body,
            excerpt=excerpt,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **fields,
        )
        changes = {
            "kind": [None, document.kind],
            "number": [None, number],
            "symbol": [None, symbol],
            "issue_date": [None, issue_date.isoformat()],
            "issuing_body": [None, issuing_body],
            "excerpt": [None, excerpt],
            "numeric_number": [None, arrival],
        }
        record(
            document,
            actor,
            "create",
            changes,
            summary=_("Vào sổ văn bản đến %(doc)s") % {"doc": document.number_symbol},
        )
    return document


def _number_key(number: str) -> tuple[int, str] | None:
    head, _sep, tail = (number or "").partition("/")
    return (int(head), tail) if head.isdigit() else None


def _symbol_key(symbol: str) -> str:
    return fold(normalise_symbol(symbol or "")).replace(" ", "")


def match_references(references: list[Reference], documents: QuerySet) -> list[tuple[Reference, Document | None]]:
    """Each reference with the registered document of the same number (leading zeros ignored) and symbol (case,
    spacing and the Ð/Đ look-alike ignored), or None. Laws cited by name and numbers without a symbol match nothing:
    they do not identify one document."""
    wanted = [ref for ref in references if ref.number and ref.symbol and _number_key(ref.number)]
    index: dict[tuple, Document] = {}
    if wanted:
        numbers: set[str] = set()
        for ref in wanted:
            head, sep, tail = ref.number.partition("/")
            for variant in {head, head.lstrip("0") or "0", f"{int(head):02d}"}:
                numbers.add(f"{variant}{sep}{tail}")
        for document in documents.filter(number__in=numbers).order_by("pk"):
            key = (_number_key(document.number), _symbol_key(document.symbol))
            index.setdefault(key, document)
    return [
        (ref, index.get((_number_key(ref.number), _symbol_key(ref.symbol))) if ref in wanted else None)
        for ref in references
    ]
