"""Worklists: what the dossier list and "Việc của tôi" show and do, as plain functions the views call.

- Due colours: green (in time), amber (due within the agency's `due_soon_days` working days, today included), red
  (overdue); each with a text label and a sign, so that colour is never the only cue.
- Sorting with keyset paging: a whitelist of sort keys, each read as (key, pk) so that a page deep in the list
  reads only its own rows.
- Row presenters: each row's display values are built once in Python (URLs by formatting one reversed prefix,
  dates by strftime, labels from dicts built once per request) so that the template only prints them. The list's
  template spent most of its time in {% url %}, the date filters and lazy translations.
- Bulk assignment to a unit, all or nothing.
- "Việc của tôi": the steps held by the user, their unit's queue and, for leaders, the approvals waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import calendar
from cchc.agencies.models import Agency, Role, Unit
from cchc.agencies.scoping import can, memberships, scope

from . import lifecycle
from .models import Channel, Dossier, Status
from .workflow.models import DossierStep, StepState

PAGE_SIZE = 50

# --- due colours -----------------------------------------------------------------------------------------------

OK, SOON, OVERDUE = "ok", "soon", "overdue"


@dataclass(frozen=True)
class Tone:
    key: str  # the CSS modifier: due--ok, due--soon, due--overdue
    sign: str  # shown before the date: the cue that is not colour
    label: str


def tones() -> dict[str, Tone]:
    """The three tones with their labels in the active language (built once per request)."""
    return {
        OK: Tone(OK, "✓", _("Trong hạn")),
        SOON: Tone(SOON, "!", _("Sắp đến hạn")),
        OVERDUE: Tone(OVERDUE, "✕", _("Quá hạn")),
    }


def soon_until(agency: Agency | None, today: dt.date) -> dt.date:
    """The last day counted as "due soon": `due_soon_days` working days after today, on the agency's province's
    calendar (0: only today). Computed once per request; each row then compares dates."""
    days = agency.due_soon_days if agency is not None else Agency._meta.get_field("due_soon_days").default
    province = agency.province_id if agency is not None else None
    try:
        return calendar.calendar_for(province).add_working_days(today, days)
    except calendar.OutOfRange:
        return today


def tone_key(due_day: dt.date, today: dt.date, until: dt.date, late: bool = False) -> str:
    """OVERDUE once the due day has passed (or `late`: a step's due moment in hours has passed), SOON up to `until`,
    OK after it."""
    if late or due_day < today:
        return OVERDUE
    if due_day <= until:
        return SOON
    return OK


# --- sorting and keyset paging ---------------------------------------------------------------------------------

# URL value -> (model field, how a cursor value is read back).
SORT_FIELDS: dict[str, str] = {
    "code": "code",
    "applicant": "applicant_name",
    "received": "received_at",
    "due": "due_at",
}
DEFAULT_SORT = "-received"
_MOMENT_FIELDS = frozenset({"received_at", "due_at"})


@dataclass(frozen=True)
class Sort:
    key: str  # a key of SORT_FIELDS
    descending: bool

    @property
    def field(self) -> str:
        return SORT_FIELDS[self.key]

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def toggled(self, key: str) -> str:
        """The URL value of a column header's link: the other direction on the sorted column; dates start with the
        newest, text from A."""
        if key == self.key:
            return key if self.descending else f"-{key}"
        return f"-{key}" if SORT_FIELDS[key] in _MOMENT_FIELDS else key


def parse_sort(value: str | None) -> Sort:
    """A whitelisted sort; anything else falls back to the default (newest received first)."""
    value = (value or "").strip()
    key = value.removeprefix("-")
    if key not in SORT_FIELDS:
        return parse_sort(DEFAULT_SORT)
    return Sort(key, value.startswith("-"))


@dataclass
class Page:
    rows: list[Dossier]
    next_cursor: str | None
    prev_cursor: str | None


def _cursor(dossier: Dossier, sort: Sort) -> str:
    value = getattr(dossier, sort.field)
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
    return f"{text}|{dossier.pk}"


def _parse_cursor(value: str | None, sort: Sort) -> tuple[Any, int] | None:
    if not value:
        return None
    try:
        key, pk = value.rsplit("|", 1)
        if sort.field in _MOMENT_FIELDS:
            parsed = dt.datetime.fromisoformat(key)
            key = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        return key, int(pk)
    except ValueError:
        return None


def _beyond(queryset: QuerySet, field: str, key: Any, pk: int, forward: bool) -> QuerySet:
    """Rows after (key, pk) in ascending order when `forward`, before it otherwise. The redundant bound on the key
    alone keeps the scan on the index range."""
    op = "gt" if forward else "lt"
    bound = "gte" if forward else "lte"
    return queryset.filter(**{f"{field}__{bound}": key}).filter(Q(**{f"{field}__{op}": key}) | Q(**{f"pk__{op}": pk}))


def keyset_page(
    queryset: QuerySet,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
    sort: Sort | None = None,
) -> Page:
    """One page of `queryset` in (sort field, pk) order, starting after or ending before a cursor.

    Keyset pagination reads only the page's rows through an index on the sort field, however deep the page: an
    OFFSET would scan every skipped row. A cursor made under another sort does not parse as this one's and is
    ignored (the first page)."""
    sort = sort or parse_sort(DEFAULT_SORT)
    field, desc = sort.field, sort.descending
    order = (f"-{field}", "-pk") if desc else (field, "pk")
    reverse_order = (field, "pk") if desc else (f"-{field}", "-pk")
    before_key = _parse_cursor(before, sort)
    after_key = _parse_cursor(after, sort)
    if before_key:
        # Read backwards from the cursor, then turn the rows round.
        rows = list(_beyond(queryset, field, *before_key, forward=desc).order_by(*reverse_order)[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return Page(
            rows=rows,
            next_cursor=_cursor(rows[-1], sort) if rows else None,
            prev_cursor=_cursor(rows[0], sort) if rows and more_before else None,
        )
    if after_key:
        queryset = _beyond(queryset, field, *after_key, forward=not desc)
    rows = list(queryset.order_by(*order)[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        next_cursor=_cursor(rows[-1], sort) if rows and more_after else None,
        prev_cursor=_cursor(rows[0], sort) if rows and after_key else None,
    )


# --- row presenters --------------------------------------------------------------------------------------------

# The columns a row shows (and a cursor reads): a procedure row carries long legal texts that a list never prints.
ROW_FIELDS = ("code", "agency__code", "applicant_name", "procedure__code", "procedure__name", "channel",
              "received_at", "due_at", "due_date", "status", "ended_at", "paused_at")  # fmt: skip


def list_rows(queryset: QuerySet) -> QuerySet:
    """`queryset` reading only what a row presenter prints."""
    return queryset.select_related("procedure", "agency").only(*ROW_FIELDS)


def detail_prefix() -> str:
    """The detail URL of a dossier without its id: reversed once, rows append "<pk>/"."""
    url = reverse("dossiers:detail", args=[0])
    return url[: -len("0/")]


def truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class RowPresenter:
    """Display values of dossier rows, built once per request: labels, tones, the URL prefix, the time zone."""

    def __init__(self, agency: Agency | None, now: dt.datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.zone = timezone.get_current_timezone()
        self.today = timezone.localdate(self.now)
        self.until = soon_until(agency, self.today)
        self.tones = tones()
        self.prefix = detail_prefix()
        self.statuses = {value: str(label) for value, label in Status.choices}
        self.channels = {value: str(label) for value, label in Channel.choices}
        self.paused = _("Tạm dừng (chờ bổ sung)")

    def tone_of_day(self, due_day: dt.date | None, late: bool = False) -> Tone | None:
        if due_day is None:
            return None
        return self.tones[tone_key(due_day, self.today, self.until, late)]

    def dossier(self, d: Dossier) -> dict[str, Any]:
        procedure = d.procedure
        tone = None if d.ended_at is not None or d.paused_at is not None else self.tone_of_day(d.due_date)
        return {
            "pk": d.pk,
            "url": f"{self.prefix}{d.pk}/",
            "code": d.code,
            "agency": d.agency.code,
            "applicant": d.applicant_name,
            "procedure": f"{procedure.code} – {truncate(procedure.name, 70)}",
            "procedure_title": procedure.name,
            "channel": self.channels.get(d.channel, ""),
            "received": d.received_at.astimezone(self.zone).strftime("%d/%m/%Y %H:%M"),
            "due": d.due_date.strftime("%d/%m/%Y"),
            "status": self.statuses.get(d.status, ""),
            "ended": d.ended_at is not None,
            "paused": self.paused if d.paused_at is not None and d.ended_at is None else "",
            "tone": tone,
            "open": d.ended_at is None,
        }

    def step(self, s: DossierStep) -> dict[str, Any]:
        row = self.dossier(s.dossier)
        if s.due_at is not None:
            local = s.due_at.astimezone(self.zone)
            row["step_due"] = local.strftime("%d/%m/%Y %H:%M")
            row["step_tone"] = self.tone_of_day(local.date(), late=s.due_at < self.now)
        else:
            row["step_due"], row["step_tone"] = "", None
        row["step"] = f"{s.position}. {s.name}"
        row["step_pk"] = s.pk
        return row


# --- bulk assignment -------------------------------------------------------------------------------------------

MAX_BULK = 200


@dataclass
class BulkResult:
    assigned: list[str]  # codes
    refused: list[tuple[str, str]]  # (code or id, reason)

    @property
    def ok(self) -> bool:
        return not self.refused


def assignable_units(agency: Agency | None) -> QuerySet[Unit]:
    if agency is None:
        return Unit.objects.none()
    return Unit.objects.filter(agency=agency, is_active=True).order_by("name")


def bulk_assign(user, pks: list[int], unit: Unit, *, note: str = "") -> BulkResult:
    """Hand each selected dossier to `unit` through lifecycle.assign, all or nothing: when any one is refused
    (not visible, no right to process it, ended, already at that unit...) nothing is changed and every refusal is
    returned with its reason, so the user fixes the selection and tries again with the whole of it."""
    wanted = list(dict.fromkeys(pks))
    # A dossier the user cannot read is "not found", like its page.
    found = {d.pk: d for d in scope(Dossier.objects.filter(pk__in=wanted), user)}
    result = BulkResult([], [])
    with transaction.atomic():
        for pk in wanted:
            dossier = found.get(pk)
            if dossier is None:
                result.refused.append((str(pk), _("Không tìm thấy hồ sơ.")))
                continue
            if not can(user, "dossier.process", dossier.agency_id):
                result.refused.append((dossier.code, _("Bạn không có quyền chuyển hồ sơ của cơ quan này.")))
                continue
            try:
                lifecycle.assign(dossier, unit=unit, actor=user, note=note)
            except ValidationError as exc:  # TransitionError and ChangeReasonRequired: their Vietnamese messages
                result.refused.append((dossier.code, " ".join(str(m) for m in exc.messages)))
            else:
                result.assigned.append(dossier.code)
        if result.refused:
            # Every assign ran in its own savepoint; undo the ones that went through.
            transaction.set_rollback(True)
    if result.refused:
        result.assigned = []
    return result


# --- "Việc của tôi" --------------------------------------------------------------------------------------------

HELD, QUEUE, APPROVAL = "held", "queue", "approval"
IN_HAND = (StepState.QUEUED, StepState.ACTIVE)
WORK_ROWS = 50  # the most urgent steps of a tab (as many as a list page); the count says how many there are
COUNT_CAP = 1000


def work_tabs() -> dict[str, str]:
    return {HELD: _("Tôi đang xử lý"), QUEUE: _("Chờ đơn vị nhận"), APPROVAL: _("Chờ phê duyệt")}


def _work_agencies(user) -> list[int]:
    """Steps are worked in the user's own agencies (an aggregator's read-only reach does not give work)."""
    return [m.agency_id for m in memberships(user) if m.role not in (Role.VIEWER, Role.AGGREGATOR)]


def work_conditions(user) -> dict[str, Q | None]:
    """The condition of each tab, or None when the tab is not the user's (no unit: no queue; not a leader: no
    approvals). Each reads the steps in hand through a partial index of workflow/models.py."""
    agencies = _work_agencies(user)
    queues = [
        Q(unit_id=m.unit_id, role=m.role)
        for m in memberships(user)
        if m.unit_id and m.agency_id in agencies and m.role in (Role.LEADER, Role.OFFICER, Role.ONE_STOP, Role.ADMIN)
    ]
    leads = [m.agency_id for m in memberships(user) if m.role == Role.LEADER]
    conditions: dict[str, Q | None] = {
        HELD: Q(state=StepState.ACTIVE, holder=user, dossier__agency_id__in=agencies) if agencies else None,
        QUEUE: None,
        APPROVAL: None,
    }
    if queues:
        either = queues[0]
        for q in queues[1:]:
            either |= q
        conditions[QUEUE] = Q(state=StepState.QUEUED, holder__isnull=True) & either
    if leads:
        conditions[APPROVAL] = Q(
            is_approval=True, state__in=IN_HAND, role=Role.LEADER, dossier__agency_id__in=leads
        ) & (Q(holder=user) | Q(holder__isnull=True))
    return conditions


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def work_rows(condition: Q, limit: int = WORK_ROWS) -> list[DossierStep]:
    """The most urgent steps first (no due moment last)."""
    from django.db.models import F

    return list(
        DossierStep.objects.filter(condition)
        .select_related("dossier", "dossier__procedure", "dossier__agency")
        .only("position", "name", "due_at", "dossier", *(f"dossier__{name}" for name in ROW_FIELDS))
        .order_by(F("due_at").asc(nulls_last=True), "pk")[:limit]
    )
