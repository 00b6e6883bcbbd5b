"""Regenerate the report corpus: every file under tests/corpus/reports/ and src/cchc/demo/samples/.

    PYTHONPATH=src .venv/bin/python tests/corpus/make_corpus.py [NAME ...]

Run by hand, never at test time (it needs LibreOffice and takes a minute). Each report is written from one source
file in tests/corpus/sources/ (the words are ours; names, numbers and figures are invented, laws are real):

- a hand-made report (`@kind hand`) is laid out here with python-docx: the header table of Nghị định 30/2020
  (agency | quốc hiệu), the document number, headings, paragraphs, real tables and the signature block;
- a rendered report (`@kind render`) is built by cchc itself: a throw-away SQLite database gets the demo
  province (cchc.demo.build), the province is renamed to the report's, the report is created from its template,
  the narrative of the source is typed into its sections, it is submitted and approved, and cchc's renderer
  (cchc.reports.builder.build_docx) writes the .docx; the figures are the ones cchc computes from that data.

From each .docx the script writes the .txt in the samples' convention (one paragraph a line, blank lines between,
layout tables as lines, data tables as tab-separated rows, footnotes after the paragraph citing them) and the PDF
with `libreoffice --headless --convert-to pdf`. The expectations (tests/corpus/expected/*.json) are not written
here: they hold what a careful reader takes from each report and were written by reading it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCES = HERE / "sources"
TARGETS = {"corpus": HERE / "reports", "demo": ROOT / "src" / "cchc" / "demo" / "samples"}
# The demo's build moment for rendered reports: fixed, so the computed figures are the same at every run.
DEMO_NOW = dt.datetime(2024, 2, 20, 10, 0)
DEMO_SCALE = 0.25


# --- the source format --------------------------------------------------------------------------------------------
#
# "@key value" lines set the report's details; "@section KEY" (rendered reports) starts the narrative of one outline
# section; "@appendix" starts the appendix (hand-made reports). Other lines are paragraphs, except:
#   "= I. HEADING"   a heading (bold; "== " bold italic)
#   "| a | b | c"    a table row ("|= " a header row); a cell "<" continues the cell on its left, "^" the one above
#   "%"              a blank line kept (before the signer's name)
# "**x**" is bold and "*x*" italic inside a paragraph.


@dataclass
class Source:
    name: str
    meta: dict[str, list[str]] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    appendix: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)

    def one(self, key: str, default: str | None = None) -> str | None:
        values = self.meta.get(key)
        return values[0] if values else default

    def all(self, key: str) -> list[str]:
        return self.meta.get(key, [])


def read_source(path: Path) -> Source:
    source = Source(name=path.name.removesuffix(".src.txt"))
    target = source.body
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = unicodedata.normalize("NFC", raw.rstrip())
        if line.startswith("#"):
            continue
        if line.startswith("@section "):
            target = source.sections.setdefault(line.split(None, 1)[1].strip(), [])
            continue
        if line == "@appendix":
            target = source.appendix
            continue
        if line.startswith("@") and target is source.body and not source.body:
            key, _, value = line[1:].partition(" ")
            source.meta.setdefault(key, []).append(value.strip())
            continue
        if line.strip():
            target.append(line)
    return source


def table_rows(lines: list[str]) -> tuple[list[list[str]], int]:
    """(rows of cells, number of header rows) from consecutive "|" lines."""
    rows, header = [], 0
    for line in lines:
        is_header = line.startswith("|=")
        cells = [c.strip() for c in line[2 if is_header else 1:].split("|")]
        rows.append(cells)
        header += is_header
    return rows, header


def blocks(lines: list[str]) -> list[tuple[str, object]]:
    """Paragraphs, headings and tables in order."""
    out: list[tuple[str, object]] = []
    pending: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("|"):
            pending.append(line)
            continue
        if pending:
            out.append(("table", table_rows(pending)))
            pending = []
        if not line:
            continue
        if line.startswith("== "):
            out.append(("subheading", line[3:]))
        elif line.startswith("= "):
            out.append(("heading", line[2:]))
        else:
            out.append(("paragraph", line))
    return out


# --- hand-made .docx ----------------------------------------------------------------------------------------------


def _docx_modules():
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    return docx, WD_ORIENT, WD_TABLE_ALIGNMENT, WD_ALIGN_PARAGRAPH, OxmlElement, qn, Cm, Mm, Pt


_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def add_runs(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None) -> None:
    _, _, _, _, _, _, _, _, Pt = _docx_modules()
    for part in _INLINE.split(text):
        if not part:
            continue
        run_bold, run_italic = bold, italic
        if part.startswith("**") and part.endswith("**"):
            part, run_bold = part[2:-2], True
        elif part.startswith("*") and part.endswith("*") and len(part) > 1:
            part, run_italic = part[1:-1], True
        run = paragraph.add_run(part)
        run.bold = run_bold or None
        run.italic = run_italic or None
        if size:
            run.font.size = Pt(size)


def _no_borders(table) -> None:
    _, _, _, _, OxmlElement, qn, _, _, _ = _docx_modules()
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, *widths) -> None:
    """Fixed column widths (Word and LibreOffice otherwise share the width out by content)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _cell_lines(cell, lines: list[tuple[str, dict]], align) -> None:
    _, _, _, _, _, _, _, _, Pt = _docx_modules()
    cell.paragraphs[0].text = ""
    for index, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        add_runs(paragraph, text, bold=style.get("bold", False), italic=style.get("italic", False),
                 size=style.get("size"))


