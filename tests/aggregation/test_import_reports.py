"""Importing an existing report: staging with the real extractor (the same file twice is one import), broken and
foreign files refused without a trace, the review (new vs existing, figures beside cchc's own), confirmation into
the registry, a plan and reported figures in one transaction, idempotent, and nothing half-written on failure."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.aggregation import importing as imports
from cchc.aggregation.importing import ImportRejected, confirm, discard, review, stage_file
from cchc.aggregation.models import ImportedReport, ImportStatus, ReportedFigure, Submission, SubmissionSource
from cchc.audit.models import AuditEntry
from cchc.demo.ministry import SAMPLE_REPORTS
from cchc.documents.models import Direction, Document
from cchc.plans.models import Plan, PlanKind, Task

pytestmark = pytest.mark.django_db

# The demo's quarterly report of the Sở KH&CN Bà Rịa - Vũng Tàu (our own, read in full by today's extractor).
BRVT = "bariavungtau-skhcn-2023-q1-cchc"
SAMPLE = SAMPLE_REPORTS / f"{BRVT}.docx"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# The shape of issue 4, written by hand: a quarterly report citing three documents, stating figures, with a task table.
EXTRACTED = {
    "metadata": {
        "province": "Quảng Trị",
        "agency": "Sở Tư pháp",
        "document_type": "Báo cáo",
        "number": "45",
        "symbol": "BC-STP",
        "date": "2023-03-16",
        "title": "Công tác cải cách hành chính Quý I năm 2023",
        "signer_name": "Nguyễn Văn A",
        "signer_title": "GIÁM ĐỐC",
        "signing_authority": None,
        "recipients": [],
    },
    "references": [
        {
            "kind": "Quyết định",
            "number": "2968",
            "symbol": "QĐ-UBND",
            "date": "2022-12-16",
            "issuer": "UBND",
            "excerpt": "ban hành Kế hoạch CCHC năm 2023",
            "text": "Quyết định số 2968/QĐ-UBND ngày 16/12/2022",
        },
        {
            "kind": "Kế hoạch",
            "number": "12",
            "symbol": "KH-STP",
            "date": "2023-01-05",
            "issuer": "STP",
            "excerpt": "cải cách hành chính năm 2023",
            "text": "Kế hoạch số 12/KH-STP ngày 05/01/2023",
        },
        {
            "kind": "Nghị định",
            "number": "61/2018",
            "symbol": "NĐ-CP",
            "date": None,
            "issuer": "CP",
            "excerpt": None,
            "text": "Nghị định số 61/2018/NĐ-CP",
        },
        {
            "kind": "Luật",
            "number": None,
            "symbol": None,
            "date": None,
            "issuer": None,
            "excerpt": "Luật Ban hành văn bản quy phạm pháp luật",
            "text": "Luật Ban hành văn bản quy phạm pháp luật",
        },
    ],
    "figures": {
        "procedures_total": 120,
        "dossiers_received": 300,
        "dossiers_online": 150,
        "dossiers_resolved": 280,
        "dossiers_early_or_on_time": 270,
        "dossiers_late": 10,
        "dossiers_in_progress": 20,
    },
    "figure_sources": {"dossiers_received": "Trong quý đã tiếp nhận 300 hồ sơ, trong đó 150 hồ sơ trực tuyến."},
    "tasks": [
        {"code": "I", "content": "Cải cách thể chế", "volume": None, "deadline": None, "result": None, "rating": None},
        {
            "code": "1",
            "content": "Rà soát văn bản quy phạm pháp luật",
            "volume": "01 kế hoạch",
            "deadline": "2023-03",
            "result": "Đã ban hành Kế hoạch 12/KH-STP",
            "rating": "Hoàn thành tốt",
        },
        {
            "code": "2",
            "content": "Theo dõi thi hành pháp luật",
            "volume": None,
            "deadline": "2023",
            "result": "Đang thực hiện",
            "rating": "Chưa hoàn thành",
        },
        {
            "code": "II",
            "content": "Cải cách thủ tục hành chính",
            "volume": None,
            "deadline": None,
            "result": None,
            "rating": None,
        },
        {
            "code": "1",
            "content": "Công bố danh mục TTHC",
            "volume": None,
            "deadline": "2023-02-15",
            "result": "Đã công bố",
            "rating": "Hoàn thành chậm",
        },
    ],
    "sections": [{"number": "I", "heading": "KẾT QUẢ", "level": 1}],
}


@pytest.fixture
def justice(province):
    from cchc.agencies.models import Agency

    return Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")


@pytest.fixture
def justice_officer(make_user, justice):
    return make_user("cv-tuphap", justice, "officer")


@pytest.fixture
def staged(justice, justice_officer):
    return ImportedReport.objects.create(
        agency=justice, file_name="stp-2023-q1.docx", sha256="a" * 64, extracted=copy.deepcopy(EXTRACTED),
        period_key="2023-Q1", uploaded_by=justice_officer,
    )  # fmt: skip


def _counts(agency) -> dict[str, int]:
    return {
        "documents": Document.objects.filter(agency=agency).count(),
        "plans": Plan.objects.filter(agency=agency).count(),
        "tasks": Task.objects.filter(plan__agency=agency).count(),
        "figures": ReportedFigure.objects.filter(agency=agency).count(),
        "submissions": Submission.objects.filter(agency=agency).count(),
    }


# --- staging -----------------------------------------------------------------------------------------------------


def test_staging_the_sample_reads_it_and_the_same_file_twice_is_one_import(justice, justice_officer, corpus):
    first = stage_file(justice, SAMPLE, justice_officer)
    assert first.status == ImportStatus.PENDING
    assert first.period_key == "2023-Q1"  # "quý I năm 2023" in the title
    assert first.extracted["figures"] == corpus(BRVT).expected["figures"]
    assert first.extracted["figures"]["dossiers_received"] == 74
    again = stage_file(justice, SAMPLE.read_bytes(), justice_officer, filename="ban-sao.docx")
    assert again.pk == first.pk
    assert ImportedReport.objects.filter(agency=justice).count() == 1
    assert AuditEntry.objects.filter(object_id=str(first.pk), action=AuditEntry.Action.IMPORT).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hong.docx", b"PK\x03\x04 this is not a real zip archive", "Không đọc được tệp hong.docx"),
        ("rong.txt", b"", "rỗng"),
        ("chuong-trinh.exe", b"MZ\x90\x00\x03", "không phải báo cáo"),
        ("danh-sach.txt", "Danh sách mua hàng\nrau\tcải\nthịt\tbò\n".encode(), "không giống một báo cáo"),
    ],
)
def test_broken_or_foreign_files_are_refused_with_a_clear_message_and_leave_nothing(
    justice, justice_officer, name, content, message
):
    before = AuditEntry.objects.count()
    with pytest.raises(ImportRejected) as error:
        stage_file(justice, content, justice_officer, filename=name)
    assert message in str(error.value)
    assert not ImportedReport.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_discarded_report_cannot_be_confirmed_and_comes_back_when_uploaded_again(justice, justice_officer):
    imported = stage_file(justice, SAMPLE, justice_officer)
    discard(imported, justice_officer)
    imported.refresh_from_db()
    assert imported.status == ImportStatus.DISCARDED
    with pytest.raises(ValidationError):
        confirm(imported, {}, justice_officer)
    assert _counts(justice)["figures"] == 0
    again = stage_file(justice, SAMPLE, justice_officer)
    assert (again.pk, again.status) == (imported.pk, ImportStatus.PENDING)


@pytest.mark.parametrize(
    ("title", "date", "key"),
    [
        ("Công tác cải cách hành chính Quý I năm 2023", "2023-03-16", "2023-Q1"),
        ("Kết quả CCHC 6 tháng đầu năm 2022", "2022-06-10", "2022-H1"),
        ("Báo cáo 9 tháng năm 2021", None, "2021-9M"),
        ("Tình hình thực hiện công tác cải cách hành chính và chỉ số PAPI năm 2020", "2020-11-19", "2020"),
        ("Kết quả tháng 5", "2024-05-20", "2024-05"),
        ("Một báo cáo không rõ kỳ", None, None),
    ],
)
def test_the_period_is_read_from_the_title(title, date, key):
    period = imports.guess_period({"title": title, "date": date})
    assert (period.key if period else None) == key


# --- review ------------------------------------------------------------------------------------------------------


def test_review_tells_new_from_existing_and_puts_reported_figures_beside_computed(staged, justice, procedure, agency):
    Document.objects.create(agency=justice, direction=Direction.INCOMING, kind="QĐ", number="2968",
                            symbol="QĐ-UBND", issue_date=dt.date(2022, 12, 16))  # fmt: skip
    result = review(staged)
    states = [(row.data["number"], row.existing is not None, row.registrable) for row in result.references]
    assert states == [("2968", True, True), ("12", False, True), ("61/2018", False, True), (None, False, False)]
    assert result.new_references == 2
    assert result.new_tasks == 5
    assert not result.uses_cchc  # Sở Tư pháp keeps nothing in cchc: nothing to compare
    assert all(row.computed is None for row in result.figures)
    received = next(row for row in result.figures if row.key == "dossiers_received")
    assert received.source.startswith("Trong quý đã tiếp nhận 300")

    # Moved to an agency whose catalogue is in cchc, the procedures figure meets the computed one (one procedure).
    moved = review(staged, agency=agency)
    procedures = next(row for row in moved.figures if row.key == "procedures_total")
    assert moved.uses_cchc and procedures.computed == 1 and procedures.differs


# --- confirm -----------------------------------------------------------------------------------------------------


def test_confirm_writes_documents_tasks_figures_and_a_submission_once(staged, justice, justice_officer):
    Document.objects.create(agency=justice, direction=Direction.INCOMING, kind="QĐ", number="2968",
                            symbol="QĐ-UBND", issue_date=dt.date(2022, 12, 16))  # fmt: skip
    done = confirm(staged, {}, justice_officer)
    assert done.status == ImportStatus.CONFIRMED
    assert done.result["documents"] == 3  # 12/KH-STP, 61/2018/NĐ-CP and the report 45/BC-STP itself
    documents = {d.number_symbol: d for d in Document.objects.filter(agency=justice)}
    assert set(documents) == {"2968/QĐ-UBND", "12/KH-STP", "61/2018/NĐ-CP", "45/BC-STP"}
    assert documents["12/KH-STP"].direction == Direction.OUTGOING  # the agency's own plan: a historic entry
    assert documents["61/2018/NĐ-CP"].direction == Direction.INCOMING
    assert documents["61/2018/NĐ-CP"].year == 2018
    assert all(d.numeric_number is None and d.register_id is None for d in documents.values())

    plan = Plan.objects.get(agency=justice)
    assert (plan.kind, plan.year) == (PlanKind.CCHC_ANNUAL, 2023)
    tasks = {(t.parent.code if t.parent else None, t.code): t for t in plan.tasks.select_related("parent")}
    assert set(tasks) == {(None, "I"), ("I", "1"), ("I", "2"), (None, "II"), ("II", "1")}
    assert tasks[("I", "1")].effective_rating == "good"
    assert tasks[("I", "2")].effective_rating == "not_done"
    assert tasks[("II", "1")].effective_rating == "late"  # due 15/02, done by the report's date 16/03
    assert tasks[("I", "1")].result == "Đã ban hành Kế hoạch 12/KH-STP"

    figures = {f.key: f.value for f in ReportedFigure.objects.filter(agency=justice, period_key="2023-Q1")}
    assert figures["dossiers_received"] == Decimal(300) and len(figures) == 7
    submission = Submission.objects.get(agency=justice)
    assert submission.source == SubmissionSource.IMPORTED and submission.period_key == "2023-Q1"
    assert submission.submitted_at.astimezone(TZ).date() == dt.date(2023, 3, 16)

    before = _counts(justice)
    audits = AuditEntry.objects.count()
    again = confirm(ImportedReport.objects.get(pk=staged.pk), {}, justice_officer)
    assert again.status == ImportStatus.CONFIRMED
    assert _counts(justice) == before
    assert AuditEntry.objects.count() == audits


def test_confirm_applies_the_officers_corrections(staged, justice, justice_officer):
    confirm(staged, {"period": "2023-H1", "plan_kind": PlanKind.FOCAL_TASKS, "tasks": True,
                     "figures": {"dossiers_late": None, "dossiers_received": "301"}, "references": [1]},
            justice_officer)  # fmt: skip
    figures = {f.key: f.value for f in ReportedFigure.objects.filter(agency=justice)}
    assert "dossiers_late" not in figures and figures["dossiers_received"] == Decimal(301)
    assert set(ReportedFigure.objects.values_list("period_key", flat=True)) == {"2023-H1"}
    assert Plan.objects.get(agency=justice).kind == PlanKind.FOCAL_TASKS
    assert set(Document.objects.filter(agency=justice).values_list("number", flat=True)) == {"12", "45"}


def test_a_failure_in_the_middle_of_confirm_leaves_nothing_half_written(staged, justice, justice_officer):
    before = _counts(justice)
    # Documents and tasks are written before the figures; a figure that is not a number fails the whole confirm.
    with pytest.raises(ValidationError) as error:
        confirm(staged, {"figures": {"dossiers_received": "ba trăm"}}, justice_officer)
    assert "không phải là số" in str(error.value)
    assert _counts(justice) == before
    staged.refresh_from_db()
    assert staged.status == ImportStatus.PENDING
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, object_repr__contains="KH-STP").exists()
    # ... and once corrected it goes through.
    confirm(staged, {}, justice_officer)
    assert _counts(justice)["figures"] == 7


def test_confirm_without_a_period_asks_for_one(staged, justice_officer):
    staged.period_key = ""
    staged.save()
    with pytest.raises(ValidationError) as error:
        confirm(staged, {}, justice_officer)
    assert "kỳ báo cáo" in str(error.value)


def test_only_editors_of_the_agency_or_its_aggregator_may_confirm(staged, make_user, justice, foreign_agency,
                                                                   other_agency):  # fmt: skip
    reader = make_user("xem-tp", justice, "viewer")
    outsider = make_user("ngoai", foreign_agency, "leader")
    with pytest.raises(PermissionDenied):
        confirm(staged, {}, reader)
    with pytest.raises(PermissionDenied):
        confirm(staged, {}, outsider)
    assert _counts(justice)["figures"] == 0
    home_affairs = make_user("snv", other_agency, "aggregator")  # Sở Nội vụ collects the province's reports
    confirm(staged, {}, home_affairs)
    assert _counts(justice)["figures"] == 7


@pytest.mark.parametrize("ext", ["docx", "txt", "pdf"])
def test_the_sample_goes_all_the_way_through(justice, justice_officer, corpus, ext):
    report = corpus(BRVT)
    imported = stage_file(justice, report.path(ext), justice_officer)
    done = confirm(imported, {}, justice_officer)
    assert done.result["figures"] == len(report.expected["figures"])
    figures = {f.key: f.value for f in ReportedFigure.objects.filter(agency=justice, period_key="2023-Q1")}
    assert figures == {key: Decimal(str(value)) for key, value in report.expected["figures"].items()}
    assert Document.objects.filter(agency=justice, number="219", symbol="KH-UBND").exists()
    # The report itself (47/BC-SKHCN) and the two plans it cites, each once.
    assert Document.objects.filter(agency=justice).count() == len(report.expected["references"]) + 1
    # The same file uploaded again after confirmation: the confirmed import, nothing new.
    before = _counts(justice)
    assert stage_file(justice, report.path(ext), justice_officer).pk == imported.pk
    assert _counts(justice) == before


def test_the_real_sample_goes_all_the_way_through(justice, justice_officer, shared_samples):
    sample = shared_samples / "bariavungtau-2023-q1-cchc.docx"
    imported = stage_file(justice, sample, justice_officer)
    done = confirm(imported, {}, justice_officer)
    assert done.result["figures"] == len(imported.extracted["figures"])
    assert ReportedFigure.objects.get(agency=justice, key="dossiers_received").value == 88
    assert Document.objects.filter(agency=justice, number="4047", symbol="QĐ-UBND").exists()
