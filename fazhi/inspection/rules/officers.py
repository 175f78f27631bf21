"""Who may carry out an inspection (pure: the caller supplies each officer's facts).

- 《行政处罚法》(2021) 第四十二条: enforcement by officers holding enforcement
  qualifications (执法证), no fewer than two.
- 《行政处罚法》(2021) 第四十三条: an officer recused (回避) for the party may not act.
- 《行政处罚法》(2021) 第十七条: penalties are imposed by the competent agency within its
  powers, so the inspecting officers are its own (staff of other departments in a
  joint inspection are named as departments, not as officers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_OFFICERS = 2  # 行政处罚法 第四十二条


@dataclass(frozen=True)
class OfficerFacts:
    name: str
    is_active_officer: bool   # role officer and account active
    of_agency: bool           # staff of the inspecting agency
    certified: bool           # a certificate valid on the inspection date
    recused: bool             # a recusal for this enterprise in force on that date


def officer_problems(officers: Sequence[OfficerFacts], on_text: str) -> list[str]:
    """Every reason (Chinese) the officers may not carry out the inspection on the day
    written `on_text` (e.g. 2024年05月06日); empty when they may."""
    problems = []
    if len(officers) < MIN_OFFICERS:
        problems.append(
            f"检查人员不得少于{MIN_OFFICERS}人（《行政处罚法》第四十二条），当前{len(officers)}人")
    for officer in officers:
        if not officer.is_active_officer:
            problems.append(f"{officer.name}不是在岗执法人员，不能承担执法工作")
        elif not officer.of_agency:
            problems.append(f"{officer.name}不是本机关执法人员，不能以本机关名义检查")
        elif not officer.certified:
            problems.append(f"{officer.name}于{on_text}无有效执法证，不能承担执法工作"
                            "（《行政处罚法》第四十二条）")
        if officer.recused:
            problems.append(f"{officer.name}已对该单位回避，不能参加检查（《行政处罚法》第四十三条）")
    return problems
