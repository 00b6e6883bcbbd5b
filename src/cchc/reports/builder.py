"""Report -> AdministrativeDocument (Nghị định 30/2020 layout) -> .docx, PDF and .xlsx bytes.

The narrative is what officers wrote in the sections (lines starting "- " / "+ " are list items; **bold**, *italic*
and [^footnotes] as in rendering.parse_inline); every figure comes from the computed blocks, recomputed at each build
from the statistics service and the plans.
"""

from __future__ import annotations

import dataclasses
import re

from cchc.agencies.models import Membership
from cchc.reports.rendering import (
    AdministrativeDocument,
    Appendix,
    Heading,
    Paragraph,
    Signature,
    Table,
    render_docx,
    table_to_xlsx,
    to_pdf,
)

from .blocks import BlockContext, render_block
from .models import Report, ReportStatus

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_PROVINCE_PREFIX = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)


def narrative_paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph.of(line.strip()) for line in (text or "").splitlines() if line.strip()]


def place_name(report: Report) -> str:
    province = report.agency.province
    return _PROVINCE_PREFIX.sub("", province.name).strip() if province else ""


def parent_authority(report: Report) -> str:
    agency = report.agency
    if agency.parent_authority_name:
        return agency.parent_authority_name
    province = agency.province
    return f"UBND tỉnh {place_name(report)}" if province else ""


def _body_and_tables(report: Report, cache: dict) -> tuple[list, list[tuple[str, Table]]]:
    body: list = narrative_paragraphs(report.intro)
    tables: list[tuple[str, Table]] = []
    base = BlockContext(report, cache=cache)
    for section in report.sections.order_by("order"):
        if section.heading or section.number:
            body.append(Heading(section.number, section.heading, level=max(1, min(section.level, 4))))
        computed = []
        for name in section.blocks:
            for item in render_block(name, report, base.with_options(section.options)):
                computed.append(item)
                if isinstance(item, Table):
                    tables.append((section.heading or name, item))
        narrative = narrative_paragraphs(section.text)
        body += (narrative + computed) if section.options.get("narrative_first") else (computed + narrative)
    body += narrative_paragraphs(report.closing)
    return body, tables


def build_document(report: Report, *, cache: dict | None = None) -> AdministrativeDocument:
    """The report as the renderer's document model."""
    cache = {} if cache is None else cache
    report = Report.objects.select_related("agency", "agency__province", "template", "signer", "approved_by").get(
        pk=report.pk
    )
    body, _tables = _body_and_tables(report, cache)
    document = AdministrativeDocument(
        parent_authority=parent_authority(report),
        issuing_agency=report.agency.name,
        symbol=report.symbol or f"BC-{report.agency.code}",
        number=report.number or None,
        place=place_name(report),
        date=report.issue_date,
        year=report.period_end.year,
        document_type=report.template.document_type,
        excerpt=report.title,
        body=body,
        signature=signature_of(report),
        recipients=list(report.recipients),
        archive_unit=report.archive_unit or None,
    )
    document.appendices = _appendices(report, document, cache)
    return document


def _appendices(report: Report, document: AdministrativeDocument, cache: dict) -> list[Appendix]:
    specs = report.appendices or []
    base = BlockContext(report, cache=cache)
    out = []
    for index, spec in enumerate(specs):
        blocks = render_block(spec["block"], report, base.with_options(spec.get("options")))
        out.append(
            Appendix(
                title=spec.get("title", ""),
                numeral=ROMAN[index] if len(specs) > 1 and index < len(ROMAN) else None,
                reference=document.reference_line(report.agency.name),
                blocks=blocks,
                landscape=spec.get("landscape", True),
            )
        )
    return out


def build_docx(report: Report) -> bytes:
    return render_docx(build_document(report))


def build_pdf(report: Report, *, docx: bytes | None = None) -> bytes:
    """PDF through LibreOffice (a few seconds); pass the .docx already built to convert it without rebuilding."""
    return to_pdf(docx if docx is not None else build_docx(report))


def document_tables(document: AdministrativeDocument) -> list[Table]:
    """The tables of a document for the workbook: the statistics tables of the body, then the appendix tables, each
    titled for its sheet."""
    tables: list[Table] = []
    for block in document.body:
        if isinstance(block, Table):
            tables.append(dataclasses.replace(block, title=block.title or "Kết quả giải quyết hồ sơ TTHC"))
    for appendix in document.appendices:
        for block in appendix.blocks:
            if isinstance(block, Table):
                tables.append(dataclasses.replace(block, title=block.title or f"{appendix.label} {appendix.title}"))
    return tables


def report_tables(report: Report) -> list[Table]:
    return document_tables(build_document(report))


def build_xlsx(report: Report) -> bytes:
    return table_to_xlsx(report_tables(report))


# --- the signature -------------------------------------------------------------------------------------------------


def _person(user) -> str:
    return " ".join((user.get_full_name() or user.get_username()).split())


def position_in(user, agency_id: int) -> str:
    """The user's position (chức vụ) in the agency, as the agency's admin recorded it."""
    membership = Membership.objects.filter(user=user, agency_id=agency_id).only("position").first()
    return membership.position.strip() if membership else ""


def signer_of(report: Report, *, approving: bool = False) -> tuple[str, str]:
    """(name, title) printed in the signature block: the leader chosen on the report; else a name typed on it; else,
    once approved, the approving leader. Their position in the agency is the title when recorded. A draft with none
    of these leaves the name line empty for the wet signature (Nghị định 30/2020, Phụ lục I, mục I.2.7).
    `approving`: the report is being approved by `report.approved_by` (services.approve settles the signer then)."""
    user = report.signer if report.signer_id else None
    approved = approving or report.status == ReportStatus.APPROVED
    if user is None and not report.signer_name.strip() and approved:
        user = report.approved_by if report.approved_by_id else None
    if user is None:
        return report.signer_name.strip(), report.signer_title.strip()
    return _person(user), position_in(user, report.agency_id) or report.signer_title.strip()


def signature_of(report: Report) -> Signature:
    name, title = signer_of(report)
    authority = f"{report.signing_form} {report.signing_authority}".strip() if report.signing_form else None
    # The head of the agency signing himself signs directly: no "KT. GIÁM ĐỐC" above "GIÁM ĐỐC".
    if authority and title and title.casefold() == report.signing_authority.strip().casefold():
        authority = None
    return Signature(title=title, name=name, authority_form=authority)
