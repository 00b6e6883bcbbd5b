"""The dossier import as a background job: the upload page stores the file in the job and returns at once; a
worker imports it (importer.import_dossiers, the same function `cchc import-dossiers` calls) while the job page
shows the rows done; the page then shows the summary the import page used to show, and the rejected rows as a CSV
to fix and import again."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _

from cchc.jobs import service
from cchc.jobs.models import Job, JobFile, JobKind

from .importer import ImportFileError, ImportResult, import_dossiers, write_errors_csv

# A job waits its turn behind another import of the agency (a person at the page would not: importer.WAIT_SECONDS).
WAIT_FOR_OTHER_IMPORT_SECONDS = 15 * 60
SHOWN_ERRORS = 1000
ERRORS_CSV = "text/csv; charset=utf-8"


def start_import(upload, *, agency, actor, change_reason: str = "") -> Job:
    """Queue the import of an uploaded file (already checked by the form and importer.check_file)."""
    name = Path(upload.name or "").name or "ho-so.csv"
    upload.seek(0)
    content = upload.read()
    return service.start(
        JobKind.DOSSIER_IMPORT,
        agency=agency,
        actor=actor,
        title=_("Nhập hồ sơ từ tệp %(name)s") % {"name": name},
        params={"change_reason": change_reason},
        files=[(name, content, getattr(upload, "content_type", "") or "")],
    )


def summary(result: ImportResult) -> dict:
    """What the job page shows: the counts and the first rejected rows (all of them are in the CSV)."""
    return {
        "file_name": result.file_name,
        "seconds": round(result.seconds, 1),
        "total_rows": result.total_rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "error_count": len(result.errors),
        "errors": [{"row": e.row, "code": e.code, "message": e.message} for e in result.errors[:SHOWN_ERRORS]],
    }


def _keep_errors(job: Job, result: ImportResult) -> None:
    if not result.errors:
        return
    text = io.StringIO()
    write_errors_csv(result, text)
    stem = Path(result.file_name or "ho-so").stem
    service.add_output(job, f"{stem}-dong-loi.csv", text.getvalue().encode("utf-8-sig"), ERRORS_CSV)


def run_import(job: Job, progress: service.Progress) -> dict:
    stored = job.files.get(role=JobFile.Role.INPUT)
    source = io.BytesIO(bytes(stored.content))
    source.name = stored.name
    progress(0, None, _("Đang đọc tệp %(name)s.") % {"name": stored.name})

    def rows_done(done: int, total: int | None) -> None:
        if total:
            progress(done, total, _("Đã xử lý %(done)s / %(total)s dòng.") % {"done": done, "total": total})
        else:
            progress(done, None, _("Đã xử lý %(done)s dòng.") % {"done": done})

    try:
        result = import_dossiers(
            source,
            agency=job.agency,
            actor=job.created_by,
            change_reason=job.params.get("change_reason", ""),
            progress=rows_done,
            wait=WAIT_FOR_OTHER_IMPORT_SECONDS,
        )
    except ImportFileError as exc:
        partial = None
        if exc.result is not None:
            _keep_errors(job, exc.result)
            partial = summary(exc.result)
        raise service.JobFailed(str(exc), partial) from exc
    _keep_errors(job, result)
    return summary(result)
