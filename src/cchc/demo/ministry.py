"""A ministry-level aggregator over the Sở KH&CN of three provinces, so the sample reports shipped in
src/cchc/demo/samples/ (SAMPLE_REPORTS) can be uploaded into the demo and seen in a roll-up beside the demo
province's live figures.

The two other provinces' departments do not use cchc: their figures come only from the reports they send.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.agencies.models import Agency, Membership, Province, Role
from cchc.aggregation.models import AggregationGroup

from .data import DEMO_PASSWORD, Summary


@dataclass(frozen=True)
class ReportingDepartment:
    province_code: str
    province_name: str
    parent_authority: str
    # Their own symbol is SKHCN too; a distinct code keeps `--agency SKHCN` unambiguous on the demo's command line.
    agency_code: str


# Departments that report to the ministry without using cchc (the provinces of two sample reports).
REPORTING_DEPARTMENTS = (
    ReportingDepartment("BRVT", "Bà Rịa - Vũng Tàu", "UBND TỈNH BÀ RỊA - VŨNG TÀU", "SKHCN-BRVT"),
    ReportingDepartment("CBG", "Cao Bằng", "UBND TỈNH CAO BẰNG", "SKHCN-CB"),
)
# The reports those departments send for Q1/2023 (.docx, .txt and .pdf of each; written for the demo, figures
# invented), for a visitor logged in as the ministry's aggregator to upload under Tổng hợp.
SAMPLE_REPORTS = Path(__file__).resolve().parent / "samples"
MINISTRY_CODE = "BKHCN"
MINISTRY_USER = ("bkhcn.tonghop", "Phạm Quang Huy", "Chuyên viên Văn phòng Bộ, theo dõi CCHC")
GROUP_NAME = "Các Sở Khoa học và Công nghệ"


def build_ministry(demo_department: Agency, summary: Summary) -> AggregationGroup:
    """The ministry, the other provinces' departments and the reporting group (idempotent)."""
    with transaction.atomic():
        ministry, created = Agency.objects.get_or_create(
            province=None,
            code=MINISTRY_CODE,
            defaults={"name": "Bộ Khoa học và Công nghệ", "kind": Agency.Kind.MINISTRY},
        )
        if created:
            summary.add("cơ quan")
        members = [demo_department]
        for spec in REPORTING_DEPARTMENTS:
            province, created = Province.objects.get_or_create(
                code=spec.province_code, defaults={"name": spec.province_name}
            )
            if created:
                summary.add("tỉnh")
            department, created = Agency.objects.get_or_create(
                province=province,
                code=spec.agency_code,
                defaults={
                    "name": demo_department.name,
                    "kind": Agency.Kind.DEPARTMENT,
                    "parent_authority_name": spec.parent_authority,
                },
            )
            if created:
                summary.add("cơ quan")
            members.append(department)
        group, created = AggregationGroup.objects.get_or_create(aggregator=ministry, name=GROUP_NAME)
        if created:
            summary.add("nhóm cơ quan báo cáo")
        group.members.add(*members)

        username, full_name, position = MINISTRY_USER
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            summary.add("người dùng")
        _, created = Membership.objects.get_or_create(
            user=user, agency=ministry, defaults={"role": Role.AGGREGATOR, "position": position}
        )
        if created:
            summary.add("phân quyền")
    return group
