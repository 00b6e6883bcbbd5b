"""Evidence from feedback (phản ánh, kiến nghị): the items of the Biểu 06 year 2023 (15/12/2022 – 14/12/2023)
closed by their answer deadline, against those closed plus those left unanswered past their deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.feedback.models import Feedback, Status
from cchc.parindex.evidence import measure

pytestmark = pytest.mark.django_db
D = dt.date


def _item(agency, received, due, answered=None, status=None, subject="Phản ánh về thời hạn giải quyết"):
    status = status or (Status.ANSWERED if answered else Status.PROCESSING)
    return Feedback.objects.create(
        agency=agency,
        received_on=received,
        answer_due_on=due,
        channel="truc_tiep",
        subject=subject,
        status=status,
        answered_on=answered,
        answer="Đã trả lời" if answered else "",
    )


@pytest.fixture
def feedback(agency, other_agency):
    _item(agency, D(2022, 12, 1), D(2022, 12, 14), D(2022, 12, 14))  # closed the day before the year: not counted
    _item(agency, D(2022, 12, 5), D(2022, 12, 19), D(2022, 12, 15))  # closed on the year's first day: on time
    _item(agency, D(2023, 3, 1), D(2023, 3, 15), D(2023, 3, 15))  # answered on its deadline day: on time
    _item(agency, D(2023, 5, 1), D(2023, 5, 15), D(2023, 5, 16))  # a day late
    _item(agency, D(2023, 7, 1), D(2023, 7, 14), D(2023, 7, 10), status=Status.NOT_IN_SCOPE)  # closed, on time
    _item(agency, D(2023, 11, 1), D(2023, 11, 15))  # still open past its deadline at 14/12: against
    _item(agency, D(2023, 12, 10), D(2023, 12, 22))  # open, within its time: not judged yet
    _item(agency, D(2023, 12, 1), D(2023, 12, 14))  # open, due on the last day: not overdue yet
    for n in range(3):
        _item(other_agency, D(2023, 4, 1), D(2023, 4, 15), D(2023, 4, 20 + n))  # Sở Nội vụ: all late


def test_on_time_share_of_feedback_counts_the_overdue_unanswered_against(agency, feedback):
    m = measure("feedback_on_time_share", agency, 2023)
    assert (m.kind, str(m.value)) == ("ratio", "0.6")
    assert m.explanation == (
        "3/5 phản ánh, kiến nghị được xử lý đúng hạn, tỷ lệ 60 % (Biểu 06, 15/12/2022–14/12/2023)."
    )
    assert ("Xử lý quá hạn", "1") in m.figures and ("Chưa xử lý, đã quá hạn", "1") in m.figures


def test_another_agencys_feedback_never_counts(agency, other_agency, feedback, foreign_agency):
    assert measure("feedback_on_time_share", other_agency, 2023).value == 0
    _item(foreign_agency, D(2023, 4, 1), D(2023, 4, 15), D(2023, 4, 2))
    assert measure("feedback_on_time_share", foreign_agency, 2023).value == 1
    assert str(measure("feedback_on_time_share", agency, 2023).value) == "0.6"


def test_a_running_year_judges_only_what_was_due_by_today(agency, feedback, monkeypatch):
    monkeypatch.setattr("cchc.parindex.evidence.base.today", lambda: D(2023, 11, 10))
    m = measure("feedback_on_time_share", agency, 2023)
    # Up to 10/11: the 11/2023 item is open but not yet due; the December items were not received yet.
    assert str(m.value) == "0.75" and m.explanation.endswith("số liệu đến ngày 10/11/2023).")


def test_without_feedback_due_there_is_no_value(agency, foreign_agency):
    assert measure("feedback_on_time_share", foreign_agency, 2023).value is None
    _item(agency, D(2023, 12, 10), D(2023, 12, 22))
    m = measure("feedback_on_time_share", agency, 2023)
    assert m.value is None and "không có phản ánh, kiến nghị đến hạn xử lý" in m.explanation
    assert m.figures == (("Đang xử lý trong hạn", "1"),)


def test_feedback_costs_one_query(agency, feedback, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert measure("feedback_on_time_share", agency, 2023).value is not None
