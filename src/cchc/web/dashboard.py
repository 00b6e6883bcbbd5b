"""What the dashboard shows: which agencies (the scope picker) and which period (the period picker).

The figures themselves come only from cchc.statistics.service; this module turns query parameters into the
arguments of those functions, within what cchc.agencies.scoping lets the user read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from cchc.agencies import scoping
from cchc.agencies.models import Agency, Province, Role
from cchc.statistics import periods
from cchc.statistics.periods import Period

ALL = "tat-ca"
PROVINCE_PREFIX = "tinh-"
CUSTOM = "tuy-chon"


@dataclass
class Scope:
    value: str  # what the picker submits: "", an agency id, "tinh-<id>" or "tat-ca"
    label: str
    agencies: list[Agency]
    agency: Agency | None  # set when exactly one agency is selected


@dataclass
class ScopeOption:
    value: str
    label: str
    group: str


def may_roll_up(user) -> bool:
    """Aggregators (province level) and superusers may look at a whole province at once."""
    return user.is_superuser or scoping.has_role(user, Role.AGGREGATOR)


def scope_options(user) -> list[ScopeOption]:
    visible = list(scoping.visible_agencies(user).select_related("province").order_by("province__name", "name"))
    options: list[ScopeOption] = []
    if may_roll_up(user):
        provinces = {a.province_id: a.province for a in visible if a.province_id}
        if user.is_superuser and len(provinces) > 1:
            options.append(ScopeOption(ALL, _("Tất cả cơ quan"), _("Tổng hợp")))
        for province in sorted(provinces.values(), key=lambda p: p.name):
            options.append(
                ScopeOption(
                    f"{PROVINCE_PREFIX}{province.pk}", _("Toàn tỉnh %(name)s") % {"name": province.name}, _("Tổng hợp")
                )
            )
    for agency in visible:
        options.append(ScopeOption(str(agency.pk), agency.name, agency.province.name if agency.province else ""))
    return options


def resolve_scope(user, value: str | None) -> Scope | None:
    """The agencies selected by `value`; Http404 for anything the user may not read (a foreign agency id looks the
    same as a missing one). None when the user belongs to no agency at all."""
    value = (value or "").strip()
    visible = scoping.visible_agencies(user)
    if not value:
        home = scoping.home_agency(user)
        if home is None:
            return None
        return Scope(str(home.pk), home.name, [home], home)
    if value.isdigit():
        agency = visible.filter(pk=int(value)).first()
        if agency is None:
            raise Http404(_("Không tìm thấy cơ quan."))
        return Scope(value, agency.name, [agency], agency)
    if not may_roll_up(user):
        raise Http404(_("Không tìm thấy cơ quan."))
    if value == ALL and user.is_superuser:
        return Scope(value, _("Tất cả cơ quan"), list(visible), None)
    if value.startswith(PROVINCE_PREFIX) and value[len(PROVINCE_PREFIX) :].isdigit():
        province = Province.objects.filter(pk=int(value[len(PROVINCE_PREFIX) :])).first()
        agencies = list(visible.filter(province=province)) if province else []
        if not agencies:
            raise Http404(_("Không tìm thấy tỉnh."))
        only = agencies[0] if len(agencies) == 1 else None
        return Scope(value, _("Toàn tỉnh %(name)s") % {"name": province.name}, agencies, only)
    raise Http404(_("Không tìm thấy cơ quan."))


def period_options(today: dt.date, mode: str) -> list[tuple[str, list[Period]]]:
    """The preset periods of the picker: this year's and last year's quarters (up to the current one), halves,
    nine months and years, newest first."""
    current = periods.current_quarter(today, mode)
    groups = []
    for year in (current.year, current.year - 1):
        items = [periods.quarter(year, n, mode) for n in range(4, 0, -1) if year < current.year or n <= current.number]
        items += [periods.half(year, 2, mode), periods.half(year, 1, mode), periods.nine_months(year, mode)]
        items.append(periods.year(year, mode))
        groups.append((_("Năm %(y)s") % {"y": year}, items))
    return groups


@dataclass
class PeriodChoice:
    period: Period
    mode: str
    key: str  # the preset key, or CUSTOM
    start: dt.date | None
    end: dt.date | None
    error: str = ""


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def resolve_period(params, today: dt.date) -> PeriodChoice:
    """Read ?ky=<Period.key or tuy-chon>&tu=&den=&cach_tinh=nd09|calendar; on bad input fall back to the current
    quarter (NĐ 09/2019 cut-off) and say why."""
    mode = params.get("cach_tinh") or "nd09"
    if mode not in periods.MODES:
        mode = "nd09"
    default = periods.current_quarter(today, mode)
    key = (params.get("ky") or "").strip()
    start, end = _date(params.get("tu")), _date(params.get("den"))
    if key == CUSTOM or (not key and (params.get("tu") or params.get("den"))):
        if start is None or end is None:
            return PeriodChoice(default, mode, CUSTOM, start, end, _("Hãy nhập đủ ngày bắt đầu và ngày kết thúc."))
        try:
            return PeriodChoice(periods.date_range(start, end), mode, CUSTOM, start, end)
        except ValueError as exc:
            return PeriodChoice(default, mode, CUSTOM, start, end, str(exc))
    if not key:
        return PeriodChoice(default, mode, default.key, None, None)
    try:
        period = periods.parse_period(key, mode)
    except ValueError as exc:
        return PeriodChoice(default, mode, default.key, None, None, str(exc))
    return PeriodChoice(period, mode, period.key, None, None)


def last_twelve_months(end: dt.date) -> tuple[dt.date, dt.date]:
    """From the first day of the month eleven months before `end`'s month, to `end`."""
    month_index = end.year * 12 + end.month - 1 - 11
    return dt.date(month_index // 12, month_index % 12 + 1, 1), end
