"""Exemptions (不予处罚 / 首违不罚) and the credit consequences of a penalty: pure functions,
no database.

`exemption(facts)` answers the spec's `exemption` (mandatory | discretionary | none) from
行政处罚法 第三十三条; `credit(...)` answers the spec's `credit` element (earliest credit
repair, latest end of publicity) from the credit-repair rule in force on the decision
date. Facts: ../shared/reference/procedure.yaml (`discretion_and_exemptions.no_penalty`,
`credit_repair`).
"""

from __future__ import annotations

import calendar as _calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from fazhi.legal.rules.citations import (
    APL,
    APL_2017,
    CIVIL_CODE,
    CREDIT_REPAIR_2019,
    CREDIT_REPAIR_2023,
    CREDIT_REPAIR_2025,
    Citation,
    LawVersion,
    cite,
)

MANDATORY = "mandatory"
DISCRETIONARY = "discretionary"
NONE = "none"

_ONE_DAY = datetime.timedelta(days=1)


def _flag(facts: Mapping[str, object], key: str) -> bool | None:
    """A yes/no fact: True, False, or None when not given."""
    value = facts.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"事实“{key}”应为 true 或 false")


# --- 1. exemption (不予行政处罚) -------------------------------------------------------

@dataclass(frozen=True)
class ExemptionGround:
    id: str  # minor_corrected_no_harm | first_violation | no_fault (procedure.yaml ids)
    result: str  # mandatory | discretionary
    text: str  # the rule in Chinese
    article: str


@dataclass(frozen=True)
class ExemptionResult:
    exemption: str  # mandatory | discretionary | none
    grounds: tuple[ExemptionGround, ...]  # every ground met, mandatory first
    guidance_measures: tuple[str, ...]  # Chinese: what goes with not penalising
    undetermined: tuple[str, ...]  # facts not given that could change the answer
    law_version: str
    citations: tuple[Citation, ...]

    def as_value(self) -> str:
        return self.exemption


def exemption(
    facts: Mapping[str, object],
    *,
    decided: datetime.date | None = None,
    no_fault_excluded_by_law: bool = False,
) -> ExemptionResult:
    """Whether the act must, may, or may not go unpunished (spec `exemption`).

    行政处罚法(2021) 第三十三条:
    - 第一款前段: 违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚 → mandatory
      (facts minor, corrected_in_time, harmful_consequence = false).
    - 第一款后段: 初次违法且危害后果轻微并及时改正的，可以不予行政处罚 (首违不罚) →
      discretionary (facts first_violation, harm_minor, corrected_in_time).
    - 第二款: 当事人有证据足以证明没有主观过错的，不予行政处罚。法律、行政法规另有规定的，
      从其规定 → mandatory (fact no_fault_proven), unless `no_fault_excluded_by_law`
      (a law or administrative regulation provides otherwise for the item).
    - 第三款: 对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育 → the
      guidance measure, for every ground (for 首违不罚 once the agency decides not to
      penalise).
    A fact not given is not taken as established: a rule needing `harmful_consequence =
    false` is not met when it is missing, and the missing fact is named in `undetermined`.

    For a decision before 2021-07-15 the 2017 text applies: 第二十七条第二款 (违法行为轻微并
    及时纠正，没有造成危害后果的，不予行政处罚) only; 首违不罚 and no-fault were introduced
    in 2021 (they favour the party, so for later decisions 从旧兼从轻 applies them anyway).
    Not covered: 第三十条 / 第三十一条 (under 14, mental illness), which the spec's facts
    do not carry, and item-level 不罚清单 entries, which the engine checks from the list."""
    apl = APL_2017 if decided is not None and decided < APL.effective else APL
    minor = _flag(facts, "minor")
    corrected = _flag(facts, "corrected_in_time")
    harmful = _flag(facts, "harmful_consequence")
    first = _flag(facts, "first_violation")
    harm_minor = _flag(facts, "harm_minor")
    no_fault = _flag(facts, "no_fault_proven")

    grounds: list[ExemptionGround] = []
    undetermined: list[str] = []

    def needs(**wanted: bool | None) -> bool:
        """All facts as wanted; missing ones recorded when the others already match."""
        values = {"minor": minor, "corrected_in_time": corrected,
                  "harmful_consequence": harmful, "first_violation": first,
                  "harm_minor": harm_minor, "no_fault_proven": no_fault}
        if any(values[k] is not None and values[k] != v for k, v in wanted.items()):
            return False
        missing = [k for k in wanted if values[k] is None]
        undetermined.extend(k for k in missing if k not in undetermined)
        return not missing

    if apl is APL:
        if no_fault and not no_fault_excluded_by_law:
            grounds.append(ExemptionGround(
                "no_fault", MANDATORY, "当事人有证据足以证明没有主观过错的，不予行政处罚",
                "第三十三条第二款"))
        if needs(minor=True, corrected_in_time=True, harmful_consequence=False):
            grounds.append(ExemptionGround(
                "minor_corrected_no_harm", MANDATORY,
                "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚", "第三十三条第一款"))
        if needs(first_violation=True, harm_minor=True, corrected_in_time=True):
            grounds.append(ExemptionGround(
                "first_violation", DISCRETIONARY,
                "初次违法且危害后果轻微并及时改正的，可以不予行政处罚（首违不罚）",
                "第三十三条第一款"))
    elif needs(minor=True, corrected_in_time=True, harmful_consequence=False):
        grounds.append(ExemptionGround(
            "minor_corrected_no_harm", MANDATORY,
            "违法行为轻微并及时纠正，没有造成危害后果的，不予行政处罚", "第二十七条第二款"))

    grounds.sort(key=lambda g: g.result != MANDATORY)
    if any(g.result == MANDATORY for g in grounds):
        result = MANDATORY
    elif grounds:
        result = DISCRETIONARY
    else:
        result = NONE
    if result != NONE:
        undetermined = []  # the answer no longer depends on them

    citations = [cite(apl, g.article, "exemption") for g in grounds]
    guidance: tuple[str, ...] = ()
    if grounds and apl is APL:
        guidance = ("对当事人进行教育" if result == MANDATORY
                    else "决定不予行政处罚的，对当事人进行教育",)
        citations.append(cite(APL, "第三十三条第三款", "exemption"))
    if not citations:
        citations.append(cite(apl, "第三十三条" if apl is APL else "第二十七条第二款",
                              "exemption"))
    return ExemptionResult(
        exemption=result, grounds=tuple(grounds), guidance_measures=guidance,
        undetermined=tuple(undetermined), law_version=apl.version,
        citations=tuple(dict.fromkeys(citations)))


