"""The frameworks cchc ships as data files (JSON in this folder), loaded as templates without a province.

`so-ban-nganh.json` models the structure of the national methodology (QĐ 876/QĐ-BNV: eight fields with their
criteria and sub-criteria) for a province's departments, in cchc's own words, every point value a suggestion. It
loads marked "mẫu để điều chỉnh"; a province copies it for a year (copy_framework) and adapts it.

File format: {"name", "group", "notes", "explanation_days", "tiers": [[name, threshold %], ...], "items": [...]};
an item is {"code", "title", "max", "section" (top level only), "rule", "params" (as ruletext writes them),
"evidence", "appraiser" (a role; children inherit it), "evaluator", "evaluator_params", "notes", "children"}.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from .. import validation
from ..models import AppraiserRole, Framework, Item, RuleKind, Section, Tier
from ..ruletext import parse_params
from ..tree import build

FOLDER = Path(__file__).resolve().parent
DEFAULT_SLUG = "so-ban-nganh"


def definition(slug: str = DEFAULT_SLUG) -> dict[str, Any]:
    return json.loads((FOLDER / f"{slug}.json").read_text(encoding="utf-8"))


def _items(framework: Framework, entries: list[dict], parent: Item | None, section: str, appraiser: str) -> int:
    count = 0
    for position, entry in enumerate(entries, start=1):
        own_section = entry.get("section", section)
        own_appraiser = entry.get("appraiser", appraiser)
        rule = entry.get("rule", RuleKind.MANUAL)
        item = Item.objects.create(
            framework=framework, parent=parent, order=position, code=entry["code"], title=entry["title"],
            max_points=Decimal(entry["max"]), section=Section(own_section), rule=RuleKind(rule),
            rule_params=parse_params(rule, entry.get("params", "")), evidence_required=entry.get("evidence", ""),
            appraiser_role=AppraiserRole(own_appraiser), evaluator=entry.get("evaluator", ""),
            evaluator_params=entry.get("evaluator_params", {}), notes=entry.get("notes", ""),
        )  # fmt: skip
        count += 1 + _items(framework, entry.get("children", []), item, own_section, own_appraiser)
    return count


def load(slug: str = DEFAULT_SLUG) -> tuple[Framework, bool]:
    """The template of `slug`, created from its file when missing; (framework, created)."""
    data = definition(slug)
    existing = Framework.objects.filter(province__isnull=True, group=data["group"], name=data["name"]).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        framework = Framework.objects.create(
            province=None, year=None, group=data["group"], name=data["name"], notes=data.get("notes", ""),
            is_template=True, explanation_days=data.get("explanation_days", 5),
        )  # fmt: skip
        count = _items(framework, data["items"], None, Section.SCORED, AppraiserRole.HOME_AFFAIRS)
        Tier.objects.bulk_create(
            Tier(framework=framework, name=name, min_index=Decimal(str(threshold)), order=position)
            for position, (name, threshold) in enumerate(data["tiers"], start=1)
        )
        problems = validation.tree_problems(build(framework.items.all()))
        if problems:  # a broken file shipped with cchc: fail loudly rather than load half a template
            raise ValueError(f"{slug}.json: " + "; ".join(problems))
        audit.record(framework, None, AuditEntry.Action.IMPORT, changes={"file": f"{slug}.json", "items": count},
                     summary=f"Nạp bộ tiêu chí mẫu từ tệp {slug}.json ({count} mục)")  # fmt: skip
    return framework, True
