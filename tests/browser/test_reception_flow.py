"""In headless Chromium, under the real Content-Security-Policy, from the keyboard alone: a desk clerk types
"dang ky" in the procedure picker, chooses with the arrow keys and Enter, ticks the components handed in, sees the fee
prefilled, types the applicant and receives; a missing mandatory component is refused first."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

PASSWORD = "mat-khau-thu-nghiem"

pytestmark = [pytest.mark.browser]

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def desk(transactional_db):
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province
    from cchc.procedures.models import Component, Fee, Field, Procedure

    province = Province.objects.create(code="H45", name="Quảng Trị")
    agency = Agency.objects.create(
        province=province, code="SKHCN", name="Sở Khoa học và Công nghệ", electronic_id="000.00.12.H45"
    )
    field = Field.objects.create(name="Hoạt động khoa học và công nghệ")
    made = {}
    for code, name in [
        ("1.000100", "Cấp giấy phép tiến hành công việc bức xạ"),
        ("1.000200", "Đăng ký hoạt động lần đầu cho tổ chức khoa học và công nghệ"),
        ("1.000300", "Đăng ký thay đổi nội dung giấy chứng nhận"),
    ]:
        made[code] = Procedure.objects.create(
            agency=agency,
            code=code,
            name=name,
            field=field,
            processing_time=Decimal(10),
            effective_from=dt.date(2020, 1, 1),
        )
    target = made["1.000200"]
    Component.objects.create(procedure=target, position=1, name="Đơn đăng ký hoạt động", originals=1)
    Component.objects.create(procedure=target, position=2, name="Điều lệ tổ chức", originals=1, copies=1)
    Component.objects.create(
        procedure=target, position=3, name="Giấy tờ về trụ sở", originals=0, copies=1, mandatory=False
    )
    Fee.objects.create(
        procedure=target, position=1, kind="le_phi", name="Lệ phí cấp giấy chứng nhận", amount=Decimal(1500000)
    )
    user = get_user_model().objects.create_user(username="motcua", password=PASSWORD)
    Membership.objects.create(user=user, agency=agency, role="one_stop")
    return target


def test_a_clerk_receives_from_the_keyboard_with_the_picker_and_the_checklist(page, login, desk):
    from cchc.dossiers.models import Dossier

    page.add_init_script(WATCH)
    login("motcua")
    page.goto("/ho-so/tiep-nhan/")
    picker = page.locator("#procedure-search")
    expect(picker).to_be_focused()  # the form opens on its first field
    page.keyboard.type("dang ky")
    options = page.locator("#procedure-options [role=option]")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("1.000200")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")  # chooses; does not submit
    expect(page.locator("#id_procedure")).to_have_value(str(desk.pk))
    rows = page.locator("#checklist-components tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#checklist-fees input[name$=_so_tien]")).to_have_value("1.500.000")

    # The focus moved to the checklist. Tick only the first component: the second is mandatory, so the desk refuses.
    expect(rows.nth(0).locator("input[type=checkbox]").first).to_be_focused()
    page.keyboard.press("Space")
    page.locator("#id_applicant_name").focus()
    page.keyboard.type("Nguyễn Thị Hoa")
    page.keyboard.press("Enter")  # Enter in a text field submits the form
    expect(page.locator("[data-form-errors]")).to_contain_text("Chưa đủ thành phần hồ sơ bắt buộc: “Điều lệ tổ chức”")
    assert Dossier.objects.count() == 0

    # Everything typed is still there; tick the second component from the keyboard and receive.
    expect(page.locator("#id_applicant_name")).to_have_value("Nguyễn Thị Hoa")
    expect(rows.nth(0).locator("input[type=checkbox]").first).to_be_checked()
    rows.nth(1).locator("input[type=checkbox]").first.focus()
    page.keyboard.press("Space")
    page.locator("#id_applicant_id_number").focus()
    page.keyboard.type("044190000123")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ho-so/\d+/$"))
    expect(page.locator(".alert--success")).to_contain_text("Đã tiếp nhận hồ sơ")
    dossier = Dossier.objects.get()
    assert dossier.procedure_id == desk.pk
    assert sorted(dossier.received_components.values_list("name", flat=True)) == [
        "Điều lệ tổ chức",
        "Đơn đăng ký hoạt động",
    ]
    assert dossier.fee_payments.get().amount == Decimal(1500000)
    assert page.evaluate("window.__cspViolations") == []