def _header(document, source: Source) -> None:
    _, _, _, WD_ALIGN, _, _, Cm, _, _ = _docx_modules()
    left = [(source.one("parent"), {"size": 12}), (source.one("agency"), {"bold": True, "size": 12})]
    right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 12}),
             ("Độc lập - Tự do - Hạnh phúc", {"bold": True, "size": 13})]
    rule = source.one("rule")
    if rule:  # typed rules under the agency and the motto, as many offices still do
        left.append((rule, {}))
        right.append((rule + "_____", {}))
    number = (source.one("number"), {"size": 13})
    place = (source.one("place"), {"italic": True, "size": 13})
    if source.one("header", "two-rows") == "one-row":
        table = document.add_table(rows=1, cols=2)
        _cell_lines(table.cell(0, 0), [*left, number], WD_ALIGN.CENTER)
        _cell_lines(table.cell(0, 1), [*right, place], WD_ALIGN.CENTER)
    else:
        table = document.add_table(rows=2, cols=2)
        _cell_lines(table.cell(0, 0), left, WD_ALIGN.CENTER)
        _cell_lines(table.cell(0, 1), right, WD_ALIGN.CENTER)
        _cell_lines(table.cell(1, 0), [number], WD_ALIGN.CENTER)
        _cell_lines(table.cell(1, 1), [place], WD_ALIGN.RIGHT)
    _no_borders(table)
    _widths(table, Cm(7.5), Cm(9.6))  # a little wider than the text, as the layout of Nghị định 30 allows


