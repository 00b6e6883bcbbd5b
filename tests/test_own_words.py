"""Only our own words: no file of the repository repeats a sentence of the real sample reports.

The samples (``shared/samples`` beside the repository, read-only, never needed by the code) are real documents of
provincial departments. Their facts and figures may carry over into our corpus, demo data, help texts and defaults;
their sentences may not. This test turns the samples into a set of 8-word shingles (NFC, lower case, words only, so
punctuation, line breaks and Python string splitting do not hide a copy) and reports every run of
``MAX_SHARED_WORDS + 1`` or more consecutive words of a repository file whose shingles are all in that set.

What is not counted, because it is a fact or a form the law prescribes rather than anybody's wording:

* document references and dates (``Quyết định số 4047/QĐ-UBND ngày 30/12/2022``): masked by ``_REFERENCE``;
* the phrases of ``ALLOWED``: quốc hiệu and tiêu ngữ, the section headings of the Ministry of Home Affairs' outline
  for periodic CCHC reports (our outline ``cchc-quarterly.json`` carries them as headings), the titles of laws and
  decrees, and programme names.

A masked phrase is cut out of the samples, so a run cannot pass through it; what surrounds it still counts.

Every file is checked, the corpus reports too: those cchc renders itself (tests/corpus/make_corpus.py) are where the
renderer's sentences, cut apart by the f-strings of the code, are read whole. A corpus report changed by hand or by
the renderer is regenerated from its source and its expectations (tests/corpus/expected) corrected.

Run ``python tests/test_own_words.py [min_words]`` to list the shared runs (default: 10 words and more).
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
SHINGLE = 8
MAX_SHARED_WORDS = 11  # a run of 12 consecutive shared words fails

# Why each is allowed: it is prescribed text or a proper name, written the same way by everybody who uses it.
ALLOWED = (
    # Quốc hiệu, tiêu ngữ (Nghị định 30/2020/NĐ-CP).
    "Cộng hòa xã hội chủ nghĩa Việt Nam Độc lập Tự do Hạnh phúc",
    # The formulas that open the closing and the recipients of every administrative report.
    "Trên đây là báo cáo",
    "Nơi nhận",
    # Report titles the provinces prescribe (the business-environment report of Nghị quyết 02/NQ-CP).
    "tình hình và kết quả thực hiện các nhiệm vụ, giải pháp về cải thiện môi trường kinh doanh, nâng cao năng lực "
    "cạnh tranh",
    "Kết quả thực hiện kế hoạch cải cách hành chính năm",
    # Names of administrative procedures (the national catalogue's wording).
    "giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán",
    "tuyển chọn, giao trực tiếp tổ chức, cá nhân thực hiện nhiệm vụ",
    "thuộc thẩm quyền giải quyết của",
    # Titles of laws, decrees and programmes, quoted after their references.
    "Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức",
    "quy định cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập",
    "hướng dẫn công bố, niêm yết thủ tục hành chính",
    "các nhiệm vụ, giải pháp về cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh",
    "cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh",
    "cơ chế một cửa, một cửa liên thông",
    "phản ánh, kiến nghị",
    "chức năng quản lý của",
    # Agency names.
    "Sở Khoa học và Công nghệ",
    "Chỉ số hiệu quả quản trị và hành chính công",
    "khoa học, công nghệ và đổi mới sáng tạo",
    "chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức",
    "hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO",
)

# A document's symbol and date are facts: "số 64/KH-SKHCN", "04/2023/QĐ-UBND", "30/12/2022", "ngày 14 tháng 12 năm
# 2018". Masked as a break, so "ngày 30/12/2022 của UBND tỉnh" cannot join the words around it into one run.
# Not checked: the expectations of the tests that read the real samples themselves (they skip without them) hold
# what the extractor must take from those documents, their headings and recipients included.
NOT_CHECKED = ("tests/extraction/expected/",)

_REFERENCE = re.compile(
    r"\b\d+(?:/\d{2,4})?/[A-ZĐ][A-ZĐa-zđ&\-]*(?:-[A-ZĐ&]+)*"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_BREAK = "\x00"

_TEXT_SUFFIXES = {
    ".py", ".md", ".txt", ".json", ".html", ".js", ".css", ".po", ".toml", ".csv", ".sh", ".svg", ".cfg", ".ini",
    ".yml", ".yaml", ".rst", ".jsonl",
}
_SKIP_DIRS = {"__pycache__", "node_modules", "vendor"}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> list[str]:
    """The words of `text`, NFC and lower case; punctuation, spacing and line breaks do not count."""
    return _WORD.findall(_norm(text))


def _segments(text: str) -> list[list[str]]:
    """The words of a sample, in runs that references and allowed phrases break apart."""
    text = _REFERENCE.sub(_BREAK, unicodedata.normalize("NFC", text))
    tokens: list[str | None] = []
    for piece in text.split(_BREAK):
        tokens.extend(words(piece))
        tokens.append(None)
    for phrase in _ALLOWED_WORDS:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tokens[i : i + n] == phrase:
                tokens[i : i + n] = [None] * n
    runs: list[list[str]] = [[]]
    for token in tokens:
        if token is None:
            runs.append([])
        else:
            runs[-1].append(token)
    return [run for run in runs if len(run) >= SHINGLE]



def _outline_headings() -> list[str]:
    """The headings of our report outlines: the Ministry of Home Affairs' outline for the periodic CCHC report and
    the provinces' outlines are prescribed forms, so their headings are the same words in every report."""
    import json

    headings = []
    for path in sorted((REPOSITORY / "src" / "cchc" / "reports" / "outlines").glob("*.json")):
        headings.extend(item["heading"] for item in json.loads(path.read_text(encoding="utf-8")).get("outline", []))
    return headings


