"""Editing one item of a sheet: the self-assessment (accepting or overriding cchc's proposal), the appraisal of
rounds 1 and 2, the explanation of a lowered item, who prepares it, and its evidence.

Two people may have the same item open: every form carries the row's `version` as it was read, and saving a form
read before someone else's save is refused with StaleEdit, which names who saved and when, instead of silently
overwriting their work. Every change is audited against the sheet with the item's code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.audit.timeline import person

from . import permissions
from .models import Basis, Evidence, EvidenceKind, EvidenceStage, ItemScore, Phase, Section, Sheet
from .rules import points_text
from .scoring import lowered
from .workflow import Edit, check_edit

ROUND_FIELDS = {
    Phase.ROUND1: ("round1_points", "round1_note", "round1_by", "round1_at"),
    Phase.ROUND2: ("round2_points", "round2_note", "round2_by", "round2_at"),
}


class StaleEdit(ValidationError):
    """The form was read before someone else saved the same item."""


def _fresh(score: ItemScore, version: int | None) -> ItemScore:
    """The row locked for the change, after checking that the form was read at its current version."""
    rows = ItemScore.objects.select_for_update(of=("self",)).select_related("sheet", "sheet__framework", "item")
    fresh = rows.get(pk=score.pk)
    if version is not None and fresh.version != version:
        last = audit.history(fresh.sheet).filter(changes__item=fresh.item.code).select_related("actor").first()
        who = person(last.actor) if last else _("người khác")
        when = f"{timezone.localtime(last.at):%H:%M %d/%m/%Y}" if last else ""
        raise StaleEdit(
            _(
                "Mục %(code)s vừa được %(who)s cập nhật lúc %(when)s, sau khi bạn mở trang. Thay đổi của bạn chưa được "
                "lưu: hãy tải lại trang để xem nội dung mới rồi nhập lại."
            )
            % {"code": fresh.item.code, "who": who, "when": when}  # fmt: skip
        )
    return fresh


def _points(value: Any, score: ItemScore) -> Decimal:
    if value is None or value == "":
        raise ValidationError({"points": _("Vui lòng nhập điểm.")})
    number = Decimal(str(value))
    maximum = score.item.max_points
    if number < 0 or number > maximum:
        raise ValidationError({"points": _("Điểm phải từ 0 đến %(max)s (điểm tối đa của mục).")
                               % {"max": points_text(maximum)}})  # fmt: skip
    return number.quantize(Decimal("0.01"))


def _save(score: ItemScore, actor, before: dict, fields: list[str], summary: str) -> ItemScore:
    after = audit.snapshot(score, fields)
    changes = audit.diff(before, after)
    if not changes:
        return score
    score.version += 1
    score.save()
    audit.record(score.sheet, actor, AuditEntry.Action.UPDATE, changes={"item": score.item.code, **changes},
                 summary=summary, agency=score.sheet.agency_id)  # fmt: skip
    return score


SELF_FIELDS = ["self_points", "self_note", "basis", "override_reason"]


def save_self(score: ItemScore, actor, *, points: Any, note: str = "", accept: bool = False,
              override_reason: str = "", version: int | None = None) -> ItemScore:  # fmt: skip
    """The agency's score of the item. With a proposal, `accept` takes cchc's points; other points need a reason."""
    if not permissions.may_prepare_item(actor, score):
        raise PermissionDenied(_("Mục này được giao cho người khác chuẩn bị."))
    with transaction.atomic():
        score = _fresh(score, version)
        check_edit(score.sheet.phase, Edit.SELF)
        if score.item.section == Section.SURVEY:
            raise ValidationError(_("Điểm điều tra xã hội học do Sở Nội vụ nhập khi thẩm định, cơ quan không tự chấm."))
        before = audit.snapshot(score, SELF_FIELDS)
        proposed = score.proposed_points
        reason = (override_reason or "").strip()
        if accept:
            if proposed is None:
                raise ValidationError(_("cchc chưa đề xuất điểm cho mục này."))
            value, basis, reason = proposed, Basis.ACCEPTED, ""
        else:
            value = _points(points, score)
            if proposed is None:
                basis, reason = Basis.NONE, ""
            elif value == proposed:
                basis, reason = Basis.ACCEPTED, ""
            elif not reason:
                raise ValidationError(
                    {
                        "override_reason": _("Điểm khác đề xuất của cchc (%(proposed)s): vui lòng ghi lý do.")
                        % {"proposed": points_text(proposed)}
                    }
                )
            else:
                basis = Basis.OVERRIDDEN
        score.self_points, score.self_note = value, (note or "").strip()
        score.basis, score.override_reason = basis, reason
        how = {Basis.ACCEPTED: _(" (theo đề xuất của cchc)"), Basis.OVERRIDDEN: _(" (khác đề xuất của cchc)")}
        summary = _("Tự chấm mục %(code)s: %(points)s điểm") % {"code": score.item.code, "points": points_text(value)}
        return _save(score, actor, before, SELF_FIELDS, summary + how.get(basis, ""))


def appraise(score: ItemScore, actor, *, points: Any, note: str = "", version: int | None = None) -> ItemScore:
    """The appraisers' score of the item in the sheet's current round, with their note (required where it differs
    from the score it appraises: the agency's in round 1, round 1's in round 2)."""
    if not permissions.may_appraise(actor, score):
        raise PermissionDenied(_("Mục này do cơ quan thẩm định khác chấm."))
    with transaction.atomic():
        score = _fresh(score, version)
        phase = Phase(score.sheet.phase)
        check_edit(phase, Edit.ROUND2 if phase == Phase.ROUND2 else Edit.ROUND1)
        points_field, note_field, by_field, at_field = ROUND_FIELDS[phase]
        value = _points(points, score)
        note = (note or "").strip()
        if phase == Phase.ROUND1:
            compared = score.self_points
        else:
            compared = score.round1_points if score.round1_points is not None else score.self_points
        if compared is not None and value != compared and not note and score.item.section != Section.SURVEY:
            raise ValidationError({"note": _("Điểm thẩm định khác điểm %(what)s (%(points)s): vui lòng ghi ý kiến.")
                                   % {"what": _("tự chấm") if phase == Phase.ROUND1 else _("thẩm định lần 1"),
                                      "points": points_text(compared)}})  # fmt: skip
        fields = [points_field, note_field]
        before = audit.snapshot(score, fields)
        setattr(score, points_field, value)
        setattr(score, note_field, note)
        setattr(score, by_field, actor if getattr(actor, "is_authenticated", False) else None)
        setattr(score, at_field, timezone.now())
        label = _("lần 1") if phase == Phase.ROUND1 else _("lần 2")
        return _save(score, actor, before, fields, _("Thẩm định %(round)s mục %(code)s: %(points)s điểm")
                     % {"round": label, "code": score.item.code, "points": points_text(value)})  # fmt: skip


def explain(score: ItemScore, actor, *, text: str, version: int | None = None) -> ItemScore:
    """The agency's answer (giải trình) to an item round 1 lowered, during the explanation window."""
    if not permissions.may_prepare_item(actor, score):
        raise PermissionDenied(_("Mục này được giao cho người khác chuẩn bị."))
    with transaction.atomic():
        score = _fresh(score, version)
        check_edit(score.sheet.phase, Edit.EXPLAIN)
        if not lowered(score):
            raise ValidationError(_("Chỉ giải trình các mục bị chấm thấp hơn điểm tự chấm ở thẩm định lần 1."))
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Vui lòng nhập nội dung giải trình.")})
        before = audit.snapshot(score, ["explanation"])
        score.explanation, score.explained_at = text, timezone.now()
        return _save(score, actor, before, ["explanation"], _("Giải trình mục %(code)s") % {"code": score.item.code})


