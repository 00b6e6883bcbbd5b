"""Reading indicator values and staff counts for reports."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from cchc.agencies.models import Agency, Province

from .models import IndicatorValue, StaffCount

# Apps that know an agency's own value better than a typed one register here (the PAR Index app: the council's final
# result of the agency's score sheet). A provider is called (code, province_id, year, agency_id, latest) and returns
# an IndicatorValue (unsaved is fine) or None; its value wins over a typed one of the same or an earlier year.
AGENCY_VALUE_PROVIDERS: list[Callable[[str, int, int, int, bool], IndicatorValue | None]] = []


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
    typed = found.order_by("-year").first()
    if agency is not None:
        for provider in AGENCY_VALUE_PROVIDERS:
            known = provider(code, province_id, year, getattr(agency, "pk", agency), latest)
            if known is not None and (typed is None or typed.year <= known.year):
                return known
    return typed


def staff_for(agency: Agency | int, year: int) -> StaffCount | None:
    return StaffCount.objects.filter(agency_id=getattr(agency, "pk", agency), year=year).first()


def decimal_text(value: Decimal) -> str:
    """ "38,5", "70", "82,41": the Vietnamese decimal comma without trailing zeros."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}".rstrip("0")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
