"""Import dossiers from the CSV/XLSX exports of other one-stop-shop systems (tthc.md §2, tthc-details.md §1.13).

The file is streamed (csv module / openpyxl read-only), every row is parsed and validated in Python with cached
lookups (the agency's procedure versions, the province's working calendar, due dates per procedure and receipt
day), and rows are written in batches, one transaction per batch: on PostgreSQL new dossiers and their events go in
with COPY, elsewhere with bulk_create; changed dossiers with bulk_update. The columns the statistics read are derived
exactly as dossiers/lifecycle.py stores them (received_on, due_at/due_date with the supplement pause, paused_at,
status, ended_at/ended_on/outcome, returned_at, promised_date, regime) and each dated step becomes a DossierEvent.

Idempotence: a dossier is identified by (agency, code). Re-importing the same file changes nothing; a row whose
data changed updates the dossier and its events and leaves one audit entry ("import") on that dossier. Created
dossiers are not audited one by one (that would double the rows written): each batch that changed something
leaves one audit entry on the agency with the file name, the counts and the codes it created. See
docs/dossier-import.md.
"""

from .columns import COLUMNS, DESCRIPTIVE, REQUIRED, column_label
from .results import ImportFileError, ImportResult, RowError, write_errors_csv
from .run import Progress, check_file, import_dossiers

__all__ = [
    "COLUMNS",
    "DESCRIPTIVE",
    "REQUIRED",
    "ImportFileError",
    "ImportResult",
    "Progress",
    "RowError",
    "check_file",
    "column_label",
    "import_dossiers",
    "write_errors_csv",
]
