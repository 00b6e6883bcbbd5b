"""Every URL of the site against the project's rule: a user of one agency cannot read or change another agency's data
by any URL (404 for objects of agencies they cannot read, 403 for actions their role may not do), anonymous users
are sent to log in, viewers and aggregators only read outside their own agency, and CSRF is enforced.

The URL patterns are enumerated from the resolver, so a new URL with an object id fails these tests until it is
added to OBJECT_KIND (which object its id names) and to ACTIONS or READS.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cchc.agencies.models import Agency, Province
from cchc.dossiers.forms import STEP_FORMS
from cchc.dossiers.workflow.forms import MOVE_FORMS

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Which object each URL's int parameter names.
OBJECT_KIND: dict[str, str] = {
    "procedures:detail": "procedure",
    "procedures:edit": "procedure",
    "procedures:components": "procedure",
    "procedures:fees": "procedure",
    "procedures:steps": "procedure",
    "procedures:component_file": "component",
    "dossiers:detail": "dossier",
    "dossiers:action": "dossier",
    "dossiers:workflow_step": "step",
    "dossiers:workflow_move": "step",
    "dossiers:workflow_return": "dossier",
    "dossierforms:dossier_form": "dossier",
    "plans:detail": "plan",
    "plans:task_create": "plan",
    "plans:import": "plan",
    "plans:task": "task",
    "plans:task_edit": "task",
    "plans:task_progress": "task",
    "plans:task_rating": "task",
    "documents:detail": "document",
    "documents:download": "document",
    "reports:detail": "report",
    "reports:details": "report",
    "reports:submit": "report",
    "reports:approve": "report",
    "reports:return": "report",
    "reports:save_version": "report",
    "reports:download": "report",
    "reports:section": "section",
    "reports:template_copy": "template",
    "reports:outline": "template",
    "rollup:review": "imported",
    "rollup:submit": "report",
    "notifications:open": "notification",
    "notifications:mark": "notification",
    "notifications:outbox_retry": "outbox",
    "jobs:detail": "job",
    "jobs:file": "job",
}

# Values for the str parameters; every value is requested.
STR_VALUES: dict[tuple[str, str], list[str]] = {
    ("procedures:export", "fmt"): ["xlsx", "csv"],
    ("dossiers:import_sample", "name"): ["mau.csv"],
    ("dossiers:action", "kind"): [str(kind) for kind in STEP_FORMS],
    ("dossiers:workflow_move", "move"): sorted(MOVE_FORMS),
    # The .docx of two forms (the PDF needs LibreOffice; tests/dossierforms converts it).
    ("dossierforms:dossier_form", "form"): ["tiep-nhan", "kiem-soat"],
    ("dossierforms:dossier_form", "fmt"): ["docx"],
    ("dossierforms:template_edit", "regime"): ["nd118_2025"],
    ("dossierforms:template_edit", "form"): ["tiep-nhan"],
    ("reports:download", "fmt"): ["docx", "xlsx", "pdf"],
}

# URLs whose POST changes data: a viewer of the agency gets 403.
ACTIONS = {
    "procedures:create",
    "procedures:edit",
    "procedures:components",
    "procedures:fees",
    "procedures:steps",
    "dossiers:receive",
    "dossiers:import",
    "dossiers:action",
    "dossiers:workflow_move",
    "dossiers:workflow_return",
    "dossierforms:template_edit",
    "dossiers:bulk_assign",
    "plans:create",
    "plans:task_create",
    "plans:import",
    "plans:task_edit",
    "plans:task_progress",
    "plans:task_rating",
    "documents:issue",
    "documents:incoming",
    "reports:create",
    "reports:details",
    "reports:submit",
    "reports:approve",
    "reports:return",
    "reports:save_version",
    "reports:section",
    "reports:template_copy",
    "reports:outline",
    "rollup:upload",
    "rollup:review",
    "rollup:submit",
    "notifications:outbox_retry",
}
# URLs that only read (some accept POST for long input, like the reference finder).
READS = {
    "jobs:list",
    "jobs:detail",
    "jobs:file",
    "login",
    "logout",
    "dashboard",
    "procedures:list",
    "procedures:export",
    "procedures:detail",
    "procedures:component_file",
    "dossiers:list",
    "dossiers:detail",
    "dossiers:import_sample",
    "dossiers:workflow_incoming",
    "dossiers:workflow_step",
    "dossiers:reception_checklist",
    "dossiers:reception_procedures",
    "dossiers:reception_applicant",
    "dossierforms:dossier_form",
    "dossierforms:register",
    "dossierforms:templates",
    "dossiers:export",
    "worklists:my_work",
    "plans:list",
    "plans:detail",
    "plans:task",
    "documents:list",
    "documents:detail",
    "documents:download",
    "documents:references",
    "reports:list",
    "reports:detail",
    "reports:download",
    "reports:templates",
    "rollup:table",
    "notifications:list",
    "notifications:outbox",
    # A user's own notifications only: marking them read changes nothing of the agency's (a viewer may).
    "notifications:open",
    "notifications:mark",
    "notifications:mark_all",
}
# An aggregator uploads and confirms existing reports for the members it aggregates (views_rollup.import_agencies):
# the one change it makes outside its own agency, by design.
AGGREGATOR_MAY = {"rollup:upload", "rollup:review"}


def url_patterns() -> list[tuple[str, dict]]:
    """(namespaced name, {parameter: converter}) of every URL but the admin's and static files."""
    found: list[tuple[str, dict]] = []

    def walk(patterns, namespace: str, converters: dict) -> None:
        for entry in patterns:
            here = {**converters, **getattr(entry.pattern, "converters", {})}
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin" or entry.namespace == "admin":
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, here)
            elif isinstance(entry, URLPattern):
                if not entry.name or entry.name == "static":
                    raise AssertionError(f"URL without a name: {entry.pattern}")
                found.append((f"{namespace}{entry.name}", here))

    walk(get_resolver().url_patterns, "", {})
    return found


