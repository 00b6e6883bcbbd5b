"""Speed of the QĐ 766 index (cchc.serviceindex.service.compute) for a province and a year against hand-written SQL
giving the same numerators and denominators, in one run, on the demo's large dossier set.

Standalone. The target database comes from DATABASE_URL (SQLite under a temporary CCHC_DATA_DIR when unset):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench766 .venv/bin/python bench/index766_bench.py
    .venv/bin/python bench/index766_bench.py --dossiers 100000
    options: [--dossiers 100000] [--repeats 5] [--year 2025]

It migrates the database, builds the demo province's organisation and catalogue and, like `cchc demo --large N`
(demo.build.build_large), adds benchmark dossiers until the province has N of them (reused on a second run), with
the index's values (demo/serviceindex.large_row_values), the catalogue's flags, the demo's feedback and the
monthly imported values. Then, for the province and the year (default: the last calendar year that has ended), it
times, alternately so that machine load hits both alike:
- compute() as a page runs it (the prepared queries kept from the warm-up: prepared.py), and compute() compiling
  its queries every time (prepared.forget() before each run: the first request of a process);
- hand-written SQL: one COUNT(*) FILTER (WHERE ...) GROUP BY over the dossiers, the catalogue in force, the
  feedback, the imported values, scored with the same parameters.
It checks that every indicator has the same numerator and denominator both ways, prints the medians and the
ratios (goal: within 1.5x) and, last, one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

GOAL = 1.5


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    if not os.environ.get("CCHC_DATA_DIR"):
        os.environ["CCHC_DATA_DIR"] = tempfile.mkdtemp(prefix="cchc-bench766-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def build(count: int) -> tuple[object, int]:
    from django.utils import timezone

    from cchc.demo import build, feedback
    from cchc.demo.data import Summary
    from cchc.demo.serviceindex import build_service_index_data
    from cchc.dossiers.models import Dossier

    base = build.build_base(Summary())
    started = time.perf_counter()
    created = build.build_large(count, out=lambda line: None)
    if created:
        print(f"created {created:,} dossiers in {time.perf_counter() - started:.1f} s")
    feedback.build_feedback(base.agencies, Summary())
    build_service_index_data(base.agencies, Summary(), now=timezone.now())
    total = Dossier.objects.filter(agency__province=base.province).count()
    return base.province, total


# --- hand-written SQL -----------------------------------------------------------------------------------------------


def _local_date(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"({column} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    return f"date({column}, '+7 hours')"  # Viet Nam has had no daylight saving since 1975.


def raw_counts(period, today: dt.date, province_id: int) -> dict[str, tuple]:
    """code -> (numerator, denominator) of every indicator the index computes, in hand-written SQL."""
    from django.db import connection

    from cchc.agencies.models import Agency
    from cchc.dossiers.models import Dossier, DossierResult
    from cchc.feedback.models import Feedback
    from cchc.procedures.models import Component, Fee, Procedure
    from cchc.serviceindex.models import ImportedFigure
    from cchc.serviceindex.parameters import for_day

    vendor = connection.vendor
    q = connection.ops.quote_name
    d_t, p_t, a_t = q(Dossier._meta.db_table), q(Procedure._meta.db_table), q(Agency._meta.db_table)
    r_t, f_t, c_t = q(DossierResult._meta.db_table), q(Fee._meta.db_table), q(Component._meta.db_table)
    fb_t, i_t = q(Feedback._meta.db_table), q(ImportedFigure._meta.db_table)
    last = min(period.end, today)
    adapt = connection.ops.adapt_datefield_value
    params = {"s": adapt(period.start), "e": adapt(last), "end": adapt(period.end)}
    with connection.cursor() as cursor:
        # The province's agencies first, as literal ids: with "IN (SELECT ...)" the planner expects a few dozen rows
        # and plans no parallel scan (the index reads the scope the same way, service._scope).
        cursor.execute(f"SELECT id, kind FROM {a_t} WHERE province_id = %s", [province_id])
        agencies = cursor.fetchall()
    kinds = {kind for _pk, kind in agencies}
    scope = "IN ({})".format(", ".join(str(int(pk)) for pk, _kind in agencies) or "NULL")

    received = "d.received_on >= %(s)s AND d.received_on <= %(e)s"
    ended = "d.ended_on >= %(s)s AND d.ended_on <= %(e)s"
    open_end = "(d.ended_on IS NULL OR d.ended_on > %(e)s)"
    paused_day = _local_date("d.paused_at", vendor)
    within = f"(d.due_date >= %(e)s OR (d.paused_at IS NOT NULL AND {paused_day} <= d.due_date))"
    on_time = f"((({ended}) AND d.ended_on <= d.due_date) OR ({open_end} AND {within})) AND d.supplement_requests <= 1"
    electronic = f"(d.result_digitised OR d.id IN (SELECT r.dossier_id FROM {r_t} r WHERE r.electronic))"
    fee_rows = "(fe.amount > 0 OR (fe.amount IS NULL AND fe.rule <> ''))"
    obligation = (
        f"(d.fees_due > 0 OR d.fees_paid > 0 OR (d.fees_due IS NULL AND d.procedure_id IN "
        f"(SELECT fe.procedure_id FROM {f_t} fe WHERE {fee_rows})))"
    )
    eligible = "(p.online_service = 'full' OR p.full_online_eligible)"
    paid = "d.payment_gateway IN (1, 2)"
    needs_result = "(d.outcome = 'resolved' AND d.ended_on IS NOT NULL AND d.ended_on <= %(e)s AND p.written_result)"
    people = "d.applicant_kind IN ('person', 'household')"
    sums = {
        "all": "1 = 1",
        "on_time": on_time,
        "received": received,
        "synced": f"{received} AND (d.synced_at IS NOT NULL OR d.national_code <> '')",
        "eligible": f"{received} AND {eligible}",
        "full_online": f"{received} AND {eligible} AND d.channel = 2 AND p.online_service = 'full'",
        "online": f"{received} AND d.channel = 2",
        "obligation": f"{received} AND {obligation}",
        "paid": f"{received} AND {obligation} AND {paid}",
        "written": f"{ended} AND d.outcome = 'resolved' AND p.written_result",
        "electronic": f"{ended} AND d.outcome = 'resolved' AND p.written_result AND {electronic}",
        "digitised": f"{received} AND (d.digitised OR d.channel = 2) AND (NOT {needs_result} OR {electronic})",
        "reused": f"{received} AND d.reused_components > 0",
        "store": f"{received} AND d.national_store_linked",
        "population": f"{received} AND d.population_data_used",
        "any_paid": f"{received} AND {paid}",
        "any_people": f"{received} AND {people}",
        "people_population": f"{received} AND {people} AND d.population_data_used",
    }
    columns = ", ".join(f"COUNT(*) FILTER (WHERE {condition})" for condition in sums.values())
    # One pass over the dossiers grouped by procedure row; the codes of those rows come from the catalogue after.
    sql = (
        f"SELECT d.procedure_id, {columns} FROM {d_t} d JOIN {p_t} p ON p.id = d.procedure_id "
        f"WHERE d.agency_id {scope} AND d.received_on <= %(e)s AND (d.ended_on IS NULL OR d.ended_on >= %(s)s) "
        f"GROUP BY d.procedure_id"
    )
    newer = (
        f"SELECT 1 FROM {p_t} n WHERE n.agency_id = p.agency_id AND n.code = p.code AND n.effective_from > "
        f"p.effective_from AND n.effective_from <= %(e)s AND (n.abolished_on IS NULL OR n.abolished_on > %(e)s)"
    )
    catalogue_sql = (
        f"SELECT p.agency_id, p.code, p.online_service, p.online_payment, "
        f"EXISTS (SELECT 1 FROM {f_t} fe WHERE fe.procedure_id = p.id AND {fee_rows}), "
        f"(p.name <> '' AND p.processing_time > 0 AND EXISTS (SELECT 1 FROM {c_t} c WHERE c.procedure_id = p.id) "
        f"AND (p.result_document <> '' OR p.result_kind <> '')) "
        f"FROM {p_t} p WHERE p.agency_id {scope} AND p.effective_from <= %(e)s "
        f"AND (p.abolished_on IS NULL OR p.abolished_on > %(e)s) AND NOT EXISTS ({newer})"
    )
    closed = "fb.status IN ('answered', 'not_in_scope') AND fb.answered_on >= %(s)s AND fb.answered_on <= %(e)s"
    fb_open = "fb.received_on <= %(e)s AND (fb.answered_on IS NULL OR fb.answered_on > %(e)s)"
    counted = f"fb.status <> 'not_in_scope' AND (({closed}) OR ({fb_open}))"
    fb_on_time = f"(({closed}) AND fb.answered_on <= fb.answer_due_on) OR (({fb_open}) AND fb.answer_due_on >= %(e)s)"
    fb_received = "fb.status <> 'not_in_scope' AND fb.received_on >= %(s)s AND fb.received_on <= %(e)s"
    fb_late = (
        "((fb.answered_on IS NOT NULL AND fb.answered_on <= %(e)s AND fb.answered_on > fb.answer_due_on) "
        f"OR (({fb_open}) AND fb.answer_due_on < %(e)s))"
    )
    feedback_sql = (
        f"SELECT COUNT(*) FILTER (WHERE {counted}), COUNT(*) FILTER (WHERE ({counted}) AND ({fb_on_time})), "
        f"COUNT(*) FILTER (WHERE {fb_received}), COUNT(*) FILTER (WHERE ({fb_received}) AND {fb_late}) "
        f"FROM {fb_t} fb WHERE fb.agency_id {scope}"
    )
    imported_sql = (
        f"SELECT agency_id, indicator_code, start, {q('end')}, numerator, denominator FROM {i_t} "
        f"WHERE agency_id {scope} AND start >= %(s)s AND {q('end')} <= %(end)s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        grouped = cursor.fetchall()
        ids = ", ".join(str(int(row[0])) for row in grouped) or "NULL"
        cursor.execute(f"SELECT id, agency_id, code FROM {p_t} WHERE id IN ({ids})")
        versions = {pk: (agency_id, code) for pk, agency_id, code in cursor.fetchall()}
        groups = [(*versions[row[0]], *row[1:]) for row in grouped]
        cursor.execute(catalogue_sql, params)
        catalogue = cursor.fetchall()
        cursor.execute(feedback_sql, params)
        fb_counted, fb_good, fb_recv, fb_recv_late = (int(v or 0) for v in cursor.fetchone())
        cursor.execute(imported_sql, params)
        imported_rows = cursor.fetchall()

    names = list(sums)
    totals = dict.fromkeys(names, 0)
    codes: dict[str, set] = {"online": set(), "any_paid": set(), "any_people": set(), "people_population": set()}
    for agency_id, code, *values in groups:
        for name, value in zip(names, values, strict=True):
            totals[name] += int(value or 0)
            if name in codes and value:
                codes[name].add((agency_id, code))

    def catalogue_count(test):
        base = good = 0
        for agency_id, code, online_service, online_payment, has_fee, complete in catalogue:
            in_base, in_good = test((agency_id, code), online_service, bool(online_payment), bool(has_fee),
                                    bool(complete))  # fmt: skip
            base += in_base
            good += in_base and in_good
        return good, base

    imported = _imported(imported_rows, period)
    result = {
        "1.4": (totals["synced"], totals["received"]),
        "2.1": (totals["on_time"], totals["all"]),
        "3.4": (totals["full_online"], totals["eligible"]),
        "3.3": (totals["online"], totals["received"]),
        "3.6": (totals["paid"], totals["obligation"]),
        "4.1": (totals["electronic"], totals["written"]),
        "4.2": (totals["digitised"], totals["received"]),
        "4.3": (totals["reused"], totals["received"]),
        "4.4": (totals["store"], totals["received"]),
        "4.5a": (totals["population"], totals["received"]),
        "4.5b": (len(codes["people_population"] & codes["any_people"]), len(codes["any_people"])),
        "1.3": catalogue_count(lambda key, online, pay, fee, complete: (True, complete)),
        "3.1": catalogue_count(lambda key, online, pay, fee, complete: (True, online != "none")),
        "3.2": catalogue_count(lambda key, online, pay, fee, complete: (online != "none", key in codes["online"])),
        "3.5": catalogue_count(lambda key, online, pay, fee, complete: (fee, pay)),
        "3.5b": catalogue_count(lambda key, online, pay, fee, complete: (fee, key in codes["any_paid"])),
        "5.2": (fb_good, fb_counted),
        "5.3": (max(0, fb_recv - fb_recv_late), fb_recv),
        "5.4": (max(0, totals["on_time"] - fb_recv), totals["all"]),
    }
    for code in ("1.1", "1.2", "1.3"):
        if code in imported:
            result[code] = imported[code]
    parameters = for_day(period.end)
    for code in ("1.1", "1.2", "4.6"):
        result.setdefault(code, (None, None))
    if "ubnd_xa" not in kinds:
        result["4.6"] = (None, None)
    return {code: result[code] for g in parameters.groups for code in [i.code for i in g.indicators]}


def _imported(rows, period) -> dict[str, tuple]:
    by_key: dict[tuple, list] = {}
    for agency_id, code, start, end, numerator, denominator in rows:
        start = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)
        end = end if isinstance(end, dt.date) else dt.date.fromisoformat(end)
        by_key.setdefault((agency_id, code), []).append((start, end, Decimal(numerator), Decimal(denominator)))
    totals: dict[str, tuple] = {}
    for (_agency, code), found in by_key.items():
        exact = [r for r in found if r[0] == period.start and r[1] == period.end]
        chosen = exact or [r for r in found if not any(o is not r and r[0] <= o[0] and o[1] <= r[1] for o in found)]
        before = totals.get(code, (Decimal(0), Decimal(0)))
        totals[code] = (before[0] + sum(r[2] for r in chosen), before[1] + sum(r[3] for r in chosen))
    return totals


# --- timing -----------------------------------------------------------------------------------------------------


def paired_medians(functions, repeats: int):
    for function in functions:
        function()  # warm-up (query plans, the prepared queries), not timed
    times = [[] for _ in functions]
    results = [None] * len(functions)
    for _ in range(repeats):
        for n, function in enumerate(functions):
            started = time.perf_counter()
            results[n] = function()
            times[n].append(time.perf_counter() - started)
    return [statistics.median(t) for t in times], results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--year", type=int, default=None)
    args = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.utils import timezone

    from cchc.serviceindex import prepared, service
    from cchc.statistics.periods import year as calendar_year

    province, total = build(args.dossiers)
    today = timezone.localdate()
    period = calendar_year(args.year or today.year - 1, "calendar")
    print(f"{total:,} dossiers in the province ({connection.vendor}); {period.label}, province {province.code}")

    def ours():
        return service.compute(period, province=province.pk, today=today)

    def ours_cold():
        prepared.forget()
        return service.compute(period, province=province.pk, today=today)

    def theirs():
        return raw_counts(period, today, province.pk)

    (warm, cold, raw), (result, _cold_result, counts) = paired_medians([ours, ours_cold, theirs], args.repeats)
    mine = {i.code: (i.numerator, i.denominator) for g in result.groups for i in g.indicators}
    equal = mine == counts
    if not equal:
        for code in mine:
            if mine[code] != counts.get(code):
                print(f"  differs: {code} cchc {mine[code]} SQL {counts.get(code)}")
    print(f"{'what':<34} {'median (ms)':>12} {'ratio':>7}")
    print(f"{'hand-written SQL':<34} {raw * 1000:>12.1f} {1:>7.2f}")
    print(f"{'compute() (prepared queries kept)':<34} {warm * 1000:>12.1f} {warm / raw:>7.2f}")
    print(f"{'compute() (compiled each time)':<34} {cold * 1000:>12.1f} {cold / raw:>7.2f}")
    print(f"index {result.total}/{result.max_points}: " + ", ".join(f"{g.code} {g.points}" for g in result.groups))
    met = warm / raw <= GOAL
    print(f"same numbers: {'yes' if equal else 'NO'}; goal within {GOAL}x: {'met' if met else 'not met'}")
    print(
        json.dumps(
            {
                "benchmark": "index766",
                "vendor": connection.vendor,
                "dossiers": total,
                "period": period.key,
                "scope": f"province {province.code}",
                "sql_ms": round(raw * 1000, 1),
                "cchc_ms": round(warm * 1000, 1),
                "cchc_cold_ms": round(cold * 1000, 1),
                "ratio": round(warm / raw, 2),
                "ratio_cold": round(cold / raw, 2),
                "goal": GOAL,
                "met": met,
                "same_numbers": equal,
                "total_points": float(result.total),
            }
        )
    )


if __name__ == "__main__":
    main()
