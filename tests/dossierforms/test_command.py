"""`cchc dossier-form`: a form as .docx and PDF, --list, the register, and each error in Vietnamese."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.management import CommandError, call_command

from cchc.dossierforms.catalogue import FormCode

from .test_forms import text_of, with_event

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("dossier_form", *args, stdout=out)
    return out.getvalue()


def test_receipt_docx_and_pdf(nd118_dossier, tmp_path):
    target = tmp_path / "giay.docx"
    out = run(nd118_dossier.code, "--agency", "skhcn", "--form", "tiep-nhan", "-o", str(target), "--pdf")
    assert f"Đã ghi {target}" in out and f"Đã ghi {tmp_path / 'giay.pdf'}" in out
    assert nd118_dossier.code in text_of(target.read_bytes())
    text = subprocess.run(["pdftotext", str(tmp_path / "giay.pdf"), "-"], capture_output=True, text=True).stdout
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text


def test_list_names_every_form_of_each_regime():
    out = run("--list")
    assert "Nghị định 61/2018/NĐ-CP:" in out and "Nghị định 118/2025/NĐ-CP:" in out
    for code in FormCode.values:
        assert code in out
    assert "Mẫu số 05 Thông tư 03/2025/TT-VPCP: Thông báo dừng giải quyết hồ sơ" in out


def test_register_from_the_command_line(nd118_dossier, tmp_path):
    target = tmp_path / "so.docx"
    run("--form", "so-theo-doi", "--agency", "SKHCN", "--from", "2025-08-01", "--to", "2025-08-31", "-o", str(target))
    assert nd118_dossier.code in text_of(target.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{code}", "--form", "giay-phep", "-o", "x.docx"], "Không có biểu mẫu «giay-phep»"),
        (["000-KHONG-CO", "--form", "tiep-nhan", "-o", "x.docx"], "Không có hồ sơ mã «000-KHONG-CO»"),
        (["{code}", "--agency", "SNV", "--form", "tiep-nhan", "-o", "x.docx"], "của cơ quan «SNV»"),
        (["{code}", "--form", "dung", "-o", "x.docx"], "không có mẫu thông báo dừng"),
        (["{code}", "--form", "xin-loi", "-o", "x.docx"], "chưa có văn bản xin lỗi"),
        (["{code}", "--form", "tiep-nhan"], "Thiếu -o"),
        (["{code}", "-o", "x.docx"], "Thiếu --form"),
        (["--form", "tiep-nhan", "-o", "x.docx"], "Thiếu mã hồ sơ"),
        (["--form", "so-theo-doi", "--agency", "SKHCN", "--from", "1/8/2025", "-o", "x.docx"], "dạng YYYY-MM-DD"),
    ],
)
def test_errors(nd61_dossier, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        run(*[a.replace("{code}", nd61_dossier.code) for a in args])
    assert not (tmp_path / "x.docx").exists()


def test_a_form_whose_event_happened_prints(nd61_dossier, officer, unit, tmp_path):
    with_event(nd61_dossier, FormCode.REFUSAL, officer, unit)
    run(nd61_dossier.code, "--form", "tu-choi", "-o", str(tmp_path / "tu-choi.docx"))
    assert "Thiết bị không thuộc danh mục được cấp phép" in text_of((tmp_path / "tu-choi.docx").read_bytes())
