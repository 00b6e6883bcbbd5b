"""The one-stop desk, complete, in headless Chromium: a clerk created today logs in, receives a dossier with its
checklist and fees, prints the receipt with its QR code in one click; the dossier goes through its internal
procedure (desk → officer of Phòng Quản lý chuyên ngành → the leader who approves → Văn phòng that numbers the
result → desk), each person seeing it arrive in their notifications, and the desk returns the result; the Phiếu
kiểm soát printed from its history has one row per hand-over with the people and Trước hạn/Đúng hạn/Quá hạn.

Screenshots of the key pages go to $CCHC_SCREENSHOTS (a temporary directory by default)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
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
def shots(tmp_path) -> Path:
    where = Path(os.environ.get("CCHC_SCREENSHOTS") or tmp_path / "screenshots")
    where.mkdir(parents=True, exist_ok=True)
    return where


@pytest.fixture
def department(transactional_db):
    """Sở Khoa học và Công nghệ with its desk, a specialised division and its office; a procedure with three
    components, a fee and a five-step internal process; the officer, the leader and the office's clerk."""
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province, Unit
    from cchc.documents.models import Direction, Register
    from cchc.procedures.models import Component, Fee, Field, InternalStep, Procedure

    province = Province.objects.create(code="H45", name="Quảng Trị")
    agency = Agency.objects.create(province=province, code="SKHCN", name="Sở Khoa học và Công nghệ",
                                   electronic_id="000.00.12.H45")  # fmt: skip
    desk_unit = Unit.objects.create(agency=agency, name="Bộ phận một cửa", kind=Unit.Kind.ONE_STOP)
    division = Unit.objects.create(agency=agency, name="Phòng Quản lý chuyên ngành", kind=Unit.Kind.DIVISION)
    office = Unit.objects.create(agency=agency, name="Văn phòng Sở", kind=Unit.Kind.OFFICE)
    field = Field.objects.create(name="An toàn bức xạ và hạt nhân")
    Procedure.objects.create(agency=agency, code="1.000100", name="Cấp lại chứng chỉ nhân viên bức xạ", field=field,
                             processing_time=Decimal(5), effective_from=dt.date(2020, 1, 1))  # fmt: skip
    procedure = Procedure.objects.create(
        agency=agency, code="1.004444", name="Cấp giấy phép tiến hành công việc bức xạ", field=field,
        processing_time=Decimal(10), effective_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    Component.objects.create(procedure=procedure, position=1, name="Đơn đề nghị cấp giấy phép", originals=1)
    Component.objects.create(procedure=procedure, position=2, name="Báo cáo đánh giá an toàn", originals=1, copies=1)
    Component.objects.create(procedure=procedure, position=3, name="Giấy tờ khác liên quan", copies=1,
                             mandatory=False)  # fmt: skip
    Fee.objects.create(procedure=procedure, position=1, kind="phi", name="Phí thẩm định cấp giấy phép",
                       amount=Decimal(2000000), legal_basis="Thông tư 287/2016/TT-BTC")  # fmt: skip
    for position, (name, role, unit, approval) in enumerate(
        [("Tiếp nhận hồ sơ", "one_stop", desk_unit, False), ("Thẩm định hồ sơ", "officer", division, False),
         ("Lãnh đạo Sở phê duyệt", "leader", None, True), ("Văn phòng cấp số, đóng dấu", "officer", office, False),
         ("Trả kết quả", "one_stop", desk_unit, False)], 1
    ):  # fmt: skip
        InternalStep.objects.create(procedure=procedure, position=position, name=name, role=role, unit=unit,
                                    duration=Decimal(2), is_approval=approval)  # fmt: skip
    Register.objects.create(agency=agency, name="Sổ văn bản đi", direction=Direction.OUTGOING)
    people = {}
    for username, full_name, role, unit in [("chuyenvien", "Trần Thị Thu Hà", "officer", division),
                                            ("lanhdao", "Hoàng Văn Minh", "leader", None),
                                            ("vanthu", "Lê Thị Lan", "officer", office)]:  # fmt: skip
        first, _, last = full_name.rpartition(" ")
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=full_name,
                                                    email=f"{username}@skhcn.quangtri.gov.vn")  # fmt: skip
        Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
        people[username] = user
    return {"agency": agency, "procedure": procedure, "desk_unit": desk_unit, "people": people}


