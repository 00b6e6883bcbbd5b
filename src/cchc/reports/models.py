"""Report templates (outlines as data), reports, their sections and saved versions.

A template is an outline of numbered sections (I., 1., a), -, +); each section holds a narrative placeholder and may
name a computed block (blocks.py) whose figures come from the statistics service or the plans, never typed. Built-in
templates have no agency and are loaded from the JSON files of outlines/ (templates_registry.py); an agency edits a
copy (templates_registry.save_copy). A report copies the template's outline into its own sections when it is created, so
later changes to a template never rewrite a report already written.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.statistics.periods import Period, date_range, parse_period


class TemplateKind(models.TextChoices):
    CCHC = "cchc", _("Báo cáo cải cách hành chính")
    FOCAL_TASKS = "focal", _("Báo cáo nhiệm vụ trọng tâm")
    BUSINESS_ENVIRONMENT = "business_env", _("Báo cáo cải thiện môi trường kinh doanh")
    OTHER = "other", _("Báo cáo khác")


class ReportTemplate(models.Model):
    slug = models.SlugField(_("mã mẫu"), max_length=64)
    name = models.CharField(_("tên mẫu"), max_length=255)
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=TemplateKind.choices, default=TemplateKind.CCHC)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_templates",
        help_text=_("Để trống: mẫu dựng sẵn của hệ thống."),
    )
    source = models.ForeignKey(
        "self", verbose_name=_("sao chép từ"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(_("mô tả"), blank=True)
    document_type = models.CharField(_("loại văn bản"), max_length=64, default="Báo cáo")
    excerpt_pattern = models.CharField(
        _("trích yếu"),
        max_length=500,
        help_text=_("Có thể dùng {period_label}, {period_label_lower}, {agency_name}, {year}."),
    )
    intro_pattern = models.TextField(_("đoạn mở đầu"), blank=True)
    closing_pattern = models.TextField(_("đoạn kết"), blank=True)
    outline = models.JSONField(_("dàn ý"), default=list)
    recipients = models.JSONField(_("nơi nhận mặc định"), default=list)
    archive_unit = models.CharField(_("đơn vị lưu"), max_length=64, blank=True)
    appendices = models.JSONField(_("phụ lục"), default=list)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")
        ordering = ["agency_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "slug"], condition=Q(agency__isnull=False), name="report_template_slug_in_agency"
            ),
            # NULL agencies are distinct in a unique index: built-ins need their own constraint.
            models.UniqueConstraint(fields=["slug"], condition=Q(agency__isnull=True), name="report_template_builtin"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.agency_id is None

    def copy_for(self, agency, *, slug: str | None = None, name: str | None = None) -> ReportTemplate:
        """An unsaved, editable copy of this template for `agency` (same slug by default, so it replaces the built-in
        one for that agency when reports are created by slug). templates_registry.copy_template validates and saves
        it: the outline's rules live there, beside the blocks they name."""
        return ReportTemplate(
            slug=slug or self.slug,
            name=name or self.name,
            kind=self.kind,
            agency=agency,
            source=self,
            description=self.description,
            document_type=self.document_type,
            excerpt_pattern=self.excerpt_pattern,
            intro_pattern=self.intro_pattern,
            closing_pattern=self.closing_pattern,
            outline=copy.deepcopy(self.outline),
            recipients=list(self.recipients),
            archive_unit=self.archive_unit,
            appendices=copy.deepcopy(self.appendices),
        )


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình duyệt")
    APPROVED = "approved", _("Đã phê duyệt")


