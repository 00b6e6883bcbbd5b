"""Import and export of an agency's TTHC catalogue ("Danh mục thủ tục hành chính") as XLSX or CSV.

The columns are those of a provincial publication of the catalogue (tthc-details.md §7.3); headers are matched
ignoring case, diacritics, punctuation and a trailing remark such as "(ngày làm việc)". Title rows above the
header and section rows ("I. Lĩnh vực Hoạt động khoa học và công nghệ") are understood: a section row gives the
field of the rows below it that leave "Lĩnh vực" empty.

Import rules (docs/procedure-import.md):
- every row is validated; good rows are saved, bad rows are reported with their row number and the reason;
- a row is identified by agency + code + "Hiệu lực từ": the same file imported twice changes nothing, an unchanged
  row is neither written nor audited, a changed row is updated and audited with its diff;
- each row is saved in its own transaction: a failure mid-way never leaves half a row;
- versions: a row without "Bãi bỏ từ" ends where the next version of the same code starts (in the file or in the
  database), and an open earlier version in the database is closed on the new version's date (audited).
Export writes the same columns, so export -> import round-trips unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from cchc.audit.models import AuditEntry
from cchc.importing import ImportInProgress, agency_owner, exclusive_import, refresh_statistics
from cchc.tablefiles import WEB_LIMITS, RowDefect, TableFileError, open_table, spreadsheet_value
from cchc.text import clean_line, clean_text, code_problem, fold

from . import services
from .models import DurationUnit, Field, Interconnection, Level, OnlineService, Procedure

CODE_RE = re.compile(r"^(\d\.\d{6})(\.[A-Za-z0-9]{1,12})?$", re.ASCII)
MAX_HEADER_SCAN = 20
# A catalogue has hundreds of procedures; its rows are all parsed before any is saved, hence a bound.
LIMITS = WEB_LIMITS.with_(max_rows=20_000)


class UnreadableFile(Exception):
    """The file cannot be read (not XLSX/CSV, broken, past the bounds, no recognisable header), or another import
    of the agency's catalogue is running; nothing was saved. The message is meant for the user."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = _(
            "Thêm mới %(created)d, cập nhật %(updated)d, không đổi %(unchanged)d thủ tục; "
            "%(closed)d phiên bản cũ được đóng; %(errors)d dòng lỗi."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "closed": self.closed,
            "errors": len(self.errors),
        }
        return text


