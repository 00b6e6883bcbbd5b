"""In headless Chromium: the Sở Nội vụ's roll-up of 2025 flags each member's report (sent on time, sent 44 days
late, not sent and overdue), folds the Sở Thông tin và Truyền thông that ended on 30/06/2025 into its successor with
the parts named, and shows a column the report gave in parts added up with its note. Screenshots go to
$CCHC_SCREENSHOTS when it is set."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

PASSWORD = "mat-khau-thu-nghiem"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date

pytestmark = [pytest.mark.browser]


@pytest.fixture
def province_2025(transactional_db):
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province
    from cchc.aggregation.deadlines import install_defaults
    from cchc.aggregation.models import ReportedFigure, Submission
    from cchc.statistics.periods import parse_period

    province = Province.objects.create(code="H45", name="Quảng Trị")
    home = Agency.objects.create(province=province, code="SNV", name="Sở Nội vụ")
    science = Agency.objects.create(province=province, code="SKHCN", name="Sở Khoa học và Công nghệ")
    information = Agency.objects.create(province=province, code="STTTT", name="Sở Thông tin và Truyền thông",
                                        valid_to=D(2025, 6, 30), successor=science)  # fmt: skip
    justice = Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")
    finance = Agency.objects.create(province=province, code="STC", name="Sở Tài chính")
    Agency.objects.create(province=province, code="SDTTG", name="Sở Dân tộc và Tôn giáo", valid_from=D(2025, 3, 1))
    user = get_user_model().objects.create_user(username="tonghop", password=PASSWORD, first_name="Thắng")
    Membership.objects.create(user=user, agency=home, role="aggregator")
    install_defaults(home, None)  # the year 2025: cut-off Sunday 14/12/2025, due Tuesday 16/12/2025
    year = parse_period("2025")
    figures = {
        science: {"dossiers_received": 410, "dossiers_resolved": 398, "dossiers_early_or_on_time": 396,
                  "dossiers_late": 2, "dossiers_in_progress": 12, "procedures_total": 120},
        information: {"dossiers_received": 95, "dossiers_early": 60, "dossiers_on_time": 31, "dossiers_late": 1},
        justice: {"dossiers_received": 1302, "dossiers_resolved": 1290, "dossiers_early": 1201,
                  "dossiers_on_time": 85, "dossiers_late": 4, "procedures_total": 141},
        finance: {"dossiers_received": 233, "dossiers_resolved": 230, "dossiers_early_or_on_time": 230},
    }  # fmt: skip
    for agency, values in figures.items():
        for key, value in values.items():
            ReportedFigure.objects.create(agency=agency, period_key=year.key, period_start=year.start,
                                          period_end=year.end, key=key, value=Decimal(value),
                                          source_sha256=agency.code.ljust(64, "0"))  # fmt: skip
    for agency, day in ((science, D(2025, 12, 15)), (justice, D(2026, 1, 29)), (finance, D(2025, 12, 16))):
        Submission.objects.create(agency=agency, aggregator=home, source="imported", period_key=year.key,
                                  period_start=year.start, period_end=year.end,
                                  submitted_at=dt.datetime(day.year, day.month, day.day, 8, tzinfo=TZ))  # fmt: skip
    return home


def test_the_rollup_flags_late_and_missing_members_and_folds_the_merged_department(page, login, province_2025,
                                                                                   tmp_path):  # fmt: skip
    login("tonghop")
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto("/tong-hop/?ky=2025")
    page.wait_for_selector("#rollup-table")
    justice = page.locator("#rollup-table tr[data-agency=STP]")
    expect(justice.locator("td.rollup-status")).to_have_attribute("data-status", "late")
    expect(justice).to_contain_text("Gửi ngày 29/01/2026, hạn 16/12/2025: muộn 44 ngày")
    expect(justice).to_contain_text("= trước hạn 1.201 + đúng hạn 85 (báo cáo nêu riêng)")
    ethnic = page.locator("#rollup-table tr[data-agency=SDTTG]")
    expect(ethnic.locator("td.rollup-status")).to_have_attribute("data-status", "overdue")
    expect(ethnic).to_contain_text("Hoạt động từ 01/03/2025")
    science = page.locator("#rollup-table tr[data-agency=SKHCN]")
    expect(science).to_contain_text("Cộng cả số liệu của Sở Thông tin và Truyền thông (hoạt động đến 30/06/2025")
    expect(science).to_contain_text("Sở Thông tin và Truyền thông (đến 30/06/2025): 95")
    expect(page.locator("#rollup-table tr[data-agency=STTTT]")).to_have_count(0)
    expect(page.locator("#rollup-table tr[data-agency=STC] td.rollup-status")).to_have_attribute("data-status", "sent")
    expect(page.locator("#rollup-missing")).to_contain_text("Sở Dân tộc và Tôn giáo – Hạn 16/12/2025: quá hạn")
    expect(page.locator("#rollup-late")).to_contain_text("Sở Tư pháp – Gửi ngày 29/01/2026")
    shots = Path(os.environ.get("CCHC_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "tong-hop-2025.png"), full_page=True)
    # The table scrolls sideways inside its card: its right half (rates, source, report status) on its own.
    page.locator(".table-wrap").evaluate("(element) => { element.scrollLeft = element.scrollWidth; }")
    page.screenshot(path=str(shots / "tong-hop-2025-phai.png"), full_page=True)

    page.click("#rollup-deadlines")
    page.wait_for_selector("#deadline-table")
    expect(page.locator("#deadline-defaults-note")).to_contain_text("chưa được đối chiếu")
    expect(page.locator("#deadline-table")).to_contain_text("02 ngày làm việc sau ngày chốt số liệu")
    page.screenshot(path=str(shots / "han-gui-bao-cao.png"), full_page=True)
