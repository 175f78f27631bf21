"""Discretion rules (行政处罚裁量): pure functions, no database.

What the law allows within a statutory fine range: the discretion benchmark's tiers and
their validation, the suggested amount within a tier, 从轻 / 减轻, the mandatory
从轻或者减轻 circumstances, fines measured by illegal gains, the daily continuous
penalty, one-act-one-fine and the dual penalty. Every result carries its citations with
`applies_to` naming the response element of `POST /api/v1/legal/assess`
(../shared/specs/assess_api.md). Facts: ../shared/reference/procedure.yaml
(`discretion_and_exemptions`) and work_safety_penalties.yaml (`meta`, WSL-092 ... 114).

Conventions:
- Money is `Decimal` yuan with at most two decimals (分); integers and decimal strings
  are accepted, floats refused. A statutory range is inclusive: "X元以下" is
  {min: 0, max: X}, "X元以上Y元以下" is {min: X, max: Y} (work_safety_penalties.yaml
  `Conventions`; "以上""以下" include the number, procedure.yaml, medium).
- Produced amounts are quantised to 0.01 with ROUND_HALF_UP. Because tier bounds are
  themselves whole fen, a rounded point of a tier stays inside the tier.
- 行政处罚法 is the 2021 text (APL) for decisions from 2021-07-15 and the 2017 text
  before; where a function takes `decided` it names the version used. The 2021 rules
  used here only add grounds in the party's favour, so applying them to an older act
  decided later is what 从旧兼从轻 (第三十七条) requires anyway.
"""

from __future__ import annotations

import datetime
import enum
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi.core.rules.money import parse_yuan, round_yuan, yuan_str
from fazhi.legal.rules.citations import (
    APL,
    APL_2017,
    EM_DISCRETION_RULE,
    WSL,
    Citation,
    LawVersion,
    cite,
)

# No fine in the catalogue comes near this (the largest, 安全生产法 第一百一十四条 aggravated,
# is 1亿元); the cap keeps Decimal arithmetic exact and refuses absurd input.

# Measure codes of the spec (`proposed.measures`).
MEASURE_CODES = frozenset({
    "warning", "fine", "confiscate_gains", "confiscate_property",
    "order_correct_within_deadline", "suspend_business", "revoke_permit", "close",
    "restrict_practice",
})


# --- money ---------------------------------------------------------------------------







def _fmt(amount: Decimal) -> str:
    """An amount in a Chinese message: 100000 → 100000元."""
    return f"{yuan_str(amount)}元"


@dataclass(frozen=True)
class FineRange:
    """An inclusive fine range in yuan: a statutory range or a benchmark tier's."""

    min: Decimal
    max: Decimal

    def __post_init__(self) -> None:
        low = parse_yuan(self.min, "罚款幅度下限", whole_cents=True)
        high = parse_yuan(self.max, "罚款幅度上限", whole_cents=True)
        if low > high:
            raise ValueError(f"罚款幅度下限（{_fmt(low)}）不能高于上限（{_fmt(high)}）")
        object.__setattr__(self, "min", low)
        object.__setattr__(self, "max", high)

    def contains(self, amount: Decimal) -> bool:
        return self.min <= amount <= self.max

    def within(self, other: FineRange) -> bool:
        return other.min <= self.min and self.max <= other.max

    def label(self) -> str:
        return f"{_fmt(self.min)}至{_fmt(self.max)}"

    def as_dict(self) -> dict[str, str]:
        return {"min": yuan_str(self.min), "max": yuan_str(self.max)}


# --- 1. benchmark tiers and their validation -----------------------------------------

class Tier(enum.Enum):
    """裁量阶次 (spec `tier`), in ascending order of seriousness."""

    MINOR = "minor"  # 轻微
    GENERAL = "general"  # 一般
    SERIOUS = "serious"  # 较重
    SEVERE = "severe"  # 严重

    @property
    def label(self) -> str:
        return _TIER_LABELS[self]

    @property
    def rank(self) -> int:
        return _TIER_ORDER.index(self)

    @classmethod
    def parse(cls, value: Tier | str) -> Tier:
        if isinstance(value, Tier):
            return value
        for tier in cls:
            if value in (tier.value, tier.label):
                return tier
        raise ValueError(f"裁量阶次（tier）应为 minor（轻微）、general（一般）、serious（较重）"
                         f"或 severe（严重），收到“{value}”")


