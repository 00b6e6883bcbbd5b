"""The figure reader on one wording at a time: what a careful reader takes from a sentence, and nothing else.

Each case is a short passage in the wording of a report and the exact figures it states (a figure the passage does
not state is a failure as much as a missed one). The rules are those of docs/extraction.md, "Figures".
"""

from __future__ import annotations

import pytest

from cchc.extraction import extract_text
from cchc.extraction.figures import parse_number, read_figures, sentences


def read(text: str) -> dict:
    return read_figures(text.split("\n"))[0]


@pytest.mark.parametrize(("written", "value"), [
    ("1.176.355", 1176355), ("98,81", 98.81), ("07", 7), ("0", 0), ("65.3", 65.3), ("13,6", 13.6),
    ("1.234,5", 1234.5), ("", None), ("1.2.3", None), ("12,", None),
])  # fmt: skip
def test_numbers_as_vietnamese_writes_them(written, value):
    assert parse_number(written) == value


CASES = [
    # --- numbers ---------------------------------------------------------------------------------------------------
    ("Trong quý, huyện tiếp nhận 5,65 ngàn hồ sơ.", {"dossiers_received": 5650}),
    ("Năm 2022, thành phố tiếp nhận 312,6 nghìn hồ sơ, trong đó 148,3 nghìn hồ sơ nộp trực tuyến.",
     {"dossiers_received": 312600, "dossiers_online": 148300}),
    ("Cổng thông tin điện tử của tỉnh đạt 1,2 triệu lượt truy cập trong năm.", {"website_visits": 1200000}),
    ("Xã nhận 01 hồ sơ, đã giải quyết 01 hồ sơ.", {"dossiers_received": 1, "dossiers_resolved": 1}),
    ("Sở đã hoàn thành 8/43 nhiệm vụ của Kế hoạch cải cách hành chính năm 2023.",
     {"plan_tasks_done": 8, "plan_tasks_total": 43}),
    ("Chỉ số CCHC năm 2022 của tỉnh đạt 87,32 điểm, xếp thứ 29/63 tỉnh, thành phố.",
     {"par_index_score": 87.32, "par_index_rank": 29}),
    ("Chỉ số PCI của tỉnh đạt 66,1 điểm, hạng 11/63.", {"pci_score": 66.1, "pci_rank": 11}),
    ("Chỉ số hài lòng của người dân (SIPAS) năm 2023 đạt 88,5%.", {"sipas_pct": 88.5}),
    ("Năm 2023, tỉnh đạt 84,61/100 điểm Bộ chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg.",
     {"index_766_score": 84.61}),
    # --- the words on both sides -----------------------------------------------------------------------------------
    ("Có 4.131 hồ sơ tiếp nhận mới trong kỳ.", {"dossiers_new": 4131}),
    ("Số hồ sơ tiếp nhận mới là 4.131 hồ sơ.", {"dossiers_new": 4131}),
    ("- Số hồ sơ tiếp nhận: 1.234 hồ sơ", {"dossiers_received": 1234}),
    ("Giải quyết đúng hạn 405 hồ sơ.", {"dossiers_on_time": 405}),
    ("Đúng và trước hạn 635.593 hồ sơ, chiếm tỷ lệ 98,81%.",
     {"dossiers_early_or_on_time": 635593, "on_time_rate_pct": 98.81}),
    ("Trước hạn 120 hồ sơ, đúng hạn 300 hồ sơ, quá hạn 4 hồ sơ.",
     {"dossiers_early": 120, "dossiers_on_time": 300, "dossiers_late": 4}),
    ("Tiếp nhận mới 4.131 hồ sơ; lũy kế đã và đang giải quyết trong kỳ là 6.302 hồ sơ.",
     {"dossiers_new": 4131, "dossiers_received": 6302}),
    ("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn đạt 99,9%; hồ sơ tiếp nhận trực tuyến chiếm 92,7%.",
     {"on_time_rate_pct": 99.9, "online_rate_pct": 92.7}),
    ("Số hồ sơ nộp trực tuyến còn thấp, chiếm 16,9% tổng số hồ sơ.", {"online_rate_pct": 16.9}),
    ("Có 47 thủ tục được cung cấp dịch vụ công trực tuyến toàn trình và 04 thủ tục dịch vụ công trực tuyến một phần.",
     {"procedures_online_full": 47, "procedures_online_partial": 4}),
    ("Số thủ tục cung cấp dịch vụ công trực tuyến mức độ 3 là 18 thủ tục, mức độ 4 là 06 thủ tục.",
     {"procedures_level3": 18, "procedures_level4": 6}),
    ("Sở có 624 văn bản đi được ký số trong quý.", {"signed_documents": 624}),
    ("Trong kỳ, Sở được UBND tỉnh giao 58 nhiệm vụ; đã hoàn thành 49/58 nhiệm vụ được giao.",
     {"directives_total": 58, "directives_done": 49}),
    ("Xã tiếp nhận và giải quyết 932 hồ sơ.", {"dossiers_received": 932, "dossiers_resolved": 932}),
    ("Thị xã tiếp nhận và xử lý 15 phản ánh qua hệ thống.", {"feedback_received": 15, "feedback_resolved": 15}),
    # --- lists and parentheses -------------------------------------------------------------------------------------
    ("Sở tiếp nhận 1.846 hồ sơ (trong đó 27 hồ sơ tồn từ quý trước, 312 hồ sơ nộp trực tuyến, 1.490 hồ sơ nộp trực "
     "tiếp và 17 hồ sơ qua dịch vụ bưu chính công ích).",
     {"dossiers_received": 1846, "dossiers_carried_over": 27, "dossiers_online": 312, "dossiers_direct": 1490,
      "dossiers_postal": 17}),
    ("Đã giải quyết 1.801 hồ sơ, trong đó 1.786 hồ sơ đúng hạn và trước hạn, 15 hồ sơ quá hạn; 45 hồ sơ đang giải "
     "quyết.",
     {"dossiers_resolved": 1801, "dossiers_early_or_on_time": 1786, "dossiers_late": 15, "dossiers_in_progress": 45}),
    ("Tổng số hồ sơ: 52.118 hồ sơ\nTrong đó: kỳ trước chuyển sang 2.046; tiếp nhận mới 50.072",
     {"dossiers_received": 52118, "dossiers_carried_over": 2046, "dossiers_new": 50072}),
    ("Tổng số hồ sơ tiếp nhận: 176.920, trong đó:\n- Trực tuyến: 131.274\n- Trực tiếp: 45.646",
     {"dossiers_received": 176920, "dossiers_online": 131274, "dossiers_direct": 45646}),
    ("Tiếp nhận: 4.705 hồ sơ (kỳ trước chuyển sang 128, mới 4.577)",
     {"dossiers_received": 4705, "dossiers_carried_over": 128, "dossiers_new": 4577}),
    ("Tỷ lệ hồ sơ tiếp nhận trực tuyến: 90% (36/40 hồ sơ tiếp nhận mới).", {"online_rate_pct": 90}),
    # --- breakdowns are not the subject's figure -------------------------------------------------------------------
    ("Cấp tỉnh tiếp nhận 77.833 hồ sơ, cấp huyện tiếp nhận 120.456 hồ sơ, cấp xã tiếp nhận 301.002 hồ sơ.", {}),
    ("Toàn tỉnh tiếp nhận 499.291 hồ sơ; trong đó cấp tỉnh 77.833 hồ sơ.", {"dossiers_received": 499291}),
    ("Tỉnh tiếp nhận 3.000 hồ sơ, trong đó lĩnh vực đất đai 1.200 hồ sơ.", {"dossiers_received": 3000}),
    ("Tỉnh tiếp nhận 3.000 hồ sơ, trong đó đất đai 1.200 hồ sơ, xây dựng 800 hồ sơ.", {"dossiers_received": 3000}),
    ("Các sở, ngành tiếp nhận 36.115 hồ sơ.", {}),
    ("Phường Bắc Sơn tiếp nhận nhiều nhất với 1.402 hồ sơ.", {}),
    ("Sở Nội vụ tiếp nhận 412 hồ sơ. Sở tổng hợp kết quả toàn tỉnh với 98.730 hồ sơ tiếp nhận.",
     {"dossiers_received": 412}),
    ("Chỉ số PCI của tỉnh đạt 64,83 điểm, trong khi tỉnh bạn dẫn đầu khu vực với 70,15 điểm.", {"pci_score": 64.83}),
    # --- other periods, targets, the future ------------------------------------------------------------------------
    ("Năm 2023 tỉnh tiếp nhận 1.234 hồ sơ, so với cùng kỳ năm 2022 tăng 12%.", {"dossiers_received": 1234}),
    ("Tỉnh tiếp nhận 1.234 hồ sơ (cùng kỳ năm trước: 1.100 hồ sơ).", {"dossiers_received": 1234}),
    ("Phấn đấu tỷ lệ hồ sơ trực tuyến đạt 50%, tỷ lệ hồ sơ giải quyết đúng hạn đạt 98%.", {}),
    ("Số hồ sơ giải quyết trễ hạn giảm còn 2.175 hồ sơ.", {"dossiers_late": 2175}),
    ("Năm 2023, Sở tiếp nhận 900 hồ sơ.\nNăm 2022, Sở tiếp nhận 700 hồ sơ.\nNăm 2023, Sở đã giải quyết 890 hồ sơ.",
     {"dossiers_received": 900, "dossiers_resolved": 890}),
    ("I. KẾT QUẢ\nSở tiếp nhận 100 hồ sơ.\nIII. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI\n"
     "Tiếp nhận 200 hồ sơ trực tuyến.",
     {"dossiers_received": 100}),
    # --- negations state zeros -------------------------------------------------------------------------------------
    ("Không có hồ sơ trễ hạn.", {"dossiers_late": 0}),
    ("Trong quý, Sở không nhận được phản ánh, kiến nghị nào.", {"feedback_received": 0}),
    ("Không có hồ sơ nộp trực tiếp, dịch vụ bưu chính.", {"dossiers_direct": 0, "dossiers_postal": 0}),
    ("Trong năm không phát sinh hồ sơ nào.", {"dossiers_received": 0}),
    ("Đã giải quyết 95 hồ sơ, không trễ hạn.", {"dossiers_resolved": 95, "dossiers_late": 0}),
    # --- in progress is not resolved, in-progress overdue is not late ----------------------------------------------
    ("Đang giải quyết 1.089 hồ sơ.", {"dossiers_in_progress": 1089}),
    ("Hiện còn 146 hồ sơ đang giải quyết, trong đó 38 hồ sơ đã quá hạn.",
     {"dossiers_in_progress": 146, "dossiers_in_progress_overdue": 38}),
    ("04 hồ sơ đang giải quyết (04 hồ sơ trong hạn, không có hồ sơ quá hạn).",
     {"dossiers_in_progress": 4, "dossiers_in_progress_overdue": 0}),
    ("Đang giải quyết quá hạn 12 hồ sơ.", {"dossiers_in_progress_overdue": 12}),
    # --- procedures announced in the period are not the catalogue --------------------------------------------------
    ("Trong quý, Chủ tịch UBND tỉnh công bố mới 12 TTHC, sửa đổi 5 TTHC, bãi bỏ 3 TTHC.", {}),
    ("Bộ thủ tục hành chính của Sở gồm 102 thủ tục, trong đó 88 thủ tục giải quyết theo cơ chế một cửa và 14 thủ tục "
     "theo cơ chế một cửa liên thông.",
     {"procedures_total": 102, "procedures_one_stop": 88, "procedures_interconnected": 14}),
    ("Đưa 03 thủ tục còn lại lên dịch vụ công trực tuyến.", {}),
    # --- numbers that are no figures -------------------------------------------------------------------------------
    ("Theo Kế hoạch số 12/KH-UBND ngày 15/9/2023 và Nghị định 61/2018/NĐ-CP, Sở tổ chức 03 cuộc họp.", {}),
    ("Giám đốc Sở khen thưởng 02 tập thể và 04 cá nhân có thành tích trong giải quyết hồ sơ.", {}),
    ("Sở áp dụng tiêu chuẩn TCVN ISO 9001:2015 trong giải quyết thủ tục hành chính.", {}),
    ("Tỉnh tiếp nhận trên 1.000 hồ sơ trực tuyến.", {}),
    ("Thành phố tiếp nhận 57 phản ánh, kiến nghị qua tổng đài 1022.", {"feedback_received": 57}),
    ("Do dịch Covid-19, xã tạm dừng tiếp nhận trực tiếp.", {}),
    # --- conflicts: the total wins, else the key is left out -------------------------------------------------------
    ("Sở tiếp nhận 300 hồ sơ.\nSở tiếp nhận 320 hồ sơ.", {}),
    ("Sở tiếp nhận 300 hồ sơ.\nTổng số hồ sơ tiếp nhận là 320 hồ sơ.", {"dossiers_received": 320}),
    # --- tables ----------------------------------------------------------------------------------------------------
    ("Chỉ tiêu | Số hồ sơ\nTổng số hồ sơ tiếp nhận | 3.982\n1.1 | Từ kỳ trước chuyển sang | 41\n"
     "Số hồ sơ đã giải quyết | 3.901",
     {"dossiers_received": 3982, "dossiers_carried_over": 41, "dossiers_resolved": 3901}),
    ("Đơn vị | Tiếp nhận | Đã giải quyết | Quá hạn\nCấp huyện | 2.318 | 2.250 | 11\nCấp xã | 6.904 | 6.881 | 0\n"
     "Toàn huyện | 9.222 | 9.131 | 11",
     {"dossiers_received": 9222, "dossiers_resolved": 9131, "dossiers_late": 11}),
    ("Đơn vị | Tiếp nhận | Đã giải quyết\nXã A | 100 | 90\nXã B | 200 | 180", {}),
]


