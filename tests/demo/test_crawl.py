"""The demo crawl: build the demo, log in as every demo role through the log-in page, and visit every page a person
can reach from the navigation, every page without parameters, every detail page of each kind of object (all
procedures, plans, reports, documents and templates; dossiers of every state with each of their step forms; plan
tasks; uploaded reports under review, confirmed, replaced and of an unknown agency, and the job that read them),
and the Django admin for the superuser. It fails on any 5xx, on a page whose <html lang> is not "vi", and on
internal values shown to a person (state codes, field names, Python reprs) or text not in NFC; see
tests/demo/crawl.py.

New pages join by construction: every URL name of the site must have been visited by some role, or be listed in
POST_ONLY below with the reason it has no page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cchc.agencies.scoping import scope
from cchc.aggregation import importing as imports
from cchc.aggregation.importing.jobs import start_upload
from cchc.aggregation.models import ImportedReport
from cchc.demo import build, data
from cchc.demo.ministry import MINISTRY_USER
from cchc.documents.models import Document
from cchc.dossiers import lifecycle
from cchc.dossiers.forms import STEP_FORMS
from cchc.dossiers.jobs import start_import
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.views import SAMPLES_DIR
from cchc.dossiers.workflow.models import DossierStep
from cchc.jobs.models import Job, JobFile
from cchc.jobs.worker import run_ready_in_process
from cchc.plans.models import Plan, Task
from cchc.procedures.models import Component, Procedure
from cchc.reports.models import Report, ReportTemplate
from cchc.statistics.periods import current_quarter

from .crawl import Crawl, crawl, internal_codes

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 15, 30))
SCALE = 0.05
ROLES = [spec.username for spec in data.USERS] + [MINISTRY_USER[0]]

# URL names without a page of their own: they only take a POST (a button on another page) or leave the site.
POST_ONLY = {
    "logout": "the user menu's button",
    "reports:section": "the editor saves a section by POST",
    "reports:submit": "a button on the report page",
    "reports:approve": "a button on the report page",
    "reports:return": "a button on the report page",
    "reports:save_version": "a button on the report page",
    "reports:template_copy": "a button on the templates page",
    "rollup:submit": "the report page's send button",
    "notifications:open": "each notification's button on the notifications page",
    "notifications:mark": "a button on the notifications page",
    "notifications:mark_all": "a button on the notifications page",
    "notifications:outbox_retry": "a button on the outbox page",
    "dossiers:bulk_assign": "the dossier list's button for the selected dossiers",
}

PROCEDURE_PAGES = ("procedures:detail", "procedures:edit", "procedures:components", "procedures:fees",
                   "procedures:steps")  # fmt: skip

UPLOADED = """UBND TỈNH CAO BẰNG
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 27/BC-SKHCN
Cao Bằng, ngày 15 tháng 3 năm 2023
BÁO CÁO
Tình hình thực hiện công tác cải cách hành chính quý I năm 2023
Thực hiện Kế hoạch số 05/KH-SKHCN ngày 09/01/2023 của Sở về cải cách hành chính năm 2023.
Trong quý I năm 2023, Sở tiếp nhận 41 hồ sơ, đã giải quyết 39 hồ sơ, trong đó trước hạn và đúng hạn 39 hồ sơ.
"""


def _login(username: str) -> Client:
    client = Client(raise_request_exception=False)
    response = client.post(reverse("login"), {"username": username, "password": data.DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} không đăng nhập được"
    return client


def _no_argument_urls() -> list[str]:
    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
                name = f"{prefix}{pattern.name}"
                if name not in POST_ONLY:
                    urls.append(reverse(name))

    walk(get_resolver().url_patterns)
    return urls


def _objects(user) -> list[str]:
    """The detail and form pages of every object of each kind the user can read (dossiers: one per state)."""
    urls: list[str] = []
    for procedure in scope(Procedure.objects.order_by("pk"), user):
        urls += [reverse(name, args=[procedure.pk]) for name in PROCEDURE_PAGES]
    for procedure in scope(Procedure.objects.order_by("pk"), user)[:3]:
        urls.append(f"{reverse('dossiers:receive')}?thu_tuc={procedure.pk}")
    for plan in scope(Plan.objects.order_by("pk"), user):
        urls += [reverse("plans:detail", args=[plan.pk]), reverse("plans:task_create", args=[plan.pk]),
                 reverse("plans:import", args=[plan.pk])]  # fmt: skip
        for task in Task.objects.filter(plan=plan).order_by("pk")[:4]:
            urls += [reverse(name, args=[task.pk])
                     for name in ("plans:task", "plans:task_edit", "plans:task_progress", "plans:task_rating")]
    for document in scope(Document.objects.order_by("pk"), user):
        urls.append(reverse("documents:detail", args=[document.pk]))
        if document.file:
            urls.append(reverse("documents:download", args=[document.pk]))
    for report in scope(Report.objects.order_by("pk"), user):
        urls += [reverse("reports:detail", args=[report.pk]), reverse("reports:details", args=[report.pk]),
                 reverse("reports:download", args=[report.pk, "docx"]),
                 reverse("reports:download", args=[report.pk, "xlsx"])]  # fmt: skip
    for template in ReportTemplate.objects.order_by("pk"):
        urls.append(reverse("reports:outline", args=[template.pk]))
    for imported in scope(ImportedReport.objects.order_by("pk"), user):
        urls.append(reverse("rollup:review", args=[imported.pk]))
    for job in scope(Job.objects.order_by("pk"), user):
        urls.append(reverse("jobs:detail", args=[job.pk]))
        urls += [reverse("jobs:file", args=[job.pk, file.pk]) for file in JobFile.objects.filter(job=job)]
    for status in Status.values:
        dossier = scope(Dossier.objects.filter(status=status).order_by("-pk"), user).first()
        if dossier is not None:
            urls.append(reverse("dossiers:detail", args=[dossier.pk]))
            urls += [reverse("dossiers:action", args=[dossier.pk, kind])
                     for kind in lifecycle.allowed_actions(dossier) if kind in STEP_FORMS]  # fmt: skip
    # The step pages of the internal process (a liên thông agency's people reach them from their incoming list).
    for step in DossierStep.objects.filter(dossier__in=scope(Dossier.objects.all(), user)).order_by("pk")[:3]:
        urls.append(reverse("dossiers:workflow_step", args=[step.pk]))
    quarter = current_quarter(timezone.localdate())
    urls += [f"/?ky={quarter.key}", "/?ky=2023-Q1", f"{reverse('rollup:table')}?ky=2023-Q1",
             f"{reverse('rollup:table')}?ky={quarter.key}", f"{reverse('dossiers:list')}?q=nguyen+van",
             f"{reverse('dossiers:reception_procedures')}?q=dang+ky",
             f"{reverse('dossiers:reception_applicant')}?applicant_id_number=044190000123"]  # fmt: skip
    urls += [f"{reverse('dossiers:list')}?sort={key}" for key in ("code", "-applicant", "due")]
    urls += [f"{reverse('worklists:my_work')}?tab={tab}" for tab in ("held", "queue", "approval")]
    urls.append(f"{reverse('dossiers:export')}?status=in_process&sort=due")
    return urls


def _uploads(ministry, member) -> None:
    """Uploads of the ministry aggregator: one waiting for review, one confirmed, the same report again (a duplicate
    offered as its replacement), one confirmed then replaced, one whose agency the ministry does not collect, and
    two read in the queue (a read report and a broken file) whose job page shows each file."""
    desk = ministry.memberships.get().agency
    candidates = imports.import_agencies(ministry)
    imports.stage_file(member, UPLOADED.encode(), ministry, filename="bao-cao-cho-ra-soat.txt")
    confirmed = imports.stage_file(member, UPLOADED.replace("41", "43").encode(), ministry,
                                   filename="bao-cao-da-nhap.txt")  # fmt: skip
    imports.confirm(confirmed, {"period": "2023-Q1", "tasks": False}, ministry)
    replacement = imports.stage_file(member, UPLOADED.replace("41", "43").replace("Sở tiếp", "Sở đã tiếp").encode(),
                                     ministry, filename="bao-cao-go-lai.txt")  # fmt: skip
    assert imports.earlier_uploads(replacement) == [confirmed]
    older = imports.stage_file(member, UPLOADED.replace("27/BC", "28/BC").encode(), ministry, filename="ban-cu.txt")
    imports.confirm(older, {"period": "2023-Q1", "tasks": False}, ministry)
    newer = imports.stage_file(member, UPLOADED.replace("27/BC", "28/BC").replace("41", "42").encode(), ministry,
                               filename="ban-moi.txt")  # fmt: skip
    imports.confirm(newer, {"period": "2023-Q1", "tasks": False}, ministry)
    foreign = UPLOADED.replace("CAO BẰNG", "LAI CHÂU").replace("KHOA HỌC VÀ CÔNG NGHỆ", "TƯ PHÁP")
    imports.stage_file(None, foreign.replace("Cao Bằng", "Lai Châu").encode(), ministry, filename="so-tu-phap.txt",
                       candidates=candidates, desk=desk)  # fmt: skip
    start_upload([("bao-cao-quy-2.txt", UPLOADED.replace("quý I", "quý II").replace("27/BC", "29/BC").encode(), ""),
                  ("hong.docx", b"PK\x03\x04 not a zip", "")], desk=desk, actor=ministry)  # fmt: skip


def _jobs() -> None:
    """The one-stop desk of the Sở KH&CN imports the sample file (a finished job with its summary) and a file
    without the required columns (a failed one), and the ministry's reading of two report files (_uploads), all
    run here, in-process, as a worker would run them."""
    one_stop = get_user_model().objects.get(username="skhcn.motcua")
    agency = one_stop.memberships.get().agency
    sample = SAMPLES_DIR / "ho-so-mau.csv"
    start_import(ContentFile(sample.read_bytes(), name=sample.name), agency=agency, actor=one_stop)
    bad = ContentFile("Mã hồ sơ,Chủ hồ sơ\nHS-1,Nguyễn Văn An\n".encode(), name="thieu-cot.csv")
    start_import(bad, agency=agency, actor=one_stop)
    assert run_ready_in_process() == 3


class _Crawls(dict):
    """Each role's crawl, made when a test first asks for it (so `-k` on one role crawls that role only)."""

    codes: set[str] | None = None

    def __missing__(self, username: str) -> Crawl:
        self.codes = self.codes or internal_codes()
        user = get_user_model().objects.get(username=username)
        start = ["/", *_no_argument_urls(), *_objects(user)]
        self[username] = crawl(_login(username), start, admin=user.is_superuser, codes=self.codes)
        return self[username]


