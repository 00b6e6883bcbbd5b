from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParIndexConfig(AppConfig):
    name = "cchc.parindex"
    label = "parindex"
    verbose_name = _("Chỉ số CCHC")

    def ready(self) -> None:
        # A plugin of the report engine and of the indicators: they never import us. The block quotes the final
        # result; the provider lets every quote of the agency's PAR Index use it instead of a typed value.
        from . import blocks  # noqa: F401
        from .results import register_indicator_provider

        register_indicator_provider()
