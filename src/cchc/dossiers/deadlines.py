"""The legal due moment of a dossier: one function for the receipt form, the lifecycle and the importer."""

from __future__ import annotations

import datetime as dt

from cchc import calendar


def due_for(procedure, received_at: dt.datetime) -> dt.datetime:
    """Due moment of a dossier of `procedure` received at `received_at`, with the time that binds the agency
    (the province's reduced time where one was decided) and the calendar of the agency's province."""
    return calendar.due_moment(
        received_at,
        procedure.applied_processing_time,
        unit=procedure.time_unit,
        province=procedure.agency.province_id,
        cutoff=procedure.cutoff_time,
    )
