"""Build the demo province into the configured database.

`build_demo` creates the province, its agencies, units, users, catalogue, one local day off, the Sở KH&CN's document
registry, 2023 plans and draft 2023 reports (demo/documents.py, plans.py, reports.py), the dossiers from December
2022 to now, and the aggregators' deadlines with a late report (demo/deadlines.py). Everything is keyed by natural
keys (province code, agency code, unit name, username, procedure code and start date, dossier code), so a second run
creates nothing. Dossiers go through the real lifecycle
(cchc.dossiers.lifecycle), so their stored columns, events and audit entries are exactly what a desk would produce;
the random choices come from generators seeded per agency and day, so the same day always yields the same dossiers.

`build_large` adds a benchmark set (a million dossiers by default) with bulk inserts and precomputed columns: no
events and no audit entries, on purpose (it is load, not history).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from cchc import calendar
from cchc.agencies.models import Agency, Membership, Province, Unit
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.calendar.models import CalendarOverride
from cchc.datachanges import written
from cchc.dossiers import lifecycle
from cchc.dossiers.deadlines import due_for
from cchc.dossiers.models import ApplicantKind, Channel, Dossier, Outcome, Status, search_text_for
from cchc.dossiers.workflow.context import steps_suspended
from cchc.importing import ANALYZE_AFTER_ROWS, refresh_statistics
from cchc.plans.services import plan_summary
from cchc.procedures.models import DurationUnit, Field, Procedure

from . import catalogue, data
from .data import AgencySpec, ProcedureSpec, Summary
from .workflow import build_workflow

Out = Callable[[str], None]
LARGE_MARK = "-L"  # large-mode codes: <electronic id>-<yymmdd>-L<7-digit index>
DEFAULT_SEED = 45

# Share of a month's usual volume (Tết in late January / February is quiet, the year-end rush is busy).
MONTH_FACTOR = {1: 0.9, 2: 0.6, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.05, 7: 0.95, 8: 0.95, 9: 1.0, 10: 1.1, 11: 1.15, 12: 1.3}
WORKING_DAYS_PER_QUARTER = 63


def _quiet(_: str) -> None:
    pass


def number(n: int) -> str:
    """Vietnamese thousands separator: 1.000.000."""
    return f"{n:,}".replace(",", ".")


def _tz():
    return timezone.get_current_timezone()


def _at(day: dt.date, minute: int, tz=None) -> dt.datetime:
    """Aware local moment `minute` minutes after midnight of `day`."""
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz or _tz())


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def window_start(now: dt.datetime, years: int | None) -> dt.date:
    """First day of the demo window: 1 January, `years` - 1 years before the year of `now`; without `years`,
    data.DOSSIERS_FROM (the 2023 plans and reports need the dossiers of 2023 and those carried into it)."""
    if years is None:
        return data.DOSSIERS_FROM
    return dt.date(_local_day(now).year - years + 1, 1, 1)


# --- the organisation ---------------------------------------------------------------------------------------


@dataclass
class Base:
    province: Province
    agencies: dict[str, Agency]
    units: dict[tuple[str, str], Unit]
    users: dict[str, Any]
    procedures: dict[str, list[Procedure]]
    specs: dict[tuple[str, str], ProcedureSpec] = field(default_factory=dict)


def _count(summary: Summary, what: str, created: bool) -> None:
    if created:
        summary.add(what)


def build_base(summary: Summary | None = None, out: Out = _quiet) -> Base:
    """Province, agencies, units, users, fields, catalogue and the local day off (idempotent)."""
    summary = summary if summary is not None else Summary()
    with transaction.atomic():
        province, created = Province.objects.get_or_create(
            code=data.PROVINCE_CODE, defaults={"name": data.PROVINCE_NAME}
        )
        _count(summary, "tỉnh", created)
        agencies: dict[str, Agency] = {}
        units: dict[tuple[str, str], Unit] = {}
        parent = _agency(province, data.UBND, None, summary)
        agencies[data.UBND.code] = parent
        for spec in (data.UBND, *data.AGENCIES):
            agency = parent if spec is data.UBND else _agency(province, spec, parent, summary)
            agencies[spec.code] = agency
            for code, name, kind in spec.units:
                unit, created = Unit.objects.get_or_create(
                    agency=agency, name=name, defaults={"code": code, "kind": kind}
                )
                _count(summary, "đơn vị", created)
                units[(spec.code, code)] = unit
        users = _users(agencies, units, summary)
        procedures: dict[str, list[Procedure]] = {}
        specs: dict[tuple[str, str], ProcedureSpec] = {}
        for agency_code, items in data.PROCEDURES.items():
            procedures[agency_code] = []
            for spec in items:
                specs[(agency_code, spec.code)] = spec
                procedures[agency_code].extend(
                    _procedure_versions(agencies[agency_code], spec, users["admin"], summary)
                )
        catalogue.build_parts(agencies, units, procedures, specs, summary)
        override, created = CalendarOverride.objects.get_or_create(
            province=province,
            date=data.CALENDAR_OVERRIDE["date"],
            defaults={
                "kind": CalendarOverride.Kind.DAY_OFF,
                "name": data.CALENDAR_OVERRIDE["name"],
                "decision": data.CALENDAR_OVERRIDE["decision"],
                "created_by": users["admin"],
            },
        )
        _count(summary, "ngày điều chỉnh lịch", created)
    out(f"Cơ cấu tổ chức, người dùng và danh mục thủ tục: {describe(summary)}")
    return Base(province, agencies, units, users, procedures, specs)


def _agency(province: Province, spec: AgencySpec, parent: Agency | None, summary: Summary) -> Agency:
    agency, created = Agency.objects.get_or_create(
        province=province,
        code=spec.code,
        defaults={
            "name": spec.name,
            "kind": spec.kind,
            "parent": parent,
            "parent_authority_name": data.PARENT_AUTHORITY if parent is not None else "",
            "electronic_id": spec.electronic_id,
            "address": spec.address,
        },
    )
    _count(summary, "cơ quan", created)
    return agency


def _users(agencies: dict[str, Agency], units: dict[tuple[str, str], Unit], summary: Summary) -> dict[str, Any]:
    User = get_user_model()
    users = {}
    for spec in data.USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.full_name,  # Vietnamese names read family name first: keep them whole
                "is_staff": spec.superuser,
                "is_superuser": spec.superuser,
            },
        )
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        _count(summary, "người dùng", created)
        if spec.agency:
            _, created = Membership.objects.get_or_create(
                user=user,
                agency=agencies[spec.agency],
                defaults={"role": spec.role, "unit": units.get((spec.agency, spec.unit)), "position": spec.position},
            )
            _count(summary, "phân quyền", created)
        users[spec.username] = user
    return users


def _procedure_versions(agency: Agency, spec: ProcedureSpec, actor, summary: Summary) -> list[Procedure]:
    """The rows of one catalogue entry: the first version, one per later change, closed where the next starts."""
    field_obj, created = Field.objects.get_or_create(name=spec.field)
    _count(summary, "lĩnh vực", created)
    versions: list[tuple[dt.date, dict, str]] = [
        (data.CATALOGUE_START, {}, data.CATALOGUE_DECISION),
        *spec.changes,
    ]
    rows = []
    attrs = {"time": spec.time, "reduced": spec.reduced, "online": spec.online, "legacy": spec.legacy_level}
    for index, (start, changed, decision) in enumerate(versions):
        attrs = {**attrs, **changed}
        if index > 0:
            attrs["legacy"] = None  # the levels of Nghị định 43/2011 ended before these versions started
        end = versions[index + 1][0] if index + 1 < len(versions) else spec.abolished_on
        procedure, created = Procedure.objects.get_or_create(
            agency=agency,
            code=spec.code,
            effective_from=start,
            defaults={
                "local_code": f"{spec.code}.{data.PROVINCE_CODE}",
                "name": spec.name,
                "field": field_obj,
                "processing_time": attrs["time"],
                "reduced_processing_time": attrs["reduced"],
                "time_unit": DurationUnit.WORKING_DAYS,
                "online_service": attrs["online"],
                "legacy_online_level": attrs["legacy"],
                "interconnection": spec.link,
                "fees": spec.fees or "Không",
                "result_document": spec.result,
                "publishing_decision": decision,
                "abolished_on": end,
            },
        )
        if created:
            note = "Dữ liệu minh họa"
            if end is not None:
                note += f"; hết hiệu lực từ {end:%d/%m/%Y}"
                if spec.abolition and end == spec.abolished_on:
                    note += f" ({spec.abolition})"
            audit.record(procedure, actor, AuditEntry.Action.CREATE, changes=audit.snapshot(procedure), summary=note)
            summary.add("thủ tục (phiên bản)")
        rows.append(procedure)
    return rows


def describe(summary: Summary) -> str:
    if not summary.created:
        return "đã có sẵn, không tạo thêm"
    return "tạo mới " + ", ".join(f"{n} {what}" for what, n in summary.created.items())


# --- dossiers through the lifecycle -------------------------------------------------------------------------


@dataclass
class Step:
    at: dt.datetime
    action: str  # a lifecycle function name
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    code: str
    procedure: Procedure
    received_at: dt.datetime
    channel: int
    fields: dict[str, Any]
    applicant_name: str
    receiver: str | None  # username; None: received by the portal outside office hours
    due_at: dt.datetime
    steps: list[Step] = field(default_factory=list)
    kind: str = "normal"


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _applicant(rng: random.Random, person: bool) -> tuple[str, dict[str, Any]]:
    street = f"{rng.randint(1, 250)} {rng.choice(data.STREETS)}, {rng.choice(data.WARDS)}, tỉnh Quảng Trị"
    phone = "0" + rng.choice("389") + "".join(rng.choice("0123456789") for _ in range(8))
    if person:
        name = f"{rng.choice(data.SURNAMES)} {rng.choice(data.MIDDLE_NAMES)} {rng.choice(data.GIVEN_NAMES)}"
        # Citizen identity numbers start with the province of birth (045: Quảng Trị).
        ident = "045" + rng.choice("0123") + f"{rng.randint(60, 99):02d}" + f"{rng.randint(0, 999999):06d}"
        return name, {
            "applicant_kind": ApplicantKind.PERSON,
            "applicant_id_number": ident,
            "applicant_address": street,
            "applicant_phone": phone,
        }
    name = rng.choice(data.ORGANISATIONS)
    return name, {
        "applicant_kind": ApplicantKind.ORGANISATION,
        "applicant_id_number": f"3200{rng.randint(0, 999999):06d}",
        "applicant_address": street,
        "applicant_phone": phone,
    }


def _channel(rng: random.Random, online: str, working_day: bool) -> int:
    if not working_day:
        return Channel.ONLINE
    r = rng.random()
    if online == "full":
        return Channel.ONLINE if r < 0.95 else Channel.DIRECT if r < 0.99 else Channel.POSTAL
    if online == "partial":
        return Channel.ONLINE if r < 0.65 else Channel.DIRECT if r < 0.93 else Channel.POSTAL
    return Channel.DIRECT if r < 0.85 else Channel.POSTAL


def _receipt_minute(rng: random.Random, channel: int, working_day: bool) -> tuple[int, bool]:
    """(minute of the day, inside office hours?). The desk opens 07:30-11:30 and 13:30-17:00; the portal never
    closes, and one online dossier in six arrives in the evening or early morning."""
    if channel == Channel.ONLINE and (not working_day or rng.random() < 0.17):
        if not working_day:
            return rng.randint(7 * 60, 22 * 60 + 30), False
        return (
            rng.randint(17 * 60 + 5, 23 * 60 + 30) if rng.random() < 0.8 else rng.randint(5 * 60, 7 * 60 + 20)
        ), False
    if rng.random() < 0.55:
        return rng.randint(7 * 60 + 35, 11 * 60 + 25), True
    return rng.randint(13 * 60 + 35, 16 * 60 + 50), True


class Planner:
    """Plans the dossiers of one agency: what arrives each day and what happens to each of them."""

    def __init__(self, base: Base, spec: AgencySpec, *, scale: float, seed: int, now: dt.datetime) -> None:
        self.base = base
        self.spec = spec
        self.agency = base.agencies[spec.code]
        self.cal = calendar.calendar_for(base.province)
        self.scale = scale
        self.seed = seed
        self.now = now
        self.users = data.STEP_USERS[spec.code]
        self.procedures = base.procedures[spec.code]
        self._in_force: dict[dt.date, tuple[list[Procedure], list[float]]] = {}

    def _catalogue(self, day: dt.date) -> tuple[list[Procedure], list[float]]:
        found = self._in_force.get(day)
        if found is None:
            rows = [p for p in self.procedures if p.is_in_force(day)]
            weights = [self.base.specs[(self.spec.code, p.code)].weight for p in rows]
            found = self._in_force[day] = (rows, weights)
        return found

    def plans(self, start: dt.date) -> list[Plan]:
        plans: list[Plan] = []
        today = _local_day(self.now)
        day = start
        per_day = self.spec.dossiers_per_quarter * self.scale / WORKING_DAYS_PER_QUARTER
        while day <= today:
            plans.extend(self._day(day, per_day))
            day += dt.timedelta(days=1)
        plans = [p for p in plans if p.received_at <= self.now]
        self._keep_some_overdue(plans)
        self._keep_every_state(plans)
        return plans

    def _day(self, day: dt.date, per_day: float) -> list[Plan]:
        rng = random.Random(f"{self.seed}:{self.spec.code}:{day.isoformat()}")
        working = self.cal.is_working_day(day)
        lam = per_day * MONTH_FACTOR[day.month] * data.YEAR_FACTOR.get(day.year, 1.0) * (1.0 if working else 0.07)
        arrivals = []
        rows, weights = self._catalogue(day)
        for _ in range(_poisson(rng, lam)):
            procedure = rng.choices(rows, weights)[0]
            if not working and procedure.online_service == "none":
                continue
            channel = _channel(rng, procedure.online_service, working)
            minute, in_hours = _receipt_minute(rng, channel, working)
            arrivals.append((minute, procedure, channel, in_hours))
        arrivals.sort(key=lambda a: a[0])
        plans = []
        for seq, (minute, procedure, channel, in_hours) in enumerate(arrivals, start=1):
            code = f"{self.agency.electronic_id}-{day:%y%m%d}-{seq:04d}"
            received_at = _at(day, minute) + dt.timedelta(seconds=rng.randint(0, 59))
            spec = self.base.specs[(self.spec.code, procedure.code)]
            name, fields = _applicant(rng, spec.person)
            result_channel = channel
            if channel == Channel.ONLINE and rng.random() < 0.12:
                result_channel = Channel.POSTAL
            fields.update(
                summary=procedure.name[:500],
                result_channel=result_channel,
                digitised=channel == Channel.ONLINE or rng.random() < 0.8,
            )
            plan = Plan(
                code=code,
                procedure=procedure,
                received_at=received_at,
                channel=channel,
                fields=fields,
                applicant_name=name,
                receiver=self.users["desk"] if in_hours else None,
                due_at=due_for(procedure, received_at),
            )
            self._steps(plan, rng)
            plans.append(plan)
        return plans

    # What happens to a dossier, in working days counted from its effective receipt day.
    def _steps(self, plan: Plan, rng: random.Random, force: str | None = None) -> None:
        cal = self.cal
        start = calendar.effective_receipt(plan.received_at, self.base.province, plan.procedure.cutoff_time)
        start_day = start.date()
        allowed = math.ceil(plan.procedure.applied_processing_time)
        due_day = _local_day(plan.due_at)
        unit_code = data.FIELD_UNITS[plan.procedure.field.name]
        unit = self.base.units[(self.spec.code, unit_code)]
        desk, officer, leader = self.users["desk"], self.users["officer"], self.users["leader"]

        steps = [Step(start + dt.timedelta(minutes=rng.randint(10, 150)), "assign", {"unit": unit, "actor": desk})]
        r = rng.random()
        kind = force or (
            "refused"
            if r < 0.004
            else "withdrawn"
            if r < 0.008
            else "late"
            if r < 0.033
            else "supplement"
            if r < 0.063
            else "due_day"
            if r < 0.18
            else "early"
        )
        on_time_until = data.ON_TIME_UNTIL.get(self.spec.code)
        if kind == "late" and on_time_until is not None and start_day <= on_time_until:
            kind = "due_day"
        plan.kind = kind
        pause = 0
        if kind == "late":
            used = allowed + rng.randint(1, 4)
        elif kind == "stuck":
            used = allowed + 60  # still open when the demo is built: the dashboard's overdue list
        elif kind == "due_day":
            used = allowed
        else:
            used = rng.randint(max(1, math.ceil(allowed * 0.3)), max(1, allowed - 1))

        if kind == "supplement" and used >= 2:
            asked = rng.randint(1, used - 1)
            pause = rng.randint(2, 8)
            ask_day = cal.add_working_days(start_day, asked)
            back_day = cal.add_working_days(ask_day, pause)
            reason = rng.choice(data.SUPPLEMENT_REASONS)
            steps.append(
                Step(
                    _at(ask_day, rng.randint(8 * 60, 11 * 60)), "request_supplement", {"actor": officer, "note": reason}
                )
            )
            steps.append(
                Step(
                    _at(back_day, rng.randint(13 * 60 + 30, 16 * 60)),
                    "supplement",
                    {"actor": desk, "note": "Tổ chức, cá nhân đã nộp bổ sung đầy đủ."},
                )
            )
        if kind in ("late", "stuck") and rng.random() < 0.6:
            # Phiếu xin lỗi và hẹn lại: at the latest the day before the due day (tthc.md §2).
            apology_day = cal.add_working_days(due_day, -1)
            new_date = cal.add_working_days(due_day, used - allowed + 1 if kind == "late" else 10)
            steps.append(
                Step(
                    _at(apology_day, rng.randint(9 * 60, 15 * 60)),
                    "issue_apology",
                    {"actor": officer, "new_date": new_date, "note": data.APOLOGY_REASON},
                )
            )

        end_day = cal.add_working_days(start_day, used + pause)
        end_at = _at(end_day, rng.randint(8 * 60, 16 * 60 + 45))
        end_at = max(end_at, steps[-1].at + dt.timedelta(minutes=rng.randint(20, 90)))
        if kind == "refused":
            steps.append(Step(end_at, "refuse", {"actor": officer, "reason": data.REFUSAL_REASON}))
        elif kind == "withdrawn":
            steps.append(Step(end_at, "withdraw", {"actor": desk, "note": data.WITHDRAWAL_REASON}))
        else:
            steps.append(Step(end_at, "resolve", {"actor": leader, "result_digitised": rng.random() < 0.93}))
            if plan.fields["result_channel"] == Channel.ONLINE:
                returned = end_at + dt.timedelta(minutes=rng.randint(5, 90))
            else:
                returned = _at(cal.add_working_days(end_day, rng.randint(0, 3)), rng.randint(8 * 60, 16 * 60 + 30))
                returned = max(returned, end_at + dt.timedelta(minutes=30))
            steps.append(Step(returned, "return_result", {"actor": desk}))
        plan.steps = steps

    def _keep_some_overdue(self, plans: list[Plan]) -> None:
        """A few recent dossiers past their due date and still open, so that the overdue list shows something."""
        recent = self.now - dt.timedelta(days=30)
        candidates = [p for p in plans if recent <= p.due_at < self.now and p.kind in ("early", "due_day")]
        if not candidates:
            return
        rng = random.Random(f"{self.seed}:{self.spec.code}:overdue:{_local_day(self.now).isoformat()}")
        wanted = max(2 if self.spec.dossiers_per_quarter >= 50 else 1, round(len(candidates) * 0.08))
        for plan in rng.sample(candidates, min(wanted, len(candidates))):
            self._steps(plan, random.Random(f"{self.seed}:{plan.code}:stuck"), force="stuck")

    def _keep_every_state(self, plans: list[Plan]) -> None:
        """Every state a desk clerk meets is in the demo, at any scale and whatever the hour of the build: the
        newest dossier waits to be assigned, one waits for the applicant's supplement, one has its result ready at
        the desk, and a refused and a withdrawn one exist."""
        ordered = sorted(plans, key=lambda p: p.received_at)
        if len(ordered) < 8:
            return
        rng = random.Random(f"{self.seed}:{self.spec.code}:states")
        ordered[-1].steps = []  # received, not yet assigned
        day_ago = self.now - dt.timedelta(days=1)
        usual = [p for p in ordered[:-1] if p.kind in ("early", "due_day") and p.received_at < day_ago]
        waiting = next((p for p in reversed(usual) if p.steps[0].at < day_ago), None)
        if waiting is not None:
            assigned = waiting.steps[0]
            asked = assigned.at + (self.now - assigned.at) / 2
            waiting.steps = [
                assigned,
                Step(asked, "request_supplement", {"actor": self.users["officer"], "note": data.SUPPLEMENT_REASONS[0]}),
            ]
            waiting.kind = "waiting"
        ready = next((p for p in reversed(usual) if p is not waiting and p.steps[-2].at < self.now), None)
        if ready is not None and ready.steps[-1].action == "return_result":
            ready.steps = ready.steps[:-1]  # resolved; the applicant has not collected the result yet
            ready.kind = "ready"
        older = [p for p in ordered[: len(ordered) // 2] if p.kind in ("early", "due_day")]
        for kind in ("refused", "withdrawn"):
            if older and not any(p.kind == kind for p in plans):
                self._steps(older.pop(rng.randrange(len(older))), rng, force=kind)


def _run(plan: Plan, agency: Agency, users: dict[str, Any], now: dt.datetime) -> None:
    # The history is written with the plain lifecycle; demo/workflow.py gives the open dossiers their steps after.
    with steps_suspended():
        _run_history(plan, agency, users, now)


def _run_history(plan: Plan, agency: Agency, users: dict[str, Any], now: dt.datetime) -> None:
    dossier = lifecycle.receive(
        agency=agency,
        procedure=plan.procedure,
        applicant_name=plan.applicant_name,
        channel=plan.channel,
        actor=users[plan.receiver] if plan.receiver else None,
        received_at=plan.received_at,
        code=plan.code,
        **plan.fields,
    )
    for step in plan.steps:
        if step.at > now:
            break
        kwargs = dict(step.kwargs)
        kwargs["actor"] = users[kwargs["actor"]]
        getattr(lifecycle, step.action)(dossier, at=step.at, **kwargs)


def build_dossiers(
    base: Base, *, years: int | None, scale: float, seed: int, now: dt.datetime, out: Out = _quiet
) -> dict[str, int]:
    """Create the planned dossiers that do not exist yet; returns the number created per agency code."""
    start = window_start(now, years)
    created: dict[str, int] = {}
    for spec in data.AGENCIES:
        agency = base.agencies[spec.code]
        plans = Planner(base, spec, scale=scale, seed=seed, now=now).plans(start)
        existing = set(Dossier.objects.filter(agency=agency).values_list("code", flat=True))
        todo = [p for p in plans if p.code not in existing]
        created[spec.code] = 0
        if not todo:
            out(f"  {agency.name}: {len(plans)} hồ sơ đã có sẵn")
            continue
        began = time.monotonic()
        done = 0
        # One transaction per month of dossiers: far fewer commits, and an interrupted run resumes cleanly.
        for month, group in groupby(todo, key=lambda p: _local_day(p.received_at).replace(day=1)):
            with transaction.atomic():
                for plan in group:
                    _run(plan, agency, base.users, now)
                    done += 1
            if month.month % 3 == 0:
                out(f"  {agency.name}: {done}/{len(todo)} hồ sơ (đến tháng {month:%m/%Y})")
        created[spec.code] = done
        out(f"  {agency.name}: đã tạo {len(todo)} hồ sơ trong {time.monotonic() - began:.1f} giây")
    return created


def build_records(base: Base, summary: Summary, out: Out = _quiet) -> None:
    """The Sở KH&CN's document registry, its 2023 plans with their progress and its draft 2023 reports."""
    from . import documents, feedback, plans, reports

    before = dict(summary.created)
    found = documents.build_documents(base.agencies, base.users["skhcn.admin"], summary)
    built = plans.build_plans(base.agencies, base.units, base.users, found, summary)
    feedback.build_feedback(base.agencies, summary)
    drafts = reports.build_reports(base.agencies, base.users, summary)
    added = {k: n - before.get(k, 0) for k, n in summary.created.items() if n != before.get(k, 0)}
    cchc = built[plans.CCHC_2023.kind]
    q1 = plan_summary(cchc, plans.Q1_END)
    year_end = plan_summary(cchc, dt.date(plans.YEAR, 12, 31))
    directives = plan_summary(built[plans.DIRECTIVES_2023.kind], plans.Q1_END)
    out(
        f"Sổ văn bản, kế hoạch và báo cáo của Sở KH&CN: {describe(Summary(added))}. "
        f"Kế hoạch CCHC {plans.YEAR}: {q1.done_text()} nội dung xong đến {plans.Q1_END:%d/%m/%Y}, "
        f"{year_end.done_text()} đến 31/12/{plans.YEAR}; nhiệm vụ UBND tỉnh giao: {directives.done_text()} "
        f"đến {plans.Q1_END:%d/%m/%Y}; {len(drafts)} dự thảo báo cáo."
    )


