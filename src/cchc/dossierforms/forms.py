from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

FORMATS = [("docx", _("Tệp Word (.docx)")), ("pdf", _("PDF"))]


class RegisterForm(forms.Form):
    tu_ngay = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    den_ngay = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    dinh_dang = forms.ChoiceField(label=_("Định dạng"), choices=FORMATS, initial="docx")

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and end < start:
            self.add_error("den_ngay", _("Ngày cuối kỳ phải từ ngày đầu kỳ trở đi."))
        return data


class TemplateForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung mẫu"),
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "mono"}),
        max_length=20000,
    )
    note = forms.CharField(label=_("Ghi chú sửa đổi"), required=False, max_length=255)
