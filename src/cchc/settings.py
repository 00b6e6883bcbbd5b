"""Settings read from the environment.

CCHC_DATA_DIR   where the SQLite file, uploads and logs live (default: ~/.local/share/cchc)
DATABASE_URL    e.g. postgres://user@127.0.0.1:5432/cchc ; SQLite under CCHC_DATA_DIR when unset
SECRET_KEY      required when CCHC_DEBUG is off and the server is exposed; a per-data-dir key is generated otherwise
CCHC_DEBUG      "1" for development
ALLOWED_HOSTS   comma-separated, default localhost names
Security and limits (README, "Deploying"): CCHC_HTTPS, CCHC_HSTS_SECONDS, CCHC_SSL_REDIRECT, CCHC_TRUSTED_PROXIES,
CCHC_SESSION_IDLE_MINUTES, CCHC_SESSION_MAX_HOURS, CCHC_MAX_UPLOAD_MB, CCHC_PDF_CONCURRENCY, CCHC_PDF_QUEUE,
CCHC_PDF_WAIT_SECONDS
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CCHC_DATA_DIR") or Path.home() / ".local" / "share" / "cchc").expanduser()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("CCHC_DEBUG", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "cchc.agencies",
    "cchc.audit",
    "cchc.calendar",
    "cchc.procedures",
    "cchc.dossiers",
    "cchc.dossierforms",
    "cchc.documents",
    "cchc.plans",
    "cchc.reports",
    "cchc.aggregation",
    "cchc.feedback",
    "cchc.indicators",
    "cchc.statistics",
    "cchc.notifications",
    "cchc.jobs",
    "cchc.web",
    # Last, so that cchc.web's widget templates (a Vietnamese empty choice) override Django's.
    "django.forms",
]

MIDDLEWARE = [
    # Before SecurityMiddleware, which asks request.is_secure(): forwarded headers count only from trusted proxies.
    "cchc.web.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything can read the body (the three above do not): a request larger than the upload limit is refused
    # from its Content-Length, and its 413 page still gets the security headers.
    "cchc.web.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (it tells the user why) and before LoginRequiredMiddleware (which would redirect silently).
    "cchc.web.middleware.SessionTimeoutMiddleware",
    # Every page needs a log-in unless its view is explicitly marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cchc.web.middleware.PrivateResponseMiddleware",
    "cchc.web.login_limits.DeviceCookieMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Templates that replace one of Django's own (the admin's search box says "Search" in its markup).
        "DIRS": [BASE_DIR / "web" / "overrides"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.web.context.current_agency",
                "cchc.notifications.context.unread_notifications",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'cchc.sqlite3'}",
        conn_max_age=int(os.environ.get("CCHC_DB_CONN_MAX_AGE", "60")),
        # A persistent connection is checked before its first use in each request: after a database restart the
        # first request on every server thread would otherwise fail on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; IMMEDIATE avoids lock upgrades failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not shared memory, for the test database: concurrent writers then wait (busy_timeout) as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own, with a Vietnamese message (web/passwords.py says why).
    {"NAME": "cchc.web.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Django's list is English; this one knows "matkhau123", "anhyeuem", agency names ... (web/data/).
    {"NAME": "cchc.web.passwords.VietnameseCommonPasswordValidator"},
]
# Every log-in path (the site's form, the Django admin's, any later one) goes through authenticate() and so through
# this backend's failed-attempt limits (web/login_limits.py, docs/adr/0001-login-rate-limits.md).
AUTHENTICATION_BACKENDS = ["cchc.web.auth.RateLimitedModelBackend"]

LANGUAGE_CODE = "vi"
# The interface is Vietnamese whatever the browser asks for: no LocaleMiddleware, one language.
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
FORMAT_MODULE_PATH = ["cchc.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve files straight from the app folders when collectstatic has not run (development, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    return max(value, minimum)


# Sessions: logged out after CCHC_SESSION_IDLE_MINUTES without a request and CCHC_SESSION_MAX_HOURS after log-in
# whatever the activity (web/middleware.py: SessionTimeoutMiddleware; the last-seen time is saved at most once a
# minute, not on every request).
CCHC_SESSION_IDLE_SECONDS = _env_int("CCHC_SESSION_IDLE_MINUTES", 30) * 60
CCHC_SESSION_MAX_SECONDS = _env_int("CCHC_SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_AGE = CCHC_SESSION_MAX_SECONDS

# Addresses or networks of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; empty (the
# default) believes none, and those headers are then removed from every request (web/proxies.py).
CCHC_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("CCHC_TRUSTED_PROXIES", "").split(",") if p.strip()]

# HTTPS: only when the site is really served over TLS (directly or by the proxy), since browsers then refuse
# plain http for a year (HSTS).
CCHC_HTTPS = os.environ.get("CCHC_HTTPS", "") == "1"
if CCHC_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("CCHC_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = os.environ.get("CCHC_SSL_REDIRECT", "") == "1"
    if CCHC_TRUSTED_PROXIES:
        # Safe only because TrustedProxyMiddleware drops this header from every peer that is not a trusted proxy.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no inline script,
# no framing, forms post only here. Inline style="" attributes stay allowed (style-src-attr): templates and the
# Django admin use them for layout, and they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Background work (sending, imports, PDF builds, reminders) goes through Django's Tasks API with its database
# backend, so SQLite and PostgreSQL both hold the queue and a job survives a restart (docs/adr/0006).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cchc"}}
if os.environ.get("CCHC_SHARED_CACHE") == "file":
    # Several server processes (cchc serve with gunicorn workers) must share the failed log-in counters: a locked
    # file cache in the data folder. `cchc serve` asks for it (cchc/cli.py); Redis, when set, is shared already.
    CACHES["default"] = {"BACKEND": "cchc.web.filecache.LockedFileBasedCache", "LOCATION": str(DATA_DIR / "cache")}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest file a user may upload. A request body may be this plus 1 MiB (form fields, multipart framing);
# a larger one is refused from its Content-Length before it is read (RequestBodyLimitMiddleware), and `cchc serve`
# tells waitress to refuse outright, without buffering, anything over twice that (serve.py).
CCHC_MAX_UPLOAD_BYTES = _env_int("CCHC_MAX_UPLOAD_MB", 20) * 1024 * 1024
CCHC_MAX_REQUEST_BODY_BYTES = CCHC_MAX_UPLOAD_BYTES + 1024 * 1024

# PDF conversions (LibreOffice) at once across every thread and process of this data dir; how many more requests may
# wait for a slot, and for how long, before they are told the server is busy (reports/rendering/pdf.py). With the
# defaults at most 4 of `cchc serve`'s 8 threads are ever busy with PDFs.
CCHC_PDF_CONCURRENCY = _env_int("CCHC_PDF_CONCURRENCY", 2)
CCHC_PDF_QUEUE = _env_int("CCHC_PDF_QUEUE", CCHC_PDF_CONCURRENCY, minimum=0)
CCHC_PDF_WAIT_SECONDS = _env_int("CCHC_PDF_WAIT_SECONDS", 20, minimum=0)

# E-mail (docs/adr/0009-notifications-outbox.md). With EMAIL_HOST set, SMTP; otherwise (the embedded default) every
# message is written as a file under CCHC_DATA_DIR/mail, so nothing leaves the machine until a mail server is given.
# CCHC_EMAIL_BACKEND names any Django e-mail backend instead (e.g. django.core.mail.backends.console.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = os.environ.get("CCHC_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc <khong-tra-loi@localhost>")

# Domain settings that a province may change; see docs/domain-decisions.md.
CCHC = {
    # Office hours used to decide when a dossier submitted outside them counts as received (tthc.md §2).
    "OFFICE_OPENS": os.environ.get("CCHC_OFFICE_OPENS", "07:30"),
    "OFFICE_CLOSES": os.environ.get("CCHC_OFFICE_CLOSES", "17:00"),
    # Nghị định 42/2022/NĐ-CP replaced the legacy online levels of Nghị định 43/2011 from this date.
    "ND42_EFFECTIVE": os.environ.get("CCHC_ND42_EFFECTIVE", "2022-08-01"),
    # The public status page of a dossier, printed as a second QR code on the receipt, e.g.
    # "https://dichvucong.example.gov.vn/tra-cuu/{code}"; empty: the receipt carries the dossier code's QR only.
    "PUBLIC_STATUS_URL": os.environ.get("CCHC_PUBLIC_STATUS_URL", ""),
    # Notifications (cchc.notifications, docs/adr/0009-notifications-outbox.md). SMS_BACKEND: "file" (JSON lines
    # under CCHC_DATA_DIR/sms), "log", or the dotted path of a gateway class; SMS_OPTIONS go to its constructor.
    "SMS_BACKEND": os.environ.get("CCHC_SMS_BACKEND", "file"),
    "SMS_OPTIONS": {},
    # SMS without diacritics (GSM 7-bit, 160 characters a segment instead of 70), as most Vietnamese gateways send.
    "SMS_PLAIN": os.environ.get("CCHC_SMS_PLAIN", "1") == "1",
    "SMS_MAX_SEGMENTS": _env_int("CCHC_SMS_MAX_SEGMENTS", 2),
    "OUTBOX_MAX_ATTEMPTS": _env_int("CCHC_OUTBOX_MAX_ATTEMPTS", 6),
    "OUTBOX_RETRY_SECONDS": _env_int("CCHC_OUTBOX_RETRY_SECONDS", 60),  # doubled after each failure
    "OUTBOX_STALE_SECONDS": _env_int("CCHC_OUTBOX_STALE_SECONDS", 600),  # a "sending" older than this is retried
    # An event recorded this long after its moment is history being typed in, not news for the applicant.
    "APPLICANT_NOTICE_MAX_AGE_HOURS": _env_int("CCHC_APPLICANT_NOTICE_MAX_AGE_HOURS", 72),
    "DUE_SOON_WORKING_DAYS": _env_int("CCHC_DUE_SOON_WORKING_DAYS", 2, minimum=0),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CCHC_LOG_LEVEL", "WARNING")},
    # Failed log-ins and lock-outs (web/login_limits.py), for the operator and fail2ban-like tools.
    "loggers": {"cchc.security": {"level": "INFO"}},
}
