"""Invariants of the aggregator's roll-up (issue 7, item 3), on random members and periods.

Members are computed by cchc (random dossiers, a catalogue) or reported (any subset of the figures, zeros, and
pairs that contradict each other such as more on time than resolved). Whatever they are:
- each total is the sum of its rows' figures, a row without the figure adding nothing, and the coverage row says
  how many rows it adds up whenever some have no figure;
- every rate, of a row or of the total, is in [0, 100] and computed only from rows that state both of its parts
  consistently; the total's rate is the sum of those rows' parts over the sum of their wholes and says how many
  members it covers;
- a computed row is what the statistics service computes for that member, and a period that has not ended is
  rolled up as of today and says so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.agencies.models import Agency
from cchc.aggregation.models import ReportedFigure
from cchc.aggregation.rollup import COMPUTED, KEYS, RATES, REPORTED, as_document_table, rollup_table
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Procedure
from cchc.statistics import periods
from cchc.statistics.periods import date_range
from cchc.statistics.service import dossier_figures, procedure_figures

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = dt.date(2024, 1, 1)
PROPERTIES = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# A dossier as (received day, days until due, days until it ended or None, channel), days from BASE.
dossiers = st.lists(
    st.tuples(st.integers(0, 120), st.integers(0, 30), st.one_of(st.none(), st.integers(0, 40)), st.integers(1, 3)),
    max_size=8,
)
# A reported figure: most are whole counts, some have decimals (an extractor reads "12,5"), some are zero.
values = st.one_of(st.integers(0, 400).map(Decimal), st.decimals(0, 400, places=1, allow_nan=False))
reported = st.dictionaries(st.sampled_from(KEYS), values)
members = st.lists(st.tuples(st.booleans(), dossiers, reported), min_size=1, max_size=5)
spec = st.one_of(
    st.builds(periods.quarter, st.just(2024), st.integers(1, 3), st.sampled_from(periods.MODES)),
    st.builds(periods.month, st.just(2024), st.integers(1, 5), st.sampled_from(periods.MODES)),
    st.tuples(st.integers(-20, 100), st.integers(0, 120)).map(
        lambda s: date_range(BASE + dt.timedelta(days=s[0]), BASE + dt.timedelta(days=s[0] + s[1]))
    ),
)


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


def _member(pool: list[Agency], index: int, uses_cchc: bool, rows, figures: dict, period, field) -> None:
    agency = pool[index]
    if uses_cchc:
        procedure = Procedure.objects.create(
            agency=agency, code=f"1.00{index:04d}", name="Thủ tục", field=field, processing_time=10,
            online_service="full" if index % 2 else "none", effective_from=dt.date(2020, 1, 1),
        )  # fmt: skip
        made = []
        for n, (received, due_in, ended_in, channel) in enumerate(rows):
            received_on = BASE + dt.timedelta(days=received)
            due = received_on + dt.timedelta(days=due_in)
            ended = None if ended_in is None else received_on + dt.timedelta(days=ended_in)
            made.append(Dossier(
                agency=agency, procedure=procedure, code=f"HS-{index}-{n}", applicant_name="Phạm Thị D",
                channel=channel, received_at=_moment(received_on, 9), received_on=received_on,
                due_at=_moment(due, 17), due_date=due, ended_at=_moment(ended, 10) if ended else None,
                ended_on=ended, outcome="resolved" if ended else "", status="resolved" if ended else "in_process",
            ))  # fmt: skip
        Dossier.objects.bulk_create(made)
    window = {"period_key": period.key, "period_start": period.start, "period_end": period.end}
    ReportedFigure.objects.bulk_create(
        ReportedFigure(agency=agency, key=key, value=value, source_sha256="e" * 64, **window)
        for key, value in figures.items()
    )


def _states_both(part, whole) -> bool:
    return part is not None and whole is not None and 0 <= part <= whole


@PROPERTIES
@given(lineup=members, period=spec, today_offset=st.integers(-10, 200))
def test_totals_are_the_sums_of_their_rows_and_rates_use_rows_stating_both_parts(
    province, other_agency, field, lineup, period, today_offset
):
    pool = [
        Agency.objects.get_or_create(province=province, code=f"S{n}", defaults={"name": f"Sở thành viên {n}"})[0]
        for n in range(5)
    ]
    Dossier.objects.all().delete()
    Procedure.objects.all().delete()
    ReportedFigure.objects.all().delete()
    for index, (uses_cchc, rows, figures) in enumerate(lineup):
        _member(pool, index, uses_cchc, rows, figures, period, field)
    today = BASE + dt.timedelta(days=today_offset)
    table = rollup_table(other_agency, period, members=pool[: len(lineup)], today=today)
    members_count = len(table.rows)
    assert members_count == len(lineup)

    # A period that has not ended is rolled up as of today, and says so.
    assert table.as_of == period.cutoff(today)
    assert bool(table.as_of_text) == (period.end > today)

    for row, (_uses, _rows, figures) in zip(table.rows, lineup, strict=True):
        if row.uses_cchc:
            # A computed row is the statistics service's figures for that member (the reported one beside it).
            f = dossier_figures(period, Dossier.objects.filter(agency=row.agency), today=today)
            catalogue = procedure_figures(table.as_of, agencies=[row.agency])
            expected = {
                "dossiers_received": f.received_total, "dossiers_online": f.received_online,
                "dossiers_resolved": f.resolved, "dossiers_early_or_on_time": f.resolved_on_time_or_early,
                "dossiers_late": f.resolved_late, "dossiers_in_progress": f.in_progress,
                "procedures_total": catalogue.total, "procedures_online": catalogue.online,
            }  # fmt: skip
        for key in KEYS:
            cell = row.cells[key]
            if cell.source == COMPUTED:
                assert cell.value == expected[key] and cell.reported == figures.get(key)
            elif cell.source == REPORTED:
                assert cell.value == figures[key]
            else:
                assert cell.value is None and key not in figures
        for name, (part_key, whole_key) in RATES.items():
            part, whole = row.cells[part_key].value, row.cells[whole_key].value
            value = row.rate(name)
            assert row.states_both(name) == _states_both(part, whole)
            if not row.states_both(name) or whole == 0:
                assert value is None
            else:
                assert 0 <= value <= 100 and value == round(100 * float(part) / float(whole), 2)

    for key in KEYS:
        stated = [row.cells[key].value for row in table.rows if row.cells[key].value is not None]
        assert table.totals[key] == (sum(stated) if stated else None)
        assert table.total_members(key) == len(stated)
    for name, (part_key, whole_key) in RATES.items():
        stating = [row for row in table.rows if row.states_both(name)]
        part = sum(row.cells[part_key].value for row in stating)
        whole = sum(row.cells[whole_key].value for row in stating)
        total_rate = table.rates[name]
        assert (total_rate.covered, total_rate.members) == (len(stating), members_count)
        assert bool(total_rate.note) == (len(stating) < members_count)
        if whole:
            assert total_rate.value == round(100 * float(part) / float(whole), 2)
            assert 0 <= total_rate.value <= 100
        else:
            assert total_rate.value is None
    assert (table.on_time_rate, table.online_rate) == (table.rates["on_time"].value, table.rates["online"].value)

    # The coverage row appears exactly when some total or rate leaves a member out, and says how many it covers.
    counts = [table.total_members(key) for key in KEYS] + [table.rates[n].covered for n in ("on_time", "online")]
    coverage = table.coverage()
    if all(n == members_count for n in counts):
        assert coverage is None
    else:
        assert coverage == [f"{n}/{members_count}" for n in counts]
    # The exported table: one row per member, the totals, then the coverage row when there is one.
    document = as_document_table(table)
    assert len(document.rows) == members_count + 1 + (coverage is not None)
    totals_row = document.rows[members_count]
    assert totals_row[1] == "Tổng cộng"
    assert [None if v == "—" else v for v in totals_row[2 : 2 + len(KEYS)]] == [
        None if v is None else (int(v) if v == int(v) else float(v)) for v in table.ordered_totals()
    ]
    if coverage is not None:
        assert document.rows[-1][2:-2] == coverage
