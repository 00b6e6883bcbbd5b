"""Forms of the document registry pages: the list filters, issuing an outgoing document, registering an incoming
one and the reference finder."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Direction, DocumentKind, Register, SigningForm
from .references import normalise_symbol

MAX_FILE_BYTES = 50 * 1024 * 1024
FILE_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".zip", ".jpg", ".jpeg", ".png")
# "64/KH-SKHCN", "60/2021/NĐ-CP" (a legal document's number carries its year), Party style "12-NQ/TU", or a bare "24".
_NUMBER_SYMBOL = re.compile(r"^(?P<number>\d+(?:/\d{4})?)\s*/\s*(?P<symbol>\S.*)$")
_PARTY_NUMBER_SYMBOL = re.compile(r"^(?P<number>\d+)-(?P<symbol>[^/\s]+/\S+)$")
_BARE_NUMBER = re.compile(r"^\d+(?:/\d{4})?$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def split_number_symbol(text: str) -> tuple[str, str]:
    """("64", "KH-SKHCN") from "64/KH-SKHCN", ("60/2021", "NĐ-CP") from "60/2021/NĐ-CP", ("12", "NQ/TU") from
    "12-NQ/TU"; ValueError for anything else."""
    text = normalise_symbol(" ".join((text or "").split()))
    if _BARE_NUMBER.match(text):
        return text, ""
    for pattern in (_PARTY_NUMBER_SYMBOL, _NUMBER_SYMBOL):
        match = pattern.match(text)
        if match:
            return match["number"], match["symbol"]
    raise ValueError(text)


def _check_file(upload):
    if upload is None:
        return upload
    if Path(upload.name or "").suffix.lower() not in FILE_EXTENSIONS:
        raise forms.ValidationError(_("Chỉ nhận tệp PDF, Word, Excel, ZIP hoặc ảnh."))
    if upload.size > MAX_FILE_BYTES:
        raise forms.ValidationError(_("Tệp lớn hơn 50 MB."))
    return upload


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo số, ký hiệu, trích yếu"), required=False, max_length=200)
    direction = forms.ChoiceField(label=_("Văn bản đi/đến"), required=False)
    kind = forms.ChoiceField(label=_("Loại văn bản"), required=False)
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={"invalid": _("Năm phải là một số.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [("", _("Tất cả"))] + list(Direction.choices)
        self.fields["kind"].choices = [("", _("Tất cả"))] + list(DocumentKind.choices)


class RegisterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Register) -> str:
        return obj.name


class IssueForm(forms.Form):
    """Ban hành văn bản đi: the number is allocated by the register when the form is saved."""

    register = RegisterChoiceField(
        label=_("Sổ văn bản đi"),
        queryset=Register.objects.none(),
        error_messages={"required": _("Vui lòng chọn sổ văn bản."), "invalid_choice": _("Sổ văn bản không hợp lệ.")},
    )
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices, initial=DocumentKind.CONG_VAN)
    unit_code = forms.CharField(
        label=_("Ký hiệu đơn vị soạn thảo"),
        max_length=20,
        required=False,
        help_text=_("Công văn: ký hiệu đơn vị soạn thảo sau ký hiệu cơ quan, ví dụ QLĐLCL (Nghị định 30/2020)."),
    )
    excerpt = forms.CharField(
        label=_("Trích yếu"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nhập trích yếu văn bản.")},
    )
    issue_date = forms.DateField(
        label=_("Ngày ban hành"),
        widget=DateInput(),
        error_messages={"required": _("Vui lòng nhập ngày ban hành."), "invalid": _("Ngày không hợp lệ.")},
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=128, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=128, required=False)
    signing_form = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=SigningForm.choices, required=False)
    digitally_signed = forms.BooleanField(label=_("Đã ký số"), required=False)
    file = forms.FileField(label=_("Tệp văn bản"), required=False)
    wide_fields = ("excerpt", "file")

    def __init__(self, *args, agency, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("issue_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        registers = Register.objects.filter(agency=agency, direction=Direction.OUTGOING, is_active=True)
        self.fields["register"].queryset = registers.order_by("name")
        if registers.count() == 1:
            self.fields["register"].initial = registers.first().pk

    def clean_excerpt(self) -> str:
        excerpt = " ".join(self.cleaned_data["excerpt"].split())
        if not excerpt:
            raise forms.ValidationError(_("Vui lòng nhập trích yếu văn bản."))
        return excerpt

    def clean_file(self):
        return _check_file(self.cleaned_data.get("file"))


class IncomingForm(forms.Form):
    """Vào sổ văn bản đến: number and symbol as the sender wrote them; the arrival number comes from the register."""

    register = RegisterChoiceField(
        label=_("Sổ văn bản đến"),
        queryset=Register.objects.none(),
        required=False,
        help_text=_("Chọn sổ để cấp số đến; để trống nếu chỉ lưu văn bản để trích dẫn."),
        error_messages={"invalid_choice": _("Sổ văn bản không hợp lệ.")},
    )
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices)
    number_symbol = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=96,
        help_text=_("Như văn bản ghi: 64/KH-SKHCN, 60/2021/NĐ-CP, 12-NQ/TU."),
        error_messages={"required": _("Vui lòng nhập số, ký hiệu của văn bản.")},
    )
    issue_date = forms.DateField(
        label=_("Ngày ban hành"),
        widget=DateInput(),
        error_messages={"required": _("Vui lòng nhập ngày ban hành."), "invalid": _("Ngày không hợp lệ.")},
    )
    issuing_body = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=255,
        error_messages={"required": _("Vui lòng nhập cơ quan ban hành.")},
    )
    excerpt = forms.CharField(
        label=_("Trích yếu"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nhập trích yếu văn bản.")},
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=128, required=False)
    signing_form = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=SigningForm.choices, required=False)
    file = forms.FileField(label=_("Tệp văn bản"), required=False)
    wide_fields = ("register", "excerpt", "file")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        registers = Register.objects.filter(agency=agency, direction=Direction.INCOMING, is_active=True)
        self.fields["register"].queryset = registers.order_by("name")
        self.fields["register"].empty_label = _("— Không cấp số đến —")

    def clean_number_symbol(self) -> tuple[str, str]:
        try:
            number, symbol = split_number_symbol(self.cleaned_data["number_symbol"])
        except ValueError:
            raise forms.ValidationError(
                _("Số, ký hiệu không đúng dạng (ví dụ 64/KH-SKHCN, 60/2021/NĐ-CP, 12-NQ/TU).")
            ) from None
        if len(number) > 32 or len(symbol) > 64:
            raise forms.ValidationError(_("Số, ký hiệu quá dài."))
        return number, symbol

    def clean_excerpt(self) -> str:
        excerpt = " ".join(self.cleaned_data["excerpt"].split())
        if not excerpt:
            raise forms.ValidationError(_("Vui lòng nhập trích yếu văn bản."))
        return excerpt

    def clean_file(self):
        return _check_file(self.cleaned_data.get("file"))


class ReferenceForm(forms.Form):
    text = forms.CharField(
        label=_("Đoạn văn bản"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Dán đoạn báo cáo hoặc văn bản; hệ thống tìm các văn bản được trích dẫn."),
        error_messages={
            "required": _("Vui lòng dán đoạn văn bản cần tìm."),
            "max_length": _("Đoạn văn bản quá dài (tối đa 200.000 ký tự)."),
        },
    )
    wide_fields = ("text",)
