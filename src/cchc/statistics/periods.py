"""Reporting periods: which days a period report counts.

Default: the data cut-off days of Nghị định 09/2019/NĐ-CP Điều 12 — a month runs from the 15th of the previous month
to the 14th; a quarter from the 15th of the month before it to the 14th of its last month (Q1 2023 = 15/12/2022 –
14/03/2023); six months 15/12 of the previous year – 14/06; a year 15/12 – 14/12. Nine months (15/12 – 14/09) is not in
NĐ 09 but is what provinces use (Khánh Hòa QĐ 01/2023/QĐ-UBND Điều 4); see tthc-details.md §6.2.
"calendar" mode gives calendar periods (01/01 – 31/03 ...), used by many CCHC reports and by QĐ 766 on the national
portal. Any explicit range is accepted too (the Cao Bằng sample counts 05/12/2022 – 04/03/2023).
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

MODES = ("nd09", "calendar")
RANGE_MODE = "range"  # the mode of an explicit range of days (date_range)
# NĐ 09/2019 Điều 12: a period starts on the 15th and ends on the 14th.
ND09_CUTOFF_DAY = 15

QUARTER_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}

_KINDS_WITH_NUMBER = {"quarter", "half", "month"}


@dataclass(frozen=True)
class Period:
    """A reporting period [start, end], both days included."""

    start: dt.date
    end: dt.date
    kind: str  # "month", "quarter", "half", "nine_months", "year" or "range"
    label: str
    mode: str = "nd09"
    year: int | None = None
    number: int | None = None  # the month, quarter or half; None for year, nine months and ranges

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(_("Ngày bắt đầu kỳ báo cáo phải trước hoặc bằng ngày kết thúc."))

    @property
    def key(self) -> str:
        """The text parse_period() reads back into this period (for URLs and forms)."""
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.kind == "half":
            return f"{self.year}-H{self.number}"
        if self.kind == "nine_months":
            return f"{self.year}-9M"
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def dates_text(self) -> str:
        """The sentence reports print under the title (tthc-details.md §6.2: always show the exact dates)."""
        return _("Số liệu tính từ ngày %(start)s đến ngày %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}",
            "end": f"{self.end:%d/%m/%Y}",
        }

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def cutoff(self, today: dt.date) -> dt.date:
        """The last day the figures of this period count on `today`: its end, or today while it has not ended.

        A period that has not ended is classified as of now (its dossiers still open are overdue only if their
        due day is before today), so that every figure of it is what is known today."""
        return min(self.end, today)

    def has_ended(self, today: dt.date) -> bool:
        return self.end <= today

    def as_of_text(self, today: dt.date) -> str:
        """ "Số liệu tính đến ngày 02/12/2026" while the period runs past `today`; "" once it has ended."""
        if self.has_ended(today):
            return ""
        return _("Số liệu tính đến ngày %(day)s") % {"day": f"{today:%d/%m/%Y}"}

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def today() -> dt.date:
    """The current day in the agencies' time zone (Asia/Ho_Chi_Minh): what "now" means for period figures."""
    return timezone.localdate()


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(_("Cách tính kỳ không hợp lệ: «%(mode)s» (chọn nd09 hoặc calendar).") % {"mode": mode})


def _check_year(year: int) -> None:
    if not 1990 <= year <= 2100:
        raise ValueError(_("Năm báo cáo không hợp lệ: %(year)s.") % {"year": year})


def _month_window(year: int, first_month: int, last_month: int, mode: str) -> tuple[dt.date, dt.date]:
    """Days of months first_month..last_month of `year` (first_month may be <= 0: months of the previous year)."""
    if mode == "calendar":
        start_year, start_month = (year, first_month) if first_month >= 1 else (year - 1, first_month + 12)
        start = dt.date(start_year, start_month, 1)
        end = dt.date(year, last_month, std_calendar.monthrange(year, last_month)[1])
        return start, end
    # NĐ 09/2019: from the 15th of the month before the first month to the 14th of the last month.
    before = first_month - 1
    start_year, start_month = (year, before) if before >= 1 else (year - 1, before + 12)
    return dt.date(start_year, start_month, ND09_CUTOFF_DAY), dt.date(year, last_month, ND09_CUTOFF_DAY - 1)