@pytest.mark.parametrize(("text", "figures"), CASES, ids=[c[0][:60] for c in CASES])
def test_a_careful_reader_takes_these_figures_and_no_other(text, figures):
    assert read(text) == figures


def test_a_table_of_the_document_with_header_rows_over_one_another():
    rows = [
        ["TT", "Lĩnh vực", "Số hồ sơ nhận giải quyết", "", "", "Kết quả giải quyết", "", "", ""],
        ["", "", "Tổng số", "Trong đó", "", "Số hồ sơ đã giải quyết", "", "", "Số hồ sơ đang giải quyết"],
        ["", "", "", "Trực tuyến", "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", ""],
        ["1", "Hộ tịch", "30", "20", "1", "28", "20", "8", "2"],
        ["", "Tổng cộng", "42", "36", "2", "38", "32", "6", "4"],
    ]
    figures, sources = read_figures(["Kết quả giải quyết hồ sơ theo lĩnh vực như sau:"], tables=[(1, rows)])
    assert figures == {
        "dossiers_received": 42, "dossiers_carried_over": 2, "dossiers_online": 36, "dossiers_resolved": 38,
        "dossiers_early": 32, "dossiers_on_time": 6, "dossiers_in_progress": 4,
    }  # fmt: skip
    assert sources["dossiers_early"] == "\tTổng cộng\t42\t36\t2\t38\t32\t6\t4"  # the row as the text holds it


