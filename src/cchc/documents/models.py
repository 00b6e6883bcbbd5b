"""The document registry (sổ văn bản): the documents an agency issues and receives.

Numbers follow Nghị định 30/2020/NĐ-CP Điều 15 and Phụ lục III: an outgoing document's number is allocated in its
register, continuously from 01 on 1 January to 31 December; its symbol joins the type abbreviation and the issuing
body's abbreviation (`64/KH-SKHCN`), or for a công văn the issuing body and the drafting unit (`2130/SKHCN-QLĐLCL`).
Documents cited in reports (laws, decrees, the province's decisions) are registered too, as incoming or reference
documents, with their number and symbol as written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """Document types of Nghị định 30/2020 Phụ lục III (value = the abbreviation used in symbols) and the legal
    kinds reports cite. Công văn has no abbreviation in its symbol; its value "CV" is only a key."""

    NGHI_QUYET = "NQ", _("Nghị quyết")
    QUYET_DINH = "QĐ", _("Quyết định")
    CHI_THI = "CT", _("Chỉ thị")
    QUY_CHE = "QC", _("Quy chế")
    QUY_DINH = "QyĐ", _("Quy định")
    THONG_CAO = "TC", _("Thông cáo")
    THONG_BAO = "TB", _("Thông báo")
    HUONG_DAN = "HD", _("Hướng dẫn")
    CHUONG_TRINH = "CTr", _("Chương trình")
    KE_HOACH = "KH", _("Kế hoạch")
    PHUONG_AN = "PA", _("Phương án")
    DE_AN = "ĐA", _("Đề án")
    DU_AN = "DA", _("Dự án")
    BAO_CAO = "BC", _("Báo cáo")
    BIEN_BAN = "BB", _("Biên bản")
    TO_TRINH = "TTr", _("Tờ trình")
    HOP_DONG = "HĐ", _("Hợp đồng")
    CONG_VAN = "CV", _("Công văn")
    CONG_DIEN = "CĐ", _("Công điện")
    BAN_GHI_NHO = "BGN", _("Bản ghi nhớ")
    BAN_THOA_THUAN = "BTT", _("Bản thỏa thuận")
    GIAY_UY_QUYEN = "GUQ", _("Giấy ủy quyền")
    GIAY_MOI = "GM", _("Giấy mời")
    GIAY_GIOI_THIEU = "GGT", _("Giấy giới thiệu")
    GIAY_NGHI_PHEP = "GNP", _("Giấy nghỉ phép")
    PHIEU_GUI = "PG", _("Phiếu gửi")
    PHIEU_CHUYEN = "PC", _("Phiếu chuyển")
    PHIEU_BAO = "PB", _("Phiếu báo")
    THU_CONG = "ThC", _("Thư công")  # Phụ lục III gives "TC", which Thông cáo already uses; kept apart as a key
    # Legal kinds (Luật Ban hành văn bản quy phạm pháp luật) and Party documents cited in reports.
    LUAT = "LUAT", _("Luật")
    BO_LUAT = "BLUAT", _("Bộ luật")
    PHAP_LENH = "PL", _("Pháp lệnh")
    NGHI_DINH = "NĐ", _("Nghị định")
    THONG_TU = "TT", _("Thông tư")
    THONG_TU_LIEN_TICH = "TTLT", _("Thông tư liên tịch")
    NGHI_QUYET_LIEN_TICH = "NQLT", _("Nghị quyết liên tịch")
    KET_LUAN = "KL", _("Kết luận")
    OTHER = "KHAC", _("Văn bản khác")

    @classmethod
    def from_name(cls, name: str | None) -> DocumentKind:
        """The kind whose Vietnamese name is `name` (as references.Reference.kind gives it), else OTHER."""
        wanted = " ".join((name or "").split()).casefold()
        for kind in cls:
            if str(kind.label).casefold() == wanted:
                return kind
        return cls.OTHER

    @property
    def symbol_abbreviation(self) -> str | None:
        """The abbreviation a symbol carries, None for a công văn and the kinds without one."""
        if self in (DocumentKind.CONG_VAN, DocumentKind.OTHER, DocumentKind.LUAT, DocumentKind.BO_LUAT,
                    DocumentKind.PHAP_LENH):
            return None
        if self is DocumentKind.THU_CONG:
            return "TC"
        return self.value


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Văn bản đi")
    INCOMING = "incoming", _("Văn bản đến")


class SigningForm(models.TextChoices):
    """Thẩm quyền ký (Nghị định 30/2020 Điều 13 and Phụ lục I)."""

    NONE = "", _("Ký trực tiếp")
    TM = "TM.", _("TM. (thay mặt tập thể)")
    KT = "KT.", _("KT. (ký thay người đứng đầu)")
    TL = "TL.", _("TL. (thừa lệnh)")
    TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")
    Q = "Q.", _("Q. (quyền)")


class Register(models.Model):
    """A register (sổ) that numbers documents: e.g. one for outgoing documents, one for incoming ones."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="registers"
    )
    name = models.CharField(_("tên sổ"), max_length=200)
    direction = models.CharField(_("loại sổ"), max_length=16, choices=Direction.choices, default=Direction.OUTGOING)
    resets_yearly = models.BooleanField(
        _("đánh số lại từ 01 mỗi năm"),
        default=True,
        help_text=_("Nghị định 30/2020 Điều 15: số văn bản ghi liên tục từ số 01 ngày 01 tháng 01 đến 31 tháng 12."),
    )
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("sổ văn bản")
        verbose_name_plural = _("sổ văn bản")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="register_name_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency}"


