"""Amplifying inputs for the extractor: texts and .docx files whose size grows with `n` along the one dimension that
made reading super-linear before (a line repeated, a table's rows, a cell's lines, references, numbers, brackets).

Used by tests/extraction/test_linear_time.py (time for 8n bounded by a multiple of the time for n) and by
bench/extract_scaling.py (times for 1x, 2x, 4x, 8x). Every generator returns (bytes, filename) so one call of
cchc.extraction.extract() reads it exactly as an upload; `n` is the unit count at 1x, each generator's BASE is the n
of its 1x. The sentences are the project's own.
"""

from __future__ import annotations

import io
from collections.abc import Callable

_HEADER = [
    "UBND TỈNH QUẢNG TRỊ",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "Số: 88/BC-SKHCN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Quảng Trị, ngày 20 tháng 6 năm 2024",
    "BÁO CÁO",
    "Kết quả cải cách hành chính 6 tháng đầu năm 2024",
]
_SIGNATURE = ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Văn Minh"]
# A line cut mid-sentence by a page break: lower case at the start, no full stop at the end, so each copy is joined to
# the one before it (the 13 KB .docx of issue 10 that took 61 s).
_BROKEN_LINE = (
    "tiếp tục rà soát quy trình theo Quyết định số 12/QĐ-UBND ngày 10/01/2023 của UBND tỉnh về việc sắp xếp lại "
    "các bước nội bộ khi nhận hồ sơ và tiếp nhận 88 hồ sơ"
)
_TASK_HEADER = ["STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Kết quả thực hiện", "Đánh giá"]


def report_lines(lines: list[str]) -> str:
    return "\n".join([*_HEADER, *lines, *_SIGNATURE]) + "\n"


