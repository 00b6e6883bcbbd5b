"""The Sổ theo dõi hồ sơ of a period: every dossier the agency received in a date range, one table per month.

Rows are read as plain tuples in batches (`.values_list(...).iterator()`), never as model objects all at once, and
a period is limited to MAX_ROWS dossiers: a longer register is refused with a message asking for a shorter range
(one book per quarter or per month is how desks keep it). The table's header repeats on every printed page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.models import Dossier, DossierEvent, EventKind, Handover, Status
from cchc.reports.rendering import Cell, Heading, Table

from .filling import agency_values, day, parent_of, place_of
from .markup import Filling

MAX_ROWS = 5000
MAX_DAYS = 366
BATCH = 1000
NOTES = {
    Status.REFUSED: "Từ chối giải quyết",
    Status.WITHDRAWN: "Rút hồ sơ",
    Status.WAITING_SUPPLEMENT: "Chờ bổ sung",
}


def check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError(_("Ngày cuối kỳ phải từ ngày đầu kỳ trở đi."))
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(_("Sổ theo dõi in nhiều nhất %(days)d ngày một lần.") % {"days": MAX_DAYS})


def period_dossiers(agency, start: dt.date, end: dt.date):
    return Dossier.objects.filter(agency=agency, received_on__gte=start, received_on__lte=end)


def _first_transfer():
    event = DossierEvent.objects.filter(dossier=OuterRef("pk"), kind=EventKind.ASSIGNED).order_by("at").values("at")
    handover = Handover.objects.filter(dossier=OuterRef("pk")).order_by("at").values("at")
    return Coalesce(Subquery(handover[:1]), Subquery(event[:1]))


def _rows(agency, start: dt.date, end: dt.date) -> Iterator[tuple]:
    queryset = (
        period_dossiers(agency, start, end)
        .annotate(transferred_at=_first_transfer())
        .order_by("received_at", "pk")
        .values_list(
            "received_on",
            "code",
            "procedure__name",
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "current_unit__name",
            "received_at",
            "due_at",
            "transferred_at",
            "ended_at",
            "outcome",
            "returned_at",
            "status",
            "promised_date",
        )
    )
    return queryset.iterator(chunk_size=BATCH)


def _short(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y}" if value else ""


HEADER = [
    [
        Cell("STT", rowspan=2),
        Cell("Mã hồ sơ", rowspan=2),
        Cell("Tên thủ tục hành chính", rowspan=2),
        Cell("Số lượng hồ sơ (bộ)", rowspan=2),
        Cell("Tên tổ chức, cá nhân", rowspan=2),
        Cell("Địa chỉ, số điện thoại", rowspan=2),
        Cell("Đơn vị chủ trì giải quyết", rowspan=2),
        Cell("Ngày, tháng, năm", colspan=5),
        Cell("Ghi chú", rowspan=2),
    ],
    [
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Chuyển hồ sơ đến đơn vị giải quyết",
        "Có kết quả giải quyết",
        "Trả kết quả (ký nhận)",
    ],
]
WIDTHS = [9, 30, 44, 12, 30, 30, 24, 17, 17, 18, 17, 19, 0]


def register_blocks(agency, start: dt.date, end: dt.date) -> list:
    """One table per month of the period, each under its month's heading."""
    blocks: list = []
    month: tuple[int, int] | None = None
    rows: list[list] = []
    index = 0

    def flush() -> None:
        if month is not None:
            blocks.append(Heading("", f"Tháng {month[1]} năm {month[0]}", level=2))
            blocks.append(
                Table(
                    header=HEADER,
                    rows=list(rows),
                    widths=[w or 22 for w in WIDTHS],
                    font_size=10,
                    aligns=[
                        "center",
                        "left",
                        "left",
                        "center",
                        "left",
                        "left",
                        "left",
                        "center",
                        "center",
                        "center",
                        "center",
                        "center",
                        "left",
                    ],
                )  # fmt: skip
            )

    for row in _rows(agency, start, end):
        (received_on, code, procedure, name, address, phone, unit, received_at, due_at, transferred_at, ended_at,
         outcome, returned_at, status, promised) = row  # fmt: skip
        key = (received_on.year, received_on.month)
        if key != month:
            flush()
            month, rows = key, []
        index += 1
        note = NOTES.get(status, "")
        if promised:
            note = "; ".join(n for n in (note, f"Hẹn lại {day(promised)}") if n)
        contact = "\n".join(part for part in (address, phone) if part)
        rows.append(
            [
                index,
                code,
                procedure,
                "01",
                name,
                contact,
                unit or "",
                _short(received_at),
                _short(due_at),
                _short(transferred_at),
                _short(ended_at) if outcome == "resolved" else "",
                _short(returned_at),
                note,
            ]
        )
    flush()
    if not blocks:
        blocks.append(Table(header=HEADER, rows=[[""] * 13 for _ in range(3)], widths=[w or 22 for w in WIDTHS],
                            font_size=10))  # fmt: skip
    return blocks


def register_filling(agency, start: dt.date, end: dt.date) -> Filling:
    check_range(start, end)
    count = period_dossiers(agency, start, end).count()
    if count > MAX_ROWS:
        raise ValidationError(
            _(
                "Kỳ từ %(start)s đến %(end)s có %(count)s hồ sơ, quá %(max)s hồ sơ của một lần in sổ: "
                "hãy chọn khoảng ngày ngắn hơn (ví dụ từng tháng)."
            )
            % {
                "start": day(start),
                "end": day(end),
                "count": f"{count:,}".replace(",", "."),
                "max": f"{MAX_ROWS:,}".replace(",", "."),
            }
        )
    values = {
        **agency_values(agency),
        "register.from": day(start),
        "register.to": day(end),
        "register.count": f"{count:02d}" if 0 < count < 10 else str(count),
    }
    return Filling(
        values=values,
        parent_authority=parent_of(agency),
        agency_name=agency.name,
        place=place_of(agency),
        year=end.year,
        blocks={"bang-so-theo-doi": lambda: register_blocks(agency, start, end)},
    )
