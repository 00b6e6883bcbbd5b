"""Demo feedback, indices and staff of the Sở KH&CN (Quảng Trị): what the "feedback", "indicators" and "staff" blocks
of its reports quote.

The figures are illustrative, not published results. Feedback follows the Bà Rịa - Vũng Tàu Q1/2023 sample: none in
Q1/2023, a few afterwards, one answered late, one outside the Sở's remit
and one still being handled. PII starts with its first edition (2023); the 2025 ranks are out of 34 provinces after
the 2025 merger. Rows are keyed (feedback by agency, day and subject; values by indicator, province and year; staff
by agency and year), so a second build creates nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from cchc.agencies.models import Agency
from cchc.feedback import services
from cchc.feedback.models import Channel, Feedback, SenderKind
from cchc.indicators.models import Indicator, IndicatorValue, StaffCount
from cchc.procedures.models import Procedure

from .data import Summary

AGENCY = "SKHCN"
D = dt.date
SOURCE = "Số liệu minh họa của bộ dữ liệu demo"

# (received, channel, sender kind, subject, closed on, answer, not in scope)
FEEDBACK = [
    (D(2023, 4, 10), Channel.NATIONAL_PORTAL, SenderKind.ORGANISATION,
     "Đề nghị hướng dẫn thành phần hồ sơ cấp giấy phép tiến hành công việc bức xạ (thiết bị X-quang chẩn đoán y tế)",
     D(2023, 4, 18), "Đã hướng dẫn thành phần hồ sơ theo thủ tục công bố tại Cổng Dịch vụ công quốc gia.", False),
    (D(2023, 8, 21), Channel.WRITTEN, SenderKind.ORGANISATION,
     "Kiến nghị về giá bán lẻ điện cho cơ sở sản xuất", D(2023, 8, 23),
     "Nội dung không thuộc thẩm quyền của Sở; đã hướng dẫn gửi Sở Công Thương.", True),
    (D(2024, 3, 4), Channel.PHONE, SenderKind.PERSON,
     "Phản ánh chậm trả kết quả đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ", D(2024, 3, 22),
     "Đã trả kết quả và xin lỗi tổ chức, cá nhân vì trễ hạn.", False),
    (D(2024, 10, 7), Channel.PAKN_SYSTEM, SenderKind.PERSON,
     "Đề nghị cung cấp dịch vụ công trực tuyến toàn trình đối với thủ tục cấp chứng chỉ nhân viên bức xạ",
     D(2024, 10, 15), "Sở đã rà soát, đề xuất cung cấp toàn trình trong năm 2025.", False),
    (D(2025, 6, 2), Channel.DIRECT, SenderKind.ORGANISATION,
     "Phản ánh yêu cầu nộp thêm giấy tờ ngoài quy định khi công bố hợp chuẩn", D(2025, 6, 10),
     "Đã chấn chỉnh công chức tiếp nhận; hồ sơ được giải quyết theo đúng thành phần quy định.", False),
    (D(2026, 2, 2), Channel.PAKN_SYSTEM, SenderKind.PERSON,
     "Đề nghị làm rõ thời hạn giải quyết thủ tục cấp giấy phép vận chuyển chất phóng xạ", None, "", False),
]  # fmt: skip

# (code, year, score, rank, of)
INDICATOR_VALUES = [
    ("PAR_INDEX", 2022, "84.35", 31, 63),
    ("PAR_INDEX", 2023, "86.12", 27, 63),
    ("PAR_INDEX", 2024, "87.40", 24, 63),
    ("PAR_INDEX", 2025, "88.05", 15, 34),
    ("PII", 2023, "38.50", 35, 63),
    ("PII", 2024, "40.12", 31, 63),
    ("PII", 2025, "42.30", 18, 34),
]

STAFF_2023 = {"approved_posts": 35, "present": 32, "recruited": 0, "trained": 3}


def build_feedback(agencies: dict[str, Agency], summary: Summary) -> None:
    """Feedback items of the Sở KH&CN 2023-2026, the province's PAR Index and PII, the Sở's 2023 staff."""
    agency = agencies[AGENCY]
    procedure = Procedure.objects.filter(agency=agency).order_by("pk").first()
    with transaction.atomic():
        for received, channel, sender, subject, closed, answer, not_in_scope in FEEDBACK:
            if Feedback.objects.filter(agency=agency, received_on=received, subject=subject).exists():
                continue
            linked = procedure if "bức xạ" in subject and "X-quang" in subject else None
            item = services.receive(
                agency, None, received_on=received, channel=channel, subject=subject, sender_kind=sender,
                procedure=linked,
            )  # fmt: skip
            if closed:
                services.close(item, None, on=closed, answer=answer, not_in_scope=not_in_scope)
            summary.add("phản ánh, kiến nghị")
        if agency.province_id:
            for code, year, score, rank, of in INDICATOR_VALUES:
                _, created = IndicatorValue.objects.get_or_create(
                    indicator=Indicator.objects.get(code=code),
                    province_id=agency.province_id,
                    agency=None,
                    year=year,
                    defaults={"score": Decimal(score), "rank": rank, "rank_of": of, "source": SOURCE},
                )
                if created:
                    summary.add("kết quả chỉ số")
        _, created = StaffCount.objects.get_or_create(agency=agency, year=2023, defaults=STAFF_2023)
        if created:
            summary.add("số liệu biên chế")
