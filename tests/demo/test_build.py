"""The demo province: what a visitor logs into must exist, look like the samples and be internally consistent."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from functools import partial

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from docx import Document as open_docx

from cchc import calendar
from cchc.agencies.models import Agency, Membership, Province, Role, Unit
from cchc.agencies.scoping import visible_agencies
from cchc.audit.models import AuditEntry
from cchc.calendar.models import CalendarOverride
from cchc.demo import build, data
from cchc.documents.models import Direction, Document, DocumentKind, NumberCounter, Register, SigningForm
from cchc.documents.numbering import issue_document
from cchc.dossiers.deadlines import due_for
from cchc.dossiers.models import Channel, Dossier, DossierEvent, EventKind, Outcome, Status
from cchc.plans.deadlines import DeadlineKind
from cchc.plans.models import Plan, PlanKind, Task, TaskUpdate
from cchc.plans.rating import Progress, Rating
from cchc.plans.services import leaf_tasks, plan_summary
from cchc.procedures.models import Procedure
from cchc.reports.builder import build_docx
from cchc.reports.models import Report, ReportSection, ReportStatus, ReportVersion
from cchc.reports.wording import count
from cchc.statistics.periods import parse_period
from cchc.statistics.service import compute

# A fixed build moment keeps the test independent of the day it runs (it must not be in the future).
NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 15, 30))
SCALE = 0.1


def build_small():
    return build.build_demo(scale=SCALE, now=NOW)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One build for the module, rolled back at its end; each test runs in a savepoint inside it."""
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_small()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(built, db):
    return built


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def test_organisation_and_log_ins(demo):
    province = Province.objects.get(code="H45")
    assert province.name == "Quảng Trị"
    ubnd = Agency.objects.get(province=province, code="UBND")
    skhcn = Agency.objects.get(province=province, code="SKHCN")
    assert skhcn.parent == ubnd
    assert skhcn.parent_authority_name == "UBND TỈNH QUẢNG TRỊ"
    assert skhcn.electronic_id == "000.00.12.H45"
    assert set(Agency.objects.filter(province=province).values_list("code", flat=True)) == {
        "UBND",
        "SKHCN",
        "SNV",
        "STP",
    }
    units = dict(Unit.objects.filter(agency=skhcn).values_list("name", "kind"))
    assert units["Bộ phận tiếp nhận và trả kết quả"] == Unit.Kind.ONE_STOP
    assert {"Văn phòng Sở", "Phòng Quản lý chuyên ngành", "Chi cục Tiêu chuẩn Đo lường Chất lượng"} <= set(units)

    roles = dict(Membership.objects.filter(agency=skhcn).values_list("user__username", "role"))
    assert roles == {
        "skhcn.admin": Role.ADMIN,
        "skhcn.lanhdao": Role.LEADER,
        "skhcn.chuyenvien": Role.OFFICER,
        "skhcn.motcua": Role.ONE_STOP,
        "skhcn.xem": Role.VIEWER,
        # The heads of the handling units, who hold the catalogue's "lãnh đạo phòng" steps (demo/workflow.py).
        "skhcn.truongphong.qlcn": Role.LEADER,
        "skhcn.truongphong.qlkh": Role.LEADER,
        "skhcn.chicuctruong": Role.LEADER,
    }
    for spec in data.USERS:
        assert authenticate(username=spec.username, password=data.DEMO_PASSWORD) is not None, spec.username
    assert authenticate(username="skhcn.motcua", password="sai-mat-khau") is None
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not get_user_model().objects.get(username="skhcn.admin").is_staff

    # The Sở Nội vụ aggregator reads the whole province; an officer of another agency only their own.
    aggregator = get_user_model().objects.get(username="snv.tonghop")
    assert Membership.objects.get(user=aggregator).role == Role.AGGREGATOR
    assert set(visible_agencies(aggregator)) == set(Agency.objects.filter(province=province))
    other = get_user_model().objects.get(username="stp.chuyenvien")
    assert list(visible_agencies(other).values_list("code", flat=True)) == ["STP"]


