"""Render an AdministrativeDocument as .docx in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I.

The decree fixes the paper (A4), margins, font (Times New Roman), the two-column header with its rules, the date line,
the document type and excerpt, the body typography, the signature block, "Nơi nhận:", page numbers from page 2 and the
appendix heading. Every size and style below cites the item of Phụ lục I it implements.

python-docx has no footnote API, so the footnotes part (word/footnotes.xml) is written here directly.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Sequence
from copy import deepcopy

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .document import (
    AdministrativeDocument,
    Appendix,
    Block,
    Cell,
    Footnote,
    Heading,
    Inline,
    Paragraph,
    Table,
    layout_grid,
    nfc,
)

FONT = "Times New Roman"

# Phụ lục I, mục I.1: A4 paper; margins top 20-25, bottom 20-25, left 30-35, right 15-20 mm.
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10

BODY_PT = 14  # mục I.2.6: body 13-14 pt
FIRST_LINE_INDENT_CM = 1.27  # 1-1.27 cm
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

# Advance widths of Times New Roman (metric-identical Liberation Serif), 1/1000 em, for ASCII 32..126. Used only to
# size the rules under the header lines, which the decree ties to the length of the text above them.
_WIDTHS_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
    722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500,
    444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480,
    200, 480, 541,
)  # fmt: skip
_WIDTHS_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944,
    722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556,
    444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394,
    220, 394, 520,
)  # fmt: skip


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Approximate printed width of one line of Times New Roman text (diacritics do not change a letter's advance)."""
    table = _WIDTHS_BOLD if bold else _WIDTHS_REGULAR
    total = 0
    for ch in text:
        base = unicodedata.normalize("NFD", "D" if ch == "Đ" else "d" if ch == "đ" else ch)[0]
        code = ord(base)
        total += table[code - 32] if 32 <= code < 127 else 500
    return total / 1000 * size_pt * 25.4 / 72


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
        self._setup_section(section, landscape=False)
        self._setup_page_numbers(section)
        # The default template starts with one empty paragraph; the header table must be the first thing on the page.
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)
        self._header()
        self._title()
        for block in self.source.body:
            self._block(block, text_width_mm=self._text_width(section))
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
        _set_fonts(rpr_default)
        _set_size(rpr_default, BODY_PT)
        lang = rpr_default.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr_default.append(lang)
        lang.set(qn("w:val"), "vi-VN")
        lang.set(qn("w:eastAsia"), "vi-VN")
        lang.set(qn("w:bidi"), "ar-SA")

        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        _set_fonts(normal.element.get_or_add_rPr())
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
        _set_fonts(text.element.get_or_add_rPr())
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
        _format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
        _add_field(p, "PAGE", placeholder="2", size=PAGE_NUMBER_PT)

    @staticmethod
    def _text_width(section: Section) -> float:
        return (section.page_width - section.left_margin - section.right_margin) / Mm(1)

    # -- the header block ------------------------------------------------------------------------------------------

    def _header(self) -> None:
        src = self.source
        table = self.doc.add_table(rows=2, cols=2)
        _borderless(table)
        _fix_widths(table, [HEADER_LEFT_MM, HEADER_RIGHT_MM], indent_mm=HEADER_INDENT_MM)
        _cell_margins(table, HEADER_CELL_MARGIN_MM)
        left, right = table.cell(0, 0), table.cell(0, 1)
        left_text = HEADER_LEFT_MM - 2 * HEADER_CELL_MARGIN_MM
        right_text = HEADER_RIGHT_MM - 2 * HEADER_CELL_MARGIN_MM

        # Mục I.2.2: the parent authority regular, the issuing agency bold, both uppercase, a short rule under them.
        first = True
        authority = nfc(src.parent_authority).strip().upper()
        if authority:
            p = _cell_paragraph(left, first)
            first = False
            _format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
            _add_text(p, authority, size=HEADER_AUTHORITY_PT)
        agency = nfc(src.issuing_agency).strip().upper()
        p = _cell_paragraph(left, first)
        _format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
        _add_text(p, agency, size=HEADER_AUTHORITY_PT, bold=True)
        agency_width = min(_longest_line_mm(agency, HEADER_AUTHORITY_PT, bold=True), left_text)
        _rule(left.add_paragraph(), agency_width * RULE_FRACTION, left_text)

        # Mục I.2.1: the national name and the motto bold; the rule under the motto is as long as the motto.
        p = _cell_paragraph(right, True)
        _format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
        _add_text(p, NATIONAL_NAME, size=HEADER_NATIONAL_PT, bold=True)
        p = right.add_paragraph()
        _format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0)
        _add_text(p, MOTTO, size=HEADER_MOTTO_PT, bold=True)
        _rule(right.add_paragraph(), text_width_mm(MOTTO, HEADER_MOTTO_PT, bold=True), right_text)

        # Mục I.2.3 and I.2.5: the number on the left, the place and date in italics on the right, on one line.
        number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
        p = _cell_paragraph(number_cell, True)
        _format(p, align="center", first_line_indent=0, before=4, after=0, line_spacing=1.0)
        _add_text(p, src.number_line, size=HEADER_NUMBER_PT)
        if not src.document_type.strip():
            # A công văn has no type line: its excerpt ("V/v ...") sits under the number (mục I.2.4, b).
            p = number_cell.add_paragraph()
            _format(p, align="center", first_line_indent=0, before=3, after=0, line_spacing=1.0)
            _add_text(p, nfc(src.excerpt).strip(), size=12)
        p = _cell_paragraph(date_cell, True)
        _format(p, align="center", first_line_indent=0, before=4, after=0, line_spacing=1.0)
        _add_text(p, src.date_line, size=DATE_LINE_PT, italic=True)

    def _title(self) -> None:
        """Mục I.2.4: the document type and the excerpt centred, bold, with a short rule under the excerpt."""
        src = self.source
        if not src.document_type.strip():
            self._spacer(12)
            return
        p = self.doc.add_paragraph()
        _format(p, align="center", first_line_indent=0, before=18, after=0, line_spacing=1.0, keep_with_next=True)
        _add_text(p, nfc(src.document_type).strip().upper(), size=TYPE_PT, bold=True)
        excerpt = nfc(src.excerpt).strip()
        p = self.doc.add_paragraph()
        _format(p, align="center", first_line_indent=0, before=0, after=0, line_spacing=1.0, keep_with_next=True)
        _add_text(p, excerpt, size=EXCERPT_PT, bold=True)
        text_width = self._text_width(self.doc.sections[-1])
        excerpt_width = min(_longest_line_mm(excerpt, EXCERPT_PT, bold=True), text_width)
        rule = self.doc.add_paragraph()
        _rule(rule, excerpt_width * RULE_FRACTION, text_width)
        rule.paragraph_format.space_after = Pt(12)

    def _spacer(self, points: float) -> None:
        p = self.doc.add_paragraph()
        _format(p, align="left", first_line_indent=0, before=0, after=points, line_spacing=1.0)

    # -- body ------------------------------------------------------------------------------------------------------

    def _block(self, block: Block, *, text_width_mm: float) -> None:
        if isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, Table):
            self._table(block, text_width_mm=text_width_mm)
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
        _format(p, align="justify", before=6 if heading.level == 1 else 0, keep_with_next=True)
        bold = heading.level <= 3
        italic = heading.level >= 3
        _add_text(p, label, size=BODY_PT, bold=bold, italic=italic)

    def _paragraph(self, para: Paragraph, *, size: float = BODY_PT, container: _Cell | None = None) -> DocxParagraph:
        p = container.add_paragraph() if container is not None else self.doc.add_paragraph()
        _format(p, align=para.align, first_line_indent=FIRST_LINE_INDENT_CM if para.first_line_indent else 0)
        if para.bullet:
            _add_text(p, f"{para.bullet} ", size=size, bold=para.bold, italic=para.italic)
        self._inlines(p, para.content, size=size, bold=para.bold, italic=para.italic)
        return p

    def _inlines(self, p: DocxParagraph, content: Sequence[Inline], *, size: float, bold: bool, italic: bool) -> None:
        for part in content:
            if isinstance(part, Footnote):
                self._footnote_reference(p, part.text)
            else:
                _add_text(
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
        _set_fonts(rpr)
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
                f'<w:r><w:rPr>{fonts}{size}</w:rPr><w:t xml:space="preserve"> {_xml_escape(text)}</w:t></w:r>'
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
            _format(p, align="center", first_line_indent=0, before=6, after=6, keep_with_next=True)
            _add_text(p, nfc(spec.title), size=BODY_PT, bold=True)
        header = spec.header_rows
        body = spec.body_rows
        rows = header + body
        if not rows:
            return
        grid = layout_grid(rows)
        ncols = len(grid[0])
        table = self.doc.add_table(rows=len(grid), cols=ncols)
        _bordered(table)
        weights = list(spec.widths) if spec.widths else [1.0] * ncols
        if len(weights) != ncols:
            raise ValueError(f"table has {ncols} columns but {len(weights)} widths")
        total = sum(weights)
        widths = [w / total * text_width_mm for w in weights]
        _fix_widths(table, widths)
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
                self._fill_cell(target, cell, size=spec.font_size, align=align, bold=bold)
                if is_header:
                    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _merge_spans(table, grid, widths)
        after = self.doc.add_paragraph()
        _format(after, align="left", first_line_indent=0, before=0, after=0, line_spacing=1.0)

    def _fill_cell(self, target: _Cell, cell: Cell, *, size: float, align: str, bold: bool) -> None:
        first = True
        if isinstance(cell.text, str):
            lines = nfc(cell.text).split("\n") or [""]
            for line in lines:
                p = _cell_paragraph(target, first)
                first = False
                _format(p, align=align, first_line_indent=0, before=2, after=2, line_spacing=1.0)
                if line:
                    _add_text(p, line, size=size, bold=bold, italic=cell.italic)
        else:
            p = _cell_paragraph(target, True)
            _format(p, align=align, first_line_indent=0, before=2, after=2, line_spacing=1.0)
            self._inlines(p, cell.runs, size=size, bold=bold, italic=cell.italic)

    # -- signature and recipients ----------------------------------------------------------------------------------

    def _signature(self) -> None:
        """Mục I.2.7 and I.2.9: "Nơi nhận:" on the left, the signature block on the right, side by side."""
        src = self.source
        text_width = self._text_width(self.doc.sections[-1])
        table = self.doc.add_table(rows=1, cols=2)
        _borderless(table)
        _fix_widths(table, [SIGNATURE_LEFT_MM, text_width - SIGNATURE_LEFT_MM])
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        left, right = table.cell(0, 0), table.cell(0, 1)

        p = _cell_paragraph(left, True)
        _format(p, align="left", first_line_indent=0, before=6, after=0, line_spacing=1.0)
        _add_text(p, "Nơi nhận:", size=RECIPIENTS_TITLE_PT, bold=True, italic=True)
        for line in src.recipient_lines:
            p = left.add_paragraph()
            _format(p, align="left", first_line_indent=0, after=0, line_spacing=1.0)
            _add_text(p, line, size=RECIPIENTS_PT)

        sig = src.signature
        first = True
        lines = [sig.authority_form, sig.title]
        for line in lines:
            if not line or not line.strip():
                continue
            p = _cell_paragraph(right, first)
            _format(p, align="center", first_line_indent=0, before=6 if first else 0, after=0, line_spacing=1.0)
            first = False
            _add_text(p, nfc(line).strip().upper(), size=SIGNATURE_PT, bold=True)
        p = _cell_paragraph(right, first)
        _format(p, align="center", first_line_indent=0, before=SIGNATURE_SPACE_PT, after=0, line_spacing=1.0)
        _add_text(p, nfc(sig.name).strip(), size=SIGNATURE_PT, bold=True)

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
        _format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0, keep_with_next=True)
        _add_text(p, nfc(appendix.label), size=BODY_PT, bold=True)
        p = self.doc.add_paragraph()
        _format(p, align="center", first_line_indent=0, after=0, line_spacing=1.0, keep_with_next=True)
        _add_text(p, nfc(appendix.title).strip().upper(), size=BODY_PT, bold=True)
        if appendix.reference:
            p = self.doc.add_paragraph()
            _format(p, align="center", first_line_indent=0, after=12, line_spacing=1.0, keep_with_next=True)
            _add_text(p, nfc(appendix.reference).strip(), size=BODY_PT, italic=True)
        width = self._text_width(section)
        for block in appendix.blocks:
            self._block(block, text_width_mm=width)


