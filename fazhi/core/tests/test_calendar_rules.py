"""Working-day arithmetic without a database (fazhi.core.rules.calendar).

The schedule used here is the official 2026 autumn arrangement (国务院办公厅关于2026年
部分节假日安排的通知): 中秋节 9月25日（周五）放假; 国庆节 10月1日至7日放假调休，共7天；
9月20日（周日）、10月10日（周六）上班. 2026-10-01 is a Thursday, so the National Day
weekday holidays are 10-01, 10-02, 10-05, 10-06 and 10-07. Expected dates below are
counted by hand from these facts."""

from __future__ import annotations

import datetime
import random

import pytest

from fazhi.core.rules.calendar import (
    HOLIDAY,
    WORKDAY,
    Schedule,
    ScheduleParseError,
    add_calendar_days,
    add_working_days,
    count_working_days,
    deadline_from,
    is_working_day,
    parse_year_schedule,
    validate_year_days,
)

D = datetime.date
NATIONAL_DAY_2026 = [D(2026, 10, d) for d in (1, 2, 5, 6, 7)]
MID_AUTUMN_2026 = D(2026, 9, 25)
WORKING_WEEKENDS_2026 = [D(2026, 9, 20), D(2026, 10, 10)]
SCHEDULE = Schedule(holidays=[MID_AUTUMN_2026, *NATIONAL_DAY_2026], workdays=WORKING_WEEKENDS_2026,
                    loaded_years={2026})


def test_the_stated_facts_hold():
    # Guards the hand counts below: the weekdays they rely on.
    assert D(2026, 10, 1).weekday() == 3  # Thursday
    assert D(2026, 9, 20).weekday() == 6 and D(2026, 10, 10).weekday() == 5
    assert D(2026, 11, 27).weekday() == 4  # a Friday without holidays around it
    assert MID_AUTUMN_2026.weekday() == 4


# --- is_working_day -----------------------------------------------------------


def test_weekday_holiday_and_plain_weekend_are_not_working_days():
    assert not is_working_day(SCHEDULE, D(2026, 10, 5))  # Monday inside National Day
    assert not is_working_day(SCHEDULE, D(2026, 11, 28))  # an ordinary Saturday
    assert is_working_day(SCHEDULE, D(2026, 11, 27))  # an ordinary Friday


def test_adjusted_weekend_days_are_working_days():
    assert is_working_day(SCHEDULE, D(2026, 9, 20))  # Sunday, 调休上班
    assert is_working_day(SCHEDULE, D(2026, 10, 10))  # Saturday, 调休上班


def test_a_day_of_an_unloaded_year_reports_the_assumption():
    check = is_working_day(SCHEDULE, D(2027, 1, 1))  # a Friday; 2027 not loaded
    assert check.working and check.assumed and check.assumed_years == {2027}
    assert not is_working_day(SCHEDULE, D(2026, 10, 1)).assumed


# --- add_working_days ---------------------------------------------------------


def test_zero_working_days_is_the_start_itself():
    result = add_working_days(SCHEDULE, D(2026, 10, 3), 0)  # even on a holiday weekend
    assert result.date == D(2026, 10, 3) and not result.assumed


@pytest.mark.parametrize("bad", [-1, -30])
def test_negative_counts_are_rejected(bad):
    with pytest.raises(ValueError, match="不能为负数"):
        add_working_days(SCHEDULE, D(2026, 3, 2), bad)
    with pytest.raises(ValueError, match="不能为负数"):
        add_calendar_days(D(2026, 3, 2), bad)


