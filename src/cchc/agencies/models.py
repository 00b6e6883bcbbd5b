"""Provinces, agencies, their units and the people who work in them.

Provinces and agencies carry validity dates and a successor because the map changes (the 2025 merger of provinces
and departments): a 2023 report keeps the names of 2023.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("mã"), max_length=16, unique=True, help_text=_("Mã định danh, ví dụ H41."))
    name = models.CharField(_("tên"), max_length=200)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "so", _("Sở, ban, ngành")
        PROVINCE_COMMITTEE = "ubnd_tinh", _("UBND tỉnh")
        DISTRICT_COMMITTEE = "ubnd_huyen", _("UBND huyện")
        COMMUNE_COMMITTEE = "ubnd_xa", _("UBND xã")
        MINISTRY = "bo", _("Bộ, ngành trung ương")
        OTHER = "khac", _("Khác")

    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh"), null=True, blank=True, on_delete=models.PROTECT, related_name="agencies"
    )
    code = models.CharField(
        _("ký hiệu"), max_length=32, help_text=_("Ký hiệu viết tắt dùng trong số văn bản, ví dụ SKHCN.")
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan chủ quản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    parent_authority_name = models.CharField(
        _("tên cơ quan chủ quản (dòng trên của tiêu đề)"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: UBND TỈNH QUẢNG TRỊ."),
    )
    electronic_id = models.CharField(
        _("mã định danh điện tử"),
        max_length=64,
        blank=True,
        help_text=_("Mã định danh của cơ quan (QĐ 20/2020/QĐ-TTg), dùng để sinh mã hồ sơ, ví dụ 000.00.12.H41."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    due_soon_days = models.PositiveSmallIntegerField(
        _("báo sắp đến hạn trước (ngày làm việc)"),
        default=2,
        help_text=_(
            "Hồ sơ và bước xử lý có hạn trong số ngày làm việc này (kể từ hôm nay) hiện màu vàng «sắp đến hạn»."
        ),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["province__name", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="agency_code_unique_in_province")]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "van_phong", _("Văn phòng")
        DIVISION = "phong", _("Phòng")
        SUB_DEPARTMENT = "chi_cuc", _("Chi cục")
        CENTRE = "trung_tam", _("Trung tâm")
        ONE_STOP = "mot_cua", _("Bộ phận một cửa")
        OTHER = "khac", _("Khác")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("ký hiệu"), max_length=32, blank=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.DIVISION)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị cơ quan")
    LEADER = "leader", _("Lãnh đạo")
    OFFICER = "officer", _("Chuyên viên")
    ONE_STOP = "one_stop", _("Cán bộ một cửa")
    VIEWER = "viewer", _("Người xem")
    AGGREGATOR = "aggregator", _("Tổng hợp báo cáo (Sở Nội vụ, UBND tỉnh, Bộ)")


class Membership(models.Model):
    """A user's place in an agency. The aggregator role reads every agency of the agency's province."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, default=Role.OFFICER)
    position = models.CharField(_("chức vụ"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.agency} ({self.get_role_display()})"
