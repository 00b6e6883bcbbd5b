"""The printed forms of the one-stop desk (biểu mẫu một cửa): templates as data, filled from a dossier, rendered as
.docx and PDF through the Nghị định 30 renderer (cchc.reports.rendering). See docs/dossier-forms.md."""
