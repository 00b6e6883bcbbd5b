"""Every indicator of the index against the hand-counted world of conftest.py (Quý I/2023 by the calendar)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.dossiers.models import Dossier
from cchc.feedback.models import Feedback
from cchc.serviceindex import lost, prepared, service
from cchc.serviceindex.measures import Window, ended_in, received_in
from cchc.serviceindex.models import ImportedFigure
from cchc.serviceindex.parameters import for_day
from cchc.statistics import classification
from cchc.statistics.periods import parse_period

from .conftest import LATER, Q1, D, make_dossier

pytestmark = pytest.mark.django_db

# code -> (numerator, denominator, points); None points: not scored.
AGENCY_A = {
    "1.1": (None, None, None),  # nothing imported yet
    "1.2": (None, None, None),
    "1.3": (1, 3, "0.67"),  # PF complete; PP names no result; PN has no component (PX abolished)
    "1.4": (8, 9, "5.33"),  # A3 not synced; A4 has a national code
    "2.1": (7, 11, "12.73"),  # late: A3 resolved late, A4 and A11 overdue at the end, A6 asked twice
    "3.4": (2, 7, "3.43"),  # of PF, PP (eligible), PX: online and fully online A2, A9
    "3.1": (2, 3, "0.00"),
    "3.2": (2, 2, "0.00"),
    "3.3": (3, 9, "0.00"),
    "3.5": (1, 2, "1.25"),  # PF integrated, PP not; 2 x 0.5 / 0.8
    "3.5b": (2, 2, "2.00"),  # PF (A2) and PP (A5) paid online
    "3.6": (2, 5, "2.40"),  # with an obligation A2, A3, A4, A5, A11 (A6 exempt); online A2, A5
    "4.1": (3, 4, "4.50"),  # resolved with a written result A1, A2, A3, A6 (A13: PN has none); A3 lacks it
    "4.2": (6, 9, "3.33"),  # not digitised: A3 (no electronic result), A4, A7; 4 x (6/9) / 0.8
    "4.6": (None, None, "2.00"),  # a department: does not apply, full points
    "4.3": (3, 9, "0.83"),
    "4.4": (2, 9, "0.89"),
    "4.5a": (1, 9, "0.22"),
    "4.5b": (1, 2, "1.00"),  # people's procedures PF, PP; population data on PF only
    "5.2": (2, 4, "3.00"),  # F1, F3 on time; F2, F4 late; F5 outside the remit; F6 before the period
    "5.3": (2, 3, "4.00"),  # received F1, F2, F3; F2 late
    "5.4": (4, 11, "2.42"),  # (7 on time - 3 feedback items) / 11; 6 x 0.3636 / 0.9
}
GROUPS_A = {"CKMB": "6.00", "TDGQ": "12.73", "CLGQ": "3.43", "TTTT": "5.65", "MDSH": "12.77", "MDHL": "9.42"}


def indicators(result):
    return {i.code: i for g in result.groups for i in g.indicators}


def expect(result, table):
    found = indicators(result)
    assert set(found) >= set(table)
    for code, (numerator, denominator, points) in table.items():
        i = found[code]
        assert (i.numerator, i.denominator) == (numerator, denominator), code
        assert i.points == (Decimal(points) if points is not None else None), code


def test_every_indicator_of_agency_a(world):
    result = service.compute(Q1, agencies=[world["a"]], today=LATER)
    expect(result, AGENCY_A)
    assert {g.code: f"{g.points:.2f}" for g in result.groups} == GROUPS_A
    assert result.total == Decimal("50.00") and result.max_points == 100
    assert result.as_of == D(2023, 3, 31) and result.has_ended


def test_the_groups_and_their_maxima_follow_the_parameters(world):
    result = service.compute(Q1, agencies=[world["a"]], today=LATER)
    assert [(g.code, g.max_points) for g in result.groups] == [
        ("CKMB", 18),
        ("TDGQ", 20),
        ("CLGQ", 12),
        ("TTTT", 10),
        ("MDSH", 22),
        ("MDHL", 18),
    ]


def test_no_feedback_gives_full_points_and_an_empty_denominator_gives_none(world):
    """B had no feedback (5.2, 5.3 full), no dossier of a procedure eligible for a full online service (3.4 not
    scored) and one dossier of everything else."""
    result = indicators(service.compute(Q1, agencies=[world["b"]], today=LATER))
    assert (result["5.2"].points, result["5.2"].denominator, result["5.2"].state) == (6, 0, "empty")
    assert result["5.3"].points == 6
    assert (result["3.4"].points, result["3.4"].denominator, result["3.4"].state) == (None, 0, "empty")
    assert result["3.4"].points_or_zero == 0 and result["3.4"].lost_points == 12
    assert (result["3.6"].numerator, result["3.6"].denominator, result["3.6"].points) == (1, 1, 6)
    # 4.3: 1 of 1 reused, 100 % of a threshold of 80 %: capped at the maximum, not 2.5.
    assert (result["4.3"].ratio, result["4.3"].points) == (1, 2)


def test_a_month_without_dossiers_scores_nothing_it_cannot_count(world):
    result = indicators(service.compute(parse_period("2023-06", "calendar"), agencies=[world["b"]], today=LATER))
    for code in ("1.4", "2.1", "3.6", "4.1", "4.2", "4.3"):
        assert (result[code].denominator, result[code].points) == (0, None), code
    assert result["5.4"].points is None and result["5.2"].points == 6


def test_one_supplement_request_is_allowed_a_second_makes_the_dossier_late(world):
    a = world["a"]
    a6 = world["dossiers"]["A6"]
    before = indicators(service.compute(Q1, agencies=[a], today=LATER))["2.1"]
    Dossier.objects.filter(pk=a6.pk).update(supplement_requests=1)
    prepared.forget()
    after = indicators(service.compute(Q1, agencies=[a], today=LATER))["2.1"]
    assert (before.numerator, after.numerator, after.denominator) == (7, 8, 11)


def test_the_allowed_number_of_supplement_requests_is_a_parameter(world):
    from cchc.serviceindex.models import IndicatorParameter

    IndicatorParameter.objects.filter(code="2.1").update(options={"max_supplement_requests": 2})
    result = indicators(service.compute(Q1, agencies=[world["a"]], today=LATER))
    assert (result["2.1"].numerator, result["5.4"].numerator) == (8, 7 - 3)  # 5.4 keeps its own option (1)


def test_period_boundaries_received_on_the_last_day_counts_the_next_day_does_not(world):
    a = world["a"]
    march = indicators(service.compute(parse_period("2023-03", "calendar"), agencies=[a], today=LATER))
    april = indicators(service.compute(parse_period("2023-04", "calendar"), agencies=[a], today=LATER))
    # March: received A5, A6, A7 (31/03); April: A8 (01/04) and nothing of March.
    assert march["1.4"].denominator == 3 and april["1.4"].denominator == 1
    # 2.1 in April: carried A4, A5, A7, A11 and new A8; only A5 (waiting for its supplement, asked before its due
    # day) is within its time at the end of April; A11 ended 05/04 after its due day.
    assert (april["2.1"].numerator, april["2.1"].denominator) == (1, 5)


def test_a_range_of_days_and_a_year(world):
    a = world["a"]
    first_half_january = indicators(service.compute(parse_period("2023-01-01..2023-01-15"), agencies=[a], today=LATER))
    # Received 01–15/01: A2, A9, A13; counted: also A1, A12 carried, still open in the window.
    assert first_half_january["1.4"].denominator == 3 and first_half_january["2.1"].denominator == 5
    year = indicators(service.compute(parse_period("2023", "calendar"), agencies=[a], today=LATER))
    assert year["1.4"].denominator == 10  # A8 too


def test_a_running_period_is_counted_as_of_today(world):
    result = service.compute(Q1, agencies=[world["a"]], today=D(2023, 2, 5))
    found = indicators(result)
    assert result.as_of == D(2023, 2, 5) and not result.has_ended
    # Received up to 05/02: A2, A3, A9, A11, A13.
    assert found["1.4"].denominator == 5
    # A3 (due 15/02) is still within its time on 05/02; A11 (due 03/02) is overdue.
    assert "A3" not in {
        d.code for d in lost.dossiers(Window.of(Q1, D(2023, 2, 5)), for_day(Q1.end).indicator("2.1"), [world["a"].pk])
    }


def test_province_and_everything(world):
    province = indicators(service.compute(Q1, province=world["province"], today=LATER))
    assert province["1.4"].denominator == 9 + 1  # A's and B's, never C's
    assert (province["3.6"].numerator, province["3.6"].denominator) == (3, 6)
    assert province["5.2"].denominator == 4
    everything = indicators(service.compute(Q1, today=LATER))
    assert everything["1.4"].denominator == 9 + 1 + 1


def test_imported_values_sum_the_months_inside_the_period_and_prefer_an_exact_span(world):
    a = world["a"]
    for start, end, numerator, denominator in [
        (D(2023, 1, 1), D(2023, 1, 31), 1, 1),
        (D(2023, 2, 1), D(2023, 2, 28), 0, 1),
        (D(2023, 4, 1), D(2023, 4, 30), 0, 5),  # outside the quarter
    ]:
        ImportedFigure.objects.create(
            agency=a,
            indicator_code="1.1",
            start=start,
            end=end,
            numerator=numerator,
            denominator=denominator,
            source="Cổng DVCQG",
        )
    months = indicators(service.compute(Q1, agencies=[a], today=LATER))["1.1"]
    assert (months.numerator, months.denominator, months.points, months.origin) == (1, 2, 3, "imported")
    ImportedFigure.objects.create(
        agency=a, indicator_code="1.1", start=Q1.start, end=Q1.end, numerator=2, denominator=3, source="Cổng DVCQG"
    )
    quarter = indicators(service.compute(Q1, agencies=[a], today=LATER))["1.1"]
    assert (quarter.numerator, quarter.denominator, quarter.points) == (2, 3, 4)
    # 1.3 takes an imported value before its own count.
    ImportedFigure.objects.create(
        agency=a, indicator_code="1.3", start=Q1.start, end=Q1.end, numerator=50, denominator=50, source="Cổng DVCQG"
    )
    assert indicators(service.compute(Q1, agencies=[a], today=LATER))["1.3"].points == 2


def test_the_lost_points_list_exactly_the_dossiers_behind_them(world):
    a = world["a"]
    w = Window.of(Q1, LATER)
    parameters = for_day(Q1.end)
    expected = {
        "1.4": {"A3"},
        "2.1": {"A3", "A4", "A6", "A11"},
        "3.4": {"A3", "A4", "A5", "A6", "A11"},
        "3.6": {"A3", "A4", "A11"},
        "4.1": {"A3"},
        "4.2": {"A3", "A4", "A7"},
        "4.3": {"A3", "A4", "A7", "A9", "A11", "A13"},
        "5.4": {"A3", "A4", "A6", "A11"},
    }
    result = indicators(service.compute(Q1, agencies=[a], today=LATER))
    for code, codes in expected.items():
        found = {d.code for d in lost.dossiers(w, parameters.indicator(code), [a.pk])}
        assert found == codes, code
        if code != "5.4":
            assert result[code].lost == len(codes) == result[code].denominator - result[code].numerator
    assert result["5.4"].lost == 4 + 3
    late = lost.feedback(w, parameters.indicator("5.2"), [a.pk])
    assert {f.subject.split()[2] for f in late} == {"F2", "F4"}
    assert {f.subject.split()[2] for f in lost.feedback(w, parameters.indicator("5.3"), [a.pk])} == {"F2"}
    assert {p.code for p in lost.procedures(w, parameters.indicator("1.3"), [a.pk])} == {"1.000002", "1.000003"}
    assert {p.code for p in lost.procedures(w, parameters.indicator("3.5"), [a.pk])} == {"1.000002"}
    assert {p.code for p in lost.procedures(w, parameters.indicator("4.5b"), [a.pk])} == {"1.000002"}


def test_the_reasons_say_why(world):
    w = Window.of(Q1, LATER)
    parameters = for_day(Q1.end)
    d = world["dossiers"]
    on_time = parameters.indicator("2.1")
    assert "quá hạn: xong ngày 20/02/2023" in lost.dossier_reason(w, on_time, d["A3"])
    assert "quá hạn từ sau ngày 10/03/2023" in lost.dossier_reason(w, on_time, d["A4"])
    assert "2 lần" in lost.dossier_reason(w, on_time, d["A6"])
    assert "kết quả điện tử" in lost.dossier_reason(w, parameters.indicator("4.2"), d["A3"])
    assert "số hóa đủ" in lost.dossier_reason(w, parameters.indicator("4.2"), d["A4"])


def test_received_and_ended_in_the_period_are_the_classification_of_biểu_06(world):
    """The index's "received in the period" and "ended in the period" are classification's flags (SQL and Python)."""
    for period in (Q1, parse_period("2023-02", "calendar"), parse_period("2022-12-15..2023-01-20")):
        w = Window.of(period, LATER)
        rows = Dossier.objects.filter(w.relevant())
        flags = {d.code: classification.classify(d, period, today=LATER) for d in Dossier.objects.all()}
        received = {c for c, f in flags.items() if f.received_online or f.received_direct or f.received_postal}
        ended = {c for c, f in flags.items() if f.resolved_early or f.resolved_on_time or f.resolved_late}
        assert set(rows.filter(received_in(w)).values_list("code", flat=True)) == received
        assert set(rows.filter(ended_in(w)).values_list("code", flat=True)) == ended
        counted = {c for c, f in flags.items() if f.carried_over or c in received}
        assert set(rows.values_list("code", flat=True)) == counted


def test_the_prepared_query_gives_what_the_orm_gives(world):
    parameters = for_day(Q1.end)
    wanted = [i for g in parameters.groups for i in g.indicators if i.source != "imported"]
    wanted = [i for i in wanted if i.measure in service.measures.DOSSIER_MEASURES]
    ids = [world["a"].pk, world["b"].pk]
    for period in (Q1, parse_period("2023-03", "calendar")):
        w = Window.of(period, LATER)
        orm = sorted(service.dossier_query(w, wanted, ids), key=lambda r: r["_procedure"])
        kept = prepared.rows(
            ("test", tuple(ids)),
            lambda s, e: service.dossier_query(Window.between(s, e), wanted, ids),
            (w.period.start, w.last),
        )
        assert sorted(kept, key=lambda r: r["_procedure"]) == orm


def test_a_fixed_number_of_queries_whatever_the_number_of_dossiers(world):
    a, pf = world["a"], world["procedures"]["PF"]
    service.compute(Q1, agencies=[a], today=LATER)
    with CaptureQueriesContext(connection) as few:
        service.compute(Q1, agencies=[a], today=LATER)
    for n in range(40):
        make_dossier(f"N{n}", a, pf, D(2023, 2, 1 + n % 20), 2, D(2023, 2, 25), synced=True)
    Feedback.objects.create(
        agency=a,
        received_on=D(2023, 3, 1),
        answer_due_on=D(2023, 3, 15),
        channel="van_ban",
        subject="Thêm một phản ánh",
    )
    with CaptureQueriesContext(connection) as many:
        result = service.compute(Q1, agencies=[a], today=LATER)
    assert len(many) == len(few) <= 10
    assert indicators(result)["1.4"].denominator == 9 + 40
