"""Procedure rules: boundary tests. Expected values are worked out from the law quoted in
each test, not from the functions under test."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.rules.calendar import Schedule
from fazhi.legal.rules.citations import APL, WSL, WSL_2014, LawVersion
from fazhi.legal.rules.procedure import (
    DEFAULT_LARGE_FINE_THRESHOLD,
    CollectiveDiscussionConfig,
    LargeFineThreshold,
    PenaltyRange,
    add_years,
    choose_law_version,
    collective_discussion_required,
    criminal_transfer,
    hearing_notice_compliant,
    hearing_rights,
    legal_review_required,
    limitation,
    summary_procedure_allowed,
)

D = datetime.date

# 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）: weekday holidays (休)
# and weekend working days (班) of 2024.
SCHEDULE_2024 = Schedule(
    holidays={D(2024, 1, 1), *(D(2024, 2, d) for d in range(12, 17)), D(2024, 4, 4),
              D(2024, 4, 5), D(2024, 5, 1), D(2024, 5, 2), D(2024, 5, 3), D(2024, 6, 10),
              D(2024, 9, 16), D(2024, 9, 17), *(D(2024, 10, d) for d in (1, 2, 3, 4, 7))},
    workdays={D(2024, 2, 4), D(2024, 2, 18), D(2024, 4, 7), D(2024, 4, 28), D(2024, 5, 11),
              D(2024, 9, 14), D(2024, 9, 29), D(2024, 10, 12)},
    loaded_years={2024},
)


def applies(result, element):
    return result.citations and all(c.applies_to == element for c in result.citations
                                    if c.law == APL.name)


# --- 1. summary procedure: 行政处罚法(2021) 第五十一条 200 / 3000; 2017 第三十三条 50 / 1000


@pytest.mark.parametrize(("party", "fine", "allowed"), [
    ("individual", 199, True), ("individual", 200, True), ("individual", "200.00", True),
    ("individual", "200.01", False), ("individual", 201, False),
    ("unit", 2999, True), ("unit", 3000, True), ("unit", 3001, False),
])
def test_summary_procedure_fine_ceilings_2021(party, fine, allowed):
    result = summary_procedure_allowed(party_type=party, facts_conclusive=True,
                                       measures=["fine"], fine=fine, decided=D(2024, 5, 6))
    assert result.allowed is allowed
    assert result.law_version == "2021"
    assert result.citations[0].article == "第五十一条"
    assert result.citations[0].applies_to == "summary_procedure_allowed"


@pytest.mark.parametrize(("party", "fine", "allowed"), [
    ("individual", 50, True), ("individual", 51, False),
    ("unit", 1000, True), ("unit", 1001, False),
    ("individual", 200, False),  # allowed under the 2021 text, not the 2017 one
])
def test_summary_procedure_under_the_2017_text_for_decisions_before_15_july_2021(
        party, fine, allowed):
    result = summary_procedure_allowed(party_type=party, facts_conclusive=True,
                                       measures=["fine"], fine=fine, decided=D(2021, 7, 14))
    assert result.allowed is allowed
    assert result.law_version == "2017"
    assert result.citations[0].version == "2017"
    assert result.citations[0].article == "第三十三条"


def test_summary_procedure_switches_text_on_15_july_2021():
    fine = dict(party_type="individual", facts_conclusive=True, measures=["fine"], fine=200)
    assert not summary_procedure_allowed(**fine, decided=D(2021, 7, 14)).allowed
    assert summary_procedure_allowed(**fine, decided=D(2021, 7, 15)).allowed


def test_summary_procedure_warning_with_order_to_correct_is_allowed_for_any_party():
    result = summary_procedure_allowed(party_type="unit", facts_conclusive=True,
                                       measures=["warning", "order_correct_within_deadline"])
    assert result.allowed
    assert {c.article for c in result.citations} == {"第五十一条", "第二十八条第一款"}


@pytest.mark.parametrize("kwargs", [
    dict(facts_conclusive=False, measures=["warning"]),
    dict(facts_conclusive=True, measures=["warning", "suspend_business"]),
    dict(facts_conclusive=True, measures=["fine", "confiscate_gains"], fine=100,
         confiscation=10),
    dict(facts_conclusive=True, measures=["order_correct_within_deadline"]),
])
def test_summary_procedure_refused(kwargs):
    result = summary_procedure_allowed(party_type="individual", **kwargs)
    assert not result.allowed
    assert result.reasons


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(party_type="company"), "party_type"),
    (dict(party_type="unit", measures=["fine"]), r"proposed\.fine"),
    (dict(party_type="unit", measures=["fine"], fine=100.0), "浮点数"),
    (dict(party_type="unit", measures=["fine"], fine=-1), "负数"),
    (dict(party_type="unit", measures=["fine"], fine="abc"), "有效的金额"),
    (dict(party_type="unit", measures=["jail"]), "未知的处罚种类"),
])
def test_summary_procedure_bad_input_in_chinese(kwargs, message):
    with pytest.raises(ValueError, match=message):
        summary_procedure_allowed(facts_conclusive=True, **kwargs)


# --- 2. hearing rights: 行政处罚法(2021) 第六十三条; 较大数额 default 2万 / 5万 含本数


@pytest.mark.parametrize(("party", "fine", "rights"), [
    ("individual", 19999, False), ("individual", 20000, True),
    ("unit", 49999, False), ("unit", "49999.99", False), ("unit", 50000, True),
])
def test_large_fine_default_threshold_counts_the_amount_at_the_threshold(party, fine, rights):
    result = hearing_rights(party_type=party, measures=["fine"], fine=fine)
    assert result.hearing_rights is rights
    assert result.threshold_used.as_dict() == {"individual_min": 20000, "unit_min": 50000}
    articles = {c.article for c in result.citations}
    assert ("第六十三条第一款第（一）项" in articles) is rights
    assert any(c.applies_to == "threshold_used" and c.article == "第三十三条第二款"
               for c in result.citations)


def test_large_fine_threshold_is_configuration():
    zhejiang_what_if = LargeFineThreshold(individual_min=10000, unit_min=30000)
    assert not hearing_rights(party_type="individual", measures=["fine"], fine=9999,
                              threshold=zhejiang_what_if).hearing_rights
    assert hearing_rights(party_type="individual", measures=["fine"], fine=10000,
                          threshold=zhejiang_what_if).hearing_rights
    assert hearing_rights(party_type="unit", measures=["fine"], fine=30000,
                          threshold=zhejiang_what_if).threshold_used.as_dict() == {
        "individual_min": 10000, "unit_min": 30000}


@pytest.mark.parametrize(("measure", "article"), [
    ("downgrade_qualification", "第六十三条第一款第（三）项"),
    ("revoke_permit", "第六十三条第一款第（三）项"),
    ("suspend_business", "第六十三条第一款第（四）项"),
    ("close", "第六十三条第一款第（四）项"),
    ("restrict_practice", "第六十三条第一款第（四）项"),
    ("other_heavy", "第六十三条第一款第（五）项"),
    ("other_statutory", "第六十三条第一款第（六）项"),
])
def test_heavy_measures_carry_hearing_rights_whatever_the_fine(measure, article):
    result = hearing_rights(party_type="unit", measures=["fine", measure], fine=1000)
    assert result.hearing_rights
    assert result.triggers == (measure,)
    assert article in {c.article for c in result.citations}
    assert all(c.applies_to in ("hearing_rights", "threshold_used") for c in result.citations)


def test_warning_and_order_to_correct_carry_no_hearing_rights():
    result = hearing_rights(party_type="individual",
                            measures=["warning", "order_correct_within_deadline"])
    assert not result.hearing_rights
    assert result.triggers == ()
    assert result.citations[0].article == "第六十三条"


@pytest.mark.parametrize(("amount", "rights"), [(49999, False), (50000, True)])
def test_confiscation_of_a_large_amount_carries_hearing_rights(amount, rights):
    result = hearing_rights(party_type="unit", measures=["confiscate_gains"],
                            confiscation=amount)
    assert result.hearing_rights is rights
    assert ("第六十三条第一款第（二）项" in {c.article for c in result.citations}) is rights


def test_hearing_rights_bad_input():
    with pytest.raises(ValueError, match=r"proposed\.confiscation"):
        hearing_rights(party_type="unit", measures=["confiscate_property"])
    with pytest.raises(ValueError, match="正数"):
        LargeFineThreshold(individual_min=0, unit_min=50000)
    assert DEFAULT_LARGE_FINE_THRESHOLD.minimum_for("unit") == Decimal(50000)


# --- 2b. hearing notice: 第六十四条第（二）项 七日前 + 第八十五条 working days


def test_hearing_notice_last_day_is_the_seventh_working_day_before_the_hearing():
    # Hearing Wednesday 2024-06-19. Working days counted back, the hearing day not
    # counted: 18 Tue (1), 17 Mon (2), 14 Fri (3), 13 Thu (4), 12 Wed (5), 11 Tue (6);
    # 10 Mon is 端午节, so the 7th is Friday 2024-06-07.
    hearing = D(2024, 6, 19)
    assert hearing_notice_compliant(D(2024, 6, 7), hearing, SCHEDULE_2024).compliant
    late = hearing_notice_compliant(D(2024, 6, 8), hearing, SCHEDULE_2024)
    assert not late.compliant
    assert late.last_notice_day == D(2024, 6, 7)
    assert not hearing_notice_compliant(D(2024, 6, 11), hearing, SCHEDULE_2024).compliant
    assert late.assumed_years == frozenset()
    assert {c.article for c in late.citations} == {"第六十四条第（二）项", "第八十五条"}
    assert all(c.applies_to == "hearing_notice_compliant" for c in late.citations)


def test_hearing_notice_across_national_day_counts_the_adjusted_working_days():
    # Hearing Monday 2024-10-14. Back: 12 Sat (调休上班, 1), 11 (2), 10 (3), 9 (4), 8 (5);
    # 1–7 October are holidays or weekend; 30 Sep Mon (6), 29 Sep Sun (调休上班, 7).
    hearing = D(2024, 10, 14)
    result = hearing_notice_compliant(D(2024, 9, 29), hearing, SCHEDULE_2024)
    assert result.compliant
    assert result.last_notice_day == D(2024, 9, 29)
    assert not hearing_notice_compliant(D(2024, 9, 30), hearing, SCHEDULE_2024).compliant


def test_hearing_notice_in_a_year_without_schedule_is_flagged():
    # 2030 not loaded: weekends only. Hearing Wed 2030-01-16 -> 7th working day back is
    # Mon 2030-01-07 (15,14,11,10,9,8,7).
    result = hearing_notice_compliant(D(2030, 1, 7), D(2030, 1, 16), SCHEDULE_2024)
    assert result.compliant
    assert result.assumed_years == frozenset({2030})
    assert not hearing_notice_compliant(D(2030, 1, 8), D(2030, 1, 16), SCHEDULE_2024).compliant


def test_hearing_notice_before_the_2021_law_is_refused():
    with pytest.raises(ValueError, match="2021年7月15日"):
        hearing_notice_compliant(D(2021, 7, 1), D(2021, 7, 14), SCHEDULE_2024)


# --- 3. legal review (第五十八条第一款) and collective discussion (第五十七条第二款)


@pytest.mark.parametrize(("facts", "item"), [
    (dict(major_public_interest=True), "第（一）项"),
    (dict(major_rights=True, hearing_held=True), "第（二）项"),
    (dict(complex=True, multiple_legal_relations=True), "第（三）项"),
    (dict(complex=True), "第（三）项"),
    (dict(multiple_legal_relations=True), "第（三）项"),
    (dict(other_statutory=True), "第（四）项"),
])
def test_legal_review_required(facts, item):
    result = legal_review_required(**facts)
    assert result.required
    assert [c.article for c in result.citations] == [f"第五十八条第一款{item}"]
    assert applies(result, "legal_review_required")


@pytest.mark.parametrize("facts", [
    dict(), dict(major_rights=True), dict(hearing_held=True),
])
def test_legal_review_not_required(facts):
    # Item (二) needs BOTH a major right and a hearing held ("……重大权益，经过听证程序的").
    result = legal_review_required(**facts)
    assert not result.required
    assert result.citations[0].article == "第五十八条第一款"


@pytest.mark.parametrize(("facts", "required"), [
    (dict(), False),
    (dict(complex=True), True),
    (dict(major_violation=True), True),
    (dict(especially_serious_and_egregious=True), True),
    (dict(hearing_level=True), False),  # local practice only, off by default
])
def test_collective_discussion_2021(facts, required):
    result = collective_discussion_required(decided=D(2024, 3, 1), **facts)
    assert result.required is required
    assert result.citations[0].article == "第五十七条第二款"
    assert result.citations[0].version == "2021"
    assert applies(result, "collective_discussion_required")


def test_collective_discussion_local_practice_for_hearing_level_penalties():
    config = CollectiveDiscussionConfig(hearing_level_penalties=True)
    assert collective_discussion_required(hearing_level=True, config=config).required
    assert not collective_discussion_required(hearing_level=False, config=config).required


def test_collective_discussion_under_the_2017_text_needs_a_heavier_penalty():
    # 行政处罚法(2017) 第三十八条第二款: 对情节复杂或者重大违法行为给予较重的行政处罚 …
    before = D(2021, 7, 14)
    assert not collective_discussion_required(complex=True, decided=before).required
    result = collective_discussion_required(complex=True, heavier_penalty=True, decided=before)
    assert result.required
    assert (result.citations[0].version, result.citations[0].article) == ("2017",
                                                                           "第三十八条第二款")
    assert not collective_discussion_required(heavier_penalty=True, decided=before).required


# --- 4. limitation: 第三十六条, 民法典 第二百零一条、第二百零二条


def test_two_years_last_day_and_the_day_after():
    # Ended 2022-03-10: counting starts 2022-03-11; two years end on 2024-03-10.
    ended = D(2022, 3, 10)
    in_time = limitation(violation_ended=ended, discovered=D(2024, 3, 10))
    assert in_time.as_dict() == {"years": 2, "expired": False}
    assert in_time.last_day == D(2024, 3, 10)
    assert limitation(violation_ended=ended, discovered=D(2024, 3, 11)).as_dict() == {
        "years": 2, "expired": True}
    assert {c.article for c in in_time.citations} >= {"第三十六条第一款", "第三十六条第二款",
                                                      "第二百零一条", "第二百零二条"}
    assert all(c.applies_to == "limitation" for c in in_time.citations)


def test_five_years_needs_life_health_or_financial_safety_and_harm():
    ended = D(2022, 3, 10)
    both = dict(involves_life_health_or_financial_safety=True, harmful_consequence=True)
    assert limitation(violation_ended=ended, discovered=D(2027, 3, 10), **both).as_dict() == {
        "years": 5, "expired": False}
    assert limitation(violation_ended=ended, discovered=D(2027, 3, 11), **both).expired
    for only_one in (dict(involves_life_health_or_financial_safety=True),
                     dict(harmful_consequence=True)):
        result = limitation(violation_ended=ended, discovered=D(2024, 3, 11), **only_one)
        assert (result.years, result.expired) == (2, True)


def test_a_period_from_29_february_ends_on_28_february():
    # 民法典 第二百零二条: no corresponding day -> last day of that month.
    ended = D(2024, 2, 29)
    assert limitation(violation_ended=ended, discovered=D(2026, 2, 28)).expired is False
    assert limitation(violation_ended=ended, discovered=D(2026, 3, 1)).expired is True
    assert add_years(ended, 5) == D(2029, 2, 28)
    assert add_years(ended, 4) == D(2028, 2, 29)


def test_violations_ended_before_the_2021_law_keep_two_years():
    # 2017 text 第二十九条 had two years only; the five-year rule is heavier, so 第三十七条
    # (从旧兼从轻) keeps the old period.
    both = dict(involves_life_health_or_financial_safety=True, harmful_consequence=True)
    old = limitation(violation_ended=D(2021, 7, 14), discovered=D(2023, 7, 15), **both)
    assert (old.years, old.expired, old.law_version) == (2, True, "2017")
    assert {(c.version, c.article) for c in old.citations} >= {("2017", "第二十九条第一款"),
                                                               ("2021", "第三十七条")}
    new = limitation(violation_ended=D(2021, 7, 15), discovered=D(2026, 7, 15), **both)
    assert (new.years, new.expired, new.law_version) == (5, False, "2021")


def test_a_continuing_violation_discovered_before_it_ended_is_in_time():
    assert not limitation(violation_ended=D(2025, 1, 1), discovered=D(2024, 6, 1)).expired


# --- 5. 从旧兼从轻 (第三十七条) with the amended Work Safety Law

# 安全生产法(2014) 第九十四条: 未按照规定设置安全生产管理机构或者配备安全生产管理人员的 …
# 责令限期改正，可以处五万元以下的罚款. 安全生产法(2021) 第九十七条: 同一行为 … 处十万元以下
# 的罚款 (raised).
NO_SAFETY_MANAGER = {
    WSL_2014: PenaltyRange(min=0, max=50000, article="第九十四条"),
    WSL: PenaltyRange(min=0, max=100000, article="第九十七条"),
}
# 安全生产法(2014) 第九十九条: 未采取措施消除事故隐患，拒不执行的，责令停产停业整顿，并处十万元
# 以上五十万元以下的罚款; 安全生产法(2021) 第一百零二条: 拒不执行的，责令停产停业整顿 (no unit
# fine at this stage): lighter for the unit.
HAZARD_REFUSED_UNIT = {
    WSL_2014: PenaltyRange(min=100000, max=500000, measures=frozenset({"suspend_business"}),
                           article="第九十九条"),
    WSL: PenaltyRange(min=0, max=0, measures=frozenset({"suspend_business"}),
                      article="第一百零二条"),
}


def test_old_law_applies_to_a_violation_ended_before_1_september_2021_decided_after():
    choice = choose_law_version((WSL_2014, WSL), D(2021, 8, 31), D(2021, 10, 15),
                                NO_SAFETY_MANAGER)
    assert choice.version is WSL_2014
    assert choice.rule == "old"
    assert choice.penalty.max == Decimal(50000)
    assert "从旧兼从轻" in choice.reason
    assert [(c.law, c.version, c.article) for c in choice.citations] == [
        (APL.name, "2021", "第三十七条"), (WSL.name, "2014", "第九十四条")]
    assert all(c.applies_to == "provision_applied" for c in choice.citations)


def test_new_law_applies_to_a_violation_ended_on_1_september_2021():
    choice = choose_law_version((WSL_2014, WSL), D(2021, 9, 1), D(2021, 10, 15),
                                NO_SAFETY_MANAGER)
    assert (choice.version, choice.rule) == (WSL, "old")
    assert choice.citations[-1].article == "第九十七条"


def test_new_law_applies_when_lighter():
    choice = choose_law_version((WSL_2014, WSL), D(2021, 6, 30), D(2021, 12, 1),
                                HAZARD_REFUSED_UNIT)
    assert (choice.version, choice.rule) == (WSL, "new")
    assert "处罚较轻" in choice.reason
    assert choice.citations[-1].article == "第一百零二条"
    assert choice.citations[-1].version == "2021"


def test_new_law_applies_when_it_no_longer_punishes():
    choice = choose_law_version((WSL_2014, WSL), D(2021, 6, 30), D(2021, 12, 1),
                                {WSL_2014: PenaltyRange(min=0, max=20000), WSL: None})
    assert (choice.version, choice.rule, choice.penalty) == (WSL, "new", None)
    assert "不再处罚" in choice.reason


def test_ties_and_added_measures_keep_the_old_law():
    same_max_lower_min = {WSL_2014: PenaltyRange(min=10000, max=50000),
                          WSL: PenaltyRange(min=5000, max=50000)}
    assert choose_law_version((WSL_2014, WSL), D(2021, 1, 1), D(2022, 1, 1),
                              same_max_lower_min).version is WSL
    equal = {WSL_2014: PenaltyRange(min=0, max=50000), WSL: PenaltyRange(min=0, max=50000)}
    assert choose_law_version((WSL_2014, WSL), D(2021, 1, 1), D(2022, 1, 1),
                              equal).version is WSL_2014
    added = {WSL_2014: PenaltyRange(min=0, max=50000),
             WSL: PenaltyRange(min=0, max=10000, measures=frozenset({"suspend_business"}))}
    assert choose_law_version((WSL_2014, WSL), D(2021, 1, 1), D(2022, 1, 1),
                              added).version is WSL_2014


def test_callable_penalty_and_decisions_before_2021_cite_the_legislation_law():
    choice = choose_law_version((WSL_2014, WSL), D(2020, 1, 1), D(2021, 7, 1),
                                lambda version: NO_SAFETY_MANAGER[version])
    assert choice.version is WSL_2014
    assert "均为" in choice.reason
    assert (choice.citations[0].law, choice.citations[0].article) == ("中华人民共和国立法法",
                                                                      "第九十三条")


def test_repealed_law_without_successor_no_longer_punishes():
    old_rule = LawVersion("X", "某规章", "2010", D(2010, 1, 1), D(2020, 1, 1))
    choice = choose_law_version((old_rule,), D(2019, 6, 1), D(2020, 6, 1),
                                {old_rule: PenaltyRange(min=0, max=1000)})
    assert (choice.rule, choice.penalty) == ("repealed", None)


def test_choose_law_version_bad_input():
    with pytest.raises(ValueError, match=r"dates\.decided"):
        choose_law_version((WSL_2014, WSL), D(2022, 1, 2), D(2022, 1, 1), NO_SAFETY_MANAGER)
    with pytest.raises(ValueError, match="未提供"):
        choose_law_version((WSL_2014, WSL), D(2021, 1, 1), D(2022, 1, 1), {WSL: None})
    with pytest.raises(ValueError, match="下限不能高于上限"):
        PenaltyRange(min=10, max=5)


amounts = st.integers(min_value=0, max_value=2_000_000)


@given(a=amounts, b=amounts, c=amounts, d=amounts,
       ended=st.dates(D(2015, 1, 1), D(2026, 12, 31)),
       gap=st.integers(min_value=0, max_value=2000))
def test_the_chosen_range_is_never_heavier_than_the_old_one(a, b, c, d, ended, gap):
    old = PenaltyRange(min=min(a, b), max=max(a, b))
    new = PenaltyRange(min=min(c, d), max=max(c, d))
    choice = choose_law_version((WSL_2014, WSL), ended, ended + datetime.timedelta(days=gap),
                                {WSL_2014: old, WSL: new})
    decided = ended + datetime.timedelta(days=gap)
    if ended >= WSL.effective:
        assert choice.version is WSL
    else:
        # Never heavier than the law at the time of the act (by max, then min) ...
        assert (choice.penalty.max, choice.penalty.min) <= (old.max, old.min)
        # ... and the later law only when decided under it and strictly lighter.
        lighter = (new.max, new.min) < (old.max, old.min)
        assert (choice.version is WSL) == (decided >= WSL.effective and lighter)


# --- 6. criminal transfer: 法释〔2015〕22号 第六条 (1 death / 3 serious injuries / 100万)


@pytest.mark.parametrize(("accident", "met"), [
    (dict(), False),
    (dict(deaths=1), True),
    (dict(serious_injuries=2), False), (dict(serious_injuries=3), True),
    (dict(direct_loss=999999), False), (dict(direct_loss="999999.99"), False),
    (dict(direct_loss=1000000), True),
    (dict(other_serious_consequence=True), True),
])
def test_criminal_threshold(accident, met):
    result = criminal_transfer(**accident)
    assert result.as_dict() == {"threshold_met": met, "required": met}
    assert all(c.applies_to == "criminal_transfer" for c in result.citations)
    assert result.citations[0].article == "第六条第一款"


def test_criminal_transfer_needs_the_accident_to_follow_from_a_violation():
    result = criminal_transfer(deaths=2, caused_by_safety_violation=False)
    assert (result.threshold_met, result.required) == (True, False)
    assert criminal_transfer(other_suspected_crime=True).as_dict() == {
        "threshold_met": False, "required": True}


def test_criminal_transfer_bad_input():
    with pytest.raises(ValueError, match="死亡人数"):
        criminal_transfer(deaths=-1)
    with pytest.raises(ValueError, match="直接经济损失"):
        criminal_transfer(direct_loss=1.5)
