"""Completion of task lists, as pure functions (no database).

A task is done on a day when its completion was confirmed (销号) with a completion date
on or before that day; a task completed later is not done yet on that day. A task is
overdue on a day when it is not done and its due date has passed (the due day itself is
still in time). The completion rate is done / total in percent, one decimal, half up
(the report's 44.1 % for 30 of 68); a list with no tasks is 0.0 %.

These are the bureau's own bookkeeping rules for its action plans, not a statute.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.rules.ratios import percent


def done_on(completed_on: datetime.date | None, day: datetime.date) -> bool:
    return completed_on is not None and completed_on <= day


def overdue_on(due_on: datetime.date, completed_on: datetime.date | None,
               day: datetime.date) -> bool:
    return not done_on(completed_on, day) and due_on < day


@dataclass(frozen=True)
class Completion:
    total: int
    done: int

    def __post_init__(self) -> None:
        if not 0 <= self.done <= self.total:
            raise ValueError("已完成数须在0与任务总数之间")

    @property
    def rate(self) -> Decimal:
        return percent(self.done, self.total)

    @property
    def open(self) -> int:
        return self.total - self.done
