"""Forms of the plan pages. They check the shape of the input; the rules (unique codes within a section, a done task
has a completion date, an override needs a reason) live in plans/services.py and come back as ValidationError
messages that the views put on the form."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.agencies.models import Unit
from cchc.documents.models import Document
from cchc.tablefiles import upload_problem

from .models import Plan, PlanKind, Task
from .rating import Progress, Rating

MAX_IMPORT_BYTES = 10 * 1024 * 1024
IMPORT_EXTENSIONS = (".csv", ".xlsx")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def apply_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names (through `rename` where the form calls
    it otherwise) when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            name = (rename or {}).get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class PlanFilterForm(forms.Form):
    nam = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    loai = forms.ChoiceField(label=_("Loại kế hoạch"), required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", _("Tất cả"))] + [(y, str(y)) for y in years]
        self.fields["loai"].choices = [("", _("Tất cả"))] + list(PlanKind.choices)


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        date = f" ngày {obj.issue_date:%d/%m/%Y}" if obj.issue_date else ""
        return f"{obj}{date}"


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kế hoạch"), choices=PlanKind.choices)
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=1990,
        max_value=2100,
        error_messages={
            "required": _("Vui lòng nhập năm của kế hoạch."),
            "invalid": _("Năm phải là một số."),
            "min_value": _("Năm của kế hoạch phải từ 1990 đến 2100."),
            "max_value": _("Năm của kế hoạch phải từ 1990 đến 2100."),
        },
    )
    title = forms.CharField(
        label=_("Tên kế hoạch"), max_length=500, error_messages={"required": _("Vui lòng nhập tên kế hoạch.")}
    )
    document = DocumentChoiceField(
        label=_("Văn bản ban hành (trong sổ văn bản)"), required=False, queryset=Document.objects.none()
    )
    document_text = forms.CharField(
        label=_("Văn bản ban hành (như ghi)"),
        max_length=255,
        required=False,
        help_text=Plan._meta.get_field("document_text").help_text,
    )
    wide_fields = ("title", "document", "document_text")

    def __init__(self, *args, agency, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = Document.objects.filter(agency=agency).order_by("-issue_date", "-pk")
        self.fields["document"].empty_label = _("— Không chọn —")


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        return str(obj)[:100]


class TaskForm(forms.Form):
    parent = ParentChoiceField(label=_("Thuộc mục"), required=False, queryset=Task.objects.none())
    code = forms.CharField(
        label=_("Số thứ tự"),
        max_length=16,
        help_text=_("Như kế hoạch ghi: I, 1, 1.1, a."),
        error_messages={"required": _("Vui lòng nhập số thứ tự (ví dụ I, 1, 1.1, a).")},
    )
    content = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nhập nội dung nhiệm vụ.")},
    )
    volume = forms.CharField(label=_("Sản phẩm, khối lượng"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lead_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"),
        required=False,
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": _("Đơn vị không thuộc cơ quan của kế hoạch.")},
    )
    lead_text = forms.CharField(
        label=_("Đơn vị chủ trì (như ghi)"),
        max_length=255,
        required=False,
        help_text=_("Để trống để dùng tên đơn vị đã chọn."),
    )
    cooperating_units = UnitMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        required=False,
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": _("Đơn vị không thuộc cơ quan của kế hoạch.")},
    )
    cooperating_text = forms.CharField(label=_("Đơn vị phối hợp (như ghi)"), required=False)
    deadline = forms.CharField(
        label=_("Thời gian hoàn thành"),
        max_length=255,
        required=False,
        help_text=_("Như kế hoạch ghi: 30/6/2023, Tháng 6/2023, Quý II/2023, Cả năm, Thường xuyên."),
    )
    content_complete = forms.BooleanField(label=_("Nội dung đầy đủ"), required=False, initial=True)
    result = forms.CharField(label=_("Kết quả thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    wide_fields = ("parent", "content", "volume", "cooperating_units", "result")

    def __init__(self, *args, plan: Plan, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = plan.tasks.order_by("order", "pk")
        if task is not None:
            parents = parents.exclude(pk=task.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("— Mục cấp cao nhất —")
        units = Unit.objects.filter(agency_id=plan.agency_id).order_by("name")
        self.fields["lead_unit"].queryset = units
        self.fields["lead_unit"].empty_label = _("— Không chọn —")
        self.fields["cooperating_units"].queryset = units
        self.fields["cooperating_units"].widget.attrs["size"] = 5

    def clean_content(self) -> str:
        content = self.cleaned_data["content"].strip()
        if not content:
            raise forms.ValidationError(_("Vui lòng nhập nội dung nhiệm vụ."))
        return content

    @staticmethod
    def initial_for(task: Task) -> dict:
        return {
            "parent": task.parent_id,
            "code": task.code,
            "content": task.content,
            "volume": task.volume,
            "lead_unit": task.lead_unit_id,
            "lead_text": task.lead_text,
            "cooperating_units": [u.pk for u in task.cooperating_units.all()],
            "cooperating_text": task.cooperating_text,
            "deadline": task.deadline_text or task.deadline.label(),
            "content_complete": task.content_complete,
            "result": task.result,
        }


class ProgressForm(forms.Form):
    on = forms.DateField(
        label=_("Ngày cập nhật"),
        widget=DateInput(),
        error_messages={"required": _("Vui lòng nhập ngày cập nhật."), "invalid": _("Ngày không hợp lệ.")},
    )
    progress = forms.ChoiceField(label=_("Tiến độ"), choices=Progress.choices)
    text = forms.CharField(
        label=_("Nội dung cập nhật"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: Đã ban hành Kế hoạch 04/KH-SKHCN ngày 14/01/2023."),
        error_messages={"required": _("Vui lòng nhập nội dung cập nhật tiến độ.")},
    )
    completed_on = forms.DateField(
        label=_("Ngày hoàn thành"),
        required=False,
        widget=DateInput(),
        help_text=_("Chỉ ghi khi đã hoàn thành; để trống thì lấy ngày cập nhật."),
        error_messages={"invalid": _("Ngày không hợp lệ.")},
    )
    result = forms.CharField(
        label=_("Kết quả thực hiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Để trống để giữ nguyên kết quả đã ghi."),
    )
    wide_fields = ("text", "result")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("Đánh giá"), required=False)
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi đánh giá khác với đề xuất của hệ thống."),
    )
    wide_fields = ("reason",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", _("Theo đề xuất của hệ thống"))] + list(Rating.choices)


class TaskImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp nhiệm vụ (CSV hoặc XLSX)"),
        error_messages={"required": _("Vui lòng chọn tệp."), "empty": _("Tệp rỗng.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 10 MB."))
        problem = upload_problem(upload, suffix)  # the content must match the extension (UTF-16 is a CSV too)
        upload.seek(0)
        if problem:
            raise forms.ValidationError(problem)
        return upload
