"""The outline of a report: headings numbered I., 1., 1.1., a) (Nghị định 30/2020, Phụ lục I: "phần, mục, khoản,
điểm"). Level 1 is a Roman numeral, 2 an Arabic number, 3 a decimal ("1.1"), then letters (3, or 4 when the document
also uses decimals). `-` and `+` items are not headings.
"""

from __future__ import annotations

import re

__all__ = ["read_sections"]

_ROMAN = re.compile(r"^(?:PHẦN\s+|Phần\s+)?(?P<n>[IVXL]{1,5})\s*[.)/:-]\s*(?P<h>\S.*)$")
_DECIMAL = re.compile(r"^(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2}){1,2})\.?\s+(?P<h>\S.*)$")
_ARABIC = re.compile(r"^(?P<n>[0-9]{1,2})\s*[.)/]\s*(?P<h>[^\d\s].*)$")
_LETTER = re.compile(r"^(?P<n>[a-zđ])\s*[.)]\s*(?P<h>\S.*)$")
_MAX_HEADING = 200


def _heading_text(text: str) -> str:
    text = " ".join(text.split())
    # "V. KIẾN NGHỊ, ĐỀ XUẤT: Không." and "1. Công tác tham mưu:" keep the heading before the colon.
    head, colon, rest = text.partition(":")
    if colon and head.strip():
        text = head
    elif len(text) > _MAX_HEADING:
        first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0]
        text = first
    if len(text) > _MAX_HEADING:
        text = text[:_MAX_HEADING].rsplit(" ", 1)[0]
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")]
    return text.strip().rstrip(".;,").strip()


def read_sections(paragraphs: list[str]) -> list[dict]:
    found: list[tuple[str, str, str]] = []
    for para in paragraphs:
        s = para.strip()
        if not s or len(s) < 3:
            continue
        m = _ROMAN.match(s)
        if m and not re.match(r"^[IVXL]+\s*[./]\s*20\d\d", s):
            found.append(("roman", m.group("n"), _heading_text(m.group("h"))))
            continue
        m = _DECIMAL.match(s)
        if m:
            found.append(("decimal", m.group("n"), _heading_text(m.group("h"))))
            continue
        m = _ARABIC.match(s)
        if m and int(m.group("n")) <= 50:
            found.append(("arabic", m.group("n"), _heading_text(m.group("h"))))
            continue
        m = _LETTER.match(s)
        if m:
            found.append(("letter", m.group("n"), _heading_text(m.group("h"))))
    has_decimal = any(kind == "decimal" for kind, _, _ in found)
    levels = {"roman": 1, "arabic": 2, "decimal": 3, "letter": 4 if has_decimal else 3}
    return [{"number": n, "heading": h, "level": levels[kind]} for kind, n, h in found if h]
