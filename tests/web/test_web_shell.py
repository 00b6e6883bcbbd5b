"""The application shell: log-in (with its failed-attempt limit), pages behind log-in, error pages and assets that
are served by cchc itself (government networks are often closed to CDNs)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from cchc.web.auth import MAX_FAILURES, MAX_FAILURES_PER_ADDRESS

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    # These tests log in dozens of times; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", ["/", "/thu-tuc/", "/thu-tuc/1/", "/thu-tuc/them-moi/", "/thu-tuc/xuat/csv/"])
def test_pages_require_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_login_page_is_vietnamese(client, db):
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng nhập" in body and "Mật khẩu" in body


def test_login_then_logout(client, officer):
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get("/").status_code == 200
    response = client.post("/dang-xuat/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused(client, officer):
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": "sai"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_too_many_failures_block_even_the_right_password(client, officer):
    for _ in range(MAX_FAILURES):
        client.post("/dang-nhap/", {"username": "chuyenvien", "password": "sai"}, REMOTE_ADDR="10.0.0.1")
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200
    assert "Bạn đã đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The limit is per user name and address: the same user from another address still gets in.
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_one_address_trying_many_user_names_is_stopped(client, officer):
    for n in range(MAX_FAILURES_PER_ADDRESS):
        client.post("/dang-nhap/", {"username": f"doan-{n}", "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert "Bạn đã đăng nhập sai quá nhiều lần" in response.content.decode()
    assert client.post(
        "/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10"
    ).status_code == 302


def test_failures_below_the_limit_do_not_block(client, officer):
    for _ in range(MAX_FAILURES - 1):
        client.post("/dang-nhap/", {"username": "CHUYENVIEN", "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD})
    assert response.status_code == 302
    # A success clears the counter.
    client.post("/dang-xuat/")
    for _ in range(MAX_FAILURES - 1):
        client.post("/dang-nhap/", {"username": "chuyenvien", "password": "sai"})
    assert client.post("/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD}).status_code == 302


def test_csrf_failure_page_is_vietnamese(officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_missing_page_is_a_vietnamese_404(client, officer):
    client.force_login(officer)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_navigation_and_agency_name_in_the_top_bar(client, officer, agency):
    client.force_login(officer)
    body = client.get("/").content.decode()
    assert agency.name in body
    for label in ("Tổng quan", "Hồ sơ", "Thủ tục", "Đăng xuất"):
        assert label in body
    assert 'href="/admin/"' not in body  # not staff
    assert 'hx-headers=\'{"X-CSRFToken":' in body


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/htmx/htmx-2.0.11.min.js",
        "/static/vendor/chartjs/chart-4.6.1.umd.min.js",
        "/static/vendor/be-vietnam-pro/be-vietnam-pro-vietnamese-400-normal.woff2",
        "/static/cchc/cchc.css",
        "/static/cchc/cchc.js",
    ],
)
def test_assets_are_served_locally(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


ASSET = re.compile(r"<(?:script|link)\b[^>]*?(?:src|href)=\"([^\"]+)\"", re.IGNORECASE)


def test_pages_load_no_asset_from_elsewhere(client, officer, procedure):
    pages = [client.get("/dang-nhap/").content.decode()]
    client.force_login(officer)
    for url in ("/", "/thu-tuc/", f"/thu-tuc/{procedure.pk}/", f"/thu-tuc/{procedure.pk}/sua/"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    for body in pages:
        assets = ASSET.findall(body)
        assert assets
        for url in assets:
            assert url.startswith("/static/"), url
        assert "//cdn" not in body and "https://" not in body
