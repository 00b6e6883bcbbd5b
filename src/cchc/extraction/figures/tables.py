"""Figures stated in a table, read as the sentences the table stands for.

Two shapes:
- a row per figure: "Chỉ tiêu | Số hồ sơ", then "Tổng số hồ sơ tiếp nhận | 3.982", "1.1 | Từ kỳ trước chuyển sang | 41"
  ... Each row becomes "label: value"; a row numbered under another (1.1 under 1) or starting with "-" is part of
  it: "Tổng số hồ sơ tiếp nhận: 3.982, trong đó:" then "- Từ kỳ trước chuyển sang: 41". A note column ("trước hạn
  2.870, đúng hạn 169") is the row's parenthesis.
- a column per figure: "Đơn vị | Tiếp nhận | Đã giải quyết | Quá hạn", then a row per unit. Only the subject's row
  is read: the one data row, or the total row ("Tổng cộng", "Toàn tỉnh") when the table breaks the figures down.
  Each column becomes "header: value".
When the caption or the header says what is counted ("(đơn vị tính: hồ sơ)", "Số hồ sơ") and a label does not,
the unit is written after the value. Each sentence keeps the row as written, as its source.
"""

from __future__ import annotations

import re

from .text import fold

__all__ = ["table_sentences", "pipe_rows"]

_NUMBER = re.compile(r"[0-9][0-9.,]*\s*%?")
_CODE = re.compile(r"(?:[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}|[IVX]{1,5}|[a-zđ])[.)]?")
_TOTAL_ROW = re.compile(r"(?:tong|toan|cong|chung|tinh chung|ca nam|tong cong)\b")
_MAX_ROWS = 400


def pipe_rows(line: str) -> list[str] | None:
    """The cells of a text line written as a table row ("Tiếp nhận | 1.486 | ..."), or None."""
    if line.count("|") < 1:
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells if len(cells) >= 2 else None


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell))


def _is_code(cell: str) -> bool:
    return bool(_CODE.fullmatch(cell)) or fold(cell) in ("stt", "tt")


_DOSSIER_HEADERS = ("tiep nhan", "giai quyet", "qua han", "tre han", "dung han", "truoc han", "tra ket qua",
                    "ho so")


def _unit(caption: str, header: list[str]) -> str:
    """What the table counts when its labels do not say: dossiers when a header or the caption names them or what is
    done with them, procedures when only procedures are named."""
    head = fold(" ".join(header))
    folded = fold(caption) + " " + head
    if any(word in head for word in _DOSSIER_HEADERS) or "ho so" in folded:
        return "hồ sơ"
    if "thu tuc" in folded or "tthc" in folded:
        return "thủ tục"
    return ""


def _needs_unit(label: str) -> bool:
    folded = fold(label)
    return not any(word in folded for word in ("ho so", "thu tuc", "tthc", "phan anh", "nhiem vu", "van ban",
                                               "luot", "ty le", "%", "diem", "xep"))


def _value_text(value: str, label: str, unit: str) -> str:
    value = value.strip()
    if "%" in label or "ty le" in fold(label):
        return value if value.endswith("%") else value + "%"
    if unit and not value.endswith("%") and _needs_unit(label):
        return f"{value} {unit}"
    return value


def _clean_label(label: str) -> str:
    label = re.sub(r"\(\s*%\s*\)", "", label).strip()
    return label.rstrip(":").strip()


def table_sentences(rows: list[list[str]], caption: str = "") -> list[tuple[str, str]]:
    """(sentence to read, the row as written) for each figure the table states."""
    rows = [[c.strip() for c in row] for row in rows[:_MAX_ROWS]]
    rows = [row for row in rows if any(row)]
    if len(rows) < 1:
        return []
    header = None
    start = 0
    if not any(_is_number(c) for c in rows[0] if not _is_code(c)):
        header, start = rows[0], 1
    data = rows[start:]
    if not data:
        return []
    unit = _unit(caption, header or [])
    columns = header is not None and sum(1 for c in header if c and not _is_code(c)) >= 2 and any(
        sum(1 for c in row if _is_number(c)) >= 2 for row in data
    )
    if columns:
        return _by_columns(header, data, unit)
    return _by_rows(data, unit)


def _source(row: list[str]) -> str:
    return " | ".join(c for c in row if c)


def _by_columns(header: list[str], data: list[list[str]], unit: str) -> list[tuple[str, str]]:
    numeric_rows = [row for row in data if sum(1 for c in row if _is_number(c)) >= 1]
    if len(numeric_rows) == 1:
        row = numeric_rows[0]
    else:
        totals = [row for row in numeric_rows
                  if any(_TOTAL_ROW.match(fold(c)) for c in row if c and not _is_number(c) and not _is_code(c))]
        if len(totals) != 1:
            return []
        row = totals[0]
    out = []
    for j, cell in enumerate(row):
        if j >= len(header) or not _is_number(cell):
            continue
        label = _clean_label(header[j])
        if not label or _is_code(label):
            continue
        out.append((f"{label}: {_value_text(cell, header[j], unit)}.", _source(row)))
    return out


def _level(code: str, label: str) -> int:
    if label[:1] in "-+*•–":
        return 2
    if code and "." in code.strip(".") and code.strip(".")[0].isdigit():
        return 2
    if code and code.strip(".)").isalpha() and code.strip(".)").islower():
        return 2
    return 1


def _by_rows(data: list[list[str]], unit: str) -> list[tuple[str, str]]:
    items = []  # (level, label, value, note, source)
    for row in data:
        cells = [c for c in row if c]
        code = cells[0] if cells and _is_code(cells[0]) and len(cells) > 2 else ""
        rest = cells[1:] if code else cells
        labels = [c for c in rest if not _is_number(c)]
        values = [c for c in rest if _is_number(c)]
        if not labels or len(values) != 1:
            continue
        label = labels[0]
        note = labels[1] if len(labels) > 1 and rest.index(labels[1]) > rest.index(values[0]) else ""
        level = _level(code, label)
        items.append((level, _clean_label(label.lstrip("-+*•– ")), values[0], note, _source(row)))
    out = []
    for i, (level, label, value, note, source) in enumerate(items):
        has_children = level == 1 and i + 1 < len(items) and items[i + 1][0] == 2
        text = f"{label}: {_value_text(value, label, unit)}"
        if note:
            text += f" ({note})"
        text = ("- " if level == 2 else "") + text + (", trong đó:" if has_children else ".")
        out.append((text, source))
    return out
