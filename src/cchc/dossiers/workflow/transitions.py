"""The one table of the moves a dossier step may make (ADR 0007).

Each move names the states it leaves, the state it sets and who may make it: a member holding the step's role in
the step's agency (and unit, when the role is bound to one), the person holding the step, a supervisor (a leader or
the agency's administrator, who may hand a step to someone else), or the system only (the moves that follow from
another move or from the dossier's lifecycle: a step reached, re-opened by a send-back, paused, cancelled).

`check(state, move, actors)` is the single gate every service passes through: it raises TransitionError (wrong
state) or StepPermissionDenied (wrong person), each with the message the user reads. The extra conditions that
depend on the dossier (an approval step is approved, not forwarded; nothing moves while the applicant supplements)
are the services' guards, on top of this table.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ..rules import TransitionError
from .models import StepState


class StepPermissionDenied(PermissionDenied):
    """A move the user may not make on this step: a 403 with its Vietnamese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Actor(enum.StrEnum):
    ROLE = "role"  # a member of the step's agency with the step's role (in its unit when bound to one)
    HOLDER = "holder"  # the person holding the step
    SUPERVISOR = "supervisor"  # a leader or the administrator of the step's agency
    SYSTEM = "system"  # the application itself, as a consequence of another move


class Move(enum.StrEnum):
    # moves a person makes
    TAKE = "take"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    REASSIGN = "reassign"
    APPROVE = "approve"
    SEND_OUT = "send_out"  # liên thông outside cchc: the dossier is sent to the other agency
    RECEIVE_BACK = "receive_back"  # ... and its answer received back
    RETURN = "return"  # the desk hands the result to the applicant
    # moves only the system makes
    REACH_QUEUE = "reach_queue"
    REACH_PERSON = "reach_person"
    DONE_AT_RECEIPT = "done_at_receipt"
    REOPEN = "reopen"
    CLOSE = "close"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Transition:
    move: Move
    sources: frozenset[StepState]
    target: StepState
    actors: frozenset[Actor]
    label: str  # what the move is called on the page and in messages ("nhận xử lý")


def _t(move, sources, target, actors, label) -> Transition:
    return Transition(Move(move), frozenset(sources), StepState(target), frozenset(actors), label)


S = StepState
A = Actor
OPEN = (S.WAITING, S.QUEUED, S.ACTIVE)

TRANSITIONS: dict[Move, Transition] = {
    t.move: t
    for t in (
        _t(Move.TAKE, [S.QUEUED], S.ACTIVE, [A.ROLE], _lazy("nhận xử lý")),
        _t(Move.FORWARD, [S.ACTIVE], S.DONE, [A.HOLDER], _lazy("chuyển bước tiếp theo")),
        _t(Move.SEND_BACK, [S.ACTIVE], S.SENT_BACK, [A.HOLDER], _lazy("trả lại bước trước")),
        _t(Move.REASSIGN, [S.QUEUED, S.ACTIVE], S.ACTIVE, [A.SUPERVISOR], _lazy("giao lại người xử lý")),
        _t(Move.APPROVE, [S.ACTIVE], S.DONE, [A.HOLDER], _lazy("phê duyệt kết quả")),
        _t(Move.SEND_OUT, [S.QUEUED], S.ACTIVE, [A.ROLE], _lazy("gửi cơ quan liên thông")),
        _t(Move.RECEIVE_BACK, [S.ACTIVE], S.DONE, [A.ROLE], _lazy("nhận lại từ cơ quan liên thông")),
        _t(Move.RETURN, [S.ACTIVE], S.DONE, [A.HOLDER], _lazy("trả kết quả")),
        _t(Move.REACH_QUEUE, [S.WAITING, S.SENT_BACK, S.DONE], S.QUEUED, [A.SYSTEM], _lazy("chuyển vào hàng chờ")),
        _t(Move.REACH_PERSON, [S.WAITING, S.SENT_BACK], S.ACTIVE, [A.SYSTEM], _lazy("chuyển cho người xử lý")),
        _t(Move.DONE_AT_RECEIPT, [S.WAITING], S.DONE, [A.SYSTEM], _lazy("hoàn thành khi tiếp nhận")),
        _t(Move.REOPEN, [S.DONE], S.ACTIVE, [A.SYSTEM], _lazy("mở lại bước")),
        _t(Move.CLOSE, OPEN, S.DONE, [A.SYSTEM], _lazy("kết thúc bước theo hồ sơ")),
        _t(Move.CANCEL, OPEN, S.CANCELLED, [A.SYSTEM], _lazy("hủy bước")),
    )
}

# Moves a person may make, in the order the page offers them.
PERSON_MOVES = tuple(m for m, t in TRANSITIONS.items() if A.SYSTEM not in t.actors)
# The states in which a step is in someone's hands (or a queue): what "Việc của tôi" and the queues read.
HELD_STATES = frozenset({S.QUEUED, S.ACTIVE})
OPEN_STATES = frozenset(OPEN)

WHO = {
    A.ROLE: _lazy("người có vai trò của bước"),
    A.HOLDER: _lazy("người đang xử lý bước"),
    A.SUPERVISOR: _lazy("lãnh đạo hoặc quản trị cơ quan"),
    A.SYSTEM: _lazy("hệ thống"),
}


def state_refusal(state: StepState, transition: Transition) -> str:
    return _("Không thể %(move)s: bước đang ở trạng thái “%(state)s”.") % {
        "move": transition.label,
        "state": StepState(state).label,
    }


def actor_refusal(transition: Transition) -> str:
    if A.SYSTEM in transition.actors:
        return _("Thao tác “%(move)s” do hệ thống tự thực hiện, không ai thao tác trực tiếp.") % {
            "move": transition.label
        }
    who = ", ".join(str(WHO[a]) for a in sorted(transition.actors))
    return _("Bạn không có quyền %(move)s: chỉ %(who)s được làm việc này.") % {"move": transition.label, "who": who}


def check(state: str, move: Move | str, actors: set[Actor] | frozenset[Actor]) -> Transition:
    """The transition of `move` from `state` for someone acting as `actors`; raises with the user's message."""
    try:
        transition = TRANSITIONS[Move(move)]
    except ValueError:
        raise TransitionError(_("Thao tác “%(move)s” không hợp lệ.") % {"move": move}) from None
    if StepState(state) not in transition.sources:
        raise TransitionError(state_refusal(StepState(state), transition))
    if not (set(actors) & transition.actors):
        raise StepPermissionDenied(actor_refusal(transition))
    return transition


def allowed(state: str, move: Move | str, actors: set[Actor] | frozenset[Actor]) -> bool:
    try:
        check(state, move, actors)
    except (TransitionError, PermissionDenied):
        return False
    return True
