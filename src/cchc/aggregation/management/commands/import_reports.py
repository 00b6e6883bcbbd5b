"""`cchc import-reports PATH [PATH...] --agency CODE [--province CODE] [--user NAME] [--confirm] [--period KEY]`

Reads existing reports (.docx, .txt, .md, .pdf; a folder means every such file inside it) into cchc for one agency,
one progress line per file. Without --confirm each file waits for review on the web (Nhập báo cáo); with it, each
is confirmed as read. The rules are in aggregation.importing: the same file twice is one import, a confirmed one is not
confirmed again, a broken file changes nothing. Exit code 1 when any file failed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.aggregation import importing as imports
from cchc.aggregation.models import ImportedReport, ImportStatus
from cchc.procedures.management.commands._agency import find_agency
from cchc.statistics.periods import parse_period


def report_files(paths: list[str]) -> list[Path]:
    """The files named, and the report files inside the folders named (sorted, without hidden files and Word's
    "~$" lock files), each once."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in imports.ACCEPTED_SUFFIXES
                and not p.name.startswith((".", "~$"))
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            raise CommandError(f"Không có tệp hoặc thư mục {raw}.")
    seen: set[Path] = set()
    unique = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _messages(exc: Exception) -> str:
    return "; ".join(getattr(exc, "messages", None) or [str(exc)])


class Command(BaseCommand):
    help = "Nhập báo cáo đã có (.docx, .txt, .md, .pdf, hoặc cả thư mục) cho một cơ quan; --confirm để xác nhận luôn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Tệp báo cáo hoặc thư mục chứa báo cáo")
        parser.add_argument("--agency", required=True, help="Ký hiệu cơ quan của các báo cáo, ví dụ SKHCN")
        parser.add_argument("--province", help="Mã tỉnh của cơ quan, ví dụ H45")
        parser.add_argument("--user", help="Tên đăng nhập của người nhập (ghi vào nhật ký)")
        parser.add_argument("--confirm", action="store_true", help="Xác nhận nhập ngay từng báo cáo như đã đọc")
        parser.add_argument(
            "--period", help="Kỳ báo cáo (ví dụ 2023-Q1) cho những tệp không đọc được kỳ từ trích yếu, khi --confirm"
        )

    def handle(self, *args, **options) -> None:
        agency = find_agency(options["agency"], options.get("province"))
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không tìm thấy người dùng {options['user']}.")
            try:
                # The same right as on the web (the agency's editors and its aggregators), checked before any file
                # is read so that a user without it leaves nothing behind.
                imports.require_editor(actor, agency)
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from exc
        fallback_period = options.get("period")
        if fallback_period:
            try:
                parse_period(fallback_period)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        files = report_files(options["paths"])
        if not files:
            raise CommandError("Không thấy tệp báo cáo nào (.docx, .txt, .md, .pdf).")
        failed = 0
        for position, path in enumerate(files, start=1):
            ok, line = self.import_one(path, agency, actor, options["confirm"], fallback_period)
            failed += 0 if ok else 1
            self.stdout.write(f"[{position}/{len(files)}] {path.name}: {line}")
            self.stdout.flush()
        self.stdout.write(
            f"Đã xử lý {len(files)} tệp cho {agency.name}: {len(files) - failed} thành công, {failed} lỗi."
        )
        if failed:
            raise CommandError(f"{failed} tệp không nhập được.", returncode=1)

    def import_one(self, path: Path, agency, actor, confirm: bool, fallback_period: str | None) -> tuple[bool, str]:
        """(success, the progress text for one file: "đã đọc, 31 văn bản, 17 số liệu" or the error)."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            return False, f"lỗi: không mở được tệp ({exc.strerror or exc})."
        before = ImportedReport.objects.filter(agency=agency, sha256=hashlib.sha256(data).hexdigest()).first()
        try:
            imported = imports.stage_file(agency, data, actor, filename=path.name)
        except imports.ImportRejected as exc:
            return False, f"lỗi: {exc}"
        extracted = imported.extracted or {}
        counts = f"{len(extracted.get('references') or [])} văn bản, {len(extracted.get('figures') or {})} số liệu"
        if before is not None and before.status != ImportStatus.DISCARDED:
            text = f"đã có từ trước ({imported.get_status_display().lower()}), {counts}"
        else:
            text = f"đã đọc, {counts}"
        if not confirm:
            return True, text
        if imported.status == ImportStatus.CONFIRMED:
            return True, text + "; đã xác nhận trước đó, không nhập lại"
        corrections = {} if imported.period_key or not fallback_period else {"period": fallback_period}
        try:
            done = imports.confirm(imported, corrections, actor)
        except (ValidationError, PermissionDenied) as exc:
            return False, f"lỗi: {text}, nhưng chưa xác nhận được: {_messages(exc)}"
        result = done.result or {}
        return True, (
            text + f"; đã xác nhận kỳ {done.period_key}: {result.get('documents', 0)} văn bản mới vào sổ, "
            f"{result.get('tasks', 0)} nhiệm vụ, {result.get('figures', 0)} số liệu"
        )
