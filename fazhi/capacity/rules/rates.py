"""The legal-capacity rates of the annual rule-of-law report, as pure functions of the
facts of each agency on one day (no database: `capacity.selectors.agency_facts` reads
the facts, these decide what they add up to).

Which agencies each rate counts (口径):
- 法制机构设置率 and 法制审核员配备率 ("市县两级"): the city bureau and the county-level
  bureaus (functional zones' bureaus included: they are county-level bureaus); the town
  stations are not 市县两级 and are left out.
- 具有法律职业资格的法制审核员比例: every legal reviewer in office in the area. Since
  the 2021 Administrative Penalty Law a person reviewing penalty decisions for the first
  time must hold the legal qualification (《中华人民共和国行政处罚法》（2021）第五十八条
  第二款), which is why the report tracks the share.
- 公职律师覆盖率（经开、港区除外）: the county-level bureaus not flagged exempt
  (`AgencyProfile.lawyer_coverage_exempt`, the functional zones) that have at least one
  public lawyer; the city bureau's own public lawyers are reported apart
  (staff.public_lawyers.bureau). The report's 85.71 % is 6 of the 7 county bureaus.
  The duty to build the public-lawyer system rests on 中共中央办公厅、国务院办公厅
  《关于推行法律顾问制度和公职律师公司律师制度的意见》（2016）— a policy document
  without a citable article here (待核实).

A rate with nothing to count (zero denominator) is 0.00, not an error (the registry's
`percent` convention), and `Rate.denominator` says so to whoever shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.rules.ratios import percent
from fazhi.legal.rules.citations import APL, Citation, cite

CITY_BUREAU, COUNTY_BUREAU, TOWN_STATION = "city_bureau", "county_bureau", "town_station"
TWO_LEVELS = frozenset({CITY_BUREAU, COUNTY_BUREAU})  # 市县两级

QUALIFIED_REVIEWER = cite(APL, "第五十八条第二款", "reviewer_qualification")


@dataclass(frozen=True)
class AgencyFacts:
    """What one agency has on the day."""

    agency_id: int
    name: str
    kind: str  # core.Agency.Kind value
    coverage_exempt: bool = False
    has_legal_unit: bool = False
    reviewers: int = 0
    qualified_reviewers: int = 0
    public_lawyers: int = 0


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    percent: Decimal  # two decimals, half up
    citations: tuple[Citation, ...] = ()

    @property
    def empty(self) -> bool:
        return self.denominator == 0


def rate(numerator: int, denominator: int, *, decimals: int = 2,
         citations: tuple[Citation, ...] = ()) -> Rate:
    if numerator < 0 or denominator < 0 or numerator > denominator:
        raise ValueError("比率的分子须在0与分母之间")
    return Rate(numerator, denominator, percent(numerator, denominator, decimals), citations)


def _two_levels(facts: Iterable[AgencyFacts]) -> list[AgencyFacts]:
    return [f for f in facts if f.kind in TWO_LEVELS]


def legal_units_rate(facts: Iterable[AgencyFacts]) -> Rate:
    """市县两级法制机构设置率: city and county bureaus with a legal unit in place."""
    counted = _two_levels(facts)
    return rate(sum(1 for f in counted if f.has_legal_unit), len(counted))


def reviewers_rate(facts: Iterable[AgencyFacts]) -> Rate:
    """法制审核员配备率: city and county bureaus with at least one legal reviewer."""
    counted = _two_levels(facts)
    return rate(sum(1 for f in counted if f.reviewers > 0), len(counted))


def qualified_reviewers_rate(facts: Iterable[AgencyFacts]) -> Rate:
    """具有法律职业资格的法制审核员比例: qualified reviewers among all reviewers."""
    facts = list(facts)
    return rate(sum(f.qualified_reviewers for f in facts), sum(f.reviewers for f in facts),
                citations=(QUALIFIED_REVIEWER,))


def lawyer_coverage(facts: Iterable[AgencyFacts]) -> Rate:
    """公职律师覆盖率（功能区除外）: county bureaus, not exempt, with a public lawyer."""
    counted = [f for f in facts if f.kind == COUNTY_BUREAU and not f.coverage_exempt]
    return rate(sum(1 for f in counted if f.public_lawyers > 0), len(counted))
