"""`cchc import-reports`: a folder of the real samples, one progress line per file, a broken file reported and
nothing written for it, exit code 1 when a file failed, --confirm writes the figures, running again does nothing
twice, and the officer's rights still apply on the command line."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.audit.models import AuditEntry
from cchc.documents.models import Document
from cchc.reports.models import ImportedReport, ImportStatus, ReportedFigure

pytestmark = pytest.mark.django_db

SAMPLES = Path("/work/shared/samples/reports")
BRVT = "bariavungtau-2023-q1-cchc"
CAOBANG = "caobang-2023-q1-moi-truong-kinh-doanh"
QUANGTRI = "quangtri-2020-cchc-papi"


def run(*args: str) -> tuple[list[str], CommandError | None]:
    out = io.StringIO()
    error = None
    try:
        call_command("import_reports", *args, stdout=out)
    except CommandError as exc:
        error = exc
    return out.getvalue().splitlines(), error


@pytest.fixture
def folder(tmp_path):
    """The three .docx samples, a damaged .docx, a spreadsheet that is not a report type, a Word lock file."""
    for name in (BRVT, CAOBANG, QUANGTRI):
        shutil.copy(SAMPLES / f"{name}.docx", tmp_path / f"{name}.docx")
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 this is not a real docx")
    (tmp_path / "so-lieu.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / f"~${BRVT}.docx").write_bytes(b"lock")
    return tmp_path


def _counts(agency) -> tuple[int, ...]:
    return (
        ImportedReport.objects.filter(agency=agency).count(),
        ReportedFigure.objects.filter(agency=agency).count(),
        Document.objects.filter(agency=agency).count(),
        AuditEntry.objects.count(),
    )


def test_a_folder_with_confirm_imports_the_good_files_reports_the_bad_one_and_exits_1(folder, agency):
    lines, error = run(str(folder), "--agency", "skhcn", "--confirm")
    assert error is not None and error.returncode == 1
    progress = [line for line in lines if line.startswith("[")]
    assert [re.match(r"\[(\d)/4\] (\S+):", line).groups() for line in progress] == [
        ("1", f"{BRVT}.docx"), ("2", f"{CAOBANG}.docx"), ("3", "hong.docx"), ("4", f"{QUANGTRI}.docx"),
    ]  # fmt: skip
    brvt, caobang, broken, quangtri = progress
    assert brvt.startswith(f"[1/4] {BRVT}.docx: đã đọc, 31 văn bản, 20 số liệu; đã xác nhận kỳ 2023-Q1:")
    # The Cao Bằng report's title names no period: read, waiting for review, not confirmed.
    assert caobang.startswith(f"[2/4] {CAOBANG}.docx: lỗi: đã đọc, 27 văn bản, 11 số liệu, nhưng chưa xác nhận")
    assert "Chưa xác định kỳ báo cáo" in caobang
    assert broken.startswith("[3/4] hong.docx: lỗi: Không đọc được tệp hong.docx")
    assert quangtri.startswith(f"[4/4] {QUANGTRI}.docx: đã đọc, 102 văn bản, 11 số liệu; đã xác nhận kỳ 2020:")
    assert lines[-1] == "Đã xử lý 4 tệp cho Sở Khoa học và Công nghệ: 2 thành công, 2 lỗi."

    statuses = dict(ImportedReport.objects.filter(agency=agency).values_list("file_name", "status"))
    assert statuses == {
        f"{BRVT}.docx": ImportStatus.CONFIRMED,
        f"{CAOBANG}.docx": ImportStatus.PENDING,
        f"{QUANGTRI}.docx": ImportStatus.CONFIRMED,
    }
    received = ReportedFigure.objects.get(agency=agency, period_key="2023-Q1", key="dossiers_received")
    assert received.value == 88 and received.source_name == f"{BRVT}.docx"
    assert not ReportedFigure.objects.filter(agency=agency, source_name=f"{CAOBANG}.docx").exists()


def test_running_again_does_nothing_twice_and_a_period_completes_the_pending_one(folder, agency):
    run(str(folder), "--agency", "SKHCN", "--confirm")
    before = _counts(agency)
    good = [str(folder / f"{BRVT}.docx"), str(folder / f"{QUANGTRI}.docx")]
    lines, error = run(*good, "--agency", "SKHCN", "--confirm")
    assert error is None
    assert lines[0] == (
        f"[1/2] {BRVT}.docx: đã có từ trước (đã xác nhận), 31 văn bản, 20 số liệu; đã xác nhận trước đó, không nhập lại"
    )
    assert _counts(agency) == before

    lines, error = run(str(folder / f"{CAOBANG}.docx"), "--agency", "SKHCN", "--confirm", "--period", "2023-Q1")
    assert error is None
    assert lines[0].startswith(f"[1/1] {CAOBANG}.docx: đã có từ trước (chờ rà soát), 27 văn bản, 11 số liệu; "
                               "đã xác nhận kỳ 2023-Q1:")  # fmt: skip
    assert ImportedReport.objects.get(agency=agency, file_name=f"{CAOBANG}.docx").period_key == "2023-Q1"


def test_without_confirm_files_only_wait_for_review(agency):
    paths = [str(SAMPLES / f"{name}.txt") for name in (BRVT, QUANGTRI)]
    lines, error = run(*paths, "--agency", "SKHCN")
    assert error is None
    assert lines[:2] == [f"[1/2] {BRVT}.txt: đã đọc, 31 văn bản, 20 số liệu",
                         f"[2/2] {QUANGTRI}.txt: đã đọc, 102 văn bản, 11 số liệu"]  # fmt: skip
    assert set(ImportedReport.objects.values_list("status", flat=True)) == {ImportStatus.PENDING}
    assert not ReportedFigure.objects.exists()
    assert not Document.objects.exists()


def test_bad_arguments_are_refused_before_anything_is_read(agency, foreign_agency, tmp_path):
    sample = str(SAMPLES / f"{BRVT}.txt")
    for args, message in [
        ((sample, "--agency", "KHONGCO"), "Không tìm thấy cơ quan có ký hiệu KHONGCO"),
        ((sample, "--agency", "SKHCN"), "Có nhiều cơ quan ký hiệu SKHCN"),  # two provinces have one
        ((str(tmp_path / "khong-co.docx"), "--agency", "SKHCN", "--province", "H45"), "Không có tệp hoặc thư mục"),
        ((str(tmp_path), "--agency", "SKHCN", "--province", "H45"), "Không thấy tệp báo cáo nào"),
        ((sample, "--agency", "SKHCN", "--province", "H45", "--user", "ai-do"), "Không tìm thấy người dùng ai-do"),
        ((sample, "--agency", "SKHCN", "--province", "H45", "--period", "2023-Q9"), ""),
    ]:
        _lines, error = run(*args)
        assert error is not None and message in str(error), args
    assert not ImportedReport.objects.exists()


def test_a_user_without_the_right_to_import_is_refused_and_nothing_is_read(agency, viewer, make_user, other_agency):
    sample = str(SAMPLES / f"{BRVT}.txt")
    _lines, error = run(sample, "--agency", "SKHCN", "--user", viewer.username, "--confirm")
    assert error is not None and "không có quyền nhập báo cáo" in str(error)
    assert not ImportedReport.objects.exists()
    # The province's aggregator may import for its members, as on the web.
    make_user("tonghop", other_agency, "aggregator")
    lines, error = run(sample, "--agency", "SKHCN", "--user", "tonghop", "--confirm")
    assert error is None and "đã xác nhận kỳ 2023-Q1" in lines[0]
    assert ImportedReport.objects.get(agency=agency).confirmed_by.username == "tonghop"
