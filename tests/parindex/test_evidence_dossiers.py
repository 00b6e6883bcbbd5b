"""Evidence from dossiers for the Biểu 06 year 2023 (NĐ 09/2019: 15/12/2022 – 14/12/2023): resolved on time,
received online, digitised, and late dossiers with an apology.

Sở KH&CN's dossiers (dd/mm/yy; ch: on = online, di = direct):

| code | received | ch | due      | ended    | flags              | counts in 2023
|------|----------|----|----------|----------|--------------------|---------------------------------------------
| K1   | 01/12/22 | di | 10/12/22 | 14/12/22 |                    | nothing (ended the day before the year)
| K2   | 01/12/22 | di | 20/12/22 | 15/12/22 | digitised          | carried over; resolved early (ended on its 1st day)
| K3   | 15/12/22 | on | 30/12/22 | 30/12/22 | digitised, result  | new online (received on the 1st day); on time
| K4   | 05/03/23 | on | 20/03/23 | 25/03/23 | apology            | new online; resolved late, apologised
| K5   | 10/06/23 | di | 24/06/23 | 30/06/23 |                    | new direct; resolved late, no apology
| K6   | 01/12/23 | on | 10/12/23 | open     | digitised          | new online; in progress, overdue at 14/12
| K7   | 14/12/23 | di | 28/12/23 | 14/12/23 | result             | new direct (received on the last day); early
| K8   | 15/12/23 | on | 29/12/23 | 20/12/23 | digitised          | nothing (received the day after the year)

Resolved 2023: K2, K3, K4, K5, K7 = 5, of which early or on time K2, K3, K7 = 3 (60 %). New: K3..K7 = 5, online
K3, K4, K6 = 3. Digitised among the new: K3, K6 = 2. Resolved with a result: 5, result digitised K3, K7 = 2.
Late: K4, K5 (resolved late) and K6 (overdue) = 3, apologised: K4 = 1.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cchc.dossiers.models import Dossier, DossierEvent, EventKind
from cchc.parindex.evidence import measure

pytestmark = pytest.mark.django_db
D = dt.date
VN = ZoneInfo("Asia/Ho_Chi_Minh")
ON, DI = 2, 1


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


def make_dossier(agency, procedure, code, received, channel, due, ended=None, **flags):
    apology = flags.pop("apology", False)
    dossier = Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        code=code,
        applicant_name=f"Chủ hồ sơ {code}",
        channel=channel,
        received_at=_at(received),
        received_on=received,
        due_at=_at(due, 17),
        due_date=due,
        status="resolved" if ended else "in_process",
        ended_at=_at(ended, 10) if ended else None,
        ended_on=ended,
        outcome="resolved" if ended else "",
        **flags,
    )
    if apology:
        dossier.events.create(
            kind=EventKind.APOLOGY_ISSUED,
            at=_at(due - dt.timedelta(days=1)),
            new_promised_date=due + dt.timedelta(days=7),
            note="Chờ ý kiến cơ quan phối hợp",
        )
        dossier.promised_date = due + dt.timedelta(days=7)
        dossier.save()
    return dossier


@pytest.fixture
def dossiers(agency, procedure):
    rows = [
        ("K1", D(2022, 12, 1), DI, D(2022, 12, 10), D(2022, 12, 14), {}),
        ("K2", D(2022, 12, 1), DI, D(2022, 12, 20), D(2022, 12, 15), {"digitised": True}),
        ("K3", D(2022, 12, 15), ON, D(2022, 12, 30), D(2022, 12, 30), {"digitised": True, "result_digitised": True}),
        ("K4", D(2023, 3, 5), ON, D(2023, 3, 20), D(2023, 3, 25), {"apology": True}),
        ("K5", D(2023, 6, 10), DI, D(2023, 6, 24), D(2023, 6, 30), {}),
        ("K6", D(2023, 12, 1), ON, D(2023, 12, 10), None, {"digitised": True}),
        ("K7", D(2023, 12, 14), DI, D(2023, 12, 28), D(2023, 12, 14), {"result_digitised": True}),
        ("K8", D(2023, 12, 15), ON, D(2023, 12, 29), D(2023, 12, 20), {"digitised": True}),
    ]
    return {
        code: make_dossier(agency, procedure, code, *row[1:5], **row[5]) for code, *row in [(r[0], *r) for r in rows]
    }


@pytest.fixture
def other_dossiers(other_agency, field):
    """Sở Nội vụ's dossiers in 2023: all on time, online, digitised. They must never count for Sở KH&CN."""
    from cchc.procedures.models import Procedure

    procedure = Procedure.objects.create(
        agency=other_agency,
        code="1.000100",
        name="Thủ tục của Sở Nội vụ",
        field=field,
        processing_time=Decimal("5"),
        effective_from=D(2020, 1, 1),
    )
    for n in range(4):
        make_dossier(
            other_agency,
            procedure,
            f"N{n}",
            D(2023, 5, 1),
            ON,
            D(2023, 5, 10),
            D(2023, 5, 8),
            digitised=True,
            result_digitised=True,
        )


