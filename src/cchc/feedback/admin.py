"""Admin for feedback items; saves are audited like the services' changes, and the answer deadline is computed
when an item is first saved."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from .models import Feedback
from .services import answer_due


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["received_on", "subject", "agency", "channel", "status", "answer_due_on", "answered_on"]
    list_filter = ["status", "channel", "sender_kind", "agency"]
    search_fields = ["subject", "content", "sender_name", "answer"]
    date_hierarchy = "received_on"
    raw_id_fields = ["procedure"]
    readonly_fields = ["answer_due_on", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change or "received_on" in form.changed_data:
            obj.answer_due_on = answer_due(obj.received_on, obj.agency)
        super().save_model(request, obj, form, change)
        audit.record(
            obj,
            request.user,
            AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            changes={k: str(form.cleaned_data.get(k)) for k in form.changed_data},
            summary=_("Quản trị: sửa phản ánh") if change else _("Quản trị: tạo phản ánh"),
        )
