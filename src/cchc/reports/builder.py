"""Report -> AdministrativeDocument (Nghị định 30/2020 layout) -> .docx, PDF and .xlsx bytes.

The narrative is what officers wrote in the sections (lines starting "- " / "+ " are list items; **bold**, *italic*
and [^footnotes] as in rendering.parse_inline); every figure comes from the computed blocks, recomputed at each build
from the statistics service and the plans.
"""

from __future__ import annotations

import dataclasses
import re

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
from .models import Report

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
    report = Report.objects.select_related("agency", "agency__province", "template").get(pk=report.pk)
    body, _tables = _body_and_tables(report, cache)
    signing = f"{report.signing_form} {report.signing_authority}".strip() if report.signing_form else None
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
        signature=Signature(title=report.signer_title, name=report.signer_name, authority_form=signing),
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


def report_tables(report: Report) -> list[Table]:
    """The tables of the report for the workbook: the statistics tables of the body, then the appendix tables, each
    titled for its sheet."""
    cache: dict = {}
    document = build_document(report, cache=cache)
    tables: list[Table] = []
    for block in document.body:
        if isinstance(block, Table):
            tables.append(dataclasses.replace(block, title=block.title or "Kết quả giải quyết hồ sơ TTHC"))
    for appendix in document.appendices:
        for block in appendix.blocks:
            if isinstance(block, Table):
                tables.append(dataclasses.replace(block, title=block.title or f"{appendix.label} {appendix.title}"))
    return tables


def build_xlsx(report: Report) -> bytes:
    return table_to_xlsx(report_tables(report))
