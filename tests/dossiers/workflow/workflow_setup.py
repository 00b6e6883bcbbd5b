"""A Sở with a five-step internal process (desk → officer of Phòng Quản lý chuyên ngành → the Sở's leader who
approves → Văn phòng's clerk who numbers → desk returns) and one person per place in it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.agencies.models import Membership, Unit
from cchc.dossiers import lifecycle
from cchc.dossiers.models import Channel
from cchc.procedures.models import InternalStep


def local(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.fixture
def units(agency, unit):
    return {
        "QLCN": unit,
        "MC": Unit.objects.create(agency=agency, name="Bộ phận tiếp nhận và trả kết quả", kind=Unit.Kind.ONE_STOP),
        "VP": Unit.objects.create(agency=agency, name="Văn phòng Sở", kind=Unit.Kind.OFFICE),
        "QLKH": Unit.objects.create(agency=agency, name="Phòng Quản lý khoa học"),
    }


@pytest.fixture
def people(make_user, agency, other_agency, units):
    def member(username, role, unit=None, full_name="", agency_=agency):
        user = make_user(username, agency_, role)
        if full_name:
            user.first_name = full_name
            user.save(update_fields=["first_name"])
        if unit:
            Membership.objects.filter(user=user).update(unit=units[unit])
        return user

    return {
        "desk": member("motcua", "one_stop", "MC", "Nguyễn Văn Hùng"),
        "officer": member("chuyenvien", "officer", "QLCN", "Trần Thị Thu Hà"),
        "officer2": member("chuyenvien2", "officer", "QLCN", "Lê Văn Bình"),
        "officer_qlkh": member("chuyenvien.qlkh", "officer", "QLKH", "Phạm Văn Khoa"),
        "leader": member("lanhdao", "leader", None, "Hoàng Văn Minh"),
        "clerk": member("vanthu", "officer", "VP", "Đỗ Thị Vân"),
        "admin": member("quantri", "admin", "VP", "Lê Thị Nhung"),
        "viewer": member("nguoixem", "viewer", "QLCN"),
        "outsider": member("snv.chuyenvien", "officer", None, "Võ Đức Thắng", other_agency),
    }


def add_steps(procedure, rows):
    for position, row in enumerate(rows, 1):
        InternalStep.objects.create(procedure=procedure, position=position, **row)


@pytest.fixture
def process(procedure, units):
    add_steps(
        procedure,
        [
            {"name": "Tiếp nhận hồ sơ", "role": "one_stop", "unit": units["MC"], "duration": Decimal("0.5")},
            {"name": "Thẩm định hồ sơ", "role": "officer", "unit": units["QLCN"], "duration": Decimal("6")},
            {"name": "Lãnh đạo Sở phê duyệt", "role": "leader", "duration": Decimal("2"), "is_approval": True},
            {"name": "Vào số, đóng dấu", "role": "officer", "unit": units["VP"], "duration": Decimal("0.5")},
            {"name": "Trả kết quả", "role": "one_stop", "unit": units["MC"], "duration": Decimal("1")},
        ],
    )
    return procedure


def receive(agency, procedure, actor, at, **kwargs):
    return lifecycle.receive(
        agency=agency, procedure=procedure, applicant_name="Bệnh viện Đa khoa tỉnh", channel=Channel.DIRECT,
        actor=actor, received_at=at, **kwargs,
    )  # fmt: skip


@pytest.fixture
def dossier(agency, process, people):
    # Monday 05/02/2024, the week before Tết Giáp Thìn (days off 08/02-14/02/2024).
    return receive(agency, process, people["desk"], local(2024, 2, 5, 9))


def steps(dossier):
    return list(dossier.steps.order_by("position"))
