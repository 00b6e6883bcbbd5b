"""Fixtures for plans: a 2023 CCHC plan of the Quảng Trị DOST with two units that lead tasks."""

from __future__ import annotations

import pytest


@pytest.fixture
def office(agency):
    from cchc.agencies.models import Unit

    return Unit.objects.create(
        agency=agency, code="VP", name="Văn phòng", kind=Unit.Kind.OFFICE, email="vanphong@skhcn.example.vn"
    )


@pytest.fixture
def division(agency):
    from cchc.agencies.models import Unit

    return Unit.objects.create(
        agency=agency, code="QLCN", name="Phòng Quản lý công nghệ", email="qlcn@skhcn.example.vn"
    )


@pytest.fixture
def plan(agency, officer):
    from cchc.plans.models import PlanKind
    from cchc.plans.services import create_plan

    return create_plan(
        agency,
        kind=PlanKind.CCHC_ANNUAL,
        year=2023,
        title="Kế hoạch cải cách hành chính năm 2023",
        document_text="Kế hoạch số 151/KH-SKHCN ngày 23/12/2022",
        actor=officer,
    )


@pytest.fixture
def other_plan(other_agency):
    from cchc.plans.models import PlanKind
    from cchc.plans.services import create_plan

    return create_plan(other_agency, kind=PlanKind.CCHC_ANNUAL, year=2023, title="Kế hoạch CCHC năm 2023 của Sở Nội vụ")
