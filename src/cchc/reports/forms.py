"""Forms of the report pages. They check the shape of the input; the rules (who may edit, which state allows what,
a valid outline) live in services.py and templates_registry.py and come back as ValidationError messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.statistics.periods import (
    QUARTER_NUMERALS,
    Period,
    current_quarter,
    date_range,
    half,
    nine_months,
    quarter,
    year,
)

from .blocks import block_choices
from .models import ReportStatus, ReportTemplate
from .services import SIGNING_FORMS
from .templates_registry import MAX_LEVEL


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form field it names when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class ReportFilterForm(forms.Form):
    trang_thai = forms.ChoiceField(label=_("Trạng thái"), required=False)
    nam = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trang_thai"].choices = [("", _("Tất cả"))] + list(ReportStatus.choices)
        self.fields["nam"].choices = [("", _("Tất cả"))] + [(y, str(y)) for y in years]


PERIOD_KINDS = [
    ("quarter", _("Quý")),
    ("half", _("6 tháng")),
    ("nine_months", _("9 tháng")),
    ("year", _("Năm")),
    ("range", _("Khoảng ngày tùy chọn")),
]
MODE_CHOICES = [
    ("nd09", _("Theo ngày chốt số liệu của Nghị định 09/2019/NĐ-CP (từ ngày 15 đến ngày 14)")),
    ("calendar", _("Theo tháng dương lịch (từ ngày 01)")),
]


class ReportCreateForm(forms.Form):
    template = forms.ChoiceField(label=_("Mẫu báo cáo"))
    period_kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PERIOD_KINDS, initial="quarter")
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quý"), coerce=int, required=False, choices=[(n, numeral) for n, numeral in QUARTER_NUMERALS.items()]
    )
    half = forms.TypedChoiceField(
        label=_("Nửa năm"), coerce=int, required=False, choices=[(1, _("6 tháng đầu năm")), (2, _("6 tháng cuối năm"))]
    )
    mode = forms.ChoiceField(label=_("Cách tính kỳ"), choices=MODE_CHOICES, initial="nd09")
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput)
    # Set by the "Vẫn tạo báo cáo mới" button once the page has shown the reports that already exist.
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, templates: list[ReportTemplate], today: dt.date | None = None, **kwargs: Any):
        today = today or timezone.localdate()
        running = current_quarter(today)
        kwargs.setdefault("initial", {}).update({"year": running.year, "quarter": running.number})
        super().__init__(*args, **kwargs)
        self.templates = {str(t.pk): t for t in templates}
        self.fields["template"].choices = [
            (str(t.pk), f"{t.name} ({_('mẫu của cơ quan') if t.agency_id else _('mẫu dựng sẵn')})") for t in templates
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["template_obj"] = self.templates.get(data.get("template") or "")
        kind, number, mode = data.get("period_kind"), data.get("year"), data.get("mode") or "nd09"
        try:
            if kind == "range":
                start, end = data.get("start"), data.get("end")
                if not start or not end:
                    raise ValidationError(_("Nhập ngày bắt đầu và ngày kết thúc của kỳ báo cáo."))
                data["period"] = date_range(start, end)
            elif number is not None:
                period: Period
                if kind == "quarter":
                    if not data.get("quarter"):
                        raise ValidationError(_("Chọn quý."))
                    period = quarter(number, data["quarter"], mode)
                elif kind == "half":
                    period = half(number, data.get("half") or 1, mode)
                elif kind == "nine_months":
                    period = nine_months(number, mode)
                else:
                    period = year(number, mode)
                data["period"] = period
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return data


class ReportDetailsForm(forms.Form):
    title = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    signing_form = forms.ChoiceField(
        label=_("Thẩm quyền ký"),
        required=False,
        choices=[(value, value or _("Ký trực tiếp")) for value in SIGNING_FORMS],
    )
    signing_authority = forms.CharField(
        label=_("Chức danh người đứng đầu"), max_length=128, required=False, help_text=_("Ví dụ: Giám đốc (sau KT.).")
    )
    signer = forms.ChoiceField(
        label=_("Lãnh đạo ký"),
        required=False,
        help_text=_("Để trống: lãnh đạo duyệt báo cáo sẽ ký; dự thảo để trống dòng tên cho chữ ký tay."),
    )
    signer_name = forms.CharField(
        label=_("Tên người ký (khi không chọn lãnh đạo)"),
        max_length=128,
        required=False,
        help_text=_("Để trống nếu đã chọn lãnh đạo ký hoặc để lãnh đạo duyệt ký."),
    )
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=128,
        required=False,
        help_text=_("Dùng khi chức vụ của lãnh đạo ký chưa được khai báo."),
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận; dòng “Lưu: VT” được thêm tự động."),
    )
    archive_unit = forms.CharField(label=_("Đơn vị lưu"), max_length=64, required=False)
    intro = forms.CharField(label=_("Đoạn mở đầu"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closing = forms.CharField(label=_("Đoạn kết"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, leaders: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaders = {str(user.pk): user for user in leaders}
        self.fields["signer"].choices = [("", _("Chưa chọn"))] + [
            (key, " ".join((user.get_full_name() or user.get_username()).split())) for key, user in self.leaders.items()
        ]

    @classmethod
    def initial_for(cls, report) -> dict[str, Any]:
        initial = {name: getattr(report, name) for name in cls.base_fields if name != "signer"}
        initial["signer"] = str(report.signer_id or "")
        initial["recipients"] = "\n".join(report.recipients or [])
        return initial

    def clean_signer(self):  # noqa: ANN201 - a user or None
        return self.leaders.get(self.cleaned_data.get("signer") or "")

    def clean_recipients(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["recipients"].splitlines() if line.strip()]


class SectionForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    number = forms.CharField(
        label=_("Số báo cáo"),
        max_length=16,
        required=False,
        help_text=_("Để trống để cấp số tự động trong sổ văn bản đi."),
    )
    issue_date = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DateInput)
    confirm_unfinished = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}))


class VersionForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú phiên bản"), max_length=500, required=False)


def outline_block_choices(outline: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The section blocks, plus any combination the outline already uses ("documents_issued,directives") so that
    saving the form never drops a block."""
    choices: list[tuple[str, Any]] = [("", _("— Không có —"))] + block_choices()
    labels = dict(block_choices())
    known = {value for value, _label in choices}
    for item in outline:
        block = item.get("block") or []
        value = block if isinstance(block, str) else ",".join(block)
        if value and value not in known:
            known.add(value)
            choices.append((value, " + ".join(str(labels.get(name, name)) for name in value.split(","))))
    return choices


class OutlineRowForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    number = forms.CharField(label=_("Số mục"), max_length=16, required=False)
    heading = forms.CharField(label=_("Tiêu đề"), max_length=500, required=False)
    level = forms.TypedChoiceField(
        label=_("Cấp"), coerce=int, choices=[(n, str(n)) for n in range(1, MAX_LEVEL + 1)], initial=1
    )
    block = forms.ChoiceField(label=_("Số liệu tự động"), required=False)
    guidance = forms.CharField(label=_("Hướng dẫn"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args: Any, block_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = block_choices


class BaseOutlineFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, block_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        self.block_choices = block_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "block_choices": self.block_choices}

    @property
    def empty_form(self) -> forms.Form:
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            block_choices=self.block_choices,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


OutlineFormSet = forms.formset_factory(
    OutlineRowForm, formset=BaseOutlineFormSet, extra=1, can_delete=True, can_order=True
)
