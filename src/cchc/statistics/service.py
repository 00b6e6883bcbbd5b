"""Period figures: the one place they are computed (reports, the dashboard and exports all call these).

Each function runs a fixed number of queries whatever the size of the data: one aggregate with conditional counts
for the figures of a scope, one GROUP BY for the rows by field or by procedure, never a query per row. The
definitions of the counts live in statistics.classification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import TruncMonth, TruncWeek

from cchc.agencies.models import Agency, Province
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Procedure
from cchc.text import fold

from . import classification, periods
from .classification import FLAG_NAMES, Flags
from .periods import Period, date_range


def rate(part, whole) -> float | None:
    """part / whole in %, rounded to 2 places; None unless both parts are stated (not None), the whole is positive
    and 0 <= part <= whole. Every rate of cchc goes through here, so none is ever outside [0, 100]: a figure that
    is missing, or a pair that contradicts itself (a report stating more on time than resolved), gives no rate."""
    if part is None or whole is None or whole <= 0 or part < 0 or part > whole:
        return None
    return round(100.0 * float(part) / float(whole), 2)


@dataclass
class DossierFigures:
    """The columns of Biểu 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP) plus refusals and withdrawals.

    (3) received_total = (4) online + (5) direct and postal + (6) carried over; (7) resolved = (8) early +
    (9) on time + (10) late; (11) in progress = (12) within + (13) overdue; and received_total = resolved +
    in_progress. refused and withdrawn are included in (7)-(10) and shown apart."""

    carried_over: int = 0
    received_online: int = 0
    received_direct: int = 0
    received_postal: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    refused: int = 0
    withdrawn: int = 0
    in_progress_within: int = 0
    in_progress_overdue: int = 0

    @property
    def received_new(self) -> int:
        return self.received_online + self.received_direct + self.received_postal

    @property
    def received_direct_or_postal(self) -> int:
        """Column (5) of Biểu 06: trực tiếp và dịch vụ bưu chính."""
        return self.received_direct + self.received_postal

    @property
    def received_total(self) -> int:
        return self.received_new + self.carried_over

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def resolved_on_time_or_early(self) -> int:
        return self.resolved_early + self.resolved_on_time

    @property
    def in_progress(self) -> int:
        return self.in_progress_within + self.in_progress_overdue

    @property
    def late_total(self) -> int:
        """Resolved late plus still open past the deadline ("không có hồ sơ trễ hạn" when 0)."""
        return self.resolved_late + self.in_progress_overdue

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / resolved, in %; None when nothing was resolved."""
        return rate(self.resolved_on_time_or_early, self.resolved)

    @property
    def online_rate(self) -> float | None:
        """Online / newly received, in % (the simple variant of tthc-details.md §2.4); None when nothing new."""
        return rate(self.received_online, self.received_new)

    def add(self, flags: Flags) -> None:
        """Count one classified dossier (the Python path, used to check the SQL one)."""
        for name in flags.names():
            setattr(self, name, getattr(self, name) + 1)

    def __add__(self, other: DossierFigures) -> DossierFigures:
        return DossierFigures(**{name: getattr(self, name) + getattr(other, name) for name in FLAG_NAMES})

    def as_dict(self) -> dict[str, int | float | None]:
        data: dict[str, int | float | None] = {name: getattr(self, name) for name in FLAG_NAMES}
        for prop in (
            "received_new",
            "received_direct_or_postal",
            "received_total",
            "resolved",
            "resolved_on_time_or_early",
            "in_progress",
            "on_time_rate",
            "online_rate",
        ):
            data[prop] = getattr(self, prop)
        return data


@dataclass
class ProcedureFigures:
    """The catalogue in force on the period's last day (tthc-details.md §2.3, §6.1 Biểu II.07b, §6.3)."""

    total: int = 0
    one_stop: int = 0
    by_online_service: dict[str, int] = field(default_factory=lambda: {"full": 0, "partial": 0, "none": 0})
    by_legacy_level: dict[int | None, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0, None: 0})
    by_interconnection: dict[str, int] = field(default_factory=lambda: {"none": 0, "same_level": 0, "cross_level": 0})
    by_field: list[tuple[str, int]] = field(default_factory=list)
    reduced_time: int = 0

    @property
    def online(self) -> int:
        """Procedures offered as an online public service, fully or partly (NĐ 42/2022 Điều 11)."""
        return self.by_online_service["full"] + self.by_online_service["partial"]

    @property
    def online_rate(self) -> float | None:
        return rate(self.online, self.total)


