"""Figures of the tasks module (任务督办), computed from the task records, as of the
period's last day (the plan runs over several years: the figures are its state at the
end of the period, not what happened within it).

plan.tasks.total:   tasks of the master plans (总方案) of 安全生产治本攻坚三年行动 in the
                    area issued by the period's end, assigned on or before that day.
plan.tasks.done:    of them, those whose completion was confirmed with a completion
                    date on or before that day (a task completed later is not counted).
plan.tasks.rate:    done / total × 100, one decimal, half up; no task: 0.0.
plan.subtasks.*:    the same for the tasks of those plans' sub-plans (子方案).
hazards.major.task_departments: 重大事故隐患判定标准任务落实部门: distinct owner units
                    (责任单位: emergency agencies or their 处室 and other government
                    departments) holding at least one task of a task list of the
                    category 重大事故隐患判定标准落实 (plan or sub-plan) in the area,
                    assigned on or before the period's end.
Plans are chosen by their `category`, never by their title.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.reports.registry import Period, register
from fazhi.tasks import selectors as s


@register("plan.tasks.total", label=_("治本攻坚三年行动总方案任务"), unit=_("项"),
          kind="count", scope="city",
          definition=_("辖区内截至期末已印发的安全生产治本攻坚三年行动总方案中，期末前已下达的"
                       "任务数。"))
def plan_tasks_total(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.report_completion(jurisdiction, period.end, sub=False).total


@register("plan.tasks.done", label=_("总方案已完成任务"), unit=_("项"), kind="count",
          scope="city",
          definition=_("上述任务中经确认销号、完成日期在期末及以前的任务数（期末后完成的不计）。"))
def plan_tasks_done(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.report_completion(jurisdiction, period.end, sub=False).done


@register("plan.tasks.rate", label=_("总方案完成率"), unit=_("%"), kind="percent",
          scope="city", decimals=1,
          definition=_("总方案已完成任务÷总方案任务×100，保留一位小数；无任务时为0。"))
def plan_tasks_rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return s.report_completion(jurisdiction, period.end, sub=False).rate


@register("plan.subtasks.total", label=_("子方案任务"), unit=_("项"), kind="count",
          scope="city",
          definition=_("上述总方案下各子方案中期末前已下达的任务数。"))
def plan_subtasks_total(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.report_completion(jurisdiction, period.end, sub=True).total


@register("plan.subtasks.done", label=_("子方案已完成任务"), unit=_("项"), kind="count",
          scope="city",
          definition=_("子方案任务中经确认销号、完成日期在期末及以前的任务数。"))
def plan_subtasks_done(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.report_completion(jurisdiction, period.end, sub=True).done


@register("plan.subtasks.rate", label=_("子方案完成率"), unit=_("%"), kind="percent",
          scope="city", decimals=1,
          definition=_("子方案已完成任务÷子方案任务×100，保留一位小数；无任务时为0。"))
def plan_subtasks_rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return s.report_completion(jurisdiction, period.end, sub=True).rate


@register("hazards.major.task_departments", label=_("重大事故隐患判定标准任务落实部门"),
          unit=_("个"), kind="count", scope="city",
          definition=_("辖区内“重大事故隐患判定标准落实”类任务清单（期末前下达）的任务所涉及的"
                       "不同责任单位数（含应急管理部门处室及住建、交通等政府部门）。"))
def hazards_major_task_departments(period: Period, jurisdiction: Jurisdiction) -> int:
    return s.criteria_units(jurisdiction, period.end)
