"""cchc objects as evidence: what an officer may attach from the agency's own records (documents of the registry,
plans, reports of the year), and the sources of cchc's proposal, attachable in one click.

A reference is kept as (model label, id, label, page address); the choices offered are only the sheet's agency's
objects, and a posted choice must be one of them, so no form can attach another agency's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .models import ItemScore

# model label -> URL name of its page in cchc
PAGES = {
    "documents.document": "documents:detail",
    "plans.plan": "plans:detail",
    "plans.task": "plans:task",
    "reports.report": "reports:detail",
}


@dataclass(frozen=True)
class Choice:
    key: str  # "documents.document:12"
    label: str
    model: str
    pk: int

    @property
    def url(self) -> str:
        return page_of(self.model, self.pk)


def page_of(model: str, pk: int | None) -> str:
    name = PAGES.get(model)
    if not name or pk is None:
        return ""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def object_choices(score: ItemScore) -> list[Choice]:
    """The agency's documents (from December of the year before to the end of the year), plans and reports of the
    sheet's year, newest first within each kind."""
    from cchc.documents.models import Document
    from cchc.plans.models import Plan
    from cchc.reports.models import Report

    sheet = score.sheet
    agency, year = sheet.agency, sheet.framework.year
    choices: list[Choice] = []
    documents = Document.objects.filter(
        agency=agency, issue_date__gte=dt.date(year - 1, 12, 1), issue_date__lte=dt.date(year, 12, 31)
    ).order_by("-issue_date", "-pk")[:300]
    for document in documents:
        date = f" ngày {document.issue_date:%d/%m/%Y}" if document.issue_date else ""
        label = f"{document}{date}: {document.excerpt}"[:490]
        choices.append(Choice(f"documents.document:{document.pk}", label, "documents.document", document.pk))
    for plan in Plan.objects.filter(agency=agency, year=year).order_by("-pk"):
        choices.append(Choice(f"plans.plan:{plan.pk}", f"Kế hoạch: {plan.title}"[:490], "plans.plan", plan.pk))
    for report in Report.objects.filter(agency=agency, period_end__year=year).order_by("-period_end", "-pk"):
        choices.append(Choice(f"reports.report:{report.pk}", f"Báo cáo: {report.title} ({report.period_label})"[:490],
                              "reports.report", report.pk))  # fmt: skip
    return choices


def find_choice(score: ItemScore, key: str) -> Choice | None:
    return next((choice for choice in object_choices(score) if choice.key == key), None)


def proposal_sources(score: ItemScore) -> list[dict]:
    """The sources of the item's proposal not attached yet (by model and id, or by label for a source without one)."""
    attached = {(e.ref_model, e.ref_pk) for e in score.evidence.all()} | {("", e.title) for e in score.evidence.all()}
    out = []
    for source in (score.proposal or {}).get("sources", []):
        key = (source.get("model") or "", source.get("pk")) if source.get("model") else ("", source.get("label"))
        if key not in attached:
            out.append(source)
    return out
