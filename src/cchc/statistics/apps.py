from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "cchc.statistics"
    label = "cchc_statistics"
    verbose_name = _("Số liệu thống kê")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
