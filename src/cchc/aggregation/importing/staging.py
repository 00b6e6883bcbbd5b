"""Staging: a report file read by the extractor and kept, with its text, in an ImportedReport waiting for review;
nothing else changes.

The file's SHA-256 identifies the file: the same file uploaded again (for any of the agencies the person may import
for) returns the row already there. Its metadata identifies the report (duplicates.py). The agency is the one named
on the command line or chosen on the upload page, or, when the page is left to recognise it, the one proposed from
the report (agencies.propose_agency); a report whose agency is not recognised waits on the uploader's desk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.text import nfc

from ..models import AgencySource, ImportedReport, ImportStatus
from .agencies import propose_agency
from .document import text_of
from .duplicates import set_identity
from .periods import guess_period, report_date

MAX_FILE_BYTES = 20 * 1024 * 1024
ACCEPTED_SUFFIXES = (".docx", ".txt", ".md", ".pdf")


class ImportRejected(Exception):
    """The file or the confirmation cannot be accepted; the message is for the officer (Vietnamese)."""


def _read(file: Any, filename: str | None) -> tuple[bytes, str]:
    if isinstance(file, (str, Path)):
        path = Path(file)
        try:
            return path.read_bytes(), filename or path.name
        except OSError as exc:
            raise ImportRejected(_("Không mở được tệp %(name)s.") % {"name": path.name}) from exc
    if isinstance(file, (bytes, memoryview)):
        return bytes(file), filename or ""
    name = filename or Path(getattr(file, "name", "") or "").name
    if hasattr(file, "chunks"):
        return b"".join(file.chunks()), name
    return file.read(), name


def check_file(name: str, size: int) -> str:
    """The file's name as kept; ImportRejected for a file refused before reading it (empty, too large, not a
    report's format). The upload page checks each file so before queueing it."""
    name = nfc(Path(name).name)[:255] or "bao-cao"
    if not size:
        raise ImportRejected(_("Tệp %(name)s rỗng.") % {"name": name})
    if size > MAX_FILE_BYTES:
        raise ImportRejected(_("Tệp %(name)s quá lớn (tối đa 20 MB).") % {"name": name})
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        raise ImportRejected(_("Tệp %(name)s không phải báo cáo dạng .docx, .txt, .md hoặc .pdf.") % {"name": name})
    return name


def _looks_like_report(data: dict) -> bool:
    """A file the extractor read but that is no administrative report (a spreadsheet saved as text, a letter
    without any of a report's parts) is foreign: nothing to import from it."""
    metadata = data.get("metadata") or {}
    found = [metadata.get("title"), metadata.get("document_type"), metadata.get("symbol")]
    return bool(any(found) and (data.get("figures") or data.get("references") or data.get("tasks") or
                                data.get("sections")))  # fmt: skip


def read_report(data: bytes, name: str) -> tuple[dict, str]:
    """(what the extractor reads from the file, the document's text as the review page shows it)."""
    from cchc.extraction.extract import ExtractionError, extract_blocks
    from cchc.extraction.reader import read_blocks

    try:
        blocks = read_blocks(data, name)
        extracted = extract_blocks(blocks)
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
    return extracted, text_of(blocks)


def _revive(existing: ImportedReport, actor) -> ImportedReport:
    if existing.status == ImportStatus.DISCARDED:
        # Uploading a dropped file again means the officer wants it after all: back to review, nothing re-read.
        with transaction.atomic():
            existing.status = ImportStatus.PENDING
            existing.save(update_fields=["status"])
            audit.record(existing, actor, AuditEntry.Action.UPDATE,
                         changes={"status": ["discarded", "pending_review"]},
                         summary=_("Tải lại báo cáo đã bỏ: %(name)s") % {"name": existing.file_name})  # fmt: skip
    return existing


def stage_file(
    agency: Agency | None, file: Any, actor, *, filename: str | None = None,
    candidates: Sequence[Agency] | None = None, desk: Agency | None = None,
) -> ImportedReport:  # fmt: skip
    """Read a report file (a path, bytes or an uploaded file) and return the ImportedReport waiting for review.

    With `agency`, the report is that agency's. Without, it is the one of `candidates` (the agencies the person may
    import for) the report names; when none fits, the upload waits on `desk` (the uploader's agency) until the
    officer chooses. The same file staged again returns the existing row (whatever its status), changing nothing
    (a discarded one comes back to review)."""
    data, name = _read(file, filename)
    name = check_file(name, len(data))
    digest = hashlib.sha256(data).hexdigest()
    pool = [agency] if agency is not None else list(candidates or [])
    if not pool:
        raise ImportRejected(_("Bạn không có quyền nhập báo cáo cho cơ quan nào."))
    existing = ImportedReport.objects.filter(sha256=digest, agency__in=[a.pk for a in pool]).order_by("pk").first()
    if existing is None and agency is None and desk is not None:
        existing = ImportedReport.objects.filter(sha256=digest, agency=desk,
                                                 agency_source=AgencySource.UNKNOWN).first()  # fmt: skip
    if existing is not None:
        return _revive(existing, actor)
    extracted, text = read_report(data, name)
    metadata = extracted.get("metadata") or {}
    period = guess_period(metadata, text)
    source = AgencySource.CHOSEN
    if agency is None:
        proposal = propose_agency(metadata, pool, report_date(metadata) or (period.end if period else None))
        if proposal.agency is not None:
            agency, source = proposal.agency, AgencySource.READ
        else:
            # Not even a person who imports for one agency only gets a report naming another filed under theirs.
            agency, source = desk or pool[0], AgencySource.UNKNOWN
    with transaction.atomic():
        imported, created = ImportedReport.objects.get_or_create(
            agency=agency,
            sha256=digest,
            defaults={
                "file_name": name,
                "extracted": extracted,
                "text": text,
                "period_key": period.key if period else "",
                "agency_source": source,
                "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if created:
            set_identity(imported)
            imported.save(update_fields=["doc_number", "doc_symbol", "doc_date", "title_key"])
            audit.record(
                imported, actor, AuditEntry.Action.IMPORT,
                changes={"file": name, "sha256": digest, "period": imported.period_key, "agency": agency.name,
                         "agency_source": source},
                summary=_("Tải lên báo cáo để nhập: %(name)s") % {"name": name},
            )  # fmt: skip
    return imported
