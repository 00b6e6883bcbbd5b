"""The report pages as officers and leaders meet them: the list and "Tạo báo cáo", the editor with each section's
computed figures (equal to the statistics service's) and its narrative saved per section without silent overwrites,
the workflow and its permissions, versions, downloads (.docx, .xlsx, PDF once), and the agency's template outline."""

from __future__ import annotations

import datetime as dt
import html
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document as open_docx
from openpyxl import load_workbook

from cchc.reports import services
from cchc.reports.html import blocks_html
from cchc.reports.models import Report, ReportSection, ReportStatus, ReportTemplate, ReportVersion
from cchc.reports.rendering import Cell, Footnote, Paragraph, Run, Table
from cchc.reports.wording import agency_word, dossier_sentence
from cchc.statistics.service import compute

pytestmark = pytest.mark.django_db

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def leader(make_user, agency):
    return make_user("lanhdao", agency, "leader")


@pytest.fixture
def dossiers(agency, procedure):
    """Q1 2023 under NĐ 09 (15/12/2022 – 14/03/2023): one carried over, three new, three resolved (one late), one
    still in progress; one received after the quarter, which must not count."""
    from cchc.dossiers.models import Dossier

    rows = [
        ("A1", D(2022, 12, 1), 1, D(2022, 12, 20), D(2022, 12, 19)),
        ("A2", D(2023, 1, 5), 2, D(2023, 1, 20), D(2023, 1, 10)),
        ("A3", D(2023, 2, 1), 2, D(2023, 2, 10), D(2023, 2, 15)),
        ("A4", D(2023, 3, 1), 1, D(2023, 3, 30), None),
        ("A5", D(2023, 3, 20), 2, D(2023, 4, 5), None),
    ]
    for code, received, channel, due, ended in rows:
        Dossier.objects.create(
            agency=agency, procedure=procedure, code=code, applicant_name=f"Chủ hồ sơ {code}", channel=channel,
            received_at=_at(received), received_on=received, due_at=_at(due, 17), due_date=due,
            status="resolved" if ended else "in_process", ended_at=_at(ended, 10) if ended else None,
            ended_on=ended, outcome="resolved" if ended else "",
        )  # fmt: skip


@pytest.fixture
def report(agency, officer):
    return services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)


@pytest.fixture
def other_report(other_agency):
    return services.create_report(other_agency, "cchc-quarterly", "2023-Q1", None)


def section_of(report: Report, key: str) -> ReportSection:
    return report.sections.get(key=key)


def narrative_section(report: Report) -> ReportSection:
    return report.sections.filter(block="").exclude(level=1).order_by("order").first()


def login(client, user):
    client.force_login(user)
    return client


# --- list and creation ---------------------------------------------------------------------------------------------


def test_list_shows_own_reports_filters_by_status_and_hides_other_agencies(client, officer, report, other_report):
    login(client, officer)
    response = client.get(reverse("reports:list"))
    assert response.status_code == 200
    assert f'data-report="{report.pk}"' in response.text
    assert f'data-report="{other_report.pk}"' not in response.text
    assert "Tạo báo cáo" in response.text
    assert 'href="/bao-cao/"' in response.text  # the nav entry

    assert f'data-report="{report.pk}"' not in client.get(reverse("reports:list"), {"trang_thai": "approved"}).text
    assert f'data-report="{report.pk}"' in client.get(reverse("reports:list"), {"nam": "2023"}).text


def test_create_a_quarterly_report_with_the_nd09_cut_off_by_default(client, officer, agency):
    login(client, officer)
    from cchc.reports.templates_registry import get_template

    template = get_template("cchc-quarterly")
    response = client.post(
        reverse("reports:create"),
        {"template": template.pk, "period_kind": "quarter", "year": 2023, "quarter": 1, "mode": "nd09"},
    )
    report = Report.objects.get(agency=agency)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.period_start, report.period_end) == (D(2022, 12, 15), D(2023, 3, 14))
    assert report.sections.count() == len(template.outline)
    assert report.created_by == officer


