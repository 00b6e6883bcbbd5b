"""Plans (kế hoạch) and their tasks (nhiệm vụ), the progress reported on them and the reminders sent (reports.md §3).

A plan is issued by a document of the registry (or, for a document not registered, its reference as written) and
holds a tree of tasks numbered as the plan writes them (I, 1, 1.1, a). Only the leaves are counted ("8/43 nội
dung"): a heading such as "I. Cải cách thể chế" groups tasks and is not one itself.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .deadlines import Deadline, DeadlineKind
from .rating import Progress, Rating, propose_rating


class PlanKind(models.TextChoices):
    CCHC_ANNUAL = "cchc", _("Kế hoạch cải cách hành chính năm")
    BUSINESS_ENVIRONMENT = "business_env", _("Kế hoạch cải thiện môi trường kinh doanh")
    FOCAL_TASKS = "focal", _("Nhiệm vụ trọng tâm của Giám đốc")
    APPROVED_TASKS = "approved", _("Nhiệm vụ chấp thuận")
    ISO = "iso", _("Kế hoạch ISO")
    PROVINCE_DIRECTIVES = "directives", _("Nhiệm vụ UBND tỉnh giao")
    OTHER = "other", _("Khác")


class Plan(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("loại kế hoạch"), max_length=16, choices=PlanKind.choices, default=PlanKind.CCHC_ANNUAL)
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    document_text = models.CharField(
        _("văn bản ban hành (như ghi)"),
        max_length=255,
        blank=True,
        help_text=_("Dùng khi văn bản chưa có trong sổ văn bản, ví dụ: Kế hoạch số 64/KH-SKHCN ngày 30/12/2022."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "kind", "title"]
        indexes = [models.Index(fields=["agency", "year", "kind"], name="plan_agency_year_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def document_label(self) -> str:
        if self.document_id:
            return str(self.document)
        return self.document_text


class Task(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("mục cha"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("số thứ tự"), max_length=16, help_text=_("Như kế hoạch ghi: I, 1, 1.1, a."))
    order = models.PositiveIntegerField(_("thứ tự hiển thị"), default=0)
    content = models.TextField(_("nội dung"))
    volume = models.TextField(_("sản phẩm, khối lượng"), blank=True, help_text=_("Ví dụ: 03 doanh nghiệp được hỗ trợ."))
    lead_unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("đơn vị chủ trì"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_plan_tasks",
    )
    lead_text = models.CharField(_("đơn vị chủ trì (như ghi)"), max_length=255, blank=True)
    cooperating_units = models.ManyToManyField(
        "agencies.Unit", verbose_name=_("đơn vị phối hợp"), blank=True, related_name="cooperating_plan_tasks"
    )
    cooperating_text = models.TextField(_("đơn vị phối hợp (như ghi)"), blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline_year = models.PositiveSmallIntegerField(_("năm của thời hạn"), null=True, blank=True)
    deadline_part = models.PositiveSmallIntegerField(
        _("tháng, quý hoặc nửa năm"), null=True, blank=True, help_text=_("Tháng 1-12, quý 1-4, 6 tháng 1-2.")
    )
    deadline_date = models.DateField(_("ngày hết hạn"), null=True, blank=True)
    deadline_text = models.CharField(_("thời gian hoàn thành (như ghi)"), max_length=255, blank=True)
    due_date = models.DateField(
        _("hạn cuối"),
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("Ngày cuối cùng của thời hạn, tính từ thời gian hoàn thành."),
    )
    progress = models.CharField(_("tiến độ"), max_length=16, choices=Progress.choices, default=Progress.NOT_STARTED)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    content_complete = models.BooleanField(
        _("nội dung đầy đủ"),
        default=True,
        help_text=_("Bỏ chọn khi nhiệm vụ xong đúng hạn nhưng nội dung chưa đầy đủ (mức Hoàn thành)."),
    )
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    evidence = models.ManyToManyField(
        "documents.Document", verbose_name=_("văn bản kiểm chứng"), blank=True, related_name="plan_tasks"
    )
    rating_proposed = models.CharField(
        _("đánh giá đề xuất"), max_length=16, choices=Rating.choices, default=Rating.NOT_DONE, editable=False
    )
    rating = models.CharField(
        _("đánh giá"),
        max_length=16,
        choices=Rating.choices,
        blank=True,
        help_text=_("Để trống để theo đánh giá đề xuất của hệ thống."),
    )
    rating_reason = models.TextField(_("lý do điều chỉnh đánh giá"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "parent", "code"], condition=Q(parent__isnull=False), name="task_code_unique_in_parent"
            ),
            # NULL parents are distinct in a unique index: the top level needs its own constraint.
            models.UniqueConstraint(
                fields=["plan", "code"], condition=Q(parent__isnull=True), name="task_code_unique_at_top"
            ),
            models.CheckConstraint(
                condition=~Q(progress=Progress.DONE) | Q(completed_on__isnull=False), name="task_done_has_date"
            ),
            models.CheckConstraint(
                condition=Q(rating="") | ~Q(rating_reason=""), name="task_rating_override_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["plan", "parent"], name="task_plan_parent_idx")]

    def __str__(self) -> str:
        content = " ".join(self.content.split())
        return f"{self.code}. {content[:120]}" if self.code else content[:120]

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"due_date", "rating_proposed", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def deadline(self) -> Deadline:
        return Deadline(
            kind=self.deadline_kind,
            year=self.deadline_year,
            part=self.deadline_part,
            date=self.deadline_date,
            text=self.deadline_text,
        )

    @deadline.setter
    def deadline(self, value: Deadline) -> None:
        self.deadline_kind = value.kind
        self.deadline_year = value.year
        self.deadline_part = value.part
        self.deadline_date = value.date
        self.deadline_text = value.text[:255] if value.text else value.label()[:255]

    @property
    def effective_rating(self) -> str:
        return self.rating or self.rating_proposed

    def refresh_derived(self, today: dt.date | None = None) -> None:
        """Recompute the stored due date and proposal from the deadline and progress."""
        self.due_date = self.deadline.due_date()
        self.rating_proposed = propose_rating(self, today or timezone.localdate())


class TaskUpdate(models.Model):
    """A dated progress report on a task ("Đã ban hành Kế hoạch 04/KH-SKHCN ngày 14/01/2020")."""

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung cập nhật"))
    progress = models.CharField(_("tiến độ"), max_length=16, choices=Progress.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["task", "-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.task.code}: {self.get_progress_display()}"


class TaskReminder(models.Model):
    """One reminder about an overdue task sent to its lead unit on one day (at most one per task per day)."""

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(
        "agencies.Unit", verbose_name=_("đơn vị nhận"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField(_("ngày nhắc"))
    email = models.EmailField(_("địa chỉ nhận"))
    sent_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)

    class Meta:
        verbose_name = _("thư nhắc nhiệm vụ")
        verbose_name_plural = _("thư nhắc nhiệm vụ")
        ordering = ["-sent_on", "task"]
        constraints = [models.UniqueConstraint(fields=["task", "sent_on"], name="task_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.sent_on:%d/%m/%Y} {self.task.code} -> {self.email}"
