"""Evidence from cchc's own records for the PAR Index self-assessment (issue 11): the evaluators that measure what
an item of the criteria set asks (the plan issued by its deadline, reports sent on time, dossiers resolved on
time...) and return a Measurement with the figures and the objects it came from. P1's parindex app stores on each
item the name of an evaluator of REGISTRY and its parameters, and its rules turn the Measurement into points.

Plain functions over the other apps' models and services: nothing here needs the parindex app installed. See
README.md in this folder for every evaluator, its parameters and what it reads.
"""

from __future__ import annotations

from .base import REGISTRY, Evaluator, Measurement, ParamError, SourceRef
from .version import data_version

# Importing the evaluator modules registers their evaluators in REGISTRY, in the order of the criteria sets.
# isort: off
from . import plans, submissions, registry, catalogue, dossiers, feedback  # noqa: F401
# isort: on

__all__ = ["REGISTRY", "Evaluator", "Measurement", "ParamError", "SourceRef", "data_version", "measure"]


def measure(name: str, agency, year: int, params: dict | None = None) -> Measurement | None:
    """None when `name` is not registered; otherwise the evaluator's Measurement (value None when no data).
    Parameters left out take their defaults; an unknown or unusable parameter raises ParamError (a ValueError
    with a Vietnamese message)."""
    evaluator = REGISTRY.get(name)
    if evaluator is None:
        return None
    return evaluator.measure(agency, year, params or {})
