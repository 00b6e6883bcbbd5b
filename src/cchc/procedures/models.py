"""The TTHC catalogue.

A Procedure row is one catalogue entry of an agency as it stood from `effective_from` until `abolished_on`.
When the province changes a procedure (a new processing time, a new online service type) the old row is closed
and a new row with the same code starts: a past period is counted with the rows in force then, and a dossier keeps
pointing at the row it was received under.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.datachanges import AnnouncingQuerySet
from cchc.text import fold, nfc


class Field(models.Model):
    """Lĩnh vực."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, blank=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    CENTRAL = "trung_uong", _("Trung ương")
    PROVINCE = "tinh", _("Cấp tỉnh")
    DISTRICT = "huyen", _("Cấp huyện")
    COMMUNE = "xa", _("Cấp xã")


class OnlineService(models.TextChoices):
    """Nghị định 42/2022/NĐ-CP Điều 11."""

    NONE = "none", _("Không cung cấp trực tuyến")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")


class LegacyOnlineLevel(models.IntegerChoices):
    """Nghị định 43/2011/NĐ-CP Điều 3 khoản 4, for periods before Nghị định 42/2022."""

    LEVEL_1 = 1, _("Mức độ 1")
    LEVEL_2 = 2, _("Mức độ 2")
    LEVEL_3 = 3, _("Mức độ 3")
    LEVEL_4 = 4, _("Mức độ 4")


class Interconnection(models.TextChoices):
    NONE = "none", _("Không liên thông")
    SAME_LEVEL = "same_level", _("Liên thông cùng cấp")
    CROSS_LEVEL = "cross_level", _("Liên thông giữa các cấp")


class DurationUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    DAYS = "days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    MONTHS = "months", _("tháng")


class SupplementClock(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng tính thời hạn trong thời gian bổ sung")
    RESTART = "restart", _("Tính lại thời hạn từ khi nhận đủ hồ sơ")


class ProcedureQuerySet(AnnouncingQuerySet, models.QuerySet):
    # Bulk writes announce the agencies whose catalogue they change (cchc.datachanges); save() sends post_save.

    def in_force_on(self, day: dt.date) -> ProcedureQuerySet:
        return self.filter(effective_from__lte=day).filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=day))

    def search(self, text: str) -> ProcedureQuerySet:
        """Diacritic-insensitive search on code and name: 'dang ky' finds 'đăng ký'."""
        folded = fold(text)
        if not folded:
            return self
        query = self
        for word in folded.split():
            query = query.filter(Q(search_text__contains=word))
        return query


class Procedure(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan thực hiện"), on_delete=models.PROTECT, related_name="procedures"
    )
    code = models.CharField(_("mã TTHC"), max_length=32, help_text=_("Mã trên CSDL quốc gia, ví dụ 1.004444."))
    local_code = models.CharField(_("mã áp dụng tại địa phương"), max_length=48, blank=True)
    name = models.TextField(_("tên thủ tục"))
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices, default=Level.PROVINCE)
    processing_time = models.DecimalField(_("thời hạn giải quyết theo quy định"), max_digits=7, decimal_places=1)
    reduced_processing_time = models.DecimalField(
        _("thời hạn sau cắt giảm"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Thời hạn do tỉnh quyết định cắt giảm; để trống nếu không cắt giảm."),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=DurationUnit.choices, default=DurationUnit.WORKING_DAYS
    )
    cutoff_time = models.TimeField(
        _("giờ chốt tiếp nhận trong ngày"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo (ví dụ 15:00)."),
    )
    supplement_clock = models.CharField(
        _("khi bổ sung hồ sơ"), max_length=8, choices=SupplementClock.choices, default=SupplementClock.PAUSE
    )
    online_service = models.CharField(
        _("dịch vụ công trực tuyến"), max_length=8, choices=OnlineService.choices, default=OnlineService.NONE
    )
    legacy_online_level = models.PositiveSmallIntegerField(
        _("mức độ DVCTT (NĐ 43/2011)"), choices=LegacyOnlineLevel.choices, null=True, blank=True
    )
    interconnection = models.CharField(
        _("liên thông"), max_length=16, choices=Interconnection.choices, default=Interconnection.NONE
    )
    one_stop = models.BooleanField(_("tiếp nhận qua bộ phận một cửa"), default=True)
    fees = models.TextField(_("phí, lệ phí"), blank=True)
    result_document = models.CharField(_("kết quả thực hiện"), max_length=255, blank=True)
    publishing_decision = models.CharField(
        _("quyết định công bố"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định 1234/QĐ-UBND ngày 01/6/2023."),
    )
    effective_from = models.DateField(_("hiệu lực từ"))
    abolished_on = models.DateField(
        _("bãi bỏ từ"), null=True, blank=True, help_text=_("Ngày thủ tục hết hiệu lực (không còn áp dụng).")
    )
    search_text = models.TextField(_("chuỗi tìm kiếm"), editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "effective_from"], name="procedure_version_unique"),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gt=models.F("effective_from")),
                name="procedure_abolished_after_effective",
            ),
        ]
        indexes = [models.Index(fields=["agency", "effective_from", "abolished_on"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        self.search_text = fold(f"{self.code} {self.local_code} {self.name}")
        super().save(*args, **kwargs)

    @property
    def applied_processing_time(self):
        """The time that binds the agency: the reduced time when the province decided one."""
        return self.reduced_processing_time if self.reduced_processing_time is not None else self.processing_time

    def is_in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.abolished_on is None or self.abolished_on > day)
