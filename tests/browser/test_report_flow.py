"""End to end in headless Chromium: an officer opens the quarter's report, writes a section's narrative, saves it
through htmx (no page reload), reloads and finds it kept, and downloads the .docx that holds the text."""

from __future__ import annotations

import io

import pytest
from docx import Document as open_docx
from playwright.sync_api import expect

PASSWORD = "mat-khau-thu-nghiem"
TEXT = "Trong quý, Sở đã tổ chức 02 hội nghị giao ban về cải cách hành chính và khen thưởng 03 cá nhân."

pytestmark = [pytest.mark.browser]


@pytest.fixture
def desk(transactional_db):
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province
    from cchc.reports import services

    province = Province.objects.create(code="H45", name="Quảng Trị")
    agency = Agency.objects.create(
        province=province, code="SKHCN", name="Sở Khoa học và Công nghệ", electronic_id="000.00.12.H45"
    )
    user = get_user_model().objects.create_user(username="chuyenvien", password=PASSWORD, first_name="Hoa")
    Membership.objects.create(user=user, agency=agency, role="officer")
    report = services.create_report(agency, "cchc-quarterly", "2023-Q1", None)
    section = report.sections.filter(block="", level=2).order_by("order").first()
    return {"report": report, "section": section}


def test_edit_a_section_reload_and_download_the_docx(page, login, desk):
    report, section = desk["report"], desk["section"]
    login("chuyenvien")
    page.goto(f"/bao-cao/{report.pk}/")
    box = page.locator(f"#muc-{section.pk} textarea[name=text]")
    expect(box).to_be_visible()
    box.fill(TEXT)
    page.locator(f"#muc-{section.pk} button[type=submit]").click()
    expect(page.locator(f"#muc-{section.pk} [data-saved]")).to_contain_text("Đã lưu (phiên bản 2)")
    expect(page.locator(f"#muc-{section.pk}")).to_have_attribute("data-version", "2")

    page.reload()
    expect(page.locator(f"#muc-{section.pk} textarea[name=text]")).to_have_value(TEXT)

    with page.expect_download() as info:
        page.click("[data-download=docx]")
    download = info.value
    assert download.suggested_filename == "bao-cao-cchc-quy-i-2023.docx"
    with open(download.path(), "rb") as handle:
        paragraphs = [p.text for p in open_docx(io.BytesIO(handle.read())).paragraphs]
    assert any(TEXT in text for text in paragraphs)


def _try_to_leave(page) -> list[str]:
    """Click a link away from the editor; return the kinds of dialog the browser raised (dismissed: stay)."""
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.click("nav a[href='/bao-cao/']", no_wait_after=True)
        page.wait_for_timeout(1500)
    finally:
        page.remove_listener("dialog", on_dialog)
    return dialogs


def test_unsaved_narrative_asks_before_the_page_is_left_and_saved_text_does_not(page, login, desk):
    """issue 7: the editor lost typed text without a warning when the user left the page."""
    report, section = desk["report"], desk["section"]
    login("chuyenvien")
    editor = f"/bao-cao/{report.pk}/"
    page.goto(editor)
    box = page.locator(f"#muc-{section.pk} textarea[name=text]")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Sở đã tổ chức 02 hội nghị")  # real key presses: the browser then lets the page ask

    assert _try_to_leave(page) == ["beforeunload"]
    assert page.url.endswith(editor)  # the user chose to stay: the text is still there
    expect(box).to_have_value("Sở đã tổ chức 02 hội nghị")

    page.locator(f"#muc-{section.pk} button[type=submit]").click()
    expect(page.locator(f"#muc-{section.pk} [data-saved]")).to_contain_text("Đã lưu")
    assert _try_to_leave(page) == []
    page.wait_for_url(lambda url: url.rstrip("/").endswith("/bao-cao"))
