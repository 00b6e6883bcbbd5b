"""Tests that need two writers at once: the marker that skips them where the test database cannot take them, and a
URL for child processes to reach the test database."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings


def _test_database_takes_concurrent_writers() -> bool:
    """PostgreSQL, or SQLite on a file (WAL, busy timeout: writers wait for each other as in production). Django's
    default SQLite test database lives in shared-cache memory, where a second writer fails at once with
    "database table is locked" instead of waiting: there, two threads cannot test anything about our locking."""
    database = django_settings.DATABASES["default"]
    if "sqlite" not in database["ENGINE"]:
        return True
    name = str((database.get("TEST") or {}).get("NAME") or "")
    return bool(name) and name != ":memory:" and "mode=memory" not in name


concurrent_database = pytest.mark.skipif(
    not _test_database_takes_concurrent_writers(),
    reason="needs PostgreSQL or a file SQLite test database (DATABASES['default']['TEST']['NAME'])",
)


def child_database_url() -> str:
    """DATABASE_URL of the database the tests run on (call inside a test), for a child `cchc` process."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{settings['USER']}{password}@{host}{port}/{settings['NAME']}"
