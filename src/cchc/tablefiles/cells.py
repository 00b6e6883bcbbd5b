"""Exported cells are data, never formulas ("CSV injection").

A procedure named `=HYPERLINK("http://…","Bấm vào đây")` must reach the person who opens the export as that text,
not as a live link or a formula that runs. Spreadsheets treat a cell starting with `=`, `+`, `-` or `@` as a
formula, and skip leading tabs or line breaks before deciding. `spreadsheet_value` is the one function every export
(catalogue, report tables, roll-up, error files) passes its values through:

- .xlsx: a text is always a string cell, never a formula (openpyxl would make any text starting with "=" a formula,
  so such a text is written as an inline string); characters XML cannot hold are dropped.
- .csv: a text that looks like a formula gets a leading apostrophe, which spreadsheets read as "this is text"; our
  own readers drop it again (csvfile.py), so an export imports back unchanged.

Numbers, dates and booleans are written as they are: a negative amount stays a number. A text that is only a
number ("-5", "+3,5") is left alone too: spreadsheets read it as that number, never as a formula.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText

_TRIGGERS = frozenset("=+-@")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet read this text as a formula (directly, or after its leading control characters)?"""
    if not text:
        return False
    first = text[0]
    if first in _TRIGGERS:
        return _PLAIN_NUMBER.fullmatch(text) is None
    return first < " " or first == "\x7f"


def spreadsheet_value(value: Any, fmt: str) -> Any:
    """`value` made safe for a cell of an export in `fmt` ("xlsx" or "csv"); see the module's docstring."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {fmt!r}")
    if not isinstance(value, str):
        return value
    if fmt == "csv":
        return "'" + value if looks_like_formula(value) else value
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        return CellRichText(value)
    return value
