"""Procedure rules of 行政处罚 (administrative penalties): pure functions, no database.

What the law requires of the procedure for a set of facts: summary procedure, hearing
rights and the hearing notice, legal review, collective discussion, the limitation
period, which version of a law applies (从旧兼从轻) and whether a case must be
transferred to the police. Every result carries the articles it rests on, with
`applies_to` naming the response element of `POST /api/v1/legal/assess`
(../shared/specs/assess_api.md). Facts: ../shared/reference/procedure.yaml.

Conventions:
- Money is `Decimal` yuan; integers and decimal strings are accepted, floats refused.
- "以上" / "以下" include the number itself (立法惯例; the 2015 emergency-management
  rule 第六十七条 says so for its own amounts; procedure.yaml `date_computation_conventions`,
  confidence medium). So 200 yuan is still "二百元以下" and 20000 yuan is "二万元以上".
- Measure codes are the spec's (`proposed.measures`) plus procedure.yaml's hearing
  codes `downgrade_qualification`, `other_heavy`, `other_statutory`.
"""

from __future__ import annotations

import calendar as _calendar
import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.rules.calendar import Schedule
from fazhi.core.rules.money import parse_yuan
from fazhi.legal.rules.citations import (
    APL,
    APL_2017,
    CIVIL_CODE,
    EM_PENALTY_RULE_2015,
    LEGISLATION_LAW_2000,
    LEGISLATION_LAW_2015,
    TRANSFER_REG,
    WORK_SAFETY_CRIMINAL_INTERP,
    Citation,
    LawVersion,
    cite,
    version_in_force,
)

UNIT = "unit"
INDIVIDUAL = "individual"
PARTY_TYPES = (UNIT, INDIVIDUAL)

# Measures (spec `proposed.measures`, plus the hearing codes of procedure.yaml).
WARNING = "warning"
FINE = "fine"
CONFISCATE_GAINS = "confiscate_gains"
CONFISCATE_PROPERTY = "confiscate_property"
ORDER_CORRECT = "order_correct_within_deadline"
SUSPEND_BUSINESS = "suspend_business"
REVOKE_PERMIT = "revoke_permit"
CLOSE = "close"
RESTRICT_PRACTICE = "restrict_practice"
DOWNGRADE_QUALIFICATION = "downgrade_qualification"
OTHER_HEAVY = "other_heavy"
OTHER_STATUTORY = "other_statutory"
MEASURES = frozenset({
    WARNING, FINE, CONFISCATE_GAINS, CONFISCATE_PROPERTY, ORDER_CORRECT, SUSPEND_BUSINESS,
    REVOKE_PERMIT, CLOSE, RESTRICT_PRACTICE, DOWNGRADE_QUALIFICATION, OTHER_HEAVY,
    OTHER_STATUTORY,
})

_ONE_DAY = datetime.timedelta(days=1)


# --- input checks (Chinese messages: the API turns them into 422) --------------------

def _party(party_type: str) -> str:
    if party_type not in PARTY_TYPES:
        raise ValueError(f"当事人类型（party_type）应为 unit（单位）或 individual（个人），"
                         f"收到“{party_type}”")
    return party_type


def _money(value: Decimal | int | str | None, name: str) -> Decimal | None:
    """A yuan amount as Decimal (None stays None); floats and negatives refused."""
    return None if value is None else parse_yuan(value, name)


