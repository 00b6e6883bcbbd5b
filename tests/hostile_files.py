"""Hostile and broken table files, made here with zipfile and plain bytes (nothing downloaded): the zip bomb, the
workbook whose zip lies about its sizes, the truncated workbook, broken XML, a worksheet declaring a million rows
and every column, and CSV files with a NUL, a huge cell or an unclosed quote. Used by the tests and by
bench/hostile_files_bench.py."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Hồ sơ" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
DOSSIER_HEADER = ["Mã hồ sơ", "Mã TTHC", "Chủ hồ sơ", "Ngày tiếp nhận"]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_xml(rows: Iterable[list[str]], dimension: str | None = None) -> bytes:
    """A worksheet of inline-string cells."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">']
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'
            for i, value in enumerate(row)
        )
        parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode("utf-8")


def workbook(sheet: bytes, strings: bytes | None = None, *, level: int = 6) -> bytes:
    """A minimal .xlsx (the parts Excel needs) around a worksheet and, optionally, a shared strings part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr(
            "xl/sharedStrings.xml",
            strings if strings is not None else f'<sst xmlns="{MAIN_NS}"><si><t>x</t></si></sst>'.encode(),
        )
    return buffer.getvalue()


def dossier_rows(count: int, start: int = 1) -> list[list[str]]:
    return [
        [f"HS-{i:06d}", "1.004444", "Nguyễn Văn An", f"{(i % 27) + 1:02d}/02/2024 09:00"]
        for i in range(start, start + count)
    ]


def zip_bomb(inflated_bytes: int) -> bytes:
    """A real decompression bomb: a valid workbook (dossier header row, two rows) whose shared strings part is
    `inflated_bytes` of one repeated tiny string, compressed at level 9 (about 1:1000)."""
    sheet = sheet_xml([DOSSIER_HEADER, *dossier_rows(2)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(f'<sst xmlns="{MAIN_NS}">'.encode())
            chunk = b"<si><t>a</t></si>" * 65536
            for _ in range(max(1, inflated_bytes // len(chunk))):
                part.write(chunk)
            part.write(b"</sst>")
    return buffer.getvalue()


def zip_bomb_of_size(target_bytes: int) -> bytes:
    """A zip bomb whose file is about `target_bytes` long (257 KB, 1 MB: the probe's files)."""
    inflated = target_bytes * 1000
    data = zip_bomb(inflated)
    return zip_bomb(int(inflated * target_bytes / len(data)))


def lying_sizes(data: bytes, part: str, declared: int) -> bytes:
    """`data` (a zip) with the central directory claiming that `part` inflates to `declared` bytes."""
    out = bytearray(data)
    at = 0
    name = part.encode()
    while True:
        at = out.find(b"PK\x01\x02", at)
        if at < 0:
            raise ValueError(part)
        name_length = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<I", out, at + 24, declared)
            return bytes(out)
        at += 4


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def broken_xml_workbook(good_rows: int = 3) -> bytes:
    """The header and `good_rows` rows, then the worksheet's XML breaks (an unclosed cell, then garbage)."""
    sheet = sheet_xml([DOSSIER_HEADER, *dossier_rows(good_rows)])
    cut = sheet.index(b"</sheetData>")
    broken = sheet[:cut] + b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>HS-9</t></is><v>&bad;<<</row>' % (
        good_rows + 2,
        good_rows + 2,
    )
    return workbook(broken)


def huge_dimension_workbook() -> bytes:
    """A small workbook whose worksheet declares every row and column of Excel (A1:XFD1048576)."""
    return workbook(sheet_xml([DOSSIER_HEADER, *dossier_rows(1)], dimension="A1:XFD1048576"))


def csv_bytes(lines: Iterable[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def dossier_csv_lines(count: int, start: int = 1) -> list[str]:
    return [",".join(row) for row in dossier_rows(count, start)]
