"""Benchmark: the dossier list's Excel export (dossiers/export.py) at 100k and 1M rows: rows/s and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_big PYTHONPATH=$PWD/src \\
        .venv/bin/python bench/export_bench.py [--sizes 100000,1000000] [--build] [--tracemalloc]

Uses the database of DATABASE_URL (SQLite in CCHC_DATA_DIR without it); --build first tops it up to the largest size
with `cchc demo --large --dossiers N` (idempotent). Each size runs in a fresh process, so that its peak resident
memory (VmHWM) is its own: the first N dossiers by id, in the list's default order (newest received first), written
by the same function the "Xuất Excel" button calls. Prints rows/s, the peak RSS, its growth over the process before
the export, the file size; with --tracemalloc also the peak of Python allocations during the export (slower). Goal
(issue 9): the peak grows less than 10 % from 100k to 1M rows. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def one(size: int, traced: bool) -> dict:
    """One export of `size` rows in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    import tracemalloc

    from django.db import connection

    from cchc.dossiers import export, worklists
    from cchc.dossiers.models import Dossier

    ids = Dossier.objects.order_by("pk").values_list("pk", flat=True)
    last = ids[size - 1 : size].first() if size else None
    if last is None:
        raise SystemExit(f"the database has fewer than {size:,} dossiers: run with --build")
    queryset = Dossier.objects.filter(pk__lte=last)
    sort = worklists.parse_sort(worklists.DEFAULT_SORT)
    before_kib = _status_kib("VmRSS")
    samples: list[int] = []
    if traced:
        tracemalloc.start()
    with tempfile.TemporaryDirectory(prefix="cchc-export-bench-") as scratch:
        target = Path(scratch) / "ho-so.xlsx"
        started = time.perf_counter()
        rows = export.write_xlsx(queryset, target, title="Benchmark", sort=sort,
                                 progress=lambda n: samples.append(_status_kib("VmRSS")))  # fmt: skip
        seconds = time.perf_counter() - started
        size_bytes = target.stat().st_size
    traced_peak = tracemalloc.get_traced_memory()[1] if traced else None
    peak_kib = _status_kib("VmHWM")
    return {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "rss_before_mib": round(before_kib / 1024, 1),
        "rss_peak_mib": round(peak_kib / 1024, 1),
        "rss_growth_mib": round((peak_kib - before_kib) / 1024, 1),
        "rss_during_last_mib": round(samples[-1] / 1024, 1) if samples else None,
        "traced_peak_mib": round(traced_peak / 2**20, 1) if traced_peak is not None else None,
        "file_mib": round(size_bytes / 2**20, 1),
        "vendor": connection.vendor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="rows per export, comma-separated")
    parser.add_argument("--build", action="store_true", help="top the database up with cchc demo --large first")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # a child: one export
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.tracemalloc)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    if args.build:
        cchc = [sys.executable, "-m", "cchc"]
        subprocess.run([*cchc, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([*cchc, "demo", "--large", "--dossiers", str(max(sizes))], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    results = []
    print(f"{'rows':>10} {'seconds':>8} {'rows/s':>8} {'RSS before':>11} {'peak RSS':>9} {'growth':>7} {'traced':>7} "
          f"{'file':>7}")  # fmt: skip
    for size in sizes:
        command = [sys.executable, __file__, "--one", str(size)] + (["--tracemalloc"] if args.tracemalloc else [])
        out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        results.append(result)
        traced = f"{result['traced_peak_mib']:.1f}" if result["traced_peak_mib"] is not None else "-"
        print(f"{result['rows']:>10,} {result['seconds']:>8.1f} {result['rows_per_s']:>8,} "
              f"{result['rss_before_mib']:>9.1f}Mi {result['rss_peak_mib']:>7.1f}Mi {result['rss_growth_mib']:>5.1f}Mi "
              f"{traced:>7} {result['file_mib']:>5.1f}Mi", flush=True)  # fmt: skip
    growth = None
    if len(results) >= 2:
        first, last = results[0]["rss_peak_mib"], results[-1]["rss_peak_mib"]
        growth = round((last - first) / first * 100, 1)
        print(f"peak RSS from {results[0]['rows']:,} to {results[-1]['rows']:,} rows: {growth:+.1f} % (goal < 10 %)")
    print(json.dumps({"bench": "export", "results": results, "peak_growth_percent": growth,
                      "goal_met": growth is not None and growth < 10, "cores": os.cpu_count()}))  # fmt: skip


if __name__ == "__main__":
    main()
