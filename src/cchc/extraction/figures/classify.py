"""Which key a number of a sentence states, from the words that belong to it (clauses.MentionContext).

What is counted comes from the unit after the number ("88 hồ sơ"), else the nearest noun among its own words, its
label's, its sibling's or its head's. How it is counted (received, resolved, online, late ...) comes from its own
words and its label; the action alone ("tiếp nhận", "giải quyết", "đang giải quyết") is inherited from the sibling
and the head: in "đã giải quyết 1.801 hồ sơ, trong đó 1.786 hồ sơ đúng hạn, 15 hồ sơ quá hạn" the 15 are resolved
late; in "04 hồ sơ đang giải quyết (..., không có hồ sơ quá hạn)" the zero is in-progress overdue.

A figure of a list is part of its head: it never states the head's key or a key the head is part of (a breakdown
"trong đó đất đai 1.200 hồ sơ" of "tiếp nhận 3.000 hồ sơ" would read as received again: it is dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

from .clauses import KEY_CUES, MentionContext
from .hierarchy import is_part_of
from .scope import breakdown_or_other

__all__ = ["SentenceInfo", "classify"]

_DOMAIN_OF = {
    "D_HS": "hs", "D_TTHC": "tthc", "D_PAKN": "pakn", "D_TASK": "task", "D_DOC": "doc", "D_VISIT": "visit",
    "D_MONEY": "money", "U_SCORE": "score",
}  # fmt: skip
_ACTIONS = ("A_HANDLE", "A_RECEIVE", "A_RESOLVE", "A_PROGRESS")
_INDEX = {
    "I_PAR": "par_index", "I_PAPI": "papi", "I_PCI": "pci", "I_SIPAS": "sipas", "I_PII": "pii", "I_766": "index_766",
}  # fmt: skip
_INDEX_KEY_INDEX = {"par_index_rank", "par_index_score", "pci_rank", "pci_score", "pii_rank", "pii_score",
                    "papi_score", "papi_rank", "index_766_score"}
_CHANNELS = {"Q_ONLINE": "dossiers_online", "Q_DIRECT": "dossiers_direct", "Q_POSTAL": "dossiers_postal"}


@dataclass(slots=True)
class SentenceInfo:
    """What a sentence says around its numbers, for the keys that depend on more than a clause."""

    cue_list: list[tuple[int, int, tuple[str, ...]]]
    plan_topic: str | None  # "cchc", "other" or None: the plan the sentence (or the ones before) speaks of
    directive: bool  # the sentence speaks of tasks the province's leadership assigned
    index: str | None  # the index named by the sentence before ("Chỉ số CCHC ...", then "xếp thứ 3")
    revenue: bool  # "thu phí, lệ phí"
    visits: bool  # "truy cập"
    ending_at: list  # token index -> the cues of the phrase ending there (the word right before a number)
    domain: str | None = None  # what the sentence before counted ("- Đã giải quyết: 6.951" under a list of dossiers)
    texts: list = None  # type: ignore[assignment]  # the sentence's tokens
    subject: str | None = None  # the level of the report's subject: "tinh", "huyen", "xa", "so"
    named: dict = None  # type: ignore[assignment]  # cue -> how many times the sentence names it
    index_before: list = None  # type: ignore[assignment]  # token index -> the index named last before it


def _nearest(tagged: list[tuple[int, str]], wanted, pos: int) -> str | None:
    best = None
    best_distance = None
    for i, tag in tagged:
        if tag in wanted:
            distance = pos - i if i < pos else (i - pos) + 0.5
            if best_distance is None or distance < best_distance:
                best, best_distance = tag, distance
    return best


def _first(tagged: list[tuple[int, str]], wanted) -> str | None:
    return next((tag for _, tag in tagged if tag in wanted), None)


def _last(tagged: list[tuple[int, str]], wanted) -> str | None:
    found = None
    for _, tag in tagged:
        if tag in wanted:
            found = tag
    return found


def _context(ctx: MentionContext) -> tuple[str | None, str | None, set[str], str]:
    """(domain, action, qualifiers, where the action came from: "own", "sibling", "head") of a number: its own
    words, its label, then its sibling and head."""
    m = ctx.mention
    own_tags = {tag for _, tag in ctx.own}
    label_tags = {tag for _, tag in ctx.label}
    domain = _DOMAIN_OF.get(m.unit) if m.unit else None
    if domain is None:
        tag = _nearest(ctx.own, _DOMAIN_OF, m.index) or _first(ctx.label, _DOMAIN_OF)
        domain = _DOMAIN_OF[tag] if tag else None
    action = _nearest(ctx.own, _ACTIONS, m.index) or _last(ctx.label, _ACTIONS)
    source = "own"
    if any(tag.startswith("Q_") for tag in own_tags):
        # "Về việc trả kết quả qua bưu điện: 05/12 hồ sơ được nộp online": the number's own
        # qualifier says how it was received; the heading before the colon does not add another.
        label_tags = {tag for tag in label_tags if not tag.startswith("Q_")}
    quals = own_tags | label_tags
    if ctx.pre and (m.percent or not own_tags & KEY_CUES):
        # "Số hồ sơ nộp trực tuyến còn thấp, chiếm 16,9%": the clause before says what the number is.
        quals |= {tag for _, tag in ctx.pre}
        if domain is None:
            tag = _last(ctx.pre, _DOMAIN_OF)
            domain = _DOMAIN_OF[tag] if tag else None
        action = action or _last(ctx.pre, _ACTIONS)
    for other, same_clause_or_comma, name in ((ctx.sibling, ctx.sibling_sep != ";", "sibling"),
                                              (ctx.head, True, "head")):
        if other is None:
            continue
        if domain is None:
            domain = getattr(other, "domain", None)
        # "giảm 8,3% ..., còn 142.518 hồ sơ": the change and the figure after it speak of the same thing.
        said = other.key is not None or getattr(other, "skip_reason", None) == "change"
        if action is None and same_clause_or_comma and (other is ctx.head or said):
            action = getattr(other, "action", None)
            source = name
    return domain, action, quals, source


def _carried_domain(ctx: MentionContext, info: SentenceInfo, domain: str | None) -> str | None:
    """The sentence before says what is counted only when the number's own words say how ("- Đã giải quyết: 6.951"
    under a list of dossiers); a number with no such word borrows nothing."""
    if domain is not None:
        return domain
    said = {tag for _, tag in ctx.own} | {tag for _, tag in ctx.label} | {tag for _, tag in ctx.pre}
    return info.domain if said & KEY_CUES else None


def classify(ctx: MentionContext, info: SentenceInfo) -> list[tuple[str, int | float]]:
    """The (key, value) pairs a number states: usually one, two for "8/43 nhiệm vụ" (done and total)."""
    m = ctx.mention
    if not (ctx.own or ctx.label or ctx.pre) and ctx.head is None and ctx.sibling is None:
        return []  # a bare number (a page number, a cell) says nothing of itself
    domain, action, quals, source = _context(ctx)
    domain = _carried_domain(ctx, info, domain)
    ctx.domain = domain  # type: ignore[attr-defined]
    ctx.action = action  # type: ignore[attr-defined]
    ctx.tags = quals | ({action} if action else set())
    ctx.domain = domain  # type: ignore[attr-defined]
    reason = breakdown_or_other(ctx, info)
    if reason:
        ctx.skipped = True
        ctx.skip_reason = reason  # type: ignore[attr-defined]
        return []
    found = _index_figure(ctx, info, quals)
    if found is None:
        if m.percent:
            found = _rate(ctx, domain, quals)
        elif domain == "hs":
            found = _dossiers(ctx, action, quals, source, info)
        elif domain == "tthc":
            found = _procedures(ctx, quals)
        elif domain == "pakn":
            found = _feedback(ctx, action, quals)
        elif domain == "task":
            found = _tasks(ctx, info, quals)
        elif domain == "doc":
            found = _documents(ctx, info, quals)
        elif domain == "visit" and info.visits and m.whole is None:
            found = [("website_visits", m.value)]
        elif domain == "money" or (info.revenue and m.whole is not None):
            found = _revenue(ctx, info)
        else:
            found = []
    if found and ctx.head is not None and not ctx.head.skipped:
        head_key = ctx.head.key
        if head_key is not None and ctx.head.mention.percent and m.whole is not None:
            found = []  # "90% (36/40 hồ sơ tiếp nhận mới)": the rate's parts, said again
        elif head_key is not None:
            found = [(k, v) for k, v in found if is_part_of(k, head_key)]
    if found:
        ctx.key = found[0][0]
    return found


def _index_figure(ctx: MentionContext, info: SentenceInfo, quals: set[str]):
    """Scores and ranks of the indices: "Chỉ số CCHC năm 2022 đạt 87,32 điểm, xếp thứ 29/63"."""
    m = ctx.mention
    before = info.ending_at[m.index] if m.index < len(info.ending_at) else None
    rank = bool(before) and "R_RANK" in before
    score = m.unit == "U_SCORE"
    reach = bool(before) and ("R_REACH" in before or "R_RATE" in before)
    if not (rank or score or m.percent or (reach and isinstance(m.value, float))):
        return None
    index = None
    if m.percent and not rank:
        # "Chỉ số SIPAS (...) của tỉnh đạt 84,38%", "đạt 82,13% Chỉ số CCHC": the index named since the number
        # before, or right after it (a rate of dossiers after an index's score is the dossiers').
        previous_end = ctx.sibling.mention.unit_end if ctx.sibling is not None else 0
        if ctx.sibling is not None and ctx.sibling.key in _INDEX_KEY_INDEX:
            # "Chỉ số CCHC ... xếp thứ 9/63 với 87,46%": the same index as the figure before.
            previous_end = 0
        index = info.index_before[m.index]
        if index is not None and info.index_before[previous_end] == index and previous_end:
            # The index was named before the figure before this one: unless that figure was the index's too, the
            # rate is of something else.
            index = None
        if index is None:
            after = info.index_before[min(m.end + 4, len(info.index_before) - 1)]
            index = after if after != info.index_before[m.end] or info.index_before[m.end] is None else None
        if index is None or quals & {"Q_EARLY_ONTIME", "Q_ONTIME", "Q_ONLINE", "D_HS"}:
            return None
    else:
        index = info.index_before[m.index]
        if index is None:
            # "đạt 84,61/100 điểm Bộ chỉ số phục vụ người dân, doanh nghiệp", "xếp thứ 2/63 về Chỉ số CCHC".
            after = info.index_before[min(m.unit_end + 4, len(info.index_before) - 1)]
            index = after if after != "component" else None
        if index is None:
            index = info.index
    if index is None or index == "component":
        return [] if (rank or score) else None
    if rank:
        if isinstance(m.value, int) and 0 < m.value <= 100:
            key = {"par_index": "par_index_rank", "pci": "pci_rank", "pii": "pii_rank", "papi": "papi_rank"}.get(index)
            return [(key, m.value)] if key else []
        return []
    if m.percent:
        if index in ("sipas", "par_index"):
            return [("sipas_pct" if index == "sipas" else "par_index_score", m.value)]
        return None
    if index == "sipas":
        return []
    return [(f"{index}_score", m.value)]


def _rate(ctx: MentionContext, domain: str | None, quals: set[str]):
    """ "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,2%", "635.593 hồ sơ, chiếm tỷ lệ 98,81%"."""
    m = ctx.mention
    own = {tag for _, tag in ctx.own} | {tag for _, tag in ctx.label} | {tag for _, tag in ctx.pre}
    if "Q_ONLINE_PORTAL" in own:
        own.add("Q_ONLINE")
    if domain not in (None, "hs") or "D_TTHC" in own or "D_DOC" in own or "D_PAKN" in own:
        return []
    if "Q_EARLY_ONTIME" in own or "Q_ONTIME" in own:
        if "Q_LATE" in own or "Q_ONLINE" in own:
            return []
        return [("on_time_rate_pct", m.value)]
    if "Q_ONLINE" in own:
        if own & {"Q_EARLY", "Q_LATE", "A_RESOLVE", "Q_DIRECT"}:
            return []
        return [("online_rate_pct", m.value)]
    if own & {"Q_EARLY", "Q_LATE", "Q_DIRECT", "Q_POSTAL", "Q_IN_TIME", "A_PROGRESS", "Q_DIGITISED"}:
        return []
    # "..., chiếm tỷ lệ 98,81%" / "(đạt 100%)": the rate of the figure just before.
    before = ctx.sibling if ctx.sibling is not None and ctx.sibling_sep != ";" else ctx.head
    if before is None or not own & {"R_SHARE", "R_REACH", "R_RATE"} and ctx.segment.opener != "(":
        return []
    if before.key in ("dossiers_early_or_on_time", "dossiers_on_time"):
        return [("on_time_rate_pct", m.value)]
    if before.key == "dossiers_online":
        return [("online_rate_pct", m.value)]
    return []


_DOSSIER_QUALIFIERS = frozenset({
    "Q_NEW", "Q_CARRIED", "Q_ONLINE", "Q_DIRECT", "Q_POSTAL", "Q_EARLY", "Q_ONTIME", "Q_EARLY_ONTIME", "Q_LATE",
    "Q_IN_TIME", "Q_REFUSED", "Q_WITHDRAWN", "Q_DIGITISED",
})  # fmt: skip


def _dossiers(ctx: MentionContext, action: str | None, quals: set[str], source: str, info: SentenceInfo):
    value = ctx.mention.value
    if not isinstance(value, int):
        return []
    if "A_BOTH" in {tag for _, tag in ctx.own} and not quals & _DOSSIER_QUALIFIERS:
        return [("dossiers_received", value), ("dossiers_resolved", value)]
    if "Q_REFUSED" in quals:
        return [("dossiers_refused", value)]
    if "Q_WITHDRAWN" in quals:
        return [("dossiers_withdrawn", value)]
    if "Q_DIGITISED" in quals:
        return [("digitised_dossiers", value)]
    early, ontime = "Q_EARLY" in quals, "Q_ONTIME" in quals
    if "Q_ONLINE_PORTAL" in quals:
        quals = quals | {"Q_ONLINE"}
    if "Q_EARLY_ONTIME" in quals or (early and ontime):
        return [] if action == "A_PROGRESS" or "Q_LATE" in quals else [("dossiers_early_or_on_time", value)]
    if early or ontime:
        if action == "A_PROGRESS" or "Q_LATE" in quals:
            return []
        return [("dossiers_early" if early else "dossiers_on_time", value)]
    if "Q_LATE" in quals:
        # In progress only when the clause or its head says so: "đang giải quyết 50, trong đó 12 quá hạn"; after
        # a comma ("đã giải quyết 738 hồ sơ, 05 hồ sơ đang giải quyết, không có hồ sơ quá hạn") late is resolved.
        overdue = action == "A_PROGRESS"
        if overdue and source == "sibling":
            # After a comma the sentence's first figure decides: "Đang giải quyết 272 hồ sơ, chưa có hồ sơ nào quá
            # hạn" (in progress) but "đã giải quyết 738 hồ sơ, 05 hồ sơ đang giải quyết, không có hồ sơ quá hạn".
            first = ctx.segment.frame.first
            overdue = first is not None and getattr(first, "action", None) == "A_PROGRESS"
        return [("dossiers_in_progress_overdue" if overdue else "dossiers_late", value)]
    channels = [key for tag, key in _CHANNELS.items() if tag in quals]
    head_key = ctx.head.key if ctx.head is not None else None
    if not channels and "PLACE" in quals and head_key in ("dossiers_received", "dossiers_new"):
        channels = ["dossiers_direct"]  # "tiếp nhận 7.926 hồ sơ (tại bộ phận một cửa 6.215, qua Cổng ... 1.438)"
    if channels:
        own_action = {tag for _, tag in ctx.own} & {"A_RESOLVE", "A_PROGRESS"}
        if own_action:
            return []
        if len(channels) > 1:
            # "trực tiếp, qua dịch vụ bưu chính: 286" counts both together, neither alone; "không có hồ sơ nộp
            # trực tiếp, dịch vụ bưu chính" is a zero of each.
            return [(key, 0) for key in channels] if value == 0 else []
        return [(channels[0], value)]
    if "Q_CARRIED" in quals:
        return [("dossiers_carried_over", value)]
    before = info.ending_at[ctx.mention.index] if ctx.mention.index < len(info.ending_at) else None
    if "Q_NEW" in quals or (before and "Q_NEW_BARE" in before):  # "(kỳ trước chuyển sang 128, mới 4.577)"
        return [("dossiers_new", value)]
    if action in ("A_HANDLE", "A_RECEIVE") or (action is None and "M_TOTAL" in quals):
        return [("dossiers_received", value)]  # "Tổng số hồ sơ: 52.118 hồ sơ" is the total for handling
    if action == "A_RESOLVE":
        return [("dossiers_resolved", value)]
    if action == "A_PROGRESS":
        return [("dossiers_in_progress", value)]
    return []


_PROCEDURE_KEYS = (
    ("P_LEVEL3", "procedures_level3"), ("P_LEVEL4", "procedures_level4"), ("P_FULL", "procedures_online_full"),
    ("P_LEVEL34", "procedures_online"),
    ("P_PARTIAL", "procedures_online_partial"), ("Q_ONLINE", "procedures_online"),
    ("P_INTERCONNECTED", "procedures_interconnected"), ("P_ONE_STOP", "procedures_one_stop"),
)  # fmt: skip


_PROCEDURE_CUES = frozenset(tag for tag, _ in _PROCEDURE_KEYS) | {"P_TOTAL", "P_TOTAL_WEAK"}


def _procedures(ctx: MentionContext, quals: set[str]):
    """ "Bộ TTHC của Sở gồm 102 thủ tục", "50 thủ tục ... mức độ 4", "toàn trình 43 TTHC", "48/49 TTHC ..."."""
    m = ctx.mention
    if not isinstance(m.value, int) or quals & {"P_ANNOUNCED", "P_SUBTYPE", "P_LEVEL2", "X_REST"}:
        return []
    if quals & {"A_RECEIVE", "A_RESOLVE", "A_PROGRESS"} and not quals & _PROCEDURE_CUES:
        return []
    levels = [key for tag, key in _PROCEDURE_KEYS if tag in quals]
    if "P_ONE_STOP" in quals and "P_INTERCONNECTED" in quals:
        levels = [k for k in levels if k != "procedures_interconnected"]
    specific = [k for k in levels if k not in ("procedures_online", "procedures_one_stop",
                                              "procedures_interconnected")]
    if specific:
        key = specific[0] if len(specific) == 1 else None
    elif levels:
        key = levels[0]
    elif quals & {"P_TOTAL", "P_TOTAL_WEAK", "M_TOTAL"}:
        key = "procedures_total"
    else:
        key = None
    if key is None or (key == "procedures_total" and m.whole is not None):
        return []  # "01/49 TTHC ... còn thực hiện tại Sở": a part of the catalogue, not its count
    out = [(key, m.value)]
    if m.whole is not None and key != "procedures_total" and isinstance(m.whole, int) and m.whole >= m.value:
        out.append(("procedures_total", m.whole))
    return out


def _feedback(ctx: MentionContext, action: str | None, quals: set[str]):
    """ "tiếp nhận 09 phản ánh, kiến nghị", "đã xử lý 01 (đúng hạn 01)"."""
    value = ctx.mention.value
    if not isinstance(value, int) or ctx.mention.whole is not None:
        return []
    if quals & {"Q_LATE", "Q_ONTIME", "Q_EARLY", "Q_IN_TIME", "Q_EARLY_ONTIME", "A_PROGRESS", "Q_ONLINE"}:
        return []
    if "A_BOTH" in {tag for _, tag in ctx.own}:
        return [("feedback_received", value), ("feedback_resolved", value)]
    if action == "A_RESOLVE":
        return [("feedback_resolved", value)]
    if action in (None, "A_RECEIVE", "A_HANDLE"):
        return [("feedback_received", value)]
    return []


def _tasks(ctx: MentionContext, info: SentenceInfo, quals: set[str]):
    """Plan tasks ("Kế hoạch ... gồm 40 nhiệm vụ", "hoàn thành 9/40 nhiệm vụ của kế hoạch") and tasks assigned by
    the province ("được UBND tỉnh giao 58 nhiệm vụ; đã hoàn thành 49/58")."""
    m = ctx.mention
    if not isinstance(m.value, int) or "T_NOT_DONE" in quals or "C_TOPIC_OTHER" in quals:
        return []
    own = {tag for _, tag in ctx.own} | {tag for _, tag in ctx.label}
    done = "T_DONE" in quals or (m.whole is not None and "T_DONE_WEAK" in quals)
    if "C_DIRECTIVE" in own or ("C_ISSUER" in own and "C_ASSIGN" in own):
        kind = "directives"
    elif "C_PLAN" in own:
        kind = "plan" if info.plan_topic != "other" else None
    elif info.directive:
        kind = "directives"
    elif info.plan_topic == "cchc" or (info.plan_topic is None and m.whole is not None and done):
        kind = "plan"
    else:
        kind = None
    if kind is None:
        return []
    if done:
        out = [(f"{kind}_done" if kind == "directives" else "plan_tasks_done", m.value)]
        if m.whole is not None and isinstance(m.whole, int) and m.whole >= m.value:
            out.append((f"{kind}_total" if kind == "directives" else "plan_tasks_total", m.whole))
        return out
    if m.whole is not None:
        return []
    if kind == "plan" and "C_PLAN" not in own and not quals & {"L_GOM", "M_TOTAL"}:
        return []
    if kind == "directives" and not own & {"C_DIRECTIVE", "C_ASSIGN"}:
        return []
    return [("directives_total" if kind == "directives" else "plan_tasks_total", m.value)]


def _documents(ctx: MentionContext, info: SentenceInfo, quals: set[str]):
    """ "624 văn bản được ký số"; "hoàn thành 07/08 văn bản chỉ đạo, phân công của UBND tỉnh"."""
    m = ctx.mention
    if not isinstance(m.value, int):
        return []
    if "K_SIGNED" in quals and m.whole is None:
        return [("signed_documents", m.value)]
    if "T_DONE" in quals and m.whole is not None and "C_ASSIGN" in quals and "C_ISSUER" in quals:
        out = [("directives_done", m.value)]
        if isinstance(m.whole, int) and m.whole >= m.value:
            out.append(("directives_total", m.whole))
        return out
    return []


def _revenue(ctx: MentionContext, info: SentenceInfo):
    """ "Thu phí, lệ phí ...: 13,6/110 (triệu đồng)" -> collected 13.6 of a plan of 110."""
    m = ctx.mention
    if not info.revenue or m.whole is None:
        return []
    return [("revenue_collected", m.value), ("revenue_plan", m.whole)]