def _measures(measures: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(measures)
    unknown = sorted(chosen - MEASURES)
    if unknown:
        raise ValueError(f"未知的处罚种类代码（proposed.measures）：{'、'.join(unknown)}")
    return chosen


def _yuan(amount: Decimal) -> int | str:
    """A response amount: an integer when whole, else a 2-decimal string."""
    if amount == amount.to_integral_value():
        return int(amount)
    return str(amount.quantize(Decimal("0.01")))


# --- 1. summary procedure (当场处罚 / 简易程序) ----------------------------------------

# 行政处罚法(2021) 第五十一条: 违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者
# 其他组织处以三千元以下罚款或者警告的行政处罚的，可以当场作出行政处罚决定。法律另有规定的，
# 从其规定。
# 行政处罚法(2017) 第三十三条: 同上，但为对公民五十元以下、对法人或者其他组织一千元以下罚款。
# (The 2015 emergency-management rule's 50/1000 is superseded by the 2021 law: yaml high.)
SUMMARY_MAX_FINE: dict[str, dict[str, Decimal]] = {
    "2021": {INDIVIDUAL: Decimal(200), UNIT: Decimal(3000)},
    "2017": {INDIVIDUAL: Decimal(50), UNIT: Decimal(1000)},
}
# Measures compatible with the summary procedure: a warning, a small fine, and the order
# to correct, which is not itself a penalty (行政处罚法 第二十八条第一款: 实施行政处罚时应当
# 责令当事人改正或者限期改正违法行为).
_SUMMARY_MEASURES = frozenset({WARNING, FINE, ORDER_CORRECT})


@dataclass(frozen=True)
class SummaryProcedureResult:
    allowed: bool
    law_version: str  # "2021" / "2017": the 行政处罚法 text applied (by the decision date)
    max_fine: Decimal  # the summary-procedure ceiling for this party type
    reasons: tuple[str, ...]  # why not allowed (empty when allowed)
    citations: tuple[Citation, ...]


def summary_procedure_allowed(
    *,
    party_type: str,
    facts_conclusive: bool,
    measures: Iterable[str] = (),
    fine: Decimal | int | str | None = None,
    confiscation: Decimal | int | str | None = None,
    decided: datetime.date | None = None,
) -> SummaryProcedureResult:
    """Whether the penalty may be decided on the spot (当场作出).

    The procedural text in force on the decision date applies (`decided`; without it the
    current 2021 text): 行政处罚法(2021) 第五十一条, or 第三十三条 of the 2017 text for
    decisions before 2021-07-15."""
    party = _party(party_type)
    chosen = _measures(measures)
    amount = _money(fine, "拟罚款数额（proposed.fine）")
    confiscated = _money(confiscation, "拟没收数额（proposed.confiscation）")
    law = APL if decided is None or decided >= APL.effective else APL_2017
    article = "第五十一条" if law is APL else "第三十三条"
    ceiling = SUMMARY_MAX_FINE[law.version][party]
    party_word = "公民" if party == INDIVIDUAL else "法人或者其他组织"

    reasons: list[str] = []
    if not facts_conclusive:
        reasons.append("违法事实不确凿或者没有法定依据")
    heavier = sorted(chosen - _SUMMARY_MEASURES)
    if heavier:
        reasons.append(f"拟作出警告、罚款以外的处罚（{'、'.join(heavier)}）")
    if confiscated:
        reasons.append("拟没收违法所得或者非法财物")
    if amount is not None and amount > ceiling:
        reasons.append(f"对{party_word}拟罚款{_yuan(amount)}元，超过当场处罚上限"
                       f"{_yuan(ceiling)}元")
    if FINE in chosen and amount is None:
        raise ValueError("拟作出罚款但未提供罚款数额（proposed.fine）")
    if not (chosen & {WARNING, FINE}) and not amount:
        reasons.append("未拟作出警告或者罚款")
    citations = [cite(law, article, "summary_procedure_allowed")]
    if ORDER_CORRECT in chosen:
        citations.append(cite(law, "第二十八条第一款" if law is APL else "第二十三条",
                              "summary_procedure_allowed"))
    return SummaryProcedureResult(
        allowed=not reasons, law_version=law.version, max_fine=ceiling,
        reasons=tuple(reasons), citations=tuple(citations))


# --- 2. hearing rights and the hearing notice ----------------------------------------

@dataclass(frozen=True)
class LargeFineThreshold:
    """The "较大数额" of 行政处罚法 第六十三条第一款第（一）（二）项 for one jurisdiction
    (the spec's `threshold_used`); amounts AT the threshold count (以上含本数).

    The law leaves the figure to provinces (省级人大常委会或者人民政府); where a province
    has set none, the department rule's default applies. `citation` names the basis."""

    individual_min: Decimal
    unit_min: Decimal
    citation: Citation | None = None

    def __post_init__(self) -> None:
        for name in ("individual_min", "unit_min"):
            value = _money(getattr(self, name), f"较大数额罚款标准（{name}）")
            if not value:
                raise ValueError(f"较大数额罚款标准（{name}）应为正数")
            object.__setattr__(self, name, value)

    def minimum_for(self, party_type: str) -> Decimal:
        return self.individual_min if _party(party_type) == INDIVIDUAL else self.unit_min

    def as_dict(self) -> dict[str, int | str]:
        return {"individual_min": _yuan(self.individual_min), "unit_min": _yuan(self.unit_min)}


# 安全生产违法行为行政处罚办法(2015) 第三十三条第二款: 较大数额罚款，为省、自治区、直辖市人大
# 常委会或者人民政府规定的数额；没有规定数额的，对个人罚款为2万元以上，对生产经营单位罚款为
# 5万元以上。
# CONFIDENCE MEDIUM, NOT CONFIRMED: procedure.yaml gives 2万/5万 (含本数) as the usual
# statement of the 2015 rule; a page quoting the same article gives 个人1万元/单位3万元
# (found again while verifying: probably the 2007 wording). The article text itself could
# not be read. No Zhejiang (330400) figure was found, so Zhejiang uses this default until
# configured. The 2015 rule is repealed from 2026-02-01 by 应急管理部令第18号, whose
# threshold is unknown: for notices from that date this default is unverified.
DEFAULT_LARGE_FINE_THRESHOLD = LargeFineThreshold(
    individual_min=Decimal(20000), unit_min=Decimal(50000),
    citation=cite(EM_PENALTY_RULE_2015, "第三十三条第二款", "threshold_used"))

# 行政处罚法(2021) 第六十三条第一款: 拟作出下列行政处罚决定，应当告知当事人有要求听证的权利：
#   （一）较大数额罚款；（二）没收较大数额违法所得、没收较大价值非法财物；
#   （三）降低资质等级、吊销许可证件；（四）责令停产停业、责令关闭、限制从业；
#   （五）其他较重的行政处罚；（六）法律、法规、规章规定的其他情形。
# Warnings, 通报批评 and fines below the threshold carry no hearing right; the order to
# correct is not a penalty.
_HEARING_ITEM = {
    DOWNGRADE_QUALIFICATION: "第六十三条第一款第（三）项",
    REVOKE_PERMIT: "第六十三条第一款第（三）项",
    SUSPEND_BUSINESS: "第六十三条第一款第（四）项",  # includes 责令停产停业整顿 (yaml)
    CLOSE: "第六十三条第一款第（四）项",
    RESTRICT_PRACTICE: "第六十三条第一款第（四）项",
    OTHER_HEAVY: "第六十三条第一款第（五）项",
    OTHER_STATUTORY: "第六十三条第一款第（六）项",
}


@dataclass(frozen=True)
class HearingRightsResult:
    hearing_rights: bool
    threshold_used: LargeFineThreshold
    triggers: tuple[str, ...]  # the measure codes that carry the right, in a fixed order
    citations: tuple[Citation, ...]


def hearing_rights(
    *,
    party_type: str,
    measures: Iterable[str] = (),
    fine: Decimal | int | str | None = None,
    confiscation: Decimal | int | str | None = None,
    threshold: LargeFineThreshold = DEFAULT_LARGE_FINE_THRESHOLD,
) -> HearingRightsResult:
    """Whether the party must be told of the right to a hearing (行政处罚法(2021) 第六十三条).

    `fine` is the proposed fine; `confiscation` the value of the proposed confiscation of
    illegal gains or property. The law gives no separate figure for "没收较大数额违法所得 /
    较大价值非法财物"; the same jurisdiction threshold is applied to it (a reading, flagged:
    the 2015 emergency-management rule names only 较大数额罚款). Encodes the 2021 text
    (hearings noticed from 2021-07-15)."""
    party = _party(party_type)
    chosen = _measures(measures)
    amount = _money(fine, "拟罚款数额（proposed.fine）")
    confiscated = _money(confiscation, "拟没收数额（proposed.confiscation）")
    if FINE in chosen and amount is None:
        raise ValueError("拟作出罚款但未提供罚款数额（proposed.fine）")
    if chosen & {CONFISCATE_GAINS, CONFISCATE_PROPERTY} and confiscated is None:
        raise ValueError("拟没收违法所得或者非法财物但未提供没收数额（proposed.confiscation）")
    minimum = threshold.minimum_for(party)

    triggers: list[str] = []
    citations: list[Citation] = []
    if amount is not None and amount >= minimum:
        triggers.append(FINE)
        citations.append(cite(APL, "第六十三条第一款第（一）项", "hearing_rights"))
    if confiscated is not None and confiscated >= minimum:
        kinds = [m for m in (CONFISCATE_GAINS, CONFISCATE_PROPERTY) if m in chosen]
        triggers.extend(kinds or [CONFISCATE_GAINS])
        citations.append(cite(APL, "第六十三条第一款第（二）项", "hearing_rights"))
    for measure, article in _HEARING_ITEM.items():
        if measure in chosen:
            triggers.append(measure)
            item = cite(APL, article, "hearing_rights")
            if item not in citations:
                citations.append(item)
    if not triggers:
        citations.append(cite(APL, "第六十三条", "hearing_rights"))
    if threshold.citation is not None:
        citations.append(threshold.citation)
    return HearingRightsResult(
        hearing_rights=bool(triggers), threshold_used=threshold, triggers=tuple(triggers),
        citations=tuple(citations))


# 行政处罚法(2021) 第六十四条第（二）项: 行政机关应当在举行听证的七日前，通知当事人及有关人员
# 听证的时间、地点; 第八十五条: 本法中"七日"是指工作日，不含法定节假日.
HEARING_NOTICE_WORKING_DAYS = 7


@dataclass(frozen=True)
class HearingNoticeResult:
    compliant: bool
    last_notice_day: datetime.date  # the latest day the notice could be sent
    assumed_years: frozenset[int]  # years counted without a loaded holiday schedule
    citations: tuple[Citation, ...]


def _nth_working_day_before(
    schedule: Schedule, day: datetime.date, n: int
) -> tuple[datetime.date, frozenset[int]]:
    """The n-th working day before `day`, counting back (`day` itself is not counted)."""
    current = day
    remaining = n
    while remaining:
        current -= _ONE_DAY
        if schedule.working(current):
            remaining -= 1
    return current, schedule.unloaded(range(current.year, (day - _ONE_DAY).year + 1))


def hearing_notice_compliant(
    notice_sent: datetime.date, hearing_date: datetime.date, schedule: Schedule
) -> HearingNoticeResult:
    """Whether the hearing notice was sent at least seven working days before the hearing.

    "举行听证的七日前" is counted back from the hearing date, the hearing day itself not
    counted (民法典 第二百零一条's rule that the triggering day is not counted, applied
    backwards): the last compliant day is the 7th working day before the hearing. With a
    hearing on a working day this is the same as counting seven working days after the
    notice (the notice day not counted) and reaching the hearing day. Reading of the text,
    not stated by it; the date the notice was SENT is used, as the spec gives it."""
    if hearing_date < APL.effective:
        raise ValueError("听证日期（dates.hearing_date）早于2021年7月15日，"
                         "本规则只适用修订后的行政处罚法")
    last, assumed = _nth_working_day_before(schedule, hearing_date, HEARING_NOTICE_WORKING_DAYS)
    return HearingNoticeResult(
        compliant=notice_sent <= last, last_notice_day=last, assumed_years=assumed,
        citations=(cite(APL, "第六十四条第（二）项", "hearing_notice_compliant"),
                   cite(APL, "第八十五条", "hearing_notice_compliant")))


# --- 3. legal review (法制审核) and collective discussion (集体讨论) --------------------

@dataclass(frozen=True)
class DecisionRequirement:
    required: bool
    grounds: tuple[str, ...]  # the circumstances found, in Chinese
    citations: tuple[Citation, ...]


def legal_review_required(
    *,
    major_public_interest: bool = False,
    major_rights: bool = False,
    hearing_held: bool = False,
    complex: bool = False,
    multiple_legal_relations: bool = False,
    other_statutory: bool = False,
) -> DecisionRequirement:
    """行政处罚法(2021) 第五十八条第一款: before the head of the agency decides, the case
    must pass legal review where (一) it involves a major public interest; (二) it directly
    concerns a major right of the party or a third party AND a hearing was held; (三) the
    case is 疑难复杂、涉及多个法律关系; (四) a law or regulation requires it.

    Item (三) is read disjunctively (either fact suffices): "、" in 第六十三条 also joins
    alternatives, and a review not strictly required is harmless while a missing one bars
    the decision ("未经法制审核或者审核未通过的，不得作出决定"). Flagged as a reading."""
    items: list[tuple[str, str]] = []
    if major_public_interest:
        items.append(("第（一）项", "涉及重大公共利益"))
    if major_rights and hearing_held:
        items.append(("第（二）项", "直接关系当事人或者第三人重大权益，经过听证程序"))
    if complex or multiple_legal_relations:
        found = "、".join(t for t, f in (("案件情况疑难复杂", complex),
                                         ("涉及多个法律关系", multiple_legal_relations)) if f)
        items.append(("第（三）项", found))
    if other_statutory:
        items.append(("第（四）项", "法律、法规规定应当进行法制审核的其他情形"))
    citations = tuple(cite(APL, f"第五十八条第一款{item}", "legal_review_required")
                      for item, _ in items) or (
        cite(APL, "第五十八条第一款", "legal_review_required"),)
    return DecisionRequirement(
        required=bool(items), grounds=tuple(text for _, text in items), citations=citations)


@dataclass(frozen=True)
class CollectiveDiscussionConfig:
    """Local practice on 集体讨论 beyond the law.

    `hearing_level_penalties`: some emergency-management bureaus also send every penalty
    that carries hearing rights (including 较大数额罚款 at the jurisdiction's threshold) to
    collective discussion. procedure.yaml gives this as local practice seen on a single
    page (confidence LOW); it could not be confirmed as a national or emergency-management
    rule (the 2015 rule's text was not readable), so it is off by default."""

    hearing_level_penalties: bool = False


DEFAULT_COLLECTIVE_DISCUSSION = CollectiveDiscussionConfig()


def collective_discussion_required(
    *,
    complex: bool = False,
    major_violation: bool = False,
    especially_serious_and_egregious: bool = False,
    heavier_penalty: bool = False,
    hearing_level: bool = False,
    decided: datetime.date | None = None,
    config: CollectiveDiscussionConfig = DEFAULT_COLLECTIVE_DISCUSSION,
) -> DecisionRequirement:
    """Whether the agency's heads must decide collectively.

    行政处罚法(2021) 第五十七条第二款: 对情节复杂或者重大违法行为给予行政处罚，行政机关负责人
    应当集体讨论决定. The 2017 text (第三十八条第二款, decisions before 2021-07-15) required
    it only when a 较重的行政处罚 was given (`heavier_penalty`).

    A violation 情节特别严重、影响特别恶劣 (`especially_serious_and_egregious`) is taken as
    a 重大违法行为 (a reading: the law does not define 重大). `hearing_level` is whether the
    proposed penalty carries hearing rights (see `hearing_rights`); it matters only under
    the local practice enabled in `config`."""
    law = APL if decided is None or decided >= APL.effective else APL_2017
    article = "第五十七条第二款" if law is APL else "第三十八条第二款"
    grounds: list[str] = []
    if complex:
        grounds.append("情节复杂")
    if major_violation or especially_serious_and_egregious:
        grounds.append("重大违法行为")
    if law is APL_2017 and not heavier_penalty:
        grounds.clear()  # the 2017 text needs a heavier penalty as well
    elif law is APL_2017 and grounds:
        grounds.append("给予较重的行政处罚")
    citations = [cite(law, article, "collective_discussion_required")]
    if config.hearing_level_penalties and hearing_level:
        grounds.append("拟作出的处罚属于应当告知听证权利的处罚（本地规定）")
        citations.append(cite(APL, "第六十三条", "collective_discussion_required"))
    return DecisionRequirement(
        required=bool(grounds), grounds=tuple(grounds), citations=tuple(citations))


# --- 4. limitation (追责时效) ----------------------------------------------------------

def add_years(day: datetime.date, years: int) -> datetime.date:
    """The last day of a period of `years` years triggered on `day`.

    民法典 第二百零一条: the triggering day is not counted; 第二百零二条: a period in years
    ends on the corresponding day of the final month, or that month's last day when it has
    no such day (29 February → 28 February)."""
    year = day.year + years
    last = _calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


@dataclass(frozen=True)
class LimitationResult:
    years: int
    expired: bool
    last_day: datetime.date  # the last day on which discovery is still in time
    law_version: str
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, int | bool]:
        return {"years": self.years, "expired": self.expired}


