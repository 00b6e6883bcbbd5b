"""Several report files read in the task queue (cchc.jobs): the upload page stores the files in a job and returns at
once; a worker stages them one by one while the job's page shows each file's state (waiting, read, an earlier
upload of the same report, an error in words). A bad file does not stop the others and nothing is lost: every file
gets its line, and the files stay with the job.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency
from cchc.jobs import service
from cchc.jobs.models import Job, JobFile, JobKind

from ..models import AgencySource, ImportedReport
from . import duplicates as duplicate_reports
from .agencies import agency_label, import_agencies
from .staging import ImportRejected, stage_file

logger = logging.getLogger("cchc.aggregation")

WAITING, READ, KNOWN, DUPLICATE, UNKNOWN_AGENCY, FAILED = "waiting", "read", "known", "duplicate", "unknown", "failed"


def start_upload(files: list[tuple[str, bytes, str]], *, desk: Agency, actor, agency: Agency | None = None) -> Job:
    """Queue the reading of `files` ((name, content, content type), already checked by staging.check_file) for
    `agency`, or for the agencies the report names when None. The job belongs to `desk` (the uploader's agency)."""
    title = _("Đọc %(count)s báo cáo tải lên") % {"count": len(files)}
    states = [{"name": name, "state": WAITING} for name, _content, _type in files]
    with transaction.atomic():
        job = service.start(
            JobKind.REPORT_IMPORT, agency=desk, actor=actor, title=title,
            params={"agency": agency.pk if agency is not None else None}, files=files,
        )  # fmt: skip
        # The list of files is there before the worker starts (in the same transaction as the queued task).
        Job.objects.filter(pk=job.pk).update(result={"files": states}, total=len(files))
    job.result, job.total = {"files": states}, len(files)
    return job


def _outcome(imported: ImportedReport, before: set[int]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "imported": imported.pk,
        "agency": agency_label(imported.agency),
        "period": imported.period_label,
        "figures": len(imported.extracted.get("figures") or {}),
    }
    if imported.pk in before:
        entry.update(state=KNOWN, message=_("Tệp này đã được tải lên trước đó (%(status)s).")
                     % {"status": imported.get_status_display().lower()})  # fmt: skip
    elif imported.agency_source == AgencySource.UNKNOWN:
        entry.update(
            state=UNKNOWN_AGENCY,
            agency="",
            message=_("Đã đọc, nhưng chưa nhận ra cơ quan báo cáo: hãy chọn cơ quan khi rà soát."),
        )
    elif earlier := duplicate_reports.earlier_uploads(imported):
        entry.update(
            state=DUPLICATE,
            message=_("Trùng với %(earlier)s: khi xác nhận, báo cáo này sẽ thay thế lần nhập trước.")
            % {"earlier": duplicate_reports.describe(earlier[0])},
        )
    else:
        entry.update(state=READ, message="")
    return entry


def run_upload(job: Job, progress: service.Progress) -> dict:
    """The job's handler (cchc.jobs.service.HANDLERS)."""
    actor = job.created_by
    candidates = import_agencies(actor)
    chosen_id = (job.params or {}).get("agency")
    agency = next((a for a in candidates if a.pk == chosen_id), None) if chosen_id else None
    ids = list(job.files.filter(role=JobFile.Role.INPUT).order_by("pk").values_list("pk", flat=True))
    states: list[dict[str, Any]] = list((job.result or {}).get("files") or [])
    while len(states) < len(ids):
        states.append({"name": "", "state": WAITING})
    total = len(ids)
    progress(0, total, _("Đang đọc %(total)s tệp.") % {"total": total})
    for position, file_id in enumerate(ids):
        stored = JobFile.objects.get(pk=file_id)
        entry: dict[str, Any] = {"name": stored.name}
        if chosen_id and agency is None:
            entry.update(state=FAILED, message=_("Bạn không còn quyền nhập báo cáo cho cơ quan đã chọn."))
        elif not candidates:
            entry.update(state=FAILED, message=_("Bạn không có quyền nhập báo cáo cho cơ quan nào."))
        else:
            content = bytes(stored.content)
            digest = hashlib.sha256(content).hexdigest()
            before = set(ImportedReport.objects.filter(sha256=digest).values_list("pk", flat=True))
            try:
                imported = stage_file(agency, content, actor, filename=stored.name,
                                      candidates=candidates, desk=job.agency)  # fmt: skip
            except ImportRejected as exc:
                entry.update(state=FAILED, message=str(exc))
            except Exception:  # noqa: BLE001 - one file's surprise must not stop the others
                logger.exception("Job %s: reading %s failed", job.pk, stored.name)
                entry.update(
                    state=FAILED,
                    message=_(
                        "Lỗi không mong đợi khi đọc tệp %(name)s; các tệp khác vẫn được đọc. Hãy thử lại tệp này."
                    )
                    % {"name": stored.name},
                )
            else:
                entry.update(_outcome(imported, before))
        states[position] = entry
        read = sum(1 for s in states if s.get("state") not in (WAITING, FAILED))
        Job.objects.filter(pk=job.pk).update(result={"files": states})
        progress(position + 1, total, _("Đã đọc %(done)s / %(total)s tệp (%(ok)s đọc được).")
                 % {"done": position + 1, "total": total, "ok": read})  # fmt: skip
    failed = sum(1 for s in states if s.get("state") == FAILED)
    return {"files": states, "failed": failed, "read": total - failed}
