"""Our corpus of report fixtures (tests/corpus: provinces, agencies and years of our own, quarterly to annual, made by
hand with python-docx and by cchc's renderer; src/cchc/demo/samples: the demo's reports), each as .txt, .docx and
PDF, against what a careful reader takes from it (tests/corpus/expected/<name>.json): metadata, every cited document,
the stated figures, the task rows and the outline.

Where today's reader misses or misreads something a careful reader takes, the expectation stays as it is and just
that item is a strict expected failure (MISREAD below, with the reason): the day the reader gets it right the test
reports XPASS(strict) and fails, so the mark is removed then. Nothing here is tuned to the reader.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from cchc.extraction import extract

EXPECTED = Path(__file__).resolve().parents[1] / "corpus" / "expected"
ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(path.stem for path in EXPECTED.glob("*.json"))
FORMATS = ("txt", "docx", "pdf")
ALL = FORMATS

LAICHAU, HAGIANG, BINHDINH = "laichau-stp-2019-q3-cchc", "hagiang-skhcn-2022-moi-truong-kinh-doanh", \
    "binhdinh-stnmt-2021-cchc-papi"
THANHHOA, KONTUM = "thanhhoa-sct-2025-9t-cchc", "kontum-snv-2020-cchc-nam"
NINHTHUAN, PHUYEN, LANGSON = "ninhthuan-skhcn-2023-6t-cchc", "phuyen-skhcn-2023-cchc-nam", \
    "langson-skhcn-2023-q3-moi-truong-kinh-doanh"
RENDERED = (NINHTHUAN, PHUYEN, LANGSON)

PDF_SIGNATURE = ("pdftotext interleaves the two columns of the signature table (Nơi nhận | chức vụ, tên), so the "
                 "signer's name and the recipients after the first are lost")
PDF_HEADING = "a level-1 heading wrapped over two lines in the PDF is cut at the line end"
PDF_TASKS = "the appendix table laid out by pdftotext loses its columns: no task row is read from the PDF"
PDF_WRAPPED = "the sentence is wrapped over two lines in the PDF and the figure's words are split by the line break"
PDF_PAGE_BREAK = ("a paragraph cut by a page break (the page number and the page's footnotes between its two halves) "
                  "is read as two paragraphs: the figure's sentence is given from the middle of the paragraph")
PDF_TABLE = ("the Biểu of results by field is text in columns in the PDF: the figures it alone states (early and "
             "on-time counts of its total row) are not read")

# (report, formats, aspect, item) -> why today's reader gets it wrong.
MISREAD: dict[tuple[str, tuple[str, ...], str, str], str] = {
    (LAICHAU, ("pdf",), "metadata", "signer_name"): PDF_SIGNATURE,
    (LAICHAU, ("pdf",), "metadata", "recipients"): PDF_SIGNATURE,
    (LAICHAU, ("pdf",), "sections", ""): PDF_HEADING,
    (HAGIANG, ("pdf",), "sections", ""): PDF_HEADING,
    (BINHDINH, ("pdf",), "tasks", ""): PDF_TASKS,
    (BINHDINH, ("pdf",), "sections", ""): PDF_HEADING,
    (KONTUM, ALL, "metadata", "title"): "the typed rule “________” under the excerpt is read into the title as “__”",
    (KONTUM, ("pdf",), "tasks", ""): PDF_TASKS,
    (THANHHOA, ("pdf",), "sections", ""): "the numbered rows 1.1, 1.2 ... of the figures table become sections",
    (PHUYEN, ("pdf",), "tasks", ""): PDF_TASKS,
    (NINHTHUAN, ("pdf",), "sections", ""): PDF_HEADING,
    (PHUYEN, ("pdf",), "sections", ""): PDF_HEADING,
    (LANGSON, ("pdf",), "sources", ""): PDF_PAGE_BREAK,
    **{(name, ("pdf",), "figure", "procedures_one_stop"): PDF_WRAPPED for name in RENDERED},
    **{(name, ("pdf",), "figure", key): PDF_TABLE for name in (NINHTHUAN, PHUYEN)
       for key in ("dossiers_early", "dossiers_on_time")},
    (NINHTHUAN, ("pdf",), "figure", "feedback_resolved"): "“đã xử lý” ends a line of the PDF and “01 (đúng hạn "
                                                          "01)” opens the next with a digit: the lines stay apart",
}
_KNOWN = {(name, fmt, aspect, item): reason for (name, fmts, aspect, item), reason in MISREAD.items() for fmt in fmts}
assert {name for name, *_ in _KNOWN} <= set(NAMES), "a misreading names a report the corpus does not have"


@cache
def expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


def path(name: str, fmt: str) -> Path:
    return ROOT / f"{expected(name)['source']}.{fmt}"


@cache
def result(name: str, fmt: str) -> dict:
    return extract(path(name, fmt))


def case(name: str, fmt: str, aspect: str, item: str = ""):
    reason = _KNOWN.get((name, fmt, aspect, item))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, fmt, item, marks=marks, id=f"{name}.{fmt}" + (f"-{item}" if item else ""))


def cases(aspect: str, items=None, formats=FORMATS):
    return [case(name, fmt, aspect, item) for name in NAMES for fmt in formats
            for item in (items(name) if items else [""])]


def _metadata_fields(name: str) -> list[str]:
    return list(expected(name)["metadata"])


def _figure_keys(name: str) -> list[str]:
    return list(expected(name)["figures"])


def _has_footnotes(name: str) -> bool:
    return bool(re.search(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+ ", path(name, "txt").read_text(encoding="utf-8"), re.M))


def _plain(value):
    """Whitespace as a reader sees it (line breaks inside a table cell are spaces)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_the_corpus_is_complete():
    """Every report in three formats, in correct NFC Vietnamese, and at least six reports of our own."""
    import unicodedata

    assert len(NAMES) >= 6
    for name in NAMES:
        for fmt in FORMATS:
            assert path(name, fmt).is_file(), path(name, fmt)
        text = path(name, "txt").read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, name
    provinces = {expected(name)["metadata"]["province"] for name in NAMES}
    years = {expected(name)["metadata"]["date"][:4] for name in NAMES}
    assert len(provinces) >= 6 and min(years) <= "2019" and max(years) >= "2025"


