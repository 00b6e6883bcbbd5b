"""The columns of the catalogue sheet, how headers are recognised, and the words a cell may hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cchc.procedures.models import DurationUnit, Interconnection, Level, OnlineService, ResultKind
from cchc.text import fold

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
    Column("result_kind", "Loại kết quả", ("loai ket qua", "loai ket qua thuc hien")),
    Column(
        "internal_process_decision",
        "Quyết định phê duyệt quy trình nội bộ",
        ("quyet dinh phe duyet quy trinh noi bo", "quy trinh noi bo", "qd phe duyet quy trinh noi bo"),
    ),
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
    "Loại kết quả": {kind.value: str(kind.label) for kind in ResultKind},
    "Mức độ (NĐ 43/2011)": {1: "1", 2: "2", 3: "3", 4: "4"},
}

RESULT_KINDS = {fold(str(kind.label)): kind.value for kind in ResultKind}
