"""Fixtures of the aggregator's tests: a province's Sở Nội vụ aggregating its departments."""

from __future__ import annotations

import pytest

from cchc.agencies.models import Agency


@pytest.fixture
def home_affairs(other_agency, make_user):
    """Sở Nội vụ, the province's aggregator (its user "tonghop" holds the aggregator role)."""
    make_user("tonghop", other_agency, "aggregator")
    return other_agency


@pytest.fixture
def justice(province):
    return Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")


@pytest.fixture
def finance(province):
    return Agency.objects.create(province=province, code="STC", name="Sở Tài chính")
