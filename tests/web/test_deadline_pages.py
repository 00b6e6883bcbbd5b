"""The aggregator's deadline pages: list, add, edit and delete its deadlines, create the defaults, validated in
Vietnamese and audited; another aggregator's deadline or group is a 404, a reader without the right gets 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.agencies.models import Agency
from cchc.aggregation.deadlines import save_deadline
from cchc.aggregation.models import AggregationGroup, DeadlineRule, ReportingRegime
from cchc.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_affairs(other_agency, make_user):
    make_user("tonghop", other_agency, "aggregator")
    return other_agency


@pytest.fixture
def aggregator_client(client, home_affairs):
    client.force_login(get_user_model().objects.get(username="tonghop"))
    return client


@pytest.fixture
def elsewhere(foreign_agency, make_user):
    """Cao Bằng's aggregator, with a group and a deadline of its own."""
    home = Agency.objects.create(province=foreign_agency.province, code="SNV", name="Sở Nội vụ Cao Bằng")
    make_user("tonghop-cb", home, "aggregator")
    group = AggregationGroup.objects.create(aggregator=home, name="Khối sở Cao Bằng")
    group.members.add(foreign_agency)
    deadline = save_deadline(ReportingRegime(aggregator=home, name="Hạn của Cao Bằng", period_kind="quarter"), None)
    return {"home": home, "group": group, "deadline": deadline}


def _form(**fields) -> dict:
    data = {"name": "", "group": "", "report_kind": "cchc", "period_kind": "quarter", "period_key": "",
            "rule": DeadlineRule.WORKING_DAYS, "days": "2", "due_date": "", "remind_before_days": "3",
            "remind_after_days": "1", "basis": ""}  # fmt: skip
    data.update(fields)
    return data