_ALLOWED_WORDS = sorted((words(phrase) for phrase in (*ALLOWED, *_outline_headings())), key=len, reverse=True)


def file_text(path: Path) -> str | None:
    """The text of a repository or sample file; None for a file that holds no text we can read."""
    suffix = path.suffix.lower()
    if suffix in {".docx", ".pdf"}:
        if suffix == ".pdf" and shutil.which("pdftotext") is None:
            return None  # each PDF of the repository is rendered from the .docx beside it, which is read
        from cchc.extraction.reader import read_blocks

        parts = []
        for block in read_blocks(path):
            parts.extend(" ".join(row) for row in block.rows) if block.is_table else parts.append(block.text)
        return "\n".join(parts)
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(
            " ".join(str(cell) for cell in row if cell is not None)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        )
    if suffix in _TEXT_SUFFIXES or path.name in {"LICENSE", "run"}:
        return path.read_text(encoding="utf-8", errors="replace")
    return None


def samples_dir() -> Path | None:
    """``../shared/samples`` from the repository root (or one level higher, for a work tree kept in a sub-folder)."""
    for base in (REPOSITORY.parent, REPOSITORY.parent.parent):
        candidate = base / "shared" / "samples"
        if candidate.is_dir():
            return candidate
    return None


def shingles_of(text: str) -> set[tuple[str, ...]]:
    """The 8-word shingles of a sample's text, none of them across a reference or an allowed phrase."""
    return {tuple(run[i : i + SHINGLE]) for run in _segments(text) for i in range(len(run) - SHINGLE + 1)}


def sample_shingles(folder: Path) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for path in sorted(folder.rglob("*")):
        found |= shingles_of((file_text(path) if path.is_file() else None) or "")
    return found


def repository_files() -> Iterator[Path]:
    for path in sorted(REPOSITORY.rglob("*")):
        relative = path.relative_to(REPOSITORY).parts
        if any(part.startswith(".") or part in _SKIP_DIRS or part.endswith(".egg-info") for part in relative[:-1]):
            continue
        if path.is_file():
            yield path


