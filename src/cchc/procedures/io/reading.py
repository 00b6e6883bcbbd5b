"""Files to parsed rows: the header, section rows naming a field, every procedure row checked; nothing saved."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from django.utils.translation import gettext as _

from cchc.procedures.models import DurationUnit, Interconnection, Level, OnlineService
from cchc.tablefiles import RowDefect
from cchc.text import code_problem

from .columns import _INTERCONNECTION, _LEVELS, _ONLINE, _YES_NO, COLUMNS, REQUIRED, RESULT_KINDS, _header_map
from .common import CODE_RE, MAX_HEADER_SCAN, ImportResult, UnreadableFile
from .values import RowError, _choice, _date, _legacy_level, _limit, _multiline, _number, _text, _time, _unit


@dataclass
class ParsedRow:
    number: int
    data: dict[str, Any]
    field_name: str | None


def _parse_row(
    number: int,
    cells: list[Any],
    columns: dict[str, int],
    section_field: str | None,
    default_effective_from: dt.date | None,
) -> ParsedRow:
    def cell(key: str) -> Any:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    problems: list[str] = []
    data: dict[str, Any] = {}

    def attempt(func: Callable[[], None]) -> None:
        try:
            func()
        except RowError as exc:
            problems.append(str(exc))

    def code() -> None:
        raw = cell("code")
        if isinstance(raw, float):
            raw = f"{raw:.6f}"
        text = re.sub(r"\s+", "", _text(raw))
        if not text:
            raise RowError(_("Thiếu mã TTHC"))
        look_alike = code_problem(text, _("Mã TTHC"))
        if look_alike:
            raise RowError(look_alike)
        match = CODE_RE.match(text)
        if not match:
            raise RowError(
                _("Mã TTHC “%(code)s” sai định dạng (d.dddddd, có thể kèm mã địa phương như 1.004444.H45)")
                % {"code": text}
            )
        data["code"] = match.group(1)
        data["local_code"] = text if match.group(2) else ""
        if "local_code" in columns:
            local = re.sub(r"\s+", "", _text(cell("local_code")))
            data["local_code"] = _limit(local, 48, _("Mã áp dụng tại địa phương")) or data["local_code"]

    def name() -> None:
        text = _text(cell("name"))
        if not text:
            raise RowError(_("Thiếu tên TTHC"))
        data["name"] = text

    def times() -> None:
        unit_from_column = _unit(cell("time_unit")) if "time_unit" in columns else None
        legal, unit_in_text = _number(cell("processing_time"), _("Thời hạn giải quyết"))
        if legal is None:
            raise RowError(_("Thiếu thời hạn giải quyết"))
        data["processing_time"] = legal
        unit = unit_from_column or unit_in_text
        if unit or "time_unit" in columns:
            data["time_unit"] = unit or DurationUnit.WORKING_DAYS
        if "reduced_processing_time" in columns:
            reduced, _unit_text = _number(cell("reduced_processing_time"), _("Thời hạn cắt giảm"))
            if reduced is not None and reduced > legal:
                raise RowError(
                    _("Thời hạn cắt giảm (%(reduced)s) lớn hơn thời hạn giải quyết (%(legal)s)")
                    % {"reduced": reduced, "legal": legal}
                )
            data["reduced_processing_time"] = reduced

    def choices() -> None:
        if "level" in columns:
            data["level"] = _choice(cell("level"), "Cấp thực hiện", _LEVELS, Level.PROVINCE)
        if "online_service" in columns:
            data["online_service"] = _choice(cell("online_service"), "DVC trực tuyến", _ONLINE, OnlineService.NONE)
        if "interconnection" in columns:
            data["interconnection"] = _choice(
                cell("interconnection"), "Liên thông", _INTERCONNECTION, Interconnection.NONE
            )
        if "one_stop" in columns:
            data["one_stop"] = _choice(cell("one_stop"), "Một cửa", _YES_NO, True)

    def legacy() -> None:
        if "legacy_online_level" in columns:
            data["legacy_online_level"] = _legacy_level(cell("legacy_online_level"))

    def cutoff() -> None:
        if "cutoff_time" in columns:
            data["cutoff_time"] = _time(cell("cutoff_time"), _("Giờ chốt tiếp nhận"))

    def texts() -> None:
        if "fees" in columns:
            data["fees"] = _multiline(cell("fees"))
        if "result_kind" in columns:
            data["result_kind"] = _choice(cell("result_kind"), "Loại kết quả", RESULT_KINDS, "")
        if "internal_process_decision" in columns:
            data["internal_process_decision"] = _limit(
                _text(cell("internal_process_decision")), 255, _("Quyết định phê duyệt quy trình nội bộ")
            )
        if "result_document" in columns:
            data["result_document"] = _limit(_text(cell("result_document")), 255, _("Kết quả thực hiện"))
        if "publishing_decision" in columns:
            data["publishing_decision"] = _limit(_text(cell("publishing_decision")), 255, _("Quyết định công bố"))

    def dates() -> None:
        start = _date(cell("effective_from"), _("Hiệu lực từ")) or default_effective_from
        if start is None:
            raise RowError(_("Thiếu ngày hiệu lực (cột “Hiệu lực từ”)"))
        data["effective_from"] = start
        if "abolished_on" in columns:
            end = _date(cell("abolished_on"), _("Bãi bỏ từ"))
            if end is not None and end <= start:
                raise RowError(_("Ngày bãi bỏ phải sau ngày hiệu lực"))
            data["abolished_on"] = end

    for step in (code, name, times, choices, legacy, cutoff, texts, dates):
        attempt(step)
    field_name = _text(cell("field")) or section_field
    if not field_name:
        problems.append(_("Thiếu lĩnh vực"))
    elif len(field_name) > 255:
        problems.append(_("Lĩnh vực dài quá 255 ký tự"))
    if problems:
        raise RowError("; ".join(problems))
    return ParsedRow(number, data, field_name)


# --- reading files (cchc.tablefiles: bounds, broken files, docs/procedure-import.md) -------------------------


def _header_score(cells: list[Any]) -> int:
    return len(_header_map(cells))


def _find_header(rows: list[tuple[int, Any]]) -> tuple[int, dict[str, int]]:
    best_index, best_map = -1, {}
    for index, (_row_number, cells) in enumerate(rows[:MAX_HEADER_SCAN]):
        if isinstance(cells, RowDefect):
            continue
        found = _header_map(cells)
        if len(found) > len(best_map):
            best_index, best_map = index, found
    missing = [column.header for column in COLUMNS if column.key in REQUIRED and column.key not in best_map]
    if best_index < 0 or missing:
        raise UnreadableFile(
            _("Không tìm thấy dòng tiêu đề của danh mục TTHC (thiếu cột: %(missing)s).")
            % {"missing": ", ".join(missing or [c.header for c in COLUMNS if c.key in REQUIRED])}
        )
    return best_index, best_map


def _heading(cells: list[Any], columns: dict[str, int]) -> tuple[bool, str | None]:
    """Is this a section, title or footer row rather than a procedure, and does it name a field?

    'II. Lĩnh vực Hoạt động khoa học và công nghệ' -> (True, 'Hoạt động khoa học và công nghệ'). A row with
    neither code nor name and at most one filled cell is not a procedure; anything else is validated as one.
    """
    texts = [_text(cell) for cell in cells if _text(cell)]
    if len(texts) > 1 and all(re.fullmatch(r"\(?\d{1,2}\)?", text) for text in texts):
        return True, None  # the "(1) (2) (3)" numbering row under a header
    if _text(_cell(cells, columns["code"])) or _text(_cell(cells, columns["name"])) or len(texts) > 1:
        return False, None
    match = re.match(r"^(?:[IVXLC]+|[A-Z]|\d+)?[.)]?\s*Lĩnh vực\s*:?\s*(.+)$", texts[0], flags=re.IGNORECASE)
    return True, (" ".join(match.group(1).split()) if match else None)


@dataclass
class _Parsed:
    columns: dict[str, int]
    rows: list[ParsedRow]


def _parse_rows(table, default_effective_from, result: ImportResult) -> tuple[_Parsed, dict[tuple[str, dt.date], int]]:
    """Every procedure row of the file, parsed and checked (bad rows go to result.errors); nothing is saved."""
    head = list(islice(table.rows, MAX_HEADER_SCAN))
    header_index, columns = _find_header(head)
    parsed = _Parsed(columns, [])
    seen: dict[tuple[str, dt.date], int] = {}
    section_field: str | None = None
    for number, cells in chain(head[header_index + 1 :], table.rows):
        if isinstance(cells, RowDefect):
            result.errors.append((number, cells.message))
            continue
        if not any(_text(cell) for cell in cells):
            continue
        skip, heading_field = _heading(cells, columns)
        if skip:
            section_field = heading_field or section_field
            continue
        try:
            row = _parse_row(number, cells, columns, section_field, default_effective_from)
        except RowError as exc:
            result.errors.append((number, str(exc)))
            continue
        key = (row.data["code"], row.data["effective_from"])
        if key in seen:
            result.errors.append((number, _("Trùng mã TTHC và ngày hiệu lực với dòng %(row)d") % {"row": seen[key]}))
            continue
        seen[key] = number
        parsed.rows.append(row)
    return parsed, seen


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None
