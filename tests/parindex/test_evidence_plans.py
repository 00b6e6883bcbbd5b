"""Evidence from plans: the year's CCHC plan issued by its deadline (31/12 of the year before by default) and the
share of its tasks done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cchc.documents.models import Direction, Document, DocumentKind
from cchc.parindex.evidence import REGISTRY, ParamError, measure
from cchc.plans.models import PlanKind
from cchc.plans.rating import Progress
from cchc.plans.services import create_plan, create_task, record_progress, set_rating

pytestmark = pytest.mark.django_db
D = dt.date


def _document(agency, number, day, kind=DocumentKind.KE_HOACH, symbol="KH-SKHCN", excerpt="Kế hoạch CCHC năm 2023"):
    return Document.objects.create(
        agency=agency,
        direction=Direction.OUTGOING,
        kind=kind,
        number=number,
        symbol=symbol,
        issue_date=day,
        year=day.year,
        excerpt=excerpt,
    )


def _plan(agency, year=2023, kind=PlanKind.CCHC_ANNUAL, **fields):
    return create_plan(agency, kind=kind, year=year, title=f"Kế hoạch năm {year} của {agency.code}", **fields)


# --- plan_issued_by --------------------------------------------------------------------------------------------


def test_a_plan_issued_before_the_deadline_gives_its_date_the_deadline_and_both_objects(agency):
    document = _document(agency, "64", D(2022, 12, 30))
    plan = _plan(agency, document=document)
    m = measure("plan_issued_by", agency, 2023)
    assert (m.kind, m.value, m.deadline) == ("date", D(2022, 12, 30), D(2022, 12, 31))
    assert m.explanation == "Kế hoạch CCHC năm 2023 ban hành ngày 30/12/2022, trước hạn 31/12/2022."
    assert ("Văn bản ban hành", "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022") in m.figures
    assert [(s.model, s.pk, s.url) for s in m.sources] == [
        ("plans.plan", plan.pk, reverse("plans:detail", args=[plan.pk])),
        ("documents.document", document.pk, reverse("documents:detail", args=[document.pk])),
    ]


def test_a_plan_issued_on_the_deadline_day_is_on_time_and_one_day_later_is_late(agency, other_agency):
    # The reference as written, when the document is not in the registry.
    _plan(agency, document_text="Kế hoạch số 151/KH-SKHCN ngày 31/12/2022")
    m = measure("plan_issued_by", agency, 2023)
    assert m.value == m.deadline == D(2022, 12, 31)
    assert m.explanation == "Kế hoạch CCHC năm 2023 ban hành ngày 31/12/2022, đúng hạn 31/12/2022."

    _plan(other_agency, document_text="Kế hoạch số 03/KH-SNV ngày 01/01/2023")
    late = measure("plan_issued_by", other_agency, 2023)
    assert late.value == D(2023, 1, 1) and late.value > late.deadline
    assert late.explanation == "Kế hoạch CCHC năm 2023 ban hành ngày 01/01/2023, sau hạn 31/12/2022 1 ngày."


def test_without_a_plan_or_without_its_date_there_is_no_value(agency):
    m = measure("plan_issued_by", agency, 2023)
    assert m.value is None and m.deadline == D(2022, 12, 31) and m.sources == ()
    assert m.explanation.startswith("Chưa có dữ liệu: cchc chưa có Kế hoạch CCHC năm 2023")

    plan = _plan(agency, document_text="Kế hoạch cải cách hành chính (chưa ký)")
    m = measure("plan_issued_by", agency, 2023)
    assert m.value is None
    assert "chưa ghi văn bản ban hành có ngày" in m.explanation
    assert [s.pk for s in m.sources] == [plan.pk]


def test_another_agencys_plan_or_another_years_never_counts(agency, other_agency):
    _plan(other_agency, document=_document(other_agency, "10", D(2022, 12, 20), symbol="KH-SNV"))
    _plan(agency, year=2022, document_text="Kế hoạch số 01/KH-SKHCN ngày 20/12/2021")
    _plan(agency, kind=PlanKind.ISO, document_text="Kế hoạch số 05/KH-SKHCN ngày 10/12/2022")
    assert measure("plan_issued_by", agency, 2023).value is None
    assert measure("plan_issued_by", agency, 2022).value == D(2021, 12, 20)


def test_the_first_issued_of_several_plans_counts(agency):
    _plan(agency, document_text="Kế hoạch số 80/KH-SKHCN ngày 15/01/2023")
    _plan(agency, document=_document(agency, "64", D(2022, 12, 28)))
    assert measure("plan_issued_by", agency, 2023).value == D(2022, 12, 28)


def test_the_kind_and_the_deadline_are_parameters(agency):
    _plan(agency, kind=PlanKind.BUSINESS_ENVIRONMENT, document_text="Kế hoạch số 12/KH-SKHCN ngày 20/01/2023")
    m = measure("plan_issued_by", agency, 2023, {"plan_kind": "business_env", "deadline": "01-31 of year"})
    assert (m.value, m.deadline) == (D(2023, 1, 20), D(2023, 1, 31))
    assert m.explanation == (
        "Kế hoạch cải thiện môi trường kinh doanh năm 2023 ban hành ngày 20/01/2023, trước hạn 31/01/2023."
    )
    fixed = measure("plan_issued_by", agency, 2023, {"plan_kind": "business_env", "deadline": "2023-01-15"})
    assert fixed.deadline == D(2023, 1, 15) and "sau hạn 15/01/2023 5 ngày" in fixed.explanation


@pytest.mark.parametrize(
    "params",
    [{"deadline": "cuối năm"}, {"deadline": "02-30 of year-1"}, {"plan_kind": "khong-co"}, {"han": "12-31"}],
)
def test_unusable_parameters_are_refused_with_a_vietnamese_message(agency, params):
    with pytest.raises(ParamError) as error:
        measure("plan_issued_by", agency, 2023, params)
    assert "Tham số" in str(error.value)


def test_plan_issued_by_costs_one_query_whatever_the_number_of_plans(agency, django_assert_max_num_queries):
    for n in range(6):
        _plan(agency, document=_document(agency, str(60 + n), D(2022, 12, 20 + n)))
    with django_assert_max_num_queries(1):
        assert measure("plan_issued_by", agency, 2023).value == D(2022, 12, 20)


# --- plan_completion -------------------------------------------------------------------------------------------


@pytest.fixture
def cchc_plan(agency, officer):
    """Four tasks under two headings: I.1 and I.2 due in quarter II, II.1 due 30/9, II.2 due at the year's end."""
    plan = _plan(agency, document_text="Kế hoạch số 151/KH-SKHCN ngày 23/12/2022")
    first = create_task(plan, code="I", content="Cải cách thể chế", actor=officer)
    second = create_task(plan, code="II", content="Cải cách TTHC", actor=officer)
    tasks = {
        "I.1": create_task(plan, code="1", parent=first, content="Rà soát văn bản", deadline="Quý II/2023"),
        "I.2": create_task(plan, code="2", parent=first, content="Tự kiểm tra", deadline="Quý II/2023"),
        "II.1": create_task(plan, code="1", parent=second, content="Công bố TTHC", deadline="30/9/2023"),
        "II.2": create_task(plan, code="2", parent=second, content="Số hóa hồ sơ", deadline="Cả năm"),
    }
    return plan, tasks


