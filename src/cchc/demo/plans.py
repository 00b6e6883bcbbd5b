"""The demo Sở KH&CN's 2023 plans: the annual CCHC plan (Kế hoạch 64/KH-SKHCN, 43 items across the reform areas),
the tasks the province assigned (8) and the Director's focal tasks (8), with their progress over 2023.

Shaped on the Bà Rịa - Vũng Tàu Q1/2023 report: by the Q1 cut-off (14/03/2023, Nghị định 09/2019 Điều 12) 08/43
items of the plan and 07/08 assigned tasks are done. By the end of the year most items are done, three late, three
not done, one done on time without its full content, and one late item re-rated by the leader with a reason.

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

CCHC_2023 = PlanSpec(
    kind=PlanKind.CCHC_ANNUAL,
    title="Kế hoạch cải cách hành chính nhà nước năm 2023 của Sở Khoa học và Công nghệ",
    document="64/KH-SKHCN",
    items=(
        G(
            "I",
            "Công tác chỉ đạo, điều hành cải cách hành chính",
            (
                T(
                    "1",
                    "Xây dựng, ban hành Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2023",
                    "Kế hoạch tuyên truyền CCHC năm 2023",
                    "VP",
                    "Quý I/2023",
                    done=D(2023, 3, 1),
                    result="Ban hành Kế hoạch số 17/KH-SKHCN ngày 01/3/2023.",
                    evidence=("17/KH-SKHCN",),
                ),
                T(
                    "2",
                    "Xây dựng, ban hành Kế hoạch kiểm tra công vụ, kiểm tra cải cách hành chính năm 2023; thành lập "
                    "Đoàn kiểm tra",
                    "Kế hoạch kiểm tra; Quyết định thành lập Đoàn kiểm tra",
                    "VP",
                    "Tháng 02/2023",
                    done=D(2023, 2, 8),
                    result="Ban hành Kế hoạch số 06/KH-SKHCN ngày 02/02/2023 và Quyết định số 09/QĐ-SKHCN "
                    "ngày 08/02/2023.",
                    evidence=("06/KH-SKHCN", "09/QĐ-SKHCN"),
                ),
                T(
                    "3",
                    "Tổ chức kiểm tra công vụ, cải cách hành chính tại các phòng, đơn vị thuộc Sở theo kế hoạch",
                    "Biên bản kiểm tra; báo cáo kết quả kiểm tra",
                    "VP",
                    "Quý III/2023",
                    started=D(2023, 7, 10),
                    done=D(2023, 9, 22),
                    result="Kiểm tra 04/06 phòng, đơn vị; Báo cáo kết quả kiểm tra ngày 22/9/2023.",
                    cooperating=ALL_UNITS,
                ),
                T(
                    "4",
                    "Ban hành Kế hoạch thi đua, khen thưởng năm 2023 gắn với thực hiện nhiệm vụ cải cách hành chính",
                    "Kế hoạch thi đua, khen thưởng",
                    "VP",
                    "Tháng 02/2023",
                    done=D(2023, 2, 10),
                    result="Ban hành Kế hoạch số 10/KH-SKHCN ngày 10/02/2023.",
                    evidence=("10/KH-SKHCN",),
                ),
                T(
                    "5",
                    "Báo cáo định kỳ công tác cải cách hành chính (quý, 6 tháng, 9 tháng, năm) đúng thời hạn",
                    "04 báo cáo",
                    "VP",
                    "Thường xuyên",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 12),
                    result="Gửi đủ 04 báo cáo định kỳ đúng thời hạn quy định.",
                ),
                T(
                    "6",
                    "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2023 của Sở; khắc phục các tiêu chí bị "
                    "trừ điểm năm 2022",
                    "Báo cáo tự đánh giá và tài liệu kiểm chứng",
                    "VP",
                    "Tháng 12/2023",
                    started=D(2023, 6, 5),
                    done=D(2023, 12, 20),
                    result="Hoàn thành tự đánh giá, gửi Sở Nội vụ kèm tài liệu kiểm chứng ngày 20/12/2023.",
                ),
                T(
                    "7",
                    "Cập nhật tin, bài về cải cách hành chính trên Trang thông tin điện tử của Sở",
                    "Tối thiểu 02 tin, bài/tháng",
                    "TTTT",
                    "Thường xuyên",
                    started=D(2023, 3, 10),
                    done=D(2023, 12, 29),
                    result="Đăng 31 tin, bài về CCHC trên Trang thông tin điện tử; 03 bài viết trên bản tin KH&CN.",
                ),
                T(
                    "8",
                    "Triển khai thực hiện các nhiệm vụ được UBND tỉnh, Chủ tịch UBND tỉnh giao liên quan đến cải "
                    "cách hành chính",
                    "Văn bản tham mưu, báo cáo",
                    "VP",
                    "Thường xuyên",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 29),
                    result="Hoàn thành 21/21 nhiệm vụ được giao, không có nhiệm vụ quá hạn.",
                    cooperating=ALL_UNITS,
                ),
            ),
        ),
        G(
            "II",
            "Cải cách thể chế",
            (
                T(
                    "1",
                    "Ban hành Kế hoạch theo dõi tình hình thi hành pháp luật và Kế hoạch quản lý công tác thi hành "
                    "pháp luật về xử lý vi phạm hành chính năm 2023",
                    "02 kế hoạch",
                    "VP",
                    "Tháng 01/2023",
                    done=D(2023, 1, 9),
                    result="Ban hành Kế hoạch số 01/KH-SKHCN và số 02/KH-SKHCN ngày 09/01/2023.",
                    evidence=("01/KH-SKHCN", "02/KH-SKHCN"),
                ),
                T(
                    "2",
                    "Ban hành Kế hoạch rà soát, hệ thống hóa văn bản quy phạm pháp luật năm 2023",
                    "Kế hoạch rà soát",
                    "VP",
                    "Quý I/2023",
                    done=D(2023, 2, 13),
                    result="Ban hành Kế hoạch số 11/KH-SKHCN ngày 13/02/2023.",
                    evidence=("11/KH-SKHCN",),
                ),
                T(
                    "3",
                    "Tham mưu UBND tỉnh trình HĐND tỉnh bãi bỏ Nghị quyết số 43/NQ-HĐND ngày 14/12/2018 về chủ trương "
                    "hỗ trợ doanh nghiệp nhỏ và vừa khởi nghiệp sáng tạo giai đoạn 2019 - 2025",
                    "Tờ trình; dự thảo Nghị quyết",
                    "QLKH",
                    "Quý II/2023",
                    started=D(2023, 2, 8),
                    done=D(2023, 7, 14),
                    result="Tờ trình số 09/TTr-SKHCN ngày 08/02/2023; HĐND tỉnh thông qua tại kỳ họp ngày 14/7/2023.",
                    evidence=("09/TTr-SKHCN",),
                    override=(
                        Rating.GOOD,
                        "Sở trình đúng hạn (Tờ trình số 09/TTr-SKHCN ngày 08/02/2023); HĐND tỉnh đưa "
                        "nội dung vào kỳ họp thường lệ tháng 7/2023 nên ngày hoàn thành muộn hơn thời hạn.",
                    ),
                ),
                T(
                    "4",
                    "Tuyên truyền, phổ biến văn bản quy phạm pháp luật mới về khoa học và công nghệ trên Trang thông "
                    "tin điện tử của Sở",
                    "Tối thiểu 15 văn bản",
                    "TTTT",
                    "Thường xuyên",
                    started=D(2023, 3, 1),
                    done=D(2023, 12, 15),
                    result="Phổ biến 27 văn bản (08 nghị định, 06 thông tư, 13 văn bản của tỉnh).",
                ),
                T(
                    "5",
                    "Theo dõi, kiểm tra việc thi hành pháp luật trong lĩnh vực tiêu chuẩn, đo lường, chất lượng",
                    "Báo cáo kết quả theo dõi",
                    "CCTDC",
                    "Quý III/2023",
                    started=D(2023, 5, 15),
                    done=D(2023, 9, 28),
                    result="Báo cáo kết quả theo dõi thi hành pháp luật ngày 28/9/2023.",
                ),
            ),
        ),
        G(
            "III",
            "Cải cách thủ tục hành chính",
            (
                T(
                    "1",
                    "Ban hành Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2023",
                    "Kế hoạch rà soát TTHC",
                    "VP",
                    "Tháng 01/2023",
                    done=D(2023, 1, 13),
                    result="Ban hành Kế hoạch số 03/KH-SKHCN ngày 13/01/2023.",
                    evidence=("03/KH-SKHCN",),
                ),
                T(
                    "2",
                    "Rà soát, đề xuất phương án đơn giản hóa thủ tục hành chính lĩnh vực khoa học và công nghệ",
                    "Phương án đơn giản hóa ít nhất 03 TTHC",
                    "QLCN",
                    "Quý II/2023",
                    started=D(2023, 4, 3),
                    done=D(2023, 6, 26),
                    result="Đề xuất phương án đơn giản hóa 04 TTHC, gửi Văn phòng UBND tỉnh.",
                    cooperating="Văn phòng Sở; Chi cục Tiêu chuẩn Đo lường Chất lượng",
                ),
                T(
                    "3",
                    "Cập nhật, công khai đầy đủ, kịp thời thủ tục hành chính trên Cổng Dịch vụ công và Trang thông tin "
                    "điện tử của Sở",
                    "100% TTHC được công khai",
                    "VP",
                    "Thường xuyên",
                    started=D(2023, 1, 5),
                    done=D(2023, 12, 20),
                    result="Công khai đầy đủ 54 TTHC thuộc thẩm quyền giải quyết của Sở.",
                ),
                T(
                    "4",
                    "Tiếp nhận, giải quyết hồ sơ thủ tục hành chính đúng hạn; xin lỗi tổ chức, cá nhân khi trễ hạn",
                    "100% hồ sơ giải quyết đúng hạn",
                    "MC",
                    "Thường xuyên",
                    started=D(2023, 1, 3),
                    done=D(2023, 12, 29),
                    result="Giải quyết đúng hạn phần lớn hồ sơ; một số hồ sơ trễ hạn đã có phiếu xin lỗi và hẹn lại.",
                    complete=False,
                    cooperating=ALL_UNITS,
                ),
                T(
                    "5",
                    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính theo Nghị định số 107/2021/NĐ-CP",
                    "100% hồ sơ, kết quả được số hóa",
                    "MC",
                    "Năm 2023",
                    started=D(2023, 4, 10),
                    result="Đã số hóa phần lớn kết quả giải quyết; kho dữ liệu điện tử của tổ chức, cá nhân "
                    "chưa kết nối.",
                ),
                T(
                    "6",
                    "Tiếp nhận, xử lý phản ánh, kiến nghị của tổ chức, cá nhân về quy định thủ tục hành chính",
                    "",
                    "VP",
                    "Thường xuyên",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 29),
                    result="Không phát sinh phản ánh, kiến nghị về quy định TTHC.",
                ),
                T(
                    "7",
                    "Đánh giá chất lượng giải quyết thủ tục hành chính theo Quyết định số 766/QĐ-TTg",
                    "",
                    "MC",
                    "Hàng quý",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 29),
                    result="Cập nhật đầy đủ kết quả đánh giá trên Hệ thống thông tin giải quyết TTHC của tỉnh.",
                ),
                T(
                    "8",
                    "Rà soát, đề xuất cung cấp dịch vụ công trực tuyến toàn trình đối với các thủ tục đủ điều kiện",
                    "Danh mục dịch vụ công trực tuyến toàn trình",
                    "VP",
                    "Quý II/2023",
                    started=D(2023, 4, 17),
                    done=D(2023, 6, 20),
                    result="Đề xuất bổ sung 01 TTHC toàn trình, áp dụng từ ngày 01/7/2023.",
                ),
            ),
        ),
        G(
            "IV",
            "Cải cách tổ chức bộ máy",
            (
                T(
                    "1",
                    "Triển khai Quyết định số 32/2022/QĐ-UBND ngày 14/12/2022 của UBND tỉnh; kiện toàn tổ chức các "
                    "phòng, đơn vị thuộc Sở",
                    "Quyết định kiện toàn",
                    "VP",
                    "Quý I/2023",
                    done=D(2023, 3, 6),
                    result="Kiện toàn tổ chức 06 phòng, đơn vị theo quy định mới.",
                    evidence=("32/2022/QĐ-UBND",),
                ),
                T(
                    "2",
                    "Rà soát, điều chỉnh đề án vị trí việc làm của đơn vị sự nghiệp công lập thuộc Sở",
                    "Đề án vị trí việc làm",
                    "VP",
                    "Quý III/2023",
                    started=D(2023, 7, 3),
                    done=D(2023, 10, 20),
                    result="Trình Sở Nội vụ thẩm định ngày 20/10/2023 (chậm do chờ hướng dẫn của Bộ KH&CN).",
                    cooperating="Trung tâm Thông tin và Ứng dụng KH&CN",
                ),
                T(
                    "3",
                    "Quản lý, sử dụng biên chế công chức, số lượng người làm việc được giao đúng quy định",
                    "",
                    "VP",
                    "Năm 2023",
                    done=D(2023, 12, 15),
                    result="Sử dụng đúng số biên chế được giao.",
                ),
                T(
                    "4",
                    "Thực hiện phân cấp, ủy quyền trong quản lý nhà nước lĩnh vực khoa học và công nghệ cho các "
                    "phòng chuyên môn",
                    "Quyết định ủy quyền",
                    "VP",
                    "Quý IV/2023",
                    started=D(2023, 10, 9),
                    result="Đã xây dựng dự thảo; chờ ý kiến của Sở Tư pháp.",
                ),
            ),
        ),
        G(
            "V",
            "Cải cách chế độ công vụ",
            (
                T(
                    "1",
                    "Ban hành Kế hoạch đào tạo, bồi dưỡng công chức, viên chức năm 2023",
                    "Kế hoạch đào tạo",
                    "VP",
                    "Tháng 01/2023",
                    done=D(2023, 1, 17),
                    result="Ban hành Kế hoạch số 04/KH-SKHCN ngày 17/01/2023.",
                    evidence=("04/KH-SKHCN",),
                ),
                T(
                    "2",
                    "Cử công chức, viên chức tham gia các lớp đào tạo, bồi dưỡng",
                    "Ít nhất 10 lượt",
                    "VP",
                    "Năm 2023",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 8),
                    result="Cử 14 lượt công chức, viên chức.",
                ),
                T(
                    "3",
                    "Bổ nhiệm các chức danh lãnh đạo cấp phòng sau kiện toàn tổ chức",
                    "Quyết định bổ nhiệm",
                    "VP",
                    "Quý II/2023",
                    started=D(2023, 4, 3),
                    done=D(2023, 5, 30),
                    result="Bổ nhiệm 03 trưởng, phó phòng.",
                ),
                T(
                    "4",
                    "Đăng ký, cử viên chức dự thi thăng hạng chức danh nghề nghiệp",
                    "",
                    "VP",
                    "Quý III/2023",
                    done=D(2023, 9, 15),
                    result="Cử 02 viên chức dự thi thăng hạng.",
                ),
                T(
                    "5",
                    "Đánh giá, xếp loại chất lượng công chức, viên chức năm 2023",
                    "",
                    "VP",
                    "Tháng 12/2023",
                    done=D(2023, 12, 27),
                    result="Đánh giá, xếp loại 100% công chức, viên chức.",
                ),
                T(
                    "6",
                    "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính, văn hóa công vụ",
                    "",
                    "VP",
                    "Thường xuyên",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 29),
                    result="Không có công chức, viên chức vi phạm kỷ luật.",
                ),
            ),
        ),
        G(
            "VI",
            "Cải cách tài chính công",
            (
                T(
                    "1",
                    "Thực hiện thu phí, lệ phí theo dự toán UBND tỉnh giao",
                    "Thu 110 triệu đồng",
                    "KHTC",
                    "Năm 2023",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 20),
                    result="Thu 118,4/110 triệu đồng, đạt 107,6%.",
                ),
                T(
                    "2",
                    "Xây dựng phương án tự chủ tài chính của đơn vị sự nghiệp công lập theo Nghị định số 60/2021/NĐ-CP",
                    "Phương án tự chủ",
                    "KHTC",
                    "Quý II/2023",
                    started=D(2023, 3, 20),
                    done=D(2023, 8, 25),
                    result="UBND tỉnh phê duyệt phương án tự chủ ngày 25/8/2023.",
                    cooperating="Trung tâm Thông tin và Ứng dụng KH&CN",
                ),
                T(
                    "3",
                    "Công khai dự toán, quyết toán ngân sách theo quy định",
                    "",
                    "KHTC",
                    "Thường xuyên",
                    done=D(2023, 12, 28),
                    result="Công khai đầy đủ trên Trang thông tin điện tử của Sở.",
                ),
                T(
                    "4",
                    "Quản lý, sử dụng tài sản công; kiểm kê tài sản cuối năm",
                    "Biên bản kiểm kê",
                    "KHTC",
                    "Tháng 12/2023",
                    done=D(2023, 12, 29),
                    result="Hoàn thành kiểm kê tài sản ngày 29/12/2023.",
                ),
            ),
        ),
        G(
            "VII",
            "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
            (
                T(
                    "1",
                    "Đăng ký nhu cầu mua sắm tập trung thiết bị tin học năm 2023",
                    "",
                    "TTTT",
                    "Quý II/2023",
                    done=D(2023, 4, 14),
                    result="Gửi Sở Thông tin và Truyền thông tổng hợp ngày 14/4/2023.",
                ),
                T(
                    "2",
                    "Sử dụng chữ ký số trong gửi, nhận văn bản điện tử",
                    "100% văn bản đi được ký số",
                    "VP",
                    "Thường xuyên",
                    started=D(2023, 1, 3),
                    done=D(2023, 12, 29),
                    result="100% văn bản đi (trừ văn bản mật) được ký số.",
                ),
                T(
                    "3",
                    "Nâng tỷ lệ hồ sơ thủ tục hành chính tiếp nhận trực tuyến",
                    "Trên 80% hồ sơ trực tuyến",
                    "MC",
                    "Năm 2023",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 29),
                    result="Tỷ lệ hồ sơ tiếp nhận trực tuyến cả năm trên 85%.",
                ),
                T(
                    "4",
                    "Triển khai các nhiệm vụ của Đề án 06 thuộc lĩnh vực khoa học và công nghệ",
                    "",
                    "VP",
                    "Năm 2023",
                    started=D(2023, 2, 20),
                    done=D(2023, 12, 22),
                    result="Hoàn thành các nhiệm vụ được giao năm 2023.",
                ),
                T(
                    "5",
                    "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
                    "Cơ sở dữ liệu nhiệm vụ KH&CN",
                    "TTTT",
                    "Quý IV/2023",
                    started=D(2023, 8, 1),
                    result="Đang nhập dữ liệu; chưa hoàn thành do chậm kinh phí.",
                ),
                T(
                    "6",
                    "Bảo đảm an toàn thông tin mạng theo cấp độ cho hệ thống thông tin của Sở",
                    "Hồ sơ đề xuất cấp độ",
                    "TTTT",
                    "Tháng 9/2023",
                    started=D(2023, 6, 1),
                    done=D(2023, 9, 29),
                    result="Hồ sơ đề xuất cấp độ 2 được phê duyệt.",
                ),
            ),
        ),
        G(
            "VIII",
            "Áp dụng Hệ thống quản lý chất lượng TCVN ISO 9001:2015",
            (
                T(
                    "1",
                    "Duy trì, áp dụng Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
                    "",
                    "CCTDC",
                    "Thường xuyên",
                    started=D(2023, 3, 14),
                    done=D(2023, 12, 29),
                    result="Duy trì, cải tiến hệ thống; đánh giá nội bộ tháng 11/2023.",
                ),
                T(
                    "2",
                    "Công bố lại Hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015 sau khi cập nhật quy trình",
                    "Quyết định công bố",
                    "CCTDC",
                    "Quý III/2023",
                    started=D(2023, 7, 3),
                    done=D(2023, 9, 20),
                    result="Công bố lại ngày 20/9/2023.",
                ),
            ),
        ),
    ),
)

DIRECTIVES_2023 = PlanSpec(
    kind=PlanKind.PROVINCE_DIRECTIVES,
    title="Nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao năm 2023",
    document_text="Hệ thống theo dõi thực hiện chỉ đạo, điều hành của UBND tỉnh",
    items=(
        T(
            "1",
            "Báo cáo kết quả thực hiện Chỉ thị số 10/CT-UBND ngày 16/8/2021 năm 2022 (Văn bản số 5512/UBND-NC "
            "ngày 20/12/2022)",
            "Báo cáo",
            "VP",
            "05/01/2023",
            done=D(2023, 1, 4),
            result="Báo cáo ngày 04/01/2023.",
        ),
        T(
            "2",
            "Tham mưu công bố danh mục thủ tục hành chính chuẩn hóa lĩnh vực khoa học và công nghệ (Văn bản số "
            "112/UBND-KSTT ngày 10/01/2023)",
            "Dự thảo Quyết định công bố",
            "VP",
            "15/02/2023",
            done=D(2023, 2, 10),
            result="Trình UBND tỉnh ngày 10/02/2023.",
        ),
        T(
            "3",
            "Báo cáo tình hình triển khai Đề án 06 thuộc lĩnh vực khoa học và công nghệ",
            "Báo cáo",
            "VP",
            "20/01/2023",
            done=D(2023, 1, 18),
            result="Báo cáo ngày 18/01/2023.",
        ),
        T(
            "4",
            "Góp ý dự thảo Kế hoạch chuyển đổi số tỉnh Quảng Trị năm 2023",
            "Văn bản góp ý",
            "TTTT",
            "31/01/2023",
            done=D(2023, 1, 30),
            result="Góp ý ngày 30/01/2023.",
        ),
        T(
            "5",
            "Tham mưu Kế hoạch hỗ trợ doanh nghiệp đổi mới sáng tạo năm 2023",
            "Dự thảo Kế hoạch",
            "QLKH",
            "28/02/2023",
            done=D(2023, 2, 24),
            result="Trình UBND tỉnh ngày 24/02/2023.",
        ),
        T(
            "6",
            "Báo cáo kết quả cắt giảm thời gian giải quyết thủ tục hành chính theo Quyết định số 537/QĐ-UBND "
            "ngày 21/02/2022",
            "Báo cáo",
            "VP",
            "10/03/2023",
            done=D(2023, 3, 8),
            result="Báo cáo ngày 08/3/2023.",
            evidence=("537/QĐ-UBND",),
        ),
        T(
            "7",
            "Rà soát, đề xuất nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng năm 2024",
            "Danh mục đề xuất",
            "QLKH",
            "10/03/2023",
            done=D(2023, 3, 13),
            result="Gửi danh mục đề xuất ngày 13/3/2023.",
        ),
        T(
            "8",
            "Tham mưu văn bản hướng dẫn quản lý nhà nước về đo lường đối với phương tiện đo nhóm 2 trên địa bàn tỉnh",
            "Dự thảo văn bản hướng dẫn",
            "CCTDC",
            "31/3/2023",
            started=D(2023, 3, 6),
            done=D(2023, 3, 29),
            result="Trình UBND tỉnh ngày 29/3/2023.",
        ),
    ),
)

FOCAL_2023 = PlanSpec(
    kind=PlanKind.FOCAL_TASKS,
    title="Nhiệm vụ trọng tâm năm 2023 của Giám đốc Sở Khoa học và Công nghệ",
    document_text="Thông báo kết luận của Giám đốc Sở tại Hội nghị triển khai nhiệm vụ năm 2023",
    items=(
        T(
            "1",
            "Hỗ trợ doanh nghiệp đổi mới công nghệ, áp dụng công cụ nâng cao năng suất chất lượng",
            "03 doanh nghiệp được hỗ trợ",
            "CCTDC",
            "Quý IV/2023",
            started=D(2023, 4, 10),
            done=D(2023, 11, 28),
            result="Đã hỗ trợ 03 doanh nghiệp (Công ty cổ phần Cà phê Khe Sanh, Hợp tác xã Hồ tiêu Vĩnh Linh, Công ty "
            "TNHH Thép Cửa Việt).",
        ),
        T(
            "2",
            "Tổ chức nghiệm thu các nhiệm vụ khoa học và công nghệ cấp tỉnh đến hạn",
            "05 nhiệm vụ được nghiệm thu",
            "QLKH",
            "Năm 2023",
            started=D(2023, 3, 1),
            done=D(2023, 12, 18),
            result="Nghiệm thu 05/05 nhiệm vụ; 04 nhiệm vụ xếp loại khá trở lên.",
        ),
        T(
            "3",
            "Hỗ trợ đăng ký bảo hộ nhãn hiệu chứng nhận cho sản phẩm đặc sản của tỉnh",
            "02 nhãn hiệu chứng nhận",
            "QLCN",
            "Quý III/2023",
            started=D(2023, 2, 15),
            done=D(2023, 9, 26),
            result="Cục Sở hữu trí tuệ cấp văn bằng cho nhãn hiệu chứng nhận “Hồ tiêu Vĩnh Linh” và “Cà phê Khe Sanh”.",
        ),
        T(
            "4",
            "Kiểm tra nhà nước về đo lường, chất lượng hàng đóng gói sẵn và xăng dầu",
            "04 đợt kiểm tra",
            "CCTDC",
            "Năm 2023",
            started=D(2023, 3, 6),
            done=D(2023, 12, 12),
            result="Tổ chức 04 đợt, kiểm tra 46 cơ sở; xử phạt 03 cơ sở vi phạm.",
        ),
        T(
            "5",
            "Thẩm định, cấp phép và kiểm tra an toàn bức xạ tại các cơ sở X-quang y tế",
            "20 cơ sở được kiểm tra",
            "QLCN",
            "Năm 2023",
            started=D(2023, 3, 1),
            done=D(2023, 12, 28),
            result="Kiểm tra 22 cơ sở; cấp 31 giấy phép tiến hành công việc bức xạ.",
        ),
        T(
            "6",
            "Tổ chức Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh Quảng Trị năm 2023",
            "01 sự kiện, 30 gian hàng",
            "QLKH",
            "Tháng 10/2023",
            started=D(2023, 6, 1),
            done=D(2023, 10, 21),
            result="Tổ chức ngày 20-21/10/2023 với 34 gian hàng.",
        ),
        T(
            "7",
            "Xuất bản ấn phẩm thông tin khoa học và công nghệ",
            "12 số bản tin; 03 bài viết về cải cách hành chính",
            "TTTT",
            "Thường xuyên",
            started=D(2023, 1, 31),
            done=D(2023, 12, 29),
            result="Xuất bản 12 số bản tin và 04 bài viết về cải cách hành chính.",
        ),
        T(
            "8",
            "Xây dựng cơ sở dữ liệu phương tiện đo nhóm 2 trên địa bàn tỉnh",
            "01 cơ sở dữ liệu",
            "CCTDC",
            "Quý IV/2023",
            started=D(2023, 9, 4),
            result="Đã thu thập dữ liệu của 6/9 huyện; chuyển tiếp sang năm 2024.",
        ),
    ),
)

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
    evidence = [documents[ref] for ref in item.evidence if ref in documents]
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
                    document=documents.get(spec.document),
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
