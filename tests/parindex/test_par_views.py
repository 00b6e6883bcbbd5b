"""The pages: an agency sees only its own sheet, appraisers only their province's; forms refuse what the services
refuse; a stale form is refused with its message; evidence from another agency's records cannot be attached."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc.parindex import scores, sheets
from cchc.parindex.models import Evidence, Phase
from cchc.parindex.workflow import Move

D = Decimal


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lock(sheet, users, score_of):
    for code, value in (("1.1", "2"), ("1.2", "1"), ("2.1", "3")):
        row = score_of(sheet, code)
        reason = "Đúng hồ sơ" if row.proposed_points is not None and row.proposed_points != D(value) else ""
        scores.save_self(row, users["officer"], points=D(value), note="Có tài liệu lưu", override_reason=reason)
    return sheets.move(sheet, users["officer"], Move.LOCK_SELF)


def test_the_agency_reads_its_sheet_with_the_proposals_and_their_sources(sheet, score_of, province_world):
    client = client_for(province_world["users"]["officer"])
    page = client.get(reverse("parindex:sheet", args=[sheet.pk])).content.decode()
    assert 'data-code="1.1" data-proposed="1"' in page and 'data-code="1.2" data-proposed' not in page
    assert "cchc đề xuất điểm cho 2 tiêu chí" in page
    score = client.get(reverse("parindex:score", args=[score_of(sheet, "1.1").pk])).content.decode()
    assert "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022" in score and "Kế hoạch CCHC năm 2023 ban hành" in score
    assert 'id="self-form"' in score and "Lấy điểm cchc đề xuất" in score
    manual = client.get(reverse("parindex:score", args=[score_of(sheet, "1.2").pk])).content.decode()
    assert "Lấy điểm cchc đề xuất" not in manual


@pytest.mark.parametrize("who", ["foreign", "foreign_lead"])
def test_another_province_gets_404_for_the_sheet_and_its_items(sheet, score_of, province_world, who):
    client = client_for(province_world["users"][who])
    row = score_of(sheet, "1.2")
    urls = [reverse("parindex:sheet", args=[sheet.pk]), reverse("parindex:score", args=[row.pk]),
            reverse("parindex:sheet_xlsx", args=[sheet.pk]), reverse("parindex:framework", args=[sheet.framework_id]),
            reverse("parindex:sheet_report", args=[sheet.pk, "docx"])]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("parindex:score_self", args=[row.pk]), {"points": "1", "version": 1}).status_code == 404


def test_another_agency_of_the_province_does_not_see_a_sheet_being_drafted(sheet, province_world, score_of):
    justice = client_for(province_world["users"]["justice"])
    assert justice.get(reverse("parindex:sheet", args=[sheet.pk])).status_code == 404
    lock(sheet, province_world["users"], score_of)
    # Once locked, the Sở Tư pháp (appraiser of field 2) reads it, and may appraise only its own item.
    assert justice.get(reverse("parindex:sheet", args=[sheet.pk])).status_code == 200
    sheets.move(sheet, province_world["users"]["lead"], Move.START_ROUND1)
    mine, theirs = score_of(sheet, "2.1"), score_of(sheet, "1.2")
    assert 'id="appraise-form"' in justice.get(reverse("parindex:score", args=[mine.pk])).content.decode()
    assert 'id="appraise-form"' not in justice.get(reverse("parindex:score", args=[theirs.pk])).content.decode()
    refused = justice.post(reverse("parindex:score_appraise", args=[theirs.pk]), {"points": "0", "version": 1})
    assert refused.status_code == 403


def test_the_home_affairs_reads_every_sheet_of_its_province(sheet, province_world):
    client = client_for(province_world["users"]["lead"])
    assert client.get(reverse("parindex:sheet", args=[sheet.pk])).status_code == 200
    home = client.get(reverse("parindex:index")).content.decode()
    assert 'data-agency="SKHCN"' in home


def test_a_viewer_reads_but_every_form_is_403(sheet, score_of, province_world):
    client = client_for(province_world["users"]["viewer"])
    row = score_of(sheet, "1.2")
    assert client.get(reverse("parindex:sheet", args=[sheet.pk])).status_code == 200
    for url, data in ((reverse("parindex:score_self", args=[row.pk]), {"points": "1", "version": row.version}),
                      (reverse("parindex:evidence_add", args=[row.pk]), {"kind": "link", "title": "x",
                                                                         "url": "https://vi-du.gov.vn"}),
                      (reverse("parindex:sheet_move", args=[sheet.pk, "lock_self"]), {}),
                      (reverse("parindex:sheet_assign", args=[sheet.pk]), {})):  # fmt: skip
        assert client.post(url, data).status_code == 403, url
    assert score_of(sheet, "1.2").self_points is None


def test_saving_from_the_page_and_a_stale_page_is_refused(sheet, score_of, province_world):
    users = province_world["users"]
    row = score_of(sheet, "1.2")
    first, second = client_for(users["officer"]), client_for(users["officer2"])
    url = reverse("parindex:score_self", args=[row.pk])
    saved = second.post(url, {"points": "1", "note": "Đã kiểm tra 03 đơn vị", "version": row.version})
    assert saved.status_code == 302
    stale = first.post(url, {"points": "0.5", "note": "Bản mở trước", "version": row.version})
    body = stale.content.decode()
    assert stale.status_code == 200 and "vừa được skhcn.chuyenvien2 cập nhật" in body and "tải lại trang" in body
    assert score_of(sheet, "1.2").self_note == "Đã kiểm tra 03 đơn vị"


def test_an_override_without_a_reason_is_shown_on_the_form(sheet, score_of, province_world):
    row = score_of(sheet, "2.1")
    client = client_for(province_world["users"]["officer"])
    client.get(reverse("parindex:sheet", args=[sheet.pk]))  # computes the proposals
    row.refresh_from_db()
    response = client.post(reverse("parindex:score_self", args=[row.pk]), {"points": "4", "version": row.version})
    assert response.status_code == 200 and "vui lòng ghi lý do" in response.content.decode()
    accepted = client.post(reverse("parindex:score_self", args=[row.pk]), {"accept": "on", "version": row.version})
    assert accepted.status_code == 302 and score_of(sheet, "2.1").self_points == D("3.00")


def test_evidence_file_link_and_cchc_object(sheet, score_of, province_world, settings, tmp_path):
    from cchc.documents.models import Document, Register

    settings.MEDIA_ROOT = tmp_path
    science, justice = province_world["science"], province_world["justice"]
    mine = Document.objects.create(agency=science, register=Register.objects.create(agency=science, name="Sổ đi"),
                                   kind="KH", number="64", symbol="KH-SKHCN", excerpt="Kế hoạch CCHC năm 2023",
                                   issue_date="2022-12-30", year=2022)  # fmt: skip
    theirs = Document.objects.create(agency=justice, register=Register.objects.create(agency=justice, name="Sổ"),
                                     kind="KH", number="9", symbol="KH-STP", excerpt="Kế hoạch của Sở Tư pháp",
                                     issue_date="2023-01-05", year=2023)  # fmt: skip
    row = score_of(sheet, "1.2")
    client = client_for(province_world["users"]["officer"])
    url = reverse("parindex:evidence_add", args=[row.pk])
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    assert client.post(url, {"kind": "file", "title": "Biên bản kiểm tra", "file": upload}).status_code == 302
    assert client.post(url, {"kind": "object", "ref": f"documents.document:{mine.pk}"}).status_code == 302
    refused = client.post(url, {"kind": "object", "ref": f"documents.document:{theirs.pk}"})
    assert refused.status_code == 200 and "Kế hoạch của Sở Tư pháp" not in refused.content.decode()
    bad = client.post(url, {"kind": "file", "title": "Virus", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 200 and "Chỉ nhận tệp" in bad.content.decode()
    titles = list(Evidence.objects.filter(score=row).values_list("title", "kind"))
    assert titles == [("Biên bản kiểm tra", "file"), ("Kế hoạch 64/KH-SKHCN ngày 30/12/2022: Kế hoạch CCHC năm 2023",
                                                      "object")]  # fmt: skip
    file_evidence = Evidence.objects.get(score=row, kind="file")
    download = client.get(reverse("parindex:evidence_file", args=[file_evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 bien ban"
    foreign = client_for(province_world["users"]["foreign"])
    assert foreign.get(reverse("parindex:evidence_file", args=[file_evidence.pk])).status_code == 404


def test_attaching_the_proposals_sources_in_one_click(sheet, score_of, province_world):
    client = client_for(province_world["users"]["officer"])
    client.get(reverse("parindex:sheet", args=[sheet.pk]))
    row = score_of(sheet, "1.1")
    assert client.post(reverse("parindex:evidence_add", args=[row.pk]), {"nguon": "1"}).status_code == 302
    attached = Evidence.objects.get(score=row)
    assert (attached.ref_model, attached.ref_pk, attached.title) == (
        "plans.plan",
        1,
        "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022",
    )
    client.post(reverse("parindex:evidence_add", args=[row.pk]), {"nguon": "1"})
    assert Evidence.objects.filter(score=row).count() == 1


def test_moves_from_the_page(sheet, score_of, province_world):
    users = province_world["users"]
    officer = client_for(users["officer"])
    refused = officer.post(reverse("parindex:sheet_move", args=[sheet.pk, "lock_self"]), follow=True)
    assert "Chưa tự chấm các mục" in refused.content.decode()
    assert officer.post(reverse("parindex:sheet_move", args=[sheet.pk, "start_round1"])).status_code == 403
    assert officer.post(reverse("parindex:sheet_move", args=[sheet.pk, "no_such_move"])).status_code == 404
    lock(sheet, users, score_of)
    lead = client_for(users["lead"])
    page = lead.get(reverse("parindex:sheet", args=[sheet.pk])).content.decode()
    assert 'data-move="start_round1"' in page and 'data-move="reopen_self"' in page
    lead.post(reverse("parindex:sheet_move", args=[sheet.pk, "start_round1"]))
    sheet.refresh_from_db()
    assert sheet.phase == Phase.ROUND1
    timeline = lead.get(reverse("parindex:sheet", args=[sheet.pk])).content.decode()
    assert "Bắt đầu thẩm định lần 1" in timeline and "Khóa tự chấm, gửi thẩm định" in timeline


def test_assigning_items_from_the_page(sheet, score_of, province_world):
    users = province_world["users"]
    row = score_of(sheet, "1.2")
    admin = client_for(users["admin"])
    assert admin.get(reverse("parindex:sheet_assign", args=[sheet.pk])).status_code == 200
    assert admin.post(reverse("parindex:sheet_assign", args=[sheet.pk]),
                      {f"nguoi-{row.pk}": users["officer2"].pk}).status_code == 302  # fmt: skip
    assert score_of(sheet, "1.2").assignee == users["officer2"]
    outsider = admin.post(reverse("parindex:sheet_assign", args=[sheet.pk]), {f"nguoi-{row.pk}": users["justice"].pk})
    assert outsider.status_code == 302 and score_of(sheet, "1.2").assignee == users["officer2"]
    assert client_for(users["officer"]).get(reverse("parindex:sheet_assign", args=[sheet.pk])).status_code == 403


def test_the_framework_pages_edit_only_for_the_home_affairs(tiny, province_world):
    item = tiny.items.get(code="1.2")
    officer = client_for(province_world["users"]["officer"])
    assert officer.get(reverse("parindex:item", args=[item.pk])).status_code == 200
    assert 'id="item-form"' not in officer.get(reverse("parindex:item", args=[item.pk])).content.decode()
    assert officer.post(reverse("parindex:item", args=[item.pk]), {"title": "x"}).status_code == 403
    lead = client_for(province_world["users"]["lead"])
    assert 'id="item-form"' in lead.get(reverse("parindex:item", args=[item.pk])).content.decode()
    data = {"code": "1.2", "title": "Kiểm tra công tác CCHC", "max_points": "1", "rule": "tiers",
            "rule_params": "100%: 2", "appraiser_role": "home_affairs"}  # fmt: skip
    bad = lead.post(reverse("parindex:item", args=[item.pk]), data)
    assert bad.status_code == 200 and "phải từ 0 đến điểm tối đa 1" in bad.content.decode()
    data["rule_params"] = "100%: 1; 50%: 0,5"
    assert lead.post(reverse("parindex:item", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert item.rule_params == {"tiers": [["1", "1"], ["0.5", "0.5"]]}
    tiers = lead.post(reverse("parindex:framework_tiers", args=[tiny.pk]), {"tiers": "Tốt: 80\nKhá: 90"})
    assert tiers.status_code == 200 and "phải thấp hơn ngưỡng của mức trên" in tiers.content.decode()


def test_import_and_copy_from_the_pages(tiny, province_world):
    from cchc.parindex.io import framework_xlsx

    lead = client_for(province_world["users"]["lead"])
    data = framework_xlsx.export_framework(tiny)
    upload = SimpleUploadedFile("bo-tieu-chi.xlsx", data)
    response = lead.post(
        reverse("parindex:framework_import"),
        {"province": province_world["province"].pk, "year": 2025, "group": "departments", "file": upload},
    )
    assert response.status_code == 302
    copied = lead.post(
        reverse("parindex:framework_copy", args=[tiny.pk]), {"year": 2024, "province": province_world["province"].pk}
    )
    assert copied.status_code == 302
    from cchc.parindex.models import Framework

    assert sorted(Framework.objects.values_list("year", flat=True)) == [2023, 2024, 2025]
    officer = client_for(province_world["users"]["officer"])
    assert officer.get(reverse("parindex:framework_import")).status_code == 403


def test_ranking_shows_the_lead_everyone_and_an_agency_its_own_and_published_results(sheet, tiny, score_of,
                                                                                      province_world):  # fmt: skip
    users = province_world["users"]
    other = sheets.open_sheet(tiny, province_world["justice"], users["lead"])
    lead = client_for(users["lead"])
    page = lead.get(reverse("parindex:ranking", args=[tiny.pk])).content.decode()
    assert 'data-agency="SKHCN"' in page and 'data-agency="STP"' in page
    officer = client_for(users["officer"])
    own = officer.get(reverse("parindex:ranking", args=[tiny.pk])).content.decode()
    assert 'data-agency="SKHCN"' in own and 'data-agency="STP"' not in own
    other.phase = Phase.FINAL
    other.save()
    published = officer.get(reverse("parindex:ranking", args=[tiny.pk])).content.decode()
    assert 'data-agency="STP"' in published
    assert reverse("parindex:sheet", args=[other.pk]) not in published
    xlsx = lead.get(reverse("parindex:ranking_xlsx", args=[tiny.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('ket-qua-tham-dinh-2023.xlsx"')
