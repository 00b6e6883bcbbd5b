"""The reception checklist: one line per component of the chosen procedure (received, originals, copies,
digitised) and one per fee (collected, amount, receipt number, online or at the desk), prefilled from the catalogue.
Its fields are named after the component's and fee's ids, so the page can load it for the chosen procedure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.procedures.forms_parts import DecimalCommaField
from cchc.procedures.models import Component, Fee, Procedure

from .reception import Collected, HandedIn

PAID_AT_DESK, PAID_ONLINE = "quay", "truc-tuyen"


@dataclass
class ComponentLine:
    component: Component
    received: forms.BoundField
    originals: forms.BoundField
    copies: forms.BoundField
    digitised: forms.BoundField


@dataclass
class FeeLine:
    fee: Fee
    collected: forms.BoundField
    amount: forms.BoundField
    receipt_number: forms.BoundField
    method: forms.BoundField


def _count(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=99,
        required=False,
        widget=forms.NumberInput(attrs={"class": "input--narrow"}),
        error_messages={
            "invalid": _("Nhập số nguyên."),
            "min_value": _("Không được âm."),
            "max_value": _("Tối đa 99 bản."),
        },
    )


class ChecklistForm(forms.Form):
    def __init__(self, *args, procedure: Procedure | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.components = list(procedure.components.order_by("position")) if procedure else []
        self.fees = list(procedure.fee_items.order_by("position")) if procedure else []
        for c in self.components:
            self.fields[f"tp_{c.pk}_nhan"] = forms.BooleanField(label=_("Đã nhận"), required=False)
            self.fields[f"tp_{c.pk}_ban_chinh"] = _count(_("Số bản chính"))
            self.fields[f"tp_{c.pk}_ban_sao"] = _count(_("Số bản sao"))
            self.fields[f"tp_{c.pk}_so_hoa"] = forms.BooleanField(label=_("Đã số hóa"), required=False)
            self.initial.setdefault(f"tp_{c.pk}_ban_chinh", c.originals)
            self.initial.setdefault(f"tp_{c.pk}_ban_sao", c.copies)
        for f in self.fees:
            self.fields[f"phi_{f.pk}_thu"] = forms.BooleanField(label=_("Đã thu"), required=False)
            self.fields[f"phi_{f.pk}_so_tien"] = DecimalCommaField(
                label=_("Số tiền (đồng)"), required=False, grouped=True
            )
            self.fields[f"phi_{f.pk}_bien_lai"] = forms.CharField(label=_("Số biên lai"), required=False, max_length=64)
            self.fields[f"phi_{f.pk}_hinh_thuc"] = forms.ChoiceField(
                label=_("Hình thức nộp"), choices=[(PAID_AT_DESK, _("Tại quầy")), (PAID_ONLINE, _("Trực tuyến"))]
            )
            self.initial.setdefault(f"phi_{f.pk}_so_tien", f.amount)
            self.initial.setdefault(f"phi_{f.pk}_thu", bool(f.amount))

    def component_lines(self) -> list[ComponentLine]:
        return [
            ComponentLine(
                c,
                self[f"tp_{c.pk}_nhan"],
                self[f"tp_{c.pk}_ban_chinh"],
                self[f"tp_{c.pk}_ban_sao"],
                self[f"tp_{c.pk}_so_hoa"],
            )
            for c in self.components
        ]

    def fee_lines(self) -> list[FeeLine]:
        return [
            FeeLine(
                f,
                self[f"phi_{f.pk}_thu"],
                self[f"phi_{f.pk}_so_tien"],
                self[f"phi_{f.pk}_bien_lai"],
                self[f"phi_{f.pk}_hinh_thuc"],
            )
            for f in self.fees
        ]

    def clean(self):
        data = super().clean()
        for c in self.components:
            if data.get(f"tp_{c.pk}_nhan") and not (data.get(f"tp_{c.pk}_ban_chinh") or data.get(f"tp_{c.pk}_ban_sao")):
                self.add_error(f"tp_{c.pk}_ban_chinh", _("Ghi số bản chính hoặc bản sao đã nhận."))
        for f in self.fees:
            if not data.get(f"phi_{f.pk}_thu"):
                continue
            amount = data.get(f"phi_{f.pk}_so_tien")
            if amount is None:
                self.add_error(f"phi_{f.pk}_so_tien", _("Nhập số tiền đã thu."))
            elif amount < 0 or amount != amount.to_integral_value():
                self.add_error(f"phi_{f.pk}_so_tien", _("Số tiền là số đồng nguyên, không âm."))
        return data

    def handed_in(self) -> list[HandedIn]:
        data = self.cleaned_data
        return [
            HandedIn(
                c,
                bool(data.get(f"tp_{c.pk}_nhan")),
                data.get(f"tp_{c.pk}_ban_chinh") or 0,
                data.get(f"tp_{c.pk}_ban_sao") or 0,
                bool(data.get(f"tp_{c.pk}_so_hoa")),
            )
            for c in self.components
        ]

    def collected(self) -> list[Collected]:
        data = self.cleaned_data
        return [
            Collected(
                f,
                Decimal(data[f"phi_{f.pk}_so_tien"]),
                data.get(f"phi_{f.pk}_bien_lai", "").strip(),
                data.get(f"phi_{f.pk}_hinh_thuc") == PAID_ONLINE,
            )
            for f in self.fees
            if data.get(f"phi_{f.pk}_thu")
        ]
