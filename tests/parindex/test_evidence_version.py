"""data_version(agency, year): the fingerprint a score sheet compares to know whether its proposals are stale. It
must change with every change of the data the evaluators read for the agency, stay put otherwise (another agency's
changes included), and cost a few queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cchc.aggregation.models import AggregationGroup, DeadlineRule, ReportingRegime, Submission
from cchc.documents.models import Direction, Document, DocumentKind
from cchc.dossiers.models import Dossier
from cchc.feedback import services as feedback
from cchc.parindex.evidence import data_version, measure
from cchc.plans.models import PlanKind
from cchc.plans.rating import Progress
from cchc.plans.services import create_plan, create_task, record_progress, update_plan
from cchc.procedures.models import Procedure

pytestmark = pytest.mark.django_db
D = dt.date
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _past_the_year(monkeypatch):
    """Stand well after 2023's deadlines, so that the day is not part of the fingerprint."""
    monkeypatch.setattr("cchc.parindex.evidence.base.today", lambda: D(2025, 3, 1))


def _at(day, hour=9):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


@pytest.fixture
def plan(agency, officer):
    return create_plan(agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="Kế hoạch CCHC năm 2023", actor=officer)


def _changes(agency, other_agency, procedure, plan, officer, make_user):
    """Each change the evaluators can see, as (what, function doing it)."""
    task = {}

    def add_task():
        task["t"] = create_task(plan, code="1", content="Rà soát TTHC", deadline="Quý II/2023", actor=officer)

    def regime():
        home_affairs = other_agency
        make_user("tonghop", home_affairs, "aggregator")
        return ReportingRegime.objects.create(
            aggregator=home_affairs, name="Quý", period_kind="quarter", rule=DeadlineRule.WORKING_DAYS, days=3
        )

    return [
        ("a task added", add_task),
        (
            "its progress",
            lambda: record_progress(task["t"], "Xong", Progress.DONE, D(2023, 6, 1), officer, on=D(2023, 6, 1)),
        ),
        (
            "the plan's issuing text",
            lambda: update_plan(plan, officer, document_text="Kế hoạch số 1/KH-SKHCN ngày 20/12/2022"),
        ),
        (
            "a document",
            lambda: Document.objects.create(
                agency=agency,
                direction=Direction.OUTGOING,
                kind=DocumentKind.BAO_CAO,
                number="3",
                symbol="BC-SKHCN",
                issue_date=D(2023, 2, 2),
                excerpt="Báo cáo CCHC",
            ),
        ),
        ("an aggregator and its regime", regime),
        ("a regime's deadline", lambda: ReportingRegime.objects.update(days=5)),
        (
            "a submission",
            lambda: Submission.objects.create(
                agency=agency,
                aggregator=other_agency,
                source="imported",
                period_key="2023-Q1",
                period_start=D(2022, 12, 15),
                period_end=D(2023, 3, 14),
                submitted_at=_at(D(2023, 3, 16)),
            ),
        ),
        (
            "a group",
            lambda: AggregationGroup.objects.create(aggregator=other_agency, name="Khối sở").members.add(agency),
        ),
        (
            "a dossier",
            lambda: Dossier.objects.create(
                agency=agency,
                procedure=procedure,
                code="H1",
                applicant_name="Chủ hồ sơ",
                channel=2,
                received_at=_at(D(2023, 4, 1)),
                received_on=D(2023, 4, 1),
                due_at=_at(D(2023, 4, 10)),
                due_date=D(2023, 4, 10),
            ),
        ),
        ("a dossier digitised", lambda: Dossier.objects.filter(code="H1").update(digitised=True)),
        ("the catalogue", lambda: Procedure.objects.filter(pk=procedure.pk).update(one_stop=False)),
        ("a procedure's decision", lambda: _save(procedure, publishing_decision="Quyết định 5/QĐ-UBND ngày 01/6/2023")),
        (
            "feedback received",
            lambda: feedback.receive(
                agency, None, received_on=D(2023, 5, 2), channel="van_ban", subject="Phản ánh về thời gian trả kết quả"
            ),
        ),
        (
            "feedback answered",
            lambda: feedback.close(agency.feedback_items.get(), None, on=D(2023, 5, 3), answer="Đã trả lời"),
        ),
    ]


