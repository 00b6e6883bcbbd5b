"""Province variants (and, for the operator, any template) in the Django admin; the text is validated as on the
agency's page. Agencies edit their own variants on Biểu mẫu → Sửa."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import markup
from .models import FormTemplate


class FormTemplateAdminForm(forms.ModelForm):
    class Meta:
        model = FormTemplate
        fields = ["regime", "form", "version", "valid_from", "province", "agency", "text", "note"]

    def clean(self):
        data = super().clean()
        if data.get("text") and data.get("form"):
            try:
                markup.parse(data["text"], data["form"])
            except ValidationError as exc:
                self.add_error("text", exc.messages)
        return data


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    form = FormTemplateAdminForm
    list_display = ["form", "regime", "version", "valid_from", "province", "agency", "updated_at"]
    list_filter = ["regime", "form"]
