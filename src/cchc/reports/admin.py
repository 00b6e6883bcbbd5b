"""Admin pages for report templates and reports (read-mostly: reports change through services.py)."""

from __future__ import annotations

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .blocks import REGISTRY
from .freeze import figure_rows
from .models import Report, ReportDataChange, ReportSection, ReportTemplate, ReportVersion


def block_labels(value: str) -> str:
    """A section's computed blocks by their names ("Kết quả giải quyết hồ sơ TTHC"), not their keys."""
    names = [name.strip() for name in (value or "").split(",") if name.strip()]
    return "; ".join(str(REGISTRY[name].label) if name in REGISTRY else name for name in names) or "—"


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "agency"]
    list_filter = ["kind", "agency"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["agency", "source"]


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    fields = ["order", "number", "heading", "blocks", "version", "updated_by", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("số liệu tự động"))
    def blocks(self, section: ReportSection) -> str:
        return block_labels(section.block)
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
    """A version as a person reads it: its sections and the figures it kept, not the stored JSON."""

    list_display = ["report", "version", "status", "note", "created_by", "created_at"]
    fields = ["report", "version", "status", "note", "created_by", "created_at", "sections", "kept_figures", "files"]
    readonly_fields = fields

    @admin.display(description=_("các mục"))
    def sections(self, version: ReportVersion) -> str:
        rows = []
        for section in (version.snapshot or {}).get("sections") or []:
            heading = f"{section.get('number') or ''} {section.get('heading') or ''}".strip()
            rows.append((heading, section.get("text") or "—", block_labels(section.get("block"))))
        return render_to_string("reports/admin_rows.html", {"rows": rows}) if rows else "—"

    @admin.display(description=_("số liệu đã chốt"))
    def kept_figures(self, version: ReportVersion) -> str:
        rows = [(label, "—" if value is None else value, "") for label, value in figure_rows(version.figures or {})]
        return render_to_string("reports/admin_rows.html", {"rows": rows}) if rows else "—"

    @admin.display(description=_("tệp đã lưu"))
    def files(self, version: ReportVersion) -> str:
        kept = [name for name, data in ((".docx", version.docx), (".xlsx", version.xlsx), ("PDF", version.pdf)) if data]
        return ", ".join(kept) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportDataChange)
class ReportDataChangeAdmin(admin.ModelAdmin):
    list_display = ["report", "description", "rows", "moment", "actor", "at"]
    search_fields = ["description", "reason"]
    raw_id_fields = ["report", "dossier"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
