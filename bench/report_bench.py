"""Time to build the quarterly CCHC report .docx from a database of a million dossiers, and the PDF conversion.

Standalone. The target database comes from DATABASE_URL; fill it first with the demo's large data set:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench11 .venv/bin/cchc migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench11 .venv/bin/cchc demo --large --dossiers 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench11 .venv/bin/python bench/report_bench.py
    options: [--agency CODE] [--period 2025-Q4] [--repeats 10] [--pdf-repeats 3]

It migrates the database, picks the agency with the most dossiers (or --agency), creates or reuses its draft
quarterly report, then times build_docx (statistics + plans + registry queries + rendering; goal < 1 s) `repeats`
times and prints the median, with the statistics and the rendering timed apart; then the LibreOffice conversion of
that .docx to PDF.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    if not os.environ.get("CCHC_DATA_DIR"):
        os.environ["CCHC_DATA_DIR"] = tempfile.mkdtemp(prefix="cchc-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def timed(function, repeats: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return times, result


def describe(name: str, times: list[float]) -> str:
    return (
        f"{name:<34} median {statistics.median(times) * 1000:8.1f} ms   "
        f"min {min(times) * 1000:8.1f} ms   max {max(times) * 1000:8.1f} ms   (n={len(times)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agency", help="agency code (default: the one with the most dossiers)")
    parser.add_argument("--period", default="2025-Q4")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--pdf-repeats", type=int, default=3)
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.db.models import Count

    from cchc.agencies.models import Agency
    from cchc.dossiers.models import Dossier
    from cchc.reports.builder import build_document, build_docx
    from cchc.reports.rendering import render_docx, to_pdf
    from cchc.reports.services import find_or_create_draft
    from cchc.statistics.periods import parse_period
    from cchc.statistics.service import compute

    total = Dossier.objects.count()
    if args.agency:
        agency = Agency.objects.get(code=args.agency)
    else:
        top = Dossier.objects.values("agency").annotate(n=Count("pk")).order_by("-n").first()
        if top is None:
            sys.exit("No dossiers: run `cchc demo --large --dossiers 1000000` on this database first.")
        agency = Agency.objects.get(pk=top["agency"])
    period = parse_period(args.period)
    report = find_or_create_draft(agency, "cchc-quarterly", period, None)
    own = Dossier.objects.filter(agency=agency).count()
    print(f"database: {connection.vendor}, {total:,} dossiers; agency {agency.code} ({own:,} dossiers)")
    print(f"report: {report.title.splitlines()[0]} – {period.label} ({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y})")

    build_docx(report)  # warm-up: imports, template loading, caches of the database
    docx_times, docx = timed(lambda: build_docx(report), args.repeats)
    stats_times, stats = timed(lambda: compute(period, agencies=[agency]), args.repeats)
    document = build_document(report)
    render_times, _ = timed(lambda: render_docx(document), args.repeats)
    figures = stats.dossiers
    print(f"figures: received {figures.received_total}, resolved {figures.resolved}, in progress {figures.in_progress}")
    print(describe("build_docx (whole report)", docx_times))
    print(describe("  of which compute() statistics", stats_times))
    print(describe("  of which render_docx()", render_times))
    verdict = "OK" if statistics.median(docx_times) < 1 else "MISSED"
    print(f".docx size: {len(docx) / 1024:.0f} KiB; goal < 1000 ms: {verdict}")
    if args.pdf_repeats:
        pdf_times, pdf = timed(lambda: to_pdf(docx), args.pdf_repeats)
        print(describe("PDF conversion (LibreOffice)", pdf_times))
        print(f"PDF size: {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
