"""Who may see and do what in the PAR Index.

- A framework belongs to a province: every member of an agency of that province reads it; the Sở Nội vụ (an
  aggregator of the province: a member holding the aggregator role in an agency of that province) edits it. The
  shipped templates (no province) are read by everyone and edited by superusers only.
- A sheet belongs to an agency: its members read it; its admin, leaders and officers prepare it (an item assigned to
  an officer is prepared by that officer, the admin and the leaders); its admin and leaders assign items.
- The Sở Nội vụ reads every sheet of its province and appraises the items of its own role, and those of a role no
  agency was named for. Another appraising agency (Văn phòng UBND tỉnh, Sở Tư pháp, Sở Tài chính, Sở KH&CN, as named
  on the framework) reads the sheets of the province once they are locked and appraises only the items of its role.
  No agency appraises its own sheet: there its items fall to the Sở Nội vụ.
- A superuser does everything.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cchc.agencies.models import Agency, Membership, Role

from .models import AppraiserRole, Framework, ItemScore, Phase, Sheet

EDITORS = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
HEADS = frozenset({Role.ADMIN, Role.LEADER})
APPRAISERS = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.AGGREGATOR})


def _memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_par_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("agency"))
        user._par_memberships = cached
    return cached


def _superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def provinces_of(user) -> set[int]:
    return {m.agency.province_id for m in _memberships(user) if m.agency.province_id}


def lead_provinces(user) -> set[int]:
    """The provinces whose Sở Nội vụ the user acts for (aggregator role in an agency of the province)."""
    return {m.agency.province_id for m in _memberships(user) if m.role == Role.AGGREGATOR and m.agency.province_id}


def lead_agency(user, province_id: int | None) -> Agency | None:
    for membership in _memberships(user):
        if membership.role == Role.AGGREGATOR and membership.agency.province_id == province_id:
            return membership.agency
    return None


def role_in(user, agency_id: int) -> str | None:
    for membership in _memberships(user):
        if membership.agency_id == agency_id:
            return membership.role
    return None


# --- frameworks ----------------------------------------------------------------------------------------------


def frameworks_visible(user) -> QuerySet[Framework]:
    if _superuser(user):
        return Framework.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Framework.objects.none()
    return Framework.objects.filter(Q(province__isnull=True) | Q(province_id__in=provinces_of(user)))


def may_edit_framework(user, framework: Framework) -> bool:
    if _superuser(user):
        return True
    return framework.province_id is not None and framework.province_id in lead_provinces(user)


def may_create_framework(user) -> bool:
    return _superuser(user) or bool(lead_provinces(user))


def is_lead(user, framework: Framework) -> bool:
    """Does the user act for the Sở Nội vụ of the framework's province?"""
    return _superuser(user) or (framework.province_id is not None and framework.province_id in lead_provinces(user))


# --- sheets --------------------------------------------------------------------------------------------------


def sheets_visible(user) -> QuerySet[Sheet]:
    if _superuser(user):
        return Sheet.objects.all()
    memberships = _memberships(user)
    if not memberships:
        return Sheet.objects.none()
    own = Q(agency_id__in={m.agency_id for m in memberships})
    lead = Q(framework__province_id__in=lead_provinces(user))
    appraising = Q(framework__appraisers__agency_id__in={m.agency_id for m in memberships if m.role in APPRAISERS})
    return Sheet.objects.filter(own | lead | (appraising & ~Q(phase=Phase.DRAFTING))).distinct()


def may_prepare(user, sheet: Sheet) -> bool:
    """May the user fill the sheet's self-assessment (any item), lock it, explain?"""
    return _superuser(user) or role_in(user, sheet.agency_id) in EDITORS


def may_prepare_item(user, score: ItemScore) -> bool:
    if _superuser(user):
        return True
    role = role_in(user, score.sheet.agency_id)
    if role in HEADS:
        return True
    if role != Role.OFFICER:
        return False
    return score.assignee_id is None or score.assignee_id == user.pk


def may_assign(user, sheet: Sheet) -> bool:
    return _superuser(user) or role_in(user, sheet.agency_id) in HEADS


def appraising_agency_ids(framework: Framework) -> dict[str, int]:
    """role -> the agency named for it on the framework (cached on the framework object)."""
    cached = getattr(framework, "_par_appraisers", None)
    if cached is None:
        cached = dict(framework.appraisers.values_list("role", "agency_id"))
        framework._par_appraisers = cached
    return cached


def appraiser_of(sheet: Sheet, role: str) -> int | None:
    """The agency that appraises items of `role` on `sheet`; None: the Sở Nội vụ does."""
    if role == AppraiserRole.HOME_AFFAIRS:
        return None
    agency_id = appraising_agency_ids(sheet.framework).get(role)
    if agency_id is None or agency_id == sheet.agency_id:
        return None
    return agency_id


def may_appraise(user, score: ItemScore) -> bool:
    sheet = score.sheet
    agency_id = appraiser_of(sheet, score.item.appraiser_role)
    if agency_id is None:
        return is_lead(user, sheet.framework)
    return _superuser(user) or role_in(user, agency_id) in APPRAISERS


def may_appraise_any(user, sheet: Sheet) -> bool:
    """Is the user one of the sheet's appraisers (the Sở Nội vụ, or an agency named on its framework)?"""
    if is_lead(user, sheet.framework):
        return True
    mine = {m.agency_id for m in _memberships(user) if m.role in APPRAISERS}
    return any(agency_id in mine and agency_id != sheet.agency_id
               for agency_id in appraising_agency_ids(sheet.framework).values())  # fmt: skip
