"""A report that arrives as PDF (here: the Bà Rịa - Vũng Tàu sample printed to PDF by LibreOffice) reads like its
.docx: the two-column header that pdftotext lays on shared lines must not leak the national name into the agency."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.extraction import extract
from cchc.reports.rendering.pdf import to_pdf

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "reports" / "bariavungtau-2023-q1-cchc.docx"


@pytest.fixture(scope="module")
def as_pdf() -> bytes:
    return to_pdf(SAMPLE.read_bytes())


def test_pdf_gives_the_same_metadata_figures_and_references_as_the_docx(as_pdf):
    from_docx = extract(SAMPLE)
    from_pdf = extract(as_pdf, "bao-cao.pdf")

    assert from_pdf["metadata"]["agency"] == "Sở Khoa học và Công nghệ"
    assert from_pdf["metadata"]["province"] == "Bà Rịa - Vũng Tàu"
    assert from_pdf["metadata"]["signer_name"] == from_docx["metadata"]["signer_name"]
    assert from_pdf["figures"]["dossiers_received"] == 88
    assert from_pdf["figures"] == from_docx["figures"]
    pdf_refs = [(r["number"], r["symbol"]) for r in from_pdf["references"]]
    docx_refs = [(r["number"], r["symbol"]) for r in from_docx["references"]]
    assert pdf_refs == docx_refs
