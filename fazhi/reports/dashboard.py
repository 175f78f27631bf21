"""Reads of the leaders' dashboard (领导驾驶舱): for a year and a jurisdiction the user may
see, the key figures beside the year before, the monthly trends, the comparison of the
areas directly below the jurisdiction (for the city: its counties, districts and zones),
and — as of today — the open cases by stage (案件办理阶段) and the overdue work.

Every figure is computed from the records each time; nothing is stored or cached.

The key figures are the registry's own (`Indicator.evaluate`). The monthly trends and the
area comparison are grouped queries (one per record kind, not one per month or area) that
count exactly as the indicators do — the same records, the same date deciding the
period, the same place — so the twelve months add up to the year's indicator and each
area's figure is the indicator evaluated for that area (`reports/tests/test_dashboard.py`
holds them to it):

cases:      penalty cases filed (`filed_on`) in the period          = cases.count
fines:      fines + confiscations of the penalty decisions decided
            (`decided_on`) in the period, by the case's place (kept
            on the decision)                                         = cases.fines_confiscations
inspections: finished inspections dated (`date`) in the period      = inspections.count
hazards:    hazards found (`found_on`) in the period                 = hazards.found
rectified:  of those, closed (销号) by the end of the year; over
            hazards found, ×100                                      = hazards.rectified_rate
accidents / deaths: accidents that occurred (`occurred_at`, a Shanghai date) in the
            period and their deaths (fazhi.accidents.statistics)    = accidents.count / .deaths
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from fazhi.accidents import statistics as accident_stats
from fazhi.cases.deadlines import overdue_cases
from fazhi.cases.models import CaseStatus, Outcome, PartyDecision, PenaltyCase
from fazhi.cases.rules.workflow import READ_ONLY_STATES, STATE_LABELS
from fazhi.cases.selectors import case_list
from fazhi.core.models import Jurisdiction, User
from fazhi.core.rules.money import round_yuan
from fazhi.core.selectors import path_filter
from fazhi.inspection.models import Hazard, Inspection
from fazhi.inspection.selectors import hazards_overdue_orders, hazards_overdue_reinspections
from fazhi.reports.annual import WAN
from fazhi.reports.registry import Indicator, Period, get_indicator, list_url, percent
from fazhi.reports.selectors import Row

# The key figures (主要指标), in the order shown; ids not registered are left out.
KEY_FIGURES: tuple[str, ...] = (
    "inspections.count",
    "hazards.found",
    "hazards.major.found",
    "hazards.rectified_rate",
    "cases.count",
    "cases.fines_confiscations",
    "cases.dual_penalty",
    "cases.exempt",
    "cases.offsite",
    "transfers.criminal.cases",
    "accidents.count",
    "accidents.deaths",
)
MONTHS = range(1, 13)
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))
FINE = F("fine") + F("confiscation")


def _in_year(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


# --- querysets: the records each figure counts, in an area ------------------------------

def _cases(area: Jurisdiction, period: Period) -> QuerySet[PenaltyCase]:
    return PenaltyCase.objects.filter(path_filter(area.path, field="jurisdiction_path"),
                                      _in_year("filed_on", period))


def _penalties(area: Jurisdiction, period: Period) -> QuerySet[PartyDecision]:
    return PartyDecision.objects.filter(
        path_filter(area.path, field="jurisdiction_path"),  # the case's place, on the decision
        _in_year("decided_on", period), outcome=Outcome.PENALTY).order_by()


def _inspections(area: Jurisdiction, period: Period) -> QuerySet[Inspection]:
    return Inspection.objects.filter(path_filter(area.path, field="jurisdiction_path"),
                                     _in_year("date", period),
                                     status=Inspection.Status.FINISHED)


def _hazards(area: Jurisdiction, period: Period) -> QuerySet[Hazard]:
    return Hazard.objects.filter(path_filter(area.path, field="jurisdiction_path"),
                                 _in_year("found_on", period))


def _rectified_by(period: Period) -> Q:
    return Q(status=Hazard.Status.CLOSED, closed_on__lte=period.end)


# --- key figures ------------------------------------------------------------------------

def key_figures(period: Period, area: Jurisdiction) -> list[Row]:
    """The key indicators of the period and the same days a year earlier, each with the
    link to its records where the indicator has one (none for a zero: nothing to list)."""
    before = period.previous_year()
    rows = []
    for indicator in _registered(KEY_FIGURES):
        value = indicator.evaluate(period, area)
        drill = indicator.drill_url(period, area) if value else None
        rows.append(Row(indicator=indicator, value=value,
                        previous=indicator.evaluate(before, area),
                        definition=str(indicator.definition), drill_url=drill))
    return rows


def _registered(ids: Iterable[str]) -> list[Indicator]:
    found = []
    for indicator_id in ids:
        try:
            found.append(get_indicator(indicator_id))
        except KeyError:
            continue
    return found


# --- monthly trends ---------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    """One monthly series: `values[m - 1]` for month m; None for months not yet begun."""

    key: str
    label: str
    unit: str
    values: list[int | Decimal | None]

    @property
    def total(self) -> int | Decimal:
        return sum(v for v in self.values if v is not None)


@dataclass(frozen=True)
class Trends:
    months: list[str]
    series: list[Series]
    rectified_rate: list[Decimal | None]  # of the hazards found in each month, ×100

    def rows(self) -> list[dict[str, Any]]:
        """The table: one row per month with every series' value."""
        return [{"month": label, "values": [s.values[i] for s in self.series],
                 "rate": self.rectified_rate[i]}
                for i, label in enumerate(self.months)]


