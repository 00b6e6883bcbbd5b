"""What the pages ask before going on (issue 7): a dossier or step dated inside a reported period asks for a reason
and loses nothing typed; a second report of the same template, agency and period asks first and links to the
existing one; submitting or approving with empty sections lists them and asks; and the signature block names the
approving leader or the leader chosen on the report."""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from django.urls import reverse
from docx import Document as open_docx

from cchc.audit.models import AuditEntry
from cchc.audit.service import history
from cchc.dossiers.models import Channel, Dossier
from cchc.reports import services
from cchc.reports.builder import build_docx
from cchc.reports.models import Report, ReportStatus
from cchc.reports.templates_registry import get_template

pytestmark = pytest.mark.django_db

D = dt.date
REASON = "Hồ sơ giấy nhận ngày 10/02/2023, nay mới nhập vào hệ thống"


@pytest.fixture
def leader(make_user, agency):
    user = make_user("lanhdao", agency, "leader")
    user.first_name = "Nguyễn Văn An"  # the project keeps Vietnamese names whole, family name first
    user.save()
    return user


@pytest.fixture
def deputy(make_user, agency):
    from cchc.agencies.models import Membership

    user = make_user("phogiamdoc", agency, "leader")
    user.first_name = "Trần Thị Bình"
    user.save()
    Membership.objects.filter(user=user).update(position="Phó Giám đốc")
    return user


@pytest.fixture
def approved_q1(agency):
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", None)
    services.submit(report, None, keep_pdf=False)
    return services.approve(report, None, number="07", keep_pdf=False)


def _receipt(procedure, **overrides) -> dict:
    data = {
        "procedure": procedure.pk, "applicant_kind": "person", "applicant_name": "Nguyễn Thị Lan",
        "applicant_id_number": "045190000123", "applicant_phone": "0912345678", "summary": "Cấp phép X-quang",
        "channel": Channel.DIRECT, "result_channel": Channel.POSTAL, "received_at": "2023-02-10T09:30",
    }  # fmt: skip
    data.update(overrides)
    return data


def _text(response) -> str:
    return html.unescape(response.content.decode())


# --- a reason for data inside a reported period --------------------------------------------------------------------


def test_receipt_form_asks_for_the_reason_keeps_what_was_typed_then_records_it(
    client, one_stop_staff, procedure, approved_q1
):
    client.force_login(one_stop_staff)
    assert 'name="change_reason"' not in client.get(reverse("dossiers:receive")).text
    asked = client.post(reverse("dossiers:receive"), _receipt(procedure))
    page = _text(asked)
    assert asked.status_code == 200 and not Dossier.objects.exists()
    assert 'name="change_reason"' in page and "Hãy nêu lý do thay đổi số liệu" in page and "Quý I năm 2023" in page
    for typed in ("Nguyễn Thị Lan", "045190000123", "0912345678", "Cấp phép X-quang", "2023-02-10T09:30"):
        assert f'value="{typed}"' in page, typed

    done = client.post(reverse("dossiers:receive"), _receipt(procedure, change_reason=REASON))
    dossier = Dossier.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("dossiers:detail", args=[dossier.pk])
    detail = _text(client.get(done["Location"]))
    assert "Thay đổi số liệu của kỳ đã báo cáo" in detail and REASON in detail
    assert history(dossier).get(action=AuditEntry.Action.CREATE).changes["change_reason"] == REASON
    assert approved_q1.data_changes.get().reason == REASON