def limitation(
    *,
    violation_ended: datetime.date,
    discovered: datetime.date,
    involves_life_health_or_financial_safety: bool = False,
    harmful_consequence: bool = False,
) -> LimitationResult:
    """Whether the time to penalise has run (行政处罚法(2021) 第三十六条).

    第一款: 违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有
    危害后果的，上述期限延长至五年。法律另有规定的除外。
    第二款: 期限从违法行为发生之日起计算；违法行为有连续或者继续状态的，从行为终了之日起计算.
    So `violation_ended` is the day the act happened, or the day a continuing / continuous
    act ended. Discovery ON the last day is in time; the next day it has run. No
    rest-day extension (民法典 第二百零三条 governs a party's acts, not the agency's discovery).

    The 2017 text (第二十九条) had the two-year period only; the five-year extension is
    heavier, so under 从旧兼从轻 (第三十七条) a violation that ended before 2021-07-15 keeps
    two years. Special laws with other periods ("法律另有规定的除外") are not modelled."""
    if violation_ended >= APL.effective:
        law = APL
        extended = involves_life_health_or_financial_safety and harmful_consequence
        years = 5 if extended else 2
        citations = [cite(APL, "第三十六条第一款", "limitation"),
                     cite(APL, "第三十六条第二款", "limitation")]
    else:
        law = APL_2017
        years = 2
        citations = [cite(APL_2017, "第二十九条第一款", "limitation"),
                     cite(APL_2017, "第二十九条第二款", "limitation")]
        if discovered >= APL.effective:
            citations.append(cite(APL, "第三十七条", "limitation"))
    citations += [cite(CIVIL_CODE, "第二百零一条", "limitation"),
                  cite(CIVIL_CODE, "第二百零二条", "limitation")]
    last = add_years(violation_ended, years)
    return LimitationResult(
        years=years, expired=discovered > last, last_day=last, law_version=law.version,
        citations=tuple(citations))


