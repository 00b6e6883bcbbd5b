"""Pages that do only their own work: the dashboard, the dossier list (filters, search, paging), a dossier's page,
an aggregator's roll-up and the report editor run the same number of queries for a small and a ten times larger
data set (more dossiers, agencies, procedures and fields). A query per row would show as a difference here; a
page's number is also capped, so that a new repeated computation shows up too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.agencies.models import Agency, Unit
from cchc.dossiers import lifecycle
from cchc.dossiers.models import Dossier, search_text_for
from cchc.procedures.models import Field, Procedure
from cchc.reports import services as report_services

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2023, 3, 10)  # inside Q1 2023 under NĐ 09/2019 (15/12/2022 – 14/03/2023)


def _build(province, home: Agency, scale: int) -> dict:
    """`scale` agencies besides `home` (each with its own field and procedure) and 5 x scale dossiers in `home`
    spread over them: received on different days, some ended (early, late), some open and overdue."""
    agencies = [home] + [
        Agency.objects.create(province=province, code=f"S{i:02d}", name=f"Sở thử nghiệm {i:02d}")
        for i in range(1, scale)
    ]
    procedures = []
    for i, agency in enumerate(agencies):
        field, _new = Field.objects.get_or_create(name=f"Lĩnh vực {i:02d}")
        for target in {home, agency}:
            procedures.append(
                Procedure.objects.create(
                    agency=target,
                    code=f"1.{i:06d}",
                    name=f"Thủ tục {i:02d}",
                    field=field,
                    processing_time=Decimal("5"),
                    online_service="partial" if i % 2 else "full",
                    effective_from=dt.date(2020, 1, 1),
                )  # fmt: skip
            )
    rows = []
    for n in range(5 * scale):
        agency = agencies[n % len(agencies)] if n % 3 == 0 else home
        own = [p for p in procedures if p.agency_id == agency.pk]
        procedure = own[n % len(own)]
        received = dt.date(2023, 1, 2) + dt.timedelta(days=n % 60)
        due = received + dt.timedelta(days=7)
        ended = received + dt.timedelta(days=(n % 11)) if n % 4 else None
        rows.append(
            Dossier(
                agency=agency,
                procedure=procedure,
                code=f"HS-{n:05d}",
                applicant_name=f"Nguyễn Văn {n}",
                search_text=search_text_for(f"HS-{n:05d}", f"Nguyễn Văn {n}"),
                channel=1 + n % 3,
                received_at=dt.datetime(received.year, received.month, received.day, 9, tzinfo=VN),
                received_on=received,
                due_at=dt.datetime(due.year, due.month, due.day, 17, tzinfo=VN),
                due_date=due,
                status="resolved" if ended else "in_process",
                ended_at=dt.datetime(ended.year, ended.month, ended.day, 10, tzinfo=VN) if ended else None,
                ended_on=ended,
                outcome="resolved" if ended else "",
            )  # fmt: skip
        )
    Dossier.objects.bulk_create(rows)
    return {"agencies": agencies, "procedures": procedures}


@pytest.fixture
def freeze_today(monkeypatch):
    """Pages and figures as of TODAY (the lifecycle's own moments stay real)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _count(client, url: str, params: dict | None = None) -> int:
    """The queries of one request, after a first one (which may save the session or warm a process cache)."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(queries)


SMALL, LARGE = 1, 10

PAGES = {
    # name: (url name, params, the most queries the page may run)
    "dashboard": ("dashboard", {}, 30),
    "dashboard_closed_period": ("dashboard", {"ky": "2022-Q4"}, 30),
    "list": ("dossiers:list", {}, 20),
    "list_search": ("dossiers:list", {"q": "nguyen van 1"}, 20),
    "list_filters": ("dossiers:list", {"status": "in_process", "channel": "1", "overdue": "on"}, 20),
    "list_figure": ("dossiers:list", {"period": "2023-Q1", "figure": "resolved_late"}, 20),
    "list_by_due": ("dossiers:list", {"sort": "-due"}, 20),
    "list_by_applicant": ("dossiers:list", {"sort": "applicant", "status": "in_process"}, 20),
    "my_work": ("worklists:my_work", {}, 12),
}


def _page_counts(client, user) -> dict[str, int]:
    client.force_login(user)
    return {name: _count(client, reverse(url), params) for name, (url, params, _cap) in PAGES.items()}


def test_pages_run_the_same_queries_whatever_the_data_size(client, make_user, province, agency, freeze_today):
    counts = {}
    user = make_user("chuyenvien", agency, "officer")
    for scale in (SMALL, LARGE):
        # Each size in a fresh set of rows: the larger one replaces the smaller.
        Dossier.objects.all().delete()
        Procedure.objects.all().delete()
        Agency.objects.exclude(pk=agency.pk).delete()
        _build(province, agency, scale)
        counts[scale] = _page_counts(client, user)
    assert counts[SMALL] == counts[LARGE]
    for name, (_url, _params, cap) in PAGES.items():
        assert counts[LARGE][name] <= cap, (name, counts[LARGE][name])


def test_list_paging_runs_the_same_queries_on_every_page(client, make_user, province, agency, freeze_today):
    _build(province, agency, 2 * LARGE)  # more than a page of the home agency's dossiers
    client.force_login(make_user("chuyenvien", agency, "officer"))
    first = client.get(reverse("dossiers:list"))
    cursor = first.context["page"].next_cursor
    assert cursor
    with CaptureQueriesContext(connection) as page_one:
        client.get(reverse("dossiers:list"))
    with CaptureQueriesContext(connection) as page_two:
        second = client.get(reverse("dossiers:list"), {"after": cursor})
    assert second.status_code == 200
    assert {d.pk for d in second.context["page"].rows}.isdisjoint({d.pk for d in first.context["page"].rows})
    assert len(page_two) <= len(page_one) + 1  # the page before needs no count of its own


def _detail_queries(client, user, dossier) -> int:
    client.force_login(user)
    return _count(client, reverse("dossiers:detail", args=[dossier.pk]))


def _walk(dossier, actor, unit, steps: int) -> None:
    """Assign the dossier back and forth between two units `steps` times (each step an event and an audit entry)."""
    other = Unit.objects.create(agency=dossier.agency, name=f"Phòng khác {dossier.pk}")
    for i in range(steps):
        lifecycle.assign(dossier, unit=unit if i % 2 == 0 else other, actor=actor)


def test_dossier_page_runs_the_same_queries_for_a_short_and_a_long_history(client, make_user, agency, procedure, unit):
    user = make_user("chuyenvien", agency, "officer")
    short = lifecycle.receive(agency=agency, procedure=procedure, applicant_name="Trần Thị Bình", channel=1, actor=user)
    long = lifecycle.receive(agency=agency, procedure=procedure, applicant_name="Lê Văn Cường", channel=2, actor=user)
    _walk(short, user, unit, 1)
    _walk(long, user, unit, 12)
    assert _detail_queries(client, user, short) == _detail_queries(client, user, long)
    assert _detail_queries(client, user, long) <= 20


def test_rollup_runs_the_same_queries_for_few_and_many_members(client, make_user, province, agency, freeze_today):
    counts = {}
    for scale in (SMALL, LARGE):
        Dossier.objects.all().delete()
        Procedure.objects.all().delete()
        Agency.objects.exclude(pk=agency.pk).delete()
        _build(province, agency, scale)
        hub = Agency.objects.create(province=province, code=f"SNV{scale}", name="Sở Nội vụ")
        user = make_user(f"tonghop{scale}", hub, "aggregator")
        client.force_login(user)
        counts[scale] = {key: _count(client, reverse("rollup:table"), {"ky": key}) for key in ("2023-Q1", "2022-Q4")}
    assert counts[SMALL] == counts[LARGE]
    assert max(counts[LARGE].values()) <= 25


def test_report_editor_runs_the_same_queries_whatever_the_data_size(client, make_user, province, agency, freeze_today):
    counts = {}
    user = make_user("chuyenvien", agency, "officer")
    for scale in (SMALL, LARGE):
        Dossier.objects.all().delete()
        from cchc.reports.models import Report

        Report.objects.all().delete()
        Procedure.objects.all().delete()
        Agency.objects.exclude(pk=agency.pk).delete()
        _build(province, agency, scale)
        report = report_services.create_report(agency, "cchc-quarterly", "2023-Q1", user)
        client.force_login(user)
        counts[scale] = _count(client, reverse("reports:detail", args=[report.pk]))
    assert counts[SMALL] == counts[LARGE]
