"""The parameters of the QĐ 766 service index, as data, and the values imported from the national portal.

A ParameterSet is one version of the index (groups, indicators, points, thresholds, legal basis) valid from a day:
a revision of the weights or thresholds is a new set, or an edit of a set, in the admin, never a release. The set
shipped with cchc comes from data/qd766.json (parameters.load_file, called by migration 0002); a later file with
another code is loaded beside it, never over an edited set.

What an indicator counts (its measure) is code (cchc.serviceindex.measures); how the count becomes points (max,
threshold, cap, rounding, what an empty denominator gives, whether imported values are used) is here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class WhenEmpty(models.TextChoices):
    """What an indicator gives when nothing is counted (its denominator is 0)."""

    NOT_SCORED = "na", _("Không chấm (hiển thị không có dữ liệu, 0 điểm)")
    FULL = "full", _("Đủ điểm")
    ZERO = "zero", _("0 điểm")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Tính từ dữ liệu của cchc")
    IMPORTED = "imported", _("Chỉ lấy số liệu nhập từ Cổng DVCQG")
    IMPORTED_FIRST = "imported_first", _("Số liệu nhập nếu có, nếu không thì tính từ dữ liệu của cchc")


class Measure(models.TextChoices):
    """What an indicator counts; the definitions are in measures.py (and docs/service-index.md)."""

    PUBLISHED_ON_TIME = "published_on_time", _("TTHC công bố đúng hạn")
    PUBLICISED_ON_TIME = "publicised_on_time", _("TTHC công khai đúng hạn trên CSDL quốc gia")
    CATALOGUE_COMPLETE = "catalogue_complete", _("TTHC công khai đầy đủ nội dung")
    SYNCED = "synced", _("Hồ sơ đồng bộ lên Cổng DVCQG")
    ON_TIME = "on_time", _("Hồ sơ xử lý trước hạn, đúng hạn")
    FULL_ONLINE = "full_online", _("Hồ sơ trực tuyến toàn trình")
    ONLINE_PROCEDURES = "online_procedures", _("TTHC cung cấp dịch vụ công trực tuyến")
    ONLINE_SERVICES_USED = "online_services_used", _("Dịch vụ công trực tuyến có phát sinh hồ sơ")
    ONLINE_DOSSIERS = "online_dossiers", _("Hồ sơ nộp trực tuyến")
    FEE_PROCEDURES_INTEGRATED = "fee_procedures_integrated", _("TTHC có phí tích hợp thanh toán trực tuyến")
    FEE_PROCEDURES_PAID_ONLINE = "fee_procedures_paid_online", _("TTHC có phí phát sinh thanh toán trực tuyến")
    PAID_ONLINE = "paid_online", _("Hồ sơ thanh toán trực tuyến")
    ELECTRONIC_RESULT = "electronic_result", _("Hồ sơ có kết quả điện tử")
    DIGITISED = "digitised", _("Hồ sơ số hóa")
    COPY_CERTIFICATION = "copy_certification", _("Chứng thực bản sao điện tử (cấp xã)")
    REUSED = "reused", _("Hồ sơ dùng lại dữ liệu số hóa")
    NATIONAL_STORE = "national_store", _("Hồ sơ kết nối kho dữ liệu trên Cổng DVCQG")
    POPULATION_DOSSIERS = "population_dossiers", _("Hồ sơ sử dụng dữ liệu dân cư")
    POPULATION_PROCEDURES = "population_procedures", _("TTHC kết nối dữ liệu dân cư")
    FEEDBACK_ON_TIME = "feedback_on_time", _("Phản ánh, kiến nghị xử lý đúng hạn")
    FEEDBACK_SATISFACTION = "feedback_satisfaction", _("Hài lòng trong xử lý phản ánh, kiến nghị")
    DOSSIER_SATISFACTION = "dossier_satisfaction", _("Hài lòng trong tiếp nhận, giải quyết TTHC")


class ParameterSet(models.Model):
    code = models.CharField(_("mã bộ tham số"), max_length=64, unique=True)
    name = models.CharField(_("tên bộ tham số"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ"), help_text=_("Kỳ kết thúc từ ngày này dùng bộ tham số này."))
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    source_file = models.CharField(_("nạp từ tệp"), max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bộ tham số chỉ số 766")
        verbose_name_plural = _("bộ tham số chỉ số 766")
        ordering = ["-valid_from", "code"]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"


class GroupParameter(models.Model):
    parameter_set = models.ForeignKey(
        ParameterSet, verbose_name=_("bộ tham số"), on_delete=models.CASCADE, related_name="groups"
    )
    code = models.CharField(_("mã nhóm"), max_length=16)
    name = models.CharField(_("tên nhóm"), max_length=255)
    position = models.PositiveSmallIntegerField(_("thứ tự"))

    class Meta:
        verbose_name = _("nhóm chỉ số 766")
        verbose_name_plural = _("nhóm chỉ số 766")
        ordering = ["parameter_set", "position"]
        constraints = [models.UniqueConstraint(fields=["parameter_set", "code"], name="serviceindex_group_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class IndicatorParameter(models.Model):
    group = models.ForeignKey(
        GroupParameter, verbose_name=_("nhóm"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("mã chỉ số"), max_length=16, help_text=_("Ví dụ 2.1, 4.3."))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên chỉ số"), max_length=255)
    measure = models.CharField(_("cách đếm"), max_length=32, choices=Measure.choices)
    max_points = models.DecimalField(
        _("điểm tối đa"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    threshold = models.DecimalField(
        _("ngưỡng đạt điểm tối đa"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Tỷ lệ (0–1) từ đó được đủ điểm, ví dụ 0,8; để trống: điểm tỷ lệ thuận với tỷ lệ."),
    )
    cap = models.DecimalField(
        _("điểm trần"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Điểm không vượt quá mức này; để trống: bằng điểm tối đa."),
    )
    rounding = models.PositiveSmallIntegerField(
        _("số chữ số thập phân của điểm"), default=2, validators=[MaxValueValidator(4)]
    )
    when_empty = models.CharField(
        _("khi không có gì để tính"), max_length=8, choices=WhenEmpty.choices, default=WhenEmpty.NOT_SCORED
    )
    source = models.CharField(_("nguồn số liệu"), max_length=16, choices=Source.choices, default=Source.COMPUTED)
    options = models.JSONField(
        _("tham số của cách đếm"),
        default=dict,
        blank=True,
        help_text=_("Dạng JSON, ví dụ số lần yêu cầu bổ sung được phép của chỉ số 2.1."),
    )
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True, help_text=_("Hiển thị cạnh chỉ số, ví dụ giới hạn của dữ liệu."))

    class Meta:
        verbose_name = _("chỉ số 766")
        verbose_name_plural = _("chỉ số 766")
        ordering = ["group", "position"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="serviceindex_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class ImportedFigure(models.Model):
    """An indicator's numerator and denominator for an agency and a span of days, as the national portal (or the
    national TTHC database) reported them: what cchc cannot count itself (publication on time, ...)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="service_index_figures"
    )
    indicator_code = models.CharField(_("mã chỉ số"), max_length=16)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    numerator = models.DecimalField(_("tử số"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    denominator = models.DecimalField(_("mẫu số"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    source = models.CharField(_("nguồn"), max_length=255, help_text=_("Ví dụ: Cổng DVCQG, số liệu ngày 05/04/2023."))
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu chỉ số 766 nhập từ Cổng DVCQG")
        verbose_name_plural = _("số liệu chỉ số 766 nhập từ Cổng DVCQG")
        ordering = ["agency", "indicator_code", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "indicator_code", "start", "end"], name="serviceindex_imported_unique"
            ),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="serviceindex_imported_span"),
            models.CheckConstraint(
                condition=models.Q(numerator__lte=models.F("denominator")), name="serviceindex_imported_ratio"
            ),
        ]
        indexes = [models.Index(fields=["agency", "start"], name="serviceindex_imported_start")]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}: {self.numerator}/{self.denominator}"
