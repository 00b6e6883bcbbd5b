"""Dossiers under both regimes with everything the forms print: components, a checklist, hand-overs, and the events
each form reports on (supplement request, apology, refusal, withdrawal)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.dossiers import lifecycle
from cchc.dossiers.models import Channel, DossierStep, Handover, HandoverKind, ReceivedComponent
from cchc.procedures.models import Component


def local(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.fixture
def components(procedure):
    names = ["Đơn đề nghị cấp giấy phép (Mẫu số 01)", "Bản sao chứng chỉ nhân viên bức xạ", "Báo cáo đánh giá an toàn"]
    return [
        Component.objects.create(procedure=procedure, position=i, name=name, originals=1, copies=i - 1, mandatory=i < 3)
        for i, name in enumerate(names, start=1)
    ]


def receive(agency, procedure, actor, at, name="Bệnh viện Đa khoa tỉnh Quảng Trị"):
    return lifecycle.receive(
        agency=agency,
        procedure=procedure,
        applicant_name=name,
        channel=Channel.DIRECT,
        actor=actor,
        received_at=at,
        applicant_address="Số 12 Lê Lợi, phường Đông Hà",
        applicant_phone="0233 3852 111",
        applicant_id_number="3200123456",
    )


@pytest.fixture
def make_dossier(agency, procedure, one_stop_staff, components):
    def make(at: dt.datetime, *, checklist: bool = True, name: str = "Bệnh viện Đa khoa tỉnh Quảng Trị"):
        dossier = receive(agency, procedure, one_stop_staff, at, name)
        if checklist:
            # The first two components received: the third (optional) one was not handed in.
            for position, component in enumerate(components[:2], start=1):
                ReceivedComponent.objects.create(
                    dossier=dossier, component=component, position=position, name=component.name,
                    originals=1, copies=position, digitised=position == 1,
                )  # fmt: skip
        return dossier

    return make


@pytest.fixture
def nd61_dossier(make_dossier):
    return make_dossier(local(2024, 2, 5, 14, 5))


@pytest.fixture
def nd118_dossier(make_dossier):
    return make_dossier(local(2025, 8, 4, 8, 40))


def add_handovers(dossier, unit, sender, receiver) -> list[Handover]:
    """Two steps: the desk (done early), the officer (late), each handed over once."""
    received = dossier.received_at
    # The receipt gave the dossier its default step; this history replaces it.
    Handover.objects.filter(dossier=dossier).delete()
    DossierStep.objects.filter(dossier=dossier).delete()
    desk = DossierStep.objects.create(
        dossier=dossier, position=1, name="Tiếp nhận, chuyển hồ sơ", role="one_stop", state="done",
        duration=Decimal("0.5"), started_at=received, due_at=received + dt.timedelta(days=1),
        finished_at=received + dt.timedelta(hours=2),
    )  # fmt: skip
    review = DossierStep.objects.create(
        dossier=dossier, position=2, name="Thẩm định hồ sơ", role="officer", unit=unit, state="done",
        duration=Decimal("5"), started_at=received + dt.timedelta(hours=2), due_at=received + dt.timedelta(days=3),
        finished_at=received + dt.timedelta(days=4),
    )  # fmt: skip
    return [
        Handover.objects.create(
            dossier=dossier, kind=HandoverKind.FORWARD, from_step=desk, to_step=review, from_user=sender,
            to_user=receiver, to_unit=unit, at=received + dt.timedelta(hours=2), note="Hồ sơ giấy kèm theo",
        ),
        Handover.objects.create(
            dossier=dossier, kind=HandoverKind.FORWARD, from_step=review, to_step=None, from_user=receiver,
            from_unit=unit, at=received + dt.timedelta(days=4),
        ),
    ]  # fmt: skip
