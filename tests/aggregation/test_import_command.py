"""`cchc import-reports`: a folder of reports (our corpus; the real samples too when they are beside the
repository), one progress line per file, a broken file reported and nothing written for it, exit code 1 when a file
failed, --confirm writes the figures, running again does nothing twice, and the officer's rights still apply on the
command line."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.aggregation.models import ImportedReport, ImportStatus, ReportedFigure
from cchc.audit.models import AuditEntry
from cchc.documents.models import Document

pytestmark = pytest.mark.django_db

BRVT = "bariavungtau-skhcn-2023-q1-cchc"  # Q1/2023, read in full
BINHDINH = "binhdinh-stnmt-2021-cchc-papi"  # the 2021 annual report with its plan appendix
HAGIANG = "hagiang-skhcn-2022-moi-truong-kinh-doanh"  # its title names no period


def run(*args: str) -> tuple[list[str], CommandError | None]:
    out = io.StringIO()
    error = None
    try:
        call_command("import_reports", *args, stdout=out)
    except CommandError as exc:
        error = exc
    return out.getvalue().splitlines(), error


@pytest.fixture
def folder(tmp_path, corpus):
    """Three .docx of the corpus, a damaged .docx, a spreadsheet that is not a report type, a Word lock file."""
    for name in (BRVT, BINHDINH, HAGIANG):
        shutil.copy(corpus(name).path("docx"), tmp_path / f"{name}.docx")
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


def _read(report) -> str:
    """What the progress line says of a report read in full: its documents and figures."""
    expected = report.expected
    return f"đã đọc, {len(expected['references'])} văn bản, {len(expected['figures'])} số liệu"


def test_a_folder_with_confirm_imports_the_good_files_reports_the_bad_one_and_exits_1(folder, agency, corpus):
    lines, error = run(str(folder), "--agency", "skhcn", "--confirm")
    assert error is not None and error.returncode == 1
    progress = [line for line in lines if line.startswith("[")]
    assert [re.match(r"\[(\d)/4\] (\S+):", line).groups() for line in progress] == [
        ("1", f"{BRVT}.docx"), ("2", f"{BINHDINH}.docx"), ("3", f"{HAGIANG}.docx"), ("4", "hong.docx"),
    ]  # fmt: skip
    brvt, binhdinh, hagiang, broken = progress
    assert brvt.startswith(f"[1/4] {BRVT}.docx: {_read(corpus(BRVT))}; đã xác nhận kỳ 2023-Q1:")
    read = re.match(rf"\[2/4\] {BINHDINH}\.docx: đã đọc, 10 văn bản, (\d+) số liệu; đã xác nhận kỳ 2021:", binhdinh)
    assert read, binhdinh
    # The line tells what was written: as many figures as it says.
    stored = ReportedFigure.objects.filter(agency=agency, source_name=f"{BINHDINH}.docx")
    assert stored.count() == int(read.group(1)) and stored.filter(period_key="2021").count() == stored.count()
    # The Hà Giang report's title names no period: read, waiting for review, not confirmed.
    assert hagiang.startswith(f"[3/4] {HAGIANG}.docx: lỗi: đã đọc, 5 văn bản, ")
    assert "nhưng chưa xác nhận" in hagiang and "Chưa xác định kỳ báo cáo" in hagiang
    assert broken.startswith("[4/4] hong.docx: lỗi: Không đọc được tệp hong.docx")
    assert lines[-1] == "Đã xử lý 4 tệp cho Sở Khoa học và Công nghệ: 2 thành công, 2 lỗi."

    statuses = dict(ImportedReport.objects.filter(agency=agency).values_list("file_name", "status"))
    assert statuses == {
        f"{BRVT}.docx": ImportStatus.CONFIRMED,
        f"{BINHDINH}.docx": ImportStatus.CONFIRMED,
        f"{HAGIANG}.docx": ImportStatus.PENDING,
    }
    received = ReportedFigure.objects.get(agency=agency, period_key="2023-Q1", key="dossiers_received")
    assert received.value == 74 and received.source_name == f"{BRVT}.docx"
    assert not ReportedFigure.objects.filter(agency=agency, source_name=f"{HAGIANG}.docx").exists()


def test_running_again_does_nothing_twice_and_a_period_completes_the_pending_one(folder, agency, corpus):
    run(str(folder), "--agency", "SKHCN", "--confirm")
    before = _counts(agency)
    good = [str(folder / f"{BRVT}.docx"), str(folder / f"{BINHDINH}.docx")]
    lines, error = run(*good, "--agency", "SKHCN", "--confirm")
    assert error is None
    brvt = corpus(BRVT).expected
    assert lines[0] == (
        f"[1/2] {BRVT}.docx: đã có từ trước (đã xác nhận), {len(brvt['references'])} văn bản, "
        f"{len(brvt['figures'])} số liệu; đã xác nhận trước đó, không nhập lại"
    )
    assert _counts(agency) == before

    lines, error = run(str(folder / f"{HAGIANG}.docx"), "--agency", "SKHCN", "--confirm", "--period", "2022-H1")
    assert error is None
    assert re.match(rf"\[1/1\] {HAGIANG}\.docx: đã có từ trước \(chờ rà soát\), 5 văn bản, \d+ số liệu; "
                    "đã xác nhận kỳ 2022-H1:", lines[0]), lines[0]
    assert ImportedReport.objects.get(agency=agency, file_name=f"{HAGIANG}.docx").period_key == "2022-H1"
    assert ReportedFigure.objects.get(agency=agency, period_key="2022-H1", key="dossiers_received").value == 64


def test_without_confirm_files_only_wait_for_review(agency, corpus):
    paths = [str(corpus(name).path("txt")) for name in (BRVT, BINHDINH)]
    lines, error = run(*paths, "--agency", "SKHCN")
    assert error is None
    assert lines[0] == f"[1/2] {BRVT}.txt: {_read(corpus(BRVT))}"
    assert re.fullmatch(rf"\[2/2\] {BINHDINH}\.txt: đã đọc, 10 văn bản, \d+ số liệu", lines[1]), lines[1]
    assert set(ImportedReport.objects.values_list("status", flat=True)) == {ImportStatus.PENDING}
    assert not ReportedFigure.objects.exists()
    assert not Document.objects.exists()


def test_a_folder_of_the_real_samples(tmp_path, agency, shared_samples):
    names = ("bariavungtau-2023-q1-cchc", "caobang-2023-q1-moi-truong-kinh-doanh", "quangtri-2020-cchc-papi")
    for name in names:
        shutil.copy(shared_samples / f"{name}.docx", tmp_path / f"{name}.docx")
    lines, error = run(str(tmp_path), "--agency", "SKHCN", "--confirm")
    assert error is not None and error.returncode == 1
    brvt, caobang, quangtri = (line for line in lines if line.startswith("["))
    assert brvt.startswith(f"[1/3] {names[0]}.docx: đã đọc, 31 văn bản, 20 số liệu; đã xác nhận kỳ 2023-Q1:")
    assert caobang.startswith(f"[2/3] {names[1]}.docx: lỗi: đã đọc, 27 văn bản, 11 số liệu, nhưng chưa xác nhận")
    assert quangtri.startswith(f"[3/3] {names[2]}.docx: đã đọc, 102 văn bản, 11 số liệu; đã xác nhận kỳ 2020:")
    assert ReportedFigure.objects.get(agency=agency, period_key="2023-Q1", key="dossiers_received").value == 88


def test_bad_arguments_are_refused_before_anything_is_read(agency, foreign_agency, tmp_path, corpus):
    sample = str(corpus(BRVT).path("txt"))
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


def test_a_user_without_the_right_to_import_is_refused_and_nothing_is_read(
    agency, viewer, make_user, other_agency, corpus
):
    sample = str(corpus(BRVT).path("txt"))
    _lines, error = run(sample, "--agency", "SKHCN", "--user", viewer.username, "--confirm")
    assert error is not None and "không có quyền nhập báo cáo" in str(error)
    assert not ImportedReport.objects.exists()
    # The province's aggregator may import for its members, as on the web.
    make_user("tonghop", other_agency, "aggregator")
    lines, error = run(sample, "--agency", "SKHCN", "--user", "tonghop", "--confirm")
    assert error is None and "đã xác nhận kỳ 2023-Q1" in lines[0]
    assert ImportedReport.objects.get(agency=agency).confirmed_by.username == "tonghop"


def test_a_stored_figure_reads_in_words_where_the_admin_lists_it(folder, agency):
    """The agency's delete confirmation lists its figures: a period label, the figure's meaning and the number,
    never the key or a four-decimal value."""
    run(str(folder), "--agency", "skhcn", "--confirm")
    received = ReportedFigure.objects.get(agency=agency, period_key="2023-Q1", key="dossiers_received")
    text = str(received)
    assert text == f"{agency.name}, Quý I năm 2023: Tổng số hồ sơ tiếp nhận trong kỳ 74", text
    assert "dossiers_received" not in text and ".0000" not in text and "2023-Q1" not in text
