"""Who reports to whom, and when: aggregators and their members, reporting regimes, submissions and the lists of
missing and late reports.

An aggregator (Sở Nội vụ, UBND tỉnh, a ministry) collects the periodic reports of its members. Its members are the
agencies of its AggregationGroups; without a group, the other agencies of its province, or for an agency without a
province (a ministry) its child agencies. A member submits its approved report; the moment is recorded against
the deadline of the aggregator's reporting regime for that kind of period (a province's own rule: Nghị định
09/2019/NĐ-CP Điều 12 fixes only the cut-off days, so the sending day is data, and without a regime nothing is late).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.agencies.models import Agency, Membership, Role
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.reports import services
from cchc.reports.models import Report, ReportStatus
from cchc.statistics.periods import Period

from .models import AggregationGroup, ImportedReport, ReportingRegime, Submission, SubmissionSource

# --- aggregators and members -------------------------------------------------------------------------------------


def members_of(aggregator: Agency) -> QuerySet[Agency]:
    """The agencies that report to `aggregator` (never itself)."""
    if AggregationGroup.objects.filter(aggregator=aggregator).exists():
        members = Agency.objects.filter(aggregated_by__aggregator=aggregator).distinct()
    elif aggregator.province_id:
        members = Agency.objects.filter(province_id=aggregator.province_id)
    else:
        members = Agency.objects.filter(parent=aggregator)
    return members.exclude(pk=aggregator.pk).select_related("province").order_by("name", "province__name", "pk")


def is_aggregator(agency: Agency) -> bool:
    return (
        AggregationGroup.objects.filter(aggregator=agency).exists()
        or Membership.objects.filter(agency=agency, role=Role.AGGREGATOR).exists()
    )


def aggregators_of(agency: Agency) -> list[Agency]:
    """The aggregators `agency` reports to, the inverse of members_of: those whose groups hold it, and the
    aggregator agencies of its province that have no groups of their own (a Sở Nội vụ collects the whole
    province while a ministry collects its group); without either, its parent."""
    grouped = list(Agency.objects.filter(aggregation_groups__members=agency).exclude(pk=agency.pk).distinct())
    provincial = []
    if agency.province_id:
        provincial = list(
            Agency.objects.filter(
                province_id=agency.province_id, memberships__role=Role.AGGREGATOR, aggregation_groups__isnull=True
            )
            .exclude(pk=agency.pk)
            .distinct()
            .order_by("name", "pk")
        )
    found = grouped + [a for a in provincial if a not in grouped]
    if found:
        return found
    return [agency.parent] if agency.parent_id else []


def aggregator_agencies(user) -> QuerySet[Agency]:
    """The aggregators a user may act for: where they hold the aggregator role; every agency for a superuser."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(memberships__user=user, memberships__role=Role.AGGREGATOR).distinct()


def can_aggregate(user, aggregator: Agency) -> bool:
    return aggregator_agencies(user).filter(pk=aggregator.pk).exists()


def acting_aggregator(user, agency: Agency) -> Agency | None:
    """The aggregator `user` acts for that collects `agency`'s reports (None when they act for none of them)."""
    for aggregator in aggregator_agencies(user).exclude(pk=agency.pk).order_by("name", "pk")[:50]:
        if members_of(aggregator).filter(pk=agency.pk).exists():
            return aggregator
    return None


def may_import_for(user, agency: Agency) -> bool:
    """Whether `user` may upload and confirm existing reports of `agency`: the agency's own report editors, and
    the aggregators it reports to. The upload page offers exactly these agencies; confirming checks the same."""
    return services.can(user, "report.edit", agency) or acting_aggregator(user, agency) is not None


# --- deadlines and submissions -----------------------------------------------------------------------------------


def deadline_for(aggregator: Agency | None, period: Period) -> dt.date | None:
    if aggregator is None:
        return None
    regime = ReportingRegime.objects.filter(aggregator=aggregator, period_kind=period.kind).first()
    return regime.deadline(period, aggregator.province_id) if regime else None


