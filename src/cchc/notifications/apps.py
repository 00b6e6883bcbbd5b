from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cchc.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        import datetime as dt

        from cchc.jobs import periodic

        from . import triggers

        triggers.connect()
        # Run by the workers without cron (`cchc send-outbox` / `cchc send-reminders` stay for cron users).
        periodic.register("notifications.sweep_outbox", "cchc.notifications.tasks.sweep_outbox",
                          every=dt.timedelta(minutes=1))  # fmt: skip
        periodic.register("notifications.send_reminders", "cchc.notifications.tasks.send_reminders",
                          daily_after=dt.time(7, 0))  # fmt: skip
