"""Score sheets: opening one, its rows, the phase moves with their conditions, and the deadlines that move a sheet by
themselves. Every move is audited against the sheet in the move's transaction (the sheet's timeline reads them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import calendar
from cchc.agencies.models import Agency
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from . import permissions, validation
from .models import AgencyGroup, Framework, ItemScore, Phase, Section, Sheet
from .tree import build, walk
from .workflow import Actor, Move, TransitionError, check

# Which agencies each group of a framework scores (Agency.kind).
GROUP_KINDS = {
    AgencyGroup.DEPARTMENTS: ("so",),
    AgencyGroup.COMMUNES: ("ubnd_xa", "ubnd_huyen"),
    AgencyGroup.PUBLIC_UNITS: ("khac",),
}


def scored_agencies(framework: Framework):
    """The agencies of the framework's province that its group scores."""
    return Agency.objects.filter(province_id=framework.province_id,
                                 kind__in=GROUP_KINDS[AgencyGroup(framework.group)]).order_by("name")  # fmt: skip


def ensure_rows(sheet: Sheet) -> None:
    """One score row per scored item (an item without children) of the framework, created when missing."""
    leaves = [node.item.pk for node in walk(build(sheet.framework.items.all())) if node.is_leaf]
    existing = set(sheet.scores.values_list("item_id", flat=True))
    missing = [pk for pk in leaves if pk not in existing]
    if missing:
        ItemScore.objects.bulk_create([ItemScore(sheet=sheet, item_id=pk) for pk in missing], ignore_conflicts=True)


def open_sheet(framework: Framework, agency: Agency, actor) -> Sheet:
    """The agency's sheet for the framework, created (with a row per scored item) when there is none. The agency's
    own editors open theirs; the Sở Nội vụ opens any agency's of its province."""
    if not (permissions.may_prepare(actor, Sheet(framework=framework, agency=agency))
            or permissions.is_lead(actor, framework)):  # fmt: skip
        raise PermissionDenied(_("Bạn không có quyền lập bảng điểm cho %(agency)s.") % {"agency": agency.name})
    if framework.province_id is None:
        raise ValidationError(_("Bộ tiêu chí mẫu không dùng để chấm điểm: hãy sao chép thành bộ tiêu chí của tỉnh."))
    if agency.province_id != framework.province_id:
        raise ValidationError(_("%(agency)s không thuộc tỉnh của bộ tiêu chí.") % {"agency": agency.name})
    existing = Sheet.objects.filter(framework=framework, agency=agency).first()
    if existing is not None:
        ensure_rows(existing)
        return existing
    problems = validation.problems_of(framework)
    if problems:
        raise ValidationError([_("Bộ tiêu chí chưa hợp lệ nên chưa lập được bảng điểm:"), *problems])
    with transaction.atomic():
        sheet, created = Sheet.objects.get_or_create(framework=framework, agency=agency)
        ensure_rows(sheet)
        if created:
            audit.record(sheet, actor, AuditEntry.Action.CREATE, summary=_("Lập bảng điểm"))
    return sheet


# --- who acts, and the moves ---------------------------------------------------------------------------------


def actors_for(user, sheet: Sheet) -> set[Actor]:
    found: set[Actor] = set()
    if permissions.may_prepare(user, sheet):
        found.add(Actor.AGENCY)
    if permissions.is_lead(user, sheet.framework):
        found.add(Actor.LEAD)
    return found


def with_counts(scores):
    return scores.annotate(evidence_count=Count("evidence"))


def lock_problems(sheet: Sheet) -> list[str]:
    """Why the agency cannot lock its self-assessment yet: scored items without a self score, and items given points
    with neither evidence nor an explanation."""
    roots = build(sheet.framework.items.all())
    leaves = {node.item.pk: node.item for node in walk(roots) if node.is_leaf}
    missing, unexplained = [], []
    for score in with_counts(sheet.scores.filter(item_id__in=list(leaves))).select_related("item"):
        item = leaves[score.item_id]
        if item.section == Section.SURVEY:
            continue
        if score.self_points is None:
            if item.section == Section.SCORED:
                missing.append(item)
            continue
        if score.self_points > 0 and not score.evidence_count and not score.self_note.strip():
            unexplained.append(item)
    order = {node.item.pk: position for position, node in enumerate(walk(roots))}
    problems = []
    if missing:
        codes = ", ".join(item.code for item in sorted(missing, key=lambda i: order[i.pk]))
        problems.append(_("Chưa tự chấm các mục: %(codes)s.") % {"codes": codes})
    if unexplained:
        codes = ", ".join(item.code for item in sorted(unexplained, key=lambda i: order[i.pk]))
        problems.append(
            _("Các mục có điểm nhưng chưa có tài liệu kiểm chứng và chưa giải trình: %(codes)s.") % {"codes": codes}
        )
    return problems


