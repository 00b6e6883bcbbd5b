"""The outbox: sending, retries with backoff, giving up, stale "sending" recovered, the state table, gateways."""

from __future__ import annotations

import datetime as dt
import json
from itertools import product

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.notifications import gateways, outbox
from cchc.notifications.models import OUTBOX_TRANSITIONS, Channel, Kind, OutboxMessage, OutboxState

pytestmark = pytest.mark.django_db

DOWN = "failing_gateway.DownGateway"


@pytest.fixture(autouse=True)
def _tests_on_path(monkeypatch):
    import sys
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    yield
    sys.modules.pop("failing_gateway", None)


def _cchc(**values):
    from django.conf import settings

    return override_settings(CCHC={**settings.CCHC, **values})


def _queue(agency, channel=Channel.EMAIL, address="hoa@example.vn", **extra):
    return outbox.queue(channel=channel, agency=agency, address=address, subject="Hồ sơ 01 đã được tiếp nhận",
                        body="Nội dung thư", kind=Kind.DOSSIER_RECEIVED, **extra)  # fmt: skip


def test_an_email_is_sent_through_django_s_backend(agency):
    message = _queue(agency)
    assert outbox.send(message.pk) == OutboxState.SENT
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (OutboxState.SENT, 1, "")
    assert message.sent_at is not None
    [email] = mail.outbox
    assert email.to == ["hoa@example.vn"] and email.subject == "Hồ sơ 01 đã được tiếp nhận"
    assert email.extra_headers["X-CCHC-Outbox-Id"] == str(message.pk)
    # Sent is final: sending again does nothing.
    assert outbox.send(message.pk) is None and len(mail.outbox) == 1


def test_the_file_sms_backend_writes_one_json_line_per_message(agency, tmp_path):
    with _cchc(SMS_BACKEND="file"), override_settings(DATA_DIR=tmp_path):
        first = _queue(agency, Channel.SMS, "0912345678")
        second = _queue(agency, Channel.SMS, "0987654321")
        assert outbox.send(first.pk) == outbox.send(second.pk) == OutboxState.SENT
    [day_file] = (tmp_path / "sms").iterdir()
    assert day_file.name == f"{timezone.localdate():%Y-%m-%d}.jsonl"
    lines = [json.loads(line) for line in day_file.read_text(encoding="utf-8").splitlines()]
    assert [(line["to"], line["text"]) for line in lines] == [
        ("0912345678", "Nội dung thư"),
        ("0987654321", "Nội dung thư"),
    ]


def test_the_log_sms_backend_logs(agency, caplog):
    caplog.set_level("INFO", logger="cchc.notifications")
    with _cchc(SMS_BACKEND="log"):
        assert outbox.send(_queue(agency, Channel.SMS, "0912345678").pk) == OutboxState.SENT
    assert "SMS to 0912345678: Nội dung thư" in caplog.text


def test_a_gateway_registered_by_name_is_used(agency):
    sent = []

    class Recorder:
        def send(self, phone, text):
            sent.append((phone, text))
            return "id-1"

    gateways.register_sms_backend("recorder", Recorder)
    with _cchc(SMS_BACKEND="recorder"):
        assert outbox.send(_queue(agency, Channel.SMS, "0912345678").pk) == OutboxState.SENT
    assert sent == [("0912345678", "Nội dung thư")]


def test_a_failing_gateway_is_retried_with_a_doubling_wait_then_given_up(agency):
    with _cchc(SMS_BACKEND=DOWN, OUTBOX_MAX_ATTEMPTS=3, OUTBOX_RETRY_SECONDS=60):
        message = _queue(agency, Channel.SMS, "0912345678")
        start = timezone.now()
        assert outbox.send(message.pk, now=start) == OutboxState.PENDING
        message.refresh_from_db()
        assert message.attempts == 1 and "gateway 503: dịch vụ tạm ngừng" in message.last_error
        first_wait = message.next_attempt_at - start
        assert dt.timedelta(seconds=59) < first_wait <= dt.timedelta(seconds=61)
        # Not due yet: nothing happens, neither from the task nor from the sweeper.
        assert outbox.send(message.pk, now=start + dt.timedelta(seconds=30)) is None
        assert outbox.sweep(now=start + dt.timedelta(seconds=30)).sent == 0
        message.refresh_from_db()
        assert message.attempts == 1

        second = message.next_attempt_at
        assert outbox.send(message.pk, now=second) == OutboxState.PENDING
        message.refresh_from_db()
        assert message.attempts == 2
        assert dt.timedelta(seconds=119) < message.next_attempt_at - timezone.now() <= dt.timedelta(seconds=121)

        result = outbox.sweep(now=message.next_attempt_at)
        assert (result.sent, result.failed) == (0, 1)
        message.refresh_from_db()
        assert (message.state, message.attempts) == (OutboxState.FAILED, 3)
        assert "ConnectionError" in message.last_error
        assert outbox.sweep(now=timezone.now() + dt.timedelta(days=1)).failed == 0  # failed stays failed


