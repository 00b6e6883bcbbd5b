"""Invariants of the period figures (issue 7, item 3), on random data:

- the Biểu 06 identities: received = carried over + new (by channel); received = resolved + in progress; resolved =
  early + on time + late (also within each channel and each field); in progress = within + overdue; refusals and
  withdrawals counted among the resolved and apart (tthc.md §3, docs/statistics.md);
- the SQL aggregates equal the Python classification, and the dossiers behind each figure (drill-down) are the ones
  it counts;
- every rate is in [0, 100], and None exactly when its whole is 0;
- a period that has not ended is classified as of now: its figures are those of the period cut at today, an open
  dossier is overdue only if its due day is before today (the dashboard's overdue list is then its overdue count),
  nothing received after today counts; a period that has ended does not change as days pass.

Two generators: stored rows written directly (fast, any "today", also moments after it), and histories made the
way users make them — at the desk through dossiers.lifecycle (receipts at any past moment, out of order; supplement
requests and supplements; apologies; results, refusals, withdrawals; returns) and from files through the importer,
then corrected by importing changed rows again, over a working calendar with random overrides.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.calendar.models import CalendarOverride
from cchc.dossiers import lifecycle
from cchc.dossiers.deadlines import due_for
from cchc.dossiers.importer import import_dossiers
from cchc.dossiers.models import Dossier, EventKind
from cchc.procedures.models import Field, Procedure
from cchc.statistics import classification, periods
from cchc.statistics.classification import FLAG_NAMES
from cchc.statistics.periods import Period, date_range
from cchc.statistics.service import DossierFigures, compute, dossier_figures, overdue_dossiers

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = dt.date(2023, 1, 1)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
THIS_YEAR = dt.date.today().year
RECEIVED_PARTS = ("carried_over", "received_online", "received_direct", "received_postal")
ENDED_PARTS = ("resolved_early", "resolved_on_time", "resolved_late", "in_progress_within", "in_progress_overdue")


# --- periods ------------------------------------------------------------------------------------------------------


def period_specs(first_year: int, last_year: int):
    """Quarters, months, halves, nine months and years in both modes (NĐ 09 cut-off and calendar), and ranges given
    as (start, length) in days from an anchor the test chooses (a range may contain today or lie in the future)."""
    mode = st.sampled_from(periods.MODES)
    years = st.integers(first_year, last_year)
    return st.one_of(
        st.builds(periods.quarter, years, st.integers(1, 4), mode),
        st.builds(periods.month, years, st.integers(1, 12), mode),
        st.builds(periods.half, years, st.integers(1, 2), mode),
        st.builds(periods.nine_months, years, mode),
        st.builds(periods.year, years, mode),
        st.tuples(st.integers(-400, 120), st.integers(0, 200)),
    )


def as_period(spec, anchor: dt.date) -> Period:
    if isinstance(spec, Period):
        return spec
    start, length = spec
    return date_range(anchor + dt.timedelta(days=start), anchor + dt.timedelta(days=start + length))


# --- checks shared by both generators -----------------------------------------------------------------------------


def check_identities(f: DossierFigures) -> None:
    """The Biểu 06 identities and the rates' bounds for one set of figures."""
    assert f.received_total == f.carried_over + f.received_online + f.received_direct + f.received_postal
    assert f.received_new == f.received_online + f.received_direct_or_postal
    assert f.received_total == f.resolved + f.in_progress
    assert f.resolved == f.resolved_early + f.resolved_on_time + f.resolved_late
    assert f.in_progress == f.in_progress_within + f.in_progress_overdue
    assert f.refused + f.withdrawn <= f.resolved
    for value, whole in ((f.on_time_rate, f.resolved), (f.online_rate, f.received_new)):
        assert (value is None) == (whole == 0)
        assert value is None or 0 <= value <= 100