def build_demo(
    *,
    years: int | None = None,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    out: Out = _quiet,
) -> Summary:
    """Build (or complete) the demo province. `scale` multiplies the dossier volumes; `years` counts calendar
    years of dossiers ending at `now` (default: the moment of the build); without it the dossiers start at
    data.DOSSIERS_FROM."""
    now = now or timezone.now()
    summary = Summary()
    out("Đang tạo tỉnh minh họa Quảng Trị...")
    base = build_base(summary, out)
    build_records(base, summary, out)
    from .ministry import build_ministry

    build_ministry(base.agencies["SKHCN"], summary)
    out(f"Đang tạo hồ sơ từ {window_start(now, years):%d/%m/%Y} đến {timezone.localtime(now):%d/%m/%Y %H:%M}...")
    for code, n in build_dossiers(base, years=years, scale=scale, seed=seed, now=now, out=out).items():
        if n:
            summary.add(f"hồ sơ {code}", n)
    build_workflow(base, summary, now=now, out=out)
    from .parindex import build_par_index

    build_par_index(base.agencies, summary)
    from .serviceindex import build_service_index_data

    build_service_index_data(base.agencies, summary, now=now)
    from .notifications import build_notifications

    build_notifications(base.agencies, summary)
    from .deadlines import build_deadlines

    build_deadlines(base.agencies, summary)
    return summary


