"""What a handling proposal (处理意见) per party must satisfy before the head may
decide (pure).

- 行政处罚法(2021) 第四条: penalties only as laws, regulations and rules provide —
  a fine outside the statutory range is refused outright.
- 第三十四条: the agency applies its discretion benchmark (裁量基准); a fine outside the
  benchmark's range for the tier is not unlawful by itself, but the deviation must be
  explained in writing (the platform's rule, from 第五条第二款 过罚相当 and the
  benchmark rules' 说明理由 requirement).
- 第三十三条: no penalty — the ground must be named (轻微并及时改正 / 首违 / 无过错) and the
  fine that would otherwise have applied recorded (the waived amount).
- 第五十九条: the decision states, per party, the violation, the provision applied and
  the penalty.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.rules.money import yuan_text

PENALTY, NO_PENALTY, TRANSFER = "penalty", "no_penalty", "transfer"
FINE = "fine"
CONFISCATION_MEASURES = frozenset({"confiscate_gains", "confiscate_property"})


@dataclass(frozen=True)
class Proposal:
    """One party's proposal as the case holds it."""

    party: str  # the party's name, for messages
    outcome: str
    measures: tuple[str, ...] = ()
    fine: Decimal = Decimal(0)
    confiscation: Decimal = Decimal(0)
    statutory_min: Decimal | None = None
    statutory_max: Decimal | None = None
    recommended_min: Decimal | None = None
    recommended_max: Decimal | None = None
    deviation_reason: str = ""
    exempt_ground: str = ""
    waived_amount: Decimal = Decimal(0)
    has_item: bool = False
    reason: str = ""


def problems(p: Proposal, *, criminal_transfer_made: bool = False) -> list[str]:
    """Every reason (Chinese) the proposal cannot be decided as it stands; empty: lawful
    by the platform's checks."""
    found: list[str] = []
    who = p.party
    if not p.reason.strip():
        found.append(f"{who}：应写明处理理由（违法事实、证据和适用依据）（《行政处罚法》第五十九条）")
    if p.outcome == PENALTY:
        if not p.has_item:
            found.append(f"{who}：应写明适用的执法事项（处罚依据）（《行政处罚法》第五十九条）")
        if not p.measures:
            found.append(f"{who}：应写明处罚种类")
        if FINE in p.measures:
            if p.fine <= 0:
                found.append(f"{who}：拟罚款的，应写明罚款数额")
            elif p.statutory_min is not None and p.statutory_max is not None and not (
                    p.statutory_min <= p.fine <= p.statutory_max):
                found.append(f"{who}：罚款{yuan_text(p.fine)}超出法定幅度（{yuan_text(p.statutory_min)}"
                             f"至{yuan_text(p.statutory_max)}），不得作出（《行政处罚法》第四条）")
            elif (p.recommended_min is not None and p.recommended_max is not None
                  and not p.recommended_min <= p.fine <= p.recommended_max
                  and not p.deviation_reason.strip()):
                found.append(f"{who}：罚款{yuan_text(p.fine)}不在裁量基准建议幅度"
                             f"（{yuan_text(p.recommended_min)}至{yuan_text(p.recommended_max)}）内，"
                             f"应书面说明理由（《行政处罚法》第三十四条）")
        elif p.fine:
            found.append(f"{who}：未选择罚款种类，不应填写罚款数额")
        if p.measures and set(p.measures) & CONFISCATION_MEASURES and p.confiscation <= 0:
            found.append(f"{who}：拟没收的，应写明没收数额")
    elif p.outcome == NO_PENALTY:
        if not p.exempt_ground:
            found.append(f"{who}：不予处罚的，应写明情形（轻微并及时改正、首违轻微或无主观过错）"
                         f"（《行政处罚法》第三十三条）")
        if p.fine or p.confiscation or p.measures:
            found.append(f"{who}：不予处罚的，不应有处罚种类或罚没数额")
        if p.waived_amount < 0:
            found.append(f"{who}：免除罚款数额不能为负数")
    elif p.outcome == TRANSFER:
        if not criminal_transfer_made:
            found.append(f"{who}：移送司法机关的，应先制作案件移送书（《行政处罚法》第二十七条，"
                         f"《行政执法机关移送涉嫌犯罪案件的规定》第六条）")
    else:
        found.append(f"{who}：处理结果不正确")
    return found
