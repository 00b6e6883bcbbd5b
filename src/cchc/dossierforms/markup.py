"""The markup of a printed-form template, its validation and its translation into the renderer's document model.

A template is plain text, one instruction per line (docs/dossier-forms.md):

    # a comment                        ignored
    @co-quan LINE 1 | LINE 2           the two lines of the header's left column (default: parent authority, agency)
    @so SYMBOL                         a "Số: …/SYMBOL" line under the agency (without it the form is not numbered;
                                       the number itself is left blank for the clerk: forms are numbered at issue)
    @ngay {{ dossier.received_on }}    the date of the date line (dd/mm/yyyy); empty: the day is left to fill in
    @ngang                             landscape pages
    @tieu-de TITLE                     the form's title (required, once)
    @trich-yeu TEXT                    the bold line under the title
    @muc 1. TEXT                       a numbered heading
    @giua TEXT                         a centred line
    @dong TEXT                         a line without first-line indent
    TEXT                               a paragraph ("- " starts a list item); **bold**, *italic*
    @neu FIELD TEXT                    a line without indent, printed only when the field FIELD has a value
    @cho-trong N                       N dotted lines to fill in by hand (1-20)
    @ma-qr                             the QR codes of the dossier (its code; its public status address, if any)
    @bang-thanh-phan | @bang-can-bo-sung | @bang-giao-nhan | @bang-so-theo-doi    the form's tables
    @chu-ky TITLE; NOTE; NAME | TITLE; NOTE; NAME    signatures side by side (NOTE and NAME optional)
    @ky TITLE; NAME                    the decree's closing signature block, with "Nơi nhận:"
    @noi-nhan A; B; C                  its recipients ("Lưu: VT" is added)

Placeholders `{{ name }}` anywhere in the text are the fields of catalogue.placeholders_for(form). Errors come back
together, each with its line number, in Vietnamese (TemplateError, a ValidationError).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cchc.reports.rendering import (
    AdministrativeDocument,
    Heading,
    Paragraph,
    Signature,
    SignatureColumn,
    SignatureRow,
)
from cchc.text import nfc

from .catalogue import TABLES, placeholders_for

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
HEADING_NUMBER = re.compile(r"^((?:[IVXLC]+|\d+(?:\.\d+)*)\.|[a-zđ]\))\s+")
DOTS = "." * 150
MAX_BLANK_LINES = 20
FORM_BODY_PT = 13  # Nghị định 30/2020, Phụ lục I, mục I.2.6: 13-14 pt; a receipt fits one page at 13
FIELD_AFTER_PT = 2  # a form's field lines sit closer than the decree's 6 pt between paragraphs

TEXT_DIRECTIVES = {
    "co-quan",
    "so",
    "ngay",
    "neu",
    "tieu-de",
    "trich-yeu",
    "muc",
    "giua",
    "dong",
    "chu-ky",
    "ky",
    "noi-nhan",
}
BARE_DIRECTIVES = {"ngang", "ma-qr", *TABLES}
DIRECTIVES = TEXT_DIRECTIVES | BARE_DIRECTIVES | {"cho-trong"}
ONCE = {"co-quan", "so", "ngay", "ngang", "tieu-de", "trich-yeu", "ky", "noi-nhan"}


class TemplateError(ValidationError):
    """A template that cannot be used: every problem, each "Dòng N: ..."."""


@dataclass(frozen=True)
class Line:
    number: int
    directive: str  # "" for a paragraph
    text: str


@dataclass
class Parsed:
    form: str
    lines: list[Line] = field(default_factory=list)

    def first(self, directive: str) -> Line | None:
        return next((line for line in self.lines if line.directive == directive), None)


def parse(text: str, form: str) -> Parsed:
    """Check a template of form `form`; TemplateError lists every problem with its line number."""
    allowed = placeholders_for(form)
    errors: list[str] = []
    parsed = Parsed(form)
    seen: set[str] = set()
    for number, raw in enumerate(nfc(text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        problems = _check_placeholders(line, allowed)
        errors += [_("Dòng %(line)d: %(problem)s") % {"line": number, "problem": p} for p in problems]
        if not line.startswith("@"):
            parsed.lines.append(Line(number, "", line))
            continue
        name, _space, rest = line[1:].partition(" ")
        name, rest = name.strip().lower(), rest.strip()
        problem = _check_directive(name, rest, form, seen)
        if problem:
            errors.append(_("Dòng %(line)d: %(problem)s") % {"line": number, "problem": problem})
            continue
        seen.add(name)
        parsed.lines.append(Line(number, name, rest))
    if "tieu-de" not in seen:
        errors.append(_("Mẫu thiếu dòng @tieu-de (tên biểu mẫu)."))
    if "noi-nhan" in seen and "ky" not in seen:
        errors.append(_("Có @noi-nhan nhưng không có @ky: nơi nhận chỉ in cùng khối chữ ký của văn bản."))
    if errors:
        raise TemplateError(errors)
    return parsed


def _check_placeholders(line: str, allowed: Mapping[str, str]) -> list[str]:
    problems = []
    for match in PLACEHOLDER.finditer(line):
        name = match.group(1)
        if name not in allowed:
            problems.append(
                _("trường «%(name)s» không có trong biểu mẫu này (xem danh sách trường bên cạnh).") % {"name": name}
            )
    leftover = PLACEHOLDER.sub("", line)
    if "{{" in leftover or "}}" in leftover:
        problems.append(_("dấu {{ hoặc }} không đi thành cặp; trường viết dạng {{ dossier.code }}."))
    return problems


def _check_directive(name: str, rest: str, form: str, seen: set[str]) -> str | None:
    if name not in DIRECTIVES:
        return _("lệnh «@%(name)s» không có; các lệnh: %(all)s.") % {
            "name": name,
            "all": ", ".join(f"@{d}" for d in sorted(DIRECTIVES)),
        }
    if name in ONCE and name in seen:
        return _("lệnh @%(name)s chỉ được dùng một lần.") % {"name": name}
    if name in TABLES and form not in TABLES[name]:
        return _("bảng @%(name)s không dùng được trong biểu mẫu này.") % {"name": name}
    if name == "ma-qr" and form not in TABLES["bang-thanh-phan"]:
        return _("mã QR chỉ in được trên biểu mẫu của một hồ sơ.")
    if name in BARE_DIRECTIVES and rest:
        return _("lệnh @%(name)s không nhận nội dung sau nó.") % {"name": name}
    if name in TEXT_DIRECTIVES - {"ngay", "so"} and not rest:
        return _("lệnh @%(name)s cần nội dung sau nó.") % {"name": name}
    if name == "cho-trong":
        if not rest.isdigit() or not 1 <= int(rest) <= MAX_BLANK_LINES:
            return _("@cho-trong cần một số dòng từ 1 đến %(max)d.") % {"max": MAX_BLANK_LINES}
    if name == "chu-ky" and len(rest.split("|")) > 4:
        return _("@chu-ky có nhiều nhất 4 cột chữ ký.")
    if name == "neu":
        field_name, _space, line = rest.partition(" ")
        if field_name not in placeholders_for(form):
            return _("@neu cần tên một trường của biểu mẫu rồi đến nội dung, ví dụ: @neu dossier.status_url …")
        if not line.strip():
            return _("@neu cần nội dung sau tên trường.")
    if name == "ky" and not rest.split(";")[0].strip():
        return _("@ky cần chức danh người ký (phần trước dấu ;).")
    if name == "chu-ky":
        parts = rest.split("|")
        # A column left empty keeps its place: "@chu-ky | NGƯỜI TIẾP NHẬN" signs on the right.
        if not any(part.split(";")[0].strip() for part in parts):
            return _("@chu-ky cần chức danh của ít nhất một người ký (phần trước dấu ;).")
        if any(part.strip() and not part.split(";")[0].strip() for part in parts):
            return _("mỗi chữ ký cần chức danh (phần trước dấu ;).")
    return None


# -- building the document ------------------------------------------------------------------------------------------


@dataclass
class Filling:
    """What a template is filled with: placeholder values, the blocks of each table directive, the QR images, and
    the header facts that do not come from placeholders."""

    values: Mapping[str, str]
    parent_authority: str
    agency_name: str
    place: str
    year: int
    blocks: Mapping[str, Callable[[], list]]


def substitute(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), "") or "", text)


def parse_day(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def build(parsed: Parsed, filling: Filling) -> AdministrativeDocument:
    """The filled form as the renderer's document."""
    values = filling.values

    def fill(text: str) -> str:
        return substitute(text, values)

    head = parsed.first("co-quan")
    parent, agency = filling.parent_authority, filling.agency_name
    if head is not None:
        parts = [fill(p).strip() for p in head.text.split("|")]
        parent, agency = (parts[0], parts[1]) if len(parts) > 1 else ("", parts[0])
    symbol = parsed.first("so")
    date_line = parsed.first("ngay")
    closing = parsed.first("ky")
    recipients = parsed.first("noi-nhan")
    title = parsed.first("tieu-de")
    excerpt = parsed.first("trich-yeu")
    signature = None
    if closing is not None:
        parts = [fill(p).strip() for p in closing.text.split(";")]
        signature = Signature(title=parts[0], name=parts[1] if len(parts) > 1 else "")
    body: list = []
    for line in parsed.lines:
        body += _blocks(line, fill, filling)
    return AdministrativeDocument(
        parent_authority=parent,
        issuing_agency=agency,
        symbol=fill(symbol.text).strip() if symbol else "",
        show_number=symbol is not None,
        place=filling.place,
        date=parse_day(fill(date_line.text)) if date_line else None,
        year=filling.year,
        document_type=fill(title.text) if title else "",
        excerpt=fill(excerpt.text) if excerpt else "",
        signature=signature,
        recipients=[fill(r).strip() for r in recipients.text.split(";")] if recipients else [],
        body=body,
        landscape=parsed.first("ngang") is not None,
        body_size=FORM_BODY_PT,
    )


