"""The demo's internal processes at work: the open dossiers of the demo get their steps, so that each person of the
demo meets the workflow in every shape: steps in a unit's queue, steps held by the officer, one sent back by the
leader with its reason, one waiting at the leader's approval.

A demo procedure without an internal process gets a short one here (desk → officer of the unit holding the dossier →
the Sở's leader who approves → desk returns), only when it has none: the catalogue's demo data may give them theirs.
The dossiers' history is written first with the plain lifecycle (demo/build.py); the steps start at the dossier's
last event, so nothing is dated before what already happened. Large generated dossiers (`cchc demo --large`, written
by bulk COPY) get no steps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.agencies.models import Membership, Role, Unit
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.workflow import services
from cchc.dossiers.workflow.models import DossierStep, StepState
from cchc.dossiers.workflow.permissions import candidates, may_hold
from cchc.procedures.models import InternalStep

from . import data
from .data import Summary

OPEN = (Status.RECEIVED, Status.IN_PROCESS)
SENT_BACK_REASON = "Đề nghị bổ sung ý kiến thẩm định về điều kiện an toàn trước khi trình ký."


def _minimal_process(procedure, desk_unit: Unit | None, unit: Unit | None) -> None:
    if procedure.internal_steps.exists():
        return
    whole = Decimal(procedure.applied_processing_time)
    desk = Decimal("0.5")
    leader = Decimal("1") if whole >= 4 else Decimal("0.5")
    officer = max(whole - 2 * desk - leader, Decimal("0.5"))
    rows = [
        ("Tiếp nhận và chuyển hồ sơ", Role.ONE_STOP, desk_unit, desk, False),
        ("Thẩm định hồ sơ, dự thảo kết quả", Role.OFFICER, unit, officer, False),
        ("Lãnh đạo Sở xem xét, phê duyệt", Role.LEADER, None, leader, True),
        ("Trả kết quả", Role.ONE_STOP, desk_unit, desk, False),
    ]
    InternalStep.objects.bulk_create(
        InternalStep(procedure=procedure, position=i, name=name, role=role, unit=unit, duration=share,
                     is_approval=approval)
        for i, (name, role, unit, share, approval) in enumerate(rows, 1)
    )  # fmt: skip


def _field_unit(base, agency_code: str, procedure) -> Unit | None:
    code = data.FIELD_UNITS.get(procedure.field.name)
    return base.units.get((agency_code, code)) if code else None


# Dossiers received at the desk in the last days, so that every shape exists at any scale of the demo.
FRESH = ("Công ty TNHH Thiết bị y tế Miền Trung", "Phòng khám Đa khoa Hoàng Long", "Bệnh viện Y học cổ truyền tỉnh",
         "Công ty Cổ phần Nha khoa Quảng Trị")  # fmt: skip


def _fresh_dossiers(base, agency, desk_user, desk_unit, now: dt.datetime) -> list[Dossier]:
    from cchc import calendar
    from cchc.dossiers import lifecycle
    from cchc.dossiers.models import Channel

    if Dossier.objects.filter(agency=agency, applicant_name__in=FRESH).exists():
        return []
    day = timezone.localtime(now).date()
    procedures = [
        p for p in base.procedures.get("SKHCN", [])
        if data.FIELD_UNITS.get(p.field.name) == "QLCN" and p.is_in_force(day)
    ]  # fmt: skip
    if not procedures:
        return []
    made = []
    for i, name in enumerate(FRESH):
        received_on = calendar.add_working_days(day, -(len(FRESH) - i), agency.province_id)
        at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(8, 30 + 5 * i)))
        procedure = procedures[i % len(procedures)]
        _minimal_process(procedure, desk_unit, _field_unit(base, "SKHCN", procedure))
        try:
            with transaction.atomic():
                made.append(lifecycle.receive(agency=agency, procedure=procedure, applicant_name=name,
                                              channel=Channel.DIRECT, actor=desk_user, received_at=at))  # fmt: skip
        except ValidationError:
            continue
    return made


def _last_moment(dossier: Dossier) -> dt.datetime:
    last = dossier.events.order_by("-at", "-pk").values_list("at", flat=True).first()
    return max(last or dossier.received_at, dossier.received_at)


def _later(moment: dt.datetime, now: dt.datetime, hours: float) -> dt.datetime:
    return min(moment + dt.timedelta(hours=hours), now)


def build_workflow(base, summary: Summary, *, now: dt.datetime, out=lambda _: None) -> None:
    """Steps for the demo's open dossiers (every agency), and the shapes above for the Sở KH&CN."""
    users = base.users
    made = 0
    for spec in data.AGENCIES:
        agency = base.agencies[spec.code]
        people = data.STEP_USERS[spec.code]
        desk_user = users[people["desk"]]
        desk_unit = base.units.get((spec.code, "MC"))
        dossiers = list(
            Dossier.objects.filter(agency=agency, status__in=OPEN, steps__isnull=True)
            .exclude(code__contains="LARGE")
            .select_related("procedure", "agency", "current_unit")
            .order_by("received_at", "pk")
        )
        # The newest dossier of each state keeps the plain lifecycle: the crawl walks its step forms.
        newest = {d.status: d.pk for d in dossiers}
        started: list[Dossier] = []
        for dossier in dossiers:
            if dossier.pk in newest.values():
                continue
            _minimal_process(dossier.procedure, desk_unit, _field_unit(base, spec.code, dossier.procedure))
            try:
                with transaction.atomic():
                    services.start(dossier, actor=desk_user, at=_last_moment(dossier))
            except ValidationError:
                continue  # a step that cannot start at that moment (e.g. inside a reported period): left plain
            started.append(dossier)
        if spec.code == "SKHCN":
            _unit_heads(base, agency, summary)
            started += _fresh_dossiers(base, agency, desk_user, desk_unit, now)
            _shapes(started, users, people, now)
        made += len(started)
    if made:
        summary.add("hồ sơ có quy trình xử lý", made)
        out(f"Đã giao {made} hồ sơ đang giải quyết theo quy trình nội bộ.")


