"""The document registry of the demo Sở KH&CN Quảng Trị: its registers and the documents its 2023 plans and reports
cite. Every number, date and excerpt here is invented for the demo; only the national legislation a text may name
(Nghị định, Luật) is real.

2023 is the registry's first year in cchc: each 2023 outgoing register holds every number from 01 up to the Q1/2023
cut-off (14/03/2023), without a gap, as Nghị định 30/2020 Điều 15 asks. The 2022 documents are history typed in when
the registry started: only those the 2023 work cites, so their numbers have gaps (the others stayed in the paper
register). Incoming documents keep the arrival number the e-office system gave them; only those the CCHC work cites
are held. After the typed history each register's counter is moved up to the highest number of its year, so a number
allocated later in that year follows them instead of colliding with them.

Outgoing documents are numbered per register: plans, reports, submissions and notices in the general register,
decisions in their own register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from cchc.agencies.models import Agency
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.documents.models import Direction, Document, DocumentKind, NumberCounter, Register, SigningForm
from cchc.documents.numbering import format_number, full_symbol

from .data import Summary

AGENCY = "SKHCN"
GENERAL = "Sổ văn bản đi"
DECISIONS = "Sổ quyết định"
INCOMING = "Sổ văn bản đến"
REGISTERS: tuple[tuple[str, str], ...] = (
    (GENERAL, Direction.OUTGOING),  # first: report approval allocates its number here
    (DECISIONS, Direction.OUTGOING),
    (INCOMING, Direction.INCOMING),
)

# Who signs an outgoing document (Nghị định 30/2020 Điều 13): (title, name, signing form).
SIGNERS: dict[str, tuple[str, str, str]] = {
    "director": ("Giám đốc", "Trương Văn Khải", SigningForm.NONE),
    "deputy": ("Phó Giám đốc", "Hoàng Văn Minh", SigningForm.KT),  # the demo user skhcn.lanhdao
    "office": ("Chánh Văn phòng", "Lê Thị Ngọc Ánh", SigningForm.TL),
}
PROVINCE_BODY = "UBND tỉnh Quảng Trị"
CHAIR = ("Chủ tịch", "Đinh Quang Hòa", SigningForm.TM)
VICE_CHAIR = ("Phó Chủ tịch", "Nguyễn Thị Bích Vân", SigningForm.KT)


@dataclass(frozen=True)
class Outgoing:
    register: str
    kind: str  # DocumentKind value
    number: int
    issue_date: dt.date
    excerpt: str
    signed: str = "deputy"  # a key of SIGNERS


@dataclass(frozen=True)
class Incoming:
    arrival: int  # number in the incoming register of the arrival year
    arrived_on: dt.date
    kind: str
    number: str
    symbol: str
    issue_date: dt.date
    excerpt: str
    issuing_body: str = PROVINCE_BODY
    signer: tuple[str, str, str] = VICE_CHAIR


D = dt.date
KH, QD, BC, TTR, TB, CT = (
    DocumentKind.KE_HOACH,
    DocumentKind.QUYET_DINH,
    DocumentKind.BAO_CAO,
    DocumentKind.TO_TRINH,
    DocumentKind.THONG_BAO,
    DocumentKind.CHI_THI,
)

OUTGOING: tuple[Outgoing, ...] = (
    # 2022: the period reports, the 2023 CCHC plan and the decision on the Sở's CCHC working group.
    Outgoing(GENERAL, BC, 27, D(2022, 3, 16), "Kết quả thực hiện công tác cải cách hành chính quý I năm 2022"),
    Outgoing(GENERAL, BC, 71, D(2022, 6, 15), "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022"),
    Outgoing(GENERAL, BC, 109, D(2022, 9, 15), "Kết quả thực hiện công tác cải cách hành chính 9 tháng năm 2022"),
    Outgoing(GENERAL, BC, 142, D(2022, 12, 9), "Kết quả thực hiện công tác cải cách hành chính năm 2022"),
    Outgoing(GENERAL, KH, 151, D(2022, 12, 23), "Thực hiện nhiệm vụ cải cách hành chính năm 2023", "director"),
    Outgoing(
        DECISIONS, QD, 126, D(2022, 12, 27), "Kiện toàn Tổ công tác cải cách hành chính của Sở Khoa học và Công nghệ",
        "director",
    ),
    # 2023 up to the Q1 cut-off: the general register, 01 to 20.
    Outgoing(
        GENERAL, BC, 1, D(2023, 1, 4),
        "Tổng kết công tác khoa học và công nghệ năm 2022, phương hướng, nhiệm vụ năm 2023", "director",
    ),
    Outgoing(
        GENERAL, BC, 2, D(2023, 1, 9),
        "Kết quả thực hiện Chỉ thị số 07/CT-UBND ngày 22/6/2021 của Chủ tịch UBND tỉnh trong năm 2022",
    ),
    Outgoing(
        GENERAL, TB, 3, D(2023, 1, 11), "Kết luận của Giám đốc Sở tại Hội nghị triển khai nhiệm vụ năm 2023", "office"
    ),
    Outgoing(GENERAL, BC, 4, D(2023, 1, 16), "Tình hình triển khai Đề án 06 trong lĩnh vực khoa học và công nghệ"),
    Outgoing(GENERAL, KH, 5, D(2023, 1, 17), "Kiểm soát thủ tục hành chính năm 2023"),
    Outgoing(
        GENERAL, BC, 6, D(2023, 1, 19),
        "Công tác thanh tra, giải quyết khiếu nại, tố cáo và phòng, chống tham nhũng năm 2022",
    ),
    Outgoing(
        GENERAL, KH, 7, D(2023, 1, 30),
        "Theo dõi tình hình thi hành pháp luật trong lĩnh vực khoa học và công nghệ năm 2023",
    ),
    Outgoing(
        GENERAL, KH, 8, D(2023, 1, 31),
        "Rà soát, hệ thống hóa văn bản quy phạm pháp luật về khoa học và công nghệ năm 2023",
    ),
    Outgoing(GENERAL, KH, 9, D(2023, 2, 6), "Kiểm tra công tác cải cách hành chính, công vụ năm 2023", "director"),
    Outgoing(
        GENERAL, TTR, 10, D(2023, 2, 8),
        "Đề nghị ban hành Quyết định sửa đổi, bổ sung Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh",
        "director",
    ),
    Outgoing(
        GENERAL, BC, 11, D(2023, 2, 10),
        "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2022 của Sở Khoa học và Công nghệ",
    ),
    Outgoing(GENERAL, KH, 12, D(2023, 2, 13), "Đào tạo, bồi dưỡng công chức, viên chức năm 2023"),
    Outgoing(
        GENERAL, KH, 13, D(2023, 2, 14),
        "Tổ chức phong trào thi đua “Đổi mới, sáng tạo trong phục vụ người dân, doanh nghiệp” năm 2023", "director",
    ),
    Outgoing(GENERAL, KH, 14, D(2023, 2, 20), "Thông tin, tuyên truyền cải cách hành chính năm 2023"),
    Outgoing(
        GENERAL, TTR, 15, D(2023, 2, 22),
        "Đề nghị phê duyệt phương án cắt giảm thời hạn giải quyết thủ tục hành chính lĩnh vực năng lượng nguyên tử, "
        "an toàn bức xạ và hạt nhân",
    ),
    Outgoing(GENERAL, KH, 16, D(2023, 2, 27), "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm 2023"),
    Outgoing(
        GENERAL, TTR, 17, D(2023, 3, 2),
        "Đề nghị phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng thực hiện từ năm 2024", "director",
    ),
    Outgoing(GENERAL, KH, 18, D(2023, 3, 7), "Ứng dụng công nghệ thông tin, chuyển đổi số năm 2023"),
    Outgoing(
        GENERAL, KH, 19, D(2023, 3, 9), "Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 năm 2023"
    ),
    Outgoing(
        GENERAL, BC, 20, D(2023, 3, 13),
        "Kết quả kiểm tra đo lường, chất lượng xăng dầu dịp Tết Nguyên đán Quý Mão 2023",
    ),
    # 2023 up to the Q1 cut-off: the decisions' register, 01 to 04.
    Outgoing(
        DECISIONS, QD, 1, D(2023, 1, 5),
        "Quy định chức năng, nhiệm vụ, quyền hạn của Văn phòng và các phòng chuyên môn, nghiệp vụ thuộc Sở Khoa học "
        "và Công nghệ",
        "director",
    ),
    Outgoing(
        DECISIONS, QD, 2, D(2023, 2, 6), "Thành lập Tổ kiểm tra công tác cải cách hành chính, công vụ năm 2023",
        "director",
    ),
    Outgoing(
        DECISIONS, QD, 3, D(2023, 2, 15), "Công khai dự toán ngân sách nhà nước năm 2023 của Sở Khoa học và Công nghệ",
        "director",
    ),
    Outgoing(
        DECISIONS, QD, 4, D(2023, 3, 10),
        "Phân công công chức làm việc tại Bộ phận tiếp nhận và trả kết quả của Sở tại Trung tâm Phục vụ hành chính "
        "công tỉnh",
        "director",
    ),
)  # fmt: skip

INCOMING_DOCUMENTS: tuple[Incoming, ...] = (
    Incoming(
        611, D(2021, 6, 24), CT, "07", "CT-UBND", D(2021, 6, 22),
        "Tăng cường kỷ luật, kỷ cương hành chính, nâng cao chất lượng giải quyết thủ tục hành chính trên địa bàn tỉnh",
        signer=CHAIR,
    ),
    Incoming(
        1187, D(2022, 11, 14), QD, "18/2022", "QĐ-UBND", D(2022, 11, 9),
        "Quy định vị trí, chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công nghệ tỉnh Quảng Trị",
        signer=CHAIR,
    ),
    Incoming(
        1342, D(2022, 12, 19), KH, "214", "KH-UBND", D(2022, 12, 15),
        "Cải cách hành chính nhà nước tỉnh Quảng Trị năm 2023",
    ),
    Incoming(
        117, D(2023, 2, 3), KH, "19", "KH-UBND", D(2023, 2, 1),
        "Kiểm tra công tác cải cách hành chính năm 2023 trên địa bàn tỉnh",
    ),
    Incoming(
        402, D(2023, 3, 8), QD, "512", "QĐ-UBND", D(2023, 3, 6),
        "Phê duyệt phương án cắt giảm thời hạn giải quyết thủ tục hành chính lĩnh vực năng lượng nguyên tử, an toàn "
        "bức xạ và hạt nhân thuộc thẩm quyền giải quyết của Sở Khoa học và Công nghệ",
    ),
)  # fmt: skip


def _create(document: Document, actor, summary: str) -> Document:
    document.save()
    fields = ["kind", "number", "symbol", "numeric_number", "year", "issue_date", "issuing_body", "excerpt"]
    changes = {name: [None, value] for name, value in audit.snapshot(document, fields).items()}
    audit.record(document, actor, AuditEntry.Action.CREATE, changes, summary=summary)
    return document


def _raise_counter(register: Register, year: int) -> None:
    """Move the counter of `register` for `year` up to its highest registered number, never down."""
    key = year if register.resets_yearly else 0
    highest = Document.objects.filter(register=register, year=year).aggregate(top=Max("numeric_number"))["top"] or 0
    counter, _ = NumberCounter.objects.get_or_create(register=register, year=key, defaults={"last": highest})
    if counter.last < highest:
        counter.last = highest
        counter.save(update_fields=["last"])


def build_documents(agencies: dict[str, Agency], actor, summary: Summary) -> dict[str, Document]:
    """Registers and documents of the demo Sở KH&CN (idempotent: keyed by register, year and number).

    Returns the documents by their reference ("151/KH-SKHCN", "214/KH-UBND")."""
    agency = agencies[AGENCY]
    found: dict[str, Document] = {}
    with transaction.atomic():
        registers = {}
        for name, direction in REGISTERS:
            register, created = Register.objects.get_or_create(
                agency=agency, name=name, defaults={"direction": direction}
            )
            registers[name] = register
            if created:
                summary.add("sổ văn bản")
        years: set[tuple[str, int]] = set()
        for spec in OUTGOING:
            register = registers[spec.register]
            year = spec.issue_date.year
            document = Document.objects.filter(register=register, year=year, numeric_number=spec.number).first()
            if document is None:
                title, name, form = SIGNERS[spec.signed]
                document = _create(
                    Document(
                        agency=agency,
                        register=register,
                        direction=Direction.OUTGOING,
                        kind=spec.kind,
                        number=format_number(spec.number),
                        numeric_number=spec.number,
                        year=year,
                        symbol=full_symbol(spec.kind, agency.code),
                        issue_date=spec.issue_date,
                        issuing_body=agency.name,
                        excerpt=spec.excerpt,
                        signer_name=name,
                        signer_title=title,
                        signing_form=form,
                    ),
                    actor,
                    f"Vào sổ văn bản đã ban hành {format_number(spec.number)}/{full_symbol(spec.kind, agency.code)}",
                )
                summary.add("văn bản")
            years.add((spec.register, year))
            found[document.number_symbol] = document
        for spec in INCOMING_DOCUMENTS:
            register = registers[INCOMING]
            year = spec.arrived_on.year
            document = Document.objects.filter(register=register, year=year, numeric_number=spec.arrival).first()
            if document is None:
                document = _create(
                    Document(
                        agency=agency,
                        register=register,
                        direction=Direction.INCOMING,
                        kind=spec.kind,
                        number=spec.number,
                        numeric_number=spec.arrival,
                        year=year,
                        symbol=spec.symbol,
                        issue_date=spec.issue_date,
                        issuing_body=spec.issuing_body,
                        excerpt=spec.excerpt,
                        signer_title=spec.signer[0],
                        signer_name=spec.signer[1],
                        signing_form=spec.signer[2],
                    ),
                    actor,
                    f"Vào sổ văn bản đến {spec.number}/{spec.symbol}",
                )
                summary.add("văn bản")
            years.add((INCOMING, year))
            found[document.number_symbol] = document
        for name, year in sorted(years):
            _raise_counter(registers[name], year)
    return found
