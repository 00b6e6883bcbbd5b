"""Benchmark: importing dossiers versus a bare PostgreSQL COPY of the same file.

    .venv/bin/python bench/import_bench.py [--rows 1000000] [--runs 3] [--batch-size 5000] [--keep-file PATH]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cchc_bench), creates and migrates that database,
sets up one agency with 50 procedures, generates a CSV of N dossiers in every state (resolved, returned, waiting
for a supplement, supplemented, refused, withdrawn, re-dated), then times per run:
  (a) cchc.dossiers.importer.import_dossiers with full validation into an empty dossier table;
  (b) COPY of the same file into a bare table of text columns (psycopg copy, file streamed from the client);
  (c) the schema floor: COPY of the rows (a) produced (dossiers and their events) back into the emptied real
      tables, i.e. what the indexes, deferred foreign-key checks and event rows cost with no parsing at all.
Prints rows/s (median of the runs), the ratio (a)/(b) (target >= 25%) and where (a) stands against (c).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cchc_bench"
ROOT = Path(__file__).resolve().parents[1]
HEADER = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Chủ hồ sơ",
    "Loại chủ hồ sơ",
    "Số định danh",
    "Địa chỉ",
    "Điện thoại",
    "Email",
    "Kênh nộp",
    "Hình thức nhận kết quả",
    "Ngày tiếp nhận",
    "Hạn giải quyết",
    "Ngày yêu cầu bổ sung",
    "Ngày bổ sung",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Ngày từ chối",
    "Lý do từ chối",
    "Ngày rút hồ sơ",
    "Ngày hẹn lại",
    "Số hóa hồ sơ",
    "Số hóa kết quả",
    "Mã hồ sơ DVCQG",
    "Trạng thái",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Quang", "Thu", "Hồng", "Đức", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Nam", "Phương", "Tâm", "Trang", "Tuấn"]
CHANNELS = ["Trực tuyến", "Trực tuyến", "Trực tiếp", "Bưu chính công ích", "2", "1"]


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    os.environ.setdefault("CCHC_DATA_DIR", tempfile.mkdtemp(prefix="cchc-bench-"))
    sys.path.insert(0, str(ROOT / "src"))
    import psycopg

    dbname = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def setup_agency():
    from cchc.agencies.models import Agency, Province
    from cchc.procedures.models import Field, Procedure

    province, _ = Province.objects.get_or_create(code="HBENCH", defaults={"name": "Tỉnh Đo Hiệu Năng"})
    agency, _ = Agency.objects.get_or_create(
        province=province, code="SKHCN", defaults={"name": "Sở Khoa học và Công nghệ (đo hiệu năng)"}
    )
    field, _ = Field.objects.get_or_create(name="Hoạt động khoa học và công nghệ")
    codes = []
    for i in range(50):
        code = f"1.{4400 + i:06d}"
        codes.append(code)
        Procedure.objects.get_or_create(
            agency=agency,
            code=code,
            effective_from=dt.date(2019, 1, 1),
            defaults={
                "name": f"Thủ tục đo hiệu năng số {i + 1}",
                "field": field,
                "processing_time": [5, 7, 10, 15, 20][i % 5],
                "reduced_processing_time": [None, 5, None, 10, 15][i % 5],
                "supplement_clock": "restart" if i % 10 == 9 else "pause",
            },
        )
    return agency, codes


def generate(path: Path, rows: int, codes: list[str], seed: int = 2024) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2023, 1, 2, 7, 30)
    span_minutes = int((dt.datetime(2025, 10, 31) - start).total_seconds() // 60)

    def fmt(moment: dt.datetime) -> str:
        return moment.strftime("%d/%m/%Y %H:%M")

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            received = start + dt.timedelta(minutes=rng.randrange(span_minutes))
            received = received.replace(hour=rng.randrange(7, 17))
            person = rng.random() < 0.6
            name = (
                f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                if person
                else f"Công ty TNHH {rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
            )
            channel = rng.choice(CHANNELS)
            values = dict.fromkeys(HEADER, "")
            values.update(
                {
                    "Mã hồ sơ": f"B{i:09d}",
                    "Mã TTHC": rng.choice(codes),
                    "Chủ hồ sơ": name,
                    "Loại chủ hồ sơ": "Công dân" if person else "Doanh nghiệp",
                    "Số định danh": f"045{rng.randrange(10**9):09d}",
                    "Địa chỉ": f"Số {rng.randrange(1, 300)} đường Hùng Vương, phường Đông Hà",
                    "Điện thoại": f"09{rng.randrange(10**8):08d}",
                    "Email": f"hs{i}@example.vn" if rng.random() < 0.3 else "",
                    "Kênh nộp": channel,
                    "Ngày tiếp nhận": fmt(received),
                    "Số hóa hồ sơ": "Có" if rng.random() < 0.8 else "Không",
                }
            )
            state = rng.random()
            if state < 0.12:
                request = received + dt.timedelta(days=rng.randrange(1, 4), hours=1)
                values["Ngày yêu cầu bổ sung"] = fmt(request)
                if state < 0.09:
                    supplemented = request + dt.timedelta(days=rng.randrange(2, 15))
                    values["Ngày bổ sung"] = fmt(supplemented)
                    resolved = supplemented + dt.timedelta(days=rng.randrange(1, 10))
                    values["Ngày có kết quả"] = fmt(resolved)
                    values["Ngày trả kết quả"] = fmt(resolved + dt.timedelta(days=1))
                    values["Trạng thái"] = "10"
                else:
                    values["Trạng thái"] = "5"
            elif state < 0.15:
                values["Ngày từ chối"] = fmt(received + dt.timedelta(days=rng.randrange(1, 8)))
                values["Lý do từ chối"] = "Hồ sơ không đủ điều kiện theo quy định"
                values["Trạng thái"] = "8"
            elif state < 0.17:
                values["Ngày rút hồ sơ"] = fmt(received + dt.timedelta(days=rng.randrange(1, 8)))
                values["Trạng thái"] = "7"
            elif state < 0.95:
                resolved = received + dt.timedelta(days=rng.randrange(1, 25), hours=1)
                values["Ngày có kết quả"] = fmt(resolved)
                values["Số hóa kết quả"] = "Có"
                if state < 0.85:
                    values["Ngày trả kết quả"] = fmt(resolved + dt.timedelta(hours=rng.randrange(1, 72)))
                    values["Trạng thái"] = "10"
                else:
                    values["Trạng thái"] = "9"
            else:
                values["Ngày hẹn lại"] = (received + dt.timedelta(days=60)).strftime("%d/%m/%Y")
            writer.writerow(values.values())


def time_import(path: Path, agency, batch_size: int) -> tuple[float, object]:
    from django.db import connection

    from cchc.dossiers.importer import import_dossiers

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE dossiers_dossierevent, dossiers_dossier RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM audit_auditentry")
    started = time.perf_counter()
    result = import_dossiers(path, agency=agency, batch_size=batch_size)
    return time.perf_counter() - started, result


def time_copy(path: Path, url: str) -> float:
    import psycopg

    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with psycopg.connect(url) as conn:
        conn.execute(f"DROP TABLE IF EXISTS bench_bare; CREATE TABLE bench_bare ({columns})")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            with cursor.copy("COPY bench_bare FROM STDIN (FORMAT csv, HEADER true)") as copy:
                with path.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        copy.write(chunk)
        conn.commit()
        return time.perf_counter() - started


def time_schema_floor(url: str) -> float:
    """COPY the rows the importer just wrote back into the emptied dossier tables: the cost of the schema alone
    (indexes, deferred foreign keys, ~4 event rows per dossier), with no parsing or validation at all."""
    import io

    import psycopg

    with psycopg.connect(url) as conn:
        dumps = {}
        for table in ("dossiers_dossier", "dossiers_dossierevent"):
            buffer = io.BytesIO()
            with conn.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            dumps[table] = buffer.getvalue()
        conn.execute("TRUNCATE dossiers_dossierevent, dossiers_dossier CASCADE")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            for table, data in dumps.items():
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for offset in range(0, len(data), 1 << 20):
                        copy.write(data[offset : offset + (1 << 20)])
        conn.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--keep-file", type=Path, help="write the generated CSV here and keep it")
    parser.add_argument("--profile", action="store_true", help="profile one import run (cProfile, top 30)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    setup_django(url)
    agency, codes = setup_agency()
    path = args.keep_file or Path(tempfile.mkdtemp(prefix="cchc-bench-")) / "ho-so.csv"
    started = time.perf_counter()
    generate(path, args.rows, codes)
    size = path.stat().st_size
    print(f"Generated {args.rows:,} rows ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s: {path}")

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        seconds, result = time_import(path, agency, args.batch_size)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        print(f"import: {seconds:.2f}s created={result.created} errors={len(result.errors)}")
        return

    import_times, copy_times, floor_times = [], [], []
    for run in range(1, args.runs + 1):
        seconds, result = time_import(path, agency, args.batch_size)
        if result.errors:
            print(f"  {len(result.errors)} rows rejected, first: {result.errors[0]}")
        assert result.created + len(result.errors) == args.rows, result
        import_times.append(seconds)
        floor_seconds = time_schema_floor(url)
        floor_times.append(floor_seconds)
        copy_seconds = time_copy(path, url)
        copy_times.append(copy_seconds)
        print(
            f"run {run}: import {seconds:.2f}s ({args.rows / seconds:,.0f} rows/s, created {result.created:,}), "
            f"COPY {copy_seconds:.2f}s ({args.rows / copy_seconds:,.0f} rows/s), "
            f"schema floor {floor_seconds:.2f}s ({args.rows / floor_seconds:,.0f} rows/s)"
        )
    import_rate = args.rows / statistics.median(import_times)
    copy_rate = args.rows / statistics.median(copy_times)
    print(f"median import_dossiers: {import_rate:,.0f} rows/s")
    print(f"median COPY (bare table): {copy_rate:,.0f} rows/s")
    floor_rate = args.rows / statistics.median(floor_times)
    print(f"ratio: {import_rate / copy_rate:.1%} (target >= 25%)")
    print(
        f"schema floor (COPY of the finished dossier + event rows into the real tables): {floor_rate:,.0f} rows/s = "
        f"{floor_rate / copy_rate:.1%} of the bare COPY; the import reaches {import_rate / floor_rate:.0%} of it"
    )
    if not args.keep_file:
        path.unlink()


if __name__ == "__main__":
    main()