# --- 5. which version of a law applies (从旧兼从轻) -------------------------------------

@dataclass(frozen=True)
class PenaltyRange:
    """The statutory penalty for one provision under one version of a law: the fine range
    in yuan (or a rate, compared the same way) and the other measures it imposes."""

    min: Decimal
    max: Decimal
    measures: frozenset[str] = frozenset()
    article: str = ""  # e.g. "第九十四条", named in the citation of the version applied

    def __post_init__(self) -> None:
        low = _money(self.min, "处罚幅度下限")
        high = _money(self.max, "处罚幅度上限")
        if low is None or high is None:
            raise ValueError("处罚幅度的上下限均须提供")
        if low > high:
            raise ValueError("处罚幅度下限不能高于上限")
        object.__setattr__(self, "min", low)
        object.__setattr__(self, "max", high)
        object.__setattr__(self, "measures", _measures(self.measures))


PenaltyUnder = (Callable[[LawVersion], PenaltyRange | None]
                | Mapping[LawVersion, PenaltyRange | None])


@dataclass(frozen=True)
class LawChoice:
    version: LawVersion
    rule: str  # "old": the law when the act happened; "new": the lighter later law;
    # "repealed": the old law was repealed before the decision with no successor given
    reason: str  # in Chinese
    penalty: PenaltyRange | None  # None: the chosen version does not punish the act
    citations: tuple[Citation, ...]


