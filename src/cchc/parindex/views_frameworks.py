"""Pages of the criteria sets: the PAR Index home, the frameworks, one framework with its tree and its edit forms,
an item, import and export. Thin: the services decide; a framework of another province is a 404, an edit by someone
who is not the province's Sở Nội vụ a 403."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cchc.agencies.models import Agency, Province

from . import defaults, evidence, frameworks, permissions, sheets, validation
from .forms import (
    AppraisersForm,
    CopyForm,
    FrameworkCreateForm,
    FrameworkForm,
    ImportForm,
    ItemForm,
    SheetCreateForm,  # fmt: skip
    TiersForm,
    apply_errors,
)
from .io import framework_xlsx
from .models import AppraiserRole, Framework, Item, Phase, Section
from .ruletext import params_text
from .timeline import framework_entries
from .tree import build, walk


def framework_or_404(request: HttpRequest, pk: int) -> Framework:
    return get_object_or_404(permissions.frameworks_visible(request.user).select_related("province", "copied_from"),
                             pk=pk)  # fmt: skip


def item_or_404(request: HttpRequest, pk: int) -> Item:
    visible = permissions.frameworks_visible(request.user)
    return get_object_or_404(Item.objects.select_related("framework", "parent").filter(framework__in=visible), pk=pk)


def _lead_provinces(user):
    if user.is_superuser:
        return Province.objects.all()
    return Province.objects.filter(pk__in=permissions.lead_provinces(user))


def evaluator_label(name: str) -> str:
    if not name:
        return ""
    spec = evidence.REGISTRY.get(name)
    return str(spec.label) if spec else _("Bộ đánh giá chưa có trong phiên bản cchc này")


def index(request: HttpRequest) -> HttpResponse:
    """The home of the PAR Index: the user's own sheets, the sheets to appraise, the frameworks."""
    defaults.load()
    user = request.user
    visible = permissions.sheets_visible(user).select_related("agency", "framework")
    own_ids = {m.agency_id for m in user.memberships.all()}
    own = [s for s in visible if s.agency_id in own_ids]
    others = [s for s in visible if s.agency_id not in own_ids]
    framework_list = list(permissions.frameworks_visible(user).select_related("province"))
    openable = []
    for framework in framework_list:
        if framework.province_id is None:
            continue
        for agency in sheets.scored_agencies(framework).filter(pk__in=own_ids):
            if permissions.may_prepare(user, _sheet_stub(framework, agency)) and not any(
                s.framework_id == framework.pk and s.agency_id == agency.pk for s in own
            ):
                openable.append((framework, agency))
    return render(request, "parindex/index.html", {
        "own": own, "others": others, "frameworks": framework_list, "openable": openable,
        "may_create": permissions.may_create_framework(user),
    })  # fmt: skip


def _sheet_stub(framework, agency):
    from .models import Sheet

    return Sheet(framework=framework, agency=agency)