def test_each_figure_keeps_the_sentence_it_was_read_from():
    text = ("I. KẾT QUẢ\nTrong quý I năm 2023, Sở đã tiếp nhận 74 hồ sơ, trong đó 69 hồ sơ nộp trực tuyến. "
            "Đã giải quyết 70 hồ sơ, không có hồ sơ quá hạn.")
    figures, sources = read_figures(text.split("\n"))
    assert set(sources) == set(figures) == {"dossiers_received", "dossiers_online", "dossiers_resolved",
                                            "dossiers_late"}
    assert sources["dossiers_online"].startswith("Trong quý I năm 2023, Sở đã tiếp nhận 74 hồ sơ")
    assert sources["dossiers_late"] == "Đã giải quyết 70 hồ sơ, không có hồ sơ quá hạn."


def test_extract_text_reads_tab_separated_tables_of_the_body():
    text = "Kết quả giải quyết hồ sơ 9 tháng:\nChỉ tiêu\tSố lượng\nHồ sơ tiếp nhận mới\t3.066\nHồ sơ trực tuyến\t2.913"
    assert extract_text(text)["figures"] == {"dossiers_new": 3066, "dossiers_online": 2913}


def test_the_keys_are_the_vocabulary_in_its_order():
    from cchc.extraction.vocabulary import FIGURE_LABELS

    found = read("Đã giải quyết 70 hồ sơ. Sở tiếp nhận 74 hồ sơ. Không có hồ sơ quá hạn.")
    assert list(found) == [key for key in FIGURE_LABELS if key in found]
    assert set(found) <= set(FIGURE_LABELS)


