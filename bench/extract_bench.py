"""Benchmark: report extraction throughput and accuracy on the project's corpus (.txt, .docx, .pdf), single process.

    .venv/bin/python bench/extract_bench.py [--runs 7] [--repeat 5] [--shared-samples | --samples DIR]

The reports are the project's own corpus (tests/corpus/reports and the demo's src/cchc/demo/samples); with
--shared-samples the real sample reports beside the repository (shared/samples/reports), with --samples any folder.
Each run extracts every report `repeat` times (reading the file included); prints reports per second per format as
the median of the runs and the slowest single report, then, for the corpus, how many of the figures a careful
reader takes (tests/corpus/expected/*.json) today's reader gets right. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
CORPUS = [ROOT / "tests" / "corpus" / "reports", ROOT / "src" / "cchc" / "demo" / "samples"]
EXPECTED = ROOT / "tests" / "corpus" / "expected"


def shared_samples() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "samples" / "reports").is_dir():
            return base / "shared" / "samples" / "reports"
    return None


def throughput(extract, files: list[Path], runs: int, repeat: int) -> dict:
    for f in files:  # warm-up: imports, regex compilation
        extract(f)
    rates, slowest = [], 0.0
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeat):
            for f in files:
                t0 = time.perf_counter()
                extract(f)
                slowest = max(slowest, time.perf_counter() - t0)
        rates.append(len(files) * repeat / (time.perf_counter() - start))
    return {"reports_per_second": round(statistics.median(rates), 1), "slowest_ms": round(slowest * 1000, 1)}


def accuracy(extract) -> dict:
    """Figures right / figures a careful reader takes, over every corpus report in every format."""
    right = total = 0
    per_format: dict[str, list[int]] = {}
    for path in sorted(EXPECTED.glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        for ext in ("txt", "docx", "pdf"):
            figures = extract(ROOT / f"{expected['source']}.{ext}")["figures"]
            hits = sum(figures.get(key) == value for key, value in expected["figures"].items())
            right, total = right + hits, total + len(expected["figures"])
            counts = per_format.setdefault(ext, [0, 0])
            counts[0] += hits
            counts[1] += len(expected["figures"])
    return {"figures_right": right, "figures_expected": total,
            "by_format": {ext: f"{hits}/{count}" for ext, (hits, count) in per_format.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--shared-samples", action="store_true", help="the real samples beside the repository")
    which.add_argument("--samples", help="any folder of reports")
    args = parser.parse_args()

    import django

    django.setup()
    from cchc.extraction import extract

    if args.shared_samples:
        found = shared_samples()
        if found is None:
            sys.exit("No shared/samples/reports beside the repository.")
        folders = [found]
    else:
        folders = [Path(args.samples)] if args.samples else CORPUS
    summary: dict = {"benchmark": "extraction", "reports": [str(f.relative_to(ROOT)) if f.is_relative_to(ROOT)
                                                             else str(f) for f in folders]}
    for ext in ("txt", "docx", "pdf"):
        files = sorted(f for folder in folders for f in folder.glob(f"*.{ext}"))
        if not files:
            print(f"{ext}: no reports in {', '.join(map(str, folders))}")
            continue
        figures = throughput(extract, files, args.runs, args.repeat)
        summary[ext] = figures
        print(f"{ext}: {figures['reports_per_second']} reports/s (median of {args.runs} runs, {len(files)} reports x "
              f"{args.repeat}); slowest report {figures['slowest_ms']} ms")
    if not args.shared_samples and not args.samples:
        summary["accuracy"] = accuracy(extract)
        acc = summary["accuracy"]
        print(f"figures read right on the corpus: {acc['figures_right']}/{acc['figures_expected']} "
              f"({', '.join(f'{ext} {value}' for ext, value in acc['by_format'].items())})")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
