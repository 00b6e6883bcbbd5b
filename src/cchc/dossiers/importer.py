"""Import dossiers from the CSV/XLSX exports of other one-stop-shop systems (tthc.md §2, tthc-details.md §1.13).

The file is streamed (csv module / openpyxl read-only), every row is parsed and validated in Python with cached
lookups (the agency's procedure versions, the province's working calendar, due dates per procedure and receipt
day), and rows are written in batches, one transaction per batch: on PostgreSQL new dossiers and their events go in
with COPY, elsewhere with bulk_create; changed dossiers with bulk_update. The columns the statistics read are derived
exactly as dossiers/lifecycle.py stores them (received_on, due_at/due_date with the supplement pause, paused_at,
status, ended_at/ended_on/outcome, returned_at, promised_date, regime) and each dated step becomes a DossierEvent.

Idempotence: a dossier is identified by (agency, code). Re-importing the same file changes nothing; a row whose
data changed updates the dossier and its events and leaves one audit entry ("import") on that dossier. Created
dossiers are not audited one by one (that would double the rows written): each batch that changed something
leaves one audit entry on the agency with the file name, the counts and the codes it created. See
docs/dossier-import.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc import calendar
from cchc.agencies.models import Membership
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.datachanges import written
from cchc.importing import ImportInProgress, agency_owner, exclusive_import, refresh_statistics
from cchc.procedures.models import DurationUnit, Procedure, SupplementClock
from cchc.tablefiles import WEB_LIMITS, Limits, RowDefect, Table, TableFileError, open_table, spreadsheet_value
from cchc.text import clean_line, code_problem, fold

from .deadlines import due_for
from .import_guard import ReportedPeriodGuard
from .lifecycle import CLOCK_SKEW, nd118_effective
from .models import (
    Channel,
    Dossier,
    DossierEvent,
    EventKind,
    NationalStatus,
    Outcome,
    Regime,
    Status,
    search_text_for,
)

Progress = Callable[[int, int | None], None]

# --- columns ---------------------------------------------------------------------------------------------------

# field -> (header shown in messages and in the documentation, accepted variants). Headers are matched after
# folding (no case, no diacritics, no punctuation, no spaces) and dropping a parenthesised note: "Mã hồ sơ (*)",
# "MÃ HỒ SƠ", "ma_ho_so" are the same column.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": ("Mã hồ sơ", ("ma ho so", "ma hs", "so ho so", "ma so ho so")),
    "procedure_code": ("Mã TTHC", ("ma tthc", "ma thu tuc", "ma thu tuc hanh chinh", "ma tt")),
    "applicant_name": (
        "Chủ hồ sơ",
        ("chu ho so", "ten chu ho so", "ho ten chu ho so", "nguoi nop", "ten nguoi nop", "to chuc ca nhan"),
    ),
    "applicant_kind": ("Loại chủ hồ sơ", ("loai chu ho so", "loai doi tuong", "doi tuong")),
    "applicant_id_number": (
        "Số định danh",
        ("so dinh danh", "so cccd", "cccd", "ma so thue", "so dinh danh ma so thue", "so giay to"),
    ),
    "applicant_address": ("Địa chỉ", ("dia chi", "dia chi chu ho so")),
    "applicant_phone": ("Điện thoại", ("dien thoai", "so dien thoai", "sdt", "so dt")),
    "applicant_email": ("Email", ("email", "thu dien tu", "dia chi email")),
    "summary": ("Trích yếu", ("trich yeu", "trich yeu noi dung", "noi dung")),
    "channel": ("Kênh nộp", ("kenh nop", "kenh tiep nhan", "hinh thuc nop", "kenh thuc hien", "kenh")),
    "result_channel": (
        "Hình thức nhận kết quả",
        ("hinh thuc nhan ket qua", "kenh tra ket qua", "hinh thuc tra ket qua", "nhan ket qua"),
    ),
    "received_at": ("Ngày tiếp nhận", ("ngay tiep nhan", "thoi diem tiep nhan", "ngay nhan ho so", "ngay nhan")),
    "due_at": ("Hạn giải quyết", ("han giai quyet", "ngay hen tra", "han xu ly", "ngay hen tra ket qua")),
    "supplement_requested_at": (
        "Ngày yêu cầu bổ sung",
        ("ngay yeu cau bo sung", "ngay yeu cau bo sung ho so"),
    ),
    "supplemented_at": ("Ngày bổ sung", ("ngay bo sung", "ngay nhan bo sung", "ngay bo sung ho so")),
    "resolved_at": (
        "Ngày có kết quả",
        ("ngay co ket qua", "ngay giai quyet xong", "ngay xu ly xong", "ngay hoan thanh"),
    ),
    "returned_at": ("Ngày trả kết quả", ("ngay tra ket qua", "ngay tra")),
    "refused_at": ("Ngày từ chối", ("ngay tu choi", "ngay tu choi giai quyet")),
    "refusal_reason": ("Lý do từ chối", ("ly do tu choi",)),
    "withdrawn_at": ("Ngày rút hồ sơ", ("ngay rut ho so", "ngay rut", "ngay cong dan rut ho so")),
    "promised_date": ("Ngày hẹn lại", ("ngay hen lai", "ngay hen tra moi", "ngay hen tra lai")),
    "digitised": ("Số hóa hồ sơ", ("so hoa ho so", "ho so da so hoa", "da so hoa ho so")),
    "result_digitised": ("Số hóa kết quả", ("so hoa ket qua", "ket qua da so hoa", "da so hoa ket qua")),
    "national_code": ("Mã hồ sơ DVCQG", ("ma ho so dvcqg", "ma dvcqg", "ma ho so tren cong dvcqg")),
    "status": ("Trạng thái", ("trang thai", "trang thai dvcqg", "ma trang thai")),
}
REQUIRED = ("code", "procedure_code", "applicant_name", "received_at")
# Columns describing the applicant: when a file lacks one, an update keeps what the dossier already has.
DESCRIPTIVE = (
    "applicant_kind",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "summary",
    "result_channel",
    "digitised",
    "result_digitised",
    "national_code",
)
MAX_LENGTHS = {
    "code": 64,
    "national_code": 64,
    "applicant_name": 255,
    "applicant_id_number": 32,
    "applicant_address": 255,
    "applicant_phone": 32,
    "applicant_email": 254,
    "summary": 500,
}
# The dossier columns an import sets and compares to decide "unchanged" / "updated".
COMPARED = [
    "procedure_id",
    "regime",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "summary",
    "national_code",
    "channel",
    "result_channel",
    "digitised",
    "result_digitised",
    "received_at",
    "received_on",
    "due_at",
    "due_date",
    "promised_date",
    "status",
    "supplement_requests",
    "paused_at",
    "ended_at",
    "ended_on",
    "outcome",
    "returned_at",
]
# Event kinds an import owns; "assigned" events recorded in cchc are left alone.
MANAGED_EVENTS = (
    EventKind.RECEIVED,
    EventKind.SUPPLEMENT_REQUESTED,
    EventKind.SUPPLEMENTED,
    EventKind.APOLOGY_ISSUED,
    EventKind.RESOLVED,
    EventKind.RESULT_RETURNED,
    EventKind.REFUSED,
    EventKind.WITHDRAWN,
)
HEADER_SEARCH_ROWS = 20


def _header_key(text: Any) -> str:
    value = re.sub(r"\(.*?\)|\[.*?\]", " ", str(text or ""))
    return re.sub(r"[^a-z0-9]+", "", fold(value))


_ALIASES: dict[str, str] = {}
for _name, (_label, _variants) in COLUMNS.items():
    for _variant in (_label, *_variants):
        _ALIASES.setdefault(_header_key(_variant), _name)


def column_label(name: str) -> str:
    return COLUMNS[name][0]


# --- vocabularies ------------------------------------------------------------------------------------------------

_CHANNELS = {
    "1": Channel.DIRECT,
    "truc tiep": Channel.DIRECT,
    "nop truc tiep": Channel.DIRECT,
    "nhan truc tiep": Channel.DIRECT,
    "tai bo phan mot cua": Channel.DIRECT,
    "tai trung tam phuc vu hanh chinh cong": Channel.DIRECT,
    "2": Channel.ONLINE,
    "truc tuyen": Channel.ONLINE,
    "nop truc tuyen": Channel.ONLINE,
    "online": Channel.ONLINE,
    "dich vu cong truc tuyen": Channel.ONLINE,
    "qua mang": Channel.ONLINE,
    "3": Channel.POSTAL,
    "buu chinh cong ich": Channel.POSTAL,
    "qua buu chinh cong ich": Channel.POSTAL,
    "qua dich vu buu chinh cong ich": Channel.POSTAL,
    "buu chinh": Channel.POSTAL,
    "bcci": Channel.POSTAL,
    "qua buu dien": Channel.POSTAL,
    "buu dien": Channel.POSTAL,
}
_KINDS = {
    "0": "person",
    "cong dan": "person",
    "ca nhan": "person",
    "1": "organisation",
    "doanh nghiep": "organisation",
    "to chuc": "organisation",
    "to chuc doanh nghiep": "organisation",
    "to chuc, doanh nghiep": "organisation",
    "2": "household",
    "ho kinh doanh": "household",
}
_BOOLEANS = {
    "co": True,
    "x": True,
    "1": True,
    "true": True,
    "yes": True,
    "da so hoa": True,
    "khong": False,
    "0": False,
    "false": False,
    "no": False,
    "chua so hoa": False,
    "chua": False,
}
# DVCQG synchronisation statuses (tthc-details.md §1.10).
_STATUS_WORDS = {fold(str(status.label)): int(status) for status in NationalStatus} | {
    "da tiep nhan": 2,
    "yeu cau bo sung": 5,
    "cho bo sung": 5,
    "rut ho so": 7,
    "cong dan rut ho so": 7,
    "tu choi": 8,
    "tu choi giai quyet": 8,
    "da co ket qua": 9,
    "da giai quyet": 9,
    "da tra": 10,
}
# The national statuses consistent with the status the dates lead to.
_STATUS_ACCEPTS = {
    Status.RECEIVED: {2, 4, 6},
    Status.IN_PROCESS: {2, 4, 6},
    Status.WAITING_SUPPLEMENT: {5},
    Status.RESOLVED: {9},
    Status.RETURNED: {10},
    Status.REFUSED: {8},
    Status.WITHDRAWN: {7},
}
_VOCABULARIES = {
    "channel": (
        _CHANNELS,
        gettext_lazy("Kênh nộp “%(value)s” không hợp lệ (Trực tiếp, Trực tuyến, Bưu chính công ích hoặc mã 1, 2, 3)."),
    ),
    "result_channel": (
        _CHANNELS,
        gettext_lazy(
            "Hình thức nhận kết quả “%(value)s” không hợp lệ (Trực tiếp, Trực tuyến, Bưu chính công ích "
            "hoặc mã 1, 2, 3)."
        ),
    ),
    "applicant_kind": (
        _KINDS,
        gettext_lazy("Loại chủ hồ sơ “%(value)s” không hợp lệ (Công dân, Tổ chức/doanh nghiệp, Hộ kinh doanh)."),
    ),
    "digitised": (_BOOLEANS, gettext_lazy("Số hóa hồ sơ “%(value)s” không hợp lệ (Có hoặc Không).")),
    "result_digitised": (_BOOLEANS, gettext_lazy("Số hóa kết quả “%(value)s” không hợp lệ (Có hoặc Không).")),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(\d{1,2})[:hg](\d{1,2})(?:[:m](\d{1,2}))?[s]?)?$", re.IGNORECASE
)
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


# --- results -----------------------------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file cannot be read (at all, or past some row), or another import of the agency is running. The message
    is meant for the user. `result` holds what was imported before a file broken half-way stopped, else None."""

    def __init__(self, message: str, result: ImportResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class RowError:
    row: int
    code: str
    message: str
    values: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    seconds: float = 0.0
    file_name: str = ""
    headers: list[str] = field(default_factory=list, repr=False)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


def write_errors_csv(result: ImportResult, target: str | os.PathLike | io.TextIOBase) -> int:
    """Write the rejected rows, as they were in the file plus the row number and the reason, to a CSV (UTF-8 with
    BOM so that Excel shows the diacritics). Fixed rows can be imported again from this very file. Returns the
    number of rows written."""
    own = not hasattr(target, "write")
    handle = open(target, "w", encoding="utf-8-sig", newline="") if own else target  # noqa: SIM115
    try:
        writer = csv.writer(handle)
        # Cells go out as text, never as formulas (cchc.tablefiles.cells); re-importing this file reads them back.
        writer.writerow([spreadsheet_value(v, "csv") for v in [*result.headers, _("Dòng trong tệp gốc"), _("Lỗi")]])
        width = len(result.headers)
        for error in result.errors:
            values = list(error.values[:width]) + [""] * (width - len(error.values[:width]))
            writer.writerow([spreadsheet_value(v, "csv") for v in [*values, error.row, error.message]])
    finally:
        if own:
            handle.close()
    return len(result.errors)


# --- reading the file (cchc.tablefiles: bounds, zip bombs, broken files; docs/dossier-import.md §1) ------------


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


# --- parsing values ----------------------------------------------------------------------------------------------


class _RowProblem(Exception):
    pass


class _Context:
    """Everything looked up once per import."""

    def __init__(self, agency, actor) -> None:
        self.agency = agency
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.zone = timezone.get_current_timezone()
        self.province_id = agency.province_id
        self.calendar = calendar.calendar_for(self.province_id)
        self.opens, self.closes = calendar.office_hours()
        self.now = timezone.now()
        self.today = timezone.localtime(self.now).date()
        self.latest = self.now + CLOCK_SKEW
        # The regime in force on the receipt day, as lifecycle.regime_on decides it (read once, not per row).
        self.nd118_from = nd118_effective()
        versions: dict[str, list[Procedure]] = {}
        for procedure in Procedure.objects.filter(agency=agency).select_related("agency").order_by("effective_from"):
            versions.setdefault(procedure.code.strip(), []).append(procedure)
        self.versions = versions
        self._due_cache: dict[tuple, dt.datetime] = {}
        self.unit_id = None
        if self.actor is not None:
            self.unit_id = (
                Membership.objects.filter(user=self.actor, agency=agency, unit__isnull=False)
                .values_list("unit_id", flat=True)
                .first()
            )

    def procedure_on(self, code: str, day: dt.date) -> Procedure:
        versions = self.versions.get(code)
        if not versions:
            raise _RowProblem(
                _("Mã TTHC “%(code)s” không có trong danh mục thủ tục hành chính của %(agency)s.")
                % {"code": code, "agency": self.agency.name}
            )
        for procedure in versions:
            if procedure.is_in_force(day):
                return procedure
        if versions[0].effective_from > day:
            raise _RowProblem(
                _("Thủ tục %(code)s chưa có hiệu lực vào ngày tiếp nhận %(day)s (hiệu lực từ %(start)s).")
                % {"code": code, "day": _day(day), "start": _day(versions[0].effective_from)}
            )
        ended = max((p.abolished_on for p in versions if p.abolished_on and p.abolished_on <= day), default=None)
        raise _RowProblem(
            _("Thủ tục %(code)s đã bị bãi bỏ từ ngày %(end)s, không tiếp nhận hồ sơ ngày %(day)s.")
            % {"code": code, "end": _day(ended) if ended else "?", "day": _day(day)}
        )

    def due(self, procedure: Procedure, received_at: dt.datetime) -> dt.datetime:
        """due_for(procedure, received_at), cached. Except for times counted in hours, the due moment depends only
        on the processing time, its unit and cut-off, and on the receipt day and whether the receipt came after
        closing time (or after the cut-off): one call of due_for per such combination, the same answer for all."""
        if procedure.time_unit == DurationUnit.WORKING_HOURS:
            return due_for(procedure, received_at)
        local = received_at.astimezone(self.zone)
        at = local.time()
        cutoff = procedure.cutoff_time
        late = at >= self.closes or (cutoff is not None and at >= cutoff)
        key = (procedure.applied_processing_time, procedure.time_unit, cutoff, local.date(), late)
        found = self._due_cache.get(key)
        if found is None:
            found = self._due_cache[key] = due_for(procedure, received_at)
        return found


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(int(value)) if isinstance(value, int) else str(value)


def _copy_str(value: str | None) -> str:
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return str(value)


def _copy_iso(value) -> str:
    return "\\N" if value is None else value.isoformat()


def _copy_bool(value) -> str:
    return "\\N" if value is None else ("t" if value else "f")


def _copy_int(value) -> str:
    return "\\N" if value is None else str(int(value))


def _copy_formatter(model_field) -> Callable[[Any], str]:
    """A COPY text formatter for one column, chosen once per import from the field's type."""
    kind = model_field.get_internal_type()
    if kind in ("DateTimeField", "DateField"):
        return _copy_iso
    if kind == "BooleanField":
        return _copy_bool
    if kind in ("CharField", "TextField", "EmailField"):
        return _copy_str
    if model_field.is_relation or kind.endswith("IntegerField") or kind.endswith("AutoField"):
        return _copy_int
    return _copy_text


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _moment_text(moment: dt.datetime, zone) -> str:
    return f"{moment.astimezone(zone):%d/%m/%Y %H:%M}"


def _parse_moment(value: Any, ctx: _Context, label: str) -> tuple[dt.datetime, bool] | None:
    """(aware moment, whether the value carried a time) or None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        naive = value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(ctx.zone).replace(tzinfo=None)
        has_time = naive.time() != dt.time(0, 0)
        return naive.replace(tzinfo=ctx.zone), has_time
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=ctx.zone), False
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        from openpyxl.utils.datetime import from_excel

        return _parse_moment(from_excel(value), ctx, label)
    text = str(value).strip()
    if not text:
        return None
    try:
        match = _DMY.match(text)
        if match:
            day, month, year, hour, minute, second = match.groups()
            if hour is None:
                return dt.datetime(int(year), int(month), int(day), tzinfo=ctx.zone), False
            moment = dt.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=ctx.zone
            )
            return moment, True
        match = _ISO.match(text)
        if match:
            year, month, day, hour, minute, second, offset = match.groups()
            if hour is None:
                return dt.datetime(int(year), int(month), int(day), tzinfo=ctx.zone), False
            if offset is None:
                moment = dt.datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=ctx.zone
                )
            else:
                sign, digits = (
                    (1, "0000") if offset == "Z" else (1 if offset[0] == "+" else -1, offset[1:].replace(":", ""))
                )
                zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
                moment = dt.datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=zone
                ).astimezone(ctx.zone)
            return moment, True
    except ValueError:
        pass
    raise _RowProblem(
        _("%(column)s “%(value)s” không phải ngày giờ hợp lệ (dùng dd/mm/yyyy HH:MM hoặc yyyy-mm-dd HH:MM).")
        % {"column": label, "value": text}
    )


def _lookup(table: dict[str, Any], value: Any, message) -> Any:
    text = _cell_text(value)
    if not text:
        return None
    found = table.get(text)
    if found is None:
        found = table.get(fold(text))
    if found is None:
        raise _RowProblem(message % {"value": text})
    return found


def _national_status(value: Any) -> int | None:
    text = _cell_text(value)
    if not text:
        return None
    folded = fold(text)
    head = re.match(r"^(\d{1,2})\b", folded)
    if head and 1 <= int(head.group(1)) <= 10:
        return int(head.group(1))
    code = _STATUS_WORDS.get(folded)
    if code is None:
        raise _RowProblem(
            _("Trạng thái “%(value)s” không hợp lệ (mã trạng thái DVCQG từ 1 đến 10 hoặc tên trạng thái).")
            % {"value": text}
        )
    return code


# --- one row -----------------------------------------------------------------------------------------------------

_DATE_COLUMNS = (
    "received_at",
    "due_at",
    "supplement_requested_at",
    "supplemented_at",
    "resolved_at",
    "returned_at",
    "refused_at",
    "withdrawn_at",
    "promised_date",
)


_TEXT_COLUMNS = (
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "summary",
    "national_code",
)


def _text(value: Any, procedure: bool = False) -> str:
    """A cell as one line of clean text (cchc.text.clean_line: NFC, no invisible or control characters, spaces
    collapsed), so that look-alike codes are one code; a procedure code Excel turned into a number gets its six
    decimals back."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_line(value)
    if procedure and isinstance(value, float):
        return f"{value:.6f}"
    return _cell_text(value)


class _RowParser:
    def __init__(self, ctx: _Context, mapping: dict[str, int]) -> None:
        self.ctx = ctx
        self.mapping = mapping
        self.present = frozenset(mapping)
        self.mapping_items = list(mapping.items())
        self.date_columns = [name for name in _DATE_COLUMNS if name in mapping]
        self.text_columns = [name for name in _TEXT_COLUMNS if name in mapping]
        self.limits = [(name, limit) for name, limit in MAX_LENGTHS.items() if name in mapping]
        self.labels = {name: column_label(name) for name in COLUMNS}
        self._memo: dict[tuple[str, Any], Any] = {}

    def lookup(self, name: str, value: Any) -> Any:
        """A vocabulary value (channel, applicant kind, yes/no, status), memoised: exports repeat a few spellings."""
        key = (name, value)
        try:
            return self._memo[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell value
            key = None
        if name == "status":
            found = _national_status(value)
        else:
            table, message = _VOCABULARIES[name]
            found = _lookup(table, value, message)
        if key is not None and len(self._memo) < 10_000:
            self._memo[key] = found
        return found

    def parse(self, values: list[Any]) -> tuple[str, dict[str, Any], list[tuple]]:
        """(code, dossier fields, events as (kind, at, note, new_promised_date)); raises _RowProblem."""
        ctx = self.ctx
        width = len(values)
        raw: dict[str, Any] = {}
        for name, index in self.mapping_items:
            raw[name] = values[index] if index < width else None
        problems: list[str] = []
        labels = self.labels

        code = _text(raw["code"])
        procedure_code = _text(raw["procedure_code"], procedure=True)
        applicant_name = _text(raw["applicant_name"])
        if not code or not procedure_code or not applicant_name:
            for name, value in (("code", code), ("procedure_code", procedure_code), ("applicant_name", applicant_name)):
                if not value:
                    problems.append(_("Thiếu giá trị bắt buộc “%(column)s”.") % {"column": labels[name]})
        for name, value in (("code", code), ("procedure_code", procedure_code)):
            problem = code_problem(value, labels[name]) if value and not value.isascii() else None
            if problem:
                problems.append(problem)

        moments: dict[str, tuple[dt.datetime, bool] | None] = dict.fromkeys(_DATE_COLUMNS)
        for name in self.date_columns:
            value = raw[name]
            if value is None or value == "":
                continue
            try:
                moments[name] = _parse_moment(value, ctx, labels[name])
            except _RowProblem as exc:
                problems.append(str(exc))
        if moments["received_at"] is None and not any(labels["received_at"] in p for p in problems):
            problems.append(_("Thiếu giá trị bắt buộc “%(column)s”.") % {"column": labels["received_at"]})

        data: dict[str, Any] = {}
        lookup = self.lookup
        try:
            data["channel"] = lookup("channel", raw.get("channel")) or Channel.DIRECT
        except _RowProblem as exc:
            problems.append(str(exc))
        for name in ("result_channel", "applicant_kind", "digitised", "result_digitised"):
            if name in self.present:
                try:
                    data[name] = lookup(name, raw.get(name))
                except _RowProblem as exc:
                    problems.append(str(exc))
        national_status = None
        if "status" in self.present:
            try:
                national_status = lookup("status", raw.get("status"))
            except _RowProblem as exc:
                problems.append(str(exc))

        for name in self.text_columns:
            data[name] = _text(raw[name])
        data["applicant_name"] = applicant_name
        email = data.get("applicant_email")
        if email and not _EMAIL.match(email):
            problems.append(_("Email “%(value)s” không hợp lệ.") % {"value": email})
        for name, limit in self.limits:
            value = code if name == "code" else data.get(name)
            if value and len(value) > limit:
                problems.append(_("“%(column)s” dài quá %(limit)s ký tự.") % {"column": labels[name], "limit": limit})
        reason = _text(raw["refusal_reason"]) if "refusal_reason" in raw else ""
        if problems:
            raise _RowProblem(" ".join(problems))

        return code, *self._derive(code, procedure_code, data, moments, reason, national_status)

    def _derive(self, code, procedure_code, data, moments, reason, national_status):
        ctx = self.ctx
        labels = self.labels
        zone = ctx.zone
        problems: list[str] = []

        received_at, received_has_time = moments["received_at"]
        if not received_has_time:
            # A receipt date without a time counts from the office opening of that day.
            received_at = received_at.replace(hour=ctx.opens.hour, minute=ctx.opens.minute)

        def step(name: str) -> dt.datetime | None:
            found = moments.get(name)
            if found is None:
                return None
            moment, has_time = found
            if not has_time:
                # A step dated without a time happened during that working day: take the closing time, so that it
                # never falls before a receipt on the same day.
                moment = moment.replace(hour=ctx.closes.hour, minute=ctx.closes.minute)
            return moment

        steps = {name: step(name) for name in _DATE_COLUMNS[2:8]}
        received_on = received_at.date()

        # Future dates: a moment with a time is compared with now (a few minutes of clock skew allowed), a date
        # without time with today.
        for name in ("received_at", *_DATE_COLUMNS[2:8]):
            found = moments.get(name)
            if found is None:
                continue
            moment, has_time = found
            if (has_time and moment > ctx.latest) or (not has_time and moment.date() > ctx.today):
                problems.append(
                    _("%(column)s (%(value)s) nằm trong tương lai.")
                    % {"column": labels[name], "value": _moment_text(moment, zone) if has_time else _day(moment)}
                )
        if problems:
            raise _RowProblem(" ".join(problems))

        procedure = ctx.procedure_on(procedure_code, received_on)

        requested = steps["supplement_requested_at"]
        supplemented = steps["supplemented_at"]
        resolved = steps["resolved_at"]
        returned = steps["returned_at"]
        refused = steps["refused_at"]
        withdrawn = steps["withdrawn_at"]

        def before(later: str, earlier: str, later_at, earlier_at) -> None:
            if later_at is not None and earlier_at is not None and later_at < earlier_at:
                problems.append(
                    _("%(later)s (%(later_at)s) trước %(earlier)s (%(earlier_at)s).")
                    % {
                        "later": labels[later],
                        "later_at": _moment_text(later_at, zone),
                        "earlier": labels[earlier],
                        "earlier_at": _moment_text(earlier_at, zone),
                    }
                )

        if resolved is not None and refused is not None:
            problems.append(
                _("Hồ sơ không thể vừa có “%(a)s” vừa có “%(b)s”.")
                % {"a": labels["resolved_at"], "b": labels["refused_at"]}
            )
        if withdrawn is not None and (resolved is not None or refused is not None):
            other = "resolved_at" if resolved is not None else "refused_at"
            problems.append(
                _("Hồ sơ không thể vừa có “%(a)s” vừa có “%(b)s”.") % {"a": labels[other], "b": labels["withdrawn_at"]}
            )
        if returned is not None and resolved is None:
            problems.append(
                _("Có “%(a)s” nhưng không có “%(b)s”.") % {"a": labels["returned_at"], "b": labels["resolved_at"]}
            )
        if supplemented is not None and requested is None:
            problems.append(
                _("Có “%(a)s” nhưng không có “%(b)s”.")
                % {"a": labels["supplemented_at"], "b": labels["supplement_requested_at"]}
            )
        if resolved is not None and requested is not None and supplemented is None:
            problems.append(
                _("Có “%(a)s” trong khi hồ sơ còn chờ bổ sung (không có “%(b)s”).")
                % {"a": labels["resolved_at"], "b": labels["supplemented_at"]}
            )
        if refused is not None and not reason:
            problems.append(_("Hồ sơ bị từ chối phải có “%(column)s”.") % {"column": labels["refusal_reason"]})
        if reason and refused is None:
            problems.append(
                _("Có “%(a)s” nhưng không có “%(b)s”.") % {"a": labels["refusal_reason"], "b": labels["refused_at"]}
            )
        before("supplement_requested_at", "received_at", requested, received_at)
        before("supplemented_at", "supplement_requested_at", supplemented, requested)
        latest_step, latest_name = received_at, "received_at"
        for name, moment in (("supplement_requested_at", requested), ("supplemented_at", supplemented)):
            if moment is not None and moment >= latest_step:
                latest_step, latest_name = moment, name
        for name, moment in (("resolved_at", resolved), ("refused_at", refused), ("withdrawn_at", withdrawn)):
            before(name, latest_name, moment, latest_step)
        before("returned_at", "resolved_at", returned, resolved)

        # The legal due moment: as written on the receipt when the file carries it, else computed like the desk.
        given_due = moments.get("due_at")
        try:
            if given_due is not None:
                due_at, has_time = given_due
                if not has_time:
                    due_at = due_at.replace(hour=ctx.closes.hour, minute=ctx.closes.minute)
                before("due_at", "received_at", due_at, received_at)
            else:
                due_at = ctx.due(procedure, received_at)
            paused_at = None
            if requested is not None:
                if supplemented is not None:
                    if procedure.supplement_clock == SupplementClock.RESTART:
                        due_at = ctx.due(procedure, supplemented)
                    else:
                        # The clock stops from the request to the supplement (NĐ 61/2018 Điều 19; QĐ 766 §2.1).
                        paused = ctx.calendar.working_days_between(
                            requested.astimezone(zone).date(), supplemented.astimezone(zone).date()
                        )
                        due_at = calendar.extend_by_working_days(due_at, paused, ctx.province_id)
                else:
                    paused_at = requested
        except (calendar.OutOfRange, ValueError) as exc:
            raise _RowProblem(_("Không tính được hạn giải quyết: %(error)s") % {"error": exc}) from exc
        due_local = due_at.astimezone(zone)
        due_date = due_local.date()

        promised = moments.get("promised_date")
        promised_date = promised[0].date() if promised is not None else None
        if promised_date is not None and promised_date <= due_date:
            problems.append(
                _("%(column)s (%(value)s) phải sau hạn giải quyết (%(due)s).")
                % {"column": labels["promised_date"], "value": _day(promised_date), "due": _day(due_date)}
            )
        if problems:
            raise _RowProblem(" ".join(problems))

        # How processing ended: resolved > refused > withdrawn (QĐ 766 §2.1 priority).
        if resolved is not None:
            status = Status.RETURNED if returned is not None else Status.RESOLVED
            outcome, ended_at = Outcome.RESOLVED, resolved
        elif refused is not None:
            status, outcome, ended_at = Status.REFUSED, Outcome.REFUSED, refused
        elif withdrawn is not None:
            status, outcome, ended_at = Status.WITHDRAWN, Outcome.WITHDRAWN, withdrawn
        else:
            outcome, ended_at = "", None
            if paused_at is not None:
                status = Status.WAITING_SUPPLEMENT
            elif supplemented is not None or national_status == 4:
                status = Status.IN_PROCESS
            else:
                status = Status.RECEIVED
        if national_status is not None and national_status not in _STATUS_ACCEPTS[status]:
            raise _RowProblem(
                _("Trạng thái “%(given)s” không khớp với các ngày trong dòng (theo các ngày: %(derived)s).")
                % {
                    "given": f"{national_status} – {NationalStatus(national_status).label}",
                    "derived": Status(status).label,
                }
            )

        data.update(
            procedure_id=procedure.pk,
            regime=Regime.ND118 if received_on >= ctx.nd118_from else Regime.ND61,
            received_at=received_at,
            received_on=received_on,
            due_at=due_at,
            due_date=due_date,
            promised_date=promised_date,
            status=status,
            supplement_requests=1 if requested is not None else 0,
            paused_at=paused_at,
            ended_at=ended_at,
            ended_on=ended_at.astimezone(zone).date() if ended_at is not None else None,
            outcome=outcome,
            returned_at=returned,
        )
        if "result_channel" in data and data["result_channel"] is None:
            data["result_channel"] = data["channel"]
        for name in ("applicant_kind", "digitised", "result_digitised"):
            if name in data and data[name] is None:
                del data[name]

        events: list[tuple] = [(EventKind.RECEIVED, received_at, "", None)]
        if requested is not None:
            events.append((EventKind.SUPPLEMENT_REQUESTED, requested, "", None))
        if supplemented is not None:
            events.append((EventKind.SUPPLEMENTED, supplemented, "", None))
        if promised_date is not None:
            # The file gives the new date, not the day of the apology: record it at the latest moment the rule
            # allows (the close of the day before the due date, tthc.md §2), never before the receipt.
            apology_at = max(
                received_at,
                dt.datetime.combine(due_date - dt.timedelta(days=1), ctx.closes, tzinfo=zone),
            )
            if ended_at is not None:
                apology_at = min(apology_at, ended_at)
            events.append((EventKind.APOLOGY_ISSUED, apology_at, "", promised_date))
        if resolved is not None:
            events.append((EventKind.RESOLVED, resolved, "", None))
        if returned is not None:
            events.append((EventKind.RESULT_RETURNED, returned, "", None))
        if refused is not None:
            events.append((EventKind.REFUSED, refused, reason, None))
        if withdrawn is not None:
            events.append((EventKind.WITHDRAWN, withdrawn, "", None))
        return data, events


# --- writing -----------------------------------------------------------------------------------------------------

_DEFAULTS = {
    "national_code": "",
    "applicant_kind": "person",
    "applicant_id_number": "",
    "applicant_address": "",
    "applicant_phone": "",
    "applicant_email": "",
    "summary": "",
    "digitised": False,
    "result_digitised": False,
}


@dataclass
class _Pending:
    row: int
    code: str
    data: dict[str, Any]
    events: list[tuple]
    copy_line: str = ""  # PostgreSQL: the dossier and its events as COPY lines, see _Writer.prepare
    event_lines: str = ""
    values: Any = ()  # the row as read, for the error file when the writer refuses it

    def moments(self) -> list[dt.datetime]:
        return [self.data.get("received_at"), *(at for _kind, at, _note, _promised in self.events)]


class _Writer:
    def __init__(self, ctx: _Context, result: ImportResult, guard: ReportedPeriodGuard) -> None:
        self.ctx = ctx
        self.result = result
        self.guard = guard
        self._refused: list[RowError] = []
        self.use_copy = connection.vendor == "postgresql"
        self.dossier_columns = [f.column for f in Dossier._meta.concrete_fields]
        self.dossier_attnames = [f.attname for f in Dossier._meta.concrete_fields]
        self.formatters = [(f.attname, _copy_formatter(f)) for f in Dossier._meta.concrete_fields]
        self.event_fields = [f for f in DossierEvent._meta.concrete_fields if f.attname != "id"]
        self.event_names = [f.attname for f in self.event_fields]
        if set(self.event_names) != {
            "dossier_id",
            "kind",
            "at",
            "actor_id",
            "unit_id",
            "note",
            "new_promised_date",
            "recorded_at",
        }:
            raise RuntimeError("DossierEvent has columns the importer does not fill")

    def flush(self, batch: list[_Pending], batch_number: int) -> None:
        for attempt in range(2):
            self._refused = []
            try:
                with transaction.atomic():
                    created, updated, unchanged = self._write(batch, batch_number)
                    self.guard.record_batch(self.ctx.actor, self.result.file_name)
                break
            except IntegrityError:
                self.guard.forget_batch()
                # Another import took one of these codes between our look-up and our insert: look again once.
                if attempt == 1:
                    raise
        self.result.errors.extend(self._refused)
        self.result.created += created
        self.result.updated += updated
        self.result.unchanged += unchanged

    def _write(self, batch: list[_Pending], batch_number: int) -> tuple[int, int, int]:
        ctx = self.ctx
        codes = [item.code for item in batch]
        if self.use_copy:
            # One array parameter instead of thousands of placeholders; most batches of a new file find nothing.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT code FROM {connection.ops.quote_name(Dossier._meta.db_table)} "
                    "WHERE agency_id = %s AND code = ANY(%s)",
                    [ctx.agency.pk, codes],
                )
                codes = [row[0] for row in cursor.fetchall()]
        existing = {}
        if codes:
            existing = {
                row["code"]: row
                for row in Dossier.objects.filter(agency=ctx.agency, code__in=codes).values("id", "code", *COMPARED)
            }
        new = [item for item in batch if item.code not in existing and self._admitted(item, item.moments())]
        old = [item for item in batch if item.code in existing]
        now = timezone.now()
        if new:
            if self.use_copy:
                self._insert_copy(new)
            else:
                self._insert_orm(new, now)
        updated = self._update(old, existing, now) if old else 0
        unchanged = len(old) - updated
        if new or updated:
            first, last = batch[0].row, batch[-1].row
            audit.record(
                ctx.agency,
                ctx.actor,
                AuditEntry.Action.IMPORT,
                changes={
                    "file": self.result.file_name,
                    "batch": batch_number,
                    "rows": [first, last],
                    "created": len(new),
                    "updated": updated,
                    "unchanged": unchanged,
                    "created_codes": [item.code for item in new],
                },
                summary=_("Nhập hồ sơ từ tệp %(file)s: %(created)s thêm mới, %(updated)s cập nhật")
                % {"file": self.result.file_name, "created": len(new), "updated": updated},
                agency=ctx.agency,
            )
        return len(new), updated, unchanged

    def _admitted(self, item: _Pending, moments: list) -> bool:
        """Whether the row may change data at `moments` (periods already reported need the import's reason)."""
        problem = self.guard.refusal(moments)
        if problem:
            cells = tuple(_cell_text(value) for value in item.values)
            self._refused.append(RowError(item.row, item.code, problem, cells))
        return not problem

    def _dossier_values(self, item: _Pending, pk: int | None, now: dt.datetime) -> dict[str, Any]:
        values = dict(_DEFAULTS)
        values.update(item.data)
        if "result_channel" not in item.data:
            values["result_channel"] = values["channel"]
        values.update(
            id=pk,
            agency_id=self.ctx.agency.pk,
            code=item.code,
            current_unit_id=None,
            created_by_id=self.ctx.actor.pk if self.ctx.actor else None,
            created_at=now,
            updated_at=now,
        )
        # bulk_create skips save(): the search column is filled here.
        values["search_text"] = search_text_for(
            item.code, values["applicant_name"], values["applicant_id_number"], values["national_code"]
        )
        return values

    def prepare(self, batch: list[_Pending]) -> None:
        """PostgreSQL: give each row of the batch an id from the table's sequence and build its COPY lines (the
        dossier and its events, in the text format, built here: faster than adapting value by value). Runs in the
        parsing thread, so that the writing thread only talks to the database. A row that turns out to exist already
        is updated instead and its id stays unused (a gap in the sequence, nothing more)."""
        if not self.use_copy:
            return
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Dossier._meta.db_table, len(batch)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        # Columns the rows share are formatted once; a row formats only its own values.
        shared = dict(_DEFAULTS)
        shared.update(
            agency_id=self.ctx.agency.pk,
            current_unit_id=None,
            created_by_id=self.ctx.actor.pk if self.ctx.actor else None,
            created_at=now,
            updated_at=now,
        )
        plan = [(name, fmt, fmt(shared[name]) if name in shared else None) for name, fmt in self.formatters]
        event_line = "\t".join(f"{{{name}}}" for name in self.event_names) + "\n"
        actor = _copy_text(self.ctx.actor.pk if self.ctx.actor else None)
        unit = _copy_text(self.ctx.unit_id)
        recorded = now.isoformat()
        missing = object()
        for item, pk in zip(batch, ids, strict=True):
            data = dict(item.data, id=pk, code=item.code)
            get = data.get
            data["search_text"] = search_text_for(
                item.code, data["applicant_name"], get("applicant_id_number") or "", get("national_code") or ""
            )
            if "result_channel" not in data:
                data["result_channel"] = data["channel"]
            item.copy_line = (
                "\t".join(
                    [fmt(value) if (value := get(name, missing)) is not missing else text for name, fmt, text in plan]
                )
                + "\n"
            )
            key = str(pk)
            item.event_lines = "".join(
                [
                    event_line.format(
                        dossier_id=key,
                        kind=str(kind),
                        at=at.isoformat(),
                        actor_id=actor,
                        unit_id=unit,
                        note=_copy_str(note),
                        new_promised_date=_copy_iso(promised),
                        recorded_at=recorded,
                    )
                    for kind, at, note, promised in item.events
                ]
            )

    def _insert_copy(self, new: list[_Pending]) -> None:
        """COPY the rows prepared by prepare()."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            raw = cursor.cursor
            columns = ", ".join(quote(c) for c in self.dossier_columns)
            with raw.copy(f"COPY {quote(Dossier._meta.db_table)} ({columns}) FROM STDIN") as copy:
                copy.write("".join([item.copy_line for item in new]))
            columns = ", ".join(quote(f.column) for f in self.event_fields)
            with raw.copy(f"COPY {quote(DossierEvent._meta.db_table)} ({columns}) FROM STDIN") as copy:
                copy.write("".join([item.event_lines for item in new]))
        # COPY skips the queryset's bulk methods: announce the change in this batch's transaction (cchc.datachanges).
        written(Dossier, {self.ctx.agency.pk})

    def _insert_orm(self, new: list[_Pending], now: dt.datetime) -> None:
        objects = []
        for item in new:
            values = self._dossier_values(item, None, now)
            objects.append(Dossier(**values))
        Dossier.objects.bulk_create(objects)
        events = []
        for item, dossier in zip(new, objects, strict=True):
            for kind, at, note, promised in item.events:
                events.append(self._event(dossier.pk, kind, at, note, promised))
        DossierEvent.objects.bulk_create(events)

    def _event(self, dossier_id: int, kind: str, at, note: str, promised) -> DossierEvent:
        return DossierEvent(
            dossier_id=dossier_id,
            kind=kind,
            at=at,
            actor=self.ctx.actor,
            unit_id=self.ctx.unit_id,
            note=note,
            new_promised_date=promised,
        )

    def _update(self, old: list[_Pending], existing: dict[str, dict[str, Any]], now: dt.datetime) -> int:
        ctx = self.ctx
        ids = [existing[item.code]["id"] for item in old]
        current_events: dict[int, dict[str, tuple]] = {}
        for event_id, dossier_id, kind, at, note, promised in (
            DossierEvent.objects.filter(dossier_id__in=ids, kind__in=MANAGED_EVENTS)
            .order_by("at", "pk")
            .values_list("id", "dossier_id", "kind", "at", "note", "new_promised_date")
        ):
            current_events.setdefault(dossier_id, {}).setdefault(kind, (event_id, at, note, promised))

        changed_dossiers: list[Dossier] = []
        event_updates: list[DossierEvent] = []
        event_creates: list[DossierEvent] = []
        event_deletes: list[int] = []
        audits: list[tuple[Dossier, dict[str, Any]]] = []
        for item in old:
            before = existing[item.code]
            dossier_id = before["id"]
            desired = dict(item.data)
            if desired["status"] == Status.RECEIVED and before["status"] == Status.IN_PROCESS:
                # Assigned to a unit in cchc; the file knows nothing of that hand-over.
                desired["status"] = Status.IN_PROCESS
            changes = {
                name: [_plain(before[name]), _plain(value)] for name, value in desired.items() if before[name] != value
            }
            have = current_events.get(dossier_id, {})
            wanted = {kind: (at, note, promised) for kind, at, note, promised in item.events}
            creates: list[DossierEvent] = []
            updates: list[DossierEvent] = []
            deletes: list[int] = []
            for kind, (at, note, promised) in wanted.items():
                found = have.get(kind)
                if found is None:
                    creates.append(self._event(dossier_id, kind, at, note, promised))
                    changes[f"event:{kind}"] = [None, _plain(at)]
                    continue
                event_id, old_at, old_note, old_promised = found
                # The file carries no notes except the refusal reason: keep notes written in cchc.
                new_note = note if kind == EventKind.REFUSED else old_note
                if kind == EventKind.APOLOGY_ISSUED:
                    at = old_at  # the file has no apology date: keep the recorded one
                if (old_at, old_note, old_promised) != (at, new_note, promised):
                    updates.append(
                        DossierEvent(
                            id=event_id,
                            dossier_id=dossier_id,
                            kind=kind,
                            at=at,
                            note=new_note,
                            new_promised_date=promised,
                        )
                    )
                    changes[f"event:{kind}"] = [_plain(old_at), _plain(at)]
            for kind, (event_id, old_at, _note, _promised) in have.items():
                if kind not in wanted:
                    deletes.append(event_id)
                    changes[f"event:{kind}"] = [_plain(old_at), None]
            if not changes:
                continue
            # A change moves figures out of the old moments' periods as well as into the new ones'.
            if not self._admitted(item, [before["received_at"], *item.moments(), *(e[1] for e in have.values())]):
                continue
            event_creates += creates
            event_updates += updates
            event_deletes += deletes
            merged = {name: before[name] for name in COMPARED}
            merged.update(desired)
            dossier = Dossier(id=dossier_id, agency_id=ctx.agency.pk, code=item.code, updated_at=now, **merged)
            dossier.search_text = search_text_for(
                item.code, dossier.applicant_name, dossier.applicant_id_number, dossier.national_code
            )
            changed_dossiers.append(dossier)
            audits.append((dossier, changes))
        if changed_dossiers:
            Dossier.objects.bulk_update(changed_dossiers, [*COMPARED, "search_text", "updated_at"], batch_size=500)
        if event_updates:
            DossierEvent.objects.bulk_update(event_updates, ["at", "note", "new_promised_date"], batch_size=500)
        if event_creates:
            DossierEvent.objects.bulk_create(event_creates)
        if event_deletes:
            DossierEvent.objects.filter(pk__in=event_deletes).delete()
        for dossier, changes in audits:
            audit.record(
                dossier,
                ctx.actor,
                AuditEntry.Action.IMPORT,
                changes=changes,
                summary=_("Cập nhật từ tệp %(file)s") % {"file": self.result.file_name},
            )
        return len(changed_dossiers)


def _close_connection() -> None:
    # Looked up in the calling thread: each thread has its own connection.
    connection.close()


class _Pipeline:
    """Writes batches in order. On PostgreSQL outside a transaction, a second thread (with its own connection)
    writes one batch while the next is parsed, so the database's work (indexes, foreign keys) overlaps Python's;
    inside a caller's transaction everything stays on the caller's connection, in its transaction."""

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.batches = 0
        self.pending: Future | None = None
        self.executor: ThreadPoolExecutor | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cchc-import")

    def submit(self, batch: list[_Pending]) -> None:
        self.batches += 1
        self.writer.prepare(batch)
        if self.executor is None:
            self.writer.flush(batch, self.batches)
            return
        self._wait()
        self.pending = self.executor.submit(self.writer.flush, batch, self.batches)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def finish(self) -> None:
        if self.executor is None:
            return
        try:
            self._wait()
        finally:
            self.executor.submit(_close_connection).result()
            self.executor.shutdown()


# --- the import --------------------------------------------------------------------------------------------------


def import_dossiers(
    path_or_file,
    *,
    agency,
    actor=None,
    change_reason: str = "",
    progress: Progress | None = None,
    batch_size: int = 2000,
    limits: Limits = WEB_LIMITS,
    wait: float | None = None,
) -> ImportResult:
    """Import the dossiers of `agency` from a CSV or XLSX file (a path, a binary file object or an upload).

    Good rows are created or updated, bad rows are listed in `errors` with their row number as Excel shows it
    (header = row 1 when it is the first line). Raises ImportFileError, before changing anything, when the file
    cannot be read at all (not CSV/XLSX, damaged, past the `limits`, no header row, missing required columns) or
    when another import of the agency is still running after `wait` seconds; a file damaged further down raises it
    where the damage starts, keeping the batches already written (re-importing is safe) in the error's `result`.
    Rows that would change the data of a period already reported (a submitted or approved report) are written only
    with a `change_reason`, and recorded against those reports (dossiers/import_guard.py); else they are row errors.
    """
    started = time.perf_counter()
    try:
        source = open_table(path_or_file, limits=limits, header_score=_header_score)
    except TableFileError as exc:
        raise ImportFileError(str(exc)) from exc
    result = ImportResult(file_name=source.name)
    try:
        try:
            header_row, header_values, mapping = _find_header(source)
        except TableFileError as exc:
            raise ImportFileError(str(exc)) from exc
        result.headers = [_cell_text(v) for v in header_values]
        while result.headers and not result.headers[-1]:
            result.headers.pop()
        try:
            with exclusive_import("dossiers", agency.pk, owner=agency_owner(agency), wait=wait):
                # After a bulk load the planner's estimates are stale until autovacuum comes by: refresh them,
                # also when the file broke half-way (the batches before stay written).
                try:
                    _import_rows(source, header_row, mapping, agency, actor, progress, batch_size, result,
                                 change_reason)  # fmt: skip
                except TableFileError:
                    refresh_statistics([Dossier, DossierEvent], result.created + result.updated)
                    raise
                refresh_statistics([Dossier, DossierEvent], result.created + result.updated)
        except ImportInProgress as exc:
            raise ImportFileError(str(exc)) from exc
        except TableFileError as exc:
            message = str(exc)
            if result.total_rows:
                message += " " + _(
                    "%(rows)s dòng trước chỗ hỏng đã được xử lý (thêm mới %(created)s, cập nhật %(updated)s); sửa tệp "
                    "rồi nhập lại là an toàn."
                ) % {"rows": result.total_rows, "created": result.created, "updated": result.updated}
            raise ImportFileError(message, result) from exc
    finally:
        source.close()
    result.errors.sort(key=lambda error: error.row)  # the writer's refusals come after the parser's errors
    result.seconds = time.perf_counter() - started
    return result


def _import_rows(
    source: Table, header_row: int, mapping, agency, actor, progress, batch_size, result, change_reason: str = ""
) -> None:
    """Parse, check and write the rows after the header, in batches; result.total_rows counts the rows seen."""
    total = source.total_rows - header_row if source.total_rows else None
    ctx = _Context(agency, actor)
    parser = _RowParser(ctx, mapping)
    pipeline = _Pipeline(_Writer(ctx, result, ReportedPeriodGuard(agency, change_reason)))
    seen: dict[str, int] = {}
    batch: list[_Pending] = []
    errors = result.errors
    result.total_rows = 0
    code_index = mapping["code"]

    def rows():
        # Where the file turns out broken, the good rows read so far are written before the error goes on (the
        # documented "everything before the damage is imported").
        try:
            yield from source.rows
        except TableFileError:
            if batch:
                pipeline.submit(batch)
            raise

    try:
        for number, values in rows():
            if values.__class__ is RowDefect:
                # The reader could not read this row as it is (a cell too long, an unclosed quote...).
                result.total_rows += 1
                cells = values.values
                code = clean_line(cells[code_index]) if code_index < len(cells) else ""
                errors.append(RowError(number, code, values.message, cells))
                continue
            if not any(values):
                continue
            try:
                code, data, events = parser.parse(values)
            except _RowProblem as exc:
                cells = tuple(_cell_text(v) for v in values)
                if not any(cells):
                    continue  # a row of spaces
                result.total_rows += 1
                raw_code = cells[code_index] if code_index < len(cells) else ""
                errors.append(RowError(number, raw_code, str(exc), cells))
                continue
            result.total_rows += 1
            first = seen.get(code)
            if first is not None:
                errors.append(
                    RowError(
                        number,
                        code,
                        _("Mã hồ sơ %(code)s trùng với dòng %(row)s trong tệp.") % {"code": code, "row": first},
                        tuple(_cell_text(v) for v in values),
                    )
                )
                continue
            seen[code] = number
            batch.append(_Pending(number, code, data, events, values=values))
            if len(batch) >= batch_size:
                pipeline.submit(batch)
                batch = []
                if progress is not None:
                    done = result.total_rows
                    progress(done, max(total, done) if total else None)
        if batch:
            pipeline.submit(batch)
    finally:
        pipeline.finish()
    if progress is not None:
        progress(result.total_rows, result.total_rows)
