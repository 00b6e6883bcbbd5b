"""The document registry of the demo Sở KH&CN: its registers and the 2021-2023 documents its 2023 reports cite.

The numbers are those of the Bà Rịa - Vũng Tàu Q1/2023 report (the agency here is the demo's Sở KH&CN Quảng Trị).
They are history typed into the registry, not allocated: each register's counter is then moved up to the highest
number of its year, so a number allocated later in that year follows them instead of colliding with them
(Nghị định 30/2020 Điều 15: numbers run from 01 on 1 January, without duplicates). Numbers missing in between are
documents the registry does not hold (issued before the system was used).

Outgoing documents are numbered per register as that province does: plans, reports, submissions in the general
register, decisions in their own register (hence 09/TTr and 09/QĐ on the same day).
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

DIRECTOR = ("Giám đốc", "Lê Quang Thành")
DEPUTY = ("Phó Giám đốc", "Hoàng Văn Minh")
PROVINCE_BODY = "UBND tỉnh Quảng Trị"


@dataclass(frozen=True)
class Outgoing:
    register: str
    kind: str  # DocumentKind value
    number: int
    issue_date: dt.date
    excerpt: str
    deputy: bool = True  # signed KT. Giám đốc by the Phó Giám đốc; else by the Giám đốc


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
    signer: tuple[str, str] = ("Chủ tịch", "Võ Văn Hưng")


D = dt.date
KH, QD, BC, TTR, CT = (
    DocumentKind.KE_HOACH,
    DocumentKind.QUYET_DINH,
    DocumentKind.BAO_CAO,
    DocumentKind.TO_TRINH,
    DocumentKind.CHI_THI,
)

OUTGOING: tuple[Outgoing, ...] = (
    # 2022: the reports of the previous periods and the 2023 plan.
    Outgoing(
        GENERAL, BC, 14, D(2022, 3, 14), "Công tác cải cách hành chính quý I năm 2022 của Sở Khoa học và Công nghệ"
    ),
    Outgoing(
        GENERAL,
        BC,
        31,
        D(2022, 6, 15),
        "Công tác cải cách hành chính 6 tháng đầu năm 2022 của Sở Khoa học và Công nghệ",
    ),
    Outgoing(
        GENERAL, BC, 47, D(2022, 9, 14), "Công tác cải cách hành chính 9 tháng năm 2022 của Sở Khoa học và Công nghệ"
    ),
    Outgoing(GENERAL, BC, 60, D(2022, 12, 12), "Công tác cải cách hành chính năm 2022 của Sở Khoa học và Công nghệ"),
    Outgoing(GENERAL, KH, 64, D(2022, 12, 30), "Công tác cải cách hành chính nhà nước năm 2023", deputy=False),
    Outgoing(
        DECISIONS,
        QD,
        24,
        D(2022, 2, 28),
        "Phê duyệt vị trí việc làm của công chức và người lao động thuộc các phòng, cơ quan hành chính "
        "trực thuộc Sở Khoa học và Công nghệ",
        deputy=False,
    ),
    # 2023, first quarter.
    Outgoing(
        GENERAL, KH, 1, D(2023, 1, 9), "Theo dõi tình hình thi hành pháp luật năm 2023 của Sở Khoa học và Công nghệ"
    ),
    Outgoing(
        GENERAL,
        KH,
        2,
        D(2023, 1, 9),
        "Quản lý công tác thi hành pháp luật về xử lý vi phạm hành chính năm 2023 của Sở Khoa học và Công nghệ",
    ),
    Outgoing(GENERAL, KH, 3, D(2023, 1, 13), "Rà soát, đánh giá thủ tục hành chính năm 2023"),
    Outgoing(
        GENERAL,
        KH,
        4,
        D(2023, 1, 17),
        "Tổ chức lớp bồi dưỡng tiêu chuẩn chức danh nghề nghiệp viên chức chuyên ngành khoa học và công nghệ năm 2023",
    ),
    Outgoing(GENERAL, KH, 6, D(2023, 2, 2), "Kiểm tra công vụ của Sở Khoa học và Công nghệ năm 2023"),
    Outgoing(
        GENERAL,
        TTR,
        9,
        D(2023, 2, 8),
        "Đề nghị bãi bỏ Nghị quyết số 43/NQ-HĐND ngày 14/12/2018 của Hội đồng nhân dân tỉnh về chủ trương hỗ trợ "
        "doanh nghiệp nhỏ và vừa khởi nghiệp sáng tạo giai đoạn 2019 - 2025",
    ),
    Outgoing(
        DECISIONS,
        QD,
        9,
        D(2023, 2, 8),
        "Thành lập Đoàn kiểm tra công vụ năm 2023 của Sở Khoa học và Công nghệ",
        deputy=False,
    ),
    Outgoing(
        GENERAL,
        KH,
        10,
        D(2023, 2, 10),
        "Công tác thi đua, khen thưởng năm 2023 của Sở Khoa học và Công nghệ",
        deputy=False,
    ),
    Outgoing(
        GENERAL, KH, 11, D(2023, 2, 13), "Rà soát văn bản quy phạm pháp luật của Sở Khoa học và Công nghệ năm 2023"
    ),
    Outgoing(
        GENERAL,
        KH,
        17,
        D(2023, 3, 1),
        "Thông tin, tuyên truyền cải cách hành chính của Sở Khoa học và Công nghệ năm 2023",
    ),
    Outgoing(
        GENERAL,
        KH,
        20,
        D(2023, 3, 13),
        "Kiểm tra và xử lý văn bản quy phạm pháp luật của Sở Khoa học và Công nghệ năm 2023",
    ),
)

INCOMING_DOCUMENTS: tuple[Incoming, ...] = (
    Incoming(
        812,
        D(2021, 8, 18),
        CT,
        "10",
        "CT-UBND",
        D(2021, 8, 16),
        "Nâng cao hiệu quả công tác cải cách hành chính trên địa bàn tỉnh",
    ),
    Incoming(
        205,
        D(2022, 2, 23),
        QD,
        "537",
        "QĐ-UBND",
        D(2022, 2, 21),
        "Công bố Danh mục thủ tục hành chính cắt giảm thời gian giải quyết so với quy định hiện hành thuộc thẩm "
        "quyền giải quyết của Sở Khoa học và Công nghệ",
    ),
    Incoming(
        1388,
        D(2022, 12, 16),
        QD,
        "32/2022",
        "QĐ-UBND",
        D(2022, 12, 14),
        "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công nghệ",
    ),
    Incoming(
        3,
        D(2023, 1, 3),
        QD,
        "4047",
        "QĐ-UBND",
        D(2022, 12, 30),
        "Ban hành Kế hoạch cải cách hành chính nhà nước tỉnh Quảng Trị năm 2023",
    ),
    Incoming(
        58,
        D(2023, 1, 16),
        QD,
        "95",
        "QĐ-UBND",
        D(2023, 1, 13),
        "Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2023 trên địa bàn tỉnh",
    ),
)


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

    Returns the documents by their reference ("64/KH-SKHCN", "4047/QĐ-UBND")."""
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
                title, name = DEPUTY if spec.deputy else DIRECTOR
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
                        signing_form=SigningForm.KT if spec.deputy else SigningForm.NONE,
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
                        signing_form=SigningForm.TM,
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