def _monthly(queryset: QuerySet[Any], field: str, **aggregates: Any) -> dict[int, dict]:
    rows = (queryset.annotate(month=ExtractMonth(field)).values("month")
            .annotate(**aggregates).order_by())
    return {row["month"]: row for row in rows}


def monthly_trends(year: int, area: Jurisdiction, *, today: datetime.date) -> Trends:
    """The year's figures per month (Shanghai dates). In the current year, months after
    `today`'s are None (not begun), not zero."""
    period = Period.for_year(year)
    last = today.month if year == today.year else (0 if year > today.year else 12)
    cases = _monthly(_cases(area, period), "filed_on", n=Count("pk"))
    fines = _monthly(_penalties(area, period), "decided_on", amount=Coalesce(Sum(FINE), ZERO))
    inspections = _monthly(_inspections(area, period), "date", n=Count("pk"))
    hazards = _monthly(_hazards(area, period), "found_on", n=Count("pk"),
                       closed=Count("pk", filter=_rectified_by(period)))
    accidents = {int(r.key): r for r in accident_stats.by_month(period, area)}

    def series(key: str, label: str, unit: str,
               value: Callable[[int], int | Decimal]) -> Series:
        return Series(key, label, unit, [value(m) if m <= last else None for m in MONTHS])

    def got(found: dict[int, dict], m: int, name: str = "n") -> Any:
        return found[m][name] if m in found else 0

    result = [
        series("inspections", _("执法检查"), _("家次"), lambda m: got(inspections, m)),
        series("cases", _("立案"), _("件"), lambda m: got(cases, m)),
        series("fines", _("罚没款"), _("元"),
               lambda m: round_yuan(Decimal(got(fines, m, "amount")))),
        series("hazards", _("发现隐患"), _("项"), lambda m: got(hazards, m)),
        series("rectified", _("已整改销号"), _("项"), lambda m: got(hazards, m, "closed")),
        series("accidents", _("事故"), _("起"), lambda m: accidents[m].count),
        series("deaths", _("死亡"), _("人"), lambda m: accidents[m].deaths),
    ]
    rates = [percent(got(hazards, m, "closed"), got(hazards, m)) if m <= last else None
             for m in MONTHS]
    months = [_("%(month)d月") % {"month": m} for m in MONTHS]
    return Trends(months, result, rates)


# --- comparison of the areas below ------------------------------------------------------

@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    cases: int
    fines: Decimal
    inspections: int
    hazards: int
    accidents: int


def _per_place(queryset: QuerySet[Any], places: list[Q],
               aggregate: Callable[[Q], Any]) -> list[Any]:
    """One query: the aggregate of each place (a conditional aggregate per place)."""
    row = queryset.aggregate(**{f"p{i}": aggregate(q) for i, q in enumerate(places)})
    return [row[f"p{i}"] for i in range(len(places))]


def area_comparison(year: int, area: Jurisdiction) -> list[AreaRow]:
    """Each area directly below `area` (by code), with everything below it, then a row
    for the records located at `area` itself when there are any. Five queries."""
    period = Period.for_year(year)
    children = list(area.children.order_by("code"))
    if not children:
        return []
    places: list[tuple[str, str, str, bool]] = [(c.code, str(c.name), c.path, True)
                                                for c in children]
    places.append((area.code, _("%(name)s（本级）") % {"name": area.name}, area.path, False))

    def where(prefix: str) -> list[Q]:
        field = f"{prefix}jurisdiction_path"
        return [Q(**{f"{field}__startswith": path}) if below else Q(**{field: path})
                for _code, _name, path, below in places]

    def count(q: Q) -> Count:
        return Count("pk", filter=q)

    cases = _per_place(_cases(area, period), where(""), count)
    fines = _per_place(_penalties(area, period), where(""),
                       lambda q: Coalesce(Sum(FINE, filter=q), ZERO))
    inspections = _per_place(_inspections(area, period), where(""), count)
    hazards = _per_place(_hazards(area, period), where(""), count)
    accidents = _per_place(accident_stats.accidents_in(period, area), where(""), count)
    rows = [AreaRow(code, name, cases[i], round_yuan(Decimal(fines[i])),
                    inspections[i], hazards[i], accidents[i])
            for i, (code, name, _path, _below) in enumerate(places)]
    own = rows.pop()
    if own.cases or own.fines or own.inspections or own.hazards or own.accidents:
        rows.append(own)
    return rows


# --- as of today: the case pipeline and the overdue work -------------------------------

@dataclass(frozen=True)
class Stage:
    status: str
    label: str
    count: int
    url: str


