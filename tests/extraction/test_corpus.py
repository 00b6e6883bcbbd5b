"""Variations the samples do not show: a full line header with a parent authority, text pasted from PDF, a .docx whose
header and signature are tables, misspelt symbols, draft dates, Party and legal numbering, standards, missing parts."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from cchc.extraction import extract, extract_text

CORPUS = Path(__file__).parent / "corpus"


def test_line_header_with_parent_authority_and_district_place():
    result = extract(CORPUS / "noi-vu-line-header.txt")
    assert result["metadata"] == {
        "province": "Quảng Trị",  # from "UBND TỈNH QUẢNG TRỊ", though issued in Đông Hà
        "agency": "Sở Nội vụ",
        "document_type": "Báo cáo",
        "number": "05",
        "symbol": "BC-SNV",
        "date": "2024-02-05",
        "title": "Kết quả thực hiện công tác cải cách hành chính năm 2023",
        "signer_name": "Nguyễn Văn An",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signing_authority": "KT. GIÁM ĐỐC",
        "recipients": ["UBND tỉnh (b/c)", "Lưu: VT, CCHC"],
    }
    assert result["figures"] == {
        "procedures_total": 65, "procedures_online_full": 40, "procedures_online_partial": 20,
        "dossiers_received": 1250, "dossiers_carried_over": 15, "dossiers_online": 980, "dossiers_direct": 250,
        "dossiers_postal": 5, "dossiers_resolved": 1200, "dossiers_early_or_on_time": 1180, "dossiers_late": 20,
        "dossiers_in_progress": 50, "feedback_received": 3, "plan_tasks_total": 36, "plan_tasks_done": 30,
        "directives_total": 15, "directives_done": 12, "signed_documents": 2345, "papi_score": 42.5,
        "par_index_score": 86.25, "par_index_rank": 3,
    }
    refs = [(r["kind"], r["number"], r["symbol"], r["date"]) for r in result["references"]]
    # "Văn bản số" is a công văn; the report's own number in the appendix and the standards are not references.
    assert refs == [
        ("Kế hoạch", "120", "KH-UBND", "2022-12-28"),
        ("Công văn", "45", "SNV-CCHC", "2024-01-10"),
        ("Kế hoạch", "03", "KH-SNV", "2023-01-06"),
        ("Báo cáo", "77", "BC-SNV", "2023-06-30"),
    ]
    assert result["tasks"] == [
        {"code": "I", "content": "Cải cách thể chế", "volume": None, "deadline": None, "result": None, "rating": None},
        {"code": "1", "content": "Rà soát văn bản quy phạm pháp luật", "volume": None, "deadline": "2023-Q2",
         "result": "Đã ban hành Báo cáo số 77/BC-SNV ngày 30/6/2023", "rating": "Hoàn thành tốt"},
        {"code": "2", "content": "Theo dõi thi hành pháp luật", "volume": None, "deadline": "2023-11",
         "result": "Đang thực hiện", "rating": "Chưa hoàn thành"},
        {"code": "II", "content": "Cải cách thủ tục hành chính", "volume": None, "deadline": None, "result": None,
         "rating": None},
        {"code": "1", "content": "Công khai thủ tục hành chính", "volume": None, "deadline": "2023",
         "result": "Đã công khai 65 thủ tục", "rating": "Hoàn thành"},
    ]
    assert [(s["number"], s["level"]) for s in result["sections"]] == [
        ("I", 1), ("1", 2), ("II", 1), ("1", 2), ("a", 3), ("b", 3), ("c", 3), ("2", 2), ("III", 1)
    ]


def test_text_pasted_from_pdf_with_broken_lines_and_no_signature():
    result = extract(CORPUS / "pdf-broken-lines.txt")
    md = result["metadata"]
    assert md["province"] == "Hà Tĩnh" and md["agency"] == "Sở Thông tin và Truyền thông"
    assert (md["number"], md["symbol"], md["date"]) == ("112", "BC-STTTT", "2023-06-15")
    assert md["title"] == "Tình hình thực hiện công tác cải cách hành chính 6 tháng đầu năm 2023"
    assert md["signer_name"] is None and md["signer_title"] is None and md["signing_authority"] is None
    assert md["recipients"] == []
    assert result["figures"] == {
        "dossiers_received": 120, "dossiers_online": 100, "dossiers_resolved": 110, "dossiers_late": 0,
        "feedback_received": 0, "signed_documents": 350,
    }
    assert [(r["number"], r["symbol"]) for r in result["references"]] == [
        ("1234", "UBND-NC"), ("25/2023", "QĐ-UBND")
    ]


DRAFT = """UBND TỈNH CAO BẰNG
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số:      /BC-SKHCCN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Cao Bằng, ngày    tháng 12 năm 2021
BÁO CÁO
Kết quả công tác năm 2021
Thực hiện Nghị quyết số 12-NQ/TU ngày 05/3/2021 của Tỉnh ủy và Hướng dẫn số 26-HD/BTGTU ngày 10/4/2021, Sở Khoa \
học và Công nghệ báo cáo như sau:
1. Áp dụng TCVN ISO 9001:2015, TCVN 11892-1:2017 và QCVN 01:2022/BKHCN; tiếp tục thực hiện Nghị định 60/2021/NĐ-CP \
ngày 21/6/2021 và QĐ số 33/QĐ-UBND ngày 02/01/2021; Văn bản số 2130/SKHCN-QLĐLCL ngày 28/12/2021.
2. Không có hồ sơ trễ hạn. Không có phản ánh, kiến nghị.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Hoàng Văn Bình
"""


def test_draft_date_party_numbering_abbreviations_and_standards():
    result = extract_text(DRAFT)
    md = result["metadata"]
    assert md["number"] is None and md["symbol"] == "BC-SKHCCN"
    assert md["date"] == "2021-12"
    assert md["province"] == "Cao Bằng"
    assert (md["signing_authority"], md["signer_title"], md["signer_name"]) == (
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Văn Bình"
    )
    refs = [(r["kind"], r["number"], r["symbol"]) for r in result["references"]]
    assert refs == [
        ("Nghị quyết", "12", "NQ/TU"),
        ("Hướng dẫn", "26", "HD/BTGTU"),
        ("Nghị định", "60/2021", "NĐ-CP"),
        ("Quyết định", "33", "QĐ-UBND"),
        ("Công văn", "2130", "SKHCN-QLĐLCL"),
    ]
    assert result["figures"] == {"dossiers_late": 0, "feedback_received": 0}


def test_own_number_with_a_misspelt_symbol_in_the_appendix_is_not_a_reference():
    text = DRAFT.replace("Số:      /BC-SKHCCN", "Số: 136/BC-SKHCCN").replace("ngày    tháng 12", "ngày 19 tháng 12")
    text += "\nPhụ lục\nKẾT QUẢ\n(Kèm theo Báo cáo số 136/BC-SKHCN ngày 19/12/2021 của Sở KH&CN)\n"
    result = extract_text(text)
    assert result["metadata"]["date"] == "2021-12-19"
    assert all(r["number"] != "136" for r in result["references"])


def test_a_text_without_any_layout_gives_nulls_not_guesses():
    result = extract_text("Một đoạn văn không có tiêu đề, không có số liệu và không dẫn văn bản nào.")
    md = result["metadata"]
    assert all(md[k] is None for k in md if k != "recipients") and md["recipients"] == []
    assert result["references"] == [] and result["figures"] == {} and result["tasks"] == []


def _docx_with_tables() -> bytes:
    d = docx.Document()
    header = d.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG\nSỞ TƯ PHÁP\nSố: 07/BC-STP"
    header.cell(0, 1).text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐà Lạt, ngày 08 tháng 01 năm 2024"
    )
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả thực hiện Kế hoạch cải cách hành chính năm 2023")
    d.add_paragraph("Căn cứ Kế hoạch số 9/KH-UBND ngày 05/01/2023 của UBND tỉnh, Sở Tư pháp báo cáo như sau:")
    d.add_paragraph("I. KẾT QUẢ")
    d.add_paragraph("Trong năm, Sở tiếp nhận 40 hồ sơ; 38 hồ sơ giải quyết đúng hạn, 2 hồ sơ quá hạn.")
    sign = d.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:\n- Sở Nội vụ;\n- Lưu: VT."
    sign.cell(0, 1).text = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\nLê Thị Hoa"
    d.add_paragraph("Phụ lục")
    d.add_paragraph("(Kèm theo Báo cáo số 07/BC-STP ngày 08/01/2024)")
    t = d.add_table(rows=4, cols=7)
    labels = ["STT", "Nhiệm vụ", "Kết quả thực hiện", "Hoàn thành tốt", "Hoàn thành", "Hoàn thành chậm",
              "Chưa hoàn thành"]
    rows = [labels,
            ["1", "Ban hành kế hoạch CCHC", "Kế hoạch số 3/KH-STP", "x", "", "", ""],
            ["2", "Tuyên truyền CCHC", "Đã thực hiện", "", "", "x", ""],
            ["3", "Kiểm tra CCHC tại các", "Chưa thực hiện", "", "", "", "x"]]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            t.cell(r, c).text = value
    # The table continues on the next page without its header; the first row ends the previous one.
    t2 = d.add_table(rows=2, cols=7)
    for r, values in enumerate([["", "phòng thuộc Sở", "", "", "", "", ""],
                                ["4", "Đánh giá chỉ số CCHC", "Đã thực hiện", "", "x", "", ""]]):
        for c, value in enumerate(values):
            t2.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_with_table_header_signature_table_and_split_task_table():
    result = extract(_docx_with_tables(), "bao-cao.docx")
    md = result["metadata"]
    assert md == {
        "province": "Lâm Đồng", "agency": "Sở Tư pháp", "document_type": "Báo cáo", "number": "07",
        "symbol": "BC-STP", "date": "2024-01-08",
        "title": "Kết quả thực hiện Kế hoạch cải cách hành chính năm 2023", "signer_name": "Lê Thị Hoa",
        "signer_title": "PHÓ GIÁM ĐỐC", "signing_authority": "KT. GIÁM ĐỐC", "recipients": ["Sở Nội vụ", "Lưu: VT"],
    }
    # No resolved total: the report states on time and late, and a reader does not add them up.
    assert result["figures"] == {"dossiers_received": 40, "dossiers_on_time": 38, "dossiers_late": 2}
    tasks = result["tasks"]
    assert [(t["code"], t["rating"]) for t in tasks] == [
        ("1", "Hoàn thành tốt"), ("2", "Hoàn thành chậm"), ("3", "Chưa hoàn thành"), ("4", "Hoàn thành")
    ]
    assert tasks[2]["content"] == "Kiểm tra CCHC tại các phòng thuộc Sở"
    assert [(r["number"], r["symbol"]) for r in result["references"]] == [("9", "KH-UBND"), ("3", "KH-STP")]


@pytest.mark.parametrize("markup", ["**", "<b>"])
def test_markdown_and_html_remnants_do_not_change_the_reading(markup):
    close = "</b>" if markup == "<b>" else markup
    text = DRAFT.replace("BÁO CÁO", f"{markup}BÁO CÁO{close}").replace("CHỦ TỊCH\n", f"{markup}CHỦ TỊCH{close}\n")
    result = extract_text(text)
    assert result["metadata"]["document_type"] == "Báo cáo"
    assert result["metadata"]["signer_title"] == "CHỦ TỊCH"


def test_an_upper_case_line_in_the_body_is_not_a_signature():
    body = "\n".join(f"Đoạn văn số {i} của báo cáo, không có chữ ký." for i in range(40))
    text = DRAFT.split("TM. ỦY BAN")[0].replace("2. Không có", "TĂNG TRƯỞNG KINH TẾ\n2. Không có") + body
    md = extract_text(text)["metadata"]
    assert (md["signer_title"], md["signer_name"], md["signing_authority"]) == (None, None, None)
