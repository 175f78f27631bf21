"""Accident statistics (事故统计): counts and deaths by class, industry, county and month
for a period and a jurisdiction, the highway subset (高速公路), and the year-on-year
change (同比). Reads only; every figure is an aggregate query over the registry.

What puts an accident in a period: its occurrence (`occurred_at`, 发生时间), read as an
Asia/Shanghai date — an accident at 23:59 on 31 December belongs to that year, one at
00:00 on 1 January to the next (the period's `start_at` / `end_before` instants, never
the UTC date). Deaths (死亡人数) are the latest known figures (`Accident.deaths`, after
any 补报 within the window), not the figures first registered.

Where: the accident's place (`jurisdiction_path`), the jurisdiction and everything
below it (全市 / 全县). The breakdown by county lists the jurisdiction's children (for
the city: the districts, counties and the two functional zones, each with the towns
below it in the tree), and a row for accidents registered at the jurisdiction itself
when there are any.

Year-on-year change: (current − previous) / previous × 100, one decimal, rounded half
up (−9.2 for 69 against 76). With no accident (or no death) in the previous period
there is nothing to compare with: the change is None, shown as “—”.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from fazhi.accidents.models import Accident, AccidentClass, Industry
from fazhi.core.models import Jurisdiction
from fazhi.core.selectors import path_filter
from fazhi.reports.registry import TZ, Period, change_percent

NO_CHANGE = "—"  # shown when the previous period had nothing to compare with


@dataclass(frozen=True)
class Tally:
    """Accidents (起) and deaths (人)."""

    count: int
    deaths: int


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: `key` is the class / industry code, the jurisdiction
    code or the month number (as text); `label` is what a page shows."""

    key: str
    label: str
    count: int
    deaths: int


@dataclass(frozen=True)
class Change:
    """A figure of the period beside the previous one, and the change in percent
    (None when the previous figure is zero)."""

    current: int
    previous: int
    percent: Decimal | None

    @property
    def display(self) -> str:
        if self.percent is None:
            return NO_CHANGE
        sign = "+" if self.percent > 0 else ""
        return f"{sign}{self.percent}%"


@dataclass(frozen=True)
class AccidentStatistics:
    year: int
    jurisdiction: Jurisdiction
    total: Tally
    highway: Tally
    previous: Tally  # the previous year's total
    count_change: Change
    deaths_change: Change
    by_class: list[Row]
    by_industry: list[Row]
    by_county: list[Row]
    by_month: list[Row]


def yoy_percent(current: int, previous: int) -> Decimal | None:
    """The year-on-year change in percent, one decimal, half up; None when `previous`
    is zero (no base to compare with)."""
    if not previous:
        return None
    return change_percent(current, previous, decimals=1)


def change(current: int, previous: int) -> Change:
    return Change(current, previous, yoy_percent(current, previous))


def accidents_in(period: Period, jurisdiction: Jurisdiction) -> QuerySet[Accident]:
    """The accidents that occurred in the period (Shanghai days), at or below the
    jurisdiction."""
    return Accident.objects.filter(
        path_filter(jurisdiction.path, field="jurisdiction_path"),
        occurred_at__gte=period.start_at, occurred_at__lt=period.end_before)


def _deaths(condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum("deaths", filter=condition), 0)


def tally(period: Period, jurisdiction: Jurisdiction, *, highway: bool = False) -> Tally:
    """Accidents and deaths of the period (`highway`: only those on highways)."""
    queryset = accidents_in(period, jurisdiction)
    if highway:
        queryset = queryset.filter(on_highway=True)
    row = queryset.aggregate(n=Count("pk"), dead=_deaths())
    return Tally(row["n"], row["dead"])


