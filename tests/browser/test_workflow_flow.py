"""End to end in headless Chromium: a dossier received at the desk waits in Phòng Quản lý chuyên ngành's queue; the
officer takes it and forwards it to the leader, the leader approves the result, and the desk returns it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

PASSWORD = "mat-khau-thu-nghiem"

pytestmark = [pytest.mark.browser]


@pytest.fixture
def received(transactional_db):
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province, Unit
    from cchc.dossiers import lifecycle
    from cchc.procedures.models import Field, InternalStep, Procedure

    province = Province.objects.create(code="H45", name="Quảng Trị")
    agency = Agency.objects.create(province=province, code="SKHCN", name="Sở Khoa học và Công nghệ",
                                   electronic_id="000.00.12.H45")  # fmt: skip
    qlcn = Unit.objects.create(agency=agency, name="Phòng Quản lý chuyên ngành")
    desk_unit = Unit.objects.create(agency=agency, name="Bộ phận một cửa", kind=Unit.Kind.ONE_STOP)
    procedure = Procedure.objects.create(
        agency=agency, code="1.004444", name="Cấp giấy phép tiến hành công việc bức xạ",
        field=Field.objects.create(name="An toàn bức xạ"), processing_time=Decimal("10"),
        effective_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    for position, (name, role, unit, approval) in enumerate(
        [("Tiếp nhận hồ sơ", "one_stop", desk_unit, False), ("Thẩm định hồ sơ", "officer", qlcn, False),
         ("Lãnh đạo Sở phê duyệt", "leader", None, True), ("Trả kết quả", "one_stop", desk_unit, False)], 1
    ):  # fmt: skip
        InternalStep.objects.create(procedure=procedure, position=position, name=name, role=role, unit=unit,
                                    duration=Decimal("1"), is_approval=approval)  # fmt: skip
    users = {}
    for username, full_name, role, unit in [("motcua", "Nguyễn Văn Hùng", "one_stop", desk_unit),
                                            ("chuyenvien", "Trần Thị Thu Hà", "officer", qlcn),
                                            ("lanhdao", "Hoàng Văn Minh", "leader", None)]:  # fmt: skip
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=full_name)
        Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
        users[username] = user
    return lifecycle.receive(
        agency=agency,
        procedure=procedure,
        applicant_name="Bệnh viện Đa khoa tỉnh",
        channel=1,
        actor=users["motcua"],
        received_at=timezone.now() - dt.timedelta(minutes=5),
    )


def test_officer_takes_forwards_leader_approves_desk_returns(page, login, received, browser, live_server):
    detail = f"/ho-so/{received.pk}/"
    login("chuyenvien")
    page.goto(detail)
    panel = page.locator("[data-workflow]")
    expect(panel).to_contain_text("Hàng chờ của Phòng Quản lý chuyên ngành")
    panel.locator("[data-move=take]").click()
    expect(page.locator("[data-step='2'] [data-where]")).to_have_text("Trần Thị Thu Hà")
    panel = page.locator("[data-workflow]")
    panel.locator("[data-move=forward]").click()
    page.select_option("select[name=to_user]", label="Hoàng Văn Minh")
    page.fill("textarea[name=note]", "Hồ sơ đủ điều kiện, trình ký.")
    page.locator("#move-form button[type=submit]").click()
    expect(page.locator("[data-step='3'] [data-where]")).to_have_text("Hoàng Văn Minh")
    expect(page.locator("#timeline")).to_contain_text(
        "Trần Thị Thu Hà chuyển cho Hoàng Văn Minh – bước 3. Lãnh đạo Sở phê duyệt – trước hạn"
    )

    leader = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url).new_page()
    leader.goto("/dang-nhap/")
    leader.fill("input[name=username]", "lanhdao")
    leader.fill("input[name=password]", PASSWORD)
    leader.locator("form button[type=submit], form input[type=submit]").first.click()
    leader.wait_for_url(lambda url: "/dang-nhap/" not in url)
    leader.goto(detail)
    leader.locator("[data-workflow] [data-move=approve]").click()
    leader.locator("#move-form button[type=submit]").click()
    expect(leader.locator("[data-status]")).to_have_text("Đã có kết quả")
    expect(leader.locator("[data-step='4'] [data-where]")).to_contain_text("Hàng chờ của Bộ phận một cửa")

    desk = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url).new_page()
    desk.goto("/dang-nhap/")
    desk.fill("input[name=username]", "motcua")
    desk.fill("input[name=password]", PASSWORD)
    desk.locator("form button[type=submit], form input[type=submit]").first.click()
    desk.wait_for_url(lambda url: "/dang-nhap/" not in url)
    desk.goto(detail)
    desk.locator("[data-workflow] [data-move=take]").click()
    desk.locator("[data-workflow] [data-move=return]").click()
    desk.fill("input[name=number]", "15/GP-SKHCN")
    desk.fill("input[name=issued_on]", timezone.localdate().isoformat())
    desk.fill("input[name=returned_to]", "Nguyễn Văn An")
    desk.locator("#return-form button[type=submit]").click()
    expect(desk.locator("[data-status]")).to_have_text("Đã trả kết quả")
    expect(desk.locator("[data-result]")).to_contain_text("15/GP-SKHCN")
    expect(desk.locator("[data-result]")).to_contain_text("đã trả cho Nguyễn Văn An")
