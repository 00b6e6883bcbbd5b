"""The aggregator's table: one row per member agency for a period, whether the member uses cchc or not.

A member that keeps its dossiers or catalogue in cchc gets COMPUTED figures (the same definitions as the statistics
service: statistics.classification for dossiers, the catalogue in force on the period's last day for procedures);
any other member gets the figures it REPORTED (ReportedFigure rows from imported reports). Each cell says which,
and a computed cell shows the reported value beside it when both exist. Totals add the cells that have a value;
rates are computed from the totals, never averaged.

A fixed number of queries whatever the number of members: one GROUP BY over the dossiers, one over the catalogue,
two to know who uses cchc, one for the reported figures and one for the submissions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.agencies.models import Agency
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Procedure
from cchc.statistics import classification
from cchc.statistics.classification import FLAG_NAMES
from cchc.statistics.periods import Period
from cchc.statistics.service import DossierFigures, procedures_in_force

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
    ("dossiers_on_time", gettext_lazy("Trước hạn, đúng hạn")),
    ("dossiers_late", gettext_lazy("Quá hạn")),
    ("dossiers_in_progress", gettext_lazy("Đang giải quyết")),
]
KEYS = [key for key, _label in COLUMNS]

_DOSSIER_VALUES = {
    "dossiers_received": lambda f: f.received_total,
    "dossiers_online": lambda f: f.received_online,
    "dossiers_resolved": lambda f: f.resolved,
    "dossiers_on_time": lambda f: f.resolved_on_time_or_early,
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


def _rate(part, whole) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * float(part) / float(whole), 2)


@dataclass
class RollupTable:
    aggregator: Agency
    period: Period
    rows: list[RollupRow]
    totals: dict[str, Decimal | int | None] = field(default_factory=dict)
    missing: list[Agency] = field(default_factory=list)
    late: list[tuple[Agency, Submission]] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / resolved over all members, in %."""
        return _rate(self.totals.get("dossiers_on_time"), self.totals.get("dossiers_resolved"))

    @property
    def online_rate(self) -> float | None:
        """Dossiers received online / all received, in %."""
        return _rate(self.totals.get("dossiers_online"), self.totals.get("dossiers_received"))

    @property
    def procedures_online_rate(self) -> float | None:
        return _rate(self.totals.get("procedures_online"), self.totals.get("procedures_total"))

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
        cells = row.cells
        return (
            _rate(cells["dossiers_on_time"].value, cells["dossiers_resolved"].value),
            _rate(cells["dossiers_online"].value, cells["dossiers_received"].value),
        )


def _cchc_coverage(period: Period, ids: list[int]) -> tuple[set[int], set[int]]:
    """Which members cchc can compute for `period`: (those whose dossiers it holds by the period's end, those with a
    catalogue in force on its last day). A department that started using cchc in 2023 still reports 2020 itself."""
    first_dossier = (
        Dossier.objects.filter(agency_id__in=ids).order_by().values("agency_id").annotate(first=Min("received_on"))
    )
    with_dossiers = {row["agency_id"] for row in first_dossier if row["first"] <= period.end}
    with_catalogue = set(
        Procedure.objects.filter(agency_id__in=ids)
        .in_force_on(period.end)
        .order_by()
        .values_list("agency_id", flat=True)
        .distinct()
    )
    return with_dossiers, with_catalogue


def _dossier_figures(period: Period, ids: list[int]) -> dict[int, DossierFigures]:
    """agency id -> its dossier figures, in one GROUP BY with the statistics service's conditional counts."""
    aggregates = {name: Count("pk", filter=q) for name, q in classification.conditions(period).items()}
    rows = (
        Dossier.objects.filter(agency_id__in=ids)
        .filter(classification.relevant(period))
        .order_by()
        .values("agency_id")
        .annotate(**aggregates)
    )
    return {row["agency_id"]: DossierFigures(**{n: row[n] or 0 for n in FLAG_NAMES}) for row in rows}


def _procedure_figures(period: Period, ids: list[int]) -> dict[int, tuple[int, int]]:
    """agency id -> (procedures in force on the period's last day, of which online fully or partly)."""
    rows = (
        procedures_in_force(period.end, agencies=ids)
        .order_by()
        .values("agency_id")
        .annotate(total=Count("pk"), online=Count("pk", filter=Q(online_service__in=("full", "partial"))))
    )
    return {row["agency_id"]: (row["total"], row["online"]) for row in rows}


def _reported(period: Period, ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """agency id -> key -> value, the latest import winning when two reports state the same figure."""
    found: dict[int, dict[str, Decimal]] = {}
    rows = ReportedFigure.objects.filter(agency_id__in=ids, period_key=period.key, key__in=KEYS).order_by(
        "imported_at", "pk"
    )
    for row in rows:
        found.setdefault(row.agency_id, {})[row.key] = row.value
    return found


def _plain(value: Decimal | int | None) -> Decimal | int | None:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def rollup_table(aggregator: Agency, period: Period, members=None) -> RollupTable:
    """The roll-up of `aggregator`'s members (or the given members, already scoped by the caller) for `period`."""
    members = list(members if members is not None else members_of(aggregator))
    ids = [m.pk for m in members]
    with_dossiers, with_catalogue = _cchc_coverage(period, ids)
    dossiers = _dossier_figures(period, sorted(with_dossiers)) if with_dossiers else {}
    procedures = _procedure_figures(period, sorted(with_catalogue)) if with_catalogue else {}
    reported = _reported(period, ids)
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
    return RollupTable(aggregator, period, rows, totals, missing, late)


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
    title = _("Tổng hợp số liệu %(period)s – %(aggregator)s") % {
        "period": table.period.label, "aggregator": table.aggregator.name}  # fmt: skip
    return Table(columns=columns, rows=rows, title=title, bold_rows=[len(rows) - 1])


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
