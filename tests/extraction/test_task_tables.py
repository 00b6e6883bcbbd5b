"""Task tables keep every row after their header, group rows included (issue 10: a focal-task table, "nhiệm vụ trọng
tâm", lost its group row "I" and its task "1").

Each layout is written twice, as a .docx table (python-docx, merged cells where a report merges them) and as the
tab-separated lines of a .txt report, and both must give the same rows.
"""

from __future__ import annotations

import io

import docx
import pytest

from cchc.extraction import extract

_HEAD = [
    "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
    "SỞ CÔNG THƯƠNG",
    "Số: 41/BC-SCT",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Hà Tĩnh, ngày 15 tháng 6 năm 2024",
    "BÁO CÁO",
    "Kết quả thực hiện nhiệm vụ trọng tâm cải cách hành chính 6 tháng đầu năm 2024",
    "I. KẾT QUẢ",
    "Sở thực hiện các nhiệm vụ trọng tâm theo bảng dưới đây.",
]
_TAIL = ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT.", "GIÁM ĐỐC", "Trần Quốc Hưng"]


def _txt(rows: list[list[str]]) -> bytes:
    lines = [*_HEAD, *("\t".join(row) for row in rows), *_TAIL]
    return ("\n".join(lines) + "\n").encode()


def _docx(
    rows: list[list[str]], spans: tuple[tuple[int, int, int], ...] = (), tall: tuple[tuple[int, int, int], ...] = ()
) -> bytes:
    """`spans`: (row, first column, last column) merged into one cell holding the first column's text; `tall`:
    (column, first row, last row) merged the same way down a column."""
    document = docx.Document()
    for line in _HEAD:
        document.add_paragraph(line)
    ncols = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=ncols)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    for r, first, last in spans:
        text = rows[r][first]
        merged = table.cell(r, first).merge(table.cell(r, last))
        merged.text = text
    for c, first, last in tall:
        text = rows[first][c]
        merged = table.cell(first, c).merge(table.cell(last, c))
        merged.text = text
    for line in _TAIL:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _read(rows, spans=(), tall=()) -> dict[str, list[tuple]]:
    out = {}
    for name, data in (("docx", _docx(rows, spans, tall)), ("txt", _txt(rows))):
        tasks = extract(data, f"bao-cao.{name}")["tasks"]
        out[name] = [(t["code"], t["content"], t["rating"]) for t in tasks]
    return out


FOCAL_HEADER = ["STT", "Nhiệm vụ trọng tâm", "Sản phẩm", "Thời gian hoàn thành", "Kết quả thực hiện", "Đánh giá"]


def test_focal_task_table_keeps_its_group_row_and_first_task():
    # The group's title starts like a header label ("Nhiệm vụ ...") and task 1 is rated "Hoàn thành", a label of
    # the four-column rating header: both were taken for more header rows and dropped.
    rows = [
        FOCAL_HEADER,
        ["I", "Nhiệm vụ trọng tâm về cải cách thể chế", "", "", "", ""],
        [
            "1",
            "Rà soát quy định về quản lý chợ",
            "Báo cáo",
            "Quý II/2024",
            "Đã ban hành Báo cáo số 12/BC-SCT",
            "Hoàn thành",
        ],
        [
            "2",
            "Xây dựng quy chế phối hợp kiểm tra thị trường",
            "Quy chế",
            "Tháng 9/2024",
            "Đang lấy ý kiến",
            "Chưa hoàn thành",
        ],
        ["II", "Nhiệm vụ trọng tâm về thủ tục hành chính", "", "", "", ""],
        [
            "1",
            "Công bố danh mục thủ tục lĩnh vực điện lực",
            "Quyết định",
            "Quý I/2024",
            "Đã công bố 14 thủ tục",
            "Hoàn thành tốt",
        ],
    ]
    expected = [
        ("I", "Nhiệm vụ trọng tâm về cải cách thể chế", None),
        ("1", "Rà soát quy định về quản lý chợ", "Hoàn thành"),
        ("2", "Xây dựng quy chế phối hợp kiểm tra thị trường", "Chưa hoàn thành"),
        ("II", "Nhiệm vụ trọng tâm về thủ tục hành chính", None),
        ("1", "Công bố danh mục thủ tục lĩnh vực điện lực", "Hoàn thành tốt"),
    ]
    assert _read(rows) == {"docx": expected, "txt": expected}


def test_first_task_directly_after_the_header():
    rows = [
        ["STT", "Nhiệm vụ", "Thời hạn", "Kết quả", "Đánh giá"],
        ["1", "Niêm yết công khai thủ tục tại bộ phận một cửa", "Tháng 3/2024", "Đã niêm yết", "Hoàn thành"],
        ["2", "Số hóa kết quả giải quyết thủ tục", "Tháng 12/2024", "Đã số hóa 70%", "Chưa hoàn thành"],
    ]
    expected = [
        ("1", "Niêm yết công khai thủ tục tại bộ phận một cửa", "Hoàn thành"),
        ("2", "Số hóa kết quả giải quyết thủ tục", "Chưa hoàn thành"),
    ]
    assert _read(rows) == {"docx": expected, "txt": expected}


