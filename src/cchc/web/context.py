from cchc.agencies.models import Role
from cchc.agencies.scoping import has_role, home_agency


def current_agency(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # From the memberships cached on the user: the navigation costs no query of its own on every page.
    return {"current_agency": home_agency(user), "nav_rollup": user.is_superuser or has_role(user, Role.AGGREGATOR)}
