"""Render an AdministrativeDocument as .docx in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I.

The decree fixes the paper (A4), margins, font (Times New Roman), the two-column header with its rules, the date line,
the document type and excerpt, the body typography, the signature block, "Nơi nhận:", page numbers from page 2 and the
appendix heading. Every size and style below cites the item of Phụ lục I it implements.

python-docx has no footnote API, so the footnotes part (word/footnotes.xml) is written here directly.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from . import fontmetrics
from .document import (
    AdministrativeDocument,
    Appendix,
    Block,
    Cell,
    Footnote,
    Heading,
    Image,
    ImageRow,
    Inline,
    Paragraph,
    SignatureRow,
    Table,
    layout_grid,
    nfc,
)
from .ooxml import (
    FIRST_LINE_INDENT_CM,
    FONT,
    add_field,
    add_text,
    bordered,
    borderless,
    cell_margins,
    cell_paragraph,
    draw_rule,
    fix_widths,
    merge_spans,
    set_fonts,
    set_format,
    set_size,
    xml_escape,
)
from .tablefit import CELL_MARGIN_MM, fit_table

# Phụ lục I, mục I.1: A4 paper; margins top 20-25, bottom 20-25, left 30-35, right 15-20 mm.
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10

BODY_PT = 14  # mục I.2.6: body 13-14 pt
PARAGRAPH_AFTER_PT = 6  # at least 6 pt between paragraphs
LINE_SPACING = 1.15  # single to 1.5 lines

HEADER_AUTHORITY_PT = 13  # mục I.2.2: 12-13 pt
HEADER_NATIONAL_PT = 12  # mục I.2.1: 12-13 pt; 13 pt does not fit the column beside a 13 pt agency name
HEADER_MOTTO_PT = 13  # 13-14 pt
HEADER_NUMBER_PT = 13
DATE_LINE_PT = 14
TYPE_PT = 14
EXCERPT_PT = 14
SIGNATURE_PT = 14
RECIPIENTS_TITLE_PT = 12
RECIPIENTS_PT = 11
PAGE_NUMBER_PT = 14
FOOTNOTE_PT = 11

# The header table is a little wider than the text block (into the left margin), as the decree's model forms are:
# the national name and the agency name must each fit on one line.
HEADER_LEFT_MM = 75
HEADER_RIGHT_MM = 95
HEADER_INDENT_MM = -5
HEADER_CELL_MARGIN_MM = 1
RULE_FRACTION = 0.4  # the short rules are 1/3 to 1/2 of the line above (mục I.2.2, I.2.5)

SIGNATURE_LEFT_MM = 72
SIGNATURE_SPACE_PT = 84  # room for the signature and the seal

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Printed width of one line of Times New Roman text, measured with Liberation Serif's metrics (fontmetrics)."""
    return fontmetrics.width_mm(text, size_pt, bold=bold)


def _longest_line_mm(text: str, size: float, *, bold: bool) -> float:
    return max((text_width_mm(line, size, bold=bold) for line in text.split("\n")), default=0.0)


def render_docx(doc: AdministrativeDocument) -> bytes:
    """The document as .docx bytes."""
    return _Renderer(doc).render()


