"""{% print_menu dossier %}: the dossier page's "In biểu mẫu" menu (the forms its regime and state call for)."""

from __future__ import annotations

from django import template

from cchc.agencies.scoping import role_in

from ..services import available_forms

register = template.Library()


@register.inclusion_tag("dossierforms/_menu.html", takes_context=True)
def print_menu(context, dossier) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = user is not None and (user.is_superuser or role_in(user, dossier.agency_id) is not None)
    return {"dossier": dossier, "forms": available_forms(dossier) if allowed else []}
