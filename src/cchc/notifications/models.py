"""Notifications in the application and the outbox of every e-mail and SMS.

An OutboxMessage is written in the transaction of what it tells (a dossier event, a step reaching someone), so a
rolled-back change never sends anything and a committed one is never lost: the task queue sends it afterwards and
the sweeper (outbox.sweep) picks up whatever a dead worker left behind. The moves of its state are one table,
OUTBOX_TRANSITIONS, below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # To applicants.
    DOSSIER_RECEIVED = "dossier_received", _("Tiếp nhận hồ sơ")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    APOLOGY_ISSUED = "apology_issued", _("Xin lỗi, hẹn lại ngày trả kết quả")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    # To officers.
    STEP_REACHED = "step_reached", _("Hồ sơ chuyển đến")
    STEP_DUE_SOON = "step_due_soon", _("Sắp đến hạn")
    STEP_LATE = "step_late", _("Quá hạn")
    # To the members of an aggregator that have not sent a report (aggregation.reminders).
    REPORT_DUE_SOON = "report_due_soon", _("Sắp đến hạn gửi báo cáo")
    REPORT_OVERDUE = "report_overdue", _("Quá hạn gửi báo cáo")


class Notification(models.Model):
    """One notice in a user's list (the bell in the top bar counts the unread ones)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the (recipient, created_at) indexes serve every look-up by recipient
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(_("loại thông báo"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    # A reminder sent again the same day must not be written twice (see triggers.send_reminders).
    dedupe_key = models.CharField(_("khóa chống trùng"), max_length=160, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            # The bell's count reads only the unread rows of one user.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")


# Every move of an outbox message: (from, to) -> (who makes it, why). "system" moves are made by the sender and the
# sweeper only; "person" moves by an agency admin on the outbox page. Nothing else changes a state.
OUTBOX_TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (OutboxState.PENDING, OutboxState.SENDING): ("system", "a worker claims the message"),
    (OutboxState.SENDING, OutboxState.SENT): ("system", "the gateway accepted it"),
    (OutboxState.SENDING, OutboxState.PENDING): ("system", "failed, retried later; or stale: its worker died"),
    (OutboxState.SENDING, OutboxState.FAILED): ("system", "failed for the last allowed time"),
    (OutboxState.FAILED, OutboxState.PENDING): ("person", "an admin sends it again"),
}


class OutboxMessage(models.Model):
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    recipient_address = models.CharField(_("địa chỉ nhận"), max_length=254)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(_("loại thông báo"), max_length=24, choices=Kind.choices)
    state = models.CharField(_("trạng thái"), max_length=8, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi tiếp lúc"))
    claimed_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi lần gửi cuối"), blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    # One reminder per step, person, channel and day (triggers.send_reminders); empty for every other message.
    dedupe_key = models.CharField(_("khóa chống trùng"), max_length=160, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thư, tin nhắn chờ gửi")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweeper reads only the unfinished rows, by when they are due.
            models.Index(
                fields=["state", "next_attempt_at"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="outbox_unfinished",
            ),
            models.Index(fields=["agency", "-created_at"], name="outbox_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_address}"
