"""The bell, the list of one's notifications (read / unread), and the outbox page of an agency's admins."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.notifications.models import Channel, Kind, Notification, OutboxMessage, OutboxState

pytestmark = pytest.mark.django_db


def _notice(user, agency, title="Hồ sơ 000.00.12.H45-261203-0001 chuyển đến bạn", link="/ho-so/", read=False):
    from django.utils import timezone

    return Notification.objects.create(recipient=user, agency=agency, kind=Kind.STEP_REACHED, title=title, link=link,
                                       read_at=timezone.now() if read else None)  # fmt: skip


def _bell(response) -> str | None:
    match = re.search(r'data-unread="(\d+)"', response.content.decode())
    return match.group(1) if match else None


def test_the_bell_counts_the_user_s_unread_notifications_in_one_query(client, officer, viewer, agency):
    for _ in range(3):
        _notice(officer, agency)
    _notice(officer, agency, read=True)
    _notice(viewer, agency)
    client.force_login(officer)
    response = client.get(reverse("dashboard"))
    assert _bell(response) == "3"
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboard"))
    assert sum("notifications_notification" in q["sql"] for q in queries) == 1
    client.force_login(viewer)
    assert _bell(client.get(reverse("dashboard"))) == "1"


def test_no_count_without_unread(client, officer, agency):
    _notice(officer, agency, read=True)
    client.force_login(officer)
    assert _bell(client.get(reverse("dashboard"))) is None


def test_the_list_shows_own_notifications_and_filters_unread(client, officer, viewer, agency, make_user, other_agency):
    mine = _notice(officer, agency, title="Của tôi, chưa đọc")
    _notice(officer, agency, title="Của tôi, đã đọc", read=True)
    _notice(viewer, agency, title="Của người khác")
    _notice(make_user("snv", other_agency, "officer"), other_agency, title="Của cơ quan khác")
    client.force_login(officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Của tôi, chưa đọc" in page and "Của tôi, đã đọc" in page
    assert "Của người khác" not in page and "Của cơ quan khác" not in page
    unread = client.get(reverse("notifications:list"), {"loc": "chua-doc"}).content.decode()
    assert "Của tôi, chưa đọc" in unread and "Của tôi, đã đọc" not in unread
    assert reverse("notifications:open", args=[mine.pk]) in unread


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client, officer, agency):
    notice = _notice(officer, agency, link="/ho-so/?q=abc")
    client.force_login(officer)
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 405
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/ho-so/?q=abc"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_link_to_another_site_is_not_followed(client, officer, agency):
    notice = _notice(officer, agency, link="https://example.com/phishing")
    client.force_login(officer)
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_marking_read_unread_and_all(client, officer, agency):
    first, second = _notice(officer, agency), _notice(officer, agency)
    client.force_login(officer)
    client.post(reverse("notifications:mark", args=[first.pk]), {"trang-thai": "doc"})
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("notifications:mark", args=[first.pk]), {"trang-thai": "chua-doc"})
    first.refresh_from_db()
    assert first.read_at is None
    response = client.post(reverse("notifications:mark_all"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=officer, read_at=None).exists()
    assert client.get(reverse("notifications:mark_all")).status_code == 405
    second.refresh_from_db()
    assert second.read_at is not None


def test_another_user_s_notification_is_not_found(client, officer, viewer, agency):
    theirs = _notice(viewer, agency)
    client.force_login(officer)
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark", args=[theirs.pk]), {"trang-thai": "doc"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def _message(agency, state=OutboxState.FAILED, address="hoa@example.vn"):
    from django.utils import timezone

    return OutboxMessage.objects.create(
        channel=Channel.EMAIL, agency=agency, recipient_address=address, subject="Hồ sơ đã có kết quả", body="…",
        kind=Kind.RESULT_READY, state=state, attempts=6, last_error="SMTPServerDisconnected: máy chủ ngắt kết nối",
        next_attempt_at=timezone.now(),
    )  # fmt: skip


def test_the_outbox_page_is_for_the_agency_s_admins_only(client, officer, make_user, agency, other_agency):
    admin = make_user("quantri", agency, "admin")
    ours = _message(agency, address="cua-so@example.vn")
    _message(other_agency, address="so-khac@example.vn")
    client.force_login(officer)
    assert client.get(reverse("notifications:outbox")).status_code == 403
    assert client.post(reverse("notifications:outbox_retry", args=[ours.pk])).status_code == 403
    client.force_login(admin)
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert "cua-so@example.vn" in page and "so-khac@example.vn" not in page
    assert "Gửi không được" in page and "máy chủ ngắt kết nối" in page and ">6<" in page
    assert "Hộp thư đi" in client.get(reverse("notifications:list")).content.decode()
    failed_only = client.get(reverse("notifications:outbox"), {"trang-thai": "sent"}).content.decode()
    assert "cua-so@example.vn" not in failed_only


def test_an_admin_sends_a_failed_message_again_but_not_another_agency_s(client, make_user, agency, other_agency):
    admin = make_user("quantri", agency, "admin")
    ours, theirs = _message(agency), _message(other_agency)
    client.force_login(admin)
    assert client.post(reverse("notifications:outbox_retry", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("notifications:outbox_retry", args=[ours.pk]), follow=True)
    assert "vào hàng gửi lại" in response.content.decode()
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.state, ours.attempts) == (OutboxState.PENDING, 0) and theirs.state == OutboxState.FAILED
    again = client.post(reverse("notifications:outbox_retry", args=[ours.pk]), follow=True)
    assert "Chỉ gửi lại được" in again.content.decode()