def check_dossiers(dossiers: list[Dossier], period: Period, today: dt.date) -> DossierFigures:
    """SQL = Python for the period as of `today`, and every dossier that counts does so once on each side."""
    sql = dossier_figures(period, Dossier.objects.all(), today=today)
    python = DossierFigures()
    by_channel = {channel: DossierFigures() for channel in (1, 2, 3)}
    last = period.cutoff(today)
    for dossier in dossiers:
        flags = classification.classify(dossier, period, today=today)
        python.add(flags)
        by_channel[dossier.channel].add(flags)
        names = flags.names()
        if not flags.counted:
            continue
        # Received once (from before or new, by one channel); then either ended in the period or still open.
        assert len(names & set(RECEIVED_PARTS)) == 1
        assert len(names & set(ENDED_PARTS)) == 1
        # A refusal or a withdrawal ended in the period is resolved (early, on time or late) and also shown apart.
        if dossier.ended_on is not None and period.start <= dossier.ended_on <= last:
            assert ("refused" in names) == (dossier.outcome == "refused")
            assert ("withdrawn" in names) == (dossier.outcome == "withdrawn")
            assert names & {"resolved_early", "resolved_on_time", "resolved_late"}
        # Nothing that happens after the last day counted is known as of it.
        assert dossier.received_on <= last
        if "in_progress_overdue" in names:
            assert dossier.due_date < last
    assert sql == python
    check_identities(sql)
    # Every dossier that can count does count.
    assert Dossier.objects.filter(classification.relevant(period, today=today)).count() == sql.received_total
    # By channel: each channel's figures obey the identities and the channels add up to the whole.
    for part in by_channel.values():
        check_identities(part)
    assert by_channel[1] + by_channel[2] + by_channel[3] == sql
    return sql


def check_as_of(period: Period, today: dt.date, figures: DossierFigures) -> None:
    """A period running on `today` is the period cut at today; one that has ended does not move any more."""
    if period.has_ended(today):
        assert figures == dossier_figures(period, Dossier.objects.all(), today=today + dt.timedelta(days=400))
        return
    if period.start <= today:
        assert figures == dossier_figures(date_range(period.start, today), Dossier.objects.all(), today=today)
        # The dashboard's list of overdue dossiers is exactly this period's overdue figure.
        listed = set(overdue_dossiers(on=today).values_list("pk", flat=True))
        flagged = classification.dossiers_with(Dossier.objects.all(), period, "in_progress_overdue", today=today)
        assert listed == set(flagged.values_list("pk", flat=True))
        assert len(listed) == figures.in_progress_overdue
    else:
        # Not begun: nothing received or ended in it yet; only what is open today would carry over into it.
        assert figures.received_new == 0 and figures.resolved == 0
        assert figures.carried_over == figures.in_progress == figures.received_total


# --- generator 1: stored rows -------------------------------------------------------------------------------------

# A day, as an anchor of the period ("start", "cut" = its last day counted, "end", "today") and a shift in days: the
# days around the boundaries come up often, where an off-by-one would hide; or anywhere from 60 days before to 150
# after the start.
days = st.one_of(
    st.tuples(st.sampled_from(["start", "cut", "end", "today"]), st.sampled_from([-1, 0, 1])),
    st.tuples(st.just("start"), st.integers(-60, 150)),
)
dossier_rows = st.lists(
    st.fixed_dictionaries(
        {
            "received": days,
            "ended": st.one_of(st.none(), days),  # None: still open
            "due": days,
            "paused": st.one_of(st.none(), days),
            "paused_hour": st.sampled_from([0, 9, 23]),  # 00:30 is still the day before in UTC
            "channel": st.sampled_from([1, 2, 3]),
            "outcome": st.sampled_from(["resolved", "refused", "withdrawn"]),
        }
    ),
    min_size=3,
    max_size=25,
)


