"""Speed of the Nghị định 30 renderer: render_docx on a ~10-page report, and its PDF conversion through LibreOffice.

Standalone, no database:

    .venv/bin/python bench/render_bench.py [--sections 3] [--repeats 20] [--pdf-repeats 3]

The document is the Quảng Trị-shaped example (cchc.reports.rendering.samples) with its body outline repeated
``--sections`` times and an appendix rating table of matching length. Prints the page count (from the PDF), the median
render_docx time over ``--repeats`` runs and the median to_pdf time over ``--pdf-repeats`` runs (each with a fresh
LibreOffice profile, as in production).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("CCHC_DATA_DIR", tempfile.mkdtemp(prefix="cchc-render-bench-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--pdf-repeats", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from cchc.reports.rendering import render_docx, to_pdf
    from cchc.reports.rendering.samples import quang_tri_annual_report

    document = quang_tri_annual_report(sections=args.sections)
    render_docx(document)  # warm-up: imports, template load
    docx_times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        data = render_docx(document)
        docx_times.append(time.perf_counter() - start)

    pdf_times = []
    pdf = b""
    for _ in range(args.pdf_repeats):
        start = time.perf_counter()
        pdf = to_pdf(data)
        pdf_times.append(time.perf_counter() - start)

    pages = "?"
    if shutil.which("pdfinfo"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
            pages = re.search(r"Pages:\s+(\d+)", info).group(1)

    print(f"document: {args.sections} outline sections, {pages} pages, docx {len(data) / 1024:.0f} KiB")
    print(
        f"render_docx: median {statistics.median(docx_times) * 1000:.1f} ms over {args.repeats} runs "
        f"(min {min(docx_times) * 1000:.1f}, max {max(docx_times) * 1000:.1f})"
    )
    print(
        f"to_pdf (LibreOffice headless): median {statistics.median(pdf_times):.2f} s over {args.pdf_repeats} runs "
        f"(min {min(pdf_times):.2f}, max {max(pdf_times):.2f})"
    )


if __name__ == "__main__":
    main()
