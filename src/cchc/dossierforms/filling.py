"""What a dossier's form is filled with: the placeholder values, the tables and the QR codes.

Moments are written as the forms write them ("14 giờ 05 phút, ngày 03/7/2025" in our layout: "14 giờ 05 phút, ngày
03/07/2025"); a value the system does not know is left empty, and the template leaves room for a person to fill it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from urllib.parse import quote

import segno
from django.conf import settings
from django.utils import timezone

from cchc.dossiers.models import Dossier, DossierEvent, EventKind
from cchc.dossiers.workflow.history import control_rows
from cchc.reports.rendering import Cell, Image, ImageRow, Table

from .catalogue import FormCode
from .markup import Filling

_PROVINCE_PREFIX = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)
QR_SCALE = 4
QR_BORDER = 2
QR_WIDTH_MM = 24
BLANK_COMPONENT_ROWS = 4
BLANK_HANDOVER_ROWS = 5


def day(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def short_moment(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}" if value else ""


def place_of(agency) -> str:
    province = agency.province
    return _PROVINCE_PREFIX.sub("", province.name).strip() if province else ""


def parent_of(agency) -> str:
    if agency.parent_authority_name:
        return agency.parent_authority_name
    return f"UBND tỉnh {place_of(agency)}" if agency.province_id else ""


def person(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username()).strip()


def agency_values(agency) -> dict[str, str]:
    return {
        "agency.name": agency.name,
        "agency.code": agency.code,
        "agency.parent": parent_of(agency),
        "agency.address": agency.address,
        "agency.place": place_of(agency),
        "today": day(timezone.localdate()),
    }


def status_url(code: str) -> str:
    """The public status page of a dossier, when the installation has one (CCHC["PUBLIC_STATUS_URL"])."""
    pattern = (getattr(settings, "CCHC", {}) or {}).get("PUBLIC_STATUS_URL", "") or ""
    return pattern.replace("{code}", quote(code, safe="")) if pattern.strip() else ""


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG bytes (error correction M: a creased receipt still reads)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", boost_error=False).save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()


def _duration(number: Decimal, unit_label: str) -> str:
    text = f"{number.normalize():f}".replace(".", ",")
    return f"{text} {unit_label}"


def last_event(dossier: Dossier, kind: str) -> DossierEvent | None:
    return dossier.events.filter(kind=kind).select_related("actor", "unit").order_by("-at", "-pk").first()


class DossierFilling:
    """The values and tables of the forms of one dossier."""

    def __init__(self, dossier: Dossier, form: str) -> None:
        self.dossier = Dossier.objects.select_related(
            "agency", "agency__province", "procedure", "procedure__field", "current_unit", "created_by"
        ).get(pk=dossier.pk)
        self.form = form

    # -- values ----------------------------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        d = self.dossier
        procedure = d.procedure
        received = last_event(d, EventKind.RECEIVED)
        time = procedure.reduced_processing_time or procedure.processing_time
        values = {
            **agency_values(d.agency),
            "dossier.code": d.code,
            "dossier.national_code": d.national_code,
            "dossier.summary": d.summary,
            "dossier.received_at": moment(d.received_at),
            "dossier.received_on": day(d.received_on),
            "dossier.due_at": moment(d.due_at),
            "dossier.due_on": day(d.due_date),
            "dossier.channel": d.get_channel_display(),
            "dossier.result_channel": d.get_result_channel_display(),
            # One dossier of cchc is one set (bộ) handed in; several sets are several dossiers.
            "dossier.sets": "01",
            "dossier.status_url": status_url(d.code),
            "procedure.code": procedure.code,
            "procedure.name": procedure.name,
            "procedure.field": procedure.field.name,
            "procedure.time": _duration(time, procedure.get_time_unit_display()),
            "procedure.result": procedure.result_document or procedure.get_result_kind_display(),
            "applicant.name": d.applicant_name,
            "applicant.kind": d.get_applicant_kind_display(),
            "applicant.id_number": d.applicant_id_number,
            "applicant.address": d.applicant_address,
            "applicant.phone": d.applicant_phone,
            "applicant.email": d.applicant_email,
            "receiver.name": person(received.actor if received else d.created_by),
            "receiver.unit": received.unit.name if received and received.unit else "",
            "unit.name": d.current_unit.name if d.current_unit else "",
        }
        values.update(self._event_values())
        return values

    def _event_values(self) -> dict[str, str]:
        d = self.dossier
        if self.form == FormCode.SUPPLEMENT:
            event = last_event(d, EventKind.SUPPLEMENT_REQUESTED)
            return {
                "supplement.at": moment(event.at) if event else "",
                "supplement.on": day(timezone.localtime(event.at).date()) if event else "",
                "supplement.reason": event.note if event else "",
                "supplement.missing": "; ".join(c.name for c in self.missing_components()),
            }
        if self.form == FormCode.REFUSAL:
            event = last_event(d, EventKind.REFUSED)
            return {
                "refusal.at": moment(event.at) if event else "",
                "refusal.on": day(timezone.localtime(event.at).date()) if event else "",
                "refusal.reason": event.note if event else "",
            }
        if self.form == FormCode.APOLOGY:
            event = last_event(d, EventKind.APOLOGY_ISSUED)
            return {
                "apology.at": moment(event.at) if event else "",
                "apology.on": day(timezone.localtime(event.at).date()) if event else "",
                "apology.reason": event.note if event else "",
                "apology.new_date": day(event.new_promised_date if event else d.promised_date),
                "apology.original_due": day(d.due_date),
            }
        if self.form == FormCode.STOP:
            event = last_event(d, EventKind.WITHDRAWN)
            return {
                "stop.at": moment(event.at) if event else "",
                "stop.on": day(timezone.localtime(event.at).date()) if event else "",
                "stop.reason": event.note if event else "",
            }
        return {}

    # -- tables ----------------------------------------------------------------------------------------------------

    def missing_components(self) -> list:
        """The procedure's components that the reception checklist did not record as received."""
        received = set(self.dossier.received_components.exclude(component=None).values_list("component_id", flat=True))
        return [c for c in self.dossier.procedure.components.order_by("position") if c.pk not in received]

    def components_table(self) -> list[Table]:
        """The received components with their counts; without a checklist, the procedure's list with empty counts
        for the clerk to write in; without either, empty lines."""
        rows: list[list] = []
        received = list(self.dossier.received_components.order_by("position"))
        if received:
            for index, item in enumerate(received, start=1):
                rows.append(
                    [index, item.name, item.originals or "", item.copies or "", "Đã số hóa" if item.digitised else ""]
                )
        else:
            components = list(self.dossier.procedure.components.order_by("position"))
            for index, item in enumerate(components, start=1):
                rows.append([index, item.name, "", "", "" if item.mandatory else "Nếu có"])
            if not components:
                rows = [[index, "", "", "", ""] for index in range(1, BLANK_COMPONENT_ROWS + 1)]
        return [
            Table(
                columns=["STT", "Tên giấy tờ", "Bản chính", "Bản sao", "Ghi chú"],
                rows=rows,
                widths=[12, 98, 20, 18, 27],
                aligns=["center", "left", "center", "center", "left"],
            )
        ]

    def supplement_table(self) -> list[Table]:
        missing = self.missing_components()
        rows = [[i, c.name, "Bắt buộc" if c.mandatory else ""] for i, c in enumerate(missing, start=1)]
        rows += [[len(rows) + i, "", ""] for i in range(1, 3)]  # room for what the request adds in writing
        return [
            Table(
                columns=["STT", "Giấy tờ cần bổ sung, hoàn thiện", "Ghi chú"],
                rows=rows,
                widths=[12, 133, 30],
                aligns=["center", "left", "left"],
            )
        ]

    def handovers_table(self) -> list[Table]:
        """One row per hand-over, as the workflow's history defines them (workflow.history.control_rows: who handed,
        who received, the Trước hạn/Đúng hạn/Quá hạn of the step handed on)."""
        rows = []
        for index, row in enumerate(control_rows(self.dossier), start=1):
            names = [s.name for s in (row["from_step"], row["to_step"]) if s is not None and s.name]
            step = " → ".join(dict.fromkeys(names))
            rows.append(
                [
                    index,
                    Cell(f"{step}\n({row['kind_label']})" if step else row["kind_label"]),
                    _party(row["from_unit"], row["from_user"]),
                    _party(row["to_unit"], row["to_user"]),
                    short_moment(row["at"]),
                    row["result"],
                    row["note"],
                ]
            )
        if not rows:
            rows = [[i, "", "", "", "", "", ""] for i in range(1, BLANK_HANDOVER_ROWS + 1)]
        return [
            Table(
                columns=["STT", "Bước xử lý", "Bên giao", "Bên nhận", "Thời điểm giao, nhận", "Kết quả", "Ghi chú"],
                rows=rows,
                widths=[10, 36, 30, 30, 24, 20, 25],
                aligns=["center", "left", "left", "left", "center", "center", "left"],
                font_size=11,
            )
        ]

    def qr_images(self) -> list[ImageRow]:
        code = self.dossier.code
        images = [Image(qr_png(code), QR_WIDTH_MM, caption=f"Mã hồ sơ: {code}", description=code)]
        url = status_url(code)
        if url:
            images.append(Image(qr_png(url), QR_WIDTH_MM, caption="Tra cứu tình trạng hồ sơ", description=url))
        return [ImageRow(images)]

    def filling(self) -> Filling:
        agency = self.dossier.agency
        return Filling(
            values=self.values(),
            parent_authority=parent_of(agency),
            agency_name=agency.name,
            place=place_of(agency),
            year=timezone.localdate().year,
            blocks={
                "ma-qr": self.qr_images,
                "bang-thanh-phan": self.components_table,
                "bang-can-bo-sung": self.supplement_table,
                "bang-giao-nhan": self.handovers_table,
            },
        )


def _party(unit: str, who: str) -> str:
    return "\n".join(n for n in (unit, who) if n)
