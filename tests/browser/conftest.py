"""Headless Chromium driving the real app through pytest-django's live server.

Playwright's sync API runs an asyncio loop in this thread while the tests also use the ORM to set up data, which
Django would refuse as "async unsafe"; the live server answers from its own thread, so this is safe here.
The browser is the system Chromium (CCHC_BROWSER overrides): Playwright's own download is not available.
"""

from __future__ import annotations

import os
import shutil

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_PATH = os.environ.get("CCHC_BROWSER", "/usr/bin/chromium")
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(BROWSER_PATH) or shutil.which(BROWSER_PATH)):
        pytest.fail(f"Chromium not found at {BROWSER_PATH}; set CCHC_BROWSER to its path.")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=BROWSER_PATH, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    def do(username: str, password: str = PASSWORD):
        page.goto("/dang-nhap/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_url(lambda url: "/dang-nhap/" not in url)

    return do
