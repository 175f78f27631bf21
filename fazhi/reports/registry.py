"""The indicator registry: every figure a report prints is a registered `Indicator`
whose `compute` reads the records of a period and a jurisdiction. Nothing is stored as
a total (see DESIGN.md: "the indicators read the records, never a stored total").

Each app registers its figures in its own `indicators.py`:

    from fazhi.reports.registry import Period, register

    @register("parks.total", label=_("化工园区"), unit=_("个"), kind="count", scope="city")
    def parks_total(period: Period, jurisdiction: Jurisdiction) -> int:
        ...

An indicator may carry a `caveat` (待补充): the records cannot give its figure yet, so
reports print the caveat instead of a number that would look true.

An indicator may name a `drill`: a function (period, jurisdiction) -> the URL of the
record list filtered to exactly the records behind the figure (钻取), or None when no
list can show exactly those (e.g. a list filtered by year only, asked for a quarter).

`all_indicators()` imports every installed app's `indicators` module once and returns
the indicators in registration order (apps in INSTALLED_APPS order).

scope "city":   the jurisdiction and everything below it (全市 / 全县).
scope "bureau": the records of the agency at the jurisdiction's own level only
                (局机关 / 市本级), not those of the bureaus below it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.module_loading import autodiscover_modules

from fazhi.core.rules.ratios import percent  # also imported from here by the indicators

if TYPE_CHECKING:
    from fazhi.core.models import Jurisdiction

TZ = ZoneInfo("Asia/Shanghai")  # reports count days as the bureau does, not in UTC

Kind = Literal["count", "amount_yuan", "percent", "ratio"]
Scope = Literal["city", "bureau"]
Value = int | Decimal
KINDS: tuple[str, ...] = ("count", "amount_yuan", "percent", "ratio")
SCOPES: tuple[str, ...] = ("city", "bureau")
YUAN = Decimal("0.01")


@dataclass(frozen=True)
class Period:
    """A reporting period of whole days, `start` to `end` inclusive, in Asia/Shanghai."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("统计期间的结束日期不能早于开始日期")

    @classmethod
    def for_year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def is_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1, 1, 12, 31) and self.start.year == self.end.year

    @property
    def start_at(self) -> datetime.datetime:
        """The first instant of the period (aware, Asia/Shanghai)."""
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=TZ)

    @property
    def end_before(self) -> datetime.datetime:
        """The first instant after the period: filter timestamps with `< end_before`."""
        return datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=TZ)

    def previous_year(self) -> Period:
        """The same days one year earlier (for year-on-year figures)."""
        def back(day: datetime.date) -> datetime.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)
        return Period(back(self.start), back(self.end))

    def __str__(self) -> str:
        if self.is_year:
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"


# (period, jurisdiction) -> URL of the records behind a figure, or None
Drill = Callable[[Period, "Jurisdiction"], str | None]


def list_url(viewname: str, **params: object) -> str:
    """The URL of a record list with the given GET filters (None values left out), for
    drills: `list_url("accidents:accident_list", year=2024, jurisdiction="330400")`."""
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{reverse(viewname)}?{query}" if query else reverse(viewname)


def change_percent(current: int | Decimal, previous: int | Decimal,
                   decimals: int = 1) -> Decimal:
    """Year-on-year change in percent: (current - previous) / previous (-9.2 for 69 vs 76)."""
    return percent(Decimal(current) - Decimal(previous), previous, decimals)


