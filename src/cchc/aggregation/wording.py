"""The sentences of the roll-up block: who reported (and who late), and the members' totals in words."""

from __future__ import annotations

from django.utils import timezone

from cchc.reports.rendering import short_date
from cchc.reports.wording import count, dates_note, figure_text, percent, period_phrase, ratio


def _names(agencies) -> str:
    return ", ".join(agency.name for agency in agencies)


def rollup_submissions_sentence(table) -> str:
    """ "Có 05/07 cơ quan đã gửi báo cáo quý I năm 2023; chưa gửi: ...; gửi muộn: ..."."""
    members = len(table.rows)
    sent = members - len(table.missing)
    text = f"Có {ratio(sent, members)} cơ quan đã gửi báo cáo {period_phrase(table.period)}"
    if table.missing:
        text += f"; chưa gửi: {_names(table.missing)}"
    if table.late:
        late = ", ".join(
            f"{agency.name} (gửi ngày {short_date(timezone.localtime(s.submitted_at).date())}"
            + (f", hạn {short_date(s.deadline)})" if s.deadline else ")")
            for agency, s in table.late
        )
        text += f"; gửi muộn: {late}"
    return text + "."


def _rate_text(table, name: str) -> str:
    """ "98,5%", or "98,5%, tính trên 2/3 cơ quan có đủ số liệu" when some members lack one of its parts."""
    rate = table.rates[name]
    return ", ".join(filter(None, (percent(rate.value), rate.note)))


def rollup_totals_sentences(table) -> list[str]:
    """The totals of the table in words; rates from the totals (rollup.RollupTable), never averaged."""
    totals = table.totals
    out: list[str] = []
    computed = sum(1 for row in table.rows if row.source == "computed")
    reported = sum(1 for row in table.rows if row.source in ("reported", "mixed"))
    without = sum(1 for row in table.rows if row.source is None)
    out.append(
        f"Số liệu của {count(computed) if computed else 'không có'} cơ quan do hệ thống cchc tính từ hồ sơ và danh "
        f"mục TTHC; {count(reported) if reported else 'không có'} cơ quan theo báo cáo đã nhập; "
        f"{count(without) if without else 'không có'} cơ quan chưa có số liệu "
        f"({dates_note(table.period, table.as_of)})."
    )
    if totals.get("procedures_total") is not None:
        text = f"Tổng số TTHC thuộc thẩm quyền: {figure_text(totals['procedures_total'])} TTHC"
        if totals.get("procedures_online") is not None:
            text += f", trong đó cung cấp dịch vụ công trực tuyến {figure_text(totals['procedures_online'])} TTHC"
            if table.procedures_online_rate is not None:
                text += f" ({_rate_text(table, 'procedures_online')})"
        out.append(text + ".")
    if totals.get("dossiers_received") is None:
        out.append("Chưa có số liệu hồ sơ TTHC của các cơ quan trong kỳ.")
        return out
    text = f"Tổng số hồ sơ tiếp nhận: {figure_text(totals['dossiers_received'])}"
    if totals.get("dossiers_online") is not None:
        text += f", trong đó trực tuyến {figure_text(totals['dossiers_online'])}"
        if table.online_rate is not None:
            text += f" ({_rate_text(table, 'online')})"
    if totals.get("dossiers_resolved") is not None:
        text += f"; đã giải quyết {figure_text(totals['dossiers_resolved'])}"
        if totals.get("dossiers_early_or_on_time") is not None:
            on_time = totals["dossiers_early_or_on_time"]
            shown = _rate_text(table, "on_time") if table.on_time_rate is not None else figure_text(on_time)
            text += f", đúng hạn {shown}"
            text += f" ({figure_text(totals['dossiers_early_or_on_time'])} hồ sơ trước và đúng hạn"
            if totals.get("dossiers_late") is not None:
                text += f", {figure_text(totals['dossiers_late'])} hồ sơ quá hạn"
            text += ")"
    if totals.get("dossiers_in_progress") is not None:
        text += f"; đang giải quyết {figure_text(totals['dossiers_in_progress'])}"
    out.append(text + ".")
    return out
