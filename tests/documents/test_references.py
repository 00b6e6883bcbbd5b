"""The reference parser: every shape of "số, ký hiệu" Vietnamese documents use, and none of the look-alikes."""

from __future__ import annotations

import datetime as dt
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.documents.references import (
    KIND_ABBREVIATIONS,
    Reference,
    find_references,
    issuer_from_symbol,
    kind_from_symbol,
    normalise_symbol,
    parse_number_line,
    parse_reference,
)


def one(text: str) -> Reference:
    refs = find_references(text)
    assert len(refs) == 1, refs
    return refs[0]


def brief(ref: Reference) -> tuple:
    return (ref.kind, ref.number, ref.symbol, ref.date_text)


# --- shapes: (text, kind, number, symbol, date) ------------------------------------------------------------------
SHAPES = [
    # kind word + số + number/symbol + date
    ("Kế hoạch số 64/KH-SKHCCN ngày 30/12/2022", "Kế hoạch", "64", "KH-SKHCCN", "2022-12-30"),
    ("Quyết định số 4047/QĐ-UBND ngày 30/12/2022", "Quyết định", "4047", "QĐ-UBND", "2022-12-30"),
    ("Tờ trình số 09/TTr-SKHCN ngày 08/02/2023", "Tờ trình", "09", "TTr-SKHCN", "2023-02-08"),
    ("Thông báo số 32/TB-SKH&CN ngày 06/01/2023", "Thông báo", "32", "TB-SKH&CN", "2023-01-06"),
    ("Báo cáo số 156/BC-SKH&CN, ngày 09/02/2023", "Báo cáo", "156", "BC-SKH&CN", "2023-02-09"),
    ("Chỉ thị số 10/CT-UBND ngày 16/8/2021", "Chỉ thị", "10", "CT-UBND", "2021-08-16"),
    ("Chỉ thị số 26/CT-TTg ngày 05/9/2016", "Chỉ thị", "26", "CT-TTg", "2016-09-05"),
    ("Quyết định số 1322/QĐ-TTg ngày 31/8/2020", "Quyết định", "1322", "QĐ-TTg", "2020-08-31"),
    ("Chương trình số 05/CTr-UBND ngày 02/3/2023", "Chương trình", "05", "CTr-UBND", "2023-03-02"),
    ("Quy định số 03/QyĐ-SKHCN ngày 04/4/2023", "Quy định", "03", "QyĐ-SKHCN", "2023-04-04"),
    ("Quy chế số 01/QC-SKHCN ngày 05/01/2023", "Quy chế", "01", "QC-SKHCN", "2023-01-05"),
    ("Đề án số 02/ĐA-UBND ngày 10/10/2022", "Đề án", "02", "ĐA-UBND", "2022-10-10"),
    ("Công điện số 03/CĐ-UBND ngày 01/02/2023", "Công điện", "03", "CĐ-UBND", "2023-02-01"),
    ("Giấy mời số 15/GM-SKHCN ngày 20/3/2023", "Giấy mời", "15", "GM-SKHCN", "2023-03-20"),
    ("Hướng dẫn số 07/HD-SNV ngày 12/01/2023", "Hướng dẫn", "07", "HD-SNV", "2023-01-12"),
    ("Quyết định số 95/QĐ-BKH&CN ngày 18/01/2023", "Quyết định", "95", "QĐ-BKH&CN", "2023-01-18"),
    # no "số"
    ("Quyết định 24/QĐ-UBND ngày 10/01/2023", "Quyết định", "24", "QĐ-UBND", "2023-01-10"),
    ("Kế hoạch 04/KH-SKHCHN ngày 14/01/2020", "Kế hoạch", "04", "KH-SKHCHN", "2020-01-14"),
    ("Tờ trình 2094/TTr-SKH&CN ngày 26/12/2022", "Tờ trình", "2094", "TTr-SKH&CN", "2022-12-26"),
    # abbreviation as the kind word
    ("BC số 2130/SKHCN-QLĐLCL ngày 28/12/2022", "Báo cáo", "2130", "SKHCN-QLĐLCL", "2022-12-28"),
    ("CV số 2110/SKHCN-QLĐLCL ngày 26/12/2022", "Công văn", "2110", "SKHCN-QLĐLCL", "2022-12-26"),
    ("QĐ 33/2013/QĐ-UBND", "Quyết định", "33/2013", "QĐ-UBND", None),
    ("NĐ 54/2016/NĐ-CP ngày 14/6/2016", "Nghị định", "54/2016", "NĐ-CP", "2016-06-14"),
    ("TTr số 12/TTr-SKHCN", "Tờ trình", "12", "TTr-SKHCN", None),
    # legal normative documents: the year in the number
    ("Nghị định số 60/2021/NĐ-CP ngày 21/6/2021", "Nghị định", "60/2021", "NĐ-CP", "2021-06-21"),
    ("Nghị định 61/2018/NĐ-CP", "Nghị định", "61/2018", "NĐ-CP", None),
    ("Thông tư số 05/2014/TT-BTP ngày 07/2/2014", "Thông tư", "05/2014", "TT-BTP", "2014-02-07"),
    ("Thông tư số 01/2020/TT-VPCP", "Thông tư", "01/2020", "TT-VPCP", None),
    ("Thông tư liên tịch số 12/2015/TTLT-BKHCN-BNV", "Thông tư liên tịch", "12/2015", "TTLT-BKHCN-BNV", None),
    ("Nghị quyết số 06/2020/NQ-HĐND ngày 04/8/2020", "Nghị quyết", "06/2020", "NQ-HĐND", "2020-08-04"),
    ("Quyết định số 32/2022/QĐ-UBND ngày 14/12/2022", "Quyết định", "32/2022", "QĐ-UBND", "2022-12-14"),
    ("Quyết định 19/2014/QĐ-TTg", "Quyết định", "19/2014", "QĐ-TTg", None),
    ("Luật số 29/2013/QH13", "Luật", "29/2013", "QH13", None),
    ("Nghị định 105/2006 sửa đổi", "Nghị định", "105/2006", None, None),
    # Party style
    ("Chỉ thị số 26-CT/TU", "Chỉ thị", "26", "CT/TU", None),
    ("Nghị quyết số 12-NQ/TU", "Nghị quyết", "12", "NQ/TU", None),
    ("Chỉ thị 10-CT/TTg ngày 22/4/2019", "Chỉ thị", "10", "CT/TTg", "2019-04-22"),
    ("Hướng dẫn số 24-HD/BTGTU ngày 28/02/2017", "Hướng dẫn", "24", "HD/BTGTU", "2017-02-28"),
    ("Nghị quyết số 05-NQ/ĐU ngày 10/3/2023", "Nghị quyết", "05", "NQ/ĐU", "2023-03-10"),
    ("Kết luận số 14-KL/ĐUK", "Kết luận", "14", "KL/ĐUK", None),
    ("Quy định số 08-QĐi/TW", "Quy định", "08", "QĐi/TW", None),
    ("Nghị quyết số 18-NQ/TƯ", "Nghị quyết", "18", "NQ/TƯ", None),
    # công văn: "Văn bản số", "Công văn số", or a symbol without type abbreviation
    ("Văn bản số 122/SKH&CN-ĐLCL, ngày 02/02/2023", "Công văn", "122", "SKH&CN-ĐLCL", "2023-02-02"),
    ("Công văn số 553/UBND-TH ngày 17/3/2023", "Công văn", "553", "UBND-TH", "2023-03-17"),
    ("Công văn số 638/SKH-CN-VP ngày 02/7/2020", "Công văn", "638", "SKH-CN-VP", "2020-07-02"),
    ("theo 2130/SKHCN-QLĐLCL ngày 28/12/2022", "Công văn", "2130", "SKHCN-QLĐLCL", "2022-12-28"),
    ("văn bản số 45/KH-UBND", "Kế hoạch", "45", "KH-UBND", None),  # "văn bản" is generic: the symbol decides
    ("Công văn số 1024/STP-QLXLVPHC... của Sở Tư pháp", "Công văn", "1024", "STP-QLXLVPHC", None),
    # the kind word wins over a mistyped symbol
    ("Nghị định số 166/2013/NQ-CP", "Nghị định", "166/2013", "NQ-CP", None),
    ("Quyết định số 1363/UBND-VP ngày 14/02/2023", "Quyết định", "1363", "UBND-VP", "2023-02-14"),
    # bare number/symbol with a type abbreviation
    ("đã ban hành 64/KH-SKHCN", "Kế hoạch", "64", "KH-SKHCN", None),
    ("(Kèm theo 12/QĐ-UBND)", "Quyết định", "12", "QĐ-UBND", None),
    # a bare number after a kind word and "số"
    ("Quyết định số 24 ngày 10/01/2023", "Quyết định", "24", None, "2023-01-10"),
    # dates in every shape
    ("Kế hoạch số 95/KH-SKH&CN ngày 18 tháng 01 năm 2023", "Kế hoạch", "95", "KH-SKH&CN", "2023-01-18"),
    ("Nghị quyết số 43/NQ-HĐND ngày 14 tháng 12 năm 2018", "Nghị quyết", "43", "NQ-HĐND", "2018-12-14"),
    ("Quyết định số 5/QĐ-UBND ngày 5 tháng 2 năm 2023", "Quyết định", "5", "QĐ-UBND", "2023-02-05"),
    ("Quyết định số 5/QĐ-UBND ngày 10-01-2023", "Quyết định", "5", "QĐ-UBND", "2023-01-10"),
    ("Quyết định số 5/QĐ-UBND ngày 10.01.2023", "Quyết định", "5", "QĐ-UBND", "2023-01-10"),
    ("Quyết định số 5/QĐ-UBND, ngày 1/2/2023", "Quyết định", "5", "QĐ-UBND", "2023-02-01"),
    ("Quyết định số 5/QĐ-UBND ban hành ngày 01/02/2023", "Quyết định", "5", "QĐ-UBND", "2023-02-01"),
    ("Kế hoạch số 5/KH-UBND ngày    tháng 12 năm 2021", "Kế hoạch", "5", "KH-UBND", "2021-12"),
    ("Kế hoạch số 5/KH-UBND ngày ... tháng 12 năm 2021", "Kế hoạch", "5", "KH-UBND", "2021-12"),
    ("Kế hoạch số 5/KH-UBND ngày     /12/2021", "Kế hoạch", "5", "KH-UBND", "2021-12"),
    # impossible or broken dates give no date, never a guess
    ("Công văn số 12/UBND-VP ngày 31/02/2023", "Công văn", "12", "UBND-VP", None),
    ("Kế hoạch số 04/KH-SKHHCN ngày 17/01/202 v/v tổ chức lớp", "Kế hoạch", "04", "KH-SKHHCN", None),
    ("Kế hoạch số 04/KH-SKHHCN ngày 17/13/2023", "Kế hoạch", "04", "KH-SKHHCN", None),
    # upper case and lower case kind words
    ("KẾ HOẠCH SỐ 64/KH-SKHCN NGÀY 30/12/2022", "Kế hoạch", "64", "KH-SKHCN", "2022-12-30"),
    ("ban hành kế hoạch số 17/KH-SKHCN ngày 01/3/2023", "Kế hoạch", "17", "KH-SKHCN", "2023-03-01"),
    # text pasted from PDF
    ("Kế hoạch số 64 / KH - SKHCN ngày 30/12/2022", "Kế hoạch", "64", "KH-SKHCN", "2022-12-30"),
    ("Kế hoạch số 64/KH-\nSKHCN ngày 30/12/2022", "Kế hoạch", "64", "KH-SKHCN", "2022-12-30"),
    ("Kế hoạch số 64/\nKH-SKHCN", "Kế hoạch", "64", "KH-SKHCN", None),
    ("Kế hoạch số\n64/KH-SKHCN", "Kế hoạch", "64", "KH-SKHCN", None),
    ("Quyết định  số  24/QĐ–UBND  ngày  10/01/2023", "Quyết định", "24", "QĐ-UBND", "2023-01-10"),
    ("Quyết định số 24/QĐ-UBND ngày\n10/01/2023", "Quyết định", "24", "QĐ-UBND", "2023-01-10"),
    ("Quyết định số 295/QĐ-SKH&amp;CN ngày 11/11/2019", "Quyết định", "295", "QĐ-SKH&CN", "2019-11-11"),
    ("Quyết định số 12/QĐ-UBND ngày 01/02/2023", "Quyết định", "12", "QĐ-UBND", "2023-02-01"),
    ("Nghị quyết số 06/NQ-HÐND", "Nghị quyết", "06", "NQ-HĐND", None),  # Ð (U+00D0) from PDF fonts
]


