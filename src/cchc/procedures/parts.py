"""The parts of one procedure version: its components (thành phần hồ sơ), fees and charges, and its internal process
(quy trình nội bộ). The catalogue pages, the importer and the demo change them only through this module, which
checks the rules (problems come back in Vietnamese, naming the row), writes a whole part in one transaction and
audits the change against the procedure, so its "Lịch sử thay đổi" tells what happened to its parts too.

A part is replaced as a whole: the caller hands every row it wants to keep (an existing row by its `id`, a new one
without), rows it leaves out are deleted. Rows are kept rather than recreated, so a dossier's checklist line keeps
pointing at the component it was received against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.text import clean_line, clean_text

from .models import Component, DurationUnit, Fee, InternalStep, Procedure, StepTimeUnit

HOURS_PER_DAY = 8  # a working day is 8 working hours (Nghị định 45/2013: 8 giờ một ngày)
# A month holds at most 23 working days (31 days less at least 8 days of weekend).
MAX_WORKING_DAYS_PER_MONTH = 23
MAX_POSITION = 999
_PARKED = 30_000  # positions rows wait at while a part is reordered (the unique constraint holds at every write)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the rows handed in: `row` is the 1-based index in them, `field` the field's name (None
    for the row or the whole part)."""

    row: int | None
    field: str | None
    message: str


class PartsInvalid(ValidationError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            [
                p.message if p.row is None else _("Dòng %(row)d: %(message)s") % {"row": p.row, "message": p.message}
                for p in problems
            ]
        )


# --- how parts read ----------------------------------------------------------------------------------------------


def number_text(value: Decimal | int | float | None) -> str:
    """10 -> "10", Decimal("0.50") -> "0,5" (Vietnamese decimal comma)."""
    if value is None:
        return ""
    value = Decimal(str(value))
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"{value:f}".replace(".", ",")


def amount_text(amount: Decimal | int | None) -> str:
    """1500000 -> "1.500.000 đồng"; 0 -> "Miễn phí"."""
    if amount is None:
        return ""
    if amount == 0:
        return _("Không thu")
    return _("%(amount)s đồng") % {"amount": f"{int(amount):,}".replace(",", ".")}


def duration_text(duration: Decimal | None, unit: str) -> str:
    """Decimal("0.5"), working days -> "0,5 ngày làm việc"."""
    if duration is None:
        return ""
    return f"{number_text(duration)} {StepTimeUnit(unit).label}"


def step_days(duration: Decimal, unit: str) -> Decimal:
    """A step's share in working days (8 working hours are one working day)."""
    duration = Decimal(duration)
    return duration / HOURS_PER_DAY if unit == StepTimeUnit.WORKING_HOURS else duration


def _allowed_working_days(procedure: Procedure) -> Decimal | None:
    """The most working days the steps may take together under the procedure's applied time."""
    time = procedure.applied_processing_time
    if time is None:
        return None
    time = Decimal(time)
    return {
        DurationUnit.WORKING_DAYS: time,
        DurationUnit.WORKING_HOURS: time / HOURS_PER_DAY,
        # A span of N calendar days holds at most N working days: the bound the steps cannot pass.
        DurationUnit.DAYS: time,
        DurationUnit.MONTHS: time * MAX_WORKING_DAYS_PER_MONTH,
    }.get(procedure.time_unit, time)


def time_rule(procedure: Procedure) -> str:
    """What the internal process page checks the steps' total against, in words."""
    time = procedure.applied_processing_time
    shown = f"{number_text(time)} {DurationUnit(procedure.time_unit).label}"
    if procedure.time_unit == DurationUnit.WORKING_DAYS:
        return _("Tổng thời gian các bước không được vượt thời hạn áp dụng %(time)s (8 giờ làm việc = 1 ngày).") % {
            "time": shown
        }
    if procedure.time_unit == DurationUnit.WORKING_HOURS:
        return _("Tổng thời gian các bước không được vượt thời hạn áp dụng %(time)s (1 ngày làm việc = 8 giờ).") % {
            "time": shown
        }
    if procedure.time_unit == DurationUnit.DAYS:
        return _(
            "Thời hạn tính theo ngày lịch (%(time)s): tổng thời gian các bước, đổi ra ngày làm việc, không được vượt "
            "số ngày đó (một khoảng N ngày lịch có nhiều nhất N ngày làm việc; ngày nghỉ chưa được trừ)."
        ) % {"time": shown}
    return _(
        "Thời hạn tính theo tháng (%(time)s): tổng thời gian các bước, đổi ra ngày làm việc, không được vượt "
        "%(days)s ngày làm việc (tối đa %(per_month)d ngày làm việc mỗi tháng)."
    ) % {"time": shown, "days": number_text(_allowed_working_days(procedure)), "per_month": MAX_WORKING_DAYS_PER_MONTH}


