from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A day whose status differs from the national base calendar (the `holidays` package, country VN).

    With no province it applies nationwide (e.g. a Prime Minister's decision the package does not know yet);
    with a province only there.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKING_DAY = "working_day", _("Ngày làm việc thêm (làm bù)")

    province = models.ForeignKey(
        "agencies.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        help_text=_("Để trống nếu áp dụng toàn quốc."),
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên ngày"), max_length=200)
    decision = models.CharField(
        _("văn bản quyết định"), max_length=255, help_text=_("Ví dụ: Thông báo 9441/TB-BNV ngày 10/11/2025.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["province", "date"], name="calendar_override_unique"),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(province__isnull=True), name="calendar_override_unique_national"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"
