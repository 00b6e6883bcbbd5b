"""A rule's parameters as a person writes them, in the XLSX column "Mức điểm" and the item form's field:

    tiers            100%: 2; 80%: 1          (ratios)     3: 1; 1: 0,5       (counts)
    all-or-nothing   ngưỡng: 95%              or           tối thiểu: 2
    proportional     mục tiêu: 4; bước: 0,25
    deadline         chậm: 0,5; hạn: 31/12; năm: -1
    extra options    mục tiêu: 4  (with tiers: the count's ratio of the target)

`params_text` writes the canonical form and `parse_params` reads it back (or anything that only differs in spaces,
case, "," or "." as the decimal mark, "%" spacing), so an exported framework imports back to the same parameters and
exports to the same cells.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from cchc.indicators.services import decimal_text
from cchc.text import fold

from .models import RuleKind
from .rules import RuleError, decimal

HUNDRED = Decimal("100")
# key as written (folded) -> (parameter, is a percentage)
KEYS = {
    "nguong": ("threshold", True),
    "toi thieu": ("min", False),
    "muc tieu": ("target", False),
    "buoc": ("step", False),
    "cham": ("late_points", False),
    "han": ("deadline", False),
    "nam": ("year_offset", False),
}
WRITTEN = {"threshold": "ngưỡng", "min": "tối thiểu", "target": "mục tiêu", "step": "bước", "late_points": "chậm",
           "deadline": "hạn", "year_offset": "năm"}  # fmt: skip
ALLOWED = {
    RuleKind.ALL_OR_NOTHING: ("threshold", "min"),
    RuleKind.PROPORTIONAL: ("target", "step"),
    RuleKind.TIERS: ("target",),
    RuleKind.DEADLINE: ("late_points", "deadline", "year_offset"),
    RuleKind.MANUAL: (),
}
_TIER = re.compile(r"^(?P<threshold>[0-9]+(?:[.,][0-9]+)?)\s*(?P<percent>%?)$")


def _number(value: Decimal) -> str:
    return decimal_text(value)


def params_text(rule: str, params: dict | None) -> str:
    """The canonical text of `params` for `rule` ("" when there is nothing to say)."""
    params = params or {}
    parts: list[str] = []
    if rule == RuleKind.TIERS:
        counts = bool(params.get("counts"))
        for threshold, points in params.get("tiers") or []:
            threshold = decimal(threshold, _("Ngưỡng"))
            shown = _number(threshold) if counts else f"{_number(threshold * HUNDRED)}%"
            parts.append(f"{shown}: {_number(decimal(points, _('Điểm')))}")
    for key in ALLOWED.get(rule, ()):
        if key not in params:
            continue
        value = params[key]
        if key == "threshold":
            shown = f"{_number(decimal(value, key) * HUNDRED)}%"
        elif key == "deadline":
            shown = str(value)
        elif key == "year_offset":
            shown = str(int(value))
        else:
            shown = _number(decimal(value, key))
        parts.append(f"{WRITTEN[key]}: {shown}")
    return "; ".join(parts)


def parse_params(rule: str, text: str | None) -> dict:
    """The parameters `text` writes for `rule`; RuleError (Vietnamese) naming the part that cannot be read."""
    params: dict = {}
    tiers: list[list[str]] = []
    kinds: set[bool] = set()
    for raw in re.split(r"[;\n]", text or ""):
        part = raw.strip()
        if not part:
            continue
        if ":" not in part:
            raise RuleError(_("“%(part)s”: ghi theo dạng «tên: giá trị», ví dụ «100%%: 2» hoặc «chậm: 0,5».")
                            % {"part": part})  # fmt: skip
        name, value = (piece.strip() for piece in part.split(":", 1))
        tier = _TIER.match(name.replace(" ", ""))
        if tier:
            if rule != RuleKind.TIERS:
                raise RuleError(_("“%(part)s”: chỉ cách chấm theo mức mới có các mức điểm.") % {"part": part})
            threshold = decimal(tier["threshold"], _("Ngưỡng"))
            is_percent = bool(tier["percent"])
            kinds.add(is_percent)
            threshold = threshold / HUNDRED if is_percent else threshold
            tiers.append([_plain(threshold), _plain(decimal(value, _("Điểm của mức %(name)s") % {"name": name}))])
            continue
        known = KEYS.get(fold(name).strip())
        if known is None or known[0] not in ALLOWED.get(rule, ()):
            allowed = ", ".join(f"«{WRITTEN[key]}»" for key in ALLOWED.get(rule, ())) or _("không có tham số nào")
            raise RuleError(_("“%(name)s” không phải tham số của cách chấm này (được dùng: %(allowed)s).")
                            % {"name": name, "allowed": allowed})  # fmt: skip
        key, is_percent = known
        params[key] = _value(key, value, is_percent)
    if rule == RuleKind.TIERS:
        if not tiers:
            raise RuleError(_("Cách chấm theo mức cần ít nhất một mức, ví dụ «100%: 2; 80%: 1»."))
        if len(kinds) > 1:
            raise RuleError(_("Các mức phải cùng tính theo tỷ lệ (có %) hoặc cùng theo số lượng (không có %)."))
        params["tiers"] = tiers
        if kinds == {False}:
            params["counts"] = True
    return params


def _plain(value: Decimal) -> str:
    """A decimal as JSON keeps it: a string without trailing zeros ("0.5", "2")."""
    text = f"{value.normalize():f}"
    return text


def _value(key: str, value: str, is_percent: bool):
    if key == "deadline":
        if not re.fullmatch(r"\d{1,2}/\d{1,2}", value.strip()):
            raise RuleError(_("Hạn ghi ngày/tháng, ví dụ «hạn: 31/12» (đang ghi “%(value)s”).") % {"value": value})
        return value.strip()
    if key == "year_offset":
        try:
            return int(value.strip())
        except ValueError:
            raise RuleError(_("«năm» là số năm so với năm đánh giá, ví dụ -1 (đang ghi “%(value)s”).")
                            % {"value": value}) from None  # fmt: skip
    if is_percent:
        number = decimal(value.replace("%", ""), WRITTEN[key])
        # "95%" and "95" are both 95 %; "0,95" is the ratio itself.
        return _plain(number / HUNDRED if "%" in value or number > 1 else number)
    number = decimal(value, WRITTEN[key])
    if key == "min":
        return int(number)
    return _plain(number)
