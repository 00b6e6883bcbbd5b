"""What every part of the catalogue import and export shares: the bounds, the result, the error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cchc.tablefiles import WEB_LIMITS

CODE_RE = re.compile(r"^(\d\.\d{6})(\.[A-Za-z0-9]{1,12})?$", re.ASCII)
MAX_HEADER_SCAN = 20
# A catalogue has hundreds of procedures; its rows are all parsed before any is saved, hence a bound.
LIMITS = WEB_LIMITS.with_(max_rows=20_000)


class UnreadableFile(Exception):
    """The file cannot be read (not XLSX/CSV, broken, past the bounds, no recognisable header), or another import
    of the agency's catalogue is running; nothing was saved. The message is meant for the user."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    # Problems of the parts sheets, each naming its sheet, row and column (their procedures are in `errors` too).
    part_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.part_errors

    def summary(self) -> str:
        text = _(
            "Thêm mới %(created)d, cập nhật %(updated)d, không đổi %(unchanged)d thủ tục; "
            "%(closed)d phiên bản cũ được đóng; %(errors)d dòng lỗi."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "closed": self.closed,
            "errors": len(self.errors),
        }
        return text
