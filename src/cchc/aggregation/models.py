"""The aggregator's side of reporting: who reports to whom, reporting regimes and deadlines, the reports members
sent (submissions), the report files an aggregator imported and the figures they state.

These models moved here from cchc.reports (migration reports 0005 / aggregation 0001 moved them in Django's state
only): their tables keep the names they had, so no row moved.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.extraction.vocabulary import figure_label
from cchc.reports.models import Report
from cchc.statistics.periods import Period, parse_period

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
        db_table = "reports_aggregationgroup"
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
        db_table = "reports_reportingregime"
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
        db_table = "reports_submission"
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
    REPLACED = "replaced", _("Đã được thay thế")


class AgencySource(models.TextChoices):
    """How the reporting agency of an upload was set: read from the report, chosen by the person who uploaded it
    (or named on the command line), or not recognised (the upload waits on its uploader's desk until they choose)."""

    READ = "read", _("Nhận diện từ báo cáo")
    CHOSEN = "chosen", _("Người tải lên chọn")
    UNKNOWN = "unknown", _("Chưa xác định")


class ImportedReport(models.Model):
    """A report file read by the extractor and waiting for (or through) the officer's review. The file's SHA-256
    identifies it, so uploading the same file again finds this row instead of importing twice; its number, symbol,
    date and title identify the report itself, so the same report in another format (its PDF, a retyped text) is
    recognised and offered as a replacement of the earlier one."""

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
    agency_source = models.CharField(_("cách xác định cơ quan"), max_length=8, choices=AgencySource.choices,
                                     default=AgencySource.CHOSEN)  # fmt: skip
    # The document's text as read (one paragraph a line, table cells tab-separated): the review page shows it with
    # each figure's source sentence marked.
    text = models.TextField(_("nội dung văn bản"), blank=True)
    # The officer's corrections before confirming: {"figures": {key: "123.5" | None (removed)}}; the extracted data
    # stays as it was read.
    corrections = models.JSONField(_("sửa đổi khi rà soát"), default=dict, blank=True)
    # The report's identity (from its metadata, normalised) to recognise the same report in another file.
    doc_number = models.CharField(_("số văn bản"), max_length=32, blank=True)
    doc_symbol = models.CharField(_("ký hiệu văn bản"), max_length=64, blank=True)
    doc_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    title_key = models.CharField(_("trích yếu (rút gọn)"), max_length=255, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("được thay bằng"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="replaces",
    )  # fmt: skip

    class Meta:
        db_table = "reports_importedreport"
        verbose_name = _("báo cáo nhập từ tệp")
        verbose_name_plural = _("báo cáo nhập từ tệp")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "sha256"], name="imported_report_unique_file")]
        indexes = [models.Index(fields=["agency", "doc_symbol", "doc_number"], name="imported_report_identity")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def metadata(self) -> dict:
        return self.extracted.get("metadata") or {}

    @property
    def title(self) -> str:
        return self.metadata.get("title") or self.file_name

    @property
    def period_label(self) -> str:
        """ "Quý I năm 2023" for the pages (the key is for forms and links)."""
        if not self.period_key:
            return ""
        try:
            return parse_period(self.period_key).label
        except ValueError:
            return self.period_key


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
        db_table = "reports_reportedfigure"
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
        label = figure_label(self.key)
        return f"{self.agency}, {period}: {label} {number}"
