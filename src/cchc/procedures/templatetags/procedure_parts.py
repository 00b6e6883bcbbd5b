"""Filters that show a procedure's parts the Vietnamese way: "1.500.000 đồng", "0,5 ngày làm việc"."""

from __future__ import annotations

from django import template

from cchc.procedures import parts

register = template.Library()


@register.filter
def dong(amount) -> str:
    return parts.amount_text(amount)


@register.filter
def step_time(step) -> str:
    return parts.duration_text(step.duration, step.duration_unit)


@register.filter
def steps_total(steps) -> str:
    return parts.steps_total_text(steps)


@register.filter
def get_field(form, name: str):
    """form|get_field:"name": the bound field, for tables whose columns are listed by the view."""
    return form[name]
