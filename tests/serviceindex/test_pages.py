"""The index pages: what a member, an aggregator and a stranger see; the lists behind lost points; the card."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cchc.agencies.models import Agency
from cchc.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

INDEX = reverse("serviceindex:index")
Q1 = {"ky": "2023-Q1"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_member_sees_the_six_groups_the_points_and_the_trend(world, make_user):
    client = client_for(make_user("lanhdao", world["a"], "leader"))
    response = client.get(INDEX, Q1)
    assert response.status_code == 200
    body = text(response)
    assert 'data-total="50"' in body
    for name, points in [
        ("Công khai, minh bạch", "6/18"),
        ("Tiến độ giải quyết", "12,73/20"),
        ("Mức độ hài lòng", "9,42/18"),
    ]:
        assert name in body and points in body.replace("<small>", "").replace("</small>", "")
    assert "01/01/2023 – 31/03/2023" in body
    assert body.count('data-indicator="') == 22
    # The trend: twelve months to March 2023, each a link to its own page.
    assert body.count("ky=2022-04") == 1 and "ky=2023-03" in body and "chart-index-trend" in body
    # A lost point is a link to its list; an indicator that lost nothing has none.
    assert 'data-lost="2.1"' in body and 'data-lost="3.5b"' not in body


def test_the_list_behind_a_lost_point_links_each_dossier(world, make_user):
    client = client_for(make_user("chuyenvien-l", world["a"], "officer"))
    response = client.get(reverse("serviceindex:lost", args=["2.1"]), Q1)
    assert response.status_code == 200
    body = text(response)
    found = set(re.findall(r'data-dossier="([^"]+)"', body))
    assert found == {"A3", "A4", "A6", "A11"}
    a3 = Dossier.objects.get(code="A3")
    assert reverse("dossiers:detail", args=[a3.pk]) in body
    assert "Giải quyết quá hạn" in body and "4 mục làm mất điểm" in body


def test_the_lists_of_procedures_and_feedback(world, make_user):
    client = client_for(make_user("chuyenvien-p", world["a"], "officer"))
    procedures = text(client.get(reverse("serviceindex:lost", args=["3.5"]), Q1))
    assert re.findall(r'data-procedure="([^"]+)"', procedures) == ["1.000002"]
    assert reverse("procedures:detail", args=[world["procedures"]["PP"].pk]) in procedures
    feedback = text(client.get(reverse("serviceindex:lost", args=["5.4"]), {**Q1, "loai": "feedback"}))
    assert len(re.findall(r'data-feedback="', feedback)) == 3
    dossiers = text(client.get(reverse("serviceindex:lost", args=["5.4"]), Q1))
    assert set(re.findall(r'data-dossier="([^"]+)"', dossiers)) == {"A3", "A4", "A6", "A11"}


def test_lists_are_paginated(world, make_user):
    from .conftest import D, make_dossier

    pf = world["procedures"]["PF"]
    for n in range(55):  # never synced
        make_dossier(f"P{n:02d}", world["a"], pf, D(2023, 2, 1 + n % 25), 1, D(2023, 3, 30))
    client = client_for(make_user("chuyenvien-pg", world["a"], "officer"))
    url = reverse("serviceindex:lost", args=["1.4"])
    first, second = text(client.get(url, Q1)), text(client.get(url, {**Q1, "trang": 2}))
    assert len(re.findall(r'data-dossier="', first)) == 50 and "Trang 1/2" in first
    assert len(re.findall(r'data-dossier="', second)) == 56 - 50


def test_a_month_a_year_and_a_range(world, make_user):
    client = client_for(make_user("xem", world["a"], "viewer"))
    for params, dates in [
        ({"ky": "2023-02"}, "01/02/2023 – 28/02/2023"),
        ({"ky": "2023"}, "01/01/2023 – 31/12/2023"),
        ({"ky": "tuy-chon", "tu": "2023-01-05", "den": "2023-02-10"}, "05/01/2023 – 10/02/2023"),
    ]:
        response = client.get(INDEX, params)
        assert response.status_code == 200 and dates in text(response), params
    bad = text(client.get(INDEX, {"ky": "2023-Q9"}))
    assert "Quý không hợp lệ" in bad and 'role="alert"' in bad


def test_another_agency_is_404_and_the_province_only_for_an_aggregator(world, make_user):
    member = client_for(make_user("quantri-a", world["a"], "admin"))
    assert member.get(INDEX, {"co_quan": world["c"].pk}).status_code == 404
    assert member.get(reverse("serviceindex:lost", args=["2.1"]), {"co_quan": world["c"].pk}).status_code == 404
    assert member.get(reverse("serviceindex:card"), {"co_quan": world["c"].pk}).status_code == 404
    province = f"tinh-{world['province'].pk}"
    assert member.get(INDEX, {"co_quan": province}).status_code == 404
    assert member.get(INDEX, {"co_quan": world["b"].pk}).status_code == 404  # same province, not theirs
    home = Agency.objects.create(province=world["province"], code="SNVX", name="Sở Nội vụ tổng hợp")
    aggregator = client_for(make_user("tonghop", home, "aggregator"))
    body = text(aggregator.get(INDEX, {**Q1, "co_quan": province}))
    assert "Toàn tỉnh Quảng Trị" in body
    rows = text(aggregator.get(reverse("serviceindex:lost", args=["1.4"]), {**Q1, "co_quan": province}))
    assert set(re.findall(r'data-dossier="([^"]+)"', rows)) == {"A3"}
    assert aggregator.get(INDEX, {"co_quan": world["c"].pk}).status_code == 404
    assert aggregator.get(INDEX, {"co_quan": f"tinh-{world['c'].province_id}"}).status_code == 404


def test_a_user_of_no_agency_gets_403_and_an_anonymous_one_logs_in(world):
    lonely = client_for(get_user_model().objects.create_user("khongcoquan", password="mat-khau-thu-nghiem"))
    assert lonely.get(INDEX).status_code == 403
    assert lonely.get(reverse("serviceindex:lost", args=["2.1"])).status_code == 403
    assert Client().get(INDEX).status_code == 302


def test_an_unknown_indicator_or_list_is_404(world, make_user):
    client = client_for(make_user("chuyenvien-u", world["a"], "officer"))
    assert client.get(reverse("serviceindex:lost", args=["9.9"]), Q1).status_code == 404
    assert client.get(reverse("serviceindex:lost", args=["2.1"]), {**Q1, "loai": "feedback"}).status_code == 404
    assert client.get(reverse("serviceindex:lost", args=["2.1"]), {**Q1, "loai": "khac"}).status_code == 404


def test_the_dashboard_card_for_the_dashboards_period(world, make_user):
    client = client_for(make_user("lanhdao-c", world["a"], "leader"))
    dashboard = text(client.get(reverse("dashboard"), {"ky": "2023-Q1"}))
    assert 'hx-get="/chi-so-766/the/?ky=2023-Q1"' in dashboard
    card = client.get(reverse("serviceindex:card"), {"ky": "2023-Q1"}, HTTP_HX_REQUEST="true")
    body = text(card)
    # The dashboard's Quý I/2023 is 15/12/2022 – 14/03/2023 (NĐ 09); the card shows the calendar quarter.
    assert card.status_code == 200 and 'data-total="50"' in body and "Quý I năm 2023" in body
    assert 'href="/chi-so-766/?co_quan=' in body and "ky=2023-Q1" in body
    plain = client.get(reverse("serviceindex:card"), {"ky": "2023-Q1"})
    assert plain.status_code == 302 and plain["Location"].startswith(INDEX)


def test_the_navigation_links_the_page(world, make_user):
    client = client_for(make_user("xem-n", world["a"], "viewer"))
    assert f'href="{INDEX}"' in text(client.get(reverse("dashboard")))
