"""Figures of the legal knowledge base (issue 3 §8), computed from the catalogue tables
on the last day of the period, never stored.

legal.items:            enforcement items in force in the catalogue on the period end.
                        The catalogue is the same for every jurisdiction (the law is
                        national), so the figure does not depend on the jurisdiction.
legal.local_benchmarks: discretion benchmarks made under a local regulation (is_local,
                        e.g. 《嘉兴市危险化学品安全管理条例》) in force on the period end
                        for the jurisdiction and the jurisdictions below it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.core.selectors import path_filter
from fazhi.legal.catalogue import items_in_force
from fazhi.legal.models import DiscretionBenchmark, in_force_q
from fazhi.reports.registry import Period, register


@register("legal.items",
          definition=_("统计期末执法事项目录中有效的执法事项数量（目录全国统一，不分辖区）。"),
          label=_("执法事项目录在册事项"), unit=_("项"), kind="count",
          scope="city")
def legal_items(period: Period, jurisdiction: Jurisdiction) -> int:
    return items_in_force(period.end).count()


@register("legal.local_benchmarks",
          definition=_("统计期末有效的、依据地方性法规制定的自由裁量基准数量（本级及下级）。"),
          label=_("地方性法规自由裁量基准"), unit=_("项"),
          kind="count", scope="city",
          # issue 3 is blocked: the local regulations' texts could not be obtained, so
          # no local benchmark is catalogued and the count's 0 is not a fact
          caveat=_("地方性法规的裁量基准尚未录入系统（其法规文本暂未取得），系统统计数不代表实际"
                   "数量，请据实填写。"))
def legal_local_benchmarks(period: Period, jurisdiction: Jurisdiction) -> int:
    return (DiscretionBenchmark.objects.filter(is_local=True)
            .filter(in_force_q(period.end))
            .filter(path_filter(jurisdiction.path)).count())
