"""Vietnamese names for the permissions Django creates for every model.

Django's auth app creates the add/change/delete/view permissions of each model on migrate and names them in English
("Can add log entry"), once and for all: the name is stored, never translated, and the admin's user and group pages
list it as stored. After auth has created them (the handler is connected after it, on the same post_migrate signal),
`name_builtin_permissions` gives every one of them its Vietnamese name ("Có thể thêm mục nhật ký"), the ones created
by an earlier migrate included. It only ever writes names that differ, so running it again changes nothing.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.db import DEFAULT_DB_ALIAS, router
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Django's four default actions. A model that declares other default_permissions keeps Django's name for those.
ACTION_VERBS = {
    "add": _("thêm"),
    "change": _("sửa"),
    "delete": _("xóa"),
    "view": _("xem"),
}
PERMISSION_NAME = _("Có thể %(verb)s %(model)s")


def builtin_permission_name(action: str, opts) -> str | None:
    """The Vietnamese name of a model's built-in permission, or None for an action this module does not name."""
    verb = ACTION_VERBS.get(action)
    if verb is None:
        return None
    return str(PERMISSION_NAME) % {"verb": verb, "model": opts.verbose_name}


def name_builtin_permissions(app_config: AppConfig, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> int:
    """Give the built-in permissions of `app_config`'s models their Vietnamese names; return how many changed.

    Connected to post_migrate (WebConfig.ready), with the signal's arguments: `apps` is the migration state, from
    which the Permission model is taken as auth's create_permissions takes it.
    """
    if not app_config.models_module:
        return 0
    try:
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:
        return 0
    if not router.allow_migrate_model(using, permission_model):
        return 0
    max_length = permission_model._meta.get_field("name").max_length
    wanted: dict[tuple[str, str], str] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for model in app_config.get_models():
            opts = model._meta
            for action in opts.default_permissions:
                name = builtin_permission_name(action, opts)
                if name is not None:
                    wanted[(opts.model_name, get_permission_codename(action, opts))] = name[:max_length]
    if not wanted:
        return 0
    changed = []
    permissions = permission_model.objects.using(using).filter(content_type__app_label=app_config.label)
    for permission in permissions.select_related("content_type"):
        name = wanted.get((permission.content_type.model, permission.codename))
        if name is not None and permission.name != name:
            permission.name = name
            changed.append(permission)
    permission_model.objects.using(using).bulk_update(changed, ["name"])
    return len(changed)
