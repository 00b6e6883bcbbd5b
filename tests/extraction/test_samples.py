"""The three real sample reports (shared/samples beside the repository), each as .txt and .docx, against
expectations written from reading them. Skipped, with the reason, where the samples are not present: the corpus of
tests/corpus (test_report_corpus.py) covers the same ground with reports of our own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cchc.extraction import extract

EXPECTED = Path(__file__).parent / "expected"
NAMES = ["quangtri-2020-cchc-papi", "bariavungtau-2023-q1-cchc", "caobang-2023-q1-moi-truong-kinh-doanh"]
_CACHE: dict[tuple[str, str], dict] = {}


@pytest.fixture(scope="module")
def samples(shared_samples: Path) -> Path:
    return shared_samples


@pytest.fixture(scope="module")
def read(samples):
    def result(name: str, ext: str) -> dict:
        key = (name, ext)
        if key not in _CACHE:
            _CACHE[key] = extract(samples / f"{name}.{ext}")
        return _CACHE[key]

    return result


def _expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


CASES = [(name, ext) for name in NAMES for ext in ("txt", "docx")]


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_metadata_is_exactly_what_the_header_and_signature_say(read, name, ext):
    assert read(name, ext)["metadata"] == _expected(name)["metadata"]


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_every_cited_document_is_found_once_in_order(read, name, ext):
    found = [[r["kind"], r["number"], r["symbol"], r["date"]] for r in read(name, ext)["references"]]
    assert found == _expected(name)["references"]


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_no_standard_and_not_the_report_itself_is_taken_for_a_reference(read, name, ext):
    result = read(name, ext)
    own = result["metadata"]
    for ref in result["references"]:
        assert not re.search(r"(?:TCVN|QCVN|ISO)\s*[0-9]", ref["text"]), ref
        assert ":" not in (ref["number"] or ""), ref
        if own["number"]:
            assert not (ref["kind"] == "Báo cáo" and ref["number"] == own["number"]), ref


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_stated_figures_with_their_sentences(read, samples, name, ext):
    result = read(name, ext)
    assert result["figures"] == _expected(name)["figures"]
    assert set(result["figure_sources"]) == set(result["figures"])
    # Each source is a sentence of the document (compared on letters and digits: markup differs between formats).
    text = re.sub(r"\W+", "", (samples / f"{name}.txt").read_text(encoding="utf-8"))
    for key, sentence in result["figure_sources"].items():
        assert re.sub(r"\W+", "", sentence) in text, key


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_task_rows_codes_and_ratings(read, name, ext):
    tasks = read(name, ext)["tasks"]
    expected = _expected(name)["tasks"]
    assert len(tasks) == expected["count"]
    if tasks:
        assert tasks[0]["code"] == expected["first_code"]
        assert tasks[-1]["code"] == expected["last_code"]
    assert [t["rating"] for t in tasks] == expected["ratings"]
    for task in tasks:
        assert set(task) == {"code", "content", "volume", "deadline", "result", "rating"}


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_outline_sections(read, name, ext):
    sections = [[s["number"], s["heading"], s["level"]] for s in read(name, ext)["sections"]]
    assert sections == _expected(name)["sections"]


def test_quangtri_appendix_rows_keep_parents_and_page_split_rows_are_joined(read):
    tasks = read("quangtri-2020-cchc-papi", "docx")["tasks"]
    assert [t["code"] for t in tasks[:3]] == ["I", "1", "2"]
    assert tasks[0] == {"code": "I", "content": "Cải cách thể chế", "volume": None, "deadline": None, "result": None,
                        "rating": None}
    # Task 3's name ends "... thuộc lĩnh" at the foot of a page and goes on with "vực KH&CN" on the next.
    assert tasks[3]["content"].endswith("thuộc lĩnh vực KH&CN")
    assert tasks[2]["rating"] == "Chưa hoàn thành"
    assert tasks[-1]["rating"] == "Chưa hoàn thành" and tasks[-1]["result"] == "Đang thực hiện."


def test_output_is_json(read):
    for name, ext in CASES:
        assert json.loads(json.dumps(read(name, ext), ensure_ascii=False)) == read(name, ext)
