"""Sentences and tokens: the text a figure is read from.

Every step here is linear in the text: a paragraph is split into lines and sentences by one scan, a sentence is
folded (lower case, no diacritics, one character for one character so offsets into the original stay valid) and cut
into tokens (numbers, words, punctuation) by one regular expression without nested quantifiers. A sentence longer
than ``MAX_SENTENCE`` characters (a table pasted as one line, a run-on paragraph) is cut at its semicolons, then at
that length, so the work per sentence is bounded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["MAX_SENTENCE", "Sentence", "Tokens", "fold", "sentences", "split_sentences", "tokenize"]

MAX_SENTENCE = 2000


class _FoldTable(dict):
    """str.translate table built on first use: one folded character for each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[0].lower()
            folded = base if len(base) == 1 else ch
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one character (offsets stay valid)."""
    return text.translate(_FOLD_TABLE)


@dataclass(slots=True)
class Tokens:
    """The tokens of a folded sentence as parallel lists (cheaper than one object per token)."""

    texts: list[str]
    kinds: list[str]  # "n" number, "w" word, "p" punctuation
    starts: list[int]  # offsets into the sentence
    ends: list[int]


# Digits are 0-9 only: superscript footnote marks ("²") are not numbers of the text.
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+|[^\w\s]")
_DIGITS = frozenset("0123456789")


def tokenize(folded: str) -> Tokens:
    matches = list(_TOKEN.finditer(folded))
    texts = [m.group() for m in matches]
    kinds = ["n" if t[0] in _DIGITS else ("w" if t[0].isalpha() else "p") for t in texts]
    return Tokens(texts, kinds, [m.start() for m in matches], [m.end() for m in matches])


@dataclass(slots=True)
class Sentence:
    text: str  # as written, bullet removed
    folded: str
    bullet: str  # "", "-", "+", "*", "a)", "1.", "I."
    heading: bool  # an outline heading ("2. Cải cách thủ tục hành chính", "III. PHƯƠNG HƯỚNG")
    line_start: bool  # the first sentence of its line
    ends_colon: bool  # ends with ":" (a list follows)
    source: str = ""  # the text as written when the sentence stands for a table row


_BULLET = re.compile(r"\s*(?:([-+*•–—])|([a-zđ]\)|[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}[.)]|[IVX]{1,5}[.)]))\s+")
# Words ending with a dot that do not end a sentence ("TP. Huế", "KT. GIÁM ĐỐC", "v.v. Các").
_ABBREVIATIONS = frozenset({"tp", "tx", "tt", "kt", "tm", "tl", "q", "ths", "ts", "pgs", "gs", "ng", "st", "v.v"})


_END_CANDIDATE = re.compile(r"[.!?;][ \t]+")


def _sentence_ends(line: str) -> list[int]:
    """Offsets where a sentence ends inside one line: after . ! ? followed by space and a capital, a quote, a
    bracket or a bullet; after "; " followed by a bullet."""
    ends = []
    n = len(line)
    for m in _END_CANDIDATE.finditer(line):
        pos, j = m.start(), m.end()
        if j >= n:
            continue
        mark, nxt = line[pos], line[j]
        if mark == ";":
            ok = nxt in "-+*•–"
        else:
            # "... một cửa liên thông. 6 tháng đầu năm ...": a number opens a sentence after a word.
            ok = nxt.isupper() or nxt in "\"“(*+-•–" or (nxt.isdigit() and pos > 0 and line[pos - 1].isalpha())
            if ok and mark == ".":
                k = pos
                while k > 0 and not line[k - 1].isspace():
                    k -= 1
                word = line[k:pos].lower()
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    ok = False
        if ok:
            ends.append(pos + 1)
    return ends


def _is_heading(text: str, bullet: str) -> bool:
    if not bullet or bullet[0] in "-+*•–—":
        return False
    if len(text) > 160 or text.endswith((".", ";", ",")):
        return False
    return True


def split_sentences(paragraph: str) -> list[Sentence]:
    out: list[Sentence] = []
    for raw_line in paragraph.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        bullet = ""
        m = _BULLET.match(line)
        if m and m.end() < len(line):
            bullet = (m.group(1) or m.group(2) or "").strip()
            line = line[m.end():]
        start = 0
        pieces = []
        for end in _sentence_ends(line):
            pieces.append(line[start:end])
            start = end
        pieces.append(line[start:])
        first = True
        for piece in pieces:
            piece = piece.strip()
            if not piece:
                continue
            inner_bullet = bullet if first else ""
            if not first:
                m = _BULLET.match(piece)
                if m and m.end() < len(piece) and m.group(1):
                    inner_bullet = m.group(1)
                    piece = piece[m.end():]
            for chunk in _bounded(piece):
                out.append(Sentence(
                    text=chunk, folded=fold(chunk), bullet=inner_bullet,
                    heading=first and _is_heading(chunk, inner_bullet), line_start=first,
                    ends_colon=chunk.rstrip().endswith(":"),
                ))
                inner_bullet = ""
                first = False
    return out


def _bounded(sentence: str) -> list[str]:
    """A sentence cut to pieces of at most MAX_SENTENCE characters, at semicolons first."""
    if len(sentence) <= MAX_SENTENCE:
        return [sentence]
    out: list[str] = []
    for part in sentence.split(";"):
        while len(part) > MAX_SENTENCE:
            cut = part.rfind(",", 0, MAX_SENTENCE)
            cut = cut + 1 if cut > MAX_SENTENCE // 2 else MAX_SENTENCE
            out.append(part[:cut])
            part = part[cut:]
        if part.strip():
            out.append(part)
    return out


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph as written, bullets removed (kept for callers of the earlier module)."""
    return [s.text for s in split_sentences(paragraph)]
