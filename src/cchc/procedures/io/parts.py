"""The parts sheets of a catalogue workbook: components, fees and the internal process, one sheet each, every row
keyed by "Mã TTHC" + "Hiệu lực từ" (the procedure version it belongs to, which must be a row of the main sheet).

When a sheet is in the workbook it is the whole of that part for every procedure of the main sheet (a procedure with
no row there has none); a workbook without the sheet leaves that part as it is. A bad row is reported with its sheet,
row and column, and its procedure is not imported at all (neither its main row nor any of its parts), so nothing is
ever half-imported. Component form files are not carried by the workbook: a component keeps its file when it keeps
its position.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cchc.agencies.models import Agency, Role, Unit
from cchc.procedures import parts
from cchc.procedures.models import FeeKind, Procedure, StepTimeUnit
from cchc.tablefiles import RowDefect, SheetMissing, TableFileError, open_table
from cchc.text import fold

from .columns import _YES_NO, _norm
from .common import CODE_RE, LIMITS, UnreadableFile
from .values import RowError, _date, _text

Key = tuple[str, dt.date]


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str


@dataclass(frozen=True)
class Sheet:
    kind: parts.PartKind
    title: str
    columns: tuple[SheetColumn, ...]


_KEY_COLUMNS = (SheetColumn("code", "Mã TTHC"), SheetColumn("effective_from", "Hiệu lực từ"))
COMPONENTS_SHEET = Sheet(
    parts.COMPONENTS,
    "Thành phần hồ sơ",
    (
        *_KEY_COLUMNS,
        SheetColumn("position", "STT"),
        SheetColumn("name", "Tên giấy tờ"),
        SheetColumn("originals", "Số bản chính"),
        SheetColumn("copies", "Số bản sao"),
        SheetColumn("mandatory", "Bắt buộc"),
        SheetColumn("form_name", "Mẫu đơn, tờ khai"),
        SheetColumn("note", "Ghi chú"),
    ),
)
FEES_SHEET = Sheet(
    parts.FEES,
    "Phí, lệ phí",
    (
        *_KEY_COLUMNS,
        SheetColumn("position", "STT"),
        SheetColumn("kind", "Loại"),
        SheetColumn("name", "Tên khoản thu"),
        SheetColumn("amount", "Mức thu (đồng)"),
        SheetColumn("rule", "Cách tính"),
        SheetColumn("legal_basis", "Căn cứ pháp lý"),
    ),
)
STEPS_SHEET = Sheet(
    parts.STEPS,
    "Quy trình nội bộ",
    (
        *_KEY_COLUMNS,
        SheetColumn("position", "Bước"),
        SheetColumn("name", "Tên bước"),
        SheetColumn("role", "Vai trò"),
        SheetColumn("unit", "Đơn vị thực hiện"),
        SheetColumn("duration", "Thời gian"),
        SheetColumn("duration_unit", "Đơn vị thời gian"),
        SheetColumn("is_approval", "Phê duyệt kết quả"),
        SheetColumn("external", "Cơ quan liên thông"),
    ),
)
SHEETS = (COMPONENTS_SHEET, FEES_SHEET, STEPS_SHEET)

_ROLES = {_norm(role.label): role.value for role in Role}
_FEE_KINDS = {_norm(kind.label): kind.value for kind in FeeKind}
_STEP_UNITS = {
    "ngay lam viec": StepTimeUnit.WORKING_DAYS,
    "ngay": StepTimeUnit.WORKING_DAYS,
    "gio lam viec": StepTimeUnit.WORKING_HOURS,
    "gio": StepTimeUnit.WORKING_HOURS,
}


def _where(sheet: Sheet, number: int, header: str | None) -> str:
    if header:
        return _("Trang “%(sheet)s”, dòng %(row)d, cột “%(column)s”") % {
            "sheet": sheet.title,
            "row": number,
            "column": header,
        }
    return _("Trang “%(sheet)s”, dòng %(row)d") % {"sheet": sheet.title, "row": number}


@dataclass
class SheetRows:
    """The rows of one parts sheet by procedure key, with the sheet row number of each."""

    sheet: Sheet
    rows: dict[Key, list[tuple[int, dict[str, Any]]]]


@dataclass
class PartsInFile:
    sheets: list[SheetRows]
    errors: dict[Key | None, list[str]]  # by procedure key; None: rows whose key cannot be read

    def problem_keys(self) -> set[Key]:
        return {key for key in self.errors if key is not None}


class _Context:
    def __init__(self, agency) -> None:
        self.units = {fold(u.name): u for u in Unit.objects.filter(agency=agency)}
        others = Agency.objects.exclude(pk=agency.pk)
        if agency.province_id:
            others = others.filter(province_id=agency.province_id)
        self.agencies = {fold(a.name): a for a in others}


def read_parts(source: Any, filename: str | None, agency) -> PartsInFile:
    """Every parts sheet the workbook holds, parsed and checked cell by cell (the rules of a whole part are checked
    per procedure by check_parts). A CSV has no parts sheets."""
    found = PartsInFile([], {})
    if (
        (filename or getattr(source, "name", "") or str(source if isinstance(source, str) else ""))
        .lower()
        .endswith(".csv")
    ):
        return found
    context = _Context(agency)
    for sheet in SHEETS:
        if hasattr(source, "seek"):
            source.seek(0)
        try:
            with open_table(source, filename=filename, limits=LIMITS, sheet=sheet.title) as table:
                found.sheets.append(_read_sheet(sheet, table, context, found.errors))
        except SheetMissing:
            continue
        except TableFileError as exc:
            raise UnreadableFile(str(exc)) from exc
    return found


def _read_sheet(sheet: Sheet, table, context: _Context, errors: dict) -> SheetRows:
    result = SheetRows(sheet, {})
    columns: dict[str, int] | None = None
    wanted = {_norm(c.header): c.key for c in sheet.columns}
    for number, cells in table.rows:
        if isinstance(cells, RowDefect):
            errors.setdefault(None, []).append(f"{_where(sheet, number, None)}: {cells.message}")
            continue
        if columns is None:
            found = {wanted[_norm(cell)]: i for i, cell in enumerate(cells) if _norm(cell) in wanted}
            if {"code", "effective_from", "position", "name"} <= set(found):
                columns = found
            continue
        if not any(_text(cell) for cell in cells):
            continue
        parsed = _read_row(sheet, number, cells, columns, context)
        key, row, problems = parsed
        if problems:
            errors.setdefault(key, []).extend(problems)
        if key is not None:
            result.rows.setdefault(key, []).append((number, row))
    if columns is None:
        errors.setdefault(None, []).append(
            _("Trang “%(sheet)s”: không tìm thấy dòng tiêu đề (cần các cột %(columns)s).")
            % {"sheet": sheet.title, "columns": ", ".join(f"“{c.header}”" for c in sheet.columns[:4])}
        )
    return result


def _read_row(sheet: Sheet, number: int, cells: list, columns: dict[str, int], context: _Context):
    headers = {c.key: c.header for c in sheet.columns}
    problems: list[str] = []

    def cell(name: str) -> Any:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def fail(name: str, message: str) -> None:
        problems.append(f"{_where(sheet, number, headers[name])}: {message}")

    key = None
    code = re.sub(r"\s+", "", _text(cell("code")))
    try:
        start = _date(cell("effective_from"), headers["effective_from"])
    except RowError as exc:
        start = None
        fail("effective_from", str(exc).split(": ", 1)[-1])
    if not code:
        fail("code", _("Thiếu mã TTHC"))
    elif start is None and not problems:
        fail("effective_from", _("Thiếu ngày hiệu lực"))
    if code and start:
        match = CODE_RE.match(code)
        key = (match.group(1) if match else code, start)
    row: dict[str, Any] = {}

    def integer(name: str, default: int | None = None) -> None:
        value = cell(name)
        text = _text(value)
        if not text:
            row[name] = default
            return
        if not re.fullmatch(r"\d{1,4}", text):
            fail(name, _("“%(value)s” không phải là số nguyên không âm") % {"value": text})
            return
        row[name] = int(text)

    def amount(name: str) -> None:
        text = _text(cell(name)).replace(" ", "")
        if not text:
            row[name] = None
            return
        text = re.sub(r"(đồng|đ)$", "", text, flags=re.IGNORECASE)
        negative = text.startswith("-")
        digits = text.lstrip("-").replace(".", "")
        if not digits.isdigit():
            fail(name, _("“%(value)s” không phải là số tiền (đồng)") % {"value": _text(cell(name))})
            return
        row[name] = -int(digits) if negative else int(digits)

    def decimal(name: str) -> None:
        from decimal import Decimal, InvalidOperation

        text = _text(cell(name)).replace(",", ".")
        if not text:
            row[name] = None
            return
        try:
            row[name] = Decimal(text)
        except InvalidOperation:
            fail(name, _("“%(value)s” không phải là số") % {"value": _text(cell(name))})

    def choice(name: str, options: dict[str, Any], default: Any) -> None:
        text = _norm(cell(name))
        if not text:
            row[name] = default
        elif text in options:
            row[name] = options[text]
        else:
            fail(name, _("giá trị “%(value)s” không hợp lệ") % {"value": _text(cell(name))})

    integer("position")
    row["name"] = _text(cell("name"))
    if sheet is COMPONENTS_SHEET:
        integer("originals", 1)
        integer("copies", 0)
        choice("mandatory", _YES_NO, True)
        row["form_name"] = _text(cell("form_name"))
        row["note"] = _text(cell("note"))
    elif sheet is FEES_SHEET:
        choice("kind", _FEE_KINDS, FeeKind.FEE)
        amount("amount")
        row["rule"] = _text(cell("rule"))
        row["legal_basis"] = _text(cell("legal_basis"))
    else:
        choice("role", _ROLES, Role.OFFICER)
        decimal("duration")
        choice("duration_unit", _STEP_UNITS, StepTimeUnit.WORKING_DAYS)
        choice("is_approval", _YES_NO, False)
        unit_name = _text(cell("unit"))
        row["unit"] = context.units.get(fold(unit_name)) if unit_name else None
        if unit_name and row["unit"] is None:
            fail("unit", _("không có đơn vị “%(unit)s” trong cơ quan") % {"unit": unit_name})
        outside = _text(cell("external"))
        row["external_agency"] = context.agencies.get(fold(outside)) if outside else None
        row["external_name"] = "" if row["external_agency"] is not None else outside
    return key, row, problems


def check_parts(found: PartsInFile, procedures: dict[Key, Procedure | None], agency) -> None:
    """The rules of each whole part (procedures.parts), per procedure of the main sheet; a key the main sheet does
    not have is an error too. `procedures` maps each main-sheet key to its stored version (None when new)."""
    for sheet_rows in found.sheets:
        sheet = sheet_rows.sheet
        headers = {c.key: c.header for c in sheet.columns}
        for key, numbered in sheet_rows.rows.items():
            if key not in procedures:
                found.errors.setdefault(None, []).append(
                    _("%(where)s: thủ tục mã %(code)s hiệu lực từ %(day)s không có trong trang danh mục")
                    % {"where": _where(sheet, numbered[0][0], None), "code": key[0], "day": f"{key[1]:%d/%m/%Y}"}
                )
                continue
            probe = procedures[key] or Procedure(agency=agency, processing_time=None)
            rows = [row for _number, row in numbered]
            for problem in parts.problems_for(sheet.kind, probe, rows):
                number = numbered[problem.row - 1][0] if problem.row else numbered[0][0]
                header = headers.get(problem.field or "") or (
                    headers["external"] if problem.field and problem.field.startswith("external") else None
                )
                where = (
                    _where(sheet, number, header)
                    if problem.row
                    else _("Trang “%(sheet)s”, thủ tục %(code)s") % {"sheet": sheet.title, "code": key[0]}
                )
                found.errors.setdefault(key, []).append(f"{where}: {problem.message}")


def save_parts(found: PartsInFile, key: Key, procedure: Procedure, actor, action: str, source_name: str) -> None:
    """Replace the parts of `procedure` with the file's rows (inside the caller's transaction)."""
    for sheet_rows in found.sheets:
        kind = sheet_rows.sheet.kind
        stored = {row["position"]: row["id"] for row in parts.part_rows(procedure, kind)}
        rows = []
        for _number, row in sheet_rows.rows.get(key, []):
            row = dict(row)
            if row.get("position") in stored:
                row["id"] = stored[row["position"]]  # kept (with its form file) rather than recreated
            rows.append(row)
        parts.replace_part(
            procedure,
            kind,
            rows,
            actor,
            action=action,
            summary=_("%(part)s cập nhật từ tệp %(name)s") % {"part": kind.label().capitalize(), "name": source_name},
        )


# --- export ------------------------------------------------------------------------------------------------------


def export_rows(sheet: Sheet, procedure: Procedure, objects: list) -> list[list[Any]]:
    """The rows of `sheet` for one procedure version (`objects`: its rows of that part, in order), in the sheet's
    columns (the importer reads them back)."""
    out = []
    for obj in objects:
        values: dict[str, Any] = {"code": procedure.code, "effective_from": procedure.effective_from}
        for column in sheet.columns[2:]:
            key = column.key
            if key == "mandatory" or key == "is_approval":
                values[key] = "Có" if getattr(obj, key) else "Không"
            elif key == "kind":
                values[key] = obj.get_kind_display()
            elif key == "role":
                values[key] = obj.get_role_display()
            elif key == "duration_unit":
                values[key] = obj.get_duration_unit_display()
            elif key == "unit":
                values[key] = obj.unit.name if obj.unit_id else ""
            elif key == "external":
                values[key] = obj.external_agency.name if obj.external_agency_id else obj.external_name
            elif key == "amount":
                values[key] = int(obj.amount) if obj.amount is not None else ""
            elif key == "duration":
                value = obj.duration
                values[key] = int(value) if value == value.to_integral_value() else float(value)
            else:
                values[key] = getattr(obj, key)
        out.append([values[c.key] for c in sheet.columns])
    return out
