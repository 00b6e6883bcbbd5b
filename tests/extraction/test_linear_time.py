"""Reading time grows in proportion to the text (issue 10: a 13 KB .docx whose lines repeat took 61 s).

Each amplifying input (tests/extraction/amplify.py: a line repeated thousands of times, huge tables, a task continued
over many rows, a long line without punctuation, nested parentheses, many numbers, many references, a whole report)
is read at 1x and 8x its size. Linear reading takes about 8 times as long for 8x; reading that grows with the square
takes 64 times as long. The test allows 12 times, and passes whatever the ratio when 8x takes under FLOOR seconds;
the sizes are half the benchmark's (bench/extract_scaling.py), at which the quadratic readers of before took several
times FLOOR at 8x. Times are processor time of this process (other processes on a loaded machine do not count), the
best of a few runs, small and large interleaved, measured again once before failing.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.extraction import extract

from .amplify import AMPLIFIERS, report_lines

RATIO = 12
FLOOR = 0.5  # processor seconds at 8x under which any ratio passes


def _seconds(data: bytes, name: str) -> float:
    start = time.process_time()
    extract(data, name)
    return time.process_time() - start


def _times(small: tuple[bytes, str], large: tuple[bytes, str]) -> tuple[float, float]:
    _seconds(*small)  # warm-up: imports, caches
    t1, t8 = [], []
    for _ in range(2):
        t1.append(_seconds(*small))
        t8.append(_seconds(*large))
    t1.append(_seconds(*small))
    return min(t1), min(t8)


def assert_linear(make, n: int) -> None:
    small, large = make(n), make(8 * n)
    for _attempt in range(2):
        t1, t8 = _times(small, large)
        if t8 <= max(RATIO * t1, FLOOR):
            return
    pytest.fail(f"8x the input took {t8:.3f} s, {t8 / max(t1, 1e-9):.1f} times the {t1:.3f} s of 1x (at most {RATIO})")


@pytest.mark.parametrize("name", list(AMPLIFIERS))
def test_reading_time_grows_in_proportion_to_the_input(name):
    make, base = AMPLIFIERS[name]
    assert_linear(make, base // 2)


# Lines a report is made of; a line of a few of them, repeated, is one more amplifying input.
_PIECES = [
    "tiếp nhận 88 hồ sơ",
    "đã giải quyết 1.176.355 hồ sơ",
    "trong đó",
    "Quyết định số 12/QĐ-UBND",
    "ngày 10/01/2023",
    "của UBND tỉnh",
    "về việc",
    "(",
    ")",
    "((",
    "))",
    "x",
    "8/43 nội dung",
    "mức độ 4",
    "Hoàn thành",
    "I.",
    "1.",
    "\t",
    "\tHoàn thành\t",
    "Luật Đất đai năm 2013",
    ";",
    ":",
    "và",
    "các",
    "[",
    "](",
    "<li",
    "<http",
    "*",
    "–",
]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8), st.booleans())
def test_any_line_repeated_reads_in_linear_time(pieces, lower_start):
    line = " ".join(pieces)
    if lower_start:
        line = "tiếp tục " + line  # joined to the line before: one paragraph of every copy
    n = max(50, 25_000 // (len(line) + 1))
    assert_linear(lambda k: (report_lines([line] * k).encode(), "repeated.txt"), n)