class _Renderer:
    def __init__(self, source: AdministrativeDocument) -> None:
        self.source = source
        self.doc: DocxDocument = Document()
        self.footnotes: list[tuple[int, str]] = []

    # -- entry point -------------------------------------------------------------------------------------------------

    def render(self) -> bytes:
        self._setup_styles()
        section = self.doc.sections[0]
        self._setup_section(section, landscape=self.source.landscape)
        self._setup_page_numbers(section)
        # The default template starts with one empty paragraph; the header table must be the first thing on the page.
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)
        self._header()
        self._title()
        for block in self.source.body:
            self._block(block, text_width_mm=self._text_width(section))
        if self.source.signature is not None:
            self._signature()
        for appendix in self.source.appendices:
            self._appendix(appendix)
        self._write_footnotes()
        props = self.doc.core_properties
        props.title = nfc(" ".join(self.source.excerpt.split()))[:250]
        props.subject = nfc(self.source.document_type)
        props.author = nfc(self.source.issuing_agency)
        props.language = "vi-VN"
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    # -- styles and page set-up --------------------------------------------------------------------------------------

    def _setup_styles(self) -> None:
        styles_el = self.doc.styles.element
        rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_fonts(rpr_default)
        set_size(rpr_default, BODY_PT)
        lang = rpr_default.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr_default.append(lang)
        lang.set(qn("w:val"), "vi-VN")
        lang.set(qn("w:eastAsia"), "vi-VN")
        lang.set(qn("w:bidi"), "ar-SA")

        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        set_fonts(normal.element.get_or_add_rPr())
        fmt = normal.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(PARAGRAPH_AFTER_PT)
        fmt.line_spacing = LINE_SPACING
        fmt.widow_control = True

        ref = self.doc.styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        ref.font.superscript = True
        text = self.doc.styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        text.base_style = normal
        text.font.size = Pt(FOOTNOTE_PT)
        set_fonts(text.element.get_or_add_rPr())
        tfmt = text.paragraph_format
        tfmt.first_line_indent = Cm(0)
        tfmt.space_after = Pt(0)
        tfmt.line_spacing = 1.0
        tfmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def _setup_section(self, section: Section, *, landscape: bool) -> None:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGIN_TOP_MM)
        section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
        section.left_margin = Mm(MARGIN_LEFT_MM)
        section.right_margin = Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.footer_distance = Mm(HEADER_DISTANCE_MM)
        section.gutter = Mm(0)

    def _setup_page_numbers(self, section: Section) -> None:
        """Mục I.2.10: Arabic page numbers centred at the top, 13-14 pt, not on the first page."""
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        set_format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
        add_field(p, "PAGE", placeholder="2", size=PAGE_NUMBER_PT)

    @staticmethod
    def _text_width(section: Section) -> float:
        return (section.page_width - section.left_margin - section.right_margin) / Mm(1)

    # -- the header block ------------------------------------------------------------------------------------------

    def _header(self) -> None:
        src = self.source
        table = self.doc.add_table(rows=2, cols=2)
        borderless(table)
        fix_widths(table, [HEADER_LEFT_MM, HEADER_RIGHT_MM], indent_mm=HEADER_INDENT_MM)
        cell_margins(table, HEADER_CELL_MARGIN_MM)
        left, right = table.cell(0, 0), table.cell(0, 1)
        left_text = HEADER_LEFT_MM - 2 * HEADER_CELL_MARGIN_MM
        right_text = HEADER_RIGHT_MM - 2 * HEADER_CELL_MARGIN_MM

        # Mục I.2.2: the parent authority regular, the issuing agency bold, both uppercase, a short rule under them.
        first = True
        authority = nfc(src.parent_authority).strip().upper()
        if authority:
            p = cell_paragraph(left, first)
            first = False
            set_format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
            add_text(p, authority, size=HEADER_AUTHORITY_PT)
        agency = nfc(src.issuing_agency).strip().upper()
        p = cell_paragraph(left, first)
        set_format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
        add_text(p, agency, size=HEADER_AUTHORITY_PT, bold=True)
        agency_width = min(_longest_line_mm(agency, HEADER_AUTHORITY_PT, bold=True), left_text)
        draw_rule(left.add_paragraph(), agency_width * RULE_FRACTION, left_text)

        # Mục I.2.1: the national name and the motto bold; the rule under the motto is as long as the motto.
        p = cell_paragraph(right, True)
        set_format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
        add_text(p, NATIONAL_NAME, size=HEADER_NATIONAL_PT, bold=True)
        p = right.add_paragraph()
        set_format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
        add_text(p, MOTTO, size=HEADER_MOTTO_PT, bold=True)
        draw_rule(right.add_paragraph(), text_width_mm(MOTTO, HEADER_MOTTO_PT, bold=True), right_text)

        # Mục I.2.3 and I.2.5: the number on the left, the place and date in italics on the right, on one line.
        number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
        p = cell_paragraph(number_cell, True)
        set_format(p, align="center", first_line_indent=0, before=4, after=0, line_spacing=1.0)
        if src.show_number:
            add_text(p, src.number_line, size=HEADER_NUMBER_PT)
        if not src.document_type.strip():
            # A công văn has no type line: its excerpt ("V/v ...") sits under the number (mục I.2.4, b).
            p = number_cell.add_paragraph()
            set_format(p, align="center", first_line_indent=0, before=3, after=0, line_spacing=1.0)
            add_text(p, nfc(src.excerpt).strip(), size=12)
        p = cell_paragraph(date_cell, True)
        set_format(p, align="center", first_line_indent=0, before=4, after=0, line_spacing=1.0)
        add_text(p, src.date_line, size=DATE_LINE_PT, italic=True)

    def _title(self) -> None:
        """Mục I.2.4: the document type and the excerpt centred, bold, with a short rule under the excerpt."""
        src = self.source
        if not src.document_type.strip():
            self._spacer(12)
            return
        p = self.doc.add_paragraph()
        set_format(p, align="center", first_line_indent=0, before=18, after=0, line_spacing=1.0, keep_with_next=True)
        add_text(p, nfc(src.document_type).strip().upper(), size=TYPE_PT, bold=True)
        excerpt = nfc(src.excerpt).strip()
        if not excerpt:  # a form's title stands alone: its short rule goes under the title itself
            text_width = self._text_width(self.doc.sections[-1])
            title_width = _longest_line_mm(nfc(src.document_type).strip().upper(), TYPE_PT, bold=True)
            rule = self.doc.add_paragraph()
            draw_rule(rule, min(title_width, text_width) * RULE_FRACTION, text_width)
            rule.paragraph_format.space_after = Pt(12)
            return
        p = self.doc.add_paragraph()
        set_format(p, align="center", first_line_indent=0, before=0, after=0, line_spacing=1.0, keep_with_next=True)
        add_text(p, excerpt, size=EXCERPT_PT, bold=True)
        text_width = self._text_width(self.doc.sections[-1])
        excerpt_width = min(_longest_line_mm(excerpt, EXCERPT_PT, bold=True), text_width)
        rule = self.doc.add_paragraph()
        draw_rule(rule, excerpt_width * RULE_FRACTION, text_width)
        rule.paragraph_format.space_after = Pt(12)

    def _spacer(self, points: float) -> None:
        p = self.doc.add_paragraph()
        set_format(p, align="left", first_line_indent=0, before=0, after=points, line_spacing=1.0)

    # -- body ------------------------------------------------------------------------------------------------------

    def _block(self, block: Block, *, text_width_mm: float) -> None:
        if isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, Table):
            self._table(block, text_width_mm=text_width_mm)
        elif isinstance(block, Image):
            self._image(block, text_width_mm=text_width_mm)
        elif isinstance(block, ImageRow):
            self._image_row(block, text_width_mm=text_width_mm)
        elif isinstance(block, SignatureRow):
            self._signature_row(block, text_width_mm=text_width_mm)
        else:  # pragma: no cover - the type union is closed
            raise TypeError(f"unknown block {type(block).__name__}")

    def _heading(self, heading: Heading) -> None:
        """Outline headings: I. bold uppercase, 1. bold, a) bold italic, deeper italic (the samples' convention)."""
        text = nfc(heading.text).strip()
        if heading.level == 1:
            text = text.upper()
        number = nfc(heading.number).strip()
        label = f"{number} {text}" if number else text
        p = self.doc.add_paragraph()
        set_format(p, align="justify", before=6 if heading.level == 1 else 0, keep_with_next=True)
        bold = heading.level <= 3
        italic = heading.level >= 3
        add_text(p, label, size=self.source.body_size, bold=bold, italic=italic)

    def _paragraph(
        self, para: Paragraph, *, size: float | None = None, container: _Cell | None = None
    ) -> DocxParagraph:
        size = self.source.body_size if size is None else size
        p = container.add_paragraph() if container is not None else self.doc.add_paragraph()
        set_format(
            p,
            align=para.align,
            first_line_indent=FIRST_LINE_INDENT_CM if para.first_line_indent else 0,
            after=para.space_after,
        )
        if para.bullet:
            add_text(p, f"{para.bullet} ", size=size, bold=para.bold, italic=para.italic)
        self._inlines(p, para.content, size=size, bold=para.bold, italic=para.italic)
        return p

    def _inlines(self, p: DocxParagraph, content: Sequence[Inline], *, size: float, bold: bool, italic: bool) -> None:
        for part in content:
            if isinstance(part, Footnote):
                self._footnote_reference(p, part.text)
            else:
                add_text(
                    p,
                    nfc(part.text),
                    size=size,
                    bold=bold or part.bold,
                    italic=italic or part.italic,
                    underline=part.underline,
                )

    def _footnote_reference(self, p: DocxParagraph, text: str) -> None:
        # Ids 0 and 1 are the separator footnotes.
        note_id = len(self.footnotes) + 2
        self.footnotes.append((note_id, nfc(text).strip()))
        run = p.add_run()
        rpr = run._r.get_or_add_rPr()
        set_fonts(rpr)
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "FootnoteReference")
        rpr.insert(0, style)  # CT_RPr starts with rStyle, then rFonts
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(note_id))
        run._r.append(ref)

    def _write_footnotes(self) -> None:
        if not self.footnotes:
            return
        w = nsdecls("w")
        notes = [
            '<w:footnote w:type="separator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
            '<w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
        ]
        fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
        size = f'<w:sz w:val="{FOOTNOTE_PT * 2}"/><w:szCs w:val="{FOOTNOTE_PT * 2}"/>'
        for note_id, text in self.footnotes:
            notes.append(
                f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>{fonts}{size}</w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr>{fonts}{size}</w:rPr><w:t xml:space="preserve"> {xml_escape(text)}</w:t></w:r>'
                f"</w:p></w:footnote>"
            )
        xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        xml += f"<w:footnotes {w}>{''.join(notes)}</w:footnotes>"
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)
        # Word's own files name the separator footnotes in settings; it goes before w:compat (CT_Settings order).
        settings = self.doc.settings.element
        props = parse_xml(f'<w:footnotePr {w}><w:footnote w:id="0"/><w:footnote w:id="1"/></w:footnotePr>')
        anchor = settings.find(qn("w:compat"))
        if anchor is None:
            settings.append(props)
        else:
            anchor.addprevious(props)

    def _table(self, spec: Table, *, text_width_mm: float) -> None:
        if spec.title:
            p = self.doc.add_paragraph()
            set_format(p, align="center", first_line_indent=0, before=6, after=6, keep_with_next=True)
            add_text(p, nfc(spec.title), size=BODY_PT, bold=True)
        header = spec.header_rows
        body = spec.body_rows
        rows = header + body
        if not rows:
            return
        grid = layout_grid(rows)
        ncols = len(grid[0])
        table = self.doc.add_table(rows=len(grid), cols=ncols)
        bordered(table)
        # Widths and sizes such that no word breaks inside (tablefit.py): the margins it counts are set here.
        fit = fit_table(spec, text_width_mm, ncols)
        widths = fit.widths_mm
        fix_widths(table, widths)
        cell_margins(table, CELL_MARGIN_MM)
        bold_rows = {len(header) + i for i in spec.bold_rows}
        aligns = list(spec.aligns) if spec.aligns else [None] * ncols
        doc_rows = table.rows
        cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for r, row in enumerate(grid):
            is_header = r < len(header)
            if is_header:
                trpr = doc_rows[r]._tr.get_or_add_trPr()
                trpr.append(OxmlElement("w:tblHeader"))
                trpr.append(OxmlElement("w:cantSplit"))
            for c, slot in enumerate(row):
                if slot is None:
                    continue
                cell, origin_r, origin_c = slot
                if (origin_r, origin_c) != (r, c):
                    continue
                target = cells[r][c]
                # A cell spanning the row is a group heading ("I. Cải cách thể chế"), read from the left.
                default = "left" if cell.colspan > 1 else aligns[c] or "left"
                align = cell.align or ("center" if is_header else default)
                bold = cell.bold or is_header or r in bold_rows
                size = fit.header_pt if is_header else fit.body_pt
                self._fill_cell(target, cell, size=size, align=align, bold=bold)
                if is_header:
                    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        merge_spans(table, grid, widths)
        after = self.doc.add_paragraph()
        set_format(after, align="left", first_line_indent=0, before=0, after=0, line_spacing=1.0)

    def _fill_cell(self, target: _Cell, cell: Cell, *, size: float, align: str, bold: bool) -> None:
        first = True
        if isinstance(cell.text, str):
            lines = nfc(cell.text).split("\n") or [""]
            for line in lines:
                p = cell_paragraph(target, first)
                first = False
                set_format(p, align=align, first_line_indent=0, before=2, after=2, line_spacing=1.0)
                if line:
                    add_text(p, line, size=size, bold=bold, italic=cell.italic)
        else:
            p = cell_paragraph(target, True)
            set_format(p, align=align, first_line_indent=0, before=2, after=2, line_spacing=1.0)
            self._inlines(p, cell.runs, size=size, bold=bold, italic=cell.italic)

    def _image(self, image: Image, *, text_width_mm: float, container: _Cell | None = None) -> None:
        """A picture in its own paragraph (python-docx reads the PNG's size itself); its caption under it, small."""
        p = cell_paragraph(container, True) if container is not None else self.doc.add_paragraph()
        set_format(p, align=image.align, first_line_indent=0, before=0, after=0, line_spacing=1.0)
        run = p.add_run()
        shape = run.add_picture(io.BytesIO(image.png), width=Mm(min(image.width_mm, text_width_mm)))
        if image.description:
            shape._inline.docPr.set("descr", nfc(image.description))
        if image.caption:
            p = container.add_paragraph() if container is not None else self.doc.add_paragraph()
            set_format(p, align=image.align, first_line_indent=0, before=0, after=4, line_spacing=1.0)
            add_text(p, nfc(image.caption), size=10, italic=True)

    def _image_row(self, row: ImageRow, *, text_width_mm: float) -> None:
        if not row.images:
            return
        if len(row.images) == 1:
            self._image(row.images[0], text_width_mm=text_width_mm)
            return
        table = self.doc.add_table(rows=1, cols=len(row.images))
        borderless(table)
        width = text_width_mm / len(row.images)
        fix_widths(table, [width] * len(row.images))
        for index, image in enumerate(row.images):
            self._image(image, text_width_mm=width, container=table.cell(0, index))

    def _signature_row(self, row: SignatureRow, *, text_width_mm: float) -> None:
        """Signatures side by side: bold upper-case titles, the italic note, room to sign, then the name."""
        if not row.columns:
            return
        count = len(row.columns)
        table = self.doc.add_table(rows=1, cols=count)
        borderless(table)
        fix_widths(table, [text_width_mm / count] * count)
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        for index, column in enumerate(row.columns):
            cell = table.cell(0, index)
            p = cell_paragraph(cell, True)
            set_format(p, align="center", first_line_indent=0, before=6, after=0, line_spacing=1.0, keep_with_next=True)
            add_text(p, nfc(column.title).strip().upper(), size=SIGNATURE_PT - 1, bold=True)
            if column.note.strip():
                p = cell.add_paragraph()
                set_format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
                add_text(p, nfc(column.note).strip(), size=SIGNATURE_PT - 1, italic=True)
            p = cell.add_paragraph()
            set_format(
                p, align="center", first_line_indent=0, before=SIGNATURE_SPACE_PT - 36, after=0, line_spacing=1.0
            )
            if column.name.strip():
                add_text(p, nfc(column.name).strip(), size=SIGNATURE_PT - 1, bold=True)

    # -- signature and recipients ----------------------------------------------------------------------------------

    def _signature(self) -> None:
        """Mục I.2.7 and I.2.9: "Nơi nhận:" on the left, the signature block on the right, side by side."""
        src = self.source
        text_width = self._text_width(self.doc.sections[-1])
        table = self.doc.add_table(rows=1, cols=2)
        borderless(table)
        fix_widths(table, [SIGNATURE_LEFT_MM, text_width - SIGNATURE_LEFT_MM])
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        left, right = table.cell(0, 0), table.cell(0, 1)

        p = cell_paragraph(left, True)
        set_format(p, align="left", first_line_indent=0, before=6, after=0, line_spacing=1.0)
        add_text(p, "Nơi nhận:", size=RECIPIENTS_TITLE_PT, bold=True, italic=True)
        for line in src.recipient_lines:
            p = left.add_paragraph()
            set_format(p, align="left", first_line_indent=0, after=0, line_spacing=1.0)
            add_text(p, line, size=RECIPIENTS_PT)

        sig = src.signature
        first = True
        lines = [sig.authority_form, sig.title]
        for line in lines:
            if not line or not line.strip():
                continue
            p = cell_paragraph(right, first)
            set_format(p, align="center", first_line_indent=0, before=6 if first else 0, after=0, line_spacing=1.0)
            first = False
            add_text(p, nfc(line).strip().upper(), size=SIGNATURE_PT, bold=True)
        p = cell_paragraph(right, first)
        set_format(p, align="center", first_line_indent=0, before=SIGNATURE_SPACE_PT, after=0, line_spacing=1.0)
        add_text(p, nfc(sig.name).strip(), size=SIGNATURE_PT, bold=True)

    # -- appendices ------------------------------------------------------------------------------------------------

    def _appendix(self, appendix: Appendix) -> None:
        """Each appendix in its own section (landscape for wide tables) under "Phụ lục", title and reference line."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._setup_section(section, landscape=appendix.landscape)
        # Page numbers continue on the appendix's first page: it is never page 1 of the document.
        section.different_first_page_header_footer = False
        section.header.is_linked_to_previous = True
        # add_section starts the new section with the paragraph that ends the previous one; reuse nothing from it.
        p = self.doc.add_paragraph()
        set_format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0, keep_with_next=True)
        add_text(p, nfc(appendix.label), size=BODY_PT, bold=True)
        p = self.doc.add_paragraph()
        set_format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0, keep_with_next=True)
        add_text(p, nfc(appendix.title).strip().upper(), size=BODY_PT, bold=True)
        if appendix.reference:
            p = self.doc.add_paragraph()
            set_format(p, align="center", first_line_indent=0, after=12, line_spacing=1.0, keep_with_next=True)
            add_text(p, nfc(appendix.reference).strip(), size=BODY_PT, italic=True)
        width = self._text_width(section)
        for block in appendix.blocks:
            self._block(block, text_width_mm=width)


__all__ = ["render_docx", "text_width_mm"]
