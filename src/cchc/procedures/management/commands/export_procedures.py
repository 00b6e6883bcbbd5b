"""cchc export-procedures --agency CODE [--province CODE] [--on dd/mm/yyyy] -o FILE.xlsx|FILE.csv"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.procedures import io

from ._agency import find_agency
from .import_procedures import _date


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục hành chính của một cơ quan ra tệp XLSX hoặc CSV (cùng cột với tệp nhập)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", required=True, help="Ký hiệu cơ quan, ví dụ SKHCN")
        parser.add_argument("--province", help="Mã tỉnh của cơ quan, ví dụ H45")
        parser.add_argument("--on", help="Chỉ xuất các thủ tục còn hiệu lực vào ngày này (dd/mm/yyyy)")
        parser.add_argument("-o", "--output", required=True, help="Tệp kết quả: .xlsx hoặc .csv")

    def handle(self, *args, **options) -> None:
        agency = find_agency(options["agency"], options.get("province"))
        output = Path(options["output"])
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError("Tệp kết quả phải có đuôi .xlsx hoặc .csv")
        day = _date(options["on"]) if options.get("on") else None
        queryset = io.agency_catalogue(agency, day)
        title = f"DANH MỤC THỦ TỤC HÀNH CHÍNH – {agency.name.upper()}"
        if day:
            title += f" (còn hiệu lực ngày {day:%d/%m/%Y})"
        try:
            output.write_bytes(io.export_catalogue(queryset, fmt, title=title))
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc}") from exc
        self.stdout.write(f"Đã xuất {queryset.count()} thủ tục của {agency.name} ra {output}.")
