"""Forms of the pages that edit a procedure's parts: one formset per part (components, fees, internal process).

The formsets only read the input; the rules are procedures.parts' (shared with the importer), and their problems
come back on the row and field they concern.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.agencies.models import Agency, Role, Unit
from cchc.text import fold

from . import parts
from .models import FeeKind, Procedure, StepTimeUnit

FORM_FILE_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods")
MAX_FORM_FILE_BYTES = 10 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Word and Excel files


def form_file_problem(upload) -> str | None:
    """Why an uploaded form file (mẫu đơn, tờ khai) is refused, else None: the extension must be one a form is
    published in, the size bounded, and the content what the extension says (a renamed program is not a .docx)."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in FORM_FILE_EXTENSIONS:
        return str(_("Tệp mẫu chỉ nhận PDF, Word (.doc, .docx, .odt) hoặc Excel (.xls, .xlsx, .ods)."))
    if upload.size == 0:
        return str(_("Tệp mẫu rỗng."))
    if upload.size > MAX_FORM_FILE_BYTES:
        return str(_("Tệp mẫu lớn hơn 10 MB."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix == ".pdf":
        ok = head.startswith(b"%PDF-")
    elif suffix in (".doc", ".xls"):
        ok = head == _OLE
    else:
        ok = head.startswith(b"PK\x03\x04") and _office_zip(upload, suffix)
    upload.seek(0)
    if not ok:
        return str(_("Nội dung tệp mẫu không đúng với phần mở rộng %(suffix)s.") % {"suffix": suffix})
    return None


def _office_zip(upload, suffix: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "mimetype" in names if suffix in (".odt", ".ods") else "[Content_Types].xml" in names


def safe_file_name(name: str) -> str:
    """ "Mẫu đơn số 01 (bản cuối).docx" -> "mau-don-so-01-ban-cuoi.docx": plain letters in the stored name."""
    path = Path(name or "mau")
    stem = re.sub(r"[^a-z0-9]+", "-", fold(path.stem)).strip("-")[:80] or "mau"
    return f"{stem}{path.suffix.lower()}"


class NumberInput(forms.TextInput):
    """A number typed the Vietnamese way ("0,5", "1.500.000"): a text input with the numeric keyboard."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "class": "input--number", **(attrs or {})})


class DecimalCommaField(forms.CharField):
    """A decimal that accepts a comma ("0,5"); with `grouped`, dots and spaces group thousands ("1.500.000")."""

    def __init__(self, *args, grouped: bool = False, **kwargs):
        self.grouped = grouped
        kwargs.setdefault("widget", NumberInput())
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            if self.grouped:
                return f"{int(value):,}".replace(",", ".")
            return parts.number_text(value)
        return value

    def to_python(self, value) -> Decimal | None:
        text = (super().to_python(value) or "").replace("\u00a0", " ").strip()
        if not text:
            return None
        if self.grouped:
            text = re.sub(r"\s*(đồng|đ|vnđ|vnd)\.?$", "", text, flags=re.IGNORECASE)
            text = text.replace(".", "").replace(" ", "")
        text = text.replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("“%(value)s” không phải là số.") % {"value": value}) from None


class _PartForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    position = forms.IntegerField(
        label=_("Thứ tự"),
        min_value=1,
        max_value=parts.MAX_POSITION,
        widget=forms.NumberInput(attrs={"class": "input--narrow"}),
        error_messages={"required": _("Thiếu số thứ tự."), "invalid": _("Số thứ tự phải là số nguyên.")},
    )

    def __init__(self, *args, procedure: Procedure, **kwargs):
        self.procedure = procedure
        super().__init__(*args, **kwargs)

    def row(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ComponentForm(_PartForm):
    name = forms.CharField(
        label=_("Tên giấy tờ"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Vui lòng nhập tên giấy tờ.")},
    )
    originals = forms.IntegerField(
        label=_("Bản chính"),
        min_value=0,
        max_value=99,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "input--narrow"}),
    )
    copies = forms.IntegerField(
        label=_("Bản sao"),
        min_value=0,
        max_value=99,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "input--narrow"}),
    )
    mandatory = forms.BooleanField(label=_("Bắt buộc"), required=False, initial=True)
    form_name = forms.CharField(label=_("Mẫu đơn, tờ khai"), required=False, max_length=255)
    form_file = forms.FileField(label=_("Tệp mẫu"), required=False)
    clear_file = forms.BooleanField(label=_("Bỏ tệp mẫu"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_form_file(self):
        upload = self.cleaned_data.get("form_file")
        if upload:
            problem = form_file_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
            upload.name = safe_file_name(upload.name)
        return upload

    def row(self) -> dict[str, Any]:
        row = super().row()
        clear = row.pop("clear_file", False)
        if not row.get("form_file"):
            row["form_file"] = "" if clear else None
        return row


class FeeForm(_PartForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=FeeKind.choices, initial=FeeKind.CHARGE)
    name = forms.CharField(
        label=_("Tên khoản thu"), max_length=255, error_messages={"required": _("Vui lòng nhập tên khoản thu.")}
    )
    amount = DecimalCommaField(
        label=_("Mức thu (đồng)"),
        required=False,
        grouped=True,
        help_text=_("Ví dụ 1.500.000; để trống nếu tính theo cách tính."),
    )
    rule = forms.CharField(label=_("Cách tính"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), required=False, max_length=255)


class StepForm(_PartForm):
    name = forms.CharField(
        label=_("Tên bước"), max_length=255, error_messages={"required": _("Vui lòng nhập tên bước.")}
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[(r.value, r.label) for r in Role if r not in (Role.VIEWER, Role.AGGREGATOR)],
        initial=Role.OFFICER,
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Đơn vị đang giữ hồ sơ"),
        error_messages={"invalid_choice": _("Đơn vị không thuộc cơ quan thực hiện thủ tục.")},
    )
    duration = DecimalCommaField(label=_("Thời gian"), error_messages={"required": _("Vui lòng nhập thời gian.")})
    duration_unit = forms.ChoiceField(
        label=_("Tính theo"), choices=StepTimeUnit.choices, initial=StepTimeUnit.WORKING_DAYS
    )
    is_approval = forms.BooleanField(label=_("Phê duyệt"), required=False)
    external_agency = forms.ModelChoiceField(
        label=_("Cơ quan liên thông"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Cơ quan liên thông không hợp lệ.")},
    )
    external_name = forms.CharField(label=_("hoặc cơ quan ngoài hệ thống"), required=False, max_length=255)

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, procedure=procedure, **kwargs)
        # Any unit of the agency may be named, so a form posted while a unit was being closed is still understood;
        # the list offers the active ones (and the one a step already names).
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=procedure.agency_id).order_by("name")
        self.fields["external_agency"].queryset = (
            Agency.objects.filter(province_id=procedure.agency.province_id).exclude(pk=procedure.agency_id)
            if procedure.agency.province_id
            else Agency.objects.exclude(pk=procedure.agency_id)
        ).order_by("name")


class PartFormSet(forms.BaseFormSet):
    kind: parts.PartKind

    def __init__(self, *args, procedure: Procedure, **kwargs):
        self.procedure = procedure
        super().__init__(*args, form_kwargs={"procedure": procedure}, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if i >= self.initial_form_count() and "position" not in form.initial:
            # A blank row is numbered after the stored ones, so a row typed without touching its number is in order.
            taken = [row.get("position") or 0 for row in (self.initial or [])]
            form.initial["position"] = max(taken, default=0) + 1 + i - self.initial_form_count()
        return form

    def kept_forms(self) -> list[forms.Form]:
        """The rows to keep: filled, valid as far as their fields go, not ticked for removal."""
        return [
            form
            for form in self.forms
            if form.has_changed() or form.initial
            if not (self.can_delete and self._should_delete_form(form))
        ]

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for form in self.kept_forms():
            row = form.row()
            row.pop("DELETE", None)
            rows.append(row)
        return rows

    def clean(self):
        if any(self.errors):
            return
        kept = self.kept_forms()
        for problem in parts.problems_for(self.kind, self.procedure, self.rows()):
            form = kept[problem.row - 1] if problem.row else None
            if form is not None and problem.field in form.fields:
                form.add_error(problem.field, problem.message)
            elif form is not None:
                form.add_error(None, problem.message)
            else:
                raise forms.ValidationError(problem.message)


def _formset(form: type[forms.Form], kind: parts.PartKind) -> type[PartFormSet]:
    formset = forms.formset_factory(form, formset=PartFormSet, extra=1, can_delete=True, max_num=200, absolute_max=400)
    formset.kind = kind
    return formset


ComponentFormSet = _formset(ComponentForm, parts.COMPONENTS)
FeeFormSet = _formset(FeeForm, parts.FEES)
StepFormSet = _formset(StepForm, parts.STEPS)


class ProcessForm(forms.Form):
    """The decision that approved the internal process (shown above its steps)."""

    internal_process_decision = forms.CharField(
        label=_("Quyết định phê duyệt quy trình nội bộ"),
        required=False,
        max_length=255,
        help_text=_("Ví dụ: Quyết định 567/QĐ-UBND ngày 15/3/2024 (quy trình theo TCVN ISO 9001:2015)."),
    )
