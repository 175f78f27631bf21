"""Random selection (双随机): which enterprises are inspected, and which officers go
(pure: no database access).

Basis:
- 《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》(国发〔2019〕5号):
  inspected subjects and the inspecting officers are both drawn at random, and the
  result is made public. The weighting of higher-risk enterprises below is this
  platform's way of differentiating the sampling by risk; the weights themselves are
  a local policy choice (basis for the figures: not confirmed, set by the bureau).
- 《行政处罚法》(2021) 第四十二条: enforcement is carried out by officers holding
  enforcement qualifications, no fewer than two (`PAIR_SIZE`).
- 《行政处罚法》(2021) 第四十三条: an officer with a direct interest in the matter, or
  whose involvement may affect impartiality, recuses (回避): a recused officer is never
  drawn for that enterprise.
- Not repeating last time's pair for the same enterprise: the issue's requirement (the
  rotation of inspectors); statutory basis not confirmed.

Reproducibility: everything random comes from one `random.Random(seed)`, consumed in
the order of the pool and the officer list as given. The same seed, pool, officers,
recusals and previous pairs give the same result on any machine.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

PAIR_SIZE = 2  # 行政处罚法 第四十二条: 执法人员不得少于两人

# Sampling weight by enterprise risk level (subjects.RiskLevel): higher risk, drawn more
# often. One table, chosen by the bureau (not statutory).
RISK_WEIGHTS: dict[str, int] = {
    "major": 4,    # 重大风险
    "large": 3,    # 较大风险
    "general": 2,  # 一般风险
    "low": 1,      # 低风险
}


class DrawError(ValueError):
    """The draw cannot be made as asked; the message is Chinese, shown to the officer."""


@dataclass(frozen=True)
class PoolEntry:
    enterprise_id: int
    risk_level: str


@dataclass(frozen=True)
class Officer:
    officer_id: int
    certified: bool  # holds an enforcement certificate valid on the draw date


@dataclass(frozen=True)
class Pick:
    enterprise_id: int
    officer_ids: tuple[int, ...]  # sorted

    def as_dict(self) -> dict[str, object]:
        return {"enterprise": self.enterprise_id, "officers": list(self.officer_ids)}


@dataclass(frozen=True)
class DrawResult:
    pool_size: int
    sample_size: int
    picks: tuple[Pick, ...]  # in drawing order

    def as_list(self) -> list[dict[str, object]]:
        return [pick.as_dict() for pick in self.picks]


def sample_size(pool_size: int, ratio: Decimal) -> int:
    """How many enterprises a ratio (0 < ratio ≤ 1) of the pool is, rounded up so that
    a non-empty pool always yields at least one."""
    ratio = Decimal(ratio)
    if not Decimal(0) < ratio <= Decimal(1):
        raise DrawError("抽查比例应大于0且不超过100%")
    return int((Decimal(pool_size) * ratio).to_integral_value(rounding=ROUND_CEILING))


def weight_of(risk_level: str) -> int:
    try:
        return RISK_WEIGHTS[risk_level]
    except KeyError:
        raise DrawError(f"未知的风险等级：{risk_level}") from None


def weighted_sample(rng: random.Random, pool: Sequence[PoolEntry], k: int) -> list[PoolEntry]:
    """k entries without replacement, each with probability proportional to its weight
    at every step (Efraimidis–Spirakis: key u^(1/w), the k largest keys win; ties keep
    pool order). One random number per pool entry, in pool order."""
    keyed = [(rng.random() ** (1.0 / weight_of(entry.risk_level)), -index, entry)
             for index, entry in enumerate(pool)]
    keyed.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return [entry for _, _, entry in keyed[:k]]


def choose_pair(
    rng: random.Random,
    candidates: Sequence[int],
    previous: Set[int] | None,
    size: int = PAIR_SIZE,
) -> tuple[int, ...]:
    """`size` officers among `candidates` (already certified and not recused), not the
    same set as `previous` when another set exists."""
    if len(candidates) < size:
        raise ValueError("not enough candidates")
    order = list(candidates)
    rng.shuffle(order)
    chosen = order[:size]
    if previous is not None and set(chosen) == set(previous) and len(order) > size:
        # order[size] is not in the previous pair, so the set changes.
        chosen[-1] = order[size]
    return tuple(sorted(chosen))


def run_draw(
    *,
    seed: int,
    pool: Sequence[PoolEntry],
    officers: Sequence[Officer],
    ratio: Decimal,
    recusals: Mapping[int, Set[int]] | None = None,
    previous_pairs: Mapping[int, Set[int]] | None = None,
    pair_size: int = PAIR_SIZE,
) -> DrawResult:
    """Draw ceil(len(pool) × ratio) enterprises, weighted by risk, and pair each with
    `pair_size` certified officers who are not recused for it.

    `recusals` maps an enterprise id to the officers recused for it; `previous_pairs`
    an enterprise id to the officers of its last draw. Raises DrawError (Chinese) when
    an input is malformed or an enterprise cannot get enough officers."""
    if pair_size < PAIR_SIZE:
        raise DrawError(f"每户检查执法人员不得少于{PAIR_SIZE}人（《行政处罚法》第四十二条）")
    ids = [entry.enterprise_id for entry in pool]
    if len(set(ids)) != len(ids):
        raise DrawError("抽查对象名录中有重复的单位")
    officer_ids = [officer.officer_id for officer in officers]
    if len(set(officer_ids)) != len(officer_ids):
        raise DrawError("执法人员名录中有重复的人员")
    recusals = recusals or {}
    previous_pairs = previous_pairs or {}
    certified = [officer.officer_id for officer in officers if officer.certified]
    if len(certified) < pair_size:
        raise DrawError(
            f"持有效执法证的执法人员不足{pair_size}人，不能抽取检查人员（《行政处罚法》第四十二条）")
    rng = random.Random(seed)
    k = sample_size(len(pool), ratio) if pool else 0
    chosen = weighted_sample(rng, pool, k)
    picks = []
    for entry in chosen:
        recused = recusals.get(entry.enterprise_id, set())
        candidates = [officer for officer in certified if officer not in recused]
        if len(candidates) < pair_size:
            raise DrawError(
                f"单位（编号{entry.enterprise_id}）回避后可抽取的持证执法人员不足{pair_size}人")
        pair = choose_pair(rng, candidates, previous_pairs.get(entry.enterprise_id), pair_size)
        picks.append(Pick(entry.enterprise_id, pair))
    return DrawResult(pool_size=len(pool), sample_size=k, picks=tuple(picks))
