"""The parameters are data: loaded from the versioned file, edited in the admin (audited), a later set for later
periods, so that a revision is an edit and not a release."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from cchc.audit.models import AuditEntry
from cchc.serviceindex import parameters, service
from cchc.serviceindex.models import GroupParameter, IndicatorParameter, ParameterSet

from .conftest import LATER, Q1

pytestmark = pytest.mark.django_db


def test_the_shipped_file_is_loaded_once_with_its_legal_basis():
    data = parameters.read_file()
    shipped = ParameterSet.objects.get(code=data["code"])
    assert shipped.valid_from == dt.date(2022, 6, 23) and "766/QĐ-TTg" in shipped.legal_basis
    assert parameters.load_file() is False  # already there: never loaded over an edited set
    loaded = parameters.for_day(dt.date(2023, 3, 31))
    assert loaded.max_points == 100
    assert [(g.code, g.max_points) for g in loaded.groups] == [
        ("CKMB", 18),
        ("TDGQ", 20),
        ("CLGQ", 12),
        ("TTTT", 10),
        ("MDSH", 22),
        ("MDHL", 18),
    ]
    codes = [i.code for g in loaded.groups for i in g.indicators]
    assert len(codes) == len(set(codes)) == 22
    assert all(i.legal_basis for g in loaded.groups for i in g.indicators)
    assert loaded.indicator("4.3").threshold == Decimal("0.8")
    assert loaded.indicator("2.1").options == {"max_supplement_requests": 1}


def test_an_edited_maximum_and_threshold_change_the_points(world):
    before = service.compute(Q1, agencies=[world["a"]], today=LATER).indicator("4.3")
    IndicatorParameter.objects.filter(code="4.3").update(max_points=Decimal("3"), threshold=None)
    after = service.compute(Q1, agencies=[world["a"]], today=LATER).indicator("4.3")
    assert (before.points, after.points) == (Decimal("0.83"), Decimal("1.00"))  # 3 x 3/9 without a threshold
    assert service.compute(Q1, agencies=[world["a"]], today=LATER).max_points == 101


def test_a_later_set_applies_to_periods_ending_from_its_day(world):
    shipped = ParameterSet.objects.get()
    revision = ParameterSet.objects.create(
        code="qd766-sua-doi", name="Bộ tham số sửa đổi", valid_from=dt.date(2024, 1, 1)
    )
    group = GroupParameter.objects.create(parameter_set=revision, code="TDGQ", name="Tiến độ giải quyết", position=1)
    IndicatorParameter.objects.create(
        group=group, code="2.1", position=1, name="Tỷ lệ hồ sơ đúng hạn", measure="on_time", max_points=Decimal("50")
    )
    old = service.compute(Q1, agencies=[world["a"]], today=LATER)
    new = service.compute(parameters_period("2024-Q1"), agencies=[world["a"]], today=LATER)
    assert old.parameters.code == shipped.code and old.max_points == 100
    assert new.parameters.code == "qd766-sua-doi" and new.max_points == 50 and len(new.groups) == 1
    resolver = parameters.Resolver()
    assert resolver.for_day(dt.date(2023, 12, 31)).code == shipped.code
    assert resolver.for_day(dt.date(2024, 1, 1)).code == "qd766-sua-doi"


def parameters_period(key):
    from cchc.statistics.periods import parse_period

    return parse_period(key, "calendar")


def test_a_period_before_every_set_is_scored_with_the_earliest_and_says_so(world):
    result = service.compute(parameters_period("2021-Q1"), agencies=[world["a"]], today=LATER)
    assert result.parameters.before_first and result.max_points == 100
    assert parameters.Resolver().for_day(dt.date(2021, 3, 31)).before_first


def test_an_empty_database_loads_the_shipped_file():
    ParameterSet.objects.all().delete()
    assert parameters.for_day(dt.date(2023, 3, 31)).max_points == 100


def test_an_edit_in_the_admin_is_audited_and_only_for_the_superuser(make_user, agency):
    from django.contrib.auth import get_user_model

    row = IndicatorParameter.objects.get(code="3.6")
    url = f"/admin/serviceindex/indicatorparameter/{row.pk}/change/"
    officer = Client()
    officer.force_login(make_user("chuyenvien-ts", agency, "officer"))
    assert officer.get(url).status_code == 302  # the admin's log-in: an officer is not staff
    admin_user = get_user_model().objects.create_superuser("quantri-ts", "qt@example.vn", "mat-khau-thu-nghiem")
    client = Client()
    client.force_login(admin_user)
    form = {
        "group": row.group_id,
        "code": "3.6",
        "position": row.position,
        "name": row.name,
        "measure": row.measure,
        "max_points": "7",
        "threshold": "",
        "cap": "",
        "rounding": 2,
        "when_empty": "na",
        "source": "computed",
        "options": "{}",
        "legal_basis": row.legal_basis,
        "note": row.note,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.max_points == 7
    entry = AuditEntry.objects.filter(object_id=str(row.pk)).latest("pk")
    assert entry.changes["max_points"][0] == "6.00" and Decimal(entry.changes["max_points"][1]) == 7
    assert entry.actor == admin_user
