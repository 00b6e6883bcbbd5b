"""Officers get a notice in the application and an e-mail when a step reaches them, and daily reminders of the
steps they hold that are due soon or late; nobody of another agency ever does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.agencies.models import Membership, Unit
from cchc.dossiers.models import DossierStep, Handover, StepState
from cchc.notifications import triggers
from cchc.notifications.models import Channel, Kind, Notification, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, agency, other_agency, unit):
    """Two officers and a leader in the unit, an officer elsewhere, and an officer of another agency."""
    users = {
        "ha": make_user("ha", agency, "officer"),
        "binh": make_user("binh", agency, "officer"),
        "lanhdao": make_user("lanhdao", agency, "leader"),
        "khac": make_user("khac", agency, "officer"),
        "snv": make_user("snv", other_agency, "officer"),
    }
    other_unit = Unit.objects.create(agency=agency, name="Văn phòng Sở", kind=Unit.Kind.OFFICE)
    Membership.objects.filter(user__username__in=["ha", "binh", "lanhdao"]).update(unit=unit)
    Membership.objects.filter(user__username="khac").update(unit=other_unit)
    snv_unit = Unit.objects.create(agency=other_agency, name="Phòng Quản lý chuyên ngành", kind=Unit.Kind.DIVISION)
    Membership.objects.filter(user__username="snv").update(unit=snv_unit)
    for name, user in users.items():
        user.email = f"{name}@example.vn" if name != "binh" else ""
        user.save()
    return users


def _step(dossier, *, state=StepState.ACTIVE, holder=None, unit=None, role="officer", due_at=None, position=1):
    # The steps are set by hand here, in place of the default step the receipt gave the dossier (still "default":
    # the dossier keeps the plain lifecycle, as without an internal process).
    if position == 1:
        Handover.objects.filter(dossier=dossier).delete()
        DossierStep.objects.filter(dossier=dossier, position=1).delete()
    return DossierStep.objects.create(
        dossier=dossier, position=position, name="Thẩm định hồ sơ", role=role, unit=unit, holder=holder, state=state,
        is_default=True,
        duration=Decimal("3"), started_at=timezone.now(), due_at=due_at or timezone.now() + dt.timedelta(days=5),
    )  # fmt: skip


def test_a_step_handed_to_a_person_reaches_that_person_only(receive, people):
    dossier = receive()
    step = _step(dossier, holder=people["ha"])
    notices = triggers.notify_step_reached(step)
    assert [n.recipient.username for n in notices] == ["ha"]
    notice = notices[0]
    assert dossier.code in notice.title and "Thẩm định hồ sơ" in notice.title
    assert notice.link == f"/ho-so/{dossier.pk}/" and notice.read_at is None and notice.agency == dossier.agency
    email = OutboxMessage.objects.get(kind=Kind.STEP_REACHED)
    assert (email.channel, email.recipient_address) == (Channel.EMAIL, "ha@example.vn")
    assert email.recipient_user == people["ha"]
    assert dossier.code in email.subject and f"/ho-so/{dossier.pk}/" in email.body


def test_a_queued_step_reaches_each_member_of_the_unit_with_its_role(receive, people, unit):
    dossier = receive()
    step = _step(dossier, state=StepState.QUEUED, unit=unit)
    notices = triggers.notify_step_reached(step)
    assert sorted(n.recipient.username for n in notices) == ["binh", "ha"]  # not the leader, not another unit
    # binh has no e-mail address: in the application only.
    assert list(OutboxMessage.objects.values_list("recipient_address", flat=True)) == ["ha@example.vn"]
    assert not Notification.objects.filter(recipient__username__in=["lanhdao", "khac", "snv"]).exists()


def test_a_queued_step_without_unit_goes_to_the_dossier_s_unit(receive, people, unit):
    dossier = receive()
    dossier.current_unit = unit
    dossier.save()
    step = _step(dossier, state=StepState.QUEUED, role="leader")
    assert [n.recipient.username for n in triggers.notify_step_reached(step)] == ["lanhdao"]


def test_a_finished_or_waiting_step_tells_nobody(receive, people):
    dossier = receive()
    assert triggers.notify_step_reached(_step(dossier, holder=people["ha"], state=StepState.DONE)) == []
    assert triggers.notify_step_reached(_step(dossier, holder=people["ha"], state=StepState.WAITING, position=2)) == []
    assert not Notification.objects.exists()


NOW = timezone.make_aware(dt.datetime(2026, 12, 2, 9, 0))  # a Wednesday


def test_reminders_tell_due_soon_and_late_steps_once_a_day(receive, people):
    now = NOW
    dossier = receive()
    late = _step(dossier, holder=people["ha"], due_at=now - dt.timedelta(hours=2), position=1)
    soon = _step(dossier, holder=people["binh"], due_at=now + dt.timedelta(days=2), position=2)  # Friday
    later = _step(dossier, holder=people["khac"], due_at=now + dt.timedelta(days=5), position=3)  # Monday: 3 days
    result = triggers.send_reminders(now)
    assert (result.late, result.due_soon, result.notifications) == (1, 1, 2)
    assert Notification.objects.get(kind=Kind.STEP_LATE).recipient == people["ha"]
    assert Notification.objects.get(kind=Kind.STEP_DUE_SOON).recipient == people["binh"]
    assert not Notification.objects.filter(dossier=dossier, recipient=later.holder).exists()
    assert list(OutboxMessage.objects.values_list("kind", "recipient_address")) == [(Kind.STEP_LATE, "ha@example.vn")]

    # Again the same day: nothing more. The next day: once more.
    assert triggers.send_reminders(now + dt.timedelta(hours=5)).notifications == 0
    assert Notification.objects.count() == 2 and OutboxMessage.objects.count() == 1
    next_day = triggers.send_reminders(now + dt.timedelta(days=1))
    assert next_day.notifications == 3  # late again, soon again, and "later" is now within 2 working days
    assert OutboxMessage.objects.filter(kind=Kind.STEP_LATE).count() == 2
    assert Notification.objects.filter(recipient=later.holder, kind=Kind.STEP_DUE_SOON).count() == 1
    assert Notification.objects.filter(recipient=late.holder, kind=Kind.STEP_LATE).count() == 2
    assert Notification.objects.filter(recipient=soon.holder).count() == 2


def test_an_agency_s_own_window_is_used_when_it_has_one(receive, people):
    dossier = receive()
    _step(dossier, holder=people["ha"], due_at=NOW + dt.timedelta(days=5))  # 3 working days away
    assert triggers.send_reminders(NOW).due_soon == 0
    type(dossier.agency).objects.filter(pk=dossier.agency_id).update(due_soon_days=3)
    assert triggers.send_reminders(NOW).due_soon == 1


def test_reminders_skip_ended_dossiers(receive, people, officer):
    from cchc.dossiers import lifecycle

    dossier = receive()
    _step(dossier, holder=people["ha"], due_at=timezone.now() - dt.timedelta(days=1))
    lifecycle.resolve(dossier, actor=officer)
    assert triggers.send_reminders().notifications == 0


def test_a_step_handed_on_by_the_workflow_reaches_its_people_once_committed(
    receive, procedure, people, unit, django_capture_on_commit_callbacks
):
    """Through the workflow's signal, not by calling the receiver: the division's queue hears of the dossier at
    receipt, the leader when the officer forwards it; nothing before the transaction commits."""
    from cchc.dossiers.workflow import services
    from cchc.procedures.models import InternalStep

    InternalStep.objects.create(procedure=procedure, position=1, name="Thẩm định hồ sơ", role="officer", unit=unit,
                                duration=Decimal(2))  # fmt: skip
    InternalStep.objects.create(procedure=procedure, position=2, name="Lãnh đạo phê duyệt", role="leader",
                                duration=Decimal(1), is_approval=True)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive()
    queued = Notification.objects.filter(kind=Kind.STEP_REACHED)
    assert sorted(queued.values_list("recipient__username", flat=True)) == ["binh", "ha"]
    first = DossierStep.objects.get(dossier=dossier, position=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.take(first, actor=people["ha"])
        services.forward(first, actor=people["ha"], to_user=people["lanhdao"])
        assert not Notification.objects.filter(recipient=people["lanhdao"]).exists()  # not before the commit
    assert callbacks
    notice = Notification.objects.get(kind=Kind.STEP_REACHED, recipient=people["lanhdao"])
    assert dossier.code in notice.title and "Lãnh đạo phê duyệt" in notice.title
    assert OutboxMessage.objects.filter(kind=Kind.STEP_REACHED, recipient_address="lanhdao@example.vn").count() == 1


def test_a_lien_thong_step_reaches_the_other_agency_s_people_under_their_agency(receive, people, other_agency):
    dossier = receive()
    step = _step(dossier, state=StepState.QUEUED)
    step.external_agency = other_agency
    step.save()
    [notice] = triggers.notify_step_reached(step)
    assert notice.recipient == people["snv"] and notice.agency == other_agency
    assert OutboxMessage.objects.get().agency == other_agency
    outside = _step(dossier, state=StepState.QUEUED, position=2)
    outside.external_name = "Cục Năng lượng nguyên tử"
    outside.save()
    assert triggers.notify_step_reached(outside) == []
