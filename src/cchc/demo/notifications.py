"""Demo notifications: a few notices for the Sở KH&CN's people (read and unread, pointing at open dossiers) and an
outbox with a message in every state, so the bell, the list and the outbox page show something. Written straight
as rows (nothing is enqueued: the demo never sends), keyed by dedupe keys so a second run adds nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cchc.dossiers.models import Dossier, Status
from cchc.notifications.gateways import sms_text
from cchc.notifications.models import Channel, Kind, Notification, OutboxMessage, OutboxState

from .data import Summary

AGENCY = "SKHCN"
# (username, kind, read) for each notice, over the agency's latest open dossiers in turn.
NOTICES = [
    ("skhcn.chuyenvien", Kind.STEP_REACHED, False),
    ("skhcn.chuyenvien", Kind.STEP_DUE_SOON, False),
    ("skhcn.chuyenvien", Kind.STEP_LATE, True),
    ("skhcn.lanhdao", Kind.STEP_REACHED, False),
    ("skhcn.lanhdao", Kind.STEP_LATE, False),
    ("skhcn.motcua", Kind.STEP_REACHED, True),
    ("skhcn.admin", Kind.STEP_DUE_SOON, False),
]
TITLES = {
    Kind.STEP_REACHED: "Hồ sơ {code} chuyển đến bạn: Thẩm định hồ sơ",
    Kind.STEP_DUE_SOON: "Sắp đến hạn: hồ sơ {code}, bước “Thẩm định hồ sơ”",
    Kind.STEP_LATE: "Quá hạn: hồ sơ {code}, bước “Trình ký kết quả”",
}
# (channel, state, attempts, last error) of the outbox rows.
OUTBOX = [
    (Channel.EMAIL, OutboxState.SENT, 1, ""),
    (Channel.SMS, OutboxState.SENT, 1, ""),
    (Channel.SMS, OutboxState.SENT, 2, "ConnectionError: cổng SMS không phản hồi (lần 1)"),
    (Channel.EMAIL, OutboxState.PENDING, 1, "SMTPServerDisconnected: máy chủ thư ngắt kết nối"),
    (Channel.EMAIL, OutboxState.FAILED, 6, "SMTPRecipientsRefused: địa chỉ thư không tồn tại"),
]


def build_notifications(agencies: dict, summary: Summary) -> None:
    agency = agencies[AGENCY]
    users = {u.username: u for u in get_user_model().objects.filter(username__in={n[0] for n in NOTICES})}
    dossiers = list(
        Dossier.objects.filter(agency=agency, status__in=[Status.IN_PROCESS, Status.RECEIVED]).order_by("-pk")[:8]
    )
    if not dossiers:
        return
    now = timezone.now()
    for index, (username, kind, read) in enumerate(NOTICES):
        dossier = dossiers[index % len(dossiers)]
        user = users.get(username)
        if user is None:
            continue
        _, created = Notification.objects.get_or_create(
            dedupe_key=f"demo:{username}:{index}",
            defaults=dict(
                recipient=user, agency=agency, kind=kind, title=TITLES[kind].format(code=dossier.code),
                body=f"Hồ sơ {dossier.code} ({dossier.procedure.name}).",
                link=reverse("dossiers:detail", args=[dossier.pk]), dossier=dossier, read_at=now if read else None,
            ),
        )  # fmt: skip
        if created:
            summary.add("thông báo")
    for index, (channel, state, attempts, error) in enumerate(OUTBOX):
        dossier = dossiers[index % len(dossiers)]
        address = "0912345678" if channel == Channel.SMS else f"nguoinop{index + 1}@example.vn"
        body = f"{agency.name} đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả kết quả: {dossier.due_date:%d/%m/%Y}."
        _, created = OutboxMessage.objects.get_or_create(
            dedupe_key=f"demo:outbox:{index}",
            defaults=dict(
                channel=channel, agency=agency, recipient_address=address, dossier=dossier,
                kind=Kind.DOSSIER_RECEIVED, subject=f"Hồ sơ {dossier.code} đã được tiếp nhận",
                body=sms_text(body) if channel == Channel.SMS else body, state=state, attempts=attempts,
                last_error=error, next_attempt_at=now + dt.timedelta(minutes=5 if state == OutboxState.PENDING else 0),
                sent_at=now if state == OutboxState.SENT else None,
            ),
        )  # fmt: skip
        if created:
            summary.add("thư, tin nhắn trong hộp thư đi")
