"""The outbox: queue a message in the caller's transaction, send it from a task, retry with backoff, give up after
CCHC["OUTBOX_MAX_ATTEMPTS"], and sweep up what a dead worker left (docs/adr/0009-notifications-outbox.md).

Delivery is at least once. A worker claims a message (pending -> sending, one UPDATE that only one worker can win)
and commits before calling the gateway, so a worker killed mid-send leaves the message in "sending"; the sweeper
puts it back to "pending" once it is older than CCHC["OUTBOX_STALE_SECONDS"] and it is sent again. If the gateway had
taken it just before the kill, the person gets it twice: never zero times.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from .gateways import deliver
from .models import OUTBOX_TRANSITIONS, OutboxMessage, OutboxState

logger = logging.getLogger("cchc.notifications")

MAX_BACKOFF = dt.timedelta(hours=6)
SWEEP_BATCH = 500


class TransitionError(Exception):
    pass


def _setting(name: str) -> int:
    return int(settings.CCHC[name])


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: the base, doubled each time, at most six hours."""
    seconds = _setting("OUTBOX_RETRY_SECONDS") * 2 ** max(attempts - 1, 0)
    return min(dt.timedelta(seconds=seconds), MAX_BACKOFF)


def _move(message: OutboxMessage, to: str, *, by: str = "system", **fields) -> bool:
    """Move `message` from its current state to `to` if OUTBOX_TRANSITIONS allows it; False when the row was no
    longer in that state (another worker or the sweeper got there first)."""
    allowed = OUTBOX_TRANSITIONS.get((message.state, to))
    if allowed is None or allowed[0] != by:
        raise TransitionError(f"{message.state} -> {to} is not a move {by} may make")
    changed = OutboxMessage.objects.filter(pk=message.pk, state=message.state).update(state=to, **fields)
    if changed:
        message.state = to
        for name, value in fields.items():
            if not hasattr(value, "resolve_expression"):
                setattr(message, name, value)
    return bool(changed)


def enqueue_send(message_id: int, run_after: dt.datetime | None = None) -> None:
    """Ask the task queue to send one message. A queue that is down loses nothing: the sweeper sends it."""
    from .tasks import send_message

    try:
        task = send_message.using(run_after=run_after) if run_after else send_message
        task.enqueue(message_id)
    except Exception:
        logger.exception("Could not enqueue outbox message %s; the sweeper will send it", message_id)


def queue(
    *,
    channel: str,
    agency,
    address: str,
    body: str,
    kind: str,
    subject: str = "",
    recipient_user=None,
    dossier=None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Write one message to the outbox in the current transaction and send it once that commits.

    With a `dedupe_key` already used (the same reminder again today) nothing is written and None is returned."""
    fields = dict(
        channel=channel,
        agency=agency,
        recipient_address=address,
        recipient_user=recipient_user,
        subject=subject[:255],
        body=body,
        kind=kind,
        dossier=dossier,
        dedupe_key=dedupe_key,
        next_attempt_at=timezone.now(),
    )
    if dedupe_key is not None:
        if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(**fields)
        except IntegrityError:
            return None  # a concurrent run wrote it between the check and the insert
    else:
        message = OutboxMessage.objects.create(**fields)
    transaction.on_commit(lambda: enqueue_send(message.pk))
    return message


def send(message_id: int, now: dt.datetime | None = None) -> str | None:
    """Send one message if it is pending and due; returns its new state, or None when there was nothing to do
    (sent already, not due yet, or claimed by another worker)."""
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message_id, state=OutboxState.PENDING, next_attempt_at__lte=now).update(
        state=OutboxState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    # The claim is committed (autocommit) before the gateway is called: a worker dying here leaves "sending".
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        deliver(message)
    except Exception as exc:  # any gateway failure is retried; the error is kept for the outbox page
        return _failed(message, f"{type(exc).__name__}: {exc}", timezone.now())
    _move(message, OutboxState.SENT, sent_at=timezone.now(), last_error="")
    return message.state


def _failed(message: OutboxMessage, error: str, now: dt.datetime) -> str:
    logger.warning("Outbox message %s failed (attempt %s): %s", message.pk, message.attempts, error)
    if message.attempts >= _setting("OUTBOX_MAX_ATTEMPTS"):
        _move(message, OutboxState.FAILED, last_error=error[:2000])
        return message.state
    retry_at = now + backoff(message.attempts)
    if _move(message, OutboxState.PENDING, next_attempt_at=retry_at, last_error=error[:2000]):
        enqueue_send(message.pk, run_after=retry_at)
    return message.state


@dataclass
class SweepResult:
    recovered: int = 0  # left in "sending" by a worker that stopped
    sent: int = 0
    retried: int = 0
    failed: int = 0


def sweep(now: dt.datetime | None = None, *, limit: int = SWEEP_BATCH) -> SweepResult:
    """Put back the messages a dead worker left in "sending", then send every pending message that is due.

    Safe beside running workers: every send claims its row first, so no message is sent by two of them at once."""
    now = now or timezone.now()
    result = SweepResult()
    stale_before = now - dt.timedelta(seconds=_setting("OUTBOX_STALE_SECONDS"))
    stale = OutboxMessage.objects.filter(state=OutboxState.SENDING, claimed_at__lt=stale_before).order_by("pk")
    for message in stale[:limit]:
        error = _("Tiến trình gửi dừng giữa chừng (lần gửi %(n)s); gửi lại.") % {"n": message.attempts}
        if message.attempts >= _setting("OUTBOX_MAX_ATTEMPTS"):
            moved = _move(message, OutboxState.FAILED, last_error=error)
        else:
            moved = _move(message, OutboxState.PENDING, next_attempt_at=now, last_error=error)
        result.recovered += moved
    due = OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        state = send(pk, now=max(now, timezone.now()))
        if state == OutboxState.SENT:
            result.sent += 1
        elif state == OutboxState.PENDING:
            result.retried += 1
        elif state == OutboxState.FAILED:
            result.failed += 1
    return result


def retry(message: OutboxMessage, actor) -> None:
    """An agency admin sends a failed message again: a fresh round of attempts, recorded in the audit trail."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.state != OutboxState.FAILED:
            raise TransitionError(_("Chỉ gửi lại được thư, tin nhắn đã gửi không được."))
        before = audit.snapshot(message, ["state", "attempts", "last_error"])
        _move(message, OutboxState.PENDING, by="person", attempts=0, next_attempt_at=timezone.now())
        audit.record(
            message,
            actor,
            AuditEntry.Action.TRANSITION,
            changes=audit.diff(before, audit.snapshot(message, ["state", "attempts", "last_error"])),
            summary=_("Gửi lại thư, tin nhắn"),
        )
        transaction.on_commit(lambda: enqueue_send(message.pk))
