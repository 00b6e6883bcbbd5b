"""The job pages: the jobs of the agencies a user may read, one job with its progress (the page asks again every
two seconds through htmx until the job has finished), and the files a job read or wrote."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from cchc.agencies.scoping import get_scoped_or_404, scope

from .models import Job, JobFile, JobKind

RECENT = 50
POLL_SECONDS = 2
RESULT_TEMPLATES = {
    JobKind.DOSSIER_IMPORT: "dossiers/_import_result.html",
    JobKind.REPORT_IMPORT: "rollup/_upload_job.html",
}


def _jobs(request: HttpRequest):
    return scope(Job.objects.select_related("agency", "created_by"), request.user)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(_jobs(request)[:RECENT])
    return render(request, "jobs/list.html", {"jobs": jobs})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_scoped_or_404(_jobs(request), request.user, pk=pk)
    context = {
        "job": job,
        "files": list(job.files.defer("content")),
        "result_template": RESULT_TEMPLATES.get(job.kind),
        "poll_seconds": POLL_SECONDS,
    }
    if request.htmx:
        return render(request, "jobs/_progress.html", context)
    return render(request, "jobs/detail.html", context)


@login_required
def job_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    job = get_scoped_or_404(_jobs(request), request.user, pk=pk)
    stored = JobFile.objects.filter(job=job, pk=file_id).first()
    if stored is None:
        raise Http404
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, stored.name)
    return response
