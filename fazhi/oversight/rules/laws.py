"""The texts the oversight rules apply, in the `Citation` style of
`fazhi.legal.rules.citations` (law, version, article, the element it supports).

Confidence (../shared/reference/hazards_rewards_certificates.yaml and searches made
while writing this module):
- 安全生产领域举报奖励办法 (安监总财〔2018〕19号): the amounts (15 %, 3,000 – 300,000
  yuan; 30,000 / 40,000 / 50,000 / 60,000 yuan per concealed death, at most 300,000) are
  confirmed by the 2018 announcement and many local texts; the NUMBER of the article that
  sets them was not read, so citations name it as 待核实.
- 安全生产举报奖励办法 (安监总财〔2012〕63号) 第十条第三项: feedback to the tipster within
  10 days after verification (read in the 2012 text); the 2018 text keeps the
  confidentiality principle, its feedback article 待核实.
- Handling within 60 days of acceptance, extension ≤ 30 days with approval: the 2012
  practice as reference.yaml records it (medium) and several provincial rules repeat it;
  the national article 待核实.
- 政府信息公开条例 (2019): 第三十条 (补正 within 7 working days), 第三十一条 (day of
  receipt), 第三十三条 (20 working days, extension ≤ 20 with approval), 第三十六条 (kinds
  of answer), 第四十条 (form): read in the 2019 text (several pages agree).
"""

from __future__ import annotations

import datetime

from fazhi.legal.rules.citations import WSL, Citation, LawVersion, cite

D = datetime.date
PENDING = "（条号待核实）"

# 安全生产领域举报奖励办法, 原国家安全监管总局、财政部 2018-01-04 印发.
TIP_REWARD_2018 = LawVersion("TIP_REWARD", "安全生产领域举报奖励办法（安监总财〔2018〕19号）",
                             "2018", D(2018, 1, 4))
# 安全生产举报奖励办法 (安监总财〔2012〕63号), replaced by the 2018 text.
TIP_REWARD_2012 = LawVersion("TIP_REWARD", "安全生产举报奖励办法（安监总财〔2012〕63号）",
                             "2012", D(2012, 5, 2), D(2018, 1, 4))
# 应急管理部关于进一步加强安全生产举报工作的指导意见 (应急〔2023〕106号, 2023-10-18).
TIP_GUIDANCE_2023 = LawVersion(
    "TIP_GUIDANCE", "应急管理部关于进一步加强安全生产举报工作的指导意见（应急〔2023〕106号）",
    "2023", D(2023, 10, 18))
# 中华人民共和国政府信息公开条例, 2019-04-03 修订, in force 2019-05-15.
OGI_2019 = LawVersion("OGI", "中华人民共和国政府信息公开条例", "2019", D(2019, 5, 15))


def reward_basis() -> Citation:
    """安全生产法 第七十六条: rewards for those who report (the legal basis)."""
    return cite(WSL, "第七十六条", "reward.basis")


def reward_amounts(applies_to: str) -> Citation:
    return cite(TIP_REWARD_2018, f"奖励标准{PENDING}", applies_to)
