"""Reports that stay what was submitted or approved, and changes to the data they reported.

Freezing. When a report is submitted, and again when it is approved, `keep` stores in that transition's
ReportVersion the figures the report computed (statistics of its period), the previews of its computed sections
and its .docx and .xlsx bytes; `keep_pdf` then converts that very .docx once (after the transition's transaction,
so no lock waits on LibreOffice). While the report stays submitted or approved its page and its downloads use these,
byte for byte, whatever happens to the data; returning it to draft makes it live again, and the next submission
freezes anew. A download never starts a conversion.

Changes to reported data. A dossier's figures belong to every period from its receipt to its end (received in
one, carried over into the next ones, resolved in another). So a receipt or a step dated at moment m changes the
figures of a report whose period ends on or after m's day — but only if m is not later than the moment the report was
frozen: a report of a running period states its figures as of that moment, and later events do not contradict it.
`reports_affected` finds those reports (submitted or approved, of the agency, any template); `check_change`
refuses such a change without a reason (ChangeReasonRequired); `record_change` keeps it against each report, where
the page lists it under "Số liệu đã thay đổi sau khi báo cáo được duyệt". dossiers/lifecycle.py calls them for
every receipt and step (keyword `change_reason`); a bulk writer (the dossier importer) calls `check_change` with
every moment it will write and `record_change` once per file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.text import nfc

from .blocks import REGISTRY, BlockContext, render_block
from .html import blocks_html
from .models import Report, ReportDataChange, ReportStatus, ReportVersion
from .wording import percent

FROZEN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

# The figures compared between the frozen report and the live data, with their Biểu 06 names.
DOSSIER_LABELS: dict[str, Any] = {
    "received_total": gettext_lazy("Số hồ sơ nhận giải quyết"),
    "received_online": gettext_lazy("Tiếp nhận trực tuyến"),
    "received_direct_or_postal": gettext_lazy("Tiếp nhận trực tiếp, dịch vụ bưu chính"),
    "carried_over": gettext_lazy("Từ kỳ trước chuyển qua"),
    "resolved": gettext_lazy("Số hồ sơ đã giải quyết"),
    "resolved_early": gettext_lazy("Giải quyết trước hạn"),
    "resolved_on_time": gettext_lazy("Giải quyết đúng hạn"),
    "resolved_late": gettext_lazy("Giải quyết quá hạn"),
    "refused": gettext_lazy("Từ chối giải quyết"),
    "withdrawn": gettext_lazy("Rút hồ sơ"),
    "in_progress": gettext_lazy("Số hồ sơ đang giải quyết"),
    "in_progress_within": gettext_lazy("Đang giải quyết trong hạn"),
    "in_progress_overdue": gettext_lazy("Đang giải quyết quá hạn"),
    "on_time_rate": gettext_lazy("Tỷ lệ giải quyết trước hạn, đúng hạn"),
    "online_rate": gettext_lazy("Tỷ lệ tiếp nhận trực tuyến"),
}
FIELD_KEYS = ("received_total", "resolved", "resolved_late", "in_progress", "in_progress_overdue")
PROCEDURE_LABELS: dict[str, Any] = {
    "total": gettext_lazy("Số TTHC thuộc thẩm quyền"),
    "online": gettext_lazy("TTHC cung cấp dịch vụ công trực tuyến"),
    "one_stop": gettext_lazy("TTHC thực hiện theo cơ chế một cửa"),
}


# --- the figures of a report ---------------------------------------------------------------------------------------


def _plain(blocks: list) -> str:
    """The text of computed blocks, to tell whether a section's figures changed (tables cell by cell)."""
    from .rendering import Paragraph, Table

    parts = []
    for item in blocks:
        if isinstance(item, Paragraph):
            parts.append(item.plain_text)
        elif isinstance(item, Table):
            for row in item.header_rows + item.body_rows:
                parts.append(" | ".join(cell.plain_text for cell in row))
    return "\n".join(parts)


def compute_figures(report: Report, cache: dict | None = None) -> dict[str, Any]:
    """What the report states, from the live data: the period's dossier figures (total and by field), the
    catalogue counts, and for every section with computed blocks their text and HTML preview."""
    cache = {} if cache is None else cache
    base = BlockContext(report, cache=cache)
    statistics = base.statistics()
    procedures = statistics.procedures
    sections: dict[str, dict[str, str]] = {}
    for section in report.sections.order_by("order"):
        rendered = []
        for name in section.blocks:
            if name in REGISTRY:
                rendered += render_block(name, report, base.with_options(section.options))
        if rendered:
            sections[section.key] = {"text": _plain(rendered), "html": str(blocks_html(rendered))}
    appendices = []
    for spec in report.appendices or []:
        if spec.get("block") in REGISTRY:
            blocks = render_block(spec["block"], report, base.with_options(spec.get("options")))
            html = str(blocks_html(blocks))
            appendices.append({"title": spec.get("title", ""), "text": _plain(blocks), "html": html})
    return {
        "computed_at": timezone.now().isoformat(),
        "dossiers": statistics.dossiers.as_dict(),
        "by_field": [[name, figures.as_dict()] for name, figures in statistics.by_field],
        "procedures": {"total": procedures.total, "online": procedures.online, "one_stop": procedures.one_stop},
        "sections": sections,
        "appendices": appendices,
    }


