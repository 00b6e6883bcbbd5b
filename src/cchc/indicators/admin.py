from __future__ import annotations

from django.contrib import admin

from .models import Indicator, IndicatorValue, StaffCount


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "name"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "province", "agency", "year", "score", "rank", "rank_of"]
    list_filter = ["indicator", "year", "province"]
    raw_id_fields = ["agency"]


@admin.register(StaffCount)
class StaffCountAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "approved_posts", "present", "recruited", "trained"]
    list_filter = ["year"]
