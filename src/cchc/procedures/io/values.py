"""Reading one cell: texts, choices, processing times, dates, hours (RowError says what is wrong, in Vietnamese)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from cchc.procedures.models import DurationUnit
from cchc.text import clean_line, clean_text, fold

from .columns import _DISPLAY, _UNITS, _norm

# --- value parsing ------------------------------------------------------------------------------------------


class RowError(Exception):
    pass


def _text(value: Any) -> str:
    """A cell as one line of clean text (cchc.text.clean_line), numbers as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_line(str(value))


def _multiline(value: Any) -> str:
    return clean_text(value) if isinstance(value, str) else _text(value)


def _choice(value: Any, label: str, options: dict[str, Any], default: Any) -> Any:
    text = _norm(value)
    if not text:
        return default
    if text in options:
        return options[text]
    allowed = ", ".join(sorted({_text(v) for v in _DISPLAY.get(label, {}).values()}))
    raise RowError(
        _("%(column)s: giá trị “%(value)s” không hợp lệ (chấp nhận: %(allowed)s)")
        % {"column": label, "value": _text(value), "allowed": allowed}
    )


def _unit(value: Any) -> str | None:
    text = _norm(value)
    if not text:
        return None
    for prefix, unit in _UNITS:
        if text == prefix or text.startswith(prefix + " "):
            return unit
    raise RowError(
        _("Đơn vị thời hạn: giá trị “%(value)s” không hợp lệ (chấp nhận: ngày làm việc, ngày, giờ làm việc, tháng)")
        % {"value": _text(value)}
    )


def _number(value: Any, label: str) -> tuple[Decimal | None, str | None]:
    """A processing time: 10, "10", "10,5", "10 ngày làm việc" -> (Decimal, unit found in the text or None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    unit = None
    if isinstance(value, bool):
        raise RowError(_("%(column)s: “%(value)s” không phải là số") % {"column": label, "value": value})
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = _text(value)
        if _norm(text).startswith("trong ngay"):
            return Decimal(0), DurationUnit.WORKING_DAYS  # "Trong ngày": settled within the day
        match = re.match(r"^(\d+(?:[.,]\d+)?)\s*(.*)$", text)
        if not match:
            raise RowError(_("%(column)s: “%(value)s” không phải là số") % {"column": label, "value": text})
        try:
            number = Decimal(match.group(1).replace(",", "."))
            unit = _unit(match.group(2)) if match.group(2) else None
        except (InvalidOperation, RowError) as exc:
            raise RowError(_("%(column)s: “%(value)s” không phải là số") % {"column": label, "value": text}) from exc
    if number < 0 or number >= 1_000_000:
        raise RowError(_("%(column)s: %(value)s nằm ngoài khoảng cho phép") % {"column": label, "value": value})
    if number != number.quantize(Decimal("0.1")):
        raise RowError(
            _("%(column)s: %(value)s có quá một chữ số thập phân") % {"column": label, "value": _text(value)}
        )
    return number.quantize(Decimal("0.1")) if number != number.to_integral_value() else Decimal(int(number)), unit


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S")


def _date(value: Any, label: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(
        _("%(column)s: “%(value)s” không phải là ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)")
        % {"column": label, "value": text}
    )


def _time(value: Any, label: str) -> dt.time | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    text = fold(str(value))
    match = re.match(r"^(\d{1,2})\s*(?::|h|gio)\s*(\d{2})?(?::00)?$", text)
    if match and int(match.group(1)) < 24 and int(match.group(2) or 0) < 60:
        return dt.time(int(match.group(1)), int(match.group(2) or 0))
    raise RowError(
        _("%(column)s: “%(value)s” không phải là giờ hợp lệ (ví dụ 15:00)") % {"column": label, "value": _text(value)}
    )


def _legacy_level(value: Any) -> int | None:
    text = _norm(value)
    if not text:
        return None
    match = re.match(r"^(?:muc do |muc )?([1-4])(?: 0)?$", text)
    if not match:
        raise RowError(
            _("Mức độ (NĐ 43/2011): giá trị “%(value)s” không hợp lệ (1, 2, 3 hoặc 4)") % {"value": _text(value)}
        )
    return int(match.group(1))


def _limit(text: str, size: int, label: str) -> str:
    if len(text) > size:
        raise RowError(_("%(column)s dài quá %(size)d ký tự") % {"column": label, "size": size})
    return text