# --- columns ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã TTHC", ("ma tthc", "ma thu tuc", "ma thu tuc hanh chinh", "ma so tthc", "ma so", "ma")),
    Column("name", "Tên TTHC", ("ten tthc", "ten thu tuc", "ten thu tuc hanh chinh", "ten")),
    Column("field", "Lĩnh vực", ("linh vuc", "ten linh vuc")),
    Column("level", "Cấp thực hiện", ("cap thuc hien", "cap", "cap giai quyet")),
    Column(
        "processing_time",
        "Thời hạn giải quyết",
        ("thoi han giai quyet", "thoi gian giai quyet", "thoi han giai quyet theo quy dinh", "thoi han"),
    ),
    Column(
        "reduced_processing_time",
        "Thời hạn cắt giảm",
        (
            "thoi han cat giam",
            "thoi han sau cat giam",
            "thoi han giai quyet sau cat giam",
            "thoi han giai quyet cat giam",
            "thoi gian cat giam",
            "thoi gian giai quyet sau cat giam",
            "thoi han da cat giam",
        ),
    ),
    Column(
        "time_unit", "Đơn vị thời hạn", ("don vi thoi han", "don vi tinh", "don vi thoi gian", "don vi tinh thoi han")
    ),
    Column(
        "online_service",
        "DVC trực tuyến",
        ("dvc truc tuyen", "dvc tt", "dvctt", "dich vu cong truc tuyen", "loai dvc truc tuyen"),
    ),
    Column(
        "legacy_online_level",
        "Mức độ (NĐ 43/2011)",
        ("muc do nd 43 2011", "muc do", "muc do dvctt", "muc do dich vu cong", "muc do theo nd 43 2011"),
    ),
    Column("interconnection", "Liên thông", ("lien thong", "thu tuc lien thong")),
    Column("one_stop", "Một cửa", ("mot cua", "qua bo phan mot cua", "tiep nhan qua mot cua")),
    Column("fees", "Phí, lệ phí", ("phi le phi", "phi", "le phi", "muc phi le phi")),
    Column(
        "publishing_decision",
        "Quyết định công bố",
        ("quyet dinh cong bo", "qd cong bo", "so quyet dinh cong bo", "van ban cong bo"),
    ),
    Column("effective_from", "Hiệu lực từ", ("hieu luc tu", "ngay hieu luc", "co hieu luc tu", "hieu luc tu ngay")),
    Column("abolished_on", "Bãi bỏ từ", ("bai bo tu", "ngay bai bo", "het hieu luc tu", "bai bo tu ngay")),
    Column(
        "local_code", "Mã áp dụng tại địa phương", ("ma ap dung tai dia phuong", "ma dia phuong", "ma tthc dia phuong")
    ),
    Column("cutoff_time", "Giờ chốt tiếp nhận", ("gio chot tiep nhan", "gio chot", "gio tiep nhan cuoi")),
    Column("result_document", "Kết quả thực hiện", ("ket qua thuc hien", "ket qua")),
)
REQUIRED = ("code", "name", "field", "processing_time")
_ALIASES: list[tuple[str, str]] = sorted(
    ((alias, column.key) for column in COLUMNS for alias in column.aliases), key=lambda pair: -len(pair[0])
)
# Columns written on export besides COLUMNS: informative, ignored on import.
AGENCY_HEADER = "Cơ quan thực hiện"
NUMBER_HEADER = "STT"


def _norm(value: Any) -> str:
    """Fold and keep letters and digits only: 'Phí, lệ phí' -> 'phi le phi'."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(str(value or ""))).split())


def _column_key(header: Any) -> str | None:
    text = _norm(header)
    if not text:
        return None
    for alias, key in _ALIASES:
        if text == alias:
            return key
    # "Thời hạn giải quyết (ngày làm việc)", "DVC trực tuyến (Toàn trình / Một phần / Không)": longest alias first.
    for alias, key in _ALIASES:
        if len(alias) > 3 and text.startswith(alias + " "):
            return key
    return None


def _header_map(cells: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _column_key(cell)
        if key and key not in found:
            found[key] = index
    return found


# --- value parsing ------------------------------------------------------------------------------------------


class RowError(Exception):
    pass


def _text(value: Any) -> str:
    """A cell as one line of clean text (cchc.text.clean_line), numbers as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_line(str(value))


def _multiline(value: Any) -> str:
    return clean_text(value) if isinstance(value, str) else _text(value)


def _choice(value: Any, label: str, options: dict[str, Any], default: Any) -> Any:
    text = _norm(value)
    if not text:
        return default
    if text in options:
        return options[text]
    allowed = ", ".join(sorted({_text(v) for v in _DISPLAY.get(label, {}).values()}))
    raise RowError(
        _("%(column)s: giá trị “%(value)s” không hợp lệ (chấp nhận: %(allowed)s)")
        % {"column": label, "value": _text(value), "allowed": allowed}
    )