def _penalty(penalty_under: PenaltyUnder, version: LawVersion) -> PenaltyRange | None:
    if isinstance(penalty_under, Mapping):
        if version not in penalty_under:
            raise ValueError(f"未提供{version.name}（{version.version}年版本）规定的处罚幅度")
        return penalty_under[version]
    return penalty_under(version)


def _lighter(new: PenaltyRange, old: PenaltyRange) -> bool:
    """Whether `new` punishes more lightly than `old`.

    The statute does not say how to compare; the criminal-law rule is borrowed by analogy
    (最高人民法院关于适用刑法第十二条几个问题的解释: 处刑较轻 = 法定最高刑较轻；法定最高刑相同
    的，法定最低刑较轻). Measures: a new text adding a kind of penalty is not lighter; one
    dropping a kind is lighter unless its fine is heavier. Ties are not lighter."""
    if not new.measures <= old.measures:
        return False
    if new.measures < old.measures:
        return new.max <= old.max and new.min <= old.min
    if new.max != old.max:
        return new.max < old.max
    return new.min < old.min


def choose_law_version(
    versions: tuple[LawVersion, ...],
    violation_ended: datetime.date,
    decided: datetime.date,
    penalty_under: PenaltyUnder,
) -> LawChoice:
    """从旧兼从轻: the version in force when the violation happened (for a continuing act,
    when it ended), unless the version in force at the decision punishes more lightly or
    no longer punishes the act (行政处罚法(2021) 第三十七条: 实施行政处罚，适用违法行为发生
    时的法律、法规、规章的规定。但是，作出行政处罚决定时，法律、法规、规章已被修改或者废止，
    且新的规定处罚较轻或者不认为是违法的，适用新的规定).

    Decisions before 2021-07-15 rest on 立法法 (2015 第九十三条 / 2000 第八十四条: 不溯及既往,
    但为了更好地保护公民、法人和其他组织的权利和利益而作的特别规定除外).
    `penalty_under` gives the statutory range under each version (a callable or a mapping
    keyed by LawVersion); None means that version does not punish the act."""
    if decided < violation_ended:
        raise ValueError("作出决定日期（dates.decided）不能早于违法行为终了日期"
                         "（dates.violation_ended）")
    if not versions:
        raise ValueError("未提供法律版本")
    old = version_in_force(versions, violation_ended)
    if decided >= APL.effective:
        basis = cite(APL, "第三十七条", "provision_applied")
    elif decided >= LEGISLATION_LAW_2015.effective:
        basis = cite(LEGISLATION_LAW_2015, "第九十三条", "provision_applied")
    else:
        basis = cite(LEGISLATION_LAW_2000, "第八十四条", "provision_applied")
    old_penalty = _penalty(penalty_under, old)
    old_name = f"{old.name}（{old.version}年）"
    try:
        new = version_in_force(versions, decided)
    except ValueError:
        # Repealed before the decision with no successor among `versions`: 已被废止 →
        # the act is no longer punished under it.
        return LawChoice(
            version=old, rule="repealed", penalty=None, citations=(basis,),
            reason=f"{old_name}在作出决定时已被废止且无新规定，依从旧兼从轻原则不再依其处罚")
    new_penalty = old_penalty if new is old else _penalty(penalty_under, new)
    new_name = f"{new.name}（{new.version}年）"

    if new is old:
        rule, chosen, penalty = "old", old, old_penalty
        reason = f"违法行为终了时与作出决定时施行的均为{old_name}，适用该版本"
    elif old_penalty is None:
        rule, chosen, penalty = "old", old, None
        reason = f"违法行为发生时的{old_name}不处罚该行为，新规定不溯及既往"
    elif new_penalty is None:
        rule, chosen, penalty = "new", new, None
        reason = (f"作出决定时施行的{new_name}已不认为该行为违法或者不再处罚，"
                  "依从旧兼从轻原则适用新规定")
    elif _lighter(new_penalty, old_penalty):
        rule, chosen, penalty = "new", new, new_penalty
        reason = (f"违法行为发生时适用{old_name}，作出决定时{new_name}处罚较轻，"
                  "依从旧兼从轻原则适用新规定")
    else:
        rule, chosen, penalty = "old", old, old_penalty
        reason = (f"违法行为发生时施行{old_name}；作出决定时{new_name}处罚不轻于旧规定，"
                  "依从旧兼从轻原则适用违法行为发生时的规定")
    citations = [basis]
    if penalty is not None and penalty.article:
        citations.append(cite(chosen, penalty.article, "provision_applied"))
    return LawChoice(version=chosen, rule=rule, reason=reason, penalty=penalty,
                     citations=tuple(citations))


