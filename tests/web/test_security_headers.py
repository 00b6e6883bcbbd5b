"""Response headers and request limits: Content-Security-Policy (and templates it can live with), no-store on
pages for logged-in users, HTTPS settings from the environment, request bodies refused from their size."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

SRC = Path(__file__).resolve().parents[2] / "src"


# -- Content-Security-Policy -----------------------------------------------------------------------------------------


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_csp_on_login_and_app_pages(client, officer):
    pages = [client.get("/dang-nhap/")]
    client.force_login(officer)
    pages += [client.get("/"), client.get("/thu-tuc/")]
    for response in pages:
        assert response.status_code == 200
        policy = _policy(response)
        assert policy["default-src"] == "default-src 'self'"
        assert policy["script-src"] == "script-src 'self'"  # no 'unsafe-inline', no 'unsafe-eval'
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert policy["form-action"] == "form-action 'self'"
        assert policy["object-src"] == "object-src 'none'"


def test_csp_on_the_admin(client, make_user, agency):
    user = make_user("quantri", agency, "admin")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
# htmx features that evaluate code: hx-on, js: values, and event filters (hx-trigger="change[target.x]", not the
# CSS selector of "from:input[name=q]").
HTMX_EVAL = re.compile(r"\bhx-on\b|hx-on:|hx-(?:vals|vars|headers)=['\"]js:", re.I)
TRIGGER = re.compile(r"hx-trigger=\"([^\"]*)\"", re.I)
FILTERED_EVENT = re.compile(r"\s*[\w.:-]+\[")


def test_no_template_needs_inline_code():
    offenders = []
    for template in sorted(SRC.glob("cchc/**/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        checks = (("inline script", INLINE_SCRIPT), ("on* handler", EVENT_HANDLER), ("htmx eval", HTMX_EVAL))
        for name, pattern in checks:
            for match in pattern.finditer(text):
                offenders.append(f"{template.relative_to(SRC)}: {name}: {match.group(0)[:80]}")
    assert not offenders, "the Content-Security-Policy would block:\n" + "\n".join(offenders)


def test_htmx_is_told_not_to_inject_styles_or_eval(client, officer):
    client.force_login(officer)
    body = client.get("/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", body)
    assert config, "htmx would insert an inline <style> that the policy blocks"
    assert json.loads(config.group(1)) == {"includeIndicatorStyles": False, "allowEval": False}


# -- no-store ----------------------------------------------------------------------------------------------------


def test_pages_and_files_for_logged_in_users_are_not_stored(client, officer, procedure):
    client.force_login(officer)
    for url in ("/", "/thu-tuc/", f"/thu-tuc/{procedure.pk}/", "/thu-tuc/xuat/csv/", "/thu-tuc/xuat/xlsx/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url


def test_static_files_stay_cacheable(client, officer):
    client.force_login(officer)
    response = client.get("/static/cchc/cchc.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# -- HTTPS settings ----------------------------------------------------------------------------------------------

_PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
out = {"cookie_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
       "proxy_header": settings.SECURE_PROXY_SSL_HEADER}
for name, extra in {
    "proxy_https": {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"},
    "forged_https": {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_PROTO": "https"},
    "plain": {"REMOTE_ADDR": "127.0.0.1"},
}.items():
    r = client.get("/dang-nhap/", **extra)
    csrf = r.cookies.get("csrftoken")
    out[name] = {"status": r.status_code, "location": r.get("Location"),
                 "hsts": r.get("Strict-Transport-Security"), "csrf_secure": bool(csrf and csrf["secure"])}
print(json.dumps(out))
"""


def _settings_probe(tmp_path: Path, **env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_") and k != "DATABASE_URL"}
    environ.update(PYTHONPATH=str(SRC), DJANGO_SETTINGS_MODULE="cchc.settings", CCHC_DATA_DIR=str(tmp_path))
    environ["ALLOWED_HOSTS"] = "testserver"
    environ.update(env)
    done = subprocess.run([sys.executable, "-c", _PROBE], env=environ, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_https_off_by_default(tmp_path):
    out = _settings_probe(tmp_path)
    assert out["cookie_secure"] is False and out["proxy_header"] is None
    assert out["proxy_https"]["hsts"] is None


def test_https_behind_a_trusted_proxy(tmp_path):
    out = _settings_probe(tmp_path, CCHC_HTTPS="1", CCHC_TRUSTED_PROXIES="127.0.0.1", CCHC_SSL_REDIRECT="1")
    assert out["cookie_secure"] is True and out["csrf_secure"] is True
    assert out["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # The proxy says the browser used https: HSTS for a year with subdomains, Secure cookies.
    assert out["proxy_https"]["status"] == 200
    assert out["proxy_https"]["hsts"] == "max-age=31536000; includeSubDomains"
    assert out["proxy_https"]["csrf_secure"] is True
    # Someone else claiming https is not believed: redirected to https, no HSTS on plain http.
    assert out["forged_https"]["status"] == 301 and out["forged_https"]["location"].startswith("https://")
    assert out["forged_https"]["hsts"] is None
    assert out["plain"]["status"] == 301


def test_https_without_trusted_proxies_sets_no_proxy_header(tmp_path):
    out = _settings_probe(tmp_path, CCHC_HTTPS="1", CCHC_HSTS_SECONDS="600")
    assert out["cookie_secure"] is True and out["proxy_header"] is None
    assert out["proxy_https"]["status"] == 200 and out["proxy_https"]["hsts"] is None  # plain http: no HSTS


# -- request bodies --------------------------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, one_stop_staff, settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.CCHC_MAX_REQUEST_BODY_BYTES = 2 * 1024 * 1024
    client.force_login(one_stop_staff)
    big = SimpleUploadedFile("ho-so.csv", b"x" * (3 * 1024 * 1024), content_type="text/csv")
    response = client.post("/ho-so/nhap-tu-tep/", {"file": big})
    assert response.status_code == 413
    body = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in body and "tối đa 1 MB" in body
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    # The size is judged from Content-Length alone: a claim is enough, nothing is read.
    response = client.generic(
        "POST", "/dang-nhap/", b"username=a", content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_an_upload_within_the_limit_still_works(client, one_stop_staff, procedure):
    client.force_login(one_stop_staff)
    sample = SRC / "cchc" / "dossiers" / "samples" / "ho-so-mau.csv"
    upload = SimpleUploadedFile("ho-so-mau.csv", sample.read_bytes(), content_type="text/csv")
    response = client.post("/ho-so/nhap-tu-tep/", {"file": upload})
    assert response.status_code == 302  # accepted: the import is a background job, run here in-process
    from cchc.jobs.worker import run_ready_in_process

    assert run_ready_in_process() == 1
    assert 'id="import-result"' in client.get(response["Location"]).content.decode()

