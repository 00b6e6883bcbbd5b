"""Format-independent document model and its renderers (.docx, PDF through LibreOffice, .xlsx)."""

from .document import (
    AdministrativeDocument,
    Appendix,
    Cell,
    Footnote,
    Heading,
    Image,
    ImageRow,
    Paragraph,
    Run,
    Signature,
    SignatureColumn,
    SignatureRow,
    Table,
    number_line,
    pad2,
    parse_inline,
    short_date,
    vietnamese_date_line,
)
from .docx import render_docx
from .pdf import PdfConversionError, to_pdf
from .xlsx import table_to_xlsx

__all__ = [
    "AdministrativeDocument",
    "Appendix",
    "Cell",
    "Footnote",
    "Heading",
    "Image",
    "ImageRow",
    "Paragraph",
    "PdfConversionError",
    "Run",
    "Signature",
    "SignatureColumn",
    "SignatureRow",
    "Table",
    "number_line",
    "pad2",
    "parse_inline",
    "render_docx",
    "short_date",
    "table_to_xlsx",
    "to_pdf",
    "vietnamese_date_line",
]
