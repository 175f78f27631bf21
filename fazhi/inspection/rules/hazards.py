"""Hazards (事故隐患): what a hazard record must hold, and when officers must re-inspect
(pure; the caller passes the working-day schedule).

- 《安全生产法》(2021) 第六十五条第一款第（三）项: a hazard found in an inspection is
  ordered removed (责令立即排除); a major hazard (重大事故隐患) that cannot be removed
  safely stops work until it is, and work resumes only after review (经审查同意).
  第（二）项: a violation is corrected on the spot or within a time limit (限期改正).
- 《安全生产法》(2021) 第一百一十八条第二款: the major-hazard criteria (重大事故隐患判定
  标准) are set by the State Council's emergency-management department, so a major
  hazard names the criterion item it meets (our checklist items of those standards).
- 《安全生产法》(2021) 第四十一条第三款: departments keep major hazards in their
  information system and run a supervision system (重大事故隐患治理督办制度), which
  the bureau practises as 挂牌督办. No national rule caps the rectification period.
- Re-inspection (复查): see REINSPECTION below; its day count is NOT confirmed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from fazhi.core.rules.calendar import (
    CalendarResult,
    Schedule,
    add_calendar_days,
    add_working_days,
)

GENERAL, MAJOR = "general", "major"
GENERAL_STANDARD = "general"  # checklist items that are no major-hazard criterion


@dataclass(frozen=True)
class PeriodRule:
    days: int
    working_days: bool
    citation: str
    confirmed: bool  # False: the article text was not read; pages show it as 待核实


# Re-inspection within 10 days after the rectification deadline, or after the
# enterprise's report when it reports earlier. The 10 days are the practice of
# 《安全生产违法行为行政处罚办法》(国家安全生产监督管理总局令第15号) as remembered in the
# research notes, whose article could not be read in any reachable source; that rule
# was replaced by 应急管理部令第18号 from 2026-02-01, whose text was not reachable
# either. Calendar days, because the rule says 日 (not 工作日). Kept unconfirmed
# until the lead reads the article; a bureau rule may shorten it (e.g. Hebei: 7 days).
REINSPECTION = PeriodRule(
    days=10,
    working_days=False,
    citation="《安全生产违法行为行政处罚办法》（复查期限，条文待核实）",
    confirmed=False,
)


def hazard_problems(
    *,
    level: str,
    criterion_standard: str | None,
    rectified_on_site: bool,
    issued_on: datetime.date,
    deadline: datetime.date | None,
) -> list[str]:
    """Every reason (Chinese) the hazard cannot be registered as given."""
    problems = []
    if level not in (GENERAL, MAJOR):
        problems.append("隐患等级应为一般事故隐患或重大事故隐患")
    if level == MAJOR:
        if criterion_standard is None:
            problems.append("重大事故隐患应注明所符合的判定标准条款（《安全生产法》第一百一十八条）")
        elif criterion_standard == GENERAL_STANDARD:
            problems.append("所选检查事项不是重大事故隐患判定标准条款")
        if rectified_on_site:
            problems.append("重大事故隐患不能按当场整改处理，应责令限期整改")
    if not rectified_on_site:
        problems.extend(order_problems(issued_on=issued_on, deadline=deadline))
    return problems


def order_problems(*, issued_on: datetime.date, deadline: datetime.date | None) -> list[str]:
    """Every reason (Chinese) a rectification order's deadline is not acceptable."""
    if deadline is None:
        return ["不能当场整改的隐患应确定整改期限（《安全生产法》第六十五条）"]
    if deadline <= issued_on:
        return [f"整改期限应晚于指令下达日期（{issued_on:%Y年%m月%d日}）"]
    return []


def reinspection_due(
    schedule: Schedule,
    *,
    deadline: datetime.date,
    report_date: datetime.date | None = None,
    rule: PeriodRule = REINSPECTION,
) -> CalendarResult:
    """The last day officers may re-inspect: the period of `rule` counted from the
    rectification deadline, or from the enterprise's report when it came earlier.

    The day is the agency's own deadline, so a last day on a rest day is not moved
    (as the agency deadlines of `fazhi.legal.rules.deadlines`)."""
    start = min(deadline, report_date) if report_date else deadline
    if rule.working_days:
        return add_working_days(schedule, start, rule.days)
    return add_calendar_days(start, rule.days)


# 挂牌督办 is how the bureau practises the major-hazard supervision system of
# 《安全生产法》(2021) 第四十一条第三款 (县级以上 departments); the law names no levels,
# so matching the listing level to the listing agency's level is this platform's rule:
# a county-level (or functional-zone) bureau lists at county level, the city bureau at
# city level, and a town station (not 县级以上) cannot list.
SUPERVISION_LEVEL_BY_JURISDICTION = {
    "province": "province",
    "city": "city",
    "county": "county",
    "zone": "county",
}


def supervision_problems(*, level: str, agency_jurisdiction_level: str) -> list[str]:
    """Every reason (Chinese) an agency of the given jurisdiction level may not list a
    major hazard for supervision at `level`."""
    own = SUPERVISION_LEVEL_BY_JURISDICTION.get(agency_jurisdiction_level)
    if own is None:
        return ["乡镇（街道）机构不能挂牌督办，应由县级以上应急管理部门督办"]
    if own != level:
        return ["督办级别应与督办机关的层级一致"]
    return []