_TIER_LABELS = {Tier.MINOR: "轻微", Tier.GENERAL: "一般", Tier.SERIOUS: "较重",
                Tier.SEVERE: "严重"}
_TIER_ORDER = (Tier.MINOR, Tier.GENERAL, Tier.SERIOUS, Tier.SEVERE)

PARTY_LABELS = {"unit": "单位", "individual": "个人"}


@dataclass(frozen=True)
class BenchmarkTier:
    """One tier of a discretion benchmark (裁量基准): its fine range per party type
    (None: the tier imposes no fine on that party), its other measures (spec codes) and
    its circumstances (情形) in words."""

    tier: Tier
    fine_unit: FineRange | None = None
    fine_individual: FineRange | None = None
    measures: tuple[str, ...] = ()
    circumstances: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tier", Tier.parse(self.tier))
        measures = tuple(self.measures)
        unknown = sorted(set(measures) - MEASURE_CODES)
        if unknown:
            raise ValueError(f"未知的处罚种类代码（measures）：{'、'.join(unknown)}")
        object.__setattr__(self, "measures", measures)

    def fine_for(self, party: str) -> FineRange | None:
        if party == "unit":
            return self.fine_unit
        if party == "individual":
            return self.fine_individual
        raise ValueError(f"当事人类型（party_type）应为 unit（单位）或 individual（个人），"
                         f"收到“{party}”")


@dataclass(frozen=True)
class StatutoryPenalty:
    """What the provision itself allows: the fine range per party type (None: the
    provision does not fine that party) and, when known, the kinds of measures it
    provides (None: not checked)."""

    unit: FineRange | None = None
    individual: FineRange | None = None
    measures: frozenset[str] | None = None

    def fine_for(self, party: str) -> FineRange | None:
        return self.unit if party == "unit" else self.individual


@dataclass(frozen=True)
class BenchmarkValidation:
    valid: bool
    reasons: tuple[str, ...]  # Chinese; empty when valid
    citations: tuple[Citation, ...]


def _benchmark_citations(decided: datetime.date | None = None) -> tuple[Citation, ...]:
    """The basis of benchmarks, as in force on `decided` (None: today's law)."""
    citations = []
    if decided is None or APL.in_force_on(decided):
        # 行政处罚法(2021) 第三十四条: 行政机关可以依法制定行政处罚裁量基准，规范行使行政
        # 处罚裁量权。行政处罚裁量基准应当向社会公布。(No such article in the 2017 text.)
        citations.append(cite(APL, "第三十四条", "recommendation.fine"))
    if decided is None or EM_DISCRETION_RULE.in_force_on(decided):
        # 应急管理行政裁量权基准暂行规定 第三条: 裁量权基准应当符合法律、法规、规章有关行政
        # 执法事项、条件、程序、种类、幅度的规定 (text read on a copy of the rule).
        citations.append(cite(EM_DISCRETION_RULE, "第三条", "recommendation.fine"))
    return tuple(citations)


