"""Imports of one agency's data run one at a time: a second import at the same moment waits briefly, then gets a
Vietnamese message instead of racing the first (which answered 500 or printed a traceback), with real threads and
real processes on the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

import hostile_files as hostile
from cchc.dossiers.importer import ImportFileError, import_dossiers
from cchc.dossiers.models import Dossier, DossierEvent, EventKind
from concurrency import child_database_url, concurrent_database

ROOT = Path(__file__).resolve().parents[2]
BUSY = "Một lần nhập khác của cơ quan Sở Khoa học và Công nghệ đang chạy"
HEADER = ",".join(hostile.DOSSIER_HEADER)


def csv_file(tmp_path, rows: int) -> Path:
    path = tmp_path / "ho-so.csv"
    path.write_bytes(hostile.csv_bytes([HEADER, *hostile.dossier_csv_lines(rows)]))
    return path


class Held:
    """Runs `body(started, release)` in a thread with its own database connection; `started` is set once the body
    holds what it holds, and the body keeps it until `release` is set."""

    def __init__(self, body) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(body,))

    def _run(self, body) -> None:
        try:
            body(self.started, self.release)
        except BaseException as exc:  # noqa: B036 - reported to the test
            self.errors.append(exc)
            self.started.set()
        finally:
            connection.close()

    def __enter__(self) -> Held:
        self.thread.start()
        assert self.started.wait(60), "the other import never started"
        return self

    def __exit__(self, *exc_info) -> None:
        self.release.set()
        self.thread.join(120)
        assert self.errors == []


def holding_the_lock(agency):
    from cchc import importing

    def body(started, release):
        with importing.exclusive_import("dossiers", agency.pk, owner=importing.agency_owner(agency)):
            started.set()
            release.wait(60)

    return Held(body)


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_a_second_import_while_the_first_runs_is_told_to_wait(tmp_path, agency, procedure):
    path = csv_file(tmp_path, 30)

    def first(started, release):
        def progress(done, total):  # after each batch of 10: the import is half-way, its lock held
            started.set()
            release.wait(60)

        import_dossiers(path, agency=agency, batch_size=10, progress=progress)

    with Held(first):
        with pytest.raises(ImportFileError, match=BUSY) as caught:
            import_dossiers(path, agency=agency, wait=0.5)
        assert "\n" not in str(caught.value)
    assert Dossier.objects.count() == 30
    again = import_dossiers(path, agency=agency)  # the lock is free again
    assert (again.created, again.unchanged) == (0, 30)


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_an_import_from_the_page_waits_its_turn_behind_another(client, tmp_path, agency, procedure, one_stop_staff):
    """The page's import is a background job: while another import of the agency runs, it waits (a person would
    have been told to come back), then imports."""
    from cchc.jobs.models import Job, JobState
    from cchc.jobs.worker import run_ready_in_process

    client.force_login(one_stop_staff)
    holder = holding_the_lock(agency)
    with holder, csv_file(tmp_path, 3).open("rb") as handle:
        response = client.post(reverse("dossiers:import"), {"file": handle})
        assert response.status_code == 302
        threading.Timer(0.5, holder.release.set).start()  # the other import ends while the job waits
        assert run_ready_in_process() == 1
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.error
    assert Dossier.objects.count() == 3
    assert 'data-figure="created">3<' in client.get(response["Location"]).text


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_an_import_that_waits_briefly_then_runs(tmp_path, agency, procedure):
    path = csv_file(tmp_path, 5)
    holder = holding_the_lock(agency)
    with holder:
        threading.Timer(0.5, holder.release.set).start()  # the other import ends while this one waits
        result = import_dossiers(path, agency=agency, wait=30)
    assert result.created == 5


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_two_command_line_imports_of_one_file_at_once(tmp_path, agency, procedure):
    """Two `cchc import-dossiers` processes started together on the same file: each ends cleanly (imported, or the
    busy message), no traceback, and the data is right."""
    path = csv_file(tmp_path, 3000)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), DATABASE_URL=child_database_url())
    command = [sys.executable, "-m", "cchc.cli", "import-dossiers", str(path), "--agency", "SKHCN"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"]
    outcomes = [(run.wait(600), *run.communicate()) for run in runs]
    for code, _out, err in outcomes:
        assert "Traceback" not in err
        assert code == 0 or (code == 1 and BUSY in err), err
    assert any(code == 0 for code, _out, _err in outcomes)
    assert Dossier.objects.count() == 3000
    assert DossierEvent.objects.filter(kind=EventKind.RECEIVED).count() == 3000


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_the_catalogue_and_plan_imports_are_serialised_too(agency, officer):
    from cchc.plans.models import PlanKind
    from cchc.plans.services import PlanImportError, create_plan, import_tasks
    from cchc.procedures import io as catalogue_io

    catalogue = "Mã TTHC;Tên TTHC;Lĩnh vực;Thời hạn giải quyết;Hiệu lực từ\n1.004444;Cấp phép;Bức xạ;10;01/01/2024\n"
    plan = create_plan(agency, kind=PlanKind.CCHC_ANNUAL, year=2024, title="Kế hoạch CCHC năm 2024", actor=officer)
    tasks = "TT,Nội dung\nI,Cải cách thể chế\n".encode()

    from cchc import importing

    def holder(kind, key):
        def body(started, release):
            with importing.exclusive_import(kind, key, owner="x"):
                started.set()
                release.wait(60)

        return Held(body)

    with holder("procedures", agency.pk):
        with pytest.raises(catalogue_io.UnreadableFile, match=BUSY):
            catalogue_io.import_catalogue(catalogue.encode(), agency, filename="a.csv", wait=0.3)
    with holder("plan-tasks", plan.pk):
        with pytest.raises(PlanImportError, match="Một lần nhập khác của kế hoạch “Kế hoạch CCHC năm 2024” đang chạy"):
            import_tasks(plan, tasks, officer, filename="a.csv", wait=0.3)
    assert catalogue_io.import_catalogue(catalogue.encode(), agency, filename="a.csv").created == 1
    assert import_tasks(plan, tasks, officer, filename="a.csv").created == 1
