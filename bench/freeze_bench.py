"""What freezing a report costs and what it saves: submitting keeps the figures, .docx, .xlsx and PDF; a download of
the frozen report then reads the kept bytes instead of rebuilding (and converting) from the data.

Standalone, on a throw-away SQLite database unless DATABASE_URL is set (then that database, migrated first):

    .venv/bin/python bench/freeze_bench.py [--dossiers 20000] [--repeats 5]

It creates an agency with `dossiers` dossiers in Q1 2023, a quarterly report, then times: building the live .docx
(what every download did before), submitting (freeze: figures, previews, .docx, .xlsx; then the PDF conversion),
and reading the kept .docx and PDF as the download view does. The last line is JSON.
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
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    data_dir = tempfile.mkdtemp(prefix="cchc-freeze-bench-")
    os.environ.setdefault("CCHC_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 1)


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return times


def build_data(count: int):
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from cchc.agencies.models import Agency, Province
    from cchc.dossiers.models import Dossier
    from cchc.procedures.models import Field, Procedure

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    province, _ = Province.objects.get_or_create(code="H99", defaults={"name": "Tỉnh Thử Nghiệm"})
    agency, _ = Agency.objects.get_or_create(
        province=province, code="SBENCH", defaults={"name": "Sở Thử Nghiệm", "electronic_id": "000.00.99.H99"}
    )
    field, _ = Field.objects.get_or_create(name="Hoạt động khoa học và công nghệ")
    procedure, _ = Procedure.objects.get_or_create(
        agency=agency, code="9.999999", effective_from=dt.date(2020, 1, 1),
        defaults={"name": "Thủ tục thử nghiệm", "field": field, "processing_time": Decimal("10")},
    )  # fmt: skip
    existing = Dossier.objects.filter(agency=agency).count()
    rows = []
    for n in range(existing, count):
        day = dt.date(2022, 12, 15) + dt.timedelta(days=n % 88)
        received = dt.datetime(day.year, day.month, day.day, 9, tzinfo=tz)
        ended = day + dt.timedelta(days=n % 9) if n % 4 else None
        rows.append(
            Dossier(
                agency=agency, procedure=procedure, code=f"B{n:08d}", applicant_name=f"Chủ hồ sơ {n}",
                channel=1 + n % 3, received_at=received, received_on=day, due_at=received + dt.timedelta(days=7),
                due_date=day + dt.timedelta(days=7), status="resolved" if ended else "in_process",
                ended_at=received + dt.timedelta(days=n % 9) if ended else None, ended_on=ended,
                outcome="resolved" if ended else "",
            )  # fmt: skip
        )
    Dossier.objects.bulk_create(rows, batch_size=5000)
    return agency


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from cchc.reports import builder, freeze, services
    from cchc.reports.models import ReportVersion

    agency = build_data(args.dossiers)
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", None)
    live_docx = timed(lambda: builder.build_docx(report), args.repeats)

    began = time.perf_counter()
    services.submit(report, None, keep_pdf=False)
    freeze_s = time.perf_counter() - began
    report.refresh_from_db()
    version = ReportVersion.objects.get(pk=report.frozen_version_id)
    began = time.perf_counter()
    freeze.keep_pdf(version)
    pdf_s = time.perf_counter() - began

    def read_kept(fmt: str):
        return lambda: bytes(getattr(freeze.frozen_version(report), fmt) or b"")

    kept_docx = timed(read_kept("docx"), args.repeats)
    kept_pdf = timed(read_kept("pdf"), args.repeats)
    figures = {
        "dossiers": args.dossiers,
        "live_docx_ms": median_ms(live_docx),
        "freeze_ms": round(freeze_s * 1000, 1),
        "keep_pdf_ms": round(pdf_s * 1000, 1),
        "kept_docx_ms": median_ms(kept_docx),
        "kept_pdf_ms": median_ms(kept_pdf),
        "pdf_kept": bool(version.pdf),
        "docx_bytes": len(bytes(version.docx)),
        "pdf_bytes": len(bytes(version.pdf or b"")),
    }
    print(f"{args.dossiers} dossiers in Q1 2023")
    print(f"live .docx build (every download before)   median {figures['live_docx_ms']:8.1f} ms")
    print(f"submit: freeze figures, .docx, .xlsx      once   {figures['freeze_ms']:8.1f} ms")
    print(f"submit: PDF conversion of the kept .docx  once   {figures['keep_pdf_ms']:8.1f} ms")
    print(f"download of the kept .docx                median {figures['kept_docx_ms']:8.1f} ms")
    print(f"download of the kept PDF (no LibreOffice) median {figures['kept_pdf_ms']:8.1f} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