def _open_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(state__in=[StepState.QUEUED, StepState.ACTIVE]).order_by("position").first()


def _shapes(started: list[Dossier], users: dict[str, Any], people: dict[str, str], now: dt.datetime) -> None:
    """Some held by the officer, one at the leader's approval, one sent back; the rest stay in their queue."""
    officer, leader = users[people["officer"]], users[people["leader"]]
    mine = []
    for dossier in started:
        step = _open_step(dossier)
        if step is not None and step.state == StepState.QUEUED and may_hold(officer, step):
            mine.append((dossier, step))
    plan = ["approval", "sent_back", "held", "held", "held"]
    for (dossier, step), shape in zip(mine, plan, strict=False):
        moment = _last_moment_of_steps(dossier)
        try:
            with transaction.atomic():
                at = _later(moment, now, 1)
                services.take(step, actor=officer, at=at)
                if shape == "held":
                    continue
                at = _later(at, now, 3)
                approval, at = _forward_to_approval(dossier, step, officer, leader, at, now)
                if shape == "sent_back":
                    services.send_back(approval, actor=leader, reason=SENT_BACK_REASON, at=_later(at, now, 2))
        except ValidationError:
            continue


# The heads of the Sở's handling units: the catalogue's processes have a "lãnh đạo phòng xem xét" step held by a
# leader of the unit, before the Sở leader's approval. Not among the crawl's users (data.USERS).
UNIT_HEADS = (
    ("skhcn.truongphong.qlcn", "Lê Quang Vinh", "QLCN", "Trưởng phòng Quản lý chuyên ngành"),
    ("skhcn.truongphong.qlkh", "Đỗ Thị Thanh Hương", "QLKH", "Trưởng phòng Quản lý khoa học"),
    ("skhcn.chicuctruong", "Bùi Văn Khánh", "CCTDC", "Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng"),
)


def _unit_heads(base, agency, summary: Summary) -> None:
    User = get_user_model()
    for username, full_name, unit_code, position in UNIT_HEADS:
        unit = base.units.get((agency.code, unit_code))
        if unit is None:
            continue
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            summary.add("người dùng", 1)
        Membership.objects.get_or_create(
            user=user, agency=agency, defaults={"role": Role.LEADER, "unit": unit, "position": position}
        )
        base.users[username] = user


def _forward_to_approval(
    dossier: Dossier, step: DossierStep, holder: Any, leader: Any, at: dt.datetime, now: dt.datetime
) -> tuple[DossierStep, dt.datetime]:
    """Hand the dossier on, step by step (the head of unit's review, say), until the Sở leader holds its approval
    step; each intermediate step goes to the first person who may hold it. Raises ValidationError when a step has
    nobody or the process has no approval step after this one."""
    current, actor = step, holder
    while True:
        following = dossier.steps.filter(position__gt=current.position).order_by("position").first()
        if following is None:
            raise ValidationError("no approval step")
        receiver = leader if following.is_approval else candidates(following).first()
        if receiver is None:
            raise ValidationError("nobody may hold the step")
        services.forward(current, actor=actor, to_user=receiver, at=at, note="Hồ sơ đủ điều kiện, trình ký.")
        current = DossierStep.objects.get(pk=following.pk)
        if current.is_approval:
            return current, at
        actor, at = receiver, _later(at, now, 2)


def _last_moment_of_steps(dossier: Dossier) -> dt.datetime:
    last = dossier.handovers.order_by("-at").values_list("at", flat=True).first()
    return last or _last_moment(dossier)
