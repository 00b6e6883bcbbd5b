"""An example document shaped like the Quảng Trị annual CCHC report, for tests, the benchmark and layout previews.

The layout and the kind of content follow that report; the sentences are ours and the figures are illustrative
(they come from no database).
"""

from __future__ import annotations

import datetime as dt

from .document import AdministrativeDocument, Appendix, Cell, Heading, Paragraph, Signature, Table

RATING_COLUMNS = ("Hoàn thành tốt", "Hoàn thành", "Hoàn thành chậm", "Chưa hoàn thành")

_NARRATIVE = (
    "Ngay từ đầu năm, Sở Khoa học và Công nghệ giao việc cải cách hành chính cho từng phòng, đơn vị theo kế hoạch "
    "của tỉnh; mỗi việc có người chịu trách nhiệm và hạn hoàn thành, được nhắc lại ở các cuộc họp giao ban hằng tháng "
    "để mọi công chức, viên chức và người lao động cùng theo dõi tiến độ."
)

_PLAN_TASKS = (
    ("I. Cải cách thể chế", None),
    ("Xây dựng kế hoạch theo dõi thi hành pháp luật năm 2023 và thực hiện theo kế hoạch", 0),
    ("Trình UBND tỉnh dự thảo các quy định quản lý về khoa học và công nghệ của tỉnh", 3),
    ("Rà soát các văn bản quy phạm pháp luật về khoa học và công nghệ theo kế hoạch kiểm tra", 0),
    ("II. Cải cách thủ tục hành chính", None),
    ("Kế hoạch kiểm soát thủ tục hành chính năm 2023 của Sở", 0),
    ("Rà soát để đơn giản hóa các thủ tục hành chính do Sở giải quyết", 1),
    ("Trả lời phản ánh, kiến nghị của người dân và doanh nghiệp đúng hạn", 0),
    ("III. Cải cách tổ chức bộ máy hành chính nhà nước", None),
    ("Sửa quy định về chức năng, nhiệm vụ của Sở và các đơn vị trực thuộc sau khi rà soát", 2),
    ("IV. Xây dựng chính quyền điện tử, chính quyền số", None),
    ("Triển khai có hiệu quả chữ ký số trong gửi, nhận văn bản điện tử", 0),
    ("Nâng cấp dịch vụ công trực tuyến toàn trình thuộc thẩm quyền của Sở", 1),
)


def rating_table(repeat: int = 1) -> Table:
    """The appendix table that rates every plan task in the four levels (shape of the Quảng Trị sample)."""
    header = [
        [
            Cell("TT", rowspan=2),
            Cell("Nội dung nhiệm vụ", rowspan=2),
            Cell("Kết quả thực hiện", rowspan=2),
            Cell("Đánh giá kết quả thực hiện", colspan=4),
            Cell("Ghi chú", rowspan=2),
        ],
        list(RATING_COLUMNS),
    ]
    rows: list[list[object]] = []
    bold_rows: list[int] = []
    for _ in range(repeat):
        number = 0
        for text, rating in _PLAN_TASKS:
            if rating is None:
                bold_rows.append(len(rows))
                rows.append([Cell(text, colspan=8, bold=True)])
                number = 0
                continue
            number += 1
            marks = ["X" if i == rating else "" for i in range(4)]
            result = (
                "- Đã ban hành văn bản triển khai (Kế hoạch số 04/KH-SKHCN ngày 14/01/2023);\n- Đã báo cáo kết quả."
            )
            rows.append([str(number), text, result, *marks, ""])
    return Table(
        header=header,
        rows=rows,  # type: ignore[arg-type]
        widths=[10, 62, 80, 20, 20, 20, 20, 20],
        bold_rows=bold_rows,
        aligns=["center", "justify", "justify", "center", "center", "center", "center", "left"],
        font_size=12,
    )


def figures_table() -> Table:
    return Table(
        columns=["TT", "Chỉ tiêu", "Quý I/2023", "Cùng kỳ 2022"],
        rows=[
            ["1", "Số hồ sơ tiếp nhận", "88", "75"],
            ["2", "Trong đó: hồ sơ trực tuyến", "61", "40"],
            ["3", "Số hồ sơ đã giải quyết đúng hạn", "85", "73"],
            ["4", "Số hồ sơ quá hạn", "0", "01"],
        ],
        widths=[12, 90, 30, 30],
        aligns=["center", "left", "center", "center"],
        bold_rows=[],
    )