def test_sentences_of_a_paragraph_without_their_bullets():
    assert sentences("- Sở tiếp nhận 10 hồ sơ. Đã giải quyết 9 hồ sơ; - Còn 1 hồ sơ.") == [
        "Sở tiếp nhận 10 hồ sơ.", "Đã giải quyết 9 hồ sơ;", "Còn 1 hồ sơ."
    ]


# --- time: linear in the text, whatever its shape --------------------------------------------------------------------

_REPORT_LINES = [
    "I. KẾT QUẢ THỰC HIỆN",
    "- Kế hoạch cải cách hành chính năm 2023 của Sở gồm 40 nhiệm vụ; đã hoàn thành 9/40 nhiệm vụ.",
    "- Trong quý I năm 2023 (từ ngày 15/12/2022 đến ngày 14/3/2023), Sở đã tiếp nhận 74 hồ sơ, trong đó 02 hồ sơ "
    "từ kỳ trước chuyển sang, 69 hồ sơ nộp trực tuyến, 03 hồ sơ nộp trực tiếp; đã giải quyết 70 hồ sơ (68 hồ sơ "
    "trước và đúng hạn, 02 hồ sơ quá hạn); 04 hồ sơ đang giải quyết.",
    "Thực hiện Quyết định số 1046/QĐ-UBND ngày 19/7/2019 và Công văn số 905/SNV-CCHC ngày 03/9/2019 của Sở Nội vụ.",
    "Sở tổ chức 02 lớp tập huấn cho 85 công chức; không có phản ánh, kiến nghị về quy định hành chính.",
]
_SHAPES = {
    "report lines": lambda n: _REPORT_LINES * n,
    "one line repeated": lambda n: ["- Tiếp nhận: 1.234 hồ sơ, trong đó trực tuyến 1.000 hồ sơ;"] * (8 * n),
    "one endless paragraph": lambda n: ["Sở tiếp nhận 1.234 hồ sơ, trong đó 1.000 hồ sơ trực tuyến (đúng hạn 900, "
                                        "trễ hạn 3; " * (8 * n)],
    "parentheses in parentheses": lambda n: ["(" * (300 * n) + "tiếp nhận 5 hồ sơ" + ")" * (300 * n)],
    "negations without end": lambda n: ["không có hồ sơ trễ hạn, " * (20 * n)],
}


def _cpu(lines) -> float:
    import time

    start = time.process_time()
    read_figures(lines)
    return time.process_time() - start


@pytest.mark.parametrize("shape", list(_SHAPES))
def test_reading_time_grows_in_proportion_to_the_text(shape):
    make = _SHAPES[shape]
    small, large = make(40), make(320)
    _cpu(small)  # warm up
    t_small = min(_cpu(small) for _ in range(2))
    t_large = _cpu(large)
    # Eight times the text: well under sixteen times the time (a quadratic reader takes sixty-four).
    assert t_large < 16 * t_small + 0.3, (shape, t_small, t_large)


def test_a_table_of_fifty_thousand_rows_reads_in_no_time():
    rows = [["Đơn vị", "Tiếp nhận", "Đã giải quyết"]] + [[f"Xã {i}", "1.234", "1.200"] for i in range(50_000)]
    rows.append(["Tổng cộng", "61.700.000", "60.000.000"])
    assert _cpu_table(rows) < 2.0


def _cpu_table(rows) -> float:
    import time

    start = time.process_time()
    figures, _ = read_figures([], tables=[(0, rows)])
    assert figures == {"dossiers_received": 61_700_000, "dossiers_resolved": 60_000_000}
    return time.process_time() - start
