"""Who a user is to a step (the actor kinds of the transition table) and who may receive a step.

- ROLE: a member of the step's agency (the dossier's, or for a liên thông step inside cchc the other agency) whose
  role is the step's. An officer (chuyên viên) is bound to the step's unit when it has one; a leader is bound to it
  only when the process names the unit (a head of unit), not when the unit is merely the one holding the dossier; a
  leader with no unit (the Sở's leadership) acts on any leader step; the desk (cán bộ một cửa) is not bound to a
  unit. For a liên thông step outside cchc the desk or the step's role of the dossier's agency sends and receives it.
- HOLDER: the person holding the step.
- SUPERVISOR: a leader or the administrator of the step's agency (they may hand a step to someone else).
- A superuser is all three.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cchc.agencies.models import Membership, Role

from .models import DossierStep
from .transitions import Actor

UNIT_BOUND = frozenset({Role.OFFICER})


def step_agency_id(step: DossierStep) -> int:
    """The agency that works the step: the liên thông agency inside cchc, else the dossier's."""
    return step.external_agency_id or step.dossier.agency_id


def is_outside(step: DossierStep) -> bool:
    """A liên thông step held by an agency that does not use cchc."""
    return bool(step.external_name) and step.external_agency_id is None


def _membership(user, agency_id: int) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_cchc_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("agency"))
        user._cchc_memberships = cached
    return next((m for m in cached if m.agency_id == agency_id), None)


def fits(membership: Membership, step: DossierStep) -> bool:
    """Does this membership hold the step's role, in its unit where that binds?"""
    if is_outside(step):
        return membership.agency_id == step.dossier.agency_id and membership.role in (step.role, Role.ONE_STOP)
    if membership.agency_id != step_agency_id(step) or membership.role != step.role:
        return False
    if step.unit_id is None or step.external_agency_id:
        return True
    if membership.role in UNIT_BOUND:
        return membership.unit_id == step.unit_id
    if membership.role == Role.LEADER:
        return step.unit_from_dossier or membership.unit_id in (None, step.unit_id)
    return True


def actor_kinds(user, step: DossierStep) -> set[Actor]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return {Actor.ROLE, Actor.HOLDER, Actor.SUPERVISOR}
    kinds: set[Actor] = set()
    if step.holder_id is not None and step.holder_id == user.pk:
        kinds.add(Actor.HOLDER)
    agency_id = step.dossier.agency_id if is_outside(step) else step_agency_id(step)
    membership = _membership(user, agency_id)
    if membership is not None:
        if fits(membership, step):
            kinds.add(Actor.ROLE)
        if membership.role in (Role.LEADER, Role.ADMIN):
            kinds.add(Actor.SUPERVISOR)
    return kinds


def candidates(step: DossierStep) -> QuerySet:
    """The people who may hold `step`: the person picker of a forward or a reassignment."""
    if is_outside(step):
        return get_user_model().objects.none()
    memberships = Membership.objects.filter(agency_id=step_agency_id(step), role=step.role)
    if step.unit_id is not None and not step.external_agency_id:
        if step.role in UNIT_BOUND:
            memberships = memberships.filter(unit_id=step.unit_id)
        elif step.role == Role.LEADER and not step.unit_from_dossier:
            memberships = memberships.filter(Q(unit_id=step.unit_id) | Q(unit__isnull=True))
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .order_by("first_name", "last_name", "username")
    )


def may_hold(user, step: DossierStep) -> bool:
    if user is None or not getattr(user, "is_active", False):
        return False
    membership = _membership(user, step_agency_id(step))
    if membership is None:
        # A fresh look-up: the cache may be of another request's user object.
        membership = Membership.objects.filter(user=user, agency_id=step_agency_id(step)).first()
    return membership is not None and fits(membership, step)


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
