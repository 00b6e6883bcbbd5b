"""The extractor never crashes: arbitrary text gives well-formed JSON; an unreadable file gives ExtractionError."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.extraction import ExtractionError, extract, extract_text

# A report of our corpus with a header table, a results table and a signature table.
SAMPLE_DOCX = Path(__file__).resolve().parents[1] / "corpus" / "reports" / (
    "hagiang-skhcn-2022-moi-truong-kinh-doanh.docx"
)
CORPUS = Path(__file__).parent / "corpus"
KEYS = {"metadata", "references", "figures", "figure_sources", "tasks", "sections"}

# Text made of the pieces reports are made of, shuffled: it reaches the parsers' branches far more often than noise.
_PIECES = [
    "Số: 136 /BC-SKHCN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quảng Trị, ngày 19 tháng 11 năm 2020", "BÁO CÁO",
    "ngày   tháng 12 năm 2021", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nơi nhận:", "- Lưu: VT.", "Phụ lục 1",
    "I. KẾT QUẢ", "1. Công tác", "a) Nội dung", "Quyết định số 12/2020/QĐ-UBND ngày 12/5/2020", "12-NQ/TU",
    "đã tiếp nhận 88 hồ sơ", "8/43 nội dung kế hoạch", "mức độ 3", "mức độ 4", "không có hồ sơ trễ hạn",
    "TCVN ISO 9001:2015",
    "\t", "\n", " ", "x", "X", "Hoàn thành tốt", "Chưa hoàn thành", "STT\tNhiệm vụ\tKết quả", "1.176.355", "13,6/110",
    "<b>", "</b>", "**", "(", ")", ":", ";", "/", "-", "Văn bản số 5/SNV-VP", "Luật Đất đai năm 2013",
]


def _well_formed(result: dict) -> None:
    assert set(result) == KEYS
    json.loads(json.dumps(result, ensure_ascii=False))
    for value in result["figures"].values():
        assert isinstance(value, int | float)
    assert set(result["figure_sources"]) == set(result["figures"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_arbitrary_text_never_crashes(text):
    _well_formed(extract_text(text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=80))
def test_shuffled_report_pieces_never_crash(pieces):
    _well_formed(extract_text("".join(pieces)))


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=4000))
def test_random_bytes_as_any_format_give_a_result_or_a_clean_error(data):
    for name in ("report.docx", "report.txt", "report.pdf", "report"):
        try:
            _well_formed(extract(data, name))
        except ExtractionError as exc:
            assert str(exc)


def test_truncated_and_damaged_docx_give_a_clean_error():
    data = SAMPLE_DOCX.read_bytes()
    for cut in (0, 10, 100, len(data) // 2, len(data) - 10):
        with pytest.raises(ExtractionError):
            extract(data[:cut], "report.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(ExtractionError, match="docx"):
        extract(buf.getvalue(), "report.docx")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]  # XML cut in the middle
            dst.writestr(item, content)
    with pytest.raises(ExtractionError):
        extract(broken.getvalue(), "report.docx")


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=255))
def test_docx_with_a_flipped_byte_never_crashes(position, value):
    data = bytearray(SAMPLE_DOCX.read_bytes())
    data[position % len(data)] ^= value
    try:
        _well_formed(extract(bytes(data), "report.docx"))
    except ExtractionError:
        pass


def test_unsupported_and_binary_files_are_refused_with_a_message():
    with pytest.raises(ExtractionError, match=r"\.doc"):
        extract(b"\xd0\xcf\x11\xe0 old word", "report.doc")
    with pytest.raises(ExtractionError, match="xlsx"):
        extract(b"PK\x03\x04", "report.xlsx")
    with pytest.raises(ExtractionError):
        extract(b"\x00\x01\x02binary\x00", "report.txt")
    with pytest.raises(ExtractionError):
        extract(CORPUS / "does-not-exist.txt")


def test_pdf_is_read_through_pdftotext_or_refused_cleanly():
    with pytest.raises(ExtractionError, match="PDF"):
        extract(b"%PDF-1.4 broken", "report.pdf")


def test_text_in_other_encodings_and_line_endings():
    text = (CORPUS / "pdf-broken-lines.txt").read_text(encoding="utf-8")
    expected = extract_text(text)
    assert extract(text.replace("\n", "\r\n").encode("utf-8-sig"), "r.txt") == expected
    assert extract(text.encode("utf-16"), "r.txt") == expected


def test_truncated_pdf_gives_a_result_or_a_clean_error():
    data = SAMPLE_DOCX.with_suffix(".pdf").read_bytes()
    for cut in (10, 1000, len(data) // 2, len(data) - 100):
        try:
            _well_formed(extract(data[:cut], "report.pdf"))
        except ExtractionError as exc:
            assert str(exc)
