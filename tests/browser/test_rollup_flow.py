"""End to end in headless Chromium: the province's aggregator (Sở Nội vụ) uploads the demo's Bà Rịa - Vũng Tàu
quarterly report (.docx, shipped in src/cchc/demo/samples) for a member that does not use cchc, checks a figure beside
its source sentence on the review page, confirms, then finds the reported figure (74 dossiers received) marked as
reported in the 2023-Q1 roll-up next to the computed row of the member that uses cchc, and downloads the table as
.xlsx with the 74 in it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from cchc.demo.ministry import SAMPLE_REPORTS

PASSWORD = "mat-khau-thu-nghiem"
SAMPLE = str(SAMPLE_REPORTS / "bariavungtau-skhcn-2023-q1-cchc.docx")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = [pytest.mark.browser]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def province_desk(transactional_db):
    """Sở Nội vụ aggregates the province; Sở KH&CN keeps its dossiers in cchc (three in 2023-Q1, two resolved);
    Sở Tư pháp does not use cchc."""
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province
    from cchc.dossiers.models import Dossier
    from cchc.procedures.models import Field, Procedure

    province = Province.objects.create(code="H77", name="Bà Rịa - Vũng Tàu")
    home_affairs = Agency.objects.create(province=province, code="SNV", name="Sở Nội vụ")
    science = Agency.objects.create(province=province, code="SKHCN", name="Sở Khoa học và Công nghệ")
    justice = Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")
    user = get_user_model().objects.create_user(username="tonghop", password=PASSWORD, first_name="Lan")
    Membership.objects.create(user=user, agency=home_affairs, role="aggregator")
    field = Field.objects.create(name="Hoạt động khoa học và công nghệ")
    procedure = Procedure.objects.create(
        agency=science, code="1.004444", name="Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
        field=field, processing_time=Decimal("10"), online_service="full", effective_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    rows = [
        ("B1", dt.date(2023, 1, 5), 2, dt.date(2023, 1, 20), dt.date(2023, 1, 10)),
        ("B2", dt.date(2023, 2, 1), 1, dt.date(2023, 2, 10), dt.date(2023, 2, 9)),
        ("B3", dt.date(2023, 3, 1), 1, dt.date(2023, 3, 30), None),
    ]
    for code, received, channel, due, ended in rows:
        Dossier.objects.create(
            agency=science, procedure=procedure, code=code, applicant_name=f"Chủ hồ sơ {code}", channel=channel,
            received_at=_at(received), received_on=received, due_at=_at(due, 17), due_date=due,
            status="resolved" if ended else "in_process", ended_at=_at(ended, 10) if ended else None,
            ended_on=ended, outcome="resolved" if ended else "",
        )  # fmt: skip
    return {"aggregator": home_affairs, "science": science, "justice": justice}


def test_upload_review_confirm_and_see_the_reported_figure_in_the_rollup_and_its_xlsx(page, login, province_desk):
    justice = province_desk["justice"]
    login("tonghop")

    page.goto("/tong-hop/nhap-bao-cao/")
    page.wait_for_selector("#upload-form")
    page.select_option("#agency", value=str(justice.pk))
    page.set_input_files("#files", SAMPLE)
    page.locator("#upload-form button[type=submit]").click()  # one file: read at once, its review opens

    page.wait_for_selector("#review-figures")
    figure = page.locator("#review-figures tr[data-key=dossiers_received]")
    expect(figure.locator("input.figure-input")).to_have_value("74")
    anchor = figure.get_attribute("data-anchor")
    expect(page.locator(f"mark#{anchor}")).to_contain_text("đã tiếp nhận 74 hồ sơ")  # the sentence it was read from
    expect(page.locator("#period")).to_have_value("2023-Q1")
    expect(page.locator("#agency option:checked")).to_have_text(f"Sở Tư pháp – {justice.province.name}")
    page.click("#confirm-import")
    expect(page.locator("#import-result")).to_contain_text("số liệu")
    expect(page.locator("#review-form")).to_have_count(0)

    page.goto("/tong-hop/?ky=2023-Q1")
    page.wait_for_selector("#rollup-table")
    reported = page.locator("#rollup-table tr[data-agency=STP]")
    expect(reported).to_have_attribute("data-source", "reported")
    received_column = 3  # TT, Cơ quan, Số TTHC, TTHC trực tuyến, Hồ sơ tiếp nhận
    expect(reported.locator("td").nth(received_column + 1)).to_have_text("74")
    expect(reported.locator("td").nth(received_column + 1)).to_have_attribute("data-cell", "reported")
    expect(reported).to_contain_text("Theo báo cáo")
    expect(reported).to_contain_text("Đã gửi")  # the imported report counts as its submission
    computed = page.locator("#rollup-table tr[data-agency=SKHCN]")
    expect(computed).to_have_attribute("data-source", "computed")
    expect(computed.locator("td").nth(received_column + 1)).to_have_text("3")
    expect(computed).to_contain_text("Tính từ cchc")
    expect(page.locator("#rollup-totals")).to_contain_text("77")  # 74 reported + 3 computed

    with page.expect_download() as info:
        page.click("#rollup-xlsx")
    download = info.value
    assert download.suggested_filename == "tong-hop-snv-2023-Q1.xlsx"
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    justice_row = next(row for row in rows if "Sở Tư pháp" in row)
    science_row = next(row for row in rows if "Sở Khoa học và Công nghệ" in row)
    assert 74 in justice_row and "Theo báo cáo" in justice_row
    assert 3 in science_row and "Tính từ cchc" in science_row