def _sign_in(browser, live_server, username: str):
    page = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url,
                               accept_downloads=True, viewport={"width": 1280, "height": 900}).new_page()  # fmt: skip
    page.context.set_default_timeout(15_000)
    page.add_init_script(WATCH)
    page.goto("/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    return page


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _download(page, menu_item: str):
    """Open the dossier page's "In biểu mẫu" menu and click the form's .docx: the file as python-docx reads it."""
    import docx

    if not page.locator("#print-menu").evaluate("menu => menu.open"):
        page.locator("#print-menu summary").click()
    with page.expect_download(timeout=60_000) as info:
        page.locator(f"#print-menu [data-form={menu_item}] a[data-format=docx]").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    return docx.Document(io.BytesIO(Path(download.path()).read_bytes()))


def _images(document) -> list[bytes]:
    return [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]


def _move(page, move: str, *, to: str | None = None, note: str = ""):
    page.locator(f"[data-workflow] [data-move={move}]").first.click()
    if to is not None:
        page.select_option("select[name=to_user]", label=to)
    if note:
        page.fill("textarea[name=note]", note)
    page.locator("#move-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ho-so/\d+/"))


def test_a_new_clerk_receives_prints_and_the_dossier_travels_its_procedure_back_to_the_desk(
    browser, live_server, department, shots
):
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Membership
    from cchc.dossiers.models import Dossier, Status
    from cchc.notifications.models import Channel, Kind, OutboxMessage

    people = department["people"]
    # A clerk who joined today: an account and a membership of the desk, nothing else.
    clerk = get_user_model().objects.create_user(username="motcua.moi", password=PASSWORD, first_name="Phạm Thị Mai")
    Membership.objects.create(user=clerk, agency=department["agency"], role="one_stop", unit=department["desk_unit"])

    # --- reception -----------------------------------------------------------------------------------------------
    desk = _sign_in(browser, live_server, "motcua.moi")
    desk.screenshot(path=str(shots / "0-tong-quan.png"), full_page=True)
    desk.locator("#main-nav").get_by_role("link", name="Hồ sơ", exact=True).click()
    desk.get_by_role("link", name="Tiếp nhận hồ sơ").first.click()
    desk.wait_for_url("**/ho-so/tiep-nhan/")
    expect(desk.locator("#procedure-search")).to_be_focused()
    desk.keyboard.type("giay phep buc xa")
    options = desk.locator("#procedure-options [role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("1.004444")
    desk.keyboard.press("Enter")
    components = desk.locator("#checklist-components tbody tr")
    expect(components).to_have_count(3)
    components.nth(0).locator("input[type=checkbox]").first.check()
    components.nth(1).locator("input[type=checkbox]").first.check()
    components.nth(1).locator("input[name$=_so_hoa]").check()
    fee = desk.locator("#checklist-fees tbody tr").first
    expect(fee.locator("input[name$=_so_tien]")).to_have_value("2.000.000")
    expect(fee.locator("input[name$=_thu]")).to_be_checked()
    fee.locator("input[name$=_bien_lai]").fill("BL-0001234")
    desk.fill("#id_applicant_id_number", "044190000123")
    desk.fill("#id_applicant_name", "Nguyễn Văn An")
    desk.fill("#id_applicant_phone", "0912345678")
    desk.fill("#id_applicant_email", "nguyenvanan@example.vn")
    desk.screenshot(path=str(shots / "1-tiep-nhan.png"), full_page=True)
    desk.locator("#receive-form button[type=submit]").click()
    desk.wait_for_url(re.compile(r"/ho-so/\d+/$"))
    expect(desk.locator(".alert--success")).to_contain_text("Đã tiếp nhận hồ sơ")
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id_number, dossier.procedure_id) == ("044190000123", department["procedure"].pk)
    assert sorted(dossier.received_components.values_list("name", "digitised")) == [
        ("Báo cáo đánh giá an toàn", True), ("Đơn đề nghị cấp giấy phép", False),
    ]  # fmt: skip
    payment = dossier.fee_payments.get()
    assert (payment.amount, payment.receipt_number, payment.recorded_by) == (Decimal(2000000), "BL-0001234", clerk)
    expect(desk.locator("[data-step='1'] [data-state-label]")).to_have_text("Đã hoàn thành")
    expect(desk.locator("[data-step='2'] [data-where]")).to_have_text("Hàng chờ của Phòng Quản lý chuyên ngành")

    # The receipt, one click in the print menu: the dossier's code and its QR code as an image.
    desk.locator("#print-menu summary").click()
    desk.screenshot(path=str(shots / "2-ho-so-in-bieu-mau.png"), full_page=True)
    receipt = _download(desk, "tiep-nhan")
    text = _docx_text(receipt)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and dossier.code in text and "Nguyễn Văn An" in text
    pngs = _images(receipt)
    assert pngs and all(blob.startswith(b"\x89PNG") for blob in pngs)
    # The applicant's receipt e-mail waits in the outbox.
    mail = OutboxMessage.objects.get(kind=Kind.DOSSIER_RECEIVED, channel=Channel.EMAIL)
    assert mail.recipient_address == "nguyenvanan@example.vn" and dossier.code in mail.body

    # --- the officer: the bell counts the step that reached the division's queue -----------------------------
    officer = _sign_in(browser, live_server, "chuyenvien")
    expect(officer.locator(".bell__count")).to_have_text("1")
    officer.locator("a.bell").click()
    officer.wait_for_url("**/thong-bao/**")
    expect(officer.locator("main")).to_contain_text(dossier.code)
    officer.screenshot(path=str(shots / "3-thong-bao.png"), full_page=True)
    officer.goto(f"/ho-so/{dossier.pk}/")
    officer.locator("[data-workflow] [data-move=take]").click()
    expect(officer.locator("[data-step='2'] [data-where]")).to_have_text("Trần Thị Thu Hà")
    _move(officer, "forward", to="Hoàng Văn Minh", note="Hồ sơ đủ điều kiện, trình ký.")
    expect(officer.locator("[data-step='3'] [data-where]")).to_have_text("Hoàng Văn Minh")

    # --- the leader approves and hands the result to the office -----------------------------------------------
    leader = _sign_in(browser, live_server, "lanhdao")
    expect(leader.locator(".bell__count")).to_have_text("1")
    leader.goto(f"/ho-so/{dossier.pk}/")
    _move(leader, "approve", to="Lê Thị Lan")
    expect(leader.locator("[data-status]")).to_have_text("Đã có kết quả")
    expect(leader.locator("[data-step='4'] [data-where]")).to_have_text("Lê Thị Lan")

    # --- the office numbers the result in its register and sends it to the desk -------------------------------
    office = _sign_in(browser, live_server, "vanthu")
    office.goto(f"/ho-so/{dossier.pk}/")
    office.locator("[data-workflow] [data-move=number]").click()
    office.select_option("select[name=register]", label="Sổ văn bản đi")
    office.fill("input[name=issued_on]", timezone.localdate().isoformat())
    office.locator("#move-form button[type=submit]").click()
    office.wait_for_url(re.compile(r"/ho-so/\d+/"))
    expect(office.locator("[data-result]")).to_contain_text("01/SKHCN")
    _move(office, "forward")
    expect(office.locator("[data-step='5'] [data-where]")).to_have_text("Hàng chờ của Bộ phận một cửa")

    # --- back at the desk: take the last step and return the result -------------------------------------------
    desk.goto(f"/ho-so/{dossier.pk}/")
    desk.locator("[data-workflow] [data-move=take]").click()
    expect(desk.locator("[data-action=result_returned]")).to_have_count(0)  # one way to return: the workflow's
    desk.screenshot(path=str(shots / "4-ho-so-quy-trinh.png"), full_page=True)
    desk.locator("[data-workflow] [data-move=return]").click()
    desk.fill("input[name=returned_to]", "Nguyễn Văn An")
    desk.locator("#return-form button[type=submit]").click()
    expect(desk.locator("[data-status]")).to_have_text("Đã trả kết quả")
    expect(desk.locator("[data-result]")).to_contain_text("đã trả cho Nguyễn Văn An")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.result.returned_to == "Nguyễn Văn An"
    assert dossier.result.approved_by == people["lanhdao"] and dossier.result.number == "01/SKHCN"

    # --- the Phiếu kiểm soát, printed from the hand-overs ------------------------------------------------------
    control = _download(desk, "kiem-soat")
    table = next(t for t in control.tables if t.rows and t.rows[0].cells[0].text == "STT")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    givers = [r[2].split("\n")[-1] for r in rows]
    receivers = [r[3].split("\n")[-1] for r in rows]
    assert givers == ["Phạm Thị Mai", "Trần Thị Thu Hà", "Hoàng Văn Minh", "Lê Thị Lan", "Phạm Thị Mai"]
    assert receivers == ["Trần Thị Thu Hà", "Hoàng Văn Minh", "Lê Thị Lan", "Phạm Thị Mai", "Nguyễn Văn An"]
    # Everything happened within minutes of a two-working-day share: each step handed on before its due day
    # (or, received outside office hours, on it).
    assert all(r[5] in ("Trước hạn", "Đúng hạn") for r in rows), rows
    assert rows[0][1].startswith("Tiếp nhận hồ sơ → Thẩm định hồ sơ") and rows[-1][1].startswith("Trả kết quả")
    assert rows[0][3] == "Phòng Quản lý chuyên ngành\nTrần Thị Thu Hà"  # taken from the division's queue
    assert rows[1][6] == "Hồ sơ đủ điều kiện, trình ký."
    for page in (desk, officer, leader, office):
        assert page.evaluate("window.__cspViolations") == []
