"""What a user may see and change. Every view, export and API call goes through these functions.

Rules:
- a superuser sees everything;
- a member sees and works in their own agency, with the rights of their role;
- an aggregator reads every agency of their agency's province and the members of their agency's reporting groups
  (a ministry's departments across provinces), and changes nothing outside their own agency.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Agency, Membership, Role

# Which roles may perform which action inside their own agency.
ACTION_ROLES: dict[str, set[str]] = {
    "dossier.receive": {Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ONE_STOP},
    "dossier.process": {Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ONE_STOP},
    "dossier.import": {Role.ADMIN, Role.LEADER, Role.ONE_STOP},
    "procedure.edit": {Role.ADMIN, Role.LEADER, Role.OFFICER},
    "procedure.import": {Role.ADMIN, Role.LEADER},
    "calendar.edit": {Role.ADMIN},
    "document.issue": {Role.ADMIN, Role.LEADER, Role.OFFICER},
    "plan.edit": {Role.ADMIN, Role.LEADER, Role.OFFICER},
    "feedback.edit": {Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ONE_STOP},
    "report.edit": {Role.ADMIN, Role.LEADER, Role.OFFICER},
    "report.approve": {Role.ADMIN, Role.LEADER},
}


def memberships(user) -> list[Membership]:
    """The user's memberships (with their agencies), read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_cchc_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("agency"))
        user._cchc_memberships = cached
    return cached


def visible_agencies(user) -> QuerySet[Agency]:
    """Agencies whose data the user may read."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    condition = Q(pk__in=[])
    for membership in memberships(user):
        condition |= Q(pk=membership.agency_id)
        if membership.role == Role.AGGREGATOR:
            if membership.agency.province_id:
                condition |= Q(province_id=membership.agency.province_id)
            # A ministry (or any aggregator) also reads the agencies of its reporting groups, across provinces.
            condition |= Q(pk__in=_group_members(membership.agency_id))
    return Agency.objects.filter(condition)


def _group_members(aggregator_id: int) -> QuerySet:
    # Looked up by name: the reporting groups live in the reports app, which itself depends on this one.
    group_model = apps.get_model("aggregation", "AggregationGroup")
    return group_model.members.through.objects.filter(aggregationgroup__aggregator_id=aggregator_id).values(
        "agency_id"
    )


def scope(queryset: QuerySet, user, agency_field: str = "agency") -> QuerySet:
    """Restrict any queryset with an agency foreign key to what the user may read."""
    if getattr(user, "is_superuser", False):
        return queryset
    held = memberships(user)
    if not any(membership.role == Role.AGGREGATOR for membership in held):
        # The user's own agencies, as literal ids: with "IN (SELECT …)" SQLite cannot tell how many rows match and
        # sorts the whole agency's dossiers instead of reading the (agency, received_at) index in order.
        return queryset.filter(**{f"{agency_field}__in": sorted({m.agency_id for m in held})})
    return queryset.filter(**{f"{agency_field}__in": visible_agencies(user)})


def has_role(user, role: str) -> bool:
    """Does the user hold `role` in any of their agencies? (Uses the memberships cached on the user.)"""
    return any(membership.role == role for membership in memberships(user))


def role_in(user, agency: Agency | int) -> str | None:
    agency_id = agency if isinstance(agency, int) else agency.pk
    for membership in memberships(user):
        if membership.agency_id == agency_id:
            return membership.role
    return None


def can(user, action: str, agency: Agency | int) -> bool:
    """May the user perform `action` (see ACTION_ROLES) on data of `agency`?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    role = role_in(user, agency)
    return role is not None and role in ACTION_ROLES.get(action, set())


def require(user, action: str, agency: Agency | int) -> None:
    """Raise PermissionDenied (403) unless the user may act; callers fetch objects through scope() first,
    so an object of an agency the user cannot even read is a 404 before it gets here."""
    if not can(user, action, agency):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def get_scoped_or_404(queryset: QuerySet, user, agency_field: str = "agency", **lookup):
    try:
        return scope(queryset, user, agency_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404("Không tìm thấy.") from exc


def home_agency(user) -> Agency | None:
    """The agency a user works in by default (their first membership)."""
    held = memberships(user)
    if held:
        return held[0].agency
    if getattr(user, "is_superuser", False):
        return Agency.objects.order_by("pk").first()
    return None
