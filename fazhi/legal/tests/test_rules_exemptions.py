"""Exemption and credit rules: boundary tests. Expected values are worked out from the law
quoted in each test, not from the functions under test."""

import datetime

import pytest

from fazhi.legal.rules.exemptions import (
    DISCRETIONARY,
    MANDATORY,
    NONE,
    CreditConfig,
    add_months,
    credit,
    exemption,
)

D = datetime.date

# 行政处罚法(2021) 第三十三条第一款: 违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。
# 初次违法且危害后果轻微并及时改正的，可以不予行政处罚。
MINOR_CORRECTED_NO_HARM = {"minor": True, "corrected_in_time": True, "harmful_consequence": False}
FIRST_VIOLATION = {"first_violation": True, "harm_minor": True, "corrected_in_time": True,
                   "harmful_consequence": True, "minor": False}


# --- exemption ------------------------------------------------------------------------

def test_minor_corrected_no_harm_is_mandatory():
    result = exemption(MINOR_CORRECTED_NO_HARM)
    assert result.exemption == MANDATORY
    assert [g.id for g in result.grounds] == ["minor_corrected_no_harm"]
    assert {c.article for c in result.citations} == {"第三十三条第一款", "第三十三条第三款"}
    assert all(c.applies_to == "exemption" for c in result.citations)
    # 第三十三条第三款: 依法不予行政处罚的，应当对当事人进行教育.
    assert result.guidance_measures == ("对当事人进行教育",)


@pytest.mark.parametrize("change", [{"minor": False}, {"corrected_in_time": False},
                                    {"harmful_consequence": True}])
def test_each_missing_condition_defeats_the_mandatory_rule(change):
    result = exemption({**MINOR_CORRECTED_NO_HARM, **change})
    assert result.exemption == NONE and result.grounds == () and result.guidance_measures == ()


def test_harm_not_stated_is_undetermined_not_exempt():
    result = exemption({"minor": True, "corrected_in_time": True})
    assert result.exemption == NONE
    assert "harmful_consequence" in result.undetermined


def test_first_violation_is_discretionary():
    result = exemption(FIRST_VIOLATION)
    assert result.exemption == DISCRETIONARY
    assert [g.id for g in result.grounds] == ["first_violation"]
    assert result.guidance_measures == ("决定不予行政处罚的，对当事人进行教育",)


@pytest.mark.parametrize("change", [{"first_violation": False}, {"harm_minor": False},
                                    {"corrected_in_time": False}])
def test_first_violation_conditions(change):
    assert exemption({**FIRST_VIOLATION, **change}).exemption == NONE


def test_mandatory_prevails_and_both_grounds_listed():
    facts = {**MINOR_CORRECTED_NO_HARM, "first_violation": True, "harm_minor": True}
    result = exemption(facts)
    assert result.exemption == MANDATORY
    assert [g.result for g in result.grounds] == [MANDATORY, DISCRETIONARY]


def test_no_fault_proven_is_mandatory_unless_a_law_says_otherwise():
    # 第三十三条第二款: 当事人有证据足以证明没有主观过错的，不予行政处罚。法律、行政法规另有
    # 规定的，从其规定。
    result = exemption({"no_fault_proven": True})
    assert result.exemption == MANDATORY
    assert result.citations[0].article == "第三十三条第二款"
    assert exemption({"no_fault_proven": True}, no_fault_excluded_by_law=True).exemption == NONE
    assert exemption({"no_fault_proven": False}).exemption == NONE


def test_2017_text_before_2021_07_15():
    # 行政处罚法(2017) 第二十七条第二款 only: no 首违不罚, no no-fault rule.
    before = D(2021, 7, 14)
    assert exemption(FIRST_VIOLATION, decided=before).exemption == NONE
    assert exemption({"no_fault_proven": True}, decided=before).exemption == NONE
    old = exemption(MINOR_CORRECTED_NO_HARM, decided=before)
    assert old.exemption == MANDATORY and old.law_version == "2017"
    assert [c.article for c in old.citations] == ["第二十七条第二款"]
    assert exemption(FIRST_VIOLATION, decided=D(2021, 7, 15)).exemption == DISCRETIONARY


def test_non_boolean_fact_refused_in_chinese():
    with pytest.raises(ValueError, match="minor"):
        exemption({"minor": "true"})


