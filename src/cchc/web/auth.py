"""Log-in: every path through `authenticate()` is limited (web/login_limits.py says how).

The limits sit in the authentication backend, not in a form, so the site's log-in page, the Django admin's and any
later path that calls `django.contrib.auth.authenticate` share them. A refused attempt is not even checked; the
backend leaves the reason on the request so that the form can say how long to wait.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from . import login_limits
from .login_limits import MAX_FAILURES, MAX_FAILURES_PER_ADDRESS, WINDOW_SECONDS, Scope

__all__ = ["MAX_FAILURES", "MAX_FAILURES_PER_ADDRESS", "WINDOW_SECONDS", "LoginView", "RateLimitedModelBackend"]

_REFUSAL_ATTRIBUTE = "_cchc_login_refusal"


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, which TrustedProxyMiddleware has set to the real client behind a proxy."""
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


class RateLimitedModelBackend(ModelBackend):
    """ModelBackend with failed-attempt limits per account and per client address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        attempt = login_limits.Attempt(
            username, client_address(request), login_limits.device_for(request, username)
        )
        refusal = attempt.refusal()
        if refusal is not None:
            if request is not None:
                setattr(request, _REFUSAL_ATTRIBUTE, refusal)
            # PermissionDenied stops authenticate() at once: no other backend is asked, the password is not checked.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            attempt.failed()
        else:
            attempt.succeeded()
            login_limits.remember_device(request, username)
        return user


REFUSAL_MESSAGES = {
    Scope.ACCOUNT_ADDRESS: _(
        "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút "
        "hoặc liên hệ quản trị viên để được hỗ trợ."
    ),
    Scope.DEVICE: _(
        "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút "
        "hoặc liên hệ quản trị viên để được hỗ trợ."
    ),
    Scope.ADDRESS: _(
        "Bạn đã đăng nhập sai quá nhiều lần: có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. "
        "Vui lòng thử lại sau %(minutes)d phút hoặc liên hệ quản trị viên để được hỗ trợ."
    ),
    Scope.ACCOUNT: _(
        "Bạn đã đăng nhập sai quá nhiều lần: tài khoản này đang bị thử mật khẩu từ nhiều nơi nên tạm thời chỉ "
        "đăng nhập được trên trình duyệt đã từng đăng nhập tài khoản này. Vui lòng thử lại sau %(minutes)d phút "
        "hoặc liên hệ quản trị viên để được hỗ trợ."
    ),
}


class LoginLimitMessageMixin:
    """Says why and for how long an attempt was refused instead of "wrong password"."""

    def get_invalid_login_error(self):
        refusal = getattr(self.request, _REFUSAL_ATTRIBUTE, None)
        if refusal is None:
            return super().get_invalid_login_error()
        return ValidationError(
            REFUSAL_MESSAGES[refusal.scope], code="too_many_attempts", params={"minutes": refusal.minutes}
        )


class RateLimitedAuthenticationForm(LoginLimitMessageMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class RateLimitedAdminAuthenticationForm(LoginLimitMessageMixin, AdminAuthenticationForm):
    """The Django admin's log-in form with the same wording of a refusal (the limits are in the backend)."""


class LoginView(auth_views.LoginView):
    form_class = RateLimitedAuthenticationForm
    redirect_authenticated_user = True
