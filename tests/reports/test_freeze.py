"""A submitted or approved report stays what was submitted or approved (issue 7: a dossier received afterwards with
a past date changed the approved Q1/2023 report's figures at its next download).

Its figures and files are kept at submission and again at approval; downloads serve them byte for byte and never
start a LibreOffice conversion; returning it to draft makes it live again; its page shows what changed since and why.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document as open_docx

from cchc.dossiers import lifecycle
from cchc.dossiers.models import Channel, Dossier
from cchc.reports import freeze, services
from cchc.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REASON = "Hồ sơ giấy tiếp nhận ngày 10/02/2023, nay mới nhập vào hệ thống"


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def leader(make_user, agency):
    user = make_user("lanhdao", agency, "leader")
    user.first_name = "Nguyễn Văn An"
    user.save()
    return user


@pytest.fixture
def q1_dossiers(agency, procedure, one_stop_staff):
    """Q1 2023 under Nghị định 09 (15/12/2022 – 14/03/2023): three dossiers received at the desk, one resolved."""
    made = []
    for day in (D(2023, 1, 5), D(2023, 1, 16), D(2023, 2, 1)):
        made.append(
            lifecycle.receive(
                agency=agency, procedure=procedure, applicant_name="Công ty TNHH Ánh Dương", channel=Channel.DIRECT,
                actor=one_stop_staff, received_at=_at(day),
            )  # fmt: skip
        )
    lifecycle.resolve(made[0], actor=one_stop_staff, at=_at(D(2023, 1, 10)))
    return made


@pytest.fixture
def report(agency, officer, q1_dossiers):
    return services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)


def _download(client, report: Report, fmt: str):
    return client.get(reverse("reports:download", args=[report.pk, fmt]))


def _received_total(docx: bytes) -> int:
    text = "\n".join(p.text for p in open_docx(io.BytesIO(docx)).paragraphs)
    return int(re.search(r"đã tiếp nhận (\d+) hồ sơ", text).group(1))


def _receive_past_dated(agency, procedure, actor, **kwargs):
    return lifecycle.receive(
        agency=agency, procedure=procedure, applicant_name="Hộ kinh doanh Bình Minh", channel=Channel.DIRECT,
        actor=actor, received_at=_at(D(2023, 2, 10)), **kwargs,
    )  # fmt: skip


def test_approved_report_downloads_the_same_bytes_after_a_past_dated_dossier(
    client, agency, procedure, officer, leader, one_stop_staff, report, monkeypatch
):
    services.submit(report, officer)
    services.approve(report, leader, number="12", issue_date=D(2023, 3, 20))
    client.force_login(officer)
    before = {fmt: _download(client, report, fmt) for fmt in ("docx", "xlsx", "pdf")}
    assert all(response.status_code == 200 for response in before.values())
    assert before["pdf"].content.startswith(b"%PDF")
    assert _received_total(before["docx"].content) == 3

    # A dossier dated inside the period arrives afterwards (written straight to the table, as an import would).
    Dossier.objects.create(
        agency=agency, procedure=procedure, code="NHAP-0001", applicant_name="Hộ kinh doanh Bình Minh",
        channel=Channel.DIRECT, received_at=_at(D(2023, 2, 10)), received_on=D(2023, 2, 10),
        due_at=_at(D(2023, 2, 24), 17), due_date=D(2023, 2, 24), status="received",
    )  # fmt: skip
    # The PDF was kept at approval: a download needs no LibreOffice at all (this one would fail to start).
    monkeypatch.setenv("CCHC_SOFFICE", "/nonexistent/soffice")
    after = {fmt: _download(client, report, fmt) for fmt in ("docx", "xlsx", "pdf")}
    for fmt in ("docx", "xlsx", "pdf"):
        assert after[fmt].status_code == 200, fmt
        assert after[fmt].content == before[fmt].content, fmt
    assert _received_total(after["docx"].content) == 3

    # A new draft of the same template and period is live: it counts the dossier received afterwards.
    draft = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    assert _received_total(_download(client, draft, "docx").content) == 4


def test_submitted_report_is_frozen_returned_to_draft_is_live_and_a_new_submission_freezes_anew(
    client, agency, procedure, officer, leader, one_stop_staff, report
):
    services.submit(report, officer, keep_pdf=False)
    client.force_login(officer)
    frozen = _download(client, report, "docx").content
    _receive_past_dated(agency, procedure, one_stop_staff, change_reason=REASON)
    assert _download(client, report, "docx").content == frozen

    services.return_to_draft(report, leader, "Cập nhật hồ sơ nhập bổ sung")
    report.refresh_from_db()
    assert report.frozen_version is None
    assert _received_total(_download(client, report, "docx").content) == 4

    services.submit(report, officer, keep_pdf=False)
    report.refresh_from_db()
    again = _download(client, report, "docx").content
    assert _received_total(again) == 4
    assert report.frozen_version.figures["dossiers"]["received_total"] == 4
    # Versions keep both frozen states.
    kept = [v.figures["dossiers"]["received_total"] for v in report.versions.filter(status="submitted")]
    assert sorted(kept) == [3, 4]


def test_the_pdf_of_a_version_frozen_without_it_is_not_converted_on_download(client, officer, leader, report):
    services.submit(report, officer, keep_pdf=False)
    client.force_login(officer)
    response = _download(client, report, "pdf")
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Không có tệp PDF của bản đã chốt" in html.unescape(page)


def test_report_page_shows_the_figures_then_and_now_and_the_change_that_caused_them(
    client, agency, procedure, officer, leader, one_stop_staff, report
):
    services.submit(report, officer, keep_pdf=False)
    services.approve(report, leader, number="12", keep_pdf=False)
    client.force_login(leader)
    page = html.unescape(client.get(reverse("reports:detail", args=[report.pk])).text)
    assert "Số liệu đã thay đổi" not in page
    assert "đã tiếp nhận 03 hồ sơ" in page

    dossier = _receive_past_dated(agency, procedure, one_stop_staff, change_reason=REASON)
    page = html.unescape(client.get(reverse("reports:detail", args=[report.pk])).text)
    assert "Số liệu đã thay đổi sau khi báo cáo được duyệt" in page
    changes = page[page.index('id="data-changed"') :]
    row = re.search(r"<td>Số hồ sơ nhận giải quyết</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>", changes)
    assert row and row.groups() == ("3", "4")
    assert REASON in changes and one_stop_staff.get_username() in changes
    assert reverse("dossiers:detail", args=[dossier.pk]) in changes and dossier.code in changes
    # The sections still show the figures the report was approved with.
    assert "đã tiếp nhận 03 hồ sơ" in page and "đã tiếp nhận 04 hồ sơ" not in page


def test_a_submitted_report_says_sent_not_approved(client, agency, procedure, officer, one_stop_staff, report):
    services.submit(report, officer, keep_pdf=False)
    _receive_past_dated(agency, procedure, one_stop_staff, change_reason=REASON)
    client.force_login(officer)
    page = html.unescape(client.get(reverse("reports:detail", args=[report.pk])).text)
    assert "Số liệu đã thay đổi sau khi báo cáo được gửi" in page


def test_a_report_frozen_before_files_were_kept_is_frozen_at_its_first_use(client, officer, report):
    # An upgrade: a report submitted under the old code has no kept version; from now on it never changes again.
    services.submit(report, officer, keep_pdf=False)
    Report.objects.filter(pk=report.pk).update(frozen_version=None)
    report.versions.update(docx=None, xlsx=None, figures={})
    client.force_login(officer)
    first = _download(client, report, "docx").content
    report.refresh_from_db()
    assert report.frozen_version is not None and report.status == ReportStatus.SUBMITTED
    assert _download(client, report, "docx").content == first


def test_only_reports_whose_figures_the_moment_changes_are_affected(agency, other_agency, officer, report):
    services.submit(report, officer, keep_pdf=False)
    other = services.create_report(other_agency, "cchc-quarterly", "2023-Q1", None)
    services.submit(other, None, keep_pdf=False)
    assert freeze.reports_affected(agency, [_at(D(2023, 2, 10))]) == [report]
    assert freeze.reports_affected(agency, [_at(D(2022, 11, 1))]) == [report]  # carried over into Q1
    assert freeze.reports_affected(agency, [_at(D(2023, 3, 15))]) == []  # after the period
    assert freeze.reports_affected(agency, []) == []
    with pytest.raises(freeze.ChangeReasonRequired):
        freeze.check_change(agency, [_at(D(2023, 3, 20)), _at(D(2023, 1, 2))])
    assert freeze.check_change(agency, [_at(D(2023, 1, 2))], "Nhập lại từ tệp của hệ thống cũ") == [report]
