"""The aggregator's table: one row per member agency for a period, whether the member uses cchc or not.

A member that keeps its dossiers or catalogue in cchc gets COMPUTED figures (the same definitions as the statistics
service: statistics.classification for dossiers, the catalogue in force on the period's last day for procedures);
any other member gets the figures it REPORTED (ReportedFigure rows from imported reports). Each cell says which,
and a computed cell shows the reported value beside it when both exist.

Totals are the sums of their rows: a row without a figure adds nothing, and `coverage()` says how many members a
total covers when some have no figure. Every rate (a row's and the total's) is computed only from rows that state
both of its parts (statistics.service.rate: both given, 0 <= part <= whole), the total's as the sum of those rows'
parts over the sum of their wholes, never averaged and never mixing a numerator of one member with the denominator
of another; `rate_of()` says how many members it covers. A period that has not ended is counted as of today
(`as_of`), as the statistics service counts it.

A fixed number of queries whatever the number of members: one GROUP BY over the dossiers, one over the catalogue,
two to know who uses cchc, one for the reported figures and one for the submissions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.agencies.models import Agency
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Procedure
from cchc.statistics import cache, classification, periods
from cchc.statistics.classification import FLAG_NAMES
from cchc.statistics.periods import Period
from cchc.statistics.service import DossierFigures, procedures_in_force, rate

from .models import ReportedFigure, Submission
from .submissions import members_of, submissions_for

COMPUTED = "computed"
REPORTED = "reported"

# The columns of the table (extractor vocabulary keys) with their headings.
COLUMNS: list[tuple[str, Any]] = [
    ("procedures_total", gettext_lazy("Số TTHC")),
    ("procedures_online", gettext_lazy("TTHC trực tuyến")),
    ("dossiers_received", gettext_lazy("Hồ sơ tiếp nhận")),
    ("dossiers_online", gettext_lazy("Trong đó trực tuyến")),
    ("dossiers_resolved", gettext_lazy("Đã giải quyết")),
    ("dossiers_early_or_on_time", gettext_lazy("Trước hạn, đúng hạn")),
    ("dossiers_late", gettext_lazy("Quá hạn")),
    ("dossiers_in_progress", gettext_lazy("Đang giải quyết")),
]
KEYS = [key for key, _label in COLUMNS]

# Rate name -> (part, whole): the key of the figure on top and of the one below.
RATES: dict[str, tuple[str, str]] = {
    "on_time": ("dossiers_early_or_on_time", "dossiers_resolved"),
    "online": ("dossiers_online", "dossiers_received"),
    "procedures_online": ("procedures_online", "procedures_total"),
}

_DOSSIER_VALUES = {
    "dossiers_received": lambda f: f.received_total,
    "dossiers_online": lambda f: f.received_online,
    "dossiers_resolved": lambda f: f.resolved,
    "dossiers_early_or_on_time": lambda f: f.resolved_on_time_or_early,
    "dossiers_late": lambda f: f.resolved_late,
    "dossiers_in_progress": lambda f: f.in_progress,
}


@dataclass
class RollupCell:
    value: Decimal | int | None = None
    source: str | None = None  # COMPUTED, REPORTED or None (missing)
    reported: Decimal | None = None  # the reported value beside a computed one

    @property
    def differs(self) -> bool:
        return self.source == COMPUTED and self.reported is not None and Decimal(self.value) != self.reported


@dataclass
class RollupRow:
    agency: Agency
    uses_cchc: bool
    cells: dict[str, RollupCell]
    submission: Submission | None = None

    @property
    def source(self) -> str | None:
        """COMPUTED, REPORTED, "mixed" or None: what the row's figures are, for the row marker."""
        sources = {cell.source for cell in self.cells.values() if cell.source}
        if not sources:
            return None
        return sources.pop() if len(sources) == 1 else "mixed"

    @property
    def has_figures(self) -> bool:
        return any(cell.source for cell in self.cells.values())

    def ordered_cells(self) -> list[RollupCell]:
        return [self.cells[key] for key in KEYS]

    def states_both(self, name: str) -> bool:
        """Whether the row states both parts of rate `name`, consistently (0 <= part <= whole)."""
        part, whole = (self.cells[key].value for key in RATES[name])
        return part is not None and whole is not None and 0 <= part <= whole

    def rate(self, name: str) -> float | None:
        part, whole = (self.cells[key].value for key in RATES[name])
        return rate(part, whole)


