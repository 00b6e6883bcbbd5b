"""The officer's corrections of a report's figures before confirming: a value changed, a figure added (chosen from
the vocabulary's labelled list) or removed. The figures as read stay in `extracted`; the corrections are kept
beside them (ImportedReport.corrections["figures"]: key -> value text, or None for a removed figure), so the page
can say what was read and what was typed. Each edit is audited with its old and new value.

All the edits of one submission are checked first; any error saves none of them and the page shows every error
beside the text as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.extraction.vocabulary import FIGURE_LABELS, canonical_key, figure_label

from ..models import ImportedReport, ImportStatus
from .values import format_value, parse_value, plain


def read_figures(imported: ImportedReport) -> dict[str, Any]:
    """The figures as the extractor read them, under today's keys."""
    found: dict[str, Any] = {}
    for key, value in (imported.extracted.get("figures") or {}).items():
        found.setdefault(canonical_key(key), value)
    return found


def figure_sources(imported: ImportedReport) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, sentence in (imported.extracted.get("figure_sources") or {}).items():
        if sentence:
            found.setdefault(canonical_key(key), str(sentence))
    return found


def _order(key: str) -> tuple[int, str]:
    keys = list(FIGURE_LABELS)
    return (keys.index(key), key) if key in keys else (len(keys), key)


def current_figures(imported: ImportedReport) -> dict[str, Any]:
    """The figures as they stand: read, then corrected; in the vocabulary's order."""
    figures = read_figures(imported)
    for key, value in ((imported.corrections or {}).get("figures") or {}).items():
        if value is None:
            figures.pop(key, None)
        else:
            figures[key] = value
    return {key: figures[key] for key in sorted(figures, key=_order)}


@dataclass
class FigureEdits:
    """What the review form asks: key -> typed text (changed or added), and keys to remove."""

    values: dict[str, str] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    added: list[tuple[str, str]] = field(default_factory=list)  # (key, typed text) of the rows added


class FigureErrors(ValidationError):
    """Every error of the submitted figures: `by_row` maps a figure key (or "new-N" for the N-th added row) to its
    message."""

    def __init__(self, by_row: dict[str, str]) -> None:
        super().__init__(list(by_row.values()))
        self.by_row = by_row


def _same(a: Any, b: Any) -> bool:
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except ArithmeticError:
        return str(a) == str(b)


def plan_edits(imported: ImportedReport, edits: FigureEdits) -> dict[str, Decimal | None]:
    """The changes `edits` make to the current figures (key -> new value, None: removed), checked; FigureErrors
    lists what cannot be accepted."""
    current = current_figures(imported)
    errors: dict[str, str] = {}
    changes: dict[str, Decimal | None] = {}
    for key in edits.removed:
        if key in current:
            changes[key] = None
    for key, text in edits.values.items():
        if key in edits.removed or key not in current:
            continue
        try:
            value = parse_value(text, key)
        except ValidationError as exc:
            errors[key] = exc.messages[0]
            continue
        if not _same(value, current[key]):
            changes[key] = value
    seen: set[str] = set()
    for index, (raw_key, text) in enumerate(edits.added):
        if not raw_key and not str(text or "").strip():
            continue  # an empty row the page offers
        row = f"new-{index}"
        key = canonical_key(raw_key or "")
        if key not in FIGURE_LABELS:
            errors[row] = _("Hãy chọn chỉ tiêu của số liệu thêm vào.")
            continue
        if (key in current and key not in edits.removed) or key in seen:
            errors[row] = _("«%(label)s» đã có trong bảng: sửa giá trị ở dòng của nó.") % {"label": figure_label(key)}
            continue
        seen.add(key)
        try:
            changes[key] = parse_value(text, key)
        except ValidationError as exc:
            errors[row] = exc.messages[0]
    if errors:
        raise FigureErrors(errors)
    return changes


def apply_edits(imported: ImportedReport, edits: FigureEdits, actor) -> int:
    """Check and save the edits of a report waiting for review, one audit entry per figure changed, added or
    removed (old and new value). Returns how many figures changed."""
    with transaction.atomic():
        locked = ImportedReport.objects.select_for_update().get(pk=imported.pk)
        if locked.status != ImportStatus.PENDING:
            raise ValidationError(_("Báo cáo này không còn chờ rà soát: không sửa được số liệu."))
        changes = plan_edits(locked, edits)
        if not changes:
            return 0
        current = current_figures(locked)
        read = read_figures(locked)
        corrections = dict((locked.corrections or {}).get("figures") or {})
        for key, value in changes.items():
            old = current.get(key)
            if value is None:
                corrections[key] = None
                if key not in read:
                    corrections.pop(key)  # an added figure removed again: nothing left to say
                summary = _("Bỏ số liệu «%(label)s» (%(old)s)") % {"label": figure_label(key), "old": format_value(old)}
            else:
                if key in read and _same(read[key], value):
                    corrections.pop(key, None)  # back to the value read
                else:
                    corrections[key] = str(plain(value))
                if old is None:
                    summary = _("Thêm số liệu «%(label)s»: %(new)s") % {"label": figure_label(key),
                                                                         "new": format_value(value)}  # fmt: skip
                else:
                    summary = _("Sửa số liệu «%(label)s»: %(old)s → %(new)s") % {
                        "label": figure_label(key), "old": format_value(old), "new": format_value(value)}  # fmt: skip
            audit.record(
                locked, actor, AuditEntry.Action.UPDATE,
                changes={"figure": key, "value": [None if old is None else str(old),
                                                  None if value is None else str(plain(value))]},
                summary=summary,
            )  # fmt: skip
        locked.corrections = {**(locked.corrections or {}), "figures": corrections}
        locked.save(update_fields=["corrections"])
    imported.corrections = locked.corrections
    return len(changes)
