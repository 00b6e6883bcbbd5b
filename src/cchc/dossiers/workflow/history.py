"""The hand-overs in words: the dossier's timeline rows and the rows of the Phiếu kiểm soát quá trình giải quyết
hồ sơ (which the printed forms read through `control_rows`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .deadlines import handover_label
from .models import Handover, HandoverKind
from .permissions import person


def _target(handover: Handover) -> str:
    step = handover.to_step
    if handover.to_user is not None:
        who = person(handover.to_user)
        return f"{who} ({handover.to_unit.name})" if handover.to_unit else who
    if step is not None and step.external_name and step.external_agency_id is None:
        return step.external_name
    if step is not None and step.external_agency is not None:
        return _("hàng chờ của %(agency)s") % {"agency": step.external_agency.name}
    if handover.to_unit is not None:
        return _("hàng chờ của %(unit)s") % {"unit": handover.to_unit.name}
    return _("hàng chờ của cơ quan")


def describe(handover: Handover) -> str:
    """ "Nguyễn Văn A chuyển cho Trần Thị B (Phòng Quản lý chuyên ngành) – bước 2. Thẩm định hồ sơ – đúng hạn"."""
    giver = person(handover.from_user) or _("Hệ thống")
    step = handover.to_step or handover.from_step
    title = _("bước %(n)s. %(name)s") % {"n": step.position, "name": step.name} if step else ""
    label = handover_label(handover).lower()
    if handover.kind == HandoverKind.TAKE:
        text = _("%(who)s nhận xử lý – %(step)s") % {"who": person(handover.to_user), "step": title}
    elif handover.kind == HandoverKind.REASSIGN:
        text = _("%(who)s giao cho %(to)s – %(step)s") % {"who": giver, "to": _target(handover), "step": title}
    elif handover.kind == HandoverKind.SEND_BACK:
        text = _("%(who)s trả lại cho %(to)s – %(step)s") % {"who": giver, "to": _target(handover), "step": title}
    elif handover.to_step is None:
        text = _("%(who)s hoàn thành – %(step)s") % {"who": giver, "step": title}
    elif handover.from_step is not None and handover.from_step.pk == handover.to_step.pk:
        text = _("%(who)s gửi hồ sơ đến %(to)s – %(step)s") % {"who": giver, "to": _target(handover), "step": title}
    else:
        text = _("%(who)s chuyển cho %(to)s – %(step)s") % {"who": giver, "to": _target(handover), "step": title}
    return f"{text} – {label}" if label else text


def _handovers(dossier):
    return (
        Handover.objects.filter(dossier=dossier)
        .select_related(
            "from_user", "to_user", "from_unit", "to_unit", "from_step", "to_step", "to_step__external_agency"
        )
        .order_by("at", "pk")
    )


def timeline_rows(dossier) -> list[dict[str, Any]]:
    """Rows for dossiers/timeline.py. The first queueing at receipt (no step before it) is the receipt's own row."""
    rows = []
    for handover in _handovers(dossier):
        if handover.from_step_id is None:
            continue
        rows.append(
            {
                "source": "handover",
                "kind": f"handover_{handover.kind}",
                "label": describe(handover),
                "at": handover.at,
                "actor": "",
                "unit": "",
                "note": handover.note,
                "new_promised_date": None,
                "changes": {},
            }
        )
    return rows


def _taker(handover: Handover, later: list[Handover]) -> Handover | None:
    """The take that ended a hand-over to a queue: the first take of the same step after it, before the step was
    handed again."""
    for other in later:
        if other.to_step_id != handover.to_step_id:
            continue
        if other.kind == HandoverKind.TAKE:
            return other
        if other.kind != HandoverKind.REASSIGN:
            return None
    return None


def control_rows(dossier) -> list[dict[str, Any]]:
    """The rows of the Phiếu kiểm soát: one per hand-over that moved the dossier on (takes and reassignments
    stay inside a step): step, giver and unit, receiver and unit, moment, Trước hạn/Đúng hạn/Quá hạn, note.

    The receiver is a person wherever one is known: for a hand-over to a unit's queue, whoever took the step from
    it; for the last hand-over out of the process, the person the result was returned to."""
    from .models import DossierResult

    handovers = list(_handovers(dossier))
    result = DossierResult.objects.filter(dossier=dossier).only("returned_to").first()
    rows = []
    for index, handover in enumerate(handovers):
        if handover.kind in (HandoverKind.TAKE, HandoverKind.REASSIGN):
            continue
        step = handover.from_step or handover.to_step
        to_user, to_unit = person(handover.to_user), handover.to_unit.name if handover.to_unit else ""
        if handover.to_step is None:
            to_user, to_unit = (result.returned_to if result else ""), ""
        elif handover.to_user is None:
            taker = _taker(handover, handovers[index + 1 :])
            if taker is not None:
                to_user = person(taker.to_user)
            else:
                to_unit = _target(handover)
        rows.append(
            {
                "step": step,
                "from_step": handover.from_step,
                "to_step": handover.to_step,
                "kind": handover.kind,
                "kind_label": handover.get_kind_display(),
                "from_user": person(handover.from_user),
                "from_unit": handover.from_unit.name if handover.from_unit else "",
                "to_user": to_user,
                "to_unit": to_unit,
                "at": handover.at,
                "result": handover_label(handover),
                "note": handover.note,
            }
        )
    return rows
