from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AggregationConfig(AppConfig):
    name = "cchc.aggregation"
    verbose_name = _("Tổng hợp báo cáo")

    def ready(self) -> None:
        import datetime as dt

        from cchc.jobs import periodic

        # The roll-up blocks join the report engine's block registry (a plugin: the engine never imports us).
        from . import blocks  # noqa: F401

        # Once a day, run by the workers without cron (`cchc send-report-reminders` stays for cron users).
        periodic.register("aggregation.send_report_reminders", "cchc.aggregation.tasks.send_report_reminders",
                          daily_after=dt.time(7, 30))  # fmt: skip
