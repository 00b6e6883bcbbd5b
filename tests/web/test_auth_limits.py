"""Failed log-in limits on every log-in path, per account and per real client address, behind a trusted proxy too.

The rules (docs/adr/0001-login-rate-limits.md): a flood of failures from one address blocks that address and, from
there, the accounts it attacked; it never locks another account out, nor the attacked account for its owner at
another address or on a browser that has logged in to it before.
"""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cchc.web.login_limits import (
    DEVICE_COOKIE,
    MAX_FAILURES,
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
)
from cchc.web.proxies import real_client

PASSWORD = "mat-khau-thu-nghiem"
TOO_MANY = "Bạn đã đăng nhập sai quá nhiều lần"


def site_login(client: Client, username: str, password: str, **extra):
    return client.post("/dang-nhap/", {"username": username, "password": password}, **extra)


def admin_login(client: Client, username: str, password: str, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def staff(make_user, agency):
    user = make_user("quantri", agency, "admin")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


def test_admin_login_is_rate_limited(client, staff):
    # The probe: 30 wrong passwords on /admin/login/, then the right one, and it was logged in.
    for _ in range(30):
        response = admin_login(client, "quantri", "sai-roi", REMOTE_ADDR="10.1.0.1")
        assert response.status_code == 200
    response = admin_login(client, "quantri", PASSWORD, REMOTE_ADDR="10.1.0.1")
    assert not logged_in(client)
    body = response.content.decode()
    assert TOO_MANY in body and "Vui lòng thử lại sau 15 phút" in body


def test_site_and_admin_failures_count_together(client, staff):
    for _ in range(MAX_FAILURES - 1):
        site_login(client, "quantri", "sai-roi", REMOTE_ADDR="10.1.0.2")
    admin_login(client, "quantri", "sai-roi", REMOTE_ADDR="10.1.0.2")
    response = site_login(client, "quantri", PASSWORD, REMOTE_ADDR="10.1.0.2")
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


def test_waiting_time_counts_down(client, officer):
    from django.core.cache import cache

    from cchc.web.login_limits import Attempt

    for _ in range(MAX_FAILURES):
        site_login(client, "chuyenvien", "sai", REMOTE_ADDR="10.1.0.3")
    # Move the window's start back ten minutes, as if the failures had happened then.
    key = Attempt("chuyenvien", "10.1.0.3").account_address.started_key
    cache.set(key, cache.get(key) - 10 * 60, 15 * 60)
    body = site_login(client, "chuyenvien", PASSWORD, REMOTE_ADDR="10.1.0.3").content.decode()
    assert "Vui lòng thử lại sau 5 phút" in body


def test_flood_from_one_address_blocks_only_that_address(client, officer, viewer, make_user, agency):
    attacker = "10.6.6.6"
    for n in range(120):
        site_login(client, "chuyenvien" if n % 2 else f"doan-{n}", "sai", REMOTE_ADDR=attacker)
    # The attacker's address is blocked, even with the right password of an account it never tried.
    response = site_login(client, "nguoixem", PASSWORD, REMOTE_ADDR=attacker)
    assert "địa chỉ mạng này" in response.content.decode()
    assert not logged_in(client)
    # The attacked account from another address, and another account from anywhere else, get in.
    owner = Client()
    assert site_login(owner, "chuyenvien", PASSWORD, REMOTE_ADDR="10.7.7.7").status_code == 302
    colleague = Client()
    assert site_login(colleague, "nguoixem", PASSWORD, REMOTE_ADDR="10.8.8.8").status_code == 302
    # The owner's browser, having logged in before, gets in even from the attacker's address (a shared NAT).
    owner.post("/dang-xuat/")
    assert site_login(owner, "chuyenvien", PASSWORD, REMOTE_ADDR=attacker).status_code == 302


def test_flood_behind_the_proxy_locks_nobody_else_out(client, settings, officer, viewer):
    # The README's deployment: every request reaches cchc from nginx on 127.0.0.1 with X-Forwarded-For.
    settings.CCHC_TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(MAX_FAILURES_PER_ADDRESS + 30):
        site_login(client, f"doan-{n}", "sai", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    blocked = site_login(
        client, "nguoixem", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66"
    )
    assert TOO_MANY in blocked.content.decode()
    for username in ("chuyenvien", "nguoixem"):
        other = Client()
        response = site_login(other, username, PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert response.status_code == 302, username


def test_forged_forwarded_for_does_not_escape_the_limit(client, settings, officer):
    # Not from a trusted proxy: X-Forwarded-For is the client's own claim and is ignored.
    for n in range(MAX_FAILURES):
        site_login(client, "chuyenvien", "sai", REMOTE_ADDR="10.2.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = site_login(client, "chuyenvien", PASSWORD, REMOTE_ADDR="10.2.0.1", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert TOO_MANY in response.content.decode()
    # Through the trusted proxy, a client prepending addresses of its own is still known by the proxy's entry.
    settings.CCHC_TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(MAX_FAILURES):
        site_login(
            client, "chuyenvien", "sai", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9"
        )
    response = site_login(
        client, "chuyenvien", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.9"
    )
    assert TOO_MANY in response.content.decode()


def test_guessing_from_many_addresses_slows_the_account_but_not_its_owners_browser(client, officer, viewer):
    owner = Client()
    assert site_login(owner, "chuyenvien", PASSWORD, REMOTE_ADDR="10.3.0.1").status_code == 302
    assert owner.cookies.get(DEVICE_COOKIE)
    owner.post("/dang-xuat/")
    addresses = [f"10.4.0.{n}" for n in range(MAX_FAILURES_PER_ACCOUNT // MAX_FAILURES + 1)]
    for address in addresses:
        for _ in range(MAX_FAILURES + 3):  # the 3 beyond the per-address limit are refused and not counted
            site_login(client, "chuyenvien", "sai", REMOTE_ADDR=address)
    stranger = Client()
    response = site_login(stranger, "chuyenvien", PASSWORD, REMOTE_ADDR="10.5.0.1")
    assert "đang bị thử mật khẩu từ nhiều nơi" in response.content.decode()
    assert not logged_in(stranger)
    # The owner's usual browser gets in from a new address; other accounts are not affected at all.
    assert site_login(owner, "chuyenvien", PASSWORD, REMOTE_ADDR="10.5.0.2").status_code == 302
    assert site_login(Client(), "nguoixem", PASSWORD, REMOTE_ADDR="10.5.0.3").status_code == 302


def test_a_forged_device_cookie_is_ignored(client, officer):
    client.cookies[DEVICE_COOKIE] = "gia-mao"
    for _ in range(MAX_FAILURES):
        site_login(client, "chuyenvien", "sai", REMOTE_ADDR="10.9.0.1")
    assert TOO_MANY in site_login(client, "chuyenvien", PASSWORD, REMOTE_ADDR="10.9.0.1").content.decode()


def test_a_device_cookie_of_one_account_does_not_help_against_another(client, officer, viewer):
    assert site_login(client, "nguoixem", PASSWORD, REMOTE_ADDR="10.9.0.2").status_code == 302
    client.post("/dang-xuat/")
    for _ in range(MAX_FAILURES):
        site_login(client, "chuyenvien", "sai", REMOTE_ADDR="10.9.0.2")
    assert TOO_MANY in site_login(client, "chuyenvien", PASSWORD, REMOTE_ADDR="10.9.0.2").content.decode()


def test_direct_authenticate_calls_are_limited_too(rf, officer):
    # Any later log-in path that calls authenticate() gets the same limits.
    from django.contrib.auth import authenticate

    for _ in range(MAX_FAILURES):
        request = rf.post("/api/", REMOTE_ADDR="10.9.0.3")
        assert authenticate(request, username="chuyenvien", password="sai") is None
    request = rf.post("/api/", REMOTE_ADDR="10.9.0.3")
    assert authenticate(request, username="chuyenvien", password=PASSWORD) is None
    request = rf.post("/api/", REMOTE_ADDR="10.9.0.4")
    assert authenticate(request, username="chuyenvien", password=PASSWORD) == officer


def test_failures_and_lockouts_are_logged(client, officer, caplog):
    caplog.set_level(logging.INFO, logger="cchc.security")
    for _ in range(MAX_FAILURES + 1):
        site_login(client, "chuyenvien", "sai", REMOTE_ADDR="10.9.0.5")
    messages = [r.getMessage() for r in caplog.records if r.name == "cchc.security"]
    assert sum("login failed" in m and "'chuyenvien'" in m and "10.9.0.5" in m for m in messages) == MAX_FAILURES
    assert any("login lockout" in m and "limit=account-address" in m for m in messages)
    assert any("login refused" in m for m in messages)


def test_inactive_account_counts_as_a_failure(client, officer):
    get_user_model().objects.filter(pk=officer.pk).update(is_active=False)
    response = site_login(client, "chuyenvien", PASSWORD, REMOTE_ADDR="10.9.0.6")
    assert response.status_code == 200 and not logged_in(client)


@pytest.mark.parametrize(
    ("meta", "trusted", "expected"),
    [
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, [], ("10.0.0.1", False)),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, ["127.0.0.1"], ("10.0.0.1", False)),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, ["127.0.0.1"], ("1.2.3.4", True)),
        # Two proxies (a load balancer in 10.0.0.0/8, then nginx on loopback): the first untrusted hop from the right.
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "9.9.9.9, 1.2.3.4, 10.0.0.7"},
            ["127.0.0.1", "10.0.0.0/8"],
            ("1.2.3.4", True),
        ),
        # Garbage written by the client: the last good hop is the client.
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>, 1.2.3.4"}, ["127.0.0.1"], ("1.2.3.4", True)),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, nonsense"}, ["127.0.0.1"], ("127.0.0.1", True)),
        ({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "[2001:db8::5]:443"}, ["::1"], ("2001:db8::5", True)),
        ({"REMOTE_ADDR": "::ffff:127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4:5678"}, ["127.0.0.1"], ("1.2.3.4", True)),
        ({"REMOTE_ADDR": "127.0.0.1"}, ["127.0.0.1"], ("127.0.0.1", True)),
    ],
)
def test_real_client_behind_proxies(meta, trusted, expected):
    assert real_client(meta, trusted) == expected


def test_a_wrong_trusted_proxy_setting_is_a_clear_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="CCHC_TRUSTED_PROXIES"):
        real_client({"REMOTE_ADDR": "127.0.0.1"}, ["nginx.local"])
