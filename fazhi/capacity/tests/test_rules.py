"""The staff rates as pure functions, at their edges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.capacity.rules import rates
from fazhi.capacity.rules.rates import AgencyFacts


def facts(kind: str = rates.COUNTY_BUREAU, **kw) -> AgencyFacts:
    return AgencyFacts(agency_id=kw.pop("agency_id", 1), name="x", kind=kind, **kw)


def test_rate_rounds_half_up_to_two_decimals():
    assert rates.rate(7, 9).percent == Decimal("77.78")
    assert rates.rate(6, 7).percent == Decimal("85.71")
    assert rates.rate(1, 8).percent == Decimal("12.50")
    assert rates.rate(1, 3, decimals=1).percent == Decimal("33.3")


def test_zero_denominator_is_zero_and_says_empty():
    result = rates.rate(0, 0)
    assert result.percent == Decimal("0.00") and result.empty
    assert rates.legal_units_rate([]).percent == Decimal("0.00")
    assert rates.qualified_reviewers_rate([facts()]).empty  # no reviewer at all


def test_rate_refuses_impossible_counts():
    with pytest.raises(ValueError):
        rates.rate(3, 2)
    with pytest.raises(ValueError):
        rates.rate(-1, 2)


def test_legal_units_and_reviewers_count_city_and_county_bureaus_only():
    all_facts = [
        facts(rates.CITY_BUREAU, has_legal_unit=True, reviewers=2),
        facts(has_legal_unit=True, reviewers=1),
        facts(has_legal_unit=False, reviewers=0),
        facts(rates.TOWN_STATION, has_legal_unit=False, reviewers=0),  # not 市县两级
    ]
    assert (rates.legal_units_rate(all_facts).numerator,
            rates.legal_units_rate(all_facts).denominator) == (2, 3)
    assert rates.reviewers_rate(all_facts).percent == Decimal("66.67")


def test_qualified_share_counts_people_in_every_agency():
    all_facts = [facts(rates.CITY_BUREAU, reviewers=4, qualified_reviewers=4),
                 facts(reviewers=3, qualified_reviewers=1),
                 facts(rates.TOWN_STATION, reviewers=2, qualified_reviewers=2)]
    result = rates.qualified_reviewers_rate(all_facts)
    assert (result.numerator, result.denominator, result.percent) == (7, 9, Decimal("77.78"))
    assert result.citations[0].article == "第五十八条第二款"


def test_coverage_leaves_out_exempt_zones_and_the_city_bureau():
    all_facts = [facts(rates.CITY_BUREAU, public_lawyers=4)]
    all_facts += [facts(public_lawyers=1) for _ in range(6)] + [facts(public_lawyers=0)]
    all_facts += [facts(coverage_exempt=True, public_lawyers=0) for _ in range(2)]
    result = rates.lawyer_coverage(all_facts)
    assert (result.numerator, result.denominator, result.percent) == (6, 7, Decimal("85.71"))
    # Without the flag the zones would count against the rate.
    unflagged = [f if not f.coverage_exempt else facts(public_lawyers=0) for f in all_facts]
    assert rates.lawyer_coverage(unflagged).denominator == 9
