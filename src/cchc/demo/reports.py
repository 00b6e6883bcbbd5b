"""Draft reports of the demo Sở KH&CN: the Q1/2023 CCHC report, with the narrative an officer would have typed in
the style of the Bà Rịa - Vũng Tàu sample, and the annual 2023 report (its appendix rates every plan item).

Figures are not typed here: the computed blocks recompute them from the dossiers and plans at each build. A report
is created, and its sections written, only when the agency has no report of that template and period (whatever its
status), so a second build, or a build after an officer edited or submitted the report, changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from cchc.agencies.models import Agency
from cchc.reports import services
from cchc.reports.models import Report, ReportSection
from cchc.reports.templates_registry import get_template

from .data import Summary

AGENCY = "SKHCN"

Q1_SECTIONS: dict[str, str] = {
    "direction.steering": (
        "- Sở luôn quan tâm chỉ đạo công tác cải cách hành chính tại các cuộc họp giao ban, trong đó chỉ đạo khắc "
        "phục những tiêu chí còn hạn chế, đôn đốc các phòng, đơn vị được giao nhiệm vụ tập trung tham mưu thực hiện "
        "các nội dung kế hoạch, tăng cường giải quyết thủ tục hành chính đúng thời gian quy định, không để trễ hẹn.\n"
        "- Việc tổ chức các cuộc hội nghị, họp giao ban về công tác CCHC: lồng ghép trong các cuộc giao ban hằng "
        "tháng của Sở.\n"
        "- Công tác thi đua, khen thưởng gắn với việc thực hiện nhiệm vụ CCHC: ban hành Kế hoạch số 10/KH-SKHCN "
        "ngày 10/02/2023 về công tác thi đua, khen thưởng năm 2023 của Sở Khoa học và Công nghệ.\n"
        "- Đánh giá về những mô hình, sáng kiến, giải pháp mới trong CCHC: cơ bản chưa xây dựng được mô hình, giải "
        "pháp mới.\n"
        "- Việc thực hiện Chỉ thị số 10/CT-UBND ngày 16/8/2021 của Chủ tịch UBND tỉnh về nâng cao hiệu quả công tác "
        "CCHC: tiếp tục thực hiện Quyết định số 537/QĐ-UBND ngày 21/02/2022 công bố Danh mục thủ tục hành chính cắt "
        "giảm thời gian giải quyết so với quy định hiện hành thuộc thẩm quyền giải quyết của Sở Khoa học và Công "
        "nghệ."
    ),
    "direction.inspection": (
        "- *Việc ban hành kế hoạch kiểm tra, tự kiểm tra CCHC, công vụ hằng năm theo quy định:* ban hành Kế hoạch "
        "số 06/KH-SKHCN ngày 02/02/2023 về kiểm tra công vụ của Sở Khoa học và Công nghệ năm 2023; Quyết định số "
        "09/QĐ-SKHCN ngày 08/02/2023 thành lập Đoàn kiểm tra công vụ năm 2023 của Sở Khoa học và Công nghệ.\n"
        "- *Đánh giá về công tác kiểm tra, tự kiểm tra CCHC:* chưa tiến hành kiểm tra (dự kiến thực hiện và hoàn "
        "thành trong quý III/2023)."
    ),
    "direction.communication": (
        "- *Việc xây dựng và ban hành kế hoạch tuyên truyền CCHC:* ban hành Kế hoạch số 17/KH-SKHCN ngày 01/3/2023 "
        "về thông tin, tuyên truyền cải cách hành chính của Sở Khoa học và Công nghệ năm 2023.\n"
        "- *Kết quả thực hiện kế hoạch tuyên truyền:* trong quý I/2023 đã cập nhật các văn bản chỉ đạo của Chính "
        "phủ, Bộ, ngành Trung ương và của tỉnh về cải cách hành chính lên chuyên mục CCHC trên Trang thông tin điện "
        "tử của Sở: 07 tin chỉ đạo, điều hành CCHC; tuyên truyền trên các ấn phẩm thông tin khoa học và công nghệ "
        "(03 bài viết bản giấy)."
    ),
    "results.institutions.drafting": (
        "Tham mưu UBND tỉnh đề nghị Hội đồng nhân dân tỉnh bãi bỏ Nghị quyết số 43/NQ-HĐND ngày 14/12/2018 của "
        "Hội đồng nhân dân tỉnh về chủ trương hỗ trợ doanh nghiệp nhỏ và vừa khởi nghiệp sáng tạo giai đoạn 2019 - "
        "2025 tại Tờ trình số 09/TTr-SKHCN ngày 08/02/2023."
    ),
    "results.institutions.enforcement": (
        "- Ban hành Kế hoạch số 01/KH-SKHCN ngày 09/01/2023 về theo dõi tình hình thi hành pháp luật năm 2023 của "
        "Sở Khoa học và Công nghệ.\n"
        "- Ban hành Kế hoạch số 02/KH-SKHCN ngày 09/01/2023 về quản lý công tác thi hành pháp luật về xử lý vi phạm "
        "hành chính năm 2023."
    ),
    "results.institutions.review": (
        "Ban hành Kế hoạch số 11/KH-SKHCN ngày 13/02/2023 về rà soát văn bản quy phạm pháp luật năm 2023 và Kế hoạch "
        "số 20/KH-SKHCN ngày 13/03/2023 về kiểm tra và xử lý văn bản quy phạm pháp luật năm 2023."
    ),
    "results.procedures": (
        "- Kết quả rà soát, cắt giảm, đơn giản hóa TTHC: ban hành Kế hoạch số 03/KH-SKHCN ngày 13/01/2023 về rà "
        "soát, đánh giá thủ tục hành chính năm 2023; việc rà soát thực hiện trong quý II/2023."
    ),
    "results.procedures.feedback": (
        "Trong quý I năm 2023 không có phản ánh, kiến nghị của người dân, tổ chức liên quan đến quy định TTHC."
    ),
    "results.procedures.quality": "Kết quả đánh giá chất lượng giải quyết TTHC: Tốt.",
}

ANNUAL_SECTIONS: dict[str, str] = {
    "assessment.strengths": (
        "Công tác cải cách hành chính được lãnh đạo Sở quan tâm chỉ đạo; các kế hoạch được ban hành kịp thời; hồ sơ "
        "thủ tục hành chính chủ yếu được tiếp nhận trực tuyến và giải quyết trước, đúng hạn."
    ),
    "assessment.weaknesses": (
        "Một số nhiệm vụ hoàn thành chậm so với kế hoạch (đề án vị trí việc làm, phương án tự chủ tài chính); việc "
        "số hóa hồ sơ, kết quả giải quyết TTHC và xây dựng cơ sở dữ liệu khoa học và công nghệ chưa hoàn thành do "
        "hạn chế về kinh phí và hạ tầng."
    ),
}

# The grounds the samples open with, before the template's opening sentence.
GROUNDS = (
    "Thực hiện Quyết định số 4047/QĐ-UBND ngày 30/12/2022 của UBND tỉnh Quảng Trị về ban hành Kế hoạch cải cách "
    "hành chính nhà nước tỉnh Quảng Trị năm 2023,"
)

DRAFTS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("cchc-quarterly", "2023-Q1", Q1_SECTIONS),
    ("cchc-annual", "2023", ANNUAL_SECTIONS),
)


def build_reports(agencies: dict[str, Agency], users: dict, summary: Summary) -> list[Report]:
    """The draft reports of the demo Sở KH&CN (see the module's docstring for what a second run does)."""
    agency = agencies[AGENCY]
    officer = users["skhcn.chuyenvien"]
    built = []
    for slug, period, texts in DRAFTS:
        with transaction.atomic():
            template = get_template(slug, agency)
            report = Report.objects.filter(agency=agency, template=template, period_key=period).order_by("pk").first()
            if report is None:
                report = services.find_or_create_draft(agency, slug, period, officer)
                summary.add("báo cáo")
                report = services.update_report(report, officer, intro=f"{GROUNDS}\n{report.intro}")
                sections = ReportSection.objects.filter(report=report, key__in=list(texts), version=1)
                for section in sections.select_related("report"):
                    services.save_section(section, texts[section.key], section.version, officer)
                    summary.add("mục báo cáo đã soạn")
            built.append(report)
    return built
