"""Period statistics: reporting periods, how a dossier counts, and the aggregates (see docs/statistics.md)."""
