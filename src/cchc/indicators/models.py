"""Published governance indices and an agency's staff counts, the figures reports quote besides TTHC and plans.

Indices (reports.md §4): PAR Index (Chỉ số cải cách hành chính, Bộ Nội vụ), PAPI, PCI, SIPAS (satisfaction), PII
(innovation). A value belongs to a province and a year; with an agency it is that agency's own score (the
sub-indicators the province assigns to a Sở, or a department ranking). Staff counts are one row per agency and year
(biên chế được giao, hiện có, tuyển dụng, đào tạo bồi dưỡng), as the civil-service section of a CCHC report cites them.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    code = models.CharField(_("mã"), max_length=32, unique=True, help_text=_("Ví dụ PAR_INDEX, PAPI, PCI, SIPAS, PII."))
    name = models.CharField(_("tên chỉ số"), max_length=255)
    short_name = models.CharField(_("tên viết tắt trong báo cáo"), max_length=64, help_text=_("Ví dụ Chỉ số PII."))

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.code


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ số"), on_delete=models.PROTECT, related_name="values")
    province = models.ForeignKey(
        "agencies.Province", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="indicator_values"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text=_("Để trống với điểm của cả tỉnh; chọn cơ quan với điểm thành phần, xếp hạng của riêng cơ quan."),
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    score = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True, validators=[MinValueValidator(1)])
    rank_of = models.PositiveSmallIntegerField(
        _("trên tổng số"), null=True, blank=True, help_text=_("Ví dụ 63 tỉnh, thành phố.")
    )
    source = models.CharField(
        _("văn bản công bố"), max_length=500, blank=True, help_text=_("Ví dụ Quyết định số 1187/QĐ-BKHCN.")
    )

    class Meta:
        verbose_name = _("kết quả chỉ số")
        verbose_name_plural = _("kết quả chỉ số")
        ordering = ["indicator", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "province", "year"],
                condition=models.Q(agency__isnull=True),
                name="indicator_value_province_year",
            ),
            models.UniqueConstraint(fields=["indicator", "agency", "year"], name="indicator_value_agency_year"),
            models.CheckConstraint(
                condition=models.Q(rank__isnull=True)
                | models.Q(rank_of__isnull=True)
                | models.Q(rank__lte=models.F("rank_of")),
                name="indicator_value_rank_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.score}"


class StaffCount(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="staff_counts"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    approved_posts = models.PositiveIntegerField(_("biên chế được giao"))
    present = models.PositiveIntegerField(_("số hiện có"))
    recruited = models.PositiveIntegerField(_("số tuyển dụng trong năm"), default=0)
    trained = models.PositiveIntegerField(_("số lượt được đào tạo, bồi dưỡng"), default=0)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("biên chế, nhân sự")
        verbose_name_plural = _("biên chế, nhân sự")
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="staff_count_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"