def move(sheet: Sheet, actor, name: Move | str, *, reason: str = "", decision: str = "",
         system: bool = False, today: dt.date | None = None) -> Sheet:  # fmt: skip
    """Make move `name` on `sheet` as `actor` (or as the system); the conditions of the move are checked here."""
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().select_related("framework", "agency").get(pk=sheet.pk)
        transition = check(sheet.phase, name, {Actor.SYSTEM} if system else actors_for(actor, sheet))
        reason = " ".join((reason or "").split())
        if transition.needs_reason and not reason:
            raise TransitionError(_("Vui lòng ghi lý do %(move)s.") % {"move": transition.label})
        if transition.move == Move.LOCK_SELF:
            problems = lock_problems(sheet)
            if problems:
                raise TransitionError(" ".join([_("Chưa khóa được tự chấm."), *problems]))
        old = sheet.phase
        sheet.phase = transition.target
        now = timezone.now()
        today = today or timezone.localdate()
        changes: dict = {"phase": [old, sheet.phase]}
        if transition.move in (Move.LOCK_SELF, Move.AUTO_LOCK_SELF):
            sheet.self_locked_at = now
        elif transition.move == Move.REOPEN_SELF:
            sheet.self_locked_at = None
        elif transition.move == Move.CLOSE_ROUND1:
            province = sheet.framework.province
            sheet.explanation_until = calendar.add_working_days(today, sheet.framework.explanation_days, province)
            changes["explanation_until"] = [None, sheet.explanation_until.isoformat()]
        elif transition.move == Move.PUBLISH:
            sheet.final_decision = " ".join((decision or "").split())[:255]
            sheet.final_at = now
            if sheet.final_decision:
                changes["final_decision"] = [None, sheet.final_decision]
        sheet.save()
        summary = transition.label[:1].upper() + transition.label[1:]
        if reason:
            changes["reason"] = reason
            summary = f"{summary}: {reason}"
        audit.record(sheet, None if system else actor, AuditEntry.Action.TRANSITION, changes=changes,
                     summary=summary)  # fmt: skip
    return sheet


def apply_deadlines(sheet: Sheet, today: dt.date | None = None) -> Sheet:
    """The moves a passed deadline makes by itself: the self-assessment locks the day after the framework's deadline
    (whatever is filled in), the explanation window closes the day after it ends."""
    today = today or timezone.localdate()
    deadline = sheet.framework.self_deadline
    if sheet.phase == Phase.DRAFTING and deadline and today > deadline:
        return move(sheet, None, Move.AUTO_LOCK_SELF, system=True, today=today,
                    reason=_("hết hạn tự chấm ngày %(day)s") % {"day": f"{deadline:%d/%m/%Y}"})  # fmt: skip
    if sheet.phase == Phase.EXPLANATION and sheet.explanation_until and today > sheet.explanation_until:
        return move(
            sheet,
            None,
            Move.AUTO_END_EXPLANATION,
            system=True,
            today=today,
            reason=_("hết hạn giải trình ngày %(day)s") % {"day": f"{sheet.explanation_until:%d/%m/%Y}"},
        )
    return sheet


def apply_all_deadlines(today: dt.date | None = None) -> int:
    """Every sheet a deadline has passed for (the `cchc par apply-deadlines` command); returns how many moved."""
    today = today or timezone.localdate()
    due = Sheet.objects.filter(
        Q(phase=Phase.DRAFTING, framework__self_deadline__lt=today)
        | Q(phase=Phase.EXPLANATION, explanation_until__lt=today)
    ).select_related("framework")
    moved = 0
    for sheet in due:
        if apply_deadlines(sheet, today).phase != sheet.phase:
            moved += 1
    return moved


def sheets_of_framework(framework: Framework, user) -> Iterable[Sheet]:
    return permissions.sheets_visible(user).filter(framework=framework).select_related("agency")
