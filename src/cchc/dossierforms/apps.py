from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierFormsConfig(AppConfig):
    name = "cchc.dossierforms"
    label = "dossierforms"
    verbose_name = _("Biểu mẫu một cửa")
    default_auto_field = "django.db.models.BigAutoField"