def _build(rows, agency, procedure, period: Period, today: dt.date) -> list[Dossier]:
    anchors = {"start": period.start, "cut": period.cutoff(today), "end": period.end, "today": today}

    def day(spec) -> dt.date:
        return anchors[spec[0]] + dt.timedelta(days=spec[1])

    dossiers = []
    for index, row in enumerate(rows):
        received = day(row["received"])
        due = max(received, day(row["due"]))
        # Never ended before received (the lifecycle's order); a wait for a supplement lies between the two.
        ended = None if row["ended"] is None else max(received, day(row["ended"]))
        paused = None
        if row["paused"] is not None:
            paused_day = min(max(received, day(row["paused"])), ended or dt.date.max)
            paused = dt.datetime.combine(paused_day, dt.time(row["paused_hour"], 30), tzinfo=VN)
        dossiers.append(
            Dossier(
                agency=agency,
                procedure=procedure,
                code=f"HS-{index}",
                applicant_name="Nguyễn Văn A",
                channel=row["channel"],
                received_at=dt.datetime.combine(received, dt.time(9), tzinfo=VN),
                received_on=received,
                due_at=dt.datetime.combine(due, dt.time(17), tzinfo=VN),
                due_date=due,
                paused_at=paused,
                ended_at=None if ended is None else dt.datetime.combine(ended, dt.time(10), tzinfo=VN),
                ended_on=ended,
                outcome="" if ended is None else row["outcome"],
                status="in_process" if ended is None else row["outcome"],
            )
        )
    return Dossier.objects.bulk_create(dossiers)


@FAST
@given(rows=dossier_rows, spec=period_specs(2022, 2023), today_offset=st.integers(-40, 200))
def test_stored_rows_keep_the_identities_and_a_running_period_counts_as_of_today(
    agency, procedure, rows, spec, today_offset
):
    Dossier.objects.all().delete()
    period = as_period(spec, BASE)
    # Before, inside or after the period; rows may be received or ended after it: unknown as of today.
    today = period.start + dt.timedelta(days=today_offset)
    dossiers = _build(rows, agency, procedure, period, today)
    check_as_of(period, today, check_dossiers(dossiers, period, today))


# --- generator 2: histories at the desk and from files ------------------------------------------------------------

MINUTE = 1
DAY = 24 * 60


@dataclass(frozen=True)
class History:
    """One dossier's life, in minutes: received `ago` minutes before now, then each step that long after the one
    before (a step that would fall after now has not happened yet)."""

    ago: int
    channel: int
    procedure: int
    supplement: tuple[int, int | None] | None  # (request after, supplied after or never)
    apology: tuple[int, int] | None  # (sent after, new promised date this many days after the due date)
    end: str  # "open", "resolved", "refused", "withdrawn"
    end_after: int | None  # None: on the due day at 10:00 (or just after the step before, if that is later)
    returned_after: int | None
    at_desk: bool


steps = st.integers(MINUTE, 25 * DAY)
histories = st.builds(
    History,
    ago=st.integers(0, 240 * DAY),
    channel=st.sampled_from([1, 2, 3]),
    procedure=st.integers(0, 3),
    supplement=st.one_of(st.none(), st.tuples(steps, st.one_of(st.none(), steps))),
    apology=st.one_of(st.none(), st.tuples(steps, st.integers(1, 20))),
    end=st.sampled_from(["open", "resolved", "resolved", "refused", "withdrawn"]),
    end_after=st.one_of(st.none(), steps),
    returned_after=st.one_of(st.none(), steps),
    at_desk=st.booleans(),
)
overrides = st.lists(
    st.tuples(st.integers(-250, 30), st.sampled_from(list(CalendarOverride.Kind)), st.booleans()), max_size=6
)


def _catalogue(agency) -> list[Procedure]:
    """Four procedures that count their time differently: working days with a pause, a restart after the
    supplement, calendar days, working hours with a 15:00 cut-off; two fields."""
    radiation = Field.objects.get_or_create(name="Năng lượng nguyên tử, an toàn bức xạ và hạt nhân")[0]
    science = Field.objects.get_or_create(name="Hoạt động khoa học và công nghệ")[0]
    specs = [
        ("1.000001", radiation, Decimal(10), "working_days", "pause", None),
        ("1.000002", science, Decimal(7), "working_days", "restart", None),
        ("1.000003", science, Decimal(15), "days", "pause", None),
        ("1.000004", radiation, Decimal(8), "working_hours", "pause", dt.time(15, 0)),
    ]
    return [
        Procedure.objects.get_or_create(
            agency=agency, code=code,
            defaults={"name": f"Thủ tục {code}", "field": field, "processing_time": time, "time_unit": unit,
                      "supplement_clock": clock, "cutoff_time": cutoff, "effective_from": dt.date(2020, 1, 1)},
        )[0]
        for code, field, time, unit, clock, cutoff in specs
    ]  # fmt: skip