def validate_benchmark(
    statutory: StatutoryPenalty | FineRange, tiers: Sequence[BenchmarkTier],
) -> BenchmarkValidation:
    """Whether a benchmark may be saved: it can only subdivide the statutory range, never
    exceed it (issue 3 §3; procedure.yaml `discretion_benchmarks.note`; 应急管理行政裁量权
    基准暂行规定 第三条). `statutory` is a `StatutoryPenalty` or, when one range applies to
    every party the tiers fine, a single `FineRange`.

    Reasons (each a Chinese sentence):
    - no tier, a tier given twice, or tiers not in the order 轻微 → 一般 → 较重 → 严重;
    - a tier's fine for a party outside that party's statutory range, or a fine for a
      party the provision does not fine;
    - a measure the provision does not provide (when `statutory.measures` is known);
    - tiers overlapping or out of order: each tier's range must lie at or above the one
      before it (min and max not lower), and may share only its boundary amount with it
      (a benchmark's "3万元以下" / "3万元以上" touching at 3万 is common drafting).
    The exact tiering rules of 暂行规定 (number of tiers, coverage of the whole range) were
    not read (procedure.yaml: "Detailed tiering rules not read"), so gaps between tiers
    and fewer than four tiers are allowed."""
    if isinstance(statutory, FineRange):
        statutory = StatutoryPenalty(unit=statutory, individual=statutory)
    reasons: list[str] = []
    tiers = list(tiers)
    if not tiers:
        reasons.append("裁量基准至少应当设置一个裁量阶次")
    seen: set[Tier] = set()
    for tier in tiers:
        if tier.tier in seen:
            reasons.append(f"裁量阶次“{tier.tier.label}”重复设置")
        seen.add(tier.tier)
    ranks = [t.tier.rank for t in tiers]
    if ranks != sorted(ranks):
        reasons.append("裁量阶次应当按照轻微、一般、较重、严重的顺序排列")

    for tier in tiers:
        for party, label in PARTY_LABELS.items():
            fine = tier.fine_for(party)
            if fine is None:
                continue
            allowed = statutory.fine_for(party)
            if allowed is None:
                reasons.append(f"{tier.tier.label}阶次对{label}设定了罚款，但法定依据未对{label}"
                               f"设定罚款，裁量基准不得增设")
            elif not fine.within(allowed):
                reasons.append(f"{tier.tier.label}阶次的{label}罚款幅度（{fine.label()}）超出法定"
                               f"幅度（{allowed.label()}）")
        if statutory.measures is not None:
            extra = [m for m in tier.measures if m not in statutory.measures]
            if extra:
                reasons.append(f"{tier.tier.label}阶次设定了法定依据未规定的处罚种类："
                               f"{'、'.join(extra)}")

    ordered = sorted(tiers, key=lambda t: t.tier.rank)
    for party, label in PARTY_LABELS.items():
        fined = [(t, f) for t in ordered if (f := t.fine_for(party)) is not None]
        for (lower, low_fine), (upper, up_fine) in itertools.pairwise(fined):
            if lower.tier == upper.tier:
                continue
            if up_fine.min < low_fine.min or up_fine.max < low_fine.max:
                reasons.append(f"{upper.tier.label}阶次的{label}罚款幅度（{up_fine.label()}）低于"
                               f"{lower.tier.label}阶次（{low_fine.label()}），阶次顺序颠倒")
            elif up_fine.min < low_fine.max:
                reasons.append(f"{lower.tier.label}阶次与{upper.tier.label}阶次的{label}罚款幅度"
                               f"重叠（{low_fine.label()}；{up_fine.label()}）")
    return BenchmarkValidation(valid=not reasons, reasons=tuple(reasons),
                               citations=_benchmark_citations())


# --- 2. the suggested amount (从轻 / 从重 / 减轻) ---------------------------------------

@dataclass(frozen=True)
class Circumstances:
    """The circumstances weighed within a tier, each in words.

    lighter:    从轻 circumstances (行政处罚法 第三十二条, the benchmark's 从轻 list).
    heavier:    从重 circumstances (行政处罚法 第四十九条, the benchmark's 从重 list).
    mitigating: the grounds on which the agency has decided to 减轻 (go below the
                statutory minimum): 行政处罚法 第三十二条 (应当从轻或者减轻), 第三十条
                (14–18岁), 第三十一条 (可以从轻或者减轻) or a law's own rule. Non-empty
                means the fine is mitigated."""

    lighter: tuple[str, ...] = ()
    heavier: tuple[str, ...] = ()
    mitigating: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("lighter", "heavier", "mitigating"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(value))


@dataclass(frozen=True)
class FineRecommendation:
    min: Decimal  # the range the suggestion is chosen in (the tier, or the mitigated range)
    max: Decimal
    suggested: Decimal
    mitigated: bool
    method: str  # in Chinese: how `suggested` was chosen
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, str]:
        return {"min": yuan_str(self.min), "max": yuan_str(self.max),
                "suggested": yuan_str(self.suggested)}


def _apl(decided: datetime.date | None) -> LawVersion:
    return APL_2017 if decided is not None and decided < APL.effective else APL