def test_no_facts_no_exemption():
    result = exemption({})
    assert result.exemption == NONE
    assert result.citations[0].article == "第三十三条"


# --- month arithmetic (民法典 第二百零一条、第二百零二条) ---------------------------------

@pytest.mark.parametrize(("start", "months", "last"), [
    (D(2024, 11, 30), 3, D(2025, 2, 28)),   # procedure.yaml example: no 30 Feb → 28 Feb
    (D(2024, 2, 29), 12, D(2025, 2, 28)),   # leap day, next year has no 29 Feb
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 4, 1), 3, D(2026, 7, 1)),
    (D(2025, 12, 15), 36, D(2028, 12, 15)),
])
def test_add_months(start, months, last):
    assert add_months(start, months) == last


# --- credit ------------------------------------------------------------------------------

def test_last_day_of_2023_rule():
    # Decided 2026-03-31: 失信行为纠正后的信用信息修复管理办法（试行） still in force.
    # General: min 3 months → ends 2026-06-30, repair from 2026-07-01; max 1 year → 2027-03-31.
    result = credit(D(2026, 3, 31), "general")
    assert result.rule_version == "2023"
    assert result.min_period_ends == D(2026, 6, 30)
    assert result.earliest_repair == D(2026, 7, 1)
    assert result.publicity_ends_at_latest == D(2027, 3, 31)
    assert {c.law for c in result.citations if c.applies_to.startswith("credit.")} >= {
        "失信行为纠正后的信用信息修复管理办法（试行）"}


def test_first_day_of_2025_rule():
    # Decided 2026-04-01: 信用修复管理办法 (2025) applies.
    result = credit(D(2026, 4, 1), "general")
    assert result.rule_version == "2025"
    assert result.earliest_repair == D(2026, 7, 2)
    assert result.publicity_ends_at_latest == D(2027, 4, 1)
    assert result.citations[0].law == "信用修复管理办法"
    assert result.as_dict() == {"earliest_repair": "2026-07-02",
                                "publicity_ends_at_latest": "2027-04-01"}


def test_serious_on_both_sides_of_2026_04_01():
    # Serious: 1 year minimum, 3 years maximum under both rules.
    before = credit(D(2026, 3, 31), "serious")
    after = credit(D(2026, 4, 1), "serious")
    assert (before.earliest_repair, before.publicity_ends_at_latest) == (
        D(2027, 4, 1), D(2029, 3, 31))
    assert (after.earliest_repair, after.publicity_ends_at_latest) == (
        D(2027, 4, 2), D(2029, 4, 1))


def test_minor_only_under_2025_rule():
    with pytest.raises(ValueError, match="不区分轻微失信"):
        credit(D(2026, 3, 31), "minor")
    result = credit(D(2026, 4, 1), "minor")
    # 轻微失信信息原则上不予公示；确有必要公示的最长3个月，履行完法定责任即可申请修复.
    assert not result.published and result.earliest_repair is None
    assert result.publicity_ends_at_latest == D(2026, 7, 1)
    assert result.as_dict() == {"publicity_ends_at_latest": "2026-07-01"}


def test_2019_notice_before_2023_05_01():
    # 发改办财金〔2019〕527号: serious minimum 6 months (not 1 year).
    before = credit(D(2023, 4, 30), "serious")
    assert before.rule_version == "2019" and before.min_months == 6
    assert before.earliest_repair == D(2023, 10, 31)
    after = credit(D(2023, 5, 1), "serious")
    assert after.rule_version == "2023" and after.min_months == 12
    assert after.earliest_repair == D(2024, 5, 2)


def test_before_any_rule_refused():
    with pytest.raises(ValueError, match="无可适用"):
        credit(D(2019, 6, 30), "general")
    assert credit(D(2019, 7, 1), "general").rule_version == "2019"


def test_bad_severity_refused():
    with pytest.raises(ValueError, match="credit_severity"):
        credit(D(2024, 1, 1), "grave")


def test_sector_minimum_under_2023_rule_only():
    # The one-year minimum quoted for 安全生产 information (local reading of the 2023 rule).
    config = CreditConfig(sector_min_months_2023=12)
    result = credit(D(2024, 1, 15), "general", config=config)
    assert result.min_months == 12 and result.earliest_repair == D(2025, 1, 16)
    assert credit(D(2026, 4, 1), "general", config=config).min_months == 3