# --- the large benchmark set --------------------------------------------------------------------------------


def _large_existing(agencies: list[Agency]) -> int:
    return Dossier.objects.filter(agency__in=agencies, code__contains=LARGE_MARK).count()


def build_large(
    count: int = 1_000_000,
    *,
    years: int = 3,
    batch_size: int = 10_000,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    out: Out = _quiet,
) -> int:
    """Add benchmark dossiers until the province has `count` of them; returns how many were created.

    Rows are numbered 0..count-1 and inserted in order, one transaction per batch, so an interrupted run resumes
    where it stopped and a finished one creates nothing. Columns are computed with the province's calendar
    object, the same rules as due_for for receipts inside office hours.
    """
    now = now or timezone.now()
    base = build_base(Summary(), _quiet)
    specs = [s for s in data.AGENCIES if data.PROCEDURES.get(s.code)]
    agencies = [base.agencies[s.code] for s in specs]
    existing = _large_existing(agencies)
    if existing >= count:
        out(f"Bộ dữ liệu lớn: đã có {number(existing)} hồ sơ, không tạo thêm.")
        return 0
    gen = _LargeGenerator(base, specs, years=years, seed=seed, now=now)
    began = time.monotonic()
    created = 0
    first_batch = existing // batch_size
    for batch in range(first_batch, math.ceil(count / batch_size)):
        lo, hi = batch * batch_size, min((batch + 1) * batch_size, count)
        rows = gen.batch(batch, lo, hi)
        rows = [row for index, row in zip(range(lo, hi), rows, strict=True) if index >= existing]
        with transaction.atomic():
            _insert(rows, timezone.now())
        created += len(rows)
        done = hi
        elapsed = time.monotonic() - began
        out(f"  {number(done):>9}/{number(count)} hồ sơ ({done * 100 // count}%), {elapsed:.0f} giây")
    # As after an import: the planners need the new row counts (SQLite has no statistics at all until ANALYZE).
    refresh_statistics([Dossier], max(created, ANALYZE_AFTER_ROWS))
    return created


