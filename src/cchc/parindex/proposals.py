"""cchc's proposals: for every item whose framework names an evaluator, what cchc's own records say
(cchc.parindex.evidence.measure) turned into points by the item's rule (rules.py), kept on the score row with the
figures and the objects they came from.

Proposals are recomputed when the data behind them changes (evidence.data_version, plus the framework's rules)
while the sheet is being drafted, and frozen from the moment the self-assessment is locked: what the agency locked is
what the appraisers see. A score the officer took from a proposal follows the proposal when it changes (audited); an
overridden score stays as the officer set it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit import service as audit
from cchc.audit.models import AuditEntry

from . import evidence, rules
from .models import Basis, ItemScore, Phase, Sheet
from .tree import build, walk

logger = logging.getLogger(__name__)


def _rules_fingerprint(sheet: Sheet) -> str:
    rows = sorted(
        sheet.framework.items.exclude(evaluator="").values_list(
            "pk", "evaluator", "evaluator_params", "rule", "rule_params", "max_points"
        )  # fmt: skip
    )
    text = json.dumps(rows, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def current_version(sheet: Sheet) -> str:
    data = evidence.data_version(sheet.agency, sheet.framework.year)
    return f"{data}|{_rules_fingerprint(sheet)}"[:255]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def proposal_record(measurement: evidence.Measurement | None, proposal: rules.Proposal) -> dict[str, Any]:
    """What the score row keeps of a proposal, JSON-ready: the figures, the sources and why these points."""
    if measurement is None:
        return {"reason": proposal.reason}
    return {
        "kind": measurement.kind,
        "value": _plain(measurement.value),
        "deadline": _plain(measurement.deadline),
        "figures": [list(pair) for pair in measurement.figures],
        "sources": [{"label": s.label, "url": s.url, "model": s.model, "pk": s.pk} for s in measurement.sources],
        "explanation": measurement.explanation,
        "reason": proposal.reason,
    }


def evaluate(score: ItemScore, agency, year: int) -> tuple[Decimal | None, dict[str, Any]]:
    item = score.item
    try:
        measurement = evidence.measure(item.evaluator, agency, year, item.evaluator_params or {})
    except ValueError as exc:  # the evaluator refuses its parameters, with a Vietnamese message for the editor
        return None, {"reason": _("Tham số đánh giá tự động chưa đúng: %(problem)s") % {"problem": exc}}
    except Exception:  # an evaluator is a plugin: its failure leaves the item without a proposal, not a broken page
        logger.exception("evaluator %s failed for %s %s", item.evaluator, agency, year)
        return None, {"reason": _("Không tính được đề xuất do lỗi khi đọc dữ liệu; tiêu chí được chấm trực tiếp.")}
    try:
        proposal = rules.propose(item.rule, item.rule_params, item.max_points, measurement, year)
    except rules.RuleError as exc:
        proposal = rules.Proposal(None, str(exc))
    return proposal.points, proposal_record(measurement, proposal)


def refresh(sheet: Sheet, *, force: bool = False) -> int:
    """Recompute the sheet's proposals if their data changed; returns how many items' proposals changed. Does
    nothing once the self-assessment is locked (proposals are frozen then)."""
    if sheet.phase != Phase.DRAFTING:
        return 0
    version = current_version(sheet)
    if version == sheet.data_version and not force:
        return 0
    leaves = {node.item.pk for node in walk(build(sheet.framework.items.all())) if node.is_leaf}
    changed: dict[str, list[Any]] = {}
    followed: list[str] = []
    with transaction.atomic():
        locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.phase != Phase.DRAFTING:
            return 0
        scores = locked.scores.select_for_update(of=("self",)).select_related("item").filter(item_id__in=list(leaves))
        for score in scores.exclude(item__evaluator=""):
            points, record = evaluate(score, sheet.agency, sheet.framework.year)
            old = score.proposed_points
            if points == old and record == score.proposal:
                continue
            if points != old:
                changed[score.item.code] = [str(old) if old is not None else None,
                                            str(points) if points is not None else None]  # fmt: skip
            score.proposed_points, score.proposal, score.proposal_version = points, record, version
            fields = ["proposed_points", "proposal", "proposal_version", "updated_at"]
            if score.basis == Basis.ACCEPTED and points is not None and score.self_points == old and points != old:
                score.self_points = points
                score.version += 1
                fields += ["self_points", "version"]
                followed.append(score.item.code)
            elif score.basis == Basis.ACCEPTED and points is None:
                score.basis = Basis.NONE
                fields.append("basis")
            score.save(update_fields=fields)
        for score in scores.filter(item__evaluator="").exclude(proposed_points=None, proposal={}):
            score.proposed_points, score.proposal, score.proposal_version = None, {}, ""
            score.save(update_fields=["proposed_points", "proposal", "proposal_version", "updated_at"])
        locked.data_version = version
        locked.proposals_at = timezone.now()
        locked.save(update_fields=["data_version", "proposals_at", "updated_at"])
        if changed:
            summary = _("cchc tính lại đề xuất điểm của %(n)s tiêu chí từ dữ liệu mới") % {"n": len(changed)}
            if followed:
                summary += _("; điểm tự chấm theo đề xuất của các mục %(codes)s được cập nhật theo") % {
                    "codes": ", ".join(followed)}  # fmt: skip
            audit.record(locked, None, AuditEntry.Action.UPDATE,
                         changes={f"proposal:{code}": value for code, value in changed.items()},
                         summary=summary)  # fmt: skip
    sheet.data_version, sheet.proposals_at = locked.data_version, locked.proposals_at
    return len(changed)
