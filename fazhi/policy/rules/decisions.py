"""Major administrative decisions (重大行政决策): the five statutory steps and the gate of
adoption, pure.

《重大行政决策程序暂行条例》（国务院令第713号，2019年9月1日起施行）. Article numbers
below are from the 条例's chapter structure as recalled (第二章第二节公众参与、第三节专家论证、
第四节风险评估; 第三章第一节合法性审查、第二节集体讨论决定和决策公布; 第四章决策执行和调整);
the wording of the 30-day comment period was confirmed in secondary republications, its
article number (第十四条) was not read in the official text: every citation here keeps the
flag `verified=False` until checked (shown as 待核实). The 条例 governs county-level and
higher governments; their departments follow it 参照 (参照执行条款, 条号待核实).

Periods are counted as 民法典第二百零一条 says: the first day is not counted, so a
comment period opened on 1 March and closing on 31 March lasts 30 days."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from fazhi.legal.rules.citations import Citation

REGULATION = "重大行政决策程序暂行条例"
VERSION = "国务院令第713号"

PUBLIC, EXPERT, RISK, LEGALITY, COLLECTIVE = (
    "public", "expert", "risk", "legality", "collective")

COMMENT_MIN_DAYS = 30  # 公开征求意见的期限一般不少于30日 (第十四条, 条号待核实)


def _c(article: str, applies_to: str) -> Citation:
    return Citation(law=REGULATION, version=VERSION, article=article, applies_to=applies_to)


@dataclass(frozen=True)
class StepRule:
    kind: str
    label: str
    citation: Citation
    verified: bool = False


# The five statutory steps, in the order the 条例 sets them out.
STEPS: tuple[StepRule, ...] = (
    StepRule(PUBLIC, "公众参与", _c("第十三条至第十八条", "public_participation")),
    StepRule(EXPERT, "专家论证", _c("第十九条至第二十一条", "expert_argumentation")),
    StepRule(RISK, "风险评估", _c("第二十二条至第二十四条", "risk_assessment")),
    StepRule(LEGALITY, "合法性审查", _c("第二十五条至第二十八条", "legality_review")),
    StepRule(COLLECTIVE, "集体讨论决定", _c("第三十条", "collective_discussion")),
)
STEP_BY_KIND: dict[str, StepRule] = {s.kind: s for s in STEPS}
C_COMMENT_PERIOD = _c("第十四条", "comment_period")
C_LEGALITY_FIRST = _c("第二十五条", "legality_review")
C_PUBLISH = _c("第三十二条", "publication")
C_EVALUATION = _c("第三十五条", "evaluation")
C_CATALOGUE = _c("第三条第三款", "catalogue")
C_PERIOD_COUNT = Citation(law="中华人民共和国民法典", version="2020", article="第二百零一条",
                          applies_to="period_counting")


def cite_text(c: Citation) -> str:
    return f"《{c.law}》{c.article}（待核实）" if c.law == REGULATION else f"《{c.law}》{c.article}"


@dataclass(frozen=True)
class StepFacts:
    """One step as recorded."""

    kind: str
    started_on: datetime.date
    completed_on: datetime.date | None = None
    comment_from: datetime.date | None = None
    comment_until: datetime.date | None = None
    urgent_reason: str = ""
    legality: str = ""   # "legal" / "illegal" / ""
    comments_unanswered: int = 0


@dataclass(frozen=True)
class Gap:
    """A reason the decision cannot be adopted yet."""

    kind: str  # the step concerned
    message: str
    citation: Citation

    def __str__(self) -> str:
        return f"{self.message}（{cite_text(self.citation)}）"


def comment_days(opened: datetime.date, closes: datetime.date) -> int:
    """The length of a comment period: the opening day is not counted (民法典第二百零一条)."""
    return (closes - opened).days


def comment_period_gaps(opened: datetime.date | None, closes: datetime.date | None,
                        urgent_reason: str = "") -> list[Gap]:
    """公开征求意见的期限一般不少于30日；因情况紧急等原因需要缩短期限的，公开征求意见时
    应当予以说明 (第十四条)."""
    if opened is None or closes is None:
        return [Gap(PUBLIC, "请填写公开征求意见的起止日期", C_COMMENT_PERIOD)]
    if closes < opened:
        return [Gap(PUBLIC, "征求意见截止日期不能早于开始日期", C_COMMENT_PERIOD)]
    days = comment_days(opened, closes)
    if days < COMMENT_MIN_DAYS and not urgent_reason.strip():
        return [Gap(PUBLIC, f"公开征求意见期限为{days}日，不足{COMMENT_MIN_DAYS}日且未说明"
                            "缩短期限的理由", C_COMMENT_PERIOD)]
    return []


def step_gaps(step: StepFacts) -> list[Gap]:
    """What one recorded step still lacks."""
    rule = STEP_BY_KIND[step.kind]
    gaps: list[Gap] = []
    if step.completed_on is None:
        gaps.append(Gap(step.kind, f"「{rule.label}」尚未完成", rule.citation))
    elif step.completed_on < step.started_on:
        gaps.append(Gap(step.kind, f"「{rule.label}」完成日期早于开始日期", rule.citation))
    if step.kind == PUBLIC:
        gaps.extend(comment_period_gaps(step.comment_from, step.comment_until,
                                        step.urgent_reason))
        if step.comments_unanswered:
            gaps.append(Gap(PUBLIC, f"尚有{step.comments_unanswered}条公众意见未说明采纳情况",
                            _c("第十七条", "public_participation")))
    if step.kind == LEGALITY and step.completed_on is not None and step.legality != "legal":
        gaps.append(Gap(LEGALITY, "未经合法性审查或者经审查不合法的，不得提交决策机关讨论",
                        C_LEGALITY_FIRST))
    return gaps


def adoption_gaps(steps: Mapping[str, StepFacts],
                  adopted_on: datetime.date | None) -> list[Gap]:
    """Why a decision may not be marked adopted (决定): each missing or incomplete step
    with its article; the legality review completed before the collective discussion;
    adoption on or after the discussion. Empty: it may be adopted."""
    gaps: list[Gap] = []
    for rule in STEPS:
        step = steps.get(rule.kind)
        if step is None:
            gaps.append(Gap(rule.kind, f"缺少法定程序「{rule.label}」", rule.citation))
        else:
            gaps.extend(step_gaps(step))
    legality, collective = steps.get(LEGALITY), steps.get(COLLECTIVE)
    if (legality and collective and legality.completed_on
            and legality.completed_on > collective.started_on):
        gaps.append(Gap(LEGALITY, "合法性审查应当在提交集体讨论之前完成", C_LEGALITY_FIRST))
    if adopted_on is None:
        gaps.append(Gap(COLLECTIVE, "请填写决定日期", STEP_BY_KIND[COLLECTIVE].citation))
    elif collective and collective.completed_on and adopted_on < collective.completed_on:
        gaps.append(Gap(COLLECTIVE, "决定日期不能早于集体讨论日期",
                        STEP_BY_KIND[COLLECTIVE].citation))
    return gaps


def refusal_message(gaps: list[Gap]) -> str:
    """One sentence naming every missing step and its article."""
    missing = [g for g in gaps if g.message.startswith("缺少法定程序")]
    head = ""
    if missing:
        head = "缺少法定程序：" + "、".join(
            f"{STEP_BY_KIND[g.kind].label}（{cite_text(g.citation)}）" for g in missing) + "。"
    rest = [str(g) for g in gaps if g not in missing]
    return "不得作出决定：" + head + "；".join(rest)
