"""Finding the agency named on the command line of the catalogue commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from cchc.agencies.models import Agency


def find_agency(code: str, province_code: str | None):
    agencies = Agency.objects.filter(code__iexact=code).select_related("province")
    if province_code:
        agencies = agencies.filter(province__code__iexact=province_code)
    found = list(agencies[:2])
    if not found:
        raise CommandError(
            f"Không tìm thấy cơ quan có ký hiệu {code}" + (f" thuộc tỉnh {province_code}." if province_code else ".")
        )
    if len(found) > 1:
        raise CommandError(f"Có nhiều cơ quan ký hiệu {code}; hãy chỉ rõ tỉnh bằng --province.")
    return found[0]
