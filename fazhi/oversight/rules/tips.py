"""Deadlines of a tip (举报), pure (the working-day schedule is passed in).

- Acceptance (受理): decided within ACCEPT_WORKING_DAYS working days of receipt. The
  national rule's period could not be read (应急〔2023〕106号 sets the acceptance step
  without a figure we could confirm): a bureau setting, shown as 待核实.
- Handling (办结): within 60 days of acceptance; a complex tip may be extended once by
  at most 30 days with the approval of the head (安全生产举报奖励办法(2012) practice,
  repeated by provincial rules; the 2018 article 待核实). These are the agency's own
  deadlines: counted in calendar days and never moved off a rest day (they are flagged
  when missed, as `fazhi.legal.rules.deadlines` treats agency deadlines).
- Feedback (反馈): within 10 days after the verification ends (2012 text 第十条第三项).
- Claiming a reward: within 60 days of the notice (reference.yaml, medium).
- 安全生产法 第七十三条第二款: a tip involving deaths is verified under the county-level
  (or higher) people's government: shown as a note.
"""

from __future__ import annotations

import datetime

from fazhi.core.rules.calendar import CalendarResult, Schedule, add_working_days
from fazhi.legal.rules.citations import WSL, Citation, cite
from fazhi.oversight.rules.laws import PENDING, TIP_GUIDANCE_2023, TIP_REWARD_2012, TIP_REWARD_2018

ACCEPT_WORKING_DAYS = 5
HANDLING_DAYS = 60
MAX_EXTENSION_DAYS = 30
FEEDBACK_DAYS = 10
CLAIM_DAYS = 60
UNCONFIRMED = "待核实"


def accept_due(schedule: Schedule, received_on: datetime.date) -> CalendarResult:
    return add_working_days(schedule, received_on, ACCEPT_WORKING_DAYS)


def handling_due(accepted_on: datetime.date, extension_days: int = 0) -> datetime.date:
    if not 0 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"延长期限不得超过{MAX_EXTENSION_DAYS}日")
    return accepted_on + datetime.timedelta(days=HANDLING_DAYS + extension_days)


def feedback_due(concluded_on: datetime.date) -> datetime.date:
    return concluded_on + datetime.timedelta(days=FEEDBACK_DAYS)


def claim_due(notified_on: datetime.date) -> datetime.date:
    return notified_on + datetime.timedelta(days=CLAIM_DAYS)


def citations() -> list[Citation]:
    return [
        cite(TIP_GUIDANCE_2023, f"受理期限{PENDING}", "tip.accept_due"),
        cite(TIP_REWARD_2018, f"核查办理期限{PENDING}", "tip.handling_due"),
        cite(TIP_REWARD_2012, "第十条第三项", "tip.feedback_due"),
        cite(WSL, "第七十三条", "tip.channels"),
    ]


def death_note() -> str:
    return ("涉及人员死亡的举报事项，由县级以上人民政府组织核查处理"
            "（《安全生产法》第七十三条第二款）")
