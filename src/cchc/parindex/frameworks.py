"""Editing a criteria set: the framework's own facts, its items, tiers and appraising agencies, and copying it to a
new year. Every change is audited against the framework (the item's code in the entry), inside the change's
transaction. The structure is frozen once any agency has locked its self-assessment against it: a framework that
sheets were scored on is not rewritten under them (copy it to change it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cchc.agencies.models import Province
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from . import permissions, rules, validation
from .models import Framework, FrameworkAppraiser, Item, Phase, Section, Tier
from .tree import build, walk

ITEM_FIELDS = ("code", "title", "max_points", "section", "rule", "rule_params", "evidence_required",
               "appraiser_role", "evaluator", "evaluator_params", "notes", "order")  # fmt: skip
FRAMEWORK_FIELDS = ("name", "year", "group", "decision_number", "decision_date", "is_template", "self_deadline",
                    "round1_deadline", "explanation_days", "round2_deadline", "notes")  # fmt: skip


def require_editor(user, framework: Framework) -> None:
    if not permissions.may_edit_framework(user, framework):
        raise PermissionDenied(_("Chỉ Sở Nội vụ của tỉnh được sửa bộ tiêu chí này."))


def is_frozen(framework: Framework) -> bool:
    return framework.pk is not None and framework.sheets.exclude(phase=Phase.DRAFTING).exists()


def require_unfrozen(framework: Framework) -> None:
    if is_frozen(framework):
        raise ValidationError(
            _(
                "Đã có cơ quan khóa tự chấm theo bộ tiêu chí này nên không sửa được các tiêu chí; muốn thay đổi, hãy "
                "sao chép thành bộ tiêu chí mới."
            )  # fmt: skip
        )


def _item_snapshot(item: Item) -> dict[str, Any]:
    return audit.snapshot(item, list(ITEM_FIELDS))


# --- the framework --------------------------------------------------------------------------------------------


def create_framework(province: Province | None, actor, **data: Any) -> Framework:
    framework = Framework(province=province, **data)
    if province is not None and not permissions.may_edit_framework(actor, framework):
        raise PermissionDenied(_("Chỉ Sở Nội vụ của tỉnh được lập bộ tiêu chí của tỉnh."))
    _check_unique(framework)
    with transaction.atomic():
        framework.save()
        audit.record(framework, actor, AuditEntry.Action.CREATE, summary=_("Lập bộ tiêu chí"))
    return framework


def _check_unique(framework: Framework) -> None:
    if framework.province_id is None:
        return
    clash = Framework.objects.filter(province_id=framework.province_id, year=framework.year, group=framework.group)
    if framework.pk:
        clash = clash.exclude(pk=framework.pk)
    if clash.exists():
        raise ValidationError({"year": _("Tỉnh đã có bộ tiêu chí năm %(year)s cho nhóm cơ quan này.")
                               % {"year": framework.year}})  # fmt: skip


def update_framework(framework: Framework, actor, **data: Any) -> Framework:
    require_editor(actor, framework)
    before = audit.snapshot(framework, list(FRAMEWORK_FIELDS))
    for name, value in data.items():
        if name not in FRAMEWORK_FIELDS:
            raise ValueError(name)
        setattr(framework, name, value)
    _check_unique(framework)
    changes = audit.diff(before, audit.snapshot(framework, list(FRAMEWORK_FIELDS)))
    if not changes:
        return framework
    with transaction.atomic():
        framework.save()
        audit.record(
            framework, actor, AuditEntry.Action.UPDATE, changes=changes, summary=_("Sửa thông tin bộ tiêu chí")
        )
    return framework


# --- items ---------------------------------------------------------------------------------------------------


def _clean_item(framework: Framework, item: Item) -> None:
    """The checks that hold for one item whatever the rest of the tree: a code, unique; a title; a maximum; rule
    parameters that can be read. (Sums and tiers are the framework's validation: they hold only once all is typed.)"""
    errors: dict[str, list[str]] = {}
    item.code = (item.code or "").strip()
    if not item.code:
        errors.setdefault("code", []).append(_("Vui lòng nhập mã của mục."))
    elif framework.items.filter(code=item.code).exclude(pk=item.pk).exists():
        errors.setdefault("code", []).append(_("Mã %(code)s đã có trong bộ tiêu chí.") % {"code": item.code})
    if not (item.title or "").strip():
        errors.setdefault("title", []).append(_("Vui lòng nhập nội dung của mục."))
    if item.max_points is None or item.max_points < 0:
        errors.setdefault("max_points", []).append(_("Điểm tối đa phải là một số không âm."))
    else:
        problems = rules.check_params(item.rule, item.rule_params or {}, item.max_points)
        if problems:
            errors.setdefault("rule_params", []).extend(problems)
    if item.parent_id is not None:
        parent = item.parent
        if parent.framework_id != framework.pk:
            errors.setdefault("parent", []).append(_("Mục cha không thuộc bộ tiêu chí này."))
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == item.pk:
                errors.setdefault("parent", []).append(_("Một mục không thể nằm dưới chính nó."))
                break
            ancestor = ancestor.parent
        item.section = parent.section
    if errors:
        raise ValidationError(errors)


def add_item(framework: Framework, actor, *, parent: Item | None = None, **data: Any) -> Item:
    require_editor(actor, framework)
    require_unfrozen(framework)
    siblings = framework.items.filter(parent=parent)
    data.setdefault("order", (max(siblings.values_list("order", flat=True), default=0) or 0) + 1)
    item = Item(framework=framework, parent=parent, **data)
    _clean_item(framework, item)
    with transaction.atomic():
        item.save()
        audit.record(framework, actor, AuditEntry.Action.CREATE, changes={"item": item.code, **_item_snapshot(item)},
                     summary=_("Thêm mục %(code)s") % {"code": item.code})  # fmt: skip
    return item


def update_item(item: Item, actor, *, parent: Item | None | str = "keep", **data: Any) -> Item:
    framework = item.framework
    require_editor(actor, framework)
    require_unfrozen(framework)
    before = _item_snapshot(item)
    old_parent = item.parent_id
    for name, value in data.items():
        if name not in ITEM_FIELDS:
            raise ValueError(name)
        setattr(item, name, value)
    if parent != "keep":
        item.parent = parent
    _clean_item(framework, item)
    changes = audit.diff(before, _item_snapshot(item))
    if item.parent_id != old_parent:
        changes["parent"] = [_code_of(old_parent), item.parent.code if item.parent_id else None]
    if not changes:
        return item
    with transaction.atomic():
        item.save()
        if "section" in changes or "parent" in changes:
            _spread_section(item)
        audit.record(framework, actor, AuditEntry.Action.UPDATE, changes={"item": item.code, **changes},
                     summary=_("Sửa mục %(code)s") % {"code": item.code})  # fmt: skip
    return item


def _code_of(item_id: int | None) -> str | None:
    return Item.objects.filter(pk=item_id).values_list("code", flat=True).first() if item_id else None


def _spread_section(item: Item) -> None:
    """A subtree takes its top item's part (bonus, penalty, survey, scored)."""
    for node in walk(build(item.framework.items.all())):
        if node.item.pk == item.pk:
            for descendant in walk(node.children):
                if descendant.item.section != item.section:
                    Item.objects.filter(pk=descendant.item.pk).update(section=item.section)
            return


def delete_item(item: Item, actor) -> None:
    framework = item.framework
    require_editor(actor, framework)
    require_unfrozen(framework)
    with transaction.atomic():
        audit.record(framework, actor, AuditEntry.Action.DELETE, changes={"item": item.code, **_item_snapshot(item)},
                     summary=_("Xóa mục %(code)s và các mục con") % {"code": item.code})  # fmt: skip
        item.delete()


# --- tiers and appraisers ------------------------------------------------------------------------------------


def set_tiers(framework: Framework, tiers: Sequence[tuple[str, Decimal]], actor) -> None:
    """Replace the tiers by `tiers` (best first); ValidationError with every problem, nothing changed then."""
    require_editor(actor, framework)
    problems = validation.tier_problems(tiers)
    if problems:
        raise ValidationError(problems)
    before = [f"{tier.name} ≥ {tier.min_index}" for tier in framework.tiers.order_by("order", "-min_index")]
    after = [f"{name.strip()} ≥ {Decimal(threshold).quantize(Decimal('0.01'))}" for name, threshold in tiers]
    if before == after:
        return
    with transaction.atomic():
        framework.tiers.all().delete()
        Tier.objects.bulk_create(
            Tier(framework=framework, name=name.strip(), min_index=threshold, order=position)
            for position, (name, threshold) in enumerate(tiers, start=1)
        )
        audit.record(framework, actor, AuditEntry.Action.UPDATE, changes={"tiers": [before, after]},
                     summary=_("Sửa các mức xếp loại"))  # fmt: skip


def set_appraisers(framework: Framework, by_role: dict[str, Any], actor) -> None:
    """role -> agency (None removes the role: its items fall to the Sở Nội vụ). Only agencies of the framework's
    province may appraise."""
    require_editor(actor, framework)
    current = {row.role: row for row in framework.appraisers.select_related("agency")}
    changes: dict[str, list[Any]] = {}
    with transaction.atomic():
        for role, agency in by_role.items():
            if agency is not None and agency.province_id != framework.province_id:
                raise ValidationError(_("Cơ quan thẩm định phải thuộc tỉnh của bộ tiêu chí."))
            row = current.get(role)
            old = row.agency.name if row else None
            if agency is None:
                if row:
                    row.delete()
            elif row is None:
                FrameworkAppraiser.objects.create(framework=framework, role=role, agency=agency)
            elif row.agency_id != agency.pk:
                row.agency = agency
                row.save(update_fields=["agency"])
            new = agency.name if agency else None
            if old != new:
                changes[f"appraiser:{role}"] = [old, new]
        if changes:
            audit.record(framework, actor, AuditEntry.Action.UPDATE, changes=changes,
                         summary=_("Sửa cơ quan thẩm định"))  # fmt: skip


# --- copying -------------------------------------------------------------------------------------------------


def _shift(day: dt.date | None, years: int) -> dt.date | None:
    if day is None or not years:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02
        return day.replace(year=day.year + years, day=28)


def copy_framework(source: Framework, actor, *, province: Province | None = None, year: int,
                   name: str | None = None) -> Framework:  # fmt: skip
    """A new framework for `year` (and `province`, by default the source's) with the source's items, rules, tiers
    and (within the same province) appraisers; deadlines move by the years between them. The new one is marked
    "copied from" the source, and stays a template to adapt if the source was one."""
    province = province if province is not None else source.province
    if province is None:
        raise ValidationError(_("Chọn tỉnh cho bộ tiêu chí sao chép."))
    years = year - source.year if source.year else 0
    copy = Framework(
        province=province, year=year, group=source.group, copied_from=source, is_template=source.is_template,
        name=name or _default_name(source, year), self_deadline=_shift(source.self_deadline, years),
        round1_deadline=_shift(source.round1_deadline, years), round2_deadline=_shift(source.round2_deadline, years),
        explanation_days=source.explanation_days, notes=source.notes,
    )  # fmt: skip
    if not permissions.may_edit_framework(actor, copy):
        raise PermissionDenied(_("Chỉ Sở Nội vụ của tỉnh được lập bộ tiêu chí của tỉnh."))
    _check_unique(copy)
    try:
        with transaction.atomic():
            copy.save()
            _copy_items(source, copy)
            Tier.objects.bulk_create(Tier(framework=copy, name=t.name, min_index=t.min_index, order=t.order)
                                     for t in source.tiers.all())  # fmt: skip
            if province.pk == source.province_id:
                FrameworkAppraiser.objects.bulk_create(
                    FrameworkAppraiser(framework=copy, role=a.role, agency_id=a.agency_id)
                    for a in source.appraisers.all()
                )
            audit.record(copy, actor, AuditEntry.Action.CREATE, changes={"copied_from": str(source)},
                         summary=_("Sao chép từ “%(source)s”") % {"source": source.name})  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError(_("Tỉnh đã có bộ tiêu chí năm %(year)s cho nhóm cơ quan này.") % {"year": year}) from exc
    return copy


def _default_name(source: Framework, year: int) -> str:
    if source.year and str(source.year) in source.name:
        return source.name.replace(str(source.year), str(year))
    return f"{source.name} năm {year}"


def _copy_items(source: Framework, target: Framework) -> None:
    new_ids: dict[int, Item] = {}
    for node in walk(build(source.items.all())):
        item = node.item
        clone = Item(
            framework=target, parent=new_ids.get(item.parent_id), order=item.order, code=item.code, title=item.title,
            max_points=item.max_points, section=item.section, rule=item.rule, rule_params=item.rule_params,
            evidence_required=item.evidence_required, appraiser_role=item.appraiser_role, evaluator=item.evaluator,
            evaluator_params=item.evaluator_params, notes=item.notes,
        )  # fmt: skip
        clone.save()
        new_ids[item.pk] = clone


def roots_total(framework: Framework) -> Decimal:
    """The maximum of the scored and survey parts."""
    return sum(
        (item.max_points for item in framework.items.filter(parent__isnull=True,
                                                            section__in=[Section.SCORED, Section.SURVEY])),
        Decimal("0"),
    )  # fmt: skip
