"""Dossiers (hồ sơ) and their event history.

The columns the period statistics read are stored on the dossier itself and kept up to date by the lifecycle
(dossiers/lifecycle.py) whenever an event is recorded: received_at/received_on, due_at/due_date (the legal due
moment, moved by supplement pauses, never by an apology), ended_at/ended_on and outcome. The statistics then
count with plain indexed comparisons, even over millions of rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections, models, transaction
from django.utils.translation import gettext_lazy as _

from cchc.datachanges import AnnouncingQuerySet, written
from cchc.text import fold


class Channel(models.IntegerChoices):
    """Codes of the national public service portal (DVCQG KenhThucHien)."""

    DIRECT = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Bưu chính công ích")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
    HOUSEHOLD_BUSINESS = "household", _("Hộ kinh doanh")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROCESS = "in_process", _("Đang xử lý")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Chờ bổ sung hồ sơ")
    RESOLVED = "resolved", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


class NationalStatus(models.IntegerChoices):
    """DVCQG synchronisation status codes (TrangThaiHoSo, tthc-details.md §1.10)."""

    REGISTERED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    NOT_RECEIVED = 3, _("Không được tiếp nhận")
    IN_PROCESS = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
    PAYMENT_REQUESTED = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    RESOLVED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


# Status -> DVCQG synchronisation status.
NATIONAL_STATUS = {
    Status.RECEIVED: NationalStatus.RECEIVED,
    Status.IN_PROCESS: NationalStatus.IN_PROCESS,
    Status.WAITING_SUPPLEMENT: NationalStatus.SUPPLEMENT_REQUESTED,
    Status.RESOLVED: NationalStatus.RESOLVED,
    Status.RETURNED: NationalStatus.RETURNED,
    Status.REFUSED: NationalStatus.STOPPED,
    Status.WITHDRAWN: NationalStatus.WITHDRAWN,
}


class Outcome(models.TextChoices):
    """How processing ended (the moment stored in ended_at)."""

    RESOLVED = "resolved", _("Giải quyết xong")
    REFUSED = "refused", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")


class PaymentGateway(models.IntegerChoices):
    """How the fees of a dossier were paid (DVCQG DuocThanhToanTrucTuyen: 0 not online, 1 on the national portal's
    payment platform, 2 through the province's payment gateway)."""

    NOT_ONLINE = 0, _("Không thanh toán trực tuyến")
    NATIONAL = 1, _("Thanh toán trực tuyến qua Cổng DVCQG")
    PROVINCIAL = 2, _("Thanh toán trực tuyến qua cổng thanh toán của tỉnh")


class Regime(models.TextChoices):
    ND61 = "nd61_2018", _("Nghị định 61/2018/NĐ-CP")
    ND118 = "nd118_2025", _("Nghị định 118/2025/NĐ-CP")


# The columns Dossier.search_text is folded from.
SEARCH_SOURCES = frozenset({"code", "national_code", "applicant_name", "applicant_id_number"})


def search_text_for(code: str, applicant_name: str, applicant_id_number: str = "", national_code: str = "") -> str:
    """The folded search column of a dossier: what the list's search box matches, word by word.

    The national portal's code is in it too, so that one indexed condition serves every search: an OR with another
    column would make PostgreSQL read the whole table."""
    return fold(f"{code} {national_code} {applicant_name} {applicant_id_number}")


def fill_search_text(model: type[models.Model] | None = None, *, using: str = "default", batch_size: int = 5000) -> int:
    """Fill search_text where it is empty (dossiers written before the column existed); returns the rows filled.

    Walks the table in primary-key order, one batch at a time, so a million rows never sit in memory. `model` is the
    migration's historical Dossier, or the current one.
    """
    model = model or Dossier
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    rows = model._default_manager.using(using).filter(search_text="").order_by("pk")
    filled, last = 0, 0
    while True:
        batch = list(
            rows.filter(pk__gt=last).values_list(
                "pk", "code", "applicant_name", "applicant_id_number", "national_code"
            )[:batch_size]
        )
        if not batch:
            return filled
        last = batch[-1][0]
        ids = [row[0] for row in batch]
        texts = [search_text_for(*row[1:]) for row in batch]
        if connection.vendor == "postgresql":
            # One statement per batch: bulk_update's CASE WHEN grows with the square of the batch.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS d SET search_text = v.text "
                    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, text) WHERE d.id = v.id",
                    [ids, texts],
                )
        else:
            model._default_manager.using(using).bulk_update(
                [model(pk=pk, search_text=text) for pk, text in zip(ids, texts, strict=True)],
                ["search_text"],
                batch_size=500,
            )
        filled += len(batch)


class DossierQuerySet(AnnouncingQuerySet, models.QuerySet):
    """Bulk writes skip save(): they announce the agencies they change (cchc.datachanges) in their transaction, so
    the figures kept for those agencies are not served any more."""


