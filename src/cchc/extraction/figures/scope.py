"""Whose figure and of which period: the report's subject for the reported period, or something else.

Not the subject's figure:
- a breakdown by level, agency group, field or portal ("cấp tỉnh tiếp nhận 77.833", "các sở, ngành ...", "lĩnh vực
  đất đai 3.400 hồ sơ", "31 hồ sơ trên cổng của tỉnh, 12 hồ sơ trên cổng quốc gia");
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

__all__ = ["breakdown_or_other", "future_heading", "main_year", "sentence_years", "subject_level"]

_SCOPE = frozenset({"S_LEVEL", "S_FIELD", "S_PORTAL", "S_GROUP", "X_OTHER_SUBJECT"})
_LEAD = frozenset({"X_PAST", "X_TARGET", "X_FUTURE"})
_SAYS_WHAT = KEY_CUES | {"I_PAR", "I_PAPI", "I_PCI", "I_SIPAS", "I_PII", "I_766", "R_RATE", "R_RANK"}
_LEVEL_OF = {"L_TINH": "tinh", "L_HUYEN": "huyen", "L_XA": "xa"}
_WHOLE_OF = {"M_TINH": "tinh", "M_HUYEN": "huyen", "M_XA": "xa"}
# A unit below the one named: "toàn tỉnh" in a district's report is another subject.
_BELOW = {"tinh": {"so", "huyen", "xa"}, "huyen": {"xa"}, "xa": set()}


def _levels(tagged, wanted) -> set[str]:
    return {wanted[t] for _, t in tagged if t in wanted}


def _count(info, tag: str) -> int:
    return info.named.get(tag, 0)


def _own_level(subject: str, levels: set[str], info) -> bool:
    own = "tinh" if subject == "so" else subject
    if levels != {own}:
        return False
    named = {level for tag, level in _LEVEL_OF.items() if tag in info.named}
    return named == {own}


def breakdown_or_other(ctx, info) -> str | None:
    """Why the number is not a figure of the subject for the period ("scope", "change", "period", "target"), or
    None when it is (see the module's docstring)."""
    m = ctx.mention
    texts = info.texts
    before = info.ending_at[m.index] if m.index < len(info.ending_at) else None
    if before and "R_RANK" in before:
        # "xếp thứ 7/20 sở, ban, ngành": the rank among the departments is the subject's.
        own_tagged = [(i, tag) for i, tag in ctx.own if i < m.index]
    else:
        # A breakdown is named before the number or right after it ("2.785 hồ sơ ở cấp thị xã"), not at the end
        # of a long clause ("không có hồ sơ nộp trực tiếp, tại quầy một cửa đặt ở cấp tỉnh").
        own_tagged = [(i, tag) for i, tag in ctx.own
                      if i < m.index or i <= m.unit_end + (1 if tag == "S_FIELD" else 4)]
    left = {tag for _, tag in ctx.left}
    label_tagged = ctx.label if not left & _SAYS_WHAT else [(i, t) for i, t in ctx.label if t not in _SCOPE]
    # "... dẫn đầu cả nước: Chỉ số PCI đạt 70,61 điểm": the clause says itself what the number is; the words before
    # the colon are a preamble, not its label (a comparison or a target there still counts).
    around = own_tagged + label_tagged + ctx.pre
    tags = {tag for _, tag in around}
    subject = info.subject
    wholes = _levels(around, _WHOLE_OF)
    if subject and any(level in _BELOW for level in wholes) and any(subject in _BELOW[w] for w in wholes):
        return "scope"  # "toàn tỉnh" in the report of a Sở or a district
    scope = set()
    for i, tag in around:
        if tag not in _SCOPE:
            continue
        if tag == "S_LEVEL":
            levels = _levels([(j, t) for j, t in around if j == i], _LEVEL_OF)
            if subject in ("huyen", "xa", "so") and _own_level(subject, levels, info):
                continue  # the subject's own level, the only one the sentence names
            if i > 0 and i - 1 < len(texts) and texts[i - 1][:1].isdigit():
                continue  # "94 xã, phường": the units the subject is made of
            if i > 0 and i - 1 < len(texts) and texts[i - 1] in ("cho", "toi", "den", "voi"):
                continue  # "giao 118 nhiệm vụ cho các sở, ngành": to whom, not whose
            if "M_TOTAL" in tags and not levels:
                continue  # "các cơ quan, đơn vị trên địa bàn tỉnh": all of them
        if tag == "S_FIELD" and info.revenue and m.whole is not None:
            continue
        if tag == "S_PORTAL" and (getattr(ctx, "domain", None) != "hs" or _count(info, "S_PORTAL") < 2):
            # "407 dịch vụ mức độ 4 trên Cổng dịch vụ công", "tiếp nhận 09 hồ sơ trên Cổng dịch vụ công tỉnh": where
            # they are; a breakdown names two portals ("31 hồ sơ trên cổng của tỉnh, 12 hồ sơ trên cổng quốc gia").
            continue
        scope.add(tag)
    if scope:
        return "scope"
    label = {tag for _, tag in ctx.label}
    if (left | label) & {"X_COMPARE"}:
        return "period"
    if any(tag == "X_CHANGE" and m.index - i <= 3 for i, tag in ctx.left):
        return "change"
    if (left | label | {tag for _, tag in ctx.pre} | ctx.lead) & _LEAD:
        return "period" if "X_PAST" in (left | label | ctx.lead) else "target"
    head = ctx.head
    if head is not None and head.skipped:
        return "scope"
    frame = ctx.segment.frame
    if head is None and frame.kind == "paren" and frame.head_tags & (_SCOPE | _LEAD | {"X_COMPARE"}):
        return "period"
    return None


_SUBJECT = re.compile(
    r"\b(?:(UBND|Ủy ban nhân dân)\s+)?(tỉnh|thành phố|TP\.|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu|Sở|Ban Quản lý"
    r"|Văn phòng UBND|Chi cục|Cục)\s+([A-ZĐ0-9À-Ỹ])",
    re.IGNORECASE,
)
_CENTRAL_CITIES = ("ha noi", "ho chi minh", "da nang", "hai phong", "can tho", "hue")
_LEVEL_WORDS = {"tinh": "tinh", "huyen": "huyen", "quan": "huyen", "thi xa": "huyen", "xa": "xa", "phuong": "xa",
                "thi tran": "xa", "dac khu": "xa", "so": "so", "ban quan ly": "so", "van phong ubnd": "so",
                "chi cuc": "so", "cuc": "so"}


def subject_level(texts) -> str | None:
    """The level of the unit a text reports on, from the first unit it names ("Sở Tư pháp ..." -> "so", "huyện
    Vũ Thư" -> "huyen", "Phường Sài Gòn" -> "xa", "tỉnh Nam Định" -> "tinh"); units named after "Theo" (the
    source of a news item) are skipped. None when no unit is named."""
    from .text import fold

    for text in texts:
        for m in _SUBJECT.finditer(text[:600]):
            if m.group(2)[0].islower() and m.group(3)[0].islower():
                continue
            head = fold(text[max(0, m.start() - 25):m.start()])
            if "theo " in head:
                continue
            word = fold(m.group(2)).rstrip(".")
            if word in ("thanh pho", "tp"):
                rest = fold(text[m.start(3):m.start(3) + 15])
                return "tinh" if rest.startswith(_CENTRAL_CITIES) else "huyen"
            return _LEVEL_WORDS.get(word)
    return None


# "III. PHƯƠNG HƯỚNG, NHIỆM VỤ ...", "IV. NHIỆM VỤ TRỌNG TÂM QUÝ IV", "V. KIẾN NGHỊ, ĐỀ XUẤT" (not "3. Tiếp nhận,
# xử lý phản ánh, kiến nghị": a heading that only names feedback).
_FUTURE_HEADING = re.compile(
    r"phuong huong|^\W*(?:[ivx]+|[0-9]+)?\W*(?:kien nghi|de xuat)|kien nghi,? de xuat|de xuat,? kien nghi|"
    r"thoi gian toi|tiep theo|nhiem vu trong tam|nhiem vu,? giai phap (?:trong )?(?:[0-9]+ )?(?:quy|nam|thang|ky) "
    r"(?:toi|tiep|cuoi)|nhiem vu,? giai phap (?:[0-9]+ thang|quy [ivx]+) cuoi|ke hoach (?:quy|nam|thang) toi"
)


def future_heading(folded_heading: str) -> bool:
    """A heading that opens the tasks ahead or the recommendations (its figures are targets, not results)."""
    return bool(_FUTURE_HEADING.search(folded_heading))


_YEAR = re.compile(r"\bnam (20[0-9]{2})\b|\b(?:quy [ivx]{1,3}|[0-9]{1,2} thang)[ /]+(?:nam )?(20[0-9]{2})\b")


_COMPARED = re.compile(r"(?:so voi|cung ky|so cung ky|tang|giam|hon|gap|truoc do|nhu|bang)\W+(?:\w+\W+){0,5}$")


def sentence_years(folded: str) -> set[int]:
    """The years a sentence dates itself by ("năm 2023", "quý I/2023", "6 tháng năm 2023"); a year a comparison
    names ("tăng 12% so với 6 tháng đầu năm 2021") does not date the sentence."""
    out: set[int] = set()
    if "20" not in folded:
        return out
    for m in _YEAR.finditer(folded):
        if _COMPARED.search(folded[max(0, m.start() - 60):m.start()]):
            continue
        out.add(int(m.group(1) or m.group(2)))
    return out


def main_year(years_of_sentences) -> int | None:
    """The year the report speaks of: the one its sentences name most often (the latest on a tie)."""
    counts: Counter[int] = Counter()
    for years in years_of_sentences:
        counts.update(years)
    if not counts:
        return None
    best = max(counts.values())
    return max(year for year, c in counts.items() if c == best)