_LEVELS = {
    "trung uong": Level.CENTRAL,
    "cap trung uong": Level.CENTRAL,
    "tinh": Level.PROVINCE,
    "cap tinh": Level.PROVINCE,
    "huyen": Level.DISTRICT,
    "cap huyen": Level.DISTRICT,
    "xa": Level.COMMUNE,
    "cap xa": Level.COMMUNE,
}
_UNITS = [  # prefix match, longest first
    ("ngay lam viec", DurationUnit.WORKING_DAYS),
    ("ngay lv", DurationUnit.WORKING_DAYS),
    ("gio lam viec", DurationUnit.WORKING_HOURS),
    ("gio", DurationUnit.WORKING_HOURS),
    ("thang", DurationUnit.MONTHS),
    ("ngay", DurationUnit.DAYS),
]
_ONLINE = {
    "toan trinh": OnlineService.FULL,
    "dvc toan trinh": OnlineService.FULL,
    "truc tuyen toan trinh": OnlineService.FULL,
    "dvc truc tuyen toan trinh": OnlineService.FULL,
    "dich vu cong truc tuyen toan trinh": OnlineService.FULL,
    "mot phan": OnlineService.PARTIAL,
    "dvc mot phan": OnlineService.PARTIAL,
    "truc tuyen mot phan": OnlineService.PARTIAL,
    "dvc truc tuyen mot phan": OnlineService.PARTIAL,
    "dich vu cong truc tuyen mot phan": OnlineService.PARTIAL,
    "khong": OnlineService.NONE,
    "khong cung cap": OnlineService.NONE,
    "khong cung cap truc tuyen": OnlineService.NONE,
    "khong truc tuyen": OnlineService.NONE,
}
_INTERCONNECTION = {
    "khong": Interconnection.NONE,
    "khong lien thong": Interconnection.NONE,
    "cung cap": Interconnection.SAME_LEVEL,
    "lien thong cung cap": Interconnection.SAME_LEVEL,
    "giua cac cap": Interconnection.CROSS_LEVEL,
    "lien thong giua cac cap": Interconnection.CROSS_LEVEL,
}
_YES_NO = {
    "co": True,
    "x": True,
    "yes": True,
    "true": True,
    "1": True,
    "khong": False,
    "no": False,
    "false": False,
    "0": False,
}

# Values written on export (and listed in error messages).
_DISPLAY: dict[str, dict[Any, str]] = {
    "Cấp thực hiện": {
        Level.CENTRAL: "Trung ương",
        Level.PROVINCE: "Cấp tỉnh",
        Level.DISTRICT: "Cấp huyện",
        Level.COMMUNE: "Cấp xã",
    },
    "Đơn vị thời hạn": {
        DurationUnit.WORKING_DAYS: "ngày làm việc",
        DurationUnit.DAYS: "ngày",
        DurationUnit.WORKING_HOURS: "giờ làm việc",
        DurationUnit.MONTHS: "tháng",
    },
    "DVC trực tuyến": {
        OnlineService.FULL: "Toàn trình",
        OnlineService.PARTIAL: "Một phần",
        OnlineService.NONE: "Không",
    },
    "Liên thông": {
        Interconnection.NONE: "Không",
        Interconnection.SAME_LEVEL: "Cùng cấp",
        Interconnection.CROSS_LEVEL: "Giữa các cấp",
    },
    "Một cửa": {True: "Có", False: "Không"},
    "Mức độ (NĐ 43/2011)": {1: "1", 2: "2", 3: "3", 4: "4"},
}


def _unit(value: Any) -> str | None:
    text = _norm(value)
    if not text:
        return None
    for prefix, unit in _UNITS:
        if text == prefix or text.startswith(prefix + " "):
            return unit
    raise RowError(
        _("Đơn vị thời hạn: giá trị “%(value)s” không hợp lệ (chấp nhận: ngày làm việc, ngày, giờ làm việc, tháng)")
        % {"value": _text(value)}
    )


