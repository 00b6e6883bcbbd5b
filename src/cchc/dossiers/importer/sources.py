"""Reading the file: which row is the header and which column is which (the file itself is opened and bounded
by cchc.tablefiles)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from cchc.tablefiles import RowDefect, Table

from .columns import _ALIASES, HEADER_SEARCH_ROWS, REQUIRED, _header_key, column_label
from .results import ImportFileError


def _header_score(cells: list[Any]) -> int:
    """How many of our columns a row names: picks a CSV's delimiter."""
    return len({_ALIASES.get(_header_key(_cell_text(value))) for value in cells} - {None})


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def _find_header(source: Table) -> tuple[int, list[Any], dict[str, int]]:
    """The header row: the first of the first rows that names every required column (a title may sit above)."""
    first: tuple[int, list[Any], dict[str, int]] | None = None
    for number, values in source.rows:
        if isinstance(values, RowDefect) or not any(_cell_text(v) for v in values):
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        mapping: dict[str, int] = {}
        for index, value in enumerate(values):
            name = _ALIASES.get(_header_key(_cell_text(value)))
            if name is not None and name not in mapping:
                mapping[name] = index
        if first is None or len(mapping) > len(first[2]):
            first = (number, values, mapping)
        if all(name in mapping for name in REQUIRED):
            return number, values, mapping
        if number >= HEADER_SEARCH_ROWS:
            break
    if first is None or not first[2]:
        raise ImportFileError(
            _("Không tìm thấy dòng tiêu đề: tệp phải có các cột %(columns)s (xem tài liệu hướng dẫn nhập hồ sơ).")
            % {"columns": ", ".join(column_label(n) for n in REQUIRED)}
        )
    missing = [column_label(n) for n in REQUIRED if n not in first[2]]
    raise ImportFileError(
        _("Tệp thiếu cột bắt buộc: %(columns)s (dòng tiêu đề là dòng %(row)s).")
        % {"columns": ", ".join(missing), "row": first[0]}
    )