def test_non_integer_counts_are_rejected():
    with pytest.raises(TypeError):
        add_working_days(SCHEDULE, D(2026, 3, 2), 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        add_working_days(SCHEDULE, D(2026, 3, 2), True)  # type: ignore[arg-type]


def test_start_day_is_not_counted_and_weekends_are_skipped():
    # Friday 2026-11-27 + 1 working day: Saturday and Sunday are skipped -> Monday.
    assert add_working_days(SCHEDULE, D(2026, 11, 27), 1).date == D(2026, 11, 30)
    # Starting on a Saturday: the first working day after it is Monday.
    assert add_working_days(SCHEDULE, D(2026, 11, 28), 1).date == D(2026, 11, 30)
    # Monday + 1 is Tuesday (the Monday itself is not counted).
    assert add_working_days(SCHEDULE, D(2026, 11, 30), 1).date == D(2026, 12, 1)


def test_an_adjusted_saturday_counts_as_a_working_day():
    # Friday 2026-10-09 + 1: Saturday 10-10 is worked (调休), so it is the answer.
    assert add_working_days(SCHEDULE, D(2026, 10, 9), 1).date == D(2026, 10, 10)
    # Without the adjustment the next working day would have been Monday 10-12.
    plain = Schedule(holidays=NATIONAL_DAY_2026, loaded_years={2026})
    assert add_working_days(plain, D(2026, 10, 9), 1).date == D(2026, 10, 12)


def test_five_working_days_across_national_day():
    # From Tue 09-29: 09-30 (1); 10-01..07 off; 10-08 Thu (2), 10-09 Fri (3),
    # 10-10 Sat worked (4), 10-11 Sun off, 10-12 Mon (5).
    result = add_working_days(SCHEDULE, D(2026, 9, 29), 5)
    assert result.date == D(2026, 10, 12) and not result.assumed


def test_crossing_into_an_unloaded_year_is_flagged_and_uses_weekends_only():
    # Mon 2026-12-28 + 5: 12-29, 12-30, 12-31, Fri 2027-01-01 (no schedule: a working
    # day by the weekend rule), Mon 01-04.
    result = add_working_days(SCHEDULE, D(2026, 12, 28), 5)
    assert result.date == D(2027, 1, 4)
    assert result.assumed_years == {2027} and result.assumed_year_list == [2027]
    within = add_working_days(SCHEDULE, D(2026, 12, 28), 3)  # ends 12-31
    assert within.date == D(2026, 12, 31) and not within.assumed


def test_every_unloaded_year_reached_is_reported():
    result = add_working_days(Schedule(), D(2026, 12, 30), 300)
    assert result.assumed_years == {2026, 2027, 2028}


def test_add_calendar_days_ignores_the_schedule():
    result = add_calendar_days(D(2026, 9, 30), 3)
    assert result.date == D(2026, 10, 3) and not result.assumed


# --- count_working_days -------------------------------------------------------


def test_count_excludes_start_and_includes_end():
    assert count_working_days(SCHEDULE, D(2026, 11, 27), D(2026, 11, 30)).days == 1  # Fri->Mon
    assert count_working_days(SCHEDULE, D(2026, 11, 30), D(2026, 12, 1)).days == 1  # Mon->Tue
    assert count_working_days(SCHEDULE, D(2026, 11, 30), D(2026, 11, 30)).days == 0


def test_count_rejects_an_end_before_the_start():
    with pytest.raises(ValueError, match="不能早于"):
        count_working_days(SCHEDULE, D(2026, 5, 2), D(2026, 5, 1))


def test_count_across_national_day():
    # (09-30, 10-12]: 10-08, 10-09, 10-10 (worked Saturday), 10-12 -> 4.
    assert count_working_days(SCHEDULE, D(2026, 9, 30), D(2026, 10, 12)).days == 4
    # September 2026 (starts on a Tuesday) has 22 weekdays; minus 中秋 Fri 09-25, plus
    # the worked Sunday 09-20 -> 22.
    assert D(2026, 9, 1).weekday() == 1
    assert count_working_days(SCHEDULE, D(2026, 8, 31), D(2026, 9, 30)).days == 22


def test_count_into_an_unloaded_year_is_flagged():
    result = count_working_days(SCHEDULE, D(2026, 12, 30), D(2027, 1, 5))
    # 12-31, Fri 01-01 (weekends only), Mon 01-04, Tue 01-05.
    assert result.days == 4 and result.assumed_years == {2027}


def _brute_force_count(schedule: Schedule, start: datetime.date, end: datetime.date) -> int:
    # An independent day-by-day count, the definition written out.
    n, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        is_workday = day in schedule.workdays or (
            day.weekday() < 5 and day not in schedule.holidays)
        n += is_workday
    return n


def test_count_agrees_with_a_day_by_day_count_and_inverts_add():
    rng = random.Random(20261001)
    for _ in range(300):
        start = D(2026, 1, 1) + datetime.timedelta(days=rng.randrange(0, 400))
        end = start + datetime.timedelta(days=rng.randrange(0, 120))
        assert count_working_days(SCHEDULE, start, end).days == _brute_force_count(
            SCHEDULE, start, end), (start, end)
        n = rng.randrange(0, 40)
        reached = add_working_days(SCHEDULE, start, n).date
        assert count_working_days(SCHEDULE, start, reached).days == n


# --- deadline_from ------------------------------------------------------------


def test_calendar_day_period_ending_in_the_holiday_moves_to_the_first_working_day():
    # 15 days from 09-18: last day 10-03 (inside National Day) -> Thu 10-08.
    assert deadline_from(SCHEDULE, D(2026, 9, 18), 15, working_days=False).date == D(2026, 10, 8)


def test_calendar_day_period_ending_on_an_ordinary_sunday_moves_to_monday():
    # 10 days from Thu 2026-11-19: last day Sun 11-29 -> Mon 11-30.
    assert deadline_from(SCHEDULE, D(2026, 11, 19), 10, working_days=False).date == D(2026, 11, 30)


def test_calendar_day_period_ending_on_a_worked_saturday_is_not_extended():
    # 15 days from 09-25: last day Sat 10-10, a working day (调休) -> stays.
    assert deadline_from(SCHEDULE, D(2026, 9, 25), 15, working_days=False).date == D(2026, 10, 10)


def test_calendar_day_period_ending_on_a_working_day_is_unchanged():
    assert deadline_from(SCHEDULE, D(2026, 11, 2), 7, working_days=False).date == D(2026, 11, 9)


def test_working_day_period_counts_working_days():
    # 《行政处罚法》第八十五条: 五日 means five working days.
    assert deadline_from(SCHEDULE, D(2026, 9, 29), 5, working_days=True).date == D(2026, 10, 12)


def test_deadline_extension_into_an_unloaded_year_is_flagged():
    # 5 days from Sun 2026-12-27: last day Fri 2027-01-01 (unknown schedule: counts as
    # a working day by the weekend rule, and says so).
    result = deadline_from(SCHEDULE, D(2026, 12, 27), 5, working_days=False)
    assert result.date == D(2027, 1, 1) and result.assumed_years == {2027}


@pytest.mark.parametrize("bad", [0, -3])
def test_deadline_needs_at_least_one_day(bad):
    with pytest.raises(ValueError):
        deadline_from(SCHEDULE, D(2026, 3, 2), bad, working_days=True)


# --- Schedule ---------------------------------------------------------------


def test_a_day_cannot_be_both_holiday_and_workday():
    with pytest.raises(ValueError, match="既是休息日又是上班日"):
        Schedule(holidays={D(2026, 10, 1)}, workdays={D(2026, 10, 1)}, loaded_years={2026})


# --- parse_year_schedule ------------------------------------------------------

SAMPLE_2027 = """
# test input in the notice's shape (not the official 2027 schedule)
2027-01-01 休 元旦
2027-02-06至2027-02-12 休 春节
2027-02-20 班 春节

2027-10-01～2027-10-07　休　国庆节
2027-09-26 班 国庆节
"""


def test_parse_reads_days_ranges_and_skips_weekends_inside_ranges():
    entries = parse_year_schedule(2027, SAMPLE_2027)
    by_date = {d: (k, n) for d, k, n in entries}
    assert by_date[D(2027, 1, 1)] == (HOLIDAY, "元旦")
    assert by_date[D(2027, 2, 20)] == (WORKDAY, "春节")
    # 2027-02-06 and 02-07 are Saturday and Sunday: rest days anyway, not stored.
    assert D(2027, 2, 6).weekday() == 5 and D(2027, 2, 6) not in by_date
    assert [d for d in by_date if d.month == 2 and by_date[d][0] == HOLIDAY] == [
        D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10), D(2027, 2, 11), D(2027, 2, 12)]
    # Full-width separators and the 〜 range mark are accepted.
    assert by_date[D(2027, 10, 1)] == (HOLIDAY, "国庆节")
    assert entries == sorted(entries)
    assert validate_year_days(2027, entries) == []


