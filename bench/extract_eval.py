"""Evaluation: how many of the figures a careful reader takes from report passages `cchc extract` reads right.

    .venv/bin/python bench/extract_eval.py [--part tune|holdout|all] [--errors] [FILE.jsonl ...]

The passages are ours (tests/corpus/passages/*.jsonl, format in that folder's README and docs/extraction.md):
`tune-*.jsonl` is what the reader may be tuned on; `holdout*.jsonl` is kept aside and never tuned on, so this script
prints only its totals and refuses `--errors` for it. For each part it prints, per key, how many figures the passages
state (expected), how many the reader gives (stated), how many of those are right, recall (right / expected) and
precision (right / stated); a figure the reader gives that the passage does not state counts against precision.
The last line is one JSON object with the totals of each part.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
PASSAGES = ROOT / "tests" / "corpus" / "passages"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def same(expected: float, got: object) -> bool:
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    return math.isclose(float(expected), float(got), rel_tol=0, abs_tol=0.005)


def score(passages: list[dict], read) -> tuple[dict, list[str]]:
    """Per key: expected, stated, right. Also the lines describing each error."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"expected": 0, "stated": 0, "right": 0})
    errors: list[str] = []
    for passage in passages:
        expected = passage.get("figures") or {}
        got = read(passage["text"])
        for key, value in expected.items():
            counts[key]["expected"] += 1
            if key not in got:
                errors.append(f"{passage['id']}: {key} missed (expected {value})")
        for key, value in got.items():
            counts[key]["stated"] += 1
            if key in expected and same(expected[key], value):
                counts[key]["right"] += 1
            elif key in expected:
                errors.append(f"{passage['id']}: {key} = {value}, expected {expected[key]}")
            else:
                errors.append(f"{passage['id']}: {key} = {value} not stated by the passage")
    return dict(counts), errors


def totals(counts: dict) -> dict:
    expected = sum(c["expected"] for c in counts.values())
    stated = sum(c["stated"] for c in counts.values())
    right = sum(c["right"] for c in counts.values())
    return {
        "expected": expected, "stated": stated, "right": right,
        "recall": round(right / expected, 3) if expected else None,
        "precision": round(right / stated, 3) if stated else None,
    }  # fmt: skip


def print_table(name: str, passages: int, counts: dict) -> None:
    print(f"\n== {name}: {passages} passages")
    print(f"{'key':32} {'expected':>8} {'stated':>7} {'right':>6} {'recall':>7} {'precision':>9}")
    for key in sorted(counts):
        c = counts[key]
        recall = f"{c['right'] / c['expected']:.2f}" if c["expected"] else "-"
        precision = f"{c['right'] / c['stated']:.2f}" if c["stated"] else "-"
        print(f"{key:32} {c['expected']:>8} {c['stated']:>7} {c['right']:>6} {recall:>7} {precision:>9}")
    t = totals(counts)
    print(f"{'TOTAL':32} {t['expected']:>8} {t['stated']:>7} {t['right']:>6} {t['recall'] or '-':>7} "
          f"{t['precision'] or '-':>9}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--part", choices=["tune", "holdout", "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="list every error (tuning part only)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from cchc.extraction import extract_text

    def read(text: str) -> dict:
        return extract_text(text).get("figures") or {}

    if args.files:
        parts = {"files": [p for f in args.files for p in load(f)]}
    else:
        parts = {}
        if args.part in ("tune", "all"):
            parts["tune"] = [p for f in sorted(PASSAGES.glob("tune*.jsonl")) for p in load(f)]
        if args.part in ("holdout", "all"):
            parts["holdout"] = [p for f in sorted(PASSAGES.glob("holdout*.jsonl")) for p in load(f)]
    if args.errors and ("holdout" in parts or any("holdout" in str(f) for f in args.files)):
        parser.error("--errors lists the errors of the tuning part only: the held-out part is never tuned on")
    summary = {}
    for name, passages in parts.items():
        if not passages:
            print(f"\n== {name}: no passages found")
            continue
        counts, errors = score(passages, read)
        print_table(name, len(passages), counts)
        if args.errors:
            print("\n".join(errors))
        summary[name] = {"passages": len(passages), **totals(counts)}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
