"""Two switches the workflow and its callers set for the span of a call (context variables, so threads and
requests never see each other's):

- `driving()`: the workflow itself calls the lifecycle (an approval resolves, the desk's return returns, a step in
  another unit assigns): the guards that keep people from bypassing a dossier's internal process let it through, and
  the lifecycle's hook does not echo the call back to the steps.
- `steps_suspended()`: dossiers received meanwhile get no steps, as imported ones never do (the demo writes its
  history this way and gives the open dossiers their steps afterwards).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_driving: ContextVar[bool] = ContextVar("cchc_workflow_driving", default=False)
_suspended: ContextVar[bool] = ContextVar("cchc_workflow_suspended", default=False)


@contextmanager
def driving() -> Iterator[None]:
    token = _driving.set(True)
    try:
        yield
    finally:
        _driving.reset(token)


@contextmanager
def steps_suspended() -> Iterator[None]:
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def is_driving() -> bool:
    return _driving.get()


def is_suspended() -> bool:
    return _suspended.get()
