from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarOverride


@receiver([post_save, post_delete], sender=CalendarOverride)
def _overrides_changed(**kwargs) -> None:
    from . import overrides_changed

    overrides_changed()
