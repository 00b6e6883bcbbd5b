"""The demo's Sở KH&CN: its 766 page for a quarter shows every group with points, and a click on a lost point lists
exactly the dossiers behind it. One small demo build for the module, rolled back at its end."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cchc.agencies.models import Agency
from cchc.demo import build, data
from cchc.dossiers.models import Dossier, PaymentGateway
from cchc.procedures.models import Procedure
from cchc.serviceindex import prepared, service
from cchc.serviceindex.models import ImportedFigure
from cchc.statistics.periods import parse_period

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 15, 30))
SCALE = 0.05


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            prepared.forget()
            yield build.build_demo(scale=SCALE, now=NOW)
        finally:
            prepared.forget()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(built, db):
    return built


def department() -> Agency:
    return Agency.objects.get(code="SKHCN", province__code=data.PROVINCE_CODE)


def test_the_demo_dossiers_and_catalogue_carry_the_index_data(demo):
    dossiers = Dossier.objects.filter(agency=department())
    assert dossiers.filter(payment_gateway=PaymentGateway.NATIONAL).exists()
    assert dossiers.filter(payment_gateway=PaymentGateway.PROVINCIAL).exists()
    assert dossiers.filter(fees_paid__gt=0, payment_gateway=PaymentGateway.NOT_ONLINE).exists()  # paid at the desk
    assert dossiers.filter(result_digitised=True).exists() and dossiers.filter(reused_components__gt=0).exists()
    assert dossiers.filter(synced_at__isnull=False).count() > dossiers.filter(synced_at__isnull=True).count() > 0
    # Every component of a digitised dossier is counted digitised; fewer than all otherwise.
    for dossier in dossiers.select_related("procedure")[:80]:
        parts = dossier.procedure.components.count()
        assert (
            dossier.digitised_components == parts if dossier.digitised else dossier.digitised_components < max(1, parts)
        )
    assert Procedure.objects.filter(agency=department(), online_payment=True).exists()
    assert ImportedFigure.objects.filter(agency=department(), indicator_code="1.1").exists()


@pytest.mark.parametrize("key", ["2023-Q1", "2026-Q3"])
def test_the_departments_page_for_a_quarter_shows_every_group_with_points(demo, key):
    result = service.compute(parse_period(key, "calendar"), agencies=[department()], today=NOW.date())
    for group in result.groups:
        assert group.points > 0, (key, group.code)
    client = Client()
    client.force_login(department().memberships.get(user__username="skhcn.lanhdao").user)
    body = client.get(reverse("serviceindex:index"), {"ky": key}).content.decode()
    assert body.count('data-group="') == 6
    for group in result.groups:
        assert f'data-group="{group.code}"' in body


def test_a_click_on_a_lost_point_lists_exactly_the_dossiers_behind_it(demo):
    period = parse_period("2026-Q3", "calendar")
    result = service.compute(period, agencies=[department()], today=NOW.date())
    client = Client()
    client.force_login(department().memberships.get(user__username="skhcn.chuyenvien").user)
    page = client.get(reverse("serviceindex:index"), {"ky": period.key}).content.decode()
    checked = 0
    for link in re.findall(r'href="(/chi-so-766/[^/"]+/\?[^"]+)" data-lost="([^"]+)"', page):
        url, code = link
        indicator = result.indicator(code)
        if "dossiers" not in indicator.lists or code == "5.4":
            continue
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        shown = int(re.search(r"(\d+) mục làm mất điểm", listed).group(1))
        assert shown == indicator.lost == indicator.denominator - indicator.numerator, code
        checked += 1
    assert checked >= 5


def test_the_command_prints_the_demo_departments_quarter(demo):
    out = StringIO()
    call_command("index766", "--agency", "SKHCN", "--period", "2023-Q1", "--format", "json", stdout=out)
    data_ = json.loads(out.getvalue())
    assert data_["max"] == 100 and 0 < data_["total"] <= 100
    assert all(group["points"] > 0 for group in data_["groups"])


def test_a_second_build_writes_no_index_data(demo):
    before = list(Dossier.objects.order_by("pk").values_list("pk", "payment_gateway", "synced_at", "fees_paid"))
    summary = build.build_demo(scale=SCALE, now=NOW)
    assert summary.created == {}
    assert list(Dossier.objects.order_by("pk").values_list("pk", "payment_gateway", "synced_at", "fees_paid")) == before
