"""An import is a change like any other: rows that add or change dossiers of a period already reported (a submitted
or approved report) need the import's reason, are recorded against the report, and show on its page; without a
reason they are row errors that name the report, and re-importing unchanged rows is never one."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cchc.dossiers.importer import import_dossiers
from cchc.dossiers.models import Dossier
from cchc.reports import services
from cchc.reports.models import ReportDataChange

pytestmark = pytest.mark.django_db

HEADER = ["Mã hồ sơ", "Mã TTHC", "Chủ hồ sơ", "Kênh nộp", "Ngày tiếp nhận"]
REASON = "Hồ sơ giấy của quý I, nay nhập bổ sung vào hệ thống"


def _csv(rows) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = io.BytesIO(out.getvalue().encode("utf-8"))
    data.name = "ho-so.csv"
    return data


@pytest.fixture
def approved_q1(agency, officer, make_user):
    leader = make_user("lanhdao", agency, "leader")
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    services.submit(report, officer, keep_pdf=False)
    return services.approve(report, leader, number="12", issue_date=dt.date(2023, 3, 20), keep_pdf=False)


ROWS = [
    ["IMP-0001", "1.004444", "Nguyễn Văn An", "Trực tiếp", "10/02/2023 09:00"],  # inside Q1/2023 (to 14/03/2023)
    ["IMP-0002", "1.004444", "Trần Thị Bình", "Trực tiếp", "20/03/2023 09:00"],  # after it
]


def test_rows_of_a_reported_period_need_a_reason(agency, officer, procedure, approved_q1):
    result = import_dossiers(_csv(ROWS), agency=agency, actor=officer)
    assert result.created == 1
    assert [(error.row, error.code) for error in result.errors] == [(2, "IMP-0001")]
    assert "kỳ đã báo cáo" in result.errors[0].message and "đã duyệt" in result.errors[0].message
    assert not Dossier.objects.filter(code="IMP-0001").exists()
    assert not ReportDataChange.objects.exists()

    again = import_dossiers(_csv(ROWS), agency=agency, actor=officer, change_reason=REASON)
    assert (again.created, again.unchanged, again.errors) == (1, 1, [])
    change = ReportDataChange.objects.get()
    assert change.report_id == approved_q1.pk and change.reason == REASON and change.rows == 1

    # The same file once more changes nothing: no reason needed, nothing recorded.
    third = import_dossiers(_csv(ROWS), agency=agency, actor=officer)
    assert (third.unchanged, third.errors) == (2, [])
    assert ReportDataChange.objects.count() == 1


def test_moving_a_dossier_out_of_a_reported_period_needs_a_reason_too(agency, officer, procedure, approved_q1):
    import_dossiers(_csv(ROWS[1:]), agency=agency, actor=officer)
    moved = [["IMP-0002", "1.004444", "Trần Thị Bình", "Trực tiếp", "01/03/2023 09:00"]]
    assert import_dossiers(_csv(moved), agency=agency, actor=officer).errors[0].code == "IMP-0002"
    assert Dossier.objects.get(code="IMP-0002").received_on == dt.date(2023, 3, 20)


def test_the_page_and_the_command_line_take_the_reason(client, agency, one_stop_staff, procedure, approved_q1,
                                                       tmp_path):  # fmt: skip
    from cchc.jobs.worker import run_ready_in_process

    client.force_login(one_stop_staff)
    queued = client.post(reverse("dossiers:import"), {"file": _csv(ROWS[:1])})
    assert run_ready_in_process() == 1  # the page's import is a background job, run here in-process
    page = client.get(queued["Location"])
    assert "chỉ nhập khi nêu lý do" in page.content.decode()
    assert not Dossier.objects.filter(code="IMP-0001").exists()
    client.post(reverse("dossiers:import"), {"file": _csv(ROWS[:1]), "change_reason": REASON})
    assert run_ready_in_process() == 1
    assert Dossier.objects.filter(code="IMP-0001").exists()

    path = tmp_path / "ho-so.csv"
    path.write_bytes(_csv([["IMP-0003", "1.004444", "Lê Văn Cường", "Trực tiếp", "15/02/2023 10:00"]]).getvalue())
    call_command("import_dossiers", str(path), "--agency", agency.code, "--reason", REASON, stdout=io.StringIO())
    assert Dossier.objects.filter(code="IMP-0003").exists()
    assert ReportDataChange.objects.count() == 2
    report_page = client.get(reverse("reports:detail", args=[approved_q1.pk])).content.decode()
    assert "Số liệu đã thay đổi sau khi báo cáo được duyệt" in report_page
    assert REASON in report_page