def assign(sheet: Sheet, actor, assignments: dict[int, Any]) -> int:
    """{score id: user or None}: who prepares each item (a member of the sheet's agency). Returns how many changed."""
    if not permissions.may_assign(actor, sheet):
        raise PermissionDenied(_("Chỉ quản trị và lãnh đạo cơ quan được phân công chuẩn bị các mục."))
    check_edit(sheet.phase, Edit.ASSIGN)
    members = set(sheet.agency.memberships.values_list("user_id", flat=True))
    changed = 0
    with transaction.atomic():
        rows = {s.pk: s for s in sheet.scores.select_for_update(of=("self",)).select_related("item", "assignee")
                .filter(pk__in=list(assignments))}  # fmt: skip
        for pk, user in assignments.items():
            score = rows.get(pk)
            if score is None:
                raise ValidationError(_("Mục không thuộc bảng điểm này."))
            if user is not None and user.pk not in members:
                raise ValidationError(_("%(who)s không thuộc %(agency)s.") % {"who": person(user),
                                                                             "agency": sheet.agency.name})  # fmt: skip
            if score.assignee_id == (user.pk if user else None):
                continue
            old = person(score.assignee) if score.assignee_id else None
            score.assignee = user
            score.version += 1
            score.save(update_fields=["assignee", "version", "updated_at"])
            new = person(user) if user else None
            audit.record(sheet, actor, AuditEntry.Action.UPDATE,
                         changes={"item": score.item.code, "assignee": [old, new]},
                         summary=_("Giao mục %(code)s cho %(who)s") % {"code": score.item.code, "who": new}
                         if user else _("Bỏ phân công mục %(code)s") % {"code": score.item.code})  # fmt: skip
            changed += 1
    return changed


