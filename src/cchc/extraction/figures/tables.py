"""Figures stated in a table, read as the sentences the table stands for.

Two shapes:
- a row per figure: "Chỉ tiêu | Số hồ sơ", then "Tổng số hồ sơ tiếp nhận | 3.982", "1.1 | Từ kỳ trước chuyển sang | 41"
  ... Each row becomes "label: value"; a row numbered under another (1.1 under 1) or starting with "-" is part of
  it: "Tổng số hồ sơ tiếp nhận: 3.982, trong đó:" then "- Từ kỳ trước chuyển sang: 41". A note column ("trước hạn
  2.870, đúng hạn 169") is the row's parenthesis.
- a column per figure: "Đơn vị | Tiếp nhận | Đã giải quyết | Quá hạn", then a row per unit. Only the subject's row
  is read: the one data row, or the total row ("Tổng cộng", "Toàn tỉnh") when the table breaks the figures down.
  Header rows above one another (merged cells: "Số hồ sơ đã giải quyết" over "Tổng số | Trước hạn | Đúng hạn") make
  a tree: a group with a "Tổng số" column is a figure with its parts ("Số hồ sơ đã giải quyết: 38, trong đó:" then
  "- Trước hạn: 32", ...).
When the caption or the header says what is counted ("(đơn vị tính: hồ sơ)", "Số hồ sơ", "Tiếp nhận") and a label
does not, the unit is written after the value. Each sentence keeps the row as written, as its source.
"""

from __future__ import annotations

import re

from .text import fold

__all__ = ["table_sentences", "pipe_rows"]

_NUMBER = re.compile(r"[0-9][0-9.,]*\s*%?")
_CODE = re.compile(r"(?:[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}|[IVX]{1,5}|[a-zđ])[.)]?")
_TOTAL_ROW = re.compile(r"(?:tong|toan|cong|chung|tinh chung|ca nam|tong cong)\b")
_TOTAL_COLUMN = re.compile(r"(?:tong so|tong|cong)$")
_MAX_ROWS = 200_000  # reading is linear in the rows; the cap only bounds a pathological file
_MAX_HEADER_ROWS = 4
_DOSSIER_HEADERS = ("tiep nhan", "giai quyet", "qua han", "tre han", "dung han", "truoc han", "tra ket qua",
                    "ho so")


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


def _needs_unit(label: str, unit: str) -> bool:
    """Whether to write the unit after a count: not when the label counts something else. A cell's count is written
    with its unit even when the label names it ("Số hồ sơ đang giải quyết: 1900 hồ sơ"): a table prints counts
    without the thousands dot, and a bare 1900 would read as a year."""
    folded = fold(label)
    others = ("thu tuc", "tthc", "phan anh", "nhiem vu", "van ban", "luot", "ty le", "%", "diem", "xep")
    if unit == "hồ sơ":
        return not any(word in folded for word in others)
    return not any(word in folded for word in ("ho so", *others))


def _value_text(value: str, label: str, unit: str) -> str:
    value = value.strip()
    if "%" in label or "ty le" in fold(label):
        return value if value.endswith("%") else value + "%"
    if unit and not value.endswith("%") and _needs_unit(label, unit):
        return f"{value} {unit}"
    return value


def _clean_label(label: str) -> str:
    label = re.sub(r"\(\s*%\s*\)", "", label).strip()
    return label.rstrip(":").strip()


def _numbers(row: list[str], code_column: bool) -> int:
    """How many numbers the row states, its leading code apart ("1.1 | Từ kỳ trước chuyển sang | 41" states one)."""
    coded = code_column or (len(row) >= 3 and _is_code(row[0]) and bool(row[1]) and not _is_number(row[1]))
    return sum(1 for j, c in enumerate(row) if _is_number(c) and not (j == 0 and coded))


