"""Export of a filtered dossier list to .xlsx in flat memory, whatever its length.

The rows come from the database through a server-side cursor (QuerySet.iterator on PostgreSQL; SQLite reads in
chunks), as plain tuples; openpyxl's write-only mode writes each row to its temporary sheet file at once (strings
inline, no shared-string table), and the finished workbook is a file that the view streams. Nothing holds more
than one chunk of rows.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import Channel, Status
from .worklists import Sort, soon_until, tone_key, tones

CHUNK = 2000
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
DAY_FORMAT = "dd/mm/yyyy"

_FIELDS = (
    "code",
    "agency__code",
    "applicant_name",
    "procedure__code",
    "procedure__name",
    "channel",
    "received_at",
    "due_date",
    "status",
    "current_unit__name",
    "ended_at",
    "paused_at",
)


def headers() -> list[tuple[str, int]]:
    """Column headers (Vietnamese) and widths."""
    return [
        (_("Mã hồ sơ"), 28),
        (_("Cơ quan"), 10),
        (_("Chủ hồ sơ"), 28),
        (_("Mã thủ tục"), 14),
        (_("Tên thủ tục"), 50),
        (_("Kênh tiếp nhận"), 16),
        (_("Thời điểm tiếp nhận"), 18),
        (_("Ngày hẹn trả"), 13),
        (_("Trạng thái"), 20),
        (_("Đơn vị đang xử lý"), 28),
        (_("Thời điểm kết thúc"), 18),
        (_("Tình trạng hạn"), 16),
    ]


def write_xlsx(
    queryset: QuerySet,
    target: Path,
    *,
    title: str,
    sort: Sort,
    agency=None,
    chunk_size: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the dossiers of `queryset` in `sort` order to `target`; returns the number of rows written."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    until = soon_until(agency, today)
    tone_labels = {key: f"{tone.sign} {tone.label}" for key, tone in tones().items()}
    statuses = {value: str(label) for value, label in Status.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    paused_label = _("Tạm dừng (chờ bổ sung)")

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Hồ sơ"))
    columns = headers()
    for index, (_header, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
    bold = Font(bold=True)
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=13)
    sheet.append([title_cell])
    header_cells = []
    for header, _width in columns:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    # One styled cell per date column, reused: append() writes the row before it returns.
    received = WriteOnlyCell(sheet)
    received.number_format = MOMENT_FORMAT
    due = WriteOnlyCell(sheet)
    due.number_format = DAY_FORMAT
    ended = WriteOnlyCell(sheet)
    ended.number_format = MOMENT_FORMAT

    order = (f"-{sort.field}", "-pk") if sort.descending else (sort.field, "pk")
    rows = queryset.order_by(*order).values_list(*_FIELDS).iterator(chunk_size=chunk_size)
    written = 0
    for (code, agency_code, applicant, proc_code, proc_name, channel, received_at, due_date, status, unit,
         ended_at, paused_at) in rows:  # fmt: skip
        received.value = received_at.astimezone(zone).replace(tzinfo=None)
        due.value = due_date
        if ended_at is None:
            ended_value = None
            state = paused_label if paused_at is not None else tone_labels[tone_key(due_date, today, until)]
        else:
            ended.value = ended_at.astimezone(zone).replace(tzinfo=None)
            ended_value, state = ended, ""
        sheet.append(
            [
                code,
                agency_code,
                applicant,
                proc_code,
                proc_name,
                channels.get(channel, ""),
                received,
                due,
                statuses.get(status, ""),
                unit or "",
                ended_value,
                state,
            ]  # fmt: skip
        )
        written += 1
        if progress is not None and written % 10_000 == 0:
            progress(written)
    workbook.save(str(target))
    return written


def temporary_xlsx() -> Path:
    """A temporary file for one export; the response deletes it once sent (see views_worklists.TempFileResponse)."""
    handle = tempfile.NamedTemporaryFile(prefix="cchc-xuat-", suffix=".xlsx", delete=False)
    handle.close()
    return Path(handle.name)


def filename(today: dt.date | None = None) -> str:
    return f"ho-so-{(today or timezone.localdate()):%Y%m%d}.xlsx"
