"""The working-day calendar as the other apps use it: the loaded schedule from the
database, and the arithmetic of `fazhi.core.rules.calendar` without the schedule
argument.

    from fazhi.core import calendar
    due = calendar.deadline_from(served_on, 15, working_days=False)
    due.date, due.assumed_years   # show core/partials/calendar_assumption.html

The schedule is a small table (about 30 rows a year) read once per process and kept
until it changes: each call costs one tiny version query (row counts, highest ids,
latest load time), and the table is re-read only when that version moves. The
calendar services touch `CalendarYear.loaded_at` on every change, so an edit in
place moves the version too. A page computing many dates can call `load_schedule()`
once and pass `schedule=` to skip even the version query.
"""

from __future__ import annotations

import datetime
import threading
from typing import Any

from django.db import connection

from fazhi.core.models import CalendarDay, CalendarYear
from fazhi.core.rules import calendar as rules
from fazhi.core.rules.calendar import CalendarResult, CountResult, DayCheck, Schedule

__all__ = [
    "CalendarResult", "CountResult", "DayCheck", "Schedule", "add_calendar_days",
    "add_working_days", "count_working_days", "deadline_from", "invalidate",
    "is_working_day", "load_schedule", "next_working_day_on_or_after",
]

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], Schedule] | None = None


def _version() -> tuple[Any, ...]:
    years = connection.ops.quote_name(CalendarYear._meta.db_table)
    days = connection.ops.quote_name(CalendarDay._meta.db_table)
    # Table names come from model metadata, not from input.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {years}), (SELECT MAX(id) FROM {years}), "
            f"(SELECT MAX(loaded_at) FROM {years}), "
            f"(SELECT COUNT(*) FROM {days}), (SELECT MAX(id) FROM {days})"
        )
        return (connection.alias, *cursor.fetchone())


def _read() -> Schedule:
    loaded = frozenset(CalendarYear.objects.values_list("year", flat=True))
    holidays: set[datetime.date] = set()
    workdays: set[datetime.date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        if day.year not in loaded:
            continue  # a stray day of a year never loaded: that year is weekends only
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
    return Schedule(holidays=frozenset(holidays), workdays=frozenset(workdays),
                    loaded_years=loaded)


def load_schedule() -> Schedule:
    """The loaded schedule, re-read from the database only when it has changed."""
    global _cached
    version = _version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        schedule = _read()
        _cached = (version, schedule)
    return schedule


def invalidate() -> None:
    """Forget the cached schedule (the services call this after each change)."""
    global _cached
    _cached = None


def _given(schedule: Schedule | None) -> Schedule:
    return schedule if schedule is not None else load_schedule()


def is_working_day(day: datetime.date, *, schedule: Schedule | None = None) -> DayCheck:
    return rules.is_working_day(_given(schedule), day)


def add_calendar_days(start: datetime.date, n: int) -> CalendarResult:
    return rules.add_calendar_days(start, n)


def add_working_days(
    start: datetime.date, n: int, *, schedule: Schedule | None = None
) -> CalendarResult:
    """The n-th working day after `start` (start not counted)."""
    return rules.add_working_days(_given(schedule), start, n)


def count_working_days(
    start: datetime.date, end: datetime.date, *, schedule: Schedule | None = None
) -> CountResult:
    """Working days in (start, end]: start excluded, end included."""
    return rules.count_working_days(_given(schedule), start, end)


def next_working_day_on_or_after(
    day: datetime.date, *, schedule: Schedule | None = None
) -> CalendarResult:
    return rules.next_working_day_on_or_after(_given(schedule), day)


def deadline_from(
    start: datetime.date, n_days: int, *, working_days: bool,
    schedule: Schedule | None = None,
) -> CalendarResult:
    """The last day of an `n_days` period triggered on `start` (see the rules module)."""
    return rules.deadline_from(_given(schedule), start, n_days,
                               working_days=working_days)
