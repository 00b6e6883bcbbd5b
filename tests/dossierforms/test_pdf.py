"""Each form of both regimes through LibreOffice: one A4 page (the register landscape), the quốc hiệu, title and
filled fields in the PDF's text (poppler's pdftotext), and the receipt's QR code still a picture of the code."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from cchc.dossierforms import services
from cchc.dossierforms.catalogue import SPECS, FormCode
from cchc.dossierforms.filling import QR_BORDER
from cchc.dossiers.models import Regime
from cchc.reports.rendering import render_docx, to_pdf

from .pngread import modules
from .test_forms import add_handovers, matrix_of, with_event

pytestmark = pytest.mark.django_db
FORMS = list(SPECS)


def pdf_text(path: Path) -> str:
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout.split()
    )


def page_sizes(path: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-l", "99", str(path)], check=True, capture_output=True, text=True).stdout
    return [tuple(float(v) for v in line.split(":")[1].split("pts")[0].split(" x ")) for line in out.splitlines()
            if line.startswith("Page") and "size" in line]  # fmt: skip


@pytest.fixture
def artifacts(tmp_path) -> Path:
    # CCHC_TEST_ARTIFACTS keeps the PDFs and their PNG pages for a person to look at.
    folder = Path(os.environ.get("CCHC_TEST_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(("regime", "form"), FORMS, ids=[f"{r}-{f}" for r, f in FORMS])
def test_form_as_pdf(regime, form, nd61_dossier, nd118_dossier, officer, unit, one_stop_staff, agency, artifacts):
    dossier = nd61_dossier if regime == Regime.ND61 else nd118_dossier
    if form == FormCode.REGISTER:
        day = dossier.received_on
        docx = render_docx(services.register_document(agency, day.replace(day=1), day + dt.timedelta(days=3),
                                                      regime=regime))  # fmt: skip
    else:
        with_event(dossier, form, officer, unit)
        if form == FormCode.CONTROL:
            add_handovers(dossier, unit, one_stop_staff, officer)
        docx = services.dossier_docx(dossier, form)
    path = artifacts / f"{regime}-{form}.pdf"
    path.write_bytes(to_pdf(docx))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(path.with_suffix(""))],
                   check=True)  # fmt: skip
    sizes = page_sizes(path)
    assert len(sizes) == 1, f"{form}: {len(sizes)} trang"
    width, height = sizes[0]
    assert (round(width), round(height)) == ((842, 595) if form == FormCode.REGISTER else (595, 842))
    text = pdf_text(path)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                     dossier.code):  # fmt: skip
        assert expected in text, expected
    if form == FormCode.RECEIPT:
        assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "Bệnh viện Đa khoa tỉnh Quảng Trị" in text
        subprocess.run(["pdfimages", "-png", str(path), str(artifacts / f"{regime}-qr")], check=True)
        [png] = sorted(artifacts.glob(f"{regime}-qr-*.png"))
        expected = matrix_of(dossier.code)
        assert modules(png.read_bytes(), len(expected), QR_BORDER) == expected
