"""Data versions: the counters a kept result of the statistics service is checked against (models.DataVersion).

A counter is raised in the transaction that changes the data, so the change and the new version commit together
or not at all. A reader takes the versions *before* computing, so a result computed from newer data can at worst
be stored under an older version (and never served again), never the reverse.

Raised by the signal handlers of statistics/signals.py (every save and delete of a dossier, a procedure, a field
or a calendar day, and the bulk writes of dossiers.models.DossierQuerySet), and explicitly by the paths that write
with COPY (the importer, the demo). `check_figures` finds anything these miss.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from .models import DataVersion

ALL = "all"


def agency_key(agency_id: int) -> str:
    return f"agency:{int(agency_id)}"


def bump(keys: Iterable[str]) -> None:
    """Raise the counters of `keys` by one (creating them at 1), in the current transaction."""
    keys = sorted(set(keys))  # a fixed order: two transactions raising the same counters cannot deadlock
    if not keys:
        return
    quote = connection.ops.quote_name
    table, key_column, version = quote(DataVersion._meta.db_table), quote("key"), quote("version")
    with transaction.atomic(), connection.cursor() as cursor:
        # INSERT ... ON CONFLICT: one statement on PostgreSQL and SQLite, and the row lock it takes orders
        # concurrent writers of one agency, so two changes never end on the same version.
        for key in keys:
            cursor.execute(
                f"INSERT INTO {table} ({key_column}, {version}) VALUES (%s, 1) "
                f"ON CONFLICT ({key_column}) DO UPDATE SET {version} = {table}.{version} + 1",
                [key],
            )


def bump_agencies(agency_ids: Iterable[int | None]) -> None:
    bump(agency_key(pk) for pk in agency_ids if pk is not None)


def bump_all() -> None:
    bump([ALL])


def current(agency_ids: Iterable[int]) -> str:
    """The versions a result for these agencies depends on, as one text (e.g. "all=3;1=17;4=2"); one query."""
    ids = sorted({int(pk) for pk in agency_ids})
    keys = [ALL, *(agency_key(pk) for pk in ids)]
    found = dict(DataVersion.objects.filter(key__in=keys).values_list("key", "version"))
    parts = [f"{ALL}={found.get(ALL, 0)}"] + [f"{pk}={found.get(agency_key(pk), 0)}" for pk in ids]
    return ";".join(parts)