def test_on_time_share_is_the_biểu_06_figure_of_the_year(agency, dossiers, other_dossiers):
    m = measure("dossiers_on_time_share", agency, 2023)
    assert (m.kind, str(m.value)) == ("ratio", "0.6")
    assert m.explanation == "Tỷ lệ hồ sơ giải quyết đúng hạn 60 % (Biểu 06, 15/12/2022–14/12/2023)."
    assert ("Hồ sơ đã giải quyết", "5") in m.figures and ("Quá hạn", "2") in m.figures
    dashboard, late = m.sources
    assert dashboard.url == f"{reverse('dashboard')}?co_quan={agency.pk}&ky=2023"
    assert late.url == f"{reverse('dossiers:list')}?agency={agency.pk}&period=2023&figure=resolved_late"
    assert measure("dossiers_on_time_share", agency, 2023, {"period_mode": "calendar"}).explanation == (
        "Tỷ lệ hồ sơ giải quyết đúng hạn 50 % (01/01/2023–31/12/2023)."  # K4, K5 late; K7, K8 early
    )


def test_a_new_dossier_changes_the_figure_read_through_the_cache(agency, procedure, dossiers):
    assert str(measure("dossiers_on_time_share", agency, 2023).value) == "0.6"
    make_dossier(agency, procedure, "K9", D(2023, 8, 1), DI, D(2023, 8, 10), D(2023, 8, 10))
    assert measure("dossiers_on_time_share", agency, 2023).figures[0] == ("Hồ sơ đã giải quyết", "6")


def test_online_share_counts_the_new_dossiers_of_the_year(agency, dossiers):
    m = measure("dossiers_online_share", agency, 2023)
    assert str(m.value) == "0.6"
    assert m.explanation == (
        "3/5 hồ sơ tiếp nhận mới qua dịch vụ công trực tuyến, tỷ lệ 60 % (Biểu 06, 15/12/2022–14/12/2023)."
    )


def test_digitised_share_of_dossiers_and_of_results(agency, dossiers):
    m = measure("dossiers_digitised_share", agency, 2023)
    assert str(m.value) == "0.4" and m.figures[:2] == (
        ("Hồ sơ tiếp nhận mới", "5"),
        ("Hồ sơ được số hóa thành phần", "2"),
    )
    result = measure("dossiers_digitised_share", agency, 2023, {"which": "result"})
    assert str(result.value) == "0.4" and result.figures[1] == ("Hồ sơ có kết quả được số hóa", "2")


