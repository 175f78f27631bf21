"""Tip rewards (举报奖励), pure: 安全生产领域举报奖励办法（安监总财〔2018〕19号）.

- A major hazard or an illegal production, business or construction activity (重大事故
  隐患、违法生产经营建设行为): 15 % of the administrative penalty imposed (行政处罚金额),
  at least 3,000 yuan, at most 300,000 yuan.
- A concealed or falsely reported accident (瞒报、谎报事故): per death concealed or
  falsely reported and confirmed, by the accident's finally confirmed class — ordinary
  (一般) 30,000, large (较大) 40,000, major (重大) 50,000, extraordinary (特别重大)
  60,000 yuan — at most 300,000 yuan.
Legal basis: 安全生产法(2021) 第七十六条. The article number of the amounts in the 2018
text is 待核实 (see `laws`).

Choices made here (not fixed by the text): the reward is rounded to the whole yuan,
half up (the API answers an integer); "行政处罚金额" is the total of fines and
confiscations the case decided (all parties), which the caller passes in; with no death
confirmed a concealed-accident tip earns nothing under this rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from fazhi.legal.rules.citations import Citation
from fazhi.oversight.rules.laws import reward_amounts, reward_basis

HAZARD = "major_hazard_or_illegal_operation"
CONCEALED = "concealed_accident"

RATE = Decimal("0.15")
MINIMUM = Decimal(3000)
MAXIMUM = Decimal(300000)
PER_DEATH: dict[str, Decimal] = {
    "ordinary": Decimal(30000),
    "large": Decimal(40000),
    "major": Decimal(50000),
    "extraordinary": Decimal(60000),
}
CLASS_LABELS = {"ordinary": "一般事故", "large": "较大事故", "major": "重大事故",
                "extraordinary": "特别重大事故"}


@dataclass(frozen=True)
class Reward:
    amount: Decimal  # whole yuan
    method: str  # how it was computed, in Chinese
    citations: tuple[Citation, ...]

    @property
    def whole_yuan(self) -> int:
        return int(self.amount)


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _non_negative(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{what}应为整数或金额")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{what}不能为负数")
    return amount


def tip_reward(*, tip_type: str, penalty_amount: int | Decimal = 0,
               accident_class: str | None = None, concealed_deaths: int = 0) -> Reward:
    """The reward of a substantiated tip (see the module docstring); ValueError with a
    Chinese message on impossible input."""
    if tip_type == HAZARD:
        penalty = _non_negative(penalty_amount, "行政处罚金额")
        raw = penalty * RATE
        amount = min(max(_whole(raw), MINIMUM), MAXIMUM)
        if raw < MINIMUM:
            why = f"行政处罚金额{penalty}元的15%为{_whole(raw)}元，低于最低奖励3000元，按3000元奖励"
        elif raw > MAXIMUM:
            why = f"行政处罚金额{penalty}元的15%为{_whole(raw)}元，超过最高奖励30万元，按30万元奖励"
        else:
            why = f"行政处罚金额{penalty}元×15%={amount}元"
        return Reward(amount, why, (reward_amounts("reward.hazard"), reward_basis()))
    if tip_type == CONCEALED:
        if accident_class not in PER_DEATH:
            raise ValueError("事故等级应为一般、较大、重大或特别重大事故（ordinary、large、"
                             "major、extraordinary）")
        if isinstance(concealed_deaths, bool) or not isinstance(concealed_deaths, int):
            raise ValueError("查实瞒报谎报死亡人数应为整数")
        if concealed_deaths < 0:
            raise ValueError("查实瞒报谎报死亡人数不能为负数")
        per = PER_DEATH[accident_class]
        raw = per * concealed_deaths
        amount = min(raw, MAXIMUM)
        why = (f"{CLASS_LABELS[accident_class]}每查实瞒报谎报1人奖励{per}元×{concealed_deaths}人"
               f"={raw}元" + ("，超过最高奖励30万元，按30万元奖励" if raw > MAXIMUM else ""))
        return Reward(amount, why, (reward_amounts("reward.concealed_accident"), reward_basis()))
    raise ValueError("举报类别应为 major_hazard_or_illegal_operation（重大事故隐患或违法生产"
                     "经营建设行为）或 concealed_accident（瞒报、谎报事故）")