def figure_rows(figures: dict[str, Any]) -> list[tuple[str, Any]]:
    """The kept figures as (label, value) rows, in the order of Biểu 06."""
    return list(_rows(figures).values())


def _rows(figures: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    rows: dict[str, tuple[str, Any]] = {}
    for key, label in DOSSIER_LABELS.items():
        rows[f"d:{key}"] = (str(label), (figures.get("dossiers") or {}).get(key))
    for name, data in figures.get("by_field") or []:
        for key in FIELD_KEYS:
            rows[f"f:{name}:{key}"] = (f"{name}: {str(DOSSIER_LABELS[key]).lower()}", data.get(key))
    for key, label in PROCEDURE_LABELS.items():
        rows[f"p:{key}"] = (str(label), (figures.get("procedures") or {}).get(key))
    return rows


@dataclass(frozen=True)
class FigureChange:
    label: str
    then: Any
    now: Any

    @staticmethod
    def shown(value: Any) -> str:
        if value is None:
            return "—"
        if isinstance(value, float):
            return percent(value)
        return str(value)

    @property
    def then_text(self) -> str:
        return self.shown(self.then)

    @property
    def now_text(self) -> str:
        return self.shown(self.now)


def differences(then: dict[str, Any], now: dict[str, Any]) -> list[FigureChange]:
    """The figures that differ between a frozen report and the live data (a field new or gone counts from 0)."""
    old, new = _rows(then), _rows(now)
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        label = (old.get(key) or new.get(key))[0]
        before = old[key][1] if key in old else None
        after = new[key][1] if key in new else None
        if key.startswith("f:"):
            before, after = before or 0, after or 0
        if before != after:
            changes.append(FigureChange(label, before, after))
    return changes


def changed_sections(report: Report, then: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Headings of the sections (and appendices) whose computed text is no longer what was frozen."""
    old, new = then.get("sections") or {}, now.get("sections") or {}
    labels = []
    for section in report.sections.order_by("order"):
        if section.key in old or section.key in new:
            if (old.get(section.key) or {}).get("text") != (new.get(section.key) or {}).get("text"):
                labels.append(f"{section.number} {section.heading}".strip())
    for before, after in zip(then.get("appendices") or [], now.get("appendices") or [], strict=False):
        if before.get("text") != after.get("text"):
            labels.append(_("Phụ lục: %(title)s") % {"title": before.get("title", "")})
    return labels


# --- freezing --------------------------------------------------------------------------------------------------------


def keep(report: Report, version: ReportVersion) -> ReportVersion:
    """Store the report's figures, previews, .docx and .xlsx in `version` and make it the report's frozen version
    (inside the transition's transaction: what is kept is exactly the state that was submitted or approved)."""
    from .builder import build_document, document_tables
    from .rendering import render_docx, table_to_xlsx

    cache: dict = {}
    document = build_document(report, cache=cache)
    version.docx = render_docx(document)
    tables = document_tables(document)
    version.xlsx = table_to_xlsx(tables) if tables else None  # a report without tables has no workbook
    version.figures = compute_figures(Report.objects.select_related("agency").get(pk=report.pk), cache)
    version.pdf = None
    version.pdf_error = ""
    version.save(update_fields=["docx", "xlsx", "figures", "pdf", "pdf_error"])
    Report.objects.filter(pk=report.pk).update(frozen_version=version)
    report.frozen_version = version
    return version


def keep_pdf(version: ReportVersion) -> ReportVersion:
    """Convert the kept .docx to PDF once and keep it (or why it could not be made)."""
    from .rendering import PdfConversionError, to_pdf

    if not version.docx:
        return version
    try:
        version.pdf = to_pdf(bytes(version.docx))
        version.pdf_error = ""
    except PdfConversionError as exc:
        version.pdf = None
        version.pdf_error = str(exc)[:500]
    version.save(update_fields=["pdf", "pdf_error"])
    return version


def thaw(report: Report) -> None:
    """Back to draft: the report is live again (its frozen versions stay in its history)."""
    Report.objects.filter(pk=report.pk).update(frozen_version=None)
    report.frozen_version = None


def frozen_version(report: Report, *, files: bool = True) -> ReportVersion | None:
    """The version a submitted or approved report is served from (without its file bytes unless `files`); a report
    frozen before versions kept files (an upgrade) is frozen now, from the data of today, so that it at least never
    changes again."""
    if report.status not in FROZEN_STATUSES:
        return None
    if report.frozen_version_id:
        versions = ReportVersion.objects.all() if files else ReportVersion.objects.defer("docx", "xlsx", "pdf")
        return versions.get(pk=report.frozen_version_id)
    from django.db import transaction

    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.frozen_version_id:
            return ReportVersion.objects.get(pk=locked.frozen_version_id)
        latest = locked.versions.filter(status=locked.status).order_by("-version").first()
        if latest is None:
            return None
        version = keep(locked, latest)
    report.frozen_version = version
    return version


# --- changes to the data of reported periods -------------------------------------------------------------------------


def _local_day(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def _as_moment(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def reports_affected(agency, moments: Iterable[dt.datetime | dt.date]) -> list[Report]:
    """The submitted or approved reports of `agency` (any template) whose figures data dated at any of `moments`
    changes: the period ends on or after the moment's day, and the report was frozen after the moment."""
    values = list(moments)
    if not values:
        return []
    earliest = min(_as_moment(value) for value in values)
    agency_id = getattr(agency, "pk", agency)
    return list(
        Report.objects.filter(agency_id=agency_id, status__in=FROZEN_STATUSES, period_end__gte=_local_day(earliest))
        .filter(Q(frozen_version__created_at__gte=earliest) | Q(frozen_version__isnull=True))
        .select_related("template")
        .order_by("period_end", "pk")
    )


class FrozenPeriods:
    """The agency's submitted and approved reports, read once, to test many moments: the bulk importer asks for
    every row. The same rule as reports_affected."""

    def __init__(self, agency) -> None:
        self.reports = list(
            Report.objects.filter(agency_id=getattr(agency, "pk", agency), status__in=FROZEN_STATUSES)
            .select_related("template", "frozen_version")
            .defer("frozen_version__docx", "frozen_version__xlsx", "frozen_version__pdf")
            .order_by("period_end", "pk")
        )

    def affected(self, moments: Iterable[dt.datetime | dt.date | None]) -> list[Report]:
        values = [value for value in moments if value is not None]
        if not self.reports or not values:
            return []
        earliest = min(_as_moment(value) for value in values)
        day = _local_day(earliest)
        return [
            report
            for report in self.reports
            if report.period_end >= day
            and (report.frozen_version is None or report.frozen_version.created_at >= earliest)
        ]


def report_label(report: Report) -> str:
    state = _("đã duyệt") if report.status == ReportStatus.APPROVED else _("đã gửi")
    return f"«{' '.join(report.title.split())}» ({state})"


class ChangeReasonRequired(ValidationError):
    """Data inside the period of a submitted or approved report changes: a reason must be given."""

    def __init__(self, reports: list[Report], moment: dt.datetime | dt.date) -> None:
        self.reports = reports
        day = _local_day(moment)
        super().__init__(
            _(
                "Thời điểm %(day)s làm thay đổi số liệu của báo cáo %(reports)s. Hãy nêu lý do thay đổi số liệu "
                "của kỳ đã báo cáo; thay đổi sẽ được ghi lại và hiển thị trên báo cáo."
            )
            % {"day": f"{day:%d/%m/%Y}", "reports": ", ".join(report_label(r) for r in reports)},
            code="change_reason_required",
        )


def check_change(agency, moments: Iterable[dt.datetime | dt.date], change_reason: str = "") -> list[Report]:
    """The reports a change dated at `moments` affects; ChangeReasonRequired when there are some and no reason."""
    values = list(moments)
    reports = reports_affected(agency, values)
    if reports and not nfc(change_reason or "").strip():
        raise ChangeReasonRequired(reports, min(values, key=_as_moment))
    return reports


def record_change(
    reports: list[Report],
    *,
    reason: str,
    actor,
    description: str,
    moment: dt.datetime | None = None,
    dossier=None,
    rows: int = 1,
) -> list[ReportDataChange]:
    """Keep the change against each affected report (inside the transaction that makes the change)."""
    reason = nfc(reason or "").strip()
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ReportDataChange.objects.bulk_create(
        ReportDataChange(
            report=report,
            dossier=dossier,
            description=nfc(description)[:255],
            moment=moment,
            rows=rows,
            reason=reason,
            actor=user,
        )
        for report in reports
    )


class ReportedChange:
    """A change dated inside the period of submitted or approved reports, with the reason the user gave; falsy
    when it touches no report."""

    def __init__(self, reports: list[Report], reason: str) -> None:
        self.reports = reports
        self.reason = nfc(reason or "").strip()

    def __bool__(self) -> bool:
        return bool(self.reports)

    def audit_fields(self) -> dict[str, str]:
        # Strings, not lists: a dossier's timeline reads two-item lists as (old, new) pairs.
        return {
            "change_reason": self.reason,
            "reported_periods": ", ".join(report_label(report) for report in self.reports),
        }

    def record(self, actor, description: str, *, moment=None, dossier=None, rows: int = 1) -> None:
        record_change(
            self.reports, reason=self.reason, actor=actor, description=description, moment=moment, dossier=dossier,
            rows=rows,
        )  # fmt: skip


def changes_since_frozen(report: Report, version: ReportVersion | None = None) -> list[ReportDataChange]:
    """The recorded changes to the report's data since it was frozen (in `version`, by default its frozen one)."""
    if version is None:
        if not report.frozen_version_id:
            return []
        version = ReportVersion.objects.only("created_at").get(pk=report.frozen_version_id)
    return list(
        report.data_changes.filter(at__gte=version.created_at)
        .select_related("actor", "dossier")
        .order_by("at", "pk")
    )
