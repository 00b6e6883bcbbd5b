"""The TTHC catalogue.

A Procedure row is one catalogue entry of an agency as it stood from `effective_from` until `abolished_on`.
When the province changes a procedure (a new processing time, a new online service type) the old row is closed
and a new row with the same code starts: a past period is counted with the rows in force then, and a dossier keeps
pointing at the row it was received under.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.agencies.models import Role
from cchc.datachanges import AnnouncingQuerySet
from cchc.text import fold, nfc


class Field(models.Model):
    """Lĩnh vực."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, blank=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    CENTRAL = "trung_uong", _("Trung ương")
    PROVINCE = "tinh", _("Cấp tỉnh")
    DISTRICT = "huyen", _("Cấp huyện")
    COMMUNE = "xa", _("Cấp xã")


class OnlineService(models.TextChoices):
    """Nghị định 42/2022/NĐ-CP Điều 11."""

    NONE = "none", _("Không cung cấp trực tuyến")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")


class LegacyOnlineLevel(models.IntegerChoices):
    """Nghị định 43/2011/NĐ-CP Điều 3 khoản 4, for periods before Nghị định 42/2022."""

    LEVEL_1 = 1, _("Mức độ 1")
    LEVEL_2 = 2, _("Mức độ 2")
    LEVEL_3 = 3, _("Mức độ 3")
    LEVEL_4 = 4, _("Mức độ 4")


class Interconnection(models.TextChoices):
    NONE = "none", _("Không liên thông")
    SAME_LEVEL = "same_level", _("Liên thông cùng cấp")
    CROSS_LEVEL = "cross_level", _("Liên thông giữa các cấp")


class DurationUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    DAYS = "days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    MONTHS = "months", _("tháng")


