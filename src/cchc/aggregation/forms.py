"""The deadline form of the aggregator's pages (the rules are in deadlines.validate)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.reports.models import TemplateKind

from .deadlines import MAX_REMIND_AFTER, MAX_REMIND_BEFORE
from .models import PERIOD_KINDS, AggregationGroup, DeadlineRule, ReportingRegime

FIELDS = ["name", "group", "report_kind", "period_kind", "period_key", "rule", "days", "due_date",
          "remind_before_days", "remind_after_days", "basis"]  # fmt: skip


class DeadlineForm(forms.Form):
    wide_fields = ("name", "basis")

    name = forms.CharField(label=_("Tên hạn gửi"), max_length=255, required=False,
                           help_text=_("Để trống: cchc đặt tên theo loại báo cáo và kỳ."))  # fmt: skip
    group = forms.ModelChoiceField(
        label=_("Áp dụng cho"), queryset=AggregationGroup.objects.none(), required=False,
        empty_label=_("Mọi cơ quan báo cáo"),
    )  # fmt: skip
    report_kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=TemplateKind.choices, initial=TemplateKind.CCHC)
    period_kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PERIOD_KINDS, initial="quarter")
    period_key = forms.CharField(
        label=_("Chỉ cho kỳ"), max_length=32, required=False,
        help_text=_("Để trống: mọi kỳ. Ví dụ 2024 (năm 2024), 2024-Q3 (quý III), 2024-H1 (6 tháng đầu năm)."),
    )  # fmt: skip
    rule = forms.ChoiceField(label=_("Cách tính hạn"), choices=DeadlineRule.choices, initial=DeadlineRule.WORKING_DAYS)
    days = forms.IntegerField(
        label=_("Số ngày"), min_value=0, initial=2, required=False,
        help_text=_("Số ngày làm việc sau ngày chốt số liệu, hoặc ngày của tháng sau ngày chốt."),
    )  # fmt: skip
    due_date = forms.DateField(
        label=_("Ngày hạn gửi"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Chỉ với cách tính «Một ngày cụ thể»."),
    )  # fmt: skip
    remind_before_days = forms.IntegerField(label=_("Nhắc trước hạn (ngày)"), min_value=0,
                                            max_value=MAX_REMIND_BEFORE, initial=3,
                                            help_text=_("0: không nhắc trước hạn."))  # fmt: skip
    remind_after_days = forms.IntegerField(
        label=_("Nhắc sau hạn (ngày)"), min_value=0, max_value=MAX_REMIND_AFTER, initial=1,
        help_text=_("0: không nhắc cơ quan chưa gửi sau hạn."),
    )  # fmt: skip
    basis = forms.CharField(
        label=_("Căn cứ"), max_length=255, required=False,
        help_text=_("Văn bản quy định hạn gửi, ví dụ số và ngày của kế hoạch, công văn."),
    )  # fmt: skip

    def __init__(self, *args, aggregator, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.aggregator = aggregator
        self.fields["group"].queryset = AggregationGroup.objects.filter(aggregator=aggregator).order_by("name")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("rule") in (DeadlineRule.WORKING_DAYS, DeadlineRule.DAY_OF_NEXT_MONTH) and data.get("days") is None:
            self.add_error("days", _("Nhập số ngày."))
        return data

    @classmethod
    def initial_for(cls, regime: ReportingRegime) -> dict:
        return {name: getattr(regime, name) for name in FIELDS}

    def apply(self, regime: ReportingRegime) -> ReportingRegime:
        """The cleaned values on `regime` (not saved: deadlines.save_deadline validates and saves)."""
        data = self.cleaned_data
        for name in FIELDS:
            value = data.get(name)
            if name == "days" and value is None:
                value = 0  # a fixed day needs no count
            if name in ("name", "period_key", "basis"):
                value = value or ""
            setattr(regime, name, value)
        regime.aggregator = self.aggregator
        return regime
