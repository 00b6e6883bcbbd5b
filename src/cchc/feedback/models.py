"""Feedback from people and organisations on administrative rules and on how they were applied (phản ánh, kiến
nghị; Nghị định 20/2008/NĐ-CP, amended by Nghị định 63/2010 and 92/2017).

The agency receives an item, handles it and answers within a time the rules give; reports count what was received,
answered on time or late, and what is still pending at the end of the period. The answer deadline is stored when the
item is received (services.receive), so the period counts are one aggregate query.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    DIRECT = "truc_tiep", _("Trực tiếp")
    WRITTEN = "van_ban", _("Văn bản")
    PHONE = "dien_thoai", _("Điện thoại")
    NATIONAL_PORTAL = "cong_dvcqg", _("Cổng Dịch vụ công quốc gia")
    PAKN_SYSTEM = "he_thong_pakn", _("Hệ thống tiếp nhận, xử lý phản ánh, kiến nghị")


class SenderKind(models.TextChoices):
    PERSON = "ca_nhan", _("Cá nhân")
    ORGANISATION = "to_chuc", _("Tổ chức, doanh nghiệp")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    NOT_IN_SCOPE = "not_in_scope", _("Không thuộc phạm vi xử lý")


CLOSED = (Status.ANSWERED, Status.NOT_IN_SCOPE)


class Feedback(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="feedback_items"
    )
    received_on = models.DateField(_("ngày tiếp nhận"))
    answer_due_on = models.DateField(
        _("hạn trả lời"), help_text=_("Tính khi tiếp nhận theo ngày làm việc của lịch làm việc.")
    )
    channel = models.CharField(_("hình thức tiếp nhận"), max_length=16, choices=Channel.choices)
    sender_kind = models.CharField(
        _("đối tượng phản ánh"), max_length=16, choices=SenderKind.choices, default=SenderKind.PERSON
    )
    sender_name = models.CharField(_("tên người, tổ chức phản ánh"), max_length=255, blank=True)
    subject = models.CharField(_("tóm tắt nội dung"), max_length=500)
    content = models.TextField(_("nội dung"), blank=True)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục hành chính liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    answered_on = models.DateField(
        _("ngày trả lời, kết thúc xử lý"),
        null=True,
        blank=True,
        help_text=_("Ngày trả lời, hoặc ngày xác định không thuộc phạm vi xử lý."),
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["agency", "received_on"]), models.Index(fields=["agency", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True) | models.Q(answered_on__gte=models.F("received_on")),
                name="feedback_answered_after_received",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=CLOSED) | models.Q(answered_on__isnull=False),
                name="feedback_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%d/%m/%Y} — {self.subject[:80]}"
