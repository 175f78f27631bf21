"""Figures of the inspection module, computed from the records of the period,
never stored. Registered by `fazhi.reports.registry` (autodiscovery of `indicators`).

Scope "city": the records located in the jurisdiction and everything below it, by the
denormalised `jurisdiction_path` of each record (the inspected enterprise's place), as
the scoped lists read them.

inspections.count:         finished inspections (家次) dated in the period; drafts are
                           not inspections yet.
hazards.found:             hazards found in the period (every level and status).
hazards.major.found:       of them, the major hazards (重大事故隐患).
hazards.major.supervised:  major hazards listed for supervision (挂牌督办) and closed
                           (销号, after a passed re-inspection) within the period: the
                           report's 督改重大事故隐患, whenever they were found.
hazards.rectified_rate:    hazards found in the period and closed by the period's end,
                           over hazards found in the period, ×100 (one decimal; 0 when
                           none were found). Closing after the period does not change a
                           past period's rate.
chemicals.expert_guided:   distinct hazardous-chemicals enterprises (production,
                           operation, use) with at least one expert visit in the period.
industry.key_assisted:     distinct industry-and-trade enterprises on the key-assistance
                           list (重点帮扶企业) of the period's year(s).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.core.selectors import path_filter
from fazhi.inspection.models import (
    AssistanceVisit,
    Hazard,
    HazardLevel,
    Inspection,
    KeyAssistedEnterprise,
)
from fazhi.reports.registry import Period, list_url, percent, register
from fazhi.subjects.models import SupervisionCategory

HAZCHEM_CATEGORIES = (
    SupervisionCategory.HAZCHEM_PRODUCTION,
    SupervisionCategory.HAZCHEM_OPERATION,
    SupervisionCategory.HAZCHEM_USE,
)


def _in_area(jurisdiction: Jurisdiction):
    return path_filter(jurisdiction.path, field="jurisdiction_path")


def _hazards_found(period: Period, jurisdiction: Jurisdiction) -> QuerySet[Hazard]:
    return Hazard.objects.filter(_in_area(jurisdiction),
                                 found_on__gte=period.start, found_on__lte=period.end)


# Drills. The inspection and hazard lists filter by year (so a period other than a whole
# year has no exact list: None) and by area (`jurisdiction`: that area and everything
# below it, within what the user may see).

def _inspections_list(period: Period, jurisdiction: Jurisdiction) -> str | None:
    if not period.is_year:
        return None
    return list_url("inspection:inspection_list", status=Inspection.Status.FINISHED,
                    year=period.start.year, jurisdiction=jurisdiction.code)


def _hazards_list(period: Period, jurisdiction: Jurisdiction,
                  level: str | None = None) -> str | None:
    if not period.is_year:
        return None
    return list_url("inspection:hazard_list", year=period.start.year, level=level,
                    jurisdiction=jurisdiction.code)


def _major_hazards_list(period: Period, jurisdiction: Jurisdiction) -> str | None:
    return _hazards_list(period, jurisdiction, HazardLevel.MAJOR)


@register("inspections.count",
          definition=_("统计期间内检查日期在期内且已完成的执法检查家次（草稿不计）。"),
          label=_("执法检查（家次）"), unit=_("家次"), kind="count",
          scope="city", drill=_inspections_list)
def inspections_count(period: Period, jurisdiction: Jurisdiction) -> int:
    return Inspection.objects.filter(
        _in_area(jurisdiction), status=Inspection.Status.FINISHED,
        date__gte=period.start, date__lte=period.end,
    ).count()


@register("hazards.found",
          definition=_("统计期间内发现的事故隐患项数（各等级、各状态）。"),
          label=_("排查发现事故隐患"), unit=_("项"), kind="count",
          scope="city", drill=_hazards_list)
def hazards_found(period: Period, jurisdiction: Jurisdiction) -> int:
    return _hazards_found(period, jurisdiction).count()


@register("hazards.major.found",
          definition=_("上述隐患中的重大事故隐患项数。"),
          label=_("排查发现重大事故隐患"), unit=_("项"), kind="count",
          scope="city", drill=_major_hazards_list)
def hazards_major_found(period: Period, jurisdiction: Jurisdiction) -> int:
    return _hazards_found(period, jurisdiction).filter(level=HazardLevel.MAJOR).count()


@register("hazards.major.supervised",
          definition=_("统计期间内挂牌督办并经复查合格销号的重大事故隐患项数（不论发现时间）。"),
          label=_("督改重大事故隐患（余项）"), unit=_("项"),
          kind="count", scope="city")
def hazards_major_supervised(period: Period, jurisdiction: Jurisdiction) -> int:
    # Supervised to rectification: listed (挂牌) and closed (销号) in the period; the
    # listing itself may date from an earlier period.
    return Hazard.objects.filter(
        _in_area(jurisdiction), level=HazardLevel.MAJOR, status=Hazard.Status.CLOSED,
        closed_on__gte=period.start, closed_on__lte=period.end, supervision__isnull=False,
    ).count()


@register("hazards.rectified_rate",
          definition=_("期内发现的隐患中截至期末已销号的比例（%），保留一位小数；期内未发现隐患"
                       "时为0。"),
          label=_("事故隐患整改率"), unit=_("%"), kind="percent",
          scope="city")
def hazards_rectified_rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    found = _hazards_found(period, jurisdiction)
    closed = found.filter(status=Hazard.Status.CLOSED, closed_on__lte=period.end)
    return percent(closed.count(), found.count(), decimals=1)


@register("chemicals.expert_guided",
          definition=_("统计期间内接受过专家服务指导的危险化学品生产、经营、使用企业家数（去重）"
                       "。"),
          label=_("危化企业专家服务指导（家）"), unit=_("家"),
          kind="count", scope="city")
def chemicals_expert_guided(period: Period, jurisdiction: Jurisdiction) -> int:
    return (AssistanceVisit.objects.filter(
        _in_area(jurisdiction), date__gte=period.start, date__lte=period.end,
        enterprise__supervision_category__in=HAZCHEM_CATEGORIES,
    ).values("enterprise_id").distinct().count())


@register("industry.key_assisted",
          definition=_("统计年度列入工贸行业重点帮扶企业名单的企业家数（去重）。"),
          label=_("工贸领域重点帮扶企业（家）"), unit=_("家"),
          kind="count", scope="city")
def industry_key_assisted(period: Period, jurisdiction: Jurisdiction) -> int:
    return (KeyAssistedEnterprise.objects.filter(
        _in_area(jurisdiction), year__gte=period.start.year, year__lte=period.end.year,
        enterprise__supervision_category=SupervisionCategory.INDUSTRY_TRADE,
    ).values("enterprise_id").distinct().count())
