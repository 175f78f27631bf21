"""Figures of the capacity module (法治能力建设), computed from the records every time.

Stocks (people, units, bases) are read "as of" the period's last day: a role, licence,
qualification, unit or base counts when its dates hold that day (a reviewer whose role
ended, or who left, before it is not counted; a qualification granted after it is not).
Flows (study sessions, visitors, works) count what falls in the period.

study.sessions (bureau):            sessions held by the jurisdiction's own agency.
outreach.bases.provincial/city/county (city): bases of that level in the area, named
                                    by the period's end and not revoked by then.
outreach.visitors (city):           visitors of the area's bases in the months of the period.
outreach.works (city):              works published in the period in the area.
outreach.works.awarded (city):      of them, those holding a national (全国) award.
staff.legal_units.rate (city):      city and county bureaus with a legal unit / all of them.
staff.reviewers.rate (city):        city and county bureaus with a reviewer / all of them.
staff.reviewers.qualified_rate:     reviewers holding 法律职业资格 / reviewers, every agency
                                    in the area (two decimals).
staff.advisors (bureau):            advisers of the own agency whose contract overlaps the period.
staff.public_lawyers.bureau/city:   people holding a valid 公职律师证 on the last day.
staff.public_lawyers.coverage:      county bureaus not flagged exempt (功能区) with a
                                    public lawyer / those bureaus (two decimals).
See `fazhi.capacity.rules.rates` for the agencies each rate counts and why.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from fazhi.capacity import selectors as s
from fazhi.capacity.models import OutreachBase, WorkAward
from fazhi.core.models import Jurisdiction
from fazhi.reports.registry import Period, list_url, register


def _people(role: str):
    def drill(period: Period, jurisdiction: Jurisdiction) -> str | None:
        return list_url("capacity:person_list", jurisdiction=jurisdiction.code, role=role,
                        day=period.end.isoformat())
    return drill


def _study(period: Period, jurisdiction: Jurisdiction) -> str | None:
    if not period.is_year:
        return None
    return list_url("capacity:study_list", year=period.start.year, own=jurisdiction.code)


@register("study.sessions", label=_("集中学法次数"), unit=_("次"), kind="count",
          scope="bureau", drill=_study,
          definition=_("本级机关（局机关）期内组织的集中学法、培训等学法活动次数（按活动日期）。"))
def study_sessions(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.study_sessions_count(jurisdiction, period.start, period.end)


def _bases(level: str, label: str, definition: str):
    @register(f"outreach.bases.{level}", label=label, unit=_("个"), kind="count",
              scope="city", definition=definition)
    def compute(period: Period, jurisdiction: Jurisdiction) -> int:
        return s.bases_count(jurisdiction, period.end, OutreachBase.Level(level).value)
    return compute


_bases("provincial", _("省级应急普法基地"),
       _("期末在辖区内、已命名且未撤销的省级应急普法基地个数。"))
_bases("city", _("市级应急普法基地"), _("期末在辖区内、已命名且未撤销的市级应急普法基地个数。"))
_bases("county", _("县级应急普法基地"), _("期末在辖区内、已命名且未撤销的县级应急普法基地个数。"))


@register("outreach.visitors", label=_("普法基地服务人次（约）"), unit=_("人次"),
          kind="count", scope="city",
          definition=_("辖区内普法基地在期内各月登记的服务人次之和。"))
def outreach_visitors(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.visitors(jurisdiction, period.start, period.end)


@register("outreach.works", label=_("应急普法作品"), unit=_("件"), kind="count",
          scope="city", definition=_("辖区内各机关期内发布的应急普法作品件数。"))
def outreach_works(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.works(jurisdiction, period.start, period.end)


@register("outreach.works.awarded", label=_("获全国优秀作品奖"), unit=_("件"), kind="count",
          scope="city", definition=_("上述作品中获得全国级奖项的件数（一件多奖计一件）。"))
def outreach_works_awarded(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.works(jurisdiction, period.start, period.end,
                   awarded_level=WorkAward.Level.NATIONAL)


@register("staff.legal_units.rate", label=_("市县两级法制机构设置率"), unit=_("%"),
          kind="percent", scope="city", decimals=1,
          definition=_("期末辖区内市、县两级应急管理部门（含功能区，不含镇街站所）中设有"
                       "法制机构（单独设置或明确科室承担）的比例。"))
def legal_units_rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return s.staff_rates(jurisdiction, period.end).legal_units.percent


@register("staff.reviewers.rate", label=_("法制审核员配备率"), unit=_("%"),
          kind="percent", scope="city", decimals=1, drill=_people("reviewer"),
          definition=_("期末辖区内市、县两级应急管理部门中配备至少一名在岗法制审核员的比例。"))
def reviewers_rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return s.staff_rates(jurisdiction, period.end).reviewers.percent


@register("staff.reviewers.qualified_rate", label=_("具有法律职业资格的法制审核员比例"),
          unit=_("%"), kind="percent", scope="city", decimals=2, drill=_people("reviewer"),
          definition=_("期末在岗法制审核员中，期末前已取得法律职业资格者所占比例，保留两位"
                       "小数（行政处罚法第五十八条第二款）。"))
def qualified_rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return s.staff_rates(jurisdiction, period.end).qualified_reviewers.percent


@register("staff.advisors", label=_("常年法律顾问"), unit=_("名"), kind="count",
          scope="bureau",
          definition=_("本级机关聘期与统计期有交集的常年法律顾问人数。"))
def staff_advisors(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.advisers(jurisdiction, period.start, period.end)


@register("staff.public_lawyers.bureau", label=_("市局机关公职律师"), unit=_("名"),
          kind="count", scope="bureau",
          definition=_("期末本级机关在岗且持有效公职律师证的人数。"))
def public_lawyers_bureau(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.public_lawyers(jurisdiction, period.end, bureau=True)


@register("staff.public_lawyers.city", label=_("全市应急管理系统公职律师"), unit=_("名"),
          kind="count", scope="city", drill=_people("public_lawyer"),
          definition=_("期末辖区内各级应急管理部门在岗且持有效公职律师证的人数。"))
def public_lawyers_city(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.public_lawyers(jurisdiction, period.end)


@register("staff.public_lawyers.coverage",
          label=_("市县两级部门公职律师覆盖率（经开、港区除外）"), unit=_("%"),
          kind="percent", scope="city", decimals=2,
          definition=_("期末辖区内县级应急管理部门（标记为不计入覆盖率的功能区除外）中至少有"
                       "一名公职律师的比例，保留两位小数；市局机关公职律师另列。"))
def lawyer_coverage(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return s.staff_rates(jurisdiction, period.end).lawyer_coverage.percent
