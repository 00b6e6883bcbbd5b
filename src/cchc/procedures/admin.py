from django.contrib import admin

from .models import Field, Procedure


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "agency", "field", "online_service", "effective_from", "abolished_on"]
    list_filter = ["agency", "field", "online_service", "interconnection", "level"]
    search_fields = ["code", "name", "search_text"]