@dataclass
class PeriodStatistics:
    period: Period
    dossiers: DossierFigures
    procedures: ProcedureFigures
    by_field: list[tuple[str, DossierFigures]]
    by_procedure: list[tuple[str, str, DossierFigures]]
    # The last day counted: the period's end, or the day of computing while the period runs.
    as_of: dt.date

    @property
    def has_ended(self) -> bool:
        return self.period.has_ended(self.as_of)

    @property
    def as_of_text(self) -> str:
        """ "Số liệu tính đến ngày 02/12/2026" for a period that has not ended, "" otherwise: pages and reports
        print it beside the figures."""
        return self.period.as_of_text(self.as_of)


# --- scope -------------------------------------------------------------------------------------------------------


def _agency_filter(agencies=None, province: Province | int | None = None, prefix: str = "agency") -> Q:
    """Q restricting rows to the agencies (objects, ids or a queryset) and/or the province; empty = everything."""
    condition = Q()
    if isinstance(agencies, Agency | int):
        agencies = [agencies]
    if agencies is not None:
        if isinstance(agencies, QuerySet):
            condition &= Q(**{f"{prefix}__in": agencies.values("pk")})
        else:
            ids = [a.pk if isinstance(a, Agency) else int(a) for a in agencies]
            condition &= Q(**{f"{prefix}_id__in": ids})
    if province is not None:
        province_id = province.pk if isinstance(province, Province) else int(province)
        # A subquery rather than a join: SQLite then scans the dossiers once instead of probing them per agency.
        condition &= Q(**{f"{prefix}_id__in": Agency.objects.filter(province_id=province_id).values("pk")})
    return condition


def scoped_dossiers(agencies=None, province=None) -> QuerySet[Dossier]:
    return Dossier.objects.filter(_agency_filter(agencies, province))


# --- dossiers ----------------------------------------------------------------------------------------------------


def _aggregates(period: Period, today: dt.date) -> dict[str, Count]:
    return {name: Count("pk", filter=q) for name, q in classification.conditions(period, today=today).items()}


def _figures(row: dict) -> DossierFigures:
    return DossierFigures(**{name: row[name] or 0 for name in FLAG_NAMES})


def dossier_figures(period: Period, dossiers: QuerySet[Dossier], *, today: dt.date | None = None) -> DossierFigures:
    """The figures of the dossiers of a queryset (already scoped by the caller) in one aggregate query; a period
    that has not ended is counted as of `today` (default: the current day)."""
    today = today if today is not None else periods.today()
    row = (
        dossiers.filter(classification.relevant(period, today=today)).order_by().aggregate(**_aggregates(period, today))
    )
    return _figures(row)


def figures_by_procedure_version(
    period: Period, dossiers: QuerySet[Dossier], *, today: dt.date | None = None
) -> dict[int, DossierFigures]:
    """procedure row id -> figures, in one GROUP BY query on the dossier table alone (no join: the rows by field
    and by procedure are rolled up from it in Python, over at most one entry per catalogue row)."""
    today = today if today is not None else periods.today()
    # Grouping on "procedure_id + 0" keeps SQLite from walking the whole (procedure, received_at) index to get the
    # groups in order — 15x slower on a million rows than filtering by agency first; PostgreSQL is indifferent.
    group = ExpressionWrapper(F("procedure_id") + 0, output_field=BigIntegerField())
    rows = (
        dossiers.filter(classification.relevant(period, today=today))
        .order_by()
        .annotate(_procedure=group)
        .values("_procedure")
        .annotate(**_aggregates(period, today))
    )
    return {row["_procedure"]: _figures(row) for row in rows}


@dataclass(frozen=True)
class _Version:
    code: str
    name: str
    effective_from: dt.date
    field_name: str


def _versions(ids: Iterable[int]) -> dict[int, _Version]:
    ids = list(ids)
    versions: dict[int, _Version] = {}
    for chunk in range(0, len(ids), 5000):  # stay under SQLite's bound-parameter limit
        rows = Procedure.objects.filter(pk__in=ids[chunk : chunk + 5000]).values_list(
            "pk", "code", "name", "effective_from", "field__name"
        )
        for pk, code, name, effective_from, field_name in rows:
            versions[pk] = _Version(code, name, effective_from, field_name)
    return versions


