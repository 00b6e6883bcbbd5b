"""How reports phrase what cchc computes: periods and their cut-off days, counts with the administrative zero
padding ("01", "08/43") and "không có" for zero, percentages with a decimal comma, document references, and the
sentences of the dossier, feedback, indicator and roll-up blocks (reports/blocks.py turns data into these)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cchc.reports.rendering import pad2, short_date
from cchc.statistics.periods import Period
from cchc.statistics.service import DossierFigures

_AGENCY_WORD = {"so": "Sở", "ubnd_tinh": "UBND tỉnh", "ubnd_huyen": "UBND huyện", "ubnd_xa": "UBND xã", "bo": "Bộ"}




def agency_word(agency) -> str:
    """How a report names its own agency inside a sentence: "Sở", "UBND huyện"."""
    return _AGENCY_WORD.get(agency.kind, "cơ quan")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def period_phrase(period: Period) -> str:
    """ "quý I năm 2023", "năm 2023", "từ ngày 05/12/2022 đến ngày 04/03/2023"."""
    if period.kind == "range":
        return f"từ ngày {short_date(period.start)} đến ngày {short_date(period.end)}"
    return lower_first(period.label)


def in_period(period: Period) -> str:
    """The sentence opening: "Trong quý I năm 2023" / "Từ ngày 05/12/2022 đến ngày 04/03/2023"."""
    if period.kind == "range":
        return period_phrase(period)[:1].upper() + period_phrase(period)[1:]
    return f"Trong {period_phrase(period)}"


def dates_note(period: Period, as_of: dt.date | None = None) -> str:
    """tthc-details.md §6.2: the exact cut-off days are always shown next to period figures; while the period runs,
    the figures go to `as_of` (the day they were computed), and the note says so."""
    if as_of is not None and as_of < period.end:
        return (
            f"số liệu tính từ ngày {short_date(period.start)} đến ngày {short_date(as_of)}; "
            f"kỳ báo cáo đến ngày {short_date(period.end)}"
        )
    return f"số liệu tính từ ngày {short_date(period.start)} đến ngày {short_date(period.end)}"


def count(n: int) -> str:
    """ "08", "43", "1.176.355": a leading zero below 10, a dot between thousands (as the samples print them)."""
    return pad2(n) if n < 1000 else f"{n:,}".replace(",", ".")


def ratio(part: int, whole: int) -> str:
    """ "07/08", "173.623/192.087"."""
    return f"{count(part) if part else '0'}/{count(whole) if whole else '0'}"


def n_items(n: int, noun: str = "hồ sơ", rest: str = "") -> str:
    """ "01 hồ sơ trực tuyến", or "không có hồ sơ trực tuyến" for zero (the samples' wording)."""
    words = f"{noun} {rest}".strip()
    return f"{count(n)} {words}" if n else f"không có {words}"


def percent(value: float | None) -> str:
    """ "98,86%", "100%" (Vietnamese decimal comma)."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def document_reference(document) -> str:
    """ "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022" as reports cite a document of the registry."""
    text = str(document.get_kind_display())
    if document.number_symbol:
        text += f" số {document.number_symbol}"
    if document.issue_date:
        text += f" ngày {short_date(document.issue_date)}"
    return text


def excerpt_clause(excerpt: str) -> str:
    """ "về công tác cải cách hành chính nhà nước năm 2023" from a trích yếu (kept as is when it says "v/v")."""
    excerpt = " ".join((excerpt or "").split()).rstrip(".;")
    if not excerpt:
        return ""
    if excerpt.casefold().startswith(("về ", "v/v", "về việc")):
        return excerpt
    return f"về {lower_first(excerpt)}"



def dossier_sentence(figures: DossierFigures, period: Period, who: str, as_of: dt.date | None = None) -> str:
    """The one-stop-shop sentence of the samples, every count from `figures` (counted to `as_of`)."""
    f = figures
    note = dates_note(period, as_of)
    if not f.received_total:
        return f"{in_period(period)} ({note}), {who} không tiếp nhận hồ sơ TTHC nào."
    late = n_items(f.resolved_late, rest="trễ hạn")
    text = (
        f"{in_period(period)} ({note}), {who} đã tiếp nhận {count(f.received_total)} hồ sơ, trong đó "
        f"{n_items(f.carried_over, rest='từ kỳ trước chuyển sang')}, "
        f"{n_items(f.received_new, rest='tiếp nhận mới')} "
        f"({n_items(f.received_online, rest='trực tuyến')}, {n_items(f.received_direct, rest='trực tiếp')}, "
        f"{n_items(f.received_postal, rest='qua dịch vụ bưu chính công ích')}); "
    )
    if f.resolved:
        text += (
            f"đã giải quyết {count(f.resolved)} hồ sơ "
            f"({n_items(f.resolved_on_time_or_early, rest='trước và đúng hạn')}, {late})"
        )
    else:
        text += "chưa giải quyết xong hồ sơ nào"
    if f.in_progress:
        text += f"; {count(f.in_progress)} hồ sơ đang giải quyết ("
        text += f"{n_items(f.in_progress_within, rest='trong hạn')}, {n_items(f.in_progress_overdue, rest='quá hạn')})"
    else:
        text += "; không có hồ sơ đang giải quyết"
    text += "."
    ended_otherwise = [
        f"{count(n)} hồ sơ {what}"
        for n, what in ((f.refused, "từ chối giải quyết"), (f.withdrawn, "do tổ chức, cá nhân rút"))
        if n
    ]
    if ended_otherwise:
        text += f" Trong số hồ sơ đã giải quyết có {' và '.join(ended_otherwise)}."
    return text



def figure_text(value: Any) -> str:
    """A roll-up total as the samples print counts ("08", "1.234"); a non-integral reported value as "12,5"."""
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value.normalize():f}".replace(".", ",")
    return count(int(value))


def decimal_comma(value: Any) -> Any:
    """A rate in a document table as Vietnamese writes it ("66,67"); the .xlsx export keeps numbers as numbers."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return value


def feedback_sentence(figures, period: Period, who: str) -> str:
    """The feedback sentence (counts as Nghị định 20/2008/NĐ-CP asks for them), every count from feedback.services."""
    f = figures
    if f.empty:
        return (
            f"{in_period(period)}, {who} không nhận được phản ánh, kiến nghị nào về quy định TTHC."
        )
    if f.received:
        text = f"{in_period(period)}, {who} tiếp nhận {count(f.received)} phản ánh, kiến nghị"
    else:
        text = f"{in_period(period)}, {who} không tiếp nhận phản ánh, kiến nghị mới"
    if f.handled:
        timing = [f"đúng hạn {count(f.handled_on_time)}"] if f.handled_on_time else []
        if f.handled_late:
            timing.append(f"quá hạn {count(f.handled_late)}")
        text += f", đã xử lý {count(f.handled)} ({', '.join(timing)})"
        if f.not_in_scope:
            text += f", trong đó {count(f.not_in_scope)} phản ánh, kiến nghị không thuộc phạm vi xử lý"
    else:
        text += ", chưa xử lý xong phản ánh, kiến nghị nào"
    if f.pending:
        text += f"; đang xử lý {count(f.pending)} phản ánh, kiến nghị"
        if f.pending_overdue:
            text += f" ({count(f.pending_overdue)} quá hạn)"
    if not f.pending_overdue and not f.handled_late:
        text += "; không có phản ánh, kiến nghị quá hạn"
    return text + "."



def indicator_sentence(value, who: str = "của tỉnh") -> str:
    """ "Chỉ số PII năm 2023 của tỉnh đạt 38,5 điểm, xếp hạng 35/63." """
    from cchc.indicators.services import decimal_text

    text = f"{value.indicator.short_name} năm {value.year} {who} đạt {decimal_text(value.score)}"
    if value.max_score:
        text += f"/{decimal_text(value.max_score)}"
    text += " điểm"
    if value.rank:
        text += f", xếp hạng {value.rank}/{value.rank_of}" if value.rank_of else f", xếp thứ {value.rank}"
    return text + "."

