"""The agency's report templates: the list (built-in and its own copies), "Sao chép" and the outline editor of a
copy. Rules (a valid outline, who may edit) are in services.py and templates_registry.py."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cchc.agencies.models import Agency
from cchc.agencies.scoping import can, get_scoped_or_404, home_agency, require
from cchc.text import fold

from . import services
from .blocks import REGISTRY
from .forms import OutlineFormSet, outline_block_choices
from .models import ReportTemplate
from .templates_registry import normalise_outline, templates_for
from .views import _editing_agency


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    agency = home_agency(request.user)
    templates = templates_for(agency) if agency is not None else []
    return render(
        request,
        "reports/templates.html",
        {
            "templates": templates,
            "agency": agency,
            "can_edit": agency is not None and can(request.user, "report.edit", agency),
            "block_labels": {name: str(spec.label) for name, spec in REGISTRY.items()},
        },
    )


def _template_for_copy(pk: int, agency: Agency) -> ReportTemplate:
    try:
        return ReportTemplate.objects.filter(Q(agency__isnull=True) | Q(agency=agency)).get(pk=pk)
    except ReportTemplate.DoesNotExist as exc:
        raise Http404(_("Không tìm thấy mẫu báo cáo.")) from exc


@login_required
@require_POST
def template_copy(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _editing_agency(request)
    source = _template_for_copy(pk, agency)
    try:
        copy = services.copy_template(source, agency, request.user)
    except IntegrityError:
        messages.error(request, _("Mẫu này vừa được sao chép; hãy tải lại trang."))
        return redirect("reports:templates")
    messages.success(request, _("Đã sao chép mẫu; sửa dàn ý bên dưới."))
    return redirect("reports:outline", pk=copy.pk)


def _unique_key(heading: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(heading)).strip("-")[:40] or "muc"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def outline_from_formset(formset, original: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in the order the user gave them; a kept row keeps what the form does not show (options, default
    text) from the section it was."""
    by_key = {item["key"]: item for item in normalise_outline(original)}
    rows = []
    for position, form in enumerate(formset.forms):
        data = form.cleaned_data if form.is_valid() else {}
        if not data or formset.can_delete and formset._should_delete_form(form):
            continue
        if not any(data.get(name) for name in ("number", "heading", "block", "guidance")):
            continue  # an empty extra row
        rows.append((data.get("ORDER") if data.get("ORDER") is not None else 10_000 + position, position, data))
    rows.sort(key=lambda row: (row[0], row[1]))
    taken = {data["key"] for _order, _pos, data in rows if data.get("key")}
    outline = []
    for _order, _pos, data in rows:
        key = data.get("key") or _unique_key(data.get("heading") or data.get("number") or "", taken)
        taken.add(key)
        previous = by_key.get(key, {})
        outline.append(
            {
                "key": key,
                "number": data.get("number", "").strip(),
                "heading": data.get("heading", "").strip(),
                "level": data.get("level") or 1,
                "block": [name for name in (data.get("block") or "").split(",") if name],
                "guidance": data.get("guidance", "").strip(),
                "default_text": previous.get("default_text", ""),
                "options": previous.get("options", {}),
            }
        )
    return outline


@login_required
@require_http_methods(["GET", "POST"])
def template_outline(request: HttpRequest, pk: int) -> HttpResponse:
    # Built-in templates have no agency, so scope() never returns them: only an agency's copy is editable here.
    template = get_scoped_or_404(ReportTemplate.objects.select_related("agency"), request.user, pk=pk)
    may_edit = can(request.user, "report.edit", template.agency_id)
    if request.method == "POST":
        require(request.user, "report.edit", template.agency_id)
    choices = outline_block_choices(template.outline)
    initial = [
        {
            "key": item["key"],
            "number": item["number"],
            "heading": item["heading"],
            "level": item["level"],
            "block": ",".join(item["block"]),
            "guidance": item["guidance"],
            "ORDER": position,
        }
        for position, item in enumerate(normalise_outline(template.outline), start=1)
    ]
    formset = OutlineFormSet(request.POST or None, initial=initial, block_choices=choices, prefix="muc")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        outline = outline_from_formset(formset, template.outline)
        try:
            services.save_outline(template, outline, request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Đã lưu dàn ý (%(n)s mục).") % {"n": len(outline)})
            return redirect("reports:outline", pk=template.pk)
    return render(
        request,
        "reports/outline.html",
        {"template": template, "formset": formset, "errors": errors, "can_edit": may_edit},
        status=400 if request.method == "POST" else 200,
    )