def _centered(document, text: str, *, bold=True, italic=False, size=14, before=0):
    _, _, _, WD_ALIGN, _, _, _, _, Pt = _docx_modules()
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN.CENTER
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(0)
    add_runs(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _body_paragraph(document, text: str, *, kind: str = "paragraph") -> None:
    _, _, _, WD_ALIGN, _, _, Cm, _, Pt = _docx_modules()
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_after = Pt(6)
    add_runs(paragraph, text, bold=kind != "paragraph", italic=kind == "subheading")


def _data_table(document, rows: list[list[str]], header_rows: int, size: float, width_mm: float) -> None:
    _, _, WD_TABLE_ALIGNMENT, WD_ALIGN, _, _, _, Mm, _ = _docx_modules()
    ncols = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Columns as wide as their longest body text (a mark column stays narrow), as an officer would drag them.
    weights = []
    for c in range(ncols):
        body = [r[c] for r in rows[header_rows:] if c < len(r) and r[c] not in ("<", "^")]
        header = [r[c] for r in rows[:header_rows] if c < len(r) and r[c] not in ("<", "^")]
        longest_word = max([len(word) for text in header for word in text.split()] + [2])
        weights.append(max(min(max([len(text) for text in body] + [7]), 70), 2.2 * longest_word))
    _widths(table, *(Mm(width_mm * w / sum(weights)) for w in weights))
    for r, cells in enumerate(rows):
        for c in range(ncols):
            text = cells[c] if c < len(cells) else ""
            if text in ("<", "^"):
                continue
            span_right = c + 1
            while span_right < ncols and span_right < len(cells) and cells[span_right] == "<":
                span_right += 1
            span_down = r + 1
            while span_down < len(rows) and c < len(rows[span_down]) and rows[span_down][c] == "^":
                span_down += 1
            cell = table.cell(r, c)
            if span_right - 1 > c or span_down - 1 > r:
                cell = cell.merge(table.cell(span_down - 1, span_right - 1))
            bold = r < header_rows or (bool(re.fullmatch(r"[IVX]+\.?", cells[0])) and c <= 1)
            lines = text.split(" // ")
            _cell_lines(cell, [(line, {"bold": bold, "size": size}) for line in lines],
                        WD_ALIGN.CENTER if r < header_rows or len(text) < 4 else WD_ALIGN.LEFT)


def _signature(document, source: Source) -> None:
    _, _, _, WD_ALIGN, _, _, Cm, _, Pt = _docx_modules()
    recipients = [("Nơi nhận:", {"bold": True, "italic": True, "size": 12})]
    recipients += [(f"- {r}", {"size": 11}) for r in source.all("recipient")]
    signer = [(line, {"bold": True, "size": 14}) for line in source.all("sign")]
    signer += [("", {}), ("", {}), (source.one("signer"), {"bold": True, "size": 14})]
    if source.one("signature", "table") == "table":
        table = document.add_table(rows=1, cols=2)
        _no_borders(table)
        _cell_lines(table.cell(0, 0), recipients, WD_ALIGN.LEFT)
        _cell_lines(table.cell(0, 1), signer, WD_ALIGN.CENTER)
        _widths(table, Cm(7.5), Cm(9.0))
        return
    for text, style in signer:  # the signature first, then the recipients, each as plain paragraphs
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        add_runs(paragraph, text, bold=style.get("bold", False))
    for text, style in recipients:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        add_runs(paragraph, text, bold=style.get("bold", False), italic=style.get("italic", False),
                 size=style.get("size"))


def _page_setup(section, *, landscape: bool = False) -> None:
    _, WD_ORIENT, _, _, _, _, _, Mm, _ = _docx_modules()
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = (Mm(20), Mm(15)) if landscape else (Mm(30), Mm(15))


def hand_docx(source: Source) -> bytes:
    import io

    docx, _, _, _, _, qn, _, _, Pt = _docx_modules()
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    _page_setup(document.sections[0])
    _header(document, source)
    _centered(document, source.one("type"), before=12)
    for line in source.one("title").split(" // "):
        _centered(document, line)
    if source.one("rule"):
        _centered(document, source.one("rule"), bold=False)
    for kind, value in blocks(source.body):
        if kind == "table":
            rows, header_rows = value
            _data_table(document, rows, header_rows, 12, 165)
        else:
            _body_paragraph(document, value, kind=kind)
    _signature(document, source)
    if source.appendix:
        section = document.add_section()
        _page_setup(section, landscape=True)
        for index, (kind, value) in enumerate(blocks(source.appendix)):
            if kind == "table":
                rows, header_rows = value
                _data_table(document, rows, header_rows, 11, 262)
            else:  # the appendix's label, title and "(Kèm theo ...)" line, centred
                _centered(document, value, bold=index < 2, italic=index >= 2, size=13)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "cchc"
    properties.created = properties.modified = dt.datetime(2024, 1, 1)
    properties.title = source.one("title").replace(" // ", " ")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- rendered by cchc ---------------------------------------------------------------------------------------------


class DemoDatabase:
    """A throw-away SQLite database holding the demo province, for the reports cchc renders itself."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cchc-corpus-"))
        os.environ.pop("DATABASE_URL", None)
        os.environ["CCHC_DATA_DIR"] = str(self.folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from cchc.demo import build

        call_command("migrate", verbosity=0)
        build.build_demo(scale=DEMO_SCALE, now=timezone.make_aware(DEMO_NOW))
        from django.contrib.auth import get_user_model
        from rendered_records import replace_records

        from cchc.agencies.models import Agency

        self.agency = Agency.objects.get(code="SKHCN", province__code="H45")
        replace_records(self.agency, get_user_model().objects.get(username="skhcn.chuyenvien"))

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def render(self, source: Source) -> bytes:
        from django.contrib.auth import get_user_model

        from cchc.agencies.models import Agency
        from cchc.reports import services
        from cchc.reports.builder import build_docx
        from cchc.reports.models import ReportSection

        users = get_user_model().objects
        officer, leader = users.get(username="skhcn.chuyenvien"), users.get(username="skhcn.lanhdao")
        agency = Agency.objects.select_related("province").get(pk=self.agency.pk)
        # The demo department becomes the report's: its province and parent authority are renamed.
        agency.province.name = source.one("province")
        agency.province.save(update_fields=["name"])
        agency.parent_authority_name = source.one("parent")
        agency.save(update_fields=["parent_authority_name"])
        slug, period = source.one("template").split()
        report = services.create_report(agency, slug, period, officer)
        authority_form, authority, title, signer = (part.strip() for part in source.one("signing").split("|"))
        changes = {
            "signing_form": authority_form, "signing_authority": authority, "signer_title": title,
            "signer_name": signer, "recipients": source.all("recipient"),
        }
        if source.one("intro"):
            changes["intro"] = "\n".join([*source.all("intro"), report.intro])
        report = services.update_report(report, officer, **changes)
        for section in ReportSection.objects.filter(report=report, key__in=list(source.sections)):
            services.save_section(section, "\n".join(source.sections[section.key]), section.version, officer)
        services.submit(report, officer)
        issued = dt.date.fromisoformat(source.one("issued"))
        report = services.approve(report, leader, number=source.one("number"), issue_date=issued)
        return build_docx(report)


# --- .docx -> .txt ------------------------------------------------------------------------------------------------

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def docx_to_text(data: bytes) -> str:
    """The samples' text convention (see the module's docstring)."""
    import io
    import zipfile

    from lxml import etree

    _, _, _, _, _, qn, _, _, _ = _docx_modules()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(qn("w:body"))
        notes_xml = archive.read("word/footnotes.xml") if "word/footnotes.xml" in archive.namelist() else None
    notes: dict[str, str] = {}
    if notes_xml:
        for note in etree.fromstring(notes_xml).iter(qn("w:footnote")):
            notes[note.get(qn("w:id"))] = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
                                                    for p in note.iter(qn("w:p"))).strip()
    numbering = iter(range(1, 1000))

    def paragraph_text(p) -> tuple[str, list[str]]:
        parts, cited = [], []
        for node in p.iter(qn("w:t"), qn("w:footnoteReference"), qn("w:tab"), qn("w:br")):
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag == qn("w:tab"):
                parts.append(" ")
            elif node.tag == qn("w:br"):  # a line break inside a paragraph: the excerpt's second line
                parts.append("\n")
            else:
                mark = str(next(numbering)).translate(_SUPERSCRIPT)
                parts.append(mark)
                cited.append(f"{mark} {notes.get(node.get(qn('w:id')), '')}")
        return "".join(parts).strip(), cited

    def cell_text(tc) -> list[str]:
        return [t for t in (paragraph_text(p)[0] for p in tc.iter(qn("w:p"))) if t]

    lines: list[str] = []
    for element in body:
        if element.tag == qn("w:p"):
            text, cited = paragraph_text(element)
            if text:
                lines += [text, "", *(c for note in cited for c in (note, ""))]
        elif element.tag == qn("w:tbl"):
            rows = element.findall(qn("w:tr"))
            first = " ".join(" ".join(cell_text(tc)) for tc in rows[0].findall(qn("w:tc"))) if rows else ""
            if re.search(r"CỘNG HÒA XÃ HỘI|Nơi nhận", first):  # layout, not data: its cells become lines
                for tr in rows:
                    for tc in tr.findall(qn("w:tc")):
                        for text in cell_text(tc):
                            lines += [text, ""]
                continue
            for tr in rows:
                cells: list[str] = []
                for tc in tr.findall(qn("w:tc")):
                    props = tc.find(qn("w:tcPr"))
                    span = props.find(qn("w:gridSpan")) if props is not None else None
                    merge = props.find(qn("w:vMerge")) if props is not None else None
                    continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
                    cells.append("" if continued else " ".join(cell_text(tc)))
                    cells += [""] * (int(span.get(qn("w:val"))) - 1 if span is not None else 0)
                lines.append("\t".join(cells))
            lines.append("")
    text = "\n".join(lines).strip() + "\n"
    return unicodedata.normalize("NFC", re.sub(r"\n{3,}", "\n\n", text))


# --- PDF ----------------------------------------------------------------------------------------------------------


def to_pdf(docx_path: Path) -> None:
    """`libreoffice --headless --convert-to pdf`, with a profile of its own, beside the .docx."""
    binary = shutil.which("libreoffice") or shutil.which("soffice")
    if binary is None:
        sys.exit("LibreOffice is needed to write the PDFs (apt-get install libreoffice-writer).")
    with tempfile.TemporaryDirectory(prefix="cchc-corpus-lo-") as profile:
        subprocess.run(
            [binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf",
             "--outdir", str(docx_path.parent), str(docx_path)],
            check=True, capture_output=True, timeout=300,
        )


# --- main ---------------------------------------------------------------------------------------------------------


def main(names: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sources = [read_source(p) for p in sorted(SOURCES.glob("*.src.txt"))]
    if names:
        sources = [s for s in sources if s.name in names]
    database = None
    try:
        for source in sources:
            if source.one("kind") == "render":
                database = database or DemoDatabase()
                data = database.render(source)
            else:
                data = hand_docx(source)
            folder = TARGETS[source.one("target", "corpus")]
            folder.mkdir(parents=True, exist_ok=True)
            docx_path = folder / f"{source.name}.docx"
            docx_path.write_bytes(data)
            (folder / f"{source.name}.txt").write_text(docx_to_text(data), encoding="utf-8")
            to_pdf(docx_path)
            print(f"{docx_path.relative_to(ROOT)} (+ .txt, .pdf)")
    finally:
        if database:
            database.close()


if __name__ == "__main__":
    main(sys.argv[1:])
