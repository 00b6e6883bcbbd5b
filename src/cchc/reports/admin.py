"""Admin pages for report templates and reports (read-mostly: reports change through services.py)."""

from __future__ import annotations

from django.contrib import admin

from .models import Report, ReportSection, ReportTemplate, ReportVersion


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "agency"]
    list_filter = ["kind", "agency"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["agency", "source"]


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    fields = ["order", "number", "heading", "block", "version", "updated_by", "updated_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "period_label", "status", "number", "issue_date", "version"]
    list_filter = ["status", "period_kind", "agency"]
    search_fields = ["title", "number"]
    raw_id_fields = ["agency", "template", "document", "created_by", "submitted_by", "approved_by"]
    readonly_fields = [
        "status",
        "version",
        "created_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
    ]
    inlines = [ReportSectionInline]


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ["report", "version", "status", "note", "created_by", "created_at"]
    readonly_fields = ["report", "version", "status", "snapshot", "note", "created_by", "created_at"]
