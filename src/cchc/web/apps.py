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
        _translate_admin_boolean_icons()
        _hide_task_queue_admin()


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


def _translate_admin_boolean_icons() -> None:
    """The admin draws a yes/no column as an icon whose alt text is Python's "True"/"False"/"None", which a screen
    reader speaks and a copy-paste carries: give it Vietnamese words. Django imports the helper by name at each call
    (admin/utils.py, admin/helpers.py), so replacing it on its module is enough."""
    from django.contrib.admin.templatetags import admin_list
    from django.templatetags.static import static
    from django.utils.html import format_html
    from django.utils.translation import gettext

    def boolean_icon(field_val: bool | None) -> str:
        icon = {True: "yes", False: "no", None: "unknown"}[field_val]
        words = {True: gettext("Có"), False: gettext("Không"), None: gettext("Chưa rõ")}[field_val]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), words)

    admin_list._boolean_icon = boolean_icon


def _hide_task_queue_admin() -> None:
    """django-tasks-db registers its raw task rows (English labels, Python argument reprs) in the admin; people
    follow their background work on cchc's own pages instead. The admin's autodiscovery ran before this ready()
    (django.contrib.admin is first in INSTALLED_APPS)."""
    from django.contrib import admin
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
