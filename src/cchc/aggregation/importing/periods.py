"""The period a report covers, proposed from what it says: its title first ("quý I năm 2023", "6 tháng đầu năm",
"9 tháng", "tháng 5/2024", "năm 2023"), then the opening of its text ("Trong quý III năm 2019, Sở ..."), and only
then its date (a report dated in the last month of a quarter, or in the first weeks after it, covers that quarter).

A period read from the title or the text is stated: the command line confirms it as read. A period guessed from
the date is only a proposal the review page preselects and says where it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cchc.statistics import periods as p
from cchc.statistics.periods import Period
from cchc.text import fold

TITLE, TEXT, DATE = "title", "text", "date"

_YEAR = r"((?:19|20)\d{2})"
# A year right after the period phrase: "quý I năm 2023", "quý I/2023", "quý I - 2023", "6 tháng đầu năm 2023".
_FOLLOWING_YEAR = re.compile(rf"^\s*(?:nam\s+|/\s*|-\s*|,\s*nam\s+)?{_YEAR}\b")
_PHRASES: list[tuple[str, re.Pattern]] = [
    ("quarter", re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\b")),
    ("h1", re.compile(r"\b(?:(?:6|06|sau)\s+thang\s+dau(?:\s+nam)?|nua\s+dau\s+nam|(?:6|06|sau)\s+thang(?=\s+nam\b))")),
    ("h2", re.compile(r"\b(?:(?:6|06|sau)\s+thang\s+cuoi(?:\s+nam)?|nua\s+cuoi\s+nam)")),
    ("9m", re.compile(r"\b(?:9|09|chin)\s+thang(?:\s+dau)?(?:\s+nam)?")),
    ("month", re.compile(r"\bthang\s+(\d{1,2})\b")),
]
_YEAR_PHRASE = re.compile(rf"\bnam\s+{_YEAR}\b")
_ANY_YEAR = re.compile(rf"\b{_YEAR}\b")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# "ngày 19 tháng 6 năm 2023" is a date, not a monthly period.
_DATE_BEFORE = re.compile(r"ngay\s+\d{1,2}\s*$")
# In the text, only a period the report says it covers: "trong quý I năm 2023", "báo cáo kết quả ... 6 tháng đầu
# năm 2023" (a plan cited "về CCHC năm 2023" says nothing of the report's own period).
_TEXT_LEAD = re.compile(r"\b(?:trong|tu\s+dau|bao\s+cao(?:\s+ket\s+qua)?[^.;:]{0,120}?)\s+(?:ky\s+)?$")
TEXT_WINDOW = 4000  # characters of the opening read for the period


@dataclass(frozen=True)
class PeriodGuess:
    period: Period
    source: str  # TITLE, TEXT or DATE

    @property
    def stated(self) -> bool:
        return self.source != DATE

    @property
    def note(self) -> str:
        if self.source == TITLE:
            return _("Kỳ đọc từ trích yếu của báo cáo.")
        if self.source == TEXT:
            return _("Kỳ đọc từ phần mở đầu của báo cáo (trích yếu không nêu kỳ).")
        return _("Trích yếu không nêu kỳ: kỳ này được đoán theo ngày của báo cáo, hãy kiểm tra lại.")


def report_date(metadata: dict) -> dt.date | None:
    """The report's own date when the day is known (a draft's blank day gives None)."""
    try:
        return dt.date.fromisoformat(metadata.get("date") or "")
    except ValueError:
        return None


def _year_after(text: str, end: int) -> int | None:
    match = _FOLLOWING_YEAR.match(text[end : end + 16])
    return int(match.group(1)) if match else None


def _period(kind: str, year: int, number: int | None) -> Period | None:
    try:
        if kind == "quarter":
            return p.quarter(year, number or 1)
        if kind == "h1":
            return p.half(year, 1)
        if kind == "h2":
            return p.half(year, 2)
        if kind == "9m":
            return p.nine_months(year)
        if kind == "month":
            return p.month(year, number or 1)
        return p.year(year)
    except ValueError:
        return None


def _phrase(text: str, default_year: int | None, *, lead: bool) -> Period | None:
    """The first period phrase of `text` (folded) with its year: the one right after it, else (a title) the first
    year the text names, else `default_year`. With `lead`, only a phrase the text introduces as its own."""
    found: list[tuple[int, str, re.Match]] = []
    for kind, pattern in _PHRASES:
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 140) : match.start()]
            if kind == "month" and (_DATE_BEFORE.search(before) or not 1 <= int(match.group(1)) <= 12):
                continue
            if lead and not _TEXT_LEAD.search(before):
                continue
            found.append((match.start(), kind, match))
            break
    for _start, kind, match in sorted(found, key=lambda item: item[0]):
        year = _year_after(text, match.end())
        if year is None and lead:
            continue  # the text must say which year
        if year is None:
            years = _ANY_YEAR.findall(text)
            year = int(years[0]) if years else default_year
        if year is None:
            continue
        number = None
        if kind == "quarter":
            number = _QUARTERS[match.group(1)]
        elif kind == "month":
            number = int(match.group(1))
        return _period(kind, year, number)
    for match in _YEAR_PHRASE.finditer(text):
        if lead and not _TEXT_LEAD.search(text[max(0, match.start() - 140) : match.start()]):
            continue
        return _period("year", int(match.group(1)), None)
    return None


def _from_date(day: dt.date) -> Period | None:
    """The period a report dated `day` most likely covers: one whose last month holds the day, or that ended less
    than 26 days before it. Quarters end in March (quý I), June (6 tháng đầu năm), September (quý III) and December
    (the year); any other day says nothing."""
    month, year = day.month, day.year
    if month % 3 != 0:
        if month % 3 == 1 and day.day <= 25:
            month, year = (12, year - 1) if month == 1 else (month - 1, year)
        else:
            return None
    if month == 3:
        return _period("quarter", year, 1)
    if month == 6:
        return _period("h1", year, None)
    if month == 9:
        return _period("quarter", year, 3)
    return _period("year", year, None)


def propose_period(metadata: dict, text: str = "") -> PeriodGuess | None:
    """The period to propose for a report: stated in its title or its opening text, else guessed from its date."""
    day = report_date(metadata)
    date_text = metadata.get("date") or ""
    default_year = int(date_text[:4]) if re.match(r"\d{4}", date_text) else None
    title = fold(metadata.get("title") or "")
    if title and (period := _phrase(title, default_year, lead=False)) is not None:
        return PeriodGuess(period, TITLE)
    if text:
        opening = fold(text[:TEXT_WINDOW])
        if title and (at := opening.find(title[:60])) >= 0:
            opening = opening[at + len(title[:60]) :]
        if (period := _phrase(opening, default_year, lead=True)) is not None:
            return PeriodGuess(period, TEXT)
    if day is not None and (period := _from_date(day)) is not None:
        return PeriodGuess(period, DATE)
    return None


def guess_period(metadata: dict, text: str = "") -> Period | None:
    """The period a report states it covers (its title, else its opening text); None when it states none: a
    guess from the date alone is left to the officer (propose_period)."""
    guess = propose_period(metadata, text)
    return guess.period if guess is not None and guess.stated else None


def period_choices(around: Period | None, today: dt.date) -> list[tuple[int, list[tuple[str, str]]]]:
    """The periods the review page offers, by year (the proposal's year and the years beside it): (year,
    [(key, label)]), the year first, then 9 months, the halves, the quarters and the months."""
    centre = around.year if around is not None and around.year else today.year
    choices = []
    for year in range(centre + 1, centre - 3, -1):
        if not 1990 <= year <= 2100:
            continue
        options = [p.year(year), p.nine_months(year), p.half(year, 1), p.half(year, 2)]
        options += [p.quarter(year, n) for n in range(1, 5)] + [p.month(year, n) for n in range(1, 13)]
        choices.append((year, [(period.key, period.label) for period in options]))
    return choices