def steps_total_text(steps: Iterable[InternalStep]) -> str:
    total = sum((step_days(s.duration, s.duration_unit) for s in steps), Decimal(0))
    return duration_text(total, StepTimeUnit.WORKING_DAYS)


# --- checks (shared by the pages and the importer) ---------------------------------------------------------------


def _positions(rows: list[dict[str, Any]], problems: list[Problem]) -> None:
    seen: dict[int, int] = {}
    for index, row in enumerate(rows, start=1):
        position = row.get("position")
        if position is None:
            problems.append(Problem(index, "position", _("Thiếu số thứ tự.")))
            continue
        if not 1 <= position <= MAX_POSITION:
            problems.append(Problem(index, "position", _("Số thứ tự phải từ 1 đến %(max)d.") % {"max": MAX_POSITION}))
            continue
        if position in seen:
            problems.append(
                Problem(
                    index,
                    "position",
                    _("Số thứ tự %(n)d trùng với dòng %(row)d.") % {"n": position, "row": seen[position]},
                )
            )
            continue
        seen[position] = index


def _required_text(rows, name: str, label: str, size: int | None, problems: list[Problem]) -> None:
    for index, row in enumerate(rows, start=1):
        text = row.get(name) or ""
        if not text:
            problems.append(Problem(index, name, _("Vui lòng nhập %(label)s.") % {"label": label}))
        elif size and len(text) > size:
            problems.append(
                Problem(index, name, _("%(label)s dài quá %(size)d ký tự.") % {"label": label, "size": size})
            )