def case_pipeline(user: User, area: Jurisdiction) -> list[Stage]:
    """The open cases (not ended: 不予立案、结案、归档、撤销、终止 left out) the user may see
    in the area, counted by workflow state in the workflow's order, zeros included."""
    counts = dict(case_list(user=user).filter(path_filter(area.path, field="jurisdiction_path"))
                  .exclude(status__in=READ_ONLY_STATES).order_by().values_list("status")
                  .annotate(n=Count("pk")))
    labels = dict(CaseStatus.choices)
    return [Stage(state, str(labels.get(state, STATE_LABELS[state])), counts.get(state, 0),
                  list_url("cases:case_list", status=state, jurisdiction=area.code))
            for state in STATE_LABELS if state not in READ_ONLY_STATES]


@dataclass(frozen=True)
class Overdue:
    key: str
    label: str
    count: int
    url: str | None
    note: str


def overdue_items(user: User, area: Jurisdiction, *, today: datetime.date) -> list[Overdue]:
    """逾期事项 as of today: cases with an agency deadline past due and not met
    (`cases.deadlines.overdue_cases`), rectification orders past their deadline without a
    report, and re-inspections past due (`inspection.selectors`); each linked to its list
    narrowed to the area."""
    in_area = path_filter(area.path, field="jurisdiction_path")
    cases = overdue_cases(case_list(user=user).filter(in_area), today).count()
    orders = hazards_overdue_orders(user=user, today=today).filter(in_area).count()
    reinspections = hazards_overdue_reinspections(user=user, today=today).filter(
        in_area).count()

    def hazard_url(kind: str, n: int) -> str | None:
        if not n:
            return None
        return list_url("inspection:hazard_list", overdue=kind, jurisdiction=area.code)

    return [
        Overdue("cases", _("逾期案件"), cases,
                list_url("cases:case_list", overdue=1, jurisdiction=area.code) if cases else None,
                _("办案期限（作出决定、听证通知、送达、公示、缴款）已过而未办结")),
        Overdue("orders", _("整改逾期未报告"), orders, hazard_url("orders", orders),
                _("责令限期整改期限已过，企业未报告整改情况")),
        Overdue("reinspections", _("复查逾期"), reinspections,
                hazard_url("reinspections", reinspections),
                _("整改复查期限已过，尚未复查")),
    ]


# --- the year shown ---------------------------------------------------------------------

def default_year(area: Jurisdiction, *, today: datetime.date) -> int:
    """This year when it has records in the area (a case filed or an inspection finished);
    otherwise the latest year before it that has some (the demo city's data end in
    2024); this year when there are none at all."""
    end = datetime.date(today.year, 12, 31)
    in_area = path_filter(area.path, field="jurisdiction_path")
    latest = [
        PenaltyCase.objects.filter(in_area, filed_on__lte=end).aggregate(d=Max("filed_on"))["d"],
        Inspection.objects.filter(in_area, date__lte=end, status=Inspection.Status.FINISHED)
        .aggregate(d=Max("date"))["d"],
    ]
    days = [d for d in latest if d is not None]
    return max(days).year if days else today.year


# --- chart data (json_script) -----------------------------------------------------------

def _number(value: int | Decimal | None, scale: Decimal | None = None) -> float | int | None:
    """A figure for a chart only (the pages print the exact Decimal): a JSON number."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = value / scale if scale else value
        return float(value.quantize(Decimal("0.01")))
    return value


def chart_data(trends: Trends, pipeline: list[Stage], areas: list[AreaRow]) -> dict[str, Any]:
    """What fazhi/static/fazhi/dashboard.js draws. Money in 万元 (the charts' axes)."""
    s = {series.key: series for series in trends.series}

    def values(key: str, scale: Decimal | None = None) -> list[Any]:
        return [_number(v, scale) for v in s[key].values]

    return {
        "months": trends.months,
        "work": {"labels": [s["inspections"].label, s["cases"].label],
                 "bars": [values("inspections"), values("cases")]},
        "fines": {"label": _("罚没款（万元）"), "values": values("fines", WAN)},
        "hazards": {"labels": [s["hazards"].label, s["rectified"].label, _("整改率（%）")],
                    "bars": [values("hazards"), values("rectified")],
                    "rate": [_number(v) for v in trends.rectified_rate]},
        "accidents": {"labels": [s["accidents"].label, s["deaths"].label],
                      "bars": [values("accidents"), values("deaths")]},
        "pipeline": {"labels": [stage.label for stage in pipeline],
                     "counts": [stage.count for stage in pipeline]},
        "areas": {
            "labels": [row.name for row in areas],
            "series": [
                {"name": _("立案（件）"), "values": [r.cases for r in areas]},
                {"name": _("罚没款（万元）"),
                 "values": [_number(r.fines, WAN) for r in areas]},
                {"name": _("执法检查（家次）"), "values": [r.inspections for r in areas]},
                {"name": _("发现隐患（项）"), "values": [r.hazards for r in areas]},
                {"name": _("事故（起）"), "values": [r.accidents for r in areas]},
            ],
        },
    }
