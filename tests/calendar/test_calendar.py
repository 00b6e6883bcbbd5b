"""The working calendar: official days off 2023-2026, overrides, working-day arithmetic and due moments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc import calendar
from cchc.calendar.models import CalendarOverride

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def unusual_days(year: int, province=None) -> tuple[set[dt.date], set[dt.date]]:
    """(weekdays off, weekend days worked) of a year, day by day through is_working_day."""
    day, off, worked = D(year, 1, 1), set(), set()
    while day.year == year:
        working = calendar.is_working_day(day, province)
        if day.weekday() < 5 and not working:
            off.add(day)
        if day.weekday() >= 5 and working:
            worked.add(day)
        day += dt.timedelta(days=1)
    return off, worked


# Official public-sector schedules, tthc-details.md §5.2.
OFFICIAL = {
    2023: (
        {
            D(2023, 1, 2),  # nghỉ bù Tết Dương lịch (01/01 was a Sunday)
            *(D(2023, 1, d) for d in (20, 23, 24, 25, 26)),  # Tết Quý Mão
            D(2023, 5, 1),
            D(2023, 5, 2),  # nghỉ bù Giỗ Tổ (Sat 29/4)
            D(2023, 5, 3),  # nghỉ bù 30/4 (Sunday)
            D(2023, 9, 1),
            D(2023, 9, 4),  # nghỉ bù 02/9 (Saturday)
        },
        set(),
    ),
    2024: (
        {
            D(2024, 1, 1),
            *(D(2024, 2, d) for d in (8, 9, 12, 13, 14)),  # Tết Giáp Thìn
            D(2024, 4, 18),  # Giỗ Tổ
            D(2024, 4, 29),  # swapped with Saturday 04/5 (Thông báo 1570/TB-BLĐTBXH)
            D(2024, 4, 30),
            D(2024, 5, 1),
            D(2024, 9, 2),
            D(2024, 9, 3),
        },
        {D(2024, 5, 4)},
    ),
    2025: (
        {
            D(2025, 1, 1),
            *(D(2025, 1, d) for d in (27, 28, 29, 30, 31)),  # Tết Ất Tỵ
            D(2025, 4, 7),  # Giỗ Tổ
            D(2025, 4, 30),
            D(2025, 5, 1),
            D(2025, 5, 2),  # swapped with Saturday 26/4 (Công văn 8726/VPCP-KGVX)
            D(2025, 9, 1),
            D(2025, 9, 2),
        },
        {D(2025, 4, 26)},
    ),
    2026: (
        {
            D(2026, 1, 1),
            *(D(2026, 2, d) for d in (16, 17, 18, 19, 20)),  # Tết Bính Ngọ
            D(2026, 4, 27),  # nghỉ bù Giỗ Tổ (Sunday 26/4)
            D(2026, 4, 30),
            D(2026, 5, 1),
            D(2026, 8, 31),  # swapped with Saturday 22/8 (Công văn 9859/VPCP-KGVX)
            D(2026, 9, 1),
            D(2026, 9, 2),
            D(2026, 11, 24),  # Ngày Văn hóa Việt Nam
        },
        {D(2026, 8, 22)},
    ),
}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_national_calendar_matches_the_official_schedule(db, year):
    assert unusual_days(year) == OFFICIAL[year]


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        # The last working day before Tết 2023 is Thursday 19/01; the next one is Friday 27/01.
        (D(2023, 1, 19), 1, D(2023, 1, 27)),
        (D(2024, 2, 7), 1, D(2024, 2, 15)),
        (D(2024, 2, 7), 3, D(2024, 2, 19)),
        (D(2025, 1, 24), 1, D(2025, 2, 3)),
        (D(2026, 2, 13), 1, D(2026, 2, 23)),
        # 30/4-1/5/2024: Mon 29/4 off, Saturday 04/5 worked.
        (D(2024, 4, 26), 1, D(2024, 5, 2)),
        (D(2024, 5, 3), 1, D(2024, 5, 4)),
        (D(2024, 5, 4), 1, D(2024, 5, 6)),
        # 30/4-1/5/2025: Saturday 26/4 worked, Fri 02/5 off.
        (D(2025, 4, 25), 1, D(2025, 4, 26)),
        (D(2025, 4, 29), 1, D(2025, 5, 5)),
        # Quốc khánh 2026: Saturday 22/8 worked, 31/8-02/9 off.
        (D(2026, 8, 21), 1, D(2026, 8, 22)),
        (D(2026, 8, 28), 1, D(2026, 9, 3)),
        (D(2026, 11, 23), 1, D(2026, 11, 25)),
        # Backwards and zero.
        (D(2024, 2, 15), -1, D(2024, 2, 7)),
        (D(2024, 5, 6), -1, D(2024, 5, 4)),
        (D(2024, 2, 10), 0, D(2024, 2, 10)),
        (D(2024, 2, 10), -1, D(2024, 2, 7)),
    ],
)
def test_add_working_days_around_holidays(db, day, n, expected):
    assert calendar.add_working_days(day, n) == expected
    if n > 0:
        assert calendar.working_days_between(day, expected) == n


def test_working_days_between_counts_the_half_open_interval(db):
    # (7/2/2024, 19/2/2024]: 15, 16, 19 February.
    assert calendar.working_days_between(D(2024, 2, 7), D(2024, 2, 19)) == 3
    assert calendar.working_days_between(D(2024, 2, 19), D(2024, 2, 7)) == -3
    assert calendar.working_days_between(D(2024, 2, 8), D(2024, 2, 14)) == 0
    cal = calendar.calendar_for()
    assert cal.working_days_in(D(2024, 4, 27), D(2024, 5, 6)) == [
        D(2024, 5, 2),
        D(2024, 5, 3),
        D(2024, 5, 4),
        D(2024, 5, 6),
    ]


# --- consistency with a naive day-by-day loop -----------------------------------------------------------


def naive_add(day: dt.date, n: int) -> dt.date:
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def naive_between(start: dt.date, end: dt.date) -> int:
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def test_every_date_2015_2035_next_and_previous_working_day(db):
    day = D(2015, 1, 1)
    while day <= D(2035, 12, 31):
        assert calendar.add_working_days(day, 1) == naive_add(day, 1)
        assert calendar.add_working_days(day, -1) == naive_add(day, -1)
        day += dt.timedelta(days=1)


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=dates, n=st.integers(min_value=-60, max_value=60))
def test_add_working_days_equals_the_naive_loop(db, day, n):
    result = calendar.add_working_days(day, n)
    assert result == naive_add(day, n)
    if n != 0:
        assert calendar.is_working_day(result)
    # (d, d + n] holds exactly n working days; backwards, (d - n, d] holds them only when d itself works.
    if n >= 0 or calendar.is_working_day(day):
        assert calendar.working_days_between(day, result) == n
    else:
        assert calendar.working_days_between(day, result) == n + 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=dates, length=st.integers(min_value=0, max_value=120))
def test_working_days_between_equals_the_naive_count(db, start, length):
    end = start + dt.timedelta(days=length)
    assert calendar.working_days_between(start, end) == naive_between(start, end)


# --- overrides ------------------------------------------------------------------------------------------


def override(day: dt.date, kind: str, province=None) -> CalendarOverride:
    return CalendarOverride.objects.create(
        date=day, kind=kind, province=province, name="Ngày điều chỉnh", decision="Công văn 1/UBND-VX"
    )


def test_nationwide_override_takes_effect_at_once_everywhere(db, province):
    # 2027 has no decision yet: the package's estimate is replaced by an admin's entry.
    day = D(2027, 2, 11)
    assert calendar.is_working_day(day)
    assert calendar.is_working_day(day, province)
    saved = override(day, CalendarOverride.Kind.DAY_OFF)
    assert not calendar.is_working_day(day)
    assert not calendar.is_working_day(day, province)
    assert calendar.add_working_days(D(2027, 2, 10), 1) == D(2027, 2, 12)
    saved.delete()
    assert calendar.is_working_day(day)
    assert calendar.is_working_day(day, province.pk)


def test_province_override_applies_to_that_province_only(db, province, other_province):
    day = D(2026, 3, 10)
    override(day, CalendarOverride.Kind.DAY_OFF, province)
    assert not calendar.is_working_day(day, province)
    assert calendar.is_working_day(day, other_province)
    assert calendar.is_working_day(day)
    saturday = D(2026, 3, 14)
    override(saturday, CalendarOverride.Kind.WORKING_DAY, other_province)
    assert calendar.is_working_day(saturday, other_province)
    assert not calendar.is_working_day(saturday, province)


def test_province_override_beats_the_national_one(db, province, other_province):
    day = D(2026, 3, 11)
    override(day, CalendarOverride.Kind.DAY_OFF)
    override(day, CalendarOverride.Kind.WORKING_DAY, province)
    assert calendar.is_working_day(day, province)
    assert not calendar.is_working_day(day, other_province)
    assert not calendar.is_working_day(day)


def test_override_can_make_an_official_holiday_a_working_day_and_editing_it_takes_effect(db, province):
    day = D(2025, 5, 2)
    saved = override(day, CalendarOverride.Kind.WORKING_DAY, province)
    assert calendar.is_working_day(day, province)
    assert calendar.add_working_days(D(2025, 4, 29), 1, province) == D(2025, 5, 2)
    saved.kind = CalendarOverride.Kind.DAY_OFF
    saved.save()
    assert not calendar.is_working_day(day, province)


def test_rolled_back_override_leaves_no_trace(db, province):
    day = D(2026, 3, 12)
    with pytest.raises(RuntimeError), transaction.atomic():
        override(day, CalendarOverride.Kind.DAY_OFF, province)
        assert not calendar.is_working_day(day, province)
        raise RuntimeError("hủy")
    assert calendar.is_working_day(day, province)


def test_committed_override_reaches_the_shared_cache(db, django_capture_on_commit_callbacks):
    day = D(2026, 3, 13)
    with django_capture_on_commit_callbacks(execute=True):
        override(day, CalendarOverride.Kind.DAY_OFF)
    assert not calendar.is_working_day(day)
    # The calendar cached for every thread (not only this transaction's view) knows the day.
    assert calendar._pending_calendars() is None
    assert not calendar.calendar_for().is_working_day(day)


def test_admin_saves_an_override_with_its_author_and_the_calendar_follows(db, client, province):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-qt-123")
    client.force_login(admin_user)
    day = D(2026, 6, 15)
    response = client.post(
        "/admin/workcalendar/calendaroverride/add/",
        {
            "province": province.pk,
            "date": "2026-06-15",
            "kind": CalendarOverride.Kind.DAY_OFF,
            "name": "Nghỉ lễ địa phương",
            "decision": "Quyết định 99/QĐ-UBND",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = CalendarOverride.objects.get(date=day)
    assert saved.created_by == admin_user
    assert not calendar.is_working_day(day, province)
    response = client.post(f"/admin/workcalendar/calendaroverride/{saved.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert calendar.is_working_day(day, province)


def test_days_off_in_year_lists_weekday_holidays_and_working_saturdays(db):
    rows = calendar.days_off_in_year(2025)
    assert (D(2025, 4, 26), "Ngày làm bù", True) in rows
    assert all(day.year == 2025 for day, _, _ in rows)
    assert {day for day, _, working in rows if not working} == OFFICIAL[2025][0]


# --- due moments ----------------------------------------------------------------------------------------


def test_due_in_working_days_does_not_count_the_day_of_receipt(db):
    assert calendar.due_moment(at(2024, 3, 4, 10), 3) == at(2024, 3, 7, 17)


def test_due_skips_tet(db):
    # Received Wednesday 07/02/2024, the last working day before Tết Giáp Thìn.
    assert calendar.due_moment(at(2024, 2, 7, 9), 3) == at(2024, 2, 19, 17)
    assert calendar.due_moment(at(2026, 2, 13, 9), 5) == at(2026, 2, 27, 17)


def test_received_after_office_hours_counts_from_the_next_working_day(db):
    assert calendar.due_moment(at(2024, 3, 4, 17, 30), 3) == at(2024, 3, 8, 17)
    assert calendar.effective_receipt(at(2024, 3, 4, 17, 30)) == at(2024, 3, 5, 7, 30)


def test_received_on_a_day_off_counts_from_the_next_working_day_opening(db):
    assert calendar.effective_receipt(at(2024, 3, 9, 10)) == at(2024, 3, 11, 7, 30)
    assert calendar.due_moment(at(2024, 3, 9, 10), 3) == at(2024, 3, 14, 17)
    # Online on 30/4/2025: next opening is Monday 05/5 (01/5 and 02/5 off).
    assert calendar.effective_receipt(at(2025, 4, 30, 9)) == at(2025, 5, 5, 7, 30)


def test_received_on_a_working_saturday_counts_that_day(db):
    assert calendar.effective_receipt(at(2024, 5, 4, 9)) == at(2024, 5, 4, 9)
    assert calendar.due_moment(at(2024, 5, 4, 9), 1) == at(2024, 5, 6, 17)


def test_received_before_opening_counts_from_the_opening(db):
    assert calendar.effective_receipt(at(2024, 3, 4, 6)) == at(2024, 3, 4, 7, 30)
    assert calendar.due_moment(at(2024, 3, 4, 6), 3) == at(2024, 3, 7, 17)


def test_zero_days_means_within_the_day_and_the_cutoff_moves_it(db):
    cutoff = dt.time(15, 0)
    assert calendar.due_moment(at(2024, 3, 4, 14, 59), 0, cutoff=cutoff) == at(2024, 3, 4, 17)
    assert calendar.due_moment(at(2024, 3, 4, 15, 0), 0, cutoff=cutoff) == at(2024, 3, 5, 17)
    # Without a cut-off the same receipt is settled the same day.
    assert calendar.due_moment(at(2024, 3, 4, 16), 0) == at(2024, 3, 4, 17)
    # After 15:00 on the last day before the 2026 Quốc khánh block: Thursday 03/9.
    assert calendar.due_moment(at(2026, 8, 28, 15, 30), 0, cutoff=cutoff) == at(2026, 9, 3, 17)


def test_aware_utc_receipt_is_read_in_vietnam_time(db):
    received = dt.datetime(2024, 3, 4, 10, 30, tzinfo=dt.UTC)  # 17:30 in Hà Nội
    assert calendar.due_moment(received, 1) == at(2024, 3, 6, 17)


def test_calendar_days_ending_on_a_day_off_end_on_the_next_working_day(db):
    # 5 days after Monday 09/02/2026 is Saturday 14/02, inside the Tết block: Monday 23/02.
    assert calendar.due_moment(at(2026, 2, 9), 5, unit="days") == at(2026, 2, 23, 17)
    assert calendar.due_moment(at(2024, 3, 4), 3, unit="days") == at(2024, 3, 7, 17)


def test_months_end_on_the_same_day_or_the_month_end_then_the_next_working_day(db):
    assert calendar.due_moment(at(2024, 1, 31), 1, unit="months") == at(2024, 2, 29, 17)
    # 16/02/2026 is in Tết: the period ends on the next working day.
    assert calendar.due_moment(at(2026, 1, 16), 1, unit="months") == at(2026, 2, 23, 17)
    with pytest.raises(ValueError, match="tháng"):
        calendar.due_moment(at(2024, 1, 31), Decimal("1.5"), unit="months")


def test_working_hours_carry_over_days_off(db):
    assert calendar.due_moment(at(2024, 3, 4, 15), 4, unit="working_hours") == at(2024, 3, 5, 9, 30)
    # Friday 26/4/2024 16:00 + 8 h: 1 h that day, then 29/4-01/5 off, 7 h on Thursday 02/5.
    assert calendar.due_moment(at(2024, 4, 26, 16), 8, unit="working_hours") == at(2024, 5, 2, 14, 30)


def test_half_a_working_day_runs_in_the_next_working_day(db):
    # Office day 07:30-17:00 = 9.5 h; half of it is 4 h 45.
    assert calendar.due_moment(at(2024, 3, 4), Decimal("0.5")) == at(2024, 3, 5, 12, 15)
    assert calendar.due_moment(at(2024, 3, 4), Decimal("1.5")) == at(2024, 3, 6, 12, 15)


def test_due_uses_the_province_calendar(db, province, other_province):
    override(D(2024, 3, 5), CalendarOverride.Kind.DAY_OFF, province)
    assert calendar.due_moment(at(2024, 3, 4), 1, province=province) == at(2024, 3, 6, 17)
    assert calendar.due_moment(at(2024, 3, 4), 1, province=other_province) == at(2024, 3, 5, 17)


def test_bad_durations_are_refused(db):
    with pytest.raises(ValueError, match="âm"):
        calendar.due_moment(at(2024, 3, 4), -1)
    with pytest.raises(ValueError, match="Đơn vị"):
        calendar.due_moment(at(2024, 3, 4), 1, unit="weeks")


def test_extend_by_working_days_keeps_the_time(db):
    assert calendar.extend_by_working_days(at(2024, 2, 7, 17), 2) == at(2024, 2, 16, 17)


# --- range ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: calendar.is_working_day(D(2041, 1, 2)),
        lambda: calendar.is_working_day(D(2009, 12, 31)),
        lambda: calendar.add_working_days(D(2040, 12, 20), 30),
        lambda: calendar.add_working_days(D(2010, 1, 5), -30),
        lambda: calendar.working_days_between(D(2020, 1, 1), D(2045, 1, 1)),
        lambda: calendar.calendar_for().working_days_in(D(2005, 1, 1), D(2020, 1, 1)),
        lambda: calendar.due_moment(at(2050, 1, 3), 3),
        lambda: calendar.due_moment(at(2040, 12, 10), 2, unit="months"),
    ],
)
def test_dates_outside_the_calendar_raise_a_clear_error(db, call):
    with pytest.raises(calendar.OutOfRange, match="ngoài phạm vi lịch làm việc"):
        call()
