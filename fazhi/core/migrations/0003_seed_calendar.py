"""Seed the working-day calendar from the pinned chinese-calendar package (2004–2026),
so every fresh database, test databases included, knows the official holiday
schedules. Self-contained on purpose: it reads the package directly and writes
through the historical models (no event is recorded: there is no actor yet, and
`calendar_seed_from_package` is the audited path for later seeding)."""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from chinese_calendar.constants import Holiday, holidays, workdays

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    db = schema_editor.connection.alias

    by_year = {}
    # Only what differs from the Monday–Friday rule: weekday holidays, weekend workdays.
    for day, festival in holidays.items():
        if day.weekday() < 5:
            by_year.setdefault(day.year, []).append((day, "holiday", Holiday(festival).chinese))
    for day, festival in workdays.items():
        if day.weekday() >= 5:
            by_year.setdefault(day.year, []).append((day, "workday", Holiday(festival).chinese))

    present = set(CalendarYear.objects.using(db).values_list("year", flat=True))
    now = timezone.now()
    years, days = [], []
    for year, entries in sorted(by_year.items()):
        if year in present:
            continue
        years.append(CalendarYear(year=year, source="chinese_calendar", loaded_at=now,
                                  note="chinese-calendar 数据包"))
        days.extend(CalendarDay(date=d, kind=k, name=n) for d, k, n in sorted(entries))
    CalendarYear.objects.using(db).bulk_create(years)
    CalendarDay.objects.using(db).bulk_create(days, ignore_conflicts=True)


def unseed(apps, schema_editor):
    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    db = schema_editor.connection.alias
    seeded = list(CalendarYear.objects.using(db).filter(source="chinese_calendar")
                  .values_list("year", flat=True))
    CalendarDay.objects.using(db).filter(date__year__in=seeded).delete()
    CalendarYear.objects.using(db).filter(year__in=seeded).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
