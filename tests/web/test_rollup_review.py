"""Reviewing an uploaded report: "Xem lại" re-reads the page by POST (never the CSRF token in the address), and the
upload page offers exactly the agencies whose reports the user may confirm (no agency offered then refused)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from cchc.agencies.models import Agency, Province
from cchc.aggregation import importing as imports
from cchc.aggregation.models import AggregationGroup, ImportedReport, ImportStatus
from cchc.aggregation.views_imports import import_agencies

pytestmark = pytest.mark.django_db

REPORT = """UBND TỈNH QUẢNG TRỊ
SỞ TƯ PHÁP
Số: 31/BC-STP
Quảng Trị, ngày 14 tháng 3 năm 2023
BÁO CÁO
Kết quả thực hiện công tác cải cách hành chính quý I năm 2023
Trong quý I năm 2023, Sở đã tiếp nhận 120 hồ sơ, đã giải quyết 110 hồ sơ, trong đó trước hạn và đúng hạn 108 hồ sơ.
Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2023 của UBND tỉnh về cải cách hành chính năm 2023.
"""


@pytest.fixture
def justice(province):
    return Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")


@pytest.fixture
def home_affairs_user(make_user, other_agency):
    return make_user("tonghop", other_agency, "aggregator")


def _staged(agency, actor) -> ImportedReport:
    return imports.stage_file(agency, REPORT.encode(), actor, filename="bao-cao-stp.txt")


def test_review_again_is_a_post_that_changes_nothing(home_affairs_user, justice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(home_affairs_user)
    imported = _staged(justice, home_affairs_user)
    page = client.get(reverse("rollup:review", args=[imported.pk]))
    html = page.content.decode()
    assert 'formmethod="get"' not in html
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    again = client.post(
        reverse("rollup:review", args=[imported.pk]),
        {"action": "review", "agency": justice.pk, "period": "2023-Q2", "csrfmiddlewaretoken": token},
    )
    assert again.status_code == 200
    assert 'value="2023-Q2"' in again.content.decode()
    imported.refresh_from_db()
    assert imported.status == ImportStatus.PENDING


def test_the_upload_list_offers_exactly_the_agencies_that_may_be_confirmed(
    home_affairs_user, justice, agency, other_agency, make_user
):
    """A ministry's group holds the Sở KH&CN of the province; the province's Sở Nội vụ still collects it (it has no
    group of its own), so it is offered and its confirmation goes through; an agency of another province is neither."""
    ministry = Agency.objects.create(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind=Agency.Kind.MINISTRY)
    AggregationGroup.objects.create(aggregator=ministry, name="Các Sở KH&CN").members.set([agency])
    elsewhere = Agency.objects.create(province=Province.objects.create(code="H06", name="Cao Bằng"), code="STP",
                                      name="Sở Tư pháp")
    offered = import_agencies(home_affairs_user)
    assert agency in offered and justice in offered and elsewhere not in offered
    for member in offered:
        imported = _staged(member, home_affairs_user)
        done = imports.confirm(imported, {"period": "2023-Q1", "tasks": False}, home_affairs_user)
        assert done.status == ImportStatus.CONFIRMED, member
    with pytest.raises(PermissionDenied):
        imports.confirm(_staged(elsewhere, make_user("o", elsewhere, "officer")), {"period": "2023-Q1"},
                        home_affairs_user)


def test_a_viewer_is_offered_nothing(make_user, agency):
    viewer = make_user("xem", agency, "viewer")
    assert import_agencies(viewer) == []
    client = Client()
    client.force_login(viewer)
    assert client.get(reverse("rollup:upload")).status_code == 403


def test_an_aggregators_import_lands_in_its_own_record_not_in_the_members_registry(
    client, home_affairs_user, justice, make_user, other_agency
):
    """The probe: a ministry aggregator with no role in a department wrote three documents (one an outgoing report
    number) and a reported figure into that department's live registry by confirming an upload."""
    from cchc.aggregation.models import ReportedFigure
    from cchc.aggregation.rollup import rollup_table
    from cchc.documents.models import Document
    from cchc.plans.models import Task
    from cchc.statistics.periods import parse_period

    client.force_login(home_affairs_user)
    imported = _staged(justice, home_affairs_user)
    page = client.get(reverse("rollup:review", args=[imported.pk])).content.decode()
    assert "chỉ lưu số liệu của báo cáo cho Sở Nội vụ" in page
    assert f'value="{justice.pk}" selected>Sở Tư pháp – Quảng Trị</option>' in page  # the picker names the province
    assert "Không vào sổ" in page
    done = imports.confirm(imported, {"period": "2023-Q1"}, home_affairs_user)
    assert done.status == ImportStatus.CONFIRMED
    assert Document.objects.filter(agency=justice).count() == 0
    assert Task.objects.filter(plan__agency=justice).count() == 0
    figure = ReportedFigure.objects.get(agency=justice, key="dossiers_received")
    assert figure.recorded_for == other_agency and figure.value == 120
    # Its roll-up reads them; another aggregator of the same member does not.
    q1 = parse_period("2023-Q1")
    mine = {row.agency.pk: row for row in rollup_table(other_agency, q1).rows}
    assert mine[justice.pk].cells["dossiers_received"].value == 120
    ministry = Agency.objects.create(code="BTP", name="Bộ Tư pháp", kind=Agency.Kind.MINISTRY)
    AggregationGroup.objects.create(aggregator=ministry, name="Các Sở Tư pháp").members.set([justice])
    theirs = {row.agency.pk: row for row in rollup_table(ministry, q1).rows}
    assert theirs[justice.pk].cells["dossiers_received"].value is None


def test_the_members_own_import_still_fills_its_registry(make_user, justice):
    from cchc.aggregation.models import ReportedFigure
    from cchc.documents.models import Document

    officer = make_user("stp.chuyenvien", justice, "officer")
    imports.confirm(_staged(justice, officer), {"period": "2023-Q1", "tasks": False}, officer)
    assert Document.objects.filter(agency=justice).exists()
    assert ReportedFigure.objects.get(agency=justice, key="dossiers_received").recorded_for is None
