"""A report sent to several aggregators (the Sở Nội vụ and the ministry): the report page lets its editors pick which
(all by default) and shows, for each, what was sent, when and by whom; another report of the same period sent
later replaces what the aggregator holds ("gửi lại"), keeping the first moment for the deadline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.agencies.models import Agency
from cchc.aggregation.models import AggregationGroup, Submission
from cchc.aggregation.submissions import RESENT, SENT, UNCHANGED, aggregators_of, sending_rows, submit_to_aggregator
from cchc.audit.models import AuditEntry
from cchc.reports import services

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def ministry(agency):
    """The ministry collects the Sở KH&CN of the provinces through its group."""
    ministry = Agency.objects.create(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind=Agency.Kind.MINISTRY)
    group = AggregationGroup.objects.create(aggregator=ministry, name="Các Sở KH&CN")
    group.members.add(agency)
    return ministry


@pytest.fixture
def leader(make_user, agency):
    user = make_user("lanhdao", agency, "leader")
    user.first_name = "Hoàng Văn Minh"
    user.save()
    return user


def _approved(agency, leader, number=12, confirm=False):
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", leader)
    services.submit(report, leader)
    return services.approve(report, leader, number=number, issue_date=D(2023, 3, 16))


def test_a_report_goes_to_every_aggregator_by_default_or_to_the_chosen_ones(
    home_affairs, ministry, agency, leader, foreign_agency
):
    assert [a.code for a in aggregators_of(agency)] == ["BKHCN", "SNV"]
    report = _approved(agency, leader)
    [to_ministry] = submit_to_aggregator(report, leader, aggregators=[ministry])
    assert to_ministry.outcome == SENT and to_ministry.kind == "cchc"
    assert to_ministry.version_id == report.frozen_version_id
    assert list(Submission.objects.values_list("aggregator__code", flat=True)) == ["BKHCN"]
    both = submit_to_aggregator(report, leader)
    assert [(s.aggregator.code, s.outcome) for s in both] == [("BKHCN", UNCHANGED), ("SNV", SENT)]
    with pytest.raises(ValidationError, match="không tổng hợp báo cáo của"):
        submit_to_aggregator(report, leader, aggregators=[foreign_agency])
    with pytest.raises(ValidationError, match="không gửi báo cáo cho chính mình"):
        submit_to_aggregator(report, leader, aggregators=[agency])
    assert Submission.objects.count() == 2
    assert AuditEntry.objects.filter(content_type__model="submission", action=AuditEntry.Action.CREATE).count() == 2


def test_another_report_of_the_period_sent_later_replaces_the_first_and_keeps_its_moment(home_affairs, agency, leader):
    first = _approved(agency, leader, number=12)
    [sent] = submit_to_aggregator(first, leader, at=dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC))
    corrected = _approved(agency, leader, number=15)
    [row] = sending_rows(corrected)
    assert row.holds_other_report and row.needs_resending and row.checked
    [again] = submit_to_aggregator(corrected, leader)
    assert again.pk == sent.pk and again.outcome == RESENT
    again.refresh_from_db()
    assert again.report == corrected and again.version_id == corrected.frozen_version_id
    assert again.submitted_at == dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC)  # the deadline judges this
    assert again.resent_by == leader and again.resent_at is not None
    entry = AuditEntry.objects.get(content_type__model="submission", action=AuditEntry.Action.UPDATE)
    assert entry.changes["before"]["report"] == first.pk and entry.changes["report"] == corrected.pk
    [row] = sending_rows(corrected)
    assert not row.needs_resending and not row.checked
    # The first report's page now says the aggregator holds the other one.
    [old_row] = sending_rows(first)
    assert old_row.holds_other_report


def test_the_report_page_lists_each_aggregator_with_what_it_holds_and_sends_the_ticked_ones(
    client, home_affairs, ministry, agency, leader, viewer, foreign_agency
):
    report = _approved(agency, leader)
    page = reverse("reports:detail", args=[report.pk])
    client.force_login(leader)
    html = client.get(page).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="aggregator" value="(\d+)"( checked)?>', html)
    assert boxes == [(str(ministry.pk), " checked"), (str(home_affairs.pk), " checked")]  # all, by default
    assert html.count('data-status="not_sent"') == 2

    url = reverse("rollup:submit", args=[report.pk])
    response = client.post(url, {"chon": "1", "aggregator": [ministry.pk]}, follow=True)
    assert "Đã gửi báo cáo cho Bộ Khoa học và Công nghệ." in response.content.decode()
    assert list(Submission.objects.values_list("aggregator__code", flat=True)) == ["BKHCN"]
    html = client.get(page).content.decode()
    assert re.search(r"Đã gửi Bộ Khoa học và Công nghệ lúc \d\d:\d\d \d\d/\d\d/\d{4}, người gửi: Hoàng Văn Minh", html)
    boxes = dict(re.findall(r'<input type="checkbox" name="aggregator" value="(\d+)"( checked)?>', html))
    assert boxes == {str(ministry.pk): "", str(home_affairs.pk): " checked"}  # what is left to send

    refused = client.post(url, {"chon": "1"}, follow=True)
    assert "Chọn ít nhất một cơ quan tổng hợp để gửi." in refused.content.decode()
    assert client.post(url, {"chon": "1", "aggregator": [foreign_agency.pk]}).status_code == 404
    assert client.post(url, {"chon": "1", "aggregator": ["x"]}).status_code == 404
    again = client.post(url, {"chon": "1", "aggregator": [ministry.pk]}, follow=True)
    assert "đã nhận đúng bản này của báo cáo; không gửi lại." in again.content.decode()
    assert Submission.objects.count() == 1

    client.force_login(viewer)
    seen = client.get(page).content.decode()
    assert 'name="aggregator"' not in seen and "Đã gửi Bộ Khoa học và Công nghệ lúc" in seen
    assert client.post(url, {"chon": "1", "aggregator": [home_affairs.pk]}).status_code == 403
    assert Submission.objects.count() == 1
