"""`cchc index766 --agency SKHCN --period 2023-Q1 [--format json]`: the QĐ 766 service index of an agency (or, with
--province and no --agency, of every agency of a province; with --all, of everything) for a calendar month, quarter,
year or range of days: the groups and their indicators with points, as text or JSON."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.agencies.models import Province
from cchc.procedures.management.commands._agency import find_agency
from cchc.serviceindex import scoring, service
from cchc.serviceindex.formatting import percent, points
from cchc.statistics.periods import parse_period


class Command(BaseCommand):
    help = "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766) của một cơ quan, một tỉnh hoặc toàn hệ thống cho một kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", help="Ký hiệu cơ quan, ví dụ SKHCN.")
        parser.add_argument("--province", help="Mã tỉnh: cùng --agency khi nhiều tỉnh có cơ quan cùng ký hiệu; "
                                               "không có --agency: cả tỉnh.")  # fmt: skip
        parser.add_argument("--all", action="store_true", help="Mọi cơ quan (không có --agency, --province).")
        parser.add_argument(
            "--period", required=True, help="Tháng, quý, năm dương lịch hoặc khoảng ngày: 2023-03, 2023-Q1, 2023, "
            "2023-01-01..2023-03-31."
        )  # fmt: skip
        parser.add_argument("--format", choices=["text", "json"], default="text", help="Cách in (mặc định text).")

    def handle(self, *args, **options) -> None:
        try:
            period = parse_period(options["period"], "calendar")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["agency"]:
            agency = find_agency(options["agency"], options.get("province"))
            scope, label = {"agencies": [agency]}, agency.name
        elif options.get("province"):
            province = Province.objects.filter(code__iexact=options["province"].strip()).first()
            if province is None:
                raise CommandError(f"Không có tỉnh mã «{options['province']}».")
            scope, label = {"province": province}, f"Toàn tỉnh {province.name}"
        elif options["all"]:
            scope, label = {}, "Tất cả cơ quan"
        else:
            raise CommandError("Cần --agency, --province hoặc --all.")
        result = service.compute(period, **scope)
        if options["format"] == "json":
            data = {"scope": label, **result.as_json()}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Chỉ số phục vụ (QĐ 766) – {label} – {period.label} "
                          f"({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})")  # fmt: skip
        if not result.has_ended:
            self.stdout.write(f"Số liệu tính đến ngày {result.as_of:%d/%m/%Y}.")
        self.stdout.write(f"Tổng điểm: {points(result.total)}/{points(result.max_points)}")
        for group in result.groups:
            self.stdout.write("")
            self.stdout.write(f"{group.code} {group.name}: {points(group.points)}/{points(group.max_points)}")
            for i in group.indicators:
                count = f"{points(i.numerator)}/{points(i.denominator)} ({percent(i.percent)})"
                origin = {
                    scoring.NOT_APPLICABLE: " [không áp dụng: đủ điểm]",
                    scoring.NO_DATA: " [chưa có số liệu nhập]",
                    scoring.EMPTY: " [không có gì để tính]",
                }.get(i.state, " [nhập từ Cổng DVCQG]" if i.origin == service.IMPORTED_ORIGIN else "")
                self.stdout.write(f"  {i.code:<5} {points(i.points):>6}/{points(i.max_points):<3} {count:<24} "
                                  f"{i.name}{origin}")  # fmt: skip
