"""The forms of the step moves and of the desk's return. They check what a person typed; the rules of the moves are
in services.py and come back as messages on the form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.documents.forms import DateInput, RegisterChoiceField, _check_file
from cchc.documents.models import Direction, DocumentKind, Register

from ..models import Channel


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


NOTE_LABEL = _("Ghi chú")


def _note(label=NOTE_LABEL, required=False, message=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": message or _("Vui lòng nhập nội dung."), "max_length": _("Tối đa 2.000 ký tự.")},
    )


class MoveForm(forms.Form):
    """No field: a confirmation (take, send out)."""

    def __init__(self, *args, people=None, queue_label="", agency=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        return {}


class NoteForm(MoveForm):
    note = _note()

    def service_data(self) -> dict:
        return {"note": self.cleaned_data["note"]}


class HandOnForm(NoteForm):
    """Forward, approve, receive back: to a person of the next step's role, or its queue."""

    to_user = PersonField(label=_("Người nhận"), queryset=None, required=False)

    def __init__(self, *args, people=None, queue_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["to_user", "note"])
        # No next step (the last one) or nobody for it: the choice is only the queue, never a crash.
        self.fields["to_user"].queryset = people if people is not None else get_user_model().objects.none()
        self.fields["to_user"].empty_label = queue_label or _("— Chuyển vào hàng chờ —")
        self.fields["to_user"].error_messages["invalid_choice"] = _("Người nhận không hợp lệ.")

    def service_data(self) -> dict:
        return {"note": self.cleaned_data["note"], "to_user": self.cleaned_data["to_user"]}


class ApproveForm(HandOnForm):
    result_digitised = forms.BooleanField(label=_("Kết quả đã số hóa"), required=False)

    def service_data(self) -> dict:
        return {**super().service_data(), "result_digitised": self.cleaned_data["result_digitised"]}


class SendBackForm(MoveForm):
    reason = _note(_("Lý do trả lại"), required=True, message=_("Phải nêu rõ lý do trả lại bước trước."))

    def service_data(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class ReassignForm(NoteForm):
    to_user = PersonField(
        label=_("Giao cho"), queryset=None, error_messages={"required": _("Hãy chọn người nhận xử lý.")}
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["to_user", "note"])
        self.fields["to_user"].queryset = people if people is not None else get_user_model().objects.none()
        self.fields["to_user"].empty_label = _("— Chọn người —")

    def service_data(self) -> dict:
        return {"note": self.cleaned_data["note"], "to_user": self.cleaned_data["to_user"]}


def _registers(agency):
    return Register.objects.filter(agency=agency, direction=Direction.OUTGOING, is_active=True).order_by("name")


class NumberForm(MoveForm):
    register = RegisterChoiceField(
        label=_("Sổ văn bản đi"), queryset=Register.objects.none(),
        error_messages={"required": _("Hãy chọn sổ văn bản đi."), "invalid_choice": _("Sổ văn bản không hợp lệ.")},
    )  # fmt: skip
    document_kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices, initial=DocumentKind.OTHER)
    issued_on = forms.DateField(
        label=_("Ngày ký"), widget=DateInput(),
        error_messages={"required": _("Vui lòng nhập ngày ký."), "invalid": _("Ngày không hợp lệ.")},
    )  # fmt: skip
    file = forms.FileField(label=_("Tệp kết quả"), required=False)

    def __init__(self, *args, agency=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("issued_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = _registers(agency)

    def clean_file(self):
        return _check_file(self.cleaned_data.get("file"))

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {"register": data["register"], "document_kind": data["document_kind"], "issued_on": data["issued_on"],
                "file": data.get("file")}  # fmt: skip


class ReturnForm(forms.Form):
    """The desk's return: the result's number and date (typed, or issued from a register), its file, electronic or
    not, how it was returned and to whom."""

    register = RegisterChoiceField(
        label=_("Cấp số từ sổ văn bản đi"), queryset=Register.objects.none(), required=False,
        error_messages={"invalid_choice": _("Sổ văn bản không hợp lệ.")},
    )  # fmt: skip
    document_kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices, initial=DocumentKind.OTHER)
    number = forms.CharField(label=_("Số, ký hiệu kết quả"), max_length=64, required=False)
    issued_on = forms.DateField(
        label=_("Ngày ký"), widget=DateInput(), required=False, error_messages={"invalid": _("Ngày không hợp lệ.")}
    )
    file = forms.FileField(label=_("Tệp kết quả"), required=False)
    electronic = forms.BooleanField(label=_("Kết quả điện tử"), required=False)
    return_channel = forms.TypedChoiceField(
        label=_("Hình thức trả"), choices=Channel.choices, coerce=int,
        error_messages={
            "required": _("Hãy chọn hình thức trả kết quả."), "invalid_choice": _("Hình thức không hợp lệ.")},
    )  # fmt: skip
    returned_to = forms.CharField(
        label=_("Người nhận kết quả"), max_length=255,
        error_messages={"required": _("Phải ghi người nhận kết quả.")},
    )  # fmt: skip
    note = _note()

    def __init__(self, *args, dossier, may_issue: bool, result=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("return_channel", dossier.result_channel)
        initial.setdefault("returned_to", dossier.applicant_name)
        initial.setdefault("electronic", dossier.result_digitised)
        super().__init__(*args, **kwargs)
        self.numbered = bool(result and result.number)
        if may_issue and not self.numbered:
            self.fields["register"].queryset = _registers(dossier.agency)
            self.fields["register"].empty_label = _("— Không cấp số, nhập số đã có —")
        else:
            del self.fields["register"], self.fields["document_kind"]
        if self.numbered:
            del self.fields["number"], self.fields["issued_on"]

    def clean_file(self):
        return _check_file(self.cleaned_data.get("file"))

    def clean(self):
        data = super().clean()
        if not self.numbered and not data.get("register"):
            if not (data.get("number") or "").strip():
                self.add_error("number", _("Phải ghi số, ký hiệu của kết quả (hoặc chọn sổ để cấp số)."))
            if not data.get("issued_on") and "issued_on" not in self.errors:
                self.add_error("issued_on", _("Phải ghi ngày ký của kết quả."))
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "register": data.get("register"),
            "document_kind": data.get("document_kind") or "",
            "number": data.get("number") or "",
            "issued_on": data.get("issued_on"),
            "file": data.get("file"),
            "electronic": data["electronic"],
            "return_channel": data["return_channel"],
            "returned_to": data["returned_to"],
            "note": data["note"],
        }


MOVE_FORMS = {
    "take": MoveForm,
    "forward": HandOnForm,
    "approve": ApproveForm,
    "send_back": SendBackForm,
    "reassign": ReassignForm,
    "send_out": NoteForm,
    "receive_back": HandOnForm,
    "number": NumberForm,
}