def table_sentences(rows: list[list[str]], caption: str = "", lines: list[str] | None = None) -> list[tuple[str, str]]:
    """(sentence to read, the row as written) for each figure the table states. The row as written is `lines[i]`
    when the rows were read from text lines ("a | b"), else its cells joined by tabs as the document's text holds it
    (extraction.reader's tables, the review page's text)."""
    kept: list[_Row] = []
    for i, row in enumerate(rows[:_MAX_ROWS]):
        cells = _Row(c.strip() for c in row)
        if any(cells):
            cells.written = lines[i] if lines is not None else "\t".join(" ".join(c.split()) for c in row)
            kept.append(cells)
    rows = kept
    if not rows:
        return []
    code_column = bool(rows[0]) and (_is_code(rows[0][0]) or not rows[0][0])
    headers = []
    for row in rows[:_MAX_HEADER_ROWS]:
        if _numbers(row, True):
            break
        headers.append(row)
    data = rows[len(headers):]
    if not data:
        return []
    flat_header = [c for h in headers for c in h]
    unit = _unit(caption, flat_header)
    labels = sum(1 for c in (headers[0] if headers else []) if c and not _is_code(c))
    if headers and labels >= 2 and any(_numbers(row, code_column) >= 2 for row in data):
        return _by_columns(headers, data, unit)
    return _by_rows(data, unit)


class _Row(list):
    """A row's cells, stripped, with the row as the document's text writes it."""

    written = ""


def _source(row: list[str]) -> str:
    return getattr(row, "written", "") or "\t".join(row)


def _subject_row(data: list[list[str]]) -> list[str] | None:
    numeric = [row for row in data if any(_is_number(c) for c in row[1:])]
    if len(numeric) == 1:
        return numeric[0]
    totals = [row for row in numeric
              if any(_TOTAL_ROW.match(fold(c)) for c in row if c and not _is_number(c) and not _is_code(c))]
    return totals[0] if len(totals) == 1 else None


def _column_paths(headers: list[list[str]]) -> list[list[str]]:
    """For each column, its labels from the top header row down. An empty header cell is part of the cell on its
    left (a horizontal merge) when both sit under the same cell above, else nothing (a vertical merge)."""
    width = max(len(h) for h in headers)
    parents: list[tuple] = [()] * width
    paths: list[list[str]] = [[] for _ in range(width)]
    for header in headers:
        cells = header + [""] * (width - len(header))
        spans: list[int | None] = [None] * width
        for j, cell in enumerate(cells):
            if cell:
                spans[j] = j
            elif j and spans[j - 1] is not None and parents[j] == parents[j - 1]:
                spans[j] = spans[j - 1]
        for j in range(width):
            # A cell merged over rows comes back repeated in each row (python-docx): one label, not two.
            if spans[j] is not None and (not paths[j] or paths[j][-1] != cells[spans[j]]):
                paths[j].append(cells[spans[j]])
        parents = [(*parents[j], spans[j]) for j in range(width)]
    return paths


def _by_columns(headers: list[list[str]], data: list[list[str]], unit: str) -> list[tuple[str, str]]:
    row = _subject_row(data)
    if row is None:
        return []
    source = _source(row)
    paths = _column_paths(headers)
    out: list[tuple[str, str]] = []
    emitted_head: set[tuple[str, ...]] = set()
    for j, cell in enumerate(row):
        if j >= len(paths) or not _is_number(cell) or not paths[j]:
            continue
        path = [_clean_label(p) for p in paths[j]]
        if not path[-1] or _is_code(path[-1]):
            continue
        if len(path) == 1:
            out.append((f"{path[0]}: {_value_text(cell, path[0], unit)}.", source))
            continue
        group, leaf = path[:-1], path[-1]
        if _TOTAL_COLUMN.match(fold(leaf)):
            # "Số hồ sơ đã giải quyết / Tổng số": the group's figure, its other columns are its parts.
            label = group[-1]
            out.append((f"{label}: {_value_text(cell, label, unit)}, trong đó:", source))
            emitted_head.add(tuple(group))
            continue
        parts = [p for p in path[:-1] if fold(p) not in ("trong do", "bao gom")]
        if any(tuple(group[:k]) in emitted_head for k in range(1, len(group) + 1)):
            out.append((f"- {leaf}: {_value_text(cell, leaf, unit)}", source))
        else:
            label = " ".join([*parts[-1:], leaf]) if parts else leaf
            out.append((f"{label}: {_value_text(cell, label, unit)}.", source))
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
