"""data_version(agency, year): a fingerprint of everything the evaluators read for one agency, so that a score sheet
recomputes its proposals only when it changes. Three queries whatever the data size:

1. the statistics data versions of the agency (statistics.versions: raised in the transaction of every change of
   its dossiers, dossier events included, its catalogue, the fields and the working calendar);
2. one row of scalar sub-queries: count and latest change of its plans and tasks, count and last id of its
   documents, submissions and audit entries, count and latest change of its feedback, and who collects its reports
   (aggregation groups, aggregator roles);
3. the reporting regimes (a small table: one row per aggregator and kind of period), read whole.

Some results also depend on the day (a year still running is counted up to today, a report becomes missing when its
deadline passes), so the day is part of the fingerprint until the last day that can matter: the end of January of
the next year, or the latest deadline of the year's reports under any regime, whichever is later.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Count, Max, Q, Subquery, Value

from cchc.agencies.models import Agency, Membership, Role
from cchc.aggregation.models import AggregationGroup, ReportingRegime, Submission
from cchc.audit.models import AuditEntry
from cchc.documents.models import Document
from cchc.feedback.models import Feedback
from cchc.plans.models import Plan, Task
from cchc.statistics import periods, versions

from . import base

SLACK_DAYS = 10  # a province's own days off can push a deadline past the national calendar's


def _scalar(queryset, expression) -> Subquery:
    # A constant "group" is left out of GROUP BY: the sub-query is one aggregate over the filtered rows.
    return Subquery(queryset.order_by().annotate(_all=Value(1)).values("_all").annotate(v=expression).values("v"))


def _last_deadline(regimes: list[ReportingRegime], year: int) -> dt.date:
    """The latest day a report of `year` can be due under any of `regimes`, on the national calendar; the calendar
    periods end last (31/12), so this bounds the NĐ 09 ones too."""
    latest = dt.date(year + 1, 1, 31)
    last_period = {
        "month": lambda: periods.month(year, 12, "calendar"),
        "quarter": lambda: periods.quarter(year, 4, "calendar"),
        "half": lambda: periods.half(year, 2, "calendar"),
        "nine_months": lambda: periods.nine_months(year, "calendar"),
        "year": lambda: periods.year(year, "calendar"),
    }
    for regime in regimes:
        make = last_period.get(regime.period_kind)
        if make is not None:
            latest = max(latest, regime.deadline(make(), None) + dt.timedelta(days=SLACK_DAYS))
    return latest


def data_version(agency: Agency, year: int) -> str:
    """A cheap fingerprint of the data the evaluators read for this agency and year; it changes when any of it
    changes (and, until the year's last deadline has passed, from one day to the next)."""
    statistics = versions.current([agency.pk])
    plans = Plan.objects.filter(agency_id=agency.pk)
    tasks = Task.objects.filter(plan__agency_id=agency.pk)
    aggregators = Membership.objects.filter(role=Role.AGGREGATOR).filter(
        Q(agency__province_id=agency.province_id) if agency.province_id else Q(agency_id=agency.parent_id)
    )
    groups = AggregationGroup.members.through.objects.filter(
        Q(agency_id=agency.pk) | Q(aggregationgroup__aggregator_id=agency.pk)
    )
    row = (
        Agency.objects.filter(pk=agency.pk)
        .annotate(
            v_plans=_scalar(plans, Count("pk")),
            v_plans_changed=_scalar(plans, Max("updated_at")),
            v_tasks=_scalar(tasks, Count("pk")),
            v_tasks_changed=_scalar(tasks, Max("updated_at")),
            v_documents=_scalar(Document.objects.filter(agency_id=agency.pk), Count("pk")),
            v_documents_last=_scalar(Document.objects.filter(agency_id=agency.pk), Max("pk")),
            v_submissions=_scalar(Submission.objects.filter(agency_id=agency.pk), Count("pk")),
            v_submissions_last=_scalar(Submission.objects.filter(agency_id=agency.pk), Max("pk")),
            v_feedback=_scalar(Feedback.objects.filter(agency_id=agency.pk), Count("pk")),
            v_feedback_changed=_scalar(Feedback.objects.filter(agency_id=agency.pk), Max("updated_at")),
            v_audit_last=_scalar(AuditEntry.objects.filter(agency_id=agency.pk), Max("pk")),
            v_aggregators=_scalar(aggregators, Count("pk")),
            v_aggregators_last=_scalar(aggregators, Max("pk")),
            v_groups=_scalar(groups, Count("pk")),
            v_groups_last=_scalar(groups, Max("pk")),
        )
        # The agency's province and parent decide who collects its reports.
        .values(
            "province_id",
            "parent_id",
            "v_plans",
            "v_plans_changed",
            "v_tasks",
            "v_tasks_changed",
            "v_documents",
            "v_documents_last",
            "v_submissions",
            "v_submissions_last",
            "v_feedback",
            "v_feedback_changed",
            "v_audit_last",
            "v_aggregators",
            "v_aggregators_last",
            "v_groups",
            "v_groups_last",
        )
        .first()
    )
    regimes = list(ReportingRegime.objects.order_by("pk"))
    horizon = _last_deadline(regimes, year)
    parts = [
        f"statistics={statistics}",
        *(f"{key}={row[key]}" for key in sorted(row or {})),
        "regimes=" + ";".join(f"{r.pk},{r.aggregator_id},{r.period_kind},{r.rule},{r.days}" for r in regimes),
        f"day={min(base.today(), horizon).isoformat()}",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