# -- low-level helpers ---------------------------------------------------------------------------------------------


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _longest_line_mm(text: str, size: float, *, bold: bool) -> float:
    return max((text_width_mm(line, size, bold=bold) for line in text.split("\n")), default=0.0)


def _set_fonts(rpr) -> None:  # noqa: ANN001 - an lxml element (CT_RPr)
    """Times New Roman for every script slot; theme fonts would override it (mục I.2: Times New Roman, TCVN 6909)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        style = rpr.find(qn("w:rStyle"))
        if style is not None:
            style.addnext(fonts)
        else:
            rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _set_size(rpr, points: float) -> None:  # noqa: ANN001
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(int(round(points * 2))))


_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_W = nsdecls("w")


@functools.lru_cache(maxsize=128)
def _rpr_template(size: float, bold: bool, italic: bool, underline: bool):  # noqa: ANN202
    """Run properties built once per combination and copied: python-docx's property setters dominate render time."""
    half_points = int(round(size * 2))
    xml = (
        f'<w:rPr {_W}><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + ("<w:i/><w:iCs/>" if italic else "")
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        + ('<w:u w:val="single"/>' if underline else "")
        + "</w:rPr>"
    )
    return parse_xml(xml)


def _add_text(
    p: DocxParagraph,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> None:
    """Add runs for ``text``; a newline becomes a line break inside the paragraph."""
    template = _rpr_template(size, bold, italic, underline)
    for index, piece in enumerate(text.split("\n")):
        run = OxmlElement("w:r")
        run.append(deepcopy(template))
        if index:
            run.append(OxmlElement("w:br"))
        if piece:
            t = OxmlElement("w:t")
            t.text = piece
            if piece != piece.strip():
                t.set(qn("xml:space"), "preserve")
            run.append(t)
        p._p.append(run)


@functools.lru_cache(maxsize=128)
def _ppr_template(
    align: str,
    first_line_indent: float | None,
    before: float | None,
    after: float | None,
    line_spacing: float | None,
    keep_with_next: bool,
):  # noqa: ANN202
    spacing = ""
    if before is not None:
        spacing += f' w:before="{int(round(before * 20))}"'
    if after is not None:
        spacing += f' w:after="{int(round(after * 20))}"'
    if line_spacing is not None:
        spacing += f' w:line="{int(round(line_spacing * 240))}" w:lineRule="auto"'
    xml = (
        f"<w:pPr {_W}>"
        + ("<w:keepNext/>" if keep_with_next else "")
        + (f"<w:spacing{spacing}/>" if spacing else "")
        + (f'<w:ind w:firstLine="{_twips(first_line_indent * 10)}"/>' if first_line_indent is not None else "")
        + f'<w:jc w:val="{_JC[align]}"/>'
        + "</w:pPr>"
    )
    return parse_xml(xml)


def _format(
    p: DocxParagraph,
    *,
    align: str = "justify",
    first_line_indent: float | None = FIRST_LINE_INDENT_CM,
    before: float | None = None,
    after: float | None = None,
    line_spacing: float | None = None,
    keep_with_next: bool = False,
) -> None:
    """Set the paragraph's properties (first-line indent in cm, spacing in pt, line spacing in lines)."""
    existing = p._p.pPr
    if existing is not None:
        p._p.remove(existing)
    template = _ppr_template(align, first_line_indent, before, after, line_spacing, keep_with_next)
    p._p.insert(0, deepcopy(template))


def _cell_paragraph(cell: _Cell, first: bool) -> DocxParagraph:
    """A cell starts with one empty paragraph: use it for the first line, add after it for the others."""
    return cell.paragraphs[0] if first else cell.add_paragraph()


def _rule(p: DocxParagraph, length_mm: float, available_mm: float) -> None:
    """A centred horizontal rule of ``length_mm``: an empty paragraph with a bottom border narrowed by its indents.

    A paragraph border, unlike a drawn shape, stays in place when the text above changes and renders the same in Word
    and LibreOffice.
    """
    length_mm = max(10.0, min(length_mm, available_mm))
    side = max(0.0, (available_mm - length_mm) / 2)
    fmt = p.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Cm(0)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(6)
    ppr = p._p.get_or_add_pPr()
    borders = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    )
    # pBdr must precede spacing/ind/jc in CT_PPr's sequence.
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    ppr.append(mark)


