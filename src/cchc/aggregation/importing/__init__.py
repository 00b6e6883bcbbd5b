"""Importing existing reports (Word, text, PDF) into cchc: stage -> review (correct) -> confirm.

- staging.py reads a file and keeps what the extractor found, and the document's text, in an ImportedReport;
- agencies.py proposes the report's agency (across the 2025 mergers) and names agencies with their province;
- periods.py proposes its period from the title, the opening text or the date;
- duplicates.py recognises the same report in another file, which confirming replaces;
- values.py, edits.py: figure values in Vietnamese format, checked by kind; the officer's audited corrections;
- document.py marks each figure's source sentence in the document's text;
- review.py says what confirming would do; confirm.py does it in one transaction;
- jobs.py reads several files in the task queue.
"""

from .agencies import AgencyProposal, agency_label, import_agencies, propose_agency, upload_desk
from .confirm import (
    confirm,
    confirmed_figures,
    discard,
    may_handle,
    only_figures_note,
    recording_aggregator,
    require_editor,
)
from .duplicates import earlier_uploads
from .edits import FigureEdits, FigureErrors, apply_edits, current_figures
from .periods import PeriodGuess, guess_period, propose_period, report_date
from .review import COMPUTED_KEYS, Review, agency_uses_cchc, computed_value, review
from .staging import ACCEPTED_SUFFIXES, MAX_FILE_BYTES, ImportRejected, check_file, stage_file
from .values import format_value, parse_value

__all__ = [
    "ACCEPTED_SUFFIXES", "COMPUTED_KEYS", "MAX_FILE_BYTES", "AgencyProposal", "FigureEdits", "FigureErrors",
    "ImportRejected", "PeriodGuess", "Review", "agency_label", "agency_uses_cchc", "apply_edits", "check_file",
    "computed_value", "confirm", "confirmed_figures", "current_figures", "discard", "earlier_uploads", "format_value",
    "guess_period", "import_agencies", "may_handle", "only_figures_note", "parse_value", "propose_agency",
    "propose_period", "recording_aggregator", "report_date", "require_editor", "review", "stage_file", "upload_desk",
]  # fmt: skip
