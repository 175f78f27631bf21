"""Discretion rules: boundary and property tests. Expected values are worked out from the
law quoted in each test, not from the functions under test."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.legal.rules.citations import APL, APL_2017, WSL
from fazhi.legal.rules.discretion import (
    BenchmarkTier,
    Circumstances,
    FineCandidate,
    FineRange,
    StatutoryPenalty,
    Tier,
    daily_continuous_penalty,
    dual_penalty,
    gains_based_fine,
    lighter_or_mitigated_required,
    one_act_one_fine,
    recommend_fine,
    validate_benchmark,
)

D = datetime.date
R = FineRange

# 安全生产法(2021) 第九十七条: 责令限期改正，处十万元以下的罚款 (first) → {0, 100000};
# 逾期未改正的 … 处十万元以上二十万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处
# 二万元以上五万元以下的罚款 (overdue).
WSL97_FIRST = R(0, 100000)
WSL97_OVERDUE_UNIT = R(100000, 200000)
WSL97_OVERDUE_PERSONS = R(20000, 50000)


def _tiers(*ranges, tiers=(Tier.MINOR, Tier.GENERAL, Tier.SERIOUS, Tier.SEVERE)):
    return [BenchmarkTier(t, fine_unit=r) for t, r in zip(tiers, ranges, strict=False)]


# --- FineRange / Tier input -----------------------------------------------------------

def test_fine_range_accepts_int_str_decimal():
    r = R("100000", Decimal("200000.50"))
    assert r.min == Decimal(100000) and r.max == Decimal("200000.50")


@pytest.mark.parametrize(("low", "high", "message"), [
    (1.5, 10, "浮点数"), (-1, 10, "负数"), ("1.001", 10, "两位小数"), (11, 10, "不能高于上限"),
    ("abc", 10, "不是有效的金额"), ("NaN", 10, "不是有效的金额"),
])
def test_fine_range_refuses_bad_input_in_chinese(low, high, message):
    with pytest.raises(ValueError, match=message):
        R(low, high)


def test_tier_parse_codes_and_labels():
    assert Tier.parse("serious") is Tier.SERIOUS
    assert Tier.parse("严重") is Tier.SEVERE
    assert [t.label for t in Tier] == ["轻微", "一般", "较重", "严重"]
    with pytest.raises(ValueError, match="裁量阶次"):
        Tier.parse("heavy")


def test_benchmark_tier_refuses_unknown_measure():
    with pytest.raises(ValueError, match="未知的处罚种类代码"):
        BenchmarkTier(Tier.GENERAL, measures=("detention",))


# --- validate_benchmark ----------------------------------------------------------------

def test_valid_four_tier_benchmark_for_wsl97_first_stage():
    # 轻微: no fine; then 0–3万, 3万–6万 (touching at 3万), 6万–10万 = the statutory maximum.
    tiers = [BenchmarkTier(Tier.MINOR, measures=("warning",)),
             *_tiers(R(0, 30000), R(30000, 60000), R(60000, 100000),
                     tiers=(Tier.GENERAL, Tier.SERIOUS, Tier.SEVERE))]
    result = validate_benchmark(WSL97_FIRST, tiers)
    assert result.valid and result.reasons == ()
    assert {c.article for c in result.citations} == {"第三十四条", "第三条"}


def test_tier_max_one_yuan_over_statute_is_refused_and_at_statute_accepted():
    over = validate_benchmark(WSL97_FIRST, _tiers(R(0, 30000), R(30000, 100001)))
    assert not over.valid
    assert any("超出法定幅度" in r and "100001元" in r for r in over.reasons)
    assert validate_benchmark(WSL97_FIRST, _tiers(R(0, 30000), R(30000, 100000))).valid


def test_tier_min_one_yuan_under_statutory_min_is_refused():
    # Overdue stage: 十万元以上 — a tier starting at 99999 goes below the statute.
    under = validate_benchmark(WSL97_OVERDUE_UNIT, _tiers(R(99999, 150000)))
    assert not under.valid and "超出法定幅度" in under.reasons[0]
    assert validate_benchmark(WSL97_OVERDUE_UNIT, _tiers(R(100000, 150000))).valid


def test_overlapping_tiers_refused_touching_tiers_accepted():
    overlap = validate_benchmark(WSL97_FIRST, _tiers(R(0, 30001), R(30000, 60000)))
    assert not overlap.valid and any("重叠" in r for r in overlap.reasons)
    assert validate_benchmark(WSL97_FIRST, _tiers(R(0, 30000), R(30000, 60000))).valid


def test_inverted_tiers_refused():
    # 较重 lower than 一般.
    result = validate_benchmark(WSL97_FIRST, _tiers(R(50000, 80000), R(0, 30000),
                                                   tiers=(Tier.GENERAL, Tier.SERIOUS)))
    assert not result.valid and any("顺序颠倒" in r for r in result.reasons)


def test_tiers_listed_out_of_order_or_twice_refused():
    listed = [BenchmarkTier(Tier.SERIOUS, fine_unit=R(30000, 60000)),
              BenchmarkTier(Tier.GENERAL, fine_unit=R(0, 30000))]
    assert any("顺序排列" in r for r in validate_benchmark(WSL97_FIRST, listed).reasons)
    twice = [BenchmarkTier(Tier.GENERAL, fine_unit=R(0, 30000)),
             BenchmarkTier(Tier.GENERAL, fine_unit=R(0, 30000))]
    assert any("重复" in r for r in validate_benchmark(WSL97_FIRST, twice).reasons)


def test_empty_benchmark_refused():
    assert validate_benchmark(WSL97_FIRST, []).reasons == ("裁量基准至少应当设置一个裁量阶次",)


def test_fine_on_a_party_the_statute_does_not_fine_is_refused():
    # 第九十七条 first stage fines the unit only.
    statute = StatutoryPenalty(unit=WSL97_FIRST)
    tiers = [BenchmarkTier(Tier.GENERAL, fine_unit=R(0, 30000), fine_individual=R(0, 5000))]
    result = validate_benchmark(statute, tiers)
    assert not result.valid and "不得增设" in result.reasons[0]


def test_persons_range_checked_separately():
    statute = StatutoryPenalty(unit=WSL97_OVERDUE_UNIT, individual=WSL97_OVERDUE_PERSONS)
    ok = [BenchmarkTier(Tier.GENERAL, fine_unit=R(100000, 150000),
                        fine_individual=R(20000, 35000)),
          BenchmarkTier(Tier.SEVERE, fine_unit=R(150000, 200000),
                        fine_individual=R(35000, 50000))]
    assert validate_benchmark(statute, ok).valid
    bad = [BenchmarkTier(Tier.GENERAL, fine_unit=R(100000, 150000),
                         fine_individual=R(19999, 35000))]
    assert any("个人罚款幅度" in r for r in validate_benchmark(statute, bad).reasons)


def test_measure_not_in_statute_refused():
    statute = StatutoryPenalty(unit=WSL97_FIRST,
                               measures=frozenset({"fine", "order_correct_within_deadline"}))
    tiers = [BenchmarkTier(Tier.SEVERE, fine_unit=R(60000, 100000),
                           measures=("fine", "revoke_permit"))]
    result = validate_benchmark(statute, tiers)
    assert not result.valid and "revoke_permit" in result.reasons[0]


# --- recommend_fine ---------------------------------------------------------------------

def test_general_suggestion_is_tier_midpoint():
    rec = recommend_fine(WSL97_FIRST, R(30000, 60000))
    assert (rec.min, rec.max, rec.suggested) == (30000, 60000, Decimal("45000.00"))
    assert not rec.mitigated
    assert rec.as_dict() == {"min": "30000", "max": "60000", "suggested": "45000"}
    assert {c.applies_to for c in rec.citations} == {"recommendation.fine"}


def test_lighter_suggestion_is_lower_quarter_point():
    # 30000 + (60000 − 30000) / 4 = 37500.
    rec = recommend_fine(WSL97_FIRST, R(30000, 60000), Circumstances(lighter=("主动消除危害后果",)))
    assert rec.suggested == Decimal("37500")
    assert any(c.article == "第三十二条" for c in rec.citations)


def test_heavier_suggestion_is_upper_quarter_point():
    # 30000 + (60000 − 30000) × 3 / 4 = 52500.
    rec = recommend_fine(WSL97_FIRST, R(30000, 60000), Circumstances(heavier=("拒不配合",)))
    assert rec.suggested == Decimal("52500")


def test_balanced_circumstances_stay_at_midpoint():
    rec = recommend_fine(WSL97_FIRST, R(30000, 60000),
                         Circumstances(lighter=("a",), heavier=("b",)))
    assert rec.suggested == Decimal("45000")


def test_no_benchmark_uses_statutory_range():
    rec = recommend_fine(WSL97_OVERDUE_UNIT, None)
    assert (rec.min, rec.max, rec.suggested) == (100000, 200000, 150000)


def test_rounding_half_up_to_the_fen():
    # Midpoint of 0–0.03 is 0.015 → 0.02 (ROUND_HALF_UP).
    assert recommend_fine(R(0, "0.03"), None).suggested == Decimal("0.02")


def test_tier_outside_statute_raises_in_chinese():
    with pytest.raises(ValueError, match="超出法定幅度"):
        recommend_fine(WSL97_FIRST, R(60000, 100001))


def test_mitigated_goes_below_statutory_minimum():
    # 行政处罚法 第三十二条 减轻: below the statutory minimum of 100000 → [0, 100000], mid 50000.
    rec = recommend_fine(WSL97_OVERDUE_UNIT, R(150000, 200000),
                         Circumstances(mitigating=("主动消除违法行为危害后果",)))
    assert rec.mitigated and (rec.min, rec.max, rec.suggested) == (0, 100000, 50000)


def test_mitigated_with_a_floor():
    rec = recommend_fine(WSL97_OVERDUE_UNIT, None, Circumstances(mitigating=("x",)),
                         mitigation_floor=20000)
    assert (rec.min, rec.max, rec.suggested) == (20000, 100000, 60000)
    with pytest.raises(ValueError, match="减轻处罚的下限"):
        recommend_fine(WSL97_OVERDUE_UNIT, None, Circumstances(mitigating=("x",)),
                       mitigation_floor=100001)


def test_mitigated_with_no_statutory_minimum_is_zero():
    # "十万元以下": nothing below a minimum of 0.
    rec = recommend_fine(WSL97_FIRST, R(0, 30000), Circumstances(mitigating=("x",)))
    assert (rec.min, rec.max, rec.suggested) == (0, 0, 0)
    assert "较轻的处罚种类" in rec.method


def test_decision_before_2021_cites_2017_text():
    rec = recommend_fine(WSL97_FIRST, None, decided=D(2021, 7, 14))
    assert {(c.version, c.article) for c in rec.citations} == {("2017", "第四条第二款")}
    rec = recommend_fine(WSL97_FIRST, None, decided=D(2021, 7, 15))
    assert ("2021", "第五条第二款") in {(c.version, c.article) for c in rec.citations}


# --- property tests ----------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**8).map(lambda n: Decimal(n) / 100)
labels = st.lists(st.sampled_from(["甲", "乙", "丙"]), max_size=3).map(tuple)


@st.composite
def statute_and_tier(draw):
    a, b = sorted((draw(amounts), draw(amounts)))
    statute = R(a, b)
    c = draw(st.integers(min_value=int(a * 100), max_value=int(b * 100))) / Decimal(100)
    d = draw(st.integers(min_value=int(c * 100), max_value=int(b * 100))) / Decimal(100)
    return statute, R(c, d)


@given(statute_and_tier(), labels, labels)
def test_suggested_fine_lies_within_tier_and_tier_within_statute(pair, lighter, heavier):
    statute, tier = pair
    assert validate_benchmark(statute, [BenchmarkTier(Tier.GENERAL, fine_unit=tier)]).valid
    rec = recommend_fine(statute, tier, Circumstances(lighter=lighter, heavier=heavier))
    assert tier.min <= rec.suggested <= tier.max
    assert statute.min <= rec.suggested <= statute.max
    assert rec.suggested == rec.suggested.quantize(Decimal("0.01"))


@given(statute_and_tier(), st.sampled_from([None, 0]))
def test_mitigated_fine_between_zero_and_statutory_min(pair, floor):
    statute, tier = pair
    rec = recommend_fine(statute, tier, Circumstances(mitigating=("x",)),
                         mitigation_floor=floor if floor is not None else 0)
    assert rec.mitigated
    assert 0 <= rec.min <= rec.suggested <= rec.max == statute.min


@given(st.lists(st.tuples(amounts, amounts), min_size=1, max_size=4), statute_and_tier())
def test_valid_benchmark_tiers_always_lie_within_statute(ranges, pair):
    statute, _ = pair
    tiers = [BenchmarkTier(t, fine_unit=R(*sorted(r)))
             for t, r in zip(Tier, ranges, strict=False)]
    result = validate_benchmark(statute, tiers)
    outside = any(not t.fine_unit.within(statute) for t in tiers)
    if outside:
        assert not result.valid
    if result.valid:
        assert all(t.fine_unit.within(statute) for t in tiers)


# --- lighter_or_mitigated_required ------------------------------------------------------

@pytest.mark.parametrize(("key", "article"), [
    ("actively_eliminated_harm", "第三十二条第（一）项"),
    ("coerced_or_induced", "第三十二条第（二）项"),
    ("confessed_unknown_violation", "第三十二条第（三）项"),
    ("meritorious_cooperation", "第三十二条第（四）项"),
    ("other_statutory_lighter", "第三十二条第（五）项"),
    ("aged_14_to_17", "第三十条"),
])
def test_each_article_32_circumstance_requires_lighter_or_mitigated(key, article):
    result = lighter_or_mitigated_required({key: True})
    assert result.required and len(result.grounds) == 1
    assert [c.article for c in result.citations] == [article]
    assert result.citations[0].applies_to == "lighter_or_mitigated_required"


def test_no_circumstance_not_required():
    result = lighter_or_mitigated_required({"actively_eliminated_harm": False, "minor": True})
    assert not result.required and result.grounds == ()
    assert result.citations[0].article == "第三十二条"


def test_non_boolean_fact_refused():
    with pytest.raises(ValueError, match="actively_eliminated_harm"):
        lighter_or_mitigated_required({"actively_eliminated_harm": "yes"})


def test_2017_text_before_2021_07_15():
    # 2017 第二十七条第一款 had no 主动供述 ground; 配合查处有立功表现 was item (三).
    before = D(2021, 7, 14)
    assert not lighter_or_mitigated_required({"confessed_unknown_violation": True},
                                             decided=before).required
    r = lighter_or_mitigated_required({"meritorious_cooperation": True}, decided=before)
    assert r.required and r.law_version == "2017"
    assert r.citations[0].article == "第二十七条第一款第（三）项"
    assert lighter_or_mitigated_required({"confessed_unknown_violation": True},
                                         decided=D(2021, 7, 15)).required


# --- gains_based_fine (安全生产法 第九十二条第二款) -------------------------------------

def _wsl92(gains):
    # 违法所得在十万元以上的，并处违法所得二倍以上五倍以下的罚款；没有违法所得或者违法所得
    # 不足十万元的，单处或者并处十万元以上二十万元以下的罚款.
    return gains_based_fine(gains, threshold=100000, multiple_min=2, multiple_max=5,
                            fallback=R(100000, 200000), article="第九十二条第二款")


def test_gains_one_fen_under_threshold_use_fixed_range():
    result = _wsl92("99999.99")
    assert not result.by_multiple and result.fine == R(100000, 200000)
    assert result.confiscate_gains == Decimal("99999.99")


def test_gains_at_threshold_use_multiple():
    result = _wsl92(100000)
    assert result.by_multiple and result.fine == R(200000, 500000)
    assert result.citations[0].article == "第九十二条第二款"
    assert result.citations[1].article == "第二十八条第二款"


def test_no_gains_use_fixed_range():
    assert _wsl92(0).fine == R(100000, 200000)


# --- daily_continuous_penalty (安全生产法 第一百一十二条) --------------------------------

def test_daily_penalty_counts_from_day_after_order():
    # 自作出责令改正之日的次日起: order 2024-03-01 → day 1 is 2024-03-02.
    assert daily_continuous_penalty(10000, order_date=D(2024, 3, 1), until=D(2024, 3, 1)).days == 0
    one = daily_continuous_penalty(10000, order_date=D(2024, 3, 1), until=D(2024, 3, 2))
    assert one.available and one.days == 1 and one.total == Decimal(10000)
    month = daily_continuous_penalty(10000, order_date=D(2024, 3, 1), until=D(2024, 3, 31))
    assert month.days == 30 and month.total == Decimal(300000)
    assert month.citations[0].article == "第一百一十二条"


def test_daily_penalty_not_before_2021_amendment():
    before = daily_continuous_penalty(10000, order_date=D(2021, 10, 1), until=D(2021, 10, 5),
                                      violation_ended=D(2021, 8, 31))
    assert not before.available and before.total == 0
    on = daily_continuous_penalty(10000, order_date=D(2021, 10, 1), until=D(2021, 10, 5),
                                  violation_ended=D(2021, 9, 1))
    assert on.available and on.days == 4


def test_daily_penalty_end_before_order_refused():
    with pytest.raises(ValueError, match="不能早于"):
        daily_continuous_penalty(10000, order_date=D(2024, 3, 2), until=D(2024, 3, 1))


# --- one_act_one_fine (行政处罚法 第二十九条) -------------------------------------------

def test_higher_maximum_applies():
    a = FineCandidate("安全生产法 第九十九条第（二）项", R(0, 50000), WSL, "第九十九条")
    b = FineCandidate("安全生产法 第一百零一条第（一）项", R(0, 100000), WSL, "第一百零一条")
    result = one_act_one_fine([a, b])
    assert result.provision_applied == b.provision
    assert [c.article for c in result.citations] == ["第二十九条", "第一百零一条"]
    assert all(c.applies_to == "provision_applied" for c in result.citations)


def test_equal_maxima_compare_minima_then_keep_first():
    a = FineCandidate("甲", R(0, 100000))
    b = FineCandidate("乙", R(50000, 100000))
    assert one_act_one_fine([a, b]).provision_applied == "乙"
    c = FineCandidate("丙", R(50000, 100000))
    assert one_act_one_fine([b, c]).provision_applied == "乙"


def test_candidates_without_fine_ignored_or_none():
    a = FineCandidate("甲", None)
    b = FineCandidate("乙", R(0, 10000))
    assert one_act_one_fine([a, b]).provision_applied == "乙"
    assert one_act_one_fine([a]).provision_applied is None
    with pytest.raises(ValueError, match="一事不再罚"):
        one_act_one_fine([])


def test_one_act_one_fine_2017_citation():
    result = one_act_one_fine([FineCandidate("甲", R(0, 1))], decided=D(2021, 7, 14))
    assert (result.citations[0].version, result.citations[0].article) == (
        APL_2017.version, "第二十四条")
    later = one_act_one_fine([FineCandidate("甲", R(0, 1))], decided=D(2021, 7, 15))
    assert (later.citations[0].version, later.citations[0].article) == (APL.version, "第二十九条")


# --- dual_penalty -------------------------------------------------------------------------

def test_wsl97_overdue_is_dual_penalty():
    result = dual_penalty(True, unit_fine=WSL97_OVERDUE_UNIT,
                          persons_fine=WSL97_OVERDUE_PERSONS, article="第九十七条")
    assert result.dual_penalty
    assert result.citations[0].applies_to == "recommendation.dual_penalty"
    assert result.citations[0].law == WSL.name


def test_wsl97_first_stage_is_not_dual():
    result = dual_penalty(True, unit_fine=WSL97_FIRST, persons_fine=None, article="第九十七条")
    assert not result.dual_penalty and result.responsible_persons is None


def test_item_not_naming_persons_is_not_dual():
    result = dual_penalty(False, unit_fine=WSL97_OVERDUE_UNIT,
                          persons_fine=WSL97_OVERDUE_PERSONS, article="第一百零九条")
    assert not result.dual_penalty and result.responsible_persons is None
