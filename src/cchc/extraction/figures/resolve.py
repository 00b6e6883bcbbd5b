"""One value per key, precision first: a wrong figure in a roll-up is worse than a missing one.

Every reading of a key is a candidate with a strength: 3 when the text states it as a total ("tổng số", "toàn
tỉnh", "lũy kế"), 2 when the words next to the number say what it is, 1 when it is inferred (the whole of "9/40",
a catalogue read from "công khai 48 thủ tục"). The strongest candidates decide: when they agree the key gets their
value (and the first of their sentences), when they disagree the key is left out. Nothing is summed or derived.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocabulary import FIGURE_LABELS

__all__ = ["Candidate", "resolve"]


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    value: int | float
    sentence: str
    strength: int


def _same(a: int | float, b: int | float) -> bool:
    return abs(float(a) - float(b)) < 1e-9


def resolve(candidates: list[Candidate]) -> tuple[dict, dict]:
    by_key: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_key.setdefault(c.key, []).append(c)
    figures: dict[str, int | float] = {}
    sources: dict[str, str] = {}
    for key, found in by_key.items():
        top = max(c.strength for c in found)
        best = [c for c in found if c.strength == top]
        first = best[0]
        if all(_same(c.value, first.value) for c in best):
            figures[key] = first.value
            sources[key] = first.sentence
    order = {key: i for i, key in enumerate(FIGURE_LABELS)}
    keys = sorted(figures, key=lambda k: order.get(k, len(order)))
    return {k: figures[k] for k in keys}, {k: sources[k] for k in keys}
