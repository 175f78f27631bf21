"""What the engine needs to know of one enforcement item (执法事项), independent of how
the catalogue is stored: its provisions, its statutory penalties per stage and party,
and the discretion benchmark (裁量基准) in force for the jurisdiction and date.

The legal app's selectors build an `ItemRule` from the catalogue tables; the engine
(`fazhi.legal.engine`) only ever sees `ItemRule`s, so it stays pure."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from fazhi.legal.rules.citations import Citation, LawVersion
from fazhi.legal.rules.discretion import BenchmarkTier, FineRange

STAGES = ("first", "overdue", "accident")  # first finding / not corrected in time / accident


@dataclass(frozen=True)
class StagePenalty:
    """The statutory penalty of one stage of an item (e.g. 安全生产法 第九十七条: 责令限期
    改正, 处十万元以下的罚款 at first finding; 逾期未改正 → 停产停业整顿 and 十万元以上二十万元
    以下, with 二万元以上五万元以下 for the responsible persons)."""

    stage: str
    unit: FineRange | None = None  # the unit's fine (party_type unit)
    individual: FineRange | None = None  # an individual party's fine (party_type individual)
    responsible_persons: FineRange | None = None  # 一案双罚: persons fined with the unit
    measures: frozenset[str] = frozenset()  # the spec's measure codes
    mandatory: bool = True  # "处" (True) or "可以处" (False)
    provision: Citation | None = None  # the penalty provision of this stage


@dataclass(frozen=True)
class ItemRule:
    code: str  # catalogue code
    name: str
    kind: str  # 行政处罚 / 行政检查 / 行政强制 ...
    violated: tuple[Citation, ...]  # 违法依据
    penalty: tuple[Citation, ...]  # 处罚依据
    stages: tuple[StagePenalty, ...]
    benchmark: tuple[BenchmarkTier, ...] = ()  # the tiers in force, empty when none
    benchmark_name: str = ""  # which benchmark (and version) the tiers come from
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    # Every version of the penalty provision's law the catalogue knows, oldest first: the
    # versions 从旧兼从轻 (行政处罚法 第三十七条) chooses among.
    law_versions: tuple[LawVersion, ...] = ()

    def stage(self, name: str) -> StagePenalty | None:
        return next((s for s in self.stages if s.stage == name), None)


_LAW_PREFIX = re.compile(r"^中华人民共和国")


def item_label(item: ItemRule) -> str:
    """How the item's penalty provision is shown: "安全生产法 第九十七条第（一）项"."""
    provision = item.penalty[0] if item.penalty else None
    if provision is None:
        return item.code
    return f"{_LAW_PREFIX.sub('', provision.law)} {provision.article}"