def _number(value: Any, label: str) -> tuple[Decimal | None, str | None]:
    """A processing time: 10, "10", "10,5", "10 ngày làm việc" -> (Decimal, unit found in the text or None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    unit = None
    if isinstance(value, bool):
        raise RowError(_("%(column)s: “%(value)s” không phải là số") % {"column": label, "value": value})
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = _text(value)
        if _norm(text).startswith("trong ngay"):
            return Decimal(0), DurationUnit.WORKING_DAYS  # "Trong ngày": settled within the day
        match = re.match(r"^(\d+(?:[.,]\d+)?)\s*(.*)$", text)
        if not match:
            raise RowError(_("%(column)s: “%(value)s” không phải là số") % {"column": label, "value": text})
        try:
            number = Decimal(match.group(1).replace(",", "."))
            unit = _unit(match.group(2)) if match.group(2) else None
        except (InvalidOperation, RowError) as exc:
            raise RowError(_("%(column)s: “%(value)s” không phải là số") % {"column": label, "value": text}) from exc
    if number < 0 or number >= 1_000_000:
        raise RowError(_("%(column)s: %(value)s nằm ngoài khoảng cho phép") % {"column": label, "value": value})
    if number != number.quantize(Decimal("0.1")):
        raise RowError(
            _("%(column)s: %(value)s có quá một chữ số thập phân") % {"column": label, "value": _text(value)}
        )
    return number.quantize(Decimal("0.1")) if number != number.to_integral_value() else Decimal(int(number)), unit


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S")


def _date(value: Any, label: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(
        _("%(column)s: “%(value)s” không phải là ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)")
        % {"column": label, "value": text}
    )


def _time(value: Any, label: str) -> dt.time | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    text = fold(str(value))
    match = re.match(r"^(\d{1,2})\s*(?::|h|gio)\s*(\d{2})?(?::00)?$", text)
    if match and int(match.group(1)) < 24 and int(match.group(2) or 0) < 60:
        return dt.time(int(match.group(1)), int(match.group(2) or 0))
    raise RowError(
        _("%(column)s: “%(value)s” không phải là giờ hợp lệ (ví dụ 15:00)") % {"column": label, "value": _text(value)}
    )


def _legacy_level(value: Any) -> int | None:
    text = _norm(value)
    if not text:
        return None
    match = re.match(r"^(?:muc do |muc )?([1-4])(?: 0)?$", text)
    if not match:
        raise RowError(
            _("Mức độ (NĐ 43/2011): giá trị “%(value)s” không hợp lệ (1, 2, 3 hoặc 4)") % {"value": _text(value)}
        )
    return int(match.group(1))


def _limit(text: str, size: int, label: str) -> str:
    if len(text) > size:
        raise RowError(_("%(column)s dài quá %(size)d ký tự") % {"column": label, "size": size})
    return text


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
    for index, (_number, cells) in enumerate(rows[:MAX_HEADER_SCAN]):
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


# --- import -------------------------------------------------------------------------------------------------


def import_catalogue(
    source: str | Path | bytes | IO[bytes],
    agency,
    actor=None,
    *,
    filename: str | None = None,
    default_effective_from: dt.date | None = None,
    wait: float | None = None,
) -> ImportResult:
    """Import a catalogue file (XLSX or CSV) for `agency`. Raises UnreadableFile, before saving anything, if it
    cannot be read or another import of the agency's catalogue is still running after `wait` seconds."""
    source_name = filename or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", ""))
    result = ImportResult()
    try:
        with open_table(source, filename=filename, limits=LIMITS, header_score=_header_score) as table:
            parsed, seen = _parse_rows(table, default_effective_from, result)
    except TableFileError as exc:
        raise UnreadableFile(str(exc)) from exc
    columns = parsed.columns
    try:
        with exclusive_import("procedures", agency.pk, owner=agency_owner(agency), wait=wait):
            existing = {
                (p.code, p.effective_from): p for p in Procedure.objects.filter(agency=agency).select_related("field")
            }
            starts: dict[str, set[dt.date]] = {}
            for code, start in [*existing, *seen]:
                starts.setdefault(code, set()).add(start)
            fields = {fold(f.name): f for f in Field.objects.all()}
            for row in parsed.rows:
                _chain_versions(row, existing, starts, columns, result)
            failed = {number for number, _message in result.errors}
            for row in parsed.rows:
                if row.number in failed:
                    continue
                _save_row(row, agency, actor, existing, starts, set(seen), fields, source_name, result)
            refresh_statistics([Procedure], result.created + result.updated)
    except ImportInProgress as exc:
        raise UnreadableFile(str(exc)) from exc
    result.errors.sort()
    return result


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


