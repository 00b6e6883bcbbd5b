"""Indicator values (PAR Index, PAPI, PII, ...) by province, year and agency, and staff counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction


def put(code, province, year, score, *, agency=None, rank=None, rank_of=None):
    from cchc.indicators.models import Indicator, IndicatorValue

    return IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        province=province,
        agency=agency,
        year=year,
        score=Decimal(score),
        rank=rank,
        rank_of=rank_of,
    )


def test_the_five_indices_exist_after_migrate(db):
    from cchc.indicators.models import Indicator

    assert set(Indicator.objects.values_list("code", flat=True)) == {"PAR_INDEX", "PAPI", "PCI", "SIPAS", "PII"}


def test_value_for_takes_the_most_recent_year_up_to_the_report_year(province, other_province, agency):
    from cchc.indicators.services import value_for

    put("PII", province, 2022, "36.2", rank=40, rank_of=63)
    latest = put("PII", province, 2023, "38.5", rank=35, rank_of=63)
    put("PII", province, 2025, "41")
    put("PII", other_province, 2024, "50")
    put("PII", province, 2024, "90", agency=agency)  # the agency's own score is not the province's

    assert value_for("PII", province, 2024) == latest
    assert value_for("PII", province.pk, 2024, latest=False) is None
    assert value_for("PII", province, 2021) is None
    assert value_for("PAPI", province, 2024) is None
    assert value_for("PII", province, 2024, agency=agency).score == Decimal("90")
    assert value_for("PII", province, 2023, agency=agency) is None


def test_one_value_per_indicator_province_year_and_rank_within_total(province, agency):
    put("PAPI", province, 2023, "42.1")
    put("PAPI", province, 2023, "70", agency=agency)  # an agency score beside the province's is allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        put("PAPI", province, 2023, "43")
    with pytest.raises(IntegrityError), transaction.atomic():
        put("PAPI", province, 2023, "71", agency=agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        put("PCI", province, 2023, "65", rank=64, rank_of=63)


def test_decimal_text_uses_the_vietnamese_comma():
    from cchc.indicators.services import decimal_text

    assert decimal_text(Decimal("38.50")) == "38,5"
    assert decimal_text(Decimal("70.00")) == "70"
    assert decimal_text(Decimal("82.41")) == "82,41"
    assert decimal_text(Decimal("100")) == "100"


def test_staff_for_agency_and_year(agency, other_agency):
    from cchc.indicators.models import StaffCount
    from cchc.indicators.services import staff_for

    mine = StaffCount.objects.create(agency=agency, year=2023, approved_posts=35, present=32, recruited=2, trained=12)
    StaffCount.objects.create(agency=other_agency, year=2023, approved_posts=50, present=50)
    assert staff_for(agency, 2023) == mine
    assert staff_for(agency.pk, 2024) is None
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffCount.objects.create(agency=agency, year=2023, approved_posts=1, present=1)