def _is_int(converter) -> bool:
    return type(converter).__name__ == "IntConverter"


def urls_for(name: str, converters: dict, objects: dict[str, int]) -> list[str]:
    """Every URL of pattern `name` with the int parameter set to `objects[kind]` and each str value."""
    kwargs_list: list[dict] = [{}]
    for param, converter in converters.items():
        if _is_int(converter):
            values = [objects[OBJECT_KIND[name]]]
        else:
            values = STR_VALUES[(name, param)]
        kwargs_list = [{**kwargs, param: value} for kwargs in kwargs_list for value in values]
    return [reverse(name, kwargs=kwargs) for kwargs in kwargs_list]


def test_every_url_is_classified():
    """A new URL must be added to the maps above, so these tests check it too."""
    for name, converters in url_patterns():
        assert name in ACTIONS | READS, f"{name}: add it to ACTIONS or READS"
        for param, converter in converters.items():
            if _is_int(converter):
                assert name in OBJECT_KIND, f"{name}: add its <int:{param}> to OBJECT_KIND"
            else:
                assert (name, param) in STR_VALUES, f"{name}: add values for <str:{param}> to STR_VALUES"


# --- two agencies, one of every object each -------------------------------------------------------------------


def _objects(agency: Agency, actor, tag: str) -> dict[str, int]:
    from cchc.aggregation.models import ImportedReport
    from cchc.documents.models import Document, Register
    from cchc.dossiers.models import Dossier, DossierStep
    from cchc.jobs.models import Job, JobFile, JobKind
    from cchc.notifications.models import Channel, Kind, Notification, OutboxMessage, OutboxState
    from cchc.plans import services as plan_services
    from cchc.plans.models import PlanKind
    from cchc.procedures.models import Component, Field, Procedure
    from cchc.reports import services as report_services

    field, _ = Field.objects.get_or_create(name="Hoạt động khoa học và công nghệ")
    procedure = Procedure.objects.create(
        agency=agency, code=f"1.00{tag}", name=f"Thủ tục bí mật {tag}", field=field,
        processing_time=Decimal("10"), effective_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    # On a procedure of its own: the receipt case below receives under `procedure` in one post, without a checklist.
    with_form = Procedure.objects.create(
        agency=agency, code=f"2.00{tag}", name=f"Thủ tục có mẫu đơn {tag}", field=field,
        processing_time=Decimal("10"), effective_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    component = Component.objects.create(procedure=with_form, position=1, name=f"Đơn bí mật {tag}")
    component.form_file.save(f"mau-{tag}.pdf", ContentFile(b"%PDF-1.4 mau don"))
    received = dt.datetime(2023, 3, 1, 9, tzinfo=TZ)
    dossier = Dossier.objects.create(
        agency=agency, procedure=procedure, code=f"HS-{tag}", applicant_name=f"Chủ hồ sơ {tag}", channel=1,
        received_at=received, received_on=received.date(), due_at=received + dt.timedelta(days=14),
        due_date=dt.date(2023, 3, 15), status="in_process",
    )  # fmt: skip
    step = DossierStep.objects.create(
        dossier=dossier, position=1, name=f"Thẩm định bí mật {tag}", role="officer", state="queued",
        duration=Decimal("5"), started_at=received,
    )  # fmt: skip
    plan = plan_services.create_plan(
        agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title=f"Kế hoạch bí mật {tag}", actor=actor
    )
    task = plan_services.create_task(plan, code="1", content=f"Nhiệm vụ bí mật {tag}", actor=actor)
    register = Register.objects.create(agency=agency, name=f"Sổ đi {tag}")
    document = Document.objects.create(
        agency=agency, register=register, kind="KH", number="01", symbol=f"KH-{tag}", excerpt=f"Văn bản bí mật {tag}",
        issue_date=dt.date(2023, 1, 5), year=2023,
    )  # fmt: skip
    document.file.save(f"van-ban-{tag}.txt", ContentFile(f"Nội dung bí mật {tag}".encode()))
    report = report_services.create_report(agency, "cchc-quarterly", "2023-Q1", actor)
    template = report_services.copy_template(report.template, agency, actor)
    imported = ImportedReport.objects.create(agency=agency, file_name=f"bao-cao-{tag}.docx", sha256=tag[0] * 64)
    notification = Notification.objects.create(
        recipient=actor, agency=agency, kind=Kind.STEP_REACHED, title=f"Hồ sơ HS-{tag}", dossier=dossier
    )
    message = OutboxMessage.objects.create(
        channel=Channel.EMAIL, agency=agency, recipient_address=f"{tag}@example.vn", body=f"Thư bí mật {tag}",
        kind=Kind.DOSSIER_RECEIVED, state=OutboxState.FAILED, next_attempt_at=received,
    )  # fmt: skip
    job = Job.objects.create(kind=JobKind.DOSSIER_IMPORT, agency=agency, title=f"Nhập tệp bí mật {tag}")
    # jobs:file takes the job's id for both its ids here (urls_for): the file gets the job's id.
    JobFile.objects.create(pk=job.pk, job=job, role=JobFile.Role.INPUT, name=f"bi-mat-{tag}.csv", content=b"x")
    return {
        "notification": notification.pk,
        "outbox": message.pk,
        "procedure": procedure.pk,
        "component": component.pk,
        "dossier": dossier.pk,
        "step": step.pk,
        "plan": plan.pk,
        "task": task.pk,
        "document": document.pk,
        "report": report.pk,
        "section": report.sections.order_by("order").first().pk,
        "template": template.pk,
        "imported": imported.pk,
        "register": register.pk,
        "job": job.pk,
    }


@pytest.fixture
def world(make_user, settings, tmp_path):
    """Agency A (Quảng Trị) and agency B (Cao Bằng), each with one object of every kind and an admin."""
    settings.MEDIA_ROOT = tmp_path
    p1 = Province.objects.create(code="H45", name="Quảng Trị")
    p2 = Province.objects.create(code="H06", name="Cao Bằng")
    a = Agency.objects.create(province=p1, code="SKHCN", name="Sở Khoa học và Công nghệ Quảng Trị")
    b = Agency.objects.create(province=p2, code="STP", name="Sở Tư pháp Cao Bằng")
    users = {"a_admin": make_user("quantri-a", a, "admin"), "b_admin": make_user("quantri-b", b, "admin")}
    objects = {"a": _objects(a, users["a_admin"], "AAA"), "b": _objects(b, users["b_admin"], "BBB")}
    return {"a": a, "b": b, "p1": p1, "p2": p2, "users": users, "objects": objects}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


SECRETS_OF_A = ("bí mật AAA", "HS-AAA", "KH-AAA", "bao-cao-AAA")


def _assert_no_data(response, where: str) -> None:
    body = response.content.decode(errors="replace") if not response.streaming else ""
    for secret in SECRETS_OF_A:
        assert secret not in body, f"{where}: shows {secret!r}"


@pytest.mark.parametrize("role", ["admin", "aggregator", "leader"])
def test_another_agency_gets_404_for_every_object_url(world, make_user, role):
    """B's users ask for A's objects by every URL with an id, GET and an empty POST: 404 (403 only where a role
    check comes before any lookup; 405 for a GET of a POST-only URL), never the page or a redirect."""
    user = make_user(f"b-{role}", world["b"], role) if role != "admin" else world["users"]["b_admin"]
    client = _client(user)
    checked = 0
    for name, converters in url_patterns():
        if not any(_is_int(c) for c in converters.values()):
            continue
        for url in urls_for(name, converters, world["objects"]["a"]):
            get = client.get(url)
            assert get.status_code in (403, 404, 405), f"GET {url} ({name}) as {role} of B: {get.status_code}"
            _assert_no_data(get, f"GET {url}")
            post = client.post(url, {})
            assert post.status_code in (403, 404), f"POST {url} ({name}) as {role} of B: {post.status_code}"
            _assert_no_data(post, f"POST {url}")
            if role == "admin":
                # B's admin may do everything in B, so only a missing object stops them.
                assert (get.status_code, post.status_code) in ((404, 404), (405, 404)), f"{url}: not a 404"
            checked += 1
    assert checked >= len(OBJECT_KIND)


def test_the_object_ids_are_real(world):
    """The control for the test above: A's admin opens the same URLs (so a 404 there means "not yours", not "no
    such id")."""
    client = _client(world["users"]["a_admin"])
    for name, converters in url_patterns():
        if not any(_is_int(c) for c in converters.values()):
            continue
        for url in urls_for(name, converters, world["objects"]["a"]):
            if url.endswith("/pdf/"):
                continue  # needs LibreOffice; the .docx and .xlsx of the same report are opened
            response = client.get(url)
            # A workflow move that the step's state or holder does not allow the admin answers 403 (its own page,
            # naming the step): the step was found.
            allowed = (200, 403, 405) if name == "dossiers:workflow_move" else (200, 405)
            assert response.status_code in allowed, f"GET {url} ({name}) as A's admin: {response.status_code}"
            if response.status_code == 403:
                assert "Thẩm định bí mật AAA" in response.content.decode() or "bước" in response.content.decode()
            if response.status_code == 405:
                # POST-only: an empty form is refused or redirected, but the object was found.
                assert client.post(url, {}).status_code != 404, url


def test_anonymous_users_are_sent_to_log_in_from_every_url(world):
    client = Client()
    login = reverse("login")
    for name, converters in url_patterns():
        if name in ("login", "logout"):
            continue
        for url in urls_for(name, converters, world["objects"]["a"]):
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code == 302, f"{method.__name__.upper()} {url}: {response.status_code}"
                assert response["Location"].startswith(login), url


def test_a_viewer_cannot_post_to_any_action_of_their_own_agency(world, make_user):
    client = _client(make_user("nguoixem-a", world["a"], "viewer"))
    for name, converters in url_patterns():
        if name not in ACTIONS:
            continue
        for url in urls_for(name, converters, world["objects"]["a"]):
            response = client.post(url, {})
            assert response.status_code == 403, f"POST {url} ({name}) as A's viewer: {response.status_code}"


def test_an_aggregator_of_the_province_reads_but_cannot_change_a_member(world, make_user):
    """The provincial aggregator (Sở Nội vụ) reads A's objects but every action on them is 403."""
    home = Agency.objects.create(province=world["p1"], code="SNV", name="Sở Nội vụ Quảng Trị")
    client = _client(make_user("tonghop", home, "aggregator"))
    objects = world["objects"]["a"]
    assert client.get(reverse("procedures:detail", kwargs={"pk": objects["procedure"]})).status_code == 200
    assert client.get(reverse("reports:detail", kwargs={"pk": objects["report"]})).status_code == 200
    for name, converters in url_patterns():
        if name not in ACTIONS or name in AGGREGATOR_MAY:
            continue
        for url in urls_for(name, converters, objects):
            response = client.post(url, {})
            assert response.status_code == 403, f"POST {url} ({name}) as the aggregator: {response.status_code}"


def test_parameters_that_pick_an_agency_refuse_a_foreign_one(world):
    """?co_quan= / ?agency= / POST agency naming an agency the user cannot read: 404, and none of its data."""
    client = _client(world["users"]["b_admin"])
    a = world["a"].pk
    b_imported = world["objects"]["b"]["imported"]
    cases = [
        client.get(reverse("dashboard"), {"co_quan": a}),
        client.get(reverse("procedures:create"), {"co_quan": a}),
        client.post(reverse("procedures:create"), {"co_quan": a}),
        client.get(reverse("procedures:list"), {"agency": a}),
        client.get(reverse("procedures:export", kwargs={"fmt": "csv"}), {"agency": a}),
        client.get(reverse("dossiers:list"), {"agency": a}),
        client.get(reverse("rollup:table"), {"co_quan": a}),
        client.post(reverse("rollup:upload"), {"agency": a}),
        client.get(reverse("rollup:review", kwargs={"pk": b_imported}), {"agency": a}),
        client.post(reverse("rollup:review", kwargs={"pk": b_imported}), {"agency": a, "period": "2023-Q1"}),
    ]
    for response in cases:
        assert response.status_code == 404, f"{response.request['PATH_INFO']}: {response.status_code}"
        _assert_no_data(response, response.request["PATH_INFO"])


def test_lists_and_searches_show_only_readable_agencies(world):
    """The lists (and their htmx fragments) of B's admin never show A's rows, whatever is searched."""
    client = _client(world["users"]["b_admin"])
    htmx = {"HTTP_HX_REQUEST": "true"}
    for name in ("procedures:list", "dossiers:list", "plans:list", "documents:list", "reports:list"):
        for params in ({}, {"q": "AAA"}, {"q": "bí mật"}):
            for extra in ({}, htmx):
                response = client.get(reverse(name), params, **extra)
                assert response.status_code == 200, name
                _assert_no_data(response, name)
    # The finder echoes the pasted text, so look for what only a match would show: A's excerpt and page.
    response = client.post(reverse("documents:references"), {"text": "Kế hoạch số 01/KH-AAA ngày 05/01/2023"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Văn bản bí mật AAA" not in body
    assert reverse("documents:detail", kwargs={"pk": world["objects"]["a"]["document"]}) not in body
    # The control: A's own admin is shown the match.
    mine = _client(world["users"]["a_admin"]).post(reverse("documents:references"), {"text": "Kế hoạch số 01/KH-AAA"})
    assert reverse("documents:detail", kwargs={"pk": world["objects"]["a"]["document"]}) in mine.content.decode()
    export = client.get(reverse("procedures:export", kwargs={"fmt": "csv"}))
    assert "AAA" not in export.content.decode("utf-8-sig")


def test_csrf_is_enforced_on_posts(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["a_admin"])
    objects = world["objects"]["a"]
    for url in (
        reverse("procedures:create"),
        reverse("reports:submit", kwargs={"pk": objects["report"]}),
        reverse("plans:task_progress", kwargs={"pk": objects["task"]}),
    ):
        assert client.post(url, {}).status_code == 403, url
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403


def test_ids_of_another_agency_inside_a_form_are_refused(world):
    """A form of B's pages naming one of A's objects (a parent task, an issuing document, a register, a procedure)
    is refused and creates nothing; the same form with B's own object goes through."""
    from cchc.documents.models import Document
    from cchc.dossiers.models import Dossier
    from cchc.plans.models import Plan, PlanKind, Task

    client = _client(world["users"]["b_admin"])
    a, b = world["objects"]["a"], world["objects"]["b"]
    cases = [
        (
            reverse("plans:task_create", kwargs={"pk": b["plan"]}),
            {"code": "9", "content": "Nhiệm vụ mới"},
            "parent",
            "task",
            Task,
        ),
        (reverse("plans:create"), {"kind": PlanKind.ISO, "year": 2024, "title": "Kế hoạch ISO"}, "document", "document",
         Plan),
        (
            reverse("documents:issue"),
            {"kind": "KH", "excerpt": "Cải cách hành chính", "issue_date": "2023-01-05", "signer_name": "Nguyễn Văn A"},
            "register",
            "register",
            Document,
        ),
        (
            reverse("dossiers:receive"),
            {"applicant_kind": "person", "applicant_name": "Nguyễn Thị Lan", "channel": 1, "result_channel": 1,
             "received_at": "2023-03-15T09:30"},
            "procedure",
            "procedure",
            Dossier,
        ),
    ]  # fmt: skip
    for url, data, param, kind, model in cases:
        before = model.objects.count()
        refused = client.post(url, {**data, param: a[kind]})
        assert refused.status_code in (200, 400), f"{url} with A's {kind}: {refused.status_code}"
        assert model.objects.count() == before, f"{url} created a {model.__name__} with A's {kind}"
        accepted = client.post(url, {**data, param: b[kind]})
        assert accepted.status_code == 302, f"{url} with B's own {kind}: {accepted.status_code}"
        assert model.objects.count() == before + 1


def test_log_in_never_redirects_to_another_site(world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="quantri-a")
    user.set_password("mat-khau-thu-nghiem")
    user.save()
    response = Client().post(
        reverse("login") + "?next=https://ke-gian.example/",
        {"username": "quantri-a", "password": "mat-khau-thu-nghiem", "next": "https://ke-gian.example/"},
    )
    assert response.status_code == 302
    assert "ke-gian.example" not in response["Location"]


def test_report_reading_jobs_and_uploads_waiting_on_a_desk_stay_with_their_agency(world, make_user):
    """Reports read in the task queue (a job of the report upload page) and an upload whose agency was not
    recognised (it waits on its uploader's desk): B's users get 404 for the job, its files and the upload; A's
    viewer reads the job of its agency but may not review; the aggregator who uploaded it reviews it."""
    from cchc.aggregation.importing import import_agencies, stage_file
    from cchc.aggregation.importing.jobs import start_upload
    from cchc.jobs.models import JobFile
    from cchc.jobs.worker import run_ready_in_process

    home = Agency.objects.create(province=world["p1"], code="SNV", name="Sở Nội vụ Quảng Trị")
    desk_user = make_user("tonghop-a", home, "aggregator")
    report = "SỞ TƯ PHÁP TỈNH LAI CHÂU\nSố: 5/BC-STP\nBÁO CÁO\nKết quả quý I năm 2023 bí mật AAA\n" \
             "Trong quý I năm 2023, Sở đã tiếp nhận 12 hồ sơ.\n"  # fmt: skip
    job = start_upload([("bao-cao-AAA-1.txt", report.encode(), "text/plain"), ("hong.docx", b"PK", "")],
                       desk=home, actor=desk_user)  # fmt: skip
    assert run_ready_in_process() == 1
    waiting = stage_file(None, report.replace("12", "13").encode(), desk_user, filename="bao-cao-AAA-2.txt",
                         candidates=import_agencies(desk_user), desk=home)  # fmt: skip
    assert waiting.agency == home and waiting.agency_source == "unknown"
    job_file = JobFile.objects.filter(job=job).first()
    urls = [reverse("jobs:detail", args=[job.pk]), reverse("jobs:file", args=[job.pk, job_file.pk]),
            reverse("rollup:review", args=[waiting.pk])]  # fmt: skip
    for user in (world["users"]["b_admin"], make_user("tonghop-b", world["b"], "aggregator")):
        client = _client(user)
        for url in urls:
            for response in (client.get(url), client.post(url, {"action": "discard"})):
                assert response.status_code in (404, 405), f"{url}: {response.status_code}"
                _assert_no_data(response, url)
        listing = client.get(reverse("rollup:upload"))
        _assert_no_data(listing, "rollup:upload")
    viewer = _client(make_user("xem-snv", home, "viewer"))
    assert viewer.get(urls[0]).status_code == 200
    assert viewer.get(urls[2]).status_code == 403
    mine = _client(desk_user)
    page = mine.get(urls[0]).content.decode()
    assert "bao-cao-AAA-1.txt" in page and "Chưa nhận ra cơ quan" in page and "Không đọc được tệp hong.docx" in page
    assert mine.get(urls[2]).status_code == 200
    assert mine.post(urls[2], {"action": "discard"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "discarded"