@pytest.mark.parametrize("text,kind,number,symbol,date", SHAPES)
def test_reference_shapes(text, kind, number, symbol, date):
    ref = one(text)
    assert brief(ref) == (kind, number, symbol, date)
    assert text[ref.start:ref.end] == ref.text


@pytest.mark.parametrize("text,kind,number,symbol,date", SHAPES)
def test_shapes_inside_a_sentence(text, kind, number, symbol, date):
    sentence = f"Thực hiện {text}, Sở đã triển khai 8/43 nội dung (đạt 18,6%)."
    ref = one(sentence)
    assert brief(ref) == (kind, number, symbol, date)
    assert sentence[ref.start:ref.end] == ref.text


NEGATIVES = [
    "TCVN ISO 9001:2015",
    "theo tiêu chuẩn TCVN ISO 9001:2015 thay thế TCVN ISO 9001:2008",
    "ISO 9001:2008 sang ISO 9001:2015",
    "QCVN 01:2022/BKHCN",
    "Quy chuẩn kỹ thuật Quốc gia QCVN01:2022/BKHCN gửi các Doanh nghiệp",
    "TCVN 11892-1:2017",
    "tiêu chuẩn quốc gia TCVN 11892:1:2017",
    "ISO TCVN 9001:2015",
    "ngày 10/01/2023",
    "từ ngày 05/12/2022 đến ngày 04/3/2023",
    "Điện thoại: 0254.3856789, (0254) 3 856 789, 0912-345-678",
    "số tiền là 235.000.000 đồng; 4.997,470 triệu đồng; 13,6/110 (triệu đồng), đạt 12%",
    "Số: /BC-SKHCN",
    "Số: /BC-SKHCCN\n\nBà Rịa - Vũng Tàu, ngày tháng năm 2023",
    "Số: 136 /BC-SKHCCN",
    "Số: 05/QĐ-UBND",
    "Báo cáo số /BC-KHCN",
    "theo điểm a khoản 2 Điều 5",
    "tại Khoản 3, Điều 11 và Điều 28",
    "I. KẾT QUẢ; 1.1. Nội dung; 2.3.4 Mục",
    "đã thực hiện 8/43 nội dung, hoàn thành 07/08 văn bản, 48/49 TTHC, 09/09 hồ sơ",
    "tỷ lệ 100% (03 người/03 chỉ tiêu)",
    "Quý I/2023, quý III/2023, tháng 8/2023",
    "giai đoạn 2019-2025; 2019 – 2025",
    "Đề án 06 liên quan đến lĩnh vực KH&CN",
    "Bản tin KH&CN số 4 năm 2022; kịch bản số 12 năm 2022",
    "Bộ quả cân chuẩn F1 (1-2-2-5-10) kg",
    "Trung tâm CNTT&TT/Sở TT&TT tổng hợp",
    "Sở Nội vụ (B/c); doanh nghiệp/sản phẩm; Phòng Kinh tế/ Kinh tế - hạ tầng",
    "địa chỉ số 12/3A đường Lê Lợi; hẻm 5/Sở; lô 12/KCN Phú Mỹ",
    "<http://motcuabkhn.most.gov.vn/12/ABC> và https://x.gov.vn/2023/05/QD-UBND",
    "mức độ 3,4; mức độ 2¹⁹",
    "Luật Phòng, chống tham nhũng; Luật CNTT",
    "Luật Đầu tư công, đến hết năm 2023",
    "theo quy định của pháp luật năm 2020",
    "",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_are_not_references(text):
    assert find_references(text) == []


def test_own_number_line_is_read_apart():
    assert parse_number_line("Số: 136 /BC-SKHCCN") == ("136", "BC-SKHCCN")
    assert parse_number_line("Số: /BC-SKHCN") == (None, "BC-SKHCN")
    assert parse_number_line("Số: 05/2023/QĐ-UBND") == ("05/2023", "QĐ-UBND")
    assert parse_number_line("Bà Rịa - Vũng Tàu, ngày tháng năm 2023") is None


def test_date_before_the_reference():
    ref = one("Ngày 10/01/2023, UBND tỉnh ban hành Quyết định số 24/QĐ-UBND về việc phê duyệt Kế hoạch KH&CN.")
    assert ref.date == dt.date(2023, 1, 10)
    assert ref.excerpt == "phê duyệt Kế hoạch KH&CN"
    ref = one("ngày 05 tháng 02 năm 2023 Giám đốc Sở đã ký ban hành Kế hoạch số 06/KH-SKHCN")
    assert ref.date_text == "2023-02-05"


def test_a_date_before_an_unrelated_verb_is_not_taken():
    # The date is the day Sở Nội vụ wrote its guidance, not the date of the decree.
    ref = one("Ngày 05/10/2020 Sở Nội vụ hướng dẫn thực hiện Nghị định số 107/2020/NĐ-CP.")
    assert ref.date is None and ref.year == 2020


def test_date_after_wins_over_date_before():
    ref = one("Ngày 02/01/2023, UBND tỉnh ban hành Quyết định số 24/QĐ-UBND ngày 10/01/2023")
    assert ref.date == dt.date(2023, 1, 10)


def test_issuer_from_symbol_and_name_after_cua():
    ref = one(
        "Sở giao việc theo Quyết định số 4047/QĐ-UBND ngày 30/12/2022 của UBND tỉnh Bà Rịa - Vũng Tàu về "
        "Kế hoạch cải cách hành chính của tỉnh năm 2023,"
    )
    assert (ref.issuer, ref.issuer_name) == ("UBND", "UBND tỉnh Bà Rịa - Vũng Tàu")
    assert ref.excerpt == "Kế hoạch cải cách hành chính của tỉnh năm 2023"
    ref = one("Thông tư số 05/2014/TT-BTP ngày 07/2/2014 của Bộ trưởng Bộ Tư pháp hướng dẫn công bố, niêm yết TTHC;")
    assert (ref.issuer, ref.issuer_name) == ("BTP", "Bộ trưởng Bộ Tư pháp")
    assert ref.excerpt == "hướng dẫn công bố, niêm yết TTHC"
    ref = one("Nghị định số 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ quy định cơ chế tự chủ tài chính.")
    assert (ref.issuer, ref.issuer_name, ref.excerpt) == ("CP", "Chính phủ", "quy định cơ chế tự chủ tài chính")
    ref = one("Hướng dẫn số 24-HD/BTGTU ngày 28/02/2017 của Ban Tuyên giáo Tỉnh ủy; Chỉ thị")
    assert (ref.issuer, ref.issuer_name) == ("BTGTU", "Ban Tuyên giáo Tỉnh ủy")


@pytest.mark.parametrize(
    "symbol,issuer,kind",
    [
        ("KH-UBND", "UBND", "Kế hoạch"),
        ("QĐ-BKH&CN", "BKH&CN", "Quyết định"),
        ("NĐ-CP", "CP", "Nghị định"),
        ("NQ/TU", "TU", "Nghị quyết"),
        ("CT/TTg", "TTg", "Chỉ thị"),
        ("SKHCN-QLĐLCL", "SKHCN", "Công văn"),
        ("SKH-CN-VP", "SKH-CN", "Công văn"),
        ("UBND", "UBND", "Công văn"),
        ("KH-SKH-CN", "SKH-CN", "Kế hoạch"),
        ("TTLT-BTC-BKHCN", "BTC-BKHCN", "Thông tư liên tịch"),
        ("QH13", "QH13", "Luật"),
        ("TTr-SKHCN", "SKHCN", "Tờ trình"),
        ("QyĐ-SKHCN", "SKHCN", "Quy định"),
        ("QĐ", None, "Quyết định"),
    ],
)
def test_symbol_grammar(symbol, issuer, kind):
    assert issuer_from_symbol(symbol) == issuer
    assert kind_from_symbol(symbol) == kind


def test_abbreviations_cover_the_decree_appendix():
    for abbreviation in ["NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB",
                         "TTr", "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB"]:
        assert abbreviation in KIND_ABBREVIATIONS
        assert kind_from_symbol(f"{abbreviation}-UBND") == KIND_ABBREVIATIONS[abbreviation]


def test_normalise_symbol():
    assert normalise_symbol(" QĐ – UBND ") == "QĐ-UBND"
    assert normalise_symbol("SKH&amp;CN-\nĐLCL") == "SKH&CN-ĐLCL"
    assert normalise_symbol("NQ-HÐND") == "NQ-HĐND"
    assert normalise_symbol(unicodedata.normalize("NFD", "NQ/TƯ")) == "NQ/TƯ"


def test_lists_of_numbers_share_the_kind_word():
    refs = find_references("các Quyết định số 12/QĐ-UBND, 13/QĐ-UBND và 14/QĐ-UBND")
    assert [(r.kind, r.number) for r in refs] == [("Quyết định", "12"), ("Quyết định", "13"), ("Quyết định", "14")]
    refs = find_references("Quyết định số 1363/UBND-VP, 1364/UBND-VP ngày 14/02/2023")
    assert [(r.kind, r.number, r.date_text) for r in refs] == [
        ("Quyết định", "1363", None),  # the trailing date belongs to the last one only
        ("Quyết định", "1364", "2023-02-14"),
    ]
    # A list item with its own type keeps it.
    refs = find_references("Quyết định số 12/QĐ-UBND, 64/KH-UBND")
    assert [r.kind for r in refs] == ["Quyết định", "Kế hoạch"]


def test_each_document_once_with_the_most_complete_data():
    text = (
        "Theo Nghị định 60/2021/NĐ-CP, các đơn vị xây dựng phương án. Báo cáo thực hiện Nghị định số "
        "60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ quy định cơ chế tự chủ tài chính. Nghị định 60/2021/NĐ-CP."
    )
    refs = find_references(text)
    assert len(refs) == 1
    ref = refs[0]
    assert (ref.date, ref.issuer_name, ref.start) == (dt.date(2021, 6, 21), "Chính phủ", text.index("Nghị định 60"))
    assert ref.excerpt == "quy định cơ chế tự chủ tài chính"


def test_leading_zero_and_spacing_variants_are_one_document():
    refs = find_references("Kế hoạch số 04/KH-SKHCN; Kế hoạch 4/KH - SKHCN ngày 14/01/2020")
    assert len(refs) == 1 and refs[0].number == "04" and refs[0].date_text == "2020-01-14"


def test_different_symbols_are_different_documents():
    refs = find_references("Kế hoạch số 02/KH-SKHCCN ngày 13/01/2020; Kế hoạch số 02/KH-SKH&CN ngày 13/01/2020")
    assert [r.symbol for r in refs] == ["KH-SKHCCN", "KH-SKH&CN"]


def test_number_year_without_symbol_merges_into_the_full_reference():
    refs = find_references("theo Nghị định 105/2006 và Nghị định số 105/2006/NĐ-CP ngày 22/9/2006")
    assert [(r.number, r.symbol) for r in refs] == [("105/2006", "NĐ-CP")]


@pytest.mark.parametrize(
    "text,kind,name,year",
    [
        ("Luật Khoa học và Công nghệ năm 2013", "Luật", "Khoa học và Công nghệ", 2013),
        ("theo Luật Thanh tra 2010 và", "Luật", "Thanh tra", 2010),
        ("Luật An ninh mạng 2018;", "Luật", "An ninh mạng", 2018),
        ("Bộ Luật Lao động năm 2019", "Bộ luật", "Lao động", 2019),
        ("Bộ luật Dân sự năm 2015", "Bộ luật", "Dân sự", 2015),
        ("Luật Tổ chức chính quyền địa phương năm 2015", "Luật", "Tổ chức chính quyền địa phương", 2015),
        (
            "Luật sửa đổi, bổ sung một số điều của Luật cán bộ, công chức và Luật viên chức năm 2019",
            "Luật",
            "sửa đổi, bổ sung một số điều của Luật cán bộ, công chức và Luật viên chức",
            2019,
        ),
    ],
)
def test_laws_cited_by_name_and_year(text, kind, name, year):
    ref = one(text)
    assert (ref.kind, ref.number, ref.symbol, ref.excerpt, ref.year) == (kind, None, None, name, year)


def test_two_laws_of_one_name_and_different_years_are_two_documents():
    refs = find_references("theo Luật Thanh tra 2010 và Luật Thanh tra năm 2022; Luật Thanh tra năm 2022")
    assert [r.year for r in refs] == [2010, 2022]


def test_references_in_parentheses_and_footnotes():
    text = (
        "Xây dựng trình UBND tỉnh Báo cáo kết quả áp dụng HTQLCL theo TCVN ISO 9001:2015¹.\n\n"
        "¹ BC số 2130/SKHCN-QLĐLCL ngày 28/12/2022.\n\n"
        "(Quyết định số 31/QĐ-SKH&CN, ngày 06/01/2023, Kế hoạch số 30/KH-SKH&CN, ngày 06/01/2023; "
        "Thông báo số 32/TB-SKH&CN ngày 06/01/2023).\n"
        "Sở Khoa học và Công nghệ (*Quyết định số 371/QĐ-SKHCCN ngày 31/12/2019*); Trình² UBND\n\n"
        "² Tờ trình số 09/TTr-SKHHCN ngày 08/02/2023"
    )
    assert [r.number_symbol for r in find_references(text)] == [
        "2130/SKHCN-QLĐLCL",
        "31/QĐ-SKH&CN",
        "30/KH-SKH&CN",
        "32/TB-SKH&CN",
        "371/QĐ-SKHCCN",
        "09/TTr-SKHHCN",
    ]


def test_excerpt_shapes():
    assert one("Kế hoạch số 10/KH-SKHCN ngày 10/02/2023 v/v công tác thi đua, khen thưởng năm 2023.").excerpt == (
        "công tác thi đua, khen thưởng năm 2023"
    )
    assert one("Công văn số 324/SKHCCN-VP ngày 30/7/2020 V/v phân công theo dõi, chấm điểm CCHC;").excerpt == (
        "phân công theo dõi, chấm điểm CCHC"
    )
    assert one("Quyết định 09/QĐ-SKHCN ngày 08/02/2023 thành lập đoàn kiểm tra công vụ; Kế hoạch").excerpt == (
        "thành lập đoàn kiểm tra công vụ"
    )
    assert one('Đề án số 05/ĐA-UBND “Hỗ trợ hệ sinh thái khởi nghiệp” trên địa bàn tỉnh').excerpt == (
        "Hỗ trợ hệ sinh thái khởi nghiệp"
    )
    # An excerpt stops at the next document unless it governs it ("về triển khai Quyết định ...").
    refs = find_references(
        "Nghị quyết số 43/NQ-HĐND ngày 14/12/2018 về chủ trương hỗ trợ doanh nghiệp tại Tờ trình số 09/TTr-SKHCN "
        "ngày 08/02/2023."
    )
    assert refs[0].excerpt == "chủ trương hỗ trợ doanh nghiệp"
    refs = find_references(
        "Kế hoạch số 57/KH-UBND ngày 18/4/2022 về triển khai Quyết định số 1322/QĐ-TTg ngày 31/8/2020 của Thủ tướng "
        "Chính phủ phê duyệt Chương trình quốc gia."
    )
    assert refs[0].excerpt.startswith("triển khai Quyết định số 1322/QĐ-TTg")
    assert (refs[1].issuer_name, refs[1].excerpt) == ("Thủ tướng Chính phủ", "phê duyệt Chương trình quốc gia")
    # A page break inside a sentence is joined; a new paragraph is not.
    ref = one("Quyết định số 537/QĐ-UBND v/v công bố danh mục thuộc thẩm quyền của Sở Khoa học và\n\nCông nghệ (Trong")
    assert ref.excerpt == "công bố danh mục thuộc thẩm quyền của Sở Khoa học và Công nghệ"
    ref = one("Kế hoạch số 3/KH-UBND về rà soát TTHC\n\n- Tổng hợp, cập nhật số lượng TTHC")
    assert ref.excerpt == "rà soát TTHC"
    assert one("Quyết định số 24/QĐ-SKHHCN ngày 28/02/2022 của Giám đốc Sở).").excerpt is None


def test_excerpt_is_bounded():
    ref = one("Kế hoạch số 3/KH-UBND về " + "rà soát thủ tục " * 100)
    assert len(ref.excerpt) <= 300


def test_decomposed_unicode_offsets_point_into_the_original_text():
    text = unicodedata.normalize("NFD", "Thực hiện Quyết định số 24/QĐ-UBND ngày 10/01/2023 của Ủy ban nhân dân tỉnh.")
    ref = one(text)
    assert (ref.kind, ref.symbol, ref.issuer_name) == ("Quyết định", "QĐ-UBND", "Ủy ban nhân dân tỉnh")
    assert text[ref.start:ref.end] == ref.text
    assert unicodedata.normalize("NFC", ref.text) == "Quyết định số 24/QĐ-UBND ngày 10/01/2023"


def test_parse_reference():
    ref = parse_reference("Quyết định số 24/QĐ-UBND ngày 10/01/2023")
    assert ref is not None and ref.number_symbol == "24/QĐ-UBND" and ref.date == dt.date(2023, 1, 10)
    assert parse_reference("Nghị quyết số 12-NQ/TU").number_symbol == "12-NQ/TU"
    assert parse_reference("Nghị định số 60/2021/NĐ-CP").number_symbol == "60/2021/NĐ-CP"
    assert parse_reference("TCVN ISO 9001:2015") is None
    assert parse_reference("") is None


def test_as_dict_is_json_ready():
    data = one("Nghị định số 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ").as_dict()
    assert data["date"] == "2021-06-21" and data["number"] == "60/2021" and data["issuer"] == "CP"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    for ref in find_references(text):
        assert 0 <= ref.start < ref.end <= len(text)
        assert text[ref.start:ref.end] == ref.text


_PIECES = st.sampled_from([
    "Quyết định", "số", " ", "\n", "/", "-", "–", "QĐ", "UBND", "KH", "SKH&CN", "&amp;", "ngày", "tháng", "năm",
    "12", "2023", "01", "31", ",", ".", ";", "(", ")", "của", "về việc", "v/v", "Luật", "Số:", "TCVN", ":", "Đ",
    "\u0301", "NQ/TU", "Ð", "“", "”",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_never_raises_on_reference_like_text(text):
    for ref in find_references(text):
        assert 0 <= ref.start < ref.end <= len(text)
        assert text[ref.start:ref.end] == ref.text
        assert ref.number is None or ref.number[0].isdigit()


def test_thousands_of_references_per_second():
    paragraph = (
        "Thực hiện Quyết định số 4047/QĐ-UBND ngày 30/12/2022 của UBND tỉnh về ban hành Kế hoạch CCHC năm 2023, "
        "Sở ban hành Kế hoạch số 64/KH-SKHCN ngày 30/12/2022, Công văn số 163/SKHCN-VP ngày 01/3/2023 và "
        "Nghị quyết số 12-NQ/TU; áp dụng TCVN ISO 9001:2015, đạt 8/43 nội dung.\n"
    )
    text = "".join(paragraph.replace("4047", str(4000 + i)) for i in range(500))  # 2000 mentions
    started = time.perf_counter()
    refs = find_references(text)
    elapsed = time.perf_counter() - started
    assert len(refs) == 503
    assert 2000 / elapsed > 1000, f"{2000 / elapsed:.0f} references/s"
