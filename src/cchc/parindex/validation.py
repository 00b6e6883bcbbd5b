"""Is a framework usable? Every problem in Vietnamese, all at once, naming the item by its code.

- codes are present and unique;
- in the scored part and the survey part, the maxima of an item's children add up to the item's maximum;
- in a bonus or penalty group, the group's maximum is its cap: no single item may exceed it (their sum may);
- every scored item's rule has valid parameters, and an item cchc evaluates has a rule that can use the figure;
- tiers have distinct names and thresholds from 0 to 100, each lower than the one before;
- the framework has something to score.

Works on trees of unsaved items too (tree.Node), so an import is checked before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import evidence, rules
from .models import Framework, RuleKind, Section
from .tree import Node, framework_tree, walk

# Which rules can read which kind of measurement.
RULES_FOR_KIND = {
    "bool": {RuleKind.ALL_OR_NOTHING, RuleKind.PROPORTIONAL, RuleKind.TIERS},
    "ratio": {RuleKind.ALL_OR_NOTHING, RuleKind.PROPORTIONAL, RuleKind.TIERS},
    "count": {RuleKind.ALL_OR_NOTHING, RuleKind.PROPORTIONAL, RuleKind.TIERS},
    "date": {RuleKind.ALL_OR_NOTHING, RuleKind.DEADLINE},
}


def points(value: Decimal) -> str:
    return rules.points_text(value)


def tree_problems(roots: Sequence[Node]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    scored = Decimal("0")
    for node in walk(roots):
        item = node.item
        code = (item.code or "").strip()
        if not code:
            problems.append(_("Có mục chưa có mã (nội dung “%(title)s”).") % {"title": (item.title or "")[:60]})
        elif code in seen:
            problems.append(_("Mã %(code)s dùng cho hai mục.") % {"code": code})
        seen.add(code)
        if not (item.title or "").strip():
            problems.append(_("Mục %(code)s chưa có nội dung.") % {"code": code})
        if item.max_points is None or item.max_points < 0:
            problems.append(_("Mục %(code)s: điểm tối đa phải là một số không âm.") % {"code": code})
            continue
        if node.depth == 0 and item.section in (Section.SCORED, Section.SURVEY):
            scored += item.max_points
        if node.children:
            problems += _children_problems(node, code)
        else:
            problems += _leaf_problems(item, code)
    if scored <= 0:
        problems.append(_("Bộ tiêu chí chưa có lĩnh vực nào để chấm điểm (tổng điểm tối đa bằng 0)."))
    return problems


def _children_problems(node: Node, code: str) -> list[str]:
    item = node.item
    total = sum((child.item.max_points or Decimal("0") for child in node.children), Decimal("0"))
    if item.section in (Section.BONUS, Section.PENALTY):
        return [
            _("Mục %(child)s: điểm tối đa %(points)s vượt mức trần %(cap)s của nhóm %(code)s.")
            % {
                "child": child.item.code,
                "points": points(child.item.max_points),
                "cap": points(item.max_points),
                "code": code,
            }  # fmt: skip
            for child in node.children
            if child.item.max_points is not None and child.item.max_points > item.max_points
        ]
    if total != item.max_points:
        return [
            _("Mục %(code)s: tổng điểm tối đa của các mục con là %(total)s, khác điểm tối đa của mục (%(max)s).")
            % {"code": code, "total": points(total), "max": points(item.max_points)}
        ]
    return []


def _leaf_problems(item, code: str) -> list[str]:
    out = [
        _("Mục %(code)s: %(problem)s") % {"code": code, "problem": problem}
        for problem in rules.check_params(item.rule, item.rule_params or {}, item.max_points)
    ]
    if item.evaluator:
        spec = evidence.REGISTRY.get(item.evaluator)
        if spec is not None and item.rule not in RULES_FOR_KIND.get(spec.kind, set()) | {RuleKind.MANUAL}:
            out.append(
                _("Mục %(code)s: cách chấm “%(rule)s” không dùng được với số liệu “%(label)s” của cchc.")
                % {"code": code, "rule": RuleKind(item.rule).label, "label": spec.label}
            )
    return out


def tier_problems(tiers: Sequence[tuple[str, Decimal | None]]) -> list[str]:
    """`tiers` in the order they are written (best first)."""
    problems: list[str] = []
    names: set[str] = set()
    previous: Decimal | None = None
    for name, threshold in tiers:
        name = (name or "").strip()
        if not name:
            problems.append(_("Có mức xếp loại chưa có tên."))
        elif name.casefold() in names:
            problems.append(_("Mức xếp loại “%(name)s” ghi hai lần.") % {"name": name})
        names.add(name.casefold())
        if threshold is None or not Decimal("0") <= threshold <= Decimal("100"):
            problems.append(_("Mức “%(name)s”: ngưỡng phải từ 0 đến 100 %%.") % {"name": name})
            continue
        if previous is not None and threshold >= previous:
            problems.append(
                _("Mức “%(name)s”: ngưỡng %(threshold)s %% phải thấp hơn ngưỡng của mức trên (%(previous)s %%).")
                % {"name": name, "threshold": points(threshold), "previous": points(previous)}
            )
        previous = threshold
    return problems


def problems_of(framework: Framework) -> list[str]:
    tiers = [(tier.name, tier.min_index) for tier in framework.tiers.order_by("order", "-min_index", "pk")]
    problems = tree_problems(framework_tree(framework))
    if not tiers:
        problems.append(_("Bộ tiêu chí chưa có mức xếp loại."))
    return problems + tier_problems(tiers)


def validate(framework: Framework) -> None:
    problems = problems_of(framework)
    if problems:
        raise ValidationError(problems)


def unknown_evaluators(roots: Sequence[Node]) -> list[str]:
    """Items naming an evaluator this cchc does not have: not an error (the item is then scored by hand), but the
    importer and the framework page say so, in one sentence."""
    codes = [node.item.code for node in walk(roots)
             if node.is_leaf and node.item.evaluator and node.item.evaluator not in evidence.REGISTRY]  # fmt: skip
    if not codes:
        return []
    return [
        _(
            "Các mục %(codes)s nêu bộ đánh giá tự động mà phiên bản cchc này chưa có: cchc chưa đề xuất điểm cho "
            "các mục đó, chúng được chấm theo tài liệu kiểm chứng."
        )
        % {"codes": ", ".join(codes)}  # fmt: skip
    ]
