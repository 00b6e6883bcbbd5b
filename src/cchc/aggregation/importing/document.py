"""The document's text as the review page shows it, each figure's source sentence marked where it stands.

The text is kept at staging as the reader saw it: one paragraph a line, a table row's cells separated by tabs,
runs of white space made one space (text_of). A source sentence is found in it as written, else ignoring case; one
that overlaps another is merged with it into one mark, so a mark may name several figures. Linear in the text's
length for each distinct sentence (str.find), and a report has a few dozen figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.extraction.vocabulary import figure_label

MAX_TEXT_CHARS = 2_000_000  # what is kept of a document's text (a report is far shorter)
# A sentence not found whole may still be found by its opening (the reader may have joined or trimmed it).
OPENING_CHARS = 80


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def text_of(blocks) -> str:
    """The text kept for the review page from the reader's blocks (cchc.extraction.reader.Block)."""
    lines = []
    for block in blocks:
        if block.is_table:
            lines += ["\t".join(_clean(cell) for cell in row) for row in block.rows if any(c.strip() for c in row)]
        elif line := _clean(block.text):
            lines.append(line)
    return "\n".join(lines)[:MAX_TEXT_CHARS]


@dataclass
class Segment:
    text: str
    mark: str = ""  # the anchor of the source sentence the segment belongs to
    labels: list[str] = field(default_factory=list)
    first: bool = False  # the sentence's first segment carries the anchor's id (a sentence may span lines)


@dataclass
class Line:
    segments: list[Segment]
    is_row: bool = False

    @property
    def cells(self) -> list[list[Segment]]:
        """A table row's segments split into its cells (a mark never spans two cells in the page's markup)."""
        cells: list[list[Segment]] = [[]]
        for segment in self.segments:
            parts = segment.text.split("\t")
            for i, part in enumerate(parts):
                if i:
                    cells.append([])
                if part:
                    cells[-1].append(Segment(part, segment.mark, segment.labels, segment.first and i == 0))
        return cells


@dataclass
class MarkedDocument:
    lines: list[Line]
    anchors: dict[str, str]  # figure key -> anchor id of its source sentence

    @property
    def marked(self) -> int:
        return len(set(self.anchors.values()))


def _find(text: str, lowered: str, sentence: str) -> tuple[int, int] | None:
    sentence = _clean(sentence)
    if not sentence:
        return None
    flat = text.replace("\t", " ")
    for haystack, needle in ((flat, sentence), (lowered, sentence.lower())):
        if len(needle) != len(sentence):
            continue
        at = haystack.find(needle)
        if at >= 0:
            return at, at + len(needle)
    opening = sentence[:OPENING_CHARS].lower()
    if len(sentence) > OPENING_CHARS and len(opening) == OPENING_CHARS:
        at = lowered.find(opening)
        if at >= 0:
            end = lowered.find("\n", at)
            return at, min(at + len(sentence), end if end >= 0 else len(text))
    return None


def mark_sources(text: str, sources: dict[str, str]) -> MarkedDocument:
    """The lines of `text` with the source sentence of each figure key marked (see the module's docstring)."""
    lowered = text.replace("\t", " ").lower()
    if len(lowered) != len(text):
        lowered = ""  # a character whose lower case is longer: positions would not match; exact search only
    spans: list[tuple[int, int, list[str]]] = []
    by_sentence: dict[str, tuple[int, int] | None] = {}
    for key, sentence in sources.items():
        if sentence not in by_sentence:
            by_sentence[sentence] = _find(text, lowered, sentence)
        found = by_sentence[sentence]
        if found is not None:
            spans.append((found[0], found[1], [key]))
    spans.sort()
    merged: list[list] = []
    for start, end, keys in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] += [k for k in keys if k not in merged[-1][2]]
        else:
            merged.append([start, end, list(keys)])
    anchors: dict[str, str] = {}
    marks: list[tuple[int, int, str, list[str]]] = []
    for number, (start, end, keys) in enumerate(merged, start=1):
        anchor = f"nguon-{number}"
        for key in keys:
            anchors[key] = anchor
        marks.append((start, end, anchor, [figure_label(key) for key in keys]))
    lines: list[Line] = []
    emitted: set[str] = set()
    position = 0
    index = 0
    for raw in text.split("\n"):
        line_end = position + len(raw)
        segments: list[Segment] = []
        cursor = position
        while index < len(marks) and marks[index][0] < line_end:
            start, end, anchor, labels = marks[index]
            start = max(start, cursor)
            if start > cursor:
                segments.append(Segment(text[cursor:start]))
            stop = min(end, line_end)
            if stop > start:
                segments.append(Segment(text[start:stop], anchor, labels, anchor not in emitted))
                emitted.add(anchor)
            cursor = max(cursor, stop)
            if end <= line_end:
                index += 1
            else:
                break  # the mark goes on into the next line
        if cursor < line_end:
            segments.append(Segment(text[cursor:line_end]))
        lines.append(Line(segments, is_row="\t" in raw))
        position = line_end + 1
    return MarkedDocument(lines, anchors)