def component_problems(rows: list[dict[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    _positions(rows, problems)
    _required_text(rows, "name", _("tên giấy tờ"), None, problems)
    for index, row in enumerate(rows, start=1):
        originals, copies = row.get("originals"), row.get("copies")
        for name, value, label in (("originals", originals, _("Số bản chính")), ("copies", copies, _("Số bản sao"))):
            if value is None:
                problems.append(Problem(index, name, _("Vui lòng nhập %(label)s.") % {"label": label.lower()}))
            elif not 0 <= value <= 99:
                problems.append(Problem(index, name, _("%(label)s phải từ 0 đến 99.") % {"label": label}))
        if originals == 0 and copies == 0:
            problems.append(Problem(index, "originals", _("Số bản chính và số bản sao không thể cùng bằng 0.")))
        if len(row.get("form_name") or "") > 255:
            problems.append(Problem(index, "form_name", _("Tên mẫu đơn dài quá 255 ký tự.")))
    return problems


def fee_problems(rows: list[dict[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    _positions(rows, problems)
    _required_text(rows, "name", _("tên khoản thu"), 255, problems)
    for index, row in enumerate(rows, start=1):
        amount, rule = row.get("amount"), row.get("rule") or ""
        if amount is None and not rule:
            problems.append(Problem(index, "amount", _("Khoản thu cần có mức thu (đồng) hoặc cách tính.")))
        elif amount is not None and amount < 0:
            problems.append(Problem(index, "amount", _("Mức thu không được âm.")))
        elif amount is not None and (amount != int(amount) or amount >= 10**14):
            problems.append(Problem(index, "amount", _("Mức thu phải là số đồng nguyên, tối đa 14 chữ số.")))
        if len(row.get("legal_basis") or "") > 255:
            problems.append(Problem(index, "legal_basis", _("Căn cứ pháp lý dài quá 255 ký tự.")))
    return problems


def step_problems(procedure: Procedure, rows: list[dict[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    _positions(rows, problems)
    _required_text(rows, "name", _("tên bước"), 255, problems)
    approvals = []
    for index, row in enumerate(rows, start=1):
        duration = row.get("duration")
        if duration is None:
            problems.append(Problem(index, "duration", _("Vui lòng nhập thời gian của bước.")))
        elif duration < 0 or duration >= 10_000:
            problems.append(Problem(index, "duration", _("Thời gian của bước phải từ 0 đến dưới 10.000.")))
        elif Decimal(duration) != Decimal(duration).quantize(Decimal("0.01")):
            problems.append(Problem(index, "duration", _("Thời gian của bước có nhiều nhất 2 chữ số thập phân.")))
        if row.get("is_approval"):
            approvals.append(index)
        unit, agency, outside = row.get("unit"), row.get("external_agency"), row.get("external_name") or ""
        if unit is not None and unit.agency_id != procedure.agency_id:
            problems.append(
                Problem(
                    index,
                    "unit",
                    _("Đơn vị “%(unit)s” không thuộc %(agency)s.")
                    % {"unit": unit.name, "agency": procedure.agency.name},
                )
            )
        if agency is not None and outside:
            problems.append(
                Problem(
                    index,
                    "external_name",
                    _(
                        "Bước liên thông chỉ ghi một cơ quan: chọn cơ quan trong hệ thống hoặc ghi tên cơ quan "
                        "ngoài hệ thống, không cả hai."
                    ),
                )
            )
        if agency is not None and agency.pk == procedure.agency_id:
            problems.append(
                Problem(
                    index,
                    "external_agency",
                    _("Cơ quan liên thông phải khác cơ quan thực hiện thủ tục; để trống nếu bước do cơ quan tự làm."),
                )
            )
        if (agency is not None or outside) and unit is not None:
            problems.append(
                Problem(index, "unit", _("Bước liên thông do cơ quan khác giữ: không chọn đơn vị của cơ quan mình."))
            )
        if len(outside) > 255:
            problems.append(Problem(index, "external_name", _("Tên cơ quan liên thông dài quá 255 ký tự.")))
    if len(approvals) > 1:
        problems.append(
            Problem(
                approvals[1],
                "is_approval",
                _("Chỉ một bước được đánh dấu là bước phê duyệt kết quả (đang có ở các dòng %(rows)s).")
                % {"rows": ", ".join(str(n) for n in approvals)},
            )
        )
    durations = [row.get("duration") for row in rows]
    allowed = _allowed_working_days(procedure)
    if allowed is not None and durations and all(d is not None and d >= 0 for d in durations):
        total = sum(
            (step_days(row["duration"], row.get("duration_unit") or StepTimeUnit.WORKING_DAYS) for row in rows),
            Decimal(0),
        )
        if total > allowed:
            problems.append(
                Problem(
                    None,
                    "duration",
                    _(
                        "Tổng thời gian các bước là %(total)s, vượt thời hạn áp dụng của thủ tục (%(time)s %(unit)s). "
                        "%(rule)s"
                    )
                    % {
                        "total": duration_text(total, StepTimeUnit.WORKING_DAYS),
                        "time": number_text(procedure.applied_processing_time),
                        "unit": DurationUnit(procedure.time_unit).label,
                        "rule": time_rule(procedure),
                    },
                )
            )
    return problems


# --- writing -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartKind:
    key: str
    model: type[models.Model]
    fields: tuple[str, ...]
    label: Callable[[], str]
    describe: Callable[[Any], str]


def _describe_component(c: Component) -> str:
    text = _("%(pos)d. %(name)s: %(originals)d bản chính, %(copies)d bản sao") % {
        "pos": c.position,
        "name": c.name,
        "originals": c.originals,
        "copies": c.copies,
    }
    if not c.mandatory:
        text += _(" (không bắt buộc)")
    if c.form_name:
        text += f"; {c.form_name}"
    if c.form_file:
        text += _("; có tệp mẫu")
    return text


def _describe_fee(f: Fee) -> str:
    value = amount_text(f.amount) if f.amount is not None else f.rule
    text = f"{f.position}. {f.get_kind_display()} {f.name}: {value}"
    return text + (f" ({f.legal_basis})" if f.legal_basis else "")


def _describe_step(s: InternalStep) -> str:
    holder = (
        (s.external_agency.name if s.external_agency_id else s.external_name)
        if s.is_external
        else (s.unit.name if s.unit_id else s.get_role_display())
    )
    text = f"{s.position}. {s.name} — {holder} — {duration_text(s.duration, s.duration_unit)}"
    return text + (_(" (phê duyệt)") if s.is_approval else "")


COMPONENTS = PartKind(
    "components",
    Component,
    ("position", "name", "originals", "copies", "mandatory", "form_name", "form_file", "note"),
    lambda: _("thành phần hồ sơ"),
    _describe_component,
)
FEES = PartKind(
    "fee_items",
    Fee,
    ("position", "kind", "name", "amount", "rule", "legal_basis"),
    lambda: _("phí, lệ phí"),
    _describe_fee,
)
STEPS = PartKind(
    "internal_steps",
    InternalStep,
    (
        "position",
        "name",
        "role",
        "unit",
        "duration",
        "duration_unit",
        "is_approval",
        "external_agency",
        "external_name",
    ),
    lambda: _("quy trình nội bộ"),
    _describe_step,
)
KINDS = {kind.key: kind for kind in (COMPONENTS, FEES, STEPS)}


def problems_for(kind: PartKind, procedure: Procedure, rows: list[dict[str, Any]]) -> list[Problem]:
    if kind is COMPONENTS:
        return component_problems(rows)
    if kind is FEES:
        return fee_problems(rows)
    return step_problems(procedure, rows)


def _clean(kind: PartKind, row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for name in ("name", "form_name", "legal_basis", "external_name"):
        if isinstance(row.get(name), str):
            row[name] = clean_line(row[name])
    for name in ("note", "rule"):
        if isinstance(row.get(name), str):
            row[name] = clean_text(row[name])
    return row


def _rows_of(kind: PartKind, procedure: Procedure) -> list:
    related = {"internal_steps": ("unit", "external_agency")}.get(kind.key, ())
    return list(kind.model.objects.filter(procedure=procedure).select_related(*related).order_by("position"))


def replace_part(
    procedure: Procedure,
    kind: PartKind | str,
    rows: list[dict[str, Any]],
    actor,
    *,
    action: str = AuditEntry.Action.UPDATE,
    summary: str = "",
) -> bool:
    """Make `rows` the procedure's `kind` part (see the module's docstring); raise PartsInvalid, changing nothing,
    when a rule is broken. Audited when something changed; returns whether it did. A component's `form_file` is an
    uploaded file to store, "" to drop the file, or absent/None to keep it."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    rows = [_clean(kind, row) for row in rows]
    problems = problems_for(kind, procedure, rows)
    if problems:
        raise PartsInvalid(problems)
    with transaction.atomic():
        Procedure.objects.select_for_update().filter(pk=procedure.pk).values_list("pk", flat=True).first()
        existing = {obj.pk: obj for obj in _rows_of(kind, procedure)}
        before = [kind.describe(obj) for obj in existing.values()]
        keep = [row["id"] for row in rows if row.get("id")]
        strangers = [pk for pk in keep if pk not in existing]
        if strangers:
            raise PartsInvalid([Problem(None, None, _("Có dòng không thuộc thủ tục này; tải lại trang rồi sửa lại."))])
        removed = [pk for pk in existing if pk not in keep]
        kind.model.objects.filter(pk__in=removed).delete()
        for offset, pk in enumerate(keep):
            kind.model.objects.filter(pk=pk).update(position=_PARKED + offset)
        added = changed = 0
        for row in rows:
            obj = existing.get(row.get("id")) or kind.model(procedure=procedure)
            old = kind.describe(obj) if obj.pk else None
            for name in kind.fields:
                if name not in row or (name == "form_file" and row[name] is None):
                    continue
                setattr(obj, name, row[name])
            obj.save()
            if old is None:
                added += 1
            elif old != kind.describe(obj) or row.get("form_file"):
                changed += 1
        after = [kind.describe(obj) for obj in _rows_of(kind, procedure)]
        if before == after and not changed:
            return False
        audit.record(
            procedure,
            actor,
            action,
            changes={kind.key: [before, after]},
            summary=summary
            or _("Cập nhật %(part)s: thêm %(added)d, sửa %(changed)d, xóa %(removed)d dòng")
            % {"part": kind.label(), "added": added, "changed": changed, "removed": len(removed)},
        )
    return True


def part_rows(procedure: Procedure, kind: PartKind | str) -> list[dict[str, Any]]:
    """The stored rows of a part as replace_part takes them (with their ids)."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    return [{"id": obj.pk, **{name: getattr(obj, name) for name in kind.fields}} for obj in _rows_of(kind, procedure)]


def has_parts(procedure: Procedure) -> bool:
    return any(kind.model.objects.filter(procedure=procedure).exists() for kind in KINDS.values())


def copy_parts(source: Procedure, target: Procedure, actor, *, action: str = AuditEntry.Action.CREATE) -> int:
    """Give a new version the parts of the version it follows (the same form files, the same units); audited on
    the new version. Returns the number of rows copied."""
    copied = 0
    with transaction.atomic():
        for kind in KINDS.values():
            rows = _rows_of(kind, source)
            for obj in rows:
                obj.pk = None
                obj.procedure = target
            kind.model.objects.bulk_create(rows)
            copied += len(rows)
        if copied:
            audit.record(
                target,
                actor,
                action,
                summary=_("Sao chép thành phần hồ sơ, phí, lệ phí và quy trình nội bộ từ phiên bản hiệu lực từ %(day)s")
                % {"day": f"{source.effective_from:%d/%m/%Y}"},
            )
    return copied


def predecessor(procedure: Procedure) -> Procedure | None:
    """The version of the same code in the same agency that this one follows."""
    return (
        Procedure.objects.filter(
            agency_id=procedure.agency_id, code=procedure.code, effective_from__lt=procedure.effective_from
        )
        .order_by("-effective_from")
        .first()
    )
