"""Period figures on a hand-counted fixture: Quý I năm 2023 under NĐ 09/2019 = 15/12/2022 – 14/03/2023.

Agencies: A = Sở KH&CN (Quảng Trị), B = Sở Nội vụ (Quảng Trị), C = Sở KH&CN Cao Bằng (another province).
Fields: F1 = Năng lượng nguyên tử, an toàn bức xạ và hạt nhân; F2 = Hoạt động khoa học và công nghệ.
Procedures: P1 1.004444 (A, F1; version 1 until 01/01/2023, version 2 from then), P2 2.000001 (A, F2),
P3 1.000100 (B, F2), P4 2.000500 (C, F1). Tết Nguyên đán 2023: 20/01 – 26/01 (days off).

Channel: on = online (2), di = direct (1), po = postal (3). S = 15/12/2022, E = 14/03/2023; dates dd/mm/yy.

| id  | ag/proc | received | ch | due      | paused      | ended    | outcome   | counts in Q1 2023
|-----|---------|----------|----|----------|-------------|----------|-----------|----------
| A1  | A P1v1  | 20/11/22 | di | 04/12/22 |             | 10/12/22 | resolved  | nothing (ended before S)
| A2  | A P1v1  | 01/12/22 | di | 15/12/22 |             | 15/12/22 | resolved  | carried; on time (ended on S)
| A3  | A P1v1  | 05/12/22 | on | 19/12/22 |             | 14/12/22 | resolved  | nothing (ended the day before S)
| A4  | A P1v1  | 10/12/22 | di | 24/12/22 |             | open     |           | carried; in progress overdue
| A5  | A P2    | 15/12/22 | on | 10/01/23 |             | 05/01/23 | resolved  | new online (received on S); early
| A6  | A P1v2  | 19/01/23 | di | 06/02/23 |             | 06/02/23 | resolved  | new direct; on time (due skips Tết)
| A7  | A P1v2  | 27/01/23 | on | 10/02/23 |             | 13/02/23 | resolved  | new online (sent during Tết, received
|     |         |          |    |          |             |          |           | the next working day); late
| A8  | A P2    | 14/03/23 | po | 28/03/23 |             | open     |           | new postal (received on E); within
| A9  | A P2    | 15/03/23 | on | 29/03/23 |             | open     |           | nothing (received the day after E)
| A10 | A P1v2  | 01/02/23 | on | 01/03/23 |             | 15/03/23 | resolved  | new online; in progress overdue (ended
|     |         |          |    |          |             |          |           | the day after E)
| A11 | A P1v2  | 10/02/23 | on | 14/03/23 |             | 14/03/23 | refused   | new online; on time; refused
| A12 | A P2    | 15/02/23 | di | 01/03/23 |             | 20/02/23 | withdrawn | new direct; early; withdrawn
| A13 | A P2    | 20/02/23 | on | 06/03/23 | 01/03 10:00 | open     |           | new online; within (paused before due)
| A14 | A P2    | 01/02/23 | di | 03/03/23 | 04/03 00:30 | open     |           | new direct; overdue (paused the day
|     |         |          |    |          |             |          |           | after due, local time; 03/03 in UTC)
| A15 | A P1v1  | 01/10/22 | di | 20/10/22 |             | 10/03/23 | resolved  | carried; late
| A16 | A P2    | 01/03/23 | on | 14/03/23 |             | open     |           | new online; within (due on E)
| A17 | A P2    | 01/03/23 | on | 13/03/23 |             | open     |           | new online; overdue (due the day
|     |         |          |    |          |             |          |           | before E)
| A18 | A P1v1  | 20/12/22 | on | 04/01/23 |             | 04/01/23 | resolved  | new online; on time
| A19 | A P1v1  | 01/11/22 | di | 20/12/22 |             | 15/12/22 | withdrawn | carried; early; withdrawn
| A20 | A P2    | 14/03/23 | on | 20/03/23 |             | 14/03/23 | resolved  | new online; early (same day)
| B1  | B P3    | 10/01/23 | di | 18/01/23 |             | 18/01/23 | resolved  | new direct; on time
| B2  | B P3    | 14/12/22 | on | 05/01/23 |             | 30/01/23 | resolved  | carried (received the day before S);
|     |         |          |    |          |             |          |           | late
| B3  | B P3    | 10/03/23 | po | 24/03/23 |             | open     |           | new postal; within
| C1  | C P4    | 05/01/23 | on | 19/01/23 |             | 12/01/23 | resolved  | new online; early
| C2  | C P4    | 20/12/22 | di | 03/01/23 |             | open     |           | new direct; overdue
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.agencies.models import Agency
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Field, Procedure
from cchc.statistics import classification
from cchc.statistics.periods import parse_period, previous
from cchc.statistics.service import (
    DossierFigures,
    compute,
    dossier_figures,
    overdue_dossiers,
    procedure_figures,
    received_resolved_series,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date
F1 = "Năng lượng nguyên tử, an toàn bức xạ và hạt nhân"
F2 = "Hoạt động khoa học và công nghệ"
Q1 = parse_period("2023-Q1")
STATUS_OF = {"resolved": "resolved", "refused": "refused", "withdrawn": "withdrawn", "": "in_process"}


def local(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def make_dossier(code, agency, procedure, received, channel, due, ended=None, outcome="", paused=None):
    return Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        code=code,
        applicant_name=f"Chủ hồ sơ {code}",
        channel=channel,
        received_at=local(received),
        received_on=received,
        due_at=local(due, 17),
        due_date=due,
        paused_at=paused,
        status="waiting_supplement" if paused else STATUS_OF[outcome],
        ended_at=local(ended, 10) if ended else None,
        ended_on=ended,
        outcome=outcome,
    )


def make_procedure(agency, code, field, effective_from, abolished_on=None, **extra):
    values = {"name": f"Thủ tục {code}", "processing_time": Decimal("10"), **extra}
    return Procedure.objects.create(
        agency=agency, code=code, field=field, effective_from=effective_from, abolished_on=abolished_on, **values
    )


@pytest.fixture
def world(agency, other_agency, foreign_agency):
    f1 = Field.objects.create(name=F1)
    f2 = Field.objects.create(name=F2)
    a, b, c = agency, other_agency, foreign_agency
    p1v1 = make_procedure(
        a, "1.004444", f1, D(2020, 1, 1), D(2023, 1, 1), name="Cấp giấy phép tiến hành công việc bức xạ (bản cũ)",
        online_service="partial", legacy_online_level=3,
    )  # fmt: skip
    p1v2 = make_procedure(
        a, "1.004444", f1, D(2023, 1, 1), name="Cấp giấy phép tiến hành công việc bức xạ",
        online_service="full", interconnection="same_level", reduced_processing_time=Decimal("7"),
    )  # fmt: skip
    p2 = make_procedure(
        a, "2.000001", f2, D(2020, 1, 1), name="Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
        processing_time=Decimal("20"), reduced_processing_time=Decimal("15"), legacy_online_level=2,
    )  # fmt: skip
    # Catalogue-only rows of A: abolished on the last day of Q1 (so not in force on it), abolished the day after,
    # and one that starts after the quarter.
    make_procedure(
        a, "1.000003", f1, D(2021, 1, 1), D(2023, 3, 14), online_service="partial", legacy_online_level=3,
        interconnection="cross_level", one_stop=False,
    )  # fmt: skip
    make_procedure(a, "1.000004", f2, D(2021, 6, 1), D(2023, 3, 15))
    make_procedure(a, "2.000002", f2, D(2023, 4, 1), online_service="full")
    p3 = make_procedure(b, "1.000100", f2, D(2020, 1, 1), online_service="partial")
    p4 = make_procedure(c, "2.000500", f1, D(2020, 1, 1), online_service="full")

    on, di, po = 2, 1, 3
    rows = {
        "A1": (a, p1v1, D(2022, 11, 20), di, D(2022, 12, 4), D(2022, 12, 10), "resolved", None),
        "A2": (a, p1v1, D(2022, 12, 1), di, D(2022, 12, 15), D(2022, 12, 15), "resolved", None),
        "A3": (a, p1v1, D(2022, 12, 5), on, D(2022, 12, 19), D(2022, 12, 14), "resolved", None),
        "A4": (a, p1v1, D(2022, 12, 10), di, D(2022, 12, 24), None, "", None),
        "A5": (a, p2, D(2022, 12, 15), on, D(2023, 1, 10), D(2023, 1, 5), "resolved", None),
        "A6": (a, p1v2, D(2023, 1, 19), di, D(2023, 2, 6), D(2023, 2, 6), "resolved", None),
        "A7": (a, p1v2, D(2023, 1, 27), on, D(2023, 2, 10), D(2023, 2, 13), "resolved", None),
        "A8": (a, p2, D(2023, 3, 14), po, D(2023, 3, 28), None, "", None),
        "A9": (a, p2, D(2023, 3, 15), on, D(2023, 3, 29), None, "", None),
        "A10": (a, p1v2, D(2023, 2, 1), on, D(2023, 3, 1), D(2023, 3, 15), "resolved", None),
        "A11": (a, p1v2, D(2023, 2, 10), on, D(2023, 3, 14), D(2023, 3, 14), "refused", None),
        "A12": (a, p2, D(2023, 2, 15), di, D(2023, 3, 1), D(2023, 2, 20), "withdrawn", None),
        "A13": (a, p2, D(2023, 2, 20), on, D(2023, 3, 6), None, "", local(D(2023, 3, 1), 10)),
        "A14": (a, p2, D(2023, 2, 1), di, D(2023, 3, 3), None, "", local(D(2023, 3, 4), 0, 30)),
        "A15": (a, p1v1, D(2022, 10, 1), di, D(2022, 10, 20), D(2023, 3, 10), "resolved", None),
        "A16": (a, p2, D(2023, 3, 1), on, D(2023, 3, 14), None, "", None),
        "A17": (a, p2, D(2023, 3, 1), on, D(2023, 3, 13), None, "", None),
        "A18": (a, p1v1, D(2022, 12, 20), on, D(2023, 1, 4), D(2023, 1, 4), "resolved", None),
        "A19": (a, p1v1, D(2022, 11, 1), di, D(2022, 12, 20), D(2022, 12, 15), "withdrawn", None),
        "A20": (a, p2, D(2023, 3, 14), on, D(2023, 3, 20), D(2023, 3, 14), "resolved", None),
        "B1": (b, p3, D(2023, 1, 10), di, D(2023, 1, 18), D(2023, 1, 18), "resolved", None),
        "B2": (b, p3, D(2022, 12, 14), on, D(2023, 1, 5), D(2023, 1, 30), "resolved", None),
        "B3": (b, p3, D(2023, 3, 10), po, D(2023, 3, 24), None, "", None),
        "C1": (c, p4, D(2023, 1, 5), on, D(2023, 1, 19), D(2023, 1, 12), "resolved", None),
        "C2": (c, p4, D(2022, 12, 20), di, D(2023, 1, 3), None, "", None),
    }
    dossiers = {
        code: make_dossier(code, ag, proc, received, channel, due, ended, outcome, paused)
        for code, (ag, proc, received, channel, due, ended, outcome, paused) in rows.items()
    }
    return {"a": a, "b": b, "c": c, "province": a.province, "dossiers": dossiers}


def figures(**counts) -> DossierFigures:
    return DossierFigures(**counts)


AGENCY_A = figures(
    carried_over=4, received_online=9, received_direct=3, received_postal=1,
    resolved_early=4, resolved_on_time=4, resolved_late=2, refused=1, withdrawn=2,
    in_progress_within=3, in_progress_overdue=4,
)  # fmt: skip
AGENCY_B = figures(
    carried_over=1, received_direct=1, received_postal=1, resolved_on_time=1, resolved_late=1, in_progress_within=1
)
AGENCY_C = figures(received_online=1, received_direct=1, resolved_early=1, in_progress_overdue=1)
FIELD_1_PROVINCE = figures(
    carried_over=4, received_online=4, received_direct=1,
    resolved_early=1, resolved_on_time=4, resolved_late=2, refused=1, withdrawn=1, in_progress_overdue=2,
)  # fmt: skip
FIELD_2_PROVINCE = figures(
    carried_over=1, received_online=5, received_direct=3, received_postal=2,
    resolved_early=3, resolved_on_time=1, resolved_late=1, withdrawn=1, in_progress_within=4, in_progress_overdue=2,
)  # fmt: skip
P2_AGENCY_A = figures(
    received_online=5, received_direct=2, received_postal=1,
    resolved_early=3, withdrawn=1, in_progress_within=3, in_progress_overdue=2,
)  # fmt: skip


def assert_identities(f: DossierFigures) -> None:
    # Biểu 06/VPCP/KSTT: (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13); received = resolved + open.
    assert f.received_total == f.received_online + f.received_direct_or_postal + f.carried_over
    assert f.resolved == f.resolved_early + f.resolved_on_time + f.resolved_late
    assert f.in_progress == f.in_progress_within + f.in_progress_overdue
    assert f.received_total == f.resolved + f.in_progress


def test_agency_figures_by_hand(world):
    stats = compute(Q1, agencies=[world["a"]])
    f = stats.dossiers
    assert f == AGENCY_A
    assert (f.received_new, f.received_total, f.resolved, f.in_progress) == (13, 17, 10, 7)
    assert f.resolved_on_time_or_early == 8
    assert f.on_time_rate == 80.0
    assert f.online_rate == pytest.approx(69.23)
    assert f.late_total == 6
    assert_identities(f)


def test_agency_by_field_and_by_procedure(world):
    stats = compute(Q1, agencies=[world["a"].pk])
    a_field_2 = figures(
        received_online=5, received_direct=2, received_postal=1,
        resolved_early=3, withdrawn=1, in_progress_within=3, in_progress_overdue=2,
    )  # fmt: skip
    assert stats.by_field == [(F2, a_field_2), (F1, FIELD_1_PROVINCE)]
    # Both versions of 1.004444 are one row, named after the newest version.
    assert stats.by_procedure == [
        ("1.004444", "Cấp giấy phép tiến hành công việc bức xạ", FIELD_1_PROVINCE),
        ("2.000001", "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ", P2_AGENCY_A),
    ]
    for _, row in stats.by_field + [(code, f) for code, _, f in stats.by_procedure]:
        assert_identities(row)
    assert sum((row for _, row in stats.by_field), DossierFigures()) == stats.dossiers


def test_province_scope(world):
    stats = compute(Q1, province=world["province"])
    assert stats.dossiers == AGENCY_A + AGENCY_B
    assert stats.dossiers == figures(
        carried_over=5, received_online=9, received_direct=4, received_postal=2,
        resolved_early=4, resolved_on_time=5, resolved_late=3, refused=1, withdrawn=2,
        in_progress_within=4, in_progress_overdue=4,
    )  # fmt: skip
    assert_identities(stats.dossiers)
    assert stats.by_field == [(F2, FIELD_2_PROVINCE), (F1, FIELD_1_PROVINCE)]
    assert [code for code, _, _ in stats.by_procedure] == ["1.000100", "1.004444", "2.000001"]
    assert stats.by_procedure[0][2] == AGENCY_B
    # The same figures when the caller passes the province's agencies as a queryset (what views do).
    assert compute(Q1, agencies=Agency.objects.filter(province=world["province"])).dossiers == stats.dossiers


def test_everything_scope(world):
    stats = compute(Q1)
    assert stats.dossiers == AGENCY_A + AGENCY_B + AGENCY_C
    assert (stats.dossiers.received_total, stats.dossiers.resolved, stats.dossiers.in_progress) == (22, 13, 9)
    assert_identities(stats.dossiers)
    assert compute(Q1, agencies=[world["c"]]).dossiers == AGENCY_C
    assert compute(Q1, agencies=world["c"]).dossiers == AGENCY_C
    assert compute(Q1, agencies=[]).dossiers == DossierFigures()


def test_agencies_and_province_together_intersect(world):
    # An agency of another province asked with this province's filter counts nothing.
    assert compute(Q1, agencies=[world["c"]], province=world["province"]).dossiers == DossierFigures()


def test_classify_agrees_with_sql_for_every_dossier(world):
    all_dossiers = Dossier.objects.all()
    expected_ids = {flag: set() for flag in classification.FLAG_NAMES}
    python_total = DossierFigures()
    for dossier in all_dossiers:
        flags = classification.classify(dossier, Q1)
        python_total.add(flags)
        for name in flags.names():
            expected_ids[name].add(dossier.code)
    for flag in classification.FLAG_NAMES:
        sql_ids = set(classification.dossiers_with(all_dossiers, Q1, flag).values_list("code", flat=True))
        assert sql_ids == expected_ids[flag], flag
    assert python_total == dossier_figures(Q1, all_dossiers)


def test_classify_of_single_dossiers(world):
    d = world["dossiers"]
    assert classification.classify(d["A1"], Q1).names() == set()
    assert classification.classify(d["A3"], Q1).names() == set()
    assert classification.classify(d["A9"], Q1).names() == set()
    assert classification.classify(d["A2"], Q1).names() == {"carried_over", "resolved_on_time"}
    assert classification.classify(d["A10"], Q1).names() == {"received_online", "in_progress_overdue"}
    assert classification.classify(d["A11"], Q1).names() == {"received_online", "resolved_on_time", "refused"}
    assert classification.classify(d["A13"], Q1).names() == {"received_online", "in_progress_within"}
    # Paused at 00:30 on 04/03 local time — still 03/03 in UTC: the local day decides, after the due day.
    assert classification.classify(d["A14"], Q1).names() == {"received_direct", "in_progress_overdue"}


def test_figures_of_other_periods(world):
    # The previous quarter (15/09 – 14/12/2022) for A: received A15, A19, A1, A2, A3, A4; ended A1 (late), A3
    # (early); open at 14/12: A2, A4, A19 within, A15 overdue.
    q4 = previous(Q1)
    f = compute(q4, agencies=[world["a"]]).dossiers
    assert f == figures(
        received_online=1, received_direct=5, resolved_early=1, resolved_late=1,
        in_progress_within=3, in_progress_overdue=1,
    )  # fmt: skip
    assert_identities(f)
    # A single day: the end day of Q1. A8, A20 received; A11, A20 ended; A4, A10, A11, A13, A14, A16, A17 carried.
    day = parse_period("2023-03-14..2023-03-14")
    f = compute(day, agencies=[world["a"]]).dossiers
    assert (f.received_postal, f.received_online, f.resolved_on_time, f.resolved_early, f.refused) == (1, 1, 1, 1, 1)
    assert f.carried_over == 7
    assert_identities(f)


def test_queries_are_fixed_in_number(world):
    with CaptureQueriesContext(connection) as captured:
        compute(Q1, province=world["province"])
    assert len(captured.captured_queries) <= 4


def test_procedure_figures_use_the_catalogue_of_the_period(world):
    a = world["a"]
    q1 = compute(Q1, agencies=[a]).procedures
    # In force on 14/03/2023: 1.004444 v2, 2.000001, 1.000004 (1.000003 ends that day, 2.000002 starts later).
    assert q1.total == 3
    assert q1.one_stop == 3
    assert q1.by_online_service == {"full": 1, "partial": 0, "none": 2}
    assert q1.online == 1
    assert q1.by_legacy_level == {1: 0, 2: 1, 3: 0, 4: 0, None: 2}
    assert q1.by_interconnection == {"none": 2, "same_level": 1, "cross_level": 0}
    assert q1.by_field == [(F2, 2), (F1, 1)]
    assert q1.reduced_time == 2
    # On 14/12/2022: 1.004444 v1 (partly online, level 3), 2.000001, 1.000003 (not one-stop), 1.000004.
    q4 = compute(previous(Q1), agencies=[a]).procedures
    assert q4.total == 4
    assert q4.one_stop == 3
    assert q4.by_online_service == {"full": 0, "partial": 2, "none": 2}
    assert q4.by_legacy_level == {1: 0, 2: 1, 3: 2, 4: 0, None: 1}
    assert q4.by_interconnection == {"none": 3, "same_level": 0, "cross_level": 1}
    assert q4.by_field == [(F2, 2), (F1, 2)]
    assert q4.reduced_time == 1
    # Q2 2023 ends 14/06/2023: 2.000002 has started, 1.000004 has ended.
    q2 = procedure_figures(parse_period("2023-Q2").end, agencies=[a])
    assert (q2.total, q2.by_online_service["full"]) == (3, 2)
    # Province and everything.
    assert compute(Q1, province=world["province"]).procedures.total == 4
    assert compute(Q1).procedures.total == 5


def test_overlapping_versions_count_once(world):
    a = world["a"]
    field = Field.objects.get(name=F2)
    # A data-entry slip: a new version of 2.000001 while the old one was never closed. The newest counts.
    make_procedure(a, "2.000001", field, D(2023, 2, 1), online_service="full")
    figures_ = procedure_figures(Q1.end, agencies=[a])
    assert figures_.total == 3
    assert figures_.by_online_service == {"full": 2, "partial": 0, "none": 1}


def test_received_resolved_series(world):
    series = received_resolved_series(Q1, province=world["province"], step="month")
    assert series == [
        (D(2022, 12, 1), 2, 2),
        (D(2023, 1, 1), 3, 4),
        (D(2023, 2, 1), 5, 3),
        (D(2023, 3, 1), 5, 3),
    ]
    stats = compute(Q1, province=world["province"]).dossiers
    assert sum(r for _, r, _ in series) == stats.received_new
    assert sum(r for _, _, r in series) == stats.resolved
    weekly = received_resolved_series((D(2023, 3, 1), D(2023, 3, 14)), agencies=[world["a"]], step="week")
    # Mondays 27/02, 06/03, 13/03: A16, A17 received 01/03; A15 ended 10/03; A8, A20 received and A11, A20 ended 14/03.
    assert weekly == [(D(2023, 2, 27), 2, 0), (D(2023, 3, 6), 0, 1), (D(2023, 3, 13), 2, 2)]
    with pytest.raises(ValueError, match="Bước thời gian không hợp lệ"):
        received_resolved_series(Q1, step="day")


def test_overdue_dossiers(world):
    overdue = overdue_dossiers([world["a"]], D(2023, 3, 14))
    assert [d.code for d in overdue] == ["A4", "A10", "A14", "A17"]
    assert [d.code for d in overdue_dossiers([world["b"]], D(2023, 3, 14))] == []
    # On 25/03/2023 A16 (due 14/03) and B3 (due 24/03) are overdue too, and A10 has ended.
    later = [d.code for d in overdue_dossiers(province=world["province"], on=D(2023, 3, 25))]
    assert later == ["A4", "A14", "A17", "A16", "B3"]


def test_unknown_flag_and_granularity_are_refused(world):
    with pytest.raises(ValueError, match="Không có chỉ tiêu"):
        classification.dossiers_with(Dossier.objects.all(), Q1, "resolved_maybe")
    with pytest.raises(ValueError, match="chưa được hỗ trợ"):
        classification.granularity("datetime")