def month(year: int, number: int, mode: str = "nd09") -> Period:
    _check_mode(mode)
    _check_year(year)
    if not 1 <= number <= 12:
        raise ValueError(_("Tháng không hợp lệ: %(month)s.") % {"month": number})
    start, end = _month_window(year, number, number, mode)
    return Period(start, end, "month", _("Tháng %(m)s năm %(y)s") % {"m": number, "y": year}, mode, year, number)


def quarter(year: int, number: int, mode: str = "nd09") -> Period:
    _check_mode(mode)
    _check_year(year)
    if not 1 <= number <= 4:
        raise ValueError(_("Quý không hợp lệ: %(q)s (chỉ có quý 1 đến 4).") % {"q": number})
    start, end = _month_window(year, 3 * number - 2, 3 * number, mode)
    label = _("Quý %(q)s năm %(y)s") % {"q": QUARTER_NUMERALS[number], "y": year}
    return Period(start, end, "quarter", label, mode, year, number)


def half(year: int, number: int = 1, mode: str = "nd09") -> Period:
    _check_mode(mode)
    _check_year(year)
    if number not in (1, 2):
        raise ValueError(_("Nửa năm không hợp lệ: %(h)s (chỉ có H1 hoặc H2).") % {"h": number})
    start, end = _month_window(year, 1, 6, mode) if number == 1 else _month_window(year, 7, 12, mode)
    label = (_("6 tháng đầu năm %(y)s") if number == 1 else _("6 tháng cuối năm %(y)s")) % {"y": year}
    return Period(start, end, "half", label, mode, year, number)


def nine_months(year: int, mode: str = "nd09") -> Period:
    _check_mode(mode)
    _check_year(year)
    start, end = _month_window(year, 1, 9, mode)
    return Period(start, end, "nine_months", _("9 tháng năm %(y)s") % {"y": year}, mode, year)


def year(number: int, mode: str = "nd09") -> Period:
    _check_mode(mode)
    _check_year(number)
    start, end = _month_window(number, 1, 12, mode)
    return Period(start, end, "year", _("Năm %(y)s") % {"y": number}, mode, number)


def date_range(start: dt.date, end: dt.date) -> Period:
    if start > end:
        raise ValueError(
            _("Ngày bắt đầu (%(start)s) phải trước hoặc bằng ngày kết thúc (%(end)s).")
            % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
        )
    label = _("Từ %(start)s đến %(end)s") % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    return Period(start, end, "range", label, RANGE_MODE)


_ISO_DAY = r"\d{4}-\d{1,2}-\d{1,2}"
_VN_DAY = r"\d{1,2}/\d{1,2}/\d{4}"
_RANGE = re.compile(rf"^\s*({_ISO_DAY}|{_VN_DAY})\s*(?:\.\.|–|—|-|đến)\s*({_ISO_DAY}|{_VN_DAY})\s*$", re.IGNORECASE)


def _parse_day(text: str) -> dt.date:
    try:
        if "/" in text:
            day, month_, year_ = (int(part) for part in text.split("/"))
        else:
            year_, month_, day = (int(part) for part in text.split("-"))
        return dt.date(year_, month_, day)
    except ValueError as exc:
        raise ValueError(_("Ngày không hợp lệ: «%(day)s».") % {"day": text}) from exc


