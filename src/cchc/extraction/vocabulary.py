"""The documented vocabularies of the extractor: figure keys (with their meaning) and province names.

The figure keys are the contract with the import and roll-up: a key means the same thing in every report, whatever
wording the report used. docs/extraction.md lists them with the phrasings each one is read from.
"""

from __future__ import annotations

from cchc.text import fold

FIGURE_KEYS: dict[str, str] = {
    # Thủ tục hành chính (TTHC)
    "procedures_total": "Số TTHC thuộc thẩm quyền giải quyết của cơ quan (đã công bố / đang thực hiện)",
    "procedures_one_stop": "Số TTHC thực hiện theo cơ chế một cửa",
    "procedures_interlinked": "Số TTHC thực hiện theo cơ chế một cửa liên thông",
    "procedures_online": "Số TTHC cung cấp dịch vụ công trực tuyến, mọi mức (mức độ 3 + 4; toàn trình + một phần)",
    "procedures_online_full": "Số TTHC cung cấp dịch vụ công trực tuyến mức độ 4 / toàn trình",
    "procedures_online_partial": "Số TTHC cung cấp dịch vụ công trực tuyến mức độ 3 / một phần",
    # Hồ sơ
    "dossiers_received": "Tổng số hồ sơ tiếp nhận trong kỳ",
    "dossiers_carried_over": "Số hồ sơ từ kỳ trước chuyển sang",
    "dossiers_online": "Số hồ sơ tiếp nhận trực tuyến (qua mạng)",
    "dossiers_direct": "Số hồ sơ nộp trực tiếp (tại bộ phận một cửa / trung tâm hành chính công)",
    "dossiers_postal": "Số hồ sơ qua dịch vụ bưu chính công ích",
    "dossiers_resolved": "Số hồ sơ đã giải quyết",
    "dossiers_on_time": "Số hồ sơ giải quyết trước hạn và đúng hạn",
    "dossiers_late": "Số hồ sơ giải quyết quá hạn / trễ hạn",
    "dossiers_in_progress": "Số hồ sơ đang giải quyết",
    "dossiers_on_time_rate": "Tỷ lệ hồ sơ giải quyết đúng hạn (%)",
    # Phản ánh, kiến nghị
    "feedback_received": "Số phản ánh, kiến nghị về quy định hành chính / giải quyết TTHC tiếp nhận",
    # Kế hoạch, chỉ đạo điều hành
    "plan_tasks_total": "Số nội dung / nhiệm vụ của kế hoạch CCHC",
    "plan_tasks_done": "Số nội dung / nhiệm vụ của kế hoạch đã hoàn thành",
    "directives_total": "Số nhiệm vụ / văn bản chỉ đạo được UBND tỉnh, Chủ tịch UBND tỉnh giao",
    "directives_done": "Số nhiệm vụ / văn bản chỉ đạo được giao đã hoàn thành",
    # Chính quyền điện tử
    "signed_documents": "Số văn bản được ký số",
    "website_visits": "Số lượt truy cập trang/cổng thông tin điện tử",
    # Tài chính công
    "revenue_collected": "Thu ngân sách / phí, lệ phí đã thu (triệu đồng)",
    "revenue_plan": "Dự toán thu được giao (triệu đồng)",
    # Chỉ số
    "pii_score": "Chỉ số Đổi mới sáng tạo cấp địa phương (PII): điểm",
    "pii_rank": "Chỉ số PII: thứ hạng",
    "papi_score": "Chỉ số PAPI: điểm",
    "papi_rank": "Chỉ số PAPI: thứ hạng",
    "par_index_score": "Chỉ số cải cách hành chính (PAR Index): điểm",
    "par_index_rank": "Chỉ số cải cách hành chính (PAR Index): thứ hạng",
    "sipas_score": "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS): %",
    "pci_score": "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI): điểm",
    "pci_rank": "Chỉ số PCI: thứ hạng",
}

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
)


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
