"""Sessions end when idle or old, without a database write per request; weak passwords are refused in Vietnamese;
a database restart does not cost the next request a 500."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.web.middleware import SESSION_SEEN, SESSION_STARTED

PASSWORD = "mat-khau-thu-nghiem"


def _age_session(client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    if "seen" in seconds_ago:
        session[SESSION_SEEN] = now - seconds_ago["seen"]
    if "started" in seconds_ago:
        session[SESSION_STARTED] = now - seconds_ago["started"]
    session.save()


def _logged_in(client) -> None:
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD})
    assert response.status_code == 302


# -- sessions --------------------------------------------------------------------------------------------------


def test_an_idle_session_ends_and_the_user_comes_back_where_they_were(client, officer, procedure):
    _logged_in(client)
    page = f"/thu-tuc/{procedure.pk}/?tab=lich-su"
    assert client.get(page).status_code == 200
    _age_session(client, seen=31 * 60)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/dang-nhap/?next={quote(page, safe='/')}"
    login_page = client.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn vì bạn không thao tác trong 30 phút" in login_page
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/dang-nhap/", {"username": "chuyenvien", "password": PASSWORD, "next": page}
    )
    assert response.status_code == 302 and response["Location"] == page


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, officer):
    _logged_in(client)
    _age_session(client, seen=5, started=12 * 3600 + 60)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert "quá 12 giờ kể từ khi đăng nhập" in client.get(response["Location"]).content.decode()


def test_an_htmx_request_of_an_idle_session_sends_the_browser_to_log_in(client, officer):
    _logged_in(client)
    _age_session(client, seen=31 * 60)
    response = client.get(
        "/thu-tuc/?q=giay", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/thu-tuc/?q=giay"
    )
    # The page (not the fragment) is where the user returns.
    assert response["HX-Redirect"] == "/dang-nhap/?next=/thu-tuc/%3Fq%3Dgiay"


def test_a_posted_form_of_an_idle_session_returns_to_the_form_page(client, officer):
    _logged_in(client)
    _age_session(client, seen=31 * 60)
    response = client.post("/thu-tuc/them-moi/", {"name": "x"}, HTTP_REFERER="http://testserver/thu-tuc/them-moi/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/thu-tuc/them-moi/"


def test_the_idle_setting_is_read(client, officer, settings):
    settings.CCHC_SESSION_IDLE_SECONDS = 5 * 60
    _logged_in(client)
    _age_session(client, seen=6 * 60)
    assert client.get("/").status_code == 302


def test_activity_is_saved_at_most_once_a_minute(client, officer):
    _logged_in(client)
    client.get("/")

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/thu-tuc/").status_code == 200
        return sum(
            "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
            for q in queries.captured_queries
        )

    assert session_writes() == 0
    assert session_writes() == 0
    _age_session(client, seen=2 * 60)  # active two minutes ago: not idle, but time to note the activity
    assert session_writes() == 1
    assert time.time() - client.session[SESSION_SEEN] < 30


# -- passwords ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("matkhau1", "Mật khẩu quá ngắn: phải có ít nhất 10 ký tự"),
        ("matkhau1", "quá dễ đoán"),
        ("matkhau123", "quá dễ đoán"),
        ("MatKhau@2024", "quá dễ đoán"),
        ("Mật khẩu 2024", "quá dễ đoán"),
        ("anhyeuem123", "quá dễ đoán"),
        ("1234567890", "hoàn toàn là số"),
        ("123456789", "quá dễ đoán"),
        ("password1234", "quá phổ biến"),
        ("chuyenvien2024", "quá giống với"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(officer, password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=officer)
    assert any(message in text for text in refused.value.messages), refused.value.messages


def test_a_good_password_is_accepted(officer):
    validate_password("Hoa sen nở tím 2026!", user=officer)
    validate_password("x9!kq-dong-ha-mua-he", user=officer)


def test_the_admin_refuses_a_weak_password_with_vietnamese_messages(client, make_user, agency):
    admin_user = make_user("quantri", agency, "admin")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "nguoimoi", "usable_password": "true", "password1": "matkhau1", "password2": "matkhau1"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mật khẩu quá ngắn: phải có ít nhất 10 ký tự." in body
    assert "quá dễ đoán" in body
    assert "This password" not in body


# -- database connections ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_connection_died_succeeds(officer):
    """A server thread keeps its connection between requests; after a database restart it is dead. The next request
    must reconnect (CONN_HEALTH_CHECKS), not answer 500."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server connection to lose (and closes it after every request)")
    import psycopg
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client, RequestFactory

    client = Client()
    client.force_login(officer)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    handler = WSGIHandler()  # the handler a server thread runs, with Django's request signals

    def get(path: str) -> str:
        environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookie)
        statuses = []
        body = b"".join(handler(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        assert body
        return statuses[0]

    assert get("/thu-tuc/").startswith("200")
    assert connection.connection is not None, "the connection is kept between requests (CONN_MAX_AGE)"
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert get("/thu-tuc/").startswith("200")