def parse_period(text: str, mode: str = "nd09") -> Period:
    """Read a period: "2023-Q1", "2023-H1", "2023-H2", "2023-9M", "2023", "2023-03", or an explicit range
    "2022-12-05..2023-03-04" / "05/12/2022-04/03/2023" (an explicit range ignores `mode`).

    parse_period(p.key, p.mode) == p for every period, a range's own mode "range" included (links carry both)."""
    if mode != RANGE_MODE:
        _check_mode(mode)
    raw = (text or "").strip()
    if not raw:
        raise ValueError(_("Chưa nhập kỳ báo cáo."))
    ranged = _RANGE.match(raw)
    if ranged:
        return date_range(_parse_day(ranged.group(1)), _parse_day(ranged.group(2)))
    if mode == RANGE_MODE:
        raise ValueError(
            _("Kỳ báo cáo «%(text)s» không phải khoảng ngày (ví dụ: 2022-12-05..2023-03-04).") % {"text": raw}
        )
    compact = raw.upper().replace(" ", "")
    if match := re.fullmatch(r"(\d{4})-?Q([0-9]+)", compact):
        return quarter(int(match.group(1)), int(match.group(2)), mode)
    if match := re.fullmatch(r"(\d{4})-?H([0-9]+)", compact):
        return half(int(match.group(1)), int(match.group(2)), mode)
    if match := re.fullmatch(r"(\d{4})-?9M", compact):
        return nine_months(int(match.group(1)), mode)
    if match := re.fullmatch(r"(\d{4})", compact):
        return year(int(match.group(1)), mode)
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", compact):
        return month(int(match.group(1)), int(match.group(2)), mode)
    raise ValueError(
        _(
            "Không hiểu kỳ báo cáo «%(text)s». Ví dụ hợp lệ: 2023-Q1 (quý), 2023-H1 (6 tháng), 2023-9M (9 tháng), "
            "2023 (năm), 2023-03 (tháng), 2022-12-05..2023-03-04 hoặc 05/12/2022-04/03/2023 (khoảng ngày)."
        )
        % {"text": raw}
    )


def previous(period: Period) -> Period:
    """The period before: the previous month, quarter or half; the previous year for a year or nine months (there
    is no contiguous nine months before); for a range, a range of the same length ending the day before."""
    if period.kind == "month":
        number, year_ = (period.number - 1, period.year) if period.number > 1 else (12, period.year - 1)
        return month(year_, number, period.mode)
    if period.kind == "quarter":
        number, year_ = (period.number - 1, period.year) if period.number > 1 else (4, period.year - 1)
        return quarter(year_, number, period.mode)
    if period.kind == "half":
        number, year_ = (1, period.year) if period.number == 2 else (2, period.year - 1)
        return half(year_, number, period.mode)
    if period.kind == "nine_months":
        return nine_months(period.year - 1, period.mode)
    if period.kind == "year":
        return year(period.year - 1, period.mode)
    end = period.start - dt.timedelta(days=1)
    return date_range(end - dt.timedelta(days=period.days - 1), end)


def same_period_last_year(period: Period) -> Period:
    """ "Cùng kỳ năm trước", the comparison reports make."""
    if period.kind == "range":
        return date_range(_minus_year(period.start), _minus_year(period.end))
    if period.kind in _KINDS_WITH_NUMBER:
        return {"month": month, "quarter": quarter, "half": half}[period.kind](
            period.year - 1, period.number, period.mode
        )
    return {"nine_months": nine_months, "year": year}[period.kind](period.year - 1, period.mode)


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year - 1, day=28)


def current_quarter(today: dt.date, mode: str = "nd09") -> Period:
    """The quarter whose data window contains `today` (under NĐ 09, 20/12/2022 is already in Q1 2023)."""
    _check_mode(mode)
    if mode == "nd09" and today.day >= ND09_CUTOFF_DAY:
        # From the 15th the day belongs to the window that closes next month.
        shifted = today.replace(day=1) + dt.timedelta(days=32)
        year_, month_ = shifted.year, shifted.month
    else:
        year_, month_ = today.year, today.month
    return quarter(year_, (month_ - 1) // 3 + 1, mode)


def current_month(today: dt.date, mode: str = "nd09") -> Period:
    _check_mode(mode)
    if mode == "nd09" and today.day >= ND09_CUTOFF_DAY:
        shifted = today.replace(day=1) + dt.timedelta(days=32)
        return month(shifted.year, shifted.month, mode)
    return month(today.year, today.month, mode)
