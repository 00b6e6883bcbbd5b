"""On a phone (390 × 844) the dossier list and "Việc của tôi" are cards: code, applicant, procedure and the due date
with its colour and sign, and a 50-row page is a few thousand pixels long instead of the table's 14,780."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.utils import timezone

PASSWORD = "mat-khau-thu-nghiem"
PHONE = {"width": 390, "height": 844}
TABLE_HEIGHT = 14_780  # the 50-row list on a phone before (issue 9)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def desk(transactional_db):
    from django.contrib.auth import get_user_model

    from cchc import calendar
    from cchc.agencies.models import Agency, Membership, Province, Unit
    from cchc.dossiers.models import Dossier, search_text_for
    from cchc.dossiers.workflow.models import DossierStep
    from cchc.procedures.models import Field, Procedure

    province = Province.objects.create(code="H45", name="Quảng Trị")
    agency = Agency.objects.create(province=province, code="SKHCN", name="Sở Khoa học và Công nghệ",
                                   electronic_id="000.00.12.H45")  # fmt: skip
    unit = Unit.objects.create(agency=agency, name="Phòng Quản lý chuyên ngành")
    field = Field.objects.create(name="Năng lượng nguyên tử, an toàn bức xạ và hạt nhân")
    procedure = Procedure.objects.create(
        agency=agency, code="1.004444", field=field, processing_time=Decimal("10"), effective_from=dt.date(2020, 1, 1),
        name="Cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán trong y tế)",
    )  # fmt: skip
    user = get_user_model().objects.create_user(username="chuyenvien", password=PASSWORD, first_name="Hà")
    Membership.objects.create(user=user, agency=agency, role="officer", unit=unit)
    today = timezone.localdate()
    cal = calendar.calendar_for(province)
    rows = []
    for n in range(60):
        received = timezone.now() - dt.timedelta(days=20, hours=n)
        due_day = [today - dt.timedelta(days=2), cal.add_working_days(today, 1), cal.add_working_days(today, 9)][n % 3]
        code = f"000.00.12.H45-{received:%y%m%d}-{n:04d}"
        name = f"Nguyễn Thị Thanh Hương {n}"
        rows.append(Dossier(agency=agency, procedure=procedure, code=code, applicant_name=name, status="in_process",
                            search_text=search_text_for(code, name), received_at=received,
                            received_on=timezone.localdate(received), due_date=due_day,
                            due_at=timezone.make_aware(dt.datetime.combine(due_day, dt.time(17)))))  # fmt: skip
    dossiers = Dossier.objects.bulk_create(rows)
    DossierStep.objects.bulk_create(
        DossierStep(
            dossier=d,
            position=1,
            name="Thẩm định hồ sơ",
            role="officer",
            holder=user,
            state="active",
            duration=Decimal("3"),
            due_at=d.due_at,
        )  # fmt: skip
        for d in dossiers[:50]
    )
    return {"user": user}


def _phone(browser, live_server):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url,
                                  viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)  # fmt: skip
    context.set_default_timeout(15_000)
    return context


def _log_in(page) -> None:
    page.goto("/dang-nhap/")
    page.fill("input[name=username]", "chuyenvien")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def _card_checks(page, table: str, lines: int) -> None:
    first = page.locator(f"{table} tbody tr").first
    for cell in (".card-code", ".card-applicant", ".card-procedure", ".card-due"):
        assert first.locator(cell).is_visible(), cell
    assert first.locator(".card-code").inner_text().startswith("000.00.12.H45-")
    assert first.locator(".card-applicant").inner_text().startswith("Nguyễn Thị Thanh Hương")
    assert first.locator(".card-procedure").inner_text().startswith("1.004444")
    # The table's other columns and its header are not on the card.
    assert not page.locator(f"{table} thead").is_visible()
    for cell in first.locator(".col-received").all():
        assert not cell.is_visible()
    # Each due date has its colour and its sign; the word stays for screen readers.
    dues = page.locator(f"{table} .card-due .due[data-tone]")
    colours = set(dues.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)"))
    for due in dues.all()[:3]:
        assert due.inner_text().strip()[0] in "✓!✕"
        assert due.locator(".due__label").text_content()
    assert len(colours) == 3, colours
    # One card: the code, then the applicant and due date, then the procedure (and the step) a line each.
    box = first.bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] < 10 + 32 * lines, box


def test_the_list_on_a_phone_is_cards(browser, live_server, desk, tmp_path):
    context = _phone(browser, live_server)
    page = context.new_page()
    try:
        _log_in(page)
        page.goto("/ho-so/?status=in_process")
        assert page.locator("#dossier-table tbody tr").count() == 50
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"50-row list on a phone: {height} px")
        assert height < TABLE_HEIGHT / 2, height
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        _card_checks(page, "#dossier-table", lines=3)
        shot = os.environ.get("CCHC_SCREENSHOT_DIR") or str(tmp_path)
        page.locator("#dossier-results").scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(shot, "ho-so-dien-thoai.png"), full_page=False)
        page.screenshot(path=os.path.join(shot, "ho-so-dien-thoai-ca-trang.png"), full_page=True)

        page.goto("/viec-cua-toi/")
        assert page.locator("#work-table tbody tr").count() == 50
        assert page.evaluate("document.documentElement.scrollHeight") < TABLE_HEIGHT / 2
        _card_checks(page, "#work-table", lines=4)
        page.screenshot(path=os.path.join(shot, "viec-cua-toi-dien-thoai.png"), full_page=False)
    finally:
        context.close()


def test_the_list_on_a_desktop_stays_a_table(browser, live_server, desk):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _log_in(page)
        page.goto("/ho-so/")
        assert page.locator("#dossier-table thead").is_visible()
        assert page.locator("#dossier-table tbody tr").first.locator(".col-received").is_visible()
    finally:
        context.close()
