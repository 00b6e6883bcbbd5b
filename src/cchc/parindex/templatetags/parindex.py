"""Filters of the PAR Index pages: points with the decimal comma, a dict's value, a phase's badge style."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..models import Phase
from ..rules import points_text

register = template.Library()

PHASE_STYLES = {Phase.DRAFTING: "muted", Phase.SELF_LOCKED: "warn", Phase.ROUND1: "warn", Phase.EXPLANATION: "bad",
                Phase.ROUND2: "warn", Phase.COUNCIL: "warn", Phase.FINAL: "ok"}  # fmt: skip


@register.filter
def pts(value) -> str:
    """ "1,5", "86,25", "2"; "—" for nothing."""
    if value is None or value == "":
        return "—"
    return points_text(Decimal(str(value)))


@register.filter
def get(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def phase_style(phase: str) -> str:
    return PHASE_STYLES.get(phase, "muted")


@register.filter
def get_total(totals, column: str):
    return totals.total(column)


@register.filter
def get_index(totals, column: str):
    return totals.index(column)


@register.filter
def field_points(totals, code: str):
    return totals.field_points(code)