def _docx(paragraphs: list[str], tables: list[list[list[str]]] = ()) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=False):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _task_rows(n: int) -> list[list[str]]:
    rows = [_TASK_HEADER]
    for i in range(n):
        if i % 20 == 0:
            rows.append([_roman(i // 20 + 1), f"Nhóm nhiệm vụ số {i // 20 + 1}", "", "", "", ""])
        rows.append(
            [
                str(i + 1),
                f"Rà soát thủ tục hành chính số {i}",
                "Báo cáo",
                f"Quý {i % 4 + 1}/2024",
                f"Đã ban hành văn bản số {i + 1}/SKHCN-VP",
                "Hoàn thành",
            ]
        )
        if i % 3 == 0:  # the rest of a row that a page break split
            rows.append(["", "và công khai trên cổng thông tin", "", "", "", ""])
    return rows


def _roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while value >= number:
            out += letters
            value -= number
    return out


def repeated_line_txt(n: int) -> tuple[bytes, str]:
    return report_lines([_BROKEN_LINE] * n).encode(), "repeated-line.txt"


def repeated_line_docx(n: int) -> tuple[bytes, str]:
    return _docx([*_HEADER, *([_BROKEN_LINE] * n), *_SIGNATURE]), "repeated-line.docx"


def repeated_sentence_txt(n: int) -> tuple[bytes, str]:
    lines = ["Sở đã tiếp nhận 88 hồ sơ, giải quyết đúng hạn 80 hồ sơ."] * n
    return report_lines(lines).encode(), "repeated-sentence.txt"


def huge_table_txt(n: int) -> tuple[bytes, str]:
    return report_lines(["\t".join(row) for row in _task_rows(n)]).encode(), "huge-table.txt"


def huge_table_docx(n: int) -> tuple[bytes, str]:
    return _docx([*_HEADER, "Phụ lục", "Kết quả thực hiện nhiệm vụ"], [_task_rows(n)]), "huge-table.docx"


def continuation_rows_txt(n: int) -> tuple[bytes, str]:
    """A task row followed by `n` rows that each continue its text (no code, lower case)."""
    rows = [_TASK_HEADER, ["1", "Rà soát thủ tục", "", "", "Đã rà soát", "Hoàn thành"]]
    rows += [["", f"và công khai kết quả lần {i}", "", "", "", ""] for i in range(n)]
    return report_lines(["\t".join(row) for row in rows]).encode(), "continuation-rows.txt"


def tall_cell_docx(n: int) -> tuple[bytes, str]:
    """A task table whose result cell holds `n` lines (python-docx joins a cell's paragraphs with line breaks)."""
    cell = "\n".join(f"lần {i} đã rà soát thủ tục" for i in range(n))
    rows = [_TASK_HEADER, ["1", "Rà soát thủ tục", "Báo cáo", "Quý 2/2024", cell, "Hoàn thành"]]
    return _docx(_HEADER, [rows]), "tall-cell.docx"


def long_line_txt(n: int) -> tuple[bytes, str]:
    """One line of 12n words, no punctuation at all."""
    words = " ".join(["tiếp nhận hồ sơ trực tuyến của tổ chức công dân tại bộ phận"] * n)
    return report_lines([words]).encode(), "long-line.txt"


def nested_parentheses_txt(n: int) -> tuple[bytes, str]:
    inner = "tiếp nhận 12 hồ sơ theo Quyết định số 5/QĐ-UBND"
    return report_lines(["Sở " + "(" * n + inner + ")" * n + " trong kỳ."]).encode(), "nested-parentheses.txt"


def markup_remnants_txt(n: int) -> tuple[bytes, str]:
    """Brackets and tags left by a conversion, unclosed: "[" * n, "<li" * n, "<http" * n on one line."""
    line = "Sở " + "[" * n + "]x](y) " + "<li" * n + " " + "<http" * n + " tiếp nhận 5 hồ sơ."
    return report_lines([line]).encode(), "markup-remnants.txt"


def many_numbers_txt(n: int) -> tuple[bytes, str]:
    numbers = " ".join(f"{i}.{i % 1000:03d}.{i % 997:03d},5 hồ sơ/{i}" for i in range(n))
    return report_lines([f"Sở đã tiếp nhận {numbers} trong kỳ."]).encode(), "many-numbers.txt"


def many_references_txt(n: int) -> tuple[bytes, str]:
    refs = "; ".join(
        f"Quyết định số {i + 1}/QĐ-UBND ngày 10/01/2023 của UBND tỉnh về việc ban hành kế hoạch số {i}"
        if i % 2
        else f"Luật Khoa học số {i} năm 2013"
        for i in range(n)
    )
    return report_lines([f"Căn cứ {refs}."]).encode(), "many-references.txt"


def report_txt(n: int) -> tuple[bytes, str]:
    """A whole report whose body repeats a section `n` times (about 1.1 kB each) with its appendix table of n rows."""
    lines = []
    for i in range(n):
        lines += [
            f"{_roman(i % 30 + 1)}. KẾT QUẢ THỰC HIỆN NHIỆM VỤ {i}",
            f"{i % 9 + 1}. Công tác kiểm soát thủ tục hành chính",
            f"Trong kỳ, Sở đã tiếp nhận {i * 7 + 1000:,} hồ sơ".replace(",", ".") + ", trong đó "
            f"{i + 300} hồ sơ trực tuyến; giải quyết đúng hạn {i + 900} hồ sơ, không có hồ sơ quá hạn.",
            f"Sở ban hành Kế hoạch số {i + 1}/KH-SKHCN ngày 05/5/2024 về việc triển khai Quyết định số "
            f"{i + 2}/QĐ-UBND ngày 10/01/2024 của UBND tỉnh",
            "về cải cách hành chính năm 2024 (chi tiết tại Phụ lục); chỉ số cải cách hành chính đạt 86,5 điểm, "
            "xếp thứ 12/63 tỉnh, thành phố.",
            "a) Rà soát, đơn giản hóa thủ tục hành chính theo Nghị định số 61/2018/NĐ-CP của Chính phủ; công bố "
            "48 thủ tục hành chính thuộc thẩm quyền giải quyết của Sở.",
        ]
    body = report_lines(lines).splitlines()
    table = ["Phụ lục", "Kết quả thực hiện nhiệm vụ năm 2024", *("\t".join(row) for row in _task_rows(n))]
    return ("\n".join(body + table) + "\n").encode(), "report.txt"


# name -> (generator, n at 1x). The 1x sizes take a few milliseconds to tens of milliseconds to read.
AMPLIFIERS: dict[str, tuple[Callable[[int], tuple[bytes, str]], int]] = {
    "repeated_line_txt": (repeated_line_txt, 250),
    "repeated_line_docx": (repeated_line_docx, 250),
    "repeated_sentence_txt": (repeated_sentence_txt, 500),
    "huge_table_txt": (huge_table_txt, 250),
    "huge_table_docx": (huge_table_docx, 100),
    "continuation_rows_txt": (continuation_rows_txt, 1000),
    "tall_cell_docx": (tall_cell_docx, 250),
    "long_line_txt": (long_line_txt, 500),
    "nested_parentheses_txt": (nested_parentheses_txt, 5000),
    "markup_remnants_txt": (markup_remnants_txt, 5000),
    "many_numbers_txt": (many_numbers_txt, 500),
    "many_references_txt": (many_references_txt, 1000),
    "report_txt": (report_txt, 100),
}