def test_parse_reports_every_problem_with_its_line_number():
    text = "\n".join([
        "2027-01-01 休 元旦",        # 1 fine
        "2027/01/02 休",              # 2 format
        "2027-02-30 休 春节",         # 3 no such date
        "2026-12-31 休 元旦",         # 4 other year
        "2027-01-02 休 元旦",         # 5 Saturday marked 休
        "2027-01-04 班 元旦",         # 6 Monday marked 班
        "2027-01-01 休 元旦",         # 7 duplicate of line 1
        "2027-01-05 放 元旦",         # 8 unknown mark
    ])
    with pytest.raises(ScheduleParseError) as caught:
        parse_year_schedule(2027, text)
    errors = caught.value.errors
    assert [e.split("：")[0] for e in errors] == [f"第{n}行" for n in range(2, 9)]
    assert "2027-02-30" in errors[1] and "不在2027年内" in errors[2]
    assert "星期六" in errors[3] and "星期一" in errors[4]
    assert "第1行重复" in errors[5] and "“放”" in errors[6]


def test_parse_rejects_an_empty_schedule_and_workday_ranges():
    with pytest.raises(ScheduleParseError, match="没有读到"):
        parse_year_schedule(2027, "# nothing\n\n")
    with pytest.raises(ScheduleParseError, match="第1行：调休上班日须逐日填写"):
        parse_year_schedule(2027, "2027-02-20至2027-02-21 班 春节")


def test_validate_year_days_names_duplicates_and_wrong_kinds():
    problems = validate_year_days(2027, [
        (D(2027, 1, 1), HOLIDAY, "元旦"),
        (D(2027, 1, 1), HOLIDAY, "元旦"),
        (D(2027, 1, 9), HOLIDAY, ""),  # Saturday
        (D(2027, 1, 11), "rest", ""),
    ])
    assert problems[0] == "2027-01-01重复登记"
    assert "星期六" in problems[1] and "类型“rest”无效" in problems[2]
