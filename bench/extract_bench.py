"""Benchmark: report extraction throughput on the shared samples (.txt and .docx), single process.

    .venv/bin/python bench/extract_bench.py [--runs 7] [--repeat 5] [--samples DIR]

Each run extracts every sample `repeat` times (reading the file included); prints reports per second per format as
the median of the runs, and the slowest single report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--samples", default=str(ROOT.parent / "shared" / "samples" / "reports"))
    args = parser.parse_args()

    import django

    django.setup()
    from cchc.extraction import extract

    samples = Path(args.samples)
    for ext in ("txt", "docx"):
        files = sorted(samples.glob(f"*.{ext}"))
        if not files:
            print(f"{ext}: no samples in {samples}")
            continue
        for f in files:  # warm-up: imports, regex compilation
            extract(f)
        rates, slowest = [], 0.0
        for _ in range(args.runs):
            start = time.perf_counter()
            for _ in range(args.repeat):
                for f in files:
                    t0 = time.perf_counter()
                    extract(f)
                    slowest = max(slowest, time.perf_counter() - t0)
            elapsed = time.perf_counter() - start
            rates.append(len(files) * args.repeat / elapsed)
        print(f"{ext}: {statistics.median(rates):.1f} reports/s (median of {args.runs} runs, {len(files)} samples x "
              f"{args.repeat}); slowest report {slowest * 1000:.1f} ms")


if __name__ == "__main__":
    main()
