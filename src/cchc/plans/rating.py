"""The four rating levels of a plan task and the rule that proposes one (reports.md §3, the appendix "Kết quả thực
hiện kế hoạch CCHC năm" of the Quảng Trị sample):

- Hoàn thành tốt: right content, on time;
- Hoàn thành: on time, but the content is not complete;
- Hoàn thành chậm: right content, done after the deadline;
- Chưa hoàn thành: not done at the date of the assessment, whether the deadline has passed or not.

"On time" means done on or before the deadline's last day (a month deadline runs to the month's last day). A task
without a known deadline is on time whenever it is done. An officer may override the proposal, with a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class Rating(models.TextChoices):
    GOOD = "good", _("Hoàn thành tốt")
    DONE = "done", _("Hoàn thành")
    LATE = "late", _("Hoàn thành chậm")
    NOT_DONE = "not_done", _("Chưa hoàn thành")


class RatedTask(Protocol):
    progress: str
    completed_on: dt.date | None
    content_complete: bool
    rating: str

    @property
    def due_date(self) -> dt.date | None: ...


def is_done(task: RatedTask, as_of: dt.date) -> bool:
    """Was the task done on `as_of`? A task completed later was not done yet then."""
    return task.progress == Progress.DONE and task.completed_on is not None and task.completed_on <= as_of


def is_on_time(task: RatedTask) -> bool:
    """Done on or before the deadline's last day (or without a known deadline)."""
    due = task.due_date
    return task.completed_on is not None and (due is None or task.completed_on <= due)


def propose_rating(task: RatedTask, as_of: dt.date) -> Rating:
    """The rating the rules give `task` on `as_of`."""
    if not is_done(task, as_of):
        return Rating.NOT_DONE
    if not is_on_time(task):
        return Rating.LATE
    return Rating.GOOD if task.content_complete else Rating.DONE


def effective_rating(task: RatedTask, as_of: dt.date) -> Rating:
    """The officer's override where there is one, else the proposal.

    The override judges the task as it stands; assessed at a date before its completion the task was not done,
    so the override does not reach back there."""
    proposal = propose_rating(task, as_of)
    if task.rating and (task.progress != Progress.DONE or proposal != Rating.NOT_DONE):
        return Rating(task.rating)
    return proposal
