"""Pages that edit a procedure's parts (components, fees, internal process) and the download of a component's form
file. Scoped like the rest of the catalogue (cchc.agencies.scoping, permission "procedure.edit"); the changes go
through procedures.parts, which checks and audits them."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from cchc.agencies import scoping

from . import parts, services
from .forms_parts import ComponentFormSet, FeeFormSet, ProcessForm, StepFormSet
from .models import Component, Procedure

PAGES = {
    "components": {
        "formset": ComponentFormSet,
        "prefix": "tp",
        "title": _lazy("Thành phần hồ sơ"),
        "columns": ("position", "name", "originals", "copies", "mandatory", "form_name", "form_file", "note"),
        "help": _lazy("Mỗi dòng là một giấy tờ người nộp phải nộp; đánh dấu “Bắt buộc” nếu thiếu thì không tiếp nhận."),
    },
    "fees": {
        "formset": FeeFormSet,
        "prefix": "phi",
        "title": _lazy("Phí, lệ phí"),
        "columns": ("position", "kind", "name", "amount", "rule", "legal_basis"),
        "help": _lazy("Mỗi khoản thu ghi mức thu cố định (đồng) hoặc cách tính khi mức thu phụ thuộc hồ sơ."),
    },
    "steps": {
        "formset": StepFormSet,
        "prefix": "buoc",
        "title": _lazy("Quy trình nội bộ"),
        "columns": (
            "position",
            "name",
            "role",
            "unit",
            "duration",
            "duration_unit",
            "is_approval",
            "external_agency",
            "external_name",
        ),
        "help": _lazy(
            "Các bước theo thứ tự; một bước phê duyệt kết quả (lãnh đạo ký); bước liên thông ghi cơ quan "
            "giữ hồ sơ ở bước đó."
        ),
    },
}


def _editable(request: HttpRequest, pk: int) -> Procedure:
    procedure = scoping.get_scoped_or_404(Procedure.objects.select_related("agency", "field"), request.user, pk=pk)
    scoping.require(request.user, "procedure.edit", procedure.agency)
    return procedure


@login_required
@require_http_methods(["GET", "POST"])
def edit_part(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    page = PAGES[part]
    procedure = _editable(request, pk)
    kind = page["formset"].kind
    process_form = (
        ProcessForm(request.POST or None, initial={"internal_process_decision": procedure.internal_process_decision})
        if part == "steps"
        else None
    )
    formset = page["formset"](
        request.POST or None,
        request.FILES or None,
        procedure=procedure,
        prefix=page["prefix"],
        initial=parts.part_rows(procedure, kind),
    )
    if request.method == "POST":
        valid = formset.is_valid() and (process_form is None or process_form.is_valid())
        if valid:
            try:
                with transaction.atomic():
                    changed = parts.replace_part(procedure, kind, formset.rows(), request.user)
                    decision = process_form.cleaned_data if process_form is not None else {}
                    if decision and services.changed_fields(procedure, decision):
                        services.update_procedure(Procedure.objects.get(pk=procedure.pk), decision, request.user)
                        changed = True
            except parts.PartsInvalid as exc:
                formset.non_form_errors().extend(exc.messages)  # a row changed under us (another tab)
            else:
                if changed:
                    messages.success(
                        request,
                        _("Đã lưu %(part)s của thủ tục %(code)s.")
                        % {"part": str(page["title"]).lower(), "code": procedure.code},
                    )
                else:
                    messages.info(request, _("Không có thay đổi nào."))
                return redirect("procedures:detail", pk=procedure.pk)
    context = {
        "procedure": procedure,
        "formset": formset,
        "process_form": process_form,
        "page": page,
        "part": part,
        "time_rule": parts.time_rule(procedure) if part == "steps" else "",
    }
    return render(request, "procedures/parts_form.html", context)


@login_required
def component_file(request: HttpRequest, pk: int) -> FileResponse:
    """The form file of a component, to whoever may read the procedure."""
    component = scoping.get_scoped_or_404(
        Component.objects.select_related("procedure"), request.user, agency_field="procedure__agency", pk=pk
    )
    if not component.form_file:
        raise Http404(_("Thành phần hồ sơ chưa có tệp mẫu."))
    try:
        handle = component.form_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Không tìm thấy tệp mẫu.")) from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(component.form_file.name))