# --- 2. credit: publicity period and credit repair -----------------------------------

@dataclass(frozen=True)
class PublicityPeriod:
    min_months: int | None  # None: repair as soon as the obligations are fulfilled
    max_months: int
    published_by_default: bool = True


# Periods by the rule in force on the decision date (procedure.yaml `credit_repair`),
# counted from the decision date (公示期自行政处罚决定作出之日起计算).
CREDIT_PERIODS: dict[str, dict[str, PublicityPeriod]] = {
    # 发改办财金〔2019〕527号, applied from 2019-07-01: 一般失信 最短3个月、最长1年；严重失信
    # 最短6个月、最长3年. Confirmed on a news report of the notice and a reprint of its
    # serious-period clause (search, pages corpus); yaml: medium.
    "2019": {"general": PublicityPeriod(3, 12), "serious": PublicityPeriod(6, 36)},
    # 失信行为纠正后的信用信息修复管理办法（试行）(令第58号), 2023-05-01 – 2026-03-31:
    # yaml (medium): 一般 3个月–1年, 严重 1年–3年. NOT CONFIRMED: the article text could not
    # be read. A 2023-era local credit office page restating the rule says instead
    # "最短公示期为三个月，最长公示期为三年" and "特种设备、安全生产、消防领域的行政处罚信息，
    # 最短公示期为一年"; the yaml calls that a local variant. Encoded: the yaml reading;
    # `CreditConfig.sector_min_months_2023` applies the one-year sector minimum when set.
    "2023": {"general": PublicityPeriod(3, 12), "serious": PublicityPeriod(12, 36)},
    # 信用修复管理办法 (令2025年第36号), from 2026-04-01: 轻微 原则上不予公示（确有必要公示的
    # 最长3个月，履行完法定责任即可申请修复）; 一般 3个月–1年; 严重 1年–3年. Confirmed on
    # three news reports of the published rule (search, pages corpus), which also say the
    # period runs from the date of the decision (自司法、行政公务文书认定之日起).
    "2025": {"minor": PublicityPeriod(None, 3, published_by_default=False),
             "general": PublicityPeriod(3, 12), "serious": PublicityPeriod(12, 36)},
}

_CREDIT_RULES: tuple[LawVersion, ...] = (CREDIT_REPAIR_2025, CREDIT_REPAIR_2023,
                                         CREDIT_REPAIR_2019)

# The clause of each rule that sets the periods. The article numbers were not read; the
# citation names the rule's provision on 公示期限 without an article number.
_PERIOD_ARTICLE = {"2019": "行政处罚信息公示期限（条目号未核实）",
                   "2023": "行政处罚信息公示期限（条号未核实）",
                   "2025": "失信信息公示期限（条号未核实）"}

SEVERITIES = ("minor", "general", "serious")


@dataclass(frozen=True)
class CreditConfig:
    """Per-jurisdiction credit options. `sector_min_months_2023`: a minimum publicity
    period in months for work-safety penalty information under the 2023 rule (the
    one-year minimum quoted for 特种设备、安全生产、消防 by a local credit office, see
    CREDIT_PERIODS); None (default): the yaml's national periods."""

    sector_min_months_2023: int | None = None


DEFAULT_CREDIT_CONFIG = CreditConfig()


