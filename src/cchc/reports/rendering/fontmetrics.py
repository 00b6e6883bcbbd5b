"""Advance widths of the serif font LibreOffice prints Times New Roman with, read from the font files themselves.

LibreOffice replaces Times New Roman by the metric-compatible Liberation Serif (package fonts-liberation or
fonts-liberation2), so measuring a word with Liberation Serif's own advance widths tells whether it fits a table
column in the PDF. Vietnamese letters matter here: the horned "ư", "ơ" are wider than "u", "o", which an ASCII table
cannot know. The reader below understands just what it needs of a TrueType file ('head', 'hhea', 'hmtx' and a
Unicode 'cmap' of format 4 or 12). Without the fonts (a machine that cannot make PDFs either), `width_em` falls back
to the ASCII advance widths of Times New Roman, every accented letter measured as its base letter.
"""

from __future__ import annotations

import functools
import os
import struct
import unicodedata
from pathlib import Path

FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/liberation",
    "/usr/local/share/fonts",
)
STYLE_FILES = {
    (False, False): "LiberationSerif-Regular.ttf",
    (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf",
    (True, True): "LiberationSerif-BoldItalic.ttf",
}

# Advance widths of Times New Roman (metric-identical Liberation Serif), 1/1000 em, for ASCII 32..126: the fallback.
_WIDTHS_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
    722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500,
    444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480,
    200, 480, 541,
)  # fmt: skip
_WIDTHS_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944,
    722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556,
    444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394,
    220, 394, 520,
)  # fmt: skip


class FontFile:
    """The advance width of every character a TrueType font maps, in em."""

    def __init__(self, data: bytes) -> None:
        tables = self._tables(data)
        units_per_em = struct.unpack_from(">H", data, tables["head"] + 18)[0]
        metrics_count = struct.unpack_from(">H", data, tables["hhea"] + 34)[0]
        hmtx = tables["hmtx"]
        advances = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metrics_count)]
        self._units = float(units_per_em)
        self._advances = advances
        self._glyphs = self._cmap(data, tables["cmap"])

    @staticmethod
    def _tables(data: bytes) -> dict[str, int]:
        count = struct.unpack_from(">H", data, 4)[0]
        tables = {}
        for i in range(count):
            tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            tables[tag.decode("latin-1")] = offset
        missing = {"head", "hhea", "hmtx", "cmap"} - set(tables)
        if missing:
            raise ValueError(f"font lacks tables {sorted(missing)}")
        return tables

    @staticmethod
    def _cmap(data: bytes, base: int) -> dict[int, int]:
        count = struct.unpack_from(">H", data, base + 2)[0]
        subtables = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
            subtables[(platform, encoding)] = base + offset
        # Prefer the full Unicode table (3, 10), then the BMP one (3, 1) or a Unicode-platform one.
        for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
            if key in subtables:
                offset = subtables[key]
                fmt = struct.unpack_from(">H", data, offset)[0]
                if fmt == 12:
                    return FontFile._cmap12(data, offset)
                if fmt == 4:
                    return FontFile._cmap4(data, offset)
        raise ValueError("font has no Unicode cmap of format 4 or 12")

    @staticmethod
    def _cmap4(data: bytes, offset: int) -> dict[int, int]:
        segments = struct.unpack_from(">H", data, offset + 6)[0] // 2
        ends = offset + 14
        starts = ends + 2 * segments + 2
        deltas = starts + 2 * segments
        ranges = deltas + 2 * segments
        glyphs: dict[int, int] = {}
        for s in range(segments):
            end = struct.unpack_from(">H", data, ends + 2 * s)[0]
            start = struct.unpack_from(">H", data, starts + 2 * s)[0]
            delta = struct.unpack_from(">h", data, deltas + 2 * s)[0]
            range_offset = struct.unpack_from(">H", data, ranges + 2 * s)[0]
            for code in range(start, end + 1):
                if code == 0xFFFF:
                    continue
                if range_offset == 0:
                    glyph = (code + delta) & 0xFFFF
                else:
                    at = ranges + 2 * s + range_offset + 2 * (code - start)
                    glyph = struct.unpack_from(">H", data, at)[0]
                    glyph = (glyph + delta) & 0xFFFF if glyph else 0
                if glyph:
                    glyphs[code] = glyph
        return glyphs

    @staticmethod
    def _cmap12(data: bytes, offset: int) -> dict[int, int]:
        groups = struct.unpack_from(">I", data, offset + 12)[0]
        glyphs: dict[int, int] = {}
        for g in range(groups):
            start, end, first = struct.unpack_from(">III", data, offset + 16 + 12 * g)
            for code in range(start, min(end, 0x2FFFF) + 1):
                glyphs[code] = first + code - start
        return glyphs

    def advance_em(self, char: str) -> float | None:
        glyph = self._glyphs.get(ord(char))
        if glyph is None:
            return None
        index = min(glyph, len(self._advances) - 1)
        return self._advances[index] / self._units


def _font_dirs() -> list[Path]:
    configured = os.environ.get("CCHC_FONT_DIR")
    dirs = [Path(configured)] if configured else []
    return dirs + [Path(d) for d in FONT_DIRS]


@functools.lru_cache(maxsize=8)
def font(bold: bool = False, italic: bool = False) -> FontFile | None:
    """Liberation Serif in the wanted style, or None when it is not installed (or unreadable)."""
    name = STYLE_FILES[(bool(bold), bool(italic))]
    for directory in _font_dirs():
        path = directory / name
        if path.is_file():
            try:
                return FontFile(path.read_bytes())
            except (OSError, ValueError, struct.error):
                continue
    return None


def _fallback_em(char: str, bold: bool) -> float:
    table = _WIDTHS_BOLD if bold else _WIDTHS_REGULAR
    base = unicodedata.normalize("NFD", "D" if char == "Đ" else "d" if char == "đ" else char)[:1] or " "
    code = ord(base)
    return (table[code - 32] if 32 <= code < 127 else 500) / 1000


def width_em(text: str, *, bold: bool = False, italic: bool = False) -> float:
    """The advance width of `text` (NFC, one line) in em of the font size."""
    face = font(bold, italic)
    total = 0.0
    for char in unicodedata.normalize("NFC", text):
        measured = face.advance_em(char) if face is not None else None
        total += measured if measured is not None else _fallback_em(char, bold)
    return total


def width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Printed width of one line of `text` at `size_pt` points, in millimetres."""
    return width_em(text, bold=bold, italic=italic) * size_pt * 25.4 / 72


def have_fonts() -> bool:
    return font(False, False) is not None and font(True, False) is not None
