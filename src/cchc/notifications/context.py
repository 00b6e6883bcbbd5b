from .models import Notification


def unread_notifications(request) -> dict:
    """The bell's count: one COUNT over the user's unread rows (a partial index), on pages that render a template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
