"""Evaluators on the agency's plans (cchc.plans): the year's plan issued by its deadline, and how much of it was
done. The issue date is the issuing document's in the registry (cchc.documents), else the date its reference as
written states ("Kế hoạch số 151/KH-SKHCN ngày 23/12/2022"); the task counts come from plans.services, the one place
plan figures are computed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cchc.agencies.models import Agency
from cchc.documents.references import parse_reference
from cchc.plans.models import Plan, PlanKind
from cchc.plans.rating import Rating
from cchc.plans.services import PlanSummary, plan_summaries

from . import base
from .base import Measurement, SourceRef, register


def _kind(params: dict) -> str:
    return base.choice(params["plan_kind"], tuple(PlanKind.values), name="plan_kind")


def plan_name(kind: str, year: int) -> str:
    """ "Kế hoạch CCHC năm 2023", "Kế hoạch ISO năm 2023"."""
    if kind == PlanKind.CCHC_ANNUAL:
        return _("Kế hoạch CCHC năm {year}").format(year=year)
    label = str(PlanKind(kind).label)
    return f"{label} {year}" if label.endswith(" năm") else _("{label} năm {year}").format(label=label, year=year)


def document_label(document) -> str:
    """ "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022", as reports cite a document of the registry."""
    text = str(document.get_kind_display())
    if document.number_symbol:
        text += _(" số {number}").format(number=document.number_symbol)
    if document.issue_date:
        text += _(" ngày {day}").format(day=base.day(document.issue_date))
    return text


def issue_date(plan: Plan) -> dt.date | None:
    """The day the plan was issued: its registered document's, else the date its reference as written states."""
    if plan.document_id and plan.document.issue_date:
        return plan.document.issue_date
    if plan.document_text:
        reference = parse_reference(plan.document_text)
        if reference is not None and reference.date is not None:
            return reference.date
    return None


def plan_sources(plan: Plan) -> list[SourceRef]:
    sources = [SourceRef(plan.title, reverse("plans:detail", args=[plan.pk]), "plans.plan", plan.pk)]
    if plan.document_id:
        document = plan.document
        sources.append(
            SourceRef(
                document_label(document),
                reverse("documents:detail", args=[document.pk]),
                "documents.document",
                document.pk,
            )
        )
    return sources


def _plans(agency: Agency, kind: str, year: int) -> list[Plan]:
    return list(
        Plan.objects.filter(agency=agency, kind=kind, year=year).select_related("document").order_by("created_at", "pk")
    )


@register(
    "plan_issued_by",
    gettext_noop("Kế hoạch ban hành đúng hạn"),
    "date",
    {"plan_kind": PlanKind.CCHC_ANNUAL.value, "deadline": "12-31 of year-1"},
)
def plan_issued_by(agency: Agency, year: int, params: dict) -> Measurement:
    """The day the year's plan of `plan_kind` was issued, against `deadline` (default: 31/12 of the year before).
    With several plans of the kind for the year, the first issued counts."""
    kind = _kind(params)
    deadline = base.day_in_year(params["deadline"], year, name="deadline")
    name = plan_name(kind, year)
    plans = _plans(agency, kind, year)
    if not plans:
        return Measurement(
            "date",
            None,
            deadline,
            figures=((_("Hạn ban hành"), base.day(deadline)),),
            explanation=_("Chưa có dữ liệu: cchc chưa có {plan} của {agency}.").format(plan=name, agency=agency.name),
        )
    dated = sorted(
        ((issued, plan.pk, plan) for plan in plans if (issued := issue_date(plan)) is not None), key=lambda x: x[:2]
    )
    if not dated:
        plan = plans[0]
        return Measurement(
            "date",
            None,
            deadline,
            figures=((_("Hạn ban hành"), base.day(deadline)),),
            sources=tuple(plan_sources(plan)),
            explanation=_(
                "Chưa có dữ liệu: {plan} chưa ghi văn bản ban hành có ngày (số, ký hiệu và ngày ban hành)."
            ).format(plan=name),
        )
    issued, _pk, plan = dated[0]
    late_days = (issued - deadline).days
    if late_days < 0:
        verdict = _("trước hạn {deadline}").format(deadline=base.day(deadline))
    elif late_days == 0:
        verdict = _("đúng hạn {deadline}").format(deadline=base.day(deadline))
    else:
        verdict = _("sau hạn {deadline} {days} ngày").format(deadline=base.day(deadline), days=late_days)
    reference = document_label(plan.document) if plan.document_id else plan.document_text
    return Measurement(
        "date",
        issued,
        deadline,
        figures=(
            (_("Văn bản ban hành"), reference),
            (_("Ngày ban hành"), base.day(issued)),
            (_("Hạn ban hành"), base.day(deadline)),
        ),
        sources=tuple(plan_sources(plan)),
        explanation=_("{plan} ban hành ngày {issued}, {verdict}.").format(
            plan=name, issued=base.day(issued), verdict=verdict
        ),
    )


