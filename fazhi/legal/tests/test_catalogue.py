"""Reads of the catalogue: an item as an ItemRule with the benchmark in force on the day
for the nearest jurisdiction, lookups by code and by citation, and the 较大数额罚款
threshold nearest up the tree with the national default.

Figures: 安全生产法(2021) 第九十七条 (first finding 十万元以下; overdue 十万元以上二十万元以下,
persons 二万元以上五万元以下); the benchmark tiers below are made up for the test and lie
inside those ranges."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fazhi.core.models import Jurisdiction
from fazhi.legal.catalogue import item_lookup, item_rule, large_fine_threshold
from fazhi.legal.models import (
    BenchmarkTierRow,
    DiscretionBenchmark,
    EnforcementItem,
    ItemStagePenalty,
    JurisdictionLegalConfig,
    Law,
    Provision,
)
from fazhi.legal.rules.discretion import FineRange, Tier
from fazhi.legal.rules.procedure import DEFAULT_LARGE_FINE_THRESHOLD

D = datetime.date


@pytest.fixture
def wsl(db) -> Law:
    return Law.objects.create(name="中华人民共和国安全生产法", short_name="安全生产法",
                              level=Law.Level.LAW, version="2021", effective=D(2021, 9, 1))


@pytest.fixture
def item(wsl) -> EnforcementItem:
    whole = Provision.objects.create(law=wsl, article=97)
    first = Provision.objects.create(law=wsl, article=97, item=1)
    violated = Provision.objects.create(law=wsl, article=24, paragraph=1)
    item = EnforcementItem.objects.create(
        code="WSL-097-1", name="未按照规定设置安全生产管理机构或者配备安全生产管理人员",
        party_responsible_persons=True, dual_penalty=True, valid_from=D(2021, 9, 1))
    item.penalty.set([first])
    item.violated.set([violated])
    ItemStagePenalty.objects.create(
        item=item, stage="overdue", unit_min=100_000, unit_max=200_000,
        responsible_min=20_000, responsible_max=50_000, measures=["suspend_business", "fine"],
        provision=whole)
    ItemStagePenalty.objects.create(
        item=item, stage="first", unit_min=0, unit_max=100_000,
        measures=["order_correct_within_deadline", "fine"], mandatory=True, provision=whole)
    return item


def _benchmark(item, *, version, valid_from, valid_to=None, jurisdiction=None,
               general_max=50_000, stage="first") -> DiscretionBenchmark:
    benchmark = DiscretionBenchmark.objects.create(
        item=item, stage=stage, jurisdiction=jurisdiction, name=f"基准{version}",
        version=version, valid_from=valid_from, valid_to=valid_to)
    # Stored out of order on purpose: the rule lists them 轻微 → 严重.
    BenchmarkTierRow.objects.create(benchmark=benchmark, tier="severe",
                                    unit_min=general_max, unit_max=100_000)
    BenchmarkTierRow.objects.create(benchmark=benchmark, tier="general", unit_min=0,
                                    unit_max=general_max, circumstances=f"情形{version}")
    return benchmark


def _general_max(rule) -> Decimal:
    general = next(t for t in rule.benchmark if t.tier is Tier.GENERAL)
    return general.fine_unit.max


# --- item_rule ----------------------------------------------------------------------------

def test_item_rule_carries_the_statute_and_its_citations(item):
    rule = item_rule(item, jurisdiction=None, on=D(2024, 6, 1))
    assert (rule.code, rule.kind) == ("WSL-097-1", "行政处罚")
    assert [(c.law, c.version, c.article) for c in rule.penalty] == [
        ("中华人民共和国安全生产法", "2021", "第九十七条第（一）项")]
    assert [c.article for c in rule.violated] == ["第二十四条第一款"]
    assert [s.stage for s in rule.stages] == ["first", "overdue"]
    first, overdue = rule.stage("first"), rule.stage("overdue")
    assert first.unit == FineRange(0, 100_000) and first.responsible_persons is None
    assert first.measures == {"order_correct_within_deadline", "fine"}
    assert first.provision.article == "第九十七条"
    assert overdue.unit == FineRange(100_000, 200_000)
    assert overdue.responsible_persons == FineRange(20_000, 50_000)
    assert rule.benchmark == () and rule.benchmark_name == ""
    assert rule.valid_from == D(2021, 9, 1) and rule.valid_to is None


def test_item_rule_picks_the_benchmark_in_force_on_the_date(item):
    _benchmark(item, version="2022", valid_from=D(2022, 1, 1), valid_to=D(2023, 12, 31),
               general_max=30_000)
    _benchmark(item, version="2024", valid_from=D(2024, 1, 1), general_max=40_000)
    assert item_rule(item, jurisdiction=None, on=D(2021, 12, 31)).benchmark == ()
    old = item_rule(item, jurisdiction=None, on=D(2023, 12, 31))  # its last day
    assert _general_max(old) == 30_000 and old.benchmark_name == "基准2022（2022）"
    new = item_rule(item, jurisdiction=None, on=D(2024, 1, 1))
    assert _general_max(new) == 40_000
    assert [t.tier for t in new.benchmark] == [Tier.GENERAL, Tier.SEVERE]
    assert new.benchmark[0].circumstances == "情形2024"


def test_item_rule_picks_the_nearest_jurisdiction_up_the_tree(item, jurisdictions):
    _benchmark(item, version="国家", valid_from=D(2022, 1, 1), general_max=10_000)
    _benchmark(item, version="省", valid_from=D(2022, 1, 1), general_max=20_000,
               jurisdiction=jurisdictions["province"])
    _benchmark(item, version="市", valid_from=D(2024, 1, 1), general_max=30_000,
               jurisdiction=jurisdictions["city"])
    _benchmark(item, version="南湖", valid_from=D(2022, 1, 1), general_max=40_000,
               jurisdiction=jurisdictions["nanhu"])
    day = D(2024, 6, 1)
    assert _general_max(item_rule(item, jurisdiction=jurisdictions["nanhu_town"], on=day)) == 40_000
    assert _general_max(item_rule(item, jurisdiction=jurisdictions["nanhu"], on=day)) == 40_000
    assert _general_max(item_rule(item, jurisdiction=jurisdictions["xiuzhou"], on=day)) == 30_000
    assert _general_max(item_rule(item, jurisdiction=jurisdictions["city"], on=day)) == 30_000
    # Before the city's benchmark took effect, 秀洲区 falls back to the province's.
    before = D(2023, 12, 31)
    assert _general_max(item_rule(item, jurisdiction=jurisdictions["xiuzhou"], on=before)) == 20_000
    assert _general_max(item_rule(item, jurisdiction=None, on=day)) == 10_000
    other = Jurisdiction.objects.create(code="320000", name="江苏省", level="province")
    assert _general_max(item_rule(item, jurisdiction=other, on=day)) == 10_000


def test_item_rule_takes_the_benchmark_of_the_stage_asked(item):
    _benchmark(item, version="首次", valid_from=D(2022, 1, 1), general_max=30_000)
    overdue = DiscretionBenchmark.objects.create(item=item, stage="overdue", name="逾期",
                                                 version="逾期", valid_from=D(2022, 1, 1))
    BenchmarkTierRow.objects.create(benchmark=overdue, tier="general", unit_min=100_000,
                                    unit_max=150_000)
    rule = item_rule(item, jurisdiction=None, on=D(2024, 1, 1), stage="overdue")
    assert _general_max(rule) == 150_000
    assert _general_max(item_rule(item, jurisdiction=None, on=D(2024, 1, 1))) == 30_000


# --- item_lookup --------------------------------------------------------------------------

@pytest.mark.parametrize("reference", [
    "WSL-097-1", "wsl-097-1", " WSL-097-1 ",
    "安全生产法 第九十七条第一项",
    "安全生产法 第九十七条第（一）项",
    "安全生产法第九十七条第(一)项",
    "《中华人民共和国安全生产法》第97条第1项",
    "中华人民共和国安全生产法（2021） 第九十七条第（一）项",
    "安全生产法 第九十七条第一款第（一）项",  # 第九十七条 has one paragraph
])
def test_item_lookup_by_code_and_citation_variants(item, reference):
    assert item_lookup(reference) == item


@pytest.mark.parametrize("reference", [
    "", "WSL-097-2", "安全生产法 第九十七条第二项", "安全生产法 第九十八条第一项",
    "消防法 第九十七条第一项", "第九十七条第一项", "安全生产法",
])
def test_item_lookup_finds_nothing_for_other_references(item, reference):
    assert item_lookup(reference) is None


def test_item_lookup_falls_back_to_the_violated_provision(item):
    assert item_lookup("安全生产法 第二十四条第一款") == item


def test_item_lookup_with_a_date_skips_items_out_of_force(item):
    assert item_lookup("安全生产法 第九十七条第一项", on=D(2021, 8, 31)) is None
    assert item_lookup("安全生产法 第九十七条第一项", on=D(2021, 9, 1)) == item


# --- large_fine_threshold -----------------------------------------------------------------

def _config(jurisdiction, valid_from, individual, unit) -> JurisdictionLegalConfig:
    return JurisdictionLegalConfig.objects.create(
        jurisdiction=jurisdiction, valid_from=valid_from,
        large_fine_individual_min=individual, large_fine_unit_min=unit,
        source_law="测试规定", source_version="2022", source_article="第二条")


def test_threshold_defaults_to_the_national_rule(jurisdictions):
    assert large_fine_threshold(jurisdictions["nanhu"], D(2024, 1, 1)) is (
        DEFAULT_LARGE_FINE_THRESHOLD)
    assert large_fine_threshold(None, D(2024, 1, 1)) is DEFAULT_LARGE_FINE_THRESHOLD


def test_threshold_nearest_up_the_tree_and_by_date(jurisdictions):
    _config(jurisdictions["province"], D(2022, 1, 1), 10_000, 100_000)
    _config(jurisdictions["city"], D(2024, 1, 1), 30_000, 300_000)
    _config(jurisdictions["city"], D(2025, 1, 1), 40_000, 400_000)
    town = jurisdictions["nanhu_town"]
    assert large_fine_threshold(town, D(2021, 12, 31)) is DEFAULT_LARGE_FINE_THRESHOLD
    province = large_fine_threshold(town, D(2023, 12, 31))
    assert (province.individual_min, province.unit_min) == (10_000, 100_000)
    assert province.citation.law == "测试规定" and province.citation.applies_to == "threshold_used"
    city = large_fine_threshold(town, D(2024, 12, 31))
    assert (city.individual_min, city.unit_min) == (30_000, 300_000)
    later = large_fine_threshold(town, D(2025, 1, 1))
    assert later.unit_min == 400_000
    assert large_fine_threshold(jurisdictions["province"], D(2025, 1, 1)).unit_min == 100_000
