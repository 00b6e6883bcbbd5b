"""A framework as the XLSX a province publishes, and back.

Worksheet "Bộ tiêu chí": A1 the framework's name, A2 "Căn cứ: Quyết định số ... ngày dd/mm/yyyy" (or empty), then a
header row and one row per item in reading order: code, title, maximum, notes (the columns provinces publish), and
cchc's own columns for the part, the rule and its points, the evidence, the appraiser and the evaluator. The tree is
read from the codes: "3.2.1" belongs to "3.2". Worksheet "Xếp loại": one row per tier, best first.

Import reads the whole file first and writes nothing unless every row is right: each problem is reported with its row
and column, and the framework is created in one transaction. Export writes the cells the import reads, so an
exported file imports to the same framework and a file in this shape exports back to the same cells.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.agencies.models import Province
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.tablefiles import SheetMissing, TableFileError, open_table, spreadsheet_value
from cchc.text import clean_text, fold

from .. import permissions, validation
from ..models import AppraiserRole, Framework, Item, RuleKind, Section, Tier
from ..rules import RuleError
from ..ruletext import params_text, parse_params
from ..tree import Node, build, walk

ITEMS_SHEET = "Bộ tiêu chí"
TIERS_SHEET = "Xếp loại"
MAX_HEADER_SCAN = 12


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    width: int = 14


COLUMNS = (
    Column("code", "Mã", ("tt", "stt", "ma so", "so tt"), 8),
    Column("title", "Lĩnh vực, tiêu chí, tiêu chí thành phần", ("noi dung", "tieu chi", "linh vuc, tieu chi"), 70),
    Column("max_points", "Điểm tối đa", ("diem chuan", "thang diem", "diem toi da"), 10),
    Column("notes", "Ghi chú", (), 30),
    Column("section", "Phần", (), 18),
    Column("rule", "Cách chấm", ("phuong phap cham",), 18),
    Column("rule_params", "Mức điểm", (), 24),
    Column("evidence_required", "Tài liệu kiểm chứng", ("tai lieu kiem chung",), 40),
    Column("appraiser_role", "Cơ quan thẩm định", (), 22),
    Column("evaluator", "Đánh giá tự động", (), 18),
    Column("evaluator_params", "Tham số đánh giá", (), 22),
)
REQUIRED = ("code", "title", "max_points")
TIER_HEADERS = ("Xếp loại", "Chỉ số từ (%)")

SECTION_WORDS = {fold(str(label)): value for value, label in Section.choices}
RULE_WORDS = {fold(str(label)): value for value, label in RuleKind.choices}
APPRAISER_WORDS = {fold(str(label)): value for value, label in AppraiserRole.choices} | {
    "vp ubnd tinh": AppraiserRole.PROVINCIAL_OFFICE,
    "van phong uy ban nhan dan tinh": AppraiserRole.PROVINCIAL_OFFICE,
    "so kh&cn": AppraiserRole.SCIENCE,
    "so khcn": AppraiserRole.SCIENCE,
    "so thong tin va truyen thong": AppraiserRole.SCIENCE,
    "so tt&tt": AppraiserRole.SCIENCE,
}
_DECISION = re.compile(r"Quyết định số\s+(?P<number>\S+)(?:\s+ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}))?",
                       re.IGNORECASE)  # fmt: skip


class FrameworkImportError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Parsed:
    name: str = ""
    decision_number: str = ""
    decision_date: Any = None
    roots: list[Node] = field(default_factory=list)
    tiers: list[tuple[str, Decimal | None]] = field(default_factory=list)
    has_tiers_sheet: bool = False
    problems: list[str] = field(default_factory=list)
    rows: int = 0


@dataclass
class ImportResult:
    framework: Framework
    items: int
    warnings: list[str]


# --- reading -------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return Decimal(str(round(value, 4))).quantize(Decimal("0.01"))
    text = _text(value).replace(" ", "").replace(",", ".")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError from None


def _header_map(cells: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = fold(_text(cell)).strip(" :")
        for column in COLUMNS:
            if column.key not in found and name in (fold(column.header), *column.aliases):
                found[column.key] = index
    return found


def _where(row: int, key: str) -> str:
    header = next(c.header for c in COLUMNS if c.key == key)
    return _("Dòng %(row)s, cột «%(column)s»") % {"row": row, "column": header}


def _read_decision(text: str, parsed: Parsed) -> None:
    match = _DECISION.search(text or "")
    if not match:
        return
    import datetime as dt

    parsed.decision_number = match["number"].rstrip(",;")
    if match["y"]:
        try:
            parsed.decision_date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            parsed.problems.append(_("Dòng 2: ngày ban hành “%(text)s” không có thật.") % {"text": text})


def _parse_row(number: int, cells: list[Any], columns: dict[str, int], by_code: dict[str, Node],
               parsed: Parsed) -> None:  # fmt: skip
    def cell(key: str) -> Any:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    problems: list[str] = []
    code = _text(cell("code")).replace(" ", "").rstrip(".")
    title = _text(cell("title"))
    if not code:
        problems.append(f"{_where(number, 'code')}: " + _("thiếu mã của mục."))
    if not title:
        problems.append(f"{_where(number, 'title')}: " + _("thiếu nội dung của mục."))
    try:
        maximum = _number(cell("max_points"))
        if maximum < 0:
            raise ValueError
    except ValueError:
        problems.append(
            f"{_where(number, 'max_points')}: "
            + _("“%(value)s” không phải một số điểm không âm.") % {"value": _text(cell("max_points"))}
        )
        maximum = None
    parent = None
    if code and "." in code:
        parent_code = code.rsplit(".", 1)[0]
        parent = by_code.get(parent_code)
        if parent is None:
            message = _("mục %(code)s chưa có mục cha %(parent)s ở các dòng trên.")
            problems.append(f"{_where(number, 'code')}: " + message % {"code": code, "parent": parent_code})
    if code in by_code:
        problems.append(f"{_where(number, 'code')}: " + _("mã %(code)s đã dùng ở dòng trên.") % {"code": code})
    section_text = fold(_text(cell("section")))
    section = SECTION_WORDS.get(section_text) if section_text else None
    if section_text and section is None:
        problems.append(f"{_where(number, 'section')}: " + _("“%(value)s” không phải phần nào (%(allowed)s).")
                        % {"value": _text(cell("section")),
                           "allowed": ", ".join(str(label) for label in Section.labels)})  # fmt: skip
    if parent is not None:
        if section is not None and section != parent.item.section:
            problems.append(f"{_where(number, 'section')}: " + _("mục con thuộc phần của mục cha."))
        section = parent.item.section
    rule_text = fold(_text(cell("rule")))
    rule = RULE_WORDS.get(rule_text, None) if rule_text else RuleKind.MANUAL
    if rule is None:
        problems.append(f"{_where(number, 'rule')}: " + _("“%(value)s” không phải cách chấm nào (%(allowed)s).")
                        % {"value": _text(cell("rule")),
                           "allowed": ", ".join(str(label) for label in RuleKind.labels)})  # fmt: skip
        rule = RuleKind.MANUAL
    try:
        rule_params = parse_params(rule, _text(cell("rule_params")))
    except RuleError as exc:
        problems.append(f"{_where(number, 'rule_params')}: {exc}")
        rule_params = {}
    appraiser_text = fold(_text(cell("appraiser_role")))
    appraiser = APPRAISER_WORDS.get(appraiser_text) if appraiser_text else AppraiserRole.HOME_AFFAIRS
    if appraiser is None:
        problems.append(
            f"{_where(number, 'appraiser_role')}: "
            + _("“%(value)s” không phải cơ quan thẩm định nào (%(allowed)s).")
            % {"value": _text(cell("appraiser_role")), "allowed": ", ".join(str(x) for x in AppraiserRole.labels)}
        )
        appraiser = AppraiserRole.HOME_AFFAIRS
    evaluator = _text(cell("evaluator"))
    evaluator_params: dict = {}
    raw_params = _text(cell("evaluator_params"))
    if raw_params:
        try:
            evaluator_params = json.loads(raw_params)
            if not isinstance(evaluator_params, dict):
                raise ValueError
        except ValueError:
            problems.append(f"{_where(number, 'evaluator_params')}: "
                            + _("ghi dạng JSON, ví dụ {\"which\": \"result\"}."))  # fmt: skip
            evaluator_params = {}
    if problems:
        parsed.problems.extend(problems)
        return
    siblings = parent.children if parent else parsed.roots
    item = Item(code=code, title=title, max_points=maximum, section=section or Section.SCORED, rule=rule,
                rule_params=rule_params, evidence_required=_text(cell("evidence_required")),
                appraiser_role=appraiser, evaluator=evaluator, evaluator_params=evaluator_params,
                notes=_text(cell("notes")), order=len(siblings) + 1)  # fmt: skip
    node = Node(item, parent.depth + 1 if parent else 0)
    siblings.append(node)
    by_code[code] = node
    parsed.rows += 1


def read_items(data: bytes, filename: str, parsed: Parsed) -> None:
    with open_table(data, filename=filename, sheet=ITEMS_SHEET) as table:
        columns: dict[str, int] | None = None
        by_code: dict[str, Node] = {}
        for number, cells in table.rows:
            if not isinstance(cells, list):
                parsed.problems.append(_("Dòng %(row)s: %(problem)s") % {"row": number, "problem": cells.message})
                continue
            if columns is None:
                found = _header_map(cells)
                if all(key in found for key in REQUIRED):
                    columns = found
                elif number == 1:
                    parsed.name = _text(cells[0] if cells else "")
                elif number == 2:
                    _read_decision(_text(cells[0] if cells else ""), parsed)
                elif number >= MAX_HEADER_SCAN:
                    break
                continue
            _parse_row(number, cells, columns, by_code, parsed)
        if columns is None:
            parsed.problems.append(
                _(
                    "Không tìm thấy dòng tiêu đề có các cột «Mã», «Lĩnh vực, tiêu chí, tiêu chí thành phần» và "
                    "«Điểm tối đa» trong %(n)s dòng đầu của trang «%(sheet)s»."
                )
                % {"n": MAX_HEADER_SCAN, "sheet": ITEMS_SHEET}  # fmt: skip
            )


def read_tiers(data: bytes, filename: str, parsed: Parsed) -> None:
    try:
        table = open_table(data, filename=filename, sheet=TIERS_SHEET)
    except SheetMissing:
        return
    parsed.has_tiers_sheet = True
    with table:
        header_seen = False
        for number, cells in table.rows:
            if not isinstance(cells, list):
                parsed.problems.append(
                    _("Trang «%(sheet)s», dòng %(row)s: %(problem)s")
                    % {"sheet": TIERS_SHEET, "row": number, "problem": cells.message}
                )
                continue
            if not header_seen:
                header_seen = fold(_text(cells[0] if cells else "")) == fold(TIER_HEADERS[0])
                continue
            name = _text(cells[0] if cells else "")
            try:
                threshold = _number(cells[1] if len(cells) > 1 else None)
            except ValueError:
                parsed.problems.append(_("Trang «%(sheet)s», dòng %(row)s: ngưỡng “%(value)s” không phải một số.")
                                       % {"sheet": TIERS_SHEET, "row": number,
                                          "value": _text(cells[1] if len(cells) > 1 else "")})  # fmt: skip
                continue
            parsed.tiers.append((name, threshold))


def parse(data: bytes, filename: str = "bo-tieu-chi.xlsx") -> Parsed:
    parsed = Parsed()
    try:
        read_items(data, filename, parsed)
        read_tiers(data, filename, parsed)
    except SheetMissing:
        parsed.problems.append(_("Tệp không có trang «%(sheet)s».") % {"sheet": ITEMS_SHEET})
    except TableFileError as exc:
        parsed.problems.append(str(exc))
    if not parsed.problems:
        parsed.problems += validation.tree_problems(parsed.roots)
        parsed.problems += validation.tier_problems(parsed.tiers)
    return parsed


def import_framework(
    data: bytes,
    actor,
    *,
    province: Province | None,
    year: int | None,
    group: str,
    filename: str = "bo-tieu-chi.xlsx",
    name: str = "",
    system: bool = False,
) -> ImportResult:
    """A new framework from the file; FrameworkImportError with every problem, and nothing written, otherwise.
    `system`: the command line, run by whoever administers the installation (no user to check)."""
    framework = Framework(province=province, year=year, group=group)
    if not system and not permissions.may_edit_framework(actor, framework):
        raise PermissionDenied(_("Chỉ Sở Nội vụ của tỉnh được nhập bộ tiêu chí của tỉnh."))
    parsed = parse(data, filename)
    if province is not None and Framework.objects.filter(province=province, year=year, group=group).exists():
        parsed.problems.insert(0, _("Tỉnh đã có bộ tiêu chí năm %(year)s cho nhóm cơ quan này.") % {"year": year})
    if parsed.problems:
        raise FrameworkImportError(parsed.problems)
    warnings = validation.unknown_evaluators(parsed.roots)
    if not parsed.tiers:
        warnings.append(_("Tệp chưa có các mức xếp loại (trang «Xếp loại»): hãy nhập trên trang bộ tiêu chí."))
    framework.name = name or parsed.name or _("Bộ tiêu chí Chỉ số CCHC năm %(year)s") % {"year": year}
    framework.decision_number, framework.decision_date = parsed.decision_number, parsed.decision_date
    with transaction.atomic():
        framework.save()
        for node in walk(parsed.roots):
            node.item.framework = framework
            node.item.save()
            for child in node.children:
                child.item.parent = node.item
        Tier.objects.bulk_create(
            Tier(framework=framework, name=tier_name, min_index=threshold, order=position)
            for position, (tier_name, threshold) in enumerate(parsed.tiers, start=1)
        )
        audit.record(
            framework,
            actor,
            AuditEntry.Action.IMPORT,
            changes={"file": filename, "items": parsed.rows},
            summary=_("Nhập bộ tiêu chí từ tệp %(file)s (%(n)s mục)") % {"file": filename, "n": parsed.rows},
        )
    return ImportResult(framework, parsed.rows, warnings)


# --- writing -------------------------------------------------------------------------------------------------


def _cell_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def item_cells(node: Node) -> list[Any]:
    item = node.item
    rule = "" if not node.is_leaf and item.rule == RuleKind.MANUAL else str(RuleKind(item.rule).label)
    values = {
        "code": item.code,
        "title": item.title,
        "max_points": _cell_number(item.max_points),
        "notes": item.notes,
        "section": str(Section(item.section).label) if node.depth == 0 else "",
        "rule": rule,
        "rule_params": params_text(item.rule, item.rule_params),
        "evidence_required": item.evidence_required,
        "appraiser_role": str(AppraiserRole(item.appraiser_role).label),
        "evaluator": item.evaluator,
        "evaluator_params": json.dumps(item.evaluator_params, ensure_ascii=False, sort_keys=True)
        if item.evaluator_params
        else "",
    }
    return [values[column.key] for column in COLUMNS]


def export_framework(framework: Framework) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    def safe(values: list[Any]) -> list[Any]:
        return [spreadsheet_value(value, "xlsx") if value != "" else None for value in values]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = ITEMS_SHEET
    sheet.append(safe([framework.name]))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(safe([f"Căn cứ: {framework.decision_label}" if framework.decision_label else ""]))
    sheet.append([])
    sheet.append(safe([column.header for column in COLUMNS]))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for node in walk(build(framework.items.all())):
        sheet.append(safe(item_cells(node)))
        if not node.is_leaf:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C5"
    tiers = book.create_sheet(TIERS_SHEET)
    tiers.append(list(TIER_HEADERS))
    for cell in tiers[1]:
        cell.font = Font(bold=True)
    for tier in framework.tiers.order_by("order", "-min_index", "pk"):
        tiers.append(safe([tier.name, _cell_number(tier.min_index)]))
    tiers.column_dimensions["A"].width = 20
    tiers.column_dimensions["B"].width = 16
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def file_name(framework: Framework) -> str:
    return f"bo-tieu-chi-{framework.year or 'mau'}.xlsx"
