"""resolve_items: assess references (codes or citations) become the engine's ItemRules
from the catalogue tables, with the benchmark of the stage asked for, for the nearest
region that has one, and every catalogued version of the item's law for 从旧兼从轻.

Figures: 安全生产法(2021) 第九十七条 (first 十万元以下; overdue 十万元以上二十万元以下) and
危险化学品安全管理条例(2013) 第八十条 (五万元以上十万元以下), from the shipped files; the
benchmark tiers are made up for the test, inside those ranges."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fazhi.core.rules.calendar import Schedule
from fazhi.legal import engine as e
from fazhi.legal.models import BenchmarkTierRow, DiscretionBenchmark, EnforcementItem
from fazhi.legal.rules.procedure import DEFAULT_LARGE_FINE_THRESHOLD
from fazhi.legal.selectors import UnknownItem, catalogue_choices, resolve_items
from fazhi.legal.services import CATALOGUE_DIR, catalogue_load

D = datetime.date
TODAY = D(2026, 7, 1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsl_catalogue")]


def _benchmark(code: str, stage: str, *, jurisdiction=None, general=(0, 50_000)):
    benchmark = DiscretionBenchmark.objects.create(
        item=EnforcementItem.objects.get(code=code), stage=stage, jurisdiction=jurisdiction,
        name=f"基准{stage}", version="2024", valid_from=D(2024, 1, 1))
    BenchmarkTierRow.objects.create(benchmark=benchmark, tier="general",
                                    unit_min=general[0], unit_max=general[1])
    return benchmark


def _general(rule) -> tuple[Decimal, Decimal]:
    tier = rule.benchmark[0]
    return tier.fine_unit.min, tier.fine_unit.max


def test_the_tiers_are_those_of_the_stage_asked_for():
    _benchmark("WSL2021-097-01", "overdue", general=(100_000, 150_000))
    [first] = resolve_items(["WSL2021-097-01"], on=TODAY)
    [overdue] = resolve_items(["WSL2021-097-01"], on=TODAY, stage="overdue")
    assert first.benchmark == ()
    assert _general(overdue) == (100_000, 150_000)


def test_the_nearest_region_with_a_benchmark_wins(jurisdictions):
    _benchmark("WSL2021-097-01", "first", general=(0, 60_000))
    _benchmark("WSL2021-097-01", "first", jurisdiction=jurisdictions["city"],
               general=(10_000, 40_000))
    [county] = resolve_items(["WSL2021-097-01"], on=TODAY, jurisdiction="330402")
    [national] = resolve_items(["WSL2021-097-01"], on=TODAY)
    assert _general(county) == (10_000, 40_000)
    assert _general(national) == (0, 60_000)


def test_the_benchmark_is_the_one_in_force_on_the_decision_day():
    benchmark = _benchmark("WSL2021-097-01", "first")
    benchmark.valid_to = D(2025, 12, 31)
    benchmark.save()
    [then] = resolve_items(["WSL2021-097-01"], on=D(2025, 6, 1), decided=D(2025, 12, 31))
    [later] = resolve_items(["WSL2021-097-01"], on=D(2025, 6, 1), decided=D(2026, 1, 1))
    assert then.benchmark and not later.benchmark


def test_a_code_and_the_citation_of_the_same_item_are_one_provision():
    rules = resolve_items(["WSL2021-097-03", "安全生产法第97条第3项"], on=TODAY)
    assert [r.code for r in rules] == ["WSL2021-097-03"]


def test_an_unknown_reference_names_its_field_and_position():
    with pytest.raises(UnknownItem, match=r"items\[1\]"):
        resolve_items(["WSL2021-097-01", "安全生产法 第九十七条第（九）项"], on=TODAY)
    with pytest.raises(UnknownItem, match=r"（item）"):
        resolve_items(["NOPE-001"], field="item", on=TODAY)


def _hazardous_chemicals() -> None:
    catalogue_load(actor=None,
                   files=[CATALOGUE_DIR / "hazardous_chemicals_regulation_2013.yaml"])


def _assess(reference: str, ended: datetime.date, decided: datetime.date) -> dict:
    items = resolve_items([reference], on=ended, decided=decided)
    request = e.AssessRequest(party_type="unit",
                              dates=e.Dates(violation_ended=ended, decided=decided))
    return e.assess(request, schedule=Schedule(loaded_years={2025, 2026}), items=items,
                    threshold=DEFAULT_LARGE_FINE_THRESHOLD, today=TODAY)


def test_an_item_of_a_regulation_is_priced_under_its_catalogued_version():
    _hazardous_chemicals()
    answer = _assess("危险化学品安全管理条例 第八十条第一款第（一）项", D(2025, 6, 1),
                     D(2026, 1, 10))
    unit = answer["recommendation"]["fine"]["unit"]
    assert (unit["min"], unit["max"]) == ("50000", "100000")
    applied = [c for c in answer["citations"] if c["applies_to"] == "provision_applied"]
    assert {"law": "危险化学品安全管理条例", "version": "2013", "article": "第八十条第（一）项",
            "applies_to": "provision_applied"} in applied


def test_a_version_repealed_before_the_decision_is_not_taken_as_no_longer_punished():
    # 危险化学品安全管理条例 ceased on 2026-05-01; its successor is not catalogued, so the
    # engine must not conclude "不再处罚" (行政处罚法 第三十七条) but say what is missing.
    _hazardous_chemicals()
    with pytest.raises(ValueError, match="未收录当时施行的规定"):
        _assess("HCR2013-080-01", D(2026, 3, 1), D(2026, 6, 1))


def test_the_picker_groups_items_in_force_by_law():
    _hazardous_chemicals()
    groups = dict(catalogue_choices(D(2026, 1, 1)))
    assert any(code == "WSL2021-097-01" for code, _label in groups["安全生产法"])
    assert any(code == "HCR2013-080-01" for code, _label in groups["危险化学品安全管理条例"])
    # After its repeal the regulation's items are no longer offered.
    assert "危险化学品安全管理条例" not in dict(catalogue_choices(D(2026, 6, 1)))
