"""Kept figures (statistics.cache, docs/adr/0005) are always those of statistics.service.compute().

The property: read every figure through the cache (so that it is kept), change the data in a random way — a
dossier received and moved on at the desk, an import, a correction of a past dossier by importing it again, a
queryset update or delete that bypasses save(), a day of the calendar, a procedure abolished, a field renamed —
and read again: what the cache gives is what compute() gives, for periods that have ended and the running one, for
one agency and two, for the monthly series and for the roll-up's rows. A change the versions missed would serve the
figures kept before it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_statistics_properties import _at_desk, _catalogue, _import, _moments, histories

from cchc.agencies.models import Agency
from cchc.aggregation import rollup
from cchc.calendar.models import CalendarOverride
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Field, Procedure
from cchc.statistics import cache, periods, service
from cchc.statistics.models import CachedFigures, DataVersion
from cchc.statistics.periods import date_range

pytestmark = pytest.mark.django_db
RENAMES = itertools.count()
PROPERTY = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

changes = st.one_of(
    st.tuples(st.just("desk"), st.booleans(), histories),
    st.tuples(st.just("import"), st.lists(histories, min_size=1, max_size=4)),
    st.tuples(st.just("correct"), st.integers(0, 99), histories),
    st.tuples(st.just("update"), st.integers(0, 99), st.integers(-20, 20)),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("calendar"), st.integers(-200, 10), st.sampled_from(list(CalendarOverride.Kind))),
    st.tuples(st.just("abolish"), st.integers(0, 3), st.integers(-200, 0)),
    st.tuples(st.just("rename")),
)


def _periods(today: dt.date) -> list[periods.Period]:
    running = periods.current_quarter(today)
    return [
        running,
        periods.previous(running),
        periods.year(today.year - 1, "calendar"),
        date_range(today - dt.timedelta(days=90), today - dt.timedelta(days=8)),
    ]


def _check(scopes, members, aggregator, today: dt.date) -> None:
    for period in _periods(today):
        for ids in scopes:
            kept = cache.payload_stats(cache.statistics(period, ids, today=today))
            assert kept == cache.payload_stats(service.compute(period, agencies=ids, today=today)), (period, ids)
            start, end = period.start, min(period.end, today)
            assert cache.series(start, end, ids) == service.received_resolved_series((start, end), agencies=ids)
        table = rollup.rollup_table(aggregator, period, members=members, today=today)
        for row in table.rows:
            fresh = service.compute(period, agencies=[row.agency.pk], today=today)
            for key, read in rollup._DOSSIER_VALUES.items():
                if row.cells[key].source == rollup.COMPUTED:
                    assert row.cells[key].value == read(fresh.dossiers), (period, row.agency.code, key)
            if row.cells["procedures_total"].source == rollup.COMPUTED:
                assert row.cells["procedures_total"].value == fresh.procedures.total
                assert row.cells["procedures_online"].value == fresh.procedures.online


def _apply(change, state) -> None:
    kind = change[0]
    now, today, agency = state["now"], state["today"], state["agency"]
    if kind == "desk":
        _, home, history = change
        where = agency if home else state["other"]
        code = f"HS-Q-{state['next']:03d}"
        state["next"] += 1
        _at_desk(code, history, _moments(history, now, state["catalogues"][where.pk]), where,
                 state["catalogues"][where.pk], state["staff"][where.pk])  # fmt: skip
    elif kind == "import":
        rows = []
        for history in change[1]:
            code = f"HS-N-{state['next']:03d}"
            state["next"] += 1
            rows.append((code, history, _moments(history, now, state["catalogues"][agency.pk])))
            state["imported"].append(code)
        _import(rows, agency, state["catalogues"][agency.pk], state["staff"][agency.pk])
    elif kind == "correct" and state["imported"]:
        _, index, history = change
        code = state["imported"][index % len(state["imported"])]
        if Dossier.objects.filter(agency=agency, code=code).exists():
            moments = _moments(history, now, state["catalogues"][agency.pk])
            _import([(code, history, moments)], agency, state["catalogues"][agency.pk], state["staff"][agency.pk])
    elif kind == "update":
        ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
        if ids:
            dossier = Dossier.objects.get(pk=ids[change[1] % len(ids)])
            # A write that bypasses save(), as a data fix or a script would make it.
            Dossier.objects.filter(pk=dossier.pk).update(due_date=dossier.due_date + dt.timedelta(days=change[2]))
    elif kind == "delete":
        ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
        if ids:
            Dossier.objects.filter(pk=ids[change[1] % len(ids)]).delete()
    elif kind == "calendar":
        CalendarOverride.objects.update_or_create(
            province=None, date=today + dt.timedelta(days=change[1]),
            defaults={"kind": change[2], "name": "Ngày điều chỉnh", "decision": "Quyết định số 02/QĐ-UBND"},
        )  # fmt: skip
    elif kind == "abolish":
        # A catalogue row no dossier uses (the others still take receipts): in force, or abolished on a past day.
        spare = state["spare"]
        spare.abolished_on = None if change[1] == 0 else today + dt.timedelta(days=change[2])
        spare.save()
    elif kind == "rename":
        field = state["spare"].field
        field.name = f"Lĩnh vực đổi tên {next(RENAMES)}"
        field.save()


@PROPERTY
@given(first=st.lists(histories, min_size=1, max_size=5), steps=st.lists(changes, min_size=1, max_size=5))
def test_kept_figures_are_those_of_compute_after_any_change(
    agency, other_agency, one_stop_staff, make_user, first, steps
):
    Dossier.objects.all().delete()
    CalendarOverride.objects.all().delete()
    CachedFigures.objects.all().delete()
    spare_field = Field.objects.get_or_create(code="SPARE", defaults={"name": f"Lĩnh vực đổi tên {next(RENAMES)}"})[0]
    spare = Procedure.objects.get_or_create(
        agency=agency, code="9.999999",
        defaults={"name": "Thủ tục không tiếp nhận", "field": spare_field, "processing_time": 5,
                  "effective_from": dt.date(2020, 1, 1)},
    )[0]  # fmt: skip
    now = timezone.now().replace(second=0, microsecond=0)
    other_staff = Agency.objects.get(pk=other_agency.pk).memberships.first()
    other_staff = other_staff.user if other_staff else make_user("motcua2", other_agency, "one_stop")
    hub = Agency.objects.get_or_create(province=agency.province, code="SNV-TH", defaults={"name": "Tổng hợp"})[0]
    state = {
        "now": now, "today": timezone.localdate(now), "agency": agency, "other": other_agency, "next": 0,
        "imported": [], "staff": {agency.pk: one_stop_staff, other_agency.pk: other_staff},
        "catalogues": {agency.pk: _catalogue(agency), other_agency.pk: _catalogue(other_agency)}, "spare": spare,
    }  # fmt: skip
    _apply(("import", first), state)
    scopes = [[agency.pk], [agency.pk, other_agency.pk]]
    members = [agency, other_agency]
    _check(scopes, members, hub, state["today"])  # keeps every figure
    for change in steps:
        _apply(change, state)
        _check(scopes, members, hub, state["today"])  # kept figures would show here if a change were missed


def test_a_kept_result_is_served_without_computing_again(agency, procedure, django_assert_max_num_queries):
    today = timezone.localdate()
    period = periods.previous(periods.current_quarter(today))
    first = cache.statistics(period, [agency], today=today)
    with django_assert_max_num_queries(2):  # the versions, the kept row
        again = cache.statistics(period, [agency], today=today)
    assert cache.payload_stats(again) == cache.payload_stats(first)
    assert again.period is period


def test_every_write_path_raises_the_agency_version(agency, other_agency, procedure):
    def version(pk):
        return DataVersion.objects.filter(key=f"agency:{pk}").values_list("version", flat=True).first() or 0

    start = version(agency.pk), version(other_agency.pk)
    received = dt.datetime(2023, 2, 1, 9, tzinfo=timezone.get_current_timezone())
    row = Dossier(
        agency=agency, procedure=procedure, code="HS-V-1", applicant_name="Phạm Văn D", channel=1,
        received_at=received, received_on=received.date(), due_at=received, due_date=received.date(),
    )  # fmt: skip
    row.save()
    assert version(agency.pk) == start[0] + 1
    Dossier.objects.bulk_create([
        Dossier(agency=agency, procedure=procedure, code="HS-V-2", applicant_name="Phạm Văn E", channel=2,
                received_at=received, received_on=received.date(), due_at=received, due_date=received.date())
    ])  # fmt: skip
    assert version(agency.pk) == start[0] + 2
    Dossier.objects.filter(pk=row.pk).update(channel=2)
    assert version(agency.pk) == start[0] + 3
    Dossier.objects.filter(code="HS-V-2").delete()
    row.delete()
    assert version(agency.pk) == start[0] + 5
    procedure.name = "Tên mới"
    procedure.save()
    assert version(agency.pk) == start[0] + 6
    assert version(other_agency.pk) == start[1]  # another agency's figures stay kept


def test_the_rebuild_and_check_commands(agency, procedure, one_stop_staff):
    from test_statistics_properties import History

    life = History(ago=3000, channel=2, procedure=0, supplement=None, apology=None, end="resolved", end_after=600,
                   returned_after=None, at_desk=True)  # fmt: skip
    catalogue = _catalogue(agency)
    _at_desk("HS-C-1", life, _moments(life, timezone.now(), catalogue), agency, catalogue, one_stop_staff)
    out = StringIO()
    call_command("rebuild_figures", stdout=out)
    assert CachedFigures.objects.exists()
    call_command("check_figures", stdout=out)
    assert "khớp" in out.getvalue()

    # A kept result that differs from compute() under current versions: the check says so and fails.
    row = CachedFigures.objects.filter(kind=cache.STATS).first()
    payload = row.payload
    payload["dossiers"][0] += 1
    CachedFigures.objects.filter(pk=row.pk).update(payload=payload)
    with pytest.raises(CommandError, match="khác"):
        call_command("check_figures", stdout=out)