def test_step_form_asks_for_the_reason_when_its_moment_is_inside_the_period(
    client, officer, agency, procedure, one_stop_staff
):
    from cchc.dossiers import lifecycle

    dossier = lifecycle.receive(
        agency=agency, procedure=procedure, applicant_name="Công ty Ánh Dương", channel=Channel.DIRECT,
        actor=one_stop_staff, received_at=dt.datetime(2023, 2, 1, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", None)
    services.submit(report, None, keep_pdf=False)
    client.force_login(officer)
    url = reverse("dossiers:action", args=[dossier.pk, "resolved"])
    asked = client.post(url, {"at": "2023-02-20T10:00", "note": "Đã cấp giấy phép số 12/GP"})
    page = _text(asked)
    assert 'name="change_reason"' in page and "«" in page and "(đã gửi)" in page
    assert "Đã cấp giấy phép số 12/GP" in page
    dossier.refresh_from_db()
    assert dossier.status == "received"
    client.post(url, {"at": "2023-02-20T10:00", "note": "Đã cấp giấy phép số 12/GP", "change_reason": REASON})
    dossier.refresh_from_db()
    assert dossier.status == "resolved" and report.data_changes.get().reason == REASON


# --- a second report of the same template, agency and period -------------------------------------------------------


def test_a_second_report_of_the_period_is_asked_first_with_a_link_to_the_existing_one(client, officer, agency):
    template = get_template("cchc-quarterly")
    form = {"template": template.pk, "period_kind": "quarter", "year": 2023, "quarter": 1, "mode": "nd09"}
    client.force_login(officer)
    first = client.post(reverse("reports:create"), form)
    existing = Report.objects.get()
    assert first.status_code == 302

    asked = client.post(reverse("reports:create"), form)
    page = _text(asked)
    assert asked.status_code == 409 and Report.objects.count() == 1
    assert "Đã có báo cáo" in page and "Vẫn tạo báo cáo mới?" in page
    assert f'href="{reverse("reports:detail", args=[existing.pk])}"' in page
    assert 'name="confirm_duplicate" value="1"' in page and 'value="2023"' in page

    confirmed = client.post(reverse("reports:create"), {**form, "confirm_duplicate": "1"})
    second = Report.objects.exclude(pk=existing.pk).get()
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("reports:detail", args=[second.pk])
    assert history(second).get(action=AuditEntry.Action.CREATE).changes["also_existing"] == str(existing.pk)


def test_another_period_or_template_is_created_without_asking(client, officer, agency):
    services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    client.force_login(officer)
    q2 = {"template": get_template("cchc-quarterly").pk, "period_kind": "quarter", "year": 2023, "quarter": 2}
    assert client.post(reverse("reports:create"), {**q2, "mode": "nd09"}).status_code == 302
    annual = {"template": get_template("cchc-annual").pk, "period_kind": "year", "year": 2023, "mode": "nd09"}
    assert client.post(reverse("reports:create"), annual).status_code == 302
    assert Report.objects.count() == 3


# --- empty sections and unanswered prompts -------------------------------------------------------------------------


def test_prompts_with_nothing_after_them_are_unanswered():
    from cchc.reports.checks import unanswered_prompts

    outline = "- Việc tổ chức hội nghị: \n- *Công tác thi đua, khen thưởng:* \n+ Tình hình Bộ phận Một cửa:"
    assert unanswered_prompts(outline) == [
        "- Việc tổ chức hội nghị:",
        "- Công tác thi đua, khen thưởng:",
        "+ Tình hình Bộ phận Một cửa:",
    ]
    written = "- Việc tổ chức hội nghị: đã tổ chức 02 hội nghị\n- Công tác thi đua:\n+ Khen thưởng 03 cá nhân"
    assert unanswered_prompts(written) == []
    assert unanswered_prompts("Kết quả cụ thể như sau:\n- Tiếp nhận 12 hồ sơ.") == []
    assert unanswered_prompts("") == []


def test_submit_lists_the_unfinished_sections_with_links_and_asks(client, officer, agency):
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    one_stop = next(s for s in report.sections.all() if "Bộ phận Một cửa" in s.text)
    client.force_login(officer)
    asked = client.post(reverse("reports:submit", args=[report.pk]))
    page = _text(asked)
    report.refresh_from_db()
    assert asked.status_code == 409 and report.status == ReportStatus.DRAFT
    start = page.index('id="confirm-unfinished"')
    panel = page[start : page.index("</section>", start)]
    assert f'href="#muc-{one_stop.pk}"' in panel
    assert "«+ Bộ phận Một cửa trong kỳ (nhân sự, nơi làm việc, cách tổ chức):»" in panel
    assert "Ưu điểm" in panel and "chưa có nội dung" in panel
    assert 'name="confirm_unfinished" value="1"' in panel

    client.post(reverse("reports:submit", args=[report.pk]), {"confirm_unfinished": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    entry = history(report).filter(action=AuditEntry.Action.TRANSITION).first()
    assert "Bộ phận Một cửa" in entry.changes["unfinished_sections"]


def test_approve_asks_keeping_the_number_typed_then_approves(client, officer, leader, agency):
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    services.submit(report, officer, keep_pdf=False)
    client.force_login(leader)
    asked = client.post(reverse("reports:approve", args=[report.pk]), {"number": "9", "issue_date": "2023-03-20"})
    page = _text(asked)
    report.refresh_from_db()
    assert asked.status_code == 409 and report.status == ReportStatus.SUBMITTED and not report.number
    assert 'data-action="confirm-approve"' in page and 'name="number" value="9"' in page
    client.post(
        reverse("reports:approve", args=[report.pk]),
        {"number": "9", "issue_date": "2023-03-20", "confirm_unfinished": "1"},
    )
    report.refresh_from_db()
    assert (report.status, report.number) == (ReportStatus.APPROVED, "09")
    assert "unfinished_sections" in history(report).filter(action=AuditEntry.Action.TRANSITION).first().changes


def test_a_finished_report_is_submitted_without_asking(client, officer, agency):
    from cchc.reports.checks import unfinished_sections

    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    for item in unfinished_sections(report):
        section = item.section
        services.save_section(section, "Đã thực hiện theo kế hoạch.", section.version, officer)
    assert unfinished_sections(report) == []
    client.force_login(officer)
    response = client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert response.status_code == 302 and report.status == ReportStatus.SUBMITTED


# --- the signature block -------------------------------------------------------------------------------------------


def _signature_lines(docx: bytes) -> list[str]:
    table = open_docx(io.BytesIO(docx)).tables[-1]
    return [p.text for p in table.cell(0, 1).paragraphs if p.text.strip()]


def test_approved_report_is_signed_by_the_approving_leader(agency, officer, leader):
    from cchc.agencies.models import Membership

    Membership.objects.filter(user=leader).update(position="Giám đốc")
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    assert _signature_lines(build_docx(report)) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]  # the draft: no name yet
    services.submit(report, officer, keep_pdf=False)
    services.approve(report, leader, number="3", keep_pdf=False)
    report.refresh_from_db()
    # The director signs himself: no "KT." line; his name under his position.
    assert _signature_lines(bytes(report.frozen_version.docx)) == ["GIÁM ĐỐC", "Nguyễn Văn An"]
    assert (report.signer_name, report.signer_title) == ("Nguyễn Văn An", "Giám đốc")


def test_the_signer_chosen_on_the_details_form_signs_draft_and_approved(client, agency, officer, leader, deputy):
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    client.force_login(officer)
    page = _text(client.get(reverse("reports:detail", args=[report.pk])))
    assert f'<option value="{deputy.pk}">Trần Thị Bình</option>' in page
    assert f'<option value="{officer.pk}"' not in page  # only leaders sign
    details = {"title": report.title, "signing_form": "KT.", "signing_authority": "Giám đốc", "signer": deputy.pk}
    assert client.post(reverse("reports:details", args=[report.pk]), details).status_code == 302
    report.refresh_from_db()
    assert report.signer == deputy
    assert _signature_lines(build_docx(report)) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Bình"]

    services.submit(report, officer, keep_pdf=False)
    services.approve(report, leader, number="4", keep_pdf=False)
    report.refresh_from_db()
    assert _signature_lines(bytes(report.frozen_version.docx)) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Bình"]


def test_a_non_leader_cannot_be_chosen_to_sign(client, agency, officer):
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", officer)
    client.force_login(officer)
    details = {"title": report.title, "signing_form": "KT.", "signer": officer.pk}
    client.post(reverse("reports:details", args=[report.pk]), details)
    report.refresh_from_db()
    assert report.signer is None
    with pytest.raises(Exception, match="lãnh đạo"):
        services.update_report(report, officer, signer=officer)
