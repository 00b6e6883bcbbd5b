"""The dashboard: figures of the statistics service for the chosen agencies and period, within the user's scope.

Fixture, Quý I năm 2023 under NĐ 09/2019 (15/12/2022 – 14/03/2023), agency A = Sở KH&CN Quảng Trị:
  D1 received 01/12/2022 (direct), open, due 10/12/2022  -> carried over; in progress overdue
  D2 received 10/01/2023 (online), ended 12/01/2023, due 20/01/2023 -> new online; resolved early
  D3 received 16/01/2023 (direct), ended 01/02/2023, due 30/01/2023 -> new direct; resolved late
  D4 received 01/03/2023 (online), open, due 30/03/2023 -> new online; in progress within
Agency B = Sở Nội vụ (same province): E1 received 05/01/2023 (postal), ended 06/01/2023, due 19/01 -> early.
Agency C = Cao Bằng (another province): X1, never visible to Quảng Trị users.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cchc.dossiers.models import Dossier
from cchc.procedures.models import Procedure
from cchc.statistics.periods import parse_period
from cchc.statistics.service import compute

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date
Q1 = "2023-Q1"


def _dossier(code, agency, procedure, received, channel, due, ended=None):
    return Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        code=code,
        applicant_name=f"Chủ hồ sơ {code}",
        channel=channel,
        received_at=dt.datetime(received.year, received.month, received.day, 9, tzinfo=VN),
        received_on=received,
        due_at=dt.datetime(due.year, due.month, due.day, 17, tzinfo=VN),
        due_date=due,
        status="resolved" if ended else "in_process",
        ended_at=dt.datetime(ended.year, ended.month, ended.day, 10, tzinfo=VN) if ended else None,
        ended_on=ended,
        outcome="resolved" if ended else "",
    )


@pytest.fixture
def world(agency, other_agency, foreign_agency, procedure, field):
    p_b = Procedure.objects.create(
        agency=other_agency, code="1.000100", name="Thủ tục của Sở Nội vụ", field=field, processing_time=5,
        effective_from=D(2020, 1, 1),
    )  # fmt: skip
    p_c = Procedure.objects.create(
        agency=foreign_agency, code="2.000500", name="Thủ tục Cao Bằng", field=field, processing_time=5,
        effective_from=D(2020, 1, 1),
    )  # fmt: skip
    _dossier("D1", agency, procedure, D(2022, 12, 1), 1, D(2022, 12, 10))
    _dossier("D2", agency, procedure, D(2023, 1, 10), 2, D(2023, 1, 20), D(2023, 1, 12))
    _dossier("D3", agency, procedure, D(2023, 1, 16), 1, D(2023, 1, 30), D(2023, 2, 1))
    _dossier("D4", agency, procedure, D(2023, 3, 1), 2, D(2023, 3, 30))
    _dossier("HS-SNV-0001", other_agency, p_b, D(2023, 1, 5), 3, D(2023, 1, 19), D(2023, 1, 6))
    _dossier("HS-CAOBANG-0001", foreign_agency, p_c, D(2023, 1, 5), 2, D(2023, 1, 19))


@pytest.fixture
def aggregator(make_user, agency):
    return make_user("tonghop", agency, "aggregator")


def _cards(response) -> dict[str, str]:
    return {card["label"]: str(card["value"]) for card in response.context["cards"]}


def test_figures_are_those_of_the_statistics_service(client, officer, agency, world):
    client.force_login(officer)
    response = client.get("/", {"ky": Q1})
    assert response.status_code == 200
    expected = compute(parse_period(Q1), agencies=[agency]).dossiers
    # Hand-counted (see the module docstring), then the same numbers as the service.
    assert (expected.received_total, expected.carried_over, expected.received_online) == (4, 1, 2)
    assert (expected.resolved_early, expected.resolved_on_time, expected.resolved_late) == (1, 0, 1)
    assert (expected.in_progress_within, expected.in_progress_overdue) == (1, 1)
    cards = _cards(response)
    assert cards["Tổng số hồ sơ tiếp nhận"] == "4"
    assert cards["Tiếp nhận trực tuyến"] == "2"
    assert cards["Giải quyết trước hạn"] == "1"
    assert cards["Giải quyết đúng hạn"] == "0"
    assert cards["Giải quyết quá hạn"] == "1"
    assert cards["Tỷ lệ đúng hạn"] == "50,0%"
    assert cards["Đang giải quyết trong hạn"] == "1"
    assert cards["Đang giải quyết quá hạn"] == "1"
    body = response.content.decode()
    assert "Quý I năm 2023" in body and "15/12/2022" in body and "14/03/2023" in body
    # The Biểu 06 row of the only field: total, online, direct+postal, carried | resolved, early, on time, late |
    # in progress, within, overdue.
    row = re.search(r"<td>Năng lượng nguyên tử[^<]*</td>(.*?)</tr>", body, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["4", "2", "1", "1", "2", "1", "0", "1", "2", "1", "1"]
    # Each dossier figure links to the dossier list filtered by the same period, figure and agency.
    links = {card["label"]: card.get("url") for card in response.context["cards"]}
    assert links["Tổng số hồ sơ tiếp nhận"] == f"/ho-so/?agency={agency.pk}&period=2023-Q1&figure=received_total"
    assert links["Đang giải quyết quá hạn"].endswith("figure=in_progress_overdue")
    # The other agencies' dossiers are not counted.
    assert "HS-SNV-0001" not in body and "HS-CAOBANG-0001" not in body


def test_overdue_list_links_to_the_dossiers(client, officer, world):
    client.force_login(officer)
    response = client.get("/", {"ky": Q1})
    d1 = Dossier.objects.get(code="D1")
    body = response.content.decode()
    assert f'href="/ho-so/{d1.pk}/"' in body
    # Today D1 and D4 are both open past their due date; most overdue first; B's and C's are not listed.
    assert response.context["overdue_count"] == 2
    assert [d.code for d in response.context["overdue"]] == ["D1", "D4"]
    assert "/ho-so/?agency=" in body and "overdue=on" in body


def test_default_period_is_the_current_quarter(client, officer, world):
    client.force_login(officer)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["period"].kind == "quarter"
    assert response.context["period"].start.day == 15  # NĐ 09/2019 cut-off


def test_custom_range_and_bad_period(client, officer, world):
    client.force_login(officer)
    response = client.get("/", {"ky": "tuy-chon", "tu": "2023-01-01", "den": "2023-01-31"})
    assert response.context["period"].start == D(2023, 1, 1) and response.context["period"].end == D(2023, 1, 31)
    response = client.get("/", {"ky": "2023-Q7"})
    assert response.status_code == 200
    assert "Quý không hợp lệ" in response.content.decode()
    assert response.context["period"].kind == "quarter"
    response = client.get("/", {"ky": "tuy-chon", "tu": "2023-03-01", "den": "2023-01-01"})
    assert response.status_code == 200 and response.context["choice"].error


def test_aggregator_picks_any_agency_of_the_province(client, aggregator, agency, other_agency, foreign_agency, world):
    client.force_login(aggregator)
    response = client.get("/", {"ky": Q1})
    values = [option.value for option in response.context["scope_options"]]
    assert str(other_agency.pk) in values and f"tinh-{agency.province_id}" in values
    assert str(foreign_agency.pk) not in values
    response = client.get("/", {"ky": Q1, "co_quan": other_agency.pk})
    assert _cards(response)["Tổng số hồ sơ tiếp nhận"] == "1"
    response = client.get("/", {"ky": Q1, "co_quan": f"tinh-{agency.province_id}"})
    assert _cards(response)["Tổng số hồ sơ tiếp nhận"] == "5"
    assert response.context["stats"].dossiers == compute(parse_period(Q1), agencies=[agency, other_agency]).dossiers
    assert client.get("/", {"co_quan": foreign_agency.pk}).status_code == 404
    assert client.get("/", {"co_quan": f"tinh-{foreign_agency.province_id}"}).status_code == 404


@pytest.mark.parametrize("value", ["other", "foreign", "province", "tat-ca", "abc"])
def test_officer_cannot_pick_another_agency(client, officer, other_agency, foreign_agency, world, value):
    client.force_login(officer)
    co_quan = {
        "other": other_agency.pk,
        "foreign": foreign_agency.pk,
        "province": f"tinh-{other_agency.province_id}",
        "tat-ca": "tat-ca",
        "abc": "abc",
    }[value]
    assert client.get("/", {"co_quan": co_quan}).status_code == 404


def test_officer_sees_no_agency_picker(client, officer, world):
    client.force_login(officer)
    body = client.get("/", {"ky": Q1}).content.decode()
    assert 'name="co_quan"' not in body


def test_htmx_request_returns_the_page(client, officer, world):
    client.force_login(officer)
    response = client.get("/", {"ky": Q1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="main"' in response.content.decode()


def test_user_without_agency(client, django_user_model):
    user = django_user_model.objects.create_user("moi", password="x-y-z-1234")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "Tài khoản chưa thuộc cơ quan nào" in response.content.decode()


def test_a_period_that_has_not_ended_counts_overdue_as_of_today(client, officer, agency, procedure):
    """Issue 7: on 02/12/2026 Quý IV 2026 (to 14/12/2026) showed "Đang giải quyết quá hạn 9" beside a list of the
    3 truly overdue; the 6 others were due 03-08/12/2026, in the future. Same shape, around whatever today is: a
    period ending in 12 days, 3 open dossiers past due, 6 due in the next days."""
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=40), today + dt.timedelta(days=12)
    for n, due_in in enumerate([-5, -3, -1, 1, 2, 3, 4, 5, 6]):
        _dossier(f"Q{n}", agency, procedure, today - dt.timedelta(days=20), 2, today + dt.timedelta(days=due_in))
    client.force_login(officer)
    response = client.get("/", {"ky": "tuy-chon", "tu": start.isoformat(), "den": end.isoformat()})
    cards = _cards(response)
    assert cards["Đang giải quyết quá hạn"] == "3"
    assert cards["Đang giải quyết trong hạn"] == "6"
    # The card and the list beside it agree.
    assert response.context["overdue_count"] == 3
    assert sorted(d.code for d in response.context["overdue"]) == ["Q0", "Q1", "Q2"]
    body = response.content.decode()
    assert f'<strong id="as-of">Số liệu tính đến ngày {today:%d/%m/%Y}</strong>' in body
    assert response.context["stats"].as_of == today
    # The dossiers behind the card are the same three.
    listed = client.get(response.context["cards"][-1]["url"])
    assert listed.context["notes"] == []
    assert listed.context["count"] == 3
    assert sorted(d.code for d in listed.context["page"].rows) == ["Q0", "Q1", "Q2"]


def test_a_period_that_has_ended_says_no_as_of_date(client, officer, world):
    client.force_login(officer)
    response = client.get("/", {"ky": Q1})
    assert response.context["stats"].as_of == D(2023, 3, 14)
    assert "Số liệu tính đến ngày" not in response.content.decode()
