"""The sheet's and the framework's history as a person reads it.

Changes of an item are audited against the sheet (or the framework) with the item's code under "item" and the
fields of the score row (or of the item); the audit app's presenter labels those fields from the models named here,
and the keys that are not model fields (a proposal, an appraising agency, the tiers) from EXTRA.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from cchc.audit import timeline
from cchc.audit.models import AuditEntry
from cchc.audit.service import history

from .models import AppraiserRole, Item, ItemScore, Sheet


def _extra(name: str) -> tuple[str, models.Field | None] | None:
    if name == "phase":
        return str(Sheet._meta.get_field("phase").verbose_name), Sheet._meta.get_field("phase")
    if name == "explanation_until":
        return str(Sheet._meta.get_field("explanation_until").verbose_name), Sheet._meta.get_field("explanation_until")
    if name == "final_decision":
        return str(Sheet._meta.get_field("final_decision").verbose_name), None
    if name == "reason":
        return _("Lý do"), None
    if name == "evidence":
        return _("Tài liệu"), None
    if name == "parent":
        return _("Thuộc mục"), None
    if name == "tiers":
        return _("Các mức xếp loại"), None
    if name.startswith("proposal:"):
        return _("Đề xuất mục %(code)s") % {"code": name.split(":", 1)[1]}, ItemScore._meta.get_field("proposed_points")
    if name.startswith("appraiser:"):
        role = name.split(":", 1)[1]
        label = AppraiserRole(role).label if role in AppraiserRole.values else role
        return _("Thẩm định phần %(role)s") % {"role": label}, None
    return None


def _describe(entry: AuditEntry, model: type[models.Model]) -> timeline.TimelineEntry:
    described = timeline.describe(entry, model)
    changes = {k: v for k, v in (entry.changes or {}).items() if k != "item"}  # the summary names the item
    described.changes = timeline.rows_for(changes, model, creation=entry.action == AuditEntry.Action.CREATE,
                                          extra=_extra)  # fmt: skip
    return described


def sheet_entries(sheet: Sheet, *, code: str | None = None, limit: int = 100) -> list[timeline.TimelineEntry]:
    """The sheet's history, newest first; with `code`, only the entries about that item."""
    queryset = history(sheet)
    if code is not None:
        queryset = queryset.filter(changes__item=code)
    return [_describe(entry, ItemScore) for entry in queryset[:limit]]


def framework_entries(framework, *, limit: int = 60) -> list[timeline.TimelineEntry]:
    return [_describe(entry, Item) for entry in history(framework)[:limit]]