def test_create_a_custom_range_and_reject_an_inverted_one(client, officer, agency):
    from cchc.reports.templates_registry import get_template

    login(client, officer)
    template = get_template("business-environment")
    data = {"template": template.pk, "period_kind": "range", "year": 2023, "mode": "nd09"}
    bad = client.post(reverse("reports:create"), {**data, "start": "2023-03-04", "end": "2022-12-05"})
    assert bad.status_code == 400
    assert "phải trước hoặc bằng ngày kết thúc" in html.unescape(bad.text)
    assert not Report.objects.exists()

    client.post(reverse("reports:create"), {**data, "start": "2022-12-05", "end": "2023-03-04"})
    report = Report.objects.get(agency=agency)
    assert (report.period_mode, report.period_start, report.period_end) == ("range", D(2022, 12, 5), D(2023, 3, 4))


def test_viewer_cannot_create_a_report(client, viewer):
    login(client, viewer)
    assert "Tạo báo cáo" not in client.get(reverse("reports:list")).text
    response = client.post(reverse("reports:create"), {"period_kind": "year", "year": 2023})
    assert response.status_code == 403
    assert not Report.objects.exists()


# --- the editor ----------------------------------------------------------------------------------------------------


def test_editor_shows_sections_in_outline_order_with_figures_equal_to_the_statistics(
    client, officer, agency, report, dossiers
):
    login(client, officer)
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    page = html.unescape(response.text)
    positions = [page.index(f'data-section="{s.key}"') for s in report.sections.order_by("order")]
    assert positions == sorted(positions)
    for section in report.sections.exclude(heading=""):
        assert section.heading in page

    figures = compute(report.period, agencies=[agency]).dossiers
    assert (figures.received_total, figures.carried_over, figures.resolved, figures.resolved_late) == (4, 1, 3, 1)
    sentence = dossier_sentence(figures, report.period, agency_word(agency))
    assert sentence in page
    assert "đã tiếp nhận 04 hồ sơ, trong đó 01 hồ sơ từ kỳ trước chuyển sang" in page
    assert "Số liệu tính từ ngày 15/12/2022 đến ngày 14/03/2023" in page
    assert page.count("<textarea") >= report.sections.count()


def test_a_report_made_by_the_command_line_opens_and_credits_the_system(client, officer, agency):
    report = services.create_report(agency, "cchc-annual", "2023", None)
    login(client, officer)
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    assert "hệ thống" in response.text and "Phụ lục" in response.text


