"""Request-wide protections: body size, the real client behind a proxy, session time-outs, private responses.

Their places in settings.MIDDLEWARE matter and are explained there.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .proxies import FORWARDED_HEADERS, real_client

SESSION_STARTED = "_cchc_auth_at"
SESSION_SEEN = "_cchc_seen_at"
# The last-seen time is written back at most this often: a session save is a database write.
SEEN_REFRESH_SECONDS = 60


class RequestBodyLimitMiddleware:
    """413 with a Vietnamese page when Content-Length is over the limit, before anything reads the body.

    Under `cchc serve` no body is held in memory before this check. gunicorn passes the body on unread; a chunked
    one (no Content-Length) is read by cchc.web.serving.guarded up to one byte over this limit, into a spooled
    file, and given that length, so it gets this page too. waitress spools a body to a temporary file and refuses
    by itself, unread, any body over twice this limit (a chunked one: once it has counted that much).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > settings.CCHC_MAX_REQUEST_BODY_BYTES:
            return render(
                request,
                "413.html",
                {"limit_mb": settings.CCHC_MAX_UPLOAD_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


class TrustedProxyMiddleware:
    """REMOTE_ADDR becomes the real client; forwarded headers from anyone but a trusted proxy are removed.

    Removing X-Forwarded-Proto from untrusted peers is what makes SECURE_PROXY_SSL_HEADER safe to set.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        client, via_proxy = real_client(meta, settings.CCHC_TRUSTED_PROXIES)
        if via_proxy:
            meta["CCHC_PROXY_ADDR"] = meta.get("REMOTE_ADDR", "")
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        meta["REMOTE_ADDR"] = client
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="cchc.web.session-times")
def _stamp_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now


def _is_htmx(request: HttpRequest) -> bool:
    # The header itself: HtmxMiddleware (request.htmx) runs after the middleware that asks.
    return request.headers.get("HX-Request") == "true"


def _return_path(request: HttpRequest) -> str | None:
    """Where the user was (a path on this site), to come back to after logging in again."""
    if _is_htmx(request):
        candidate = request.headers.get("HX-Current-URL")  # the page, not the fragment it asked for
    elif request.method in ("GET", "HEAD"):
        return request.get_full_path()
    else:
        candidate = request.META.get("HTTP_REFERER")  # a form was posted: back to the page that had it
    if not candidate or not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(candidate)
    return parts.path + (f"?{parts.query}" if parts.query else "") or None


class SessionTimeoutMiddleware:
    """Logs out a session idle for CCHC_SESSION_IDLE_SECONDS or older than CCHC_SESSION_MAX_SECONDS.

    The user lands on the log-in page with a message and, once logged in again, returns to where they were.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started, seen = session.get(SESSION_STARTED), session.get(SESSION_SEEN)
            if started is None or seen is None:  # a session from before these limits, or a log-in without signal
                session[SESSION_STARTED] = started or now
                session[SESSION_SEEN] = now
            elif now - started > settings.CCHC_SESSION_MAX_SECONDS:
                message = _(
                    "Phiên làm việc đã hết hạn vì đã quá %(hours)d giờ kể từ khi đăng nhập. "
                    "Vui lòng đăng nhập lại để tiếp tục."
                ) % {"hours": settings.CCHC_SESSION_MAX_SECONDS // 3600}
                return self._expired(request, message)
            elif now - seen > settings.CCHC_SESSION_IDLE_SECONDS:
                message = _(
                    "Phiên làm việc đã hết hạn vì bạn không thao tác trong %(minutes)d phút. "
                    "Vui lòng đăng nhập lại để tiếp tục."
                ) % {"minutes": settings.CCHC_SESSION_IDLE_SECONDS // 60}
                return self._expired(request, message)
            elif now - seen >= SEEN_REFRESH_SECONDS:
                session[SESSION_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest, message: str) -> HttpResponse:
        back = _return_path(request)
        logout(request)
        messages.warning(request, message)
        response = redirect_to_login(back or resolve_url(settings.LOGIN_REDIRECT_URL))
        if _is_htmx(request):
            # A fragment request: the browser itself must go to the log-in page, not swap it into the page.
            return HttpResponseClientRedirect(response["Location"])
        return response


class PrivateResponseMiddleware:
    """`Cache-Control: no-store, private` on every response to a logged-in user.

    Pages and downloads carry identity numbers and personal data: no browser cache, shared cache or proxy keeps
    them. Static files never reach this middleware (WhiteNoise answers them earlier) and stay cacheable.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response