def quang_tri_annual_report(
    *, sections: int = 1, date: dt.date | None = dt.date(2023, 3, 19)
) -> AdministrativeDocument:
    """The example report; ``sections`` repeats the body outline to make longer documents (about 3 pages each)."""
    body: list[object] = [
        Paragraph.of(
            "Theo chế độ báo cáo định kỳ về cải cách hành chính, Sở Khoa học và Công nghệ Quảng Trị tổng kết những "
            "việc đã làm trong năm 2023 như sau:"
        )
    ]
    roman = ["I.", "II.", "III.", "IV.", "V.", "VI.", "VII.", "VIII.", "IX.", "X.", "XI.", "XII."]
    for s in range(sections):
        body += [
            Heading(roman[s % len(roman)], "Kết quả thực hiện công tác cải cách hành chính", level=1),
            Heading("1.", "Công tác chỉ đạo, điều hành", level=2),
            Heading("a)", "Công tác chỉ đạo, điều hành thực hiện CCHC", level=3),
            Paragraph.of(
                "Kế hoạch cải cách hành chính năm 2023 của Sở có 43 nhiệm vụ"
                "[^Kế hoạch số 64/KH-SKHCN ngày 30/12/2022 của Sở Khoa học và Công nghệ về công tác cải cách hành "
                "chính nhà nước năm 2023.]; đến ngày báo cáo, **08/43** nhiệm vụ đã xong."
            ),
            Paragraph.of(_NARRATIVE),
            Paragraph.of("- Đăng tải trên Cổng thông tin điện tử của Sở: *09 văn bản* chỉ đạo về cải cách hành chính;"),
            Paragraph.of("- Bài viết về cải cách hành chính trong bản tin khoa học và công nghệ của Sở: 03 bài;"),
            Paragraph.of("+ Trong đó 01 bài về chuyển đổi số trong giải quyết thủ tục hành chính."),
            Heading("b)", "Công tác kiểm tra cải cách hành chính", level=3),
            Paragraph.of(_NARRATIVE),
            Heading("2.", "Cải cách thủ tục hành chính", level=2),
            Paragraph.of(
                "Năm 2023, Bộ phận Một cửa của Sở nhận 88 hồ sơ (01 hồ sơ còn lại từ năm trước, 61 hồ sơ nộp trực "
                "tuyến) và trả kết quả 85 hồ sơ, tất cả đúng hạn. Số liệu chi tiết ở bảng dưới:"
            ),
            figures_table(),
            Paragraph.of(_NARRATIVE + " " + _NARRATIVE),
        ]
    body += [
        Heading("", "Phương hướng, nhiệm vụ năm 2024", level=1),
        Paragraph.of("- Hoàn thành các nhiệm vụ cải cách hành chính còn lại và những việc UBND tỉnh giao thêm."),
        Paragraph.of("Sở Khoa học và Công nghệ kính báo cáo kết quả cải cách hành chính năm 2023./."),
    ]
    return AdministrativeDocument(
        parent_authority="UBND tỉnh Quảng Trị",
        issuing_agency="Sở Khoa học và Công nghệ",
        number="136",
        symbol="BC-SKHCN",
        place="Quảng Trị",
        date=date,
        year=2023,
        document_type="Báo cáo",
        excerpt="Tình hình thực hiện công tác cải cách hành chính\nnăm 2023 của Sở Khoa học và Công nghệ",
        body=body,  # type: ignore[arg-type]
        signature=Signature(authority_form="KT. Giám đốc", title="Phó Giám đốc", name="Nguyễn Văn An"),
        recipients=["Sở Nội vụ (B/c)", "Văn phòng UBND tỉnh (B/c);", "- Các phòng, đơn vị thuộc Sở"],
        archive_unit="VP",
        appendices=[
            Appendix(
                title="Kết quả thực hiện kế hoạch cải cách hành chính năm 2023",
                numeral="I",
                reference="(Kèm theo Báo cáo số 136/BC-SKHCN ngày 19/3/2023 của Sở Khoa học và Công nghệ)",
                blocks=[rating_table(repeat=max(1, sections))],
            )
        ],
    )
