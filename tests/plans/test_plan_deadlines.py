"""Deadlines as real plans write them, read with the plan's year as context; unknown texts are never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.plans.deadlines import Deadline, DeadlineKind, parse_deadline

D = dt.date

# text, plan year, kind, iso, due date, label
TABLE = [
    ("30/6/2023", None, DeadlineKind.DATE, "2023-06-30", D(2023, 6, 30), "30/6/2023"),
    ("05/01/2023", None, DeadlineKind.DATE, "2023-01-05", D(2023, 1, 5), "05/01/2023"),
    ("30-6-2023", None, DeadlineKind.DATE, "2023-06-30", D(2023, 6, 30), "30/6/2023"),
    ("30.6.2023", None, DeadlineKind.DATE, "2023-06-30", D(2023, 6, 30), "30/6/2023"),
    ("Trước ngày 15/12/2023", None, DeadlineKind.DATE, "2023-12-15", D(2023, 12, 15), "15/12/2023"),
    ("Chậm nhất ngày 30/6", 2023, DeadlineKind.DATE, "2023-06-30", D(2023, 6, 30), "30/6/2023"),
    ("ngày 15 tháng 12 năm 2023", None, DeadlineKind.DATE, "2023-12-15", D(2023, 12, 15), "15/12/2023"),
    ("Tháng 6/2023", None, DeadlineKind.MONTH, "2023-06", D(2023, 6, 30), "Tháng 6/2023"),
    ("tháng 6 năm 2023", None, DeadlineKind.MONTH, "2023-06", D(2023, 6, 30), "Tháng 6/2023"),
    ("Trong tháng 12/2023", None, DeadlineKind.MONTH, "2023-12", D(2023, 12, 31), "Tháng 12/2023"),
    ("T6/2023", None, DeadlineKind.MONTH, "2023-06", D(2023, 6, 30), "Tháng 6/2023"),
    ("06/2023", None, DeadlineKind.MONTH, "2023-06", D(2023, 6, 30), "Tháng 6/2023"),
    ("Tháng 02/2024", None, DeadlineKind.MONTH, "2024-02", D(2024, 2, 29), "Tháng 02/2024"),
    ("Tháng 2", 2023, DeadlineKind.MONTH, "2023-02", D(2023, 2, 28), "Tháng 02/2023"),
    ("Tháng 3-6/2023", None, DeadlineKind.MONTH, "2023-06", D(2023, 6, 30), "Tháng 6/2023"),
    ("Từ tháng 3 đến tháng 9 năm 2023", None, DeadlineKind.MONTH, "2023-09", D(2023, 9, 30), "Tháng 9/2023"),
    ("Quý II/2023", None, DeadlineKind.QUARTER, "2023-Q2", D(2023, 6, 30), "Quý II/2023"),
    ("Quý 3 năm 2023", None, DeadlineKind.QUARTER, "2023-Q3", D(2023, 9, 30), "Quý III/2023"),
    ("quý IV", 2023, DeadlineKind.QUARTER, "2023-Q4", D(2023, 12, 31), "Quý IV/2023"),
    ("Quý I, II/2023", None, DeadlineKind.QUARTER, "2023-Q2", D(2023, 6, 30), "Quý II/2023"),
    ("6 tháng đầu năm", 2023, DeadlineKind.HALF, "2023-H1", D(2023, 6, 30), "6 tháng đầu năm 2023"),
    ("6 tháng cuối năm 2023", None, DeadlineKind.HALF, "2023-H2", D(2023, 12, 31), "6 tháng cuối năm 2023"),
    ("Năm 2023", None, DeadlineKind.YEAR, "2023", D(2023, 12, 31), "Năm 2023"),
    ("Cả năm", 2023, DeadlineKind.YEAR, "2023", D(2023, 12, 31), "Năm 2023"),
    ("Trong năm", 2023, DeadlineKind.YEAR, "2023", D(2023, 12, 31), "Năm 2023"),
    ("2023", None, DeadlineKind.YEAR, "2023", D(2023, 12, 31), "Năm 2023"),
    ("Thường xuyên", 2023, DeadlineKind.CONTINUOUS, None, D(2023, 12, 31), "Thường xuyên"),
    ("Hằng quý", 2023, DeadlineKind.CONTINUOUS, None, D(2023, 12, 31), "Thường xuyên"),
    ("Định kỳ hàng tháng", 2023, DeadlineKind.CONTINUOUS, None, D(2023, 12, 31), "Thường xuyên"),
    # Without diacritics (typed on a keyboard without Vietnamese input) the meaning is the same.
    ("Quy II/2023", None, DeadlineKind.QUARTER, "2023-Q2", D(2023, 6, 30), "Quý II/2023"),
    ("thang 6 nam 2023", None, DeadlineKind.MONTH, "2023-06", D(2023, 6, 30), "Tháng 6/2023"),
]


@pytest.mark.parametrize(("text", "year", "kind", "iso", "due", "label"), TABLE)
def test_parse_deadline(text, year, kind, iso, due, label):
    deadline = parse_deadline(text, year=year)
    assert (deadline.kind, deadline.iso(), deadline.due_date(), deadline.label()) == (kind, iso, due, label)
    assert deadline.text == text


def test_explicit_year_wins_over_the_plan_year():
    assert parse_deadline("Quý II/2024", year=2023).due_date() == D(2024, 6, 30)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Theo chỉ đạo của UBND tỉnh",
        "Theo hướng dẫn của Bộ Khoa học và Công nghệ Việt Nam",  # "Nam" is not "năm"
        "31/2/2023",  # no such day
        "Tháng 13/2023",
        "Quý V/2023",
        "Năm 1800",
        "Khi có yêu cầu",
        "giai đoạn 2021-2025",
    ],
)
def test_unknown_texts_are_never_guessed(text):
    deadline = parse_deadline(text, year=2023)
    assert deadline.kind == DeadlineKind.NONE
    assert deadline.due_date() is None and deadline.iso() is None
    assert deadline.label() == " ".join(text.split())


@pytest.mark.parametrize("text", ["Tháng 6", "30/6", "Quý II", "Cả năm", "6 tháng đầu năm"])
def test_texts_without_a_year_need_the_plan_year(text):
    assert parse_deadline(text).due_date() is None
    assert parse_deadline(text).kind == DeadlineKind.NONE
    assert parse_deadline(text, year=2023).due_date() is not None


def test_continuous_without_a_year_has_no_due_date():
    deadline = parse_deadline("Thường xuyên")
    assert deadline.kind == DeadlineKind.CONTINUOUS and deadline.due_date() is None


def test_label_round_trips_through_the_parser():
    for text, year, *_rest in TABLE:
        deadline = parse_deadline(text, year=year)
        again = parse_deadline(deadline.label(), year=year)
        assert again.due_date() == deadline.due_date(), text


def test_deadline_value_object_defaults_to_unknown():
    assert Deadline().kind == DeadlineKind.NONE and not Deadline().is_known
