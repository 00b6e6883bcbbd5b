"""Rebuild the kept figures (statistics.cache) from the dossiers: forget every kept result, then compute and keep
those of the reporting periods that have ended (quarters, halves, nine months and years, under NĐ 09/2019 and by
calendar), for each agency, each province's agencies together, and the roll-up's rows."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Max, Min

from cchc.agencies.models import Agency
from cchc.dossiers.models import Dossier
from cchc.statistics import cache, periods
from cchc.statistics.models import CachedFigures
from cchc.statistics.service import compute


def closed_periods(first_year: int, today) -> list[periods.Period]:
    """The standard periods of the years first_year..today's year that have ended before today."""
    found = []
    for year in range(first_year, today.year + 1):
        for mode in periods.MODES:
            candidates = [periods.quarter(year, n, mode) for n in range(1, 5)]
            candidates += [periods.half(year, 1, mode), periods.half(year, 2, mode)]
            candidates += [periods.nine_months(year, mode), periods.year(year, mode)]
            found += [p for p in candidates if p.end < today]
    return found


class Command(BaseCommand):
    help = "Tính lại toàn bộ số liệu đã tính sẵn (kỳ đã kết thúc) từ dữ liệu hồ sơ."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from-year", type=int, help="Năm đầu tiên (mặc định: năm của hồ sơ sớm nhất).")

    def handle(self, *args, from_year=None, **options) -> None:
        today = periods.today()
        forgotten, _by_kind = CachedFigures.objects.all().delete()
        span = Dossier.objects.aggregate(first=Min("received_on"), last=Max("received_on"))
        if span["first"] is None:
            self.stdout.write(f"Đã xóa {forgotten} kết quả đã lưu; chưa có hồ sơ nào để tính.")
            return
        first_year = max(from_year or span["first"].year, 1990)
        with_dossiers = set(Dossier.objects.order_by().values_list("agency_id", flat=True).distinct())
        agencies = list(Agency.objects.filter(pk__in=with_dossiers).order_by("pk"))
        scopes = [[a.pk] for a in agencies]
        by_province: dict[int, list[int]] = {}
        for agency in Agency.objects.filter(province__isnull=False).order_by("pk"):
            by_province.setdefault(agency.province_id, []).append(agency.pk)
        scopes += [ids for ids in by_province.values() if len(ids) > 1 and with_dossiers & set(ids)]
        kept = 0
        for period in closed_periods(first_year, today):
            for ids in scopes:
                cache.statistics(period, ids, today=today)
                kept += 1
            ids = [a.pk for a in agencies]

            def members(missing: list[int], period=period) -> dict[int, dict]:
                out = {}
                for pk in missing:
                    fresh = compute(period, agencies=[pk], today=today)
                    out[pk] = cache.member_payload(fresh.dossiers, fresh.procedures.total, fresh.procedures.online)
                return out

            kept += len(cache.member_figures(period, ids, members, today=today))
        self.stdout.write(
            f"Đã xóa {forgotten} kết quả cũ và tính lại {kept} kết quả của {len(scopes)} phạm vi, "
            f"các kỳ đã kết thúc từ năm {first_year}."
        )
