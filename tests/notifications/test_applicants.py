"""The applicant is told at receipt, supplement request, apology and result, by e-mail and SMS: read the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from cchc.dossiers import lifecycle
from cchc.notifications.models import Channel, Kind, OutboxMessage, OutboxState

pytestmark = pytest.mark.django_db


def _rows(dossier, kind):
    return {m.channel: m for m in OutboxMessage.objects.filter(dossier=dossier, kind=kind)}


def test_receipt_queues_an_email_and_an_sms_with_the_code_and_due_date(receive):
    dossier = receive(applicant_email="hoa@example.vn", applicant_phone="0912 345 678")
    rows = _rows(dossier, Kind.DOSSIER_RECEIVED)
    assert set(rows) == {Channel.EMAIL, Channel.SMS}
    email, sms = rows[Channel.EMAIL], rows[Channel.SMS]
    due = f"{dossier.due_date:%d/%m/%Y}"
    assert email.recipient_address == "hoa@example.vn"
    assert dossier.code in email.subject and dossier.code in email.body and due in email.body
    assert "Nguyễn Thị Hoa" in email.body and dossier.procedure.name in email.body
    assert sms.recipient_address == "0912345678"
    # Without diacritics (one GSM segment), the code and the due date in it.
    assert sms.body.isascii() and len(sms.body) <= 160
    assert dossier.code in sms.body and due in sms.body and "da tiep nhan ho so" in sms.body
    assert {email.state, sms.state} == {OutboxState.PENDING}
    assert email.agency == dossier.agency and email.attempts == 0


def test_only_the_channels_the_applicant_gave(receive):
    no_contact = receive()
    email_only = receive(applicant_email="an@example.vn")
    bad_phone = receive(applicant_phone="không có")
    assert not OutboxMessage.objects.filter(dossier=no_contact).exists()
    assert set(_rows(email_only, Kind.DOSSIER_RECEIVED)) == {Channel.EMAIL}
    assert not OutboxMessage.objects.filter(dossier=bad_phone).exists()


def test_supplement_apology_and_result_tell_what_matters(receive, officer):
    dossier = receive(applicant_email="hoa@example.vn", applicant_phone="0912345678")
    lifecycle.request_supplement(dossier, actor=officer, note="Bản sao chứng chỉ nhân viên bức xạ còn hiệu lực")
    supplement = _rows(dossier, Kind.SUPPLEMENT_REQUESTED)
    assert "Bản sao chứng chỉ nhân viên bức xạ còn hiệu lực" in supplement[Channel.EMAIL].body
    assert "Ban sao chung chi nhan vien buc xa con hieu luc" in supplement[Channel.SMS].body

    lifecycle.supplement(dossier, actor=officer)
    assert not OutboxMessage.objects.filter(dossier=dossier, kind__in=["supplemented"]).exists()
    dossier.refresh_from_db()
    new_date = dossier.due_date + dt.timedelta(days=7)
    lifecycle.issue_apology(dossier, actor=officer, new_date=new_date, note="Chờ ý kiến thẩm định của Bộ")
    apology = _rows(dossier, Kind.APOLOGY_ISSUED)
    assert f"{new_date:%d/%m/%Y}" in apology[Channel.EMAIL].body
    assert "Chờ ý kiến thẩm định của Bộ" in apology[Channel.EMAIL].body
    assert f"{new_date:%d/%m/%Y}" in apology[Channel.SMS].body

    lifecycle.resolve(dossier, actor=officer)
    result = _rows(dossier, Kind.RESULT_READY)
    assert "đã có kết quả" in result[Channel.EMAIL].subject
    assert "da co ket qua" in result[Channel.SMS].body
    # Supplemented and returned are not told: 4 events told, 2 channels each.
    assert OutboxMessage.objects.filter(dossier=dossier).count() == 8


def test_a_long_supplement_note_is_cut_to_two_sms_segments(receive, officer):
    dossier = receive(applicant_phone="0912345678")
    lifecycle.request_supplement(dossier, actor=officer, note="Bổ sung giấy tờ chứng minh. " * 30)
    sms = _rows(dossier, Kind.SUPPLEMENT_REQUESTED)[Channel.SMS]
    assert len(sms.body) == 306 and sms.body.endswith("...")


def test_a_receipt_typed_in_long_after_it_happened_tells_nobody(receive):
    dossier = receive(applicant_phone="0912345678", received_at=timezone.now() - dt.timedelta(days=10))
    assert not OutboxMessage.objects.filter(dossier=dossier).exists()


def test_a_rolled_back_receipt_leaves_nothing_in_the_outbox(receive):
    with pytest.raises(RuntimeError), transaction.atomic():
        receive(applicant_email="hoa@example.vn")
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the desk's transaction fails after the receipt")
    assert OutboxMessage.objects.count() == 0


def test_the_send_task_is_enqueued_when_the_receipt_commits(receive, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(applicant_email="hoa@example.vn")
    message = OutboxMessage.objects.get(dossier=dossier)
    task = DBTaskResult.objects.get()
    assert task.task_path == "cchc.notifications.tasks.send_message"
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}