class SupplementClock(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng tính thời hạn trong thời gian bổ sung")
    RESTART = "restart", _("Tính lại thời hạn từ khi nhận đủ hồ sơ")


class ResultKind(models.TextChoices):
    """What a procedure hands the applicant at the end."""

    LICENCE = "giay_phep", _("Giấy phép")
    CERTIFICATE = "giay_chung_nhan", _("Giấy chứng nhận")
    DECISION = "quyet_dinh", _("Quyết định")
    DOCUMENT = "van_ban", _("Văn bản")
    OTHER = "khac", _("Khác")


class FeeKind(models.TextChoices):
    FEE = "phi", _("Phí")
    CHARGE = "le_phi", _("Lệ phí")


class StepTimeUnit(models.TextChoices):
    """A step's share of the processing time: steps are budgeted in working days (often halves) or hours."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class ProcedureQuerySet(AnnouncingQuerySet, models.QuerySet):
    # Bulk writes announce the agencies whose catalogue they change (cchc.datachanges); save() sends post_save.

    def in_force_on(self, day: dt.date) -> ProcedureQuerySet:
        return self.filter(effective_from__lte=day).filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=day))

    def search(self, text: str) -> ProcedureQuerySet:
        """Diacritic-insensitive search on code and name: 'dang ky' finds 'đăng ký'."""
        folded = fold(text)
        if not folded:
            return self
        query = self
        for word in folded.split():
            query = query.filter(Q(search_text__contains=word))
        return query


class Procedure(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan thực hiện"), on_delete=models.PROTECT, related_name="procedures"
    )
    code = models.CharField(_("mã TTHC"), max_length=32, help_text=_("Mã trên CSDL quốc gia, ví dụ 1.004444."))
    local_code = models.CharField(_("mã áp dụng tại địa phương"), max_length=48, blank=True)
    name = models.TextField(_("tên thủ tục"))
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices, default=Level.PROVINCE)
    processing_time = models.DecimalField(_("thời hạn giải quyết theo quy định"), max_digits=7, decimal_places=1)
    reduced_processing_time = models.DecimalField(
        _("thời hạn sau cắt giảm"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Thời hạn do tỉnh quyết định cắt giảm; để trống nếu không cắt giảm."),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=DurationUnit.choices, default=DurationUnit.WORKING_DAYS
    )
    cutoff_time = models.TimeField(
        _("giờ chốt tiếp nhận trong ngày"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo (ví dụ 15:00)."),
    )
    supplement_clock = models.CharField(
        _("khi bổ sung hồ sơ"), max_length=8, choices=SupplementClock.choices, default=SupplementClock.PAUSE
    )
    online_service = models.CharField(
        _("dịch vụ công trực tuyến"), max_length=8, choices=OnlineService.choices, default=OnlineService.NONE
    )
    legacy_online_level = models.PositiveSmallIntegerField(
        _("mức độ DVCTT (NĐ 43/2011)"), choices=LegacyOnlineLevel.choices, null=True, blank=True
    )
    interconnection = models.CharField(
        _("liên thông"), max_length=16, choices=Interconnection.choices, default=Interconnection.NONE
    )
    one_stop = models.BooleanField(_("tiếp nhận qua bộ phận một cửa"), default=True)
    # The catalogue's flags the QĐ 766 service index reads (cchc.serviceindex): whether the procedure is eligible
    # for a full online service on the national TTHC database (whatever the agency offers), whether its fees are
    # integrated for online payment, and whether it ends with a written result (an electronic result is expected).
    full_online_eligible = models.BooleanField(
        _("đủ điều kiện cung cấp DVCTT toàn trình"),
        default=False,
        help_text=_("Theo CSDL quốc gia về TTHC; thủ tục đang cung cấp toàn trình được tính là đủ điều kiện."),
    )
    online_payment = models.BooleanField(
        _("tích hợp thanh toán trực tuyến"),
        default=False,
        help_text=_("Phí, lệ phí của thủ tục đã được tích hợp thanh toán trực tuyến trên Cổng DVCQG."),
    )
    written_result = models.BooleanField(
        _("kết quả là giấy tờ, văn bản"),
        default=True,
        help_text=_("Kết quả giải quyết là giấy tờ, văn bản (phải có bản điện tử theo QĐ 766)."),
    )
    fees = models.TextField(_("phí, lệ phí"), blank=True)
    result_document = models.CharField(_("kết quả thực hiện"), max_length=255, blank=True)
    result_kind = models.CharField(_("loại kết quả"), max_length=24, choices=ResultKind.choices, blank=True)
    internal_process_decision = models.CharField(
        _("quyết định phê duyệt quy trình nội bộ"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định 567/QĐ-UBND ngày 15/3/2024 (quy trình theo TCVN ISO 9001:2015)."),
    )
    publishing_decision = models.CharField(
        _("quyết định công bố"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định 1234/QĐ-UBND ngày 01/6/2023."),
    )
    effective_from = models.DateField(_("hiệu lực từ"))
    abolished_on = models.DateField(
        _("bãi bỏ từ"), null=True, blank=True, help_text=_("Ngày thủ tục hết hiệu lực (không còn áp dụng).")
    )
    search_text = models.TextField(_("chuỗi tìm kiếm"), editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "effective_from"], name="procedure_version_unique"),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gt=models.F("effective_from")),
                name="procedure_abolished_after_effective",
            ),
        ]
        indexes = [models.Index(fields=["agency", "effective_from", "abolished_on"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        self.search_text = fold(f"{self.code} {self.local_code} {self.name}")
        super().save(*args, **kwargs)

    @property
    def applied_processing_time(self):
        """The time that binds the agency: the reduced time when the province decided one."""
        return self.reduced_processing_time if self.reduced_processing_time is not None else self.processing_time

    def is_in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.abolished_on is None or self.abolished_on > day)


# --- the parts of one procedure version: components, fees, the internal procedure -------------------------------
# Each belongs to one Procedure row (one version): a new version starts with a copy of its predecessor's parts, so a
# dossier received under a version keeps reading the parts of that version.


class Component(models.Model):
    """Thành phần hồ sơ: one paper the applicant hands in."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="components"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    form_name = models.CharField(
        _("mẫu đơn, tờ khai"), max_length=255, blank=True, help_text=_("Ví dụ: Mẫu số 01 ban hành kèm theo Thông tư …")
    )
    form_file = models.FileField(_("tệp mẫu đơn"), upload_to="thu-tuc/mau-don/", blank=True, max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "position"]
        constraints = [models.UniqueConstraint(fields=["procedure", "position"], name="component_position_unique")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        super().save(*args, **kwargs)


class Fee(models.Model):
    """One fee or charge of a procedure: a fixed amount in đồng, or a rule when the amount depends on the case."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="fee_items"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=8, choices=FeeKind.choices, default=FeeKind.FEE)
    name = models.CharField(_("tên khoản thu"), max_length=255)
    amount = models.DecimalField(_("mức thu (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True)
    rule = models.TextField(_("cách tính"), blank=True, help_text=_("Khi mức thu không cố định, ví dụ theo diện tích."))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="fee_position_unique"),
            models.CheckConstraint(condition=Q(amount__isnull=False) | ~Q(rule=""), name="fee_amount_or_rule"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="fee_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class InternalStep(models.Model):
    """One step of the procedure's internal process (quy trình nội bộ), in order.

    The step is held by a role of the agency, in a unit when one is named (else the unit that holds the dossier), or by
    another agency (liên thông: one in cchc, or one outside named in words). Its duration is its share of the
    processing time; the approval step is where the result is approved (the leader who signs).
    """

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="internal_steps"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=16, choices=Role.choices, default=Role.OFFICER)
    unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("đơn vị thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: đơn vị đang giữ hồ sơ."),
    )
    duration = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2)
    duration_unit = models.CharField(
        _("đơn vị thời gian"), max_length=16, choices=StepTimeUnit.choices, default=StepTimeUnit.WORKING_DAYS
    )
    is_approval = models.BooleanField(_("bước phê duyệt kết quả"), default=False)
    external_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan liên thông"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_name = models.CharField(
        _("cơ quan liên thông ngoài hệ thống"), max_length=255, blank=True, help_text=_("Tên cơ quan không dùng cchc.")
    )

    class Meta:
        verbose_name = _("bước quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="internal_step_position_unique"),
            models.CheckConstraint(condition=Q(duration__gte=0), name="internal_step_duration_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    @property
    def is_external(self) -> bool:
        return self.external_agency_id is not None or bool(self.external_name)
