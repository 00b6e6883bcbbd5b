"""SMS gateways for the tests, named by dotted path in CCHC["SMS_BACKEND"] as a real gateway would be."""

from __future__ import annotations

import os
import time
from pathlib import Path


class DownGateway:
    """A gateway that refuses every message."""

    def __init__(self, **options) -> None:
        self.options = options

    def send(self, phone: str, text: str) -> str:
        raise ConnectionError("gateway 503: dịch vụ tạm ngừng")


class SlowGateway:
    """Writes a mark file when a send starts, then takes a long time: the worker is killed meanwhile."""

    def send(self, phone: str, text: str) -> str:
        Path(os.environ["SLOW_GATEWAY_MARK"]).write_text(phone)
        time.sleep(120)
        return ""
