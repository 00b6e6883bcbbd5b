"""For random dossiers and periods: the Biểu 06 identities hold and the SQL counts equal the Python classification."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.dossiers.models import Dossier
from cchc.statistics import classification
from cchc.statistics.periods import date_range
from cchc.statistics.service import DossierFigures, dossier_figures

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = dt.date(2023, 1, 1)

dossier_rows = st.lists(
    st.fixed_dictionaries(
        {
            "received": st.integers(0, 90),
            "duration": st.one_of(st.none(), st.integers(0, 40)),  # None: still open
            "due_after": st.integers(0, 30),
            "paused_after": st.one_of(st.none(), st.integers(0, 40)),
            "paused_hour": st.integers(0, 23),
            "channel": st.sampled_from([1, 2, 3]),
            "outcome": st.sampled_from(["resolved", "refused", "withdrawn"]),
        }
    ),
    max_size=30,
)


def _build(rows, agency, procedure) -> list[Dossier]:
    dossiers = []
    for index, row in enumerate(rows):
        received = BASE + dt.timedelta(days=row["received"])
        due = received + dt.timedelta(days=row["due_after"])
        ended = None if row["duration"] is None else received + dt.timedelta(days=row["duration"])
        paused = None
        if row["paused_after"] is not None and ended is None:
            day = received + dt.timedelta(days=row["paused_after"])
            paused = dt.datetime(day.year, day.month, day.day, row["paused_hour"], 30, tzinfo=VN)
        dossiers.append(
            Dossier(
                agency=agency,
                procedure=procedure,
                code=f"HS-{index}",
                applicant_name="Nguyễn Văn A",
                channel=row["channel"],
                received_at=dt.datetime(received.year, received.month, received.day, 9, tzinfo=VN),
                received_on=received,
                due_at=dt.datetime(due.year, due.month, due.day, 17, tzinfo=VN),
                due_date=due,
                paused_at=paused,
                ended_at=None if ended is None else dt.datetime(ended.year, ended.month, ended.day, 10, tzinfo=VN),
                ended_on=ended,
                outcome="" if ended is None else row["outcome"],
                status="in_process" if ended is None else row["outcome"],
            )
        )
    return Dossier.objects.bulk_create(dossiers)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=dossier_rows, start=st.integers(-10, 100), length=st.integers(0, 60))
def test_identities_and_sql_equals_python(agency, procedure, rows, start, length):
    Dossier.objects.all().delete()
    dossiers = _build(rows, agency, procedure)
    period = date_range(BASE + dt.timedelta(days=start), BASE + dt.timedelta(days=start + length))

    sql = dossier_figures(period, Dossier.objects.all())
    python = DossierFigures()
    for dossier in dossiers:
        python.add(classification.classify(dossier, period))
    assert sql == python

    assert sql.received_total == sql.received_online + sql.received_direct_or_postal + sql.carried_over
    assert sql.resolved == sql.resolved_early + sql.resolved_on_time + sql.resolved_late
    assert sql.in_progress == sql.in_progress_within + sql.in_progress_overdue
    assert sql.received_total == sql.resolved + sql.in_progress
    assert sql.refused + sql.withdrawn <= sql.resolved
    # Every dossier that can count does count, in exactly one of resolved / in progress.
    relevant = Dossier.objects.filter(classification.relevant(period)).count()
    assert relevant == sql.received_total