@pytest.fixture(scope="module")
def crawled(django_db_setup, django_db_blocker) -> dict[str, Crawl]:
    """One demo build for the module, rolled back at its end; one crawl per role."""
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build.build_demo(scale=SCALE, now=NOW)
            ministry = get_user_model().objects.get(username=MINISTRY_USER[0])
            # Uploads of the ministry aggregator: one waiting for review, one confirmed.
            member = ministry.memberships.get().agency.aggregation_groups.get().members.exclude(
                reports__isnull=False
            ).order_by("pk").first()
            _uploads(ministry, member)
            # No demo document has a file: give one a file so that its download is crawled too.
            document = Document.objects.order_by("pk").first()
            document.file.save("cong-van-den.txt", ContentFile("Công văn đến (tệp minh họa).".encode()))
            # Nor any component a form file: give one a file so that its download is crawled too.
            component = Component.objects.order_by("pk").first()
            component.form_file.save("mau-don.pdf", ContentFile(b"%PDF-1.4 mau don minh hoa"))
            _jobs()
            yield _Crawls()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_demo_is_right_for(crawled, username):
    result = crawled[username]
    assert len(result.visited) > 20, f"{username} chỉ đến được {len(result.visited)} trang"
    problems = sorted({str(problem) for problem in result.problems})
    print(f"{username}: {len(result.visited)} trang")  # shown with pytest -rP: how far each role got
    assert not problems, f"{username}: {len(problems)} lỗi trên {len(result.visited)} trang:\n" + "\n".join(
        problems[:60]
    )


