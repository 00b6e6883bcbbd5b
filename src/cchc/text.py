"""Vietnamese text helpers: NFC normalisation and the folding used by diacritic-insensitive search."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


def fold(value: str) -> str:
    """Lower-case, strip diacritics (đ included), collapse spaces: 'Đăng  ký' -> 'dang ky'."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
