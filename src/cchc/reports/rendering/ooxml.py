"""The WordprocessingML pieces the .docx renderer assembles: runs and paragraph properties built once and copied,
rules drawn as paragraph borders, fields, and tables with a fixed grid, borders, margins and merged cells.

python-docx's own property setters are slow and cannot express everything the layout needs (a fixed grid, merges
written directly), so these helpers write the XML themselves; docx.py decides what goes where.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from copy import deepcopy

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .document import Cell

FONT = "Times New Roman"
FIRST_LINE_INDENT_CM = 1.27  # Phụ lục I, mục I.2.6: 1-1.27 cm


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def set_fonts(rpr) -> None:  # noqa: ANN001 - an lxml element (CT_RPr)
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


def set_size(rpr, points: float) -> None:  # noqa: ANN001
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(int(round(points * 2))))


_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_W = nsdecls("w")


@functools.lru_cache(maxsize=128)
def rpr_template(size: float, bold: bool, italic: bool, underline: bool):  # noqa: ANN202
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


def add_text(
    p: DocxParagraph,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> None:
    """Add runs for ``text``; a newline becomes a line break inside the paragraph."""
    template = rpr_template(size, bold, italic, underline)
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
def ppr_template(
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
        + (f'<w:ind w:firstLine="{twips(first_line_indent * 10)}"/>' if first_line_indent is not None else "")
        + f'<w:jc w:val="{_JC[align]}"/>'
        + "</w:pPr>"
    )
    return parse_xml(xml)


def set_format(
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
    template = ppr_template(align, first_line_indent, before, after, line_spacing, keep_with_next)
    p._p.insert(0, deepcopy(template))


def cell_paragraph(cell: _Cell, first: bool) -> DocxParagraph:
    """A cell starts with one empty paragraph: use it for the first line, add after it for the others."""
    return cell.paragraphs[0] if first else cell.add_paragraph()


def draw_rule(p: DocxParagraph, length_mm: float, available_mm: float) -> None:
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


def add_field(p: DocxParagraph, instruction: str, *, placeholder: str, size: float) -> None:
    def run_with(child) -> None:  # noqa: ANN001
        run = p.add_run()
        rpr = run._r.get_or_add_rPr()
        set_fonts(rpr)
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


def table_pr(table: DocxTable):  # noqa: ANN202
    return table._tbl.tblPr


def borders_xml(value: str) -> str:
    sides = "".join(
        f'<w:{side} w:val="{value}" w:sz="{4 if value == "single" else 0}" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>"


def borderless(table: DocxTable) -> None:
    insert_tbl_pr(table, "w:tblBorders", borders_xml("nil"))


def bordered(table: DocxTable) -> None:
    insert_tbl_pr(table, "w:tblBorders", borders_xml("single"))


# CT_TblPr child order (ECMA-376 §17.4.60); Word rejects files whose tblPr children are out of order.
_TBL_PR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
    "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
    "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip


def insert_tbl_pr(table: DocxTable, tag: str, xml: str) -> None:
    tbl_pr = table_pr(table)
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


def fix_widths(table: DocxTable, widths_mm: Sequence[float], *, indent_mm: float = 0) -> None:
    """Fixed layout with explicit grid and cell widths, so Word and LibreOffice lay the table out the same way."""
    table.autofit = False
    total = sum(widths_mm)
    insert_tbl_pr(table, "w:tblW", f'<w:tblW {nsdecls("w")} w:w="{twips(total)}" w:type="dxa"/>')
    if indent_mm:
        insert_tbl_pr(table, "w:tblInd", f'<w:tblInd {nsdecls("w")} w:w="{twips(indent_mm)}" w:type="dxa"/>')
    insert_tbl_pr(table, "w:tblLayout", f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(twips(width)))
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths_mm, strict=True):
            tc_pr = tc.get_or_add_tcPr()
            tc_w = tc_pr.find(qn("w:tcW"))
            if tc_w is None:
                tc_w = OxmlElement("w:tcW")
                tc_pr.insert(0, tc_w)
            tc_w.set(qn("w:w"), str(twips(width)))
            tc_w.set(qn("w:type"), "dxa")


def merge_spans(table: DocxTable, grid: list[list[tuple[Cell, int, int] | None]], widths_mm: list[float]) -> None:
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
            width = twips(sum(widths_mm[c : c + cell.colspan]))
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


def cell_margins(table: DocxTable, mm: float) -> None:
    margin = twips(mm)
    sides = "".join(f'<w:{side} w:w="{margin}" w:type="dxa"/>' for side in ("left", "right"))
    insert_tbl_pr(table, "w:tblCellMar", f"<w:tblCellMar {nsdecls('w')}>{sides}</w:tblCellMar>")


def twips(mm: float) -> int:
    return int(round(mm / 25.4 * 1440))
