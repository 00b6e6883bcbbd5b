"""Reading indicator values and staff counts for reports."""

from __future__ import annotations

from decimal import Decimal

from cchc.agencies.models import Agency, Province

from .models import IndicatorValue, StaffCount


def value_for(code: str, province: Province | int, year: int, *, agency: Agency | int | None = None,
              latest: bool = True) -> IndicatorValue | None:  # fmt: skip
    """The value of indicator `code` for the province (or the agency's own score) in `year`; with `latest`, the most
    recent year up to `year` (indices are published the next spring, so a 2024 report quotes the 2023 index)."""
    province_id = getattr(province, "pk", province)
    found = IndicatorValue.objects.filter(indicator__code=code, province_id=province_id).select_related("indicator")
    if agency is None:
        found = found.filter(agency__isnull=True)
    else:
        found = found.filter(agency_id=getattr(agency, "pk", agency))
    found = found.filter(year__lte=year) if latest else found.filter(year=year)
    return found.order_by("-year").first()


def staff_for(agency: Agency | int, year: int) -> StaffCount | None:
    return StaffCount.objects.filter(agency_id=getattr(agency, "pk", agency), year=year).first()


def decimal_text(value: Decimal) -> str:
    """ "38,5", "70", "82,41": the Vietnamese decimal comma without trailing zeros."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}".rstrip("0")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
