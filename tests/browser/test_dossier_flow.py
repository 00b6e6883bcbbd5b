"""End to end in headless Chromium: a one-stop officer receives a dossier, moves it to a unit, resolves it, and
sees the dashboard's "đã giải quyết" figure of the current quarter go up by one; the list finds the dossier."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

PASSWORD = "mat-khau-thu-nghiem"

pytestmark = [pytest.mark.browser]

RESOLVED_NOTE = re.compile(r"trên\s+([\d.]+)\s+hồ sơ đã giải quyết")


@pytest.fixture
def desk(transactional_db):
    """An agency with a unit, a procedure in force, a one-stop officer, and one dossier already resolved this
    quarter (so the figure starts above zero); a dossier of another agency that must not count."""
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province, Unit
    from cchc.dossiers import lifecycle
    from cchc.procedures.models import Field, Procedure

    province = Province.objects.create(code="H45", name="Quảng Trị")
    agency = Agency.objects.create(
        province=province, code="SKHCN", name="Sở Khoa học và Công nghệ", electronic_id="000.00.12.H45"
    )
    other = Agency.objects.create(province=province, code="SNV", name="Sở Nội vụ", electronic_id="000.00.05.H45")
    unit = Unit.objects.create(agency=agency, name="Phòng Quản lý chuyên ngành")
    field = Field.objects.create(name="Năng lượng nguyên tử, an toàn bức xạ và hạt nhân")
    procedures = {
        a: Procedure.objects.create(
            agency=a,
            code=code,
            name=name,
            field=field,
            processing_time=Decimal("10"),
            effective_from=dt.date(2020, 1, 1),
        )
        for a, code, name in [
            (agency, "1.004444", "Cấp giấy phép tiến hành công việc bức xạ"),
            (other, "2.000001", "Thủ tục của Sở Nội vụ"),
        ]
    }
    user = get_user_model().objects.create_user(username="motcua", password=PASSWORD, first_name="Lan")
    Membership.objects.create(user=user, agency=agency, role="one_stop")

    now = timezone.now()
    for owner in (agency, other):
        earlier = lifecycle.receive(
            agency=owner,
            procedure=procedures[owner],
            applicant_name="Hồ sơ đã giải quyết trước",
            channel=1,
            actor=None,
            received_at=now - dt.timedelta(days=3),
        )
        lifecycle.resolve(earlier, actor=None, at=now - dt.timedelta(days=2))
    return {"user": user, "unit": unit, "procedure": procedures[agency]}


def resolved_figure(page) -> int:
    """The "đã giải quyết" count of the dashboard's default period (the current quarter)."""
    page.goto("/")
    note = page.locator(".stat", has_text="Tỷ lệ đúng hạn").locator(".stat__note")
    expect(note).to_contain_text("đã giải quyết")
    found = RESOLVED_NOTE.search(note.inner_text())
    assert found, note.inner_text()
    return int(found.group(1).replace(".", ""))


def test_receive_assign_resolve_counts_on_the_dashboard(page, login, desk):
    login("motcua")
    before = resolved_figure(page)
    assert before == 1

    page.goto("/ho-so/tiep-nhan/")
    page.select_option("#id_procedure", str(desk["procedure"].pk))
    page.fill("#id_applicant_name", "Nguyễn Thị Hoa")
    page.fill("#id_applicant_phone", "0912345678")
    page.select_option("#id_channel", "2")
    expect(page.locator("#id_received_at")).not_to_have_value("")
    page.click("#receive-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ho-so/\d+/$"))
    expect(page.locator(".alert--success")).to_contain_text("Đã tiếp nhận hồ sơ")
    code = page.locator("[data-field=code]").inner_text().strip()
    assert code.startswith("000.00.12.H45-")

    page.click("a[data-action=assigned]")
    page.select_option("#id_unit", label=desk["unit"].name)
    page.fill("#id_note", "Chuyển thẩm định")
    page.click("#step-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ho-so/\d+/$"))
    expect(page.locator("[data-field=unit]")).to_have_text(desk["unit"].name)
    expect(page.locator("[data-status]")).to_have_text("Đang xử lý")

    page.click("a[data-action=resolved]")
    page.click("#step-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ho-so/\d+/$"))
    expect(page.locator("[data-status]")).to_have_text("Đã có kết quả")
    expect(page.locator("#timeline li")).to_have_count(3)
    expect(page.locator("[data-classification]")).to_have_text(re.compile("trước hạn|đúng hạn"))

    assert resolved_figure(page) == before + 1

    page.goto("/ho-so/")
    rows = page.locator("#dossier-table tbody tr")
    expect(rows).to_have_count(2)
    page.fill("#id_q", code)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(code)
    expect(rows.first).to_contain_text("Nguyễn Thị Hoa")
    # htmx replaced the table and recorded the search in the address bar, without a full reload.
    expect(page).to_have_url(re.compile(r"[?&]q="))
    rows.first.locator("a").click()
    page.wait_for_url(re.compile(r"/ho-so/\d+/$"))
    expect(page.locator("[data-field=code]")).to_have_text(code)


def test_invalid_step_shows_the_vietnamese_error(page, login, desk):
    from cchc.dossiers import lifecycle
    from cchc.dossiers.models import Dossier

    dossier = lifecycle.receive(
        agency=desk["procedure"].agency,
        procedure=desk["procedure"],
        applicant_name="Trần Văn Bình",
        channel=1,
        actor=None,
        received_at=timezone.now() - dt.timedelta(hours=1),
    )
    login("motcua")
    page.goto(f"/ho-so/{dossier.pk}/result_returned/")
    expect(page.locator(".alert--warning")).to_contain_text("không phù hợp với trạng thái hiện tại")
    page.click("#step-form button[type=submit]")
    expect(page.locator("[data-form-errors]")).to_contain_text("Không thể trả kết quả")
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