class NumberCounter(models.Model):
    """The last number allocated in one register for one year (year 0 for a register that never resets).

    Its row is locked while a number is taken, so concurrent issuers wait for each other (numbering.py)."""

    register = models.ForeignKey(Register, verbose_name=_("sổ"), on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField(_("năm"))
    last = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("bộ đếm số văn bản")
        verbose_name_plural = _("bộ đếm số văn bản")
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="counter_unique_per_register_year")]

    def __str__(self) -> str:
        return f"{self.register.name} {self.year}: {self.last}"


def document_upload_to(instance: Document, filename: str) -> str:
    agency = instance.agency.code if instance.agency_id else "chung"
    year = instance.year or (instance.issue_date.year if instance.issue_date else "khac")
    return f"documents/{agency}/{year}/{filename}"


class Document(models.Model):
    """One document in the registry.

    `number` is the number as written ("08", "60/2021" for a legal document with its year); `numeric_number` is the
    number this agency allocated in the register (the document number of an outgoing document, the arrival number
    of an incoming one), unique per register and year.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="documents"
    )
    register = models.ForeignKey(
        Register, verbose_name=_("sổ văn bản"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents",
    )
    direction = models.CharField(_("văn bản đi/đến"), max_length=16, choices=Direction.choices,
                                 default=Direction.OUTGOING)
    kind = models.CharField(_("loại văn bản"), max_length=8, choices=DocumentKind.choices)
    number = models.CharField(_("số"), max_length=32, blank=True)
    numeric_number = models.PositiveIntegerField(_("số thứ tự trong sổ"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=64, blank=True, help_text=_("Phần sau dấu /, ví dụ KH-SKHCN."))
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    excerpt = models.TextField(_("trích yếu"), blank=True)
    signer_name = models.CharField(_("người ký"), max_length=128, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=128, blank=True)
    signing_form = models.CharField(_("thẩm quyền ký"), max_length=8, choices=SigningForm.choices, blank=True,
                                    default=SigningForm.NONE)
    digitally_signed = models.BooleanField(_("đã ký số"), default=False)
    file = models.FileField(_("tệp văn bản"), upload_to=document_upload_to, blank=True, max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "numeric_number"],
                condition=Q(numeric_number__isnull=False),
                name="document_number_unique_per_register_year",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "symbol", "number"], name="document_symbol_idx"),
            models.Index(fields=["agency", "issue_date"], name="document_date_idx"),
        ]

    def __str__(self) -> str:
        label = self.number_symbol or str(self.get_kind_display())
        return f"{self.get_kind_display()} {label}" if self.number_symbol else label

    @property
    def number_symbol(self) -> str:
        """"64/KH-SKHCN", "60/2021/NĐ-CP", Party style "12-NQ/TU"."""
        if not self.number:
            return ""
        if not self.symbol:
            return self.number
        return f"{self.number}-{self.symbol}" if "/" in self.symbol else f"{self.number}/{self.symbol}"