def _save(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()


def test_every_change_the_evaluators_read_changes_the_version(
    agency, other_agency, procedure, plan, officer, make_user
):
    seen = {data_version(agency, 2023)}
    assert data_version(agency, 2023) in seen  # stable while nothing changes
    for what, change in _changes(agency, other_agency, procedure, plan, officer, make_user):
        change()
        version = data_version(agency, 2023)
        assert version not in seen, what
        assert data_version(agency, 2023) == version, what
        seen.add(version)


def test_another_agencys_changes_leave_the_version_alone(agency, other_agency, foreign_agency, field, officer):
    before = data_version(agency, 2023)
    create_plan(foreign_agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="Kế hoạch của Cao Bằng")
    Document.objects.create(
        agency=other_agency,
        direction=Direction.OUTGOING,
        kind=DocumentKind.KE_HOACH,
        number="9",
        symbol="KH-SNV",
        issue_date=D(2023, 1, 3),
        excerpt="Kế hoạch CCHC",
    )
    other = Procedure.objects.create(
        agency=other_agency,
        code="1.000100",
        name="Thủ tục của Sở Nội vụ",
        field=field,
        processing_time=Decimal("5"),
        effective_from=D(2020, 1, 1),
    )
    Dossier.objects.create(
        agency=other_agency,
        procedure=other,
        code="N1",
        applicant_name="Chủ hồ sơ",
        channel=1,
        received_at=_at(D(2023, 4, 1)),
        received_on=D(2023, 4, 1),
        due_at=_at(D(2023, 4, 10)),
        due_date=D(2023, 4, 10),
    )
    feedback.receive(foreign_agency, None, received_on=D(2023, 5, 2), channel="van_ban", subject="Phản ánh khác")
    assert data_version(agency, 2023) == before
    assert data_version(other_agency, 2023) != data_version(agency, 2023)


def test_measuring_changes_nothing_it_fingerprints(agency, procedure, plan):
    Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        code="H1",
        applicant_name="Chủ hồ sơ",
        channel=2,
        received_at=_at(D(2023, 4, 1)),
        received_on=D(2023, 4, 1),
        due_at=_at(D(2023, 4, 10)),
        due_date=D(2023, 4, 10),
        ended_at=_at(D(2023, 4, 5)),
        ended_on=D(2023, 4, 5),
        status="resolved",
        outcome="resolved",
    )
    before = data_version(agency, 2023)
    assert measure("dossiers_on_time_share", agency, 2023).value == 1  # keeps a result in the statistics cache
    assert data_version(agency, 2023) == before


def test_the_day_counts_until_the_years_deadlines_have_passed(agency, other_agency, make_user, monkeypatch):
    make_user("tonghop", other_agency, "aggregator")
    ReportingRegime.objects.create(
        aggregator=other_agency, name="Năm", period_kind="year", rule=DeadlineRule.DAY_OF_NEXT_MONTH, days=25
    )
    ReportingRegime.objects.create(
        aggregator=other_agency, name="Quý", period_kind="quarter", rule=DeadlineRule.WORKING_DAYS, days=30
    )

    def on(day):
        monkeypatch.setattr("cchc.parindex.evidence.base.today", lambda: day)
        return data_version(agency, 2023)

    # During the year and while a report can still fall due (30 working days after 31/12 is mid-February), the
    # version moves with the day; well after, it stays.
    assert on(D(2023, 6, 1)) != on(D(2023, 6, 2))
    assert on(D(2024, 2, 1)) != on(D(2024, 2, 2))
    assert on(D(2024, 6, 1)) == on(D(2025, 6, 1))
    assert on(D(2024, 6, 1)) != on(D(2023, 6, 1))


def test_the_version_costs_three_queries_whatever_the_data(agency, plan, officer, django_assert_max_num_queries):
    for n in range(30):
        create_task(plan, code=str(n + 1), content=f"Nhiệm vụ {n + 1}", actor=officer)
    with django_assert_max_num_queries(3):
        version = data_version(agency, 2023)
    assert isinstance(version, str) and len(version) == 32
