from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceIndexConfig(AppConfig):
    name = "cchc.serviceindex"
    label = "serviceindex"
    verbose_name = _("Chỉ số phục vụ (QĐ 766)")

    def ready(self) -> None:
        # The index's report block joins the engine's block registry (a plugin: the engine never imports us).
        from . import blocks  # noqa: F401
