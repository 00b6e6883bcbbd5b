"""Background jobs end to end: a real `cchc worker` process on the test database (SQLite file or PostgreSQL)
imports an uploaded file while its page follows; a worker killed mid-job leaves a job the next worker runs again
(or fails, after two attempts, with a message); jobs are scoped to the agency; `cchc serve` runs its worker and
stops it."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

import hostile_files as hostile
from cchc import importing
from cchc.dossiers.jobs import start_import
from cchc.dossiers.models import Dossier
from cchc.jobs import recovery, service
from cchc.jobs.models import Job, JobFile, JobState, WorkerBeat
from cchc.jobs.worker import run_ready_in_process
from concurrency import child_database_url, concurrent_database

ROOT = Path(__file__).resolve().parents[2]
HEADER = ",".join(hostile.DOSSIER_HEADER)


def _csv(rows: int, name: str = "ho-so.csv") -> io.BytesIO:
    upload = io.BytesIO(hostile.csv_bytes([HEADER, *hostile.dossier_csv_lines(rows)]))
    upload.name = name
    return upload


def _worker(**env_extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), DATABASE_URL=child_database_url(), **env_extra)
    command = [sys.executable, "-m", "cchc", "worker", "--interval", "0.2"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(condition, timeout: float = 90, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture
def workers():
    started: list[subprocess.Popen] = []

    def start(**env_extra: str) -> subprocess.Popen:
        started.append(_worker(**env_extra))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(10)


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_imports_the_upload_while_the_page_follows(client, workers, agency, procedure,
                                                                    one_stop_staff):  # fmt: skip
    client.force_login(one_stop_staff)
    response = client.post(reverse("dossiers:import"), {"file": _csv(3000)})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = client.get(response["Location"])
    assert "Chờ chạy" in page.text and 'hx-trigger="every 2s"' in page.text  # the page asks again while waiting
    assert not Dossier.objects.exists()

    process = workers()
    seen: list[tuple[str, int]] = []

    def finished() -> bool:
        job.refresh_from_db()
        seen.append((job.state, job.done))
        return job.finished

    _wait_for(finished, what="the job to finish")
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0, process.stdout.read()
    assert job.state == JobState.DONE, job.error
    assert (job.done, job.total) == (3000, 3000)
    done = [count for _state, count in seen]
    assert done == sorted(done)  # progress only ever advances
    assert Dossier.objects.filter(agency=agency).count() == 3000
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 1
    assert not WorkerBeat.objects.exists()  # a worker stopped cleanly says so

    # The finished page: the import's summary, and no more polling.
    fragment = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert 'data-figure="created">3.000<' in fragment.text and "hx-trigger" not in fragment.text
    assert "Xong" in fragment.text


@pytest.mark.django_db
def test_progress_is_written_as_the_rows_go(monkeypatch, agency, procedure, one_stop_staff):
    written: list[tuple[int, int | None]] = []
    original = service.progress_for

    def recording(job):
        report = original(job)

        def progress(done, total=None, message=None):
            report(done, total, message)
            stored = Job.objects.values_list("done", "total").get(pk=job.pk)
            written.append(stored)

        return progress

    monkeypatch.setattr(service, "progress_for", recording)
    job = start_import(_csv(4500), agency=agency, actor=one_stop_staff)
    assert run_ready_in_process() == 1
    # The file's rows are known from the start; each batch of 2,000 rows moves the stored count on.
    assert written == [(0, None), (2000, 4500), (4000, 4500), (4500, 4500)]
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.percent == 100


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_run_again_by_the_next_worker(workers, agency, procedure, one_stop_staff):
    job = start_import(_csv(50), agency=agency, actor=one_stop_staff)
    release = threading.Event()
    holding = threading.Event()

    def hold_the_agency_lock():
        from django.db import connection

        try:
            with importing.exclusive_import("dossiers", agency.pk, owner="test"):
                holding.set()
                release.wait(120)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_agency_lock)
    holder.start()
    assert holding.wait(30)
    try:
        # The job starts and waits behind "another import" (the lock held above): then its worker dies.
        first = workers(CCHC_WORKER_STALE_SECONDS="2")
        _wait_for(lambda: Job.objects.get(pk=job.pk).state == JobState.RUNNING, what="the job to start")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        release.set()
        holder.join(30)
    time.sleep(0.5)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING  # nobody knows yet: the dead worker's task still says running
    time.sleep(2)  # longer than the stale time: the dead worker's heartbeat is now too old

    workers(CCHC_WORKER_STALE_SECONDS="2")
    _wait_for(lambda: Job.objects.get(pk=job.pk).finished, what="the job to be run again")
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert job.attempts == 2
    assert Dossier.objects.filter(agency=agency).count() == 50
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2


def _running_task(job: Job, worker_ids: list[str], started_minutes_ago: int = 5) -> DBTaskResult:
    started = timezone.now() - dt.timedelta(minutes=started_minutes_ago)
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status=TaskResultStatus.RUNNING, worker_ids=worker_ids, started_at=started
    )
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, attempts=len(worker_ids))
    return DBTaskResult.objects.get(pk=job.task_id)


@pytest.mark.django_db
def test_recovery_runs_a_lost_job_once_more_then_fails_it_with_a_message(agency, procedure, one_stop_staff):
    job = start_import(_csv(5), agency=agency, actor=one_stop_staff)
    alive = start_import(_csv(5, "khac.csv"), agency=agency, actor=one_stop_staff)
    _running_task(job, ["dead-worker"])
    _running_task(alive, ["live-worker"])
    recovery.beat("live-worker", "may-1", timezone.now())

    assert recovery.recover_stale() == (1, 0)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "chạy lại" in job.message
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=alive.task_id).status == TaskResultStatus.RUNNING  # its worker still beats

    _running_task(job, ["dead-worker", "another-dead-worker"])
    assert recovery.recover_stale() == (0, 1)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "dừng giữa chừng 2 lần" in job.error and job.finished_at is not None
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.FAILED
    # A task a live worker has only just claimed is left alone even without a beat yet.
    fresh = start_import(_csv(5, "moi.csv"), agency=agency, actor=one_stop_staff)
    _running_task(fresh, ["starting-worker"], started_minutes_ago=0)
    assert recovery.recover_stale() == (0, 0)


@pytest.mark.django_db
def test_a_bad_file_fails_its_job_with_a_vietnamese_message_and_is_kept(client, agency, procedure, one_stop_staff):
    content = "Mã hồ sơ,Chủ hồ sơ\nHS-1,Nguyễn Văn An\n".encode()
    upload = io.BytesIO(content)
    upload.name = "thieu-cot.csv"
    job = start_import(upload, agency=agency, actor=one_stop_staff)  # past the page's own check, e.g. an old job
    assert run_ready_in_process() == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "Tệp thiếu cột bắt buộc: Mã TTHC, Ngày tiếp nhận" in job.error
    client.force_login(one_stop_staff)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert "Lỗi" in page.text and "Tệp thiếu cột bắt buộc" in page.text
    stored = JobFile.objects.get(job=job, role=JobFile.Role.INPUT)
    download = client.get(reverse("jobs:file", args=[job.pk, stored.pk]))
    assert download.content == content  # nothing lost: the upload is there as it came


@pytest.mark.django_db
def test_rejected_rows_are_shown_and_kept_as_a_csv(client, agency, procedure, one_stop_staff):
    lines = [HEADER, *hostile.dossier_csv_lines(2), "HS-X,9.999999,Trần Thị Bình,16/03/2023 09:00"]
    upload = io.BytesIO(hostile.csv_bytes(lines))
    upload.name = "co-loi.csv"
    job = start_import(upload, agency=agency, actor=one_stop_staff)
    run_ready_in_process()
    job.refresh_from_db()
    assert (job.result["created"], job.result["error_count"]) == (2, 1)
    errors = JobFile.objects.get(job=job, role=JobFile.Role.OUTPUT)
    assert errors.name == "co-loi-dong-loi.csv"
    text = bytes(errors.content).decode("utf-8-sig")
    assert "HS-X" in text and "9.999999" in text and "HS-0001" not in text


@pytest.mark.django_db
def test_a_user_sees_only_the_jobs_of_their_agency(client, agency, other_agency, procedure, make_user):
    mine = make_user("motcua-skhcn", agency, "one_stop")
    theirs = make_user("motcua-snv", other_agency, "one_stop")
    own = start_import(_csv(1, "cua-toi.csv"), agency=agency, actor=mine)
    other = start_import(_csv(1, "cua-so-khac.csv"), agency=other_agency, actor=theirs)
    other_file = JobFile.objects.get(job=other)
    client.force_login(mine)
    listing = client.get(reverse("jobs:list")).text
    assert "cua-toi.csv" in listing and "cua-so-khac.csv" not in listing
    assert client.get(reverse("jobs:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("jobs:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("jobs:file", args=[other.pk, other_file.pk])).status_code == 404
    assert client.get(reverse("jobs:file", args=[own.pk, other_file.pk])).status_code == 404


def _worker_children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z" and b"worker" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("server", ["gunicorn", "waitress"])
def test_serve_runs_a_worker_beside_the_web_server_and_stops_it(start_server, server):
    running = start_server("--server", server, "--workers", "1", migrate=True)
    _wait_for(lambda: _worker_children(running.process.pid), timeout=30, what="the worker")
    [worker] = _worker_children(running.process.pid)
    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(40) == 0
    _wait_for(lambda: not Path(f"/proc/{worker}").exists() or "Z" in Path(f"/proc/{worker}/stat").read_text()
              .rsplit(")", 1)[1].split()[:1], timeout=10, what="the worker to stop")  # fmt: skip


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_without_a_worker(start_server):
    running = start_server("--server", "waitress", "--no-worker", migrate=True)
    time.sleep(1)
    assert _worker_children(running.process.pid) == []
