"""cchc import-procedures FILE --agency CODE [--province CODE] [--effective-from dd/mm/yyyy]"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.procedures import io

from ._agency import find_agency


def _date(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {text} (dd/mm/yyyy)")


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính của một cơ quan từ tệp XLSX hoặc CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Tệp .xlsx hoặc .csv (UTF-8, dấu phẩy hoặc chấm phẩy)")
        parser.add_argument("--agency", required=True, help="Ký hiệu cơ quan, ví dụ SKHCN")
        parser.add_argument("--province", help="Mã tỉnh của cơ quan, ví dụ H45 (khi ký hiệu trùng nhau)")
        parser.add_argument(
            "--effective-from", help="Ngày hiệu lực cho các dòng bỏ trống cột “Hiệu lực từ” (dd/mm/yyyy)"
        )

    def handle(self, *args, **options) -> None:
        agency = find_agency(options["agency"], options.get("province"))
        default_start = _date(options["effective_from"]) if options.get("effective_from") else None
        try:
            result = io.import_catalogue(options["file"], agency, None, default_effective_from=default_start)
        except io.UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{agency.name}: {result.summary()}")
        for number, message in result.errors:
            self.stdout.write(f"  Dòng {number}: {message}")
        for message in result.part_errors:
            self.stdout.write(f"  {message}")