def ratio(numerator: int | Decimal, denominator: int | Decimal, decimals: int = 2) -> Decimal:
    exponent = Decimal(1).scaleb(-decimals)
    if not denominator:
        return Decimal(0).quantize(exponent)
    return (Decimal(numerator) / Decimal(denominator)).quantize(exponent, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str | Promise
    unit: str | Promise
    kind: Kind
    scope: Scope
    compute: Callable[[Period, Jurisdiction], Value]
    # Places shown for percent and ratio figures (most are 1; a few report rates use 2).
    decimals: int = 1
    # The record list behind the figure (see the module docstring); None: no drill-down.
    drill: Drill | None = None
    # What is counted and which date puts a record in the period (口径), in Chinese:
    # shown beside the figure on the pages and in the annual report.
    definition: str | Promise = ""
    # Set when the records cannot give the figure yet (e.g. the reference texts it is
    # counted from are not available): a Chinese sentence saying why. The computed value
    # is then not a fact (a 0 that only means "not entered"), so the report prints a
    # 待补充 note in its place instead of the number.
    caveat: str | Promise = ""

    def __post_init__(self) -> None:
        if not self.id or self.id != self.id.strip() or " " in self.id:
            raise ValueError(f"invalid indicator id {self.id!r}")
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: kind must be one of {KINDS}, not {self.kind!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"{self.id}: scope must be one of {SCOPES}, not {self.scope!r}")

    def evaluate(self, period: Period, jurisdiction: Jurisdiction) -> Value:
        """compute(), normalised to the kind: counts are ints, amounts Decimal yuan to
        the fen, percentages and ratios Decimals rounded half up to `decimals` places."""
        value = self.compute(period, jurisdiction)
        if isinstance(value, float):
            raise TypeError(f"{self.id}: indicators return int or Decimal, never float")
        if self.kind == "count":
            if isinstance(value, Decimal) and value != value.to_integral_value():
                raise TypeError(f"{self.id}: a count must be a whole number, got {value}")
            return int(value)
        if self.kind == "amount_yuan":
            return Decimal(value).quantize(YUAN, rounding=ROUND_HALF_UP)
        return Decimal(value).quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    def drill_url(self, period: Period, jurisdiction: Jurisdiction) -> str | None:
        """The URL of the records behind the figure, or None when there is no such list."""
        return self.drill(period, jurisdiction) if self.drill else None


_registry: dict[str, Indicator] = {}
_discovered = False


def register_indicator(indicator: Indicator) -> Indicator:
    if indicator.id in _registry:
        raise ValueError(f"指标编号重复：{indicator.id}")
    _registry[indicator.id] = indicator
    return indicator


def register(
    id: str,
    *,
    label: str | Promise,
    unit: str | Promise,
    kind: Kind,
    scope: Scope,
    decimals: int = 1,
    drill: Drill | None = None,
    definition: str | Promise = "",
    caveat: str | Promise = "",
) -> Callable[[Callable[[Period, Jurisdiction], Value]], Callable[[Period, Jurisdiction], Value]]:
    """Decorator: register the function as the compute of indicator `id`. The function
    itself is returned unchanged, so it stays callable on its own."""

    def decorate(
        compute: Callable[[Period, Jurisdiction], Value],
    ) -> Callable[[Period, Jurisdiction], Value]:
        register_indicator(Indicator(id=id, label=label, unit=unit, kind=kind, scope=scope,
                                     compute=compute, decimals=decimals, drill=drill,
                                     definition=definition, caveat=caveat))
        return compute

    return decorate


def discover() -> None:
    """Import every installed app's `indicators` module (once)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("indicators")
        _discovered = True


def all_indicators() -> list[Indicator]:
    discover()
    return list(_registry.values())


def get_indicator(indicator_id: str) -> Indicator:
    discover()
    try:
        return _registry[indicator_id]
    except KeyError:
        raise KeyError(f"未登记的指标：{indicator_id}") from None


def evaluate_all(
    period: Period, jurisdiction: Jurisdiction, *, only: str | None = None
) -> dict[str, Value]:
    """{indicator id: value} for every registered indicator (ids starting with `only`)."""
    return {
        indicator.id: indicator.evaluate(period, jurisdiction)
        for indicator in all_indicators()
        if not only or indicator.id.startswith(only)
    }


@contextmanager
def isolated_registry() -> Iterator[dict[str, Indicator]]:
    """For tests: register freely inside the block; the registry is restored after."""
    discover()
    saved = dict(_registry)
    try:
        yield _registry
    finally:
        _registry.clear()
        _registry.update(saved)