# --- evidence ------------------------------------------------------------------------------------------------


def _evidence_stage(score: ItemScore) -> str:
    check_edit(score.sheet.phase, Edit.EVIDENCE)
    if score.sheet.phase == Phase.EXPLANATION:
        if not lowered(score):
            raise ValidationError(_("Khi giải trình chỉ bổ sung tài liệu cho các mục bị chấm thấp hơn điểm tự chấm."))
        return EvidenceStage.EXPLANATION
    return EvidenceStage.SELF


def add_evidence(score: ItemScore, actor, *, kind: str, title: str, file=None, url: str = "",
                 ref_model: str = "", ref_pk: int | None = None) -> Evidence:  # fmt: skip
    if not permissions.may_prepare_item(actor, score):
        raise PermissionDenied(_("Mục này được giao cho người khác chuẩn bị."))
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Vui lòng ghi tên tài liệu.")})
    if kind == EvidenceKind.FILE and not file:
        raise ValidationError({"file": _("Vui lòng chọn tệp.")})
    if kind == EvidenceKind.LINK and not url:
        raise ValidationError({"url": _("Vui lòng nhập đường dẫn.")})
    if kind == EvidenceKind.OBJECT and not (ref_model and ref_pk):
        raise ValidationError({"ref": _("Vui lòng chọn dữ liệu trong cchc.")})
    with transaction.atomic():
        rows = ItemScore.objects.select_for_update(of=("self",))
        score = rows.select_related("sheet", "sheet__framework", "sheet__agency", "item").get(pk=score.pk)
        stage = _evidence_stage(score)
        evidence = Evidence(score=score, kind=kind, stage=stage, title=title[:500], url=url if kind == "link" else "",
                            ref_model=ref_model if kind == "object" else "",
                            ref_pk=ref_pk if kind == "object" else None,
                            added_by=actor if getattr(actor, "is_authenticated", False) else None)  # fmt: skip
        if kind == EvidenceKind.FILE:
            evidence.file.save(file.name, file, save=False)
        evidence.save()
        audit.record(score.sheet, actor, AuditEntry.Action.CREATE,
                     changes={"item": score.item.code, "evidence": evidence.title},
                     summary=_("Bổ sung tài liệu kiểm chứng mục %(code)s: %(title)s")
                     % {"code": score.item.code, "title": evidence.title})  # fmt: skip
    return evidence


def remove_evidence(evidence: Evidence, actor) -> None:
    score = evidence.score
    if not permissions.may_prepare_item(actor, score):
        raise PermissionDenied(_("Mục này được giao cho người khác chuẩn bị."))
    stage = _evidence_stage(score)
    if stage == EvidenceStage.EXPLANATION and evidence.stage != EvidenceStage.EXPLANATION:
        raise ValidationError(_("Tài liệu đã nộp khi tự chấm không gỡ được trong giai đoạn giải trình."))
    with transaction.atomic():
        audit.record(score.sheet, actor, AuditEntry.Action.DELETE,
                     changes={"item": score.item.code, "evidence": evidence.title},
                     summary=_("Gỡ tài liệu kiểm chứng mục %(code)s: %(title)s")
                     % {"code": score.item.code, "title": evidence.title})  # fmt: skip
        if evidence.file:
            evidence.file.delete(save=False)
        evidence.delete()
