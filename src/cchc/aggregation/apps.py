from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AggregationConfig(AppConfig):
    name = "cchc.aggregation"
    verbose_name = _("Tổng hợp báo cáo")

    def ready(self) -> None:
        # The roll-up blocks join the report engine's block registry (a plugin: the engine never imports us).
        from . import blocks  # noqa: F401