def recommend_fine(
    statutory: FineRange,
    tier_range: FineRange | None,
    circumstances: Circumstances | None = None,
    *,
    mitigation_floor: Decimal | int | str = 0,
    decided: datetime.date | None = None,
) -> FineRecommendation:
    """The suggested fine.

    Method (chosen here; no national rule fixes a point): the point of the tier by the
    balance of circumstances —
    - none, or as many 从轻 as 从重 circumstances: the tier's midpoint (一般处罚 in the
      middle of the range);
    - more 从轻 than 从重: the midpoint of the tier's lower half (min + ¼ of the width);
    - more 从重 than 从轻: the midpoint of the tier's upper half (min + ¾ of the width).
    So 从轻 stays in the lower part and 从重 in the upper part of the tier, never outside it:
    从轻 / 从重 mean choosing within the range (依法在法定幅度内), the reading in
    procedure.yaml `mandatory_lighter.definitions` (从轻 = 在法定幅度内取较低处罚). It rests
    on 过罚相当 (行政处罚法(2021) 第五条第二款) and on the benchmark (第三十四条).
    `tier_range` None (no benchmark for the item) uses the statutory range as the tier.

    减轻 (`circumstances.mitigating` non-empty): the fine goes below the statutory minimum
    (procedure.yaml: 减轻 = 在法定最低限以下). The range is [floor, statutory min] and the
    suggestion its midpoint; the floor is 0 unless the law or benchmark sets its own
    (`mitigation_floor`; the yaml gives no general floor). With a statutory minimum of 0
    ("X元以下") nothing lies below it: the range is [0, 0] and 减轻 can only mean a lighter
    kind of penalty. 减轻 is allowed only on a legal ground (第三十二条, 第三十条, 第三十一条);
    the grounds are the caller's and are named in `method`.

    The result never exceeds the statute, and lies in the tier unless mitigated. A tier
    outside the statutory range raises ValueError (validate the benchmark first)."""
    circumstances = circumstances or Circumstances()
    apl = _apl(decided)
    tier = tier_range if tier_range is not None else statutory
    if not tier.within(statutory):
        raise ValueError(f"裁量阶次的罚款幅度（{tier.label()}）超出法定幅度"
                         f"（{statutory.label()}），裁量基准无效")
    # 过罚相当: 行政处罚法(2021) 第五条第二款 / (2017) 第四条第二款.
    citations = [cite(apl, "第五条第二款" if apl is APL else "第四条第二款", "recommendation.fine"),
                 *_benchmark_citations(decided)]

    if circumstances.mitigating:
        floor = parse_yuan(mitigation_floor, "减轻处罚的下限", whole_cents=True)
        if floor > statutory.min:
            raise ValueError(f"减轻处罚的下限（{_fmt(floor)}）不能高于法定最低罚款"
                             f"（{_fmt(statutory.min)}）")
        low, high = floor, statutory.min
        suggested = round_yuan((low + high) / 2)
        # 行政处罚法(2021) 第三十二条 / (2017) 第二十七条第一款: 应当从轻或者减轻.
        citations.append(cite(apl, "第三十二条" if apl is APL else "第二十七条第一款",
                              "recommendation.fine"))
        grounds = "、".join(circumstances.mitigating)
        if statutory.min == 0:
            method = (f"减轻处罚（{grounds}）：法定罚款无下限，法定最低限以下无罚款数额可选，"
                      f"罚款为0元，减轻只能通过选择较轻的处罚种类实现")
        else:
            method = (f"减轻处罚（{grounds}）：在法定最低罚款{_fmt(statutory.min)}以下、"
                      f"不低于{_fmt(floor)}的范围内取中间值")
        return FineRecommendation(min=low, max=high, suggested=suggested, mitigated=True,
                                  method=method, citations=tuple(citations))

    width = tier.max - tier.min
    n_light, n_heavy = len(circumstances.lighter), len(circumstances.heavier)
    if n_light > n_heavy:
        suggested = round_yuan(tier.min + width / 4)
        method = (f"从轻处罚（{'、'.join(circumstances.lighter)}）：取本阶次"
                  f"（{tier.label()}）下半段的中间值")
        citations.append(cite(apl, "第三十二条" if apl is APL else "第二十七条第一款",
                              "recommendation.fine"))
    elif n_heavy > n_light:
        suggested = round_yuan(tier.min + width * 3 / 4)
        method = (f"从重处罚（{'、'.join(circumstances.heavier)}）：取本阶次"
                  f"（{tier.label()}）上半段的中间值")
    else:
        suggested = round_yuan(tier.min + width / 2)
        method = f"一般处罚：取本阶次（{tier.label()}）的中间值"
        if n_light:
            method += "（从轻与从重情节相当）"
    return FineRecommendation(min=tier.min, max=tier.max, suggested=suggested,
                              mitigated=False, method=method, citations=tuple(citations))


# --- 3. 应当从轻或者减轻 (行政处罚法 第三十二条, 第三十条) -------------------------------

