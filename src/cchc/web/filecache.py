"""A file cache whose read-modify-write operations are atomic across processes.

`cchc serve` runs several gunicorn workers; without Redis (REDIS_URL) the failed log-in counters
(cchc.web.login_limits) must still be shared by all of them, or each worker would allow its own 5 failures. Django's
FileBasedCache is shared but its `add` and `incr` are a read then a write: two workers could both count a failure
as the same one. Here they run under one exclusive lock file (fcntl), so none is lost.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class LockedFileBasedCache(FileBasedCache):
    def __init__(self, dir: str, params: dict) -> None:
        super().__init__(dir, params)
        # add() and incr() call set(): the lock is re-entered by the thread holding it (a second flock on a new
        # descriptor would wait for the first one forever).
        self._held = threading.local()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self._createdir()
        with open(os.path.join(self._dir, "lock"), "a+b") as handle:
            locks.lock(handle, locks.LOCK_EX)
            self._held.depth = 1
            try:
                yield
            finally:
                self._held.depth = 0
                locks.unlock(handle)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        with self._locked():
            return super().incr(key, delta, version)

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        # Under the same lock, so that a reset (set to 1) cannot interleave with another worker's incr.
        with self._locked():
            super().set(key, value, timeout, version)
