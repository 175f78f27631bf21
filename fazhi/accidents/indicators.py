"""Figures of the accidents module (生产安全事故), computed from the records of the period
every time, never stored. Registered by `fazhi.reports.registry` (autodiscovery of
`indicators`; `fazhi.accidents` is an installed app, nothing else to list).

Scope "city" (全市 / 全县): the accidents located in the jurisdiction and everything
below it, by the accident's denormalised `jurisdiction_path` (its place, as the scoped
lists read it); investigation reviews and opinions are located by their accident.

What puts a record in a period (whole Shanghai days, start to end inclusive):
an accident, its occurrence (`occurred_at` read as an Asia/Shanghai date: 31 December
23:59 in, 1 January 00:00 out); a legal guidance, the day it was given (`guidance_on`);
a written opinion, the day it was issued (`issued_on`). Deaths are the latest known
figures (`Accident.deaths`, updated by 补报), not those first registered.

accidents.count:                 生产安全事故起数: accidents that occurred in the period,
                                 every industry and class.
accidents.deaths:                死亡人数: their deaths, summed.
accidents.highway.count:         of them, those on a highway (`on_highway`, 高速公路).
accidents.highway.deaths:        the deaths of those.
accidents.count.yoy:             事故起数同比: (count − the previous year's count) / the
                                 previous year's count × 100, one decimal, half up; the
                                 previous year is the same days one year earlier
                                 (`Period.previous_year`), counted from its own records.
                                 No accident in the previous year: 0.0 (a figure must be
                                 a number; the registry's `change_percent` convention).
                                 The statistics pages show “—” for that case instead.
accidents.deaths.yoy:            死亡人数同比: the same for deaths.
accidents.report_review.guided:  事故调查报告获司法部门法律指导（起）: distinct
                                 investigations (调查报告) with legal guidance given
                                 (`ReportReview.guidance_on`) in the period; a report
                                 guided twice counts once, a request not yet answered
                                 does not count.
accidents.report_review.opinions: 书面合法性审查意见（件）: written legality opinions
                                 (书面合法性审查意见) issued in the period.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from fazhi.accidents.models import LegalityOpinion, ReportReview
from fazhi.accidents.statistics import tally
from fazhi.core.models import Jurisdiction
from fazhi.core.selectors import path_filter
from fazhi.reports.registry import Period, change_percent, list_url, register

ACCIDENT_PATH = "investigation__accident__jurisdiction_path"


def _accident_list(period: Period, jurisdiction: Jurisdiction,
                   highway: bool = False) -> str | None:
    """Drill: the accident list of the year (it filters by whole years only) in the area."""
    if not period.is_year:
        return None
    return list_url("accidents:accident_list", year=period.start.year,
                    jurisdiction=jurisdiction.code, highway="1" if highway else None)


def _highway_list(period: Period, jurisdiction: Jurisdiction) -> str | None:
    return _accident_list(period, jurisdiction, highway=True)


@register("accidents.count",
          definition=_("期内发生（按北京时间发生日期）的生产安全事故起数，含各行业领域、各等级。"),
          label=_("生产安全事故起数"), unit=_("起"), kind="count",
          scope="city", drill=_accident_list)
def accidents_count(period: Period, jurisdiction: Jurisdiction) -> int:
    return tally(period, jurisdiction).count


@register("accidents.deaths",
          definition=_("上述事故的死亡人数合计（按补报后的最新核定数）。"),
          label=_("死亡人数"), unit=_("人"), kind="count", scope="city")
def accidents_deaths(period: Period, jurisdiction: Jurisdiction) -> int:
    return tally(period, jurisdiction).deaths


@register("accidents.highway.count",
          definition=_("上述事故中发生在高速公路上的起数。"),
          label=_("其中高速公路事故起数"), unit=_("起"),
          kind="count", scope="city", drill=_highway_list)
def accidents_highway_count(period: Period, jurisdiction: Jurisdiction) -> int:
    return tally(period, jurisdiction, highway=True).count


@register("accidents.highway.deaths",
          definition=_("高速公路事故的死亡人数合计。"),
          label=_("其中高速公路死亡人数"), unit=_("人"),
          kind="count", scope="city")
def accidents_highway_deaths(period: Period, jurisdiction: Jurisdiction) -> int:
    return tally(period, jurisdiction, highway=True).deaths


@register("accidents.count.yoy",
          definition=_("（本期事故起数－上年同期起数）÷上年同期起数×100，保留一位小数；上年"
                       "同期为零时记为0。"),
          label=_("事故起数同比"), unit=_("%"), kind="percent",
          scope="city")
def accidents_count_yoy(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return change_percent(tally(period, jurisdiction).count,
                          tally(period.previous_year(), jurisdiction).count, decimals=1)


@register("accidents.deaths.yoy",
          definition=_("死亡人数的同比增减百分比，算法同事故起数同比。"),
          label=_("死亡人数同比"), unit=_("%"), kind="percent",
          scope="city")
def accidents_deaths_yoy(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return change_percent(tally(period, jurisdiction).deaths,
                          tally(period.previous_year(), jurisdiction).deaths, decimals=1)


@register("accidents.report_review.guided",
          definition=_("期内获司法行政部门法律指导（指导日期在期内）的事故调查报告起数（同一报告"
                       "多次指导计一次）。"),
          label=_("事故调查报告获司法部门法律指导（起）"),
          unit=_("起"), kind="count", scope="city")
def accidents_report_review_guided(period: Period, jurisdiction: Jurisdiction) -> int:
    return (ReportReview.objects.filter(
        path_filter(jurisdiction.path, field=ACCIDENT_PATH),
        guidance_on__gte=period.start, guidance_on__lte=period.end,
    ).values("investigation_id").distinct().count())


@register("accidents.report_review.opinions",
          definition=_("期内出具的事故调查报告书面合法性审查意见件数。"),
          label=_("书面合法性审查意见（件）"),
          unit=_("件"), kind="count", scope="city")
def accidents_report_review_opinions(period: Period, jurisdiction: Jurisdiction) -> int:
    return LegalityOpinion.objects.filter(
        path_filter(jurisdiction.path, field=ACCIDENT_PATH),
        issued_on__gte=period.start, issued_on__lte=period.end,
    ).count()