# Fact names (the spec's `facts`, "actively_eliminated_harm ... and the other art. 32
# circumstances"): key → (Chinese description, article 2021, article 2017 or None when the
# 2017 text had no such ground).
LIGHTER_OR_MITIGATED_FACTS: dict[str, tuple[str, str, str | None]] = {
    # 行政处罚法(2021) 第三十二条: 当事人有下列情形之一，应当从轻或者减轻行政处罚：
    # （一）主动消除或者减轻违法行为危害后果的；
    "actively_eliminated_harm": ("主动消除或者减轻违法行为危害后果",
                                 "第三十二条第（一）项", "第二十七条第一款第（一）项"),
    # （二）受他人胁迫或者诱骗实施违法行为的；(2017 第二十七条第一款第（二）项: 受他人胁迫
    # 有违法行为的 — 诱骗 was added in 2021)
    "coerced_or_induced": ("受他人胁迫或者诱骗实施违法行为",
                           "第三十二条第（二）项", "第二十七条第一款第（二）项"),
    # （三）主动供述行政机关尚未掌握的违法行为的；(new in 2021)
    "confessed_unknown_violation": ("主动供述行政机关尚未掌握的违法行为",
                                    "第三十二条第（三）项", None),
    # （四）配合行政机关查处违法行为有立功表现的；
    "meritorious_cooperation": ("配合行政机关查处违法行为有立功表现",
                                "第三十二条第（四）项", "第二十七条第一款第（三）项"),
    # （五）法律、法规、规章规定其他应当从轻或者减轻行政处罚的。
    "other_statutory_lighter": ("法律、法规、规章规定的其他应当从轻或者减轻行政处罚的情形",
                                "第三十二条第（五）项", "第二十七条第一款第（四）项"),
    # 第三十条: 已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚
    # (2017 第二十五条).
    "aged_14_to_17": ("已满十四周岁不满十八周岁的未成年人", "第三十条", "第二十五条"),
}


@dataclass(frozen=True)
class LighterOrMitigated:
    required: bool
    grounds: tuple[str, ...]  # Chinese descriptions of the circumstances found
    law_version: str
    citations: tuple[Citation, ...]


def _flag(facts: Mapping[str, object], key: str) -> bool:
    value = facts.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValueError(f"事实“{key}”应为 true 或 false")
    return value


def lighter_or_mitigated_required(
    facts: Mapping[str, object], *, decided: datetime.date | None = None,
) -> LighterOrMitigated:
    """Whether 从轻或者减轻 is mandatory (spec `lighter_or_mitigated_required`):
    行政处罚法(2021) 第三十二条 (five circumstances) and 第三十条 (aged 14–17). For a
    decision before 2021-07-15 the 2017 text applies (第二十七条第一款, 第二十五条), which did
    not have 主动供述 (and said 胁迫 only). Missing facts count as absent. 第三十一条
    (partially impaired: 可以从轻或者减轻) is discretionary and not covered."""
    apl = _apl(decided)
    grounds: list[str] = []
    citations: list[Citation] = []
    for key, (text, art_2021, art_2017) in LIGHTER_OR_MITIGATED_FACTS.items():
        if not _flag(facts, key):
            continue
        article = art_2021 if apl is APL else art_2017
        if article is None:
            continue  # not a ground under the 2017 text
        grounds.append(text)
        citations.append(cite(apl, article, "lighter_or_mitigated_required"))
    if not citations:
        citations.append(cite(apl, "第三十二条" if apl is APL else "第二十七条第一款",
                              "lighter_or_mitigated_required"))
    return LighterOrMitigated(required=bool(grounds), grounds=tuple(grounds),
                              law_version=apl.version, citations=tuple(citations))


# --- 4. fines measured by illegal gains (倍数罚) ---------------------------------------

@dataclass(frozen=True)
class GainsBasedFine:
    fine: FineRange
    by_multiple: bool  # True: the multiple of the gains applies; False: the fixed range
    confiscate_gains: Decimal  # 没收违法所得 (the gains themselves)
    citations: tuple[Citation, ...]


