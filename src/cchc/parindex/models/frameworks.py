"""A criteria set (bộ tiêu chí) as data: the province's framework for a year and an agency group, its tree of items
with their maxima, scoring rules, evidence and appraisers, its tiers, and which agency appraises for each role.

Nothing of a province's methodology is a constant in code: codes, titles, points, rules and thresholds are rows here,
imported from the province's XLSX, edited in the browser, or copied from last year's framework.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyGroup(models.TextChoices):
    DEPARTMENTS = "departments", _("Sở, ban, ngành")
    COMMUNES = "communes", _("UBND cấp xã")
    PUBLIC_UNITS = "public_units", _("Đơn vị sự nghiệp công lập")


class Section(models.TextChoices):
    """The part of the framework an item belongs to (set by its top-level item)."""

    SCORED = "scored", _("Tiêu chí chấm điểm")
    SURVEY = "survey", _("Điều tra xã hội học")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")


class RuleKind(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("Đạt hoặc không đạt")
    PROPORTIONAL = "proportional", _("Theo tỷ lệ")
    TIERS = "tiers", _("Theo mức")
    DEADLINE = "deadline", _("Theo thời hạn")
    MANUAL = "manual", _("Chấm trực tiếp")


class AppraiserRole(models.TextChoices):
    """Who appraises an item. The Sở Nội vụ leads; the others appraise their own fields (a provincial assignment)."""

    HOME_AFFAIRS = "home_affairs", _("Sở Nội vụ")
    PROVINCIAL_OFFICE = "provincial_office", _("Văn phòng UBND tỉnh")
    JUSTICE = "justice", _("Sở Tư pháp")
    FINANCE = "finance", _("Sở Tài chính")
    SCIENCE = "science", _("Sở Khoa học và Công nghệ")


class Framework(models.Model):
    province = models.ForeignKey(
        "agencies.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="par_frameworks",
        help_text=_("Để trống với bộ tiêu chí mẫu của cchc (dùng để sao chép cho tỉnh)."),
    )
    year = models.PositiveSmallIntegerField(
        _("năm đánh giá"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    group = models.CharField(_("nhóm cơ quan"), max_length=16, choices=AgencyGroup.choices,
                             default=AgencyGroup.DEPARTMENTS)  # fmt: skip
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    decision_number = models.CharField(
        _("số quyết định ban hành"), max_length=64, blank=True, help_text=_("Ví dụ 2345/QĐ-UBND.")
    )
    decision_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao chép từ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    is_template = models.BooleanField(
        _("mẫu để điều chỉnh"),
        default=False,
        help_text=_("Bộ tiêu chí dựng theo mẫu, chưa được điều chỉnh theo quyết định của tỉnh."),
    )
    self_deadline = models.DateField(_("hạn khóa tự chấm"), null=True, blank=True)
    round1_deadline = models.DateField(_("hạn thẩm định lần 1"), null=True, blank=True)
    explanation_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc để giải trình"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    round2_deadline = models.DateField(_("hạn thẩm định lần 2"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bộ tiêu chí Chỉ số CCHC")
        verbose_name_plural = _("bộ tiêu chí Chỉ số CCHC")
        ordering = ["-year", "province__name", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "group"],
                condition=models.Q(province__isnull=False),
                name="par_framework_one_per_province_year_group",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def decision_label(self) -> str:
        """ "Quyết định số 2345/QĐ-UBND ngày 28/12/2022" (what the framework stands on), or ""."""
        if not self.decision_number:
            return ""
        text = f"Quyết định số {self.decision_number}"
        if self.decision_date:
            text += f" ngày {self.decision_date:%d/%m/%Y}"
        return text


class FrameworkAppraiser(models.Model):
    """The agency that appraises the items of a role for this framework (the Sở Nội vụ's items need none: the
    province's aggregator appraises them)."""

    framework = models.ForeignKey(Framework, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE,
                                  related_name="appraisers")  # fmt: skip
    role = models.CharField(_("vai trò thẩm định"), max_length=24, choices=AppraiserRole.choices)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan thẩm định"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("cơ quan thẩm định")
        verbose_name_plural = _("cơ quan thẩm định")
        constraints = [models.UniqueConstraint(fields=["framework", "role"], name="par_appraiser_one_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.agency}"


class Item(models.Model):
    """A field (lĩnh vực), criterion (tiêu chí) or sub-criterion (tiêu chí thành phần): the tree is `parent`; an
    item without children is scored, a parent's points are its children's sum."""

    framework = models.ForeignKey(Framework, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE,
                                  related_name="items")  # fmt: skip
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc mục"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã"), max_length=32, help_text=_("Ví dụ 3.2.1; mã con bắt đầu bằng mã cha."))
    title = models.TextField(_("nội dung"))
    max_points = models.DecimalField(
        _("điểm tối đa"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    section = models.CharField(_("phần"), max_length=16, choices=Section.choices, default=Section.SCORED)
    rule = models.CharField(_("cách chấm"), max_length=16, choices=RuleKind.choices, default=RuleKind.MANUAL)
    rule_params = models.JSONField(_("tham số cách chấm"), default=dict, blank=True)
    evidence_required = models.TextField(_("tài liệu kiểm chứng"), blank=True)
    appraiser_role = models.CharField(
        _("cơ quan thẩm định"), max_length=24, choices=AppraiserRole.choices, default=AppraiserRole.HOME_AFFAIRS
    )
    evaluator = models.CharField(_("bộ đánh giá tự động"), max_length=64, blank=True)
    evaluator_params = models.JSONField(_("tham số đánh giá tự động"), default=dict, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["framework", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="par_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"


class Tier(models.Model):
    """A rating by index: the first tier (highest threshold first) whose threshold the index reaches."""

    framework = models.ForeignKey(Framework, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE,
                                  related_name="tiers")  # fmt: skip
    name = models.CharField(_("xếp loại"), max_length=64)
    min_index = models.DecimalField(
        _("chỉ số từ (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["framework", "-min_index"]
        constraints = [models.UniqueConstraint(fields=["framework", "name"], name="par_tier_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} (≥ {self.min_index} %)"
