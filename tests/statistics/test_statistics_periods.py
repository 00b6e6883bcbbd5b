"""Reporting periods: NĐ 09/2019 Điều 12 cut-off days, calendar periods, explicit ranges and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.statistics.periods import current_month, current_quarter, parse_period, previous, same_period_last_year

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "label"),
    [
        ("2023-Q1", D(2022, 12, 15), D(2023, 3, 14), "quarter", "Quý I năm 2023"),
        ("2023-Q2", D(2023, 3, 15), D(2023, 6, 14), "quarter", "Quý II năm 2023"),
        ("2023-Q4", D(2023, 9, 15), D(2023, 12, 14), "quarter", "Quý IV năm 2023"),
        ("2023-H1", D(2022, 12, 15), D(2023, 6, 14), "half", "6 tháng đầu năm 2023"),
        ("2023-H2", D(2023, 6, 15), D(2023, 12, 14), "half", "6 tháng cuối năm 2023"),
        ("2023-9M", D(2022, 12, 15), D(2023, 9, 14), "nine_months", "9 tháng năm 2023"),
        ("2023", D(2022, 12, 15), D(2023, 12, 14), "year", "Năm 2023"),
        ("2023-03", D(2023, 2, 15), D(2023, 3, 14), "month", "Tháng 3 năm 2023"),
        ("2023-01", D(2022, 12, 15), D(2023, 1, 14), "month", "Tháng 1 năm 2023"),
        ("2022-12-05..2023-03-04", D(2022, 12, 5), D(2023, 3, 4), "range", "Từ 05/12/2022 đến 04/03/2023"),
        ("05/12/2022-04/03/2023", D(2022, 12, 5), D(2023, 3, 4), "range", "Từ 05/12/2022 đến 04/03/2023"),
        ("5/12/2022 - 4/3/2023", D(2022, 12, 5), D(2023, 3, 4), "range", "Từ 05/12/2022 đến 04/03/2023"),
        (" 2023-q3 ", D(2023, 6, 15), D(2023, 9, 14), "quarter", "Quý III năm 2023"),
    ],
)
def test_nd09_periods(text, start, end, kind, label):
    period = parse_period(text)
    assert (period.start, period.end, period.kind, period.label) == (start, end, kind, label)
    assert parse_period(period.key) == period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023-Q1", D(2023, 1, 1), D(2023, 3, 31)),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31)),
        ("2023-H1", D(2023, 1, 1), D(2023, 6, 30)),
        ("2023-9M", D(2023, 1, 1), D(2023, 9, 30)),
        ("2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ],
)
def test_calendar_periods(text, start, end):
    period = parse_period(text, mode="calendar")
    assert (period.start, period.end) == (start, end)
    assert parse_period(period.key, mode="calendar") == period


def test_dates_text_prints_the_exact_window():
    assert parse_period("2023-Q1").dates_text == "Số liệu tính từ ngày 15/12/2022 đến ngày 14/03/2023"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Chưa nhập kỳ báo cáo"),
        ("quý một", "Không hiểu kỳ báo cáo"),
        ("2023-Q5", "Quý không hợp lệ"),
        ("2023-Q0", "Quý không hợp lệ"),
        ("2023-13", "Tháng không hợp lệ"),
        ("2023-H3", "Nửa năm không hợp lệ"),
        ("31/02/2023-01/03/2023", "Ngày không hợp lệ"),
        ("2023-03-05..2023-01-01", "phải trước hoặc bằng ngày kết thúc"),
        ("1789", "Năm báo cáo không hợp lệ"),
    ],
)
def test_bad_input_is_explained_in_vietnamese(text, message):
    with pytest.raises(ValueError, match=message):
        parse_period(text)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="Cách tính kỳ không hợp lệ"):
        parse_period("2023-Q1", mode="fiscal")


@pytest.mark.parametrize(
    ("text", "mode", "expected"),
    [
        ("2023-Q1", "nd09", "2022-Q4"),
        ("2023-Q3", "nd09", "2023-Q2"),
        ("2023-01", "nd09", "2022-12"),
        ("2023-H1", "nd09", "2022-H2"),
        ("2023-H2", "nd09", "2023-H1"),
        ("2023-9M", "nd09", "2022-9M"),
        ("2023", "calendar", "2022"),
        ("2022-12-05..2023-03-04", "nd09", "2022-09-06..2022-12-04"),
    ],
)
def test_previous(text, mode, expected):
    period = parse_period(text, mode)
    before = previous(period)
    assert before == parse_period(expected, mode)
    if period.kind in ("month", "quarter", "half", "range"):
        assert before.end == period.start - dt.timedelta(days=1)


def test_previous_range_has_the_same_length():
    period = parse_period("2022-12-05..2023-03-04")
    assert previous(period).days == period.days


def test_same_period_last_year():
    assert same_period_last_year(parse_period("2023-Q1")) == parse_period("2022-Q1")
    assert same_period_last_year(parse_period("2024-02-01..2024-02-29")).end == D(2023, 2, 28)


@pytest.mark.parametrize(
    ("today", "mode", "expected"),
    [
        (D(2022, 12, 14), "nd09", "2022-Q4"),
        (D(2022, 12, 15), "nd09", "2023-Q1"),
        (D(2023, 3, 14), "nd09", "2023-Q1"),
        (D(2023, 3, 15), "nd09", "2023-Q2"),
        (D(2023, 2, 1), "nd09", "2023-Q1"),
        (D(2022, 12, 31), "calendar", "2022-Q4"),
        (D(2023, 1, 1), "calendar", "2023-Q1"),
    ],
)
def test_current_quarter_contains_today(today, mode, expected):
    period = current_quarter(today, mode)
    assert period == parse_period(expected, mode)
    assert today in period


def test_current_month_contains_today():
    assert current_month(D(2023, 3, 20)) == parse_period("2023-04")
    assert current_month(D(2023, 3, 14)) == parse_period("2023-03")


def test_a_period_that_has_not_ended_counts_to_today_and_says_so():
    q4 = parse_period("2026-Q4")  # NĐ 09: 15/09/2026 – 14/12/2026
    on = D(2026, 12, 2)
    assert q4.cutoff(on) == on and not q4.has_ended(on)
    assert q4.as_of_text(on) == "Số liệu tính đến ngày 02/12/2026"
    # On its last day and after, the period's own end; nothing to say.
    assert q4.cutoff(D(2026, 12, 14)) == D(2026, 12, 14) and q4.as_of_text(D(2026, 12, 14)) == ""
    assert q4.cutoff(D(2027, 1, 5)) == D(2026, 12, 14) and q4.has_ended(D(2027, 1, 5))


@pytest.mark.parametrize("text", ["2023-Q1", "2023-H2", "2023-9M", "2023", "2023-03", "2022-12-05..2023-03-04"])
@pytest.mark.parametrize("mode", ["nd09", "calendar"])
def test_a_period_reads_back_from_its_key_and_mode(text, mode):
    # Links carry both (the dashboard's figure links to the dossier list): a range's mode is "range".
    period = parse_period(text, mode)
    assert parse_period(period.key, period.mode) == period


def test_the_range_mode_takes_ranges_only():
    with pytest.raises(ValueError, match="không phải khoảng ngày"):
        parse_period("2023-Q1", "range")
