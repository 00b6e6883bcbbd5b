"""extract(): one report file -> the JSON-ready dict of issue 4 (metadata, references, figures, tasks, sections)."""

from __future__ import annotations

import re
from pathlib import Path

from cchc.documents.references import find_references, normalise_symbol

from .figures import read_figures
from .metadata import read_metadata, split_main_and_appendix
from .reader import Block, ExtractionError, read_blocks, text_to_blocks
from .sections import read_sections
from .tasks import read_tasks

__all__ = ["ExtractionError", "extract", "extract_blocks", "extract_text"]

_YEAR = re.compile(r"(?:năm|NĂM|Năm)\s+((?:19|20)\d{2})")


def _reference_dict(ref) -> dict:
    return {
        "kind": ref.kind,
        "number": ref.number,
        "symbol": ref.symbol,
        "date": ref.date_text,
        "issuer": ref.issuer,
        "excerpt": ref.excerpt,
        "text": " ".join(ref.text.split()),
    }


def _is_own(ref, metadata) -> bool:
    """The report citing itself ("Kèm theo Báo cáo số 136/BC-SKHCCN", or with the symbol misspelt)."""
    if not metadata.number or ref.number is None:
        return False
    try:
        same_number = int(ref.number.split("/")[0]) == int(metadata.number.split("/")[0])
    except ValueError:
        return False
    if not same_number:
        return False
    if ref.symbol and metadata.symbol and normalise_symbol(ref.symbol) == normalise_symbol(metadata.symbol):
        return True
    return bool(ref.kind and ref.kind == metadata.document_type and ref.date_text and ref.date_text == metadata.date)


def extract_blocks(blocks: list[Block]) -> dict:
    paragraphs_all: list[str] = []
    tables: list[tuple[list[list[str]], bool]] = []
    table_at: list[int] = []  # how many paragraphs come before each table (figures are read from body tables too)
    previous_table = False
    # Where each table sits among the paragraphs, to tell appendix tables from body ones.
    for block in blocks:
        if block.is_table:
            tables.append((block.rows, previous_table))
            table_at.append(len(paragraphs_all))
            previous_table = True
        else:
            paragraphs_all.append(block.text)
            previous_table = False

    appendix_at = split_main_and_appendix(paragraphs_all)
    main = paragraphs_all[:appendix_at]
    body_text = "\n".join(main)
    metadata, body_start = read_metadata(main, body_text)

    # The body ends at the signature or at "Nơi nhận:", whichever comes first.
    body_end = len(main)
    for i in range(body_start, len(main)):
        line = main[i].strip()
        if re.match(r"^(?i:nơi\s+nhận)\s*:?", line):
            body_end = i
            break
    body = main[body_start:body_end]

    full_text = "\n".join(
        [*paragraphs_all, *("\t".join(cell for cell in row) for rows, _ in tables for row in rows)]
    )
    references = [r for r in find_references(full_text) if not _is_own(r, metadata)]

    body_tables = [
        (at - body_start, rows) for (rows, _), at in zip(tables, table_at, strict=True) if body_start <= at <= body_end
    ]
    figures, sources = read_figures(body, tables=body_tables)

    year = None
    appendix_text = " ".join(paragraphs_all[appendix_at:appendix_at + 4])
    m = _YEAR.search(appendix_text)
    if m:
        year = int(m.group(1))
    elif metadata.date:
        year = int(metadata.date[:4])
    tasks = read_tasks(tables, year)

    return {
        "metadata": metadata.as_dict(),
        "references": [_reference_dict(r) for r in references],
        "figures": figures,
        "figure_sources": sources,
        "tasks": tasks,
        "sections": read_sections(body),
    }


def extract(source: str | Path | bytes, filename: str | None = None) -> dict:
    """Read a report (.docx, .txt/.md, .pdf) from a path or bytes; raise ExtractionError when it cannot be read."""
    return extract_blocks(read_blocks(source, filename))


def extract_text(text: str) -> dict:
    """The same for text already in memory (tab-separated lines are table rows)."""
    return extract_blocks(text_to_blocks(text))