@dataclass(frozen=True)
class CreditResult:
    rule_version: str  # "2019" | "2023" | "2025": the rule in force on the decision date
    severity: str
    published: bool  # False: 轻微 information is not published by default (2025 rule)
    min_months: int | None
    max_months: int
    min_period_ends: datetime.date | None  # last day of the minimum publicity period
    earliest_repair: datetime.date | None  # first day a repair application may be made
    publicity_ends_at_latest: datetime.date  # last day of the maximum publicity period
    conditions: tuple[str, ...]  # repair conditions besides the period (Chinese)
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, str]:
        out = {"publicity_ends_at_latest": self.publicity_ends_at_latest.isoformat()}
        if self.earliest_repair is not None:
            out["earliest_repair"] = self.earliest_repair.isoformat()
        return out


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The last day of a period of `months` months triggered on `day`: 民法典 第二百零一条
    (the triggering day is not counted) and 第二百零二条 (the period ends on the
    corresponding day of the final month, or its last day when it has none):
    2024-11-30 + 3 months → 2025-02-28 (procedure.yaml example)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def credit_rule_on(decided: datetime.date) -> LawVersion:
    for rule in _CREDIT_RULES:
        if rule.in_force_on(decided):
            return rule
    raise ValueError(f"决定日期{decided.isoformat()}早于2019年7月1日，无可适用的行政处罚信息"
                     f"信用修复规则")


def credit(
    decided: datetime.date,
    credit_severity: str,
    *,
    config: CreditConfig = DEFAULT_CREDIT_CONFIG,
) -> CreditResult:
    """The spec's `credit` element for a penalty decided on `decided` with
    `facts.credit_severity` general (一般失信) or serious (严重失信) — and, under the 2025
    rule only, minor (轻微失信).

    The rule is the one in force on the decision date (spec; issue 3): 信用修复管理办法
    (2025) from 2026-04-01, 失信行为纠正后的信用信息修复管理办法（试行） from 2023-05-01,
    发改办财金〔2019〕527号 from 2019-07-01. Periods run from the decision date and are
    counted by 民法典 第二百零一条、第二百零二条 (the decision day is not counted; months end
    on the corresponding day). No rest-day extension (第二百零三条 concerns a party's own
    act at a deadline, not the end of publicity).
    - `min_period_ends`: last day of the minimum period; `earliest_repair`: the next day
      (repair may be applied for once the minimum period has ended: 最短公示期届满后方可
      申请). For 轻微 under the 2025 rule there is no minimum: repair once the obligations
      are fulfilled, so `earliest_repair` is None (not a date).
    - `publicity_ends_at_latest`: last day of the maximum period (publicity stops
      automatically when it ends).
    "法律、法规、规章另有规定的从其规定" is not modelled."""
    if credit_severity not in SEVERITIES:
        raise ValueError(f"失信严重程度（facts.credit_severity）应为 general（一般）、serious"
                         f"（严重）或 minor（轻微，2026年4月1日起），收到“{credit_severity}”")
    rule = credit_rule_on(decided)
    periods = CREDIT_PERIODS[rule.version]
    if credit_severity not in periods:
        raise ValueError(f"{rule.name}不区分轻微失信信息（2026年4月1日起施行的信用修复管理办法"
                         f"方设轻微一类），请选择 general（一般）或 serious（严重）")
    period = periods[credit_severity]
    min_months = period.min_months
    if (rule is CREDIT_REPAIR_2023 and config.sector_min_months_2023 is not None
            and min_months is not None):
        min_months = min(max(min_months, config.sector_min_months_2023), period.max_months)

    citations = [cite(rule, _PERIOD_ARTICLE[rule.version], "credit.earliest_repair"),
                 cite(rule, _PERIOD_ARTICLE[rule.version], "credit.publicity_ends_at_latest"),
                 cite(CIVIL_CODE, "第二百零一条", "credit.publicity_ends_at_latest"),
                 cite(CIVIL_CODE, "第二百零二条", "credit.publicity_ends_at_latest")]
    min_end = add_months(decided, min_months) if min_months is not None else None
    if min_end is not None:
        citations += [cite(CIVIL_CODE, "第二百零一条", "credit.earliest_repair"),
                      cite(CIVIL_CODE, "第二百零二条", "credit.earliest_repair")]
    if rule is CREDIT_REPAIR_2025 and min_months is None:
        conditions = ("履行完毕法定责任即可申请修复",)
    elif rule is CREDIT_REPAIR_2025:
        conditions = ("达到最短公示期限", "纠正失信行为，完全履行行政处罚等规定的义务",
                      "公开作出信用承诺", "满足法律、行政法规、部门规章规定的其他条件")
    else:
        conditions = ("最短公示期满", "已履行行政处罚规定的义务、纠正失信行为",
                      "公开作出信用修复承诺")
    return CreditResult(
        rule_version=rule.version, severity=credit_severity,
        published=period.published_by_default, min_months=min_months,
        max_months=period.max_months, min_period_ends=min_end,
        earliest_repair=min_end + _ONE_DAY if min_end is not None else None,
        publicity_ends_at_latest=add_months(decided, period.max_months),
        conditions=conditions, citations=tuple(citations))