def _moments(history: History, now: dt.datetime, catalogue: list[Procedure]) -> dict[str, dt.datetime]:
    """The moment of each step that has happened by `now`, in the order the lifecycle takes them."""
    at = now - dt.timedelta(minutes=history.ago)
    moments = {"received": at}
    due_day = timezone.localtime(due_for(catalogue[history.procedure], at)).date()
    on_due_day = dt.datetime.combine(due_day, dt.time(10, 0), tzinfo=VN)
    plan: list[tuple[str, int | None]] = []
    if history.supplement:
        plan.append(("requested", history.supplement[0]))
        if history.supplement[1] is not None:
            plan.append(("supplemented", history.supplement[1]))
    if history.apology:
        plan.append(("apology", history.apology[0]))
    if history.end != "open":
        plan.append((history.end, history.end_after))
        if history.end == "resolved" and history.returned_after is not None:
            plan.append(("returned", history.returned_after))
    for name, after in plan:
        at = max(at + dt.timedelta(minutes=1), on_due_day) if after is None else at + dt.timedelta(minutes=after)
        if at > now:
            break
        moments[name] = at
    if "requested" in moments and "supplemented" not in moments:
        # The result cannot come while the applicant is awaited; a refusal or a withdrawal can.
        moments.pop("resolved", None)
        moments.pop("returned", None)
    return moments


def _at_desk(code: str, history: History, moments, agency, catalogue, actor) -> tuple[Dossier, dt.date | None]:
    dossier = lifecycle.receive(
        agency=agency, procedure=catalogue[history.procedure], applicant_name="Trần Thị B", channel=history.channel,
        actor=actor, received_at=moments["received"], code=code,
    )  # fmt: skip
    due_before_apology = None
    for name, at in moments.items():
        if name == "requested":
            lifecycle.request_supplement(dossier, actor=actor, at=at, note="Thiếu bản sao giấy phép")
        elif name == "supplemented":
            lifecycle.supplement(dossier, actor=actor, at=at)
        elif name == "apology" and EventKind.APOLOGY_ISSUED in lifecycle.allowed_actions(dossier, at):
            due_before_apology = dossier.due_date
            new_date = dossier.due_date + dt.timedelta(days=history.apology[1])
            lifecycle.issue_apology(dossier, actor=actor, at=at, new_date=new_date, note="Cần thẩm định thêm")
        elif name == "resolved":
            lifecycle.resolve(dossier, actor=actor, at=at)
        elif name == "returned":
            lifecycle.return_result(dossier, actor=actor, at=at)
        elif name == "refused":
            lifecycle.refuse(dossier, actor=actor, at=at, reason="Không đủ điều kiện")
        elif name == "withdrawn":
            lifecycle.withdraw(dossier, actor=actor, at=at)
    return dossier, due_before_apology


IMPORT_COLUMNS = {
    "received": "Ngày tiếp nhận",
    "requested": "Ngày yêu cầu bổ sung",
    "supplemented": "Ngày bổ sung",
    "resolved": "Ngày có kết quả",
    "returned": "Ngày trả kết quả",
    "refused": "Ngày từ chối",
    "withdrawn": "Ngày rút hồ sơ",
}


def _import(rows: list[tuple[str, History, dict]], agency, catalogue, actor) -> None:
    """One CSV file of the histories (their apologies stay out: a file carries no apology moment)."""
    header = ["Mã hồ sơ", "Mã TTHC", "Chủ hồ sơ", "Kênh nộp", *IMPORT_COLUMNS.values(), "Lý do từ chối"]
    lines = [",".join(header)]
    for code, history, moments in rows:
        cells = {"Mã hồ sơ": code, "Mã TTHC": catalogue[history.procedure].code, "Chủ hồ sơ": "Lê Văn C",
                 "Kênh nộp": str(history.channel)}  # fmt: skip
        for name, column in IMPORT_COLUMNS.items():
            if name in moments:
                cells[column] = f"{timezone.localtime(moments[name]):%d/%m/%Y %H:%M}"
        if "refused" in moments:
            cells["Lý do từ chối"] = "Không đủ điều kiện"
        lines.append(",".join(cells.get(column, "") for column in header))
    upload = io.BytesIO("\n".join(lines).encode("utf-8"))
    upload.name = "ho-so.csv"
    result = import_dossiers(upload, agency=agency, actor=actor)
    assert not result.errors, [error.message for error in result.errors]