# --- 6. transfer to the police (移送涉嫌犯罪案件) -------------------------------------

# 法释〔2015〕22号 第六条第一款: 实施刑法第一百三十二条、第一百三十四条第一款、第一百三十五条、
# 第一百三十五条之一、第一百三十六条、第一百三十九条规定的行为，因而发生安全事故，造成死亡
# 一人以上，或者重伤三人以上，或者直接经济损失一百万元以上，或者其他严重后果的，为"造成严重
# 后果"/"发生重大伤亡事故" (the lowest criminal threshold of the work-safety crimes;
# procedure.yaml confidence high). 第八条 (不报、谎报事故) and 刑法 第一百三十四条之一
# (危险作业罪, no numeric threshold) are left to the officer (`other_suspected_crime`).
CRIMINAL_MIN_DEATHS = 1
CRIMINAL_MIN_SERIOUS_INJURIES = 3
CRIMINAL_MIN_DIRECT_LOSS = Decimal(1_000_000)


@dataclass(frozen=True)
class CriminalTransferResult:
    threshold_met: bool
    required: bool
    grounds: tuple[str, ...]
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, bool]:
        return {"threshold_met": self.threshold_met, "required": self.required}


def criminal_transfer(
    *,
    deaths: int = 0,
    serious_injuries: int = 0,
    direct_loss: Decimal | int | str = 0,
    other_serious_consequence: bool = False,
    caused_by_safety_violation: bool = True,
    other_suspected_crime: bool = False,
) -> CriminalTransferResult:
    """Whether an accident case meets the criminal threshold and must be transferred.

    `threshold_met`: the accident reaches 法释〔2015〕22号 第六条 (≥1 death, ≥3 serious
    injuries, ≥100万元 direct loss — 以上 includes the number — or other serious
    consequences). `required`: the threshold is met and the accident followed from a
    violation of safety rules (`caused_by_safety_violation`, the 因而 of 刑法 第一百三十四条),
    or the officer suspects another crime. 行政处罚法 第二十七条第一款 / 第五十七条第一款
    第（四）项 and 行政执法机关移送涉嫌犯罪案件的规定 第三条: a suspected crime must be
    transferred; a fine cannot replace the transfer (第十一条)."""
    for name, count in (("死亡人数", deaths), ("重伤人数", serious_injuries)):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{name}应为非负整数")
    loss = _money(direct_loss, "直接经济损失（accident.direct_loss）")
    assert loss is not None
    grounds: list[str] = []
    if deaths >= CRIMINAL_MIN_DEATHS:
        grounds.append(f"死亡{deaths}人（一人以上）")
    if serious_injuries >= CRIMINAL_MIN_SERIOUS_INJURIES:
        grounds.append(f"重伤{serious_injuries}人（三人以上）")
    if loss >= CRIMINAL_MIN_DIRECT_LOSS:
        grounds.append(f"直接经济损失{_yuan(loss)}元（一百万元以上）")
    if other_serious_consequence:
        grounds.append("其他严重后果")
    threshold_met = bool(grounds)
    required = (threshold_met and caused_by_safety_violation) or other_suspected_crime
    if other_suspected_crime:
        grounds.append("执法人员认为涉嫌其他犯罪")
    citations = (
        cite(WORK_SAFETY_CRIMINAL_INTERP, "第六条第一款", "criminal_transfer"),
        cite(APL, "第二十七条第一款", "criminal_transfer"),
        cite(APL, "第五十七条第一款第（四）项", "criminal_transfer"),
        cite(TRANSFER_REG, "第三条", "criminal_transfer"),
    )
    return CriminalTransferResult(threshold_met=threshold_met, required=required,
                                  grounds=tuple(grounds), citations=citations)