def _done(task, day, officer):
    return record_progress(task, "Đã hoàn thành", Progress.DONE, day, officer, on=day)


def test_every_task_done_gives_the_whole_ratio(agency, officer, cchc_plan):
    plan, tasks = cchc_plan
    for task in tasks.values():
        _done(task, D(2023, 6, 20), officer)
    m = measure("plan_completion", agency, 2023)
    assert m.value == 1
    assert m.explanation == "Kế hoạch CCHC năm 2023: 4/4 nhiệm vụ hoàn thành (100 %) đến ngày 31/12/2023."
    assert ("Nhiệm vụ đã hoàn thành", "4/4") in m.figures
    assert m.sources[0].url == reverse("plans:detail", args=[plan.pk])


def test_part_done_gives_the_share_and_on_time_counts_only_the_tasks_done_by_their_deadline(agency, officer, cchc_plan):
    _plan, tasks = cchc_plan
    _done(tasks["I.1"], D(2023, 6, 30), officer)  # the quarter's last day: on time
    _done(tasks["I.2"], D(2023, 7, 1), officer)  # a day late
    _done(tasks["II.1"], D(2024, 1, 5), officer)  # after the year: not done at 31/12/2023
    m = measure("plan_completion", agency, 2023)
    assert m.value == pytest.approx(0.5) and ("Hoàn thành chậm", "1") in m.figures
    assert m.explanation == "Kế hoạch CCHC năm 2023: 2/4 nhiệm vụ hoàn thành (50 %) đến ngày 31/12/2023."
    on_time = measure("plan_completion", agency, 2023, {"count": "on_time"})
    assert str(on_time.value) == "0.25" and "1/4 nhiệm vụ hoàn thành đúng hạn (25 %)" in on_time.explanation
    # The officer's rating overrides the rule: the late task judged complete (with a reason) counts as on time.
    set_rating(tasks["I.2"], "good", "Chậm do chờ văn bản của UBND tỉnh, đã báo cáo", officer)
    assert str(measure("plan_completion", agency, 2023, {"count": "on_time"}).value) == "0.5"
    later = measure("plan_completion", agency, 2023, {"as_of": "01-31 of year+1"})
    assert str(later.value) == "0.75" and "đến ngày 31/01/2024" in later.explanation