@dataclass(frozen=True)
class RollupRate:
    """A rate of the total row with the number of members it is computed from."""

    value: float | None
    covered: int  # members that state both parts
    members: int  # members in the table

    @property
    def partial(self) -> bool:
        return self.covered < self.members

    @property
    def note(self) -> str:
        """ "tính trên 2/3 cơ quan có đủ số liệu" when some members are left out, "" otherwise."""
        if not self.partial:
            return ""
        return _("tính trên %(covered)s/%(members)s cơ quan có đủ số liệu") % {
            "covered": self.covered,
            "members": self.members,
        }


@dataclass
class RollupTable:
    aggregator: Agency
    period: Period
    rows: list[RollupRow]
    totals: dict[str, Decimal | int | None] = field(default_factory=dict)
    missing: list[Agency] = field(default_factory=list)
    late: list[tuple[Agency, Submission]] = field(default_factory=list)
    # The last day counted: the period's end, or the day of computing while the period runs.
    as_of: dt.date | None = None

    @property
    def as_of_text(self) -> str:
        """ "Số liệu tính đến ngày 02/12/2026" while the period runs, "" once it has ended."""
        return self.period.as_of_text(self.as_of) if self.as_of is not None else ""

    def rate_of(self, name: str) -> RollupRate:
        """The total row's rate `name` (a key of RATES), from the rows that state both of its parts only."""
        part_key, whole_key = RATES[name]
        stating = [row for row in self.rows if row.states_both(name)]
        part = sum((row.cells[part_key].value for row in stating), 0)
        whole = sum((row.cells[whole_key].value for row in stating), 0)
        return RollupRate(rate(part, whole) if stating else None, len(stating), len(self.rows))

    @property
    def rates(self) -> dict[str, RollupRate]:
        """Every rate of the total row by name (for templates, which cannot pass an argument)."""
        return {name: self.rate_of(name) for name in RATES}

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / resolved over the members that state both, in %."""
        return self.rate_of("on_time").value

    @property
    def online_rate(self) -> float | None:
        """Dossiers received online / all received over the members that state both, in %."""
        return self.rate_of("online").value

    @property
    def procedures_online_rate(self) -> float | None:
        return self.rate_of("procedures_online").value

    def total_members(self, key: str) -> int:
        """How many members the total of column `key` adds up (those with a figure in it)."""
        return sum(1 for row in self.rows if row.cells[key].value is not None)

    def coverage(self) -> list[str] | None:
        """The "Số cơ quan có số liệu" row under the totals — "2/3" under each column and each rate — when a total or
        a rate leaves some member out; None when every total covers every member (or there are no members)."""
        members = len(self.rows)
        counts = [self.total_members(key) for key in KEYS]
        rates = [self.rate_of("on_time").covered, self.rate_of("online").covered]
        if not members or all(n == members for n in counts + rates):
            return None
        return [f"{n}/{members}" for n in counts + rates]

    @property
    def spans_provinces(self) -> bool:
        """Members from several provinces (a ministry's roll-up): their names alone would repeat."""
        return len({row.agency.province_id for row in self.rows}) > 1

    def member_label(self, agency: Agency) -> str:
        if self.spans_provinces and agency.province_id:
            return f"{agency.name} ({agency.province.name})"
        return agency.name

    def ordered_totals(self) -> list[Decimal | int | None]:
        return [self.totals.get(key) for key in KEYS]

    @staticmethod
    def row_rates(row: RollupRow) -> tuple[float | None, float | None]:
        return row.rate("on_time"), row.rate("online")


def _cchc_coverage(period: Period, ids: list[int], as_of: dt.date) -> tuple[set[int], set[int]]:
    """Which members cchc can compute for `period`: (those whose dossiers it holds by its last day counted, those
    with a catalogue in force on that day). A department that started using cchc in 2023 still reports 2020 itself."""
    # One probe of the (agency, received_on) index per member, not a scan of all their dossiers.
    held = Dossier.objects.filter(agency_id=OuterRef("pk"), received_on__lte=as_of)
    with_dossiers = set(Agency.objects.filter(pk__in=ids).filter(Exists(held)).order_by().values_list("pk", flat=True))
    with_catalogue = set(
        Procedure.objects.filter(agency_id__in=ids)
        .in_force_on(as_of)
        .order_by()
        .values_list("agency_id", flat=True)
        .distinct()
    )
    return with_dossiers, with_catalogue


def _dossier_figures(period: Period, ids: list[int], today: dt.date) -> dict[int, DossierFigures]:
    """agency id -> its dossier figures, in one GROUP BY with the statistics service's conditional counts."""
    conditions = classification.conditions(period, today=today)
    aggregates = {name: Count("pk", filter=q) for name, q in conditions.items()}
    rows = (
        Dossier.objects.filter(agency_id__in=ids)
        .filter(classification.relevant(period, today=today))
        .order_by()
        .values("agency_id")
        .annotate(**aggregates)
    )
    return {row["agency_id"]: DossierFigures(**{n: row[n] or 0 for n in FLAG_NAMES}) for row in rows}


def _procedure_figures(as_of: dt.date, ids: list[int]) -> dict[int, tuple[int, int]]:
    """agency id -> (procedures in force on the period's last day counted, of which online fully or partly)."""
    rows = (
        procedures_in_force(as_of, agencies=ids)
        .order_by()
        .values("agency_id")
        .annotate(total=Count("pk"), online=Count("pk", filter=Q(online_service__in=("full", "partial"))))
    )
    return {row["agency_id"]: (row["total"], row["online"]) for row in rows}


def _reported(period: Period, ids: list[int], aggregator: Agency) -> dict[int, dict[str, Decimal]]:
    """agency id -> key -> value, the latest import winning when two reports state the same figure: the members'
    own imports and those `aggregator` recorded for them (never another aggregator's)."""
    found: dict[int, dict[str, Decimal]] = {}
    rows = (
        ReportedFigure.objects.filter(agency_id__in=ids, period_key=period.key, key__in=KEYS)
        .filter(Q(recorded_for__isnull=True) | Q(recorded_for=aggregator))
        .order_by("imported_at", "pk")
    )
    for row in rows:
        found.setdefault(row.agency_id, {})[row.key] = row.value
    return found


def _plain(value: Decimal | int | None) -> Decimal | int | None:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def rollup_table(aggregator: Agency, period: Period, members=None, *, today: dt.date | None = None) -> RollupTable:
    """The roll-up of `aggregator`'s members (or the given members, already scoped by the caller) for `period`,
    as of `today` (default: the current day) while the period runs."""
    today = today if today is not None else periods.today()
    as_of = period.cutoff(today)
    members = list(members if members is not None else members_of(aggregator))
    ids = [m.pk for m in members]
    with_dossiers, with_catalogue = _cchc_coverage(period, ids, as_of)

    def compute(missing: list[int]) -> dict[int, dict]:
        figures = _dossier_figures(period, missing, today)
        catalogue = _procedure_figures(as_of, missing)
        empty = DossierFigures()
        return {pk: cache.member_payload(figures.get(pk, empty), *catalogue.get(pk, (0, 0))) for pk in missing}

    covered = sorted(with_dossiers | with_catalogue)
    kept = cache.member_figures(period, covered, compute, today=today) if covered else {}
    dossiers = {pk: figures for pk, (figures, _total, _online) in kept.items()}
    procedures = {pk: (total, online) for pk, (_figures, total, online) in kept.items()}
    reported = _reported(period, ids, aggregator)
    submitted = submissions_for(aggregator, period, Agency.objects.filter(pk__in=ids))
    rows: list[RollupRow] = []
    for member in members:
        stated = reported.get(member.pk, {})
        cells: dict[str, RollupCell] = {}
        computed: dict[str, int] = {}
        if member.pk in with_catalogue:
            total, online = procedures.get(member.pk, (0, 0))
            computed.update({"procedures_total": total, "procedures_online": online})
        if member.pk in with_dossiers:
            figures = dossiers.get(member.pk, DossierFigures())
            computed.update({key: read(figures) for key, read in _DOSSIER_VALUES.items()})
        for key in KEYS:
            if key in computed:
                cells[key] = RollupCell(computed[key], COMPUTED, stated.get(key))
            else:
                value = stated.get(key)
                cells[key] = RollupCell(_plain(value), REPORTED if value is not None else None)
        uses_cchc = member.pk in with_dossiers or member.pk in with_catalogue
        rows.append(RollupRow(member, uses_cchc, cells, submitted.get(member.pk)))
    totals: dict[str, Decimal | int | None] = {}
    for key in KEYS:
        values = [row.cells[key].value for row in rows if row.cells[key].value is not None]
        totals[key] = _plain(sum(values, Decimal(0))) if values else None
    missing = [row.agency for row in rows if row.submission is None]
    late = [(row.agency, row.submission) for row in rows if row.submission is not None and row.submission.late]
    return RollupTable(aggregator, period, rows, totals, missing, late, as_of)


SOURCE_LABELS = {
    COMPUTED: gettext_lazy("Tính từ cchc"),
    REPORTED: gettext_lazy("Theo báo cáo"),
    "mixed": gettext_lazy("cchc và báo cáo"),
    None: gettext_lazy("Chưa có số liệu"),
}


def as_document_table(table: RollupTable):
    """The roll-up as a rendering Table (for .xlsx and, later, a report block)."""
    from cchc.reports.rendering import Table

    columns = [_("TT"), _("Cơ quan"), *[str(label) for _key, label in COLUMNS],
               _("Tỷ lệ đúng hạn (%)"), _("Tỷ lệ trực tuyến (%)"), _("Nguồn số liệu"), _("Đã gửi báo cáo")]  # fmt: skip
    rows: list[list[Any]] = []
    for number, row in enumerate(table.rows, start=1):
        on_time, online = table.row_rates(row)
        sent = _("Chưa gửi") if row.submission is None else (_("Gửi muộn") if row.submission.late else _("Đã gửi"))
        rows.append([
            number, table.member_label(row.agency), *[_number(c.value) for c in row.ordered_cells()],
            _number(on_time), _number(online), str(SOURCE_LABELS[row.source]), sent,
        ])  # fmt: skip
    rows.append([
        "", _("Tổng cộng"), *[_number(v) for v in table.ordered_totals()],
        _number(table.on_time_rate), _number(table.online_rate), "", "",
    ])  # fmt: skip
    totals_row = len(rows) - 1
    coverage = table.coverage()
    if coverage is not None:
        # Which members each total and rate covers, right under them, as text ("2/3" is not a number to add up).
        rows.append(["", _("Số cơ quan có số liệu"), *coverage, "", ""])
    title = _("Tổng hợp số liệu %(period)s – %(aggregator)s") % {
        "period": table.period.label, "aggregator": table.aggregator.name}  # fmt: skip
    if table.as_of_text:
        title = f"{title} ({table.as_of_text.lower()})"
    return Table(columns=columns, rows=rows, title=title, bold_rows=[totals_row])


def _number(value: Any) -> Any:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def export_xlsx(table: RollupTable) -> bytes:
    """The roll-up as an .xlsx workbook (one sheet), numbers as numbers, with the source of each row."""
    from cchc.reports.rendering.xlsx import table_to_xlsx

    return table_to_xlsx([as_document_table(table)])