def test_group_row_with_a_roman_numeral_spanning_the_row():
    rows = [
        ["STT", "Nội dung nhiệm vụ", "Kết quả thực hiện", "Đánh giá"],
        ["I. NHIỆM VỤ TRỌNG TÂM", "", "", ""],
        ["1", "Kiện toàn bộ phận một cửa của Sở", "Đã ban hành quyết định kiện toàn", "Hoàn thành"],
        ["II. NHIỆM VỤ THƯỜNG XUYÊN", "", "", ""],
        ["1", "Tự kiểm tra công tác cải cách hành chính", "Đã kiểm tra 4 phòng", "Hoàn thành tốt"],
    ]
    expected = [
        ("I", "NHIỆM VỤ TRỌNG TÂM", None),
        ("1", "Kiện toàn bộ phận một cửa của Sở", "Hoàn thành"),
        ("II", "NHIỆM VỤ THƯỜNG XUYÊN", None),
        ("1", "Tự kiểm tra công tác cải cách hành chính", "Hoàn thành tốt"),
    ]
    assert _read(rows, spans=((1, 0, 3), (3, 0, 3))) == {"docx": expected, "txt": expected}


def test_group_row_without_a_numeral_is_not_a_repeated_header():
    rows = [
        ["STT", "Nội dung", "Kết quả", "Đánh giá"],
        ["", "Nhiệm vụ trọng tâm", "", ""],
        ["1", "Triển khai chữ ký số cho lãnh đạo các phòng", "Đã cấp 12 chữ ký số", "Hoàn thành"],
    ]
    expected = [
        (None, "Nhiệm vụ trọng tâm", None),
        ("1", "Triển khai chữ ký số cho lãnh đạo các phòng", "Hoàn thành"),
    ]
    assert _read(rows, spans=((1, 1, 3),)) == {"docx": expected, "txt": expected}


def test_header_on_two_rows_with_four_rating_columns():
    rows = [
        ["STT", "Nhiệm vụ trọng tâm", "Kết quả thực hiện", "Mức độ hoàn thành", "", "", ""],
        ["", "", "", "Hoàn thành tốt", "Hoàn thành", "Hoàn thành chậm", "Chưa hoàn thành"],
        ["I", "Nhiệm vụ trọng tâm về tổ chức bộ máy", "", "", "", "", ""],
        ["1", "Sắp xếp các phòng chuyên môn", "Giảm 2 phòng", "x", "", "", ""],
        ["2", "Rà soát vị trí việc làm", "Đã trình Sở Nội vụ", "", "", "x", ""],
    ]
    expected = [
        ("I", "Nhiệm vụ trọng tâm về tổ chức bộ máy", None),
        ("1", "Sắp xếp các phòng chuyên môn", "Hoàn thành tốt"),
        ("2", "Rà soát vị trí việc làm", "Hoàn thành chậm"),
    ]
    assert _read(rows, spans=((0, 3, 6),)) == {"docx": expected, "txt": expected}
    # Word merges the first three header cells down the two rows: python-docx repeats their labels in the second.
    assert _read(rows, spans=((0, 3, 6),), tall=((0, 0, 1), (1, 0, 1), (2, 0, 1)))["docx"] == expected


def test_a_table_of_counts_by_field_is_not_a_task_table():
    rows = [
        ["TT", "Lĩnh vực giải quyết", "Số hồ sơ nhận giải quyết", "Trực tuyến", "Kết quả giải quyết", "Quá hạn"],
        ["1", "Điện lực", "31", "30", "31", "0"],
        ["2", "Xúc tiến thương mại", "12", "12", "11", "1"],
        ["", "Tổng cộng", "43", "42", "42", "1"],
    ]
    assert _read(rows) == {"docx": [], "txt": []}
    # The same header over rows that state results is a task table.
    rows[1:] = [["1", "Điện lực", "Đã rà soát quy trình", "", "Hoàn thành", ""]]
    assert _read(rows)["txt"] == [("1", "Điện lực", None)]


def test_a_row_of_column_numbers_under_the_header_is_not_a_task():
    rows = [
        ["STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Đánh giá"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["1", "Cập nhật quy trình nội bộ lên phần mềm một cửa", "Quy trình", "Quý III/2024", "Hoàn thành"],
    ]
    expected = [("1", "Cập nhật quy trình nội bộ lên phần mềm một cửa", "Hoàn thành")]
    assert _read(rows) == {"docx": expected, "txt": expected}


@pytest.mark.parametrize("rating", ["Hoàn thành", "Hoàn thành tốt", "Chưa hoàn thành"])
def test_every_row_after_the_header_whatever_its_rating(rating):
    rows = [FOCAL_HEADER] + [
        [str(i), f"Nhiệm vụ thứ {i} của kế hoạch", "Văn bản", "Quý IV/2024", "Đã thực hiện", rating]
        for i in range(1, 6)
    ]
    found = _read(rows)
    assert [code for code, _, _ in found["docx"]] == ["1", "2", "3", "4", "5"]
    assert found["txt"] == found["docx"]
    assert {r for _, _, r in found["txt"]} == {rating}
