"""The gateways a message leaves through: e-mail by Django's e-mail backend (settings.EMAIL_BACKEND), SMS by a small
backend chosen by CCHC["SMS_BACKEND"].

SMS backends are plugins: a class with `send(phone, text) -> str` (the gateway's message id, or "") that raises
GatewayError (or any exception) when the message did not go. Built-ins are registered by name ("file", "log");
a real gateway is any class named by its dotted path in the setting, built with CCHC["SMS_OPTIONS"] as keyword
arguments, or registered by name with `register_sms_backend`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Channel, OutboxMessage

logger = logging.getLogger("cchc.notifications")


class GatewayError(Exception):
    """The gateway refused or could not take the message; the outbox retries it."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> str: ...


class FileSmsBackend:
    """Appends one JSON line per message to CCHC_DATA_DIR/sms/YYYY-MM-DD.jsonl (what a gateway would have sent)."""

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        self.directory = Path(directory) if directory else Path(settings.DATA_DIR) / "sms"

    def send(self, phone: str, text: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        message_id = uuid.uuid4().hex
        line = json.dumps(
            {"id": message_id, "at": timezone.now().isoformat(), "to": phone, "text": text}, ensure_ascii=False
        )
        path = self.directory / f"{timezone.localdate():%Y-%m-%d}.jsonl"
        # One write of one line in append mode: lines of concurrent workers never interleave.
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return message_id


class LogSmsBackend:
    """Writes each message to the `cchc.notifications` logger (level INFO)."""

    def send(self, phone: str, text: str) -> str:
        logger.info("SMS to %s: %s", phone, text)
        return ""


_SMS_BACKENDS: dict[str, Callable[..., SmsBackend]] = {"file": FileSmsBackend, "log": LogSmsBackend}


def register_sms_backend(name: str, factory: Callable[..., SmsBackend]) -> None:
    """Make a gateway choosable by a short name in CCHC["SMS_BACKEND"]."""
    _SMS_BACKENDS[name] = factory


def sms_backend() -> SmsBackend:
    name = settings.CCHC.get("SMS_BACKEND") or "file"
    factory = _SMS_BACKENDS.get(name) or import_string(name)
    return factory(**(settings.CCHC.get("SMS_OPTIONS") or {}))


# --- SMS text ---------------------------------------------------------------------------------------------------

# Characters outside plain ASCII that Vietnamese texts carry, and what a GSM 7-bit message writes instead.
_PLAIN = str.maketrans({"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})
GSM_SEGMENT, GSM_MULTIPART = 160, 153
UCS2_SEGMENT, UCS2_MULTIPART = 70, 67


def plain(text: str) -> str:
    """Vietnamese without diacritics, case kept: 'Hồ sơ Đăng ký' -> 'Ho so Dang ky'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_PLAIN))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return "".join(ch if ch.isascii() else "?" for ch in unicodedata.normalize("NFC", stripped))


def sms_limit(is_plain: bool, segments: int) -> int:
    """The most characters `segments` SMS segments carry: GSM 7-bit 160 (153 each when split), UCS-2 70 (67)."""
    if is_plain:
        return GSM_SEGMENT if segments <= 1 else GSM_MULTIPART * segments
    return UCS2_SEGMENT if segments <= 1 else UCS2_MULTIPART * segments


def sms_text(text: str) -> str:
    """The SMS as sent: without diacritics unless CCHC["SMS_PLAIN"] is off, white space collapsed, cut to
    CCHC["SMS_MAX_SEGMENTS"] segments (ending in '...' when cut)."""
    is_plain = settings.CCHC.get("SMS_PLAIN", True)
    text = " ".join(text.split())
    text = plain(text) if is_plain else unicodedata.normalize("NFC", text)
    limit = sms_limit(is_plain, settings.CCHC.get("SMS_MAX_SEGMENTS", 2))
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return text


_PHONE = re.compile(r"^\+?\d{9,15}$")


def normal_phone(value: str) -> str:
    """A phone number as gateways take it (digits, optional leading +), or "" when it is not one."""
    digits = re.sub(r"[\s.()-]", "", value or "")
    return digits if _PHONE.match(digits) else ""


# --- delivery ---------------------------------------------------------------------------------------------------


def deliver(message: OutboxMessage) -> str:
    """Hand one message to its gateway; returns the gateway's id (may be empty). Raises when it did not go."""
    if message.channel == Channel.EMAIL:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient_address],
            # The outbox row's id: a receiving system can drop a second copy of an at-least-once delivery.
            headers={"X-CCHC-Outbox-Id": str(message.pk)},
        )
        if email.send(fail_silently=False) != 1:
            raise GatewayError("the e-mail backend sent nothing")
        return ""
    if message.channel == Channel.SMS:
        return sms_backend().send(message.recipient_address, message.body) or ""
    raise GatewayError(f"unknown channel {message.channel!r}")
