"""Vietnamese text helpers: NFC normalisation, the folding used by diacritic-insensitive search, and the cleaning of
codes and names before they are compared (look-alike codes must not become distinct records)."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})

# Characters that show nothing: the Unicode "format" characters (zero-width space and joiners, the byte-order mark,
# the soft hyphen, bidirectional controls, word joiner, tag characters...), the control characters that are not
# white space, and a few invisible letters and marks used to forge look-alikes (combining grapheme joiner, Hangul
# fillers, variation selectors). tests/test_text.py checks the Cf and Cc part against unicodedata.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
_ASCII_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f]")

# Vietnamese names of the scripts whose letters pass for Latin ones.
_SCRIPT_NAMES = {"CYRILLIC": "Kirin", "GREEK": "Hy Lạp", "ARMENIAN": "Armenia", "CHEROKEE": "Cherokee"}


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


def fold(value: str) -> str:
    """Lower-case, strip diacritics (đ included), collapse spaces: 'Đăng  ký' -> 'dang ky'."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def clean_line(value: str | None) -> str:
    """A code or a name as it must be stored and compared: NFC, invisible and control characters removed, any run
    of white space (tabs and line breaks included) one space, no space around it.

    'HS\u200b-1 ' and 'HS-1' are the same code; 'Nguyễn\u00a0Văn  An' (decomposed, a no-break space) is
    'Nguyễn Văn An'. Fast for plain ASCII, which most codes are."""
    if not value:
        return ""
    if value.isascii():
        if not value.isprintable():
            value = _ASCII_CONTROLS.sub("", value)
        return " ".join(value.split())
    value = _INVISIBLE.sub("", unicodedata.normalize("NFC", value))
    return " ".join(value.split())


def clean_text(value: str | None) -> str:
    """Like clean_line, for a text that may hold line breaks (fees, notes): the breaks are kept (as "\\n"), spaces
    are collapsed within each line, blank lines at both ends dropped."""
    if not value:
        return ""
    lines = [clean_line(line) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def look_alike_letters(code: str) -> tuple[str, list[str]] | None:
    """(Vietnamese name of the script, the letters) when `code` holds letters that are not Latin (Cyrillic 'Н',
    Greek 'Ο'...) or digits that are not 0-9 (full-width '１', Arabic-Indic '١'): they look like the Latin ones and
    would make a second record that looks identical. None for a code of Latin letters (Vietnamese ones included),
    digits 0-9 and punctuation."""
    if code.isascii():
        return None
    found: dict[str, list[str]] = {}
    for char in code:
        if char.isascii():
            continue
        category = unicodedata.category(char)
        if category.startswith("L"):
            script = unicodedata.name(char, "").split(" ", 1)[0]
            if script == "LATIN":
                continue
        elif category != "Nd":
            continue
        else:
            script = "DIGIT"
        letters = found.setdefault(script, [])
        if char not in letters:
            letters.append(char)
    if not found:
        return None
    script, letters = next(iter(found.items()))
    if script == "DIGIT":
        return _("chữ số không phải 0–9"), letters
    return _SCRIPT_NAMES.get(script, _("ngoài bảng chữ Latinh")), letters


def code_problem(code: str, label: str) -> str | None:
    """A Vietnamese message when `code` (already cleaned) mixes look-alike letters or digits, else None."""
    found = look_alike_letters(code)
    if found is None:
        return None
    script, letters = found
    return _(
        "%(label)s “%(code)s” có ký tự %(script)s (%(letters)s) trông giống chữ Latinh hoặc chữ số thường: mã như vậy "
        "nhìn giống hệt một mã khác. Hãy gõ lại mã chỉ bằng chữ Latinh, chữ số 0–9 và dấu."
    ) % {"label": label, "code": code, "script": script, "letters": ", ".join(letters)}
