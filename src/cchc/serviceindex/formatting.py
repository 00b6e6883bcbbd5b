"""Points and counts as Vietnamese writes them: decimal comma, thousands dot, no trailing zeros (18; 12,5; 1.234)."""

from __future__ import annotations


def points(value) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(value) -> str:
    return "—" if value is None else f"{points(value)}%"