def shared_runs(text: str, shingles: set[tuple[str, ...]], min_words: int) -> list[str]:
    """Runs of at least `min_words` consecutive words of `text` whose every 8-word shingle is in `shingles`."""
    tokens = words(text)
    hits = [tuple(tokens[i : i + SHINGLE]) in shingles for i in range(len(tokens) - SHINGLE + 1)]
    runs, i = [], 0
    while i < len(hits):
        if not hits[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(hits) and hits[j + 1]:
            j += 1
        if j - i + SHINGLE >= min_words:
            runs.append(" ".join(tokens[i : j + SHINGLE]))
        i = j + 1
    return runs


def find_copies(
    shingles: set[tuple[str, ...]], min_words: int, skip: tuple[str, ...] = NOT_CHECKED
) -> list[tuple[str, str]]:
    copies = []
    for path in repository_files():
        if path.relative_to(REPOSITORY).as_posix().startswith(skip):
            continue
        text = file_text(path)
        if text:
            copies.extend((str(path.relative_to(REPOSITORY)), run) for run in shared_runs(text, shingles, min_words))
    return copies


@pytest.fixture(scope="module")
def shingles() -> set[tuple[str, ...]]:
    folder = samples_dir()
    if folder is None:
        pytest.skip("the real samples (../shared/samples beside the repository) are not here; nothing to compare")
    return sample_shingles(folder)


def test_shared_runs_are_found_through_punctuation_and_line_breaks():
    sample = {("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám")}
    assert shared_runs('x "Một, hai ba\nbốn " "năm; sáu bảy tám" y', sample, 8) == ["một hai ba bốn năm sáu bảy tám"]
    assert shared_runs("một hai ba bốn năm sáu bảy chín", sample, 8) == []


def test_references_and_allowed_phrases_do_not_count_but_the_words_around_them_do():
    sample = shingles_of(
        "Căn cứ Kế hoạch số 64/KH-SKHCN ngày 30/12/2022 của Sở về công tác năm. "
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc. "
        "Các phòng chuyên môn đã rà soát toàn bộ quy trình nội bộ và gửi kết quả về Văn phòng Sở đúng hạn."
    )
    # A reference and its date, then the quốc hiệu: facts and prescribed text, quoted by anybody.
    assert shared_runs("theo Kế hoạch số 64/KH-SKHCN ngày 30/12/2022 của Sở", sample, 8) == []
    assert shared_runs("Cộng hòa xã hội chủ nghĩa Việt Nam, Độc lập - Tự do - Hạnh phúc", sample, 8) == []
    # A sentence of the sample is a copy wherever it stands.
    copied = "Ghi chú: các phòng chuyên môn đã rà soát toàn bộ quy trình nội bộ và gửi kết quả về Văn phòng Sở."
    assert shared_runs(copied, sample, 12) == [
        "các phòng chuyên môn đã rà soát toàn bộ quy trình nội bộ và gửi kết quả về văn phòng sở"
    ]


def test_no_file_repeats_a_sentence_of_the_samples(shingles):
    copies = find_copies(shingles, MAX_SHARED_WORDS + 1)
    listing = "\n".join(f"{path}: {run}" for path, run in copies[:40])
    assert not copies, f"{len(copies)} runs of {MAX_SHARED_WORDS + 1}+ words copied from the samples:\n{listing}"


if __name__ == "__main__":  # a listing for whoever rewrites the copies
    sys.path.insert(0, str(REPOSITORY / "src"))
    folder = samples_dir()
    if folder is None:
        sys.exit("no samples beside the repository")
    extra = [Path(arg) for arg in sys.argv[2:]]
    index = sample_shingles(folder)
    for more in extra:
        index |= sample_shingles(more)
    for path, run in find_copies(index, int(sys.argv[1]) if len(sys.argv) > 1 else 10, skip=()):
        print(f"{path}\t{len(run.split())}\t{run}")
