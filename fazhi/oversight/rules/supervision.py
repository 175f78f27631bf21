"""The bureau's written answer to a social supervisor's remark (监督意见书面答复) is due
within ANSWER_WORKING_DAYS working days of the remark: the bureau's own rule for its
supervisors (no statute fixes it), shown as such on the pages."""

from __future__ import annotations

import datetime

from fazhi.core.rules.calendar import CalendarResult, Schedule, add_working_days

ANSWER_WORKING_DAYS = 15
RULE_TEXT = "本局社会监督员工作制度：监督意见自收到之日起15个工作日内书面答复（本局规定）"


def answer_due(schedule: Schedule, submitted_on: datetime.date) -> CalendarResult:
    return add_working_days(schedule, submitted_on, ANSWER_WORKING_DAYS)
