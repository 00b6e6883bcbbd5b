"""An agency's score sheet for a framework: one row per scored item with the three scores (self-assessment, appraisal
rounds 1 and 2), the notes, cchc's proposal and the evidence attached. The phase of the sheet and the moves between
phases are in workflow.py; every change goes through sheets.py, which audits it against the sheet."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .frameworks import Framework, Item


class Phase(models.TextChoices):
    DRAFTING = "drafting", _("Đang tự chấm")
    SELF_LOCKED = "self_locked", _("Đã khóa tự chấm, chờ thẩm định")
    ROUND1 = "round1", _("Thẩm định lần 1")
    EXPLANATION = "explanation", _("Giải trình")
    ROUND2 = "round2", _("Thẩm định lần 2")
    COUNCIL = "council", _("Chờ Hội đồng thẩm định")
    FINAL = "final", _("Kết quả chính thức")


class Sheet(models.Model):
    framework = models.ForeignKey(Framework, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT,
                                  related_name="sheets")  # fmt: skip
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="par_sheets")  # fmt: skip
    phase = models.CharField(_("giai đoạn"), max_length=16, choices=Phase.choices, default=Phase.DRAFTING)
    data_version = models.CharField(_("phiên bản dữ liệu của đề xuất"), max_length=255, blank=True)
    proposals_at = models.DateTimeField(_("đề xuất tính lúc"), null=True, blank=True)
    self_locked_at = models.DateTimeField(_("khóa tự chấm lúc"), null=True, blank=True)
    explanation_until = models.DateField(_("hạn giải trình"), null=True, blank=True)
    final_decision = models.CharField(_("quyết định công bố kết quả"), max_length=255, blank=True)
    final_at = models.DateTimeField(_("công bố kết quả lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bảng điểm Chỉ số CCHC")
        verbose_name_plural = _("bảng điểm Chỉ số CCHC")
        ordering = ["-framework__year", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["framework", "agency"], name="par_sheet_one_per_agency")]

    def __str__(self) -> str:
        return f"Bảng điểm {self.framework.year or ''} – {self.agency}".replace("  ", " ")


class Basis(models.TextChoices):
    """How the self-assessment score relates to cchc's proposal."""

    NONE = "", _("Không có đề xuất")
    ACCEPTED = "accepted", _("Theo đề xuất của cchc")
    OVERRIDDEN = "overridden", _("Khác đề xuất của cchc")


class ItemScore(models.Model):
    sheet = models.ForeignKey(Sheet, verbose_name=_("bảng điểm"), on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="scores")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người chuẩn bị"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    self_points = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("ghi chú, giải trình của cơ quan"), blank=True)
    basis = models.CharField(_("căn cứ điểm tự chấm"), max_length=16, choices=Basis.choices, blank=True)
    override_reason = models.TextField(_("lý do khác đề xuất"), blank=True)
    proposed_points = models.DecimalField(_("điểm cchc đề xuất"), max_digits=6, decimal_places=2, null=True,
                                          blank=True)  # fmt: skip
    proposal = models.JSONField(_("căn cứ đề xuất"), default=dict, blank=True)
    proposal_version = models.CharField(_("phiên bản dữ liệu của đề xuất"), max_length=255, blank=True)
    round1_points = models.DecimalField(_("điểm thẩm định lần 1"), max_digits=6, decimal_places=2, null=True,
                                        blank=True)  # fmt: skip
    round1_note = models.TextField(_("ý kiến thẩm định lần 1"), blank=True)
    round1_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thẩm định lần 1"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    round1_at = models.DateTimeField(_("thẩm định lần 1 lúc"), null=True, blank=True)
    explanation = models.TextField(_("giải trình sau thẩm định lần 1"), blank=True)
    explained_at = models.DateTimeField(_("giải trình lúc"), null=True, blank=True)
    round2_points = models.DecimalField(_("điểm thẩm định lần 2"), max_digits=6, decimal_places=2, null=True,
                                        blank=True)  # fmt: skip
    round2_note = models.TextField(_("ý kiến thẩm định lần 2"), blank=True)
    round2_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thẩm định lần 2"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    round2_at = models.DateTimeField(_("thẩm định lần 2 lúc"), null=True, blank=True)
    # Optimistic locking: a form carries the version it was read at; saving a stale one is refused (sheets.py).
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["sheet", "item__order", "item__pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "item"], name="par_score_one_per_item")]

    def __str__(self) -> str:
        return f"{self.item.code} – {self.sheet.agency}"

    @property
    def agency_id(self) -> int:
        # For cchc.audit.record and the scoping helpers: a score belongs to its sheet's agency.
        return self.sheet.agency_id


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp đính kèm")
    LINK = "link", _("Đường dẫn")
    OBJECT = "object", _("Dữ liệu trong cchc")


class EvidenceStage(models.TextChoices):
    SELF = "self", _("Khi tự chấm")
    EXPLANATION = "explanation", _("Khi giải trình")


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    sheet = instance.score.sheet
    return f"parindex/{sheet.agency.code}/{sheet.framework.year or 'mau'}/{Path(filename).name}"


class Evidence(models.Model):
    """One piece of evidence (tài liệu kiểm chứng) of an item: an uploaded file, a link, or a cchc object (a
    document, a plan, a report...) named by its model and id and shown with its label."""

    score = models.ForeignKey(ItemScore, verbose_name=_("điểm tiêu chí"), on_delete=models.CASCADE,
                              related_name="evidence")  # fmt: skip
    kind = models.CharField(_("loại"), max_length=8, choices=EvidenceKind.choices)
    stage = models.CharField(_("thời điểm bổ sung"), max_length=16, choices=EvidenceStage.choices,
                             default=EvidenceStage.SELF)  # fmt: skip
    title = models.CharField(_("tên tài liệu"), max_length=500)
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, blank=True, max_length=255)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    ref_model = models.CharField(_("loại dữ liệu"), max_length=64, blank=True)
    ref_pk = models.PositiveBigIntegerField(_("mã dữ liệu"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người bổ sung"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    added_at = models.DateTimeField(_("bổ sung lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["score", "added_at", "pk"]

    def __str__(self) -> str:
        return self.title
