"""cchc extract FILE [--format json]: print what a report (.docx, .txt/.md, .pdf) states, as one JSON object.

Exit status: 0 on success; 1 when the file cannot be read as a report (damaged, foreign or unsupported format);
2 when the file does not exist. Errors go to stderr as one line, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.extraction import ExtractionError, extract


class Command(BaseCommand):
    help = _("Đọc một báo cáo (.docx, .txt, .md, .pdf) và in siêu dữ liệu, văn bản dẫn chiếu, số liệu, nhiệm vụ và "
             "đề mục dưới dạng JSON.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Tệp báo cáo"))
        parser.add_argument("--format", choices=["json"], default="json", help=_("Định dạng kết quả (json)"))

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp: %(path)s") % {"path": path}, returncode=2)
        try:
            result = extract(path)
        except ExtractionError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