def _chain_versions(row: ParsedRow, existing, starts, columns, result: ImportResult) -> None:
    """A row open-ended in the file ends where the next version of its code starts."""
    code, start = row.data["code"], row.data["effective_from"]
    later = sorted(s for s in starts.get(code, ()) if s > start)
    if not later:
        return
    end = (
        row.data.get("abolished_on")
        if "abolished_on" in columns
        else getattr(existing.get((code, start)), "abolished_on", None)
    )
    if end is None:
        row.data["abolished_on"] = later[0]
    elif end > later[0]:
        result.errors.append(
            (
                row.number,
                _("Thời gian hiệu lực chồng lên phiên bản khác của mã %(code)s bắt đầu từ %(day)s")
                % {"code": code, "day": f"{later[0]:%d/%m/%Y}"},
            )
        )


def _save_row(row, agency, actor, existing, starts, file_keys, fields, source_name, result: ImportResult) -> None:
    data = dict(row.data)
    created_fields: list[str] = []
    folded = fold(row.field_name)
    try:
        with transaction.atomic():
            field_obj = fields.get(folded)
            if field_obj is None:
                field_obj = Field.objects.create(name=row.field_name)
                fields[folded] = field_obj
                created_fields.append(folded)
            data["field"] = field_obj
            key = (data["code"], data["effective_from"])
            stored = existing.get(key)
            if stored is None:
                stored = services.create_procedure(
                    agency,
                    data,
                    actor,
                    action=AuditEntry.Action.IMPORT,
                    summary=_("Thêm mới từ tệp %(name)s") % {"name": source_name},
                )
                outcome = "created"
            elif services.changed_fields(stored, data):
                services.update_procedure(
                    stored,
                    data,
                    actor,
                    action=AuditEntry.Action.IMPORT,
                    summary=_("Cập nhật từ tệp %(name)s") % {"name": source_name},
                )
                outcome = "updated"
            else:
                outcome = "unchanged"
            closed = _close_earlier_versions(stored, existing, starts, file_keys, actor, source_name)
    except ValidationError as exc:
        _forget(fields, created_fields)
        messages = (
            [m for messages in exc.message_dict.values() for m in messages]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        result.errors.append((row.number, "; ".join(str(m) for m in messages)))
        return
    except DatabaseError as exc:
        _forget(fields, created_fields)
        result.errors.append((row.number, _("Không lưu được: %(error)s") % {"error": exc}))
        return
    except BaseException:
        _forget(fields, created_fields)
        raise
    existing[key] = stored
    setattr(result, outcome, getattr(result, outcome) + 1)
    result.closed += closed


def _forget(fields: dict[str, Field], created: Iterable[str]) -> None:
    for folded in created:
        fields.pop(folded, None)


def _close_earlier_versions(procedure, existing, starts, file_keys, actor, source_name) -> int:
    """Close the open versions in the database that the file does not mention and that this version follows."""
    closed = 0
    for (code, start), older in list(existing.items()):
        if code != procedure.code or start >= procedure.effective_from or (code, start) in file_keys:
            continue
        if older.abolished_on is not None:
            continue
        end = min(s for s in starts[code] if s > start)
        services.update_procedure(
            older,
            {"abolished_on": end},
            actor,
            action=AuditEntry.Action.IMPORT,
            summary=_("Đóng phiên bản cũ khi nhập phiên bản mới từ tệp %(name)s") % {"name": source_name},
        )
        closed += 1
    return closed


# --- export -------------------------------------------------------------------------------------------------


def _export_values(procedure: Procedure, for_csv: bool) -> list[Any]:
    def number(value: Decimal | None) -> Any:
        if value is None:
            return ""
        value = value.normalize() if value != value.to_integral_value() else value.to_integral_value()
        if for_csv:
            return str(value).replace(".", ",")
        return int(value) if value == value.to_integral_value() else float(value)

    def day(value: dt.date | None) -> Any:
        if value is None:
            return ""
        return f"{value:%d/%m/%Y}" if for_csv else value

    values = {
        "code": procedure.code,
        "local_code": procedure.local_code,
        "name": procedure.name,
        "field": procedure.field.name,
        "level": _DISPLAY["Cấp thực hiện"].get(procedure.level, procedure.level),
        "processing_time": number(procedure.processing_time),
        "reduced_processing_time": number(procedure.reduced_processing_time),
        "time_unit": _DISPLAY["Đơn vị thời hạn"].get(procedure.time_unit, procedure.time_unit),
        "cutoff_time": f"{procedure.cutoff_time:%H:%M}" if procedure.cutoff_time else "",
        "online_service": _DISPLAY["DVC trực tuyến"].get(procedure.online_service, procedure.online_service),
        "legacy_online_level": procedure.legacy_online_level or "",
        "interconnection": _DISPLAY["Liên thông"].get(procedure.interconnection, procedure.interconnection),
        "one_stop": _DISPLAY["Một cửa"][bool(procedure.one_stop)],
        "fees": procedure.fees,
        "result_document": procedure.result_document,
        "publishing_decision": procedure.publishing_decision,
        "effective_from": day(procedure.effective_from),
        "abolished_on": day(procedure.abolished_on),
    }
    return [values[column.key] for column in COLUMNS]


def _safe(values: list[Any], fmt: str) -> list[Any]:
    """Texts go out as text, never as formulas (a procedure named "=HYPERLINK(...)"); numbers stay numbers."""
    return [spreadsheet_value(value, fmt) for value in values]


def _headers() -> list[str]:
    return [NUMBER_HEADER, *(column.header for column in COLUMNS), AGENCY_HEADER]


def export_catalogue(queryset: QuerySet[Procedure], fmt: str, title: str = "") -> bytes:
    """The procedures of `queryset` (already scoped by the caller) as XLSX or CSV bytes, in the import columns."""
    procedures = list(queryset.select_related("field", "agency").order_by("agency__name", "code", "effective_from"))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(_safe(_headers(), fmt))
        for number, procedure in enumerate(procedures, start=1):
            writer.writerow(_safe([number, *_export_values(procedure, for_csv=True), procedure.agency.name], fmt))
        # A BOM so that Excel opens the Vietnamese text as UTF-8.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"Định dạng không hỗ trợ: {fmt}")
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục TTHC"
    sheet.append(_safe([title or _("DANH MỤC THỦ TỤC HÀNH CHÍNH")], fmt))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(_safe(_headers(), fmt))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    date_columns = {i + 2 for i, column in enumerate(COLUMNS) if column.key in ("effective_from", "abolished_on")}
    for number, procedure in enumerate(procedures, start=1):
        sheet.append(_safe([number, *_export_values(procedure, for_csv=False), procedure.agency.name], fmt))
        for col in date_columns:
            sheet.cell(row=sheet.max_row, column=col).number_format = "DD/MM/YYYY"
    widths = {"name": 60, "field": 30, "fees": 30, "publishing_decision": 30, "result_document": 30}
    for index, header in enumerate(_headers(), start=1):
        key = COLUMNS[index - 2].key if 2 <= index <= len(COLUMNS) + 1 else ""
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, max(10, min(len(header) + 2, 22)))
    sheet.freeze_panes = "C4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def agency_catalogue(agency, on: dt.date | None = None) -> QuerySet[Procedure]:
    queryset = Procedure.objects.filter(agency=agency)
    return queryset.in_force_on(on) if on else queryset


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_response(queryset: QuerySet[Procedure], fmt: str, filename: str | None = None) -> HttpResponse:
    """An HTTP download of export_catalogue(queryset, fmt); the caller scopes the queryset."""
    response = HttpResponse(export_catalogue(queryset, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename or "danh-muc-tthc"}.{fmt}"'
    return response
