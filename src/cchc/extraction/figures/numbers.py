"""Numbers as Vietnamese reports write them, and which numbers of a sentence are figures at all.

"1.176.355" = 1176355 (a dot groups thousands), "98,81" = 98.81 (a comma is the decimal mark), "65.3 điểm" = 65.3
(a dot followed by one or two digits is a decimal point), "01" = 1, "5,65 ngàn / nghìn" = 5650, "1,2 triệu lượt" =
1200000 (but "1.214 triệu đồng" stays 1214: money is counted in its unit), "98,81%" a percentage, "8/43" a part of
a whole, "29/63" after "xếp thứ" a rank among 63.

Not figures: dates ("15/9/2019", "ngày 11/01", "tháng 4/2023", "năm 2023"), document numbers ("số 12/KH-STP",
"61/2018/NĐ-CP"), the level in "mức độ 3", numbers inside a phrase of the lexicon ("Quyết định 766"), bounds
("trên 1.000 hồ sơ", "hơn 90%": not the count itself), and a count of something the vocabulary does not count ("03
cuộc họp", "02 tập thể": the word after the number is not one of ours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .lexicon import MULTIPLIERS, NEUTRAL_FOLLOWERS, UNIT_DOMAINS, match_at
from .text import Token

__all__ = ["Mention", "find_mentions", "parse_number"]

_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]+")
_DECIMAL_POINT = re.compile(r"[0-9]+\.[0-9]{1,2}")
_PLAIN = re.compile(r"[0-9]+")


def _decimal(text: str) -> Decimal | None:
    """The exact value of a number as written, or None when it is not a number Vietnamese writes."""
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    if _THOUSANDS.fullmatch(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.fullmatch(text) or _DECIMAL_POINT.fullmatch(text):
        return Decimal(text.replace(",", "."))
    return None


def _plain(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_number(text: str) -> int | float | None:
    """ "1.176.355" -> 1176355, "13,6" -> 13.6, "07" -> 7 (Vietnamese: "." groups thousands, "," is decimal)."""
    if not text:
        return None
    try:
        value = _decimal(text.strip())
    except InvalidOperation:
        return None
    return None if value is None else _plain(value)


@dataclass(slots=True)
class Mention:
    """A number of a sentence that may be a figure."""

    index: int  # token index of the number
    end: int  # token index after the number (and its multiplier, %, "/whole")
    unit_end: int  # token index after its unit (== end when no unit)
    value: int | float
    whole: int | float | None  # "8/43" -> 43
    percent: bool
    unit: str | None  # a domain cue of lexicon.UNIT_DOMAINS, "U_SCORE", or None
    start_char: int
    end_char: int


# Words before a number that make it a date, a level, a label or an article ("ngày 15", "mức độ 3", "Điều 5").
_NOT_BEFORE = frozenset({
    "ngay", "thang", "quy", "nam", "dieu", "khoan", "chuong", "muc", "lan", "khoa", "phu", "bieu", "mau", "tiet",
    "gio", "phut", "tuan", "dot", "giai", "ky", "phong", "to", "tap", "trang", "so", "hieu", "nhom", "dong", "cot",
    "ban", "ma", "phien", "doan", "luat", "dai", "hotline", "thoai", "fax", "zalo", "thong",
})  # fmt: skip
# ... unless the word before "số" is "tổng" ("tổng số 1.234 hồ sơ") or the number is followed by one of our units.
_BOUNDS = frozenset({"tren", "hon", "gan", "duoi", "toi"})
_APPROX_PAIRS = {("hon", "can"), ("xap", "xi")}


def _prev_word(tokens: list[Token], i: int) -> str:
    return tokens[i - 1].text if i > 0 and tokens[i - 1].kind == "w" else ""


def find_mentions(tokens: list[Token], texts: list[str], covered: list[bool], ending_at: list) -> list[Mention]:
    """The numbers of a sentence that may be figures, with their units. `covered[i]` is True for a token inside a
    phrase of the lexicon; `ending_at[i]` the cues of a phrase ending right before token i."""
    out: list[Mention] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.kind != "n" or covered[i]:
            i += 1
            continue
        j = i + 1
        whole = None
        # "Covid-19", "4G", "Q1": a number glued to letters is part of a name or a code.
        glued_before = i > 0 and tokens[i - 1].end == tok.start and (
            tokens[i - 1].kind == "w" or (texts[i - 1] == "-" and i > 1 and tokens[i - 2].kind == "w"
                                          and tokens[i - 2].end == tokens[i - 1].start))
        glued_after = j < n and tokens[j].start == tok.end and (
            tokens[j].kind == "w" or (texts[j] == ":" and j + 1 < n and tokens[j + 1].kind == "n"
                                      and tokens[j + 1].start == tokens[j].end))  # "9001:2015", "8:30"
        if glued_before or glued_after:
            i = j
            continue
        # "15/9/2019", "61/2018/NĐ-CP", "12/KH-STP": a date or a document number.
        if j < n and texts[j] == "/":
            if j + 1 < n and tokens[j + 1].kind == "n":
                if j + 2 < n and texts[j + 2] in ("/", "-") and j + 3 < n and tokens[j + 3].kind in ("n", "w"):
                    i = j + 4
                    continue
                whole_value = parse_number(texts[j + 1])
                whole = whole_value
                j += 2
            else:
                i = j + 1
                continue
        elif j < n and texts[j] == "-" and j + 1 < n and tokens[j + 1].kind == "w":
            i = j + 1
            continue
        value = parse_number(tok.text)
        if value is None:
            i = j
            continue
        prev = _prev_word(tokens, i)
        prev2 = tokens[i - 2].text if i > 1 else ""
        percent = False
        multiplier = 1
        if j < n and texts[j] == "%":
            percent = True
            j += 1
        elif j < n and texts[j] in MULTIPLIERS and not (j + 1 < n and texts[j + 1] in ("dong", "le")):
            multiplier = MULTIPLIERS[texts[j]]
            j += 1
        unit = None
        unit_end = j
        follower_ok = True
        if not percent and j < n and tokens[j].kind == "w":
            found = match_at(texts, j)
            if found is not None and any(tag in UNIT_DOMAINS for tag in found[1]):
                unit_end, tags = found
                unit = next(tag for tag in tags if tag in UNIT_DOMAINS)
                if unit in ("T_GROUP", "T_OTHER"):
                    follower_ok = False
            elif found is None and texts[j] not in NEUTRAL_FOLLOWERS:
                follower_ok = False
            elif found is not None and "NOUN" in found[1]:
                follower_ok = False  # "04 cá nhân", "03 đơn vị"
        rank = ending_at[i] is not None and "R_RANK" in ending_at[i]
        if not follower_ok and not rank:  # "xếp thứ 5/21 huyện, thị xã": a rank among anything
            i = unit_end if unit_end > j else j
            continue
        if prev in _NOT_BEFORE and unit is None and whole is None and not percent:
            if not (prev == "so" and prev2 == "tong"):
                i = j
                continue
        if prev in ("ngay", "thang", "nam", "quy") and unit is None:
            i = j
            continue
        if prev in _BOUNDS or (prev2, prev) in _APPROX_PAIRS:
            i = unit_end
            continue
        if tok.text.isdigit() and 1900 <= value <= 2100 and unit is None and whole is None and not percent:
            i = j
            continue
        if multiplier != 1:
            value = _plain(Decimal(str(value)) * multiplier)
        out.append(Mention(index=i, end=j, unit_end=unit_end, value=value, whole=whole, percent=percent, unit=unit,
                           start_char=tok.start, end_char=tokens[j - 1].end))
        i = unit_end if unit_end > j else j
    return out
