"""`cchc report-deadlines --agency CODE [--province CODE] [--list]`: create the default deadlines of an aggregator
(the CCHC reports of a quarter, 6 months, 9 months and a year: 02 working days after the cut-off of Nghị định
09/2019/NĐ-CP Điều 12, with that basis written on each; deadlines.DEFAULT_DEADLINES), the ones it lacks only, and
list its deadlines. The aggregator then corrects them on its page (Tổng hợp > Hạn gửi báo cáo)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cchc.aggregation import deadlines
from cchc.procedures.management.commands._agency import find_agency


class Command(BaseCommand):
    help = "Tạo các hạn gửi báo cáo mặc định cho một cơ quan tổng hợp và liệt kê các hạn gửi của cơ quan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="Ký hiệu cơ quan tổng hợp, ví dụ SNV")
        parser.add_argument("--province", help="Mã tỉnh của cơ quan, ví dụ H45")
        parser.add_argument("--list", action="store_true", help="Chỉ liệt kê, không tạo hạn gửi mặc định")

    def handle(self, *args, **options) -> None:
        aggregator = find_agency(options["agency"], options.get("province"))
        if not options["list"]:
            created = deadlines.install_defaults(aggregator, None)
            self.stdout.write(f"Đã tạo {len(created)} hạn gửi mặc định cho {aggregator.name}.")
        for row in deadlines.deadline_rows(aggregator, timezone.localdate()):
            example = f"{row.example.label}: {row.example_day:%d/%m/%Y}" if row.example else "—"
            self.stdout.write(f"- {row.regime.name} ({row.applies_to}): {row.rule_text}; ví dụ {example}. "
                              f"Căn cứ: {row.regime.basis or '—'}")  # fmt: skip
