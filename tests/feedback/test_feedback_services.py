"""Feedback (phản ánh, kiến nghị): answer deadlines on the working calendar, the audited changes, who may change
what, and the period counts reports quote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

D = dt.date


def receive(agency, received_on, subject="Phản ánh về thời gian giải quyết", actor=None, **fields):
    from cchc.feedback import services

    return services.receive(
        agency, actor, received_on=received_on, channel=fields.pop("channel", "van_ban"), subject=subject, **fields
    )


def close(item, on, *, not_in_scope=False):
    from cchc.feedback import services

    return services.close(item, None, on=on, answer="Đã trả lời bằng văn bản.", not_in_scope=not_in_scope)


# --- deadlines ---------------------------------------------------------------------------------------------------


def test_answer_due_is_ten_working_days_skipping_tet(agency):
    from cchc.feedback.services import answer_due

    # Tết 2023: 20/01 - 26/01 off; the day of receipt does not count.
    assert answer_due(D(2023, 1, 19), agency) == D(2023, 2, 9)
    assert answer_due(D(2023, 3, 1), agency) == D(2023, 3, 15)


def test_answer_time_is_configurable_and_fixed_when_received(agency, settings):
    settings.CCHC_FEEDBACK_ANSWER_WORKING_DAYS = 5
    item = receive(agency, D(2023, 3, 1))
    assert item.answer_due_on == D(2023, 3, 8)
    settings.CCHC_FEEDBACK_ANSWER_WORKING_DAYS = 10
    item.refresh_from_db()
    assert item.answer_due_on == D(2023, 3, 8)
    assert receive(agency, D(2023, 3, 1), answer_days=15).answer_due_on == D(2023, 3, 22)


def test_negative_answer_time_is_refused(agency):
    with pytest.raises(ValidationError):
        receive(agency, D(2023, 3, 1), answer_days=-1)


# --- changes, audit, permissions ---------------------------------------------------------------------------------


def test_receive_and_answer_are_audited(agency, officer, procedure):
    from cchc.audit.service import history
    from cchc.feedback.models import Status

    item = receive(agency, D(2023, 3, 1), actor=officer, procedure=procedure, sender_name="Công ty A")
    from cchc.feedback import services

    services.start_processing(item, officer)
    services.close(item, officer, on=D(2023, 3, 10), answer="Đã hướng dẫn bổ sung hồ sơ.")
    item.refresh_from_db()
    assert item.status == Status.ANSWERED and item.answered_on == D(2023, 3, 10)
    entries = list(history(item))
    assert [e.action for e in entries] == ["update", "update", "create"]
    assert entries[0].changes["status"] == ["processing", "answered"]
    assert all(e.actor == officer and e.agency_id == agency.pk for e in entries)


def test_viewer_and_other_agency_cannot_change_feedback(agency, other_agency, viewer, make_user):
    stranger = make_user("nguoingoai", other_agency, "officer")
    with pytest.raises(PermissionDenied):
        receive(agency, D(2023, 3, 1), actor=viewer)
    item = receive(agency, D(2023, 3, 1))
    from cchc.feedback import services

    with pytest.raises(PermissionDenied):
        services.close(item, stranger, on=D(2023, 3, 2), answer="Trả lời")
    item.refresh_from_db()
    assert item.answered_on is None


def test_invalid_input_is_refused(agency, other_agency, field):
    from cchc.feedback import services
    from cchc.feedback.models import Feedback
    from cchc.procedures.models import Procedure

    foreign = Procedure.objects.create(
        agency=other_agency,
        field=field,
        code="1.000001",
        name="Thủ tục khác",
        processing_time=Decimal("5"),
        effective_from=D(2020, 1, 1),
    )
    with pytest.raises(ValidationError):
        receive(agency, D(2023, 3, 1), procedure=foreign)
    with pytest.raises(ValidationError):
        receive(agency, D(2023, 3, 1), subject="   ")
    with pytest.raises(ValidationError):
        receive(agency, D(2023, 3, 1), channel="fax")
    assert not Feedback.objects.exists()
    item = receive(agency, D(2023, 3, 10))
    with pytest.raises(ValidationError):
        services.close(item, None, on=D(2023, 3, 9), answer="Trả lời")
    with pytest.raises(ValidationError):
        services.close(item, None, on=D(2023, 3, 11), answer=" ")
    close(item, D(2023, 3, 11))
    with pytest.raises(ValidationError):
        close(item, D(2023, 3, 12))
    with pytest.raises(ValidationError):
        services.start_processing(item, None)


def test_visible_is_scoped(agency, other_agency, foreign_agency, officer, make_user):
    from cchc.feedback.services import visible

    mine = receive(agency, D(2023, 3, 1))
    neighbour = receive(other_agency, D(2023, 3, 1))
    receive(foreign_agency, D(2023, 3, 1))
    assert list(visible(officer)) == [mine]
    aggregator = make_user("tonghop", other_agency, "aggregator")
    assert set(visible(aggregator)) == {mine, neighbour}


# --- period counts -----------------------------------------------------------------------------------------------


def test_period_counts_boundaries_timing_and_agencies(agency, other_agency, django_assert_num_queries):
    from cchc.feedback.services import period_counts
    from cchc.statistics.periods import quarter

    period = quarter(2023, 1)  # Nghị định 09/2019: 15/12/2022 - 14/03/2023
    assert (period.start, period.end) == (D(2022, 12, 15), D(2023, 3, 14))
    before = receive(agency, D(2022, 12, 14))  # received before the period, answered inside it, late
    close(before, D(2023, 1, 10))
    first_day = receive(agency, D(2022, 12, 15))
    close(first_day, D(2022, 12, 20))  # on time
    out_of_remit = receive(agency, D(2023, 2, 1))
    close(out_of_remit, D(2023, 2, 2), not_in_scope=True)
    receive(agency, D(2023, 1, 2))  # pending, due 16/01: overdue at the end of the period
    last_day = receive(agency, D(2023, 3, 14))  # pending within its time at the period's end
    close(last_day, D(2023, 3, 15))  # answered after the period: still pending for Q1
    receive(agency, D(2023, 3, 15))  # after the period
    receive(other_agency, D(2023, 2, 1))  # another agency

    with django_assert_num_queries(1):
        figures = period_counts(period, [agency])
    assert figures.received == 4
    assert (figures.handled, figures.handled_on_time, figures.handled_late) == (3, 2, 1)
    assert figures.not_in_scope == 1
    assert (figures.pending, figures.pending_overdue, figures.pending_within) == (2, 1, 1)

    both = period_counts(period, [agency, other_agency.pk])
    assert both.received == 5 and both.pending == 3


def test_period_without_feedback_is_empty(agency):
    from cchc.feedback.services import period_counts
    from cchc.statistics.periods import quarter

    receive(agency, D(2023, 3, 20))
    close(receive(agency, D(2022, 11, 1)), D(2022, 11, 5))
    figures = period_counts(quarter(2023, 1), [agency])
    assert figures.empty and figures.received == figures.handled == figures.pending == 0
