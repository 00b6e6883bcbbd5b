"""The built-in report templates (JSON files in outlines/) and the validation of any template's outline.

Templates are data: a JSON file holds the outline of numbered sections, the excerpt pattern, the default recipients
and the appendices; "extends" reuses another file and overrides the keys it gives. ensure_builtin_templates() loads
the files into ReportTemplate rows without an agency (idempotent: one query when nothing changed), and get_template()
calls it, so `cchc migrate` and the first use are enough.
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import ReportTemplate

OUTLINES_DIR = Path(__file__).resolve().parent / "outlines"
BUILTIN_FIELDS = (
    "name",
    "kind",
    "description",
    "document_type",
    "excerpt_pattern",
    "intro_pattern",
    "closing_pattern",
    "outline",
    "recipients",
    "archive_unit",
    "appendices",
)
PATTERN_NAMES = {"period_label", "period_label_lower", "agency_name", "year"}
MAX_LEVEL = 4


@cache
def _raw_files() -> dict[str, dict[str, Any]]:
    files = {}
    for path in sorted(OUTLINES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        files[data["slug"]] = data
    return files


def builtin_definitions() -> dict[str, dict[str, Any]]:
    """slug -> the template's fields, with "extends" resolved."""
    raw = _raw_files()

    def resolve(slug: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
        if slug in seen:
            raise ValueError(f"outline files extend each other in a loop: {' -> '.join((*seen, slug))}")
        data = dict(raw[slug])
        parent = data.pop("extends", None)
        if parent:
            merged = resolve(parent, (*seen, slug))
            merged.update(data)
            data = merged
        return data

    out = {}
    for slug in raw:
        data = resolve(slug)
        data["outline"] = normalise_outline(data.get("outline", []))
        data.setdefault("appendices", [])
        out[slug] = data
    return out


def normalise_outline(outline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every section with all its keys; "block" as a list of block names."""
    sections = []
    for item in outline:
        block = item.get("block") or []
        if isinstance(block, str):
            block = [name.strip() for name in block.split(",") if name.strip()]
        sections.append(
            {
                "key": str(item.get("key", "")).strip(),
                "number": str(item.get("number", "")).strip(),
                "heading": str(item.get("heading", "")).strip(),
                "level": item.get("level", 1),
                "default_text": item.get("default_text", "") or "",
                "guidance": item.get("guidance", "") or "",
                "block": list(block),
                "options": dict(item.get("options") or {}),
            }
        )
    return sections


def _check_pattern(value: str, label: str, errors: list[str]) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value or "") if name is not None}
    except ValueError:
        errors.append(_("%(label)s có dấu ngoặc nhọn không khớp.") % {"label": label})
        return
    unknown = names - PATTERN_NAMES
    if unknown:
        errors.append(
            _("%(label)s dùng biến không có: %(names)s (chỉ dùng %(allowed)s).")
            % {
                "label": label,
                "names": ", ".join(sorted(unknown)),
                "allowed": ", ".join("{" + n + "}" for n in sorted(PATTERN_NAMES)),
            }
        )


def validate_outline(outline: list[dict[str, Any]], appendices: list[dict[str, Any]] | None = None) -> None:
    """Raise ValidationError (all problems at once) unless the outline can be turned into a report."""
    from .blocks import REGISTRY

    errors: list[str] = []
    if not isinstance(outline, list) or not outline:
        raise ValidationError(_("Dàn ý báo cáo phải có ít nhất một mục."))
    keys: set[str] = set()
    for position, raw in enumerate(outline, start=1):
        if not isinstance(raw, dict):
            errors.append(_("Mục thứ %(n)s của dàn ý không hợp lệ.") % {"n": position})
            continue
        (section,) = normalise_outline([raw])
        key = section["key"]
        where = _("Mục thứ %(n)s") % {"n": position}
        if not key:
            errors.append(_("%(where)s thiếu khóa (key).") % {"where": where})
        elif key in keys:
            errors.append(_("Khóa mục «%(key)s» bị trùng.") % {"key": key})
        keys.add(key)
        if not section["heading"] and not section["block"]:
            errors.append(_("%(where)s chưa có tiêu đề.") % {"where": where})
        level = section["level"]
        if not isinstance(level, int) or not 1 <= level <= MAX_LEVEL:
            errors.append(_("%(where)s: cấp mục phải từ 1 đến %(max)s.") % {"where": where, "max": MAX_LEVEL})
        for name in section["block"]:
            if name not in REGISTRY or REGISTRY[name].appendix:
                errors.append(_("%(where)s: không có khối số liệu «%(name)s».") % {"where": where, "name": name})
    for position, spec in enumerate(appendices or [], start=1):
        name = spec.get("block") if isinstance(spec, dict) else None
        if name not in REGISTRY:
            errors.append(_("Phụ lục thứ %(n)s: không có khối số liệu «%(name)s».") % {"n": position, "name": name})
        elif isinstance(spec, dict):
            _check_pattern(spec.get("title", ""), _("Tên phụ lục thứ %(n)s") % {"n": position}, errors)
    if errors:
        raise ValidationError(errors)


def ensure_builtin_templates() -> None:
    """Create or refresh the built-in templates from the JSON files; a no-op (one query) when they match."""
    definitions = builtin_definitions()
    stored = {t.slug: t for t in ReportTemplate.objects.filter(agency__isnull=True, slug__in=list(definitions))}
    for slug, data in definitions.items():
        values = {name: data.get(name, ReportTemplate._meta.get_field(name).get_default()) for name in BUILTIN_FIELDS}
        current = stored.get(slug)
        if current is not None and all(getattr(current, name) == value for name, value in values.items()):
            continue
        try:
            with transaction.atomic():
                ReportTemplate.objects.update_or_create(agency=None, slug=slug, defaults=values)
        except IntegrityError:
            pass  # another process created it at the same moment with the same content


def get_template(slug: str, agency=None) -> ReportTemplate:
    """The agency's own template with this slug if it has one, else the built-in one."""
    ensure_builtin_templates()
    condition = Q(agency__isnull=True)
    if agency is not None:
        condition |= Q(agency=agency)
    found = sorted(ReportTemplate.objects.filter(condition, slug=slug), key=lambda t: t.agency_id is None)
    if not found:
        raise ValidationError(
            _("Không có mẫu báo cáo «%(slug)s». Các mẫu có sẵn: %(slugs)s.")
            % {"slug": slug, "slugs": ", ".join(sorted(builtin_definitions()))}
        )
    return found[0]


def templates_for(agency) -> list[ReportTemplate]:
    """Templates an agency can use: its own, and the built-ins it has not replaced with a copy of the same slug."""
    ensure_builtin_templates()
    own = list(ReportTemplate.objects.filter(agency=agency))
    replaced = {t.slug for t in own}
    builtins = [t for t in ReportTemplate.objects.filter(agency__isnull=True) if t.slug not in replaced]
    return sorted(own + builtins, key=lambda t: (t.name, t.agency_id is None))


def save_copy(source: ReportTemplate, agency, *, slug: str | None = None, name: str | None = None) -> ReportTemplate:
    """Save an editable copy of `source` for `agency`, once its outline passes validate_outline."""
    clone = source.copy_for(agency, slug=slug, name=name)
    validate_outline(clone.outline, clone.appendices)
    clone.save()
    return clone
