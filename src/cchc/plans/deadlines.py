"""Task deadlines as real plans write them ("30/6/2023", "Tháng 6/2023", "Quý II/2023", "Cả năm", "Thường xuyên").

A plan item's deadline (Thời gian hoàn thành) is a date, a month, a quarter, a half-year or a year (reports.md §3).
`parse_deadline` reads the text with the plan's year as context for texts that omit it ("Tháng 6", "Cả năm") and
returns kind NONE for anything it does not recognise: it never guesses. A period deadline is due on the period's
last day ("Tháng 6/2023" -> 30/6/2023).

Recurring work ("Thường xuyên", "Hàng quý", "Định kỳ") is kind CONTINUOUS: it is due at the end of the plan's
year, when the annual report rates it, but has no ISO form of its own.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.text import fold, nfc


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày")
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    YEAR = "year", _("Năm")
    CONTINUOUS = "continuous", _("Thường xuyên")
    NONE = "none", _("Không xác định")


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAN_LABEL = {1: "I", 2: "II", 3: "III", 4: "IV"}
MIN_YEAR, MAX_YEAR = 1990, 2100


def _pad_day(day: int) -> str:
    return f"{day:02d}"


def _pad_month(month: int) -> str:
    # Nghị định 30/2020 Phụ lục I: months 1 and 2 take a leading zero, the others do not.
    return f"{month:02d}" if month < 3 else str(month)


def format_date(value: dt.date) -> str:
    """ "05/01/2023", "30/6/2023": the numeric style of administrative documents."""
    return f"{_pad_day(value.day)}/{_pad_month(value.month)}/{value.year}"


@dataclass(frozen=True)
class Deadline:
    kind: str = DeadlineKind.NONE
    year: int | None = None
    part: int | None = None  # the month (1-12), quarter (1-4) or half (1-2)
    date: dt.date | None = None
    text: str = ""  # as written

    def due_date(self) -> dt.date | None:
        """The last day the task may be done on time."""
        kind = self.kind
        if kind == DeadlineKind.DATE:
            return self.date
        if self.year is None:
            return None
        if kind == DeadlineKind.MONTH:
            return dt.date(self.year, self.part, std_calendar.monthrange(self.year, self.part)[1])
        if kind == DeadlineKind.QUARTER:
            month = self.part * 3
            return dt.date(self.year, month, std_calendar.monthrange(self.year, month)[1])
        if kind == DeadlineKind.HALF:
            return dt.date(self.year, 6, 30) if self.part == 1 else dt.date(self.year, 12, 31)
        if kind in (DeadlineKind.YEAR, DeadlineKind.CONTINUOUS):
            return dt.date(self.year, 12, 31)
        return None

    def iso(self) -> str | None:
        """ "2023-06-30", "2023-06", "2023"; quarters and halves as the report periods write them ("2023-Q2",
        "2023-H1"); None for recurring or unknown deadlines."""
        kind = self.kind
        if kind == DeadlineKind.DATE and self.date:
            return self.date.isoformat()
        if self.year is None:
            return None
        if kind == DeadlineKind.MONTH:
            return f"{self.year:04d}-{self.part:02d}"
        if kind == DeadlineKind.QUARTER:
            return f"{self.year:04d}-Q{self.part}"
        if kind == DeadlineKind.HALF:
            return f"{self.year:04d}-H{self.part}"
        if kind == DeadlineKind.YEAR:
            return f"{self.year:04d}"
        return None

    def label(self) -> str:
        """The deadline in Vietnamese: "30/6/2023", "Tháng 6/2023", "Quý II/2023", "6 tháng đầu năm 2023",
        "Năm 2023", "Thường xuyên"; the text as written when unknown."""
        kind = self.kind
        if kind == DeadlineKind.DATE and self.date:
            return format_date(self.date)
        if kind == DeadlineKind.CONTINUOUS:
            return str(_("Thường xuyên"))
        if self.year is None:
            return self.text
        if kind == DeadlineKind.MONTH:
            return str(_("Tháng {month}/{year}")).format(month=_pad_month(self.part), year=self.year)
        if kind == DeadlineKind.QUARTER:
            return str(_("Quý {quarter}/{year}")).format(quarter=ROMAN_LABEL[self.part], year=self.year)
        if kind == DeadlineKind.HALF:
            template = _("6 tháng đầu năm {year}") if self.part == 1 else _("6 tháng cuối năm {year}")
            return str(template).format(year=self.year)
        if kind == DeadlineKind.YEAR:
            return str(_("Năm {year}")).format(year=self.year)
        return self.text

    @property
    def is_known(self) -> bool:
        return self.due_date() is not None


# Patterns run on fold(text): lower case, no diacritics, single spaces ("Quý II/2023" -> "quy ii/2023").
_YEAR = r"(?P<year>\d{4})"
_YEAR_TAIL = rf"(?:\s*(?:/|-|nam)\s*{_YEAR})?"
_RANGE_JOIN = r"\s*(?:-|,|den|va|toi)\s*"
_LONG_DATE = re.compile(rf"(?:ngay\s*)?(?P<day>\d{{1,2}})\s*thang\s*(?P<month>\d{{1,2}})(?:\s*,?\s*nam\s*{_YEAR})?")
_NUM_DATE = re.compile(
    r"(?<![\d/.-])(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})(?:\s*[/.-]\s*(?P<year>\d{4}))?(?![\d/])"
)
# "hàng" and "hằng" fold alike.
_CONTINUOUS = re.compile(r"\b(?:thuong xuyen|lien tuc|hang (?:ngay|tuan|thang|quy)|dinh ky)\b")
_HALF = re.compile(rf"\b6 thang (?P<which>dau|cuoi) nam(?:\s*{_YEAR})?")
_QUARTER_ID = r"(?:iv|iii|ii|i|[1-4])"
_QUARTER = re.compile(
    rf"\bquy\s*(?P<first>{_QUARTER_ID})\b(?:{_RANGE_JOIN}(?:quy\s*)?(?P<last>{_QUARTER_ID})\b)?{_YEAR_TAIL}"
)
_MONTH = re.compile(
    rf"\b(?:thang|t)\s*(?P<first>\d{{1,2}})(?!\d)(?:{_RANGE_JOIN}(?:thang\s*)?(?P<last>\d{{1,2}})(?!\d))?{_YEAR_TAIL}"
)
_MONTH_NUMERIC = re.compile(rf"(?<![\d/.-])(?P<first>\d{{1,2}})\s*/\s*{_YEAR}(?!\d)")
_YEAR_WORDS = re.compile(rf"\b(?:ca|trong|cuoi) nam(?:\s*{_YEAR}\b)?")
_YEAR_NAMED = re.compile(rf"\bnam\s*{_YEAR}\b")  # "năm" alone is also the end of "Việt Nam"
_BARE_YEAR = re.compile(rf"^{_YEAR}$")


def _year(value: str | None, context: int | None) -> int | None:
    year = int(value) if value else context
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return year


def _date(day: str, month: str, year: str | None, context: int | None, text: str) -> Deadline | None:
    y = _year(year, context)
    if y is None:
        return Deadline(text=text)
    try:
        return Deadline(DeadlineKind.DATE, year=y, date=dt.date(y, int(month), int(day)), text=text)
    except ValueError:
        return Deadline(text=text)


def _quarter_number(value: str) -> int:
    return ROMAN[value] if value in ROMAN else int(value)


def parse_deadline(text: str | None, year: int | None = None) -> Deadline:
    """Read a deadline as written in a plan; `year` (the plan's year) completes texts that omit it.

    >>> parse_deadline("Quý II/2023").due_date()
    datetime.date(2023, 6, 30)
    >>> parse_deadline("Tháng 6", year=2023).iso()
    '2023-06'
    >>> parse_deadline("Theo chỉ đạo của UBND tỉnh").kind
    'none'
    """
    original = " ".join(nfc(text or "").split())
    folded = fold(original).replace("–", "-").replace("—", "-")
    if not folded:
        return Deadline(text=original)

    # A whole date wins over everything else ("Hàng tháng, trước ngày 20/12/2023" is due on that day).
    match = _LONG_DATE.search(folded)
    if match and (match.group(0).startswith("ngay") or match.group("year")):
        return _date(match["day"], match["month"], match["year"], year, original)
    for match in _NUM_DATE.finditer(folded):
        before = folded[: match.start()].rstrip()
        if before.endswith(("thang", "quy")) or re.search(r"\bt$", before):
            continue  # "tháng 3-6/2023" is a range of months, not 3 June
        return _date(match["day"], match["month"], match["year"], year, original)

    if _CONTINUOUS.search(folded):
        return Deadline(DeadlineKind.CONTINUOUS, year=_year(None, year), text=original)

    match = _HALF.search(folded)
    if match:
        y = _year(match["year"], year)
        if y is None:
            return Deadline(text=original)
        return Deadline(DeadlineKind.HALF, year=y, part=1 if match["which"] == "dau" else 2, text=original)

    match = _QUARTER.search(folded)
    if match:
        y = _year(match["year"], year)
        if y is None:
            return Deadline(text=original)
        return Deadline(
            DeadlineKind.QUARTER, year=y, part=_quarter_number(match["last"] or match["first"]), text=original
        )

    match = _MONTH.search(folded) or _MONTH_NUMERIC.search(folded)
    if match:
        y = _year(match["year"], year)
        month = int(match.groupdict().get("last") or match["first"])
        if y is None or not 1 <= month <= 12:
            return Deadline(text=original)
        return Deadline(DeadlineKind.MONTH, year=y, part=month, text=original)

    match = _YEAR_NAMED.search(folded) or _YEAR_WORDS.search(folded) or _BARE_YEAR.match(folded)
    if match:
        y = _year(match["year"], year)
        if y is None:
            return Deadline(text=original)
        return Deadline(DeadlineKind.YEAR, year=y, text=original)

    return Deadline(text=original)