def submit_to_aggregator(report: Report, actor, aggregator: Agency | None = None) -> list[Submission]:
    """Send an approved report to its aggregator (or, by default, to every aggregator of its agency). Sending again
    keeps the first moment: the deadline judges the first arrival."""
    if not services.can(actor, "report.edit", report.agency_id):
        raise PermissionDenied(_("Bạn không có quyền gửi báo cáo của cơ quan này."))
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("Chỉ gửi được báo cáo đã phê duyệt."))
    targets = [aggregator] if aggregator is not None else aggregators_of(report.agency)
    if not targets:
        raise ValidationError(_("Chưa xác định cơ quan tổng hợp nhận báo cáo của %(agency)s.") % {
            "agency": report.agency.name})  # fmt: skip
    period = report.period
    submissions = []
    with transaction.atomic():
        for target in targets:
            if target.pk == report.agency_id:
                raise ValidationError(_("Cơ quan không gửi báo cáo cho chính mình."))
            existing = (
                Submission.objects.select_for_update()
                .filter(agency_id=report.agency_id, aggregator=target, period_key=period.key)
                .first()
            )
            if existing is not None:
                if existing.report_id != report.pk:
                    existing.report = report
                    existing.save(update_fields=["report"])
                submissions.append(existing)
                continue
            submission = Submission.objects.create(
                agency_id=report.agency_id,
                aggregator=target,
                report=report,
                source=SubmissionSource.CCHC,
                period_key=period.key,
                period_start=period.start,
                period_end=period.end,
                submitted_at=timezone.now(),
                submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
                deadline=deadline_for(target, period),
            )
            audit.record(
                submission,
                actor,
                AuditEntry.Action.CREATE,
                changes={"aggregator": target.name, "period": period.key, "late": submission.late},
                summary=_("Gửi báo cáo %(period)s cho %(aggregator)s")
                % {"period": period.label, "aggregator": target.name},
            )
            submissions.append(submission)
    return submissions


def record_imported_submission(
    imported: ImportedReport, agency: Agency, period: Period, submitted_at: dt.datetime, actor,
    aggregator: Agency | None = None,
) -> Submission:  # fmt: skip
    """The submission an imported report stands for, dated by the report's own date (called inside confirm)."""
    lookup = {"agency": agency, "period_key": period.key, "aggregator": aggregator}
    existing = Submission.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    submission = Submission.objects.create(
        **lookup,
        imported=imported,
        source=SubmissionSource.IMPORTED,
        period_start=period.start,
        period_end=period.end,
        submitted_at=submitted_at,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        deadline=deadline_for(aggregator, period),
    )
    audit.record(
        submission, actor, AuditEntry.Action.IMPORT, changes={"period": period.key, "file": imported.file_name},
        summary=_("Ghi nhận báo cáo %(period)s nhập từ tệp") % {"period": period.label},
    )  # fmt: skip
    return submission


def submissions_for(
    aggregator: Agency, period: Period, members: QuerySet[Agency] | None = None
) -> dict[int, Submission]:
    """member id -> its submission of the period to `aggregator` (an imported report without a named recipient
    counts too: the aggregator holds it). The earliest wins when there are several."""
    members = members if members is not None else members_of(aggregator)
    rows = (
        Submission.objects.filter(agency__in=members, period_key=period.key)
        .filter(Q(aggregator=aggregator) | Q(aggregator__isnull=True))
        .order_by("submitted_at", "pk")
    )
    found: dict[int, Submission] = {}
    for row in rows:
        found.setdefault(row.agency_id, row)
    return found


@dataclass
class Compliance:
    missing: list[Agency] = field(default_factory=list)
    late: list[tuple[Agency, Submission]] = field(default_factory=list)
    on_time: list[tuple[Agency, Submission]] = field(default_factory=list)


def missing_and_late(aggregator: Agency, period: Period) -> Compliance:
    """Members with no submission for the period, and those whose submission came after the deadline."""
    members = list(members_of(aggregator))
    submitted = submissions_for(aggregator, period, Agency.objects.filter(pk__in=[m.pk for m in members]))
    result = Compliance()
    for member in members:
        submission = submitted.get(member.pk)
        if submission is None:
            result.missing.append(member)
        elif submission.late:
            result.late.append((member, submission))
        else:
            result.on_time.append((member, submission))
    return result
