"""Log-in with a limit on failed attempts.

Failed attempts are counted per (user name, client address) in Django's cache for a sliding-free fixed window:
the first failure starts a 15-minute window; after MAX_FAILURES failures in it, even a correct password is refused
until the window ends, so guessing a password from one address is slow. A second counter per address alone
(MAX_FAILURES_PER_ADDRESS) slows an address that tries many user names. The counters live in the shared cache
(Redis when REDIS_URL is set, the process memory otherwise).
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

MAX_FAILURES = 10
MAX_FAILURES_PER_ADDRESS = 50
_ANY_USER = "\x00any"  # the per-address counter's user name: no real user name holds a NUL
WINDOW_SECONDS = 15 * 60


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().casefold()}|{address}".encode()).hexdigest()[:32]
    return f"cchc:login-failures:{digest}"


def failures(username: str, address: str) -> int:
    return int(cache.get(_key(username, address), 0))


def record_failure(username: str, address: str) -> int:
    key = _key(username, address)
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def clear_failures(username: str, address: str) -> None:
    cache.delete(_key(username, address))


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
        "too_many_attempts": _(
            "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút "
            "hoặc liên hệ quản trị viên để được hỗ trợ."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if username and (
            failures(username, address) >= MAX_FAILURES or failures(_ANY_USER, address) >= MAX_FAILURES_PER_ADDRESS
        ):
            raise forms.ValidationError(
                self.error_messages["too_many_attempts"],
                code="too_many_attempts",
                params={"minutes": WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                record_failure(username, address)
                record_failure(_ANY_USER, address)
            raise
        clear_failures(username, address)
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = RateLimitedAuthenticationForm
    redirect_authenticated_user = True