def _roll_up(
    grouped: dict[int, DossierFigures],
) -> tuple[DossierFigures, list[tuple[str, DossierFigures]], list[tuple[str, str, DossierFigures]]]:
    versions = _versions(grouped)
    total = DossierFigures()
    by_field: dict[str, DossierFigures] = {}
    by_code: dict[str, DossierFigures] = {}
    newest: dict[str, tuple[dt.date, int, str]] = {}
    for pk, figures in grouped.items():
        version = versions[pk]
        total += figures
        by_field[version.field_name] = by_field.get(version.field_name, DossierFigures()) + figures
        by_code[version.code] = by_code.get(version.code, DossierFigures()) + figures
        # All versions of a procedure are one row, named after the newest version among the dossiers counted.
        candidate = (version.effective_from, pk, version.name)
        if version.code not in newest or candidate > newest[version.code]:
            newest[version.code] = candidate
    fields_sorted = sorted(by_field.items(), key=lambda item: (fold(item[0]), item[0]))
    codes_sorted = [(code, newest[code][2], by_code[code]) for code in sorted(by_code)]
    return total, fields_sorted, codes_sorted


def figures_by_field(
    period: Period, dossiers: QuerySet[Dossier], *, today: dt.date | None = None
) -> list[tuple[str, DossierFigures]]:
    """One row per field (lĩnh vực) with a counted dossier, in alphabetical order; two queries."""
    return _roll_up(figures_by_procedure_version(period, dossiers, today=today))[1]


def figures_by_procedure(
    period: Period, dossiers: QuerySet[Dossier], *, today: dt.date | None = None
) -> list[tuple[str, str, DossierFigures]]:
    """One row per procedure code (all its versions together) with the name of its newest version; two queries."""
    return _roll_up(figures_by_procedure_version(period, dossiers, today=today))[2]


# --- procedures --------------------------------------------------------------------------------------------------


def procedures_in_force(day: dt.date, agencies=None, province=None) -> QuerySet[Procedure]:
    """The catalogue on `day`: rows in force, one per agency and code (the newest version if versions overlap)."""
    in_force = Procedure.objects.in_force_on(day).filter(_agency_filter(agencies, province))
    newer = Procedure.objects.in_force_on(day).filter(
        agency_id=OuterRef("agency_id"), code=OuterRef("code"), effective_from__gt=OuterRef("effective_from")
    )
    return in_force.filter(~Exists(newer))


def procedure_figures(day: dt.date, agencies=None, province=None) -> ProcedureFigures:
    catalogue = procedures_in_force(day, agencies, province).order_by()
    aggregates = {
        "total": Count("pk"),
        "one_stop": Count("pk", filter=Q(one_stop=True)),
        "reduced": Count(
            "pk",
            filter=Q(reduced_processing_time__isnull=False) & Q(reduced_processing_time__lt=F("processing_time")),
        ),
    }
    for value in ("full", "partial", "none"):
        aggregates[f"online_{value}"] = Count("pk", filter=Q(online_service=value))
    for value in ("none", "same_level", "cross_level"):
        aggregates[f"link_{value}"] = Count("pk", filter=Q(interconnection=value))
    for level in (1, 2, 3, 4):
        aggregates[f"level_{level}"] = Count("pk", filter=Q(legacy_online_level=level))
    aggregates["level_none"] = Count("pk", filter=Q(legacy_online_level__isnull=True))
    row = catalogue.aggregate(**aggregates)
    by_field = sorted(
        catalogue.values("field__name").annotate(n=Count("pk")).values_list("field__name", "n"),
        key=lambda item: (fold(item[0]), item[0]),
    )
    return ProcedureFigures(
        total=row["total"],
        one_stop=row["one_stop"],
        by_online_service={v: row[f"online_{v}"] for v in ("full", "partial", "none")},
        by_legacy_level={**{level: row[f"level_{level}"] for level in (1, 2, 3, 4)}, None: row["level_none"]},
        by_interconnection={v: row[f"link_{v}"] for v in ("none", "same_level", "cross_level")},
        by_field=by_field,
        reduced_time=row["reduced"],
    )


# --- everything for a period -------------------------------------------------------------------------------------


