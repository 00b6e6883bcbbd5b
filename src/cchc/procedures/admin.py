from django.contrib import admin

from . import services
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

    def save_model(self, request, obj, form, change):
        # Through the service so that admin edits are audited like every other change of the catalogue.
        services.save_procedure(obj, request.user)
