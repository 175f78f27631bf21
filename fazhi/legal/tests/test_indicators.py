"""legal.items and legal.local_benchmarks, counted from rows made here, on the last day
of the period (validity inclusive of its last day)."""

from __future__ import annotations

import datetime
import itertools

import pytest

from fazhi.legal.models import DiscretionBenchmark, EnforcementItem
from fazhi.reports.registry import Period, get_indicator

D = datetime.date
YEAR = Period.for_year(2024)
_codes = itertools.count(1)


def _item(valid_from: datetime.date, valid_to: datetime.date | None = None) -> EnforcementItem:
    n = next(_codes)
    return EnforcementItem.objects.create(code=f"T-{n:03d}", name=f"测试事项{n}",
                                          valid_from=valid_from, valid_to=valid_to)


START = D(2023, 1, 1)


def _benchmark(item, jurisdiction, *, is_local=True, valid_from=START,
               valid_to=None) -> DiscretionBenchmark:
    return DiscretionBenchmark.objects.create(
        item=item, jurisdiction=jurisdiction, name="《嘉兴市危险化学品安全管理条例》裁量基准",
        version=str(next(_codes)), valid_from=valid_from, valid_to=valid_to, is_local=is_local)


def _value(indicator_id: str, jurisdiction, period: Period = YEAR):
    return get_indicator(indicator_id).evaluate(period, jurisdiction)


def test_legal_items_counts_items_in_force_at_the_period_end(jurisdictions):
    city = jurisdictions["city"]
    assert _value("legal.items", city) == 0
    _item(D(2021, 9, 1))
    _item(D(2021, 9, 1), D(2024, 12, 31))  # in force on its last day
    _item(D(2024, 12, 31))  # in force from the last day
    _item(D(2021, 9, 1), D(2024, 6, 30))  # out of force before the period ends
    _item(D(2025, 1, 1))  # not yet in force
    assert _value("legal.items", city) == 3
    # The catalogue is national: the same in every jurisdiction.
    assert _value("legal.items", jurisdictions["nanhu_town"]) == 3
    # Mid-2024: the item ending 2024-06-30 is in force, the one starting 2024-12-31 not.
    half = Period(D(2024, 1, 1), D(2024, 6, 30))
    assert _value("legal.items", city, half) == 3
    # End of 2025: the two open-ended items and the one starting 2025-01-01.
    assert _value("legal.items", city, Period.for_year(2025)) == 3


def test_local_benchmarks_for_the_jurisdiction_and_below(jurisdictions):
    item = _item(D(2021, 9, 1))
    city, nanhu = jurisdictions["city"], jurisdictions["nanhu"]
    _benchmark(item, city)
    _benchmark(item, city)
    _benchmark(item, nanhu)
    _benchmark(item, city, is_local=False)  # not under a local regulation
    _benchmark(item, None, is_local=False)  # national
    _benchmark(item, city, valid_to=D(2024, 12, 30))  # expired the day before the end
    _benchmark(item, city, valid_from=D(2025, 1, 1))  # not yet in force
    _benchmark(item, jurisdictions["xiuzhou"], valid_to=D(2024, 12, 31))  # last day: counts
    assert _value("legal.local_benchmarks", city) == 4
    assert _value("legal.local_benchmarks", jurisdictions["province"]) == 4
    assert _value("legal.local_benchmarks", nanhu) == 1  # the city's lie above it
    assert _value("legal.local_benchmarks", jurisdictions["xiuzhou_town"]) == 0


@pytest.mark.django_db
def test_both_indicators_are_registered_as_counts():
    for indicator_id in ("legal.items", "legal.local_benchmarks"):
        indicator = get_indicator(indicator_id)
        assert indicator.kind == "count"
