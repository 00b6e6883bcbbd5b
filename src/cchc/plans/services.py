"""Plans and tasks: every change goes through these functions, which validate it, save it and record it in the audit
log in one transaction. Views, commands, the admin and the report engine call them; the figures a report quotes
("đã thực hiện 08/43 nội dung") come from `plan_summary` and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency, Unit
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.importing import ImportInProgress, exclusive_import, refresh_statistics
from cchc.tablefiles import WEB_LIMITS, RowDefect, Table, TableFileError, open_table
from cchc.text import clean_line, fold, nfc

from .deadlines import Deadline, DeadlineKind, format_date, parse_deadline
from .models import Plan, PlanKind, Task, TaskReminder, TaskUpdate
from .rating import Progress, Rating, effective_rating, is_done, is_on_time, propose_rating

logger = logging.getLogger(__name__)

PLAN_FIELDS = ["kind", "year", "title", "document", "document_text"]
TASK_EDITABLE = {
    "parent",
    "code",
    "order",
    "content",
    "volume",
    "lead_unit",
    "lead_text",
    "cooperating_text",
    "content_complete",
    "result",
}
TASK_TRACKED = [
    "parent",
    "code",
    "order",
    "content",
    "volume",
    "lead_unit",
    "lead_text",
    "cooperating_text",
    "deadline_kind",
    "deadline_year",
    "deadline_part",
    "deadline_date",
    "deadline_text",
    "progress",
    "completed_on",
    "content_complete",
    "result",
    "rating",
    "rating_reason",
]
MIN_YEAR, MAX_YEAR = 1990, 2100


def _today() -> dt.date:
    return timezone.localdate()


# --- plans ----------------------------------------------------------------------------------------------------


def _validate_plan(plan: Plan) -> None:
    plan.title = nfc(plan.title).strip()
    plan.document_text = nfc(plan.document_text).strip()
    errors: dict[str, str] = {}
    if not plan.title:
        errors["title"] = _("Nhập tên kế hoạch.")
    if plan.kind not in PlanKind.values:
        errors["kind"] = _("Loại kế hoạch không hợp lệ.")
    if not isinstance(plan.year, int) or not MIN_YEAR <= plan.year <= MAX_YEAR:
        errors["year"] = _("Năm của kế hoạch phải từ {min} đến {max}.").format(min=MIN_YEAR, max=MAX_YEAR)
    if errors:
        raise ValidationError(errors)


def create_plan(
    agency: Agency,
    *,
    kind: str,
    year: int,
    title: str,
    actor=None,
    document=None,
    document_text: str = "",
) -> Plan:
    """Create a plan of `agency`. `document` is the issuing document of the registry; `document_text` its reference
    as written when it is not registered."""
    plan = Plan(
        agency=agency,
        kind=kind,
        year=year,
        title=title,
        document=document,
        document_text=document_text,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _validate_plan(plan)
    with transaction.atomic():
        plan.save()
        audit.record(
            plan, actor, AuditEntry.Action.CREATE, changes=audit.snapshot(plan, PLAN_FIELDS), summary=_("Tạo kế hoạch")
        )
    return plan


def update_plan(plan: Plan, actor=None, **changes: Any) -> Plan:
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"update_plan: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        before = audit.snapshot(plan, PLAN_FIELDS)
        for name, value in changes.items():
            setattr(plan, name, value)
        _validate_plan(plan)
        changed = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
        if changed:
            plan.save()
            audit.record(plan, actor, AuditEntry.Action.UPDATE, changes=changed, summary=_("Sửa kế hoạch"))
    return plan


# --- tasks ----------------------------------------------------------------------------------------------------


def normalize_code(code: Any) -> str:
    """The TT code without its punctuation: "I." -> "I", "1.1." -> "1.1", "a)" -> "a"."""
    text = nfc(str(code if code is not None else "")).strip()
    return text.rstrip(".)").strip()


def _task_snapshot(task: Task) -> dict[str, Any]:
    values = audit.snapshot(task, TASK_TRACKED)
    if task.pk:
        values["cooperating_units"] = sorted(u.name for u in task.cooperating_units.all())
        values["evidence"] = sorted(str(d) for d in task.evidence.all())
    return values


def _record_task(task: Task, actor, action: str, changes: dict[str, Any], summary: str) -> None:
    audit.record(task, actor, action, changes=changes, summary=summary, agency=task.plan.agency_id)


def _validate_task(task: Task, cooperating_units: Iterable[Unit] = ()) -> None:
    task.code = normalize_code(task.code)
    task.content = nfc(task.content).strip()
    task.volume = nfc(task.volume).strip()
    task.lead_text = nfc(task.lead_text).strip()
    task.cooperating_text = nfc(task.cooperating_text).strip()
    errors: dict[str, str] = {}
    if not task.code:
        errors["code"] = _("Nhập số thứ tự (ví dụ I, 1, 1.1, a).")
    elif len(task.code) > Task._meta.get_field("code").max_length:
        errors["code"] = _("Số thứ tự quá dài.")
    if not task.content:
        errors["content"] = _("Nhập nội dung nhiệm vụ.")
    if len(task.lead_text) > Task._meta.get_field("lead_text").max_length:
        errors["lead_text"] = _("Tên đơn vị chủ trì quá dài (tối đa 255 ký tự).")
    plan = task.plan
    if task.parent_id:
        parent = task.parent
        if parent.plan_id != task.plan_id:
            errors["parent"] = _("Mục cha phải thuộc cùng kế hoạch.")
        elif task.pk:
            ancestor = parent
            while ancestor is not None:
                if ancestor.pk == task.pk:
                    errors["parent"] = _("Một mục không thể nằm dưới chính nó.")
                    break
                ancestor = ancestor.parent
    if task.lead_unit_id and task.lead_unit.agency_id != plan.agency_id:
        errors["lead_unit"] = _("Đơn vị chủ trì phải thuộc {agency}.").format(agency=plan.agency)
    if any(unit.agency_id != plan.agency_id for unit in cooperating_units):
        errors["cooperating_units"] = _("Đơn vị phối hợp phải thuộc {agency}.").format(agency=plan.agency)
    if "code" not in errors and task.code:
        siblings = Task.objects.filter(plan_id=task.plan_id, parent_id=task.parent_id, code=task.code)
        if task.pk:
            siblings = siblings.exclude(pk=task.pk)
        if siblings.exists():
            errors["code"] = _("Số thứ tự {code} đã có trong cùng mục của kế hoạch.").format(code=task.code)
    if errors:
        raise ValidationError(errors)


def _deadline(value: Deadline | str | None, plan: Plan) -> Deadline:
    if isinstance(value, Deadline):
        return value
    return parse_deadline(value, year=plan.year)


def _save_unique(task: Task, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            task.save(**kwargs)
    except IntegrityError as exc:  # a concurrent insert of the same code
        raise ValidationError(
            {"code": _("Số thứ tự {code} đã có trong cùng mục của kế hoạch.").format(code=task.code)}
        ) from exc


def create_task(
    plan: Plan,
    *,
    code: str,
    content: str,
    actor=None,
    parent: Task | None = None,
    order: int | None = None,
    volume: str = "",
    lead_unit: Unit | None = None,
    lead_text: str = "",
    cooperating_units: Iterable[Unit] = (),
    cooperating_text: str = "",
    deadline: Deadline | str | None = None,
    content_complete: bool = True,
) -> Task:
    """Add a task to `plan` under `parent`; `deadline` as written ("Quý II/2023") or parsed."""
    cooperating_units = list(cooperating_units)
    with transaction.atomic():
        if order is None:
            order = (plan.tasks.aggregate(last=Max("order"))["last"] or 0) + 1
        task = Task(
            plan=plan,
            parent=parent,
            code=code,
            order=order,
            content=content,
            volume=volume,
            lead_unit=lead_unit,
            lead_text=lead_text or (lead_unit.name if lead_unit else ""),
            cooperating_text=cooperating_text,
            content_complete=content_complete,
        )
        task.deadline = _deadline(deadline, plan)
        _validate_task(task, cooperating_units)
        _save_unique(task)
        if cooperating_units:
            task.cooperating_units.set(cooperating_units)
        _record_task(task, actor, AuditEntry.Action.CREATE, _task_snapshot(task), _("Thêm nhiệm vụ"))
    return task


def update_task(
    task: Task,
    actor=None,
    *,
    deadline: Deadline | str | None = ...,  # type: ignore[assignment]
    cooperating_units: Iterable[Unit] | None = None,
    evidence: Iterable[Any] | None = None,
    **changes: Any,
) -> Task:
    """Change a task's description (not its progress or rating: see record_progress and set_rating)."""
    unknown = set(changes) - TASK_EDITABLE
    if unknown:
        raise TypeError(f"update_task: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
        before = _task_snapshot(task)
        for name, value in changes.items():
            setattr(task, name, value)
        if deadline is not ...:
            task.deadline = _deadline(deadline, task.plan)
        units = list(cooperating_units) if cooperating_units is not None else list(task.cooperating_units.all())
        _validate_task(task, units)
        _save_unique(task)
        if cooperating_units is not None:
            task.cooperating_units.set(units)
        if evidence is not None:
            task.evidence.set(list(evidence))
        changed = audit.diff(before, _task_snapshot(task))
        if changed:
            _record_task(task, actor, AuditEntry.Action.UPDATE, changed, _("Sửa nhiệm vụ"))
    return task


def _is_group(task: Task) -> bool:
    return Task.objects.filter(parent_id=task.pk).exists()


def record_progress(
    task: Task,
    text: str,
    progress: str,
    completed_on: dt.date | None = None,
    actor=None,
    *,
    on: dt.date | None = None,
    result: str | None = None,
) -> TaskUpdate:
    """Report progress on a task at date `on` (today by default). A task marked done needs its completion date
    (default: `on`); a task not done has none. `result` replaces the task's result text."""
    today = _today()
    on = on or today
    text = nfc(text).strip()
    errors: dict[str, str] = {}
    if progress not in Progress.values:
        errors["progress"] = _("Tiến độ không hợp lệ.")
    if not text:
        errors["text"] = _("Nhập nội dung cập nhật tiến độ.")
    if on > today:
        errors["on"] = _("Ngày cập nhật không được sau ngày hôm nay.")
    if progress == Progress.DONE:
        completed_on = completed_on or on
        if completed_on > today:
            errors["completed_on"] = _("Ngày hoàn thành không được sau ngày hôm nay.")
    elif completed_on is not None:
        errors["completed_on"] = _("Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.")
    if _is_group(task):
        errors["progress"] = _(
            "Mục {code} là nhóm nhiệm vụ: hãy cập nhật tiến độ của từng nhiệm vụ trong nhóm."
        ).format(code=task.code)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
        before = _task_snapshot(task)
        task.progress = progress
        task.completed_on = completed_on if progress == Progress.DONE else None
        if result is not None:
            task.result = nfc(result).strip()
        task.save()
        update = TaskUpdate.objects.create(
            task=task,
            on=on,
            text=text,
            progress=progress,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _record_task(
            task,
            actor,
            AuditEntry.Action.TRANSITION,
            audit.diff(before, _task_snapshot(task)),
            _("Cập nhật tiến độ: {progress}").format(progress=task.get_progress_display()),
        )
    return update


def set_rating(task: Task, rating: str | None, reason: str = "", actor=None) -> Task:
    """Override the proposed rating. A rating other than the system's proposal needs a reason; choosing the
    proposal (or None) removes the override, so the task follows the rules again."""
    reason = nfc(reason).strip()
    if rating and rating not in Rating.values:
        raise ValidationError({"rating": _("Mức đánh giá không hợp lệ.")})
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
        proposal = propose_rating(task, _today())
        if not rating or rating == proposal:
            rating, reason = "", ""
        elif not reason:
            raise ValidationError(
                {
                    "rating_reason": _(
                        "Phải nêu lý do khi đánh giá “{rating}” khác với đề xuất của hệ thống “{proposal}”."
                    ).format(rating=Rating(rating).label, proposal=Rating(proposal).label)
                }
            )
        before = _task_snapshot(task)
        task.rating, task.rating_reason = rating, reason
        task.save()
        changed = audit.diff(before, _task_snapshot(task))
        if changed:
            summary = (
                _("Điều chỉnh đánh giá: {rating}").format(rating=Rating(rating).label)
                if rating
                else _("Bỏ điều chỉnh đánh giá, theo đề xuất của hệ thống")
            )
            _record_task(task, actor, AuditEntry.Action.UPDATE, changed, summary)
    return task


# --- figures --------------------------------------------------------------------------------------------------


def fraction(part: int, whole: int, pad: bool = True) -> str:
    """ "07/08", "08/43": administrative style pads numbers below 10 with a zero; pad=False gives "8/43"."""
    return f"{part:02d}/{whole:02d}" if pad else f"{part}/{whole}"


@dataclass
class PlanSummary:
    as_of: dt.date
    total: int = 0
    done: int = 0
    done_on_time: int = 0
    done_late: int = 0
    not_done: int = 0
    overdue: int = 0
    by_rating: dict[str, int] = field(default_factory=lambda: {r.value: 0 for r in Rating})

    def done_text(self, pad: bool = True) -> str:
        """ "08/43" for "đã thực hiện 08/43 nội dung"."""
        return fraction(self.done, self.total, pad)

    def rating_text(self, rating: str, pad: bool = True) -> str:
        return fraction(self.by_rating.get(rating, 0), self.total, pad)


def leaf_tasks(plan: Plan) -> QuerySet[Task]:
    """The tasks that count: those without sub-items (a heading like "I. Cải cách thể chế" only groups)."""
    return plan.tasks.filter(children__isnull=True).order_by("order", "pk")


_SUMMARY_FIELDS = ("plan_id", "progress", "completed_on", "content_complete", "rating", "due_date")


def plan_summary(plan: Plan, as_of: dt.date | None = None) -> PlanSummary:
    """Counts of the plan's tasks as they stood on `as_of` (today by default)."""
    as_of = as_of or _today()
    return _summarise(leaf_tasks(plan).only(*_SUMMARY_FIELDS), as_of)


def plan_summaries(plans: Iterable[Plan], as_of: dt.date | None = None) -> dict[int, PlanSummary]:
    """plan id -> plan_summary(plan, as_of) for several plans in one query (a list page, a report block)."""
    as_of = as_of or _today()
    ids = [plan.pk for plan in plans]
    by_plan: dict[int, list[Task]] = {pk: [] for pk in ids}
    tasks = Task.objects.filter(plan_id__in=ids, children__isnull=True).only(*_SUMMARY_FIELDS)
    for task in tasks:
        by_plan[task.plan_id].append(task)
    return {pk: _summarise(found, as_of) for pk, found in by_plan.items()}


def _summarise(tasks: Iterable[Task], as_of: dt.date) -> PlanSummary:
    summary = PlanSummary(as_of=as_of)
    for task in tasks:
        summary.total += 1
        if is_done(task, as_of):
            summary.done += 1
            if is_on_time(task):
                summary.done_on_time += 1
            else:
                summary.done_late += 1
        else:
            summary.not_done += 1
            if task.due_date is not None and task.due_date < as_of:
                summary.overdue += 1
        summary.by_rating[effective_rating(task, as_of)] += 1
    return summary


def _agency_ids(agencies: Agency | int | Iterable[Agency | int] | QuerySet) -> Any:
    if isinstance(agencies, QuerySet):
        return agencies.values("pk") if agencies.model is Agency else agencies
    if isinstance(agencies, (Agency, int)):
        agencies = [agencies]
    return [a.pk if isinstance(a, Agency) else a for a in agencies]


def overdue_tasks(agencies: Agency | Iterable[Agency] | QuerySet, as_of: dt.date | None = None) -> QuerySet[Task]:
    """Tasks of these agencies' plans past their deadline and not done on `as_of`, oldest deadline first.
    Pass scoping.visible_agencies(user) for a user's view."""
    as_of = as_of or _today()
    return (
        Task.objects.filter(plan__agency__in=_agency_ids(agencies), due_date__lt=as_of, children__isnull=True)
        .filter(~Q(progress=Progress.DONE) | Q(completed_on__gt=as_of))
        .select_related("plan", "plan__agency", "lead_unit")
        .order_by("due_date", "plan_id", "order", "pk")
    )


# --- reminders ------------------------------------------------------------------------------------------------


@dataclass
class ReminderResult:
    emails: int = 0
    tasks: int = 0
    units_without_email: list[str] = field(default_factory=list)
    failed_units: list[str] = field(default_factory=list)


def _reminder_message(unit: Unit, tasks: list[Task], as_of: dt.date) -> EmailMessage:
    lines = [
        _("Kính gửi: {unit},").format(unit=unit.name),
        "",
        _(
            "Đến ngày {date}, {count} nhiệm vụ do đơn vị chủ trì đã quá thời hạn hoàn thành nhưng chưa được cập nhật "
            "là đã hoàn thành:"
        ).format(date=format_date(as_of), count=f"{len(tasks):02d}"),
        "",
    ]
    for number, task in enumerate(tasks, start=1):
        lines += [
            f"{number}. {task.plan.title}",
            "   " + _("Mục {code}: {content}").format(code=task.code, content=" ".join(task.content.split())),
            "   "
            + _("Thời hạn: {deadline} (quá hạn {days} ngày)").format(
                deadline=task.deadline.label() or format_date(task.due_date), days=(as_of - task.due_date).days
            ),
            "   " + _("Tiến độ hiện tại: {progress}").format(progress=task.get_progress_display()),
            "",
        ]
    lines += [
        _("Đề nghị đơn vị khẩn trương thực hiện và cập nhật tiến độ trên hệ thống quản lý cải cách hành chính."),
        "",
        _("Thư này được gửi tự động; vui lòng không trả lời thư này."),
    ]
    subject = _("[CCHC] {count} nhiệm vụ quá hạn của {unit}").format(count=f"{len(tasks):02d}", unit=unit.name)
    return EmailMessage(subject=subject, body="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL, to=[unit.email])


def _claim(task: Task, unit: Unit, as_of: dt.date) -> bool:
    """Reserve today's reminder for `task`; False when another run already sent it."""
    try:
        with transaction.atomic():
            TaskReminder.objects.create(task=task, unit=unit, sent_on=as_of, email=unit.email)
    except IntegrityError:
        return False
    return True


def send_task_reminders(as_of: dt.date | None = None, *, connection=None) -> ReminderResult:
    """E-mail each lead unit the list of its overdue tasks, at most once per task per day.

    A unit's reminders are claimed (TaskReminder rows) and its e-mail sent in one transaction: if the mail server
    refuses, the claims roll back and the next run tries again."""
    as_of = as_of or _today()
    result = ReminderResult()
    tasks = overdue_tasks(Agency.objects.all(), as_of).filter(lead_unit__isnull=False).exclude(reminders__sent_on=as_of)
    by_unit: dict[int, list[Task]] = {}
    for task in tasks:
        by_unit.setdefault(task.lead_unit_id, []).append(task)
    connection = connection or get_connection()
    for unit_tasks in by_unit.values():
        unit = unit_tasks[0].lead_unit
        if not unit.email or not unit.is_active:
            result.units_without_email.append(f"{unit.name} ({unit.agency})")
            continue
        try:
            with transaction.atomic():
                claimed = [task for task in unit_tasks if _claim(task, unit, as_of)]
                if not claimed:
                    continue
                message = _reminder_message(unit, claimed, as_of)
                message.connection = connection
                message.send()
        except (smtplib.SMTPException, OSError):
            logger.exception("Task reminder to %s failed", unit.email)
            result.failed_units.append(f"{unit.name} ({unit.agency})")
            continue
        result.emails += 1
        result.tasks += len(claimed)
    return result


# --- import ---------------------------------------------------------------------------------------------------


class PlanImportError(Exception):
    """The file cannot be read as a task table; the message is meant for the user."""


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return _("Dòng {row}: {message}").format(row=self.row, message=self.message)


@dataclass
class TaskImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


COLUMNS = {
    "code": ("tt", "stt", "so tt", "so thu tu"),
    "content": ("noi dung",),
    "volume": ("san pham", "khoi luong"),
    "lead": ("chu tri",),
    "cooperating": ("phoi hop",),
    "deadline": ("thoi gian", "thoi han", "han hoan thanh"),
}
REQUIRED_COLUMNS = ("code", "content")
HEADER_SEARCH_ROWS = 15
IMPORT_LIMITS = WEB_LIMITS.with_(max_rows=10_000)  # a plan has tens to hundreds of tasks
_ROMAN = re.compile(r"^(?=[IVXLC])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUMERIC = re.compile(r"^\d+(?:\.\d+)*$")
_LETTER = re.compile(r"^[a-zđ]$")
_COLUMN_NUMBERS = re.compile(r"^\(?\d+\)?$")
_FAILED = object()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_line(str(value))


def _header_columns(row: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, value in enumerate(row):
        key = fold(value).strip(" .:")
        for name, words in COLUMNS.items():
            if name in columns:
                continue
            if (name == "code" and key in words) or (name != "code" and any(w in key for w in words)):
                columns[name] = position
                break
    return columns


def _header_score(cells: list[Any]) -> int:
    return len(_header_columns([_cell(value) for value in cells]))


def _find_header(table: Table) -> tuple[int, dict[str, int]]:
    """(row number, column positions) of the header, among the first rows of the table."""
    for number, values in table.rows:
        if not isinstance(values, RowDefect):
            columns = _header_columns([_cell(value) for value in values])
            if all(name in columns for name in REQUIRED_COLUMNS):
                return number, columns
        if number >= HEADER_SEARCH_ROWS:
            break
    raise PlanImportError(
        _("Không tìm thấy dòng tiêu đề có các cột “TT” và “Nội dung” trong {n} dòng đầu.").format(n=HEADER_SEARCH_ROWS)
    )


def _unit_key(text: str) -> str:
    key = fold(text)
    for suffix in (" thuoc so", " so"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key


def _split_units(text: str) -> list[str]:
    return [part.strip(" .-") for part in re.split(r"[,;\n]", text) if part.strip(" .-")]


class _UnitIndex:
    def __init__(self, agency: Agency) -> None:
        self.by_key: dict[str, Unit] = {}
        for unit in Unit.objects.filter(agency=agency):
            self.by_key.setdefault(_unit_key(unit.name), unit)
            if unit.code:
                self.by_key.setdefault(_unit_key(unit.code), unit)

    def find(self, text: str) -> Unit | None:
        return self.by_key.get(_unit_key(text))

    def find_all(self, text: str) -> list[Unit]:
        found = [self.find(part) for part in _split_units(text)]
        return list(dict.fromkeys(unit for unit in found if unit is not None))


class _RowFailure(Exception):
    pass


def import_tasks(
    plan: Plan, source: Any, actor=None, *, filename: str | None = None, wait: float | None = None
) -> TaskImportResult:
    """Import the task table of `plan` from a CSV/XLSX file with the columns TT | Nội dung | Sản phẩm/Khối lượng |
    Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành.

    The hierarchy comes from the TT codes: Roman numerals (I, II) are the top groups; 1, 2 sit under the last
    Roman numeral; 1.1 under 1; a, b under the last numbered item. A task is identified by its code under its
    parent, so importing the same file again changes nothing and an edited file updates the tasks in place (tasks
    missing from the file are kept). Bad rows are reported with their row number and skipped, with their children.
    The file is read through cchc.tablefiles (bounds, broken files); the import runs in one transaction, alone for
    the plan (PlanImportError when another import of it is still running after `wait` seconds).
    """
    try:
        table = open_table(source, filename=filename, limits=IMPORT_LIMITS, header_score=_header_score)
    except TableFileError as exc:
        raise PlanImportError(str(exc)) from exc
    try:
        with table, exclusive_import("plan-tasks", plan.pk, owner=_plan_owner(plan), wait=wait):
            return _import_table(plan, table, actor)
    except TableFileError as exc:  # broken half-way: the transaction was rolled back, nothing was saved
        raise PlanImportError(str(exc)) from exc
    except ImportInProgress as exc:
        raise PlanImportError(str(exc)) from exc


def _plan_owner(plan: Plan) -> str:
    return _("kế hoạch “%(title)s”") % {"title": plan.title}


def _import_table(plan: Plan, table: Table, actor) -> TaskImportResult:
    header_number, columns = _find_header(table)
    units = _UnitIndex(plan.agency)
    result = TaskImportResult()
    existing = {(t.parent_id, t.code): t for t in plan.tasks.prefetch_related("cooperating_units")}
    seen: dict[tuple[Any, str], int] = {}
    roman: Any = None  # the current Roman-numeral group (a Task, None at the start, or _FAILED)
    numbered: dict[str, Any] = {}  # numeric codes under the current group -> Task or _FAILED
    last_numbered: Any = None

    def cell(row: list[str], name: str) -> str:
        position = columns.get(name)
        return row[position] if position is not None and position < len(row) else ""

    with transaction.atomic():
        for number, values in table.rows:
            if isinstance(values, RowDefect):
                result.errors.append(RowError(number, values.message))
                continue
            row = [_cell(value) for value in values]
            if not any(row):
                continue
            raw_code, content = cell(row, "code"), cell(row, "content")
            if all(_COLUMN_NUMBERS.match(value) for value in row if value) and _COLUMN_NUMBERS.match(content or "x"):
                continue  # the "(1) (2) (3)" line under a header
            code = normalize_code(raw_code)
            kind = (
                "roman"
                if _ROMAN.match(code)
                else "numeric"
                if _NUMERIC.match(code)
                else "letter"
                if _LETTER.match(code)
                else None
            )
            try:
                if not code:
                    raise _RowFailure(_("thiếu số thứ tự (TT)."))
                if kind is None:
                    raise _RowFailure(_("không nhận ra số thứ tự “{code}” (dùng I, II, 1, 1.1, a).").format(code=code))
                parent = _import_parent(kind, code, roman, numbered, last_numbered)
                if not content:
                    raise _RowFailure(_("thiếu nội dung."))
                key = (parent.pk if parent else None, code)
                if key in seen:
                    raise _RowFailure(
                        _("số thứ tự {code} trùng với dòng {row} trong cùng mục.").format(code=code, row=seen[key])
                    )
                seen[key] = number
                # The task's order is its position in the file (0 for the first line), as it always was.
                task = _import_row(plan, existing, parent, code, number - 1, row, cell, units, actor, result, number)
            except (_RowFailure, ValidationError) as exc:
                message = (
                    exc.args[0]
                    if isinstance(exc, _RowFailure)
                    else "; ".join(m for messages in exc.message_dict.values() for m in messages)
                )
                result.errors.append(RowError(number, message))
                task = _FAILED
            if kind == "roman":
                roman, numbered, last_numbered = task, {}, None
            elif kind == "numeric":
                numbered[code] = task
                last_numbered = task
        counts = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "errors": len(result.errors),
        }
        summary = _("Nhập nhiệm vụ từ tệp: {created} mới, {updated} cập nhật, {errors} dòng lỗi").format(**counts)
        audit.record(plan, actor, AuditEntry.Action.IMPORT, changes=counts, summary=summary)
        refresh_statistics([Task], result.created + result.updated)
    return result


def _import_parent(kind: str, code: str, roman: Any, numbered: dict[str, Any], last_numbered: Any) -> Task | None:
    if kind == "roman":
        return None
    if kind == "letter":
        if last_numbered is None:
            raise _RowFailure(_("mục {code} không nằm dưới mục đánh số nào.").format(code=code))
        if last_numbered is _FAILED:
            raise _RowFailure(_("mục cha của mục {code} bị lỗi.").format(code=code))
        return last_numbered
    segments = code.split(".")
    if len(segments) == 1:
        if roman is _FAILED:
            raise _RowFailure(_("mục cha của mục {code} bị lỗi.").format(code=code))
        return roman
    parent_code = ".".join(segments[:-1])
    parent = numbered.get(parent_code)
    if parent is None:
        raise _RowFailure(_("không tìm thấy mục {parent} chứa mục {code}.").format(parent=parent_code, code=code))
    if parent is _FAILED:
        raise _RowFailure(_("mục cha của mục {code} bị lỗi.").format(code=code))
    return parent


def _import_row(plan, existing, parent, code, index, row, cell, units, actor, result, number) -> Task:
    lead_text = cell(row, "lead")
    cooperating_text = cell(row, "cooperating")
    deadline_text = cell(row, "deadline")
    lead_parts = _split_units(lead_text)
    lead_unit = units.find(lead_parts[0]) if lead_parts else None
    cooperating = units.find_all(cooperating_text)
    deadline = parse_deadline(deadline_text, year=plan.year)
    if deadline_text and deadline.kind == DeadlineKind.NONE:
        message = _("không hiểu thời gian hoàn thành “{text}”, đã lưu nguyên văn.").format(text=deadline_text)
        result.warnings.append(RowError(number, message))
    values = {
        "content": cell(row, "content"),
        "volume": cell(row, "volume"),
        "lead_text": lead_text,
        "lead_unit": lead_unit,
        "cooperating_text": cooperating_text,
        "order": index,
    }
    task = existing.get((parent.pk if parent else None, code))
    if task is None:
        task = Task(plan=plan, parent=parent, code=code, **values)
        task.deadline = deadline
        _validate_task(task, cooperating)
        _save_unique(task)
        task.cooperating_units.set(cooperating)
        _record_task(task, actor, AuditEntry.Action.IMPORT, _task_snapshot(task), _("Nhập nhiệm vụ từ tệp"))
        existing[(task.parent_id, task.code)] = task
        result.created += 1
        return task
    before = _task_snapshot(task)
    for name, value in values.items():
        setattr(task, name, value)
    task.deadline = deadline
    _validate_task(task, cooperating)
    after = audit.snapshot(task, TASK_TRACKED)
    after["cooperating_units"] = sorted(u.name for u in cooperating)
    after["evidence"] = before.get("evidence", [])
    changed = audit.diff(before, after)
    if not changed:
        result.unchanged += 1
        return task
    _save_unique(task)
    task.cooperating_units.set(cooperating)
    _record_task(task, actor, AuditEntry.Action.IMPORT, changed, _("Cập nhật nhiệm vụ từ tệp"))
    result.updated += 1
    return task
