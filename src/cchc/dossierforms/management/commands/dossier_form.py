"""`cchc dossier-form CODE [--agency SKHCN] --form tiep-nhan -o giay.docx [--pdf]`, `cchc dossier-form --list`,
and the register: `cchc dossier-form --form so-theo-doi --agency SKHCN --from 2025-07-01 --to 2025-09-30 -o so.docx`.

-o FILE.docx writes the .docx; --pdf writes the PDF beside it (or at -o when FILE ends in .pdf).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.agencies.models import Agency
from cchc.dossiers.models import Dossier, Regime
from cchc.reports.rendering import PdfConversionError, render_docx, to_pdf

from ... import services
from ...catalogue import SPECS, FormCode


class Command(BaseCommand):
    help = "In biểu mẫu một cửa của một hồ sơ (.docx, PDF), hoặc Sổ theo dõi hồ sơ của một khoảng ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?", help="Mã hồ sơ.")
        parser.add_argument("--agency", help="Mã cơ quan, ví dụ SKHCN (cần khi hai cơ quan có hồ sơ cùng mã).")
        parser.add_argument("--form", help="Tên biểu mẫu: " + ", ".join(FormCode.values) + ".")
        parser.add_argument("-o", "--output", help="Tệp ghi ra (.docx, hoặc .pdf cùng --pdf).")
        parser.add_argument("--pdf", action="store_true", help="Ghi cả PDF (qua LibreOffice).")
        parser.add_argument("--from", dest="start", help="Sổ theo dõi: ngày đầu kỳ (YYYY-MM-DD).")
        parser.add_argument("--to", dest="end", help="Sổ theo dõi: ngày cuối kỳ (YYYY-MM-DD).")
        parser.add_argument("--list", action="store_true", help="Liệt kê các biểu mẫu của từng chế độ pháp lý.")

    def handle(self, *args, **options) -> None:
        if options["list"]:
            self._list()
            return
        form = (options.get("form") or "").strip()
        if not form:
            raise CommandError("Thiếu --form; các biểu mẫu: " + ", ".join(FormCode.values) + " (xem --list).")
        if form not in FormCode.values:
            raise CommandError(f"Không có biểu mẫu «{form}»; các biểu mẫu: {', '.join(FormCode.values)} (xem --list).")
        if not options.get("output"):
            raise CommandError("Thiếu -o TỆP (tệp .docx hoặc .pdf ghi ra).")
        try:
            if form == FormCode.REGISTER:
                name, docx = self._register(options)
            else:
                name, docx = self._dossier_form(options, form)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self._write(Path(options["output"]), docx, options["pdf"], name)

    def _list(self) -> None:
        for regime in Regime.values:
            self.stdout.write(f"{Regime(regime).label}:")
            for (spec_regime, code), spec in SPECS.items():
                if spec_regime == regime:
                    self.stdout.write(f"  {code:<12} Mẫu số {spec.number} {spec.circular}: {spec.title}")
        self.stdout.write("  (Thông tư 01/2018/TT-VPCP không có mẫu dừng giải quyết: «dung» chỉ có theo NĐ 118/2025.)")

    def _dossier_form(self, options, form: str) -> tuple[str, bytes]:
        code = (options.get("code") or "").strip()
        if not code:
            raise CommandError("Thiếu mã hồ sơ: cchc dossier-form MÃ-HỒ-SƠ --form ...")
        dossiers = Dossier.objects.filter(code=code).select_related("agency")
        if options.get("agency"):
            dossiers = dossiers.filter(agency__code__iexact=options["agency"].strip())
        found = list(dossiers[:2])
        if not found:
            where = f" của cơ quan «{options['agency']}»" if options.get("agency") else ""
            raise CommandError(f"Không có hồ sơ mã «{code}»{where}.")
        if len(found) > 1:
            raise CommandError(f"Có nhiều hồ sơ mã «{code}» ở các cơ quan khác nhau: thêm --agency MÃ-CƠ-QUAN.")
        dossier = found[0]
        return f"{services.FILE_NAMES[form]} {dossier.code}", services.dossier_docx(dossier, form)

    def _register(self, options) -> tuple[str, bytes]:
        if not options.get("agency"):
            raise CommandError("Sổ theo dõi cần --agency MÃ-CƠ-QUAN.")
        agencies = list(Agency.objects.filter(code__iexact=options["agency"].strip())[:2])
        if len(agencies) != 1:
            raise CommandError(
                f"Không có cơ quan mã «{options['agency']}»."
                if not agencies
                else f"Có nhiều cơ quan mã «{options['agency']}»."
            )
        try:
            start = dt.date.fromisoformat(options.get("start") or "")
            end = dt.date.fromisoformat(options.get("end") or "")
        except ValueError as exc:
            raise CommandError("Sổ theo dõi cần --from và --to dạng YYYY-MM-DD, ví dụ --from 2025-07-01.") from exc
        docx = render_docx(services.register_document(agencies[0], start, end))
        return f"sổ theo dõi {start:%d/%m/%Y}–{end:%d/%m/%Y}", docx

    def _write(self, output: Path, docx: bytes, pdf: bool, name: str) -> None:
        if output.suffix.lower() != ".pdf":
            output.write_bytes(docx)
            self.stdout.write(f"Đã ghi {output} ({name}).")
        if pdf or output.suffix.lower() == ".pdf":
            target = output if output.suffix.lower() == ".pdf" else output.with_suffix(".pdf")
            try:
                target.write_bytes(to_pdf(docx))
            except PdfConversionError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Đã ghi {target} ({name}).")
