from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "cchc.jobs"
    label = "jobs"
    verbose_name = _("Công việc nền")
    default_auto_field = "django.db.models.BigAutoField"
