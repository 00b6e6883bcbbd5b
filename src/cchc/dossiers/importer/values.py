"""Reading one cell: moments, vocabulary values, DVCQG statuses; and the look-ups made once per import
(procedure versions, calendar, due dates) that every row uses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import calendar
from cchc.agencies.models import Membership
from cchc.procedures.models import DurationUnit, Procedure
from cchc.text import fold

from ..deadlines import due_for
from ..lifecycle import CLOCK_SKEW, nd118_effective
from .columns import _STATUS_WORDS
from .sources import _cell_text

_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(\d{1,2})[:hg](\d{1,2})(?:[:m](\d{1,2}))?[s]?)?$", re.IGNORECASE
)
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


class _RowProblem(Exception):
    pass


class _Context:
    """Everything looked up once per import."""

    def __init__(self, agency, actor) -> None:
        self.agency = agency
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.zone = timezone.get_current_timezone()
        self.province_id = agency.province_id
        self.calendar = calendar.calendar_for(self.province_id)
        self.opens, self.closes = calendar.office_hours()
        self.now = timezone.now()
        self.today = timezone.localtime(self.now).date()
        self.latest = self.now + CLOCK_SKEW
        # The regime in force on the receipt day, as lifecycle.regime_on decides it (read once, not per row).
        self.nd118_from = nd118_effective()
        versions: dict[str, list[Procedure]] = {}
        for procedure in Procedure.objects.filter(agency=agency).select_related("agency").order_by("effective_from"):
            versions.setdefault(procedure.code.strip(), []).append(procedure)
        self.versions = versions
        self._due_cache: dict[tuple, dt.datetime] = {}
        self.unit_id = None
        if self.actor is not None:
            self.unit_id = (
                Membership.objects.filter(user=self.actor, agency=agency, unit__isnull=False)
                .values_list("unit_id", flat=True)
                .first()
            )

    def procedure_on(self, code: str, day: dt.date) -> Procedure:
        versions = self.versions.get(code)
        if not versions:
            raise _RowProblem(
                _("Mã TTHC “%(code)s” không có trong danh mục thủ tục hành chính của %(agency)s.")
                % {"code": code, "agency": self.agency.name}
            )
        for procedure in versions:
            if procedure.is_in_force(day):
                return procedure
        if versions[0].effective_from > day:
            raise _RowProblem(
                _("Thủ tục %(code)s chưa có hiệu lực vào ngày tiếp nhận %(day)s (hiệu lực từ %(start)s).")
                % {"code": code, "day": _day(day), "start": _day(versions[0].effective_from)}
            )
        ended = max((p.abolished_on for p in versions if p.abolished_on and p.abolished_on <= day), default=None)
        raise _RowProblem(
            _("Thủ tục %(code)s đã bị bãi bỏ từ ngày %(end)s, không tiếp nhận hồ sơ ngày %(day)s.")
            % {"code": code, "end": _day(ended) if ended else "?", "day": _day(day)}
        )

    def due(self, procedure: Procedure, received_at: dt.datetime) -> dt.datetime:
        """due_for(procedure, received_at), cached. Except for times counted in hours, the due moment depends only
        on the processing time, its unit and cut-off, and on the receipt day and whether the receipt came after
        closing time (or after the cut-off): one call of due_for per such combination, the same answer for all."""
        if procedure.time_unit == DurationUnit.WORKING_HOURS:
            return due_for(procedure, received_at)
        local = received_at.astimezone(self.zone)
        at = local.time()
        cutoff = procedure.cutoff_time
        late = at >= self.closes or (cutoff is not None and at >= cutoff)
        key = (procedure.applied_processing_time, procedure.time_unit, cutoff, local.date(), late)
        found = self._due_cache.get(key)
        if found is None:
            found = self._due_cache[key] = due_for(procedure, received_at)
        return found


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _moment_text(moment: dt.datetime, zone) -> str:
    return f"{moment.astimezone(zone):%d/%m/%Y %H:%M}"


def _parse_moment(value: Any, ctx: _Context, label: str) -> tuple[dt.datetime, bool] | None:
    """(aware moment, whether the value carried a time) or None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        naive = value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(ctx.zone).replace(tzinfo=None)
        has_time = naive.time() != dt.time(0, 0)
        return naive.replace(tzinfo=ctx.zone), has_time
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=ctx.zone), False
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        from openpyxl.utils.datetime import from_excel

        return _parse_moment(from_excel(value), ctx, label)
    text = str(value).strip()
    if not text:
        return None
    try:
        match = _DMY.match(text)
        if match:
            day, month, year, hour, minute, second = match.groups()
            if hour is None:
                return dt.datetime(int(year), int(month), int(day), tzinfo=ctx.zone), False
            moment = dt.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=ctx.zone
            )
            return moment, True
        match = _ISO.match(text)
        if match:
            year, month, day, hour, minute, second, offset = match.groups()
            if hour is None:
                return dt.datetime(int(year), int(month), int(day), tzinfo=ctx.zone), False
            if offset is None:
                moment = dt.datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=ctx.zone
                )
            else:
                sign, digits = (
                    (1, "0000") if offset == "Z" else (1 if offset[0] == "+" else -1, offset[1:].replace(":", ""))
                )
                zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
                moment = dt.datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=zone
                ).astimezone(ctx.zone)
            return moment, True
    except ValueError:
        pass
    raise _RowProblem(
        _("%(column)s “%(value)s” không phải ngày giờ hợp lệ (dùng dd/mm/yyyy HH:MM hoặc yyyy-mm-dd HH:MM).")
        % {"column": label, "value": text}
    )


def _lookup(table: dict[str, Any], value: Any, message) -> Any:
    text = _cell_text(value)
    if not text:
        return None
    found = table.get(text)
    if found is None:
        found = table.get(fold(text))
    if found is None:
        raise _RowProblem(message % {"value": text})
    return found


def _national_status(value: Any) -> int | None:
    text = _cell_text(value)
    if not text:
        return None
    folded = fold(text)
    head = re.match(r"^(\d{1,2})\b", folded)
    if head and 1 <= int(head.group(1)) <= 10:
        return int(head.group(1))
    code = _STATUS_WORDS.get(folded)
    if code is None:
        raise _RowProblem(
            _("Trạng thái “%(value)s” không hợp lệ (mã trạng thái DVCQG từ 1 đến 10 hoặc tên trạng thái).")
            % {"value": text}
        )
    return code