def test_apology_share_counts_late_and_overdue_dossiers_and_lists_those_without(agency, dossiers):
    m = measure("late_dossiers_apologised_share", agency, 2023)
    assert m.value == Decimal("0.333333")
    assert m.explanation == (
        "1/3 hồ sơ trễ hạn có văn bản xin lỗi, hẹn lại ngày trả kết quả (Biểu 06, 15/12/2022–14/12/2023)."
    )
    listed = [s for s in m.sources if s.model == "dossiers.dossier"]
    assert [s.pk for s in listed] == [dossiers["K5"].pk, dossiers["K6"].pk]
    assert listed[0].url == reverse("dossiers:detail", args=[dossiers["K5"].pk])


def test_no_late_dossier_means_no_apology_was_owed(other_agency, other_dossiers):
    m = measure("late_dossiers_apologised_share", other_agency, 2023)
    assert m.value == 1 and m.explanation.startswith("Không có hồ sơ trễ hạn nên không phát sinh văn bản xin lỗi")


def test_full_shares_for_an_agency_whose_dossiers_all_qualify(other_agency, other_dossiers):
    for name in ("dossiers_on_time_share", "dossiers_online_share", "dossiers_digitised_share"):
        assert measure(name, other_agency, 2023).value == 1, name


@pytest.mark.parametrize(
    "name",
    ["dossiers_on_time_share", "dossiers_online_share", "dossiers_digitised_share", "late_dossiers_apologised_share"],
)
def test_a_year_without_dossiers_gives_no_value(name, agency, dossiers):
    m = measure(name, agency, 2021)
    assert m.value is None and m.explanation.startswith("Chưa có dữ liệu: không có hồ sơ")
    assert "15/12/2020–14/12/2021" in m.explanation


def test_a_running_year_is_counted_up_to_today(agency, dossiers, monkeypatch):
    monkeypatch.setattr("cchc.parindex.evidence.base.today", lambda: D(2023, 6, 1))
    m = measure("dossiers_on_time_share", agency, 2023)
    assert m.explanation == (
        "Tỷ lệ hồ sơ giải quyết đúng hạn 66,7 % (Biểu 06, 15/12/2022–14/12/2023, số liệu đến ngày 01/6/2023)."
    )
    # K6 will be overdue only after its due day: on 01/06/2023 K4 is the only late dossier, and it was apologised.
    assert measure("late_dossiers_apologised_share", agency, 2023).value == 1


@pytest.mark.parametrize(
    "name",
    ["dossiers_on_time_share", "dossiers_online_share", "dossiers_digitised_share", "late_dossiers_apologised_share"],
)
def test_dossier_evidence_costs_a_few_queries_whatever_the_number_of_dossiers(
    name, agency, procedure, django_assert_max_num_queries
):
    Dossier.objects.bulk_create(
        Dossier(
            agency=agency,
            procedure=procedure,
            code=f"B{n}",
            applicant_name="Chủ hồ sơ",
            channel=ON if n % 2 else DI,
            received_at=_at(D(2023, 4, 1)),
            received_on=D(2023, 4, 1),
            due_at=_at(D(2023, 4, 10)),
            due_date=D(2023, 4, 10),
            ended_at=_at(D(2023, 4, 9 + n % 3)),
            ended_on=D(2023, 4, 9 + n % 3),
            status="resolved",
            outcome="resolved",
            search_text=f"b{n}",
        )
        for n in range(300)
    )
    DossierEvent.objects.bulk_create(
        DossierEvent(dossier=d, kind=EventKind.APOLOGY_ISSUED, at=_at(D(2023, 4, 8)))
        for d in Dossier.objects.filter(ended_on=D(2023, 4, 11))[:40]
    )
    # Through the statistics cache: on a miss its versions and row, compute()'s four queries and keeping the result
    # (savepoint, update, insert, release); the digitised and apology shares are one or two queries of their own.
    with django_assert_max_num_queries(10):
        first = measure(name, agency, 2023)
    with django_assert_max_num_queries(3):
        assert measure(name, agency, 2023) == first
    assert first.value is not None