def _add_field(p: DocxParagraph, instruction: str, *, placeholder: str, size: float) -> None:
    def run_with(child) -> None:  # noqa: ANN001
        run = p.add_run()
        rpr = run._r.get_or_add_rPr()
        _set_fonts(rpr)
        run.font.size = Pt(size)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    text = OxmlElement("w:t")
    text.text = placeholder
    run_with(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _table_pr(table: DocxTable):  # noqa: ANN202
    return table._tbl.tblPr


def _borders_xml(value: str) -> str:
    sides = "".join(
        f'<w:{side} w:val="{value}" w:sz="{4 if value == "single" else 0}" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>"


def _borderless(table: DocxTable) -> None:
    _insert_tbl_pr(table, "w:tblBorders", _borders_xml("nil"))


def _bordered(table: DocxTable) -> None:
    _insert_tbl_pr(table, "w:tblBorders", _borders_xml("single"))


# CT_TblPr child order (ECMA-376 §17.4.60); Word rejects files whose tblPr children are out of order.
_TBL_PR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
    "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
    "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip


def _insert_tbl_pr(table: DocxTable, tag: str, xml: str) -> None:
    tbl_pr = _table_pr(table)
    old = tbl_pr.find(qn(tag))
    if old is not None:
        tbl_pr.remove(old)
    new = parse_xml(xml)
    rank = _TBL_PR_ORDER.index(tag)
    for child in tbl_pr:
        child_tag = child.prefix + ":" + child.tag.split("}")[1] if child.prefix else child.tag
        if child_tag in _TBL_PR_ORDER and _TBL_PR_ORDER.index(child_tag) > rank:
            child.addprevious(new)
            return
    tbl_pr.append(new)


def _fix_widths(table: DocxTable, widths_mm: Sequence[float], *, indent_mm: float = 0) -> None:
    """Fixed layout with explicit grid and cell widths, so Word and LibreOffice lay the table out the same way."""
    table.autofit = False
    total = sum(widths_mm)
    _insert_tbl_pr(table, "w:tblW", f'<w:tblW {nsdecls("w")} w:w="{_twips(total)}" w:type="dxa"/>')
    if indent_mm:
        _insert_tbl_pr(table, "w:tblInd", f'<w:tblInd {nsdecls("w")} w:w="{_twips(indent_mm)}" w:type="dxa"/>')
    _insert_tbl_pr(table, "w:tblLayout", f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(_twips(width)))
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths_mm, strict=True):
            tc_pr = tc.get_or_add_tcPr()
            tc_w = tc_pr.find(qn("w:tcW"))
            if tc_w is None:
                tc_w = OxmlElement("w:tcW")
                tc_pr.insert(0, tc_w)
            tc_w.set(qn("w:w"), str(_twips(width)))
            tc_w.set(qn("w:type"), "dxa")


def _merge_spans(table: DocxTable, grid: list[list[tuple[Cell, int, int] | None]], widths_mm: list[float]) -> None:
    """Write merges as gridSpan/vMerge directly: python-docx's cell.merge() is quadratic in the table size."""
    tcs = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
    doomed = []
    for r, row in enumerate(grid):
        for c, slot in enumerate(row):
            if slot is None:
                continue
            cell, origin_r, origin_c = slot
            if (origin_r, origin_c) != (r, c) or (cell.rowspan == 1 and cell.colspan == 1):
                continue
            width = _twips(sum(widths_mm[c : c + cell.colspan]))
            for dr in range(cell.rowspan):
                tc = tcs[r + dr][c]
                tc_pr = tc.get_or_add_tcPr()
                tc_w = tc_pr.find(qn("w:tcW"))
                if tc_w is not None:
                    tc_w.set(qn("w:w"), str(width))
                if cell.colspan > 1:
                    span = OxmlElement("w:gridSpan")
                    span.set(qn("w:val"), str(cell.colspan))
                    (tc_w.addnext(span) if tc_w is not None else tc_pr.insert(0, span))
                if cell.rowspan > 1:
                    merge = OxmlElement("w:vMerge")
                    if dr == 0:
                        merge.set(qn("w:val"), "restart")
                    anchor = tc_pr.find(qn("w:gridSpan"))
                    if anchor is None:
                        anchor = tc_w
                    (anchor.addnext(merge) if anchor is not None else tc_pr.insert(0, merge))
                doomed.extend(tcs[r + dr][c + 1 : c + cell.colspan])
    for tc in doomed:
        tc.getparent().remove(tc)


def _cell_margins(table: DocxTable, mm: float) -> None:
    margin = _twips(mm)
    sides = "".join(f'<w:{side} w:w="{margin}" w:type="dxa"/>' for side in ("left", "right"))
    _insert_tbl_pr(table, "w:tblCellMar", f"<w:tblCellMar {nsdecls('w')}>{sides}</w:tblCellMar>")


def _twips(mm: float) -> int:
    return int(round(mm / 25.4 * 1440))


__all__ = ["render_docx", "text_width_mm"]
