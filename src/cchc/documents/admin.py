from django.contrib import admin

from .models import Document, NumberCounter, Register


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "direction", "resets_yearly", "is_active"]
    list_filter = ["direction", "is_active", "agency"]
    search_fields = ["name", "agency__name"]


@admin.register(NumberCounter)
class NumberCounterAdmin(admin.ModelAdmin):
    list_display = ["register", "year", "last"]
    list_filter = ["year"]
    # Counters move only through numbering.allocate_number; editing them by hand would create gaps or duplicates.
    readonly_fields = ["register", "year", "last"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agency", "direction", "kind", "issue_date", "signer_name", "digitally_signed"]
    list_filter = ["direction", "kind", "digitally_signed", "agency"]
    search_fields = ["number", "symbol", "excerpt", "issuing_body", "signer_name"]
    date_hierarchy = "issue_date"
    raw_id_fields = ["created_by"]