class Dossier(models.Model):
    # No single-column indexes where a composite one starts with the column, or nothing looks rows up by it:
    # each index costs every insert (imports write millions of rows).
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,
    )
    code = models.CharField(_("mã hồ sơ"), max_length=64)
    national_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=64, blank=True)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,  # the (procedure, received_at) index serves lookups by procedure
    )
    regime = models.CharField(_("chế độ pháp lý"), max_length=16, choices=Regime.choices, default=Regime.ND118)

    applicant_kind = models.CharField(
        _("loại chủ hồ sơ"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=32, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    summary = models.CharField(_("trích yếu nội dung"), max_length=500, blank=True)

    channel = models.PositiveSmallIntegerField(_("kênh tiếp nhận"), choices=Channel.choices, default=Channel.DIRECT)
    result_channel = models.PositiveSmallIntegerField(
        _("hình thức nhận kết quả"), choices=Channel.choices, default=Channel.DIRECT
    )
    digitised = models.BooleanField(_("hồ sơ đã số hóa"), default=False)
    result_digitised = models.BooleanField(_("kết quả đã số hóa"), default=False)

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_on = models.DateField(_("ngày tiếp nhận"), editable=False)
    due_at = models.DateTimeField(_("hạn giải quyết"))
    due_date = models.DateField(_("ngày hẹn trả"), editable=False)
    promised_date = models.DateField(_("ngày hẹn lại (sau xin lỗi)"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, default=Status.RECEIVED)
    current_unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("đơn vị đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    supplement_requests = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    paused_at = models.DateTimeField(
        _("tạm dừng tính thời hạn từ"),
        null=True,
        blank=True,
        help_text=_("Thời điểm yêu cầu bổ sung đang chờ công dân; để trống khi không tạm dừng."),
    )
    ended_at = models.DateTimeField(_("thời điểm kết thúc xử lý"), null=True, blank=True)
    ended_on = models.DateField(_("ngày kết thúc xử lý"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("kết quả xử lý"), max_length=16, choices=Outcome.choices, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)

    # What the QĐ 766 service index reads besides the columns above (cchc.serviceindex; docs/service-index.md). Set by
    # reception from its checklist and fees, or imported from the one-stop system that recorded them. The details
    # stay where they were: FeePayment rows, ReceivedComponent lines, DossierResult.electronic.
    fees_due = models.DecimalField(
        _("phí, lệ phí phải nộp (đồng)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("Để trống khi không ghi nhận: khi đó thủ tục có phí, lệ phí hay không quyết định."),
    )
    fees_paid = models.DecimalField(_("phí, lệ phí đã nộp (đồng)"), max_digits=14, decimal_places=0, default=0)
    payment_gateway = models.PositiveSmallIntegerField(
        _("thanh toán trực tuyến"), choices=PaymentGateway.choices, default=PaymentGateway.NOT_ONLINE
    )
    digitised_components = models.PositiveSmallIntegerField(_("số thành phần hồ sơ đã số hóa"), default=0)
    reused_components = models.PositiveSmallIntegerField(
        _("số thành phần dùng lại từ dữ liệu đã số hóa"),
        default=0,
        help_text=_("Thành phần người nộp không phải nộp lại vì đã khai thác từ dữ liệu số hóa."),
    )
    national_store_linked = models.BooleanField(
        _("kết nối Kho quản lý dữ liệu điện tử trên Cổng DVCQG"),
        default=False,
        help_text=_("Có thành phần lấy từ kho dữ liệu của người nộp trên Cổng DVCQG, hoặc kết quả đã đưa vào kho."),
    )
    population_data_used = models.BooleanField(
        _("sử dụng dữ liệu dân cư"),
        default=False,
        help_text=_("Tài khoản định danh điện tử (VNeID) hoặc dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư."),
    )
    synced_at = models.DateTimeField(_("đồng bộ lên Cổng DVCQG lúc"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # Code, national code, applicant and identity number folded (cchc.text.fold) for the diacritic-insensitive list
    # search. Kept by save() and written directly by the bulk paths (importer, demo --large), which call
    # search_text_for. On PostgreSQL a trigram GIN index (migration 0005) serves the "contains" look-ups.
    search_text = models.TextField(_("chuỗi tìm kiếm"), default="", editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="dossier_code_unique_in_agency")]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received"),
            # The period statistics compare local dates (statistics/classification.py).
            models.Index(fields=["agency", "received_on"], name="dossier_agency_received_on"),
            models.Index(fields=["agency", "ended_on"], name="dossier_agency_ended_on"),
            models.Index(fields=["agency", "ended_at"], name="dossier_agency_ended"),
            models.Index(fields=["agency", "status", "due_date"], name="dossier_agency_status_due"),
            models.Index(fields=["procedure", "received_at"], name="dossier_procedure_received"),
            # The receive page offers an applicant's earlier details from their identity number (reception.py).
            models.Index(
                fields=["agency", "applicant_id_number"],
                condition=~models.Q(applicant_id_number=""),
                name="dossier_agency_applicant_id",
            ),
            # The list sorted by due moment or by applicant (dossiers/worklists.py): keyset pages read in index order.
            models.Index(fields=["agency", "due_at"], name="dossier_agency_due_at"),
            models.Index(fields=["agency", "applicant_name"], name="dossier_agency_applicant"),
            # The open dossiers by due day: the dashboard's overdue card and list and the list's "quá hạn" filter
            # read only the open rows past their due day. Partial, so the ended rows an import writes cost nothing.
            models.Index(
                fields=["agency", "due_date"], condition=models.Q(ended_on__isnull=True), name="dossier_open_due"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_text_for(self.code, self.applicant_name, self.applicant_id_number, self.national_code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and SEARCH_SOURCES & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            written(Dossier, {self.agency_id, getattr(self, "_loaded_agency_id", None)})
        self._loaded_agency_id = self.agency_id

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            agency_id = self.agency_id
            deleted = super().delete(*args, **kwargs)
            written(Dossier, {agency_id})
        return deleted

    @classmethod
    def from_db(cls, db, field_names, values):
        dossier = super().from_db(db, field_names, values)
        # The agency it was read with: a save that moves it changes the figures of both agencies.
        dossier._loaded_agency_id = dossier.__dict__.get("agency_id")
        return dossier

    @property
    def national_status(self) -> NationalStatus:
        return NATIONAL_STATUS[Status(self.status)]

    @property
    def national_status_display(self) -> str:
        """Code and label, as the portal's officers know both: "8 – Dừng xử lý"."""
        status = self.national_status
        return f"{int(status)} – {status.label}"

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận hồ sơ")
    ASSIGNED = "assigned", _("Chuyển đơn vị xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENTED = "supplemented", _("Đã bổ sung hồ sơ")
    APOLOGY_ISSUED = "apology_issued", _("Xin lỗi và hẹn lại ngày trả kết quả")
    RESOLVED = "resolved", _("Có kết quả giải quyết")
    RESULT_RETURNED = "result_returned", _("Trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


class DossierEvent(models.Model):
    # Looked up through the (dossier, at) index; actor and unit are only displayed.
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(_("sự kiện"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    unit = models.ForeignKey(
        "agencies.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    note = models.TextField(_("ghi chú, lý do"), blank=True)
    new_promised_date = models.DateField(_("ngày hẹn trả mới"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"])]

    def __str__(self) -> str:
        return f"{self.dossier.code}: {self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class CodeSequence(models.Model):
    """The last number handed out for one sequence key (by default: one agency, one day).

    A counter that only grows, so a code is never handed out twice, even after its dossier was deleted; its row is
    locked while a number is taken, so concurrent receipts wait for each other instead of colliding.
    """

    key = models.CharField(_("khóa dãy số"), max_length=128, unique=True)
    last = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("dãy số mã hồ sơ")
        verbose_name_plural = _("dãy số mã hồ sơ")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


# --- what the desk took in at reception ----------------------------------------------------------------------------


class ReceivedComponent(models.Model):
    """One line of the reception checklist: a component of the procedure (or one the clerk added) as handed in."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="received_components"
    )
    component = models.ForeignKey(
        "procedures.Component",
        verbose_name=_("thành phần theo quy định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(
        _("dùng lại dữ liệu đã số hóa"), default=False, help_text=_("Không phải nộp lại: đã có trong dữ liệu số hóa.")
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ đã nhận")
        verbose_name_plural = _("thành phần hồ sơ đã nhận")
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="received_component_position_unique")
        ]

    def __str__(self) -> str:
        return self.name


class FeePayment(models.Model):
    """A fee or charge collected for a dossier, with its receipt (biên lai) number."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="fee_payments")
    fee = models.ForeignKey(
        "procedures.Fee",
        verbose_name=_("khoản thu theo quy định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("khoản thu"), max_length=255)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=14, decimal_places=0)
    receipt_number = models.CharField(_("số biên lai"), max_length=64, blank=True)
    paid_online = models.BooleanField(_("thanh toán trực tuyến"), default=False)
    paid_at = models.DateTimeField(_("thời điểm nộp"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("khoản phí, lệ phí đã thu")
        verbose_name_plural = _("phí, lệ phí đã thu")
        ordering = ["dossier", "paid_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="fee_payment_not_negative")]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


# The internal-procedure workflow keeps its models in dossiers/workflow/models.py; importing them here registers
# them with this app.
from .workflow.models import DossierResult, DossierStep, Handover, HandoverKind, StepState  # noqa: E402

__all__ = [
    "ApplicantKind",
    "Channel",
    "CodeSequence",
    "Dossier",
    "DossierEvent",
    "DossierResult",
    "DossierStep",
    "EventKind",
    "FeePayment",
    "Handover",
    "HandoverKind",
    "NationalStatus",
    "Outcome",
    "PaymentGateway",
    "ReceivedComponent",
    "Regime",
    "Status",
    "StepState",
]
