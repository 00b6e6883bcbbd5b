"""cchc import-dossiers FILE --agency CODE [--province CODE] [--user USERNAME] [--errors FILE.csv] [--batch-size N]
[--reason TEXT]"""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cchc.agencies.models import Agency
from cchc.dossiers.importer import ImportFileError, import_dossiers, write_errors_csv
from cchc.tablefiles import COMMAND_LINE_LIMITS

PROGRESS_EVERY = 10_000
SHOWN_ERRORS = 50


def _agency(code: str, province: str | None) -> Agency:
    agencies = Agency.objects.filter(code__iexact=code)
    if province:
        agencies = agencies.filter(province__code__iexact=province)
    found = list(agencies[:2])
    if not found:
        where = f" thuộc tỉnh {province}" if province else ""
        raise CommandError(f"Không tìm thấy cơ quan có ký hiệu {code}{where}.")
    if len(found) > 1:
        raise CommandError(f"Có nhiều cơ quan ký hiệu {code}; hãy chỉ rõ tỉnh bằng --province.")
    return found[0]


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Nhập hồ sơ từ tệp CSV/XLSX xuất từ hệ thống một cửa khác (xem docs/dossier-import.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Tệp .csv hoặc .xlsx")
        parser.add_argument("--agency", required=True, help="Ký hiệu cơ quan, ví dụ SKHCN")
        parser.add_argument("--province", help="Mã tỉnh của cơ quan, ví dụ H45")
        parser.add_argument("--user", help="Tên đăng nhập của người nhập (ghi vào nhật ký và sự kiện hồ sơ)")
        parser.add_argument("--errors", help="Ghi các dòng lỗi (kèm lý do) ra tệp CSV này")
        parser.add_argument("--batch-size", type=int, default=2000, help="Số dòng mỗi lô ghi (mặc định 2000)")
        parser.add_argument(
            "--reason",
            default="",
            help="Lý do thay đổi số liệu kỳ đã báo cáo: cần khi tệp thêm hoặc sửa hồ sơ thuộc kỳ của báo cáo đã gửi "
            "hoặc đã duyệt",
        )

    def handle(self, *args, **options) -> None:
        agency = _agency(options["agency"], options.get("province"))
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không tìm thấy người dùng {options['user']}.")
        started = time.perf_counter()
        state = {"next": PROGRESS_EVERY}

        def progress(done: int, total: int | None) -> None:
            if done < state["next"] and done != total:
                return
            state["next"] = (done // PROGRESS_EVERY + 1) * PROGRESS_EVERY
            rate = done / max(time.perf_counter() - started, 1e-9)
            of = f"/{_number(total)}" if total else ""
            sys.stderr.write(f"  đã xử lý {_number(done)}{of} dòng ({_number(int(rate))} dòng/giây)\n")
            sys.stderr.flush()

        try:
            result = import_dossiers(
                options["file"],
                agency=agency,
                actor=actor,
                progress=progress,
                batch_size=options["batch_size"],
                limits=COMMAND_LINE_LIMITS,
                change_reason=options["reason"],
            )
        except ImportFileError as exc:
            if exc.result is not None and options.get("errors"):
                self._write_errors(exc.result, options["errors"])
            raise CommandError(str(exc)) from exc

        out = self.stdout
        out.write(f"Nhập hồ sơ từ tệp {result.file_name} vào {agency.name}:")
        out.write(f"  Số dòng dữ liệu: {_number(result.total_rows)}")
        out.write(f"  Thêm mới: {_number(result.created)}")
        out.write(f"  Cập nhật: {_number(result.updated)}")
        out.write(f"  Không thay đổi: {_number(result.unchanged)}")
        out.write(f"  Dòng lỗi: {_number(len(result.errors))}")
        out.write(f"  Thời gian: {result.seconds:.1f} giây ({_number(int(result.rows_per_second))} dòng/giây)")
        for error in result.errors[:SHOWN_ERRORS]:
            code = f" ({error.code})" if error.code else ""
            out.write(f"  Dòng {error.row}{code}: {error.message}")
        if len(result.errors) > SHOWN_ERRORS:
            out.write(f"  … và {_number(len(result.errors) - SHOWN_ERRORS)} dòng lỗi khác.")
        if options.get("errors"):
            self._write_errors(result, options["errors"])

    def _write_errors(self, result, path: str) -> None:
        try:
            written = write_errors_csv(result, path)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp lỗi {path}: {exc}") from exc
        self.stdout.write(f"Đã ghi {_number(written)} dòng lỗi ra {path}.")
