"""The table of moves, every (state, move, actor) against the list below, written out by hand: a change of the
table that is not also made here fails."""

from __future__ import annotations

import itertools

import pytest

from cchc.dossiers.rules import TransitionError
from cchc.dossiers.workflow.models import StepState
from cchc.dossiers.workflow.transitions import (
    PERSON_MOVES,
    TRANSITIONS,
    Actor,
    Move,
    StepPermissionDenied,
    check,
)

W, Q, A, D, B, C = "waiting", "queued", "active", "done", "sent_back", "cancelled"
ALLOWED = {
    ("take", Q, "role"),
    ("forward", A, "holder"),
    ("send_back", A, "holder"),
    ("reassign", Q, "supervisor"),
    ("reassign", A, "supervisor"),
    ("approve", A, "holder"),
    ("send_out", Q, "role"),
    ("receive_back", A, "role"),
    ("return", A, "holder"),
    ("reach_queue", W, "system"),
    ("reach_queue", B, "system"),
    ("reach_queue", D, "system"),
    ("reach_person", W, "system"),
    ("reach_person", B, "system"),
    ("done_at_receipt", W, "system"),
    ("reopen", D, "system"),
    ("close", W, "system"),
    ("close", Q, "system"),
    ("close", A, "system"),
    ("cancel", W, "system"),
    ("cancel", Q, "system"),
    ("cancel", A, "system"),
}
COMBINATIONS = list(itertools.product(Move, StepState, Actor))


def test_the_table_has_every_move_and_only_these():
    assert set(TRANSITIONS) == set(Move)
    assert {(m, s, a) for m, s, a in COMBINATIONS if a in TRANSITIONS[m].actors and s in TRANSITIONS[m].sources} == {
        (Move(m), StepState(s), Actor(a)) for m, s, a in ALLOWED
    }
    assert PERSON_MOVES == ("take", "forward", "send_back", "reassign", "approve", "send_out", "receive_back", "return")


@pytest.mark.parametrize(("move", "state", "actor"), COMBINATIONS, ids=lambda v: str(v))
def test_each_combination_is_allowed_or_refused_with_its_message(move, state, actor):
    transition = TRANSITIONS[move]
    if (str(move), str(state), str(actor)) in ALLOWED:
        assert check(state, move, {actor}).target == transition.target
        return
    if state not in transition.sources:
        with pytest.raises(TransitionError) as caught:
            check(state, move, {actor})
        assert caught.value.messages == [
            f"Không thể {transition.label}: bước đang ở trạng thái “{StepState(state).label}”."
        ]
    else:
        with pytest.raises(StepPermissionDenied) as caught:
            check(state, move, {actor})
        if Actor.SYSTEM in transition.actors:
            expected = f"Thao tác “{transition.label}” do hệ thống tự thực hiện, không ai thao tác trực tiếp."
        else:
            who = {"role": "người có vai trò của bước", "holder": "người đang xử lý bước",
                   "supervisor": "lãnh đạo hoặc quản trị cơ quan"}[next(iter(transition.actors))]  # fmt: skip
            expected = f"Bạn không có quyền {transition.label}: chỉ {who} được làm việc này."
        assert caught.value.message == expected


def test_targets():
    targets = {str(m): str(t.target) for m, t in TRANSITIONS.items()}
    assert targets == {
        "take": A, "forward": D, "send_back": B, "reassign": A, "approve": D, "send_out": A, "receive_back": D,
        "return": D, "reach_queue": Q, "reach_person": A, "done_at_receipt": D, "reopen": A, "close": D,
        "cancel": C,
    }  # fmt: skip


def test_an_unknown_move_is_refused():
    with pytest.raises(TransitionError, match="không hợp lệ"):
        check("queued", "jump", {Actor.ROLE})
