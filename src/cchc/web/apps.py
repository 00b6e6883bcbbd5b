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
        _translate_admin_password_warning()


def _translate_admin_password_warning() -> None:
    """Django builds the admin's password-change help text by adding an English sentence to a translated one when
    it is imported: rebuild it lazily, in Vietnamese."""
    from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
    from django.utils.functional import lazy
    from django.utils.html import format_html
    from django.utils.translation import gettext

    def text() -> str:
        return format_html(
            '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
            SetUnusablePasswordMixin.usable_password_help_text,
            gettext("Nếu tắt, mật khẩu hiện tại của người dùng này sẽ bị mất."),
        )

    AdminPasswordChangeForm.usable_password_help_text = lazy(text, str)()
