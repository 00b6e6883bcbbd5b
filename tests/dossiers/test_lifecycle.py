"""The dossier lifecycle: receipt, processing, supplement, apology, result, refusal and withdrawal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.audit.service import history, record
from cchc.dossiers import lifecycle
from cchc.dossiers.lifecycle import TransitionError
from cchc.dossiers.models import Channel, Dossier, DossierEvent, EventKind, Outcome, Regime, Status


def local(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def receive(agency, procedure, actor, at, **kwargs) -> Dossier:
    return lifecycle.receive(
        agency=agency,
        procedure=procedure,
        applicant_name="Bệnh viện Đa khoa tỉnh",
        channel=Channel.ONLINE,
        actor=actor,
        received_at=at,
        **kwargs,
    )


@pytest.fixture
def dossier(agency, procedure, one_stop_staff):
    # Monday 05/02/2024, the week before Tết Giáp Thìn (days off 08/02-14/02/2024).
    return receive(agency, procedure, one_stop_staff, local(2024, 2, 5))


@pytest.fixture
def restart_procedure(procedure):
    procedure.supplement_clock = "restart"
    procedure.save()
    return procedure


# --- receipt ------------------------------------------------------------------------------------------------


def test_receipt_sets_code_due_date_across_tet_and_weekend(dossier, one_stop_staff):
    # 10 working days after Mon 05/02: 06, 07, (Tết 08-14, weekend 17-18) 15, 16, 19-23, 26.
    assert dossier.status == Status.RECEIVED
    assert dossier.received_on == dt.date(2024, 2, 5)
    assert dossier.due_date == dt.date(2024, 2, 26)
    assert timezone.localtime(dossier.due_at) == local(2024, 2, 26, 17, 0)
    assert dossier.code == "000.00.12.H45-240205-0001"
    assert dossier.regime == Regime.ND61
    assert dossier.result_channel == Channel.ONLINE
    assert dossier.created_by == one_stop_staff
    event = dossier.events.get()
    assert (event.kind, event.at, event.actor) == (EventKind.RECEIVED, dossier.received_at, one_stop_staff)
    entry = history(dossier).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == one_stop_staff
    assert entry.changes["code"] == dossier.code
    assert entry.agency_id == dossier.agency_id


@pytest.mark.parametrize(
    "moment",
    [local(2024, 2, 2, 17, 30), local(2024, 2, 3, 10, 0)],
    ids=["friday-after-17h", "saturday"],
)
def test_receipt_outside_office_hours_counts_from_next_working_day(agency, procedure, one_stop_staff, moment):
    dossier = receive(agency, procedure, one_stop_staff, moment)
    # Counted as received on Monday 05/02 at opening, so due like a Monday receipt.
    assert dossier.received_on == timezone.localtime(moment).date()
    assert dossier.due_date == dt.date(2024, 2, 26)


def test_regime_follows_receipt_date(agency, procedure, one_stop_staff):
    before = receive(agency, procedure, one_stop_staff, local(2025, 6, 30, 16, 0))
    after = receive(agency, procedure, one_stop_staff, local(2025, 7, 1, 8, 0))
    assert (before.regime, after.regime) == (Regime.ND61, Regime.ND118)


def test_receipt_keeps_applicant_fields_and_normalises_text(agency, procedure, one_stop_staff):
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"
    dossier = lifecycle.receive(
        agency=agency,
        procedure=procedure,
        applicant_name=f"  {decomposed} ",
        channel=Channel.DIRECT,
        actor=one_stop_staff,
        received_at=local(2024, 3, 4),
        applicant_email="an@example.vn",
        summary="Cấp giấy phép X-quang",
        digitised=True,
        national_code="G22.99-240304-0001",
        result_channel=Channel.POSTAL,
    )
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert (dossier.digitised, dossier.national_code, dossier.result_channel) == (True, "G22.99-240304-0001", 3)


def test_receipt_of_procedure_of_another_agency_is_refused(agency, other_agency, field, one_stop_staff):
    from cchc.procedures.models import Procedure

    foreign = Procedure.objects.create(
        agency=other_agency,
        code="2.000001",
        name="Thủ tục của Sở Nội vụ",
        field=field,
        processing_time=5,
        effective_from=dt.date(2020, 1, 1),
    )
    with pytest.raises(TransitionError, match="không thuộc danh mục thủ tục"):
        receive(agency, foreign, one_stop_staff, local(2024, 2, 5))
    assert not Dossier.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("effective_from", "abolished_on", "message"),
    [
        (dt.date(2024, 3, 1), None, "chưa có hiệu lực"),
        (dt.date(2020, 1, 1), dt.date(2024, 2, 5), "đã bị bãi bỏ từ ngày 05/02/2024"),
    ],
    ids=["not-yet", "abolished"],
)
def test_receipt_under_procedure_not_in_force_is_refused(
    agency, procedure, one_stop_staff, effective_from, abolished_on, message
):
    procedure.effective_from, procedure.abolished_on = effective_from, abolished_on
    procedure.save()
    with pytest.raises(TransitionError, match=message):
        receive(agency, procedure, one_stop_staff, local(2024, 2, 5))


def test_receipt_moments_must_be_aware_and_not_in_the_future(agency, procedure, one_stop_staff):
    with pytest.raises(TransitionError, match="tương lai"):
        receive(agency, procedure, one_stop_staff, timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(TransitionError, match="múi giờ"):
        receive(agency, procedure, one_stop_staff, dt.datetime(2024, 2, 5, 9, 0))
    assert not Dossier.objects.exists()
    # A desk clock a couple of minutes ahead is tolerated.
    dossier = receive(agency, procedure, one_stop_staff, timezone.now() + dt.timedelta(minutes=2))
    assert dossier.status == Status.RECEIVED


def test_receipt_by_agency_no_longer_active_is_refused(agency, procedure, one_stop_staff):
    # A department merged away (e.g. on 01/7/2025) receives nothing after its last day.
    agency.valid_to = dt.date(2024, 1, 31)
    agency.save()
    with pytest.raises(TransitionError, match="không hoạt động vào ngày 05/02/2024"):
        receive(agency, procedure, one_stop_staff, local(2024, 2, 5))
    assert receive(agency, procedure, one_stop_staff, local(2024, 1, 31)).received_on == dt.date(2024, 1, 31)


def test_receipt_validates_fields(agency, procedure, one_stop_staff):
    with pytest.raises(TransitionError) as caught:
        lifecycle.receive(
            agency=agency,
            procedure=procedure,
            applicant_name=" ",
            channel=9,
            actor=one_stop_staff,
            received_at=local(2024, 2, 5),
            applicant_email="không-phải-email",
        )
    assert {"applicant_name", "channel", "applicant_email"} <= set(caught.value.message_dict)
    with pytest.raises(TypeError):
        receive(agency, procedure, one_stop_staff, local(2024, 2, 5), status=Status.RESOLVED)


# --- the happy path -----------------------------------------------------------------------------------------


def test_full_happy_path_keeps_columns_events_and_audit(dossier, unit, officer, one_stop_staff):
    lifecycle.assign(dossier, unit=unit, actor=one_stop_staff, at=local(2024, 2, 5, 10), note="Chuyển xử lý")
    assert (dossier.status, dossier.current_unit) == (Status.IN_PROCESS, unit)
    lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 23, 15), result_digitised=True)
    assert dossier.status == Status.RESOLVED
    assert (dossier.ended_on, dossier.outcome, dossier.result_digitised) == (
        dt.date(2024, 2, 23),
        Outcome.RESOLVED,
        True,
    )
    lifecycle.return_result(dossier, actor=one_stop_staff, at=local(2024, 2, 26, 8))
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.returned_at == local(2024, 2, 26, 8)
    assert dossier.ended_at == local(2024, 2, 23, 15)  # the end is the result, not the hand-over
    assert dossier.national_status == 10
    kinds = list(dossier.events.values_list("kind", "actor__username"))
    assert kinds == [
        ("received", "motcua"),
        ("assigned", "motcua"),
        ("resolved", "chuyenvien"),
        ("result_returned", "motcua"),
    ]
    assert dossier.events.get(kind=EventKind.ASSIGNED).unit == unit
    entries = list(history(dossier).order_by("pk"))
    assert [(e.action, e.actor.username) for e in entries] == [
        ("create", "motcua"),
        ("transition", "motcua"),
        ("transition", "chuyenvien"),
        ("transition", "motcua"),
    ]
    assert entries[1].changes["status"] == ["received", "in_process"]
    assert entries[2].changes["outcome"] == ["", "resolved"]
    assert "returned_at" in entries[3].changes


def test_event_unit_is_the_actors_unit(dossier, unit, make_user, agency):
    from cchc.agencies.models import Membership

    leader = make_user("lanhdao", agency, "leader")
    Membership.objects.filter(user=leader).update(unit=unit)
    event = lifecycle.resolve(dossier, actor=leader, at=local(2024, 2, 6))
    assert event.unit == unit


# --- supplement ---------------------------------------------------------------------------------------------


def test_supplement_pause_moves_due_by_paused_working_days(dossier, unit, officer):
    lifecycle.assign(dossier, unit=unit, actor=officer, at=local(2024, 2, 5, 10))
    lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 7, 10), note="Thiếu bản sao chứng chỉ")
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert (dossier.paused_at, dossier.supplement_requests) == (local(2024, 2, 7, 10), 1)
    assert dossier.national_status == 5
    lifecycle.supplement(dossier, actor=officer, at=local(2024, 2, 19, 9))
    # Working days in (07/02, 19/02]: 15, 16, 19 (Tết and the weekend do not count) -> due 26/02 + 3 = 29/02.
    assert dossier.due_date == dt.date(2024, 2, 29)
    assert timezone.localtime(dossier.due_at) == local(2024, 2, 29, 17, 0)
    assert dossier.paused_at is None
    assert dossier.status == Status.IN_PROCESS
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.due_date, stored.paused_at, stored.status) == (dt.date(2024, 2, 29), None, Status.IN_PROCESS)
    entry = history(dossier).filter(action="transition").first()
    assert entry.changes["due_date"] == ["2024-02-26", "2024-02-29"]


def test_supplement_same_day_does_not_move_due(dossier, officer):
    lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 6, 9), note="Thiếu tờ khai")
    lifecycle.supplement(dossier, actor=officer, at=local(2024, 2, 6, 15))
    assert dossier.due_date == dt.date(2024, 2, 26)


def test_supplement_restart_recomputes_due_from_supplement(agency, restart_procedure, officer, one_stop_staff):
    dossier = receive(agency, restart_procedure, one_stop_staff, local(2024, 2, 5))
    lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 7, 10), note="Thiếu hợp đồng")
    lifecycle.supplement(dossier, actor=officer, at=local(2024, 2, 19, 9))
    # The full 10 working days run again after Mon 19/02: 20-23, 26-29, 01/03, 04/03.
    assert dossier.due_date == dt.date(2024, 3, 4)


def test_second_supplement_request_is_refused(dossier, officer):
    lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 6), note="Thiếu tờ khai")
    lifecycle.supplement(dossier, actor=officer, at=local(2024, 2, 7))
    with pytest.raises(TransitionError, match="Chỉ được yêu cầu bổ sung hồ sơ một lần"):
        lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 15), note="Thiếu thêm giấy tờ")
    dossier.refresh_from_db()
    assert (dossier.supplement_requests, dossier.status) == (1, Status.IN_PROCESS)


def test_supplement_request_needs_the_missing_items(dossier, officer):
    with pytest.raises(TransitionError, match="nội dung cần bổ sung"):
        lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 6), note="  ")


def test_supplement_only_when_waiting(dossier, officer):
    with pytest.raises(TransitionError, match="không ở trạng thái chờ bổ sung"):
        lifecycle.supplement(dossier, actor=officer, at=local(2024, 2, 6))


def test_resolve_while_waiting_for_supplement_is_refused(dossier, officer):
    lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 6), note="Thiếu tờ khai")
    with pytest.raises(TransitionError, match="đang chờ công dân bổ sung"):
        lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 7))
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WAITING_SUPPLEMENT


# --- apology ------------------------------------------------------------------------------------------------


def test_apology_sets_promised_date_and_keeps_due(dossier, officer):
    event = lifecycle.issue_apology(
        dossier, actor=officer, new_date=dt.date(2024, 3, 5), at=local(2024, 2, 23, 16), note="Chờ ý kiến thẩm định"
    )
    assert event.new_promised_date == dt.date(2024, 3, 5)
    dossier.refresh_from_db()
    assert (dossier.promised_date, dossier.due_date) == (dt.date(2024, 3, 5), dt.date(2024, 2, 26))
    with pytest.raises(TransitionError, match="một lần"):
        lifecycle.issue_apology(
            dossier, actor=officer, new_date=dt.date(2024, 3, 8), at=local(2024, 2, 24), note="Lần hai"
        )


@pytest.mark.parametrize("moment", [local(2024, 2, 26, 8), local(2024, 2, 27, 9)], ids=["on-due-day", "after"])
def test_apology_on_or_after_due_day_is_refused(dossier, officer, moment):
    with pytest.raises(TransitionError, match="chậm nhất 01 ngày trước ngày hẹn trả"):
        lifecycle.issue_apology(dossier, actor=officer, new_date=dt.date(2024, 3, 5), at=moment, note="Chậm")
    assert Dossier.objects.get(pk=dossier.pk).promised_date is None


def test_apology_the_day_before_due_is_accepted(dossier, officer):
    # Sunday 25/02 is the last calendar day before the due day 26/02.
    lifecycle.issue_apology(dossier, actor=officer, new_date=dt.date(2024, 2, 28), at=local(2024, 2, 25, 20), note="x")
    assert dossier.promised_date == dt.date(2024, 2, 28)


def test_apology_new_date_must_be_after_due(dossier, officer):
    with pytest.raises(TransitionError, match="phải sau ngày hẹn trả hiện tại"):
        lifecycle.issue_apology(dossier, actor=officer, new_date=dt.date(2024, 2, 26), at=local(2024, 2, 20), note="x")
    with pytest.raises(TransitionError, match="lý do"):
        lifecycle.issue_apology(dossier, actor=officer, new_date=dt.date(2024, 3, 1), at=local(2024, 2, 20), note="")


def test_apology_after_end_is_refused(dossier, officer):
    lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 8))
    with pytest.raises(TransitionError, match="đã kết thúc"):
        lifecycle.issue_apology(dossier, actor=officer, new_date=dt.date(2024, 3, 1), at=local(2024, 2, 9), note="x")


# --- invalid transitions ------------------------------------------------------------------------------------


def test_return_before_resolve_is_refused(dossier, one_stop_staff):
    with pytest.raises(TransitionError, match="Không thể trả kết quả: hồ sơ chưa có kết quả giải quyết."):
        lifecycle.return_result(dossier, actor=one_stop_staff, at=local(2024, 2, 6))


def test_nothing_after_withdrawal(dossier, unit, officer):
    lifecycle.withdraw(dossier, actor=officer, at=local(2024, 2, 6), note="Công dân xin rút")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.outcome, dossier.ended_on) == (
        Status.WITHDRAWN,
        Outcome.WITHDRAWN,
        dt.date(2024, 2, 6),
    )
    message = "Hồ sơ đã được rút, không thể thực hiện thêm thao tác."
    attempts = [
        lambda: lifecycle.assign(dossier, unit=unit, actor=officer, at=local(2024, 2, 7)),
        lambda: lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 7), note="x"),
        lambda: lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 7)),
        lambda: lifecycle.return_result(dossier, actor=officer, at=local(2024, 2, 7)),
        lambda: lifecycle.refuse(dossier, actor=officer, at=local(2024, 2, 7), reason="x"),
        lambda: lifecycle.withdraw(dossier, actor=officer, at=local(2024, 2, 7)),
        lambda: lifecycle.issue_apology(dossier, actor=officer, new_date=dt.date(2024, 3, 1), note="x"),
    ]
    for attempt in attempts:
        with pytest.raises(TransitionError) as caught:
            attempt()
        assert caught.value.messages == [message]
    assert dossier.events.count() == 2


def test_refusal_needs_a_reason_and_ends_the_dossier(dossier, officer):
    with pytest.raises(TransitionError, match="lý do từ chối"):
        lifecycle.refuse(dossier, actor=officer, at=local(2024, 2, 6), reason=" ")
    event = lifecycle.refuse(dossier, actor=officer, at=local(2024, 2, 6), reason="Thiết bị không đạt yêu cầu")
    assert event.note == "Thiết bị không đạt yêu cầu"
    assert (dossier.status, dossier.outcome, dossier.ended_on) == (
        Status.REFUSED,
        Outcome.REFUSED,
        dt.date(2024, 2, 6),
    )
    with pytest.raises(TransitionError, match="từ chối giải quyết, không thể"):
        lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 7))


def test_withdrawal_while_waiting_keeps_the_pause_start(dossier, officer):
    lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 6), note="Thiếu tờ khai")
    lifecycle.withdraw(dossier, actor=officer, at=local(2024, 2, 16))
    assert (dossier.status, dossier.paused_at, dossier.ended_at) == (
        Status.WITHDRAWN,
        local(2024, 2, 6),
        local(2024, 2, 16),
    )


def test_refuse_or_withdraw_after_result_is_refused(dossier, officer):
    lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 6))
    with pytest.raises(TransitionError, match="đã có kết quả"):
        lifecycle.withdraw(dossier, actor=officer, at=local(2024, 2, 7))
    with pytest.raises(TransitionError, match="đã có kết quả"):
        lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 7))


def test_nothing_after_result_returned(dossier, officer):
    lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 6))
    lifecycle.return_result(dossier, actor=officer, at=local(2024, 2, 7))
    with pytest.raises(TransitionError, match="đã trả kết quả, không thể"):
        lifecycle.return_result(dossier, actor=officer, at=local(2024, 2, 8))


def test_assign_to_unit_of_another_agency_is_refused(dossier, other_agency, officer):
    from cchc.agencies.models import Unit

    foreign_unit = Unit.objects.create(agency=other_agency, name="Phòng Cải cách hành chính")
    with pytest.raises(TransitionError, match="không thuộc cơ quan giải quyết"):
        lifecycle.assign(dossier, unit=foreign_unit, actor=officer, at=local(2024, 2, 6))
    dossier.refresh_from_db()
    assert (dossier.current_unit, dossier.status) == (None, Status.RECEIVED)


def test_event_before_previous_event_is_refused(dossier, unit, officer):
    lifecycle.assign(dossier, unit=unit, actor=officer, at=local(2024, 2, 7, 10))
    with pytest.raises(TransitionError, match="không được trước thao tác trước đó"):
        lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 7, 9))
    with pytest.raises(TransitionError, match="không được trước thao tác trước đó"):
        lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 1))


def test_future_and_naive_moments_are_refused(dossier, officer):
    with pytest.raises(TransitionError, match="tương lai"):
        lifecycle.resolve(dossier, actor=officer, at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(TransitionError, match="múi giờ"):
        lifecycle.resolve(dossier, actor=officer, at=dt.datetime(2024, 2, 6, 9))
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


def test_failed_step_leaves_no_event_or_audit(dossier, officer):
    events, entries = DossierEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(TransitionError):
        lifecycle.return_result(dossier, actor=officer, at=local(2024, 2, 6))
    assert (DossierEvent.objects.count(), AuditEntry.objects.count()) == (events, entries)


def test_default_moment_is_now(dossier, officer):
    before = timezone.now()
    event = lifecycle.resolve(dossier, actor=officer)
    assert before <= event.at <= timezone.now()
    assert dossier.ended_on == timezone.localdate()


# --- dispatcher, allowed actions, timeline --------------------------------------------------------------------


def test_allowed_actions_follow_the_state(dossier, officer, unit):
    assert lifecycle.allowed_actions(dossier, at=local(2024, 2, 6)) == [
        "assigned",
        "supplement_requested",
        "apology_issued",
        "resolved",
        "refused",
        "withdrawn",
    ]
    # From the due day on, the apology is no longer possible.
    assert "apology_issued" not in lifecycle.allowed_actions(dossier, at=local(2024, 2, 26))
    lifecycle.request_supplement(dossier, actor=officer, at=local(2024, 2, 6), note="Thiếu tờ khai")
    assert lifecycle.allowed_actions(dossier, at=local(2024, 2, 7)) == [
        "supplemented",
        "apology_issued",
        "refused",
        "withdrawn",
    ]
    lifecycle.supplement(dossier, actor=officer, at=local(2024, 2, 7))
    assert "supplement_requested" not in lifecycle.allowed_actions(dossier, at=local(2024, 2, 7))
    lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 15))
    assert lifecycle.allowed_actions(dossier) == ["result_returned"]
    lifecycle.return_result(dossier, actor=officer, at=local(2024, 2, 16))
    assert lifecycle.allowed_actions(dossier) == []


def test_perform_dispatches_by_event_kind(dossier, unit, officer):
    event = lifecycle.perform(dossier, "assigned", actor=officer, unit=unit, at=local(2024, 2, 6))
    assert (event.kind, dossier.current_unit) == (EventKind.ASSIGNED, unit)
    lifecycle.perform(dossier, "refused", actor=officer, reason="Không đủ điều kiện", at=local(2024, 2, 7))
    assert dossier.status == Status.REFUSED
    with pytest.raises(TransitionError, match="không hợp lệ"):
        lifecycle.perform(dossier, "received", actor=officer)


def test_timeline_merges_events_and_other_audit_entries(dossier, unit, officer, one_stop_staff):
    officer.first_name, officer.last_name = "An", "Nguyễn Văn"
    officer.save()
    lifecycle.assign(dossier, unit=unit, actor=one_stop_staff, at=local(2024, 2, 5, 10), note="Chuyển phòng")
    lifecycle.issue_apology(
        dossier, actor=officer, new_date=dt.date(2024, 3, 1), at=local(2024, 2, 20), note="Chờ thẩm định"
    )
    record(dossier, officer, "update", changes={"summary": ["", "Sửa trích yếu"]}, summary="Sửa thông tin")
    rows = lifecycle.timeline(dossier)
    assert [(r["source"], r["kind"]) for r in rows] == [
        ("event", "received"),
        ("event", "assigned"),
        ("event", "apology_issued"),
        ("audit", "update"),
    ]
    assert rows[1]["unit"] == unit.name and rows[1]["note"] == "Chuyển phòng" and rows[1]["actor"] == "motcua"
    assert rows[2]["actor"] == "An Nguyễn Văn"
    assert rows[2]["label"] == "Xin lỗi và hẹn lại ngày trả kết quả"
    assert rows[2]["new_promised_date"] == dt.date(2024, 3, 1)
    assert rows[3]["changes"] == {"summary": ["", "Sửa trích yếu"]}


def test_timeline_names_the_nd118_apology_form(agency, procedure, one_stop_staff, officer):
    dossier = receive(agency, procedure, one_stop_staff, local(2025, 7, 1))
    lifecycle.issue_apology(dossier, actor=officer, new_date=dt.date(2025, 8, 1), at=local(2025, 7, 2), note="x")
    assert lifecycle.timeline(dossier)[-1]["label"] == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"


# --- changes inside the period of a submitted or approved report ------------------------------------------------
# Q1 2024 under Nghị định 09/2019: 15/12/2023 – 14/03/2024. The desk accepts any past moment, so a receipt or a step
# dated back into that period would change what an approved report stated: it needs a reason, recorded everywhere.


@pytest.fixture
def approved_q1(agency):
    from cchc.reports import services as reports

    report = reports.create_report(agency, "cchc-quarterly", "2024-Q1", None)
    reports.submit(report, None, keep_pdf=False)  # the PDF is not what these tests are about
    return reports.approve(report, None, number="15", issue_date=dt.date(2024, 3, 20), keep_pdf=False)


def test_receipt_dated_inside_an_approved_period_needs_a_reason(agency, procedure, one_stop_staff, approved_q1):
    from cchc.reports.freeze import ChangeReasonRequired

    with pytest.raises(ChangeReasonRequired, match="Quý I năm 2024") as refused:
        receive(agency, procedure, one_stop_staff, local(2024, 2, 5))
    assert refused.value.reports == [approved_q1]
    assert "lý do" in refused.value.messages[0]
    assert not Dossier.objects.exists()
    with pytest.raises(ChangeReasonRequired):
        receive(agency, procedure, one_stop_staff, local(2024, 2, 5), change_reason="   ")
    assert not Dossier.objects.exists()


def test_the_reason_is_in_the_audit_entry_the_timeline_and_against_the_report(
    agency, procedure, one_stop_staff, approved_q1
):
    reason = "Hồ sơ giấy nhận ngày 05/02/2024 nhưng chưa nhập vào hệ thống"
    dossier = receive(agency, procedure, one_stop_staff, local(2024, 2, 5), change_reason=reason)
    entry = history(dossier).get(action=AuditEntry.Action.CREATE)
    assert entry.changes["change_reason"] == reason
    assert "Quý I năm 2024" in entry.changes["reported_periods"]
    rows = [row for row in lifecycle.timeline(dossier) if row["kind"] == "change_reason"]
    assert len(rows) == 1 and reason in rows[0]["note"] and rows[0]["actor"] == one_stop_staff.get_username()
    change = approved_q1.data_changes.get()
    assert (change.dossier, change.reason, change.actor) == (dossier, reason, one_stop_staff)
    assert change.moment == local(2024, 2, 5) and dossier.code in change.description


def test_a_step_dated_inside_the_period_needs_a_reason_too(agency, procedure, one_stop_staff, officer, approved_q1):
    from cchc.reports.freeze import ChangeReasonRequired

    dossier = receive(agency, procedure, one_stop_staff, local(2024, 2, 5), change_reason="Nhập bổ sung hồ sơ giấy")
    with pytest.raises(ChangeReasonRequired):
        lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 20))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.events.count() == 1
    lifecycle.resolve(dossier, actor=officer, at=local(2024, 2, 20), change_reason="Kết quả đã trả trên giấy")
    entry = history(dossier).filter(action=AuditEntry.Action.TRANSITION).get()
    assert entry.changes["change_reason"] == "Kết quả đã trả trên giấy"
    assert approved_q1.data_changes.count() == 2


def test_a_moment_before_the_period_changes_its_carried_over_figures(agency, procedure, one_stop_staff, approved_q1):
    # Received in November 2023 and still open: it is carried over into Q1 2024, so that report changes too.
    from cchc.reports.freeze import ChangeReasonRequired

    with pytest.raises(ChangeReasonRequired):
        receive(agency, procedure, one_stop_staff, local(2023, 11, 6))


def test_moments_after_the_period_or_under_a_draft_need_no_reason(agency, procedure, one_stop_staff, officer):
    from cchc.reports import services as reports

    reports.create_report(agency, "cchc-quarterly", "2024-Q1", None)  # a draft freezes nothing
    dossier = receive(agency, procedure, one_stop_staff, local(2024, 2, 5))
    approved = reports.create_report(agency, "cchc-quarterly", "2024-Q1", None)
    reports.submit(approved, None, keep_pdf=False)
    reports.approve(approved, None, number="16", keep_pdf=False)
    lifecycle.resolve(dossier, actor=officer, at=local(2024, 3, 15))  # the day after the period
    assert not approved.data_changes.exists()
    assert "change_reason" not in history(dossier).filter(action=AuditEntry.Action.TRANSITION).get().changes


def test_a_running_period_reported_early_is_changed_only_by_moments_before_it_was_sent(
    agency, procedure, one_stop_staff, officer
):
    """A report of the running quarter states its figures as of its submission: later events do not contradict it,
    a step dated back before the submission does."""
    from cchc.reports import services as reports
    from cchc.reports.freeze import ChangeReasonRequired
    from cchc.statistics.periods import date_range

    today = timezone.localdate()
    running = reports.create_report(agency, "cchc-quarterly", date_range(today - dt.timedelta(days=10), today), None)
    reports.submit(running, None, keep_pdf=False)
    now_dossier = receive(agency, procedure, one_stop_staff, None)
    assert now_dossier.events.count() == 1  # received now, after the submission: no reason asked
    earlier = timezone.now() - dt.timedelta(days=2)
    with pytest.raises(ChangeReasonRequired):
        receive(agency, procedure, one_stop_staff, earlier)
