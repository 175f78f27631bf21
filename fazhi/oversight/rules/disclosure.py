"""Disclosure on request (依申请公开), pure: 《中华人民共和国政府信息公开条例》(2019).

- 第三十一条: the day of receipt — handed in: that day; by post: the day it is signed
  for; online: the day both sides confirm (the caller records `received_on`).
- 第三十条: an unclear request is sent back for completion (补正) once, within 7
  working days of receipt; the answer period then runs from the day the completed
  request is received.
- 第三十三条: answered on the spot when possible, otherwise within 20 working days of
  receipt; an extension needs the approval of the head of the disclosure office and
  notice to the applicant, and is at most 20 working days.
- 第三十六条 (the kinds of answer) and 第四十条 (the form, by the applicant's request
  and how the agency keeps the information).
"""

from __future__ import annotations

import datetime

from fazhi.core.rules.calendar import CalendarResult, Schedule, add_working_days
from fazhi.legal.rules.citations import Citation, cite
from fazhi.oversight.rules.laws import OGI_2019

ANSWER_WORKING_DAYS = 20
MAX_EXTENSION_WORKING_DAYS = 20
SUPPLEMENT_WORKING_DAYS = 7


def answer_due(schedule: Schedule, received_on: datetime.date,
               supplement_received_on: datetime.date | None = None,
               extension_days: int = 0) -> CalendarResult:
    """The last day to answer: 20 working days from receipt (or from the completed
    request), plus an approved extension of at most 20 working days."""
    if not 0 <= extension_days <= MAX_EXTENSION_WORKING_DAYS:
        raise ValueError(f"延长答复期限最长不得超过{MAX_EXTENSION_WORKING_DAYS}个工作日")
    start = supplement_received_on or received_on
    return add_working_days(schedule, start, ANSWER_WORKING_DAYS + extension_days)


def supplement_due(schedule: Schedule, received_on: datetime.date) -> CalendarResult:
    return add_working_days(schedule, received_on, SUPPLEMENT_WORKING_DAYS)


def citations(*, extended: bool = False, supplemented: bool = False) -> list[Citation]:
    found = [cite(OGI_2019, "第三十三条第二款", "disclosure.answer_due")]
    if supplemented:
        found.append(cite(OGI_2019, "第三十条", "disclosure.supplement"))
    if extended:
        found.append(cite(OGI_2019, "第三十三条第二款", "disclosure.extension"))
    return found

