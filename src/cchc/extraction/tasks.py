"""Task rows of the plan tables a report carries (usually in its appendix: "Kết quả thực hiện Kế hoạch CCHC năm ...").

A task table is recognised by its header: a task/content column ("Nhiệm vụ", "Nội dung", "Tên nhiệm vụ") and at least
one of result, deadline, volume or rating columns. The rating is either a column of words ("Đánh giá: Hoàn thành")
or, as in the annual CCHC report (reports.md §3), four columns Hoàn thành tốt / Hoàn thành / Hoàn thành chậm / Chưa
hoàn thành where one cell is marked "x".

Word and PDF break a long table over pages into several tables or repeat rows: a table without a header right after a
task table continues it; a row with no code, no mark and text starting in lower case continues the previous row's
text (a row split at a page break). Parent rows ("I. Cải cách thể chế" in a group column) are tasks of their own, in
order, before the first child row that carries them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from cchc.plans.deadlines import parse_deadline
from cchc.text import fold

from .vocabulary import RATINGS

__all__ = ["read_tasks"]

_MARK = re.compile(r"^\s*[xX✓✔✗✘√vV●•+]\s*$|^\s*(?:x|X)\s*[.;]?\s*$")
_CODE = re.compile(r"^\s*(?P<code>[IVXL]{1,5}|[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}|[a-zđ])\s*[.)/]\s+(?P<rest>\S.*)$", re.S)
_ROMAN_CODE = re.compile(r"^[IVXL]{1,5}$")
_BARE_CODE = re.compile(r"^\s*(?P<code>[IVXL]{1,5}|[0-9]{1,3}(?:\.[0-9]{1,2}){0,3}|[a-zđ])\s*[.)]?\s*$")
_COUNT = re.compile(r"^[0-9]{1,3}(?:[.,]?[0-9]{3})*(?:,[0-9]+)?\s*%?$")
_COLUMN_NUMBER = re.compile(r"^\(?(?:[0-9]{1,2}|[A-Z])\)?$")
_LOWER_START = re.compile(r"^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ0-9(]")

_ROLE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("rating4", ("hoan thanh tot",)),
    ("rating_late", ("hoan thanh cham",)),
    ("rating_not", ("chua hoan thanh",)),
    ("code", ("stt", "tt", "so tt", "so thu tu")),
    ("group", ("nhiem vu chung", "linh vuc", "nhom nhiem vu", "noi dung chung")),
    ("deadline", ("thoi gian hoan thanh", "thoi han", "thoi gian thuc hien", "tien do hoan thanh", "thoi gian")),
    ("volume", ("khoi luong", "san pham", "ket qua dau ra")),
    ("rating_text", ("danh gia", "muc do hoan thanh", "xep loai")),
    ("result", ("ket qua thuc hien", "ket qua", "tinh hinh thuc hien", "tien do thuc hien")),
    ("unit", ("don vi chu tri", "co quan chu tri", "don vi thuc hien", "chu tri", "phoi hop", "don vi phoi hop")),
    ("note", ("ghi chu",)),
    ("content", ("nhiem vu cu the", "noi dung nhiem vu", "ten nhiem vu", "nhiem vu", "noi dung cong viec", "noi dung",
                 "cong viec", "ten de an")),
]


@dataclass
class _Layout:
    roles: dict[int, str] = field(default_factory=dict)
    rating_cols: list[int] = field(default_factory=list)  # the four mark columns, in RATINGS order
    ncols: int = 0
    header: list[list[str]] = field(default_factory=list)  # the header rows, folded, to know them when repeated
    by_group: bool = False  # no task column: the group column ("Lĩnh vực") names the rows

    def col(self, role: str) -> int | None:
        for i, r in self.roles.items():
            if r == role:
                return i
        return None


@functools.lru_cache(maxsize=4096)
def _header_role(cell: str) -> str | None:
    f = fold(cell)
    if not f:
        return None
    f = re.sub(r"\(.*", "", f).strip() or f
    if f in ("hoan thanh",):
        return "rating_done"
    for role, words in _ROLE_WORDS:
        for w in words:
            if f == w or f.startswith(w + " ") or (len(w) > 6 and w in f and role not in ("content",)):
                return role
    return None


def _column_numbers(row: list[str]) -> bool:
    """A row that numbers the columns under the header: "(1) (2) (3)", "1 2 3", "A B C"."""
    filled = [c.strip() for c in row if c.strip()]
    if len(filled) < 3 or not all(_COLUMN_NUMBER.match(c) for c in filled):
        return False
    numbers = [int(c.strip("()")) for c in filled if c.strip("()").isdigit()]
    return numbers == sorted(set(numbers)) and (not numbers or numbers[0] <= 2)


def _detect_layout(rows: list[list[str]]) -> tuple[_Layout, int] | None:
    """The layout from a header of one to three rows, and the number of header rows (a row of column numbers
    under it included).

    The first header row needs one label; a further row is header only when it holds two labels or more and every
    filled cell of it is a label. A data row often holds one label-like cell: a group titled "Nhiệm vụ trọng tâm về
    ..." starts like the label "Nhiệm vụ", a task rated "Hoàn thành" in a "Đánh giá" column reads like one of the
    four rating labels. Taking such rows for header dropped the group row "I" and the task "1" of a focal-task table
    (issue 10)."""
    for start in range(min(2, len(rows))):
        layout = _Layout(ncols=max(len(r) for r in rows))
        used = 0
        for h in range(start, min(start + 3, len(rows))):
            row = rows[h]
            roles = {i: _header_role(c) for i, c in enumerate(row)}
            if not any(roles.values()):
                break
            # A data row has a mark or a long text; a header row has only labels.
            if any(_MARK.match(c) for c in row):
                break
            if h > start and (any(c.strip() and not roles[i] for i, c in enumerate(row))
                              or sum(1 for r in roles.values() if r) < 2):
                break
            used = h + 1
            for i, r in roles.items():
                if r and (i not in layout.roles or layout.roles[i] == "rating_text" or r.startswith("rating")):
                    layout.roles[i] = r
        if not used:
            continue
        header_rows = used
        if used < len(rows) and _column_numbers(rows[used]):
            used += 1
        marks = {r: i for i, r in layout.roles.items() if r in ("rating4", "rating_done", "rating_late", "rating_not")}
        if len(marks) >= 3:
            order = ["rating4", "rating_done", "rating_late", "rating_not"]
            cols = [marks.get(r) for r in order]
            if None in cols:
                present = sorted(marks.values())
                cols = present[:4] if len(present) >= 4 else [present[0] + k for k in range(4)]
            layout.rating_cols = [c for c in cols if c is not None]
            for c in layout.rating_cols:
                layout.roles[c] = "mark"
        has_content = layout.col("content") is not None or layout.col("group") is not None
        has_other = any(r in layout.roles.values() for r in ("result", "deadline", "volume", "rating_text", "mark"))
        if has_content and has_other:
            if layout.col("content") is None:
                layout.roles[layout.col("group")] = "content"
                layout.by_group = True
            layout.header = [[fold(c) for c in row] for row in rows[start:header_rows]]
            return layout, used
    return None


# Longer labels first: "hoan thanh" is a prefix of the others.
_RATING_WORDS = (
    ("hoan thanh tot", RATINGS[0]),
    ("hoan thanh cham", RATINGS[2]),
    ("chua hoan thanh", RATINGS[3]),
    ("khong hoan thanh", RATINGS[3]),
    ("hoan thanh", RATINGS[1]),
)


def _rating_from_text(text: str) -> str | None:
    f = fold(text)
    for label, rating in _RATING_WORDS:
        if f.startswith(label):
            return rating
    return None


def _split_code(text: str) -> tuple[str | None, str]:
    m = _CODE.match(text)
    if m:
        return m.group("code"), m.group("rest").strip()
    return None, text.strip()


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ;")


def _row_marks(row: list[str]) -> list[int]:
    return [i for i, c in enumerate(row) if _MARK.match(c or "")]


def _counts(rows: list[list[str]], layout: _Layout) -> bool:
    """Whether the numbered rows of a table are rows of counts (two numbers or more past the name), as in the table
    of dossiers by field that closes a report; a task row states a result, a deadline or a mark."""
    code_col, name_col = layout.col("code"), layout.col("content")
    numbered = counted = 0
    for row in rows:
        cells = [c.strip() for c in row]
        if code_col is None or code_col >= len(cells) or not _BARE_CODE.match(cells[code_col]):
            continue
        numbered += 1
        numbers = sum(1 for i, c in enumerate(cells) if i not in (code_col, name_col) and _COUNT.match(c))
        counted += numbers >= 2
    return counted >= 2 and counted * 2 >= numbered


def _repeats_header(cells: list[str], layout: _Layout) -> bool:
    """A header row again (a new page): one of the table's header rows, or two labels or more and nothing else. A
    group row with one title ("Nhiệm vụ trọng tâm") is a row of the table, though its title reads like a label."""
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return False
    for row in layout.header:
        labels = [c for c in row if c]
        if len(labels) == len(filled) and all(fold(c) == label for c, label in zip(filled, labels, strict=True)):
            return True
    labels = 0
    for c in cells:
        if c:
            if not _header_role(c):
                return False
            labels += 1
    return labels >= 2


class _Reader:
    def __init__(self, year: int | None):
        self.year = year
        self.tasks: list[dict] = []
        self.layout: _Layout | None = None
        self.group_seen: set[str] = set()
        # The pieces that rows split by page breaks add to the last task's content and result, joined once when
        # the next task starts: joining at each row made a task continued over thousands of rows quadratic.
        self.more: dict[str, list[str]] = {}

    def add_to_last(self, key: str, text: str) -> None:
        pieces = self.more.get(key)
        if pieces is None:
            base = self.tasks[-1][key] or ""
            pieces = self.more[key] = [base] if base else []
        # As _clean(previous + " " + text): the previous text is clean already, so only this piece's end (and its
        # start, when it is the first) loses its spaces and semicolons.
        piece = " ".join(text.split())
        piece = piece.rstrip(" ;") if pieces else piece.strip(" ;")
        if piece:
            pieces.append(piece)

    def close_last(self) -> None:
        if self.more:
            item = self.tasks[-1]
            for key, pieces in self.more.items():
                item[key] = " ".join(pieces) or (None if key == "result" else "")
            self.more = {}

    def task(self, code, content, volume=None, deadline=None, result=None, rating=None) -> dict:
        self.close_last()
        deadline_text = _clean(deadline or "") or None
        item = {
            "code": code,
            "content": _clean(content or ""),
            "volume": _clean(volume or "") or None,
            "deadline": parse_deadline(deadline_text, self.year).iso() if deadline_text else None,
            "result": _clean(result or "") or None,
            "rating": rating,
        }
        self.tasks.append(item)
        return item

    def table(self, rows: list[list[str]], continues: bool) -> None:
        detected = _detect_layout(rows)
        if detected:
            self.layout, skip = detected
            rows = rows[skip:]
            if self.layout.by_group and _counts(rows, self.layout):
                self.layout = None  # a table of counts by field ("Lĩnh vực | Tổng số | Trực tuyến ..."), no tasks
                return
        elif not (continues and self.layout):
            self.layout = None
            return
        for row in rows:
            self.row(row)

    def _shift(self, cells: list[str]) -> int:
        """1 when this row's table lost the group column (a page of a continuation table starts at the task)."""
        layout = self.layout
        group = layout.col("group")
        if group != 0 or not cells or not cells[0].strip() or len(cells) >= layout.ncols:
            return 0
        code, _ = _split_code(cells[0])
        return 0 if code and _ROMAN_CODE.match(code) else 1

    def row(self, row: list[str]) -> None:
        layout = self.layout
        cells = [c.strip() for c in row]
        if not any(cells):
            return
        marks = _row_marks(cells)
        if not marks and _repeats_header(cells, layout):
            return  # a header repeated on a new page
        shift = self._shift(cells)
        group_col = layout.col("group")

        def cell(idx: int | None) -> str:
            if idx is None or (shift and idx == group_col):
                return ""
            idx -= shift
            return cells[idx] if 0 <= idx < len(cells) else ""

        group_text = cell(group_col) if layout.col("content") != group_col else ""
        content = cell(layout.col("content"))
        result = cell(layout.col("result"))
        code_cell = cell(layout.col("code"))
        volume = cell(layout.col("volume"))
        deadline = cell(layout.col("deadline"))
        rating = None
        if layout.rating_cols and marks:
            offset = marks[0] - (layout.rating_cols[0] - shift)
            if offset >= 0:
                # A mark past the fourth column sits in the narrow "Ghi chú" column that PDF conversion shifts into;
                # a bare mark there is no note, so it belongs to the last rating column.
                rating = RATINGS[min(offset, 3)]
        elif layout.col("rating_text") is not None:
            rating = _rating_from_text(cell(layout.col("rating_text")))

        if group_text:
            code, rest = _split_code(group_text)
            key = fold(group_text)
            if key not in self.group_seen:
                self.group_seen.add(key)
                if content or result or marks:
                    self.task(code, rest)
                else:
                    self.task(code, rest, volume, deadline, result, rating)
                    return
        if code_cell:
            bare = _BARE_CODE.match(code_cell)
            if not bare and not content and _CODE.match(code_cell):
                # A group row merged across the table: "I. NHIỆM VỤ TRỌNG TÂM" in the numbering column.
                code, text = _split_code(code_cell)
            else:
                code = bare.group("code") if bare else code_cell.strip(" .)")
                text = content
        else:
            code, text = _split_code(content)
        if not text and not result and not marks and not volume and not deadline:
            return
        previous = self.tasks[-1] if self.tasks else None
        if (
            previous is not None
            and code is None
            and not marks
            and rating is None
            and (text or result)
            and (_LOWER_START.match(text) or (result and _LOWER_START.match(result)))
        ):
            # The rest of a row that a page break split.
            self.add_to_last("content", text)
            if result:
                self.add_to_last("result", result)
            return
        if not text and result and previous is not None and code is None and not marks:
            self.add_to_last("result", result)
            return
        self.task(code, text, volume, deadline, result, rating)


def read_tasks(tables: list[tuple[list[list[str]], bool]], year: int | None) -> list[dict]:
    """Tasks from `tables`: each (rows, follows_previous_table) in document order; `year` completes deadlines."""
    reader = _Reader(year)
    for rows, continues in tables:
        reader.table(rows, continues)
    reader.close_last()
    return reader.tasks
