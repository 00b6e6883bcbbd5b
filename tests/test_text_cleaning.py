"""cchc.text: codes and names cleaned before they are compared, look-alike letters found."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from cchc.text import _INVISIBLE, clean_line, clean_text, code_problem, look_alike_letters


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("HS\u200b-1", "HS-1"),  # zero-width space
        ("\ufeffHS-1", "HS-1"),  # byte-order mark
        ("HS\u00ad-1\u2060", "HS-1"),  # soft hyphen, word joiner
        ("HS-1\x00\x07", "HS-1"),  # control characters
        ("\u202eHS-1\u202c", "HS-1"),  # bidirectional override
        ("  HS-1 \t", "HS-1"),
        ("Nguyễn\u00a0Văn\n  An", "Nguyễn Văn An"),  # no-break space, a line break, runs of spaces
        (unicodedata.normalize("NFD", "Trần Thị Bình"), "Trần Thị Bình"),  # decomposed -> NFC
        ("", ""),
    ],
)
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean
    assert unicodedata.is_normalized("NFC", clean_line(raw))


def test_clean_text_keeps_line_breaks():
    assert clean_text(" - Phí:\u200b 100.000 đồng \r\n- Lệ phí:  không\n\n") == "- Phí: 100.000 đồng\n- Lệ phí: không"


def test_every_format_and_control_character_is_removed():
    """The hand-written class of invisible characters holds every Unicode format character (Cf) and every control
    character (Cc) that is not white space, as this Python's Unicode database knows them."""
    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cf", "Cc")
        and not chr(code).isspace()
        and not _INVISIBLE.fullmatch(chr(code))
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("code", "script", "letters"),
    [
        ("НS-1", "Kirin", ["Н"]),  # Cyrillic En
        ("HS-О1", "Kirin", ["О"]),  # Cyrillic O
        ("ΗS-1", "Hy Lạp", ["Η"]),  # Greek Eta
        ("HS-１", "chữ số không phải 0–9", ["１"]),  # full-width digit
    ],
)
def test_look_alike_letters_are_found(code, script, letters):
    assert look_alike_letters(code) == (script, letters)
    message = code_problem(code, "Mã hồ sơ")
    assert message.startswith(f"Mã hồ sơ “{code}” có ký tự {script}")


@pytest.mark.parametrize("code", ["HS-1", "000.00.12.H45-240205-0001", "Hồ sơ Đặc biệt-01", "1.004444.H45"])
def test_latin_and_vietnamese_codes_are_fine(code):
    assert look_alike_letters(code) is None and code_problem(code, "Mã") is None
