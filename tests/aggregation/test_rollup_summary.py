"""The aggregator's summary report ("rollup-summary"): its roll-up section in the .docx is the roll-up table itself
(a computed member and a reported one), with who sent, who is late and who is missing, and totals in words."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from docx import Document as open_docx

from cchc.agencies.models import Agency
from cchc.aggregation.models import ReportedFigure, Submission, SubmissionSource
from cchc.aggregation.rollup import COMPUTED, REPORTED, as_document_table, rollup_table
from cchc.reports import services
from cchc.reports.blocks import REGISTRY
from cchc.reports.builder import build_docx
from cchc.reports.templates_registry import builtin_definitions, validate_outline
from cchc.statistics.periods import parse_period

pytestmark = pytest.mark.django_db

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = parse_period("2023-Q1")


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def science(agency, procedure):
    """Sở KH&CN uses cchc: in Q1 2023 three dossiers received, two resolved (one late), one in progress."""
    from cchc.dossiers.models import Dossier

    rows = [
        ("A2", D(2023, 1, 5), 2, D(2023, 1, 20), D(2023, 1, 10)),
        ("A3", D(2023, 2, 1), 2, D(2023, 2, 10), D(2023, 2, 15)),
        ("A4", D(2023, 3, 1), 1, D(2023, 3, 30), None),
    ]
    for code, received, channel, due, ended in rows:
        Dossier.objects.create(
            agency=agency, procedure=procedure, code=code, applicant_name=f"Chủ hồ sơ {code}", channel=channel,
            received_at=_at(received), received_on=received, due_at=_at(due, 17), due_date=due,
            status="resolved" if ended else "in_process", ended_at=_at(ended, 10) if ended else None,
            ended_on=ended, outcome="resolved" if ended else "",
        )  # fmt: skip
    return agency


@pytest.fixture
def justice(province):
    """Sở Tư pháp does not use cchc: its figures come from its imported report, which it sent late."""
    justice = Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")
    values = {"dossiers_received": 1200, "dossiers_online": 600, "dossiers_resolved": 1000,
              "dossiers_early_or_on_time": 990, "dossiers_late": 10, "dossiers_in_progress": 200,
              "procedures_total": 130}  # fmt: skip
    for key, value in values.items():
        ReportedFigure.objects.create(
            agency=justice, period_key=Q1.key, period_start=Q1.start, period_end=Q1.end, key=key,
            value=Decimal(value), source_sha256="c" * 64,
        )  # fmt: skip
    return justice


@pytest.fixture
def home_affairs(other_agency, make_user):
    make_user("tonghop", other_agency, "aggregator")
    return other_agency


def _docx(report) -> open_docx:
    return open_docx(io.BytesIO(build_docx(report)))


def _rollup_docx_table(document):
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if "Cơ quan" in header and "Hồ sơ tiếp nhận" in header:
            return table
    raise AssertionError("no roll-up table in the document")


def _as_docx_text(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def test_the_outline_is_valid_and_uses_the_rollup_block():
    definition = builtin_definitions()["rollup-summary"]
    assert definition["name"] == "Báo cáo tổng hợp kết quả CCHC của các cơ quan"
    validate_outline(definition["outline"], definition["appendices"])
    assert any("rollup_table" in section["block"] for section in definition["outline"])
    assert str(REGISTRY["rollup_table"].label) == "Bảng tổng hợp số liệu các cơ quan"


def test_summary_report_table_and_figures_equal_the_rollup(home_affairs, science, justice):
    Submission.objects.create(
        agency=justice, aggregator=home_affairs, source=SubmissionSource.IMPORTED, period_key=Q1.key,
        period_start=Q1.start, period_end=Q1.end, submitted_at=_at(D(2023, 3, 20)), deadline=D(2023, 3, 17),
    )  # fmt: skip
    report = services.create_report(home_affairs, "rollup-summary", "2023-Q1", None)
    expected = rollup_table(home_affairs, Q1)
    rows = {row.agency.code: row for row in expected.rows}
    assert set(rows) == {"SKHCN", "STP"}
    assert rows["SKHCN"].source == COMPUTED and rows["STP"].source == REPORTED

    document = _docx(report)
    table = _rollup_docx_table(document)
    expected_table = as_document_table(expected)
    assert [cell.text for cell in table.rows[0].cells] == [str(c) for c in expected_table.columns]
    body = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert body == [[_as_docx_text(v) for v in row] for row in expected_table.rows]
    # The figures a reader checks: the computed member's counts, the reported member's, the totals.
    by_name = {row[1]: row for row in body}
    science_row = by_name["Sở Khoa học và Công nghệ"]
    assert science_row[2:10] == ["1", "1", "3", "2", "2", "1", "1", "1"]
    assert science_row[12] == "Tính từ cchc" and science_row[13] == "Chưa gửi"
    justice_row = by_name["Sở Tư pháp"]
    assert justice_row[2:10] == ["130", "—", "1200", "600", "1000", "990", "10", "200"]
    assert justice_row[12] == "Theo báo cáo" and justice_row[13] == "Gửi muộn"
    assert by_name["Tổng cộng"][4] == "1203" == str(expected.totals["dossiers_received"])

    lines = [p.text for p in document.paragraphs]
    sent = next(line for line in lines if line.startswith("- Có "))
    assert sent == (
        "- Có 01/02 cơ quan đã gửi báo cáo quý I năm 2023; chưa gửi: Sở Khoa học và Công nghệ; "
        "gửi muộn: Sở Tư pháp (gửi ngày 20/03/2023, hạn 17/03/2023)."
    )
    totals = next(line for line in lines if line.startswith("- Tổng số hồ sơ tiếp nhận"))
    assert (expected.on_time_rate, expected.online_rate) == (98.9, 50.04)  # 991/1002 and 602/1203, from totals
    assert totals == (
        "- Tổng số hồ sơ tiếp nhận: 1.203, trong đó trực tuyến 602 (50,04%); đã giải quyết 1.002, đúng hạn 98,9% "
        "(991 hồ sơ trước và đúng hạn, 11 hồ sơ quá hạn); đang giải quyết 201."
    )
    assert any("01 cơ quan do hệ thống cchc tính" in line and "01 cơ quan theo báo cáo đã nhập" in line
               for line in lines)  # fmt: skip


def test_an_agency_that_aggregates_nobody_gets_a_sentence_not_a_table(agency):
    report = services.create_report(agency, "rollup-summary", "2023-Q1", None)
    document = _docx(report)
    assert not any("Hồ sơ tiếp nhận" in cell.text for t in document.tables for cell in t.rows[0].cells)
    assert any("chưa được khai báo là cơ quan tổng hợp" in p.text for p in document.paragraphs)


def test_a_member_without_figures_is_listed_missing_and_totals_say_no_dossier_figures(home_affairs, province):
    Agency.objects.create(province=province, code="STC", name="Sở Tài chính")
    report = services.create_report(home_affairs, "rollup-summary", "2023-Q1", None)
    lines = [p.text for p in _docx(report).paragraphs]
    assert "- Có 0/01 cơ quan đã gửi báo cáo quý I năm 2023; chưa gửi: Sở Tài chính." in lines
    assert "- Chưa có số liệu hồ sơ TTHC của các cơ quan trong kỳ." in lines


# --- sending an approved report from the report page --------------------------------------------------------------


def test_an_approved_report_is_sent_to_the_aggregator_from_its_page(client, agency, home_affairs, make_user, viewer):
    from django.urls import reverse

    leader = make_user("lanhdao", agency, "leader")
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", leader)
    client.force_login(leader)
    page = reverse("reports:detail", args=[report.pk])
    assert "Gửi cơ quan tổng hợp" not in client.get(page).content.decode()  # a draft is not sent
    services.submit(report, leader)
    services.approve(report, leader, number=12, issue_date=D(2023, 3, 16))
    html = client.get(page).content.decode()
    assert "Gửi cơ quan tổng hợp" in html and "Sở Nội vụ" in html

    client.force_login(viewer)
    seen = client.get(page)
    assert seen.status_code == 200
    assert '<p class="help" data-aggregators>Cơ quan tổng hợp: Sở Nội vụ</p>' in seen.content.decode()
    assert 'data-action="send"' not in seen.content.decode()
    assert client.post(reverse("rollup:submit", args=[report.pk])).status_code == 403
    assert not Submission.objects.exists()

    client.force_login(leader)
    response = client.post(reverse("rollup:submit", args=[report.pk]), follow=True)
    sent = Submission.objects.get()
    assert (sent.agency, sent.aggregator, sent.report, sent.period_key) == (agency, home_affairs, report, "2023-Q1")
    assert "Đã gửi Sở Nội vụ lúc" in response.content.decode()
