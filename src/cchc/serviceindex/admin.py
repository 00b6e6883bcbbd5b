"""The index's parameters and imported values in the Django admin: a revision of the weights or thresholds is an
edit here (or a new parameter set valid from a later day). Every change is audited (cchc.audit.service)."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from .models import GroupParameter, ImportedFigure, IndicatorParameter, ParameterSet


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
            super().save_model(request, obj, form, change)
            after = audit.snapshot(obj)
            audit.record(
                obj,
                request.user,
                AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
                changes=audit.diff(before, after) if change else after,
                summary=_("Sửa trong phần Quản trị") if change else _("Thêm trong phần Quản trị"),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(obj, request.user, AuditEntry.Action.DELETE, changes=audit.snapshot(obj),
                         summary=_("Xóa trong phần Quản trị"))  # fmt: skip
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class GroupInline(admin.TabularInline):
    model = GroupParameter
    extra = 0


@admin.register(ParameterSet)
class ParameterSetAdmin(AuditedAdmin):
    list_display = ["code", "name", "valid_from"]
    inlines = [GroupInline]

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            for obj in formset.deleted_objects:
                audit.record(obj, request.user, AuditEntry.Action.DELETE, changes=audit.snapshot(obj))
            instances = formset.save()
            for obj in instances:
                audit.record(obj, request.user, AuditEntry.Action.UPDATE, changes=audit.snapshot(obj))


@admin.register(IndicatorParameter)
class IndicatorParameterAdmin(AuditedAdmin):
    list_display = ["code", "name", "group", "max_points", "threshold", "when_empty", "source"]
    list_filter = ["group__parameter_set", "group"]
    ordering = ["group__parameter_set", "group__position", "position"]


@admin.register(ImportedFigure)
class ImportedFigureAdmin(AuditedAdmin):
    list_display = ["agency", "indicator_code", "start", "end", "numerator", "denominator", "source"]
    list_filter = ["indicator_code", "agency"]
    raw_id_fields = ["agency"]
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
