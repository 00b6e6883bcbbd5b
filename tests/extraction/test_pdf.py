"""A report that arrives as PDF reads like its .docx: the two-column header that pdftotext lays on shared lines must
not leak the national name into the agency, and the figures and references are the same. The PDF is made at test
time by cchc's own converter (LibreOffice) from the demo's sample reports, and from a real sample when present."""

from __future__ import annotations

import pytest

from cchc.demo.ministry import SAMPLE_REPORTS
from cchc.extraction import extract
from cchc.reports.rendering.pdf import to_pdf

DEMO_REPORTS = ["bariavungtau-skhcn-2023-q1-cchc.docx", "caobang-skhcn-2023-q1-moi-truong-kinh-doanh.docx"]


def _same_reading(docx_bytes: bytes) -> tuple[dict, dict]:
    from_docx = extract(docx_bytes, "bao-cao.docx")
    from_pdf = extract(to_pdf(docx_bytes), "bao-cao.pdf")
    assert "VIỆT NAM" not in (from_pdf["metadata"]["agency"] or "")
    assert from_pdf["metadata"]["signer_name"] == from_docx["metadata"]["signer_name"]
    assert from_pdf["figures"] == from_docx["figures"]
    assert [(r["number"], r["symbol"]) for r in from_pdf["references"]] == [
        (r["number"], r["symbol"]) for r in from_docx["references"]
    ]
    return from_docx, from_pdf


@pytest.mark.parametrize("name", DEMO_REPORTS)
def test_pdf_gives_the_same_metadata_figures_and_references_as_the_docx(name, corpus):
    expected = corpus(name.removesuffix(".docx")).expected
    from_docx, from_pdf = _same_reading((SAMPLE_REPORTS / name).read_bytes())
    assert from_pdf["metadata"] == from_docx["metadata"] == expected["metadata"]
    assert from_pdf["figures"]["dossiers_received"] == expected["figures"]["dossiers_received"]


def test_the_real_sample_as_pdf_reads_like_its_docx(shared_samples):
    _from_docx, from_pdf = _same_reading((shared_samples / "bariavungtau-2023-q1-cchc.docx").read_bytes())
    assert from_pdf["metadata"]["agency"] == "Sở Khoa học và Công nghệ"
    assert from_pdf["metadata"]["province"] == "Bà Rịa - Vũng Tàu"
    assert from_pdf["figures"]["dossiers_received"] == 88