def gains_based_fine(
    illegal_gains: Decimal | int | str,
    *,
    threshold: Decimal | int | str,
    multiple_min: Decimal | int | str,
    multiple_max: Decimal | int | str,
    fallback: FineRange,
    law: LawVersion = WSL,
    article: str,
) -> GainsBasedFine:
    """A fine measured by illegal gains, as in 安全生产法(2021) 第九十二条第二款、第一百零三条
    第一款、第一百零三条第三款 (work_safety_penalties.yaml WSL-092-2, WSL-103-1, WSL-103-3B):
    违法所得十万元以上的，并处违法所得二倍以上五倍以下的罚款；没有违法所得或者违法所得不足
    十万元的，单处或者并处十万元以上二十万元以下的罚款.
    "以上" includes the threshold: gains of exactly 100000 are fined by the multiple.
    The gains are confiscated in every case (行政处罚法(2021) 第二十八条第二款: 当事人有违法
    所得，除依法应当退赔的外，应当予以没收). Pass the provision's numbers and article."""
    gains = parse_yuan(illegal_gains, "违法所得（illegal_gains）", whole_cents=True)
    limit = parse_yuan(threshold, "违法所得门槛", whole_cents=True)
    low_x = parse_yuan(multiple_min, "罚款倍数下限", whole_cents=True)
    high_x = parse_yuan(multiple_max, "罚款倍数上限", whole_cents=True)
    if not (0 < low_x <= high_x):
        raise ValueError("罚款倍数应为正数，且下限不高于上限")
    citations = [cite(law, article, "recommendation.fine"),
                 cite(APL, "第二十八条第二款", "recommendation.measures")]
    if gains >= limit and gains > 0:
        fine = FineRange(round_yuan(gains * low_x), round_yuan(gains * high_x))
        return GainsBasedFine(fine=fine, by_multiple=True, confiscate_gains=gains,
                              citations=tuple(citations))
    return GainsBasedFine(fine=fallback, by_multiple=False, confiscate_gains=gains,
                          citations=tuple(citations))


# --- 5. 按日连续处罚 (安全生产法 第一百一十二条) ----------------------------------------

@dataclass(frozen=True)
class DailyPenalty:
    available: bool
    days: int
    daily_amount: Decimal
    total: Decimal
    reason: str  # Chinese
    citations: tuple[Citation, ...]


def daily_continuous_penalty(
    original_fine: Decimal | int | str,
    *,
    order_date: datetime.date,
    until: datetime.date,
    violation_ended: datetime.date | None = None,
) -> DailyPenalty:
    """安全生产法(2021) 第一百一十二条: 生产经营单位违反本法规定，被责令改正且受到罚款处罚，
    拒不改正的，负有安全生产监督管理职责的部门可以自作出责令改正之日的次日起，按照原处罚
    数额按日连续处罚. Discretionary ("可以"); for units only.

    Days run from the day after `order_date` to `until` inclusive (the day correction was
    found, or the date of the continuing-penalty decision): the law does not fix the end
    day, so that is the caller's choice (work_safety_penalties.yaml WSL-112
    `implementation_caution`, medium). The article is new in the 2021 amendment (in force
    2021-09-01): for an act that ended before then it is not available (行政处罚法 第三十七条:
    the later, heavier rule does not reach back)."""
    fine = parse_yuan(original_fine, "原处罚数额", whole_cents=True)
    citations = [cite(WSL, "第一百一十二条", "recommendation.fine")]
    if violation_ended is not None and violation_ended < WSL.effective:
        citations.append(cite(APL, "第三十七条", "recommendation.fine"))
        return DailyPenalty(False, 0, fine, Decimal(0),
                            "违法行为终了于安全生产法（2021年修正）施行前，按日连续处罚不溯及适用",
                            tuple(citations))
    if until < order_date:
        raise ValueError("按日连续处罚的截止日期不能早于责令改正之日")
    days = (until - order_date).days
    return DailyPenalty(True, days, fine, round_yuan(fine * days),
                        f"自责令改正之日的次日起至{until.isoformat()}共{days}日，按原处罚数额"
                        f"{_fmt(fine)}按日连续处罚（可以，非必须）", tuple(citations))


# --- 6. 一事不再罚 (行政处罚法 第二十九条) ---------------------------------------------

@dataclass(frozen=True)
class FineCandidate:
    """One provision that fines the act: its label as shown (the spec's
    `provision_applied`, e.g. "安全生产法 第九十九条第（二）项"), its fine range (None: the
    provision does not fine), and optionally the law version and article to cite."""

    provision: str
    fine: FineRange | None
    law: LawVersion | None = None
    article: str = ""


@dataclass(frozen=True)
class OneActOneFine:
    provision_applied: str | None
    chosen: FineCandidate | None
    reason: str  # Chinese
    citations: tuple[Citation, ...]


