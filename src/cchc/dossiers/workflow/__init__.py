"""The internal procedure (quy trình nội bộ) as the workflow of a dossier: its steps, who holds each, the
hand-overs between them, and the result."""