def test_the_aggregator_adds_edits_and_deletes_a_deadline_from_its_pages(aggregator_client, home_affairs, agency):
    client = aggregator_client
    table = client.get(reverse("rollup:table"), {"ky": "2023-Q1"}).content.decode()
    assert f'href="{reverse("rollup:deadlines")}?co_quan={home_affairs.pk}"' in table
    page = client.get(reverse("rollup:deadlines"))
    assert page.status_code == 200 and "Chưa đặt hạn gửi nào" in page.content.decode()

    group = AggregationGroup.objects.create(aggregator=home_affairs, name="Khối văn hóa – xã hội")
    group.members.add(agency)
    response = client.post(reverse("rollup:deadlines"), _form(
        group=group.pk, period_kind="year", period_key="2024", rule=DeadlineRule.FIXED_DATE, days="",
        due_date="2024-12-05", basis="Công văn số 1234/SNV-CCHC ngày 15/11/2024"))  # fmt: skip
    assert response.status_code == 302
    regime = ReportingRegime.objects.get()
    assert (regime.group, regime.period_key, regime.due_date) == (group, "2024", dt.date(2024, 12, 5))
    assert regime.name == "Báo cáo cải cách hành chính – năm 2024"
    listing = client.get(response["Location"]).content.decode()
    assert "Khối văn hóa – xã hội" in listing and "Năm: chỉ Năm 2024" in listing and "05/12/2024" in listing
    assert "Công văn số 1234/SNV-CCHC" in listing

    edit = reverse("rollup:deadline_edit", args=[regime.pk])
    form = client.get(edit).content.decode()
    assert 'value="2024-12-05"' in form and 'value="2024"' in form
    saved = client.post(edit, _form(group=group.pk, period_kind="year", period_key="2024",
                                    rule=DeadlineRule.FIXED_DATE, due_date="10/12/2024"))  # fmt: skip
    assert saved.status_code == 302
    regime.refresh_from_db()
    assert regime.due_date == dt.date(2024, 12, 10)
    assert AuditEntry.objects.get(object_id=str(regime.pk), action="update").changes["due_date"] == [
        "2024-12-05", "2024-12-10"]  # fmt: skip

    assert client.post(reverse("rollup:deadline_delete", args=[regime.pk])).status_code == 302
    assert not ReportingRegime.objects.exists()
    assert AuditEntry.objects.filter(object_id=str(regime.pk), action="delete").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"period_key": "2024"}, "«2024» là kỳ năm, không phải kỳ quý: chọn lại loại kỳ hoặc sửa kỳ."),
        ({"period_key": "2024-Q1", "rule": DeadlineRule.FIXED_DATE, "due_date": "2023-12-01"},
         "Hạn gửi 01/12/2023 trước ngày bắt đầu kỳ (15/12/2023)."),
        ({"period_key": "2024-Q1", "rule": DeadlineRule.FIXED_DATE, "due_date": "31/02/2024"}, "Nhập ngày hợp lệ."),
        ({"rule": DeadlineRule.FIXED_DATE, "due_date": "2024-03-20"}, "phải ghi kỳ áp dụng"),
        ({"days": ""}, "Nhập số ngày."),
        ({"days": "-1"}, "Giá trị phải lớn hơn hoặc bằng 0."),
        ({"rule": DeadlineRule.DAY_OF_NEXT_MONTH, "days": "40"}, "từ 1 đến 31"),
        ({"remind_before_days": "45"}, "Giá trị phải nhỏ hơn hoặc bằng 30."),
        ({"period_kind": "decade"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)  # fmt: skip
def test_a_bad_deadline_is_shown_again_with_the_reason_and_nothing_is_saved(aggregator_client, home_affairs, fields,
                                                                             message):  # fmt: skip
    response = aggregator_client.post(reverse("rollup:deadlines"), _form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportingRegime.objects.exists()


def test_the_defaults_button_creates_what_is_missing_and_says_they_must_be_checked(aggregator_client, home_affairs):
    response = aggregator_client.post(reverse("rollup:deadline_defaults"), {"co_quan": home_affairs.pk}, follow=True)
    body = response.content.decode()
    assert "Đã tạo 4 hạn gửi mặc định" in body and "chưa được đối chiếu với văn bản của tỉnh" in body
    assert "Nghị định 09/2019/NĐ-CP Điều 12" in body
    again = aggregator_client.post(reverse("rollup:deadline_defaults"), {"co_quan": home_affairs.pk}, follow=True)
    assert "Cơ quan đã có đủ các hạn gửi mặc định." in again.content.decode()
    assert ReportingRegime.objects.filter(aggregator=home_affairs).count() == 4


def test_another_aggregators_deadline_and_group_are_not_found_and_readers_cannot_change_one(
    aggregator_client, home_affairs, elsewhere, agency, make_user
):
    client = aggregator_client
    theirs = elsewhere["deadline"]
    for url in (reverse("rollup:deadline_edit", args=[theirs.pk]), reverse("rollup:deadline_delete", args=[theirs.pk])):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, _form()).status_code == 404
    assert ReportingRegime.objects.filter(pk=theirs.pk).exists()
    # A group of another aggregator named in the form, on the list and on an edit page: 404, nothing saved.
    assert client.post(reverse("rollup:deadlines"), _form(group=elsewhere["group"].pk)).status_code == 404
    assert client.post(reverse("rollup:deadlines"), _form(group="abc")).status_code == 404
    mine = save_deadline(ReportingRegime(aggregator=home_affairs, period_kind="quarter"), None)
    edit = reverse("rollup:deadline_edit", args=[mine.pk])
    assert client.post(edit, _form(group=elsewhere["group"].pk)).status_code == 404
    assert client.get(reverse("rollup:deadlines"), {"co_quan": elsewhere["home"].pk}).status_code == 404
    assert ReportingRegime.objects.count() == 2

    # The aggregator's viewer reads its deadlines but changes none (403); a member's leader does not even read them
    # (404); neither has a deadline page of its own (403).
    for reader, status in ((make_user("xem-snv", home_affairs, "viewer"), 403),
                           (make_user("lanhdao-so", agency, "leader"), 404)):  # fmt: skip
        client.force_login(reader)
        assert client.get(reverse("rollup:deadlines")).status_code == 403
        assert client.post(reverse("rollup:deadlines"), _form(co_quan=home_affairs.pk)).status_code == 404
        assert client.post(edit, _form(days="9")).status_code == status
        assert client.post(reverse("rollup:deadline_delete", args=[mine.pk])).status_code == status
    mine.refresh_from_db()
    assert mine.days == 3 and ReportingRegime.objects.count() == 2