class _LargeGenerator:
    def __init__(self, base: Base, specs: list[AgencySpec], *, years: int, seed: int, now: dt.datetime) -> None:
        self.base = base
        self.seed = seed
        self.now = now
        self.cal = calendar.calendar_for(base.province)
        self.today = _local_day(now)
        # Up to yesterday: every receipt is then a working day inside office hours and before `now`.
        self.days = self.cal.working_days_in(window_start(now, years), self.today - dt.timedelta(days=1))
        self.specs = specs
        self.agency_weights = [s.dossiers_per_quarter for s in specs]
        opens, closes = calendar.office_hours()
        self.closes = closes
        self.tz = _tz()
        self._catalogue: dict[tuple[str, dt.date], tuple[list[Procedure], list[float]]] = {}
        self._due: dict[tuple[dt.date, int], tuple[dt.datetime, dt.date]] = {}
        self._units = {
            (s.code, p.pk): base.units[(s.code, data.FIELD_UNITS[p.field.name])]
            for s in specs
            for p in base.procedures[s.code]
        }
        names = random.Random(f"{seed}:names")
        self.people = [
            f"{names.choice(data.SURNAMES)} {names.choice(data.MIDDLE_NAMES)} {names.choice(data.GIVEN_NAMES)}"
            for _ in range(400)
        ]

    def catalogue(self, spec: AgencySpec, day: dt.date) -> tuple[list[Procedure], list[float]]:
        key = (spec.code, day)
        found = self._catalogue.get(key)
        if found is None:
            rows = [p for p in self.base.procedures[spec.code] if p.is_in_force(day)]
            found = self._catalogue[key] = (rows, [self.base.specs[(spec.code, p.code)].weight for p in rows])
        return found

    def due(self, procedure: Procedure, received_at: dt.datetime, day: dt.date) -> tuple[dt.datetime, dt.date]:
        if procedure.time_unit != DurationUnit.WORKING_DAYS or procedure.cutoff_time is not None:
            due_at = due_for(procedure, received_at)
            return due_at, _local_day(due_at)
        # Received on a working day inside office hours: counting starts the next working day (due_moment).
        n = math.ceil(procedure.applied_processing_time)
        found = self._due.get((day, n))
        if found is None:
            due_day = self.cal.add_working_days(day, n)
            found = self._due[(day, n)] = (dt.datetime.combine(due_day, self.closes, tzinfo=self.tz), due_day)
        return found

    def batch(self, number: int, lo: int, hi: int) -> list[dict[str, Any]]:
        from .serviceindex import large_row_values

        rng = random.Random(f"{self.seed}:large:{number}")
        # Its own generator: the service index's values leave the other columns of a batch as they always were.
        extra = random.Random(f"{self.seed}:large766:{number}")
        cal = self.cal
        rows = []
        for index in range(lo, hi):
            spec = rng.choices(self.specs, self.agency_weights)[0]
            agency = self.base.agencies[spec.code]
            day = rng.choice(self.days)
            procedures, weights = self.catalogue(spec, day)
            procedure = rng.choices(procedures, weights)[0]
            received_at = _at(day, rng.randint(7 * 60 + 35, 16 * 60 + 50), self.tz)
            due_at, due_date = self.due(procedure, received_at, day)
            allowed = math.ceil(procedure.applied_processing_time)
            channel = _channel(rng, procedure.online_service, True)
            r = rng.random()
            used = allowed + rng.randint(1, 4) if r < 0.025 else rng.randint(max(1, allowed // 3), allowed)
            end_day = cal.add_working_days(day, used)
            ended_at = _at(end_day, rng.randint(8 * 60, 16 * 60 + 45), self.tz)
            status, outcome, returned_at = Status.IN_PROCESS, "", None
            if ended_at > self.now:
                ended_at = None
            elif r > 0.996:
                status, outcome = Status.REFUSED, Outcome.REFUSED
            elif r > 0.992:
                status, outcome = Status.WITHDRAWN, Outcome.WITHDRAWN
            else:
                outcome = Outcome.RESOLVED
                returned_at = ended_at + dt.timedelta(hours=rng.randint(1, 48))
                status = Status.RETURNED if returned_at <= self.now else Status.RESOLVED
                if status == Status.RESOLVED:
                    returned_at = None
            code = f"{agency.electronic_id}-{day:%y%m%d}{LARGE_MARK}{index:07d}"
            applicant_name = rng.choice(self.people)
            rows.append(
                {
                    "agency_id": agency.pk,
                    "code": code,
                    "procedure_id": procedure.pk,
                    "regime": lifecycle.regime_on(day),
                    "applicant_kind": ApplicantKind.PERSON,
                    "applicant_name": applicant_name,
                    # COPY and bulk_create skip Dossier.save(), which keeps the search column elsewhere.
                    "search_text": search_text_for(code, applicant_name),
                    "summary": procedure.name[:500],
                    "channel": channel,
                    "result_channel": channel,
                    "digitised": channel == Channel.ONLINE,
                    "result_digitised": outcome == Outcome.RESOLVED,
                    "received_at": received_at,
                    "received_on": day,
                    "due_at": due_at,
                    "due_date": due_date,
                    "status": status,
                    "current_unit_id": self._units[(spec.code, procedure.pk)].pk,
                    "ended_at": ended_at,
                    "ended_on": end_day if ended_at else None,
                    "outcome": outcome,
                    "returned_at": returned_at,
                }
            )
            rows[-1].update(large_row_values(rows[-1], extra))
        return rows


def _insert(rows: list[dict[str, Any]], now: dt.datetime) -> None:
    """Insert dossier rows given as {attname: value}; every other column takes its model default.

    On PostgreSQL through COPY (several times faster than INSERT at this size), elsewhere with bulk_create.
    """
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    defaults.update(created_at=now, updated_at=now)
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(Dossier._meta.db_table)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])
        # COPY skips the queryset's bulk methods: announce the change (cchc.datachanges), as the importer does.
        written(Dossier, {row.get("agency_id") for row in rows})
        return
    Dossier.objects.bulk_create([Dossier(**{**defaults, **row}) for row in rows], batch_size=2_000)


# --- what the command prints --------------------------------------------------------------------------------


def logins_table() -> str:
    """The demo log-ins as a plain-text table (Vietnamese headings)."""
    rows = [("Tên đăng nhập", "Mật khẩu", "Họ tên", "Cơ quan", "Vai trò")]
    agency_names = {s.code: s.name for s in data.AGENCIES}
    from cchc.agencies.models import Role

    for spec in data.USERS:
        role = "Quản trị hệ thống (superuser)" if spec.superuser else str(Role(spec.role).label)
        rows.append((spec.username, data.DEMO_PASSWORD, spec.full_name, agency_names.get(spec.agency, "—"), role))
    from .ministry import MINISTRY_USER

    rows.append(
        (MINISTRY_USER[0], data.DEMO_PASSWORD, MINISTRY_USER[1], "Bộ Khoa học và Công nghệ", str(Role.AGGREGATOR.label))
    )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    text = [line]
    for n, row in enumerate(rows):
        text.append("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            text.append(line)
    text.append(line)
    return "\n".join(text)
