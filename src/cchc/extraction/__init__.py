"""Read existing reports (docx, txt/md, pdf) into data: metadata, cited documents, stated figures, task tables and
the outline (issue 4, "The extractor"). Plain functions, no models; see docs/extraction.md."""

from .extract import ExtractionError, extract, extract_text

__all__ = ["ExtractionError", "extract", "extract_text"]
