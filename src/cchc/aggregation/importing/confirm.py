"""Confirming a reviewed report: everything written in one transaction. The cited documents go into the registry (as
incoming or historic entries, never taking a register number), the tasks into a plan with their ratings, the
figures as ReportedFigure rows of the agency and period, and a Submission dated by the report's date. An earlier
upload of the same report (duplicates.py) is replaced: its figures and submission go. Confirming twice does nothing
twice; a failure leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.documents.models import Direction, Document, DocumentKind
from cchc.extraction.vocabulary import canonical_key
from cchc.plans import services as plan_services
from cchc.plans.models import Plan, PlanKind, Task
from cchc.plans.rating import Progress, Rating
from cchc.statistics.periods import parse_period
from cchc.text import fold, nfc

from ..models import AgencySource, ImportedReport, ImportStatus, ReportedFigure
from ..submissions import record_imported_submission
from . import duplicates as duplicate_reports
from .edits import current_figures, figure_sources
from .periods import report_date
from .values import parse_value

_RATINGS = {fold(r.label): r.value for r in Rating}
_ROMAN_CODE = re.compile(r"^(?=[IVXLC])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUMERIC_CODE = re.compile(r"^\d+(?:\.\d+)*$")
_LETTER_CODE = re.compile(r"^[a-zđ]$")


def require_editor(actor, agency: Agency) -> None:
    from ..submissions import may_import_for

    if not may_import_for(actor, agency):
        raise PermissionDenied(_("Bạn không có quyền nhập báo cáo cho cơ quan này."))


def may_handle(user, imported: ImportedReport) -> bool:
    """May `user` review, correct, confirm or discard this upload? Those who may import for its agency; for an upload
    whose agency was not recognised (it waits on its uploader's desk), the aggregators and editors of that desk."""
    from cchc.agencies.scoping import can

    from ..submissions import can_aggregate, may_import_for

    if imported.agency_source == AgencySource.UNKNOWN:
        return can(user, "report.edit", imported.agency) or can_aggregate(user, imported.agency)
    return may_import_for(user, imported.agency)


def recording_aggregator(actor, agency: Agency) -> Agency | None:
    """The aggregator whose own record an import by `actor` lands in, or None when `actor` imports for their own
    agency (an editor of its reports), whose registry, plans and figures the import then completes."""
    from cchc.reports import services

    from ..submissions import acting_aggregator

    if services.can(actor, "report.edit", agency):
        return None
    return acting_aggregator(actor, agency)


def only_figures_note(aggregator: Agency) -> str:
    return _(
        "Nhập với tư cách cơ quan tổng hợp: chỉ lưu số liệu của báo cáo cho %(aggregator)s; sổ văn bản và kế hoạch "
        "của cơ quan báo cáo không thay đổi."
    ) % {"aggregator": aggregator.name}


class _Ref:
    """What documents.services.match_references reads from a reference."""

    def __init__(self, data: dict) -> None:
        self.number = data.get("number")
        self.symbol = data.get("symbol")


def match_documents(agency: Agency, references: list[dict]) -> list[Document | None]:
    from cchc.documents.services import match_references

    refs = [_Ref(r) for r in references]
    return [doc for _ref, doc in match_references(refs, Document.objects.filter(agency=agency))]


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


def confirmed_figures(imported: ImportedReport, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The figures confirming would store, checked (ValidationError naming the figure by its label): the current
    ones (read, then corrected on the review page), then `overrides` ({key: value; None drops it})."""
    figures = current_figures(imported)
    for key, value in (overrides or {}).items():
        key = canonical_key(key)
        if value is None:
            figures.pop(key, None)
        else:
            figures[key] = value
    checked = {}
    errors = []
    for key, value in figures.items():
        try:
            checked[key] = parse_value(value, key)
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError({"figures": errors})
    return checked


def _resolve_period(imported: ImportedReport, corrections: dict[str, Any]):
    period_text = corrections.get("period") or imported.period_key
    if not period_text:
        raise ValidationError({"period": _("Chưa xác định kỳ báo cáo: hãy chọn kỳ (ví dụ Quý I năm 2023).")})
    try:
        return parse_period(period_text) if isinstance(period_text, str) else period_text
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc


def confirm(imported: ImportedReport, corrections: dict[str, Any] | None, actor) -> ImportedReport:
    """Write the reviewed report into cchc in one transaction. `corrections` may hold:
    period (key, e.g. "2023-Q1"), agency (Agency), plan_kind, plan_year, figures ({key: value; None drops it}, over
    the corrections saved on the review page), references (indexes to register; default all new ones), tasks (False:
    do not import the task table), aggregator (Agency the report was sent to, or None).
    Earlier uploads of the same report are replaced. A confirmed report is returned as it is: confirming twice does
    nothing twice."""
    corrections = dict(corrections or {})
    agency: Agency | None = corrections.get("agency")
    if agency is None:
        if imported.agency_source == AgencySource.UNKNOWN:
            raise ValidationError({"agency": _("Chưa xác định cơ quan của báo cáo: hãy chọn cơ quan báo cáo.")})
        agency = imported.agency
    require_editor(actor, agency)
    recorded_for = recording_aggregator(actor, agency)
    period = _resolve_period(imported, corrections)
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
        if locked.status == ImportStatus.REPLACED:
            raise ValidationError(_("Báo cáo này đã được thay bằng một lần tải lên khác, không thể xác nhận."))
        clash = ImportedReport.objects.filter(agency=agency, sha256=locked.sha256).exclude(pk=locked.pk).first()
        if clash is not None:
            status = clash.get_status_display().lower()
            raise ValidationError(
                _("Tệp này đã được tải lên cho %(agency)s («%(name)s», %(status)s).")
                % {"agency": agency.name, "name": clash.file_name, "status": status}
            )
        figures = confirmed_figures(locked, corrections.get("figures"))
        data = locked.extracted
        warnings: list[str] = []
        earlier = duplicate_reports.earlier_uploads(locked, agency)
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
        for ref, match in zip(candidates, match_documents(agency, candidates), strict=True):
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
        # The earlier uploads of the same report go before this one's figures and submission come.
        replaced = duplicate_reports.replace(earlier, locked, actor)
        if replaced:
            warnings.append(_("Đã thay thế lần nhập trước của cùng báo cáo: %(names)s.")
                            % {"names": ", ".join(f"«{name}»" for name in replaced)})  # fmt: skip
        sources = figure_sources(locked)
        for key, number in figures.items():
            ReportedFigure.objects.update_or_create(
                agency=agency, period_key=period.key, key=key, source_sha256=locked.sha256,
                defaults={
                    "period_start": period.start, "period_end": period.end, "value": number,
                    "source_sentence": nfc(sources.get(key) or ""), "source_name": locked.file_name,
                    "imported": locked, "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
                    "recorded_for": recorded_for,
                },
            )  # fmt: skip
        # The submission this report stands for, dated by the report (its day, else the end of its period).
        day = report_date(metadata) or period.end
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))
        record_imported_submission(locked, agency, period, moment, actor, corrections.get("aggregator"))
        before = {"status": locked.status, "agency": locked.agency.name, "period": locked.period_key}
        locked.status = ImportStatus.CONFIRMED
        if locked.agency_id != agency.pk or locked.agency_source == AgencySource.UNKNOWN:
            locked.agency_source = AgencySource.CHOSEN
        locked.agency = agency
        locked.period_key = period.key
        locked.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.confirmed_at = timezone.now()
        locked.result = {
            "documents": documents_created,
            "tasks": tasks_created,
            "tasks_skipped": tasks_skipped,
            "figures": len(figures),
            "plan": plan_id,
            "replaced": replaced,
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
    if not may_handle(actor, imported):
        raise PermissionDenied(_("Bạn không có quyền nhập báo cáo cho cơ quan này."))
    with transaction.atomic():
        locked = ImportedReport.objects.select_for_update().get(pk=imported.pk)
        if locked.status != ImportStatus.PENDING:
            return locked
        locked.status = ImportStatus.DISCARDED
        locked.save(update_fields=["status"])
        audit.record(locked, actor, AuditEntry.Action.UPDATE, changes={"status": ["pending_review", "discarded"]},
                     summary=_("Bỏ báo cáo đã tải lên"))  # fmt: skip
    return locked
