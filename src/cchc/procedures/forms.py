"""Forms of the procedure catalogue pages: the list filters and the create/edit form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.text import clean_line, code_problem

from .models import Field, Interconnection, OnlineService, Procedure
from .services import EDITABLE_FIELDS

YES_NO = [("", _("Tất cả")), ("1", _("Có")), ("0", _("Không"))]


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Mã hoặc tên thủ tục, ví dụ: dang ky")}),
    )
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=None, required=False, empty_label=_("Tất cả"))
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Field.objects.none(), required=False, empty_label=_("Tất cả")
    )
    online_service = forms.ChoiceField(
        label=_("Dịch vụ trực tuyến"), required=False, choices=[("", _("Tất cả")), *OnlineService.choices]
    )
    interconnection = forms.ChoiceField(
        label=_("Liên thông"), required=False, choices=[("", _("Tất cả")), *Interconnection.choices]
    )
    one_stop = forms.ChoiceField(label=_("Qua bộ phận một cửa"), required=False, choices=YES_NO)
    on = forms.DateField(label=_("Còn hiệu lực ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    abolished = forms.BooleanField(label=_("Gồm cả thủ tục đã bãi bỏ"), required=False)

    def __init__(self, *args, agencies: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["field"].queryset = Field.objects.filter(procedures__agency__in=agencies).distinct()
        self.show_agency = agencies.count() > 1

    def day(self) -> dt.date:
        return (self.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()

    def apply(self, queryset: QuerySet[Procedure]) -> QuerySet[Procedure]:
        """Filter `queryset` (already scoped to the user) by the submitted values; invalid values are ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("abolished"):
            queryset = queryset.in_force_on(self.day())
        if data.get("agency"):
            queryset = queryset.filter(agency=data["agency"])
        if data.get("field"):
            queryset = queryset.filter(field=data["field"])
        if data.get("online_service"):
            queryset = queryset.filter(online_service=data["online_service"])
        if data.get("interconnection"):
            queryset = queryset.filter(interconnection=data["interconnection"])
        if data.get("one_stop") in ("0", "1"):
            queryset = queryset.filter(one_stop=data["one_stop"] == "1")
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "name": forms.Textarea(attrs={"rows": 3}),
            "fees": forms.Textarea(attrs={"rows": 3}),
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "abolished_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "cutoff_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    wide_fields = ("name", "fees", "result_document", "internal_process_decision", "publishing_decision")

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency or getattr(self.instance, "agency", None)

    def clean_code(self) -> str:
        # Cleaned before the uniqueness check below: "1.004444" and "1.004444" with a zero-width space are one code.
        code = clean_line(self.cleaned_data["code"])
        problem = code_problem(code, _("Mã TTHC"))
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean_name(self) -> str:
        return clean_line(self.cleaned_data["name"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("effective_from"), cleaned.get("abolished_on")
        if start and end and end <= start:
            self.add_error("abolished_on", _("Ngày bãi bỏ phải sau ngày bắt đầu hiệu lực."))
        code, agency = cleaned.get("code"), self.agency
        if code and start and agency is not None:
            clash = Procedure.objects.filter(agency=agency, code=code, effective_from=start)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "effective_from", _("Cơ quan đã có một phiên bản của thủ tục này bắt đầu hiệu lực cùng ngày.")
                )
        reduced, legal = cleaned.get("reduced_processing_time"), cleaned.get("processing_time")
        if reduced is not None and legal is not None and reduced > legal:
            self.add_error("reduced_processing_time", _("Thời hạn sau cắt giảm không được dài hơn thời hạn quy định."))
        return cleaned
