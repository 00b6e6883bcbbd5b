"""Import and export of an agency's TTHC catalogue ("Danh mục thủ tục hành chính") as XLSX or CSV.

The columns are those of a provincial publication of the catalogue (tthc-details.md §7.3); headers are matched
ignoring case, diacritics, punctuation and a trailing remark such as "(ngày làm việc)". Title rows above the
header and section rows ("I. Lĩnh vực Hoạt động khoa học và công nghệ") are understood: a section row gives the
field of the rows below it that leave "Lĩnh vực" empty.

Import rules (docs/procedure-import.md):
- every row is validated; good rows are saved, bad rows are reported with their row number and the reason;
- a row is identified by agency + code + "Hiệu lực từ": the same file imported twice changes nothing, an unchanged
  row is neither written nor audited, a changed row is updated and audited with its diff;
- each row is saved in its own transaction: a failure mid-way never leaves half a row;
- versions: a row without "Bãi bỏ từ" ends where the next version of the same code starts (in the file or in the
  database), and an open earlier version in the database is closed on the new version's date (audited).
Export writes the same columns, so export -> import round-trips unchanged. An XLSX workbook also carries the
procedures' parts, one sheet each (components, fees, internal process; see parts.py), keyed by code and "Hiệu lực từ".

The package: common (bounds, result), columns (headers and cell words), values (one cell), reading (file -> rows),
parts (the parts sheets), saving (rows -> database), export (database -> file).
"""

from __future__ import annotations

from .columns import AGENCY_HEADER, COLUMNS, NUMBER_HEADER, REQUIRED, Column
from .common import CODE_RE, LIMITS, MAX_HEADER_SCAN, ImportResult, UnreadableFile
from .export import CONTENT_TYPES, agency_catalogue, export_catalogue, export_response
from .reading import ParsedRow
from .saving import import_catalogue
from .values import RowError

__all__ = [
    "AGENCY_HEADER",
    "CODE_RE",
    "COLUMNS",
    "CONTENT_TYPES",
    "LIMITS",
    "MAX_HEADER_SCAN",
    "NUMBER_HEADER",
    "REQUIRED",
    "Column",
    "ImportResult",
    "ParsedRow",
    "RowError",
    "UnreadableFile",
    "agency_catalogue",
    "export_catalogue",
    "export_response",
    "import_catalogue",
]
