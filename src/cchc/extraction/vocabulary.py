"""The documented vocabularies of the extractor: figure keys (with their Vietnamese labels) and province names.

The figure keys are the contract between the extractor, the review page, the roll-up and the API: a key means the
same thing in every report, whatever wording the report used. docs/extraction.md lists them with the phrasings each
one is read from. ``ALIASES`` maps the names of earlier releases onto today's, so stored figures and callers that
still use an old name keep their meaning (``canonical_key``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.text import fold

# key -> Vietnamese label. Order is the order of the review page and of the documentation.
FIGURE_LABELS: dict[str, str] = {
    # Thủ tục hành chính (TTHC)
    "procedures_total": _("Tổng số TTHC thuộc thẩm quyền giải quyết"),
    "procedures_one_stop": _("Số TTHC thực hiện theo cơ chế một cửa"),
    "procedures_interconnected": _("Số TTHC thực hiện theo cơ chế một cửa liên thông"),
    "procedures_online": _("Số TTHC cung cấp dịch vụ công trực tuyến (mọi mức)"),
    "procedures_online_full": _("Số TTHC cung cấp dịch vụ công trực tuyến toàn trình"),
    "procedures_online_partial": _("Số TTHC cung cấp dịch vụ công trực tuyến một phần"),
    "procedures_level3": _("Số dịch vụ công trực tuyến mức độ 3"),
    "procedures_level4": _("Số dịch vụ công trực tuyến mức độ 4"),
    # Hồ sơ TTHC
    "dossiers_received": _("Tổng số hồ sơ tiếp nhận trong kỳ"),
    "dossiers_carried_over": _("Số hồ sơ kỳ trước chuyển sang"),
    "dossiers_new": _("Số hồ sơ tiếp nhận mới trong kỳ"),
    "dossiers_online": _("Số hồ sơ tiếp nhận trực tuyến"),
    "dossiers_direct": _("Số hồ sơ tiếp nhận trực tiếp"),
    "dossiers_postal": _("Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích"),
    "dossiers_resolved": _("Số hồ sơ đã giải quyết"),
    "dossiers_early": _("Số hồ sơ giải quyết trước hạn"),
    "dossiers_on_time": _("Số hồ sơ giải quyết đúng hạn"),
    "dossiers_early_or_on_time": _("Số hồ sơ giải quyết trước hạn và đúng hạn"),
    "dossiers_late": _("Số hồ sơ giải quyết quá hạn"),
    "dossiers_in_progress": _("Số hồ sơ đang giải quyết"),
    "dossiers_in_progress_overdue": _("Số hồ sơ đang giải quyết đã quá hạn"),
    "dossiers_refused": _("Số hồ sơ từ chối giải quyết"),
    "dossiers_withdrawn": _("Số hồ sơ rút, trả lại"),
    "on_time_rate_pct": _("Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn (%)"),
    "online_rate_pct": _("Tỷ lệ hồ sơ tiếp nhận trực tuyến (%)"),
    "digitised_dossiers": _("Số hồ sơ được số hóa"),
    # Phản ánh, kiến nghị
    "feedback_received": _("Số phản ánh, kiến nghị tiếp nhận"),
    "feedback_resolved": _("Số phản ánh, kiến nghị đã xử lý"),
    # Kế hoạch, chỉ đạo điều hành
    "plan_tasks_total": _("Số nhiệm vụ của kế hoạch CCHC"),
    "plan_tasks_done": _("Số nhiệm vụ của kế hoạch đã hoàn thành"),
    "directives_total": _("Số nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao"),
    "directives_done": _("Số nhiệm vụ được giao đã hoàn thành"),
    # Chính quyền điện tử, văn bản
    "signed_documents": _("Số văn bản được ký số"),
    "website_visits": _("Số lượt truy cập cổng/trang thông tin điện tử"),
    # Tài chính công
    "revenue_collected": _("Số thu phí, lệ phí (triệu đồng)"),
    "revenue_plan": _("Dự toán thu được giao (triệu đồng)"),
    # Chỉ số
    "par_index_score": _("Chỉ số CCHC (PAR Index): điểm"),
    "par_index_rank": _("Chỉ số CCHC (PAR Index): thứ hạng"),
    "papi_score": _("Chỉ số PAPI: điểm"),
    "papi_rank": _("Chỉ số PAPI: thứ hạng"),
    "pci_score": _("Chỉ số PCI: điểm"),
    "pci_rank": _("Chỉ số PCI: thứ hạng"),
    "sipas_pct": _("Chỉ số hài lòng SIPAS (%)"),
    "pii_score": _("Chỉ số đổi mới sáng tạo (PII): điểm"),
    "pii_rank": _("Chỉ số PII: thứ hạng"),
    "index_766_score": _("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766): điểm"),
}

# Names of earlier releases -> today's key. "dossiers_on_time" kept its name but narrowed its meaning (đúng hạn
# alone); figures stored under it before the change were early-or-on-time and migration reports 0005 renamed them.
ALIASES: dict[str, str] = {
    "procedures_interlinked": "procedures_interconnected",
    "dossiers_on_time_rate": "on_time_rate_pct",
    "sipas_score": "sipas_pct",
}

# Keys whose value is a percentage or a score (may be a decimal); the others are counts.
DECIMAL_KEYS: frozenset[str] = frozenset({
    "on_time_rate_pct", "online_rate_pct", "revenue_collected", "revenue_plan", "par_index_score", "papi_score",
    "pci_score", "sipas_pct", "pii_score", "index_766_score",
})  # fmt: skip

FIGURE_KEYS = FIGURE_LABELS  # the name earlier modules import


def canonical_key(key: str) -> str:
    """Today's name of `key` (an alias of an earlier release, or the key itself)."""
    return ALIASES.get(key, key)


def figure_label(key: str) -> str:
    """The Vietnamese label of a figure key (an alias too); an unknown key gets a generic label, never the key."""
    label = FIGURE_LABELS.get(canonical_key(key))
    return str(label) if label is not None else str(_("Số liệu khác của báo cáo"))


RATINGS = ("Hoàn thành tốt", "Hoàn thành", "Hoàn thành chậm", "Chưa hoàn thành")

_PROVINCE_NAMES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng",
    "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip


def _province_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name in _PROVINCE_NAMES:
        keys[fold(name)] = name
    # Common spellings: "Đăk Lăk", "Thanh Hoá", "Hoà Bình", "TP. Hồ Chí Minh", "Bà Rịa – Vũng Tàu", "BR-VT".
    keys.update({
        "dak lak": "Đắk Lắk", "dac lac": "Đắk Lắk", "dak nong": "Đắk Nông", "ho chi minh": "Hồ Chí Minh",
        "tp ho chi minh": "Hồ Chí Minh", "tp. ho chi minh": "Hồ Chí Minh", "ba ria vung tau": "Bà Rịa - Vũng Tàu",
        "br - vt": "Bà Rịa - Vũng Tàu", "thua thien - hue": "Thừa Thiên Huế",
    })
    return keys


PROVINCES: dict[str, str] = _province_keys()
