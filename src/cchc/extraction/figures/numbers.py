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
from .text import Tokens

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


def _prev_word(tokens: Tokens, i: int) -> str:
    return tokens.texts[i - 1] if i > 0 and tokens.kinds[i - 1] == "w" else ""


def find_mentions(tokens: Tokens, texts: list[str], covered: list[bool], ending_at: list) -> list[Mention]:
    """The numbers of a sentence that may be figures, with their units. `covered[i]` is True for a token inside a
    phrase of the lexicon; `ending_at[i]` the cues of a phrase ending right before token i."""
    out: list[Mention] = []
    n = len(texts)
    kinds, starts, ends = tokens.kinds, tokens.starts, tokens.ends
    numbers = [k for k, kind in enumerate(kinds) if kind == "n"]  # visit the numbers alone
    i = 0
    for i0 in numbers:
        if i0 < i:
            continue  # consumed with the number before ("8/43", "15/9/2019")
        i = i0
        if covered[i]:
            i += 1
            continue
        j = i + 1
        whole = None
        # "Covid-19", "4G", "Q1": a number glued to letters is part of a name or a code.
        glued_before = i > 0 and ends[i - 1] == starts[i] and (
            kinds[i - 1] == "w" or (texts[i - 1] == "-" and i > 1 and kinds[i - 2] == "w"
                                          and ends[i - 2] == starts[i - 1]))
        glued_after = j < n and starts[j] == ends[i] and (
            kinds[j] == "w" or (texts[j] == ":" and j + 1 < n and kinds[j + 1] == "n"
                                      and starts[j + 1] == ends[j]))  # "9001:2015", "8:30"
        if glued_before or glued_after:
            i = j
            continue
        # "15/9/2019", "61/2018/NĐ-CP", "12/KH-STP": a date or a document number.
        if j < n and texts[j] == "/":
            if j + 1 < n and kinds[j + 1] == "n":
                if j + 2 < n and texts[j + 2] in ("/", "-") and j + 3 < n and kinds[j + 3] in ("n", "w"):
                    i = j + 4
                    continue
                whole_value = parse_number(texts[j + 1])
                whole = whole_value
                j += 2
            else:
                i = j + 1
                continue
        elif j < n and texts[j] == "-" and j + 1 < n and kinds[j + 1] == "w":
            i = j + 1
            continue
        value = parse_number(texts[i])
        if value is None:
            i = j
            continue
        prev = _prev_word(tokens, i)
        prev2 = texts[i - 2] if i > 1 else ""
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
        if not percent and j < n and kinds[j] == "w":
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
        if texts[i].isdigit() and 1900 <= value <= 2100 and unit is None and whole is None and not percent:
            i = j
            continue
        if multiplier != 1:
            value = _plain(Decimal(str(value)) * multiplier)
        out.append(Mention(index=i, end=j, unit_end=unit_end, value=value, whole=whole, percent=percent, unit=unit,
                           start_char=starts[i], end_char=ends[j - 1]))
        i = unit_end if unit_end > j else j
    return out
