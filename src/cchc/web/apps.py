from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "cchc.web"
    verbose_name = _("Giao diện")

    def ready(self) -> None:
        from .permissions import name_builtin_permissions

        # Connected after django.contrib.auth's create_permissions (auth is earlier in INSTALLED_APPS, so its ready()
        # ran first), so that for each app the permissions exist before they are named.
        post_migrate.connect(name_builtin_permissions, dispatch_uid="cchc.web.permissions.name_builtin_permissions")
