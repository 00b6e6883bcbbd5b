"""Which printed forms exist under each regime, and the placeholders a template may use.

The form codes are what the command line and the URLs take (`tiep-nhan`, `bo-sung`, ...). Each regime has its own
circular and numbering: Thông tư 01/2018/TT-VPCP (Mẫu 01-06) for dossiers received under Nghị định 61/2018,
Thông tư 03/2025/TT-VPCP Phụ lục I (Mẫu 01-07) for those received under Nghị định 118/2025 (tthc-details.md §1.3).
TT 01/2018 has no stop notice: under Nghị định 61/2018 the `dung` form does not exist and is refused by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import Regime


class FormCode(models.TextChoices):
    RECEIPT = "tiep-nhan", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT = "bo-sung", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "tu-choi", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "xin-loi", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    STOP = "dung", _("Thông báo dừng giải quyết hồ sơ")
    CONTROL = "kiem-soat", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    REGISTER = "so-theo-doi", _("Sổ theo dõi hồ sơ")


@dataclass(frozen=True)
class FormSpec:
    """One form of one regime: its number in the circular, its legal title, the circular and its first day."""

    code: str
    regime: str
    number: str
    title: str
    circular: str
    valid_from: dt.date

    @property
    def label(self) -> str:
        return f"Mẫu số {self.number} – {self.title}"

    @property
    def default_file(self) -> str:
        return f"{self.regime}/{self.code}.txt"


ND61_FROM = dt.date(2018, 6, 21)  # Nghị định 61/2018 in force (tthc-details.md §0.1)
ND118_FROM = dt.date(2025, 7, 1)  # Nghị định 118/2025 in force; TT 03/2025 gives its forms
TT01 = "Thông tư 01/2018/TT-VPCP"
TT03 = "Thông tư 03/2025/TT-VPCP"

_SPECS = [
    FormSpec(FormCode.RECEIPT, Regime.ND61, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", TT01, ND61_FROM),
    FormSpec(FormCode.SUPPLEMENT, Regime.ND61, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", TT01, ND61_FROM),
    FormSpec(FormCode.REFUSAL, Regime.ND61, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", TT01, ND61_FROM),
    FormSpec(FormCode.APOLOGY, Regime.ND61, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", TT01, ND61_FROM),
    FormSpec(FormCode.CONTROL, Regime.ND61, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", TT01, ND61_FROM),
    FormSpec(FormCode.REGISTER, Regime.ND61, "06", "Sổ theo dõi hồ sơ", TT01, ND61_FROM),
    FormSpec(FormCode.RECEIPT, Regime.ND118, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", TT03, ND118_FROM),
    FormSpec(FormCode.SUPPLEMENT, Regime.ND118, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", TT03, ND118_FROM),
    FormSpec(FormCode.REFUSAL, Regime.ND118, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", TT03, ND118_FROM),
    FormSpec(
        FormCode.APOLOGY,
        Regime.ND118,
        "04",
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        TT03,
        ND118_FROM,
    ),
    FormSpec(FormCode.STOP, Regime.ND118, "05", "Thông báo dừng giải quyết hồ sơ", TT03, ND118_FROM),
    FormSpec(FormCode.CONTROL, Regime.ND118, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", TT03, ND118_FROM),
    FormSpec(FormCode.REGISTER, Regime.ND118, "07", "Sổ theo dõi hồ sơ", TT03, ND118_FROM),
]
SPECS: dict[tuple[str, str], FormSpec] = {(spec.regime, spec.code): spec for spec in _SPECS}
DOSSIER_FORMS = [code for code in FormCode.values if code != FormCode.REGISTER]


def spec_for(regime: str, code: str) -> FormSpec | None:
    return SPECS.get((str(regime), str(code)))


def form_title(regime: str, code: str) -> str:
    spec = spec_for(regime, code)
    return spec.title if spec else FormCode(code).label


# -- placeholders -----------------------------------------------------------------------------------------------------

# name -> what it is, for the help on the edit page and docs/dossier-forms.md.
COMMON_PLACEHOLDERS: dict[str, str] = {
    "agency.name": "Tên cơ quan",
    "agency.code": "Mã (ký hiệu) cơ quan, ví dụ SKHCN",
    "agency.parent": "Tên cơ quan chủ quản (dòng trên của tiêu đề)",
    "agency.address": "Địa chỉ cơ quan",
    "agency.place": "Địa danh (tỉnh) ghi ở dòng ngày tháng",
    "today": "Ngày in (dd/mm/yyyy)",
}
DOSSIER_PLACEHOLDERS: dict[str, str] = {
    "dossier.code": "Mã hồ sơ",
    "dossier.national_code": "Mã hồ sơ trên Cổng Dịch vụ công quốc gia",
    "dossier.summary": "Trích yếu nội dung yêu cầu",
    "dossier.received_at": "Thời điểm nhận hồ sơ (giờ, phút, ngày)",
    "dossier.received_on": "Ngày nhận hồ sơ",
    "dossier.due_at": "Thời điểm hẹn trả kết quả (giờ, phút, ngày)",
    "dossier.due_on": "Ngày hẹn trả kết quả",
    "dossier.channel": "Kênh tiếp nhận",
    "dossier.result_channel": "Hình thức nhận kết quả",
    "dossier.sets": "Số bộ hồ sơ",
    "dossier.status_url": "Địa chỉ tra cứu tình trạng hồ sơ (nếu có)",
    "procedure.code": "Mã thủ tục hành chính",
    "procedure.name": "Tên thủ tục hành chính",
    "procedure.field": "Lĩnh vực",
    "procedure.time": "Thời hạn giải quyết theo quy định",
    "procedure.result": "Kết quả giải quyết",
    "applicant.name": "Tên tổ chức, cá nhân nộp hồ sơ",
    "applicant.kind": "Loại chủ hồ sơ",
    "applicant.id_number": "Số định danh cá nhân / mã số thuế",
    "applicant.address": "Địa chỉ của người nộp",
    "applicant.phone": "Điện thoại",
    "applicant.email": "Thư điện tử",
    "receiver.name": "Người tiếp nhận hồ sơ",
    "receiver.unit": "Bộ phận tiếp nhận hồ sơ",
    "unit.name": "Đơn vị đang giải quyết hồ sơ",
}
EVENT_PLACEHOLDERS: dict[str, dict[str, str]] = {
    FormCode.SUPPLEMENT: {
        "supplement.at": "Thời điểm yêu cầu bổ sung",
        "supplement.on": "Ngày yêu cầu bổ sung",
        "supplement.reason": "Lý do, nội dung cần bổ sung (ghi chú của yêu cầu)",
        "supplement.missing": "Các giấy tờ theo quy định chưa nhận",
    },
    FormCode.REFUSAL: {
        "refusal.at": "Thời điểm từ chối",
        "refusal.on": "Ngày từ chối",
        "refusal.reason": "Lý do từ chối",
    },
    FormCode.APOLOGY: {
        "apology.at": "Thời điểm xin lỗi",
        "apology.on": "Ngày xin lỗi",
        "apology.reason": "Lý do chậm trả kết quả",
        "apology.new_date": "Ngày hẹn trả kết quả mới",
        "apology.original_due": "Ngày hẹn trả kết quả ban đầu",
    },
    FormCode.STOP: {
        "stop.at": "Thời điểm dừng giải quyết",
        "stop.on": "Ngày dừng giải quyết",
        "stop.reason": "Lý do dừng (đề nghị của tổ chức, cá nhân)",
    },
}
REGISTER_PLACEHOLDERS: dict[str, str] = {
    "register.from": "Ngày đầu của kỳ",
    "register.to": "Ngày cuối của kỳ",
    "register.count": "Số hồ sơ trong kỳ",
}


def placeholders_for(code: str) -> dict[str, str]:
    """The placeholders a template of form `code` may use."""
    if code == FormCode.REGISTER:
        return {**COMMON_PLACEHOLDERS, **REGISTER_PLACEHOLDERS}
    return {**COMMON_PLACEHOLDERS, **DOSSIER_PLACEHOLDERS, **EVENT_PLACEHOLDERS.get(code, {})}


# Table directives and the forms that have their data.
TABLES: dict[str, set[str]] = {
    "bang-thanh-phan": set(DOSSIER_FORMS),
    "bang-can-bo-sung": {FormCode.SUPPLEMENT},
    "bang-giao-nhan": set(DOSSIER_FORMS),
    "bang-so-theo-doi": {FormCode.REGISTER},
}
