"""The demo Sở KH&CN's 2023 plans: the annual CCHC plan (Kế hoạch 151/KH-SKHCN, 38 items in seven groups: the
direction of the reform and the six fields of the national CCHC programme), the tasks the province assigned (9) and
the Director's focal tasks (7), with what happened to each of them in 2023. All of it is written for the demo.

By the Q1/2023 cut-off (14/03/2023, Nghị định 09/2019 Điều 12) 11/38 items of the plan and 07/09 assigned tasks are
done, and one plan item is past its February deadline. By the annual cut-off (14/12/2023), where the year's report
rates them, 36/38 are done: three of them late (one re-rated "Hoàn thành tốt" by the leader, with the reason), two on
time without their full content; the two never done stay on the dashboard as overdue tasks, with one focal task.

Everything goes through cchc.plans.services (validated and audited); progress is recorded on the day it happened
(record_progress(on=...)). Plans are keyed by (agency, kind, year) and tasks by their code under their parent, and a
task's history is only recorded when the task is created, so a second build changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from cchc.agencies.models import Agency, Unit
from cchc.documents.models import Document
from cchc.plans import services
from cchc.plans.models import Plan, PlanKind, Task
from cchc.plans.rating import Progress, Rating

from .data import Summary

AGENCY = "SKHCN"
YEAR = 2023
Q1_END = dt.date(2023, 3, 14)  # Nghị định 09/2019 Điều 12: Q1/2023 counts 15/12/2022 - 14/03/2023
YEAR_END = dt.date(2023, 12, 14)  # and the year 15/12/2022 - 14/12/2023
D = dt.date
IN_PROGRESS_NOTE = "Đang triển khai thực hiện."


@dataclass(frozen=True)
class T:
    """One plan item as the plan writes it, and what happened to it."""

    code: str
    content: str
    product: str = ""
    lead: str = "VP"  # unit code of the Sở
    deadline: str = ""
    done: dt.date | None = None
    started: dt.date | None = None  # first progress report "đang thực hiện"
    result: str = ""
    complete: bool = True  # False: done on time but its content is not complete (rating "Hoàn thành")
    cooperating: str = ""
    evidence: tuple[str, ...] = ()  # number_symbol of registry documents
    override: tuple[str, str] | None = None  # (rating, reason) set by the leader


@dataclass(frozen=True)
class G:
    """A heading of the plan (a group of items, not counted)."""

    code: str
    content: str
    items: tuple[T, ...]


@dataclass(frozen=True)
class PlanSpec:
    kind: str
    title: str
    items: tuple[G | T, ...]
    document: str = ""  # number_symbol of the registry document issuing it
    document_text: str = ""


ALL_UNITS = "Các phòng, đơn vị thuộc Sở"
TDC = "Chi cục Tiêu chuẩn Đo lường Chất lượng"

CCHC_2023 = PlanSpec(
    kind=PlanKind.CCHC_ANNUAL,
    title="Kế hoạch thực hiện nhiệm vụ cải cách hành chính năm 2023 của Sở Khoa học và Công nghệ",
    document="151/KH-SKHCN",
    items=(
        G("I", "Công tác chỉ đạo, điều hành cải cách hành chính", (
            T("1", "Kiện toàn Tổ công tác cải cách hành chính của Sở; phân công công chức theo dõi, tham mưu từng "
              "lĩnh vực cải cách", "Quyết định kiện toàn Tổ công tác", "VP", "Tháng 01/2023",
              done=D(2022, 12, 27), evidence=("126/QĐ-SKHCN",),
              result="Quyết định số 126/QĐ-SKHCN ngày 27/12/2022; Tổ công tác gồm 09 thành viên, mỗi lĩnh vực cải "
              "cách có 01 công chức theo dõi."),
            T("2", "Xây dựng Kế hoạch kiểm tra công tác cải cách hành chính, công vụ năm 2023; thành lập Tổ kiểm tra",
              "Kế hoạch kiểm tra; Quyết định thành lập Tổ kiểm tra", "VP", "Tháng 02/2023",
              done=D(2023, 2, 6), evidence=("09/KH-SKHCN", "02/QĐ-SKHCN"),
              result="Kế hoạch số 09/KH-SKHCN và Quyết định số 02/QĐ-SKHCN ngày 06/02/2023."),
            T("3", "Kiểm tra công tác cải cách hành chính, công vụ tại 06 phòng, đơn vị thuộc Sở theo kế hoạch",
              "Biên bản kiểm tra; thông báo kết quả kiểm tra", "VP", "Quý III/2023",
              started=D(2023, 7, 3), done=D(2023, 9, 26), complete=False, cooperating=ALL_UNITS,
              result="Kiểm tra 04/06 phòng, đơn vị, kiến nghị chấn chỉnh 07 nội dung về niêm yết TTHC và lưu trữ hồ "
              "sơ; Văn phòng Sở và Bộ phận tiếp nhận và trả kết quả chuyển sang kiểm tra trong quý I/2024."),
            T("4", "Ban hành Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2023", "Kế hoạch tuyên truyền",
              "VP", "Quý I/2023", done=D(2023, 2, 20), evidence=("14/KH-SKHCN",),
              cooperating="Trung tâm Thông tin và Ứng dụng KH&CN",
              result="Kế hoạch số 14/KH-SKHCN ngày 20/02/2023."),
            T("5", "Đăng tin, bài về cải cách hành chính trên Trang thông tin điện tử của Sở và Bản tin Khoa học và "
              "Công nghệ Quảng Trị", "Tối thiểu 24 tin, bài", "TTTT", "Thường xuyên",
              started=D(2023, 2, 22), done=D(2023, 12, 13),
              result="Đăng 35 tin, bài trên Trang thông tin điện tử và 05 bài trên Bản tin Khoa học và Công nghệ "
              "Quảng Trị."),
            T("6", "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2022 của Sở kèm tài liệu kiểm chứng",
              "Báo cáo tự đánh giá", "VP", "Tháng 02/2023", done=D(2023, 2, 10), evidence=("11/BC-SKHCN",),
              result="Báo cáo số 11/BC-SKHCN ngày 10/02/2023; tài liệu kiểm chứng được cập nhật đầy đủ trên phần "
              "mềm chấm điểm của tỉnh."),
            T("7", "Xây dựng báo cáo công tác cải cách hành chính quý I, 6 tháng, 9 tháng và báo cáo đột xuất theo "
              "yêu cầu", "03 báo cáo định kỳ", "VP", "Tháng 9/2023",
              started=D(2023, 3, 13), done=D(2023, 9, 15),
              result="Gửi đủ 03 báo cáo định kỳ và 02 báo cáo đột xuất đúng thời hạn."),
        )),
        G("II", "Cải cách thể chế", (
            T("1", "Ban hành Kế hoạch theo dõi tình hình thi hành pháp luật trong lĩnh vực khoa học và công nghệ năm "
              "2023", "Kế hoạch", "VP", "Tháng 01/2023", done=D(2023, 1, 30), evidence=("07/KH-SKHCN",),
              result="Kế hoạch số 07/KH-SKHCN ngày 30/01/2023."),
            T("2", "Tham mưu UBND tỉnh ban hành Quyết định sửa đổi, bổ sung Quy định quản lý nhiệm vụ khoa học và "
              "công nghệ cấp tỉnh", "Tờ trình; dự thảo Quyết định", "QLKH", "Quý I/2023",
              started=D(2023, 1, 4), done=D(2023, 5, 19), evidence=("10/TTr-SKHCN",),
              result="Trình UBND tỉnh tại Tờ trình số 10/TTr-SKHCN ngày 08/02/2023; UBND tỉnh ban hành Quyết định "
              "ngày 19/5/2023.",
              override=(Rating.GOOD, "Sở trình dự thảo trong quý I (Tờ trình số 10/TTr-SKHCN ngày 08/02/2023); UBND "
                        "tỉnh lấy thêm ý kiến các sở, ngành trước khi ban hành nên ngày hoàn thành muộn hơn thời hạn "
                        "của kế hoạch.")),
            T("3", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành về khoa học và công "
              "nghệ", "Báo cáo kết quả rà soát", "VP", "Quý II/2023",
              started=D(2023, 1, 31), done=D(2023, 6, 23), evidence=("08/KH-SKHCN",),
              result="Rà soát 21 văn bản theo Kế hoạch số 08/KH-SKHCN ngày 31/01/2023; kiến nghị bãi bỏ 02 văn bản "
              "không còn đối tượng điều chỉnh."),
            T("4", "Phổ biến văn bản quy phạm pháp luật mới về khoa học và công nghệ cho công chức, viên chức và "
              "doanh nghiệp", "02 hội nghị phổ biến", "QLCN", "Năm 2023",
              started=D(2023, 3, 15), done=D(2023, 11, 30), cooperating=TDC,
              result="Tổ chức 02 hội nghị phổ biến quy định mới về tiêu chuẩn, đo lường, chất lượng và an toàn bức "
              "xạ (146 lượt đại biểu); đăng tải 19 văn bản mới trên Trang thông tin điện tử."),
            T("5", "Báo cáo công tác thi hành pháp luật về xử lý vi phạm hành chính 6 tháng đầu năm 2023",
              "Báo cáo gửi Sở Tư pháp", "CCTDC", "Trước ngày 15/6/2023", done=D(2023, 6, 12),
              result="Báo cáo ngày 12/6/2023: xử phạt 04 cơ sở vi phạm, tổng số tiền phạt 27,5 triệu đồng."),
        )),
        G("III", "Cải cách thủ tục hành chính", (
            T("1", "Lập và ban hành Kế hoạch kiểm soát TTHC năm 2023 của Sở", "Kế hoạch kiểm soát TTHC", "VP",
              "Tháng 01/2023", done=D(2023, 1, 17), evidence=("05/KH-SKHCN",),
              result="Kế hoạch số 05/KH-SKHCN ngày 17/01/2023."),
            T("2", "Rà soát, đề xuất cắt giảm thời hạn giải quyết thủ tục hành chính lĩnh vực năng lượng nguyên tử, "
              "an toàn bức xạ và hạt nhân", "Phương án cắt giảm trình UBND tỉnh", "QLCN", "Quý I/2023",
              started=D(2023, 1, 16), done=D(2023, 3, 6), evidence=("15/TTr-SKHCN", "512/QĐ-UBND"),
              result="Tờ trình số 15/TTr-SKHCN ngày 22/02/2023; UBND tỉnh phê duyệt tại Quyết định số 512/QĐ-UBND "
              "ngày 06/3/2023: thời hạn cấp chứng chỉ nhân viên bức xạ giảm từ 15 xuống 10 ngày làm việc."),
            T("3", "Cập nhật quy trình nội bộ giải quyết thủ tục hành chính của Sở trên Hệ thống thông tin giải quyết "
              "thủ tục hành chính của tỉnh", "Quy trình nội bộ của 55 TTHC", "VP", "Tháng 02/2023",
              started=D(2023, 2, 1), done=D(2023, 3, 24),
              result="Cập nhật quy trình nội bộ của 55 TTHC ngày 24/3/2023, chậm so với kế hoạch do chờ phê duyệt "
              "phương án cắt giảm thời hạn."),
            T("4", "Niêm yết, công khai thủ tục hành chính và số điện thoại tiếp nhận phản ánh tại Bộ phận tiếp nhận "
              "và trả kết quả và trên Trang thông tin điện tử của Sở", "100% TTHC được công khai", "MC",
              "Thường xuyên", started=D(2023, 1, 3), done=D(2023, 12, 12),
              result="Công khai đầy đủ 55 TTHC; cập nhật ngay khi thời hạn giải quyết, cách thức thực hiện thay đổi."),
            T("5", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính theo Nghị định số 107/2021/NĐ-CP",
              "100% kết quả giải quyết còn hiệu lực được số hóa", "MC", "Năm 2023",
              started=D(2023, 2, 27), evidence=("16/KH-SKHCN",),
              result="Đã số hóa kết quả giải quyết từ năm 2021; hồ sơ giấy các năm trước chưa số hóa xong do thiếu "
              "máy quét khổ lớn."),
            T("6", "Tiếp nhận, xử lý phản ánh, kiến nghị của tổ chức, cá nhân về quy định hành chính", "", "VP",
              "Thường xuyên", started=D(2023, 4, 10), done=D(2023, 12, 12),
              result="Tiếp nhận 02 phản ánh, kiến nghị, trả lời đúng hạn cả 02; 01 nội dung không thuộc thẩm quyền "
              "đã hướng dẫn gửi Sở Công Thương."),
            T("7", "Khảo sát sự hài lòng của tổ chức, cá nhân đối với việc giải quyết thủ tục hành chính của Sở",
              "Báo cáo kết quả khảo sát", "MC", "Quý IV/2023", started=D(2023, 10, 2), done=D(2023, 12, 8),
              result="Khảo sát 120 tổ chức, cá nhân; 97,5% hài lòng với thái độ phục vụ và thời gian giải quyết."),
            T("8", "Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 trong giải quyết thủ tục "
              "hành chính", "Quy trình ISO được cập nhật", "CCTDC", "Năm 2023",
              started=D(2023, 3, 9), done=D(2023, 11, 24), evidence=("19/KH-SKHCN",),
              result="Cập nhật 12 quy trình theo các TTHC được sửa đổi; đánh giá nội bộ ngày 24/11/2023."),
        )),
        G("IV", "Cải cách tổ chức bộ máy", (
            T("1", "Quy định chức năng, nhiệm vụ của Văn phòng và các phòng chuyên môn, nghiệp vụ theo Quyết định số "
              "18/2022/QĐ-UBND của UBND tỉnh", "Quyết định của Giám đốc Sở", "VP", "Tháng 01/2023",
              done=D(2023, 1, 5), evidence=("01/QĐ-SKHCN", "18/2022/QĐ-UBND"),
              result="Quyết định số 01/QĐ-SKHCN ngày 05/01/2023."),
            T("2", "Xây dựng phương án sắp xếp các phòng thuộc Chi cục Tiêu chuẩn Đo lường Chất lượng theo hướng tinh "
              "gọn", "Phương án trình Sở Nội vụ", "VP", "Quý II/2023",
              started=D(2023, 4, 10), done=D(2023, 6, 30), cooperating=TDC,
              result="Trình Sở Nội vụ ngày 30/6/2023 phương án giảm từ 03 xuống 02 phòng."),
            T("3", "Thực hiện tinh giản biên chế năm 2023 theo lộ trình được UBND tỉnh giao", "Tinh giản 01 biên chế",
              "VP", "Năm 2023", started=D(2023, 7, 3), done=D(2023, 12, 1),
              result="Giải quyết chế độ tinh giản biên chế cho 01 công chức từ ngày 01/12/2023."),
            T("4", "Rà soát, đề xuất phân cấp cho Chi cục Tiêu chuẩn Đo lường Chất lượng giải quyết một số thủ tục "
              "hành chính về đo lường", "Văn bản đề xuất phân cấp", "CCTDC", "Quý III/2023",
              started=D(2023, 7, 17), done=D(2023, 10, 12),
              result="Gửi đề xuất phân cấp 04 TTHC ngày 12/10/2023, chậm do phải lấy ý kiến Sở Nội vụ và Sở Tư pháp "
              "về thẩm quyền."),
        )),
        G("V", "Cải cách chế độ công vụ", (
            T("1", "Ban hành Kế hoạch đào tạo, bồi dưỡng công chức, viên chức năm 2023", "Kế hoạch", "VP",
              "Quý I/2023", done=D(2023, 2, 13), evidence=("12/KH-SKHCN",),
              result="Kế hoạch số 12/KH-SKHCN ngày 13/02/2023."),
            T("2", "Cử công chức, viên chức tham gia bồi dưỡng kiến thức quản lý nhà nước, lý luận chính trị và kỹ "
              "năng chuyển đổi số", "05 lượt", "VP", "Năm 2023",
              started=D(2023, 4, 3), done=D(2023, 12, 11), complete=False,
              result="Cử 03 lượt công chức, viên chức; 02 lớp bồi dưỡng của tỉnh dời sang năm 2024 nên chưa đạt số "
              "lượt kế hoạch."),
            T("3", "Kiểm tra việc chấp hành giờ làm việc, quy chế văn hóa công vụ tại các phòng, đơn vị", "", "VP",
              "Thường xuyên", started=D(2023, 3, 2), done=D(2023, 12, 12),
              result="Kiểm tra đột xuất 03 lần; không phát hiện vi phạm."),
            T("4", "Đánh giá, xếp loại chất lượng công chức, viên chức năm 2023", "", "VP", "Tháng 12/2023",
              done=D(2023, 12, 11),
              result="Đánh giá, xếp loại 100% công chức, viên chức; không có trường hợp không hoàn thành nhiệm vụ."),
            T("5", "Đưa vào sử dụng phần mềm theo dõi, đánh giá mức độ hoàn thành nhiệm vụ hằng tháng của công chức, "
              "viên chức", "Phần mềm đánh giá hằng tháng", "TTTT", "6 tháng đầu năm 2023",
              started=D(2023, 4, 3), done=D(2023, 6, 28),
              result="Vận hành chính thức từ ngày 01/7/2023 tại tất cả phòng, đơn vị."),
        )),
        G("VI", "Cải cách tài chính công", (
            T("1", "Giao dự toán và công khai dự toán ngân sách nhà nước năm 2023 của Sở",
              "Quyết định công khai dự toán", "KHTC", "Quý I/2023", done=D(2023, 2, 15), evidence=("03/QĐ-SKHCN",),
              result="Quyết định số 03/QĐ-SKHCN ngày 15/02/2023."),
            T("2", "Thu phí thẩm định cấp phép an toàn bức xạ và phí, lệ phí lĩnh vực đo lường, chất lượng theo dự "
              "toán được giao", "135 triệu đồng", "KHTC", "Năm 2023", started=D(2023, 1, 3), done=D(2023, 12, 12),
              result="Thu 141,2 triệu đồng, đạt 104,6% dự toán."),
            T("3", "Sửa đổi Quy chế chi tiêu nội bộ và Quy chế quản lý, sử dụng tài sản công của Sở",
              "02 quy chế sửa đổi", "KHTC", "Quý II/2023", started=D(2023, 4, 3), done=D(2023, 6, 15),
              result="Ban hành 02 quy chế sửa đổi ngày 15/6/2023."),
            T("4", "Kiểm kê tài sản công cuối năm; công khai tình hình quản lý, sử dụng tài sản công",
              "Biên bản kiểm kê", "KHTC", "Tháng 12/2023", done=D(2023, 12, 8),
              result="Kiểm kê xong ngày 08/12/2023; công khai trên Trang thông tin điện tử của Sở."),
        )),
        G("VII", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", (
            T("1", "Ban hành Kế hoạch ứng dụng công nghệ thông tin, chuyển đổi số năm 2023 của Sở", "Kế hoạch",
              "TTTT", "Quý I/2023", done=D(2023, 3, 7), evidence=("18/KH-SKHCN",),
              result="Kế hoạch số 18/KH-SKHCN ngày 07/3/2023."),
            T("2", "Tích hợp thanh toán trực tuyến phí, lệ phí đối với các thủ tục hành chính có thu phí trên Cổng "
              "Dịch vụ công", "11 TTHC có thu phí", "MC", "Quý III/2023", started=D(2023, 5, 10),
              cooperating="Phòng Kế hoạch - Tài chính",
              result="Đã tích hợp 06/11 thủ tục; 05 thủ tục còn lại chờ nâng cấp Hệ thống thông tin giải quyết TTHC "
              "của tỉnh."),
            T("3", "Hướng dẫn tổ chức, cá nhân nộp hồ sơ trực tuyến; nâng tỷ lệ hồ sơ tiếp nhận trực tuyến",
              "Trên 85% hồ sơ tiếp nhận trực tuyến", "MC", "Năm 2023", started=D(2023, 1, 3), done=D(2023, 12, 12),
              result="Tỷ lệ hồ sơ tiếp nhận trực tuyến đến ngày 12/12/2023 đạt trên 90%."),
            T("4", "Ký số và gửi, nhận văn bản điện tử trên hệ thống quản lý văn bản và điều hành của tỉnh",
              "100% văn bản đi được ký số", "VP", "Thường xuyên", started=D(2023, 1, 3), done=D(2023, 12, 12),
              result="100% văn bản đi (trừ văn bản mật) được ký số và gửi trên hệ thống."),
            T("5", "Rà soát, khắc phục lỗ hổng bảo mật; tham gia diễn tập ứng cứu sự cố an toàn thông tin mạng", "",
              "TTTT", "Quý III/2023", started=D(2023, 7, 3), done=D(2023, 9, 21),
              result="Khắc phục 11 lỗ hổng được cảnh báo; tham gia diễn tập do Sở Thông tin và Truyền thông tổ chức "
              "ngày 21/9/2023."),
        )),
    ),
)  # fmt: skip

DIRECTIVES_2023 = PlanSpec(
    kind=PlanKind.PROVINCE_DIRECTIVES,
    title="Nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao năm 2023",
    document_text="Các văn bản giao nhiệm vụ của UBND tỉnh, Chủ tịch UBND tỉnh năm 2023",
    items=(
        T("1", "Báo cáo kết quả thực hiện Chỉ thị số 07/CT-UBND ngày 22/6/2021 của Chủ tịch UBND tỉnh năm 2022 (Công "
          "văn số 5873/UBND-NC ngày 26/12/2022)", "Báo cáo", "VP", "12/01/2023", done=D(2023, 1, 9),
          evidence=("02/BC-SKHCN", "07/CT-UBND"), result="Báo cáo số 02/BC-SKHCN ngày 09/01/2023."),
        T("2", "Báo cáo tình hình triển khai Đề án 06 trong lĩnh vực khoa học và công nghệ (Công văn số 86/UBND-NC "
          "ngày 06/01/2023)", "Báo cáo", "VP", "20/01/2023", done=D(2023, 1, 16), evidence=("04/BC-SKHCN",),
          result="Báo cáo số 04/BC-SKHCN ngày 16/01/2023."),
        T("3", "Rà soát, đề xuất phương án cắt giảm thời hạn giải quyết thủ tục hành chính thuộc thẩm quyền của Sở "
          "(Công văn số 241/UBND-KSTT ngày 17/01/2023)", "Phương án cắt giảm", "QLCN", "28/02/2023",
          started=D(2023, 1, 18), done=D(2023, 2, 22), evidence=("15/TTr-SKHCN",),
          result="Tờ trình số 15/TTr-SKHCN ngày 22/02/2023."),
        T("4", "Góp ý dự thảo Quy chế phối hợp giải quyết thủ tục hành chính liên thông giữa các sở, ngành trên địa "
          "bàn tỉnh", "Văn bản góp ý", "VP", "10/02/2023", done=D(2023, 2, 8),
          result="Gửi ý kiến góp ý ngày 08/02/2023."),
        T("5", "Đề xuất danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng thực hiện từ năm 2024",
          "Danh mục đề xuất", "QLKH", "10/03/2023", started=D(2023, 2, 13), done=D(2023, 3, 2),
          evidence=("17/TTr-SKHCN",), result="Tờ trình số 17/TTr-SKHCN ngày 02/3/2023, đề xuất 14 nhiệm vụ."),
        T("6", "Tham mưu tổ chức Hội nghị gặp mặt doanh nghiệp khoa học và công nghệ năm 2023", "01 hội nghị", "QLKH",
          "10/03/2023", started=D(2023, 2, 20), done=D(2023, 3, 9),
          result="Tổ chức ngày 09/3/2023 với 42 doanh nghiệp tham dự."),
        T("7", "Kiểm tra đo lường, chất lượng xăng dầu dịp Tết Nguyên đán Quý Mão 2023 và báo cáo kết quả", "Báo cáo",
          "CCTDC", "15/03/2023", started=D(2023, 1, 9), done=D(2023, 3, 13), evidence=("20/BC-SKHCN",),
          result="Báo cáo số 20/BC-SKHCN ngày 13/3/2023: kiểm tra 18 cửa hàng xăng dầu, xử phạt 01 cơ sở vi phạm về "
          "đo lường."),
        T("8", "Báo cáo kết quả kiểm soát thủ tục hành chính quý I năm 2023", "Báo cáo", "VP", "31/03/2023",
          done=D(2023, 3, 29), result="Báo cáo ngày 29/3/2023."),
        T("9", "Đề xuất nội dung hợp tác khoa học và công nghệ với tỉnh Savannakhet (Lào) giai đoạn 2023 - 2025",
          "Văn bản đề xuất", "QLKH", "28/04/2023", started=D(2023, 3, 20), done=D(2023, 4, 25),
          result="Gửi Sở Ngoại vụ tổng hợp ngày 25/4/2023."),
    ),
)  # fmt: skip

FOCAL_2023 = PlanSpec(
    kind=PlanKind.FOCAL_TASKS,
    title="Nhiệm vụ trọng tâm năm 2023 của Giám đốc Sở Khoa học và Công nghệ",
    document="03/TB-SKHCN",
    items=(
        T("1", "Tuyển chọn, giao trực tiếp và ký hợp đồng thực hiện các nhiệm vụ khoa học và công nghệ cấp tỉnh bắt "
          "đầu từ năm 2023", "09 nhiệm vụ", "QLKH", "Quý II/2023", started=D(2023, 3, 1), done=D(2023, 6, 29),
          result="Ký hợp đồng 09/09 nhiệm vụ trong tháng 6/2023."),
        T("2", "Hỗ trợ doanh nghiệp, hợp tác xã xây dựng và áp dụng hệ thống quản lý tiên tiến",
          "05 doanh nghiệp, hợp tác xã", "CCTDC", "Năm 2023", started=D(2023, 4, 3), done=D(2023, 12, 14),
          result="Hỗ trợ 05 đơn vị: 03 doanh nghiệp được chứng nhận ISO 22000, 02 hợp tác xã được chứng nhận HACCP."),
        T("3", "Hỗ trợ đăng ký nhãn hiệu cho sản phẩm OCOP của tỉnh", "10 sản phẩm", "QLCN", "Quý IV/2023",
          started=D(2023, 3, 15), done=D(2023, 11, 20),
          result="Nộp đơn đăng ký nhãn hiệu cho 12 sản phẩm OCOP; 07 sản phẩm đã được cấp văn bằng bảo hộ."),
        T("4", "Kiểm tra việc chấp hành quy định về an toàn bức xạ tại các cơ sở y tế tư nhân sử dụng thiết bị "
          "X-quang", "15 cơ sở", "QLCN", "Quý III/2023", started=D(2023, 6, 5), done=D(2023, 9, 27),
          result="Kiểm tra 16 cơ sở; yêu cầu 03 cơ sở trang bị bổ sung liều kế cá nhân cho nhân viên bức xạ."),
        T("5", "Phối hợp tổ chức Hội thi Sáng tạo kỹ thuật tỉnh Quảng Trị năm 2023", "Tối thiểu 40 giải pháp dự thi",
          "QLKH", "Tháng 11/2023", started=D(2023, 5, 2), done=D(2023, 11, 24),
          result="Nhận 53 giải pháp dự thi; trao 21 giải ngày 24/11/2023."),
        T("6", "Đưa phòng thử nghiệm vi sinh của Chi cục Tiêu chuẩn Đo lường Chất lượng vào hoạt động",
          "01 phòng thử nghiệm được đăng ký", "CCTDC", "Quý IV/2023", started=D(2023, 7, 10),
          result="Đã lắp đặt thiết bị; đang hoàn thiện hồ sơ đăng ký hoạt động thử nghiệm, chuyển sang quý I/2024."),
        T("7", "Xuất bản Bản tin Khoa học và Công nghệ Quảng Trị; phối hợp thực hiện chuyên mục khoa học trên Đài "
          "Phát thanh - Truyền hình tỉnh", "06 số bản tin; 24 chuyên mục", "TTTT", "Thường xuyên",
          started=D(2023, 2, 15), done=D(2023, 12, 28),
          result="Xuất bản 06 số bản tin; phát sóng 24 chuyên mục “Khoa học và đời sống”."),
    ),
)  # fmt: skip

PLANS: tuple[PlanSpec, ...] = (CCHC_2023, DIRECTIVES_2023, FOCAL_2023)


def leaves(spec: PlanSpec) -> list[T]:
    return [item for entry in spec.items for item in (entry.items if isinstance(entry, G) else (entry,))]


def _history(task: Task, item: T, actor) -> None:
    if item.started:
        services.record_progress(task, IN_PROGRESS_NOTE, Progress.IN_PROGRESS, actor=actor, on=item.started)
    if item.done:
        services.record_progress(
            task, item.result or "Đã hoàn thành.", Progress.DONE, actor=actor, on=item.done, result=item.result
        )
    elif item.result:
        services.record_progress(
            task,
            item.result,
            Progress.IN_PROGRESS,
            actor=actor,
            on=min(dt.date(YEAR, 12, 29), (item.started or dt.date(YEAR, 1, 1)) + dt.timedelta(60)),
            result=item.result,
        )


def _task(
    plan: Plan,
    item: T,
    parent: Task | None,
    order: int,
    units: dict[str, Unit],
    documents: dict[str, Document],
    users: dict,
    summary: Summary,
) -> Task:
    existing = Task.objects.filter(plan=plan, parent=parent, code=item.code).first()
    if existing is not None:
        return existing
    officer, leader = users["skhcn.chuyenvien"], users["skhcn.lanhdao"]
    task = services.create_task(
        plan,
        code=item.code,
        content=item.content,
        actor=officer,
        parent=parent,
        order=order,
        volume=item.product,
        lead_unit=units[item.lead],
        cooperating_text=item.cooperating,
        deadline=item.deadline,
        content_complete=item.complete,
    )
    summary.add("nhiệm vụ")
    # A reference missing from the registry is a mistake in the specs above: fail rather than drop the evidence.
    evidence = [documents[ref] for ref in item.evidence]
    if evidence:
        task = services.update_task(task, officer, evidence=evidence)
    _history(task, item, officer)
    if item.override:
        rating, reason = item.override
        services.set_rating(task, rating, reason, actor=leader)
    return task


def build_plans(
    agencies: dict[str, Agency],
    units: dict[tuple[str, str], Unit],
    users: dict,
    documents: dict[str, Document],
    summary: Summary,
) -> dict[str, Plan]:
    """The 2023 plans of the demo Sở KH&CN with their tasks and progress; returns them by kind."""
    agency = agencies[AGENCY]
    own_units = {code: unit for (agency_code, code), unit in units.items() if agency_code == AGENCY}
    built: dict[str, Plan] = {}
    for spec in PLANS:
        with transaction.atomic():
            plan = Plan.objects.filter(agency=agency, kind=spec.kind, year=YEAR).order_by("pk").first()
            if plan is None:
                plan = services.create_plan(
                    agency,
                    kind=spec.kind,
                    year=YEAR,
                    title=spec.title,
                    actor=users["skhcn.admin"],
                    document=documents[spec.document] if spec.document else None,
                    document_text=spec.document_text,
                )
                summary.add("kế hoạch")
            order = 0
            for entry in spec.items:
                order += 1
                if isinstance(entry, G):
                    group = Task.objects.filter(plan=plan, parent=None, code=entry.code).first()
                    if group is None:
                        group = services.create_task(
                            plan, code=entry.code, content=entry.content, actor=users["skhcn.chuyenvien"], order=order
                        )
                    for item in entry.items:
                        order += 1
                        _task(plan, item, group, order, own_units, documents, users, summary)
                else:
                    _task(plan, entry, None, order, own_units, documents, users, summary)
        built[spec.kind] = plan
    return built
