"""The agency's self-assessment report (Báo cáo tự đánh giá, chấm điểm xác định Chỉ số CCHC) as an administrative
document of Nghị định 30/2020, rendered by cchc.reports.rendering: the result by field, how cchc's proposals were
used, the explanations of the items scored without evidence, and the whole score table as its appendix."""

from __future__ import annotations

import re

from django.utils import timezone

from cchc.reports.rendering import AdministrativeDocument, Appendix, Heading, Paragraph, Signature, Table, render_docx
from cchc.reports.rendering import to_pdf as docx_to_pdf

from ..models import Basis
from ..presenter import SheetView
from ..rules import points_text
from .tables import score_table

_PROVINCE_PREFIX = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)


def _place(agency) -> str:
    return _PROVINCE_PREFIX.sub("", agency.province.name).strip() if agency.province_id else ""


def _field_table(view: SheetView) -> Table:
    totals = view.totals
    rows = []
    for field in totals.fields:
        maximum = field.item.max_points
        own = field.points["self"]
        rate = f"{points_text(own * 100 / maximum)}" if maximum else ""
        rows.append([field.item.code, field.item.title, points_text(maximum), points_text(own), rate])
    rows.append(["", "Cộng", points_text(totals.maximum), points_text(totals.base["self"]),
                 points_text(totals.base["self"] * 100 / totals.maximum) if totals.maximum else ""])  # fmt: skip
    return Table(columns=["TT", "Lĩnh vực", "Điểm tối đa", "Điểm tự chấm", "Tỷ lệ đạt (%)"], rows=rows,
                 widths=[10, 90, 22, 22, 22], aligns=["center", "left", "center", "center", "center"],
                 bold_rows=[len(rows) - 1], font_size=12)  # fmt: skip


def _proposal_paragraph(view: SheetView, who: str) -> Paragraph | None:
    proposed = [row for row in view.leaves if row.has_proposal]
    if not proposed:
        return None
    accepted = sum(1 for row in proposed if row.score.basis == Basis.ACCEPTED)
    overridden = sum(1 for row in proposed if row.score.basis == Basis.OVERRIDDEN)
    text = (f"- Có {len(proposed)} tiêu chí được hệ thống cchc đề xuất điểm từ dữ liệu {who} đang quản lý trên hệ "
            f"thống (kế hoạch, văn bản, báo cáo, hồ sơ TTHC, phản ánh, kiến nghị): {accepted} tiêu chí tự chấm theo "
            f"đề xuất, {overridden} tiêu chí tự chấm khác đề xuất và có nêu lý do.")  # fmt: skip
    return Paragraph.of(text)


def self_assessment_document(view: SheetView) -> AdministrativeDocument:
    sheet = view.sheet
    agency, framework, totals = sheet.agency, sheet.framework, view.totals
    year = framework.year
    who = "Sở" if agency.kind == "so" else "cơ quan"
    basis = (f"Căn cứ {framework.decision_label} của UBND tỉnh ban hành {framework.name};" if framework.decision_label
             else f"Căn cứ {framework.name};")  # fmt: skip
    body: list = [
        Paragraph.of(basis),
        Paragraph.of(
            f"{agency.name} báo cáo kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm "
            f"{year} như sau:"
        ),  # fmt: skip
        Heading("I.", "Kết quả tự đánh giá, chấm điểm", level=1),
    ]
    text = (f"Tổng điểm tự đánh giá của {who}: {points_text(totals.total('self'))}/{points_text(totals.maximum)} "
            f"điểm, Chỉ số CCHC tự đánh giá đạt {points_text(totals.index('self'))} %")  # fmt: skip
    if totals.bonus["self"] or totals.penalty["self"]:
        text += (f" (gồm {points_text(totals.bonus['self'])} điểm thưởng, trừ "
                 f"{points_text(totals.penalty['self'])} điểm)")  # fmt: skip
    tier = _self_tier(view)
    if tier:
        text += f", tương ứng mức {tier}"
    body += [Paragraph.of(text + "."), Paragraph.of("Kết quả theo từng lĩnh vực:"), _field_table(view)]
    proposal = _proposal_paragraph(view, who)
    if proposal:
        body.append(proposal)
    body.append(Heading("II.", "Các tiêu chí tự chấm có điểm nhưng chưa có tài liệu kiểm chứng", level=1))
    explanations = view.explanations
    if not explanations:
        body.append(Paragraph.of("Các tiêu chí tự chấm có điểm đều có tài liệu kiểm chứng kèm theo bảng điểm."))
    for row in explanations:
        note = row.score.self_note.strip() or "chưa có giải trình"
        body.append(Paragraph.of(f"- Tiêu chí {row.item.code} ({row.item.title}, "
                                 f"{points_text(row.score.self_points)} điểm): {note}"))  # fmt: skip
    body.append(Paragraph.of(f"{agency.name} kính đề nghị Hội đồng thẩm định Chỉ số CCHC tỉnh xem xét, thẩm định./."))
    locked = timezone.localtime(sheet.self_locked_at).date() if sheet.self_locked_at else None
    document = AdministrativeDocument(
        parent_authority=agency.parent_authority_name or (f"UBND tỉnh {_place(agency)}" if agency.province_id else ""),
        issuing_agency=agency.name, symbol=f"BC-{agency.code}", place=_place(agency), date=locked, year=year,
        document_type="Báo cáo", body=body,
        excerpt=f"Kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm {year}",
        signature=Signature(title="Giám đốc", name=""), recipients=["Sở Nội vụ", "Hội đồng thẩm định Chỉ số CCHC tỉnh"],
        archive_unit="VP",
    )  # fmt: skip
    document.appendices = [
        Appendix(title=f"Bảng tự đánh giá, chấm điểm Chỉ số CCHC năm {year}",
                 reference=document.reference_line(agency.name), blocks=[score_table(view, numbers=False)])
    ]  # fmt: skip
    return document


def _self_tier(view: SheetView) -> str:
    from ..scoring import tier_for

    tier = tier_for(view.totals.index("self"), list(view.sheet.framework.tiers.all()))
    return tier.name if tier else ""


def report_docx(view: SheetView) -> bytes:
    return render_docx(self_assessment_document(view))


def report_pdf(view: SheetView) -> bytes:
    return docx_to_pdf(report_docx(view))


def file_name(view: SheetView, extension: str) -> str:
    sheet = view.sheet
    return f"bao-cao-tu-danh-gia-{sheet.agency.code.lower()}-{sheet.framework.year}.{extension}"
