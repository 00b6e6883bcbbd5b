"""Forms of the PAR Index pages. They check the shape of the input; the rules (sums, phases, who may, a reason for an
override) live in the services and come back as ValidationError messages the views put on the form."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cchc.agencies.models import Agency, Province
from cchc.tablefiles import upload_problem

from . import evidence
from .models import AgencyGroup, AppraiserRole, EvidenceKind, RuleKind, Section
from .rules import RuleError
from .ruletext import parse_params

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
EVIDENCE_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".zip", ".jpg", ".jpeg", ".png",
                       ".txt")  # fmt: skip
POINTS = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal("0")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def apply_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            name = (rename or {}).get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def _points(label, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        **POINTS,
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "input--narrow"}),
        error_messages={
            "required": _("Vui lòng nhập điểm."),
            "invalid": _("Điểm phải là một số."),
            "min_value": _("Điểm không được âm."),
            "max_decimal_places": _("Điểm ghi tối đa hai chữ số thập phân."),
        },
    )


class FrameworkForm(forms.Form):
    name = forms.CharField(label=_("Tên bộ tiêu chí"), max_length=300)
    year = forms.IntegerField(
        label=_("Năm đánh giá"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Vui lòng nhập năm đánh giá.")},
    )
    group = forms.ChoiceField(label=_("Nhóm cơ quan"), choices=AgencyGroup.choices)
    decision_number = forms.CharField(
        label=_("Số quyết định ban hành"), max_length=64, required=False, help_text=_("Ví dụ 2345/QĐ-UBND.")
    )
    decision_date = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DateInput())
    self_deadline = forms.DateField(
        label=_("Hạn khóa tự chấm"), required=False, widget=DateInput(), help_text=_("Sau ngày này bảng điểm tự khóa.")
    )
    round1_deadline = forms.DateField(label=_("Hạn thẩm định lần 1"), required=False, widget=DateInput())
    explanation_days = forms.IntegerField(
        label=_("Số ngày làm việc để giải trình"), min_value=1, max_value=60, initial=5
    )
    round2_deadline = forms.DateField(label=_("Hạn thẩm định lần 2"), required=False, widget=DateInput())
    is_template = forms.BooleanField(label=_("Mẫu để điều chỉnh (chưa theo quyết định của tỉnh)"), required=False)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    wide_fields = ("name", "notes")


class FrameworkCreateForm(FrameworkForm):
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=Province.objects.none())
    field_order = ["province"]

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        if provinces.count() == 1:
            self.fields["province"].initial = provinces.first()


class ImportForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=Province.objects.none())
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2000, max_value=2100)
    group = forms.ChoiceField(label=_("Nhóm cơ quan"), choices=AgencyGroup.choices)
    name = forms.CharField(
        label=_("Tên bộ tiêu chí"), max_length=300, required=False, help_text=_("Để trống để lấy dòng đầu của tệp.")
    )
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"), error_messages={"required": _("Vui lòng chọn tệp.")})

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        if provinces.count() == 1:
            self.fields["province"].initial = provinces.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() != ".xlsx":
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 10 MB."))
        problem = upload_problem(upload, ".xlsx")
        upload.seek(0)
        if problem:
            raise forms.ValidationError(problem)
        return upload


def evaluator_choices(current: str = "") -> list[tuple[str, str]]:
    choices = [("", _("Không (chấm trực tiếp hoặc theo tài liệu)"))]
    choices += sorted(((name, str(spec.label)) for name, spec in evidence.REGISTRY.items()), key=lambda c: c[1])
    if current and current not in evidence.REGISTRY:
        choices.append((current, _("Bộ đánh giá chưa có trong phiên bản cchc này")))
    return choices


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=32, widget=forms.TextInput(attrs={"class": "input--narrow"}))
    title = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    max_points = _points(_("Điểm tối đa"))
    order = forms.IntegerField(label=_("Thứ tự trong mục cha"), min_value=0, required=False)
    section = forms.ChoiceField(
        label=_("Phần"),
        choices=Section.choices,
        required=False,
        help_text=_("Chỉ chọn ở lĩnh vực (mục cấp 1); mục con theo phần của mục cha."),
    )
    rule = forms.ChoiceField(label=_("Cách chấm"), choices=RuleKind.choices)
    rule_params = forms.CharField(
        label=_("Mức điểm"), required=False, max_length=500,
        help_text=_("Theo mức: «100%: 2; 80%: 1»; theo thời hạn: «chậm: 0,5»; đạt/không đạt: «ngưỡng: 95%»; "
                    "theo tỷ lệ: «mục tiêu: 4; bước: 0,25»."),
    )  # fmt: skip
    evidence_required = forms.CharField(
        label=_("Tài liệu kiểm chứng"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    appraiser_role = forms.ChoiceField(label=_("Cơ quan thẩm định"), choices=AppraiserRole.choices)
    evaluator = forms.ChoiceField(label=_("cchc tự đề xuất điểm từ"), required=False)
    evaluator_params = forms.CharField(label=_("Tham số đánh giá (JSON)"), required=False, max_length=1000)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    wide_fields = ("title", "evidence_required", "notes", "rule_params")

    def __init__(self, *args, current_evaluator: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].choices = evaluator_choices(current_evaluator)

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        if rule:
            try:
                data["rule_params"] = parse_params(rule, data.get("rule_params", ""))
            except RuleError as exc:
                self.add_error("rule_params", str(exc))
        raw = (data.get("evaluator_params") or "").strip()
        try:
            params = json.loads(raw) if raw else {}
            if not isinstance(params, dict):
                raise ValueError
            data["evaluator_params"] = params
        except ValueError:
            self.add_error("evaluator_params", _('Ghi dạng JSON, ví dụ {"which": "result"}.'))
        return data


class TiersForm(forms.Form):
    tiers = forms.CharField(
        label=_("Các mức xếp loại"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một mức, từ cao xuống thấp: «Tốt: 85» nghĩa là chỉ số từ 85 %."),
    )

    def clean_tiers(self) -> list[tuple[str, Decimal | None]]:
        out = []
        for line in self.cleaned_data["tiers"].splitlines():
            if not line.strip():
                continue
            name, _sep, threshold = line.rpartition(":")
            if not _sep:
                raise ValidationError(_("Dòng “%(line)s”: ghi «tên: ngưỡng», ví dụ «Khá: 70».") % {"line": line})
            try:
                value = Decimal(threshold.strip().replace("%", "").replace(",", "."))
            except ArithmeticError:
                raise ValidationError(_("Dòng “%(line)s”: ngưỡng phải là một số.") % {"line": line}) from None
            out.append((name.strip(), value))
        return out


class AppraisersForm(forms.Form):
    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        for role, label in AppraiserRole.choices:
            if role == AppraiserRole.HOME_AFFAIRS:
                continue
            self.fields[role] = forms.ModelChoiceField(
                label=label, queryset=agencies, required=False, empty_label=_("— Sở Nội vụ thẩm định thay —")
            )


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Năm đánh giá mới"), min_value=2000, max_value=2100)
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=Province.objects.none(), required=False)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces


class SheetCreateForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"), queryset=Agency.objects.none(), required=False, empty_label=_("Tất cả cơ quan của nhóm")
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class SelfScoreForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())
    accept = forms.BooleanField(label=_("Lấy điểm cchc đề xuất"), required=False)
    points = _points(_("Điểm tự chấm"), required=False)
    note = forms.CharField(
        label=_("Ghi chú, giải trình của cơ quan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc giải trình khi tiêu chí có điểm mà chưa có tài liệu kiểm chứng."),
    )
    override_reason = forms.CharField(
        label=_("Lý do chấm khác đề xuất"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    wide_fields = ("note", "override_reason")


class AppraiseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())
    points = _points(_("Điểm thẩm định"))
    note = forms.CharField(
        label=_("Ý kiến thẩm định"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi điểm thẩm định khác điểm được thẩm định."),
    )
    wide_fields = ("note",)


class ExplainForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())
    text = forms.CharField(
        label=_("Nội dung giải trình"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Vui lòng nhập nội dung giải trình.")},
    )
    wide_fields = ("text",)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại tài liệu"), choices=EvidenceKind.choices, widget=forms.RadioSelect, initial=EvidenceKind.FILE
    )
    title = forms.CharField(
        label=_("Tên tài liệu"),
        max_length=500,
        required=False,
        help_text=_("Để trống khi chọn dữ liệu trong cchc: lấy tên của dữ liệu."),
    )
    file = forms.FileField(label=_("Tệp"), required=False)
    url = forms.URLField(label=_("Đường dẫn"), required=False, max_length=1000, assume_scheme="https")
    ref = forms.ChoiceField(label=_("Dữ liệu trong cchc"), required=False)
    wide_fields = ("title", "ref")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ref"].choices = [("", _("— Chọn văn bản, kế hoạch, báo cáo —"))] + [
            (c.key, c.label) for c in choices
        ]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return upload
        if Path(upload.name or "").suffix.lower() not in EVIDENCE_EXTENSIONS:
            raise forms.ValidationError(_("Chỉ nhận tệp PDF, Word, Excel, ZIP, ảnh hoặc văn bản."))
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 50 MB."))
        return upload


class MoveForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=500)
    decision = forms.CharField(
        label=_("Quyết định công bố kết quả"),
        required=False,
        max_length=255,
        help_text=_("Ví dụ Quyết định số 456/QĐ-UBND ngày 20/3/2024."),
    )
