"""Figures of the subjects module: chemical parks (化工园区) and their risk levels.

A park's risk level is the result of its latest assessment under 《化工园区安全风险排查
治理导则》 (高 A / 较高 B / 一般 C / 较低 D); the report counts the parks as they stand,
so these figures do not depend on the period.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.core.selectors import path_filter
from fazhi.reports.registry import Period, register
from fazhi.subjects.models import ChemicalPark


def _parks(jurisdiction: Jurisdiction) -> QuerySet[ChemicalPark]:
    # scope "city": the parks of the jurisdiction and of everything below it
    return ChemicalPark.objects.filter(path_filter(jurisdiction.path))


@register("parks.total",
          definition=_("辖区内（含下级）化工园区现有数量，不随统计期间变化。"),
          label=_("化工园区"), unit=_("个"), kind="count", scope="city")
def parks_total(period: Period, jurisdiction: Jurisdiction) -> int:
    return _parks(jurisdiction).count()


@register("parks.risk.lower",
          definition=_("最近一次安全风险评估为较低安全风险（D类）的化工园区数量。"),
          label=_("较低安全风险等级园区"), unit=_("个"), kind="count",
          scope="city")
def parks_risk_lower(period: Period, jurisdiction: Jurisdiction) -> int:
    return _parks(jurisdiction).filter(risk_level=ChemicalPark.RiskLevel.LOWER).count()


@register("parks.risk.general",
          definition=_("最近一次安全风险评估为一般安全风险（C类）的化工园区数量。"),
          label=_("一般安全风险等级园区"), unit=_("个"), kind="count",
          scope="city")
def parks_risk_general(period: Period, jurisdiction: Jurisdiction) -> int:
    return _parks(jurisdiction).filter(risk_level=ChemicalPark.RiskLevel.GENERAL).count()