def test_save_a_section_through_htmx_returns_the_fragment_with_the_new_version(client, officer, report):
    section = narrative_section(report)
    login(client, officer)
    response = client.post(
        reverse("reports:section", args=[section.pk]), {"text": "Đã tổ chức 02 hội nghị.", "version": 1}, **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'data-version="2"' in response.text and "data-saved" in response.text
    assert 'name="version" value="2"' in response.text
    section.refresh_from_db()
    assert (section.text, section.version, section.updated_by) == ("Đã tổ chức 02 hội nghị.", 2, officer)


def test_second_save_of_the_same_version_gets_the_conflict_and_keeps_both_texts(client, officer, leader, report):
    section = narrative_section(report)
    url = reverse("reports:section", args=[section.pk])
    login(client, leader)
    assert client.post(url, {"text": "Nội dung của lãnh đạo", "version": 1}, **HTMX).status_code == 200

    login(client, officer)
    response = client.post(url, {"text": "Nội dung của chuyên viên", "version": 1}, **HTMX)
    assert response.status_code == 200
    fragment = html.unescape(response.text)
    assert "data-conflict" in fragment
    assert "đã được lanhdao sửa" in fragment and "Nội dung của bạn chưa được lưu" in fragment
    assert "Nội dung của lãnh đạo" in fragment  # what the other person saved
    assert ">Nội dung của chuyên viên</textarea>" in fragment  # what this user typed, still in the box
    assert 'name="version" value="2"' in fragment
    section.refresh_from_db()
    assert (section.text, section.version) == ("Nội dung của lãnh đạo", 2)

    # Having seen the other text, the officer can save deliberately against the version shown.
    client.post(url, {"text": "Nội dung đã đối chiếu", "version": 2}, **HTMX)
    section.refresh_from_db()
    assert (section.text, section.version) == ("Nội dung đã đối chiếu", 3)


def test_conflict_without_javascript_renders_the_editor_with_409(client, officer, leader, report):
    section = narrative_section(report)
    services.save_section(section, "Bản của lãnh đạo", 1, leader)
    login(client, officer)
    response = client.post(reverse("reports:section", args=[section.pk]), {"text": "Bản của tôi", "version": 1})
    assert response.status_code == 409
    assert "data-conflict" in response.text and ">Bản của tôi</textarea>" in html.unescape(response.text)


def test_viewer_reads_but_cannot_post(client, viewer, report):
    section = narrative_section(report)
    login(client, viewer)
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert page.status_code == 200 and "<textarea" not in page.text.split('id="sections"')[1].split("<aside")[0]
    for url, data in [
        (reverse("reports:section", args=[section.pk]), {"text": "x", "version": 1}),
        (reverse("reports:details", args=[report.pk]), {"title": "x"}),
        (reverse("reports:submit", args=[report.pk]), {}),
        (reverse("reports:save_version", args=[report.pk]), {"note": "x"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    section.refresh_from_db()
    assert section.version == 1


def test_another_agencys_report_is_not_found(client, officer, other_report):
    section = other_report.sections.first()
    login(client, officer)
    assert client.get(reverse("reports:detail", args=[other_report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[other_report.pk, "docx"])).status_code == 404
    response = client.post(reverse("reports:section", args=[section.pk]), {"text": "x", "version": 1})
    assert response.status_code == 404
    assert client.post(reverse("reports:submit", args=[other_report.pk])).status_code == 404


def test_update_details_and_save_a_version(client, officer, report):
    login(client, officer)
    response = client.post(
        reverse("reports:details", args=[report.pk]),
        {
            "title": "Công tác cải cách hành chính quý I năm 2023",
            "signing_form": "KT.",
            "signing_authority": "Giám đốc",
            "signer_title": "Phó Giám đốc",
            "signer_name": "Nguyễn Văn An",
            "recipients": "Sở Nội vụ (B/c)\n\nVăn phòng UBND tỉnh",
            "archive_unit": "VP",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.signer_name == "Nguyễn Văn An"
    assert report.recipients == ["Sở Nội vụ (B/c)", "Văn phòng UBND tỉnh"]

    bad = client.post(reverse("reports:details", args=[report.pk]), {"title": "x", "signing_form": "XYZ"}, follow=True)
    assert "Thẩm quyền ký: Hãy chọn một lựa chọn hợp lệ" in html.unescape(bad.text)
    report.refresh_from_db()
    assert report.signing_form == "KT." and report.title.startswith("Công tác")

    client.post(reverse("reports:save_version", args=[report.pk]), {"note": "Trước khi gửi phòng góp ý"})
    latest = ReportVersion.objects.filter(report=report).first()
    assert latest.note == "Trước khi gửi phòng góp ý" and latest.created_by == officer
    page = client.get(reverse("reports:detail", args=[report.pk])).text
    assert "Trước khi gửi phòng góp ý" in page and f'data-version-row="{latest.version}"' in page


def test_workflow_officer_submits_cannot_approve_leader_returns_with_reason_then_approves(
    client, officer, leader, report
):
    section = narrative_section(report)
    login(client, officer)
    # The outline's sections are still empty: the page asks first, the confirmation submits.
    asked = client.post(reverse("reports:submit", args=[report.pk]))
    assert asked.status_code == 409 and 'data-action="confirm-submit"' in asked.text
    client.post(reverse("reports:submit", args=[report.pk]), {"confirm_unfinished": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    page = client.get(reverse("reports:detail", args=[report.pk])).text
    assert "data-locked" in page and 'data-action="approve"' not in page
    locked = client.post(reverse("reports:section", args=[section.pk]), {"text": "muộn", "version": 1}, **HTMX)
    assert "không sửa được" in html.unescape(locked.text)
    assert client.post(reverse("reports:approve", args=[report.pk]), {"number": "5"}).status_code == 403

    login(client, leader)
    assert 'data-action="approve"' in client.get(reverse("reports:detail", args=[report.pk])).text
    empty = client.post(reverse("reports:return", args=[report.pk]), {"reason": "  "}, follow=True)
    assert "Nêu lý do trả lại" in html.unescape(empty.text)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(reverse("reports:return", args=[report.pk]), {"reason": "Bổ sung số liệu mục II"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    login(client, officer)
    client.post(reverse("reports:submit", args=[report.pk]), {"confirm_unfinished": "1"})
    login(client, leader)
    approval = {"number": "12", "issue_date": "2023-03-20", "confirm_unfinished": "1"}
    response = client.post(reverse("reports:approve", args=[report.pk]), approval)
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.number, report.issue_date, report.approved_by) == (
        ReportStatus.APPROVED, "12", D(2023, 3, 20), leader,
    )  # fmt: skip
    assert "Trả lại dự thảo: Bổ sung số liệu mục II" in client.get(reverse("reports:detail", args=[report.pk])).text


def test_approval_without_a_number_or_register_explains_what_to_do(client, officer, leader, report):
    services.submit(report, officer)
    login(client, leader)
    response = client.post(reverse("reports:approve", args=[report.pk]), {"number": ""}, follow=True)
    assert "chưa có sổ văn bản đi" in html.unescape(response.text)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


# --- downloads -----------------------------------------------------------------------------------------------------


def test_docx_download_holds_the_edited_text_under_a_safe_vietnamese_name(client, officer, report, dossiers):
    services.save_section(narrative_section(report), "Đã tổ chức 02 hội nghị giao ban.", 1, officer)
    login(client, officer)
    response = client.get(reverse("reports:download", args=[report.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-cchc-quy-i-2023.docx"'
    text = "\n".join(p.text for p in open_docx(io.BytesIO(response.content)).paragraphs)
    assert "Đã tổ chức 02 hội nghị giao ban." in text
    assert "đã tiếp nhận 04 hồ sơ" in text


def test_xlsx_download_opens_with_the_dossier_table(client, officer, report, dossiers):
    login(client, officer)
    response = client.get(reverse("reports:download", args=[report.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    values = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert values, "the workbook has no cells"
    assert client.get(reverse("reports:download", args=[report.pk, "odt"])).status_code == 404


def test_pdf_download(client, officer, report):
    login(client, officer)
    response = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert response.status_code == 200, response.content[:300]
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-cchc-quy-i-2023.pdf"'


# --- templates and outline ---------------------------------------------------------------------------------------


def outline_post(rows: list[dict]) -> dict:
    data = {"muc-TOTAL_FORMS": len(rows), "muc-INITIAL_FORMS": len(rows), "muc-MIN_NUM_FORMS": 0}
    data["muc-MAX_NUM_FORMS"] = 1000
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"muc-{i}-{name}"] = value
    return data


def test_copy_a_builtin_template_and_edit_its_outline(client, officer, agency):
    from cchc.reports.templates_registry import get_template

    builtin = get_template("focal-tasks")
    login(client, officer)
    page = client.get(reverse("reports:templates"))
    assert page.status_code == 200 and "Sao chép để chỉnh sửa" in page.text
    response = client.post(reverse("reports:template_copy", args=[builtin.pk]))
    copy = ReportTemplate.objects.get(agency=agency, slug="focal-tasks")
    assert response["Location"] == reverse("reports:outline", args=[copy.pk])
    assert get_template("focal-tasks", agency) == copy

    editor = client.get(reverse("reports:outline", args=[copy.pk]))
    assert editor.status_code == 200
    first, second = copy.outline[0], copy.outline[1]
    rows = [
        {"key": second["key"], "number": "1.", "heading": "Mục đưa lên đầu", "level": 1, "block": "", "ORDER": 1},
        {"key": first["key"], "number": first["number"], "heading": first["heading"], "level": 1,
         "block": ",".join(first["block"]),
         "ORDER": 2},
        {"key": "", "number": "3.", "heading": "Mục mới về chuyển đổi số", "level": 2,
         "block": "dossier_results", "guidance": "Nêu kết quả số hóa", "ORDER": 3},
    ]  # fmt: skip
    data = outline_post(rows)
    data["muc-TOTAL_FORMS"] = 3
    data["muc-INITIAL_FORMS"] = 2
    response = client.post(reverse("reports:outline", args=[copy.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    copy.refresh_from_db()
    assert [s["heading"] for s in copy.outline] == ["Mục đưa lên đầu", first["heading"], "Mục mới về chuyển đổi số"]
    assert copy.outline[2]["block"] == ["dossier_results"] and copy.outline[2]["key"]
    assert copy.outline[0].get("options", {}) == second.get("options", {})

    # The new outline is what a report created from the agency's template gets.
    report = services.create_report(agency, "focal-tasks", "2023", officer)
    assert [s.heading for s in report.sections.order_by("order")][0] == "Mục đưa lên đầu"


def test_outline_errors_are_shown_and_nothing_is_saved(client, officer, agency):
    from cchc.reports.templates_registry import get_template, save_copy

    copy = save_copy(get_template("focal-tasks"), agency)
    before = copy.outline
    login(client, officer)
    data = outline_post([{"key": "a", "number": "1.", "heading": "", "level": 1, "block": "", "guidance": "chỉ có"}])
    response = client.post(reverse("reports:outline", args=[copy.pk]), data)
    assert response.status_code == 400
    assert "chưa có tiêu đề" in html.unescape(response.text)
    copy.refresh_from_db()
    assert copy.outline == before


def test_template_rights_builtin_and_other_agency_outlines_are_not_editable(client, viewer, officer, other_agency):
    from cchc.reports.templates_registry import get_template, save_copy

    builtin = get_template("cchc-quarterly")
    foreign = save_copy(builtin, other_agency)
    login(client, viewer)
    assert client.post(reverse("reports:template_copy", args=[builtin.pk])).status_code == 403
    login(client, officer)
    assert client.get(reverse("reports:outline", args=[builtin.pk])).status_code == 404
    assert client.get(reverse("reports:outline", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("reports:template_copy", args=[foreign.pk])).status_code == 404


# --- the preview renderer ------------------------------------------------------------------------------------------


def test_blocks_html_escapes_text_and_keeps_spans_bullets_and_footnotes():
    blocks = [
        Paragraph([Run("Văn bản "), Run("<b>đậm</b>", bold=True), Footnote("Kế hoạch số 151/KH-SKHCN.")], bullet="+"),
        Table(
            header=[[Cell("TT", rowspan=2), Cell("Hồ sơ", colspan=2)], ["Đúng hạn", "Trễ hạn"]],
            rows=[["1", Decimal("3"), 0]],
            aligns=["center", "right", "right"],
        ),
    ]
    out = str(blocks_html(blocks))
    assert "<script" not in out and "&lt;b&gt;đậm&lt;/b&gt;" in out
    assert "<strong>&lt;b&gt;" in out and out.startswith('<p class="al-justify">+ Văn bản')
    assert '<th rowspan="2">TT</th><th colspan="2">Hồ sơ</th>' in out
    assert '<td class="al-center">1</td><td class="al-right">3</td>' in out
    assert '<sup class="fn" title="Kế hoạch số 151/KH-SKHCN.">1</sup>' in out
    assert '<ol class="footnotes"><li>Kế hoạch số 151/KH-SKHCN.</li></ol>' in out
