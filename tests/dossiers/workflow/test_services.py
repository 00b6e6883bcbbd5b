"""The internal process driving a dossier: steps at receipt, the moves, who may make them, the approval resolving
the dossier and the desk's return filling its result; liên thông; supplement, refusal; a one-step process."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from workflow_setup import add_steps, local, receive, steps

from cchc.audit.models import AuditEntry
from cchc.documents.models import Direction, Register
from cchc.dossiers import lifecycle
from cchc.dossiers.models import Channel, Dossier, Status
from cchc.dossiers.rules import TransitionError
from cchc.dossiers.workflow import services
from cchc.dossiers.workflow.deadlines import handover_label, step_label
from cchc.dossiers.workflow.history import control_rows
from cchc.dossiers.workflow.models import DossierResult, Handover, StepState
from cchc.dossiers.workflow.permissions import person
from cchc.dossiers.workflow.signals import step_reached
from cchc.dossiers.workflow.transitions import StepPermissionDenied


def lifecycle_columns(dossier):
    dossier = Dossier.objects.get(pk=dossier.pk)
    return (dossier.received_at, dossier.due_at, dossier.ended_at, dossier.outcome)


def walk_to_leader(dossier, people):
    check = steps(dossier)[1]
    services.take(check, actor=people["officer"], at=local(2024, 2, 5, 10))
    services.forward(check, actor=people["officer"], to_user=people["leader"], at=local(2024, 2, 16, 10))
    return steps(dossier)


# --- at receipt -------------------------------------------------------------------------------------------------


def test_receipt_copies_the_process_and_the_desk_step_is_done_by_the_receiver(dossier, people, units):
    rows = steps(dossier)
    assert [(s.position, s.name, s.state) for s in rows] == [
        (1, "Tiếp nhận hồ sơ", StepState.DONE),
        (2, "Thẩm định hồ sơ", StepState.QUEUED),
        (3, "Lãnh đạo Sở phê duyệt", StepState.WAITING),
        (4, "Vào số, đóng dấu", StepState.WAITING),
        (5, "Trả kết quả", StepState.WAITING),
    ]
    desk, check = rows[0], rows[1]
    assert (desk.holder, desk.finished_at, desk.on_time) == (people["desk"], dossier.received_at, True)
    assert (check.holder, check.unit, check.started_at) == (None, units["QLCN"], dossier.received_at)
    assert [s.is_approval for s in rows] == [False, False, True, False, False]
    # 6 working days of 9.5 office hours from Mon 05/02 09:00: Tết (08-14/02) and the weekend skipped.
    assert timezone.localtime(check.due_at) == local(2024, 2, 20, 9)
    handover = dossier.handovers.get()
    assert (handover.kind, handover.from_step, handover.to_step, handover.from_user) == (
        "forward",
        desk,
        check,
        people["desk"],
    )
    # The dossier went to the unit of the step: "Đang xử lý" at Phòng Quản lý chuyên ngành.
    dossier.refresh_from_db()
    assert (dossier.status, dossier.current_unit) == (Status.IN_PROCESS, units["QLCN"])


def test_step_reached_is_sent_on_commit(agency, process, people, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, step, **kwargs):
        received.append((step.position, step.holder))

    step_reached.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            receive(agency, process, people["desk"], local(2024, 2, 5, 9))
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [(2, None)]
    finally:
        step_reached.disconnect(listener)


def test_no_process_gives_one_default_step_and_keeps_the_plain_lifecycle(agency, procedure, people, unit):
    dossier = receive(agency, procedure, people["desk"], local(2024, 2, 5, 9))
    (step,) = steps(dossier)
    assert (step.name, step.is_default, step.is_approval, step.state, step.role) == (
        "Xử lý hồ sơ",
        True,
        True,
        StepState.QUEUED,
        "officer",
    )
    assert step.due_at == dossier.due_at
    lifecycle.assign(dossier, unit=unit, actor=people["desk"], at=local(2024, 2, 5, 10))
    step.refresh_from_db()
    assert step.unit == unit  # the queue followed the dossier
    lifecycle.resolve(dossier, actor=people["officer"], at=local(2024, 2, 6, 9))
    step.refresh_from_db()
    assert (step.state, step.finished_at, step.on_time) == (StepState.DONE, local(2024, 2, 6, 9), True)


def test_a_one_step_process_stays_one_step(agency, procedure, people, units):
    add_steps(procedure, [{"name": "Giải quyết hồ sơ", "role": "officer", "unit": units["QLCN"], "duration": 10}])
    dossier = receive(agency, procedure, people["desk"], local(2024, 2, 5, 9))
    (step,) = steps(dossier)
    assert (step.is_approval, step.state, step.is_default) == (True, StepState.QUEUED, False)
    with pytest.raises(TransitionError, match="phê duyệt ở bước “1. Giải quyết hồ sơ”"):
        lifecycle.resolve(dossier, actor=people["officer"], at=local(2024, 2, 6))
    services.take(step, actor=people["officer"], at=local(2024, 2, 5, 10))
    services.approve(step, actor=people["officer"], at=local(2024, 2, 9, 10))
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED
    result = services.return_result(
        dossier, actor=people["desk"], at=local(2024, 2, 15, 9), number="12/GP-SKHCN", issued_on=dt.date(2024, 2, 9),
        return_channel=Channel.DIRECT, returned_to="Nguyễn Văn An",
    )  # fmt: skip
    assert (result.number, result.approved_by) == ("12/GP-SKHCN", people["officer"])
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED


# --- the whole way ----------------------------------------------------------------------------------------------


def test_the_dossier_travels_to_the_leaders_approval_and_back_to_the_desk(dossier, people, units):
    received = lifecycle_columns(dossier)
    desk, check, approval, clerk, back = steps(dossier)
    services.take(check, actor=people["officer"], at=local(2024, 2, 5, 10))
    services.forward(check, actor=people["officer"], to_user=people["leader"], at=local(2024, 2, 16, 10), note="Đủ")
    # The workflow moved nothing the statistics read.
    assert lifecycle_columns(dossier) == received
    with pytest.raises(TransitionError, match="phê duyệt"):
        services.forward(approval, actor=people["leader"], at=local(2024, 2, 19, 9))
    services.approve(approval, actor=people["leader"], at=local(2024, 2, 19, 9))
    dossier.refresh_from_db()
    assert (dossier.status, dossier.ended_at) == (Status.RESOLVED, local(2024, 2, 19, 9))
    assert (dossier.received_at, dossier.due_at) == received[:2]
    clerk.refresh_from_db()
    assert (clerk.state, clerk.unit) == (StepState.QUEUED, units["VP"])
    services.take(clerk, actor=people["clerk"], at=local(2024, 2, 19, 10))
    services.forward(clerk, actor=people["clerk"], at=local(2024, 2, 19, 11))
    back.refresh_from_db()
    assert back.state == StepState.QUEUED
    with pytest.raises(TransitionError, match="Chờ nhận xử lý"):
        services.return_result(
            dossier,
            actor=people["desk"],
            at=local(2024, 2, 20, 9),
            number="1",
            issued_on=dt.date(2024, 2, 19),
            return_channel=Channel.DIRECT,
            returned_to="An",
        )
    services.take(back, actor=people["desk"], at=local(2024, 2, 20, 8))
    result = services.return_result(
        dossier, actor=people["desk"], at=local(2024, 2, 20, 9), number="15/GP-SKHCN",
        issued_on=dt.date(2024, 2, 19), electronic=True, return_channel=Channel.POSTAL,
        returned_to="Nguyễn Văn An (người được ủy quyền)",
    )  # fmt: skip
    dossier.refresh_from_db()
    assert (dossier.status, dossier.returned_at, dossier.ended_at) == (
        Status.RETURNED,
        local(2024, 2, 20, 9),
        local(2024, 2, 19, 9),
    )
    result.refresh_from_db()
    assert (result.number, result.issued_on, result.electronic, result.return_channel, result.returned_to) == (
        "15/GP-SKHCN",
        dt.date(2024, 2, 19),
        True,
        Channel.POSTAL,
        "Nguyễn Văn An (người được ủy quyền)",
    )
    assert (result.approved_by, result.approved_at) == (people["leader"], local(2024, 2, 19, 9))
    assert all(s.state == StepState.DONE for s in steps(dossier))
    kinds = list(dossier.handovers.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["forward", "take", "forward", "forward", "take", "forward", "take", "forward"]
    rows = control_rows(dossier)
    assert [r["result"] for r in rows] == ["Đúng hạn", "Trước hạn", "Trước hạn", "Đúng hạn", "Đúng hạn"]
    assert rows[1]["to_user"] == "Hoàng Văn Minh" and rows[1]["from_unit"] == "Phòng Quản lý chuyên ngành"
    # A hand-over to a queue names who took the step from it; the last one, who the result was returned to.
    assert (rows[0]["to_user"], rows[0]["to_unit"]) == (person(people["officer"]), "Phòng Quản lý chuyên ngành")
    assert (rows[-1]["to_user"], rows[-1]["to_unit"]) == ("Nguyễn Văn An (người được ủy quyền)", "")
    assert rows[-1]["note"].startswith("Trả kết quả cho Nguyễn Văn An")
    # Every move left an audit entry on its step, in the dossier's agency.
    entries = AuditEntry.objects.filter(content_type__model="dossierstep")
    assert entries.count() == 12 and set(entries.values_list("agency_id", flat=True)) == {dossier.agency_id}


def test_timeline_says_who_handed_to_whom_and_whether_in_time(dossier, people):
    walk_to_leader(dossier, people)
    labels = [row["label"] for row in lifecycle.timeline(dossier)]
    assert (
        "Nguyễn Văn Hùng chuyển cho hàng chờ của Phòng Quản lý chuyên ngành – bước 2. Thẩm định hồ sơ – đúng hạn"
        in labels
    )
    assert "Trần Thị Thu Hà nhận xử lý – bước 2. Thẩm định hồ sơ" in labels
    assert "Trần Thị Thu Hà chuyển cho Hoàng Văn Minh – bước 3. Lãnh đạo Sở phê duyệt – trước hạn" in labels


def test_a_late_step_is_labelled_late(dossier, people):
    check = steps(dossier)[1]
    services.take(check, actor=people["officer"], at=local(2024, 2, 5, 10))
    services.forward(check, actor=people["officer"], at=local(2024, 2, 21, 10))
    check.refresh_from_db()
    assert (check.on_time, step_label(check)) == (False, "Quá hạn")
    assert handover_label(Handover.objects.filter(from_step=check, kind="forward").get()) == "Quá hạn"


def test_the_clerk_numbers_the_result_through_the_registry_and_the_desk_returns_it(dossier, people, agency):
    register = Register.objects.create(agency=agency, name="Sổ văn bản đi", direction=Direction.OUTGOING)
    _, _, approval, clerk, back = walk_to_leader(dossier, people)
    with pytest.raises(TransitionError, match="sau khi kết quả được phê duyệt"):
        services.number_result(approval, actor=people["leader"], register=register, document_kind="QĐ",
                               issued_on=dt.date(2024, 2, 19), at=local(2024, 2, 19, 9))  # fmt: skip
    services.approve(approval, actor=people["leader"], at=local(2024, 2, 19, 9))
    services.take(clerk, actor=people["clerk"], at=local(2024, 2, 19, 10))
    result = services.number_result(clerk, actor=people["clerk"], register=register, document_kind="QĐ",
                                    issued_on=dt.date(2024, 2, 19), at=local(2024, 2, 19, 10))  # fmt: skip
    assert result.document is not None and (result.number, result.issued_on) == ("01/QĐ-SKHCN", dt.date(2024, 2, 19))
    with pytest.raises(TransitionError, match="đã có số"):
        services.number_result(clerk, actor=people["clerk"], register=register, document_kind="QĐ",
                               issued_on=dt.date(2024, 2, 19), at=local(2024, 2, 19, 10))  # fmt: skip
    services.forward(clerk, actor=people["clerk"], to_user=people["desk"], at=local(2024, 2, 19, 11))
    # The desk may not issue documents; the number is there already, it only records the hand-over.
    with pytest.raises(PermissionDenied):
        services.return_result(dossier, actor=people["desk"], at=local(2024, 2, 20, 9), register=register,
                               return_channel=Channel.DIRECT, returned_to="An")  # fmt: skip
    result = services.return_result(
        dossier, actor=people["desk"], at=local(2024, 2, 20, 9), return_channel=Channel.DIRECT,
        returned_to="Nguyễn Văn An",
    )  # fmt: skip
    assert (result.number, result.document.register, result.returned_to) == ("01/QĐ-SKHCN", register, "Nguyễn Văn An")


def test_the_return_needs_its_recipient_and_number(dossier, people):
    _, _, approval, clerk, back = walk_to_leader(dossier, people)
    services.approve(approval, actor=people["leader"], to_user=people["clerk"], at=local(2024, 2, 19, 9))
    services.forward(clerk, actor=people["clerk"], to_user=people["desk"], at=local(2024, 2, 19, 11))
    base = {"actor": people["desk"], "at": local(2024, 2, 20, 9), "return_channel": Channel.DIRECT}
    with pytest.raises(TransitionError, match="người nhận kết quả"):
        services.return_result(dossier, number="1", issued_on=dt.date(2024, 2, 19), **base)
    with pytest.raises(TransitionError, match="số, ký hiệu và ngày ký"):
        services.return_result(dossier, returned_to="An", **base)
    assert not DossierResult.objects.filter(dossier=dossier, returned_to="An").exists()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESOLVED


# --- who may -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_qlkh", "leader", "desk", "viewer", "outsider", "clerk"])
def test_only_an_officer_of_the_steps_unit_takes_it(dossier, people, who):
    check = steps(dossier)[1]
    with pytest.raises(PermissionDenied, match="chỉ người có vai trò của bước"):
        services.take(check, actor=people[who], at=local(2024, 2, 5, 10))
    check.refresh_from_db()
    assert (check.state, check.holder) == (StepState.QUEUED, None)


def test_a_held_step_moves_only_by_its_holder(dossier, people):
    check = steps(dossier)[1]
    services.take(check, actor=people["officer"], at=local(2024, 2, 5, 10))
    with pytest.raises(TransitionError, match="Trần Thị Thu Hà đã nhận xử lý bước 2. Thẩm định hồ sơ trước bạn"):
        services.take(check, actor=people["officer2"], at=local(2024, 2, 5, 11))
    for who in ("officer2", "leader", "admin"):
        with pytest.raises(StepPermissionDenied, match="chỉ người đang xử lý bước"):
            services.forward(check, actor=people[who], at=local(2024, 2, 6))
        with pytest.raises(StepPermissionDenied):
            services.send_back(check, actor=people[who], reason="Thiếu", at=local(2024, 2, 6))


def test_a_leader_or_admin_reassigns_to_someone_of_the_role(dossier, people):
    check = steps(dossier)[1]
    services.take(check, actor=people["officer"], at=local(2024, 2, 5, 10))
    with pytest.raises(StepPermissionDenied, match="lãnh đạo hoặc quản trị"):
        services.reassign(check, actor=people["officer"], to_user=people["officer2"], at=local(2024, 2, 5, 11))
    with pytest.raises(TransitionError, match="không có vai trò"):
        services.reassign(check, actor=people["admin"], to_user=people["officer_qlkh"], at=local(2024, 2, 5, 11))
    services.reassign(check, actor=people["admin"], to_user=people["officer2"], at=local(2024, 2, 5, 11))
    check.refresh_from_db()
    assert (check.state, check.holder) == (StepState.ACTIVE, people["officer2"])


def test_forward_only_to_a_person_of_the_next_steps_role(dossier, people):
    check = steps(dossier)[1]
    services.take(check, actor=people["officer"], at=local(2024, 2, 5, 10))
    with pytest.raises(TransitionError, match="không thể nhận bước 3"):
        services.forward(check, actor=people["officer"], to_user=people["officer2"], at=local(2024, 2, 6))
    check.refresh_from_db()
    assert check.state == StepState.ACTIVE  # nothing half-done


def test_the_plain_lifecycle_cannot_bypass_the_process(dossier, people, units):
    with pytest.raises(TransitionError, match="phê duyệt ở bước “3. Lãnh đạo Sở phê duyệt”"):
        lifecycle.resolve(dossier, actor=people["officer"], at=local(2024, 2, 6))
    with pytest.raises(TransitionError, match="Quy trình xử lý"):
        lifecycle.assign(dossier, unit=units["QLKH"], actor=people["desk"], at=local(2024, 2, 6))
    assert "resolved" not in lifecycle.allowed_actions(dossier, at=local(2024, 2, 6))
    assert "assigned" not in lifecycle.allowed_actions(dossier, at=local(2024, 2, 6))


# --- send back ---------------------------------------------------------------------------------------------------


def test_send_back_needs_a_reason_and_reopens_the_previous_step_for_its_holder(dossier, people):
    _, check, approval, *_ = walk_to_leader(dossier, people)
    with pytest.raises(TransitionError, match="lý do trả lại"):
        services.send_back(approval, actor=people["leader"], reason="  ", at=local(2024, 2, 19, 9))
    approval.refresh_from_db()
    assert approval.state == StepState.ACTIVE
    services.send_back(approval, actor=people["leader"], reason="Bổ sung ý kiến thẩm định", at=local(2024, 2, 19, 9))
    check.refresh_from_db()
    approval.refresh_from_db()
    assert (approval.state, check.state, check.holder) == (StepState.SENT_BACK, StepState.ACTIVE, people["officer"])
    back = dossier.handovers.get(kind="send_back")
    assert (back.from_user, back.to_user, back.note) == (
        people["leader"],
        people["officer"],
        "Bổ sung ý kiến thẩm định",
    )
    # The reopened step runs its share again from now; once forwarded, the leader has the dossier again.
    assert check.started_at == local(2024, 2, 19, 9) and check.due_at > local(2024, 2, 19, 9)
    services.forward(check, actor=people["officer"], to_user=people["leader"], at=local(2024, 2, 20, 9))
    approval.refresh_from_db()
    assert (approval.state, approval.holder) == (StepState.ACTIVE, people["leader"])


def test_no_send_back_behind_an_approved_result(dossier, people):
    _, _, approval, clerk, _ = walk_to_leader(dossier, people)
    services.approve(approval, actor=people["leader"], to_user=people["clerk"], at=local(2024, 2, 19, 9))
    with pytest.raises(TransitionError, match="đã được phê duyệt"):
        services.send_back(clerk, actor=people["clerk"], reason="Sai số", at=local(2024, 2, 19, 10))


# --- liên thông -------------------------------------------------------------------------------------------------


def test_a_step_held_by_another_agency_in_cchc_is_in_its_queue(agency, other_agency, procedure, people, units):
    add_steps(
        procedure,
        [
            {"name": "Thẩm định", "role": "officer", "unit": units["QLCN"], "duration": 2},
            {"name": "Lấy ý kiến Sở Nội vụ", "role": "officer", "external_agency": other_agency, "duration": 3},
            {"name": "Phê duyệt", "role": "leader", "duration": 1, "is_approval": True},
        ],
    )
    dossier = receive(agency, procedure, people["desk"], local(2024, 3, 4, 9))
    check, opinion, approval = steps(dossier)
    services.take(check, actor=people["officer"], at=local(2024, 3, 4, 10))
    services.forward(check, actor=people["officer"], at=local(2024, 3, 5, 10))
    opinion.refresh_from_db()
    assert (opinion.state, opinion.unit, opinion.external_agency) == (StepState.QUEUED, None, other_agency)
    with pytest.raises(StepPermissionDenied):
        services.take(opinion, actor=people["officer2"], at=local(2024, 3, 5, 11))
    services.take(opinion, actor=people["outsider"], at=local(2024, 3, 5, 11))
    services.forward(opinion, actor=people["outsider"], to_user=people["leader"], at=local(2024, 3, 7, 11))
    opinion.refresh_from_db()
    assert (opinion.state, opinion.finished_at - opinion.started_at) == (StepState.DONE, dt.timedelta(days=2, hours=1))


def test_a_step_outside_cchc_is_sent_and_received_back_with_its_time_counted(agency, procedure, people, units):
    add_steps(
        procedure,
        [
            {"name": "Thẩm định", "role": "officer", "unit": units["QLCN"], "duration": 2},
            {"name": "Lấy ý kiến Công an tỉnh", "role": "officer", "external_name": "Công an tỉnh Quảng Trị",
             "duration": 3},
            {"name": "Phê duyệt", "role": "leader", "duration": 1, "is_approval": True},
        ],
    )  # fmt: skip
    dossier = receive(agency, procedure, people["desk"], local(2024, 3, 1, 9))
    check, opinion, approval = steps(dossier)
    services.take(check, actor=people["officer"], at=local(2024, 3, 1, 10))
    services.forward(check, actor=people["officer"], at=local(2024, 3, 1, 14))
    opinion.refresh_from_db()
    assert opinion.state == StepState.QUEUED
    with pytest.raises(TransitionError, match="ghi nhận đã gửi"):
        services.take(opinion, actor=people["officer"], at=local(2024, 3, 1, 15))
    services.send_out(opinion, actor=people["officer"], at=local(2024, 3, 1, 15))  # Friday 15:00
    with pytest.raises(StepPermissionDenied):
        services.receive_back(opinion, actor=people["viewer"], at=local(2024, 3, 5, 10))
    services.receive_back(opinion, actor=people["desk"], at=local(2024, 3, 5, 10), to_user=people["leader"])
    opinion.refresh_from_db()
    assert (opinion.state, opinion.started_at, opinion.finished_at) == (
        StepState.DONE,
        local(2024, 3, 1, 15),
        local(2024, 3, 5, 10),
    )
    # Fri 15:00-17:00, Mon 9.5 h, Tue 07:30-10:00: 1 day 4 h 30 min of office time; the weekend does not count.
    row = dossier.handovers.get(from_step=opinion, to_step=approval)
    assert row.note == "Nhận lại từ Công an tỉnh Quảng Trị sau 1 ngày 4 giờ 30 phút làm việc"
    approval.refresh_from_db()
    assert (approval.state, approval.holder) == (StepState.ACTIVE, people["leader"])


# --- the lifecycle around the steps ------------------------------------------------------------------------------


def test_supplement_pauses_the_steps_and_moves_their_due(dossier, people):
    check = steps(dossier)[1]
    services.take(check, actor=people["officer"], at=local(2024, 2, 5, 10))
    check.refresh_from_db()
    due = check.due_at
    lifecycle.request_supplement(dossier, actor=people["officer"], at=local(2024, 2, 6, 9), note="Thiếu bản sao")
    check.refresh_from_db()
    assert check.paused_at == local(2024, 2, 6, 9)
    with pytest.raises(TransitionError, match="chờ công dân bổ sung"):
        services.forward(check, actor=people["officer"], at=local(2024, 2, 7, 9))
    lifecycle.supplement(dossier, actor=people["desk"], at=local(2024, 2, 16, 9))
    check.refresh_from_db()
    # Waited Tue 06/02 -> Fri 16/02: working days 07, 15, 16 (Tết between): the step's due moves by 3 of them.
    assert check.paused_at is None
    assert timezone.localtime(check.due_at) == local(2024, 2, 23, 9) and due == local(2024, 2, 20, 9)


def test_refusal_and_withdrawal_cancel_the_open_steps(dossier, people):
    lifecycle.refuse(dossier, actor=people["officer"], at=local(2024, 2, 6), reason="Không đủ điều kiện")
    assert [s.state for s in steps(dossier)] == ["done", "cancelled", "cancelled", "cancelled", "cancelled"]
    with pytest.raises(TransitionError, match="đã kết thúc"):
        services.take(steps(dossier)[1], actor=people["officer"], at=local(2024, 2, 7))


def test_receipt_with_steps_suspended_writes_none(agency, process, people):
    from cchc.dossiers.workflow.context import steps_suspended

    with steps_suspended():
        dossier = receive(agency, process, people["desk"], local(2024, 2, 5, 9))
    assert not dossier.steps.exists()
    lifecycle.resolve(dossier, actor=people["officer"], at=local(2024, 2, 6))  # the plain lifecycle, as imported


def test_a_move_before_the_step_started_is_refused(dossier, people):
    check = steps(dossier)[1]
    with pytest.raises(TransitionError, match="trước lúc bắt đầu bước"):
        services.take(check, actor=people["officer"], at=local(2024, 2, 5, 8))
    assert Decimal(check.duration) == 6
