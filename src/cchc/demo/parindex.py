"""The demo province's PAR Index 2023: the province's framework for its departments (a copy of cchc's template,
adapted by the Sở Nội vụ), the Sở KH&CN's sheet with cchc's proposals from its demo records, evidence linked from its
registry, plans and reports, its self-assessment locked and the Sở Nội vụ's round 1 begun; the Sở Tư pháp's sheet
beside it for the ranking. Written for the demo; every step goes through cchc.parindex's services (audited), so the
sheet's timeline reads as if the people had done it. Keyed by (province, year, group) and (framework, agency): a
second build creates nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from cchc.agencies.models import Agency
from cchc.documents.models import Document
from cchc.parindex import defaults, frameworks, proposals, scores, sheets
from cchc.parindex.evidence_links import page_of
from cchc.parindex.models import AppraiserRole, EvidenceKind, Framework, Section
from cchc.parindex.tree import build, walk
from cchc.parindex.workflow import Move
from cchc.plans.models import Plan
from cchc.reports.models import Report

from .data import Summary

YEAR = 2023
D = Decimal
NAME = "Bộ tiêu chí xác định Chỉ số CCHC của các sở, ban, ngành tỉnh Quảng Trị năm 2023"
DECISION = ("2871/QĐ-UBND", dt.date(2022, 12, 28))
WEBSITE = "https://skhcn-quangtri.example.vn/cai-cach-hanh-chinh"
DATA_NOTE = "Số liệu do cchc tính từ dữ liệu của cơ quan trên hệ thống (xem nguồn ở phần đề xuất)."
PAPER_NOTE = "Hồ sơ giấy lưu tại Văn phòng Sở, gửi kèm khi Hội đồng thẩm định yêu cầu."

# The Sở KH&CN's self-assessment of the items cchc does not propose (points, note): other items get their maximum.
SCIENCE_SELF: dict[str, tuple[str, str]] = {
    "1.4.2": ("0.5", "Đã kiểm tra 06/06 phòng, đơn vị theo Kế hoạch số 09/KH-SKHCN."),
    "1.6": ("0.5", "Sáng kiến nhắn tin nhắc hạn bổ sung hồ sơ đang áp dụng thử từ tháng 3/2023."),
    "2.1.1": ("1", "Trình 02/03 văn bản theo chương trình; 01 văn bản lùi sang năm 2024 theo ý kiến của UBND tỉnh."),
    "3.2.1": ("1", "Trình công bố 02 đợt danh mục TTHC trong thời hạn."),
    "3.6": ("1", "Theo kết quả đánh giá Bộ chỉ số phục vụ người dân, doanh nghiệp của tỉnh."),
    "4.2": ("2.5", "Đang hoàn thiện đề án sắp xếp Trung tâm Thông tin và Ứng dụng KH&CN."),
    "5.2": ("3", "Tuyển dụng 02 viên chức đúng quy trình."),
    "6.3": ("1.5", "Trung tâm Thông tin và Ứng dụng KH&CN tự bảo đảm một phần chi thường xuyên."),
    "7.2.1": ("1.5", "Tỷ lệ văn bản đi ký số đạt 92 %."),
    "7.3.3": ("0.5", "Đã mở thanh toán trực tuyến cho 05 TTHC."),
}
NOTHING = {code: ("0", "") for code in ("T.1", "T.2", "T.3", "TR.1", "TR.2", "TR.3")}
# The Sở Tư pháp's own self-assessment, for the ranking beside the Sở KH&CN.
JUSTICE_SELF: dict[str, tuple[str, str]] = {
    "1.6": ("0", ""),
    "2.1.1": ("1", "Trình 04/05 văn bản theo chương trình."),
    "3.3.2": ("1.5", "Còn 02 hồ sơ trễ hạn trong năm."),
    "7.3.2": ("1", "Tỷ lệ hồ sơ trực tuyến chưa đạt 40 %."),
    "T.2": ("1", "Được UBND tỉnh tặng Bằng khen về công tác CCHC năm 2023."),
}
# Registry documents (number/symbol) linked as evidence of an item.
SCIENCE_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "1.1.1": ("151/KH-SKHCN",),
    "1.1.2": ("151/KH-SKHCN",),
    "1.4.1": ("09/KH-SKHCN", "02/QĐ-SKHCN"),
    "1.5": ("14/KH-SKHCN",),
    "2.3": ("07/KH-SKHCN",),
    "3.1.1": ("05/KH-SKHCN",),
    "3.4.1": ("16/KH-SKHCN",),
    "5.4": ("12/KH-SKHCN",),
    "6.1": ("03/QĐ-SKHCN",),
    "7.1.1": ("18/KH-SKHCN",),
}
UPLOADED = ("1.4.2", "bien-ban-kiem-tra-cchc-2023.txt",
            "Biên bản kiểm tra công tác CCHC, công vụ năm 2023 tại 06 phòng, đơn vị (bản minh họa).")  # fmt: skip
# The Sở Nội vụ's round 1 on the Sở KH&CN's sheet: (points, note) of its own items, and the survey.
ROUND1: dict[str, tuple[str, str]] = {
    "1.6": ("0.25", "Sáng kiến chưa được cấp có thẩm quyền công nhận."),
    "4.2": ("2", "Đề án sắp xếp chưa được phê duyệt trong năm đánh giá."),
    "8.1": ("5.25", ""),
    "8.2": ("3.5", ""),
    "8.3.1": ("2", ""),
    "8.3.2": ("1.25", ""),
    "8.4": ("2.75", ""),
}


def _users() -> dict[str, object]:
    users = get_user_model().objects
    return {name: users.get(username=name) for name in ("snv.tonghop", "skhcn.chuyenvien", "skhcn.admin",
                                                         "stp.chuyenvien")}  # fmt: skip


def build_framework(agencies: dict[str, Agency], lead) -> Framework:
    province = agencies["SKHCN"].province
    found = Framework.objects.filter(province=province, year=YEAR, group="departments").first()
    if found is not None:
        return found
    template, _created = defaults.load()
    framework = frameworks.copy_framework(template, lead, province=province, year=YEAR, name=NAME)
    frameworks.update_framework(framework, lead, decision_number=DECISION[0], decision_date=DECISION[1],
                                is_template=False, self_deadline=dt.date(2024, 1, 15),
                                round1_deadline=dt.date(2024, 2, 20), round2_deadline=dt.date(2024, 3, 15))
    frameworks.set_appraisers(framework, {AppraiserRole.JUSTICE: agencies["STP"],
                                          AppraiserRole.SCIENCE: agencies["SKHCN"]}, lead)  # fmt: skip
    return framework


def _documents(agency: Agency) -> dict[str, Document]:
    return {document.number_symbol: document for document in Document.objects.filter(agency=agency)}


def _self_assess(sheet, officer, plan: Plan | None, report: Report | None, documents: dict[str, Document],
                 table: dict[str, tuple[str, str]], *, upload: bool) -> None:  # fmt: skip
    roots = build(sheet.framework.items.all())
    for node in walk(roots):
        item = node.item
        if not node.is_leaf or item.section == Section.SURVEY:
            continue
        score = sheet.scores.select_related("item", "sheet", "sheet__framework", "sheet__agency").get(item=item)
        evidence_added = False
        linked: set[tuple[str, int]] = set()  # an object is attached once, whether named here or by the proposal
        for reference in SCIENCE_DOCUMENTS.get(item.code, ()) if documents else ():
            document = documents.get(reference)
            if document is not None:
                scores.add_evidence(score, officer, kind=EvidenceKind.OBJECT, title=f"{document}: {document.excerpt}",
                                    ref_model="documents.document", ref_pk=document.pk,
                                    url=page_of("documents.document", document.pk))  # fmt: skip
                linked.add(("documents.document", document.pk))
                evidence_added = True
        for source in (score.proposal or {}).get("sources", []):
            if source.get("model") and source.get("pk") and (source["model"], source["pk"]) not in linked:
                linked.add((source["model"], source["pk"]))
                scores.add_evidence(score, officer, kind=EvidenceKind.OBJECT, title=source["label"],
                                    ref_model=source["model"], ref_pk=source["pk"], url=source.get("url") or "")
                evidence_added = True
        if upload and item.code == UPLOADED[0]:
            content = ContentFile(UPLOADED[2].encode("utf-8"), name=UPLOADED[1])
            scores.add_evidence(score, officer, kind=EvidenceKind.FILE, title=UPLOADED[2], file=content)
            evidence_added = True
        if item.code == "7.4" and upload:
            scores.add_evidence(score, officer, kind=EvidenceKind.LINK, title="Chuyên mục CCHC trên trang của Sở",
                                url=WEBSITE)  # fmt: skip
            evidence_added = True
        if item.code == "1.3" and report is not None:
            scores.add_evidence(score, officer, kind=EvidenceKind.OBJECT, title=f"Báo cáo: {report.title}",
                                ref_model="reports.report", ref_pk=report.pk, url=page_of("reports.report", report.pk))
            evidence_added = True
        if item.code == "1.2" and plan is not None:
            scores.add_evidence(score, officer, kind=EvidenceKind.OBJECT, title=f"Kế hoạch: {plan.title}",
                                ref_model="plans.plan", ref_pk=plan.pk, url=page_of("plans.plan", plan.pk))
            evidence_added = True
        score.refresh_from_db()
        if score.proposed_points is not None:
            scores.save_self(score, officer, points=None, accept=True, note="" if evidence_added else DATA_NOTE)
            continue
        points, note = table.get(item.code, (str(item.max_points), ""))
        if D(points) > 0 and not evidence_added and not note:
            note = PAPER_NOTE
        scores.save_self(score, officer, points=D(points), note=note)


def build_par_index(agencies: dict[str, Agency], summary: Summary) -> None:
    if "SKHCN" not in agencies or "SNV" not in agencies or "STP" not in agencies:
        return
    users = _users()
    lead, officer, justice_officer = users["snv.tonghop"], users["skhcn.chuyenvien"], users["stp.chuyenvien"]
    with transaction.atomic():
        framework = build_framework(agencies, lead)
        science, justice = agencies["SKHCN"], agencies["STP"]
        if not framework.sheets.filter(agency=science).exists():
            sheet = sheets.open_sheet(framework, science, officer)
            proposals.refresh(sheet, force=True)
            plan = Plan.objects.filter(agency=science, year=YEAR, kind="cchc").first()
            report = Report.objects.filter(agency=science, period_end__year=YEAR).order_by("period_end").first()
            _self_assess(sheet, officer, plan, report, _documents(science), {**SCIENCE_SELF, **NOTHING}, upload=True)
            sheets.move(sheet, officer, Move.LOCK_SELF)
            sheets.move(sheet, lead, Move.START_ROUND1)
            for code, (points, note) in ROUND1.items():
                score = sheet.scores.select_related("item", "sheet", "sheet__framework").get(item__code=code)
                scores.appraise(score, lead, points=D(points), note=note)
            summary.add("bảng điểm Chỉ số CCHC")
        if not framework.sheets.filter(agency=justice).exists():
            other = sheets.open_sheet(framework, justice, justice_officer)
            _self_assess(other, justice_officer, None, None, {}, {**NOTHING, **JUSTICE_SELF}, upload=False)
            sheets.move(other, justice_officer, Move.LOCK_SELF)
            sheets.move(other, lead, Move.START_ROUND1)
            for code, points in (("8.1", "5.5"), ("8.2", "3.25"), ("8.3.1", "2"), ("8.3.2", "1"), ("8.4", "2.5")):
                score = other.scores.select_related("item", "sheet", "sheet__framework").get(item__code=code)
                scores.appraise(score, lead, points=D(points))
            summary.add("bảng điểm Chỉ số CCHC")

