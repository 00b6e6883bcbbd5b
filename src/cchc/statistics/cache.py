"""Figures that cost little to read: the results of statistics.service kept in CachedFigures under the data versions
they were computed from (statistics.versions), served while those versions are current (docs/adr/0005).

Every reader goes through `_read`: one query for the versions, one for the kept row; on a miss the service
computes as always and the result is kept (an upsert). A result is keyed by the scope (the sorted agency ids), the
days of the period and the day counted up to (`as_of`): the period's end once it has ended, today before that, so
a running period's figures are kept for the day and recomputed on the next, or at the first change of its data.

What is kept is what compute() returned, serialised; `payload_*` and `*_from_payload` are exact inverses, which
check_figures and the property tests hold to account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction

from . import periods, service, versions
from .classification import FLAG_NAMES
from .models import CachedFigures
from .periods import Period
from .service import DossierFigures, PeriodStatistics, ProcedureFigures

STATS = "stats"  # compute(): everything for a period and a set of agencies
SERIES = "series"  # received_resolved_series() by month
MEMBER = "member"  # one agency's dossier figures and catalogue totals (the roll-up's row)
KINDS = (STATS, SERIES, MEMBER)


def scope_key(agency_ids: Iterable[int]) -> str:
    return ",".join(str(pk) for pk in sorted({int(pk) for pk in agency_ids}))


def scope_ids(scope: str) -> list[int]:
    return [int(pk) for pk in scope.split(",") if pk]


def _ids(agencies) -> list[int]:
    if isinstance(agencies, int) or hasattr(agencies, "pk"):
        agencies = [agencies]
    return sorted({a if isinstance(a, int) else a.pk for a in agencies})


# --- payloads ----------------------------------------------------------------------------------------------------


def _figures_payload(figures: DossierFigures) -> list[int]:
    return [getattr(figures, name) for name in FLAG_NAMES]


def _figures(values: list[int]) -> DossierFigures:
    return DossierFigures(**dict(zip(FLAG_NAMES, values, strict=True)))


def payload_stats(stats: PeriodStatistics) -> dict[str, Any]:
    p = stats.procedures
    return {
        "dossiers": _figures_payload(stats.dossiers),
        "procedures": {
            "total": p.total,
            "one_stop": p.one_stop,
            "by_online_service": p.by_online_service,
            # JSON keys are text: the levels (and None) go as pairs.
            "by_legacy_level": [[level, n] for level, n in p.by_legacy_level.items()],
            "by_interconnection": p.by_interconnection,
            "by_field": [list(row) for row in p.by_field],
            "reduced_time": p.reduced_time,
        },
        "by_field": [[name, _figures_payload(f)] for name, f in stats.by_field],
        "by_procedure": [[code, name, _figures_payload(f)] for code, name, f in stats.by_procedure],
        "as_of": stats.as_of.isoformat(),
    }


def stats_from_payload(period: Period, data: dict[str, Any]) -> PeriodStatistics:
    p = data["procedures"]
    return PeriodStatistics(
        period=period,
        dossiers=_figures(data["dossiers"]),
        procedures=ProcedureFigures(
            total=p["total"],
            one_stop=p["one_stop"],
            by_online_service=dict(p["by_online_service"]),
            by_legacy_level={level: n for level, n in p["by_legacy_level"]},
            by_interconnection=dict(p["by_interconnection"]),
            by_field=[(name, n) for name, n in p["by_field"]],
            reduced_time=p["reduced_time"],
        ),
        by_field=[(name, _figures(values)) for name, values in data["by_field"]],
        by_procedure=[(code, name, _figures(values)) for code, name, values in data["by_procedure"]],
        as_of=dt.date.fromisoformat(data["as_of"]),
    )


def payload_series(series: list[tuple[dt.date, int, int]]) -> list[list[Any]]:
    return [[start.isoformat(), received, resolved] for start, received, resolved in series]


def series_from_payload(data: list[list[Any]]) -> list[tuple[dt.date, int, int]]:
    return [(dt.date.fromisoformat(start), received, resolved) for start, received, resolved in data]


# --- reading through the cache -----------------------------------------------------------------------------------


def _read(kind: str, ids: list[int], start: dt.date, end: dt.date, as_of: dt.date, compute: Callable[[], Any]):
    """The kept payload for the key if its versions are current, else compute(), keep it and return it."""
    scope = scope_key(ids)
    # The versions first: data changed between this read and the computation can only make the kept row older
    # than its data (and be recomputed at the next read), never newer.
    current = versions.current(ids)
    key = {"kind": kind, "scope": scope, "start": start, "end": end, "as_of": as_of}
    row = CachedFigures.objects.filter(**key).values_list("versions", "payload").first()
    if row is not None and row[0] == current:
        return row[1]
    payload = compute()
    _keep(key, current, payload)
    return payload


def _keep(key: dict[str, Any], current: str, payload: Any) -> None:
    try:
        with transaction.atomic():
            updated = CachedFigures.objects.filter(**key).update(versions=current, payload=payload)
            if not updated:
                CachedFigures.objects.create(**key, versions=current, payload=payload)
                if key["as_of"] < key["end"]:
                    # A running period is kept for one day: yesterday's row of it will never be read again.
                    old = {name: value for name, value in key.items() if name != "as_of"}
                    CachedFigures.objects.filter(**old, as_of__lt=key["as_of"]).delete()
    except IntegrityError:  # another request kept the same key at the same moment: its row will do
        pass


def statistics(period: Period, agencies, *, today: dt.date | None = None) -> PeriodStatistics:
    """compute(period, agencies=...) read through the cache (agencies: objects or ids)."""
    today = today if today is not None else periods.today()
    ids = _ids(agencies)
    as_of = period.cutoff(today)
    data = _read(
        STATS, ids, period.start, period.end, as_of,
        lambda: payload_stats(service.compute(period, agencies=ids, today=today)),
    )  # fmt: skip
    return stats_from_payload(period, data)


def series(start: dt.date, end: dt.date, agencies) -> list[tuple[dt.date, int, int]]:
    """received_resolved_series((start, end), agencies=..., step="month") read through the cache. It counts the days
    of the range only, so `end` (today at the latest) is also its as_of."""
    ids = _ids(agencies)
    data = _read(
        SERIES, ids, start, end, end,
        lambda: payload_series(service.received_resolved_series((start, end), agencies=ids, step="month")),
    )  # fmt: skip
    return series_from_payload(data)


def member_payload(figures: DossierFigures, procedures_total: int, procedures_online: int) -> dict[str, Any]:
    return {"dossiers": _figures_payload(figures), "procedures": [procedures_total, procedures_online]}


def member_figures(
    period: Period, ids: list[int], compute: Callable[[list[int]], dict[int, dict[str, Any]]], *, today: dt.date
) -> dict[int, tuple[DossierFigures, int, int]]:
    """agency id -> (dossier figures, procedures in force, of which online) for the roll-up, one kept row per
    agency. `compute(missing ids)` gives member_payload()s for the agencies not kept, in a few grouped queries
    whatever their number; with a warm cache the whole table costs two queries."""
    as_of = period.cutoff(today)
    ids = sorted(set(ids))
    current = _versions_each(ids)
    rows = CachedFigures.objects.filter(
        kind=MEMBER, scope__in=[str(pk) for pk in ids], start=period.start, end=period.end, as_of=as_of
    ).values_list("scope", "versions", "payload")
    found = {int(scope): payload for scope, kept, payload in rows if kept == current[int(scope)]}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        computed = compute(missing)
        for pk in missing:
            found[pk] = computed.get(pk) or member_payload(DossierFigures(), 0, 0)
        with transaction.atomic():
            keyed = {"kind": MEMBER, "start": period.start, "end": period.end, "as_of": as_of}
            CachedFigures.objects.filter(**keyed, scope__in=[str(pk) for pk in missing]).delete()
            CachedFigures.objects.bulk_create(
                [CachedFigures(**keyed, scope=str(pk), versions=current[pk], payload=found[pk]) for pk in missing],
                ignore_conflicts=True,  # another request kept some of them meanwhile: theirs will do
            )
    return {pk: (_figures(p["dossiers"]), p["procedures"][0], p["procedures"][1]) for pk, p in found.items()}


def _versions_each(ids: list[int]) -> dict[int, str]:
    """versions.current([pk]) for every pk, in one query."""
    from .models import DataVersion

    keys = [versions.ALL, *(versions.agency_key(pk) for pk in ids)]
    found = dict(DataVersion.objects.filter(key__in=keys).values_list("key", "version"))
    shared = f"{versions.ALL}={found.get(versions.ALL, 0)}"
    return {pk: f"{shared};{pk}={found.get(versions.agency_key(pk), 0)}" for pk in ids}
