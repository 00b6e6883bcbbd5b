"""Whose figure and of which period: the report's subject for the reported period, or something else.

Not the subject's figure:
- a breakdown by level, agency group, field or portal ("cấp tỉnh tiếp nhận 77.833", "các sở, ngành ...", "lĩnh vực
  đất đai 3.400 hồ sơ", "20 hồ sơ trên cổng dịch vụ công của tỉnh và 68 ... trên cổng quốc gia");
- another subject ("trung bình cả nước", "bình quân");
- a comparison with another period ("so với cùng kỳ năm 2022 tăng 12%", "(cùng kỳ: 1.100 hồ sơ)"), a target
  ("phấn đấu đạt 95%"), the future ("thời gian tới");
- a sentence dated only by a year other than the report's ("Năm 2022, Sở tiếp nhận ..." in a report on 2023; the
  indices are exempt: a report gives the latest published index, of an earlier year);
- the sections of tasks ahead and recommendations ("III. PHƯƠNG HƯỚNG, NHIỆM VỤ ...", "KIẾN NGHỊ, ĐỀ XUẤT").
A figure under a head that is not the subject's is not either (the breakdown of a breakdown, the parts of a
comparison).
"""

from __future__ import annotations

import re
from collections import Counter

from .clauses import KEY_CUES

__all__ = ["breakdown_or_other", "future_heading", "main_year", "sentence_years"]

_SCOPE = frozenset({"S_LEVEL", "S_FIELD", "S_PORTAL", "S_GROUP", "X_OTHER_SUBJECT"})
_LEFT_ONLY = frozenset({"X_COMPARE", "X_TARGET", "X_FUTURE"})
_SAYS_WHAT = KEY_CUES | {"I_PAR", "I_PAPI", "I_PCI", "I_SIPAS", "I_PII", "I_766", "R_RATE", "R_RANK"}


def breakdown_or_other(ctx, info) -> bool:
    """True when the number is not a figure of the subject for the period (see the module's docstring)."""
    m = ctx.mention
    before = info.ending_at[m.index] if m.index < len(info.ending_at) else None
    if before and "R_RANK" in before:
        # "xếp thứ 7/20 sở, ban, ngành": the rank among the departments is the subject's.
        own = {tag for i, tag in ctx.own if i < m.index}
    else:
        own = {tag for i, tag in ctx.own if tag != "S_FIELD" or i < m.index or i <= m.unit_end + 1}
    left = {tag for _, tag in ctx.left}
    label = {tag for _, tag in ctx.label}
    pre = {tag for _, tag in ctx.pre}
    if left & _SAYS_WHAT:
        # "... dẫn đầu cả nước: Chỉ số PCI đạt 70,61 điểm": the clause says itself what the number is; the words
        # before the colon are a preamble, not its label (a comparison or a target there still counts).
        label = label - _SCOPE
    scope = (own | label | pre) & _SCOPE
    if scope == {"S_FIELD"} and info.revenue and ctx.mention.whole is not None:
        scope = set()
    if scope:
        return True
    if (left | label | pre | ctx.lead) & _LEFT_ONLY:
        return True
    head = ctx.head
    if head is not None and head.skipped:
        return True
    frame = ctx.segment.frame
    if head is None and frame.kind == "paren" and frame.head_tags & (_SCOPE | _LEFT_ONLY):
        return True
    return False


_FUTURE_HEADING = re.compile(
    r"phuong huong|kien nghi|de xuat|thoi gian toi|tiep theo|nhiem vu trong tam|nhiem vu,? giai phap (?:trong )?"
    r"(?:quy|nam|thang|ky) (?:toi|tiep)|ke hoach (?:quy|nam|thang) toi"
)


def future_heading(folded_heading: str) -> bool:
    """A heading that opens the tasks ahead or the recommendations (its figures are targets, not results)."""
    return bool(_FUTURE_HEADING.search(folded_heading))


_YEAR = re.compile(r"\bnam (20[0-9]{2})\b|\b(?:quy [ivx]{1,3}|[0-9]{1,2} thang)[ /]+(?:nam )?(20[0-9]{2})\b")


def sentence_years(folded: str) -> set[int]:
    """The years a sentence dates itself by ("năm 2023", "quý I/2023", "6 tháng năm 2023")."""
    return {int(a or b) for a, b in _YEAR.findall(folded)}


def main_year(folded_sentences) -> int | None:
    """The year the report speaks of: the one its sentences name most often (the latest on a tie)."""
    counts: Counter[int] = Counter()
    for folded in folded_sentences:
        counts.update(sentence_years(folded))
    if not counts:
        return None
    best = max(counts.values())
    return max(year for year, c in counts.items() if c == best)
