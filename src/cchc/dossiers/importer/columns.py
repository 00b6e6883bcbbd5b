"""The columns an export may have (their names as other systems spell them) and the vocabularies of their
values: channels, applicant kinds, yes/no, DVCQG statuses."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy

from cchc.text import fold

from ..models import Channel, EventKind, NationalStatus, Status

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
