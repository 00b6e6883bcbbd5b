from django.contrib import admin

from .models import Dossier, DossierEvent


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    readonly_fields = ["kind", "at", "actor", "unit", "note", "new_promised_date", "recorded_at"]
    can_delete = False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["code", "agency", "procedure", "channel", "received_at", "due_date", "status"]
    list_filter = ["agency", "status", "channel"]
    search_fields = ["code", "applicant_name"]
    raw_id_fields = ["procedure"]
    inlines = [EventInline]
    show_full_result_count = False