def _blocks(line: Line, fill: Callable[[str], str], filling: Filling) -> list:
    kind, text = line.directive, line.text
    if kind == "":
        return [Paragraph.of(fill(text))]
    if kind == "dong":
        return [Paragraph.of(fill(text), first_line_indent=False, align="left", space_after=FIELD_AFTER_PT)]
    if kind == "neu":
        field_name, _space, rest = text.partition(" ")
        if not (filling.values.get(field_name) or "").strip():
            return []
        return [Paragraph.of(fill(rest.strip()), first_line_indent=False, align="left", space_after=FIELD_AFTER_PT)]
    if kind == "giua":
        return [Paragraph.of(fill(text), first_line_indent=False, align="center")]
    if kind == "muc":
        filled = fill(text)
        match = HEADING_NUMBER.match(filled)
        number = match.group(1) if match else ""
        return [Heading(number, filled[match.end() :] if match else filled, level=2)]
    if kind == "cho-trong":
        return [
            Paragraph.of(DOTS, first_line_indent=False, align="left", space_after=FIELD_AFTER_PT)
            for _ in range(int(text))
        ]
    if kind == "chu-ky":
        columns = []
        for part in text.split("|"):
            pieces = [fill(p).strip() for p in part.split(";")] + ["", ""]
            columns.append(SignatureColumn(title=pieces[0], note=pieces[1], name=pieces[2]))
        return [SignatureRow(columns)]
    if kind in filling.blocks:
        return list(filling.blocks[kind]())
    return []  # header directives (co-quan, so, ngay, tieu-de, ...) are read by build()
