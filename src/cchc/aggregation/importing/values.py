"""Figure values as a person reads and types them: Vietnamese number format ("1.176.355", "98,81"), and what each
kind of figure may be (a count is a whole number, a percentage lies between 0 and 100, a rank is 1 or more).

The kind of a key follows the vocabulary (cchc.extraction.vocabulary): DECIMAL_KEYS hold percentages, scores and
amounts of money; keys ending in "_rank" are ranks; every other key counts something.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cchc.extraction.vocabulary import DECIMAL_KEYS, canonical_key, figure_label

COUNT, PERCENT, RANK, SCORE, AMOUNT = "count", "percent", "rank", "score", "amount"

# "1.176.355" (groups of three after the first), "98,81" (decimal comma), "1.176.355,5".
_VIETNAMESE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
# A decimal point typed the English way ("98.81", "1.5"): one point not followed by exactly three digits.
_POINT = re.compile(r"\d+\.(?:\d{1,2}|\d{4,})")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def kind_of(key: str) -> str:
    key = canonical_key(key)
    if key.endswith("_rank"):
        return RANK
    if key.endswith("_pct"):
        return PERCENT
    if key.endswith("_score"):
        return SCORE
    if key in DECIMAL_KEYS:
        return AMOUNT
    return COUNT


def _number(text: str) -> Decimal | None:
    raw = _SPACES.sub("", text).rstrip("%")
    negative = raw.startswith("-")
    raw = raw.lstrip("+-")
    if _VIETNAMESE.fullmatch(raw):
        digits = raw.replace(".", "").replace(",", ".")
    elif _POINT.fullmatch(raw):
        digits = raw
    else:
        return None
    try:
        number = Decimal(digits)
    except InvalidOperation:
        return None
    return -number if negative else number


def parse_value(text: Any, key: str) -> Decimal:
    """The value of figure `key` from what a person typed (or the extractor wrote); ValidationError with a message
    in Vietnamese that names the figure by its label and says what is expected."""
    label = figure_label(key)
    if isinstance(text, (int, Decimal)) and not isinstance(text, bool):
        number: Decimal | None = Decimal(text)
        shown = format_value(number)
    elif isinstance(text, float):
        number = Decimal(str(text))
        shown = format_value(number)
    else:
        shown = str(text or "").strip()
        if not shown:
            raise ValidationError(
                _("«%(label)s»: chưa nhập giá trị. Nếu báo cáo không nêu số liệu này, hãy đánh dấu «Bỏ».")
                % {"label": label}
            )
        number = _number(shown)
    if number is None or not number.is_finite():
        raise ValidationError(
            _("«%(label)s»: «%(text)s» không phải là số. Viết số như báo cáo viết, ví dụ 1.176.355 hoặc 98,81.")
            % {"label": label, "text": shown}
        )
    kind = kind_of(key)
    if number < 0:
        raise ValidationError(_("«%(label)s»: số liệu không được âm (đã nhập «%(text)s»).")
                              % {"label": label, "text": shown})  # fmt: skip
    whole = number == number.to_integral_value()
    if kind == COUNT and not whole:
        raise ValidationError(
            _("«%(label)s» là số đếm: phải là số nguyên không âm, ví dụ 1.234 (đã nhập «%(text)s»).")
            % {"label": label, "text": shown}
        )
    if kind == RANK and (not whole or number < 1):
        raise ValidationError(
            _("«%(label)s» là thứ hạng: phải là số nguyên từ 1 trở lên, ví dụ 29 trong «xếp thứ 29/63» "
              "(đã nhập «%(text)s»).") % {"label": label, "text": shown}
        )  # fmt: skip
    if kind in (PERCENT, SCORE) and number > 100:
        message = (
            _("«%(label)s» là tỷ lệ phần trăm: phải từ 0 đến 100, ví dụ 98,81 (đã nhập «%(text)s»).")
            if kind == PERCENT
            else _("«%(label)s» là điểm: phải từ 0 đến 100, ví dụ 87,32 (đã nhập «%(text)s»).")
        )
        raise ValidationError(message % {"label": label, "text": shown})
    if whole:
        number = number.quantize(Decimal(1))
    return number.normalize() if not whole else number


def format_value(value: Any) -> str:
    """A number as Vietnamese writes it: 1176355 -> "1.176.355", 98.81 -> "98,81"; text stays as it is."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.normalize()
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _sep, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + (f",{fraction}" if fraction else "")


def plain(value: Decimal) -> int | str:
    """JSON-ready: a whole number as an int, anything else as its exact decimal text."""
    if value == value.to_integral_value():
        return int(value)
    return str(value.normalize())
