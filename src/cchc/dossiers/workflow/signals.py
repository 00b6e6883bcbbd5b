"""Signals of the workflow for the other parts (notifications connect to them)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once the transaction commits, when a step is handed to a person or put in a unit's (or an agency's) queue.
# kwargs: step (a DossierStep; its holder is None for a queue).
step_reached = Signal()