def test_a_running_year_is_counted_up_to_today(agency, officer, cchc_plan, monkeypatch):
    _plan, tasks = cchc_plan
    _done(tasks["I.1"], D(2023, 6, 30), officer)
    _done(tasks["II.1"], D(2023, 9, 1), officer)
    monkeypatch.setattr("cchc.parindex.evidence.base.today", lambda: D(2023, 7, 15))
    m = measure("plan_completion", agency, 2023)
    assert str(m.value) == "0.25" and m.explanation.endswith("đến ngày 15/7/2023.")


def test_no_plan_or_a_plan_without_tasks_gives_no_value(agency):
    assert measure("plan_completion", agency, 2023).value is None
    plan = _plan(agency)
    m = measure("plan_completion", agency, 2023)
    assert m.value is None and "chưa có nhiệm vụ nào" in m.explanation
    assert m.sources[0].pk == plan.pk


def test_completion_never_counts_another_agencys_tasks(agency, other_agency, officer, cchc_plan):
    other = _plan(other_agency)
    for n in range(3):
        _done(create_task(other, code=str(n + 1), content=f"Việc {n}"), D(2023, 5, 5), None)
    assert measure("plan_completion", other_agency, 2023).value == 1
    assert measure("plan_completion", agency, 2023).value == 0


def test_completion_costs_two_queries_whatever_the_number_of_tasks(agency, django_assert_max_num_queries):
    plan = _plan(agency)
    for n in range(40):
        create_task(plan, code=str(n + 1), content=f"Nhiệm vụ {n + 1}", deadline="Quý IV/2023")
    with django_assert_max_num_queries(2):
        m = measure("plan_completion", agency, 2023)
    assert m.value == 0 and ("Nhiệm vụ đã hoàn thành", "0/40") in m.figures


def test_the_registry_describes_both_plan_evaluators():
    assert REGISTRY["plan_issued_by"].kind == "date"
    assert REGISTRY["plan_issued_by"].params == {"plan_kind": "cchc", "deadline": "12-31 of year-1"}
    assert REGISTRY["plan_completion"].kind == "ratio"
