"""End to end in headless Chromium, under the real Content-Security-Policy: a ministry's aggregator uploads two reports
of the corpus at once (the 2023 reports of the Sở KH&CN of Ninh Thuận and Phú Yên, two provinces merged in 2025),
follows their reading on the job's page, opens each review, sees the figures under their Vietnamese labels with the
source sentence marked in the text, corrects a figure, and confirms each under the agency proposed from the report
(never choosing it by hand). Screenshots of the review page go to /tmp/cchc-review-*.png."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

PASSWORD = "mat-khau-thu-nghiem"
CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "reports"
NINH_THUAN = CORPUS / "ninhthuan-skhcn-2023-6t-cchc.docx"
PHU_YEN = CORPUS / "phuyen-skhcn-2023-cchc-nam.docx"
SHOTS = Path("/tmp")

pytestmark = [pytest.mark.browser]

# Collects every violation of the Content-Security-Policy the browser reports.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def ministry(transactional_db):
    """The ministry collects four Sở Khoa học và Công nghệ, all of the same name: Ninh Thuận and Phú Yên until
    30/6/2025, Khánh Hòa and Đắk Lắk (their successors) from 01/7/2025."""
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province
    from cchc.aggregation.models import AggregationGroup

    merged, new_map = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    name = "Sở Khoa học và Công nghệ"
    codes = (("H58", "Ninh Thuận"), ("H54", "Phú Yên"), ("H56", "Khánh Hòa"), ("H66", "Đắk Lắk"))
    provinces = {p: Province.objects.create(code=c, name=p) for c, p in codes}
    khanh_hoa = Agency.objects.create(province=provinces["Khánh Hòa"], code="SKHCN", name=name, valid_from=new_map)
    dak_lak = Agency.objects.create(province=provinces["Đắk Lắk"], code="SKHCN", name=name, valid_from=new_map)
    ninh_thuan = Agency.objects.create(province=provinces["Ninh Thuận"], code="SKHCN", name=name, valid_to=merged,
                                       successor=khanh_hoa)  # fmt: skip
    phu_yen = Agency.objects.create(province=provinces["Phú Yên"], code="SKHCN", name=name, valid_to=merged,
                                    successor=dak_lak)  # fmt: skip
    office = Agency.objects.create(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind=Agency.Kind.MINISTRY)
    AggregationGroup.objects.create(aggregator=office, name="Các Sở KH&CN").members.set(
        [ninh_thuan, phu_yen, khanh_hoa, dak_lak]
    )
    user = get_user_model().objects.create_user(username="bo.tonghop", password=PASSWORD, first_name="Huy")
    Membership.objects.create(user=user, agency=office, role="aggregator")
    return {"ninh_thuan": ninh_thuan, "phu_yen": phu_yen, "khanh_hoa": khanh_hoa}


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"cchc-review-{name}.png"), full_page=True)


def test_upload_two_reports_correct_a_figure_and_confirm_each_under_the_proposed_agency(page, login, ministry):
    from cchc.aggregation.models import ImportedReport, ImportStatus, ReportedFigure
    from cchc.jobs.worker import run_ready_in_process

    page.add_init_script(WATCH)
    page.set_viewport_size({"width": 1440, "height": 1000})
    login("bo.tonghop")
    page.goto("/tong-hop/nhap-bao-cao/")
    expect(page.locator("#agency option:checked")).to_have_text("Nhận ra từ nội dung từng báo cáo (đề xuất)")
    page.set_input_files("#files", [str(NINH_THUAN), str(PHU_YEN)])
    page.locator("#upload-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cong-viec/\d+/$"))
    expect(page.locator("#upload-results li[data-state=waiting]")).to_have_count(2)
    assert run_ready_in_process() == 1  # the worker's turn (in this process: the live server shares the database)
    expect(page.locator("#upload-results li[data-state=read]")).to_have_count(2, timeout=20_000)  # the page polls
    expect(page.locator("#job-counts")).to_contain_text("2 / 2")
    job_url = page.url

    # Ninh Thuận: the agency valid in 2023 proposed, its successor named; the figures under their labels.
    page.locator("#upload-results li", has_text=NINH_THUAN.name).get_by_role("link", name="Rà soát").click()
    page.wait_for_selector("#review-figures")
    expect(page.locator("#agency option:checked")).to_have_text(
        "Sở Khoa học và Công nghệ – Ninh Thuận (đến 30/06/2025)"
    )
    expect(page.locator("#agency-proposal")).to_contain_text("Đề xuất")
    expect(page.locator("#agency-successor")).to_contain_text("Sở Khoa học và Công nghệ – Khánh Hòa")
    expect(page.locator("#period option:checked")).to_have_text("6 tháng đầu năm 2023")
    figures = page.locator("#review-figures")
    expect(figures).to_contain_text("Tổng số hồ sơ tiếp nhận trong kỳ")
    expect(figures).to_contain_text("Số hồ sơ kỳ trước chuyển sang")
    assert "dossiers_" not in figures.inner_text() and "procedures_" not in figures.inner_text()
    received = page.locator("tr[data-key=dossiers_received]")
    expect(received.locator("input.figure-input")).to_have_value("42")
    # Its source sentence, marked in the document's text, comes into view from the figure's row.
    received.get_by_role("link", name="Câu nguồn").click()
    anchor = received.get_attribute("data-anchor")
    mark = page.locator(f"mark#{anchor}")
    expect(mark).to_have_class(re.compile(r"is-current"))
    expect(mark).to_contain_text("Sở đã tiếp nhận 42 hồ sơ")
    expect(mark).to_be_in_viewport()
    page.wait_for_timeout(600)  # the smooth scroll ends
    page.screenshot(path=str(SHOTS / "cchc-review-view.png"))  # what the officer sees, not the whole page
    _shot(page, "source")

    # A wrong value is refused in words and kept as typed; the right one goes through.
    received.locator("input.figure-input").fill("42,5")
    page.click("#confirm-import")
    expect(page.locator("[data-form-errors]")).to_contain_text("Chưa có gì được lưu")
    received = page.locator("tr[data-key=dossiers_received]")
    expect(received.locator("input.figure-input")).to_have_value("42,5")
    expect(page.locator("#loi-dossiers_received")).to_contain_text("phải là số nguyên không âm")
    _shot(page, "error")
    received.locator("input.figure-input").fill("1.042")
    page.click("#add-figure-row")
    added = page.locator("#figure-additions tr.figure-new").last
    added.locator("select").select_option(label="Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn (%)")
    added.locator("input").fill("100")
    _shot(page, "edited")
    page.click("#confirm-import")
    expect(page.locator("#import-result")).to_contain_text("số liệu")
    expect(page.locator("tr[data-key=dossiers_received] .figure-value")).to_have_text("1.042")

    # Phú Yên: confirmed as proposed, nothing chosen by hand.
    page.goto(job_url)
    page.locator("#upload-results li", has_text=PHU_YEN.name).get_by_role("link", name="Rà soát").click()
    page.wait_for_selector("#review-figures")
    expect(page.locator("#agency option:checked")).to_have_text("Sở Khoa học và Công nghệ – Phú Yên (đến 30/06/2025)")
    expect(page.locator("#period option:checked")).to_have_text("Năm 2023")
    _shot(page, "second")
    page.click("#confirm-import")
    expect(page.locator("#import-result")).to_contain_text("số liệu")

    assert page.evaluate("window.__cspViolations") == []
    by_agency = {row.agency_id: row for row in ImportedReport.objects.all()}
    assert by_agency[ministry["ninh_thuan"].pk].status == ImportStatus.CONFIRMED
    assert by_agency[ministry["phu_yen"].pk].status == ImportStatus.CONFIRMED
    stored = {
        f.key: f.value for f in ReportedFigure.objects.filter(agency=ministry["ninh_thuan"], period_key="2023-H1")
    }
    assert stored["dossiers_received"] == 1042 and stored["on_time_rate_pct"] == 100
    assert ReportedFigure.objects.filter(agency=ministry["phu_yen"], period_key="2023").exists()
