"""What makes figures cheap to read (docs/adr/0005-cheap-figures.md): a data version per agency, bumped in the
transaction of every change a figure can depend on, and results of statistics.service kept under the versions
they were computed from. A kept result is served only while every version it names is still current."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A counter that only grows: "agency:<id>" for the dossiers and the catalogue of one agency, "all" for what
    every agency's figures read (the fields' names, the national calendar)."""

    key = models.CharField(_("khóa"), max_length=64, primary_key=True)
    version = models.BigIntegerField(_("phiên bản dữ liệu"), default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu số liệu")
        verbose_name_plural = _("phiên bản dữ liệu số liệu")

    def __str__(self) -> str:
        return f"{self.key}: {self.version}"


class CachedFigures(models.Model):
    """One result of statistics.service for one scope (sorted agency ids), one range of days and one day counted
    up to (`as_of`: the period's end once it has ended, the day of computing before that)."""

    kind = models.CharField(_("loại số liệu"), max_length=16)
    scope = models.TextField(_("phạm vi (mã cơ quan)"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    as_of = models.DateField(_("tính đến ngày"))
    versions = models.TextField(_("phiên bản dữ liệu đã dùng"))
    payload = models.JSONField(_("số liệu"))
    computed_at = models.DateTimeField(_("tính lúc"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu đã tính sẵn")
        verbose_name_plural = _("số liệu đã tính sẵn")
        constraints = [
            models.UniqueConstraint(fields=["kind", "scope", "start", "end", "as_of"], name="cached_figures_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.scope} {self.start}..{self.end} ({self.as_of})"
