"""Form templates as data: one row per (regime, form, version) for the default shipped in defaults/, and the
variants a province or an agency made of it. Which one prints a dossier is decided in templates.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import Regime

from .catalogue import FormCode


class TemplateScope(models.TextChoices):
    DEFAULT = "default", _("Mẫu mặc định")
    PROVINCE = "province", _("Mẫu của tỉnh")
    AGENCY = "agency", _("Mẫu của cơ quan")


class FormTemplate(models.Model):
    regime = models.CharField(_("chế độ pháp lý"), max_length=16, choices=Regime.choices)
    form = models.CharField(_("biểu mẫu"), max_length=16, choices=FormCode.choices)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    valid_from = models.DateField(_("áp dụng cho hồ sơ nhận từ ngày"))
    province = models.ForeignKey(
        "agencies.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="form_templates",
    )
    text = models.TextField(_("nội dung mẫu"))
    note = models.CharField(_("ghi chú sửa đổi"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu biểu một cửa")
        verbose_name_plural = _("mẫu biểu một cửa")
        ordering = ["regime", "form", "version", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "form", "version"],
                condition=Q(agency__isnull=True, province__isnull=True),
                name="form_template_default_unique",
            ),
            models.UniqueConstraint(
                fields=["province", "regime", "form", "version"],
                condition=Q(agency__isnull=True, province__isnull=False),
                name="form_template_province_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "regime", "form", "version"],
                condition=Q(agency__isnull=False),
                name="form_template_agency_unique",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(province__isnull=True), name="form_template_one_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.get_regime_display()}, phiên bản {self.version})"

    @property
    def scope(self) -> str:
        if self.agency_id:
            return TemplateScope.AGENCY
        if self.province_id:
            return TemplateScope.PROVINCE
        return TemplateScope.DEFAULT

    def get_scope_display(self) -> str:
        return str(TemplateScope(self.scope).label)
