"""Writes to the working-day calendar: a year's official holiday schedule, single-day
corrections, and the seed from the chinese-calendar package.

Every change touches `CalendarYear.loaded_at` (the version `fazhi.core.calendar`
watches) and writes an event on the year it changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import calendar as calendar_facade
from fazhi.core.models import CalendarDay, CalendarYear, User
from fazhi.core.rules.calendar import HOLIDAY, WORKDAY, DayEntry, day_problem, validate_year_days
from fazhi.core.services.events import record_event

MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"年度应为{MIN_YEAR}至{MAX_YEAR}之间的整数")


def _entry_payload(day: datetime.date, kind: str, name: str) -> dict[str, str]:
    return {"date": day.isoformat(), "kind": kind, "name": name}


def _year_days(year: int) -> dict[datetime.date, tuple[str, str]]:
    return {
        d.date: (d.kind, d.name)
        for d in CalendarDay.objects.filter(date__year=year).order_by("date")
    }


def _after_change() -> None:
    transaction.on_commit(calendar_facade.invalidate)


def calendar_year_load(
    *,
    actor: User | None,
    year: int,
    days: Iterable[DayEntry],
    source: str = CalendarYear.Source.ADMIN,
    note: str = "",
) -> CalendarYear:
    """Replace `year`'s schedule with `days` (date, "holiday"|"workday", festival name):
    only weekday holidays and weekend working days, all inside `year`, each date once.
    Raises ValidationError (Chinese, one message per problem) and changes nothing when
    any entry is wrong."""
    _check_year(year)
    entries = [(d, k, (n or "").strip()) for d, k, n in days]
    problems = validate_year_days(year, entries)
    if not entries:
        problems.append(f"{year}年的节假日安排为空：至少应有一个节假日")
    if source not in CalendarYear.Source.values:
        problems.append(f"来源“{source}”无效")
    if problems:
        raise ValidationError(problems)

    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
        if calendar_year is None:
            calendar_year = CalendarYear(year=year)
        calendar_year.source = source
        calendar_year.loaded_at = timezone.now()
        calendar_year.note = note
        calendar_year.full_clean()
        calendar_year.save()

        before = _year_days(year)
        after = {d: (k, n) for d, k, n in entries}
        CalendarDay.objects.filter(date__year=year).delete()
        rows = [CalendarDay(date=d, kind=k, name=n) for d, k, n in sorted(entries)]
        for row in rows:
            # Uniqueness is settled: the year's rows were just deleted and the entries
            # checked for duplicates (the unique constraint still guards the table).
            row.full_clean(validate_unique=False)
        CalendarDay.objects.bulk_create(rows)

        payload: dict[str, Any] = {
            "year": year,
            "source": source,
            "holidays": sum(1 for _, k, _ in entries if k == HOLIDAY),
            "workdays": sum(1 for _, k, _ in entries if k == WORKDAY),
            "added": [_entry_payload(d, *after[d]) for d in sorted(after)
                      if before.get(d) != after[d]],
            "removed": [_entry_payload(d, *before[d]) for d in sorted(before)
                        if d not in after],
        }
        record_event(actor=actor, obj=calendar_year, action="calendar.year_loaded",
                     payload=payload)
        _after_change()
    return calendar_year


def _loaded_year_for_update(day: datetime.date) -> CalendarYear:
    calendar_year = CalendarYear.objects.select_for_update().filter(year=day.year).first()
    if calendar_year is None:
        raise ValidationError(
            f"尚未载入{day.year}年节假日安排，请先载入全年安排，再修改单日"
        )
    return calendar_year


def _touch(calendar_year: CalendarYear) -> None:
    # A hand correction makes the year's schedule the administrator's.
    calendar_year.source = CalendarYear.Source.ADMIN
    calendar_year.loaded_at = timezone.now()
    calendar_year.full_clean()
    calendar_year.save(update_fields=["source", "loaded_at"])


def calendar_day_set(
    *, actor: User | None, day: datetime.date, kind: str, name: str = ""
) -> CalendarDay:
    """Mark one day of a loaded year as a weekday holiday or a weekend working day
    (creating or changing its row)."""
    name = (name or "").strip()
    if problem := day_problem(day.year, day, kind):
        raise ValidationError(problem)
    with transaction.atomic():
        calendar_year = _loaded_year_for_update(day)
        row = CalendarDay.objects.filter(date=day).first()
        before = _entry_payload(row.date, row.kind, row.name) if row else None
        row = row or CalendarDay(date=day)
        row.kind, row.name = kind, name
        row.full_clean()
        row.save()
        _touch(calendar_year)
        record_event(actor=actor, obj=calendar_year, action="calendar.day_set",
                     payload={"before": before, "after": _entry_payload(day, kind, name)})
        _after_change()
    return row


def calendar_day_remove(*, actor: User | None, day: datetime.date) -> None:
    """Make one day of a loaded year follow the Monday–Friday rule again."""
    with transaction.atomic():
        calendar_year = _loaded_year_for_update(day)
        row = CalendarDay.objects.filter(date=day).first()
        if row is None:
            raise ValidationError(f"{day.isoformat()}没有登记节假日调整，无需删除")
        before = _entry_payload(row.date, row.kind, row.name)
        row.delete()
        _touch(calendar_year)
        record_event(actor=actor, obj=calendar_year, action="calendar.day_removed",
                     payload={"before": before})
        _after_change()


def package_schedules() -> dict[int, list[DayEntry]]:
    """Every year the pinned chinese-calendar package knows, as CalendarDay entries:
    its holidays on weekdays and its working weekends (its weekend holidays are rest
    days anyway)."""
    from chinese_calendar.constants import Holiday, holidays, workdays

    def chinese(value: str) -> str:
        return Holiday(value).chinese

    by_year: dict[int, list[DayEntry]] = {}
    for day, festival in holidays.items():
        if day.weekday() < 5:
            by_year.setdefault(day.year, []).append((day, HOLIDAY, chinese(festival)))
    for day, festival in workdays.items():
        if day.weekday() >= 5:
            by_year.setdefault(day.year, []).append((day, WORKDAY, chinese(festival)))
    return {year: sorted(entries) for year, entries in sorted(by_year.items())}


def calendar_seed_from_package(*, actor: User | None = None) -> list[int]:
    """Load every year of the chinese-calendar package that is not loaded yet (a year
    already present, from the package or an administrator, is left alone). Returns
    the years loaded; running it again loads nothing."""
    loaded: list[int] = []
    with transaction.atomic():
        present = set(CalendarYear.objects.values_list("year", flat=True))
        for year, entries in package_schedules().items():
            if year in present:
                continue
            calendar_year_load(actor=actor, year=year, days=entries,
                               source=CalendarYear.Source.PACKAGE,
                               note="chinese-calendar 数据包")
            loaded.append(year)
    return loaded
