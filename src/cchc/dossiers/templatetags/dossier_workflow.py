"""{% workflow_panel dossier %}: the "Quy trình xử lý" panel of a dossier for the user of the request."""

from __future__ import annotations

from django import template

from ..workflow.panel import panel

register = template.Library()


@register.inclusion_tag("dossiers/workflow/_steps.html", takes_context=True)
def workflow_panel(context, dossier):
    request = context.get("request")
    return panel(request.user, dossier) if request is not None else {"rows": [], "has_steps": False}
