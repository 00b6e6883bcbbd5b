"""Negations that state a zero: "không có hồ sơ trễ hạn" (dossiers_late 0), "không nhận được phản ánh, kiến nghị
nào" (feedback_received 0), "không tiếp nhận hồ sơ TTHC nào" (dossiers_received 0), "chưa giải quyết xong hồ sơ
nào" (dossiers_resolved 0).

A clause without a number that opens with a negation is read as a count of zero with the words after the negation,
through the same classification as a written number: its head and sibling give the action ("04 hồ sơ đang giải
quyết (04 hồ sơ trong hạn, không có hồ sơ quá hạn)" -> in-progress overdue 0, not late), and a breakdown, another
period or a target is no zero of the subject either. A negation goes on over the clauses after it that only add a
qualifier: "không có hồ sơ nộp trực tiếp, dịch vụ bưu chính" is two zeros.
"""

from __future__ import annotations

from .classify import SentenceInfo, classify
from .clauses import MentionContext, Segment, _tags_in
from .numbers import Mention

__all__ = ["zeros"]

_QUALIFIERS = frozenset({
    "Q_NEW", "Q_CARRIED", "Q_ONLINE", "Q_DIRECT", "Q_POSTAL", "Q_EARLY", "Q_ONTIME", "Q_EARLY_ONTIME", "Q_LATE",
    "Q_REFUSED", "Q_WITHDRAWN", "Q_DIGITISED",
})  # fmt: skip
_VERBS = frozenset({"A_RECEIVE", "A_RESOLVE", "A_PROGRESS", "A_HANDLE", "T_DONE", "T_DONE_WEAK"})


def _negation_start(tagged: list[tuple[int, str]]) -> tuple[int, list[tuple[int, str]]] | None:
    """Where the negation is and the cues that go with it, or None."""
    for pos, (i, tag) in enumerate(tagged):
        if tag == "NEG":
            extra = [(i, t) for j, t in tagged if j == i and t != "NEG"]
            return i, extra + [(j, t) for j, t in tagged[pos + 1:] if j > i]
        if tag == "NEG_WORD":
            after = [(j, t) for j, t in tagged[pos + 1:] if j > i]
            if after and after[0][0] == i + 1 and after[0][1] == "Q_LATE":
                return i, after
        if tag == "NEG_RESOLVE" and any(t == "N_NONE" for _, t in tagged):
            return i, [(i, "A_RESOLVE")] + [(j, t) for j, t in tagged if j > i and t not in ("A_PROGRESS",)]
    return None


def zeros(seg: Segment, cue_at: list, info: SentenceInfo, previous_zero: MentionContext | None):
    """(context, [(key, 0)]) for a clause without numbers that states a zero, else None."""
    tagged = _tags_in(cue_at, seg.start, seg.end)
    found = _negation_start(tagged)
    continued = False
    if found is None:
        # "..., dịch vụ bưu chính": the negation of the clause before goes on.
        if previous_zero is None or seg.opener != "," or not tagged:
            return None
        tags = {t for _, t in tagged}
        if not tags & _QUALIFIERS or tags & _VERBS or "NEG" in tags:
            return None
        at, after = seg.start, tagged
        continued = True
    else:
        at, after = found
    before = [(i, t) for i, t in tagged if i < at]
    # The zero's "unit" is the run of words right after the negation ("hồ sơ nộp trực tiếp, dịch vụ bưu chính").
    unit_end = at
    for i, tag in after:
        if i > unit_end + 2 or not (tag in _QUALIFIERS or tag.startswith(("D_", "A_"))):
            break
        unit_end = i
    mention = Mention(index=at, end=at, unit_end=unit_end, value=0, whole=None, percent=False, unit=None,
                      start_char=0, end_char=0)
    frame = seg.frame
    sibling = previous_zero if continued else seg.before
    ctx = MentionContext(
        mention=mention, segment=seg, own=before + after, left=before, head=frame.head, sibling=sibling,
        sibling_sep=";" if seg.after_semicolon and not continued else ",",
        label=[t for s in seg.label for t in _tags_in(cue_at, s.start, s.end)],
    )
    if continued and previous_zero is not None:
        ctx.head = previous_zero.head
    pairs = classify(ctx, info)
    if not pairs or getattr(ctx, "domain", None) not in _ZERO_DOMAINS:
        return None
    return ctx, pairs


# Zeros of dossiers, feedback and procedures; "chưa có nhiệm vụ được giao ... trên hệ thống" says a list is not
# there yet, not that there are none.
_ZERO_DOMAINS = frozenset({"hs", "pakn", "tthc"})
