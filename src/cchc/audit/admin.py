from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from . import timeline
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "object_repr", "actor", "agency"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "summary"]
    # The stored changes as a person reads them (labels, choice names, dates), not the raw JSON.
    fields = ["at", "action", "content_type", "object_id", "object_repr", "agency", "actor", "summary", "changes_shown"]
    readonly_fields = fields

    @admin.display(description=_("nội dung thay đổi"))
    def changes_shown(self, entry: AuditEntry) -> str:
        rows = timeline.change_rows(entry)
        return render_to_string("audit/_changes.html", {"rows": rows}) if rows else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
