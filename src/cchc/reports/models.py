"""Report templates (outlines as data), reports, their sections and saved versions.

A template is an outline of numbered sections (I., 1., a), -, +); each section holds a narrative placeholder and may
name a computed block (blocks.py) whose figures come from the statistics service or the plans, never typed. Built-in
templates have no agency and are loaded from the JSON files of outlines/ (templates_registry.py); an agency edits a
copy (ReportTemplate.copy_for). A report copies the template's outline into its own sections when it is created, so
later changes to a template never rewrite a report already written.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.extraction.vocabulary import FIGURE_KEYS
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
        """An editable copy of this template for `agency` (same slug by default, so it replaces the built-in one
        for that agency when reports are created by slug)."""
        from .templates_registry import validate_outline

        clone = ReportTemplate(
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
        validate_outline(clone.outline, clone.appendices)
        clone.save()
        return clone


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


# --- roll-up: aggregators, reporting regimes, submissions, imported reports and the figures they state ------------


class AggregationGroup(models.Model):
    """The agencies an aggregator collects reports from (Sở Nội vụ: the departments of the province; a ministry: the
    provinces' departments of its sector). Without a group, members_of() falls back to the province or children."""

    aggregator = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan tổng hợp"), on_delete=models.CASCADE,
        related_name="aggregation_groups",
    )  # fmt: skip
    name = models.CharField(_("tên nhóm"), max_length=255)
    members = models.ManyToManyField("agencies.Agency", verbose_name=_("cơ quan báo cáo"), related_name="aggregated_by")

    class Meta:
        verbose_name = _("nhóm cơ quan báo cáo")
        verbose_name_plural = _("nhóm cơ quan báo cáo")
        ordering = ["aggregator", "name"]
        constraints = [models.UniqueConstraint(fields=["aggregator", "name"], name="aggregation_group_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def agency_id(self) -> int:
        return self.aggregator_id


class DeadlineRule(models.TextChoices):
    WORKING_DAYS = "working_days", _("Số ngày làm việc sau ngày chốt số liệu")
    DAY_OF_NEXT_MONTH = "day_of_month", _("Ngày cố định của tháng sau ngày chốt số liệu")


class ReportingRegime(models.Model):
    """When members must send a period's report. Data, not code: the deadline differs by province and by report
    (Nghị định 09/2019/NĐ-CP Điều 12 fixes the cut-off days; each province sets the sending day)."""

    aggregator = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan tổng hợp"), on_delete=models.CASCADE,
        related_name="reporting_regimes",
    )  # fmt: skip
    name = models.CharField(_("tên chế độ báo cáo"), max_length=255)
    period_kind = models.CharField(
        _("loại kỳ"), max_length=16, help_text=_("month, quarter, half, nine_months hoặc year.")
    )
    rule = models.CharField(_("cách tính hạn"), max_length=16, choices=DeadlineRule.choices,
                            default=DeadlineRule.WORKING_DAYS)  # fmt: skip
    days = models.PositiveSmallIntegerField(
        _("số ngày"), default=3, help_text=_("Số ngày làm việc sau ngày chốt, hoặc ngày của tháng sau ngày chốt.")
    )
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True, help_text=_("Văn bản quy định hạn gửi."))

    class Meta:
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")
        ordering = ["aggregator", "period_kind"]
        constraints = [models.UniqueConstraint(fields=["aggregator", "period_kind"], name="regime_unique_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def agency_id(self) -> int:
        return self.aggregator_id

    def deadline(self, period: Period, province=None) -> dt.date:
        """The last day to send the report of `period` (the cut-off is the period's last day)."""
        from cchc.calendar import add_working_days

        if self.rule == DeadlineRule.WORKING_DAYS:
            return add_working_days(period.end, self.days, province)
        year_, month_ = (period.end.year + 1, 1) if period.end.month == 12 else (period.end.year, period.end.month + 1)
        import calendar as std_calendar

        return dt.date(year_, month_, min(max(self.days, 1), std_calendar.monthrange(year_, month_)[1]))


class SubmissionSource(models.TextChoices):
    CCHC = "cchc", _("Báo cáo lập trên cchc")
    IMPORTED = "imported", _("Báo cáo nhập từ tệp")


class Submission(models.Model):
    """A member's report of one period as the aggregator received it, with the moment against the deadline."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan gửi"), on_delete=models.CASCADE, related_name="submissions"
    )
    aggregator = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan tổng hợp"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="received_submissions", help_text=_("Để trống: báo cáo nhập vào hệ thống, không gửi riêng ai."),
    )  # fmt: skip
    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="submissions",
    )  # fmt: skip
    imported = models.ForeignKey(
        "ImportedReport", verbose_name=_("báo cáo đã nhập"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="submissions",
    )  # fmt: skip
    source = models.CharField(_("nguồn"), max_length=16, choices=SubmissionSource.choices)
    period_key = models.CharField(_("kỳ báo cáo"), max_length=32)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    submitted_at = models.DateTimeField(_("thời điểm gửi"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    deadline = models.DateField(_("hạn gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo đã gửi")
        verbose_name_plural = _("báo cáo đã gửi")
        ordering = ["-period_end", "agency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "aggregator", "period_key"], condition=Q(aggregator__isnull=False),
                name="submission_unique_per_aggregator",
            ),
            # NULL aggregators are distinct in a unique index: imported reports need their own constraint.
            models.UniqueConstraint(
                fields=["agency", "period_key"], condition=Q(aggregator__isnull=True), name="submission_unique_imported"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.agency} – {self.period_key}"

    @property
    def late(self) -> bool:
        """Sent after the deadline's day (local time); no deadline set means never late."""
        from django.utils import timezone

        if self.deadline is None:
            return False
        return timezone.localtime(self.submitted_at).date() > self.deadline


class ImportStatus(models.TextChoices):
    PENDING = "pending_review", _("Chờ rà soát")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    DISCARDED = "discarded", _("Đã bỏ")


class ImportedReport(models.Model):
    """A report file read by the extractor and waiting for (or through) the officer's review. The file's SHA-256
    identifies it, so uploading the same file again finds this row instead of importing twice."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="imported_reports"
    )
    file_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    extracted = models.JSONField(_("dữ liệu trích xuất"), default=dict)
    period_key = models.CharField(_("kỳ báo cáo"), max_length=32, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ImportStatus.choices,
                              default=ImportStatus.PENDING)  # fmt: skip
    result = models.JSONField(_("kết quả nhập"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xác nhận"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo nhập từ tệp")
        verbose_name_plural = _("báo cáo nhập từ tệp")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "sha256"], name="imported_report_unique_file")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def metadata(self) -> dict:
        return self.extracted.get("metadata") or {}

    @property
    def title(self) -> str:
        return self.metadata.get("title") or self.file_name


class ReportedFigure(models.Model):
    """A figure an agency stated in a report (imported), kept apart from the figures cchc computes itself."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="reported_figures"
    )
    period_key = models.CharField(_("kỳ báo cáo"), max_length=32)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    key = models.CharField(_("chỉ tiêu"), max_length=64)
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4)
    source_sentence = models.TextField(_("câu nguồn"), blank=True)
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("mã băm tệp nguồn"), max_length=64)
    imported = models.ForeignKey(
        ImportedReport, verbose_name=_("báo cáo đã nhập"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="figures",
    )  # fmt: skip
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    # Set when an aggregator imported the report for its member: the figures are the aggregator's own record of
    # what the member reported (its roll-up reads them; the member's data and other aggregators' do not change).
    recorded_for = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan tổng hợp lưu số liệu"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="recorded_figures",
    )  # fmt: skip

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        ordering = ["agency", "-period_end", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period_key", "key", "source_sha256"], name="reported_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["period_key", "agency"], name="reported_figure_period_idx")]

    def __str__(self) -> str:
        # Shown on admin pages (the agency's delete confirmation lists these): words, never the key or "39.0000".
        try:
            period = parse_period(self.period_key).label
        except ValueError:
            period = self.period_key
        value = self.value.normalize() if self.value is not None else ""
        number = f"{value:f}".replace(".", ",") if value != "" else ""
        label = FIGURE_KEYS.get(self.key) or _("Số liệu khác của báo cáo")
        return f"{self.agency}, {period}: {label} {number}"
