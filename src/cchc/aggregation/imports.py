"""Import an existing report (Word, text, PDF) into cchc: stage -> review -> confirm.

- stage_file reads the file with the extractor and keeps what it found in an ImportedReport, changing nothing else.
  The file's SHA-256 identifies it: the same file uploaded again returns the row already there.
- review compares the extracted items with what cchc holds: each cited document found in the agency's registry or
  new, each task found in the agency's plans of the report's year or new, each figure beside the value cchc computes
  for the same agency and period when the agency uses cchc.
- confirm writes everything in one transaction: the cited documents into the registry (as incoming or historic
  entries, never taking a register number), the tasks into a plan with their ratings, the figures as
  ReportedFigure rows of the agency and period, and a Submission dated by the report's date. Confirming twice does
  nothing twice; a failure leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.documents.models import Direction, Document, DocumentKind
from cchc.extraction.vocabulary import FIGURE_KEYS
from cchc.plans import services as plan_services
from cchc.plans.models import Plan, PlanKind, Task
from cchc.plans.rating import Progress, Rating
from cchc.statistics.periods import Period, parse_period
from cchc.text import fold, nfc

from .models import ImportedReport, ImportStatus, ReportedFigure
from .submissions import record_imported_submission

MAX_FILE_BYTES = 20 * 1024 * 1024
ACCEPTED_SUFFIXES = (".docx", ".txt", ".md", ".pdf")

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

_RATINGS = {fold(r.label): r.value for r in Rating}
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ROMAN_CODE = re.compile(r"^(?=[IVXLC])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUMERIC_CODE = re.compile(r"^\d+(?:\.\d+)*$")
_LETTER_CODE = re.compile(r"^[a-zđ]$")


class ImportRejected(Exception):
    """The file or the confirmation cannot be accepted; the message is for the officer (Vietnamese)."""


# --- staging -----------------------------------------------------------------------------------------------------


def _read(file: Any, filename: str | None) -> tuple[bytes, str]:
    if isinstance(file, (str, Path)):
        path = Path(file)
        try:
            return path.read_bytes(), filename or path.name
        except OSError as exc:
            raise ImportRejected(_("Không mở được tệp %(name)s.") % {"name": path.name}) from exc
    if isinstance(file, bytes):
        return file, filename or ""
    name = filename or Path(getattr(file, "name", "") or "").name
    if hasattr(file, "chunks"):
        return b"".join(file.chunks()), name
    return file.read(), name


def _looks_like_report(data: dict) -> bool:
    """A file the extractor read but that is no administrative report (a spreadsheet saved as text, a letter
    without any of a report's parts) is foreign: nothing to import from it."""
    metadata = data.get("metadata") or {}
    found = [metadata.get("title"), metadata.get("document_type"), metadata.get("symbol")]
    return bool(any(found) and (data.get("figures") or data.get("references") or data.get("tasks") or
                                data.get("sections")))  # fmt: skip


def stage_file(agency: Agency, file: Any, actor, *, filename: str | None = None) -> ImportedReport:
    """Read a report file (a path, bytes or an uploaded file) for `agency`; return the ImportedReport waiting for
    review. The same file staged again returns the existing row (whatever its status) and changes nothing."""
    from cchc.extraction.extract import ExtractionError, extract

    data, name = _read(file, filename)
    name = nfc(Path(name).name)[:255] or "bao-cao"
    if not data:
        raise ImportRejected(_("Tệp %(name)s rỗng.") % {"name": name})
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(_("Tệp %(name)s quá lớn (tối đa 20 MB).") % {"name": name})
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        raise ImportRejected(_("Tệp %(name)s không phải báo cáo dạng .docx, .txt, .md hoặc .pdf.") % {"name": name})
    digest = hashlib.sha256(data).hexdigest()
    existing = ImportedReport.objects.filter(agency=agency, sha256=digest).first()
    if existing is not None:
        if existing.status == ImportStatus.DISCARDED:
            # Uploading a dropped file again means the officer wants it after all: back to review, nothing re-read.
            with transaction.atomic():
                existing.status = ImportStatus.PENDING
                existing.save(update_fields=["status"])
                audit.record(existing, actor, AuditEntry.Action.UPDATE,
                             changes={"status": ["discarded", "pending_review"]},
                             summary=_("Tải lại báo cáo đã bỏ: %(name)s") % {"name": existing.file_name})  # fmt: skip
        return existing
    try:
        extracted = extract(data, name)
    except ExtractionError as exc:
        raise ImportRejected(_("Không đọc được tệp %(name)s: %(error)s") % {"name": name, "error": exc}) from exc
    except Exception as exc:  # noqa: BLE001 - a damaged file must give the officer a message, not a server error
        raise ImportRejected(
            _("Không đọc được tệp %(name)s: tệp hỏng hoặc không đúng định dạng.") % {"name": name}
        ) from exc
    if not _looks_like_report(extracted):
        raise ImportRejected(
            _("Tệp %(name)s không giống một báo cáo hành chính: không thấy trích yếu, số liệu, văn bản hay nhiệm vụ.")
            % {"name": name}
        )
    period = guess_period(extracted.get("metadata") or {})
    with transaction.atomic():
        imported, created = ImportedReport.objects.get_or_create(
            agency=agency,
            sha256=digest,
            defaults={
                "file_name": name,
                "extracted": extracted,
                "period_key": period.key if period else "",
                "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if created:
            audit.record(
                imported, actor, AuditEntry.Action.IMPORT,
                changes={"file": name, "sha256": digest, "period": imported.period_key},
                summary=_("Tải lên báo cáo để nhập: %(name)s") % {"name": name},
            )  # fmt: skip
    return imported


def guess_period(metadata: dict) -> Period | None:
    """The period a report covers, read from its title ("Quý I năm 2023", "6 tháng đầu năm", "9 tháng", "năm
    2020"); None when the title says nothing the officer could not correct better."""
    title = fold(metadata.get("title") or "")
    years = re.findall(r"\b((?:19|20)\d{2})\b", title)
    date = metadata.get("date") or ""
    year = int(years[-1]) if years else (int(date[:4]) if re.match(r"\d{4}", date) else None)
    if year is None:
        return None
    try:
        if match := re.search(r"\bquy\s+(iv|iii|ii|i|[1-4])\b", title):
            return parse_period(f"{year}-Q{_QUARTERS[match.group(1)]}")
        if re.search(r"\b6 thang (dau|dau nam)\b", title) or "sau thang dau" in title:
            return parse_period(f"{year}-H1")
        if re.search(r"\b6 thang cuoi\b", title):
            return parse_period(f"{year}-H2")
        if re.search(r"\b9 thang\b", title) or "chin thang" in title:
            return parse_period(f"{year}-9M")
        if match := re.search(r"\bthang\s+(\d{1,2})\b", title):
            return parse_period(f"{year}-{int(match.group(1)):02d}")
        if years:
            return parse_period(str(year))
    except ValueError:
        return None
    return None


def report_date(metadata: dict) -> dt.date | None:
    """The report's own date when the day is known (a draft's blank day gives None)."""
    try:
        return dt.date.fromisoformat(metadata.get("date") or "")
    except ValueError:
        return None


# --- review ------------------------------------------------------------------------------------------------------


@dataclass
class ReferenceRow:
    index: int
    data: dict
    existing: Document | None
    registrable: bool  # has a number and symbol: it identifies one document


@dataclass
class TaskRow:
    index: int
    data: dict
    existing: Task | None


@dataclass
class FigureRow:
    key: str
    value: Any
    source: str
    computed: Any = None

    @property
    def label(self) -> str:
        """The figure as the review page names it (the vocabulary's Vietnamese meaning, never the key)."""
        return FIGURE_KEYS.get(self.key) or _("Số liệu khác của báo cáo")

    @property
    def differs(self) -> bool:
        if self.computed is None:
            return False
        try:
            return Decimal(str(self.value)) != Decimal(str(self.computed))
        except InvalidOperation:
            return True


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

    @property
    def new_references(self) -> int:
        return sum(1 for row in self.references if row.registrable and row.existing is None)

    @property
    def new_tasks(self) -> int:
        return sum(1 for row in self.tasks if row.existing is None)


class _Ref:
    """What documents.services.match_references reads from a reference."""

    def __init__(self, data: dict) -> None:
        self.number = data.get("number")
        self.symbol = data.get("symbol")


def _match_documents(agency: Agency, references: list[dict]) -> list[Document | None]:
    from cchc.documents.services import match_references

    refs = [_Ref(r) for r in references]
    return [doc for _ref, doc in match_references(refs, Document.objects.filter(agency=agency))]


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
    plan_kind: str | None = None,
) -> Review:  # fmt: skip
    """What confirming would do, item by item, with the officer's corrections of agency, period and plan kind."""
    from cchc.statistics.service import compute

    agency = agency or imported.agency
    if isinstance(period, str):
        period = parse_period(period)
    if period is None and imported.period_key:
        period = parse_period(imported.period_key)
    data = imported.extracted
    result = Review(imported, agency, period, plan_kind or PlanKind.CCHC_ANNUAL, _plan_year(imported, period))
    references = data.get("references") or []
    for index, (ref, doc) in enumerate(zip(references, _match_documents(agency, references), strict=True)):
        registrable = bool(ref.get("number") and ref.get("symbol"))
        result.references.append(ReferenceRow(index, ref, doc, registrable))
    existing_tasks = _task_index(agency, result.plan_year)
    for index, task in enumerate(data.get("tasks") or []):
        key = (plan_services.normalize_code(task.get("code")), fold(nfc(task.get("content") or "").strip()))
        result.tasks.append(TaskRow(index, task, existing_tasks.get(key)))
    statistics = None
    result.uses_cchc = agency_uses_cchc(agency)
    if result.uses_cchc and period is not None:
        statistics = compute(period, agencies=[agency])
    sources = data.get("figure_sources") or {}
    for key, value in (data.get("figures") or {}).items():
        computed = computed_value(statistics, key) if statistics is not None else None
        result.figures.append(FigureRow(key, value, sources.get(key) or "", computed))
    return result


# --- confirm -----------------------------------------------------------------------------------------------------


def _require_editor(actor, agency: Agency) -> None:
    from .submissions import may_import_for

    if not may_import_for(actor, agency):
        raise PermissionDenied(_("Bạn không có quyền nhập báo cáo cho cơ quan này."))


def recording_aggregator(actor, agency: Agency) -> Agency | None:
    """The aggregator whose own record an import by `actor` lands in, or None when `actor` imports for their own
    agency (an editor of its reports), whose registry, plans and figures the import then completes."""
    from cchc.reports import services

    from .submissions import acting_aggregator

    if services.can(actor, "report.edit", agency):
        return None
    return acting_aggregator(actor, agency)


def only_figures_note(aggregator: Agency) -> str:
    return _(
        "Nhập với tư cách cơ quan tổng hợp: chỉ lưu số liệu của báo cáo cho %(aggregator)s; sổ văn bản và kế hoạch "
        "của cơ quan báo cáo không thay đổi."
    ) % {"aggregator": aggregator.name}


def _deadline_text(value: Any) -> str:
    """The extractor writes deadlines as ISO (YYYY-MM-DD, YYYY-MM, YYYY); the plans read them as plans write them."""
    text = str(value or "").strip()
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return f"{int(match.group(3)):02d}/{int(match.group(2)):02d}/{match.group(1)}"
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return f"Tháng {int(match.group(2))}/{match.group(1)}"
    if re.fullmatch(r"\d{4}", text):
        return f"Năm {text}"
    return text


def _own_document(agency: Agency, ref: dict) -> bool:
    """A document the agency issued itself (its code is the issuer part of the symbol): a historic outgoing entry."""
    issuer = fold(ref.get("issuer") or "").replace("-", "").replace(" ", "")
    return bool(issuer) and issuer == fold(agency.code).replace("-", "").replace(" ", "")


def _register_reference(agency: Agency, ref: dict, actor, source_name: str) -> Document:
    try:
        issue_date = dt.date.fromisoformat(ref.get("date") or "")
    except ValueError:
        issue_date = None
    number = nfc(ref.get("number") or "").strip()
    year = issue_date.year if issue_date else None
    if year is None and (match := re.match(r"\d+/((?:19|20)\d{2})$", number)):
        year = int(match.group(1))
    document = Document.objects.create(
        agency=agency,
        register=None,  # no number allocation: the number is the one the document carries
        direction=Direction.OUTGOING if _own_document(agency, ref) else Direction.INCOMING,
        kind=DocumentKind.from_name(ref.get("kind")),
        number=number[:32],
        year=year,
        symbol=nfc(ref.get("symbol") or "").strip()[:64],
        issue_date=issue_date,
        issuing_body=nfc(ref.get("issuer") or "")[:255],
        excerpt=nfc(ref.get("excerpt") or ""),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        document, actor, AuditEntry.Action.IMPORT,
        changes={"number": number, "symbol": document.symbol, "source": source_name},
        summary=_("Vào sổ văn bản %(doc)s từ báo cáo nhập") % {"doc": document.number_symbol},
    )  # fmt: skip
    return document


def _find_plan(agency: Agency, kind: str, year: int) -> Plan | None:
    return Plan.objects.filter(agency=agency, kind=kind, year=year).order_by("pk").first()


def _code_kind(code: str) -> str | None:
    if _ROMAN_CODE.match(code):
        return "roman"
    if _NUMERIC_CODE.match(code):
        return "numeric"
    if _LETTER_CODE.match(code):
        return "letter"
    return None


def _import_tasks(plan: Plan, tasks: list[dict], actor, on: dt.date, warnings: list[str]) -> tuple[int, int]:
    """Add the report's task rows to `plan` in order, nested by their codes (I > 1 > 1.1 > a), skipping rows
    already in the plan (same code under the same parent); then record each new leaf's rating."""
    existing = {(t.parent_id, t.code): t for t in plan.tasks.all()}
    roman: Task | None = None
    numbered: dict[str, Task] = {}
    last_numbered: Task | None = None
    created: list[tuple[Task, dict]] = []
    skipped = 0
    for row in tasks:
        code = plan_services.normalize_code(row.get("code"))
        content = nfc(row.get("content") or "").strip()
        kind = _code_kind(code)
        if not code or not content or kind is None:
            warnings.append(_("Bỏ qua dòng nhiệm vụ «%(code)s %(content)s»: thiếu số thứ tự hoặc nội dung.")
                            % {"code": code, "content": content[:60]})  # fmt: skip
            skipped += 1
            continue
        if kind == "roman":
            parent = None
        elif kind == "letter":
            parent = last_numbered
        elif "." in code:
            parent = numbered.get(code.rsplit(".", 1)[0], roman)
        else:
            parent = roman
        task = existing.get((parent.pk if parent else None, code))
        if task is None:
            task = plan_services.create_task(
                plan, code=code, content=content, actor=actor, parent=parent, volume=nfc(row.get("volume") or ""),
                deadline=_deadline_text(row.get("deadline")),
                content_complete=_RATINGS.get(fold(row.get("rating") or "")) != Rating.DONE,
            )  # fmt: skip
            existing[(task.parent_id, task.code)] = task
            created.append((task, row))
        else:
            skipped += 1
        if kind == "roman":
            roman, numbered, last_numbered = task, {}, None
        elif kind == "numeric":
            numbered[code] = task
            last_numbered = task
    parents = {task.parent_id for task in plan.tasks.all() if task.parent_id}
    for task, row in created:
        if task.pk in parents:
            continue  # a group row: its children carry the progress
        rating = _RATINGS.get(fold(row.get("rating") or ""))
        result = nfc(row.get("result") or "").strip()
        text = result or _("Theo báo cáo đã nhập")
        if rating in (Rating.GOOD, Rating.DONE, Rating.LATE):
            plan_services.record_progress(task, text, Progress.DONE, completed_on=on, actor=actor, on=on, result=result)
            plan_services.set_rating(task, rating, _("Theo đánh giá trong báo cáo đã nhập"), actor=actor)
        elif result:
            plan_services.record_progress(task, text, Progress.IN_PROGRESS, actor=actor, on=on, result=result)
    return len(created), skipped


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def confirm(imported: ImportedReport, corrections: dict[str, Any] | None, actor) -> ImportedReport:
    """Write the reviewed report into cchc in one transaction. `corrections` may hold:
    period (key, e.g. "2023-Q1"), agency (Agency), plan_kind, plan_year, figures ({key: value; None drops it}),
    references (indexes to register; default all new ones), tasks (False: do not import the task table),
    aggregator (Agency the report was sent to, or None).
    A confirmed report is returned as it is: confirming twice does nothing twice."""
    corrections = dict(corrections or {})
    agency: Agency = corrections.get("agency") or imported.agency
    _require_editor(actor, agency)
    recorded_for = recording_aggregator(actor, agency)
    period_text = corrections.get("period") or imported.period_key
    if not period_text:
        raise ValidationError({"period": _("Chưa xác định kỳ báo cáo: hãy chọn kỳ (ví dụ 2023-Q1).")})
    try:
        period = parse_period(period_text) if isinstance(period_text, str) else period_text
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    plan_kind = corrections.get("plan_kind") or PlanKind.CCHC_ANNUAL
    if plan_kind not in PlanKind.values:
        raise ValidationError({"plan_kind": _("Loại kế hoạch không hợp lệ.")})
    plan_year = int(corrections.get("plan_year") or period.year or period.end.year)
    metadata = imported.metadata
    on = min(report_date(metadata) or period.end, timezone.localdate())
    with transaction.atomic():
        locked = ImportedReport.objects.select_for_update().get(pk=imported.pk)
        if locked.status == ImportStatus.CONFIRMED:
            return locked
        if locked.status == ImportStatus.DISCARDED:
            raise ValidationError(_("Báo cáo này đã bị bỏ, không thể xác nhận."))
        data = locked.extracted
        warnings: list[str] = []
        # Documents cited, then the report itself when it carries its number.
        references = list(data.get("references") or [])
        chosen = corrections.get("references")
        wanted = set(range(len(references))) if chosen is None else {int(i) for i in chosen}
        own = {"kind": metadata.get("document_type"), "number": metadata.get("number"),
               "symbol": metadata.get("symbol"), "date": metadata.get("date"), "issuer": agency.code,
               "excerpt": metadata.get("title")}  # fmt: skip
        candidates = [ref for i, ref in enumerate(references) if i in wanted] + [own]
        candidates = [ref for ref in candidates if ref.get("number") and ref.get("symbol")]
        if recorded_for is not None:
            # An aggregator keeps its own record of what the member reported: the member's registry and plans
            # are the member's to change.
            candidates = []
            warnings.append(only_figures_note(recorded_for))
        documents_created = 0
        seen: set[tuple[str, str]] = set()
        for ref, match in zip(candidates, _match_documents(agency, candidates), strict=True):
            key = (str(ref["number"]).lstrip("0"), fold(ref["symbol"]).replace(" ", ""))
            if match is not None or key in seen:
                continue
            seen.add(key)
            _register_reference(agency, ref, actor, locked.file_name)
            documents_created += 1
        # Tasks.
        tasks_created = tasks_skipped = 0
        plan_id = None
        rows = data.get("tasks") or []
        if rows and corrections.get("tasks", True) and recorded_for is None:
            plan = _find_plan(agency, plan_kind, plan_year)
            if plan is None:
                plan = plan_services.create_plan(
                    agency, kind=plan_kind, year=plan_year, actor=actor,
                    title=_("%(kind)s %(year)s (nhập từ báo cáo)") % {"kind": PlanKind(plan_kind).label,
                                                                       "year": plan_year},
                )  # fmt: skip
            plan_id = plan.pk
            tasks_created, tasks_skipped = _import_tasks(plan, rows, actor, on, warnings)
        # Figures.
        figures = dict(data.get("figures") or {})
        for key, value in (corrections.get("figures") or {}).items():
            if value is None:
                figures.pop(key, None)
            else:
                figures[key] = value
        sources = data.get("figure_sources") or {}
        figures_saved = 0
        for key, value in figures.items():
            number = _decimal(value)
            if number is None:
                raise ValidationError({"figures": _("Số liệu «%(key)s» không phải là số: %(value)s")
                                       % {"key": key, "value": value}})  # fmt: skip
            ReportedFigure.objects.update_or_create(
                agency=agency, period_key=period.key, key=key, source_sha256=locked.sha256,
                defaults={
                    "period_start": period.start, "period_end": period.end, "value": number,
                    "source_sentence": nfc(sources.get(key) or ""), "source_name": locked.file_name,
                    "imported": locked, "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
                    "recorded_for": recorded_for,
                },
            )  # fmt: skip
            figures_saved += 1
        # The submission this report stands for, dated by the report (its day, else the end of its period).
        day = report_date(metadata) or period.end
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))
        record_imported_submission(locked, agency, period, moment, actor, corrections.get("aggregator"))
        before = {"status": locked.status, "agency": locked.agency.name, "period": locked.period_key}
        locked.status = ImportStatus.CONFIRMED
        locked.agency = agency
        locked.period_key = period.key
        locked.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.confirmed_at = timezone.now()
        locked.result = {
            "documents": documents_created,
            "tasks": tasks_created,
            "tasks_skipped": tasks_skipped,
            "figures": figures_saved,
            "plan": plan_id,
            "warnings": warnings,
        }
        locked.save()
        audit.record(
            locked, actor, AuditEntry.Action.IMPORT,
            changes={"before": before, **locked.result, "period": period.key},
            summary=_("Xác nhận nhập báo cáo %(name)s") % {"name": locked.file_name},
        )  # fmt: skip
    return locked


def discard(imported: ImportedReport, actor) -> ImportedReport:
    """Drop a staged report without importing anything (a confirmed one stays confirmed)."""
    _require_editor(actor, imported.agency)
    with transaction.atomic():
        locked = ImportedReport.objects.select_for_update().get(pk=imported.pk)
        if locked.status != ImportStatus.PENDING:
            return locked
        locked.status = ImportStatus.DISCARDED
        locked.save(update_fields=["status"])
        audit.record(locked, actor, AuditEntry.Action.UPDATE, changes={"status": ["pending_review", "discarded"]},
                     summary=_("Bỏ báo cáo đã tải lên"))  # fmt: skip
    return locked