def _totals(year: int, jurisdiction: Jurisdiction) -> tuple[Tally, Tally, Tally]:
    """(the year, its highway subset, the previous year) in one query."""
    current, previous = Period.for_year(year), Period.for_year(year).previous_year()
    both = Accident.objects.filter(
        path_filter(jurisdiction.path, field="jurisdiction_path"),
        occurred_at__gte=previous.start_at, occurred_at__lt=current.end_before)
    now = Q(occurred_at__gte=current.start_at)
    before = Q(occurred_at__lt=previous.end_before)
    on_highway = now & Q(on_highway=True)
    row = both.aggregate(
        n=Count("pk", filter=now), dead=_deaths(now),
        highway_n=Count("pk", filter=on_highway), highway_dead=_deaths(on_highway),
        previous_n=Count("pk", filter=before), previous_dead=_deaths(before))
    # (aliases differ from the field names: an aggregate may not shadow `deaths`)
    return (Tally(row["n"], row["dead"]), Tally(row["highway_n"], row["highway_dead"]),
            Tally(row["previous_n"], row["previous_dead"]))


def _grouped(queryset: QuerySet[Accident], field: str) -> dict[object, Tally]:
    return {row[field]: Tally(row["n"], row["dead"])
            for row in queryset.values(field).annotate(n=Count("pk"), dead=_deaths())
            .order_by()}


def by_class(period: Period, jurisdiction: Jurisdiction) -> list[Row]:
    """Every class, lowest first (一般 … 特别重大), zeros included."""
    found = _grouped(accidents_in(period, jurisdiction), "accident_class")
    return [Row(code, str(label), *_pair(found.get(code)))
            for code, label in AccidentClass.choices]


def by_industry(period: Period, jurisdiction: Jurisdiction) -> list[Row]:
    """Every industry of the bureau's classification, in its order, zeros included."""
    found = _grouped(accidents_in(period, jurisdiction), "industry")
    return [Row(code, str(label), *_pair(found.get(code)))
            for code, label in Industry.choices]


def by_month(period: Period, jurisdiction: Jurisdiction) -> list[Row]:
    """Months 1–12 of the Shanghai calendar (a period within one year; a longer one
    adds up the same month of each year)."""
    queryset = accidents_in(period, jurisdiction).annotate(
        month=ExtractMonth("occurred_at", tzinfo=TZ))
    found = _grouped(queryset, "month")
    return [Row(str(month), _("%(month)d月") % {"month": month}, *_pair(found.get(month)))
            for month in range(1, 13)]


def by_county(period: Period, jurisdiction: Jurisdiction) -> list[Row]:
    """The jurisdiction's children by code, zeros included, each with everything below
    it (one query: a conditional aggregate per child); then the accidents registered at
    the jurisdiction itself, when there are any."""
    children = list(jurisdiction.children.order_by("code"))
    places = [(child.code, child.name, Q(jurisdiction_path__startswith=child.path))
              for child in children]
    places.append((jurisdiction.code, _("%(name)s（本级）") % {"name": jurisdiction.name},
                   Q(jurisdiction_path=jurisdiction.path)))
    aggregates = {}
    for n, (_code, _name, where) in enumerate(places):
        aggregates[f"c{n}"] = Count("pk", filter=where)
        aggregates[f"d{n}"] = _deaths(where)
    row = accidents_in(period, jurisdiction).aggregate(**aggregates)
    rows = [Row(code, name, row[f"c{n}"], row[f"d{n}"])
            for n, (code, name, _where) in enumerate(places)]
    own = rows.pop()
    return rows + ([own] if own.count else [])


def _pair(found: Tally | None) -> tuple[int, int]:
    return (found.count, found.deaths) if found else (0, 0)


def accident_statistics(*, year: int, jurisdiction: Jurisdiction) -> AccidentStatistics:
    """Everything the statistics page shows for a year (Shanghai dates) and a
    jurisdiction: six queries, whatever the number of accidents."""
    period = Period.for_year(year)
    total, highway, previous = _totals(year, jurisdiction)
    return AccidentStatistics(
        year=year, jurisdiction=jurisdiction, total=total, highway=highway,
        previous=previous,
        count_change=change(total.count, previous.count),
        deaths_change=change(total.deaths, previous.deaths),
        by_class=by_class(period, jurisdiction),
        by_industry=by_industry(period, jurisdiction),
        by_county=by_county(period, jurisdiction),
        by_month=by_month(period, jurisdiction),
    )
