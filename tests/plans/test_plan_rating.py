"""The four rating levels of the Quảng Trị appendix, proposed from deadline and completion (reports.md §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.plans.deadlines import parse_deadline
from cchc.plans.models import Task
from cchc.plans.rating import Progress, Rating, effective_rating, propose_rating

D = dt.date


def task(deadline: str, completed_on: dt.date | None = None, *, complete: bool = True, rating: str = "") -> Task:
    item = Task(
        code="1",
        content="Ban hành Kế hoạch kiểm soát thủ tục hành chính năm 2023",
        progress=Progress.DONE if completed_on else Progress.IN_PROGRESS,
        completed_on=completed_on,
        content_complete=complete,
        rating=rating,
    )
    item.deadline = parse_deadline(deadline, year=2023)
    item.refresh_derived(today=D(2023, 12, 31))
    return item


@pytest.mark.parametrize(
    ("deadline", "completed_on", "expected"),
    [
        ("30/6/2023", D(2023, 6, 30), Rating.GOOD),  # done on the deadline day is on time
        ("30/6/2023", D(2023, 7, 1), Rating.LATE),
        ("Tháng 6/2023", D(2023, 6, 30), Rating.GOOD),  # a month deadline runs to the month's last day
        ("Tháng 6/2023", D(2023, 7, 1), Rating.LATE),
        ("Tháng 2/2024", D(2024, 2, 29), Rating.GOOD),
        ("Quý I/2023", D(2023, 3, 31), Rating.GOOD),
        ("Quý I/2023", D(2023, 4, 1), Rating.LATE),
        ("6 tháng đầu năm", D(2023, 6, 30), Rating.GOOD),
        ("Cả năm", D(2023, 12, 31), Rating.GOOD),
        ("Thường xuyên", D(2023, 12, 31), Rating.GOOD),
        ("Theo chỉ đạo", D(2023, 12, 31), Rating.GOOD),  # no known deadline: done is on time
    ],
)
def test_done_tasks(deadline, completed_on, expected):
    assert propose_rating(task(deadline, completed_on), as_of=D(2024, 3, 1)) == expected


def test_on_time_with_incomplete_content_is_hoan_thanh():
    item = task("Quý II/2023", D(2023, 5, 2), complete=False)
    assert propose_rating(item, D(2023, 12, 31)) == Rating.DONE
    assert Rating.DONE.label == "Hoàn thành"


def test_late_stays_late_even_with_incomplete_content():
    assert propose_rating(task("Quý II/2023", D(2023, 8, 2), complete=False), D(2023, 12, 31)) == Rating.LATE


@pytest.mark.parametrize("as_of", [D(2023, 6, 1), D(2023, 6, 30), D(2023, 7, 1), D(2024, 1, 1)])
def test_not_done_is_chua_hoan_thanh_before_and_after_the_deadline(as_of):
    assert propose_rating(task("Tháng 6/2023"), as_of) == Rating.NOT_DONE


def test_a_task_completed_after_the_assessment_date_was_not_done_then():
    item = task("Tháng 6/2023", D(2023, 6, 20))
    assert propose_rating(item, D(2023, 6, 19)) == Rating.NOT_DONE
    assert propose_rating(item, D(2023, 6, 20)) == Rating.GOOD


def test_effective_rating_prefers_the_override_once_the_task_stands_as_rated():
    item = task("Tháng 6/2023", D(2023, 7, 3), rating=Rating.GOOD)
    assert propose_rating(item, D(2023, 12, 31)) == Rating.LATE
    assert effective_rating(item, D(2023, 12, 31)) == Rating.GOOD
    # Before its completion the task was not done: the override does not reach back.
    assert effective_rating(item, D(2023, 7, 1)) == Rating.NOT_DONE


def test_stored_proposal_follows_the_deadline_and_progress():
    item = task("Quý I/2023", D(2023, 4, 3))
    assert item.due_date == D(2023, 3, 31)
    assert item.rating_proposed == Rating.LATE
    assert item.effective_rating == Rating.LATE