@SLOW
@given(
    lives=st.lists(histories, min_size=1, max_size=10),
    corrections=st.lists(st.tuples(st.integers(0, 99), histories), max_size=3),
    days_off=overrides,
    specs=st.lists(period_specs(THIS_YEAR - 1, THIS_YEAR + 1), min_size=1, max_size=2),
)
def test_histories_at_the_desk_and_from_files_keep_every_invariant(
    agency, one_stop_staff, lives, corrections, days_off, specs
):
    Dossier.objects.all().delete()
    CalendarOverride.objects.all().delete()
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate(now)
    for offset, kind, nationwide in {offset: (offset, k, n) for offset, k, n in days_off}.values():
        CalendarOverride.objects.create(
            province=None if nationwide else agency.province, date=today + dt.timedelta(days=offset), kind=kind,
            name="Ngày điều chỉnh", decision="Quyết định số 01/QĐ-UBND",
        )  # fmt: skip
    catalogue = _catalogue(agency)

    apologised: dict[str, dt.date] = {}
    imported: list[tuple[str, History, dict]] = []
    for index, history in enumerate(lives):  # in list order: receipts come in at random past moments
        code, moments = f"HS-{index:03d}", _moments(history, now, catalogue)
        if history.at_desk:
            dossier, due_before = _at_desk(code, history, moments, agency, catalogue, one_stop_staff)
            if due_before is not None:
                apologised[code] = due_before
        else:
            imported.append((code, history, moments))
    if imported:
        _import(imported, agency, catalogue, one_stop_staff)
        # Corrections of past dossiers: the same codes again with other dates, channels, outcomes.
        changed = {imported[i % len(imported)][0]: history for i, history in corrections}
        if changed:
            again = [(code, h, _moments(h, now, catalogue)) for code, h in changed.items()]
            _import(again, agency, catalogue, one_stop_staff)

    dossiers = list(Dossier.objects.all())
    for dossier in dossiers:
        # Only the supplement moves the due day; an apology never does, so a result after it is still late.
        if dossier.code in apologised:
            assert dossier.due_date == apologised[dossier.code]
            if dossier.ended_on is not None and dossier.ended_on > dossier.due_date:
                day = date_range(dossier.ended_on, dossier.ended_on)
                assert "resolved_late" in classification.classify(dossier, day, today=today).names()
    for number, spec in enumerate([*specs, periods.current_quarter(today), (-30, 60)]):
        period = as_period(spec, today)
        figures = check_dossiers(dossiers, period, today)
        check_as_of(period, today, figures)
        if number:
            continue  # the rest, which costs a query per figure, on the first period of each example
        statistics = compute(period, agencies=[agency], today=today)
        assert statistics.dossiers == figures and statistics.as_of == period.cutoff(today)
        assert bool(statistics.as_of_text) == (period.end > today)
        # The rows by field and by procedure are the totals split, each with the identities.
        for rows in (statistics.by_field, [(code, f) for code, _name, f in statistics.by_procedure]):
            total = DossierFigures()
            for _label, row_figures in rows:
                check_identities(row_figures)
                total += row_figures
            assert total == figures
        # The dossiers behind each figure (the drill-down lists) are exactly those it counts.
        for flag in FLAG_NAMES:
            listed = classification.dossiers_with(Dossier.objects.all(), period, flag, today=today)
            expected = {d.pk for d in dossiers if flag in classification.classify(d, period, today=today).names()}
            assert set(listed.values_list("pk", flat=True)) == expected
