"""The same report uploaded twice, in any format: the .docx and its PDF, a text retyped from paper. Their bytes
differ, what they say of themselves does not: the agency, the number and symbol ("Số: 58/BC-SKHCN") and the date.
A report without a number (a draft) is recognised by its title and date.

An earlier upload of the same report is offered as the one the new upload replaces: confirming the new one removes
the earlier one's figures and submission and marks it replaced, so the report is never counted twice.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.text import fold

from ..models import ImportedReport, ImportStatus, ReportedFigure, Submission, SubmissionSource
from .periods import report_date

LIVE = (ImportStatus.PENDING, ImportStatus.CONFIRMED)


def _number(value: str | None) -> str:
    text = fold(value or "").replace(" ", "")
    head, _sep, tail = text.partition("/")
    head = head.lstrip("0") or ("0" if head else "")
    return f"{head}/{tail}" if tail else head


def _symbol(value: str | None) -> str:
    return "".join(ch for ch in fold(value or "") if ch.isalnum() or ch == "-").strip("-")


def identity(metadata: dict) -> dict:
    """The fields that say which report a file holds (ImportedReport.doc_number, doc_symbol, doc_date, title_key)."""
    return {
        "doc_number": _number(metadata.get("number"))[:32],
        "doc_symbol": _symbol(metadata.get("symbol"))[:64],
        "doc_date": report_date(metadata),
        "title_key": " ".join(ch if ch.isalnum() else " " for ch in fold(metadata.get("title") or "")).strip()[:255],
    }


def set_identity(imported: ImportedReport) -> None:
    for name, value in identity(imported.metadata).items():
        setattr(imported, name, value)


def _same_day(a: dt.date | None, b: dt.date | None) -> bool:
    return a is None or b is None or a == b


def earlier_uploads(imported: ImportedReport, agency: Agency | None = None) -> list[ImportedReport]:
    """Earlier uploads, waiting or confirmed, of the report `imported` holds for `agency` (its own by default):
    the same file, or the same number and symbol (and the same date when both give one), or, without a number, the
    same title and date. Oldest first."""
    agency = agency or imported.agency
    same = Q(sha256=imported.sha256)
    if imported.doc_number and imported.doc_symbol:
        same |= Q(doc_number=imported.doc_number, doc_symbol=imported.doc_symbol)
    elif imported.title_key and imported.doc_date:
        same |= Q(doc_number="", title_key=imported.title_key, doc_date=imported.doc_date)
    rows = (
        ImportedReport.objects.filter(agency=agency, status__in=LIVE)
        .filter(same)
        .exclude(pk=imported.pk)
        .order_by("uploaded_at", "pk")
    )
    return [row for row in rows if row.sha256 == imported.sha256 or _same_day(row.doc_date, imported.doc_date)]


def describe(earlier: ImportedReport) -> str:
    """ "«bao-cao.docx» (số 58/BC-SKHCN ngày 19/06/2023), đã xác nhận ngày 20/06/2023" for the review page."""
    metadata = earlier.metadata
    parts = []
    if metadata.get("number") and metadata.get("symbol"):
        parts.append(_("số %(number)s/%(symbol)s") % {"number": metadata["number"], "symbol": metadata["symbol"]})
    if earlier.doc_date:
        parts.append(_("ngày %(day)s") % {"day": f"{earlier.doc_date:%d/%m/%Y}"})
    text = f"«{earlier.file_name}»" + (f" ({' '.join(parts)})" if parts else "")
    if earlier.status == ImportStatus.CONFIRMED:
        day = earlier.confirmed_at
        return text + ", " + (_("đã xác nhận ngày %(day)s") % {"day": f"{day:%d/%m/%Y}"} if day else _("đã xác nhận"))
    return text + ", " + _("đang chờ rà soát")


def replace(earlier: list[ImportedReport], by: ImportedReport, actor) -> list[str]:
    """Inside confirm's transaction: the earlier uploads' figures and submissions go, each is marked replaced by
    `by`. Returns their file names."""
    names = []
    for row in earlier:
        figures = ReportedFigure.objects.filter(Q(imported=row) | Q(agency=row.agency, source_sha256=row.sha256))
        removed = figures.count()
        figures.delete()
        sent = Submission.objects.filter(imported=row, source=SubmissionSource.IMPORTED)
        submissions = sent.count()
        sent.delete()
        before = row.status
        row.status = ImportStatus.REPLACED
        row.replaced_by = by
        row.save(update_fields=["status", "replaced_by"])
        audit.record(
            row, actor, AuditEntry.Action.UPDATE,
            changes={"status": [before, row.status], "replaced_by": by.file_name, "figures_removed": removed,
                     "submissions_removed": submissions},
            summary=_("Thay báo cáo %(old)s bằng %(new)s") % {"old": row.file_name, "new": by.file_name},
        )  # fmt: skip
        names.append(row.file_name)
    return names
