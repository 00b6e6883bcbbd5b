"""A small PNG reader (stdlib only): enough to read a QR code back into its module matrix and compare it with the
matrix segno computes for the text. No QR decoder is installed; equal matrices mean the picture encodes the text."""

from __future__ import annotations

import struct
import zlib


def pixels(png: bytes) -> list[list[int]]:
    """Grey levels 0-255 (0 black) of a non-interlaced PNG of colour type 0 (grey), 2 (RGB), 3 (palette) or 4/6."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, palette = 8, b"", None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", data)
            assert interlace == 0
        elif kind == b"PLTE":
            palette = [data[i : i + 3] for i in range(0, len(data), 3)]
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    bits = depth * channels
    stride = (width * bits + 7) // 8
    bpp = max(1, bits // 8)
    raw = zlib.decompress(idat)
    rows, prev = [], bytearray(stride)
    for y in range(height):
        filt = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        values = []
        for x in range(width):
            if depth < 8:
                byte = line[(x * depth) // 8]
                shift = 8 - depth - (x * depth) % 8
                v = (byte >> shift) & ((1 << depth) - 1)
            else:
                v = line[x * bpp]
            if colour == 3:
                v = palette[v][0]
            elif depth < 8:
                v = v * 255 // ((1 << depth) - 1)
            values.append(v)
        rows.append(values)
    return rows


def modules(png: bytes, size: int, border: int) -> list[list[bool]]:
    """The dark modules of a QR picture of `size` modules with a quiet zone of `border` modules (True = dark)."""
    grid = pixels(png)
    scale = len(grid) / (size + 2 * border)
    return [
        [grid[int((border + r + 0.5) * scale)][int((border + c + 0.5) * scale)] < 128 for c in range(size)]
        for r in range(size)
    ]
