"""The one table of a sheet's phases and the moves between them, and of the edits each phase allows.

drafting ─lock─> self-assessment locked ─start round 1─> round 1 ─close round 1─> explanation (giải trình)
   ^                    │                                              window of N working days
   └──────reopen────────┘             explanation ─finish─> round 2 ─close round 2─> council ─publish─> final

Each move names the phases it leaves, the phase it sets and who makes it: the agency (its admin, leaders and
officers), the lead appraiser (the Sở Nội vụ of the province), or the system (a deadline passed: the self-assessment
locks itself on the framework's deadline, the explanation window closes itself at its end). `check` is the single
gate: it raises TransitionError (wrong phase) or MovePermissionDenied (wrong person), with the message the user reads.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import Phase


class TransitionError(Exception):
    """A move the sheet's phase does not allow, or whose conditions are not met: the message says why."""


class MovePermissionDenied(PermissionDenied):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Actor(enum.StrEnum):
    AGENCY = "agency"  # admin, leaders and officers of the sheet's agency
    LEAD = "lead"  # the Sở Nội vụ of the framework's province
    SYSTEM = "system"  # cchc itself, when a deadline passes


class Move(enum.StrEnum):
    LOCK_SELF = "lock_self"
    REOPEN_SELF = "reopen_self"
    START_ROUND1 = "start_round1"
    CLOSE_ROUND1 = "close_round1"
    FINISH_EXPLANATION = "finish_explanation"
    CLOSE_ROUND2 = "close_round2"
    PUBLISH = "publish"
    AUTO_LOCK_SELF = "auto_lock_self"
    AUTO_END_EXPLANATION = "auto_end_explanation"


@dataclass(frozen=True)
class Transition:
    move: Move
    sources: frozenset[Phase]
    target: Phase
    actors: frozenset[Actor]
    label: str  # the button and the timeline ("khóa tự chấm")
    needs_reason: bool = False


def _t(move, sources, target, actors, label, needs_reason=False) -> Transition:
    return Transition(Move(move), frozenset(sources), Phase(target), frozenset(actors), label, needs_reason)


P = Phase
A = Actor

TRANSITIONS: dict[Move, Transition] = {
    t.move: t
    for t in (
        _t(Move.LOCK_SELF, [P.DRAFTING], P.SELF_LOCKED, [A.AGENCY], _lazy("khóa tự chấm, gửi thẩm định")),
        _t(Move.REOPEN_SELF, [P.SELF_LOCKED], P.DRAFTING, [A.LEAD], _lazy("mở lại để cơ quan tự chấm"), True),
        _t(Move.START_ROUND1, [P.SELF_LOCKED], P.ROUND1, [A.LEAD], _lazy("bắt đầu thẩm định lần 1")),
        _t(Move.CLOSE_ROUND1, [P.ROUND1], P.EXPLANATION, [A.LEAD], _lazy("kết thúc thẩm định lần 1, mở giải trình")),
        _t(Move.FINISH_EXPLANATION, [P.EXPLANATION], P.ROUND2, [A.AGENCY, A.LEAD],
           _lazy("hoàn tất giải trình, chuyển thẩm định lần 2")),
        _t(Move.CLOSE_ROUND2, [P.ROUND2], P.COUNCIL, [A.LEAD], _lazy("kết thúc thẩm định lần 2, trình Hội đồng")),
        _t(Move.PUBLISH, [P.COUNCIL], P.FINAL, [A.LEAD], _lazy("ghi nhận kết quả chính thức của Hội đồng")),
        _t(Move.AUTO_LOCK_SELF, [P.DRAFTING], P.SELF_LOCKED, [A.SYSTEM], _lazy("tự khóa tự chấm khi hết hạn")),
        _t(Move.AUTO_END_EXPLANATION, [P.EXPLANATION], P.ROUND2, [A.SYSTEM],
           _lazy("tự kết thúc giải trình khi hết hạn")),
    )
}  # fmt: skip

PERSON_MOVES = tuple(m for m, t in TRANSITIONS.items() if A.SYSTEM not in t.actors)

WHO = {
    A.AGENCY: _lazy("cán bộ của cơ quan được chấm"),
    A.LEAD: _lazy("Sở Nội vụ (cơ quan chủ trì thẩm định)"),
    A.SYSTEM: _lazy("hệ thống"),
}


class Edit(enum.StrEnum):
    SELF = "self"  # self-assessment points and notes, accepting or overriding a proposal
    ASSIGN = "assign"  # which officer prepares an item
    EVIDENCE = "evidence"  # add or remove evidence
    ROUND1 = "round1"
    EXPLAIN = "explain"  # the agency's answer to a lowered item
    ROUND2 = "round2"


EDITS: dict[Edit, frozenset[Phase]] = {
    Edit.SELF: frozenset({P.DRAFTING}),
    Edit.ASSIGN: frozenset({P.DRAFTING}),
    Edit.EVIDENCE: frozenset({P.DRAFTING, P.EXPLANATION}),
    Edit.ROUND1: frozenset({P.ROUND1}),
    Edit.EXPLAIN: frozenset({P.EXPLANATION}),
    Edit.ROUND2: frozenset({P.ROUND2}),
}

EDIT_LABELS = {
    Edit.SELF: _lazy("tự chấm điểm"),
    Edit.ASSIGN: _lazy("phân công chuẩn bị"),
    Edit.EVIDENCE: _lazy("bổ sung tài liệu kiểm chứng"),
    Edit.ROUND1: _lazy("chấm thẩm định lần 1"),
    Edit.EXPLAIN: _lazy("giải trình"),
    Edit.ROUND2: _lazy("chấm thẩm định lần 2"),
}


def phase_refusal(phase: str, label: str) -> str:
    return _("Không thể %(what)s: bảng điểm đang ở giai đoạn “%(phase)s”.") % {"what": label,
                                                                              "phase": Phase(phase).label}  # fmt: skip


def check(phase: str, move: Move | str, actors: set[Actor] | frozenset[Actor]) -> Transition:
    try:
        transition = TRANSITIONS[Move(move)]
    except ValueError:
        raise TransitionError(_("Thao tác “%(move)s” không hợp lệ.") % {"move": move}) from None
    if not (set(actors) & transition.actors):
        if A.SYSTEM in transition.actors:
            raise MovePermissionDenied(_("Thao tác “%(move)s” do hệ thống tự thực hiện.") % {"move": transition.label})
        who = ", ".join(str(WHO[a]) for a in sorted(transition.actors))
        raise MovePermissionDenied(
            _("Bạn không có quyền %(move)s: chỉ %(who)s được làm việc này.") % {"move": transition.label, "who": who}
        )
    if Phase(phase) not in transition.sources:
        raise TransitionError(phase_refusal(phase, str(transition.label)))
    return transition


def allowed(phase: str, move: Move | str, actors: set[Actor] | frozenset[Actor]) -> bool:
    try:
        check(phase, move, actors)
    except (TransitionError, PermissionDenied):
        return False
    return True


def check_edit(phase: str, edit: Edit) -> None:
    if Phase(phase) not in EDITS[edit]:
        raise TransitionError(phase_refusal(phase, str(EDIT_LABELS[edit])))
