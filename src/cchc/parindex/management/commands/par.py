"""`cchc par ...`: the PAR Index from the command line.

cchc par export --agency SKHCN --year 2023 -o bang-diem.xlsx        the agency's sheet as XLSX
cchc par show --agency SKHCN --year 2023 --format json               totals and one entry per item
cchc par import-framework FILE --province H45 --year 2023            a province's framework from its XLSX
cchc par export-framework --province H45 --year 2023 -o bo-tieu-chi.xlsx
cchc par load-default [--province H45 --year 2023]                   the shipped template (and a copy of it)
cchc par apply-deadlines                                             lock the sheets whose deadline passed
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.agencies.models import Agency, Province
from cchc.parindex import defaults, frameworks, proposals, sheets
from cchc.parindex.io import framework_xlsx
from cchc.parindex.models import AgencyGroup, Framework, Sheet
from cchc.parindex.outputs import tables
from cchc.parindex.presenter import as_json, read_sheet, shown


def _agency(code: str, province: str | None) -> Agency:
    found = Agency.objects.filter(code__iexact=code.strip())
    if province:
        found = found.filter(province__code__iexact=province.strip())
    agencies = list(found.select_related("province")[:2])
    if not agencies:
        raise CommandError(f"Không có cơ quan mã «{code}»" + (f" thuộc tỉnh «{province}»." if province else "."))
    if len(agencies) > 1:
        raise CommandError(f"Có nhiều cơ quan mã «{code}»: thêm --province (mã tỉnh, ví dụ H45).")
    return agencies[0]


def _province(code: str) -> Province:
    province = Province.objects.filter(code__iexact=code.strip()).first()
    if province is None:
        raise CommandError(f"Không có tỉnh mã «{code}».")
    return province


def _framework(province: Province, year: int, group: str) -> Framework:
    framework = Framework.objects.filter(province=province, year=year, group=group).first()
    if framework is None:
        raise CommandError(f"{province.name} chưa có bộ tiêu chí năm {year} cho nhóm {AgencyGroup(group).label}.")
    return framework


class Command(BaseCommand):
    help = "Chỉ số CCHC: xuất, xem bảng điểm; nhập, xuất bộ tiêu chí; nạp bộ tiêu chí mẫu."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def sheet_args(command) -> None:
            command.add_argument("--agency", required=True, help="Mã cơ quan, ví dụ SKHCN.")
            command.add_argument("--province", help="Mã tỉnh khi nhiều tỉnh có cơ quan cùng mã, ví dụ H45.")
            command.add_argument("--year", type=int, required=True, help="Năm đánh giá, ví dụ 2023.")
            command.add_argument("--group", default=AgencyGroup.DEPARTMENTS, choices=AgencyGroup.values)

        export = sub.add_parser("export", help="Ghi bảng điểm của một cơ quan ra tệp .xlsx.")
        sheet_args(export)
        export.add_argument("-o", "--output", required=True, help="Tệp .xlsx ghi ra.")
        show = sub.add_parser("show", help="In bảng điểm của một cơ quan.")
        sheet_args(show)
        show.add_argument("--format", default="text", choices=["text", "json"])
        imported = sub.add_parser("import-framework", help="Nhập bộ tiêu chí của tỉnh từ tệp .xlsx.")
        imported.add_argument("file")
        imported.add_argument("--province", required=True, help="Mã tỉnh, ví dụ H45.")
        imported.add_argument("--year", type=int, required=True)
        imported.add_argument("--group", default=AgencyGroup.DEPARTMENTS, choices=AgencyGroup.values)
        imported.add_argument("--name", default="", help="Tên bộ tiêu chí (mặc định: dòng đầu của tệp).")
        exported = sub.add_parser("export-framework", help="Ghi bộ tiêu chí của tỉnh ra tệp .xlsx.")
        exported.add_argument("--province", required=True)
        exported.add_argument("--year", type=int, required=True)
        exported.add_argument("--group", default=AgencyGroup.DEPARTMENTS, choices=AgencyGroup.values)
        exported.add_argument("-o", "--output", required=True)
        default = sub.add_parser(
            "load-default", help="Nạp bộ tiêu chí mẫu; với --province và --year, sao chép cho tỉnh."
        )
        default.add_argument("--province")
        default.add_argument("--year", type=int)
        sub.add_parser("apply-deadlines", help="Khóa các bảng điểm đã hết hạn tự chấm, kết thúc giải trình quá hạn.")

    def handle(self, *args, **options) -> None:
        action = options["action"].replace("-", "_")
        getattr(self, action)(options)

    def _sheet(self, options) -> Sheet:
        agency = _agency(options["agency"], options.get("province"))
        if agency.province_id is None:
            raise CommandError(f"{agency.name} không thuộc tỉnh nào.")
        framework = _framework(agency.province, options["year"], options["group"])
        sheet = Sheet.objects.filter(framework=framework, agency=agency).select_related("framework", "agency").first()
        if sheet is None:
            raise CommandError(f"{agency.name} chưa có bảng điểm năm {options['year']}.")
        proposals.refresh(sheet)
        return sheet

    def export(self, options) -> None:
        sheet = self._sheet(options)
        output = Path(options["output"])
        output.write_bytes(tables.sheet_xlsx(read_sheet(sheet)))
        self.stdout.write(f"Đã ghi {output} (bảng điểm năm {sheet.framework.year} của {sheet.agency.name}).")

    def show(self, options) -> None:
        view = read_sheet(self._sheet(options))
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(view), ensure_ascii=False, indent=2))
            return
        totals = view.totals
        self.stdout.write(f"{view.sheet.agency.name} – {view.sheet.framework.name} ({view.sheet.get_phase_display()})")
        for row in view.rows:
            pad = "  " * row.depth
            columns = " ".join(f"{shown(row.points.get(c)) or '—':>6}" for c in totals.begun)
            proposed = f" [cchc: {shown(row.proposed)}]" if row.is_leaf and row.proposed is not None else ""
            self.stdout.write(f"{pad}{row.item.code:<8} {shown(row.item.max_points):>6} {columns}{proposed}"
                              f"  {row.item.title[:70]}")  # fmt: skip
        tier = totals.tier.name if totals.tier else "—"
        points, maximum, index = shown(totals.points), shown(totals.maximum), shown(totals.result_index)
        self.stdout.write(f"Điểm: {points}/{maximum}, chỉ số {index} %, xếp loại {tier}.")

    def import_framework(self, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        province = _province(options["province"])
        try:
            result = framework_xlsx.import_framework(path.read_bytes(), None, province=province, year=options["year"],
                                                     group=options["group"], filename=path.name, name=options["name"],
                                                     system=True)  # fmt: skip
        except framework_xlsx.FrameworkImportError as exc:
            raise CommandError("Không nhập được bộ tiêu chí, chưa ghi mục nào:\n" + "\n".join(exc.problems)) from exc
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(f"Đã nhập «{result.framework.name}»: {result.items} mục.")

    def export_framework(self, options) -> None:
        framework = _framework(_province(options["province"]), options["year"], options["group"])
        Path(options["output"]).write_bytes(framework_xlsx.export_framework(framework))
        self.stdout.write(f"Đã ghi {options['output']} ({framework.name}).")

    def load_default(self, options) -> None:
        template, created = defaults.load()
        self.stdout.write(("Đã nạp" if created else "Đã có sẵn") + f" bộ tiêu chí mẫu «{template.name}».")
        if options.get("province") or options.get("year"):
            if not (options.get("province") and options.get("year")):
                raise CommandError("Cần cả --province và --year để sao chép bộ tiêu chí mẫu cho tỉnh.")
            province = _province(options["province"])
            try:
                copy = frameworks.copy_framework(template, _System(), province=province, year=options["year"])
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(f"Đã sao chép cho {province.name}: «{copy.name}».")

    def apply_deadlines(self, options) -> None:
        moved = sheets.apply_all_deadlines()
        self.stdout.write(f"Đã chuyển giai đoạn {moved} bảng điểm hết hạn.")


class _System:
    """The command line acts as the installation's administrator (no person to audit as)."""

    is_authenticated = False
    is_superuser = True
    pk = None
