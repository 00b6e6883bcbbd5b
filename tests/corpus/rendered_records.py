"""The records behind the corpus reports that cchc renders itself (used by make_corpus.py, never by the tests).

The demo build gives the generator's throw-away database its procedures, dossiers, feedback, staff counts and
users. Its registry and plans are replaced here by our own: documents with invented numbers, a 2023 CCHC plan of
thirteen items, the six tasks the province assigned and a business-environment plan, each with what happened to it
in 2023, so the rendered reports (documents issued, plan progress, the rating appendix) cite only what is written
here. Everything goes through cchc's services, as an officer's work would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

D = dt.date

# (register, kind, number, issue date, excerpt); the general register and the decisions' register of the Sở.
GENERAL, DECISIONS = "Sổ văn bản đi", "Sổ quyết định"
DOCUMENTS = (
    (GENERAL, "KH", 121, D(2022, 12, 27), "Cải cách hành chính năm 2023 của Sở Khoa học và Công nghệ"),
    (GENERAL, "KH", 3, D(2023, 1, 12), "Rà soát, đơn giản hóa thủ tục hành chính năm 2023"),
    (GENERAL, "KH", 6, D(2023, 2, 9), "Kiểm tra công vụ và cải cách hành chính năm 2023"),
    (GENERAL, "KH", 9, D(2023, 2, 14), "Tuyên truyền cải cách hành chính năm 2023"),
    (DECISIONS, "QĐ", 15, D(2023, 3, 3), "Thành lập Tổ kiểm tra cải cách hành chính năm 2023"),
    (GENERAL, "BC", 31, D(2023, 5, 30), "Kết quả rà soát văn bản quy phạm pháp luật về khoa học và công nghệ"),
    (GENERAL, "KH", 44, D(2023, 8, 2), "Bồi dưỡng kỹ năng số cho công chức, viên chức năm 2023"),
    (GENERAL, "KH", 12, D(2023, 2, 20), "Cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh năm 2023"),
)


@dataclass(frozen=True)
class Item:
    code: str
    content: str
    deadline: str
    lead: str = "VP"
    done: dt.date | None = None
    result: str = ""
    complete: bool = True  # done on time without its full content: "Hoàn thành"
    started: dt.date | None = None
    evidence: str = ""  # number/symbol of a document above


CCHC_PLAN = (
    ("I", "Công tác chỉ đạo, điều hành cải cách hành chính", (
        Item("1", "Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2023", "Tháng 02/2023",
             done=D(2023, 2, 14), result="Kế hoạch số 09/KH-SKHCN ngày 14/02/2023.", evidence="09/KH-SKHCN"),
        Item("2", "Kiểm tra cải cách hành chính tại các phòng, đơn vị thuộc Sở", "Quý III/2023",
             done=D(2023, 9, 26), result="Kiểm tra 05 phòng, đơn vị; có báo cáo kết quả kiểm tra.",
             evidence="06/KH-SKHCN"),
        Item("3", "Tự chấm điểm Chỉ số cải cách hành chính năm 2022 của Sở", "15/01/2023",
             done=D(2023, 1, 20), result="Gửi kết quả tự chấm điểm cho Sở Nội vụ ngày 20/01/2023."),
    )),
    ("II", "Cải cách thể chế", (
        Item("1", "Rà soát văn bản quy phạm pháp luật về khoa học và công nghệ", "Quý II/2023",
             done=D(2023, 5, 30), result="Rà soát 17 văn bản, kiến nghị sửa đổi 01 văn bản.",
             evidence="31/BC-SKHCN"),
        Item("2", "Trình dự thảo quyết định về quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh", "Tháng 9/2023",
             lead="QLKH", done=D(2023, 11, 6), result="Trình UBND tỉnh ngày 06/11/2023."),
    )),
    ("III", "Cải cách thủ tục hành chính", (
        Item("1", "Rà soát, đơn giản hóa thủ tục lĩnh vực tiêu chuẩn đo lường chất lượng", "Quý II/2023",
             lead="CCTDC", done=D(2023, 6, 12), result="Đề xuất cắt giảm thành phần hồ sơ của 02 thủ tục.",
             evidence="03/KH-SKHCN"),
        Item("2", "Số hóa kết quả giải quyết thủ tục hành chính", "Tháng 11/2023", lead="MC",
             done=D(2023, 11, 28), complete=False, result="Đã số hóa kết quả của 03/04 lĩnh vực."),
        Item("3", "Công khai thủ tục hành chính trên Cổng dịch vụ công của tỉnh", "Quý I/2023", lead="MC",
             done=D(2023, 3, 10), result="Công khai đủ thủ tục thuộc thẩm quyền của Sở."),
    )),
    ("IV", "Cải cách tổ chức bộ máy và chế độ công vụ", (
        Item("1", "Rà soát đề án vị trí việc làm của các đơn vị sự nghiệp", "Quý III/2023",
             started=D(2023, 8, 1), result="Đang chờ hướng dẫn của Sở Nội vụ."),
        Item("2", "Cử công chức, viên chức tham gia bồi dưỡng kỹ năng số", "Tháng 10/2023",
             done=D(2023, 10, 20), result="Cử 12 lượt công chức, viên chức.", evidence="44/KH-SKHCN"),
    )),
    ("V", "Cải cách tài chính công", (
        Item("1", "Xây dựng phương án tự chủ tài chính của Trung tâm Thông tin và Ứng dụng khoa học và công nghệ",
             "Quý IV/2023", lead="TTTT", done=D(2023, 10, 30), result="Trình Sở Tài chính ngày 30/10/2023."),
    )),
    ("VI", "Xây dựng chính quyền số", (
        Item("1", "Ký số văn bản đi trên hệ thống quản lý văn bản", "Tháng 11/2023", done=D(2023, 11, 15),
             result="Toàn bộ văn bản đi được ký số."),
        Item("2", "Nâng thủ tục đủ điều kiện lên dịch vụ công trực tuyến toàn trình", "Tháng 6/2023", lead="MC",
             started=D(2023, 5, 2), result="Đã đề xuất 02 thủ tục, chờ Văn phòng UBND tỉnh cấu hình."),
    )),
)

BUSINESS_PLAN = (
    Item("1", "Hỗ trợ doanh nghiệp áp dụng công cụ cải tiến năng suất", "Quý III/2023", lead="CCTDC",
         done=D(2023, 9, 8), result="Hỗ trợ 04 doanh nghiệp."),
    Item("2", "Tổ chức diễn đàn kết nối cung cầu công nghệ", "Tháng 8/2023", lead="QLCN",
         done=D(2023, 8, 25), result="Tổ chức ngày 25/8/2023 với 18 doanh nghiệp."),
    Item("3", "Hướng dẫn doanh nghiệp đăng ký bảo hộ nhãn hiệu cho sản phẩm đặc sản", "Quý IV/2023",
         lead="QLCN", started=D(2023, 7, 10), result="Đã hướng dẫn 02 hợp tác xã lập hồ sơ."),
    Item("4", "Công khai thủ tục hành chính và kết quả giải quyết hồ sơ của doanh nghiệp", "Cả năm", lead="MC",
         started=D(2023, 1, 16), result="Cập nhật hằng tháng trên Cổng thông tin điện tử."),
)

DIRECTIVES = (
    Item("1", "Báo cáo kết quả thực hiện Chương trình phát triển tài sản trí tuệ năm 2022", "10/01/2023",
         done=D(2023, 1, 9), result="Báo cáo ngày 09/01/2023."),
    Item("2", "Tham mưu kế hoạch hỗ trợ doanh nghiệp đổi mới công nghệ năm 2023", "28/02/2023",
         done=D(2023, 2, 24), result="Trình UBND tỉnh ngày 24/02/2023."),
    Item("3", "Góp ý dự thảo quy chế phối hợp quản lý cụm công nghiệp", "20/4/2023",
         done=D(2023, 4, 18), result="Có văn bản góp ý ngày 18/4/2023."),
    Item("4", "Báo cáo việc chấp hành kỷ luật, kỷ cương hành chính 6 tháng đầu năm", "15/6/2023",
         done=D(2023, 6, 13), result="Báo cáo ngày 13/6/2023."),
    Item("5", "Tổ chức Ngày hội khởi nghiệp đổi mới sáng tạo cấp tỉnh", "Tháng 10/2023",
         done=D(2023, 10, 21), result="Tổ chức ngày 21/10/2023."),
    Item("6", "Đề xuất nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2024", "30/11/2023",
         done=D(2023, 12, 5), result="Trình UBND tỉnh ngày 05/12/2023."),
)


def replace_records(agency, officer) -> None:
    """Remove the demo's registry, plans and reports of `agency` and write the ones above."""
    from django.db import transaction

    from cchc.agencies.models import Unit
    from cchc.documents.models import Direction, Document, NumberCounter, Register
    from cchc.documents.numbering import format_number, full_symbol
    from cchc.plans import services
    from cchc.plans.models import Plan, PlanKind
    from cchc.plans.rating import Progress
    from cchc.reports.models import Report

    with transaction.atomic():
        Report.objects.filter(agency=agency).delete()
        Plan.objects.filter(agency=agency).delete()
        Document.objects.filter(agency=agency).delete()
        NumberCounter.objects.filter(register__agency=agency).delete()
        registers = {}
        for name in (GENERAL, DECISIONS):
            registers[name], _ = Register.objects.get_or_create(
                agency=agency, name=name, defaults={"direction": Direction.OUTGOING}
            )
        documents = {}
        for register, kind, number, issued, excerpt in DOCUMENTS:
            document = Document.objects.create(
                agency=agency, register=registers[register], direction=Direction.OUTGOING, kind=kind,
                number=format_number(number), numeric_number=number, year=issued.year,
                symbol=full_symbol(kind, agency.code), issue_date=issued, issuing_body=agency.name, excerpt=excerpt,
                signer_title="Giám đốc", signer_name="Phan Quốc Dũng",
            )
            documents[document.number_symbol] = document
        units = {unit.code: unit for unit in Unit.objects.filter(agency=agency)}

        def task(plan, item: Item, parent, order: int) -> None:
            created = services.create_task(
                plan, code=item.code, content=item.content, actor=officer, parent=parent, order=order,
                lead_unit=units.get(item.lead), deadline=item.deadline, content_complete=item.complete,
            )
            if item.evidence:
                created = services.update_task(created, officer, evidence=[documents[item.evidence]])
            if item.started:
                services.record_progress(created, "Đang triển khai.", Progress.IN_PROGRESS, actor=officer,
                                         on=item.started, result=item.result if not item.done else None)
            if item.done:
                services.record_progress(created, item.result, Progress.DONE, actor=officer, on=item.done,
                                         result=item.result)

        plan = services.create_plan(
            agency, kind=PlanKind.CCHC_ANNUAL, year=2023, actor=officer, document=documents["121/KH-SKHCN"],
            title="Kế hoạch cải cách hành chính năm 2023 của Sở Khoa học và Công nghệ",
        )
        order = 0
        for code, content, items in CCHC_PLAN:
            order += 1
            group = services.create_task(plan, code=code, content=content, actor=officer, order=order)
            for item in items:
                order += 1
                task(plan, item, group, order)
        directives = services.create_plan(
            agency, kind=PlanKind.PROVINCE_DIRECTIVES, year=2023, actor=officer,
            title="Nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao năm 2023",
            document_text="Hệ thống theo dõi nhiệm vụ của UBND tỉnh",
        )
        for order, item in enumerate(DIRECTIVES, start=1):
            task(directives, item, None, order)
        business = services.create_plan(
            agency, kind=PlanKind.BUSINESS_ENVIRONMENT, year=2023, actor=officer, document=documents["12/KH-SKHCN"],
            title="Kế hoạch cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh năm 2023",
        )
        for order, item in enumerate(BUSINESS_PLAN, start=1):
            task(business, item, None, order)
