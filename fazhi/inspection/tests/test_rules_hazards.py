"""The hazard rule (fazhi.inspection.rules.hazards) at its boundaries: what a major
hazard must name, that it is never closed on the spot, the order deadline against the
issue day, and the re-inspection due day (from the deadline or an earlier report; an
agency deadline, so a rest day is not moved).

Dates of 2024 are the official schedule (国务院办公厅关于2024年部分节假日安排的通知,
国办发明电〔2023〕7号): 国庆节 10月1日至7日放假调休，9月29日（周日）、10月12日（周六）
上班; 2024-10-01 is a Tuesday, so its weekday holidays are 10-01..10-04 and 10-07.
The 10-day period of the tests is the rules' own REINSPECTION count (unconfirmed
there) or an explicit PeriodRule; no legal count is asserted here."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.rules.calendar import Schedule
from fazhi.inspection.rules.hazards import (
    GENERAL,
    GENERAL_STANDARD,
    MAJOR,
    REINSPECTION,
    PeriodRule,
    hazard_problems,
    order_problems,
    reinspection_due,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
ISSUED = D(2024, 5, 6)  # a Monday
NATIONAL_DAY_2024 = Schedule(
    holidays={D(2024, 9, 16), D(2024, 9, 17), *(D(2024, 10, d) for d in (1, 2, 3, 4, 7))},
    workdays={D(2024, 9, 14), D(2024, 9, 29), D(2024, 10, 12)},
    loaded_years={2024},
)
TEN_CALENDAR_DAYS = PeriodRule(days=10, working_days=False, citation="测试", confirmed=False)
TEN_WORKING_DAYS = PeriodRule(days=10, working_days=True, citation="测试", confirmed=False)


def test_the_stated_facts_hold():
    assert D(2024, 10, 1).weekday() == 1  # Tuesday
    assert D(2024, 9, 29).weekday() == 6 and D(2024, 10, 12).weekday() == 5
    assert ISSUED.weekday() == 0


def _problems(**kw):
    values = {"level": GENERAL, "criterion_standard": None, "rectified_on_site": False,
              "issued_on": ISSUED, "deadline": ISSUED + ONE_DAY}
    values.update(kw)
    return hazard_problems(**values)


# --- what a hazard must hold ------------------------------------------------------------

def test_a_general_hazard_needs_no_criterion():
    assert _problems() == []
    assert _problems(rectified_on_site=True, deadline=None) == []


def test_a_major_hazard_needs_a_criterion():
    [problem] = _problems(level=MAJOR)
    assert "判定标准" in problem and "第一百一十八条" in problem


def test_a_major_hazard_criterion_must_be_of_a_major_hazard_standard():
    assert _problems(level=MAJOR, criterion_standard=GENERAL_STANDARD) == [
        "所选检查事项不是重大事故隐患判定标准条款"]
    assert _problems(level=MAJOR, criterion_standard="chemicals_2017") == []
    assert _problems(level=MAJOR, criterion_standard="industry_trade_2023") == []


def test_a_major_hazard_is_never_rectified_on_the_spot():
    problems = _problems(level=MAJOR, criterion_standard="chemicals_2017",
                         rectified_on_site=True, deadline=None)
    assert problems == ["重大事故隐患不能按当场整改处理，应责令限期整改"]


def test_every_problem_is_reported_at_once():
    problems = _problems(level=MAJOR, rectified_on_site=True)
    assert len(problems) == 2  # no criterion, and on the spot


def test_an_unknown_level_is_refused():
    assert _problems(level="minor") == ["隐患等级应为一般事故隐患或重大事故隐患"]


# --- the order deadline -------------------------------------------------------------------

def test_an_order_needs_a_deadline():
    [problem] = _problems(deadline=None)
    assert "整改期限" in problem


def test_a_deadline_on_the_issue_day_is_refused():
    assert order_problems(issued_on=ISSUED, deadline=ISSUED) == [
        "整改期限应晚于指令下达日期（2024年05月06日）"]
    assert order_problems(issued_on=ISSUED, deadline=ISSUED - ONE_DAY) != []


def test_a_deadline_the_next_day_is_accepted():
    assert order_problems(issued_on=ISSUED, deadline=ISSUED + ONE_DAY) == []
    assert _problems(deadline=ISSUED + ONE_DAY) == []


def test_on_the_spot_needs_no_deadline():
    assert _problems(rectified_on_site=True, deadline=None) == []


# --- re-inspection due ----------------------------------------------------------------------

def test_the_default_rule_counts_calendar_days_from_the_deadline():
    deadline = D(2024, 6, 3)
    result = reinspection_due(Schedule(), deadline=deadline)
    assert not REINSPECTION.working_days
    assert result.date == deadline + datetime.timedelta(days=REINSPECTION.days)
    assert not result.assumed


def test_due_counts_from_the_deadline():
    assert reinspection_due(Schedule(), deadline=D(2024, 6, 3),
                            rule=TEN_CALENDAR_DAYS).date == D(2024, 6, 13)


def test_due_counts_from_an_earlier_report():
    result = reinspection_due(Schedule(), deadline=D(2024, 6, 30), report_date=D(2024, 6, 10),
                              rule=TEN_CALENDAR_DAYS)
    assert result.date == D(2024, 6, 20)


def test_a_report_on_the_deadline_counts_from_the_deadline():
    result = reinspection_due(Schedule(), deadline=D(2024, 6, 30), report_date=D(2024, 6, 30),
                              rule=TEN_CALENDAR_DAYS)
    assert result.date == D(2024, 7, 10)


def test_a_report_after_the_deadline_counts_from_the_deadline():
    result = reinspection_due(Schedule(), deadline=D(2024, 6, 30), report_date=D(2024, 7, 5),
                              rule=TEN_CALENDAR_DAYS)
    assert result.date == D(2024, 7, 10)


def test_a_due_day_on_a_weekend_is_not_moved():
    # 2024-06-05 (Wednesday) + 10 days = 2024-06-15, a Saturday.
    result = reinspection_due(NATIONAL_DAY_2024, deadline=D(2024, 6, 5), rule=TEN_CALENDAR_DAYS)
    assert result.date == D(2024, 6, 15) and result.date.weekday() == 5


def test_a_due_day_on_a_public_holiday_is_not_moved():
    # 2024-09-21 + 10 days = 2024-10-01, 国庆节.
    result = reinspection_due(NATIONAL_DAY_2024, deadline=D(2024, 9, 21),
                              rule=TEN_CALENDAR_DAYS)
    assert result.date == D(2024, 10, 1)
    default = reinspection_due(NATIONAL_DAY_2024, deadline=D(2024, 10, 1) - datetime.timedelta(
        days=REINSPECTION.days))
    assert default.date == D(2024, 10, 1)


def test_working_days_variant_across_national_day_2024():
    # From Friday 2024-09-27: 9-29 (Sunday, 班) 1, 9-30 2, [10-01..10-07 off], 10-08..10-11
    # 3-6, 10-12 (Saturday, 班) 7, 10-14..10-16 8-10.
    result = reinspection_due(NATIONAL_DAY_2024, deadline=D(2024, 9, 27), rule=TEN_WORKING_DAYS)
    assert result.date == D(2024, 10, 16)
    assert not result.assumed


def test_working_days_variant_counts_from_an_earlier_report():
    # From Wednesday 2024-09-25: 9-26, 9-27, 9-29 (班), 9-30, 10-08 .. 10-12 (班), 10-14.
    result = reinspection_due(NATIONAL_DAY_2024, deadline=D(2024, 10, 31),
                              report_date=D(2024, 9, 25), rule=TEN_WORKING_DAYS)
    assert result.date == D(2024, 10, 14)


def test_working_days_variant_reports_an_unloaded_year():
    result = reinspection_due(NATIONAL_DAY_2024, deadline=D(2024, 12, 27), rule=TEN_WORKING_DAYS)
    assert result.date.year == 2025
    assert result.assumed_years == frozenset({2025})


# --- properties ---------------------------------------------------------------------------

dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@given(deadline=dates, report=st.one_of(st.none(), dates))
def test_due_is_the_period_after_the_earlier_of_deadline_and_report(deadline, report):
    due = reinspection_due(Schedule(), deadline=deadline, report_date=report,
                           rule=TEN_CALENDAR_DAYS).date
    start = deadline if report is None else min(deadline, report)
    assert due - start == datetime.timedelta(days=10)
    assert due <= deadline + datetime.timedelta(days=10)


@given(deadline=dates, late=st.integers(min_value=0, max_value=400))
def test_a_late_report_never_changes_the_due_day(deadline, late):
    on_time = reinspection_due(NATIONAL_DAY_2024, deadline=deadline, rule=TEN_WORKING_DAYS)
    reported = reinspection_due(NATIONAL_DAY_2024, deadline=deadline,
                                report_date=deadline + datetime.timedelta(days=late),
                                rule=TEN_WORKING_DAYS)
    assert reported == on_time


@given(issued=dates, days=st.integers(min_value=-30, max_value=30))
def test_a_deadline_is_accepted_exactly_when_it_is_after_the_issue_day(issued, days):
    deadline = issued + datetime.timedelta(days=days)
    assert (order_problems(issued_on=issued, deadline=deadline) == []) == (days > 0)
