"""Admin pages for plans and tasks. Saves go through the same validation and audit as the services."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from .deadlines import parse_deadline
from .models import Plan, Task, TaskUpdate


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["code", "parent", "order", "content", "deadline_text", "lead_unit", "progress", "completed_on", "rating"]
    raw_id_fields = ["parent", "lead_unit"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "kind", "year", "document_label"]
    list_filter = ["kind", "year", "agency"]
    search_fields = ["title", "document_text"]
    raw_id_fields = ["document"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [TaskInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        audit.record(
            obj,
            request.user,
            action,
            changes={k: str(form.cleaned_data.get(k)) for k in form.changed_data},
            summary=_("Quản trị: sửa kế hoạch") if change else _("Quản trị: tạo kế hoạch"),
        )

    def save_formset(self, request, form, formset, change) -> None:
        tasks = formset.save(commit=False)
        for task in tasks:
            _apply_deadline_text(task)
            task.save()
            audit.record(
                task,
                request.user,
                AuditEntry.Action.UPDATE,
                summary=_("Quản trị: sửa nhiệm vụ"),
                agency=task.plan.agency_id,
            )
        for task in formset.deleted_objects:
            audit.record(
                task,
                request.user,
                AuditEntry.Action.DELETE,
                summary=_("Quản trị: xóa nhiệm vụ"),
                agency=task.plan.agency_id,
            )
            task.delete()
        formset.save_m2m()


def _apply_deadline_text(task: Task) -> None:
    """The admin edits the deadline as written; the parsed fields follow it."""
    text = task.deadline_text
    task.deadline = parse_deadline(text, year=task.plan.year)
    task.deadline_text = text


class TaskUpdateInline(admin.TabularInline):
    model = TaskUpdate
    extra = 0
    readonly_fields = ["on", "text", "progress", "actor", "created_at"]
    can_delete = False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "content",
        "plan",
        "deadline_text",
        "due_date",
        "lead_unit",
        "progress",
        "rating_proposed",
        "rating",
    ]
    list_filter = ["progress", "rating_proposed", "rating", "plan__year", "plan__kind"]
    search_fields = ["content", "code", "lead_text"]
    raw_id_fields = ["plan", "parent", "lead_unit", "cooperating_units", "evidence"]
    readonly_fields = [
        "due_date",
        "rating_proposed",
        "deadline_kind",
        "deadline_year",
        "deadline_part",
        "deadline_date",
        "created_at",
        "updated_at",
    ]
    inlines = [TaskUpdateInline]

    def save_model(self, request, obj, form, change) -> None:
        _apply_deadline_text(obj)
        super().save_model(request, obj, form, change)
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        audit.record(
            obj,
            request.user,
            action,
            changes={k: str(form.cleaned_data.get(k)) for k in form.changed_data},
            summary=_("Quản trị: sửa nhiệm vụ") if change else _("Quản trị: tạo nhiệm vụ"),
            agency=obj.plan.agency_id,
        )
