"""Who reports to whom, and when: aggregators and their members, reporting regimes, submissions and the lists of
missing and late reports.

An aggregator (Sở Nội vụ, UBND tỉnh, a ministry) collects the periodic reports of its members. Its members are the
agencies of its AggregationGroups; without a group, the other agencies of its province, or for an agency without a
province (a ministry) its child agencies. A member sends its approved report to the aggregators it chooses (all by
default); each keeps one submission per member, kind of report and period, with its first moment, judged against
the deadline that applies (deadlines.py: Nghị định 09/2019/NĐ-CP Điều 12 fixes only the cut-off days, so the sending
day is data, and without a deadline nothing is late; compliance.py says who is late or missing). docs/rollup.md.
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
from cchc.reports.models import Report, ReportStatus, TemplateKind
from cchc.statistics.periods import Period

from .deadlines import deadline_for
from .models import AggregationGroup, ImportedReport, Submission, SubmissionSource

# --- aggregators and members -------------------------------------------------------------------------------------


def members_of(aggregator: Agency) -> QuerySet[Agency]:
    """The agencies that report to `aggregator` (never itself), whatever their validity: the roll-up of a period
    keeps those valid in it (succession.period_members). Collecting by province takes the agencies of the provinces
    merged into it too (their successor is the aggregator's province)."""
    if AggregationGroup.objects.filter(aggregator=aggregator).exists():
        members = Agency.objects.filter(aggregated_by__aggregator=aggregator).distinct()
    elif aggregator.province_id:
        members = Agency.objects.filter(
            Q(province_id=aggregator.province_id) | Q(province__successor_id=aggregator.province_id)
        )
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


# What submit_to_aggregator did for each aggregator (the `outcome` of each submission it returns).
SENT, RESENT, UNCHANGED = "sent", "resent", "unchanged"


def _targets(report: Report, aggregators: list[Agency] | None) -> list[Agency]:
    """The aggregators to send to: the chosen ones, each one the report's agency reports to; all by default."""
    known = aggregators_of(report.agency)
    if aggregators is None:
        targets = known
    else:
        allowed = {a.pk for a in known}
        for target in aggregators:
            if target.pk == report.agency_id:
                raise ValidationError(_("Cơ quan không gửi báo cáo cho chính mình."))
            if target.pk not in allowed:
                raise ValidationError(_("%(agency)s không tổng hợp báo cáo của %(member)s.") % {
                    "agency": target.name, "member": report.agency.name})  # fmt: skip
        targets = list(dict.fromkeys(aggregators))
    if not targets:
        raise ValidationError(_("Chưa xác định cơ quan tổng hợp nhận báo cáo của %(agency)s.") % {
            "agency": report.agency.name})  # fmt: skip
    return targets


def submit_to_aggregator(
    report: Report, actor, aggregator: Agency | None = None, *, aggregators: list[Agency] | None = None,
    at: dt.datetime | None = None,
) -> list[Submission]:  # fmt: skip
    """Send an approved report to the chosen aggregators (`aggregator`, or `aggregators`; by default every
    aggregator of its agency). Each aggregator keeps one submission per member, kind of report and period: sending
    the same version again changes nothing; sending another report of that period, or another frozen version,
    replaces what the aggregator holds ("gửi lại") and keeps the first moment, which the deadline judges.
    `at`: the moment of sending (the demo's history; default now)."""
    if not services.can(actor, "report.edit", report.agency_id):
        raise PermissionDenied(_("Bạn không có quyền gửi báo cáo của cơ quan này."))
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("Chỉ gửi được báo cáo đã phê duyệt."))
    targets = _targets(report, [aggregator] if aggregator is not None else aggregators)
    period = report.period
    kind = report.template.kind
    now = at or timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    submissions = []
    with transaction.atomic():
        for target in targets:
            existing = (
                Submission.objects.select_for_update()
                .filter(agency_id=report.agency_id, aggregator=target, kind=kind, period_key=period.key)
                .first()
            )
            if existing is not None:
                if existing.report_id != report.pk or existing.version_id != report.frozen_version_id:
                    before = {"report": existing.report_id, "version": existing.version_id}
                    existing.report = report
                    existing.version_id = report.frozen_version_id
                    existing.resent_at = now
                    existing.resent_by = user
                    existing.save(update_fields=["report", "version", "resent_at", "resent_by"])
                    existing.outcome = RESENT
                    audit.record(
                        existing, actor, AuditEntry.Action.UPDATE,
                        changes={"aggregator": target.name, "period": period.key, "before": before,
                                 "report": report.pk, "version": report.frozen_version_id},
                        summary=_("Gửi lại báo cáo %(period)s cho %(aggregator)s")
                        % {"period": period.label, "aggregator": target.name},
                    )  # fmt: skip
                else:
                    existing.outcome = UNCHANGED
                submissions.append(existing)
                continue
            submission = Submission.objects.create(
                agency_id=report.agency_id,
                aggregator=target,
                report=report,
                version_id=report.frozen_version_id,
                source=SubmissionSource.CCHC,
                kind=kind,
                period_key=period.key,
                period_start=period.start,
                period_end=period.end,
                submitted_at=now,
                submitted_by=user,
                deadline=deadline_for(target, period, report.agency_id, kind),
            )
            audit.record(
                submission,
                actor,
                AuditEntry.Action.CREATE,
                changes={"aggregator": target.name, "period": period.key, "kind": kind, "late": submission.late,
                         "version": report.frozen_version_id},
                summary=_("Gửi báo cáo %(period)s cho %(aggregator)s")
                % {"period": period.label, "aggregator": target.name},
            )  # fmt: skip
            submission.outcome = SENT
            submissions.append(submission)
    return submissions