def test_a_retry_is_enqueued_for_its_time(agency):
    from django_tasks_db.models import DBTaskResult

    with _cchc(SMS_BACKEND=DOWN):
        message = _queue(agency, Channel.SMS, "0912345678")
        outbox.send(message.pk)
    message.refresh_from_db()
    task = DBTaskResult.objects.get(task_path="cchc.notifications.tasks.send_message")
    assert task.args_kwargs["args"] == [message.pk] and task.run_after == message.next_attempt_at


def test_backoff_doubles_and_stops_at_six_hours():
    with _cchc(OUTBOX_RETRY_SECONDS=60):
        assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
        assert outbox.backoff(30) == dt.timedelta(hours=6)


def test_a_message_left_sending_by_a_dead_worker_is_sent_by_the_sweeper(agency):
    message = _queue(agency)
    claimed_at = timezone.now() - dt.timedelta(minutes=11)
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.SENDING, claimed_at=claimed_at, attempts=1)
    # A fresh "sending" (a live worker, busy) is left alone.
    busy = _queue(agency, address="binh@example.vn")
    OutboxMessage.objects.filter(pk=busy.pk).update(state=OutboxState.SENDING, claimed_at=timezone.now(), attempts=1)

    with _cchc(OUTBOX_STALE_SECONDS=600):
        result = outbox.sweep()
    assert (result.recovered, result.sent) == (1, 1)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.SENT, 2)
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    busy.refresh_from_db()
    assert busy.state == OutboxState.SENDING


def test_a_stale_message_out_of_attempts_fails_with_the_reason(agency):
    message = _queue(agency)
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxState.SENDING, claimed_at=timezone.now() - dt.timedelta(hours=1), attempts=6
    )
    with _cchc(OUTBOX_MAX_ATTEMPTS=6):
        assert outbox.sweep().recovered == 1
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED and "dừng giữa chừng" in message.last_error
    assert mail.outbox == []


def test_the_same_dedupe_key_is_queued_once(agency):
    assert _queue(agency, dedupe_key="step_late:1:2:2026-12-02") is not None
    assert _queue(agency, dedupe_key="step_late:1:2:2026-12-02") is None
    assert _queue(agency, dedupe_key="step_late:1:2:2026-12-03") is not None
    assert OutboxMessage.objects.count() == 2


def test_only_the_moves_of_the_table_are_made(agency):
    message = _queue(agency)
    for start, to in product(OutboxState.values, repeat=2):
        OutboxMessage.objects.filter(pk=message.pk).update(state=start)
        message.state = start
        rule = OUTBOX_TRANSITIONS.get((start, to))
        for by in ("system", "person"):
            if rule is not None and rule[0] == by:
                assert outbox._move(message, to, by=by)
                message.state = start
            else:
                with pytest.raises(outbox.TransitionError):
                    outbox._move(message, to, by=by)
    # The only move a person makes: sending a failed message again.
    assert [pair for pair, (by, _why) in OUTBOX_TRANSITIONS.items() if by == "person"] == [
        (OutboxState.FAILED, OutboxState.PENDING)
    ]


def test_an_admin_sends_a_failed_message_again_and_it_is_audited(agency, make_user):
    admin = make_user("quantri", agency, "admin")
    message = _queue(agency)
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.FAILED, attempts=6, last_error="Timeout")
    outbox.retry(message, admin)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.PENDING, 0)
    entry = AuditEntry.objects.get(object_id=str(message.pk), content_type__model="outboxmessage")
    assert entry.actor == admin and entry.changes["state"] == [OutboxState.FAILED, OutboxState.PENDING]
    assert outbox.send(message.pk) == OutboxState.SENT
    with pytest.raises(outbox.TransitionError):
        outbox.retry(message, admin)  # a sent message is not sent again


def test_sms_text_without_diacritics_keeps_case_and_fits_its_segments():
    assert gateways.plain("Hồ sơ ĐĂNG KÝ “mới” – xong…") == 'Ho so DANG KY "moi" - xong...'
    with _cchc(SMS_PLAIN=True, SMS_MAX_SEGMENTS=1):
        assert len(gateways.sms_text("ạ" * 500)) == 160
    with _cchc(SMS_PLAIN=False, SMS_MAX_SEGMENTS=1):
        text = gateways.sms_text("Hồ sơ " * 50)
        assert len(text) == 70 and text.startswith("Hồ sơ")
    with _cchc(SMS_PLAIN=False, SMS_MAX_SEGMENTS=3):
        assert len(gateways.sms_text("ạ" * 500)) == 201
    assert gateways.normal_phone("(+84) 912.345.678") == "+84912345678"
    assert gateways.normal_phone("12") == ""
