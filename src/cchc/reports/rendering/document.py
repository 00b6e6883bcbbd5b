"""The data model of an administrative document, independent of the database and of the output format.

A report (or any document of Nghị định 30/2020/NĐ-CP, Phụ lục I) is a plain tree of dataclasses: the header facts, a
body made of headings, paragraphs and tables, the signature, the recipients and the appendices. The renderers in this
package turn it into .docx, PDF and .xlsx bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from cchc.text import nfc

Align = Literal["left", "center", "right", "justify"]


def pad2(n: int) -> str:
    """A count in Vietnamese administrative style: 1..9 get a leading zero ("01", "09"), others are written as is.

    Zero stays "0": reports write "0 hồ sơ" (or "không có"), never "00".
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"pad2 expects an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"pad2 expects a non-negative count, got {n}")
    return f"{n:02d}" if 0 < n < 10 else str(n)


def date_parts(date: dt.date) -> tuple[str, str, str]:
    """Day, month and year as the decree writes them in the date line.

    Nghị định 30/2020, Phụ lục I, mục I.2.5: days below 10 and the months 1 and 2 take a leading 0
    ("ngày 05 tháng 02 năm 2020"), other months do not ("tháng 3").
    """
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return day, month, str(date.year)


def vietnamese_date_line(place: str, date: dt.date | None, *, year: int | None = None) -> str:
    """ "Quảng Trị, ngày 19 tháng 11 năm 2020"; without a date (a draft) the day and month are left blank to fill in.

    For a draft the year comes from ``year`` (defaulting to the current year): "Quảng Trị, ngày    tháng    năm 2023".
    """
    place = nfc(place).strip()
    if date is None:
        draft_year = year if year is not None else dt.date.today().year
        line = f"ngày    tháng    năm {draft_year}"
    else:
        day, month, yyyy = date_parts(date)
        line = f"ngày {day} tháng {month} năm {yyyy}"
    return f"{place}, {line}" if place else line


def short_date(date: dt.date) -> str:
    """The dd/mm/yyyy form used inside references: "30/12/2022", "05/02/2020"."""
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


def number_line(number: str | int | None, symbol: str) -> str:
    """ "Số: 136/BC-SKHCN"; numbers below 10 take a leading 0 (Phụ lục I, mục I.2.3); a blank number leaves a gap.

    Drafts are numbered at issue time by the clerk (văn thư), so a draft keeps the gap: "Số:      /BC-SKHCN".
    """
    symbol = nfc(symbol).strip()
    text = "" if number is None else str(number).strip()
    if not text:
        return f"Số:      /{symbol}" if symbol else "Số:      "
    if text.isdigit():
        text = pad2(int(text)) if int(text) > 0 else text
    return f"Số: {text}/{symbol}" if symbol else f"Số: {text}"


