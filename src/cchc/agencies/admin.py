from django.contrib import admin

from .models import Agency, Membership, Province, Unit


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to"]
    search_fields = ["code", "name"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "kind"]
    list_filter = ["province", "kind"]
    search_fields = ["code", "name"]
    inlines = [UnitInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "unit"]
    list_filter = ["role", "agency"]
    autocomplete_fields = ["agency"]
