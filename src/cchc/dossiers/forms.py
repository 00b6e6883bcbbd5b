"""Forms of the dossier pages: the list filters, the receipt, one form per lifecycle step and the file import.

The forms only check the shape of the input; the rules (which step may follow which, the one supplement request,
the apology deadline, a procedure in force, no moment in the future or before the previous step) live in
dossiers/lifecycle.py and come back as TransitionError messages shown on the form.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cchc.agencies.models import Unit
from cchc.procedures.models import Field, Procedure
from cchc.tablefiles import upload_problem
from cchc.text import clean_line

from .models import ApplicantKind, Channel, EventKind, Status
from .reception import identity_problem, normalise_identity

MAX_IMPORT_BYTES = 20 * 1024 * 1024
IMPORT_EXTENSIONS = (".csv", ".xlsx")

_DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A <select> written in Python. Django's Select renders a template per option: the dossier list's filters have
    every procedure version of the agency as options, and their templates cost more than the page's queries."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(iter(self.choices))  # iter(): a model choice list's len() would count its rows
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)  # groups: the template handles them
        selected = {str(v) for v in self.format_value(value)}
        parts = [format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))]
        for option_value, label in choices:
            option = "" if option_value is None else str(option_value)
            mark = mark_safe(" selected") if option in selected else ""
            parts.append(format_html('<option value="{}"{}>{}</option>', option, mark, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value went through format_html


def _local_now() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def change_reason_field() -> forms.CharField:
    """Asked only when the moment falls inside the period of a submitted or approved report (lifecycle refuses
    then without it): the form comes back with everything typed and this field to fill."""
    return forms.CharField(
        label=_("Lý do thay đổi số liệu của kỳ đã báo cáo"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Thời điểm này thuộc kỳ của báo cáo đã gửi hoặc đã duyệt: lý do được ghi lại và hiện trên báo cáo."
        ),
    )


class ChangeReasonMixin:
    """`asks_reason`: show the reason field (the lifecycle asked for it, or the user already wrote one)."""

    @property
    def asks_reason(self) -> bool:
        return bool(self.is_bound and (self.errors.get("change_reason") or self.data.get("change_reason")))

    def ask_reason(self, message) -> None:  # noqa: ANN001 - a ValidationError's message list
        self.add_error("change_reason", message)


# --- list filters ---------------------------------------------------------------------------------------------


class DossierFilterForm(forms.Form):
    """GET filters of the dossier list. Every field is optional; an invalid value is ignored with a message."""

    q = forms.CharField(label=_("Tìm theo mã hoặc chủ hồ sơ"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, widget=QuickSelect)
    channel = forms.TypedChoiceField(
        label=_("Kênh tiếp nhận"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục"), required=False, queryset=Procedure.objects.none(), widget=QuickSelect
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), required=False, queryset=Field.objects.none(), widget=QuickSelect
    )
    received_from = forms.DateField(label=_("Tiếp nhận từ ngày"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("đến ngày"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("Quá hạn (đang xử lý)"), required=False)
    agency = forms.ModelChoiceField(label=_("Cơ quan"), required=False, queryset=None, widget=QuickSelect)

    def __init__(self, *args, procedures, fields, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả"))] + list(Status.choices)
        self.fields["channel"].choices = [("", _("Tất cả"))] + list(Channel.choices)
        self.fields["procedure"].queryset = procedures
        self.fields["procedure"].empty_label = _("Tất cả")
        self.fields["field"].queryset = fields
        self.fields["field"].empty_label = _("Tất cả")
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = _("Tất cả")

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


# --- receipt ---------------------------------------------------------------------------------------------------


class ProcedureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Procedure) -> str:
        return f"{obj.code} – {obj.name}"


class ReceiveForm(ChangeReasonMixin, forms.Form):
    """Tiếp nhận hồ sơ: a complete dossier accepted at the desk, online or by post (tthc.md §2)."""

    procedure = ProcedureChoiceField(
        label=_("Thủ tục hành chính"),
        queryset=Procedure.objects.none(),
        error_messages={
            "required": _("Vui lòng chọn thủ tục."),
            "invalid_choice": _("Thủ tục không thuộc danh mục đang áp dụng của cơ quan."),
        },
    )
    applicant_kind = forms.ChoiceField(label=_("Loại chủ hồ sơ"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(
        label=_("Chủ hồ sơ"), max_length=255, error_messages={"required": _("Vui lòng nhập tên chủ hồ sơ.")}
    )
    applicant_id_number = forms.CharField(label=_("Số định danh / mã số thuế"), max_length=32, required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"), required=False, error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")}
    )
    summary = forms.CharField(label=_("Trích yếu nội dung"), max_length=500, required=False)
    channel = forms.TypedChoiceField(label=_("Kênh tiếp nhận"), choices=Channel.choices, coerce=int)
    result_channel = forms.TypedChoiceField(label=_("Hình thức nhận kết quả"), choices=Channel.choices, coerce=int)
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        input_formats=_DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        error_messages={
            "required": _("Vui lòng nhập thời điểm tiếp nhận."),
            "invalid": _("Thời điểm tiếp nhận không hợp lệ."),
        },
    )
    national_code = forms.CharField(label=_("Mã hồ sơ trên Cổng DVCQG"), max_length=64, required=False)
    digitised = forms.BooleanField(label=_("Thành phần hồ sơ đã được số hóa"), required=False)
    change_reason = change_reason_field()
    # The procedure whose checklist the page showed: a procedure chosen without it (no JavaScript) first brings its
    # checklist back, so a dossier is never received against a list the clerk did not see.
    checklist_for = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, agency, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("received_at", _local_now())
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["procedure"].queryset = (
            Procedure.objects.filter(agency=agency).in_force_on(timezone.localdate()).order_by("code")
        )
        # The first field has the focus; reception.js turns the list into a search-as-you-type picker.
        self.fields["procedure"].widget.attrs.update({"autofocus": True, "data-procedure-picker": ""})
        self.fields["applicant_id_number"].help_text = _(
            "Công dân: số định danh cá nhân 12 chữ số; tổ chức: mã số thuế 10 hoặc 13 chữ số (0123456789-001)."
        )

    def clean(self):
        data = super().clean()
        number = data.get("applicant_id_number")
        if number:
            problem = identity_problem(data.get("applicant_kind") or "", number)
            if problem:
                self.add_error("applicant_id_number", problem)
            else:
                data["applicant_id_number"] = normalise_identity(number)
        return data

    def clean_applicant_name(self) -> str:
        name = clean_line(self.cleaned_data["applicant_name"])  # no invisible characters, one space between words
        if not name:
            raise forms.ValidationError(_("Vui lòng nhập tên chủ hồ sơ."))
        return name

    def lifecycle_fields(self) -> dict:
        """Keyword arguments for lifecycle.receive besides agency, procedure, applicant_name, channel and actor."""
        data = self.cleaned_data
        return {
            "applicant_kind": data["applicant_kind"],
            "applicant_id_number": data["applicant_id_number"],
            "applicant_address": data["applicant_address"],
            "applicant_phone": data["applicant_phone"],
            "applicant_email": data["applicant_email"],
            "summary": data["summary"],
            "result_channel": data["result_channel"],
            "national_code": data["national_code"],
            "digitised": data["digitised"],
            "change_reason": data["change_reason"],
        }


# --- one form per lifecycle step --------------------------------------------------------------------------------


class StepForm(ChangeReasonMixin, forms.Form):
    """Fields every step shares: when it happened (default now) and a note."""

    at = forms.DateTimeField(
        label=_("Thời điểm"),
        required=False,
        input_formats=_DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Để trống nếu là thời điểm hiện tại."),
        error_messages={"invalid": _("Thời điểm không hợp lệ.")},
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    change_reason = change_reason_field()

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def lifecycle_data(self) -> dict:
        """Keyword arguments for lifecycle.perform besides the dossier, the kind and the actor."""
        data = {"note": self.cleaned_data.get("note", ""), "change_reason": self.cleaned_data.get("change_reason", "")}
        if self.cleaned_data.get("at") is not None:
            data["at"] = self.cleaned_data["at"]
        return data


class AssignForm(StepForm):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị xử lý"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("Vui lòng chọn đơn vị xử lý."),
            "invalid_choice": _("Đơn vị không thuộc cơ quan tiếp nhận hồ sơ."),
        },
    )
    field_order = ["unit", "at", "note"]

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=dossier.agency_id, is_active=True).order_by("name")

    def lifecycle_data(self) -> dict:
        return {**super().lifecycle_data(), "unit": self.cleaned_data["unit"]}


class SupplementRequestForm(StepForm):
    note = forms.CharField(
        label=_("Nội dung yêu cầu bổ sung"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nêu đầy đủ mọi thành phần cần bổ sung: chỉ được yêu cầu bổ sung một lần."),
        error_messages={"required": _("Vui lòng nêu nội dung cần bổ sung.")},
    )


class ApologyForm(StepForm):
    new_date = forms.DateField(
        label=_("Ngày hẹn trả mới"),
        widget=DateInput(),
        error_messages={"required": _("Vui lòng chọn ngày hẹn trả mới."), "invalid": _("Ngày không hợp lệ.")},
    )
    note = forms.CharField(
        label=_("Lý do chậm trễ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nêu lý do chậm trễ.")},
    )
    field_order = ["new_date", "note", "at"]

    def lifecycle_data(self) -> dict:
        return {**super().lifecycle_data(), "new_date": self.cleaned_data["new_date"]}


class RefuseForm(StepForm):
    note = forms.CharField(
        label=_("Lý do từ chối"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nêu lý do từ chối.")},
    )

    def lifecycle_data(self) -> dict:
        data = super().lifecycle_data()
        data["reason"] = data.pop("note")
        return data


class ResolveForm(StepForm):
    result_digitised = forms.BooleanField(label=_("Kết quả đã được số hóa"), required=False)

    def lifecycle_data(self) -> dict:
        return {**super().lifecycle_data(), "result_digitised": self.cleaned_data["result_digitised"]}


class WithdrawForm(StepForm):
    note = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


STEP_FORMS: dict[str, type[StepForm]] = {
    EventKind.ASSIGNED: AssignForm,
    EventKind.SUPPLEMENT_REQUESTED: SupplementRequestForm,
    EventKind.SUPPLEMENTED: StepForm,
    EventKind.APOLOGY_ISSUED: ApologyForm,
    EventKind.RESOLVED: ResolveForm,
    EventKind.RESULT_RETURNED: StepForm,
    EventKind.REFUSED: RefuseForm,
    EventKind.WITHDRAWN: WithdrawForm,
}


# --- import ----------------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp hồ sơ (CSV hoặc XLSX)"),
        error_messages={"required": _("Vui lòng chọn tệp."), "empty": _("Tệp rỗng.")},
    )
    change_reason = forms.CharField(
        label=_("Lý do thay đổi số liệu kỳ đã báo cáo"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Chỉ cần khi tệp thêm hoặc sửa hồ sơ thuộc kỳ đã có báo cáo gửi hoặc duyệt; thay đổi được ghi lại và hiển "
            "thị trên báo cáo."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."), code="extension")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 20 MB."), code="size")
        # The content must match the extension; a UTF-16 text file (Excel's "Unicode Text") is a CSV like any other.
        problem = upload_problem(upload, suffix)
        upload.seek(0)
        if problem:
            raise forms.ValidationError(problem, code="content")
        return upload