def test_catalogue_of_the_department(demo):
    skhcn = Agency.objects.get(code="SKHCN")
    today = local_date(NOW)
    in_force = Procedure.objects.filter(agency=skhcn).in_force_on(today)
    # The Quảng Trị sample: 40 without liên thông, 13 same level, 01 across levels, of 54.
    assert in_force.count() == 54
    assert Counter(in_force.values_list("interconnection", flat=True)) == {
        "none": 40,
        "same_level": 13,
        "cross_level": 1,
    }
    assert set(in_force.values_list("field__name", flat=True)) == {
        "Hoạt động khoa học và công nghệ",
        "Sở hữu trí tuệ",
        "Tiêu chuẩn đo lường chất lượng",
        "Năng lượng nguyên tử, an toàn bức xạ và hạt nhân",
        "Chuyển giao công nghệ",
        "Thông tin và thống kê khoa học và công nghệ",
    }
    online = Counter(in_force.values_list("online_service", flat=True))
    assert online["full"] > online["partial"] > online["none"] > 0
    for procedure in Procedure.objects.filter(agency=skhcn):
        assert re.fullmatch(r"[123]\.\d{6}", procedure.code), procedure.code
        assert 5 <= procedure.processing_time <= 30
        assert (
            procedure.reduced_processing_time is None or procedure.reduced_processing_time < procedure.processing_time
        )
    assert in_force.filter(reduced_processing_time__isnull=False).count() >= 10
    codes = list(in_force.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    # Before Nghị định 42/2022 the catalogue speaks of levels 3 and 4.
    first = Procedure.objects.filter(agency=skhcn).in_force_on(dt.date(2020, 6, 1))
    assert set(first.values_list("legacy_online_level", flat=True)) <= {2, 3, 4}
    assert first.filter(legacy_online_level=4).count() > first.filter(legacy_online_level=3).count() > 0

    # Changed in 2023: the old row closes the day the new one starts.
    transfer = list(Procedure.objects.filter(agency=skhcn, code="1.005029").order_by("effective_from"))
    assert len(transfer) == 2
    assert transfer[0].abolished_on == transfer[1].effective_from == dt.date(2023, 7, 1)
    assert (transfer[0].online_service, transfer[1].online_service) == ("partial", "full")
    assert transfer[1].abolished_on is None
    # Abolished in 2024: in a 2024 catalogue, not in today's.
    abolished = Procedure.objects.get(agency=skhcn, code="2.002278")
    assert abolished.is_in_force(dt.date(2024, 3, 1)) and not abolished.is_in_force(today)
    # Every catalogue row was recorded in the audit log.
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE,
            object_id__in=[str(pk) for pk in Procedure.objects.values_list("pk", flat=True)],
        ).count()
        >= Procedure.objects.count()
    )


def test_local_day_off_moves_due_dates(demo):
    province = Province.objects.get(code="H45")
    override = CalendarOverride.objects.get(province=province)
    assert override.date == dt.date(2024, 7, 1) and override.decision
    assert not calendar.is_working_day(dt.date(2024, 7, 1), province)
    assert calendar.is_working_day(dt.date(2024, 7, 1))  # the national calendar is untouched
    procedure = Procedure.objects.get(agency__code="SKHCN", code="1.000081")  # 5 working days
    received = timezone.make_aware(dt.datetime(2024, 6, 28, 9, 0))  # Friday before the local day off
    assert local_date(due_for(procedure, received)) == dt.date(2024, 7, 8)


def test_dossiers_have_the_columns_the_lifecycle_stores(demo):
    dossiers = list(Dossier.objects.select_related("procedure__agency", "agency"))
    assert len(dossiers) > 150
    for dossier in dossiers:
        assert dossier.procedure.agency_id == dossier.agency_id
        assert dossier.received_on == local_date(dossier.received_at)
        assert dossier.procedure.is_in_force(dossier.received_on), dossier.code
        assert dossier.code.startswith(f"{dossier.agency.electronic_id}-{dossier.received_at:%y}")
        assert dossier.due_date == local_date(dossier.due_at)
        expected = due_for(dossier.procedure, dossier.received_at)
        if dossier.supplement_requests == 0:
            assert dossier.due_at == expected, dossier.code
        else:
            assert dossier.due_at >= expected
        assert dossier.received_at <= NOW
        if dossier.ended_at is None:
            assert dossier.status in (Status.RECEIVED, Status.IN_PROCESS, Status.WAITING_SUPPLEMENT)
            assert dossier.outcome == "" and dossier.ended_on is None
        else:
            assert dossier.ended_on == local_date(dossier.ended_at) >= dossier.received_on
            assert dossier.ended_at <= NOW
            assert dossier.outcome in Outcome.values
    # Every dossier has its history: a receipt first, then steps in time order.
    events = Counter(DossierEvent.objects.values_list("kind", flat=True))
    assert events[EventKind.RECEIVED] == len(dossiers)
    assert events[EventKind.SUPPLEMENT_REQUESTED] >= 1
    assert events[EventKind.APOLOGY_ISSUED] >= 1
    assert events[EventKind.REFUSED] + events[EventKind.WITHDRAWN] >= 1
    received_audits = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, summary="Tiếp nhận").count()
    assert received_audits == len(dossiers)


