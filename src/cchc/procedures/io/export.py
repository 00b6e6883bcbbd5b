"""The catalogue as XLSX or CSV, in the import's columns (export -> import round-trips unchanged)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from cchc.procedures.models import Procedure
from cchc.tablefiles import spreadsheet_value

from . import parts as parts_io
from .columns import _DISPLAY, AGENCY_HEADER, COLUMNS, NUMBER_HEADER

# --- export -------------------------------------------------------------------------------------------------


def _export_values(procedure: Procedure, for_csv: bool) -> list[Any]:
    def number(value: Decimal | None) -> Any:
        if value is None:
            return ""
        value = value.normalize() if value != value.to_integral_value() else value.to_integral_value()
        if for_csv:
            return str(value).replace(".", ",")
        return int(value) if value == value.to_integral_value() else float(value)

    def day(value: dt.date | None) -> Any:
        if value is None:
            return ""
        return f"{value:%d/%m/%Y}" if for_csv else value

    values = {
        "code": procedure.code,
        "local_code": procedure.local_code,
        "name": procedure.name,
        "field": procedure.field.name,
        "level": _DISPLAY["Cấp thực hiện"].get(procedure.level, procedure.level),
        "processing_time": number(procedure.processing_time),
        "reduced_processing_time": number(procedure.reduced_processing_time),
        "time_unit": _DISPLAY["Đơn vị thời hạn"].get(procedure.time_unit, procedure.time_unit),
        "cutoff_time": f"{procedure.cutoff_time:%H:%M}" if procedure.cutoff_time else "",
        "online_service": _DISPLAY["DVC trực tuyến"].get(procedure.online_service, procedure.online_service),
        "legacy_online_level": procedure.legacy_online_level or "",
        "interconnection": _DISPLAY["Liên thông"].get(procedure.interconnection, procedure.interconnection),
        "one_stop": _DISPLAY["Một cửa"][bool(procedure.one_stop)],
        "fees": procedure.fees,
        "result_document": procedure.result_document,
        "result_kind": _DISPLAY["Loại kết quả"].get(procedure.result_kind, ""),
        "internal_process_decision": procedure.internal_process_decision,
        "publishing_decision": procedure.publishing_decision,
        "effective_from": day(procedure.effective_from),
        "abolished_on": day(procedure.abolished_on),
    }
    return [values[column.key] for column in COLUMNS]


def _safe(values: list[Any], fmt: str) -> list[Any]:
    """Texts go out as text, never as formulas (a procedure named "=HYPERLINK(...)"); numbers stay numbers."""
    return [spreadsheet_value(value, fmt) for value in values]


def _headers() -> list[str]:
    return [NUMBER_HEADER, *(column.header for column in COLUMNS), AGENCY_HEADER]


def export_catalogue(queryset: QuerySet[Procedure], fmt: str, title: str = "") -> bytes:
    """The procedures of `queryset` (already scoped by the caller) as XLSX or CSV bytes, in the import columns."""
    procedures = list(queryset.select_related("field", "agency").order_by("agency__name", "code", "effective_from"))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(_safe(_headers(), fmt))
        for number, procedure in enumerate(procedures, start=1):
            writer.writerow(_safe([number, *_export_values(procedure, for_csv=True), procedure.agency.name], fmt))
        # A BOM so that Excel opens the Vietnamese text as UTF-8.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"Định dạng không hỗ trợ: {fmt}")
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục TTHC"
    sheet.append(_safe([title or _("DANH MỤC THỦ TỤC HÀNH CHÍNH")], fmt))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(_safe(_headers(), fmt))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    date_columns = {i + 2 for i, column in enumerate(COLUMNS) if column.key in ("effective_from", "abolished_on")}
    for number, procedure in enumerate(procedures, start=1):
        sheet.append(_safe([number, *_export_values(procedure, for_csv=False), procedure.agency.name], fmt))
        for col in date_columns:
            sheet.cell(row=sheet.max_row, column=col).number_format = "DD/MM/YYYY"
    widths = {"name": 60, "field": 30, "fees": 30, "publishing_decision": 30, "result_document": 30}
    for index, header in enumerate(_headers(), start=1):
        key = COLUMNS[index - 2].key if 2 <= index <= len(COLUMNS) + 1 else ""
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, max(10, min(len(header) + 2, 22)))
    sheet.freeze_panes = "C4"
    _parts_sheets(workbook, procedures, fmt)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parts_sheets(workbook, procedures: list[Procedure], fmt: str) -> None:
    """One sheet per part (components, fees, internal process), keyed by code and "Hiệu lực từ" (io/parts.py)."""
    from openpyxl.styles import Font

    by_pk = {p.pk: p for p in procedures}
    for spec in parts_io.SHEETS:
        sheet = workbook.create_sheet(spec.title)
        sheet.append(_safe([c.header for c in spec.columns], fmt))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        related = ("unit", "external_agency") if spec is parts_io.STEPS_SHEET else ()
        objects = (
            spec.kind.model.objects.filter(procedure_id__in=list(by_pk))
            .select_related(*related)
            .order_by("procedure_id", "position")
        )
        grouped: dict[int, list] = {}
        for obj in objects:
            grouped.setdefault(obj.procedure_id, []).append(obj)
        for procedure in procedures:
            for values in parts_io.export_rows(spec, procedure, grouped.get(procedure.pk, [])):
                sheet.append(_safe(values, fmt))
                sheet.cell(row=sheet.max_row, column=2).number_format = "DD/MM/YYYY"
        sheet.column_dimensions["D"].width = 50
        sheet.freeze_panes = "A2"


def agency_catalogue(agency, on: dt.date | None = None) -> QuerySet[Procedure]:
    queryset = Procedure.objects.filter(agency=agency)
    return queryset.in_force_on(on) if on else queryset


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_response(queryset: QuerySet[Procedure], fmt: str, filename: str | None = None) -> HttpResponse:
    """An HTTP download of export_catalogue(queryset, fmt); the caller scopes the queryset."""
    response = HttpResponse(export_catalogue(queryset, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename or "danh-muc-tthc"}.{fmt}"'
    return response
