"""What the review page shows and confirming would do, item by item: each cited document found in the agency's
registry or new, each task found in the agency's plans of the report's year or new, each figure (its label, the
value read and the value corrected, its source sentence marked in the document's text) beside the value cchc
computes for the same agency and period when the agency uses cchc; the agency and period proposed; the earlier
uploads of the same report that confirming would replace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cchc.agencies.models import Agency
from cchc.extraction.vocabulary import FIGURE_LABELS, figure_label
from cchc.plans import services as plan_services
from cchc.plans.models import PlanKind, Task
from cchc.statistics.periods import Period, parse_period
from cchc.text import fold, nfc

from ..models import AgencySource, ImportedReport
from . import duplicates as duplicate_reports
from .agencies import AgencyProposal, propose_agency
from .confirm import match_documents
from .document import MarkedDocument, mark_sources
from .edits import current_figures, figure_sources, read_figures
from .periods import PeriodGuess, propose_period, report_date
from .values import format_value

# Extractor figure key -> how cchc computes the same figure (statistics.service): (part, attribute path).
COMPUTED_KEYS: dict[str, tuple[str, str]] = {
    "dossiers_received": ("dossiers", "received_total"),
    "dossiers_carried_over": ("dossiers", "carried_over"),
    "dossiers_online": ("dossiers", "received_online"),
    "dossiers_direct": ("dossiers", "received_direct"),
    "dossiers_postal": ("dossiers", "received_postal"),
    "dossiers_resolved": ("dossiers", "resolved"),
    "dossiers_early_or_on_time": ("dossiers", "resolved_on_time_or_early"),
    "dossiers_late": ("dossiers", "resolved_late"),
    "dossiers_in_progress": ("dossiers", "in_progress"),
    "on_time_rate_pct": ("dossiers", "on_time_rate"),
    "procedures_total": ("procedures", "total"),
    "procedures_one_stop": ("procedures", "one_stop"),
    "procedures_online": ("procedures", "online"),
    "procedures_online_full": ("procedures", "online_full"),
    "procedures_online_partial": ("procedures", "online_partial"),
}


@dataclass
class ReferenceRow:
    index: int
    data: dict
    existing: Any  # Document | None
    registrable: bool  # has a number and symbol: it identifies one document


@dataclass
class TaskRow:
    index: int
    data: dict
    existing: Task | None


@dataclass
class FigureRow:
    key: str
    value: Any  # as it stands (read, or corrected)
    source: str
    computed: Any = None
    read: Any = None  # as read (None: added on the review page)
    anchor: str = ""  # the id of its source sentence in the document's text
    typed: str | None = None  # what the officer typed, when the page comes back with an error
    error: str = ""

    @property
    def label(self) -> str:
        """The figure as the review page names it (the vocabulary's Vietnamese meaning, never the key)."""
        return figure_label(self.key)

    @property
    def shown(self) -> str:
        return self.typed if self.typed is not None else format_value(self.value)

    @property
    def read_shown(self) -> str:
        return format_value(self.read)

    @property
    def edited(self) -> bool:
        return self.read is None or not _equal(self.read, self.value)

    @property
    def computed_shown(self) -> str:
        return format_value(self.computed)

    @property
    def differs(self) -> bool:
        if self.computed is None:
            return False
        return not _equal(self.value, self.computed)


def _equal(a: Any, b: Any) -> bool:
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return str(a) == str(b)


@dataclass
class Review:
    imported: ImportedReport
    agency: Agency
    period: Period | None
    plan_kind: str
    plan_year: int | None
    references: list[ReferenceRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    figures: list[FigureRow] = field(default_factory=list)
    uses_cchc: bool = False
    proposal: AgencyProposal | None = None
    period_guess: PeriodGuess | None = None
    duplicates: list[ImportedReport] = field(default_factory=list)
    document: MarkedDocument | None = None

    @property
    def new_references(self) -> int:
        return sum(1 for row in self.references if row.registrable and row.existing is None)

    @property
    def new_tasks(self) -> int:
        return sum(1 for row in self.tasks if row.existing is None)

    @property
    def addable(self) -> list[tuple[str, str]]:
        """(key, label) of the vocabulary's figures not in the table yet, for the "add a figure" list."""
        present = {row.key for row in self.figures}
        return [(key, str(label)) for key, label in FIGURE_LABELS.items() if key not in present]

    @property
    def duplicate_texts(self) -> list[tuple[ImportedReport, str]]:
        return [(row, duplicate_reports.describe(row)) for row in self.duplicates]


def agency_uses_cchc(agency: Agency | int) -> bool:
    """Does the agency keep its dossiers or its catalogue in cchc? Then cchc computes its figures itself."""
    from cchc.dossiers.models import Dossier
    from cchc.procedures.models import Procedure

    agency_id = agency if isinstance(agency, int) else agency.pk
    return (
        Dossier.objects.filter(agency_id=agency_id).exists() or Procedure.objects.filter(agency_id=agency_id).exists()
    )


def computed_value(statistics, key: str) -> Any:
    """The value cchc computes for an extractor figure key, or None for a key it does not compute."""
    spec = COMPUTED_KEYS.get(key)
    if spec is None:
        return None
    part, name = spec
    if name == "online_full":
        return statistics.procedures.by_online_service["full"]
    if name == "online_partial":
        return statistics.procedures.by_online_service["partial"]
    return getattr(getattr(statistics, part), name)


def _plan_year(imported: ImportedReport, period: Period | None) -> int | None:
    if period is not None and period.year:
        return period.year
    date = imported.metadata.get("date") or ""
    return int(date[:4]) if re.match(r"\d{4}", date) else None


def _task_index(agency: Agency, year: int | None) -> dict[tuple[str, str], Task]:
    if year is None:
        return {}
    index: dict[tuple[str, str], Task] = {}
    for task in Task.objects.filter(plan__agency=agency, plan__year=year).order_by("pk"):
        index.setdefault((task.code, fold(task.content)), task)
    return index


def review(
    imported: ImportedReport, *, agency: Agency | None = None, period: Period | str | None = None,
    plan_kind: str | None = None, candidates: list[Agency] | None = None,
) -> Review:  # fmt: skip
    """What confirming would do, item by item, with the officer's corrections of agency, period and plan kind.
    `candidates` (the agencies the officer may import for) gives the agency proposal."""
    from cchc.statistics.service import compute

    agency = agency or imported.agency
    guess = propose_period(imported.metadata, imported.text)
    if isinstance(period, str):
        period = parse_period(period)
    if period is None and imported.period_key:
        period = parse_period(imported.period_key)
    if period is None and guess is not None:
        period = guess.period
    data = imported.extracted
    result = Review(imported, agency, period, plan_kind or PlanKind.CCHC_ANNUAL, _plan_year(imported, period))
    result.period_guess = guess
    if candidates is not None:
        day = report_date(imported.metadata) or (period.end if period else None)
        result.proposal = propose_agency(imported.metadata, candidates, day)
    # An upload whose agency is not known yet sits on its uploader's desk: nothing of the desk's own registry,
    # plans or figures says anything about it.
    known = imported.agency_source != AgencySource.UNKNOWN or agency.pk != imported.agency_id
    if known:
        result.duplicates = duplicate_reports.earlier_uploads(imported, agency)
    references = data.get("references") or []
    matches = match_documents(agency, references) if known else [None] * len(references)
    for index, (ref, doc) in enumerate(zip(references, matches, strict=True)):
        registrable = bool(ref.get("number") and ref.get("symbol"))
        result.references.append(ReferenceRow(index, ref, doc, registrable))
    existing_tasks = _task_index(agency, result.plan_year) if known else {}
    for index, task in enumerate(data.get("tasks") or []):
        key = (plan_services.normalize_code(task.get("code")), fold(nfc(task.get("content") or "").strip()))
        result.tasks.append(TaskRow(index, task, existing_tasks.get(key)))
    statistics = None
    result.uses_cchc = known and agency_uses_cchc(agency)
    if result.uses_cchc and period is not None:
        statistics = compute(period, agencies=[agency])
    sources = figure_sources(imported)
    read = read_figures(imported)
    figures = current_figures(imported)
    result.document = mark_sources(imported.text, {k: s for k, s in sources.items() if k in figures})
    for key, value in figures.items():
        computed = computed_value(statistics, key) if statistics is not None else None
        result.figures.append(FigureRow(key, value, sources.get(key) or "", computed, read.get(key),
                                        result.document.anchors.get(key, "")))  # fmt: skip
    return result
