"""Limits on failed log-ins, per account and per real client address (docs/adr/0001-login-rate-limits.md).

Counters live in Django's cache (Redis when REDIS_URL is set, so every server process shares them), each in a
fixed window that starts at its first failure. For an attempt on account U from address A:

- A browser that has logged in to U before carries a signed device cookie for U. Its attempts are limited per
  (U, that device) only, so neither a flood from A nor a guessing campaign on U from many addresses locks the right
  person out on their usual browser, wherever they are.
- Any other attempt is refused while (U, A) has MAX_FAILURES failures, or A has MAX_FAILURES_PER_ADDRESS failures
  whatever the user name, or U has MAX_FAILURES_PER_ACCOUNT failures from all addresses together.

A refused attempt does not check the password and does not count, so one address adds at most MAX_FAILURES failures
to an account's counter per window: one address alone can never reach the account-wide limit, and a flood from it
blocks only itself (and, from there, the accounts it attacked), never another account, never the attacked account
from another address.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

logger = logging.getLogger("cchc.security")

WINDOW_SECONDS = 15 * 60
MAX_FAILURES = 5  # per account and address
MAX_FAILURES_PER_ADDRESS = 30  # per address, all user names together
MAX_FAILURES_PER_ACCOUNT = 50  # per account, all addresses together (needs at least 10 addresses)
MAX_FAILURES_PER_DEVICE = 10  # per account and known browser

DEVICE_COOKIE = "cchc_device"
DEVICE_COOKIE_AGE = 180 * 24 * 3600
_DEVICE_SALT = "cchc.login-device"
_DEVICE_ACCOUNTS = 10  # accounts remembered per browser


class Scope:
    """Which limit refused an attempt; the log-in form words its message after it."""

    ACCOUNT_ADDRESS = "account-address"
    ADDRESS = "address"
    ACCOUNT = "account"
    DEVICE = "device"


def _digest(*parts: str) -> str:
    # Keyed with SECRET_KEY so that cache keys and cookies do not reveal user names.
    return hmac.new(settings.SECRET_KEY.encode(), "|".join(parts).encode(), hashlib.sha256).hexdigest()[:32]


def _account(username: str) -> str:
    return _digest("account", username.strip().casefold())


@dataclass(frozen=True)
class _Counter:
    name: str

    @property
    def key(self) -> str:
        return f"cchc:login:{self.name}"

    @property
    def started_key(self) -> str:
        return f"cchc:login:{self.name}:start"

    def add(self) -> int:
        now = time.time()
        cache.add(self.started_key, now, WINDOW_SECONDS)
        if cache.add(self.key, 1, WINDOW_SECONDS):
            return 1
        try:
            return cache.incr(self.key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(self.started_key, now, WINDOW_SECONDS)
            cache.set(self.key, 1, WINDOW_SECONDS)
            return 1

    def clear(self) -> None:
        cache.delete_many([self.key, self.started_key])


def _state(counters: list[_Counter]) -> dict[str, tuple[int, float]]:
    """{counter name: (failures, seconds left in its window)} in one cache round trip."""
    values = cache.get_many([k for c in counters for k in (c.key, c.started_key)])
    now = time.time()
    state = {}
    for counter in counters:
        started = values.get(counter.started_key)
        left = WINDOW_SECONDS - (now - started) if started is not None else WINDOW_SECONDS
        state[counter.name] = (int(values.get(counter.key, 0)), max(left, 1.0))
    return state


@dataclass(frozen=True)
class Refusal:
    scope: str
    seconds: float

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


class Attempt:
    """One log-in attempt for `username` from `address`, with the device id the browser proved for it, if any."""

    def __init__(self, username: str, address: str, device: str | None = None) -> None:
        self.username = username
        self.address = address
        self.device = device
        account = _account(username)
        self.account_address = _Counter(f"ua:{_digest(account, address)}")
        self.per_address = _Counter(f"a:{_digest('address', address)}")
        self.per_account = _Counter(f"u:{account}")
        self.per_device = _Counter(f"ud:{_digest(account, device)}") if device else None

    def _limits(self) -> list[tuple[_Counter, int, str]]:
        if self.per_device is not None:
            return [(self.per_device, MAX_FAILURES_PER_DEVICE, Scope.DEVICE)]
        return [
            (self.account_address, MAX_FAILURES, Scope.ACCOUNT_ADDRESS),
            (self.per_address, MAX_FAILURES_PER_ADDRESS, Scope.ADDRESS),
            (self.per_account, MAX_FAILURES_PER_ACCOUNT, Scope.ACCOUNT),
        ]

    def refusal(self) -> Refusal | None:
        """Why this attempt may not even be checked, or None when it may."""
        limits = self._limits()
        state = _state([counter for counter, _limit, _scope in limits])
        refusals = [
            Refusal(scope, state[c.name][1]) for c, limit, scope in limits if state[c.name][0] >= limit
        ]
        if not refusals:
            return None
        refusal = max(refusals, key=lambda r: r.seconds)
        logger.warning(
            "login refused: limit=%s user=%r address=%s retry_in=%ds",
            refusal.scope,
            self.username[:150],
            self.address,
            refusal.seconds,
        )
        return refusal

    def failed(self) -> None:
        """Count a wrong password (or unknown user, or inactive account); log it and any limit it reaches."""
        counters = [self.per_device] if self.per_device is not None else [self.account_address, self.per_account]
        counts = {counter.name: counter.add() for counter in counters}
        counts[self.per_address.name] = self.per_address.add()
        logger.warning(
            "login failed: user=%r address=%s known_device=%s", self.username[:150], self.address, bool(self.device)
        )
        for counter, limit, scope in self._limits():
            if counts.get(counter.name) == limit:
                logger.warning(
                    "login lockout: limit=%s user=%r address=%s for=%ds",
                    scope,
                    self.username[:150],
                    self.address,
                    WINDOW_SECONDS,
                )

    def succeeded(self) -> None:
        # Only this account's own counters: an attacker who knows one password must not reset their address's count.
        self.account_address.clear()
        if self.per_device is not None:
            self.per_device.clear()


# -- device cookie -------------------------------------------------------------------------------------------------


def _read_device_cookie(request) -> dict:
    raw = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("id"), str) else {}


def device_for(request, username: str) -> str | None:
    """The device id of this browser if it has logged in to `username` before."""
    data = _read_device_cookie(request)
    accounts = data.get("a")
    return data["id"] if isinstance(accounts, list) and _account(username) in accounts else None


def remember_device(request, username: str) -> None:
    """Mark the response to this request to carry a device cookie that includes `username`."""
    if request is None:
        return
    data = _read_device_cookie(request)
    accounts = [a for a in data.get("a", []) if isinstance(a, str)]
    account = _account(username)
    accounts = ([a for a in accounts if a != account] + [account])[-_DEVICE_ACCOUNTS:]
    request._cchc_device_cookie = signing.dumps(
        {"id": data.get("id") or secrets.token_urlsafe(16), "a": accounts}, salt=_DEVICE_SALT
    )


class DeviceCookieMiddleware:
    """Sets the device cookie that a successful log-in asked for (the backend has no response to set it on)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = getattr(request, "_cchc_device_cookie", None)
        if value:
            response.set_cookie(
                DEVICE_COOKIE,
                value,
                max_age=DEVICE_COOKIE_AGE,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
