"""Shared fixtures: two provinces, agencies in each, one user per role, and the report files (`corpus`: our own
reports of tests/corpus with their expectations; `shared_samples`: the real samples beside the repository, skipped
with the reason when absent).

The suite runs against the database named by DATABASE_URL (PostgreSQL in CI) and against SQLite
(the default when DATABASE_URL is unset); see scripts/test.sh.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import selectors
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import hashers

# Tests only: hashing passwords the production way costs ~0.5 s per user created. pytest-django has loaded the
# settings before this file runs, so change them here and drop the hasher caches.
django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
hashers.get_hashers.cache_clear()
hashers.get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: log-in failure counters must not carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def province(db):
    from cchc.agencies.models import Province

    return Province.objects.create(code="H45", name="Quảng Trị")


@pytest.fixture
def other_province(db):
    from cchc.agencies.models import Province

    return Province.objects.create(code="H06", name="Cao Bằng")


@pytest.fixture
def agency(province):
    from cchc.agencies.models import Agency

    return Agency.objects.create(
        province=province,
        code="SKHCN",
        name="Sở Khoa học và Công nghệ",
        parent_authority_name="UBND TỈNH QUẢNG TRỊ",
        electronic_id="000.00.12.H45",
    )


@pytest.fixture
def other_agency(province):
    from cchc.agencies.models import Agency

    return Agency.objects.create(province=province, code="SNV", name="Sở Nội vụ", electronic_id="000.00.05.H45")


@pytest.fixture
def foreign_agency(other_province):
    from cchc.agencies.models import Agency

    return Agency.objects.create(province=other_province, code="SKHCN", name="Sở Khoa học và Công nghệ Cao Bằng")


@pytest.fixture
def unit(agency):
    from cchc.agencies.models import Unit

    return Unit.objects.create(agency=agency, name="Phòng Quản lý chuyên ngành", kind=Unit.Kind.DIVISION)


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Membership

    def make(username: str, agency, role: str, password: str = "mat-khau-thu-nghiem"):
        user = get_user_model().objects.create_user(username=username, password=password)
        Membership.objects.create(user=user, agency=agency, role=role)
        return user

    return make


@pytest.fixture
def officer(make_user, agency):
    return make_user("chuyenvien", agency, "officer")


@pytest.fixture
def one_stop_staff(make_user, agency):
    return make_user("motcua", agency, "one_stop")


@pytest.fixture
def viewer(make_user, agency):
    return make_user("nguoixem", agency, "viewer")


@pytest.fixture
def field(db):
    from cchc.procedures.models import Field

    return Field.objects.create(name="Năng lượng nguyên tử, an toàn bức xạ và hạt nhân")


@pytest.fixture
def procedure(agency, field):
    from cchc.procedures.models import Procedure

    return Procedure.objects.create(
        agency=agency,
        code="1.004444",
        name="Cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán trong y tế)",
        field=field,
        processing_time=Decimal("10"),
        online_service="full",
        effective_from=dt.date(2020, 1, 1),
    )


# --- report files: our own corpus, and the real samples when they are beside the repository --------------------

REPOSITORY = Path(__file__).resolve().parents[1]
CORPUS_EXPECTED = REPOSITORY / "tests" / "corpus" / "expected"
SAMPLES_ABSENT = (
    "the real sample reports (shared/samples/reports beside the repository) are not here; "
    "the corpus in tests/corpus covers the same ground"
)


def shared_samples_dir() -> Path | None:
    """The real sample reports: `shared/samples/reports` in the folder holding the repository, or one level up (a
    work tree kept in a sub-folder); None when there are none."""
    for base in (REPOSITORY.parent, REPOSITORY.parent.parent):
        candidate = base / "shared" / "samples" / "reports"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def shared_samples() -> Path:
    """The folder of the real sample reports; the test is skipped, with the reason shown by `-rs`, without it."""
    found = shared_samples_dir()
    if found is None:
        pytest.skip(SAMPLES_ABSENT)
    return found


@dataclass(frozen=True)
class CorpusReport:
    """One report of our corpus (tests/corpus) and what a careful reader takes from it (expected/<name>.json)."""

    name: str
    expected: dict

    def path(self, ext: str) -> Path:
        return REPOSITORY / f"{self.expected['source']}.{ext}"


def corpus_report(name: str) -> CorpusReport:
    return CorpusReport(name, json.loads((CORPUS_EXPECTED / f"{name}.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def corpus():
    """`corpus(name)`: a report of the corpus with its expectations."""
    return corpus_report


@dataclass
class RunningServer:
    process: subprocess.Popen[str]
    port: int
    line: str  # what the server printed once it listened ("... đang chạy tại http://127.0.0.1:PORT ...")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def start_server(tmp_path: Path):
    """Starts `cchc serve` as a separate process on a free port, on SQLite in tmp_path, and waits until it says it
    listens: start_server("--server", "waitress", CCHC_MAX_UPLOAD_MB="1"). Every server started is stopped at the
    end of the test (terminate, then kill)."""
    started: list[subprocess.Popen] = []

    def start(*args: str, migrate: bool = False, **env_extra: str) -> RunningServer:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(CCHC_DATA_DIR=str(tmp_path), **env_extra)
        if migrate:
            subprocess.run([sys.executable, "-m", "cchc", "migrate", "-v", "0"], env=env, check=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "cchc", "serve", "--port", str(port), *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        started.append(process)
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        line = ""
        deadline = time.monotonic() + 60
        while "đang chạy" not in line and time.monotonic() < deadline and process.poll() is None:
            if selector.select(timeout=1):
                line = process.stdout.readline()
        assert f":{port}" in line, line
        return RunningServer(process, port, line)

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