def needs_resending(submission: Submission, report: Report) -> bool:
    """Whether what `submission`'s aggregator holds is not this report as it is frozen now."""
    return submission.report_id != report.pk or submission.version_id != report.frozen_version_id


def record_imported_submission(
    imported: ImportedReport, agency: Agency, period: Period, submitted_at: dt.datetime, actor,
    aggregator: Agency | None = None,
) -> Submission:  # fmt: skip
    """The submission an imported report stands for (called inside confirm), sent on the report's own date: an
    aggregator importing in December a report dated in April records April. A report without a date of its own is
    received but its sending day is unknown (`date_known` False: neither late nor on time), never the upload's."""
    lookup = {"agency": agency, "period_key": period.key, "aggregator": aggregator, "kind": TemplateKind.CCHC}
    existing = Submission.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    own_day = _own_date(imported.metadata)
    if own_day is not None:
        submitted_at = timezone.make_aware(dt.datetime.combine(own_day, dt.time(8, 0)))
    submission = Submission.objects.create(
        **lookup,
        imported=imported,
        source=SubmissionSource.IMPORTED,
        period_start=period.start,
        period_end=period.end,
        submitted_at=submitted_at,
        date_known=own_day is not None,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        deadline=deadline_for(aggregator, period, agency),
    )
    audit.record(
        submission, actor, AuditEntry.Action.IMPORT,
        changes={"period": period.key, "file": imported.file_name,
                 "sent_on": own_day.isoformat() if own_day else None},
        summary=_("Ghi nhận báo cáo %(period)s nhập từ tệp") % {"period": period.label},
    )  # fmt: skip
    return submission


def _own_date(metadata: dict) -> dt.date | None:
    """The report's own date ("Quảng Trị, ngày 19 tháng 11 năm 2020", read by the extractor), when its day is known."""
    try:
        return dt.date.fromisoformat(metadata.get("date") or "")
    except (TypeError, ValueError):
        return None


def submissions_for(
    aggregator: Agency, period: Period, members: QuerySet[Agency] | None = None, kind: str = TemplateKind.CCHC
) -> dict[int, Submission]:
    """member id -> its submission of the period's report of `kind` to `aggregator` (an imported report without a
    named recipient counts too: the aggregator holds it). The earliest wins when there are several."""
    members = members if members is not None else members_of(aggregator)
    rows = (
        Submission.objects.filter(agency__in=members, period_key=period.key, kind=kind)
        .filter(Q(aggregator=aggregator) | Q(aggregator__isnull=True))
        .select_related("submitted_by", "resent_by")
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


def missing_and_late(aggregator: Agency, period: Period, kind: str = TemplateKind.CCHC,
                     today: dt.date | None = None) -> Compliance:  # fmt: skip
    """Members expected to send the period's report (succession.period_members: valid in the period, not folded
    into a successor) with no submission, and those whose submission came after the deadline that applies."""
    from .compliance import member_statuses
    from .succession import period_members

    members = period_members(aggregator, period, list(members_of(aggregator)))
    result = Compliance()
    for status in member_statuses(aggregator, period, members.expected, kind=kind, today=today):
        if status.submission is None:
            result.missing.append(status.agency)
        elif status.late:
            result.late.append((status.agency, status.submission))
        else:
            result.on_time.append((status.agency, status.submission))
    return result


# --- the report page's send section ------------------------------------------------------------------------------


@dataclass
class SendingRow:
    """One aggregator of the report's agency: what it holds of this kind of report for the period, and its status."""

    aggregator: Agency
    submission: Submission | None
    report: Report

    @property
    def needs_resending(self) -> bool:
        return self.submission is not None and needs_resending(self.submission, self.report)

    @property
    def holds_other_report(self) -> bool:
        return self.submission is not None and self.submission.report_id not in (None, self.report.pk)

    @property
    def checked(self) -> bool:
        """Ticked by default: not sent yet, or what it holds is not this report as frozen now."""
        return self.submission is None or self.needs_resending

    @property
    def status(self):
        from .compliance import member_statuses

        submitted = {self.report.agency_id: self.submission} if self.submission else {}
        return member_statuses(self.aggregator, self.report.period, [self.report.agency],
                               kind=self.report.template.kind, submitted=submitted)[0]  # fmt: skip


def sending_rows(report: Report) -> list[SendingRow]:
    """Each aggregator the report can go to, with what was sent to it (when, by whom) for the report's period."""
    aggregators = aggregators_of(report.agency)
    if not aggregators:
        return []
    held = {
        s.aggregator_id: s
        for s in Submission.objects.filter(
            agency_id=report.agency_id, kind=report.template.kind, period_key=report.period.key,
            aggregator__in=aggregators,
        ).select_related("submitted_by", "resent_by", "report")
    }  # fmt: skip
    return [SendingRow(a, held.get(a.pk), report) for a in aggregators]
