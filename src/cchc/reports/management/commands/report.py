"""`cchc report build --agency SKHCN --template cchc-quarterly --period 2023-Q1 -o out.docx [--pdf] [--xlsx out.xlsx]`

Builds a report without the web: reuses the newest draft of that agency, template and period, or creates one.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.agencies.models import Agency
from cchc.reports import builder, services
from cchc.reports.rendering import PdfConversionError
from cchc.statistics.periods import parse_period


class Command(BaseCommand):
    help = "Báo cáo: build dựng báo cáo (.docx, PDF, .xlsx) từ số liệu trong hệ thống."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Dựng báo cáo của một cơ quan cho một kỳ.")
        build.add_argument("--agency", required=True, help="Mã cơ quan, ví dụ SKHCN.")
        build.add_argument("--province", help="Mã tỉnh (khi nhiều tỉnh có cơ quan cùng mã), ví dụ H45.")
        build.add_argument("--template", default="cchc-quarterly", help="Mã mẫu báo cáo, ví dụ cchc-quarterly.")
        build.add_argument("--period", required=True, help="Kỳ báo cáo: 2023-Q1, 2023-H1, 2023-9M, 2023.")
        build.add_argument("--mode", default="nd09", choices=["nd09", "calendar"], help="Cách tính kỳ.")
        build.add_argument("-o", "--output", required=True, help="Tệp .docx ghi ra.")
        build.add_argument("--pdf", nargs="?", const="", default=None, help="Ghi thêm PDF (mặc định cạnh tệp .docx).")
        build.add_argument("--xlsx", help="Ghi các bảng số liệu và phụ lục ra tệp .xlsx.")

    def handle(self, *args, **options) -> None:
        if options["action"] == "build":
            self.build(options)

    def _agency(self, code: str, province: str | None) -> Agency:
        agencies = Agency.objects.filter(code__iexact=code.strip())
        if province:
            agencies = agencies.filter(province__code__iexact=province.strip())
        found = list(agencies.select_related("province")[:2])
        if not found:
            raise CommandError(f"Không có cơ quan mã «{code}»" + (f" thuộc tỉnh «{province}»." if province else "."))
        if len(found) > 1:
            raise CommandError(f"Có nhiều cơ quan mã «{code}»: thêm --province (mã tỉnh, ví dụ H45).")
        return found[0]

    def build(self, options) -> None:
        agency = self._agency(options["agency"], options.get("province"))
        try:
            period = parse_period(options["period"], options["mode"])
            report = services.find_or_create_draft(agency, options["template"], period, None)
        except (ValueError, ValidationError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        output = Path(options["output"])
        docx = builder.build_docx(report)
        output.write_bytes(docx)
        self.stdout.write(f"Đã ghi {output} ({report.template.name}, {report.period_label}).")
        if options["pdf"] is not None:
            pdf_path = Path(options["pdf"]) if options["pdf"] else output.with_suffix(".pdf")
            try:
                pdf_path.write_bytes(builder.build_pdf(report, docx=docx))
            except PdfConversionError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Đã ghi {pdf_path}.")
        if options.get("xlsx"):
            Path(options["xlsx"]).write_bytes(builder.build_xlsx(report))
            self.stdout.write(f"Đã ghi {options['xlsx']}.")