def test_full_scale_plan_looks_like_the_samples(demo):
    """The plan of the real (scale 1) build, without writing it: volumes and patterns of the samples."""
    base = build.build_base()
    spec = next(s for s in data.AGENCIES if s.code == "SKHCN")
    everything = build.Planner(base, spec, scale=1.0, seed=build.DEFAULT_SEED, now=NOW).plans(data.DOSSIERS_FROM)
    plans = [p for p in everything if p.received_at.year >= 2024]
    quarters = Counter((p.received_at.year, (p.received_at.month - 1) // 3) for p in plans)
    full_quarters = [n for (year, q), n in quarters.items() if (year, q) < (2026, 3)]
    assert len(full_quarters) == 11
    assert all(75 <= n <= 145 for n in full_quarters), quarters
    assert 90 <= sum(full_quarters) / len(full_quarters) <= 115
    online = sum(1 for p in plans if p.channel == Channel.ONLINE) / len(plans)
    assert 0.85 <= online <= 0.95
    assert any(p.channel == Channel.POSTAL for p in plans)
    kinds = Counter(p.kind for p in plans)
    assert 0.015 <= kinds["late"] / len(plans) <= 0.04
    assert kinds["supplement"] >= 10 and kinds["stuck"] >= 2
    assert 1 <= kinds["refused"] and 1 <= kinds["withdrawn"]
    assert kinds["early"] + kinds["due_day"] > 0.9 * len(plans)
    # Q1/2023 as the Bà Rịa - Vũng Tàu sample: about 88 new dossiers between the Nghị định 09 cut-offs, nearly all
    # online, none late; the window starts early enough for dossiers carried over into it.
    q1 = [p for p in everything if dt.date(2022, 12, 15) <= local_date(p.received_at) <= dt.date(2023, 3, 14)]
    assert 70 <= len(q1) <= 100
    assert sum(p.channel == Channel.ONLINE for p in q1) >= 0.85 * len(q1)
    assert not [p.code for p in q1 if p.kind in ("late", "stuck")]
    assert min(local_date(p.received_at) for p in everything) < dt.date(2022, 12, 15)
    later = [p for p in everything if dt.date(2023, 3, 15) <= local_date(p.received_at) < dt.date(2024, 1, 1)]
    assert any(p.kind == "late" for p in later)  # only the first quarter is spotless


def test_stored_dossiers_look_like_the_samples(demo):
    skhcn = Dossier.objects.filter(agency__code="SKHCN").count()
    others = Dossier.objects.exclude(agency__code="SKHCN").count()
    assert 0 < others < skhcn
    online = Dossier.objects.filter(channel=Channel.ONLINE).count() / Dossier.objects.count()
    assert 0.8 <= online <= 0.98
    # Some arrived online outside office hours or on a day off.
    province = Province.objects.get(code="H45")
    outside = [
        d
        for d in Dossier.objects.filter(channel=Channel.ONLINE)
        if not calendar.is_working_day(d.received_on, province) or not 7 <= timezone.localtime(d.received_at).hour < 17
    ]
    assert outside
    assert all(
        calendar.is_working_day(d.received_on, province) for d in Dossier.objects.exclude(channel=Channel.ONLINE)
    )
    # The dashboard has open dossiers, some of them overdue.
    open_skhcn = Dossier.objects.filter(agency__code="SKHCN", ended_at__isnull=True)
    assert open_skhcn.filter(due_at__lt=NOW).count() >= 2
    assert open_skhcn.filter(due_at__gte=NOW).exists()


def docx_text(data: bytes) -> str:
    document = open_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_document_registry_continues_after_the_typed_history(demo):
    skhcn = Agency.objects.get(code="SKHCN")
    registers = {r.name: r for r in Register.objects.filter(agency=skhcn)}
    assert {r.direction for r in registers.values()} == {Direction.OUTGOING, Direction.INCOMING}
    plan_document = Document.objects.get(agency=skhcn, symbol="KH-SKHCN", number="151", year=2022)
    assert plan_document.issue_date == dt.date(2022, 12, 23)
    assert plan_document.excerpt == "Thực hiện nhiệm vụ cải cách hành chính năm 2023"
    assert (plan_document.signer_title, plan_document.signing_form) == ("Giám đốc", SigningForm.NONE)
    references = {d.number_symbol: d for d in Document.objects.filter(agency=skhcn)}
    for reference in ("09/KH-SKHCN", "02/QĐ-SKHCN", "14/KH-SKHCN", "13/KH-SKHCN", "10/TTr-SKHCN", "27/BC-SKHCN"):
        assert references[reference].direction == Direction.OUTGOING, reference
    # A deputy signs "KT. Giám đốc"; the notice of the Director's conclusions is signed "TL." by the office.
    deputy = references["05/KH-SKHCN"]
    assert (deputy.signer_name, deputy.signing_form) == ("Hoàng Văn Minh", SigningForm.KT)
    assert references["03/TB-SKHCN"].signing_form == SigningForm.TL
    for reference, issued in (
        ("214/KH-UBND", dt.date(2022, 12, 15)),
        ("07/CT-UBND", dt.date(2021, 6, 22)),
        ("512/QĐ-UBND", dt.date(2023, 3, 6)),
        ("18/2022/QĐ-UBND", dt.date(2022, 11, 9)),
    ):
        assert references[reference].direction == Direction.INCOMING
        assert references[reference].issue_date == issued
    # 2023 is the registry's first year: each outgoing register holds every number from 01, in the order of issue.
    for name, last in (("Sổ văn bản đi", 20), ("Sổ quyết định", 4)):
        rows = list(
            Document.objects.filter(register=registers[name], year=2023)
            .order_by("numeric_number")
            .values_list("numeric_number", "issue_date")
        )
        assert [number for number, _ in rows] == list(range(1, last + 1)), name
        assert [day for _, day in rows] == sorted(day for _, day in rows), name
    # Every registry entry was audited.
    audited = set(
        AuditEntry.objects.filter(content_type__model="document", action=AuditEntry.Action.CREATE).values_list(
            "object_id", flat=True
        )
    )
    assert {str(pk) for pk in Document.objects.values_list("pk", flat=True)} <= audited

    # A document issued in 2023 takes the number after the typed ones instead of colliding with them (decisions have
    # their own register); a new year starts again at 01.
    officer = get_user_model().objects.get(username="skhcn.chuyenvien")
    general, decisions = registers["Sổ văn bản đi"], registers["Sổ quyết định"]
    issue = partial(issue_document, actor=officer, excerpt="Văn bản thử")
    assert issue(register=general, kind=DocumentKind.KE_HOACH, issue_date=dt.date(2023, 3, 20)).number == "21"
    assert issue(register=decisions, kind=DocumentKind.QUYET_DINH, issue_date=dt.date(2023, 3, 20)).number == "05"
    assert issue(register=general, kind=DocumentKind.BAO_CAO, issue_date=dt.date(2024, 1, 3)).number == "01"
    outsider = get_user_model().objects.get(username="stp.chuyenvien")
    with pytest.raises(PermissionDenied):
        issue_document(
            register=general,
            kind=DocumentKind.KE_HOACH,
            excerpt="Không được",
            actor=outsider,
            issue_date=dt.date(2023, 3, 20),
        )


# Document numbers of the real Bà Rịa - Vũng Tàu Q1/2023 report that the demo used to reuse; the demo's own words
# and numbers must not bring them back.
SAMPLE_REFERENCES = (
    "64/KH-SKHCN", "4047/QĐ-UBND", "09/TTr-SKHCN", "09/QĐ-SKHCN", "06/KH-SKHCN", "10/KH-SKHCN", "17/KH-SKHCN",
    "537/QĐ-UBND", "10/CT-UBND", "32/2022/QĐ-UBND", "43/NQ-HĐND",
)  # fmt: skip


def test_the_demo_cites_none_of_the_sample_reports_documents(demo):
    assert not {d.number_symbol for d in Document.objects.all()} & set(SAMPLE_REFERENCES)
    texts = [
        *Task.objects.values_list("content", "result", "rating_reason"),
        *ReportSection.objects.values_list("text"),
        *Report.objects.values_list("intro"),
    ]
    for reference in SAMPLE_REFERENCES:
        assert not any(reference in (part or "") for row in texts for part in row), reference


def test_cchc_plan_2023_across_the_reform_areas(demo):
    from cchc.demo import plans as specs
    from cchc.plans.services import overdue_tasks

    plan = Plan.objects.get(agency__code="SKHCN", kind=PlanKind.CCHC_ANNUAL, year=2023)
    assert plan.document.number_symbol == "151/KH-SKHCN"
    groups = list(plan.tasks.filter(parent=None).order_by("order"))
    assert [g.code for g in groups] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert groups[1].content == "Cải cách thể chế" and groups[2].content == "Cải cách thủ tục hành chính"
    assert groups[6].content == "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"
    leaves = list(leaf_tasks(plan))
    assert len(leaves) == 38
    assert all(t.parent_id for t in leaves) and all(g.children.exists() for g in groups)
    assert {t.lead_unit.agency.code for t in leaves} == {"SKHCN"} and len({t.lead_unit_id for t in leaves}) >= 5
    kinds = Counter(t.deadline_kind for t in leaves)
    assert {
        DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.HALF, DeadlineKind.YEAR,
        DeadlineKind.CONTINUOUS,
    } <= set(kinds)  # fmt: skip
    assert kinds[DeadlineKind.NONE] == 0

    # The Q1 report quotes 11/38 (cut-off 14/03/2023), with the one item past its February deadline; the annual
    # report (cut-off 14/12/2023) 36/38, as at the end of the year.
    q1 = plan_summary(plan, dt.date(2023, 3, 14))
    assert (q1.done, q1.total, q1.done_text(), q1.overdue) == (11, 38, "11/38", 1)
    assert plan_summary(plan, dt.date(2023, 12, 14)).done_text() == "36/38"
    year = plan_summary(plan, dt.date(2023, 12, 31))
    assert (year.done, year.done_late, year.not_done) == (36, 3, 2)
    # Three done late, one of them re-rated by the leader; two on time with incomplete content.
    assert year.by_rating == {Rating.GOOD: 32, Rating.DONE: 2, Rating.LATE: 2, Rating.NOT_DONE: 2}
    overridden = [t for t in leaves if t.rating]
    assert len(overridden) == 1
    assert overridden[0].rating == Rating.GOOD and overridden[0].rating_proposed == Rating.LATE
    assert "10/TTr-SKHCN" in overridden[0].rating_reason
    # Progress was recorded on the day it happened, and a done item's last report is its completion.
    for task in leaves:
        updates = list(task.updates.order_by("on", "pk"))
        assert updates, task
        assert [u.on for u in updates] == sorted(u.on for u in updates)
        if task.progress == Progress.DONE:
            assert updates[-1].progress == Progress.DONE and updates[-1].on == task.completed_on
            assert task.result
    # Every evidence document the plan names is attached, and it is the Sở's own registry entry.
    evidence = Task.objects.get(plan=plan, parent__code="I", code="4").evidence.get()
    assert evidence.number_symbol == "14/KH-SKHCN"
    for spec in specs.PLANS:
        built = Plan.objects.get(agency__code="SKHCN", kind=spec.kind, year=2023)
        by_code = {(t.parent.code if t.parent else "", t.code): t for t in leaf_tasks(built).select_related("parent")}
        for entry in spec.items:
            group, items = (entry.code, entry.items) if isinstance(entry, specs.G) else ("", (entry,))
            for item in items:
                attached = by_code[(group, item.code)].evidence.all()
                assert sorted(d.number_symbol for d in attached) == sorted(item.evidence), (group, item.code)
                assert all(d.agency.code == "SKHCN" for d in attached)
    # The dashboard's overdue tasks: the two plan items never done and the focal task carried into 2024.
    overdue = overdue_tasks(Agency.objects.get(code="SKHCN"), as_of=dt.date(2026, 11, 20))
    assert sorted((t.plan.kind, t.parent.code if t.parent else "", t.code) for t in overdue) == [
        (PlanKind.CCHC_ANNUAL, "III", "5"),
        (PlanKind.CCHC_ANNUAL, "VII", "2"),
        (PlanKind.FOCAL_TASKS, "", "6"),
    ]


def test_province_directives_and_focal_tasks(demo):
    directives = Plan.objects.get(agency__code="SKHCN", kind=PlanKind.PROVINCE_DIRECTIVES, year=2023)
    assert plan_summary(directives, dt.date(2023, 3, 14)).done_text() == "07/09"
    assert plan_summary(directives, dt.date(2023, 3, 14)).overdue == 0
    assert plan_summary(directives, dt.date(2023, 3, 31)).done_text() == "08/09"
    assert plan_summary(directives, dt.date(2023, 4, 30)).done_text() == "09/09"
    focal = Plan.objects.get(agency__code="SKHCN", kind=PlanKind.FOCAL_TASKS, year=2023)
    assert focal.document.number_symbol == "03/TB-SKHCN"
    tasks = list(leaf_tasks(focal))
    assert len(tasks) == 7 and all(t.volume for t in tasks)
    assert any(t.volume == "05 doanh nghiệp, hợp tác xã" for t in tasks)
    assert plan_summary(focal, dt.date(2023, 12, 31)).not_done == 1


def test_draft_q1_report_quotes_the_plans_and_the_dossiers(demo):
    skhcn = Agency.objects.get(code="SKHCN")
    report = Report.objects.get(agency=skhcn, template__slug="cchc-quarterly", period_key="2023-Q1")
    assert report.status == ReportStatus.DRAFT and report.as_of == dt.date(2023, 3, 14)
    written = report.sections.get(key="direction.communication")
    assert written.version == 2 and "14/KH-SKHCN" in written.text
    text = docx_text(build_docx(report))
    assert "Kế hoạch số 151/KH-SKHCN ngày 23/12/2022 về thực hiện nhiệm vụ cải cách hành chính năm 2023" in text
    assert "có 38 nhiệm vụ" in text and "đã hoàn thành 11/38 nhiệm vụ của kế hoạch" in text
    assert "01 nhiệm vụ đã qua hạn mà chưa xong" in text
    assert "đã hoàn thành 07/09 nhiệm vụ" in text
    figures = compute(parse_period("2023-Q1"), agencies=[skhcn]).dossiers
    assert figures.received_total > 0 and figures.carried_over > 0 and figures.resolved_late == 0
    assert f"đã tiếp nhận {count(figures.received_total)} hồ sơ" in text
    assert f"{count(figures.carried_over)} hồ sơ từ kỳ trước chuyển sang" in text
    assert "không có hồ sơ trễ hạn" in text
    assert "Kế hoạch số 09/KH-SKHCN ngày 06/02/2023" in text  # the narrative typed into the section
    assert text.index("Thực hiện Kế hoạch số 214/KH-UBND") < text.index("báo cáo kết quả triển khai thực hiện")

    annual = Report.objects.get(agency=skhcn, template__slug="cchc-annual", period_key="2023")
    text = docx_text(build_docx(annual))
    assert "đã hoàn thành 36/38 nhiệm vụ của kế hoạch" in text
    assert "Hoàn thành chậm" in text and "UBND tỉnh lấy thêm ý kiến các sở, ngành" in text  # the appendix, override
    # The appendix marks "Chưa hoàn thành" only for the two items the weaknesses name (the year's cut-off is 14/12).
    appendix = open_docx(io.BytesIO(build_docx(annual))).tables[-1]
    not_done = [row.cells[1].text for row in appendix.rows[2:] if row.cells[6].text == "x"]
    assert len(not_done) == 2 and any(content.startswith("Số hóa hồ sơ") for content in not_done)


@pytest.mark.parametrize(("slug", "period"), [("cchc-quarterly", "2023-Q1"), ("cchc-annual", "2023")])
def test_the_draft_reports_answer_every_prompt_once(demo, slug, period):
    """A visitor reads the drafts as finished text: no outline prompt left without its answer (a line ending in ":"
    only introduces a list or the table), and no narrative repeating the sentence a computed block already wrote."""
    report = Report.objects.get(agency__code="SKHCN", template__slug=slug, period_key=period)
    paragraphs = docx_paragraphs(build_docx(report))
    unanswered = [p for p in paragraphs if p.endswith(":") and not p.endswith(("cụ thể:", "như sau:"))]
    assert unanswered == []
    feedback = [p for p in paragraphs if "phản ánh, kiến nghị" in p and p.startswith(("Trong", "Từ"))]
    assert len(feedback) == 1, feedback


def docx_paragraphs(data: bytes) -> list[str]:
    return [p.text.strip() for p in open_docx(io.BytesIO(data)).paragraphs if p.text.strip()]


def test_running_twice_changes_nothing(demo):
    def counts():
        models = (
            Province,
            Agency,
            Unit,
            get_user_model(),
            Membership,
            Procedure,
            CalendarOverride,
            Dossier,
            DossierEvent,
            Register,
            NumberCounter,
            Document,
            Plan,
            Task,
            TaskUpdate,
            Report,
            ReportSection,
            ReportVersion,
            AuditEntry,
        )
        return {model.__name__: model.objects.count() for model in models}

    before = counts()
    codes = set(Dossier.objects.values_list("code", "status", "due_at"))
    counters = set(NumberCounter.objects.values_list("register_id", "year", "last"))
    summary = build_small()
    assert summary.created == {}
    assert counts() == before
    assert set(Dossier.objects.values_list("code", "status", "due_at")) == codes
    assert set(NumberCounter.objects.values_list("register_id", "year", "last")) == counters


def test_the_ministry_rolls_up_the_shipped_sample_reports_beside_the_live_department(demo, corpus):
    """What a visitor logged in as bkhcn.tonghop does: upload the reports of src/cchc/demo/samples under Tổng hợp and
    see them beside the live department, every figure as the report states it and the totals' rates sensible."""
    from cchc.aggregation import imports
    from cchc.aggregation.rollup import COMPUTED, KEYS, REPORTED, rollup_table
    from cchc.demo.ministry import SAMPLE_REPORTS

    ministry = Agency.objects.get(code="BKHCN", province=None)
    aggregator = get_user_model().objects.get(username="bkhcn.tonghop")
    live = Agency.objects.get(province__code="H45", code="SKHCN")
    brvt = Agency.objects.get(province__code="BRVT", code="SKHCN-BRVT")
    caobang = Agency.objects.get(province__code="CBG", code="SKHCN-CB")
    assert set(visible_agencies(aggregator)) == {ministry, live, brvt, caobang}
    shipped = {"bariavungtau-skhcn-2023-q1-cchc": brvt, "caobang-skhcn-2023-q1-moi-truong-kinh-doanh": caobang}
    files = {f"{name}.{ext}" for name in shipped for ext in ("docx", "txt", "pdf")}
    assert {path.name for path in SAMPLE_REPORTS.iterdir()} == files

    period = parse_period("2023-Q1")
    before = rollup_table(ministry, period)
    assert {brvt, caobang} <= set(before.missing)
    for name, department in shipped.items():
        staged = imports.stage_file(department, SAMPLE_REPORTS / f"{name}.docx", aggregator)
        assert staged.period_key == "2023-Q1"  # read from the title: nothing for the visitor to correct
        imports.confirm(staged, {}, aggregator)
    table = rollup_table(ministry, period)
    rows = {row.agency.pk: row for row in table.rows}
    assert brvt not in table.missing and caobang not in table.missing  # the uploaded report is their submission
    for name, department in shipped.items():
        stated = {key: value for key, value in corpus(name).expected["figures"].items() if key in KEYS}
        cells = rows[department.pk].cells
        assert {key: cells[key].value for key in stated} == stated
        assert {cells[key].source for key in stated} == {REPORTED}
    computed = compute(period, agencies=[live]).dossiers
    assert rows[live.pk].cells["dossiers_received"].source == COMPUTED
    assert rows[live.pk].cells["dossiers_received"].value == computed.received_total
    assert table.totals["dossiers_received"] == computed.received_total + 74 + 31
    for rate in (table.on_time_rate, table.online_rate, table.procedures_online_rate):
        assert rate is not None and 0 <= rate <= 100
