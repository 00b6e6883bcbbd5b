"""Documents the agency issued on the CCHC topics (cchc.documents): its outgoing documents of the year whose excerpt
(trích yếu) names one of the topic's phrases, matched the way the registry's search matches (ignoring case and
diacritics, documents.services.search_documents)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cchc.agencies.models import Agency
from cchc.documents.models import Direction, Document, DocumentKind
from cchc.text import fold

from . import base
from .base import Measurement, SourceRef, register
from .plans import document_label

MAX_SOURCES = 30  # the sheet lists the documents found; past this many, the count says the rest


@register(
    "cchc_documents_issued",
    gettext_noop("Văn bản ban hành về công tác CCHC"),
    "count",
    {"keywords": ["cải cách hành chính", "CCHC"], "kinds": []},
)
def cchc_documents_issued(agency: Agency, year: int, params: dict) -> Measurement:
    """How many outgoing documents the agency issued in the calendar year whose excerpt contains one of `keywords`;
    `kinds` restricts them to some document kinds (the symbol abbreviations: "KH", "QĐ", "BC", "CV", ...; empty:
    every kind)."""
    keywords = [fold(word) for word in base.text_list(params["keywords"], name="keywords")]
    if not keywords:
        raise base.ParamError(_("Tham số «keywords» cần ít nhất một cụm từ."))
    kinds = base.text_list(params["kinds"], name="kinds")
    for kind in kinds:
        base.choice(kind, tuple(DocumentKind.values), name="kinds")
    outgoing = Document.objects.filter(
        agency=agency,
        direction=Direction.OUTGOING,
        issue_date__gte=dt.date(year, 1, 1),
        issue_date__lte=dt.date(year, 12, 31),
    ).order_by("issue_date", "pk")
    if kinds:
        outgoing = outgoing.filter(kind__in=kinds)
    rows = list(outgoing.only("pk", "kind", "number", "symbol", "issue_date", "excerpt"))
    if not rows:
        return Measurement(
            "count",
            None,
            explanation=_(
                "Chưa có dữ liệu: sổ văn bản của {agency} chưa có văn bản đi nào ban hành năm {year}."
            ).format(agency=agency.name, year=year),
        )
    found = [doc for doc in rows if any(word in fold(doc.excerpt) for word in keywords)]
    sources = tuple(
        SourceRef(
            f"{document_label(doc)}: {doc.excerpt}"[:300] if doc.excerpt else document_label(doc),
            reverse("documents:detail", args=[doc.pk]),
            "documents.document",
            doc.pk,
        )
        for doc in found[:MAX_SOURCES]
    )
    by_kind: dict[str, int] = {}
    for doc in found:
        label = str(doc.get_kind_display())
        by_kind[label] = by_kind.get(label, 0) + 1
    figures = [(_("Văn bản về CCHC"), base.number(len(found))), (_("Văn bản đi trong năm"), base.number(len(rows)))]
    figures += [(label, base.number(n)) for label, n in sorted(by_kind.items())]
    if len(found) > MAX_SOURCES:
        figures.append((_("Liệt kê"), _("{shown} văn bản đầu tiên").format(shown=MAX_SOURCES)))
    return Measurement(
        "count",
        len(found),
        figures=tuple(figures),
        sources=sources,
        explanation=_(
            "Năm {year} ban hành {n} văn bản về công tác cải cách hành chính (trên {total} văn bản đi)."
        ).format(year=year, n=base.number(len(found)), total=base.number(len(rows))),
    )