@dataclass(frozen=True)
class Run:
    """A piece of inline text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Footnote:
    """A footnote whose reference mark sits where it appears among the runs of a paragraph."""

    text: str


Inline = Run | Footnote

_MARKUP = re.compile(r"\*\*(?P<bold>.+?)\*\*|\*(?P<italic>[^*]+?)\*|\[\^(?P<note>[^\]]+)\]")


def parse_inline(text: str) -> list[Inline]:
    """Light markup officers can type in narrative: **bold**, *italic* and [^footnote text]."""
    text = nfc(text)
    out: list[Inline] = []
    pos = 0
    for match in _MARKUP.finditer(text):
        if match.start() > pos:
            out.append(Run(text[pos : match.start()]))
        if match.group("bold") is not None:
            out.append(Run(match.group("bold"), bold=True))
        elif match.group("italic") is not None:
            out.append(Run(match.group("italic"), italic=True))
        else:
            out.append(Footnote(match.group("note").strip()))
        pos = match.end()
    if pos < len(text):
        out.append(Run(text[pos:]))
    return out


@dataclass
class Paragraph:
    """A body paragraph; ``bullet`` "-" or "+" makes it a list item in the Vietnamese style ("- ...", "+ ...")."""

    content: list[Inline]
    bullet: Literal["-", "+"] | None = None
    align: Align = "justify"
    first_line_indent: bool = True
    bold: bool = False
    italic: bool = False
    space_after: float | None = None  # points; None: the body's spacing (a form's field lines sit closer)

    @classmethod
    def of(cls, text: str, **kwargs: object) -> Paragraph:
        """Build from marked-up text; a leading "- " or "+ " becomes the bullet."""
        text = nfc(text)
        stripped = text.lstrip()
        if "bullet" not in kwargs and stripped[:2] in ("- ", "+ "):
            kwargs["bullet"] = stripped[0]
            text = stripped[2:]
        return cls(parse_inline(text), **kwargs)  # type: ignore[arg-type]

    @property
    def plain_text(self) -> str:
        body = "".join(part.text for part in self.content if isinstance(part, Run))
        return f"{self.bullet} {body}" if self.bullet else body

    @property
    def footnotes(self) -> list[Footnote]:
        return [part for part in self.content if isinstance(part, Footnote)]


@dataclass
class Heading:
    """An outline heading: level 1 "I.", level 2 "1.", level 3 "a)", level 4 deeper ("a.1", "-")."""

    number: str
    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 4:
            raise ValueError(f"heading level must be 1..4, got {self.level}")


@dataclass
class Cell:
    """A table cell; ``colspan``/``rowspan`` merge it over its neighbours as in an HTML table."""

    text: str | Sequence[Inline] = ""
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    italic: bool = False
    align: Align | None = None

    def __post_init__(self) -> None:
        if self.colspan < 1 or self.rowspan < 1:
            raise ValueError("colspan and rowspan must be >= 1")

    @property
    def runs(self) -> list[Inline]:
        if isinstance(self.text, str):
            return [Run(nfc(self.text))]
        return list(self.text)

    @property
    def plain_text(self) -> str:
        return "".join(part.text for part in self.runs if isinstance(part, Run))


CellValue = Cell | str | int | float | None


def as_cell(value: CellValue) -> Cell:
    if isinstance(value, Cell):
        return value
    if value is None:
        return Cell("")
    return Cell(str(value))


@dataclass
class Table:
    """A table: header rows (repeated on every page) then body rows; widths are relative weights or millimetres.

    ``columns`` is the shortcut for a single header row; ``header`` gives several rows with merged cells instead.
    ``bold_rows`` are body row indexes to set in bold (group rows such as "I. Cải cách thể chế").
    """

    columns: Sequence[CellValue] = ()
    rows: Sequence[Sequence[CellValue]] = ()
    widths: Sequence[float] | None = None
    header: Sequence[Sequence[CellValue]] = ()
    bold_rows: Iterable[int] = ()
    aligns: Sequence[Align | None] | None = None
    title: str | None = None
    font_size: float = 13

    @property
    def header_rows(self) -> list[list[Cell]]:
        if self.header:
            return [[as_cell(v) for v in row] for row in self.header]
        if self.columns:
            return [[as_cell(v) for v in self.columns]]
        return []

    @property
    def body_rows(self) -> list[list[Cell]]:
        return [[as_cell(v) for v in row] for row in self.rows]

    @property
    def column_count(self) -> int:
        rows = self.header_rows + self.body_rows
        if not rows:
            return 0
        return len(layout_grid(rows)[0])


def layout_grid(rows: Sequence[Sequence[Cell]]) -> list[list[tuple[Cell, int, int] | None]]:
    """Place cells with spans on a grid (the HTML table algorithm).

    Returns a grid whose slots hold (cell, row of origin, column of origin) for every slot the cell covers.
    """
    grid: list[list[tuple[Cell, int, int] | None]] = []
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for cell in row:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                line = grid[r + dr]
                while len(line) < c + cell.colspan:
                    line.append(None)
                for dc in range(cell.colspan):
                    if line[c + dc] is not None:
                        raise ValueError(f"table cells overlap at row {r + dr + 1}, column {c + dc + 1}")
                    line[c + dc] = (cell, r, c)
            c += cell.colspan
    width = max((len(line) for line in grid), default=0)
    for line in grid:
        line.extend([None] * (width - len(line)))
    return grid


@dataclass
class Image:
    """A picture (PNG bytes) placed in the text: the QR code of a printed form, for instance."""

    png: bytes
    width_mm: float
    align: Align = "center"
    caption: str = ""
    description: str = ""


@dataclass
class ImageRow:
    """Pictures side by side on one line (the receipt's two QR codes)."""

    images: list[Image]


@dataclass
class SignatureColumn:
    """One column of a row of signatures: the signer's title, a note such as "(Ký, ghi rõ họ tên)", the name."""

    title: str
    note: str = ""
    name: str = ""


@dataclass
class SignatureRow:
    """Signatures side by side in the body (the applicant and the receiving officer of a one-stop form)."""

    columns: list[SignatureColumn]


Block = Heading | Paragraph | Table | Image | ImageRow | SignatureRow


@dataclass
class Signature:
    """The signature block: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / name (Phụ lục I, mục I.2.7)."""

    title: str
    name: str
    authority_form: str | None = None


@dataclass
class Appendix:
    """An appendix in its own section: "Phụ lục I", its title and "(Kèm theo Báo cáo số ... của ...)"."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    numeral: str | None = None
    reference: str | None = None
    landscape: bool = True

    @property
    def label(self) -> str:
        return f"Phụ lục {self.numeral}" if self.numeral else "Phụ lục"


@dataclass
class AdministrativeDocument:
    """A document in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I."""

    parent_authority: str
    issuing_agency: str
    symbol: str
    place: str
    document_type: str
    excerpt: str
    signature: Signature | None
    number: str | int | None = None
    date: dt.date | None = None
    year: int | None = None
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    archive_unit: str | None = None
    appendices: list[Appendix] = field(default_factory=list)
    # A printed form has no "Số:" line when it is not numbered, and its first page may be landscape (a register).
    # Without a signature (None) there is no closing block with "Nơi nhận:" (the form signs inside its body).
    show_number: bool = True
    landscape: bool = False
    body_size: float = 14  # mục I.2.6 allows 13-14 pt; a one-page form uses 13

    @property
    def number_line(self) -> str:
        return number_line(self.number, self.symbol)

    @property
    def date_line(self) -> str:
        return vietnamese_date_line(self.place, self.date, year=self.year)

    @property
    def recipient_lines(self) -> list[str]:
        """ "- Sở Nội vụ;" ... "- Lưu: VT, CCHC." (Phụ lục I, mục I.2.9: dash, semicolon, a final full stop)."""
        lines = []
        for recipient in self.recipients:
            text = nfc(recipient).strip().lstrip("-").strip().rstrip(";.,").strip()
            if text:
                lines.append(f"- {text};")
        archive = "Lưu: VT"
        if self.archive_unit and self.archive_unit.strip():
            archive += f", {nfc(self.archive_unit).strip().rstrip('.')}"
        lines.append(f"- {archive}.")
        return lines

    def reference_line(self, issuer: str) -> str:
        """The appendix reference "(Kèm theo Báo cáo số 136/BC-SKHCN ngày 19/11/2020 của Sở Khoa học và Công nghệ)".

        ``issuer`` is the agency's name in sentence case (or its usual short form, "Sở KH&CN"), which cannot be derived
        from the uppercase header line.
        """
        kind = nfc(self.document_type).strip().capitalize() if self.document_type.strip() else "Văn bản"
        number = str(self.number).strip() if self.number not in (None, "") else "..."
        if number.isdigit():
            number = pad2(int(number))
        when = short_date(self.date) if self.date else "..."
        return f"(Kèm theo {kind} số {number}/{self.symbol} ngày {when} của {nfc(issuer).strip()})"
