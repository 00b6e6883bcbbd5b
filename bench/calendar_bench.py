"""Throughput of cchc.calendar.add_working_days against a naive day-by-day loop on the same inputs.

Standalone: sets up Django with a throw-away SQLite database, migrates it, needs no network.

    .venv/bin/python bench/calendar_bench.py [--pairs 200000] [--repeats 5] [--seed 2026]

The naive loop only asks is_working_day for each day, so both sides use the same calendar; the script checks
they agree on every input before timing, then prints the median calls per second of each and the ratio.
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


def setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ["CCHC_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def naive_add(is_working_day, day: dt.date, n: int) -> dt.date:
    one = dt.timedelta(days=1)
    while n:
        day += one
        if is_working_day(day):
            n -= 1
    return day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as data_dir:
        setup_django(data_dir)
        from cchc import calendar

        rng = random.Random(args.seed)
        first, last = dt.date(2015, 1, 1).toordinal(), dt.date(2035, 12, 31).toordinal()
        inputs = [(dt.date.fromordinal(rng.randint(first, last)), rng.randint(1, 30)) for _ in range(args.pairs)]

        start = time.perf_counter()
        calendar.calendar_for()
        print(f"calendar build (2010-2040, national): {time.perf_counter() - start:.3f} s")

        add = calendar.add_working_days
        is_working = calendar.is_working_day
        fast_results = [add(day, n) for day, n in inputs]
        naive_results = [naive_add(is_working, day, n) for day, n in inputs]
        mismatches = sum(a != b for a, b in zip(fast_results, naive_results, strict=True))
        if mismatches:
            sys.exit(f"FAIL: {mismatches} of {len(inputs)} results differ")
        print(f"{len(inputs)} (date, n) pairs, n in 1..30, dates 2015-2035: identical results")

        fast_rates, naive_rates = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            for day, n in inputs:
                add(day, n)
            fast_rates.append(len(inputs) / (time.perf_counter() - start))
            start = time.perf_counter()
            for day, n in inputs:
                naive_add(is_working, day, n)
            naive_rates.append(len(inputs) / (time.perf_counter() - start))

        fast, naive = statistics.median(fast_rates), statistics.median(naive_rates)
        print(f"add_working_days  median {fast:>12,.0f} calls/s  (runs: {', '.join(f'{r:,.0f}' for r in fast_rates)})")
        print(
            f"naive loop        median {naive:>12,.0f} calls/s  (runs: {', '.join(f'{r:,.0f}' for r in naive_rates)})"
        )
        print(f"ratio             {fast / naive:.1f}x (goal >= 20x)")


if __name__ == "__main__":
    main()
