"""A sentence cut into clauses, and the words that belong to each number.

Clauses end at , ; : ( ) and at the words that open a list ("trong đó", "bao gồm", "gồm" after a figure). Commas
inside a phrase of the lexicon ("phản ánh, kiến nghị", "trước hạn, đúng hạn") do not cut. Clauses sit in frames:
the sentence, a parenthesis, a list. A list or a parenthesis right after a figure is that figure's breakdown (its
*head*): "tiếp nhận 1.846 hồ sơ (trong đó 27 hồ sơ tồn từ quý trước, 312 hồ sơ nộp trực tuyến ...)". A clause before
a colon that holds no number is the *label* of the figure after it: "Số hồ sơ đã giải quyết: 60 hồ sơ". The figure
before in the same frame is the *sibling*: "38 hồ sơ giải quyết đúng hạn, 2 hồ sơ quá hạn" (the second inherits
"giải quyết").

Within a clause holding several numbers the words between two numbers go to the one they describe: after the
number ("88 hồ sơ trực tuyến và 12 hồ sơ trực tiếp") when the clause ends with such words, else before it ("trước
hạn 120 hồ sơ và đúng hạn 300 hồ sơ").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import match_at
from .numbers import Mention

__all__ = ["Cues", "Frame", "MentionContext", "Segment", "parse_clauses", "KEY_CUES"]

_SEPARATORS = frozenset({",", ";", ":", "(", ")", "[", "]"})
_LEAD = frozenset({"X_PAST", "X_TARGET", "X_FUTURE"})
_LOOK_BACK = 9
_LIST_CUES = frozenset({"L_LIST", "L_GOM"})
# Cues that say what a figure is (used to tell on which side of its numbers a clause puts the words).
KEY_CUES = frozenset({
    "A_RECEIVE", "A_RESOLVE", "A_PROGRESS", "A_HANDLE", "Q_NEW", "Q_CARRIED", "Q_ONLINE", "Q_DIRECT", "Q_POSTAL",
    "Q_EARLY", "Q_ONTIME", "Q_EARLY_ONTIME", "Q_LATE", "Q_IN_TIME", "Q_REFUSED", "Q_WITHDRAWN", "Q_DIGITISED",
    "P_TOTAL", "P_ONE_STOP", "P_INTERCONNECTED", "P_FULL", "P_PARTIAL", "P_LEVEL2", "P_LEVEL3", "P_LEVEL4",
    "P_LEVEL34", "P_SUBTYPE", "P_ANNOUNCED", "K_SIGNED", "T_DONE", "T_NOT_DONE",
})  # fmt: skip


@dataclass(eq=False)
class Frame:
    kind: str  # "root", "paren", "list"
    head: MentionContext | None = None
    head_tags: set[str] = field(default_factory=set)  # the cues of the clause that opened it
    last: MentionContext | None = None  # the last figure read in this frame
    first: MentionContext | None = None  # the first one
    semicolon: bool = False  # a ";" came after `last`
    lead: set[str] = field(default_factory=set)  # comparison, target, future words of its clauses since a ";"


@dataclass(eq=False)
class Segment:
    start: int
    end: int
    opener: str  # what came before: "start", ",", ";", ":", "(", ")", "list"
    frame: Frame
    mentions: list[MentionContext] = field(default_factory=list)
    label: list[Segment] = field(default_factory=list)
    pre: list[Segment] = field(default_factory=list)  # clauses without numbers just before, after a comma
    lead: set[str] = field(default_factory=set)  # comparison, target, future words since the last ";" (no number)
    before: MentionContext | None = None  # the figure before this clause in its frame (a zero's sibling)
    after_semicolon: bool = False


@dataclass(eq=False)
class MentionContext:
    mention: Mention
    segment: Segment
    own: list[tuple[int, str]]  # (token index, cue) of the words that belong to this number
    left: list[tuple[int, str]]  # the part of `own` before the number
    head: MentionContext | None
    sibling: MentionContext | None
    sibling_sep: str  # "within" (same clause), "," or ";"
    label: list[tuple[int, str]]
    pre: list[tuple[int, str]] = field(default_factory=list)
    lead: set[str] = field(default_factory=set)
    key: str | None = None
    tags: set[str] = field(default_factory=set)  # the cues classification used (own, label and inherited)
    skipped: bool = False  # a breakdown, another period, a target: not a figure of the subject


class Cues:
    """The lexicon's phrases in one sentence, indexed by token: `cues[i]` the cues of the phrase starting at token i
    (or None), `ending_at[i]` those of the phrase ending right before it, `covered[i]` whether token i is inside a
    phrase; `tags_in(a, b)` the (token, cue) pairs of the phrases starting in [a, b), as one slice."""

    __slots__ = ("at", "ending_at", "covered", "pairs", "first")

    def __init__(self, n: int, cue_list) -> None:
        self.at: list = [None] * n
        self.ending_at: list = [None] * (n + 1)
        self.covered = [False] * n
        self.pairs: list[tuple[int, str]] = []
        self.first = [0] * (n + 1)  # token index -> index in `pairs` of the first pair at or after it
        cursor = 0
        for start, end, tags in cue_list:
            self.at[start] = tags
            self.ending_at[end] = tags
            for i in range(start, end):
                self.covered[i] = True
            while cursor <= start:
                self.first[cursor] = len(self.pairs)
                cursor += 1
            self.pairs.extend((start, tag) for tag in tags)
        while cursor <= n:
            self.first[cursor] = len(self.pairs)
            cursor += 1

    def __getitem__(self, i: int):
        return self.at[i]

    def tags_in(self, start: int, end: int) -> list[tuple[int, str]]:
        if end <= start:
            return []
        return self.pairs[self.first[start]:self.first[min(end, len(self.first) - 1)]]


def _tags_in(cue_at: Cues, start: int, end: int) -> list[tuple[int, str]]:
    return cue_at.tags_in(start, end)


def parse_clauses(
    texts: list[str], cue_at: list, covered: list[bool], mentions: list[Mention], root: Frame,
    carry_last: MentionContext | None = None,
) -> list[Segment]:
    """The clauses of one sentence with their figures' contexts, in order. `carry_last` is the last figure of the
    sentence before, the head of a list this sentence opens with ("Trong đó, ...")."""
    n = len(texts)
    segments: list[Segment] = []
    frames = [root]
    label_pending: list[Segment] = []
    since_semicolon: list[Segment] = []
    opener = "start"
    start = 0
    mention_iter = iter(mentions)
    next_mention = next(mention_iter, None)
    i = 0
    seen_mention = False

    def close(end: int, next_opener: str) -> None:
        nonlocal start, opener, label_pending, next_mention, seen_mention
        frame = frames[-1]
        seg = Segment(start, end, opener, frame, before=frame.last, after_semicolon=frame.semicolon)
        if opener == ":" and label_pending:
            seg.label = label_pending
        elif opener in (",", "list", ")"):
            run = []
            # The clauses without numbers just before (a bounded look back: the work per clause stays constant).
            for previous in since_semicolon[-1:-_LOOK_BACK:-1]:
                if previous.frame is not frame:
                    continue  # a parenthesis in between: "tổng số hồ sơ tiếp nhận (cả cấp huyện và cấp xã) là"
                if previous.mentions:
                    break
                run.append(previous)
            seg.pre = run[::-1]
        seg.lead = set(frame.lead)
        label_pending = []
        own_mentions = []
        while next_mention is not None and next_mention.index < end:
            if next_mention.index >= start:
                own_mentions.append(next_mention)
            next_mention = next(mention_iter, None)
        _attach(seg, own_mentions, cue_at, texts)
        # A target or another period governs the clauses after it up to the next ";" ("Phấn đấu tỷ lệ hồ sơ trực
        # tuyến đạt 50%, tỷ lệ ... đúng hạn đạt 98%"): the words before the clause's first number count.
        until = own_mentions[0].index if own_mentions else seg.end
        frame.lead.update(tag for _, tag in _tags_in(cue_at, seg.start, until) if tag in _LEAD)
        if own_mentions:
            seen_mention = True
        segments.append(seg)
        since_semicolon.append(seg)
        start = end + 1
        opener = next_opener

    # Only separators and list words cut a clause: visit those tokens alone.
    events = [j for j, text in enumerate(texts)
              if (text in _SEPARATORS and not covered[j]) or (cue_at[j] is not None and _LIST_CUES & set(cue_at[j]))]
    for i in events:
        if i < start - 1:
            continue  # inside a list phrase already consumed
        tags = cue_at[i]
        text = texts[i]
        if text in _SEPARATORS and not covered[i]:
            close(i, text)
            if text == "(":
                prev_seg = segments[-1]
                head = prev_seg.mentions[-1] if prev_seg.mentions else None
                frames.append(Frame("paren", head=head, head_tags=_plain_tags(prev_seg, cue_at)))
            elif text in (")", "]"):
                while len(frames) > 1:
                    popped = frames.pop()
                    if popped.kind == "paren":
                        break
            elif text == ";":
                while len(frames) > 1 and frames[-1].kind == "list":
                    frames.pop()
                frames[-1].semicolon = True
                frames[-1].lead.clear()
                since_semicolon.clear()
            elif text == ":":
                prev_seg = segments[-1]
                if prev_seg.mentions:
                    frames.append(Frame("list", head=prev_seg.mentions[-1], head_tags=_plain_tags(prev_seg, cue_at)))
                else:
                    label_pending = [s for s in since_semicolon[-_LOOK_BACK:]
                                     if s.frame is frames[-1] and not s.mentions]
            continue
        if tags and ("L_LIST" in tags or ("L_GOM" in tags and frames[-1].last is not None
                                          and _has_mention_since(segments, frames[-1]))):
            end = _cue_end(cue_at, texts, i)
            close(i, "list")
            head = frames[-1].last
            if head is None and not seen_mention:
                head = carry_last
            if head is not None:
                frames.append(Frame("list", head=head))
            start = end
    close(n, "end")
    return segments


def _has_mention_since(segments: list[Segment], frame: Frame) -> bool:
    return any(seg.mentions for seg in segments[-2:] if seg.frame is frame)


def _cue_end(cue_at: list, texts: list[str], i: int) -> int:
    found = match_at(texts, i)
    return found[0] if found else i + 1


def _plain_tags(seg: Segment, cue_at: list) -> set[str]:
    return {tag for _, tag in _tags_in(cue_at, seg.start, seg.end)}


def _split_between(texts: list[str], start: int, end: int) -> int | None:
    """The conjunction between two numbers of a clause ("... 88 hồ sơ trực tuyến và 12 hồ sơ ..."), or None."""
    for i in range(start, end):
        if texts[i] in _CONJUNCTIONS:
            return i
    return None


_CONJUNCTIONS = frozenset({"va", "hoac", "con", "nhung"})


def _attach(seg: Segment, mentions: list[Mention], cue_at: list, texts: list[str]) -> None:
    """The words of the clause that belong to each of its numbers, and each number's head, sibling and label."""
    frame = seg.frame
    if not mentions:
        return
    k = len(mentions)
    trailing = _tags_in(cue_at, mentions[-1].unit_end, seg.end)
    after_style = k > 1 and any(tag in KEY_CUES for _, tag in trailing)
    label = [t for s in seg.label for t in _tags_in(cue_at, s.start, s.end)]
    pre = [t for s in seg.pre for t in _tags_in(cue_at, s.start, s.end)]
    # The words between two numbers: cut at a conjunction, else all to one side (see the module's docstring).
    bounds = []  # for each gap: (end of the part of the number before, start of the part of the number after)
    for idx in range(k - 1):
        a, b = mentions[idx].unit_end, mentions[idx + 1].index
        cut = _split_between(texts, a, b)
        if cut is not None:
            bounds.append((cut, cut + 1))
        elif after_style:
            bounds.append((b, b))
        else:
            bounds.append((a, a))
    for idx, m in enumerate(mentions):
        left_start = seg.start if idx == 0 else bounds[idx - 1][1]
        right_end = seg.end if idx == k - 1 else bounds[idx][0]
        unit = _tags_in(cue_at, m.end, m.unit_end)
        left = _tags_in(cue_at, left_start, m.index)
        own = left + unit + _tags_in(cue_at, m.unit_end, right_end)
        sibling = frame.last
        if seg.mentions:
            sep = "within"
        elif frame.semicolon:
            sep = ";"
        else:
            sep = ","
        ctx = MentionContext(
            mention=m, segment=seg, own=own, left=left, head=frame.head, sibling=sibling, sibling_sep=sep,
            label=label if idx == 0 else [], pre=pre if idx == 0 else [], lead=seg.lead,
        )
        seg.mentions.append(ctx)
        if frame.first is None:
            frame.first = ctx
        frame.last = ctx
        frame.semicolon = False
