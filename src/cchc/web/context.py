from cchc.agencies.scoping import home_agency


def current_agency(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_agency": home_agency(user)}
