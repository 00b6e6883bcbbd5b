"""dossiers/worklists.py on its own: the due colours at the agency's boundary in working days, the whitelisted sorts
and keyset paging in each sort order, forward and back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cchc.dossiers import worklists
from cchc.dossiers.models import Dossier, search_text_for
from cchc.procedures.models import Procedure

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = dt.date(2023, 3, 10)  # no holiday near it: the weekend is the only gap


@pytest.mark.parametrize(
    ("days", "due", "expected"),
    [
        (2, dt.date(2023, 3, 9), worklists.OVERDUE),  # yesterday
        (2, FRIDAY, worklists.SOON),  # due today: not late yet
        (2, dt.date(2023, 3, 11), worklists.SOON),  # Saturday, before the second working day
        (2, dt.date(2023, 3, 13), worklists.SOON),  # Monday: 1st working day after Friday
        (2, dt.date(2023, 3, 14), worklists.SOON),  # Tuesday: the 2nd, the boundary
        (2, dt.date(2023, 3, 15), worklists.OK),  # Wednesday: the 3rd
        (0, FRIDAY, worklists.SOON),
        (0, dt.date(2023, 3, 13), worklists.OK),
        (1, dt.date(2023, 3, 13), worklists.SOON),
        (1, dt.date(2023, 3, 14), worklists.OK),
    ],
)
def test_due_soon_counts_working_days_across_the_weekend(agency, days, due, expected):
    agency.due_soon_days = days
    until = worklists.soon_until(agency, FRIDAY)
    assert worklists.tone_key(due, FRIDAY, until) == expected


def test_a_late_step_is_overdue_on_its_due_day(agency):
    until = worklists.soon_until(agency, FRIDAY)
    assert worklists.tone_key(FRIDAY, FRIDAY, until) == worklists.SOON
    assert worklists.tone_key(FRIDAY, FRIDAY, until, late=True) == worklists.OVERDUE


def test_every_tone_has_a_word_and_a_sign_not_only_a_colour():
    for tone in worklists.tones().values():
        assert tone.label and tone.sign


@pytest.mark.parametrize(
    ("value", "key", "descending"),
    [
        ("code", "code", False),
        ("-code", "code", True),
        ("applicant", "applicant", False),
        ("-due", "due", True),
        ("received", "received", False),
        ("", "received", True),
        (None, "received", True),
        ("status", "received", True),  # not a sort key: the default
        ("-applicant_name", "received", True),  # a field name is not a sort key either
        ("--code", "received", True),
        ("pk; drop table", "received", True),
    ],
)
def test_only_whitelisted_sorts_are_read(value, key, descending):
    sort = worklists.parse_sort(value)
    assert (sort.key, sort.descending) == (key, descending)


def test_a_column_link_turns_the_sorted_column_round_and_starts_others_sensibly():
    sort = worklists.parse_sort("code")
    assert sort.toggled("code") == "-code"
    assert worklists.parse_sort("-code").toggled("code") == "code"
    assert sort.toggled("received") == "-received"  # dates: newest first
    assert sort.toggled("applicant") == "applicant"  # text: from A


@pytest.fixture
def dossiers(agency, field):
    procedure = Procedure.objects.create(agency=agency, code="1.000001", name="Thủ tục thử", field=field,
                                         processing_time=Decimal("5"), effective_from=dt.date(2020, 1, 1))  # fmt: skip
    names = ["Bùi Văn C", "An Thị B", "Bùi Văn C", "Đỗ A", "An Thị B", "Cao D", "Bùi Văn C"]
    rows = []
    for n, name in enumerate(names):
        # Some share a received moment or a due moment: the pk decides between them.
        received = dt.datetime(2023, 1, 2 + n // 2, 9, tzinfo=VN)
        due = dt.datetime(2023, 2, 20 - n % 3, 17, tzinfo=VN)
        code = f"HS-{(n * 5) % 7:03d}"
        rows.append(Dossier(agency=agency, procedure=procedure, code=code, applicant_name=name,
                            search_text=search_text_for(code, name), received_at=received,
                            received_on=received.date(), due_at=due, due_date=due.date()))  # fmt: skip
    Dossier.objects.bulk_create(rows)
    return Dossier.objects.filter(agency=agency)


@pytest.mark.parametrize("param", ["code", "-code", "applicant", "-applicant", "received", "-received", "due", "-due"])
def test_keyset_pages_walk_every_sort_forward_and_back(dossiers, param):
    sort = worklists.parse_sort(param)
    expected = sorted(dossiers, key=lambda d: (getattr(d, sort.field), d.pk), reverse=sort.descending)
    pages, cursor = [], None
    while True:
        page = worklists.keyset_page(dossiers, after=cursor, size=3, sort=sort)
        pages.append(page)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert [d.pk for page in pages for d in page.rows] == [d.pk for d in expected]
    assert [len(page.rows) for page in pages] == [3, 3, 1]
    # Back from the last page: the same pages again.
    back = worklists.keyset_page(dossiers, before=pages[-1].prev_cursor, size=3, sort=sort)
    assert [d.pk for d in back.rows] == [d.pk for d in pages[-2].rows]
    first = worklists.keyset_page(dossiers, before=back.prev_cursor, size=3, sort=sort)
    assert [d.pk for d in first.rows] == [d.pk for d in pages[0].rows]
    assert first.prev_cursor is None


def test_a_cursor_of_another_sort_starts_at_the_first_page(dossiers):
    by_code = worklists.keyset_page(dossiers, size=3, sort=worklists.parse_sort("code"))
    by_received = worklists.parse_sort("-received")
    page = worklists.keyset_page(dossiers, after=by_code.next_cursor, size=3, sort=by_received)
    assert [d.pk for d in page.rows] == [d.pk for d in worklists.keyset_page(dossiers, size=3).rows]