COUNTS = ("done", "on_time")


@register(
    "plan_completion",
    gettext_noop("Tỷ lệ hoàn thành nhiệm vụ của kế hoạch"),
    "ratio",
    {"plan_kind": PlanKind.CCHC_ANNUAL.value, "as_of": "12-31 of year", "count": "done"},
)
def plan_completion(agency: Agency, year: int, params: dict) -> Measurement:
    """The share of the tasks (leaves of the plan's tree) of the year's plans of `plan_kind` done by `as_of` (default
    31/12 of the year, or today while that has not come): `count` "done" counts every task done by then, "on_time"
    only those rated Hoàn thành tốt or Hoàn thành (done by the deadline, the officer's override included)."""
    kind = _kind(params)
    count = base.choice(params["count"], COUNTS, name="count")
    as_of = min(base.day_in_year(params["as_of"], year, name="as_of"), base.today())
    name = plan_name(kind, year)
    plans = _plans(agency, kind, year)
    if not plans:
        return Measurement(
            "ratio",
            None,
            explanation=_("Chưa có dữ liệu: cchc chưa có {plan} của {agency}.").format(plan=name, agency=agency.name),
        )
    summaries = plan_summaries(plans, as_of)
    total = PlanSummary(as_of=as_of)
    for summary in summaries.values():
        total.total += summary.total
        total.done += summary.done
        total.done_on_time += summary.done_on_time
        total.done_late += summary.done_late
        total.not_done += summary.not_done
        total.overdue += summary.overdue
        for rating, n in summary.by_rating.items():
            total.by_rating[rating] += n
    sources = tuple(source for plan in plans for source in plan_sources(plan))
    if not total.total:
        return Measurement(
            "ratio",
            None,
            sources=sources,
            explanation=_("Chưa có dữ liệu: {plan} chưa có nhiệm vụ nào trên cchc.").format(plan=name),
        )
    on_time = total.by_rating[Rating.GOOD] + total.by_rating[Rating.DONE]
    counted = total.done if count == "done" else on_time
    value = base.ratio(counted, total.total)
    figures = (
        (_("Nhiệm vụ đã hoàn thành"), base.fraction(total.done, total.total)),
        (_("Hoàn thành đúng hạn"), base.fraction(on_time, total.total)),
        (_("Hoàn thành chậm"), base.number(total.by_rating[Rating.LATE])),
        (_("Chưa hoàn thành"), base.number(total.not_done)),
        (_("Tỷ lệ"), base.percent(value)),
        (_("Tính đến ngày"), base.day(as_of)),
    )
    what = _("nhiệm vụ hoàn thành") if count == "done" else _("nhiệm vụ hoàn thành đúng hạn")
    return Measurement(
        "ratio",
        value,
        figures=figures,
        sources=sources,
        explanation=_("{plan}: {fraction} {what} ({percent}) đến ngày {day}.").format(
            plan=name,
            fraction=base.fraction(counted, total.total),
            what=what,
            percent=base.percent(value),
            day=base.day(as_of),
        ),
    )
