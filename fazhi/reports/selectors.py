"""Reads of the statistics pages (统计指标): every registered indicator of a period and a
jurisdiction, beside the same period a year earlier, with its definition and the link to
the records behind it. Figures are computed from the records each time (the registry),
never stored."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.apps import apps
from django.utils.translation import gettext as _

from fazhi.core.models import Jurisdiction
from fazhi.reports import prose
from fazhi.reports.default_template import DEFAULT, ReportTemplate
from fazhi.reports.models import AnnualReportTemplate
from fazhi.reports.registry import Indicator, Period, Value, all_indicators, change_percent

PeriodKind = Literal["year", "quarter", "month"]
PERIOD_KINDS: tuple[str, ...] = ("year", "quarter", "month")


def period_of(year: int, kind: str = "year", n: int | None = None) -> Period:
    """The year, its quarter `n` (1-4) or its month `n` (1-12). ValueError when `n` is
    missing or out of range for the kind."""
    if kind == "year":
        return Period.for_year(year)
    if kind == "quarter" and n is not None and 1 <= n <= 4:
        first, last = 3 * n - 2, 3 * n
    elif kind == "month" and n is not None and 1 <= n <= 12:
        first = last = n
    else:
        raise ValueError(_("统计期间无效"))
    return Period(datetime.date(year, first, 1),
                  datetime.date(year, last, calendar.monthrange(year, last)[1]))


def period_label(period: Period, kind: str, n: int | None) -> str:
    if kind == "quarter":
        return _("%(year)s年第%(n)s季度") % {"year": period.start.year, "n": n}
    if kind == "month":
        return _("%(year)s年%(n)s月") % {"year": period.start.year, "n": n}
    return _("%(year)s年") % {"year": period.start.year}


def module_label(indicator: Indicator) -> str:
    config = apps.get_containing_app_config(indicator.compute.__module__)
    return str(config.verbose_name) if config else indicator.compute.__module__


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    value: Value
    previous: Value
    definition: str
    drill_url: str | None

    @property
    def change(self) -> Decimal | None:
        """Counts and amounts: the change in percent (None when the year before is 0: no
        rate of change); percentages and ratios: the difference (percentage points)."""
        if self.indicator.kind in ("percent", "ratio"):
            return Decimal(self.value) - Decimal(self.previous)
        if not self.previous:
            return None
        return change_percent(self.value, self.previous, decimals=1)

    @property
    def change_unit(self) -> str:
        if self.indicator.kind == "percent":
            return _("个百分点")
        return "" if self.indicator.kind == "ratio" else "%"


@dataclass(frozen=True)
class Group:
    label: str
    rows: list[Row]


def indicator_groups(period: Period, jurisdiction: Jurisdiction) -> list[Group]:
    """Every registered indicator for the period and the jurisdiction, with the same days
    a year earlier, grouped by the app (module) that registers it, in registration order."""
    before = period.previous_year()
    groups: dict[str, list[Row]] = {}
    for indicator in all_indicators():
        groups.setdefault(module_label(indicator), []).append(Row(
            indicator=indicator,
            value=indicator.evaluate(period, jurisdiction),
            previous=indicator.evaluate(before, jurisdiction),
            definition=str(indicator.definition),
            drill_url=indicator.drill_url(period, jurisdiction),
        ))
    return [Group(label, rows) for label, rows in groups.items()]


# --- the annual report's template ----------------------------------------------------------

def annual_template_get(year: int, jurisdiction: Jurisdiction) -> AnnualReportTemplate | None:
    """The bureau's stored template of the year for the jurisdiction, if any. The caller
    has checked that the user may see the jurisdiction."""
    return (AnnualReportTemplate.objects.select_related("updated_by")
            .filter(year=year, jurisdiction=jurisdiction).first())


def annual_template_for(
    year: int, jurisdiction: Jurisdiction,
) -> tuple[ReportTemplate, AnnualReportTemplate | None]:
    """The template the year's report is written from: the stored one, else the default
    (DEFAULT); with the stored row (None: the default applies)."""
    stored = annual_template_get(year, jurisdiction)
    if stored is None:
        return DEFAULT, None
    return prose.parse(stored.title, stored.body), stored


@dataclass(frozen=True)
class TemplateDraft:
    """What the editor starts from: the year's stored text, else the latest earlier
    year's stored text (its year given), else the default template."""

    title: str
    body: str
    stored: AnnualReportTemplate | None
    from_year: int | None  # the earlier year it was copied from


def annual_template_draft(year: int, jurisdiction: Jurisdiction) -> TemplateDraft:
    stored = annual_template_get(year, jurisdiction)
    if stored is not None:
        return TemplateDraft(stored.title, stored.body, stored, None)
    earlier = (AnnualReportTemplate.objects.filter(jurisdiction=jurisdiction, year__lt=year)
               .order_by("-year").first())
    if earlier is not None:
        return TemplateDraft(earlier.title, earlier.body, None, earlier.year)
    return TemplateDraft(DEFAULT.title, prose.to_text(DEFAULT), None, None)
