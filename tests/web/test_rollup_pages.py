"""The roll-up pages: an aggregator's table with markers and its XLSX, uploading several files (each with its own
outcome, read in the task queue), the review and confirmation, submitting an approved report, and who may see what."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cchc.agencies.models import Agency
from cchc.aggregation.models import ImportedReport, ImportStatus, ReportedFigure, Submission
from cchc.demo.ministry import SAMPLE_REPORTS
from cchc.jobs.worker import run_ready_in_process

pytestmark = pytest.mark.django_db

# The demo's quarterly report of the Sở KH&CN Bà Rịa - Vũng Tàu (ours; every figure read by today's extractor).
SAMPLE = SAMPLE_REPORTS / "bariavungtau-skhcn-2023-q1-cchc.docx"


@pytest.fixture
def justice(province):
    return Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")


@pytest.fixture
def aggregator_user(make_user, other_agency):
    return make_user("tonghop", other_agency, "aggregator")


def _docx():
    return SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes())


def test_aggregator_uploads_for_a_member_confirms_and_sees_the_figures_in_the_table(
    client, aggregator_user, justice, agency
):
    client.force_login(aggregator_user)
    page = client.get(reverse("rollup:table"))
    assert page.status_code == 200
    assert f'href="{reverse("rollup:table")}"' in page.content.decode()  # the nav entry for aggregators

    # Two files are read in the task queue; the job's page follows each file, the broken one with its message.
    broken = SimpleUploadedFile("hong.docx", b"PK\x03\x04 not a zip")
    response = client.post(reverse("rollup:upload"), {"agency": justice.pk, "files": [_docx(), broken]})
    assert response.status_code == 302
    assert not ImportedReport.objects.exists()  # nothing read inside the request
    assert run_ready_in_process() == 1
    body = client.get(response["Location"]).content.decode()
    assert 'data-ok="1"' in body and 'data-ok="0"' in body and "Không đọc được tệp hong.docx" in body
    imported = ImportedReport.objects.get(agency=justice)

    review = client.get(reverse("rollup:review", args=[imported.pk]))
    assert review.status_code == 200
    assert "Trong quý I năm 2023, Sở đã tiếp nhận 74 hồ sơ" in review.content.decode()  # the source sentence

    form = {"action": "confirm", "agency": justice.pk, "period": "2023-Q1", "plan_kind": "cchc"}
    done = client.post(reverse("rollup:review", args=[imported.pk]), form)
    assert done.status_code == 302
    assert ReportedFigure.objects.get(agency=justice, key="dossiers_received").value == Decimal(74)
    submission = Submission.objects.get(agency=justice)
    assert submission.aggregator.code == "SNV"

    table = client.get(reverse("rollup:table"), {"ky": "2023-Q1"}).content.decode()
    assert 'data-agency="STP" data-source="reported"' in table
    assert 'data-agency="SKHCN" data-source="missing"' in table

    xlsx = client.get(reverse("rollup:table"), {"ky": "2023-Q1", "tai": "xlsx"})
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert any(row[1] == "Sở Tư pháp" and 74 in row for row in rows)


def test_a_bad_period_in_the_review_is_an_error_not_a_crash(client, aggregator_user, justice):
    client.force_login(aggregator_user)
    client.post(reverse("rollup:upload"), {"agency": justice.pk, "files": [_docx()]})
    imported = ImportedReport.objects.get()
    response = client.post(reverse("rollup:review", args=[imported.pk]), {"action": "confirm", "period": "quý 9"})
    assert response.status_code == 400
    assert "Không hiểu kỳ báo cáo" in response.content.decode()
    assert not ReportedFigure.objects.exists()
    imported.refresh_from_db()
    assert imported.status == ImportStatus.PENDING


def test_officers_import_for_their_own_agency_only_and_cannot_see_the_table(
    client, officer, agency, justice, make_user, foreign_agency
):
    client.force_login(officer)
    assert client.get(reverse("rollup:table")).status_code == 403
    assert f'href="{reverse("rollup:table")}"' not in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("rollup:upload"), {"agency": justice.pk, "files": [_docx()]})
    assert response.status_code == 404
    assert not ImportedReport.objects.exists()
    client.post(reverse("rollup:upload"), {"agency": agency.pk, "files": [_docx()]})
    mine = ImportedReport.objects.get(agency=agency)

    other = ImportedReport.objects.create(agency=justice, file_name="x.docx", sha256="c" * 64, extracted={})
    assert client.get(reverse("rollup:review", args=[other.pk])).status_code == 404
    assert client.get(reverse("rollup:review", args=[mine.pk])).status_code == 200

    outsider = make_user("ngoai-tonghop", foreign_agency, "aggregator")
    client.force_login(outsider)
    assert client.get(reverse("rollup:review", args=[mine.pk])).status_code == 404
    table = client.get(reverse("rollup:table")).content.decode()
    assert "Sở Tư pháp" not in table  # another province's aggregator never sees these members
    assert client.get(reverse("rollup:table"), {"co_quan": agency.pk}).status_code == 404

    viewer = make_user("xem", agency, "viewer")
    client.force_login(viewer)
    assert client.get(reverse("rollup:upload")).status_code == 403


def test_submit_button_sends_an_approved_report_and_refuses_a_draft(client, make_user, agency, aggregator_user,
                                                                    foreign_agency):  # fmt: skip
    from cchc.reports import services

    leader = make_user("lanhdao", agency, "leader")
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", leader)
    client.force_login(leader)
    response = client.post(reverse("rollup:submit", args=[report.pk]), follow=True)
    assert "Chỉ gửi được báo cáo đã phê duyệt" in response.content.decode()
    assert not Submission.objects.exists()
    services.submit(report, leader)
    services.approve(report, leader, number=3)
    assert client.post(reverse("rollup:submit", args=[report.pk])).status_code == 302
    assert Submission.objects.get().aggregator.code == "SNV"

    client.force_login(make_user("ngoai", foreign_agency, "leader"))
    assert client.post(reverse("rollup:submit", args=[report.pk])).status_code == 404
    assert client.get(reverse("rollup:submit", args=[report.pk])).status_code == 405