def framework_list(request: HttpRequest) -> HttpResponse:
    defaults.load()
    found = permissions.frameworks_visible(request.user).select_related("province", "copied_from")
    return render(request, "parindex/frameworks.html", {
        "frameworks": found, "may_create": permissions.may_create_framework(request.user),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
def framework_create(request: HttpRequest) -> HttpResponse:
    if not permissions.may_create_framework(request.user):
        raise PermissionDenied(_("Chỉ Sở Nội vụ của tỉnh lập bộ tiêu chí."))
    provinces = _lead_provinces(request.user)
    form = FrameworkCreateForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        province = data.pop("province")
        try:
            framework = frameworks.create_framework(province, request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lập bộ tiêu chí “%(name)s”.") % {"name": framework.name})
            return redirect("parindex:framework", pk=framework.pk)
    return render(request, "parindex/framework_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def framework_import(request: HttpRequest) -> HttpResponse:
    if not permissions.may_create_framework(request.user):
        raise PermissionDenied(_("Chỉ Sở Nội vụ của tỉnh nhập bộ tiêu chí."))
    form = ImportForm(request.POST or None, request.FILES or None, provinces=_lead_provinces(request.user))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            result = framework_xlsx.import_framework(
                upload.read(), request.user, province=data["province"], year=data["year"], group=data["group"],
                filename=upload.name, name=data["name"],
            )  # fmt: skip
        except framework_xlsx.FrameworkImportError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Đã nhập %(n)s mục của bộ tiêu chí.") % {"n": result.items})
            for warning in result.warnings[:20]:
                messages.warning(request, warning)
            return redirect("parindex:framework", pk=result.framework.pk)
    return render(request, "parindex/import.html", {"form": form, "problems": problems})


def tree_rows(framework: Framework) -> list[dict]:
    rows = []
    for node in walk(build(framework.items.all())):
        item = node.item
        rows.append({"node": node, "item": item, "params": params_text(item.rule, item.rule_params),
                     "evaluator": evaluator_label(item.evaluator)})  # fmt: skip
    return rows


def _forms(framework: Framework, request: HttpRequest) -> dict:
    appraisers = dict(framework.appraisers.values_list("role", "agency_id"))
    agencies = Agency.objects.filter(province_id=framework.province_id).order_by("name")
    tiers = "\n".join(f"{t.name}: {t.min_index.normalize():f}".replace(".", ",")
                      for t in framework.tiers.order_by("order", "-min_index"))  # fmt: skip
    initial = {name: getattr(framework, name) for name in frameworks.FRAMEWORK_FIELDS}
    return {
        "edit_form": FrameworkForm(initial=initial),
        "tiers_form": TiersForm(initial={"tiers": tiers}),
        "appraisers_form": AppraisersForm(agencies=agencies, initial=appraisers),
        "item_form": ItemForm(
            initial={"rule": "manual", "appraiser_role": AppraiserRole.HOME_AFFAIRS, "section": Section.SCORED}
        ),  # fmt: skip
        "copy_form": CopyForm(
            provinces=_lead_provinces(request.user),
            initial={
                "year": (framework.year or 2024) + 1 if framework.year else None,
                "province": framework.province_id,
            },
        ),  # fmt: skip
        "sheet_form": SheetCreateForm(
            agencies=sheets.scored_agencies(framework) if framework.province_id else Agency.objects.none()
        ),  # fmt: skip
    }


def framework_page(request: HttpRequest, framework: Framework, **bound) -> HttpResponse:
    user = request.user
    may_edit = permissions.may_edit_framework(user, framework)
    shown_sheets = list(sheets.sheets_of_framework(framework, user)) if framework.pk else []
    own_ids = {m.agency_id for m in user.memberships.all()}
    own_missing = []
    if framework.province_id:
        own_missing = [a for a in sheets.scored_agencies(framework).filter(pk__in=own_ids)
                       if not any(s.agency_id == a.pk for s in shown_sheets)
                       and permissions.may_prepare(user, _sheet_stub(framework, a))]  # fmt: skip
    context = {
        "framework": framework, "rows": tree_rows(framework), "may_edit": may_edit,
        "frozen": frameworks.is_frozen(framework), "problems": validation.problems_of(framework),
        "tiers": framework.tiers.order_by("order", "-min_index"),
        "appraisers": framework.appraisers.select_related("agency").order_by("role"),
        "sheets": shown_sheets, "own_missing": own_missing, "is_lead": permissions.is_lead(user, framework),
        "history": framework_entries(framework) if may_edit else [], "maximum": frameworks.roots_total(framework),
        "may_copy": permissions.may_create_framework(user),
        "unknown": validation.unknown_evaluators(build(framework.items.all())),
    }  # fmt: skip
    context.update(_forms(framework, request))
    context.update(bound)
    return render(request, "parindex/framework.html", context)


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return framework_page(request, framework_or_404(request, pk))


@require_POST
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_or_404(request, pk)
    frameworks.require_editor(request.user, framework)
    form = FrameworkForm(request.POST)
    if form.is_valid():
        try:
            frameworks.update_framework(framework, request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin bộ tiêu chí."))
            return redirect("parindex:framework", pk=framework.pk)
    framework.refresh_from_db()
    return framework_page(request, framework, edit_form=form, open_form="edit")


@require_POST
def framework_tiers(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_or_404(request, pk)
    frameworks.require_editor(request.user, framework)
    form = TiersForm(request.POST)
    if form.is_valid():
        try:
            frameworks.set_tiers(framework, form.cleaned_data["tiers"], request.user)
        except ValidationError as exc:
            apply_errors(form, exc, {"__all__": "tiers"})
        else:
            messages.success(request, _("Đã lưu các mức xếp loại."))
            return redirect("parindex:framework", pk=framework.pk)
    return framework_page(request, framework, tiers_form=form, open_form="tiers")


@require_POST
def framework_appraisers(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_or_404(request, pk)
    frameworks.require_editor(request.user, framework)
    agencies = Agency.objects.filter(province_id=framework.province_id).order_by("name")
    form = AppraisersForm(request.POST, agencies=agencies)
    if form.is_valid():
        try:
            frameworks.set_appraisers(framework, dict(form.cleaned_data), request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu các cơ quan thẩm định."))
            return redirect("parindex:framework", pk=framework.pk)
    return framework_page(request, framework, appraisers_form=form, open_form="appraisers")


def _item_data(form: ItemForm) -> dict:
    data = dict(form.cleaned_data)
    if data.get("order") is None:
        data.pop("order", None)
    if not data.get("section"):
        data.pop("section", None)
    return data


@require_POST
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_or_404(request, pk)
    frameworks.require_editor(request.user, framework)
    parent = None
    if request.POST.get("parent", "").isdigit():
        parent = get_object_or_404(Item, pk=int(request.POST["parent"]), framework=framework)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            item = frameworks.add_item(framework, request.user, parent=parent, **_item_data(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm mục %(code)s.") % {"code": item.code})
            return redirect("parindex:item", pk=item.pk) if parent else redirect("parindex:framework", pk=pk)
    if parent is not None:
        return item_page(request, parent, child_form=form)
    return framework_page(request, framework, item_form=form, open_form="item")


@require_POST
def framework_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = framework_or_404(request, pk)
    if not permissions.may_create_framework(request.user):
        raise PermissionDenied(_("Chỉ Sở Nội vụ của tỉnh sao chép bộ tiêu chí."))
    form = CopyForm(request.POST, provinces=_lead_provinces(request.user))
    if form.is_valid():
        try:
            copy = frameworks.copy_framework(source, request.user, province=form.cleaned_data["province"],
                                             year=form.cleaned_data["year"])  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã sao chép thành “%(name)s”.") % {"name": copy.name})
            return redirect("parindex:framework", pk=copy.pk)
    return framework_page(request, source, copy_form=form, open_form="copy")


@require_POST
def sheet_create(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_or_404(request, pk)
    if framework.province_id is None:
        raise PermissionDenied(_("Bộ tiêu chí mẫu không dùng để chấm điểm."))
    agencies = sheets.scored_agencies(framework)
    form = SheetCreateForm(request.POST, agencies=agencies)
    if not form.is_valid():
        return framework_page(request, framework, sheet_form=form)
    agency = form.cleaned_data["agency"]
    lead = permissions.is_lead(request.user, framework)
    if agency is None and not lead:
        own = [a for a in agencies if permissions.may_prepare(request.user, _sheet_stub(framework, a))]
        if not own:
            raise PermissionDenied(_("Bạn không có quyền lập bảng điểm theo bộ tiêu chí này."))
        targets = own[:1]
    else:
        targets = [agency] if agency is not None else list(agencies)
    opened = None
    try:
        for target in targets:
            opened = sheets.open_sheet(framework, target, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("parindex:framework", pk=framework.pk)
    if len(targets) == 1 and opened is not None:
        return redirect("parindex:sheet", pk=opened.pk)
    messages.success(request, _("Đã lập bảng điểm cho %(n)s cơ quan.") % {"n": len(targets)})
    return redirect("parindex:framework", pk=framework.pk)


def framework_export(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_or_404(request, pk)
    response = HttpResponse(
        framework_xlsx.export_framework(framework),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{framework_xlsx.file_name(framework)}"'
    return response


# --- one item ------------------------------------------------------------------------------------------------


def item_page(request: HttpRequest, item: Item, **bound) -> HttpResponse:
    framework = item.framework
    may_edit = permissions.may_edit_framework(request.user, framework)
    initial = {
        name: getattr(item, name)
        for name in (
            "code",
            "title",
            "max_points",
            "order",
            "section",
            "rule",
            "evidence_required",
            "appraiser_role",
            "evaluator",
            "notes",
        )
    }
    initial["rule_params"] = params_text(item.rule, item.rule_params)
    initial["evaluator_params"] = json.dumps(item.evaluator_params, ensure_ascii=False) if item.evaluator_params else ""
    children = list(item.children.order_by("order", "code"))
    context = {
        "item": item, "framework": framework, "may_edit": may_edit, "frozen": frameworks.is_frozen(framework),
        "params": params_text(item.rule, item.rule_params), "evaluator": evaluator_label(item.evaluator),
        "children": children, "phase_final": Phase.FINAL,
        "form": ItemForm(initial=initial, current_evaluator=item.evaluator),
        "child_form": ItemForm(initial={"rule": "manual", "appraiser_role": item.appraiser_role,
                                        "code": f"{item.code}.{len(children) + 1}"}),  # fmt: skip
    }  # fmt: skip
    context.update(bound)
    return render(request, "parindex/item.html", context)


@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
    if request.method == "GET":
        return item_page(request, item)
    frameworks.require_editor(request.user, item.framework)
    form = ItemForm(request.POST, current_evaluator=item.evaluator)
    if form.is_valid():
        try:
            frameworks.update_item(item, request.user, **_item_data(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mục %(code)s.") % {"code": item.code})
            return redirect("parindex:item", pk=item.pk)
    item.refresh_from_db()
    return item_page(request, item, form=form)


@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_or_404(request, pk)
    framework = item.framework
    frameworks.require_editor(request.user, framework)
    try:
        frameworks.delete_item(item, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("parindex:item", pk=pk)
    messages.success(request, _("Đã xóa mục %(code)s.") % {"code": item.code})
    return redirect("parindex:framework", pk=framework.pk)