def compute(
    period: Period, *, agencies=None, province: Province | int | None = None, today: dt.date | None = None
) -> PeriodStatistics:
    """All figures of a period for the given agencies (Agency objects, ids or a queryset — callers pass what the
    user may see), or all agencies of a province, or everything when neither is given.

    A period that has not ended on `today` (default: the current day) is counted as of today, the catalogue too
    (in force today rather than on the period's last day); `as_of` says which day the figures are for.

    Four queries whatever the number of dossiers: one GROUP BY over the dossiers by procedure row (the totals, the
    rows by field and by procedure are sums of its rows, so they always add up), the names and fields of those
    procedure rows, and two over the catalogue."""
    today = today if today is not None else periods.today()
    if agencies is not None and not isinstance(agencies, QuerySet | Agency | int):
        agencies = list(agencies)
    grouped = figures_by_procedure_version(period, scoped_dossiers(agencies, province), today=today)
    total, by_field, by_procedure = _roll_up(grouped)
    as_of = period.cutoff(today)
    return PeriodStatistics(
        period=period,
        dossiers=total,
        procedures=procedure_figures(as_of, agencies, province),
        by_field=by_field,
        by_procedure=by_procedure,
        as_of=as_of,
    )


# --- dashboard ---------------------------------------------------------------------------------------------------


def _bucket_starts(start: dt.date, end: dt.date, step: str) -> list[dt.date]:
    if step == "month":
        current = start.replace(day=1)
        buckets = []
        while current <= end:
            buckets.append(current)
            current = (current + dt.timedelta(days=32)).replace(day=1)
        return buckets
    current = start - dt.timedelta(days=start.weekday())
    buckets = []
    while current <= end:
        buckets.append(current)
        current += dt.timedelta(days=7)
    return buckets


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def received_resolved_series(
    period: Period | tuple[dt.date, dt.date], *, agencies=None, province=None, step: str = "month"
) -> list[tuple[dt.date, int, int]]:
    """(first day of the month or Monday of the week, received, resolved) for every bucket overlapping the period,
    counting only days inside it; two grouped queries. "Resolved" = ended, as in DossierFigures.resolved."""
    if step not in ("month", "week"):
        raise ValueError(f"Bước thời gian không hợp lệ: «{step}» (month hoặc week).")
    start, end = (period.start, period.end) if isinstance(period, Period) else period
    trunc = TruncMonth if step == "month" else TruncWeek
    dossiers = scoped_dossiers(agencies, province).order_by()
    received = dict(
        dossiers.filter(received_on__gte=start, received_on__lte=end)
        .annotate(bucket=trunc("received_on"))
        .values("bucket")
        .annotate(n=Count("pk"))
        .values_list("bucket", "n")
    )
    resolved = dict(
        dossiers.filter(ended_on__gte=start, ended_on__lte=end)
        .annotate(bucket=trunc("ended_on"))
        .values("bucket")
        .annotate(n=Count("pk"))
        .values_list("bucket", "n")
    )
    received = {_as_date(k): v for k, v in received.items()}
    resolved = {_as_date(k): v for k, v in resolved.items()}
    return [(b, received.get(b, 0), resolved.get(b, 0)) for b in _bucket_starts(start, end, step)]


def overdue_dossiers(agencies=None, on: dt.date | None = None, *, province=None) -> QuerySet[Dossier]:
    """Dossiers in progress and overdue at the end of day `on` (today by default), most overdue first: the
    in_progress_overdue of any period running on that day (the dashboard's card and list agree)."""
    day = on or periods.today()
    single_day = date_range(day, day)
    condition = classification.conditions(single_day, today=day)["in_progress_overdue"]
    return (
        scoped_dossiers(agencies, province)
        .filter(classification.relevant(single_day, today=day))
        .filter(condition)
        .select_related("procedure", "agency")
        .order_by("due_date", "received_at", "pk")
    )


def overdue_first(
    agencies=None, on: dt.date | None = None, *, province=None, limit: int = 15
) -> tuple[list[Dossier], int]:
    """The `limit` most overdue dossiers of overdue_dossiers() and how many there are in all. Each count is a window
    over the rows it lists, so the dashboard's number and its list can never disagree.

    Read in two parts, split on the end day: the dossiers still open (served by the partial index of open dossiers)
    and those that ended after `on` (only a past day has any; served by (agency, ended_on)). The one condition
    "open, or ended after the day" makes SQLite's planner walk all of the agency's receipts instead (600 ms at 200k
    dossiers, against 7 ms for the two parts)."""
    day = on or periods.today()
    overdue = overdue_dossiers(agencies, day, province=province).annotate(_overdue_total=Window(Count("pk")))
    rows: list[Dossier] = []
    total = 0
    for part in (overdue.filter(ended_on__isnull=True), overdue.filter(ended_on__gt=day)):
        found = list(part[:limit])
        rows.extend(found)
        total += found[0]._overdue_total if found else 0
    rows.sort(key=lambda dossier: (dossier.due_date, dossier.received_at, dossier.pk))
    return rows[:limit], total
