"""Check the kept figures against statistics.service: every kept result that would be served (its versions are
current) is computed again and compared; any difference is listed and the command fails (exit code 1)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cchc.statistics import cache, service, versions
from cchc.statistics.models import CachedFigures
from cchc.statistics.periods import date_range


def fresh_payload(row: CachedFigures):
    """What the service computes now for the key of `row`."""
    ids = cache.scope_ids(row.scope)
    period = date_range(row.start, row.end)
    if row.kind == cache.SERIES:
        return cache.payload_series(service.received_resolved_series((row.start, row.end), agencies=ids))
    stats = service.compute(period, agencies=ids, today=row.as_of)
    if row.kind == cache.MEMBER:
        return cache.member_payload(stats.dossiers, stats.procedures.total, stats.procedures.online)
    return cache.payload_stats(stats)


class Command(BaseCommand):
    help = "Đối chiếu số liệu đã tính sẵn với số liệu tính trực tiếp từ hồ sơ; báo lỗi nếu có chênh lệch."

    def handle(self, *args, **options) -> None:
        checked = stale = 0
        different: list[str] = []
        for row in CachedFigures.objects.order_by("kind", "scope", "start", "as_of").iterator(chunk_size=500):
            if row.versions != versions.current(cache.scope_ids(row.scope)):
                stale += 1  # never served again: recomputed at its next read
                continue
            checked += 1
            if row.payload != fresh_payload(row):
                different.append(
                    f"{row.kind} cơ quan {row.scope}, {row.start:%d/%m/%Y}–{row.end:%d/%m/%Y} "
                    f"(tính đến {row.as_of:%d/%m/%Y})"
                )
        if different:
            raise CommandError(
                f"Số liệu đã tính sẵn khác số liệu tính trực tiếp ở {len(different)}/{checked} kết quả: "
                + "; ".join(different[:20])
                + ". Chạy `cchc rebuild_figures` để tính lại.",
                returncode=1,
            )
        self.stdout.write(f"Đã đối chiếu {checked} kết quả đang dùng: tất cả khớp ({stale} kết quả cũ không còn dùng).")
