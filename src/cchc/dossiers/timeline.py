"""A dossier's history as its page shows it: every event of the lifecycle, and the audit entries beside them that
are not an event's own record (edits, imports, the reasons given for changing a reported period)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from .models import Dossier, DossierEvent, EventKind, Regime


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _event_label(event: DossierEvent, regime: str) -> str:
    if event.kind == EventKind.APOLOGY_ISSUED and regime == Regime.ND118:
        # The form changed with Thông tư 03/2025/TT-VPCP (Mẫu 04).
        return _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
    return str(EventKind(event.kind).label)


def _reason_row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "source": "audit",
        "kind": "change_reason",
        "label": _("Thay đổi số liệu của kỳ đã báo cáo"),
        "at": entry.at,
        "actor": _person(entry.actor),
        "unit": "",
        "note": _("%(step)s: %(reason)s (báo cáo: %(reports)s)")
        % {
            "step": entry.summary,
            "reason": entry.changes["change_reason"],
            "reports": entry.changes.get("reported_periods", ""),
        },
        "new_promised_date": None,
        "changes": {},
    }


def timeline(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's history for its detail page, oldest first: every event, plus the audit entries that are not
    an event's own record (edits, imports). Each row: source, kind, label, at, actor, unit, note,
    new_promised_date, changes."""
    rows: list[dict[str, Any]] = []
    for event in dossier.events.select_related("actor", "unit").order_by("at", "pk"):
        rows.append(
            {
                "source": "event",
                "kind": event.kind,
                "label": _event_label(event, dossier.regime),
                "at": event.at,
                "actor": _person(event.actor),
                "unit": event.unit.name if event.unit else "",
                "note": event.note,
                "new_promised_date": event.new_promised_date,
                "changes": {},
            }
        )
    # Creation and transitions already appear as events; show what happened beside them, and the reason given when
    # one of them changed the data of a reported period.
    for entry in audit.history(dossier):
        if entry.action in (AuditEntry.Action.CREATE, AuditEntry.Action.TRANSITION):
            if entry.changes.get("change_reason"):
                rows.append(_reason_row(entry))
            continue
        rows.append(
            {
                "source": "audit",
                "kind": entry.action,
                "label": entry.get_action_display(),
                "at": entry.at,
                "actor": _person(entry.actor),
                "unit": "",
                "note": entry.summary,
                "new_promised_date": None,
                "changes": entry.changes,
            }
        )
    # The hand-overs between the steps of the internal process, in words (dossiers/workflow/history.py).
    from .workflow.history import timeline_rows

    rows.extend(timeline_rows(dossier))
    rows.sort(key=lambda row: row["at"])
    return rows
