"""Speed of the period statistics (cchc.statistics.service) against hand-written SQL on a million dossiers.

Standalone. The target database comes from DATABASE_URL (SQLite under a temporary CCHC_DATA_DIR when unset):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench4 .venv/bin/python bench/statistics_bench.py
    DATABASE_URL=sqlite:////tmp/cchc-bench4.sqlite3 .venv/bin/python bench/statistics_bench.py
    options: [--dossiers 1000000] [--rebuild] [--repeats 5] [--seed 2026]

It migrates the database, then creates (if missing, or with --rebuild) a province "BENCH" with 10 agencies of ~50
procedures each and N dossiers spread over 2021-2023 (channels ~60% online / 35% direct / 5% postal, ~5% late, ~3%
refused, ~2% withdrawn, the recent ones and a few old ones still open, some of those waiting for a supplement),
inserted with COPY on PostgreSQL and executemany in 10k batches on SQLite.

Then, for an agency and a quarter and for the province and a year, it times
- dossier_figures() (one aggregate query) against one raw SUM(CASE WHEN ...) query, and
- compute() (figures, by field, by procedure and the catalogue) against the raw queries giving the same numbers,
asserts that both sides give the same numbers, runs each 5 times (alternately, so that machine load hits both alike)
and prints the medians and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC
PROVINCE_CODE = "BENCH"
AGENCIES = 10
PROCEDURES_PER_AGENCY = 50
FIELDS = [
    "Hoạt động khoa học và công nghệ",
    "Sở hữu trí tuệ",
    "Tiêu chuẩn đo lường chất lượng",
    "Năng lượng nguyên tử, an toàn bức xạ và hạt nhân",
    "Chuyển giao công nghệ",
    "Thông tin và thống kê khoa học và công nghệ",
]
FIRST_DAY = dt.date(2021, 1, 1)
LAST_DAY = dt.date(2023, 12, 31)
BATCH = 10_000


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    if not os.environ.get("CCHC_DATA_DIR"):
        os.environ["CCHC_DATA_DIR"] = tempfile.mkdtemp(prefix="cchc-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


# --- data --------------------------------------------------------------------------------------------------------


def build_catalogue(rng: random.Random):
    from decimal import Decimal

    from cchc.agencies.models import Agency, Province
    from cchc.procedures.models import Field, Procedure

    province, _ = Province.objects.get_or_create(code=PROVINCE_CODE, defaults={"name": "Tỉnh thử nghiệm hiệu năng"})
    fields = [Field.objects.get_or_create(name=name)[0] for name in FIELDS]
    agencies = []
    for index in range(AGENCIES):
        agency, created = Agency.objects.get_or_create(
            province=province, code=f"S{index:02d}", defaults={"name": f"Sở thử nghiệm {index:02d}"}
        )
        agencies.append(agency)
        if not created and agency.procedures.exists():
            continue
        rows = []
        for number in range(PROCEDURES_PER_AGENCY):
            common = {
                "agency": agency,
                "code": f"{1 + number % 2}.{index:02d}{number:04d}",
                "name": f"Thủ tục {number} của sở {index}",
                "field": fields[number % len(fields)],
                "processing_time": Decimal(rng.choice([5, 7, 10, 15, 20])),
                "interconnection": rng.choice(["none", "none", "none", "same_level", "cross_level"]),
                "one_stop": rng.random() < 0.95,
                "legacy_online_level": rng.choice([None, 2, 3, 4]),
            }
            if number % 10 == 0:
                # A procedure changed in mid-2022: partly online before, fully online after.
                rows.append(Procedure(**common, online_service="partial", effective_from=FIRST_DAY,
                                      abolished_on=dt.date(2022, 7, 1)))  # fmt: skip
                rows.append(Procedure(**common, online_service="full", effective_from=dt.date(2022, 7, 1)))
            else:
                reduced = common["processing_time"] * Decimal("0.7") if rng.random() < 0.4 else None
                rows.append(
                    Procedure(
                        **common,
                        online_service=rng.choice(["full", "partial", "none"]),
                        reduced_processing_time=reduced,
                        effective_from=dt.date(2020, 1, 1),
                        abolished_on=dt.date(2023, 9, 1) if number % 17 == 3 else None,
                    )
                )
        for row in rows:
            row.search_text = f"{row.code} {row.name}".lower()
        Procedure.objects.bulk_create(rows)
    return province, agencies


def _dossier_columns():
    from cchc.dossiers.models import Dossier

    return [f for f in Dossier._meta.concrete_fields if not f.primary_key]


def generate_rows(agencies, procedures_by_agency, count: int, rng: random.Random):
    """Yield value dicts, realistic enough for the counts: weekdays, due 5-20 days on, ~5% late, some open."""
    span = (LAST_DAY - FIRST_DAY).days
    now = dt.datetime.now(UTC)
    for index in range(count):
        agency = agencies[index % len(agencies)]
        received = FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))
        if received.weekday() >= 5:
            received -= dt.timedelta(days=received.weekday() - 4)
        procedure_id = rng.choice(procedures_by_agency[agency.pk](received))
        due = received + dt.timedelta(days=rng.randint(5, 20))
        draw = rng.random()
        age = (LAST_DAY - received).days
        ended = paused = None
        outcome = ""
        if age < 45 and draw < 0.5 or draw < 0.003:  # the recent half still open, a few old ones stuck
            if rng.random() < 0.2:
                pause_day = received + dt.timedelta(days=rng.randint(1, 25))
                paused = dt.datetime(pause_day.year, pause_day.month, pause_day.day, rng.randint(7, 16), tzinfo=VN)
        else:
            if rng.random() < 0.05:
                ended = due + dt.timedelta(days=rng.randint(1, 15))
            else:
                ended = received + dt.timedelta(days=rng.randint(0, (due - received).days))
            roll = rng.random()
            outcome = "refused" if roll < 0.03 else "withdrawn" if roll < 0.05 else "resolved"
        channel_roll = rng.random()
        yield {
            "agency_id": agency.pk,
            "code": f"{agency.code}-{index:08d}",
            "procedure_id": procedure_id,
            "applicant_name": "Nguyễn Văn A",
            "channel": 2 if channel_roll < 0.6 else 1 if channel_roll < 0.95 else 3,
            "received_at": dt.datetime(received.year, received.month, received.day, 9, tzinfo=VN),
            "received_on": received,
            "due_at": dt.datetime(due.year, due.month, due.day, 17, tzinfo=VN),
            "due_date": due,
            "paused_at": paused,
            "status": {"": "waiting_supplement" if paused else "in_process"}.get(outcome, outcome),
            "ended_at": dt.datetime(ended.year, ended.month, ended.day, 10, tzinfo=VN) if ended else None,
            "ended_on": ended,
            "outcome": outcome,
            "created_at": now,
            "updated_at": now,
        }


def insert_dossiers(agencies, count: int, rng: random.Random) -> None:
    from django.db import connection, transaction

    from cchc.dossiers.models import Dossier
    from cchc.procedures.models import Procedure

    by_agency = {}
    for agency in agencies:
        versions = list(Procedure.objects.filter(agency=agency).values_list("pk", "effective_from", "abolished_on"))
        by_agency[agency.pk] = _chooser(versions)
    columns = _dossier_columns()
    defaults = {f.attname: f.get_default() for f in columns}
    table = Dossier._meta.db_table
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    postgres = connection.vendor == "postgresql"
    ops = connection.ops

    def adapt(f, value):
        if value is None or postgres:
            return value
        internal = f.get_internal_type()
        if internal == "DateTimeField":
            return ops.adapt_datetimefield_value(value)
        if internal == "DateField":
            return ops.adapt_datefield_value(value)
        if internal == "BooleanField":
            return int(value)
        return value

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for values in generate_rows(agencies, by_agency, count, rng):
                        copy.write_row([values.get(f.attname, defaults[f.attname]) for f in columns])
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
                batch = []
                for values in generate_rows(agencies, by_agency, count, rng):
                    batch.append([adapt(f, values.get(f.attname, defaults[f.attname])) for f in columns])
                    if len(batch) == BATCH:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"inserted {count:,} dossiers in {time.perf_counter() - started:.1f} s ({connection.vendor})")


def _chooser(versions):
    def choose(day):
        return [pk for pk, start, end in versions if start <= day and (end is None or end > day)]

    cache = {}

    def cached(day):
        key = (day.year, day.month, day.day >= 15)
        if key not in cache:
            cache[key] = choose(day)
        return cache[key]

    return cached


# --- hand-written SQL --------------------------------------------------------------------------------------------


def _local_date(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"({column} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    return f"date({column}, '+7 hours')"  # Viet Nam has had no daylight saving since 1975.


def raw_case_columns(vendor: str) -> str:
    """The definitions of statistics.classification written again as SUM(CASE WHEN ...), with %(s)s / %(e)s."""
    within = (
        f"(d.due_date >= %(e)s OR (d.paused_at IS NOT NULL AND {_local_date('d.paused_at', vendor)} <= d.due_date))"
    )
    ended_in = "d.ended_on >= %(s)s AND d.ended_on <= %(e)s"
    received_in = "d.received_on >= %(s)s AND d.received_on <= %(e)s"
    open_at_end = "(d.ended_on IS NULL OR d.ended_on > %(e)s)"
    cases = [
        ("carried_over", "d.received_on < %(s)s"),
        ("received_online", f"{received_in} AND d.channel = 2"),
        ("received_direct", f"{received_in} AND d.channel = 1"),
        ("received_postal", f"{received_in} AND d.channel = 3"),
        ("resolved_early", f"{ended_in} AND d.ended_on < d.due_date"),
        ("resolved_on_time", f"{ended_in} AND d.ended_on = d.due_date"),
        ("resolved_late", f"{ended_in} AND d.ended_on > d.due_date"),
        ("refused", f"{ended_in} AND d.outcome = 'refused'"),
        ("withdrawn", f"{ended_in} AND d.outcome = 'withdrawn'"),
        ("in_progress_within", f"{open_at_end} AND {within}"),
        ("in_progress_overdue", f"{open_at_end} AND NOT {within}"),
    ]
    return ", ".join(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {name}" for name, cond in cases)


def raw_statistics(period, agency_ids, province_id):
    """The dossier figures, by field and by procedure, and the catalogue totals, in hand-written SQL."""
    from django.db import connection

    from cchc.agencies.models import Agency
    from cchc.dossiers.models import Dossier
    from cchc.procedures.models import Field, Procedure
    from cchc.statistics.classification import FLAG_NAMES
    from cchc.statistics.service import DossierFigures

    vendor = connection.vendor
    ops = connection.ops
    dossier_t, procedure_t, field_t = Dossier._meta.db_table, Procedure._meta.db_table, Field._meta.db_table
    params = {"s": ops.adapt_datefield_value(period.start), "e": ops.adapt_datefield_value(period.end)}
    if agency_ids is not None:
        scope = "d.agency_id IN ({})".format(", ".join(str(int(pk)) for pk in agency_ids))
        catalogue_scope = "p.agency_id IN ({})".format(", ".join(str(int(pk)) for pk in agency_ids))
    else:
        agency_t = Agency._meta.db_table
        scope = f"d.agency_id IN (SELECT id FROM {agency_t} WHERE province_id = {int(province_id)})"
        catalogue_scope = f"p.agency_id IN (SELECT id FROM {agency_t} WHERE province_id = {int(province_id)})"
    where = f"WHERE {scope} AND d.received_on <= %(e)s AND (d.ended_on IS NULL OR d.ended_on >= %(s)s)"
    cases = raw_case_columns(vendor)

    def figures(row):
        return DossierFigures(**{name: int(value or 0) for name, value in zip(FLAG_NAMES, row, strict=True)})

    with connection.cursor() as cursor:
        # One pass over the dossiers grouped by procedure row; totals, fields and codes are sums of those rows.
        cursor.execute(
            f"SELECT d.procedure_id + 0, {cases} FROM {dossier_t} d {where} GROUP BY d.procedure_id + 0", params
        )
        grouped = {row[0]: figures(row[1:]) for row in cursor.fetchall()}
        ids = ", ".join(str(int(pk)) for pk in grouped) or "NULL"
        cursor.execute(
            f"SELECT p.id, p.code, f.name FROM {procedure_t} p JOIN {field_t} f ON f.id = p.field_id "
            f"WHERE p.id IN ({ids})"
        )
        versions = {pk: (code, field_name) for pk, code, field_name in cursor.fetchall()}
        total, fields, codes = DossierFigures(), {}, {}
        for pk, row in grouped.items():
            code, field_name = versions[pk]
            total += row
            fields[field_name] = fields.get(field_name, DossierFigures()) + row
            codes[code] = codes.get(code, DossierFigures()) + row
        by_field = sorted(fields.items())
        by_procedure = sorted(codes.items())
        cursor.execute(
            f"SELECT COUNT(*), SUM(CASE WHEN p.online_service IN ('full', 'partial') THEN 1 ELSE 0 END) "
            f"FROM {procedure_t} p WHERE {catalogue_scope} AND p.effective_from <= %(e)s "
            f"AND (p.abolished_on IS NULL OR p.abolished_on > %(e)s) AND NOT EXISTS (SELECT 1 FROM {procedure_t} q "
            f"WHERE q.agency_id = p.agency_id AND q.code = p.code AND q.effective_from > p.effective_from "
            f"AND q.effective_from <= %(e)s AND (q.abolished_on IS NULL OR q.abolished_on > %(e)s))",
            params,
        )
        catalogue = tuple(int(v or 0) for v in cursor.fetchone())
    return total, by_field, by_procedure, catalogue


def raw_figures(period, agency_ids, province_id):
    from django.db import connection

    from cchc.agencies.models import Agency
    from cchc.dossiers.models import Dossier
    from cchc.statistics.classification import FLAG_NAMES
    from cchc.statistics.service import DossierFigures

    ops = connection.ops
    params = {"s": ops.adapt_datefield_value(period.start), "e": ops.adapt_datefield_value(period.end)}
    if agency_ids is not None:
        scope = "d.agency_id IN ({})".format(", ".join(str(int(pk)) for pk in agency_ids))
    else:
        scope = f"d.agency_id IN (SELECT id FROM {Agency._meta.db_table} WHERE province_id = {int(province_id)})"
    sql = (
        f"SELECT {raw_case_columns(connection.vendor)} FROM {Dossier._meta.db_table} d WHERE {scope} "
        f"AND d.received_on <= %(e)s AND (d.ended_on IS NULL OR d.ended_on >= %(s)s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return DossierFigures(**{name: int(value or 0) for name, value in zip(FLAG_NAMES, row, strict=True)})


# --- timing ------------------------------------------------------------------------------------------------------


def paired_medians(ours, theirs, repeats: int) -> tuple[float, float, object, object]:
    """Median seconds of each function, run alternately so that a busy machine slows both alike."""
    ours(), theirs()  # warm-up (caches, query plans), not timed
    times_ours, times_theirs = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        result_ours = ours()
        times_ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        result_theirs = theirs()
        times_theirs.append(time.perf_counter() - started)
    return statistics.median(times_ours), statistics.median(times_theirs), result_ours, result_theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from cchc.dossiers.models import Dossier
    from cchc.statistics.periods import parse_period
    from cchc.statistics.service import compute, dossier_figures, scoped_dossiers

    rng = random.Random(args.seed)
    province, agencies = build_catalogue(rng)
    existing = Dossier.objects.filter(agency__province=province).count()
    if args.rebuild or existing != args.dossiers:
        if existing:
            Dossier.objects.filter(agency__province=province)._raw_delete(Dossier.objects.db)
        insert_dossiers(agencies, args.dossiers, rng)
    else:
        print(f"reusing {existing:,} dossiers ({connection.vendor})")

    cases = [
        ("agency, 2023-Q2", parse_period("2023-Q2"), [agencies[3].pk], None),
        ("province, 2023", parse_period("2023"), None, province.pk),
    ]
    print(f"{'case':<18} {'what':<16} {'cchc (ms)':>10} {'raw SQL (ms)':>13} {'ratio':>6}")
    for label, period, agency_ids, province_id in cases:
        scope = {"agencies": agency_ids} if agency_ids is not None else {"province": province_id}

        cchc_time, raw_time, figures, raw = paired_medians(
            lambda p=period, s=scope: dossier_figures(p, scoped_dossiers(**s)),
            lambda p=period, a=agency_ids, v=province_id: raw_figures(p, a, v),
            args.repeats,
        )
        assert figures == raw, (figures, raw)
        print(f"{label:<18} {'figures':<16} {cchc_time * 1000:>10.1f} {raw_time * 1000:>13.1f} "
              f"{cchc_time / raw_time:>6.2f}")  # fmt: skip

        cchc_time, raw_time, stats, raw = paired_medians(
            lambda p=period, s=scope: compute(p, **s),
            lambda p=period, a=agency_ids, v=province_id: raw_statistics(p, a, v),
            args.repeats,
        )
        total, by_field, by_procedure, catalogue = raw
        assert stats.dossiers == total
        assert stats.by_field == by_field
        assert [(code, f) for code, _, f in stats.by_procedure] == by_procedure
        assert (stats.procedures.total, stats.procedures.online) == catalogue
        assert stats.dossiers.received_total == stats.dossiers.resolved + stats.dossiers.in_progress
        print(f"{label:<18} {'compute()':<16} {cchc_time * 1000:>10.1f} {raw_time * 1000:>13.1f} "
              f"{cchc_time / raw_time:>6.2f}")  # fmt: skip
        f = stats.dossiers
        print(
            f"{'':<18} received {f.received_total:,} (carried {f.carried_over:,}, online {f.received_online:,}), "
            f"resolved {f.resolved:,} (late {f.resolved_late:,}), in progress {f.in_progress:,} "
            f"(overdue {f.in_progress_overdue:,}), on-time rate {f.on_time_rate}%"
        )


if __name__ == "__main__":
    main()
