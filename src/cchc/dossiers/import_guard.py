"""The dossier import and the periods already reported: a row that would create or change a dossier dated inside
the period of a submitted or approved report is written only when the import gives a reason (the desk's rule,
reports.freeze), and each batch that does so is recorded against those reports; without a reason the row is a row
error that says which report it would change, and re-importing an unchanged row is never one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from cchc.reports import freeze
from cchc.text import nfc


class ReportedPeriodGuard:
    def __init__(self, agency, reason: str = "") -> None:
        self.periods = freeze.FrozenPeriods(agency)
        self.reason = nfc(reason or "").strip()
        self._touched: dict[int, object] = {}
        self._rows = 0

    def refusal(self, moments: Iterable[dt.datetime | dt.date | None]) -> str | None:
        """None when the row may be written; else the row's error message. A written row that touches reported
        periods is remembered for record_batch."""
        reports = self.periods.affected(moments)
        if not reports:
            return None
        if not self.reason:
            return _(
                "Hồ sơ thuộc kỳ đã báo cáo %(reports)s: chỉ nhập khi nêu lý do thay đổi số liệu (ô «Lý do» trên "
                "trang nhập, hoặc --reason ở dòng lệnh)."
            ) % {"reports": ", ".join(freeze.report_label(report) for report in reports)}
        for report in reports:
            self._touched[report.pk] = report
        self._rows += 1
        return None

    def record_batch(self, actor, file_name: str) -> None:
        """Inside the batch's transaction: the reports its rows changed, with the reason, who and how many rows."""
        if self._touched:
            change = freeze.ReportedChange(list(self._touched.values()), self.reason)
            change.record(
                actor,
                _("Nhập %(rows)s hồ sơ từ tệp %(file)s") % {"rows": self._rows, "file": file_name},
                rows=self._rows,
            )
        self._touched, self._rows = {}, 0

    def forget_batch(self) -> None:
        """The batch's transaction was rolled back (it is retried): what it touched is counted again."""
        self._touched, self._rows = {}, 0
