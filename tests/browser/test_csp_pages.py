"""Under the real Content-Security-Policy, in headless Chromium: the dashboard chart draws, htmx swaps the dashboard
and the procedure search, the outline editor adds a row, the admin opens; the browser reports no violation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

PASSWORD = "mat-khau-thu-nghiem"

pytestmark = [pytest.mark.browser]

# Collects every violation the browser reports, from the first script on.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


@pytest.fixture
def office(transactional_db):
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province
    from cchc.procedures.models import Field, Procedure
    from cchc.reports import services
    from cchc.reports.templates_registry import get_template

    province = Province.objects.create(code="H45", name="Quảng Trị")
    agency = Agency.objects.create(
        province=province, code="SKHCN", name="Sở Khoa học và Công nghệ", electronic_id="000.00.12.H45"
    )
    users = get_user_model().objects
    officer = users.create_user(username="chuyenvien", password=PASSWORD)
    Membership.objects.create(user=officer, agency=agency, role="officer")
    admin = users.create_user(username="quantri", password=PASSWORD, is_staff=True, is_superuser=True)
    Membership.objects.create(user=admin, agency=agency, role="admin")
    field = Field.objects.create(name="Hoạt động khoa học và công nghệ")
    for n, name in enumerate(["Cấp giấy phép tiến hành công việc bức xạ", "Đăng ký kết quả nhiệm vụ khoa học"]):
        Procedure.objects.create(
            agency=agency,
            code=f"1.00{n}",
            name=name,
            field=field,
            processing_time=Decimal("10"),
            online_service="full",
            effective_from=dt.date(2020, 1, 1),
        )
    template = services.copy_template(get_template("focal-tasks"), agency, admin)
    return {"template": template}


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH)
    errors: list[str] = []

    def on_console(message) -> None:
        # Chromium asks for /favicon.ico by itself on pages without an icon link (the Django admin's).
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_pages_work_under_the_policy(watched, login, office):
    page, errors = watched
    login("chuyenvien")
    # Dashboard: the chart is drawn by our script from the json_script data.
    page.goto("/")
    expect(page.locator("canvas[data-chart]")).to_have_attribute("data-ready", "1")
    assert violations(page) == []
    # Choosing a period reloads the dashboard through htmx (no trigger filter is evaluated).
    options = page.locator("select#ky option")
    target = options.nth(1).get_attribute("value")
    page.select_option("select#ky", target)
    page.wait_for_url(f"**ky={target}**")
    expect(page.locator("select#ky")).to_have_value(target)
    expect(page.locator("canvas[data-chart]")).to_have_attribute("data-ready", "1")
    assert violations(page) == []
    # Procedure search through htmx.
    page.goto("/thu-tuc/")
    page.fill("input[name=q]", "buc xa")
    expect(page.locator("main")).not_to_contain_text("Đăng ký kết quả nhiệm vụ khoa học")
    expect(page.locator("main")).to_contain_text("Cấp giấy phép tiến hành công việc bức xạ")
    assert violations(page) == []
    assert not errors, errors


def test_outline_editor_and_admin_under_the_policy(watched, login, office):
    page, errors = watched
    login("quantri")
    page.goto(f"/bao-cao/mau/{office['template'].pk}/dan-y/")
    rows = page.locator("#outline-rows > *")
    before = rows.count()
    page.click("#add-row")
    expect(rows).to_have_count(before + 1)
    expect(page.locator("#id_muc-TOTAL_FORMS")).to_have_value(str(before + 1))
    page.goto("/admin/auth/user/")
    expect(page.locator("#result_list")).to_contain_text("chuyenvien")
    assert violations(page) == []
    assert not errors, errors
