"""The workflow's records. A received dossier gets one DossierStep per step of its procedure version's internal
process (copied, so a later edit of the process does not rewrite a running dossier); every move between steps is a
Handover (the rows of the Phiếu kiểm soát quá trình giải quyết hồ sơ). The rules of the moves are in this package's
other modules, not here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.agencies.models import Role
from cchc.procedures.models import StepTimeUnit

from ..models import Channel, Dossier


class StepState(models.TextChoices):
    WAITING = "waiting", _("Chưa đến lượt")
    QUEUED = "queued", _("Chờ nhận xử lý")
    ACTIVE = "active", _("Đang xử lý")
    DONE = "done", _("Đã hoàn thành")
    SENT_BACK = "sent_back", _("Bị trả lại")
    CANCELLED = "cancelled", _("Đã hủy")


class DossierStep(models.Model):
    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    definition = models.ForeignKey(
        "procedures.InternalStep",
        verbose_name=_("bước theo quy trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        "agencies.Unit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier_steps",
    )
    external_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan liên thông"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_name = models.CharField(_("cơ quan liên thông ngoài hệ thống"), max_length=255, blank=True)
    is_approval = models.BooleanField(_("bước phê duyệt kết quả"), default=False)
    state = models.CharField(_("trạng thái bước"), max_length=16, choices=StepState.choices, default=StepState.WAITING)
    duration = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2)
    duration_unit = models.CharField(
        _("đơn vị thời gian"), max_length=16, choices=StepTimeUnit.choices, default=StepTimeUnit.WORKING_DAYS
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True, blank=True)
    # Added by the workflow (ADR 0007): the single step given to a dossier whose procedure has no internal process;
    # whether the step's unit is "the unit holding the dossier" (resolved when the step is reached, so it does not
    # bind a leader to it); and the moment a supplement request paused the step's clock.
    is_default = models.BooleanField(_("bước mặc định (thủ tục chưa có quy trình nội bộ)"), default=False)
    unit_from_dossier = models.BooleanField(_("đơn vị là đơn vị đang giữ hồ sơ"), default=False)
    paused_at = models.DateTimeField(_("tạm dừng tính thời gian từ"), null=True, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("các bước xử lý hồ sơ")
        ordering = ["dossier", "position"]
        constraints = [models.UniqueConstraint(fields=["dossier", "position"], name="dossier_step_position_unique")]
        indexes = [
            # "Việc của tôi" and a unit's queue read only the steps in hand.
            models.Index(
                fields=["holder", "due_at"],
                condition=models.Q(state__in=["queued", "active"]),
                name="dossier_step_held",
            ),
            models.Index(
                fields=["unit", "due_at"],
                condition=models.Q(state__in=["queued", "active"]),
                name="dossier_step_unit_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier.code} – {self.position}. {self.name}"


class HandoverKind(models.TextChoices):
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    TAKE = "take", _("Nhận xử lý")
    REASSIGN = "reassign", _("Giao lại người xử lý")


class Handover(models.Model):
    """One hand-over: who handed the dossier, who received it, when, and whether the handed step kept its time."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(_("loại chuyển giao"), max_length=16, choices=HandoverKind.choices)
    from_step = models.ForeignKey(
        DossierStep, verbose_name=_("từ bước"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_step = models.ForeignKey(
        DossierStep, verbose_name=_("đến bước"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    from_unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("đơn vị giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("đơn vị nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm giao nhận"))
    note = models.TextField(_("ghi chú, lý do"), blank=True)
    on_time = models.BooleanField(_("bước giao đúng hạn"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)

    class Meta:
        verbose_name = _("chuyển giao hồ sơ")
        verbose_name_plural = _("chuyển giao hồ sơ")
        ordering = ["dossier", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier.code}: {self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class DossierResult(models.Model):
    """The result handed to the applicant: its document (through the registry), file, and how it was returned."""

    dossier = models.OneToOneField(Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="result")
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("số, ký hiệu kết quả"), max_length=64, blank=True)
    issued_on = models.DateField(_("ngày ký"), null=True, blank=True)
    file = models.FileField(_("tệp kết quả"), upload_to="ho-so/ket-qua/", blank=True, max_length=255)
    electronic = models.BooleanField(_("kết quả điện tử"), default=False)
    return_channel = models.PositiveSmallIntegerField(
        _("hình thức trả"), choices=Channel.choices, null=True, blank=True
    )
    returned_to = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")

    def __str__(self) -> str:
        return self.number or self.dossier.code
