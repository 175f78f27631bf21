"""The pure rules: the reward of 安全生产领域举报奖励办法 at every edge (the 15 % line
meeting the 3,000 floor and the 300,000 ceiling, the per-death sums and their cap), the
tip deadlines and the disclosure answer period of 政府信息公开条例 第三十三条 on the
working-day calendar."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fazhi.core.rules.calendar import Schedule
from fazhi.oversight.rules import disclosure, portal, rewards, tips

H, C = rewards.HAZARD, rewards.CONCEALED


@pytest.mark.parametrize(("penalty", "reward"), [
    (0, 3000),              # no fine: the floor
    (19_999, 3000),         # 2,999.85: below the floor
    (20_000, 3000),         # exactly the floor (15 % of 20,000)
    (20_004, 3001),         # 3,000.60 rounds half up to the yuan
    (20_003, 3000),         # 3,000.45 rounds down
    (100_000, 15_000),      # inside the range
    (1_999_999, 300_000),   # 299,999.85 rounds to the ceiling
    (2_000_000, 300_000),   # exactly the ceiling
    (2_000_007, 300_000),   # above: clamped
    (50_000_000, 300_000),
])
def test_hazard_reward_is_15_percent_between_floor_and_ceiling(penalty, reward):
    result = rewards.tip_reward(tip_type=H, penalty_amount=penalty)
    assert result.whole_yuan == reward
    assert {c.applies_to for c in result.citations} == {"reward.hazard", "reward.basis"}
    assert any(c.article == "第七十六条" for c in result.citations)
    assert all("待核实" in c.article for c in result.citations if c.applies_to == "reward.hazard")


def test_hazard_reward_accepts_decimal_fines_and_ignores_accident_fields():
    assert rewards.tip_reward(tip_type=H, penalty_amount=Decimal("100000.00"),
                              accident_class="major", concealed_deaths=3).whole_yuan == 15000


@pytest.mark.parametrize(("klass", "deaths", "reward"), [
    ("ordinary", 0, 0), ("ordinary", 1, 30_000), ("ordinary", 10, 300_000),
    ("ordinary", 11, 300_000),
    ("large", 1, 40_000), ("large", 7, 280_000), ("large", 8, 300_000),
    ("major", 1, 50_000), ("major", 6, 300_000), ("major", 7, 300_000),
    ("extraordinary", 1, 60_000), ("extraordinary", 5, 300_000),
    ("extraordinary", 6, 300_000),
])
def test_concealed_accident_reward_per_death_with_cap(klass, deaths, reward):
    result = rewards.tip_reward(tip_type=C, accident_class=klass, concealed_deaths=deaths)
    assert result.whole_yuan == reward
    assert "reward.concealed_accident" in {c.applies_to for c in result.citations}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"tip_type": "other"}, "举报类别"),
    ({"tip_type": H, "penalty_amount": -1}, "不能为负数"),
    ({"tip_type": H, "penalty_amount": 1.5}, "整数"),
    ({"tip_type": C, "accident_class": None, "concealed_deaths": 1}, "事故等级"),
    ({"tip_type": C, "accident_class": "huge", "concealed_deaths": 1}, "事故等级"),
    ({"tip_type": C, "accident_class": "major", "concealed_deaths": -1}, "不能为负数"),
])
def test_impossible_input_is_refused_in_chinese(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rewards.tip_reward(**kwargs)


# --- deadlines ------------------------------------------------------------------------

# 2024: 1 May (Wed) to 5 May holiday, Sat 11 May a working day (the State Council schedule).
MAY_DAY = Schedule(holidays={datetime.date(2024, 5, d) for d in (1, 2, 3)},
                   workdays={datetime.date(2024, 4, 28), datetime.date(2024, 5, 11)},
                   loaded_years={2024})


def test_acceptance_counts_working_days_on_the_calendar():
    # received Tue 30 April: 6, 7, 8, 9, 10 May are the five working days
    due = tips.accept_due(MAY_DAY, datetime.date(2024, 4, 30))
    assert due.date == datetime.date(2024, 5, 10) and not due.assumed
    # a year without a loaded schedule is flagged
    assert tips.accept_due(MAY_DAY, datetime.date(2031, 1, 6)).assumed_years == {2031}


def test_handling_60_days_and_one_extension_of_at_most_30():
    accepted = datetime.date(2024, 3, 1)
    assert tips.handling_due(accepted) == datetime.date(2024, 4, 30)
    assert tips.handling_due(accepted, 30) == datetime.date(2024, 5, 30)
    with pytest.raises(ValueError, match="30"):
        tips.handling_due(accepted, 31)
    assert tips.feedback_due(accepted) == datetime.date(2024, 3, 11)
    assert tips.claim_due(accepted) == datetime.date(2024, 4, 30)


def test_disclosure_20_working_days_extension_and_supplement():
    received = datetime.date(2024, 4, 25)  # Thu
    # 26 Apr, 28 Apr (Sun, 班), 29, 30 Apr, 6–10 May, 11 May (Sat, 班), 13–17, 20–24 May
    assert disclosure.answer_due(MAY_DAY, received).date == datetime.date(2024, 5, 24)
    assert disclosure.answer_due(MAY_DAY, received, extension_days=20).date == \
        datetime.date(2024, 6, 21)
    with pytest.raises(ValueError, match="20个工作日"):
        disclosure.answer_due(MAY_DAY, received, extension_days=21)
    completed = datetime.date(2024, 5, 6)
    assert disclosure.answer_due(MAY_DAY, received, completed).date == \
        datetime.date(2024, 5, 31)
    assert disclosure.supplement_due(MAY_DAY, received).date == datetime.date(2024, 5, 8)
    assert disclosure.citations()[0].article == "第三十三条第二款"


def test_a_column_is_stale_after_half_a_month():
    today = datetime.date(2024, 6, 30)
    assert not portal.column_stale(datetime.date(2024, 6, 15), today)
    assert portal.column_stale(datetime.date(2024, 6, 14), today)
    assert portal.column_stale(None, today)