def one_act_one_fine(
    candidates: Iterable[FineCandidate], *, decided: datetime.date | None = None,
) -> OneActOneFine:
    """行政处罚法(2021) 第二十九条: 对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚。
    同一个违法行为违反多个法律规范应当给予罚款处罚的，按照罚款数额高的规定处罚.

    "罚款数额高" is read as procedure.yaml `one_act_one_fine.engine_rule` says: compare the
    statutory maxima; where equal, the minima; where both are equal, the first candidate
    given is kept. Candidates without a fine are ignored (the article bars only a second
    fine; other measures are not barred). A fine measured by gains must be resolved into
    a range first (`gains_based_fine`). Before 2021-07-15 the 2017 text (第二十四条) had
    only the first sentence; the higher-fine rule is then applied as the same practice
    and said so."""
    candidates = list(candidates)
    if not candidates:
        raise ValueError("一事不再罚：至少应提供一个违法行为所违反的规定（items）")
    apl = _apl(decided)
    citations = [cite(apl, "第二十九条" if apl is APL else "第二十四条", "provision_applied")]
    fined = [c for c in candidates if c.fine is not None]
    if not fined:
        return OneActOneFine(None, None, "所列规定均未设定罚款，不适用按罚款数额高的规定处罚",
                             tuple(citations))
    chosen = fined[0]
    for cand in fined[1:]:
        assert cand.fine is not None and chosen.fine is not None
        if (cand.fine.max, cand.fine.min) > (chosen.fine.max, chosen.fine.min):
            chosen = cand
    assert chosen.fine is not None
    if len(fined) == 1:
        reason = f"仅{chosen.provision}设定罚款（{chosen.fine.label()}），依该规定罚款一次"
    else:
        others = "；".join(f"{c.provision}（{c.fine.label()}）" for c in fined
                          if c is not chosen and c.fine is not None)
        reason = (f"同一违法行为违反多个规定，按罚款数额高的规定处罚：{chosen.provision}"
                  f"（{chosen.fine.label()}）高于{others}；只罚款一次")
        if apl is not APL:
            reason += "（2017年行政处罚法第二十四条仅规定不得两次以上罚款，按罚款数额高的规定"
            reason += "处罚系2021年修订后写入，此处作同一处理）"
    if chosen.law is not None and chosen.article:
        citations.append(cite(chosen.law, chosen.article, "provision_applied"))
    return OneActOneFine(chosen.provision, chosen, reason, tuple(citations))


# --- 7. 一案双罚 ------------------------------------------------------------------------

@dataclass(frozen=True)
class DualPenalty:
    dual_penalty: bool
    unit: FineRange | None
    responsible_persons: FineRange | None
    reason: str  # Chinese
    citations: tuple[Citation, ...] = field(default=())


def dual_penalty(
    item_names_persons: bool,
    *,
    unit_fine: FineRange | None,
    persons_fine: FineRange | None,
    law: LawVersion = WSL,
    article: str,
) -> DualPenalty:
    """一案双罚 (spec `recommendation.dual_penalty`): the same stage of the provision fines
    both the unit and natural persons — its principal / 直接负责的主管人员和其他直接责任人员
    (work_safety_penalties.yaml `dual_penalty`: "true when the same stage fines both the
    unit and natural persons"; e.g. 安全生产法(2021) 第九十七条 overdue stage: unit
    10万–20万 and responsible persons 2万–5万). Dual only when the item names the persons
    AND both fines exist at this stage. It is not a second fine for one act under
    行政处罚法 第二十九条: the unit and the persons are different parties, each fined
    once. Pass the provision (law version and article) to cite."""
    dual = bool(item_names_persons and unit_fine is not None and persons_fine is not None)
    if dual:
        assert unit_fine is not None and persons_fine is not None
        reason = (f"{law.name}{article}对单位（{unit_fine.label()}）和直接负责的主管人员及其他"
                  f"直接责任人员（{persons_fine.label()}）分别处以罚款，一案双罚")
    elif unit_fine is not None:
        reason = "本阶段仅对单位罚款"
    elif persons_fine is not None and item_names_persons:
        reason = "本阶段仅对个人罚款"
    else:
        reason = "本阶段未设定罚款" if persons_fine is None else "本事项未列明对个人的处罚"
    return DualPenalty(
        dual_penalty=dual,
        unit=unit_fine,
        responsible_persons=persons_fine if item_names_persons else None,
        reason=reason,
        citations=(cite(law, article, "recommendation.dual_penalty"),),
    )