@pytest.mark.parametrize(("name", "fmt", "field"), cases("metadata", _metadata_fields))
def test_metadata_field(name, fmt, field):
    assert result(name, fmt)["metadata"][field] == expected(name)["metadata"][field]


@pytest.mark.parametrize(("name", "fmt", "key"), cases("figure", _figure_keys))
def test_stated_figure(name, fmt, key):
    assert result(name, fmt)["figures"].get(key) == expected(name)["figures"][key]


@pytest.mark.parametrize(("name", "fmt", "item"), cases("unstated"))
def test_no_figure_the_report_does_not_state(name, fmt, item):
    assert set(result(name, fmt)["figures"]) - set(expected(name)["figures"]) == set()


@pytest.mark.parametrize(("name", "fmt", "item"), cases("sources"))
def test_each_figure_comes_with_a_sentence_of_the_report(name, fmt, item):
    found = result(name, fmt)
    assert set(found["figure_sources"]) == set(found["figures"])
    # Compared on letters and digits: line breaks, footnote marks and markup differ between the formats.
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]|\W+", "", path(name, "txt").read_text(encoding="utf-8"))
    for key, sentence in found["figure_sources"].items():
        assert re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]|\W+", "", sentence) in text, key


@pytest.mark.parametrize(("name", "fmt", "item"), cases("references"))
def test_every_cited_document_is_found_once(name, fmt, item):
    found = [(r["kind"], r["number"], r["symbol"], r["date"]) for r in result(name, fmt)["references"]]
    assert sorted(found, key=str) == sorted((tuple(r) for r in expected(name)["references"]), key=str)


# The order of first appearance is the document's own only where it has one reading order: footnotes stand apart
# in a .docx (the reader appends them) and at the foot of each page in a PDF.
_ORDERED = [c for c in cases("order") if c.values[1] == "txt" or not _has_footnotes(c.values[0])]


@pytest.mark.parametrize(("name", "fmt", "item"), _ORDERED)
def test_cited_documents_in_order_of_first_appearance(name, fmt, item):
    found = [[r["kind"], r["number"], r["symbol"], r["date"]] for r in result(name, fmt)["references"]]
    assert found == expected(name)["references"]


@pytest.mark.parametrize(("name", "fmt", "item"), cases("not_references"))
def test_no_standard_and_not_the_report_itself_is_a_reference(name, fmt, item):
    found = result(name, fmt)
    own = found["metadata"]
    for ref in found["references"]:
        assert not re.search(r"(?:TCVN|QCVN|ISO)\s*[0-9]", ref["text"]), ref
        assert not (ref["kind"] == "Báo cáo" and ref["number"] == own["number"]), ref


@pytest.mark.parametrize(("name", "fmt", "item"), cases("tasks"))
def test_task_rows_with_their_codes_deadlines_results_and_ratings(name, fmt, item):
    assert _plain(result(name, fmt)["tasks"]) == _plain(expected(name)["tasks"])


@pytest.mark.parametrize(("name", "fmt", "item"), cases("sections"))
def test_outline_sections(name, fmt, item):
    found = [[s["number"], s["heading"], s["level"]] for s in result(name, fmt)["sections"]]
    assert found == expected(name)["sections"]



@pytest.mark.parametrize(("name", "fmt", "item"), cases("json"))
def test_output_is_json_with_every_part(name, fmt, item):
    found = result(name, fmt)
    assert set(found) == {"metadata", "references", "figures", "figure_sources", "tasks", "sections"}
    assert json.loads(json.dumps(found, ensure_ascii=False)) == found
