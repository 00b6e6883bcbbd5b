"""read_figures: the body paragraphs of a report -> (figures, figure_sources), one pass over its sentences.

Each sentence is folded, cut into tokens, matched against the lexicon, its numbers found and its clauses built
(all linear in the sentence); each number is classified into a key or none, and each clause without numbers that
negates gives a zero. What a sentence leaves for the next one is small and bounded: the plan and the index it
named, whether it opened a list (a sentence ending with ":" or the next starting with "Trong đó"), its last figure.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .classify import SentenceInfo, classify
from .clauses import Cues, Frame, MentionContext, parse_clauses
from .lexicon import match_cues
from .negations import zeros
from .numbers import find_mentions
from .resolve import Candidate, resolve
from .scope import future_heading, main_year, sentence_years, subject_level
from .tables import pipe_rows, table_sentences
from .text import Sentence, split_sentences, tokenize

__all__ = ["read_figures"]

_INDEX_CUES = {"I_PAR": "par_index", "I_PAPI": "papi", "I_PCI": "pci", "I_SIPAS": "sipas", "I_PII": "pii",
               "I_766": "index_766"}
_INDEX_KEYS = frozenset({
    "par_index_score", "par_index_rank", "papi_score", "papi_rank", "pci_score", "pci_rank", "sipas_pct",
    "pii_score", "pii_rank", "index_766_score",
})  # fmt: skip
_INFERRED = frozenset({"T_DONE_WEAK", "P_TOTAL_WEAK"})
_NEGATIONS = frozenset({"NEG", "NEG_WORD", "NEG_RESOLVE"})
_COUNTED = frozenset({"S_PORTAL", "L_TINH", "L_HUYEN", "L_XA"})  # the cues scope.py counts in a sentence


class IndexBefore:
    """`index_before[i]`: the index (or "component") named last before token i, by bisection over the index cues."""

    __slots__ = ("starts", "names", "n")

    def __init__(self, starts: list[int], names: list[str], n: int) -> None:
        self.starts, self.names, self.n = starts, names, n

    def __getitem__(self, i: int) -> str | None:
        k = bisect_left(self.starts, i)
        return self.names[k - 1] if k else None

    def __len__(self) -> int:
        return self.n + 1


@dataclass(slots=True)
class _State:
    plan_topic: str | None = None
    index: str | None = None
    future: bool = False
    last: MentionContext | None = None  # the last figure of the sentence before
    colon_head: MentionContext | None = None  # the figure a list of bullet lines belongs to ("... có 09 hồ sơ:")
    colon_open: bool = False
    directive_colon: bool = False
    domain: str | None = None  # what the sentence before counted


def _plan_topic(cue_list) -> tuple[bool, str | None]:
    """(whether the sentence names a plan, the topic of the first plan it names: "cchc", "other" or None)."""
    for pos, (start, _end, tags) in enumerate(cue_list):
        if "C_PLAN" not in tags:
            continue
        if "C_TOPIC_CCHC" in tags:
            return True, "cchc"
        for start2, _end2, tags2 in cue_list[pos + 1:pos + 8]:
            if start2 - start > 16:
                break
            if "C_TOPIC_OTHER" in tags2:
                return True, "other"
            if "C_TOPIC_CCHC" in tags2:
                return True, "cchc"
        # "Kế hoạch số 01/KH-SKHCN ... v/v Kế hoạch theo dõi thi hành pháp luật": a plan about something else.
        return True, ("other" if "ABOUT" in {t for s2, _e2, tags2 in cue_list[pos + 1:pos + 8]
                                              if s2 - start <= 16 for t in tags2} else None)
    return False, None


def _directive(cue_list) -> bool:
    issuer_at = None
    for start, _end, tags in cue_list:
        if "C_DIRECTIVE" in tags:
            return True
        if "C_ISSUER" in tags:
            issuer_at = start
        elif "C_ASSIGN" in tags and issuer_at is not None and start - issuer_at <= 10:
            return True
    return False


def _level_one(sentence: Sentence) -> bool:
    bullet = sentence.bullet
    letters = [c for c in sentence.text if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return bool(bullet and bullet.rstrip(".)").isalpha() and bullet.rstrip(".)").isupper()) or upper


def _units(paragraphs: list[str], tables) -> list[Sentence]:
    """The sentences of the body in document order, tables (given, or written as "a | b" lines) as sentences."""
    at: dict[int, list] = {}
    for position, rows in tables or ():
        at.setdefault(position, []).append(rows)
    out: list[Sentence] = []
    caption = ""
    pending: list[list[str]] = []
    written: list[str] = []

    def flush() -> None:
        if pending:
            out.extend(_table(pending, caption, list(written)))
            pending.clear()
            written.clear()

    for i, paragraph in enumerate(paragraphs):
        for rows in at.pop(i, ()):
            flush()
            out.extend(_table(rows, caption))
        for line in paragraph.split("\n"):
            cells = pipe_rows(line)
            if cells is not None:
                pending.append(cells)
                written.append(" ".join(line.split()))
                continue
            flush()
            if line.strip():
                out.extend(split_sentences(line))
                caption = line
    flush()
    for position in sorted(at):
        for rows in at[position]:
            out.extend(_table(rows, caption))
    return out


def _table(rows: list[list[str]], caption: str, lines: list[str] | None = None) -> list[Sentence]:
    out = []
    for text, source in table_sentences(rows, caption, lines):
        for sentence in split_sentences(text):
            sentence.source = source
            out.append(sentence)
    return out


def read_figures(paragraphs: list[str], tables=None) -> tuple[dict, dict]:
    """(figures, figure_sources) from the body paragraphs, in document order. `tables`: (the index of the paragraph
    a table comes before, its rows) for the tables of the body."""
    sentences = _units(paragraphs, tables)
    years = [sentence_years(s.folded) for s in sentences]
    year = main_year(years)
    subject = subject_level(s.text for s in sentences[:4])
    state = _State()
    candidates: list[Candidate] = []
    for sentence, dated in zip(sentences, years, strict=True):
        if sentence.heading:
            if _level_one(sentence):
                state.future = future_heading(sentence.folded)
            elif future_heading(sentence.folded):
                state.future = True
            state.plan_topic = None
            state.index = None
        if state.future:
            continue
        _read_sentence(sentence, state, year, dated, subject, candidates)
    return resolve(candidates)


def _read_sentence(
    sentence: Sentence, state: _State, year: int | None, years: set[int], subject: str | None,
    candidates: list[Candidate],
) -> None:
    folded = sentence.folded
    worth = bool(_NEGATION_WORD.search(folded)) or bool(_DIGIT.search(_NOISE.sub("", folded)))
    if not worth and not _STATEFUL.search(folded):
        # No number, no negation, nothing the next sentence needs but what it counts: the cheap path.
        named = None
        for m in _DOMAIN_WORDS.finditer(folded):
            named = _DOMAIN_WORD[m.group()]
        _carry(sentence, state, None, state.directive_colon and sentence.bullet != "", named)
        return
    tokens = tokenize(folded)
    texts = tokens.texts
    cue_list = match_cues(texts)
    n = len(texts)
    cue_at = Cues(n, cue_list)
    ending_at, covered = cue_at.ending_at, cue_at.covered
    if "ke hoach" in folded or "chuong trinh" in folded:
        names_plan, topic = _plan_topic(cue_list)
        if names_plan and topic is not None:  # "... của kế hoạch" speaks of the plan named before
            state.plan_topic = topic
    directive = _directive(cue_list) or state.directive_colon
    index = state.index
    negations = False
    named: dict[str, int] = {}
    index_starts: list[int] = []
    index_names: list[str] = []
    for start, _end, tags in cue_list:
        for tag in tags:
            if tag in _COUNTED:
                named[tag] = named.get(tag, 0) + 1
            if tag in _INDEX_CUES:
                state.index = _INDEX_CUES[tag]
                index_starts.append(start)
                index_names.append(_INDEX_CUES[tag])
            elif tag == "I_COMPONENT":
                index_starts.append(start)
                index_names.append("component")
            elif tag in _NEGATIONS:
                negations = True
    if not worth:
        _carry(sentence, state, None, directive, _domain_named(cue_list))
        return
    mentions = find_mentions(tokens, texts, covered, ending_at)
    if not mentions and not negations:
        _carry(sentence, state, None, directive, _domain_named(cue_list))
        return
    root = Frame("root")
    if sentence.bullet and state.colon_open and state.colon_head is not None:
        root = Frame("list", head=state.colon_head)
    info = SentenceInfo(
        cue_list=cue_list, plan_topic=state.plan_topic, directive=directive, index=index, named=named,
        index_before=IndexBefore(index_starts, index_names, n),
        revenue=any("F_REVENUE" in tags for _s, _e, tags in cue_list), domain=state.domain, texts=texts,
        subject=subject,
        visits=any("D_VISIT" in tags and "truy" in texts[s:e] for s, e, tags in cue_list), ending_at=ending_at,
    )
    segments = parse_clauses(texts, cue_at, covered, mentions, root, carry_last=state.last)
    other_period = year is not None and bool(years) and year not in years
    last = None
    previous_zero = None
    for seg in segments:
        if not seg.mentions:
            found = zeros(seg, cue_at, info, previous_zero)
            previous_zero = None
            if found is not None:
                ctx, pairs = found
                previous_zero = ctx
                _add(candidates, ctx, pairs, sentence.source or sentence.text, other_period)
            continue
        zero, previous_zero = previous_zero, None
        for ctx in seg.mentions:
            if zero is not None and zero.segment.frame is ctx.segment.frame and (
                    ctx.sibling is None or ctx.sibling.mention.index < zero.mention.index):
                # "Sở không tiếp nhận phản ánh, kiến nghị mới, đã xử lý 01": the zero before is the sibling.
                ctx.sibling, ctx.sibling_sep = zero, zero.sibling_sep
            zero = None
            pairs = classify(ctx, info)
            _add(candidates, ctx, pairs, sentence.source or sentence.text, other_period)
            last = ctx
    domain = getattr(last, "domain", None) if last is not None and last.key else None
    _carry(sentence, state, last, directive, domain or _domain_named(cue_list))


_DOMAIN_CUES = {"D_HS": "hs", "D_TTHC": "tthc", "D_PAKN": "pakn", "D_TASK": "task"}
# A sentence worth reading holds a number or a negation; one without may still name a plan, an index or the list
# that follows (the state the next sentence reads with).
_NEGATION_WORD = re.compile(r"\b(?:khong|chua)\b")
_DIGIT = re.compile(r"[0-9]")
# Digits that are never a figure (dates, years, document numbers, levels): a sentence with no other is not read.
_NOISE = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|[0-9]+/(?:[0-9]{4}/)?[a-z]|/20[0-9]{2}\b|"
                    r"\b(?:ngay|thang|nam|muc do|dieu|khoan)\s+[0-9]+(?:/[0-9]+)*|"
                    r"\b(?:19|20)[0-9]{2}\s*-\s*(?:19|20)[0-9]{2}\b")
_STATEFUL = re.compile(r"ke hoach|chi so|papi|pci|sipas|pii|par index|766|:\s*$")
_DOMAIN_WORD = {"ho so": "hs", "thu tuc": "tthc", "tthc": "tthc", "phan anh": "pakn", "kien nghi": "pakn",
                "nhiem vu": "task"}
_DOMAIN_WORDS = re.compile(r"\b(?:ho so|thu tuc|tthc|phan anh|kien nghi|nhiem vu)\b")


def _domain_named(cue_list) -> str | None:
    """The last thing counted a sentence names ("Tình hình giải quyết hồ sơ ...:" -> dossiers)."""
    found = None
    for _s, _e, tags in cue_list:
        for tag in tags:
            if tag in _DOMAIN_CUES:
                found = _DOMAIN_CUES[tag]
    return found


def _add(candidates: list[Candidate], ctx: MentionContext, pairs, text: str, other_period: bool) -> None:
    tags = {tag for _, tag in ctx.own} | {tag for _, tag in ctx.label}
    for position, (key, value) in enumerate(pairs):
        if other_period and key not in _INDEX_KEYS:
            continue
        if position > 0:
            strength = 1  # the whole of "9/40": inferred
        elif "M_TOTAL" in tags:
            strength = 3
        elif tags & _INFERRED and not tags & {"P_TOTAL", "T_DONE"}:
            strength = 1
        else:
            strength = 2
        candidates.append(Candidate(key, value, text, strength))


def _carry(sentence: Sentence, state: _State, last: MentionContext | None, directive: bool,
           domain: str | None) -> None:
    state.domain = domain
    if sentence.ends_colon:
        state.colon_open = True
        state.colon_head = last
        state.directive_colon = directive
    elif not sentence.bullet:
        state.colon_open = False
        state.colon_head = None
        state.directive_colon = False
    state.last = last
