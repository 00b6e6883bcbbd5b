"""Benchmark: how report reading grows with the input, on amplifying inputs (tests/extraction/amplify.py).

    .venv/bin/python bench/extract_scaling.py [--only NAME ...] [--runs 3] [--mb 1.0] [--cpu]

For each amplifying input (a broken line repeated, a sentence repeated, huge task tables as .txt and .docx, a task
continued over many rows, a cell of many lines, one long line without punctuation, nested parentheses, many numbers,
many references, a whole report) prints the time of cchc.extraction.extract() at 1x, 2x, 4x and 8x its base size
(best of --runs) and the ratio 8x/1x: about 8 when reading is linear, 64 when it grows with the square. Then reads a
report of --mb megabytes of text (the whole-report input scaled up) and prints the time of each part: reader,
metadata, references, figures, tasks, sections. Times are wall-clock seconds, or with --cpu the processor time of
this process (steadier on a machine other work is loading). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # the inputs are made by the tests' generators
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

SCALES = (1, 2, 4, 8)
clock = time.perf_counter
PARTS = [
    ("read_blocks", "reader"),
    ("split_main_and_appendix", "metadata"),
    ("read_metadata", "metadata"),
    ("find_references", "references"),
    ("read_figures", "figures"),
    ("read_tasks", "tasks"),
    ("read_sections", "sections"),
]


def best(extract, data: bytes, name: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        extract(data, name)
        times.append(clock() - start)
    return min(times)


def split_of_parts(data: bytes, name: str, runs: int) -> dict:
    """Seconds spent in each part of extract_blocks(), best of `runs`, by wrapping the functions it calls."""
    module = sys.modules["cchc.extraction.extract"]
    spent: dict[str, float] = {}
    originals = {attr: getattr(module, attr) for attr, _ in PARTS}

    def timed(function, label):
        def wrapper(*args, **kwargs):
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + clock() - start

        return wrapper

    best_total, best_split = float("inf"), {}
    try:
        for attr, label in PARTS:
            setattr(module, attr, timed(originals[attr], label))
        for _ in range(runs):
            spent.clear()
            start = clock()
            module.extract(data, name)
            total = clock() - start
            if total < best_total:
                best_total, best_split = total, dict(spent)
    finally:
        for attr, function in originals.items():
            setattr(module, attr, function)
    split = {label: round(seconds, 3) for label, seconds in best_split.items()}
    split["other"] = round(best_total - sum(best_split.values()), 3)
    return {"total_s": round(best_total, 3), "parts_s": split}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="names of the inputs to run (default: all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mb", type=float, default=1.0, help="size of the whole report read part by part")
    parser.add_argument("--cpu", action="store_true", help="processor time of this process, not wall-clock time")
    args = parser.parse_args()
    global clock
    if args.cpu:
        clock = time.process_time

    import django

    django.setup()
    from cchc.extraction import extract
    from extraction.amplify import AMPLIFIERS, report_txt

    extract(*report_txt(2))  # warm-up: imports, regex compilation
    summary: dict = {
        "benchmark": "extraction scaling",
        "clock": "cpu" if args.cpu else "wall",
        "scales": list(SCALES),
        "inputs": {},
    }
    for name, (make, base) in AMPLIFIERS.items():
        if args.only and name not in args.only:
            continue
        row = {}
        for scale in SCALES:
            data, filename = make(base * scale)
            row[f"{scale}x"] = {
                "kb": round(len(data) / 1024, 1),
                "s": round(best(extract, data, filename, args.runs), 4),
            }
        ratio = row["8x"]["s"] / max(row["1x"]["s"], 1e-6)
        row["ratio_8x_1x"] = round(ratio, 1)
        summary["inputs"][name] = row
        sizes = "  ".join(f"{s}x {row[f'{s}x']['kb']:>7.1f} kB {row[f'{s}x']['s']:7.3f} s" for s in SCALES)
        print(f"{name:24} {sizes}  8x/1x {ratio:5.1f}", flush=True)

    # The whole report scaled to --mb megabytes of text: about 1.1 kB of body and one table row per unit.
    unit = (len(report_txt(20)[0]) - len(report_txt(10)[0])) / 10
    data, filename = report_txt(max(1, math.ceil(args.mb * 1e6 / unit)))
    whole = split_of_parts(data, filename, args.runs)
    whole["mb"] = round(len(data) / 1e6, 2)
    summary["whole_report"] = whole
    parts = ", ".join(f"{k} {v:.3f}" for k, v in whole["parts_s"].items())
    print(f"whole report {whole['mb']} MB of text: {whole['total_s']:.2f} s ({parts})")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