def test_every_url_of_the_site_is_visited_by_some_role(crawled):
    visited = set().union(*(crawled[username].url_names for username in ROLES))

    def names(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from names(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace
                                     else prefix)  # fmt: skip
            elif pattern.name:
                yield f"{prefix}{pattern.name}"

    missing = sorted(set(names(get_resolver().url_patterns)) - visited - set(POST_ONLY))
    assert missing == [], "URL chưa được thăm (thêm vào crawl hoặc POST_ONLY kèm lý do): " + ", ".join(missing)


def test_the_crawl_saw_dossiers_of_every_state_and_their_step_forms(crawled):
    officer = get_user_model().objects.get(username="skhcn.chuyenvien")
    seen = {
        status
        for status in Status.values
        for pk in scope(Dossier.objects.filter(status=status), officer).values_list("pk", flat=True)[:50]
        if reverse("dossiers:detail", args=[pk]) in crawled["skhcn.chuyenvien"].visited
    }
    assert seen == set(Status.values)
    assert crawled["skhcn.chuyenvien"].url_names["dossiers:action"] >= len(STEP_FORMS)
    assert crawled["admin"].url_names["admin:index"] == 1
    total = sum(len(crawled[username].visited) for username in ROLES)
    print(f"crawl: {total} trang, {len(ROLES)} vai trò")
