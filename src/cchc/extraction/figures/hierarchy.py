"""Which figures are parts of which: a breakdown ("trong đó ...", a parenthesis) after a figure states its parts,
never the figure again, a whole it belongs to or a figure of another branch ("đã giải quyết 280 hồ sơ (200 trực
tuyến)" are resolved online dossiers, not the online dossiers received)."""

from __future__ import annotations

__all__ = ["PARENT", "is_part_of"]

# key -> the figure it is a part of.
PARENT: dict[str, str] = {
    "dossiers_carried_over": "dossiers_received",
    "dossiers_new": "dossiers_received",
    "dossiers_online": "dossiers_new",
    "dossiers_direct": "dossiers_new",
    "dossiers_postal": "dossiers_new",
    "dossiers_early": "dossiers_early_or_on_time",
    "dossiers_on_time": "dossiers_early_or_on_time",
    "dossiers_early_or_on_time": "dossiers_resolved",
    "dossiers_late": "dossiers_resolved",
    "dossiers_refused": "dossiers_resolved",
    "dossiers_withdrawn": "dossiers_resolved",
    "dossiers_resolved": "dossiers_received",
    "dossiers_in_progress": "dossiers_received",
    "dossiers_in_progress_overdue": "dossiers_in_progress",
    "procedures_one_stop": "procedures_total",
    "procedures_interconnected": "procedures_one_stop",  # một cửa liên thông is one of the one-stop ways
    "procedures_online": "procedures_total",
    "procedures_online_full": "procedures_online",
    "procedures_online_partial": "procedures_online",
    "procedures_level3": "procedures_online",
    "procedures_level4": "procedures_online",
    "feedback_resolved": "feedback_received",
    "plan_tasks_done": "plan_tasks_total",
    "directives_done": "directives_total",
    "revenue_collected": "revenue_plan",
}


def _ancestors(key: str) -> set[str]:
    out: set[str] = set()
    while key in PARENT and PARENT[key] not in out:
        key = PARENT[key]
        out.add(key)
    return out


_ANCESTORS = {key: _ancestors(key) for key in PARENT}
_COUNTS = set(PARENT) | set(PARENT.values())


def is_part_of(key: str, head: str) -> bool:
    """Whether `key`, read in a breakdown of `head`, can be right: a part of the head (a count of the graph), or
    anything under a head outside it (a rate, an index)."""
    if head not in _COUNTS or key not in _COUNTS:
        return True
    return head in _ANCESTORS.get(key, ())