class Report(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="reports"
    )
    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("mẫu báo cáo"), on_delete=models.PROTECT, related_name="reports"
    )
    # The period as statistics.periods.Period: the key reads it back (parse_period), start/end/kind serve queries.
    period_key = models.CharField(_("kỳ báo cáo"), max_length=32)
    period_mode = models.CharField(_("cách tính kỳ"), max_length=16, default="nd09")
    period_kind = models.CharField(_("loại kỳ"), max_length=16)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    period_label = models.CharField(_("tên kỳ"), max_length=64)
    title = models.CharField(_("trích yếu"), max_length=500)
    intro = models.TextField(_("đoạn mở đầu"), blank=True)
    closing = models.TextField(_("đoạn kết"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người trình"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("thời điểm trình"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người duyệt"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("thời điểm duyệt"), null=True, blank=True)
    number = models.CharField(_("số"), max_length=32, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=64, blank=True, help_text=_("Ví dụ BC-SKHCN."))
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("văn bản trong sổ"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reports",
    )  # fmt: skip
    signing_form = models.CharField(_("thẩm quyền ký"), max_length=8, blank=True, help_text=_("KT., TM., TL., ..."))
    signing_authority = models.CharField(
        _("chức danh người đứng đầu"), max_length=128, blank=True, help_text=_("Ví dụ: Giám đốc (sau KT.).")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=128, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=128, blank=True)
    # The leader chosen to sign (their name and position print in the signature block); without one the approving
    # leader signs, and a draft leaves the name line empty for a wet signature.
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lãnh đạo ký"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    archive_unit = models.CharField(_("đơn vị lưu"), max_length=64, blank=True)
    appendices = models.JSONField(_("phụ lục"), default=list, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    # While submitted or approved, the report is this version: its figures and files as they were at that moment.
    frozen_version = models.ForeignKey(
        "ReportVersion", verbose_name=_("phiên bản đã chốt"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period_end", "agency_id", "-pk"]
        indexes = [models.Index(fields=["agency", "period_end"], name="report_agency_period_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> Period:
        if self.period_mode == "range":
            return date_range(self.period_start, self.period_end)
        return parse_period(self.period_key, self.period_mode)

    @property
    def year(self) -> int:
        return self.period.year or self.period_end.year

    @property
    def as_of(self) -> dt.date:
        """The day plan figures are counted at: the period's last day, or today while the period is running."""
        from django.utils import timezone

        return min(self.period_end, timezone.localdate())

    @property
    def is_locked(self) -> bool:
        return self.status != ReportStatus.DRAFT


class ReportSection(models.Model):
    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("khóa"), max_length=64)
    number = models.CharField(_("số mục"), max_length=16, blank=True)
    heading = models.CharField(_("tiêu đề"), max_length=500, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp"), default=1)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    block = models.CharField(_("số liệu tự động"), max_length=64, blank=True)
    options = models.JSONField(_("tùy chọn"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(_("sửa lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mục báo cáo")
        verbose_name_plural = _("mục báo cáo")
        ordering = ["report", "order"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="report_section_key_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}".strip()

    @property
    def agency_id(self) -> int:
        return self.report.agency_id

    @property
    def blocks(self) -> list[str]:
        """The computed blocks of this section, in order ("tthc_catalogue,dossier_results")."""
        return [name.strip() for name in self.block.split(",") if name.strip()]


class ReportVersion(models.Model):
    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=ReportStatus.choices)
    snapshot = models.JSONField(_("nội dung"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # Kept when the report is submitted and when it is approved (freeze.py): the computed figures and the files,
    # served byte for byte while the report stays in that state.
    figures = models.JSONField(_("số liệu đã chốt"), default=dict, blank=True)
    docx = models.BinaryField(_("tệp .docx"), null=True, blank=True)
    xlsx = models.BinaryField(_("tệp .xlsx"), null=True, blank=True)
    pdf = models.BinaryField(_("tệp PDF"), null=True, blank=True)
    pdf_error = models.CharField(_("lỗi tạo PDF"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lưu"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("thời điểm lưu"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["report", "-version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} – v{self.version}"

    @property
    def agency_id(self) -> int:
        return self.report.agency_id


class ReportDataChange(models.Model):
    """A change to data inside the period of a submitted or approved report, recorded with its reason (freeze.py):
    the report's page lists them under "Số liệu đã thay đổi sau khi báo cáo được duyệt"."""

    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="data_changes"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    description = models.CharField(_("thay đổi"), max_length=255)
    moment = models.DateTimeField(_("thời điểm của dữ liệu"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("số hồ sơ"), default=1)
    reason = models.TextField(_("lý do"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi số liệu kỳ đã báo cáo")
        verbose_name_plural = _("thay đổi số liệu kỳ đã báo cáo")
        ordering = ["report", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} – {self.description}"

    @property
    def agency_id(self) -> int:
        return self.report.agency_id
