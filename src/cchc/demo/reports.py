"""Draft reports of the demo Sở KH&CN: the Q1/2023 CCHC report and the annual 2023 report (its appendix rates every
plan item), with the narrative an officer of the Sở would have typed, written for the demo's own registry and plans
(demo/documents.py, demo/plans.py).

Figures of dossiers, procedures, plans and feedback are not typed here: the computed blocks recompute them at each
build, and the narrative only adds what the system does not know (meetings, inspections, articles, fees). A report is
created, and its sections written, only when the agency has no report of that template and period (whatever its
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

# The prompts of the template's sections stay at the head of each line, as an officer fills them in.
Q1_SECTIONS: dict[str, str] = {
    "direction.steering": (
        "- Lãnh đạo Sở chỉ đạo công tác cải cách hành chính qua giao ban hằng tuần của Ban Giám đốc và giao ban "
        "tháng; tại giao ban tháng 02 và tháng 3/2023, Giám đốc Sở yêu cầu các phòng, đơn vị rà soát từng nội dung "
        "kế hoạch được giao và báo cáo bằng văn bản nội dung có nguy cơ chậm tiến độ.\n"
        "- Hội nghị, cuộc họp giao ban có nội dung CCHC trong kỳ: Hội nghị triển khai nhiệm vụ năm 2023 "
        "ngày 11/01/2023 dành một phần nội dung cho cải cách hành chính (Thông báo số 03/TB-SKHCN ngày "
        "11/01/2023); công tác CCHC là nội dung thường kỳ của 03 cuộc giao ban tháng trong quý.\n"
        "- Khen thưởng, thi đua xét theo kết quả làm CCHC: Sở phát động phong trào thi đua "
        "“Đổi mới, sáng tạo trong phục vụ người dân, doanh nghiệp” (Kế hoạch số 13/KH-SKHCN ngày 14/02/2023); kết "
        "quả thực hiện nhiệm vụ CCHC là một tiêu chí bình xét thi đua cuối năm của các phòng, đơn vị.\n"
        "- Mô hình, sáng kiến, cách làm mới về CCHC và nhận xét: từ tháng 3/2023, Bộ phận tiếp nhận và "
        "trả kết quả thử nghiệm gửi tin nhắn nhắc tổ chức, cá nhân thời hạn bổ sung hồ sơ; Sở sẽ đánh giá hiệu quả "
        "sau 06 tháng trước khi áp dụng chính thức.\n"
        "- Việc thực hiện Chỉ thị số 07/CT-UBND ngày 22/6/2021 của Chủ tịch UBND tỉnh: Sở đã báo cáo kết quả thực "
        "hiện năm 2022 (Báo cáo số 02/BC-SKHCN ngày 09/01/2023) và tiếp tục đưa việc chấp hành kỷ luật, kỷ cương "
        "hành chính vào nội dung kiểm tra công vụ năm 2023."
    ),
    "direction.inspection": (
        "- *Kế hoạch kiểm tra, tự kiểm tra CCHC và công vụ của năm (số, ngày ban hành):* ban hành Kế hoạch số "
        "09/KH-SKHCN ngày 06/02/2023 về kiểm tra công tác cải cách hành chính, công vụ năm 2023 (kiểm tra 06 phòng, "
        "đơn vị trong quý III/2023) và Quyết định số 02/QĐ-SKHCN ngày 06/02/2023 thành lập Tổ kiểm tra.\n"
        "- *Các cuộc kiểm tra đã làm (theo kế hoạch, đột xuất) và việc xử lý sau kiểm tra:* trong quý chưa đến thời "
        "điểm kiểm tra theo kế hoạch; ngày 02/3/2023, Tổ kiểm tra tiến hành "
        "kiểm tra đột xuất việc chấp hành giờ làm việc tại Bộ phận tiếp nhận và trả kết quả, không phát hiện vi phạm."
    ),
    "direction.communication": (
        "- *Kế hoạch tuyên truyền CCHC của năm (số, ngày ban hành):* ban hành Kế hoạch số 14/KH-SKHCN ngày 20/02/2023 "
        "về thông tin, tuyên truyền cải cách hành chính năm 2023, giao Trung tâm Thông tin và Ứng dụng KH&CN chủ trì "
        "đăng tải tin, bài.\n"
        "- *Những việc tuyên truyền đã làm và phần kế hoạch đã hoàn thành:* đến ngày 14/3/2023 đã đăng "
        "09 tin, bài về cải cách hành chính trên Trang thông tin điện tử của Sở (chỉ tiêu cả năm: 24 tin, bài) và "
        "01 bài trên Bản tin Khoa học và Công nghệ Quảng Trị số đầu năm."
    ),
    "results.institutions.drafting": (
        "Sở hoàn thiện dự thảo Quyết định sửa đổi, bổ sung Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh "
        "theo ý kiến thẩm định của Sở Tư pháp và trình UBND tỉnh tại Tờ trình số 10/TTr-SKHCN ngày 08/02/2023; dự "
        "thảo đang được UBND tỉnh lấy ý kiến các sở, ngành."
    ),
    "results.institutions.enforcement": (
        "- Ban hành Kế hoạch số 07/KH-SKHCN ngày 30/01/2023 về theo dõi tình hình thi hành pháp luật trong lĩnh vực "
        "khoa học và công nghệ năm 2023, tập trung vào đo lường, chất lượng hàng hóa và an toàn bức xạ.\n"
        "- Dịp Tết Nguyên đán Quý Mão, Chi cục Tiêu chuẩn Đo lường Chất lượng kiểm tra 18 cửa hàng xăng dầu, xử phạt "
        "vi phạm hành chính 01 cơ sở về đo lường (Báo cáo số 20/BC-SKHCN ngày 13/3/2023)."
    ),
    "results.institutions.dissemination": (
        "Đăng tải 07 văn bản quy phạm pháp luật mới về khoa học và công nghệ trên Trang thông tin điện tử của Sở; "
        "phổ biến các quy định về an toàn bức xạ cho người phụ trách an toàn của các cơ sở X-quang y tế khi tiếp nhận "
        "hồ sơ cấp phép."
    ),
    "results.institutions.review": (
        "Ban hành Kế hoạch số 08/KH-SKHCN ngày 31/01/2023 về rà soát, hệ thống hóa văn bản quy phạm pháp luật về khoa "
        "học và công nghệ năm 2023; đến ngày 14/3/2023 đã lập danh mục 21 văn bản do HĐND, UBND tỉnh ban hành cần rà "
        "soát trong quý II/2023."
    ),
    "results.procedures": (
        "- TTHC đã rà soát; TTHC đề nghị cắt giảm, đơn giản hóa: ban hành Kế hoạch số 05/KH-SKHCN ngày 17/01/2023 về "
        "kiểm "
        "soát thủ tục hành chính năm 2023. Sở đề xuất cắt giảm thời hạn giải quyết thủ tục cấp chứng chỉ nhân viên "
        "bức xạ (Tờ trình số 15/TTr-SKHCN ngày 22/02/2023); UBND tỉnh đã phê duyệt tại Quyết định số 512/QĐ-UBND ngày "
        "06/3/2023, thời hạn giảm từ 15 xuống 10 ngày làm việc, áp dụng từ ngày 15/3/2023."
    ),
    "results.procedures.one_stop": (
        "+ Bộ phận Một cửa trong kỳ (nhân sự, nơi làm việc, cách tổ chức): Sở cử 02 công chức làm việc luân phiên "
        "theo tuần tại "
        "Bộ phận tiếp nhận và trả kết quả của Sở tại Trung tâm Phục vụ hành chính công tỉnh (Quyết định số "
        "04/QĐ-SKHCN ngày 10/3/2023); trang bị thêm 01 máy quét tài liệu.\n"
        "+ Số hóa hồ sơ, giấy tờ và kết quả giải quyết TTHC đã làm được: ban hành Kế hoạch số 16/KH-SKHCN ngày "
        "27/02/2023 về số hóa hồ sơ, kết quả giải quyết TTHC năm 2023; hồ sơ nộp trực tiếp được số hóa ngay khi "
        "tiếp nhận, kết quả giải quyết các năm trước đang được số hóa dần."
    ),
    "results.procedures.feedback": (
        "Sở công khai số điện thoại, địa chỉ thư điện tử tiếp nhận phản ánh, kiến nghị tại Bộ phận tiếp nhận và trả "
        "kết quả và trên Trang thông tin điện tử; hộp thư góp ý được mở vào thứ Sáu hằng tuần."
    ),
    "results.procedures.quality": (
        "Kết quả đánh giá việc giải quyết TTHC được cập nhật đầy đủ trên Hệ thống thông tin giải quyết TTHC của tỉnh; "
        "trong quý không có lượt đánh giá không hài lòng."
    ),
    "results.organisation": (
        "- Quy định về chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức đã rà soát hoặc sửa đổi: triển "
        "khai Quyết định số 18/2022/QĐ-UBND ngày 09/11/2022 của UBND tỉnh, Giám đốc Sở ban hành Quyết định số "
        "01/QĐ-SKHCN ngày 05/01/2023 quy định chức năng, nhiệm vụ của Văn phòng và các phòng chuyên môn, nghiệp vụ.\n"
        "- Biên chế công chức, viên chức được giao, đang dùng và nhận xét: Sở sử dụng biên chế trong số được "
        "giao; không ký hợp đồng lao động làm công việc chuyên môn.\n"
        "- Thực hiện phân cấp quản lý nhà nước và nhận xét: Sở đang rà soát các thủ tục về đo "
        "lường có thể phân cấp cho Chi cục Tiêu chuẩn Đo lường Chất lượng, dự kiến đề xuất trong quý III/2023."
    ),
    "results.civil_service": (
        "- Vị trí việc làm của công chức, viên chức (đề án, quyết định phê duyệt): Sở tiếp tục thực hiện "
        "danh mục vị trí việc làm đã được phê duyệt; trong quý không phát sinh điều chỉnh.\n"
        "- Tuyển dụng công chức, viên chức trong kỳ: trong quý không tổ chức tuyển dụng.\n"
        "- Kỷ luật, kỷ cương hành chính (vi phạm, xử lý nếu có): công chức, viên chức "
        "chấp hành nghiêm giờ làm việc và quy chế văn hóa công vụ; không có trường hợp bị kỷ luật.\n"
        "- Đào tạo, bồi dưỡng cán bộ, công chức, viên chức (số lớp, số lượt): ban hành Kế hoạch số 12/KH-SKHCN ngày "
        "13/02/2023 về đào tạo, bồi dưỡng công chức, viên chức năm 2023; đăng ký 05 lượt tham gia các lớp do tỉnh tổ "
        "chức trong năm."
    ),
    "results.public_finance": (
        "- *Quản lý tài chính - ngân sách trong kỳ:* giao dự toán năm 2023 cho các đơn vị và "
        "công khai dự toán theo Quyết định số 03/QĐ-SKHCN ngày 15/02/2023; thu phí, lệ phí đến ngày 14/3/2023 đạt "
        "31,4 triệu đồng (23,3% dự toán năm).\n"
        "- *Quản lý, sử dụng tài sản công:* trong quý không phát sinh mua sắm, thanh lý "
        "tài sản.\n"
        "- *Tự chủ tài chính của các đơn vị sự nghiệp công lập trực thuộc:* Trung tâm Thông tin và Ứng "
        "dụng KH&CN tiếp tục thực hiện phương án tự chủ đã được phê duyệt theo Nghị định số 60/2021/NĐ-CP."
    ),
    "results.digital": (
        "- *Hạ tầng kỹ thuật (máy, mạng, an toàn thông tin):* ban hành Kế hoạch số 18/KH-SKHCN ngày 07/3/2023 về ứng "
        "dụng công nghệ thông tin, chuyển đổi số năm 2023; mạng nội bộ và đường truyền số liệu chuyên dùng hoạt động "
        "ổn định.\n"
        "- *Nền tảng và cơ sở dữ liệu dùng chung:* tiếp tục cập nhật kết quả các nhiệm vụ khoa "
        "học và công nghệ cấp tỉnh vào cơ sở dữ liệu của Sở.\n"
        "- *Ứng dụng, dịch vụ dùng trong nội bộ Sở:* 100% văn bản đi (trừ văn bản mật) được ký số "
        "và gửi trên hệ thống quản lý văn bản và điều hành của tỉnh."
    ),
    "assessment.strengths": (
        "Các kế hoạch chuyên đề năm 2023 được ban hành ngay trong quý I, giao rõ phòng, đơn vị chủ trì và thời hạn; "
        "hồ sơ TTHC chủ yếu được tiếp nhận trực tuyến và giải quyết trước, đúng hạn; phương án cắt giảm thời hạn giải "
        "quyết thủ tục cấp chứng chỉ nhân viên bức xạ được phê duyệt và áp dụng từ ngày 15/3/2023."
    ),
    "assessment.weaknesses": (
        "Việc cập nhật quy trình nội bộ giải quyết TTHC trên Hệ thống thông tin giải quyết TTHC của tỉnh chưa xong "
        "trong tháng 02/2023 như kế hoạch, do phải chờ phê duyệt phương án cắt giảm thời hạn; hồ sơ giấy của các năm "
        "trước còn nhiều, việc số hóa chậm vì thiếu máy quét khổ lớn."
    ),
    "direction_next": (
        "- Hoàn thành cập nhật quy trình nội bộ của các TTHC trên Hệ thống thông tin giải quyết TTHC của tỉnh trong "
        "tháng 3/2023.\n"
        "- Rà soát văn bản quy phạm pháp luật theo Kế hoạch số 08/KH-SKHCN; chuẩn bị nội dung kiểm tra cải cách hành "
        "chính, công vụ quý III/2023.\n"
        "- Tích hợp thanh toán trực tuyến phí, lệ phí đối với các TTHC có thu phí; tiếp tục hướng dẫn tổ chức, cá nhân "
        "nộp hồ sơ trực tuyến.\n"
        "- Đẩy nhanh số hóa kết quả giải quyết TTHC còn hiệu lực theo Kế hoạch số 16/KH-SKHCN."
    ),
    "proposals": (
        "Đề nghị Văn phòng UBND tỉnh sớm nâng cấp Hệ thống thông tin giải quyết TTHC của tỉnh để kết nối thanh toán "
        "trực tuyến đối với các thủ tục lĩnh vực an toàn bức xạ có thu phí thẩm định."
    ),
}

ANNUAL_SECTIONS: dict[str, str] = {
    "direction.steering": (
        "- Hội nghị, cuộc họp giao ban có nội dung CCHC trong kỳ: công tác CCHC là nội dung thường kỳ của 11 "
        "cuộc giao ban tháng; Sở sơ kết công tác CCHC 6 tháng đầu năm ngày 05/7/2023.\n"
        "- Khen thưởng, thi đua xét theo kết quả làm CCHC: kết quả thực hiện nhiệm vụ CCHC là tiêu "
        "chí bình xét thi đua năm 2023; Sở đề nghị khen thưởng 02 tập thể, 05 cá nhân có thành tích trong phong trào "
        "“Đổi mới, sáng tạo trong phục vụ người dân, doanh nghiệp”.\n"
        "- Mô hình, sáng kiến, cách làm mới về CCHC và nhận xét: tin nhắn nhắc thời hạn bổ sung hồ sơ được "
        "áp dụng chính thức tại Bộ phận tiếp nhận và trả kết quả từ tháng 9/2023, sau 06 tháng thử nghiệm."
    ),
    "direction.inspection": (
        "- *Kế hoạch kiểm tra, tự kiểm tra CCHC và công vụ của năm (số, ngày ban hành):* Kế hoạch số "
        "09/KH-SKHCN ngày 06/02/2023 và Quyết định số 02/QĐ-SKHCN ngày 06/02/2023 thành lập Tổ kiểm tra.\n"
        "- *Các cuộc kiểm tra đã làm (theo kế hoạch, đột xuất) và việc xử lý sau kiểm tra:* trong quý III/2023, Tổ "
        "kiểm tra đã kiểm tra 04/06 phòng, đơn vị, kiến nghị chấn chỉnh 07 nội "
        "dung về niêm yết TTHC và lưu trữ hồ sơ; các đơn vị đã khắc phục xong. Văn phòng Sở và Bộ phận tiếp nhận và "
        "trả kết quả chuyển sang kiểm tra trong quý I/2024. Kiểm tra đột xuất 03 lần việc chấp hành giờ làm việc."
    ),
    "direction.communication": (
        "- *Kế hoạch tuyên truyền CCHC của năm (số, ngày ban hành):* Kế hoạch số 14/KH-SKHCN ngày 20/02/2023.\n"
        "- *Những việc tuyên truyền đã làm và phần kế hoạch đã hoàn thành:* đến ngày 14/12/2023 đã đăng "
        "35 tin, bài về CCHC trên Trang thông tin điện tử của Sở (vượt chỉ tiêu 24 tin, bài) và 05 bài trên Bản tin "
        "Khoa học và Công nghệ Quảng Trị."
    ),
    "results.institutions.drafting": (
        "Tham mưu UBND tỉnh ban hành Quyết định sửa đổi, bổ sung Quy định quản lý nhiệm vụ khoa học và công nghệ cấp "
        "tỉnh: Sở trình dự thảo tại Tờ trình số 10/TTr-SKHCN ngày 08/02/2023, UBND tỉnh ban hành ngày 19/5/2023."
    ),
    "results.institutions.enforcement": (
        "Thực hiện Kế hoạch số 07/KH-SKHCN ngày 30/01/2023, Sở theo dõi việc thi hành pháp luật về đo lường, chất "
        "lượng và an toàn bức xạ; 6 tháng đầu năm xử phạt 04 cơ sở vi phạm với tổng số tiền 27,5 triệu đồng, báo cáo "
        "Sở Tư pháp đúng hạn."
    ),
    "results.institutions.dissemination": (
        "Tổ chức 02 hội nghị phổ biến quy định mới về tiêu chuẩn, đo lường, chất lượng và an toàn bức xạ với 146 lượt "
        "đại biểu là công chức, viên chức và doanh nghiệp; đăng tải 19 văn bản mới trên Trang thông tin điện tử."
    ),
    "results.institutions.review": (
        "Rà soát 21 văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành về khoa học và công nghệ theo Kế hoạch số "
        "08/KH-SKHCN ngày 31/01/2023; kiến nghị bãi bỏ 02 văn bản không còn đối tượng điều chỉnh."
    ),
    "results.procedures": (
        "- TTHC đã rà soát; TTHC đề nghị cắt giảm, đơn giản hóa: thời hạn giải quyết thủ tục cấp chứng chỉ nhân viên "
        "bức xạ "
        "giảm từ 15 xuống 10 ngày làm việc từ ngày 15/3/2023 (Quyết định số 512/QĐ-UBND ngày 06/3/2023); từ ngày "
        "01/7/2023, thủ tục cấp Giấy chứng nhận đăng ký chuyển giao công nghệ được cung cấp trực tuyến toàn trình "
        "(Quyết định số 1289/QĐ-UBND ngày 15/6/2023)."
    ),
    "results.procedures.one_stop": (
        "+ Bộ phận Một cửa trong kỳ (nhân sự, nơi làm việc, cách tổ chức): duy trì 02 công chức làm việc luân phiên; "
        "khảo sát "
        "tháng 11/2023 cho thấy 97,5% tổ chức, cá nhân hài lòng với thái độ phục vụ và thời gian giải quyết.\n"
        "+ Số hóa hồ sơ, giấy tờ và kết quả giải quyết TTHC đã làm được: hồ sơ nộp trực tiếp được số hóa khi tiếp "
        "nhận; kết quả giải quyết từ năm 2021 đã được số hóa, hồ sơ giấy các năm trước chưa số hóa xong."
    ),
    "results.procedures.feedback": (
        "Mọi phản ánh, kiến nghị đều được trả lời bằng văn bản; nội dung không thuộc thẩm quyền được hướng dẫn gửi cơ "
        "quan có thẩm quyền giải quyết."
    ),
    "results.procedures.quality": (
        "Kết quả đánh giá việc giải quyết TTHC được cập nhật đầy đủ trên Hệ thống thông tin giải quyết TTHC của tỉnh; "
        "Sở cập nhật 12 quy trình ISO 9001:2015 theo các TTHC được sửa đổi và đánh giá nội bộ ngày 24/11/2023."
    ),
    "results.organisation": (
        "- Quy định về chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức đã rà soát hoặc sửa đổi: Quyết "
        "định số 01/QĐ-SKHCN ngày 05/01/2023 quy định chức năng, nhiệm vụ của Văn phòng và các phòng; phương án giảm "
        "từ 03 xuống 02 phòng thuộc Chi cục Tiêu chuẩn Đo lường Chất lượng đã trình Sở Nội vụ ngày 30/6/2023.\n"
        "- Biên chế công chức, viên chức được giao, đang dùng và nhận xét: tinh giản 01 biên chế từ ngày "
        "01/12/2023 theo lộ trình; số người làm việc không vượt số được giao.\n"
        "- Thực hiện phân cấp quản lý nhà nước và nhận xét: Sở đề xuất phân cấp 04 TTHC về đo "
        "lường cho Chi cục Tiêu chuẩn Đo lường Chất lượng ngày 12/10/2023, chậm so với kế hoạch quý III/2023."
    ),
    "results.civil_service": (
        "- Vị trí việc làm của công chức, viên chức (đề án, quyết định phê duyệt): không phát sinh điều "
        "chỉnh danh mục vị trí việc làm.\n"
        "- Tuyển dụng công chức, viên chức trong kỳ: không tổ chức tuyển dụng trong năm.\n"
        "- Kỷ luật, kỷ cương hành chính (vi phạm, xử lý nếu có): không có công chức, viên "
        "chức vi phạm kỷ luật.\n"
        "- Đào tạo, bồi dưỡng cán bộ, công chức, viên chức (số lớp, số lượt): cử 03 lượt công chức, viên chức tham gia "
        "bồi dưỡng (kế hoạch 05 lượt) do 02 lớp của tỉnh dời sang năm 2024; phần mềm đánh giá mức độ hoàn thành nhiệm "
        "vụ hằng tháng được đưa vào sử dụng từ ngày 01/7/2023."
    ),
    "results.public_finance": (
        "- *Quản lý tài chính - ngân sách trong kỳ:* thu phí, lệ phí đạt 141,2 triệu đồng "
        "(104,6% dự toán năm); dự toán và quyết toán được công khai theo quy định.\n"
        "- *Quản lý, sử dụng tài sản công:* sửa đổi Quy chế chi tiêu nội bộ và Quy chế "
        "quản lý, sử dụng tài sản công ngày 15/6/2023; kiểm kê tài sản công cuối năm xong ngày 08/12/2023.\n"
        "- *Tự chủ tài chính của các đơn vị sự nghiệp công lập trực thuộc:* Trung tâm Thông tin và Ứng "
        "dụng KH&CN thực hiện phương án tự chủ theo Nghị định số 60/2021/NĐ-CP."
    ),
    "results.digital": (
        "- *Hạ tầng kỹ thuật (máy, mạng, an toàn thông tin):* khắc phục 11 lỗ hổng bảo mật được cảnh báo; tham gia "
        "diễn "
        "tập ứng cứu sự cố an toàn thông tin mạng ngày 21/9/2023.\n"
        "- *Nền tảng và cơ sở dữ liệu dùng chung:* tích hợp thanh toán trực tuyến 06/11 thủ "
        "tục có thu phí; 05 thủ tục còn lại chờ nâng cấp Hệ thống thông tin giải quyết TTHC của tỉnh.\n"
        "- *Ứng dụng, dịch vụ dùng trong nội bộ Sở:* 100% văn bản đi (trừ văn bản mật) được ký số; "
        "phần mềm đánh giá công chức, viên chức hằng tháng vận hành tại tất cả phòng, đơn vị."
    ),
    "assessment.strengths": (
        "Lãnh đạo Sở theo dõi kế hoạch cải cách hành chính hằng tháng; phần lớn nhiệm vụ hoàn thành đúng thời hạn; hồ "
        "sơ thủ tục hành chính chủ yếu được tiếp nhận trực tuyến và giải quyết trước, đúng hạn; thời hạn giải quyết "
        "một thủ tục về an toàn bức xạ được rút ngắn và một thủ tục chuyển giao công nghệ được cung cấp toàn trình."
    ),
    "assessment.weaknesses": (
        "Hai nhiệm vụ không hoàn thành được trong năm: số hóa hồ sơ giấy của các năm trước (thiếu máy quét khổ lớn) "
        "và tích hợp thanh toán trực tuyến cho 05 thủ tục có thu phí (phụ thuộc việc nâng cấp hệ thống của tỉnh); "
        "việc cập nhật quy trình nội bộ và đề xuất phân cấp về đo lường hoàn thành chậm; số lượt công chức, viên chức "
        "được bồi dưỡng chưa đạt kế hoạch."
    ),
    "direction_next": (
        "- Hoàn thành số hóa hồ sơ, kết quả giải quyết TTHC còn hiệu lực trong quý II/2024.\n"
        "- Phối hợp Văn phòng UBND tỉnh tích hợp thanh toán trực tuyến cho các thủ tục có thu phí còn lại.\n"
        "- Kiểm tra cải cách hành chính tại Văn phòng Sở và Bộ phận tiếp nhận và trả kết quả trong quý I/2024.\n"
        "- Cử công chức, viên chức tham gia các lớp bồi dưỡng dời từ năm 2023."
    ),
    "proposals": (
        "Đề nghị Văn phòng UBND tỉnh nâng cấp Hệ thống thông tin giải quyết TTHC của tỉnh để kết nối thanh toán trực "
        "tuyến với các thủ tục có thu phí; đề nghị Sở Tài chính bố trí kinh phí mua máy quét khổ lớn phục vụ số hóa."
    ),
}

# The grounds the report opens with, before the template's opening sentence.
GROUNDS = (
    "Thực hiện Kế hoạch số 214/KH-UBND ngày 15/12/2022 của UBND tỉnh về cải cách hành chính nhà nước tỉnh Quảng Trị "
    "năm 2023 và Kế hoạch số 151/KH-SKHCN ngày 23/12/2022 của Sở về thực hiện nhiệm vụ cải cách hành chính năm 2023,"
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
                sections = list(
                    ReportSection.objects.filter(report=report, key__in=list(texts), version=1).select_related("report")
                )
                unknown = set(texts) - {section.key for section in sections}
                if unknown:  # a key the template does not have: a mistake in the texts above, not a silent skip
                    raise ValueError(f"{slug}: no section {', '.join(sorted(unknown))}")
                for section in sections:
                    services.save_section(section, texts[section.key], section.version, officer)
                    summary.add("mục báo cáo đã soạn")
            built.append(report)
    return built
