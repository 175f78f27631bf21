"""Deadlines and the late-payment surcharge (fazhi.legal.rules.deadlines).

Expected dates are counted by hand from the law stated in each test and from the
autumn-2026 holiday facts below, not from the function under test:

国庆 2026: 2026-10-01 (Thu) .. 2026-10-07 (Wed) off; 中秋 2026-09-25 (Fri) off;
2026-09-20 (Sun) and 2026-10-10 (Sat) are working days. 2026 is loaded; 2027 and other
years are not (only weekends known: they must come back in `assumed_years`).
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.rules.calendar import Schedule
from fazhi.legal.rules import deadlines as dl
from fazhi.legal.rules.citations import (
    ACL,
    ALL,
    ALL_2014,
    ALL_INTERP,
    APL,
    APL_2017,
    ARL,
    ARL_2017,
    CIVIL_CODE,
    EM_PENALTY_RULE_2015,
    STATE_COUNCIL_3_SYSTEMS,
    WSL,
)

D = datetime.date

SCHEDULE = Schedule(
    holidays={D(2026, 9, 25), D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5),
              D(2026, 10, 6), D(2026, 10, 7)},  # weekday holidays (3rd, 4th are a weekend)
    workdays={D(2026, 9, 20), D(2026, 10, 10)},
    loaded_years={2026},
)


def articles(result, law=None):
    return {(c.law, c.version, c.article) for c in result.citations
            if law is None or (c.law, c.version) == (law.name, law.version)}


def has(result, law, article):
    return (law.name, law.version, article) in articles(result)


def test_schedule_facts():
    assert not SCHEDULE.working(D(2026, 9, 25))
    assert SCHEDULE.working(D(2026, 9, 20)) and SCHEDULE.working(D(2026, 10, 10))
    assert not SCHEDULE.working(D(2026, 10, 7)) and SCHEDULE.working(D(2026, 10, 8))


# --- hearing request: 5 working days after the notice (行政处罚法 第六十四条 + 第八十五条) ----


def test_hearing_request_over_national_day():
    # Notice Thu 09-24. Working days after: 09-25 中秋 off, 26/27 weekend, 28 (1), 29 (2),
    # 30 (3), 10-01..07 off, 10-08 (4), 10-09 (5).
    r = dl.hearing_request_deadline(SCHEDULE, D(2026, 9, 24))
    assert r.date == D(2026, 10, 9)
    assert r.on_time(D(2026, 10, 9)) and not r.on_time(D(2026, 10, 10))
    assert r.working_days and r.party_deadline and not r.assumed_years
    assert has(r, APL, "第六十四条第（一）项") and has(r, APL, "第八十五条")
    assert {c.applies_to for c in r.citations} == {"deadlines.hearing_request"}


def test_hearing_request_counts_the_worked_sunday():
    # Notice Fri 09-18: Sun 09-20 worked (1), 21 (2), 22 (3), 23 (4), 24 (5).
    assert dl.hearing_request_deadline(SCHEDULE, D(2026, 9, 18)).date == D(2026, 9, 24)


def test_hearing_request_into_a_year_without_schedule_is_flagged():
    # Mon 2026-12-28: 29 (1), 30 (2), 31 (3), 2027-01-01 Fri — 2027 unknown, weekday (4),
    # 2027-01-04 Mon (5).
    r = dl.hearing_request_deadline(SCHEDULE, D(2026, 12, 28))
    assert r.date == D(2027, 1, 4)
    assert r.assumed_years == frozenset({2027}) and r.assumed


def test_hearing_request_under_the_2017_law_is_three_calendar_days():
    # 2017 text 第四十二条: 告知后三日内 (no working-day clause). Wed 2021-07-07 + 3 = Sat
    # 07-10, a rest day: a party deadline moves to Mon 07-12.
    r = dl.hearing_request_deadline(SCHEDULE, D(2021, 7, 7))
    assert r.statutory_date == D(2021, 7, 10) and r.date == D(2021, 7, 12)
    assert r.rest_day_extended and has(r, APL_2017, "第四十二条第一款第（一）项")
    assert has(r, CIVIL_CODE, "第二百零三条第一款")
    assert r.assumed_years == frozenset({2021})


# --- statement and defence (configurable; default 3 working days) ---------------------


def test_statement_default_three_working_days():
    # Tue 09-29: 09-30 (1), 10-08 (2), 10-09 (3).
    r = dl.statement_deadline(SCHEDULE, D(2026, 9, 29))
    assert r.date == D(2026, 10, 9)
    assert not r.on_time(D(2026, 10, 10))
    assert has(r, APL, "第四十四条") and has(r, APL, "第四十五条第一款")
    assert any("非法律规定" in n for n in r.notes)


def test_statement_in_calendar_days_when_configured():
    # Mon 09-28 + 3 calendar days = 10-01 (holiday) → party deadline → 10-08.
    config = dl.DeadlineConfig(statement_days=3, statement_working_days=False)
    r = dl.statement_deadline(SCHEDULE, D(2026, 9, 28), config)
    assert r.statutory_date == D(2026, 10, 1) and r.date == D(2026, 10, 8)


def test_statement_config_is_validated_in_chinese():
    with pytest.raises(ValueError, match="至少为1日"):
        dl.DeadlineConfig(statement_days=0)


# --- service (行政处罚法 第六十一条) -------------------------------------------------------


def test_service_same_day_when_present():
    r = dl.service_deadline(SCHEDULE, D(2026, 9, 29), party_present_at_announcement=True)
    assert r.date == D(2026, 9, 29) and r.period == "当日"
    assert has(r, APL, "第六十一条第一款")


def test_service_seven_working_days_when_absent():
    # Tue 09-29: 09-30 (1), 10-08 (2), 10-09 (3), Sat 10-10 worked (4), 10-12 (5),
    # 10-13 (6), 10-14 (7).
    r = dl.service_deadline(SCHEDULE, D(2026, 9, 29), party_present_at_announcement=False)
    assert r.date == D(2026, 10, 14)
    assert r.on_time(D(2026, 10, 14)) and not r.on_time(D(2026, 10, 15))
    assert not r.party_deadline and has(r, APL, "第八十五条")


def test_service_under_2017_law_is_flagged_not_extended():
    # 2017 text 第四十条: 7 (calendar) days. Sat 2021-07-03 + 7 = Sat 07-10: the agency's
    # own deadline is not extended, only flagged with the day an extension would give.
    r = dl.service_deadline(SCHEDULE, D(2021, 7, 3), party_present_at_announcement=False)
    assert r.date == D(2021, 7, 10) and r.flagged
    assert r.next_working_day == D(2021, 7, 12) and not r.rest_day_extended
    assert has(r, APL_2017, "第四十条")


# --- publicity: 7 working days after the decision (安全生产法 第七十八条第二款) --------------


def test_publicity_seven_working_days():
    r = dl.publicity_deadline(SCHEDULE, D(2026, 9, 29))
    assert r.date == D(2026, 10, 14) and not r.on_time(D(2026, 10, 15))
    assert has(r, WSL, "第七十八条第二款")
    assert {c.applies_to for c in r.citations} == {"deadlines.publicity"}


def test_publicity_basis_by_decision_date():
    before_wsl = dl.publicity_deadline(SCHEDULE, D(2019, 6, 3))
    assert articles(before_wsl, WSL) == set()
    assert articles(before_wsl, STATE_COUNCIL_3_SYSTEMS)
    with pytest.raises(ValueError, match="没有7个工作日"):
        dl.publicity_deadline(SCHEDULE, D(2018, 1, 2))


# --- payment: 15 days from service (行政处罚法 第六十七条第三款) ----------------------------


def test_payment_last_day_on_national_day_moves_to_first_working_day():
    # Served 09-16 + 15 = 10-01 (holiday); 10-01..07 off → 10-08.
    r = dl.payment_deadline(SCHEDULE, D(2026, 9, 16))
    assert r.statutory_date == D(2026, 10, 1) and r.date == D(2026, 10, 8)
    assert r.rest_day_extended and r.last_day_rest_day and not r.flagged
    assert has(r, APL, "第六十七条第三款") and has(r, CIVIL_CODE, "第二百零三条第一款")
    assert r.on_time(D(2026, 10, 8)) and not r.on_time(D(2026, 10, 9))


def test_payment_ending_on_the_worked_saturday_is_not_extended():
    # 09-25 + 15 = Sat 10-10, an adjusted working day.
    r = dl.payment_deadline(SCHEDULE, D(2026, 9, 25))
    assert r.date == D(2026, 10, 10) and not r.rest_day_extended


def test_payment_ending_on_sunday():
    # 09-26 + 15 = Sun 10-11 → Mon 10-12.
    assert dl.payment_deadline(SCHEDULE, D(2026, 9, 26)).date == D(2026, 10, 12)


def test_payment_on_a_plain_weekday():
    r = dl.payment_deadline(SCHEDULE, D(2026, 9, 1))  # + 15 = Wed 09-16
    assert r.date == r.statutory_date == D(2026, 9, 16)
    assert not has(r, CIVIL_CODE, "第二百零三条第一款")


def test_payment_into_a_year_without_schedule():
    # 2026-12-17 + 15 = Fri 2027-01-01: a weekday, and 2027 has no schedule — assumed
    # working, flagged (the real 元旦 holiday is unknown here).
    r = dl.payment_deadline(SCHEDULE, D(2026, 12, 17))
    assert r.date == D(2027, 1, 1) and r.assumed_years == frozenset({2027})
    # 2026-12-19 + 15 = Sat 2027-01-02 → Mon 01-04.
    r = dl.payment_deadline(SCHEDULE, D(2026, 12, 19))
    assert r.date == D(2027, 1, 4) and r.assumed_years == frozenset({2027})


def test_payment_under_2017_law():
    r = dl.payment_deadline(SCHEDULE, D(2021, 6, 1))
    assert has(r, APL_2017, "第四十六条第三款")


# --- decision: 90 days from filing (行政处罚法 第六十条) ------------------------------------


def test_decision_90_days_on_a_holiday_is_flagged_not_extended():
    # Filed 2026-07-03 + 90 days = 2026-10-01 (国庆). Agency deadline: stays, flagged.
    r = dl.decision_deadline(SCHEDULE, D(2026, 7, 3))
    assert r.date == r.statutory_date == D(2026, 10, 1)
    assert r.flagged and r.next_working_day == D(2026, 10, 8)
    assert not r.party_deadline and not r.rest_day_extended
    assert has(r, APL, "第六十条") and not has(r, CIVIL_CODE, "第二百零三条第一款")
    assert any("第18号" in n for n in r.notes)  # the 2026 rule's period not verified
    assert not r.on_time(D(2026, 10, 2))


def test_decision_last_day_and_day_after():
    r = dl.decision_deadline(SCHEDULE, D(2026, 7, 2))  # + 90 = Wed 09-30
    assert r.date == D(2026, 9, 30) and not r.flagged
    assert r.on_time(D(2026, 9, 30)) and not r.on_time(D(2026, 10, 1))


def test_decision_under_the_2015_work_safety_rule():
    # 安全生产违法行为行政处罚办法(2015) 第三十一条: 30 days, to 90 with the head's approval,
    # to 180 with the higher authority's. Filed Thu 2025-07-03: +30 = Sat 08-02, +90 =
    # 10-01, +180 = 12-30. 2025 not loaded.
    r = dl.decision_deadline(SCHEDULE, D(2025, 7, 3))
    assert r.date == D(2025, 8, 2) and r.flagged
    assert [(e.days, e.date) for e in r.extensions] == [
        (90, D(2025, 10, 1)), (180, D(2025, 12, 30))]
    assert r.latest_with_extension == D(2025, 12, 30)
    assert has(r, EM_PENALTY_RULE_2015, "第三十一条") and has(r, APL, "第六十条")
    assert r.assumed_years == frozenset({2025})


def test_decision_without_the_2015_rule():
    config = dl.DeadlineConfig(apply_work_safety_rule_2015=False)
    r = dl.decision_deadline(SCHEDULE, D(2025, 7, 3), config)
    assert r.date == D(2025, 10, 1) and not r.extensions
    with pytest.raises(ValueError, match="未规定作出决定的期限"):
        dl.decision_deadline(SCHEDULE, D(2021, 1, 4), config)


# --- reconsideration: 60 days (行政复议法(2023) 第二十条) ------------------------------------


def test_reconsideration_60_days_over_national_day():
    # Known 08-02 + 60 = 10-01 → party deadline → 10-08.
    rd = dl.reconsideration_deadline(SCHEDULE, D(2026, 8, 2))
    assert rd.deadline.statutory_date == D(2026, 10, 1) and rd.deadline.date == D(2026, 10, 8)
    assert rd.outer_limit is None and has(rd.deadline, ARL, "第二十条第一款")


def test_reconsideration_last_day_and_day_after():
    rd = dl.reconsideration_deadline(SCHEDULE, D(2026, 8, 1))  # + 60 = Wed 09-30
    assert rd.deadline.date == D(2026, 9, 30)
    assert rd.deadline.on_time(D(2026, 9, 30)) and not rd.deadline.on_time(D(2026, 10, 1))


def test_reconsideration_outer_limit_when_rights_not_informed():
    # 第二十条第三款: at most one year from knowing the content: 2026-08-02 → 2027-08-02
    # (Mon; 2027 has no schedule → assumed).
    rd = dl.reconsideration_deadline(SCHEDULE, D(2026, 8, 2), rights_not_informed=True)
    assert rd.outer_limit is not None
    assert rd.outer_limit.date == D(2027, 8, 2) and rd.deadline.date == D(2027, 8, 2)
    assert rd.outer_limit.assumed_years == frozenset({2027})
    assert {c.applies_to for c in rd.outer_limit.citations} == {"reconsideration_outer_limit"}
    assert has(rd.outer_limit, ARL, "第二十条第三款")


def test_reconsideration_counted_from_knowing_the_rights():
    # Rights known 2026-09-01 + 60 = Sat 10-31 → Mon 11-02, before the outer limit.
    rd = dl.reconsideration_deadline(SCHEDULE, D(2026, 8, 2), rights_not_informed=True,
                                     rights_known=D(2026, 9, 1))
    assert rd.deadline.date == D(2026, 11, 2)
    # Rights known 2027-07-01 + 60 = 2027-08-30, past the outer limit 2027-08-02.
    rd = dl.reconsideration_deadline(SCHEDULE, D(2026, 8, 2), rights_not_informed=True,
                                     rights_known=D(2027, 7, 1))
    assert rd.deadline.date == D(2027, 8, 2)
    with pytest.raises(ValueError, match="不能早于"):
        dl.reconsideration_deadline(SCHEDULE, D(2026, 8, 2), rights_not_informed=True,
                                    rights_known=D(2026, 8, 1))


def test_reconsideration_under_the_2017_law_has_no_outer_limit():
    rd = dl.reconsideration_deadline(SCHEDULE, D(2023, 12, 31), rights_not_informed=True)
    assert rd.outer_limit is None and has(rd.deadline, ARL_2017, "第九条第一款")
    assert any("未规定" in n for n in rd.deadline.notes)


# --- litigation: 6 months (行政诉讼法 第四十六条); 1 year when not informed --------------------


def test_litigation_six_months_over_national_day():
    # 2026-04-01 + 6 months = 2026-10-01 (民法典 第二百零二条) → 10-08.
    rd = dl.litigation_deadline(SCHEDULE, D(2026, 4, 1))
    assert rd.deadline.statutory_date == D(2026, 10, 1) and rd.deadline.date == D(2026, 10, 8)
    assert has(rd.deadline, ALL, "第四十六条第一款")


def test_litigation_last_day_and_month_end():
    rd = dl.litigation_deadline(SCHEDULE, D(2026, 3, 31))  # → 09-30 (Wed)
    assert rd.deadline.date == D(2026, 9, 30) and not rd.deadline.on_time(D(2026, 10, 1))
    # 08-31 + 6 months: February has no 31st → 2027-02-28 (Sun) → Mon 03-01, 2027 assumed.
    rd = dl.litigation_deadline(SCHEDULE, D(2026, 8, 31))
    assert rd.deadline.statutory_date == D(2027, 2, 28)
    assert rd.deadline.date == D(2027, 3, 1) and rd.assumed_years == frozenset({2027})


def test_litigation_one_year_when_not_informed():
    rd = dl.litigation_deadline(SCHEDULE, D(2026, 4, 1), rights_not_informed=True)
    assert rd.deadline.date == D(2027, 4, 1) and rd.outer_limit.date == D(2027, 4, 1)
    assert has(rd.deadline, ALL_INTERP, "第六十四条第一款")
    assert {c.applies_to for c in rd.citations} == {"deadlines.litigation"}


def test_litigation_versions():
    assert has(dl.litigation_deadline(SCHEDULE, D(2017, 6, 30)).deadline,
               ALL_2014, "第四十六条第一款")
    old = dl.litigation_deadline(SCHEDULE, D(2018, 2, 7), rights_not_informed=True)
    assert old.outer_limit is None
    with pytest.raises(ValueError, match="未编码"):
        dl.litigation_deadline(SCHEDULE, D(2015, 4, 30))


def test_add_months_corresponding_day():
    assert dl.add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)  # procedure.yaml example
    assert dl.add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert dl.add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)


# --- late-payment surcharge ----------------------------------------------------------

DUE = D(2026, 10, 8)  # payment deadline (served 09-16, extended over 国庆)
FINE = Decimal("10000")


def test_paid_on_the_due_date_owes_nothing():
    s = dl.late_payment_surcharge(FINE, DUE, DUE)
    assert s.overdue_days == 0 and s.amount == Decimal("0.00") and not s.capped
    assert s.as_response() == {"overdue_days": 0, "late_payment_surcharge": "0.00"}
    assert dl.late_payment_surcharge(FINE, DUE, D(2026, 10, 1)).overdue_days == 0


def test_one_day_late_is_three_percent():
    s = dl.late_payment_surcharge(FINE, DUE, DUE + datetime.timedelta(days=1))
    assert s.overdue_days == 1 and s.amount == Decimal("300.00")
    assert s.as_response()["late_payment_surcharge"] == "300.00"
    cites = {(c.law, c.article, c.applies_to) for c in s.citations}
    assert (APL.name, "第七十二条第一款第（一）项", "late_payment_surcharge") in cites
    assert (ACL.name, "第四十五条第二款", "late_payment_surcharge") in cites


def test_cap_reached_on_the_34th_day():
    # 33 × 3 % = 99 % (not capped); 34 × 3 % = 102 % → capped at 100 %.
    day33 = dl.late_payment_surcharge(FINE, DUE, DUE + datetime.timedelta(days=33))
    assert day33.amount == Decimal("9900.00") and not day33.capped
    day34 = dl.late_payment_surcharge(FINE, DUE, DUE + datetime.timedelta(days=34))
    assert day34.amount == Decimal("10000.00") and day34.capped and day34.overdue_days == 34
    later = dl.late_payment_surcharge(FINE, DUE, DUE + datetime.timedelta(days=400))
    assert later.amount == Decimal("10000.00")


def test_suspended_periods_are_not_counted():
    # 行政处罚法 第七十三条第三款. Due 10-08, as of 11-07: 30 days; 10-10..10-19 (10 days)
    # in reconsideration → 20 days → 6000.00.
    s = dl.late_payment_surcharge(FINE, DUE, D(2026, 11, 7), [(D(2026, 10, 10), D(2026, 10, 19))])
    assert (s.overdue_days, s.suspended_days, s.amount) == (20, 10, Decimal("6000.00"))
    assert any(c.article == "第七十三条第三款" for c in s.citations)
    # Overlapping periods are not subtracted twice.
    s2 = dl.late_payment_surcharge(FINE, DUE, D(2026, 11, 7), [
        (D(2026, 10, 13), D(2026, 10, 19)), (D(2026, 10, 10), D(2026, 10, 15))])
    assert s2.overdue_days == 20
    # Only the part after the due date counts: 10-01..10-09 excludes 10-09 only.
    s3 = dl.late_payment_surcharge(FINE, DUE, D(2026, 10, 10), [(D(2026, 10, 1), D(2026, 10, 9))])
    assert (s3.overdue_days, s3.amount) == (1, Decimal("300.00"))
    # Still in litigation on the as-of date: nothing accrues.
    s4 = dl.late_payment_surcharge(FINE, DUE, D(2026, 10, 20), [(D(2026, 10, 9), D(2026, 12, 31))])
    assert (s4.overdue_days, s4.amount) == (0, Decimal("0.00"))


def test_suspension_not_applied_under_the_2017_law():
    s = dl.late_payment_surcharge(FINE, D(2020, 6, 1), D(2020, 6, 11),
                                  [(D(2020, 6, 2), D(2020, 6, 5))])
    assert s.overdue_days == 10 and s.amount == Decimal("3000.00") and s.notes
    assert any(c.article == "第五十一条第（一）项" for c in s.citations)


def test_rounding_half_up_to_the_cent():
    # 1.50 × 3 % = 0.045 → 0.05 (half up; half-even would give 0.04).
    s = dl.late_payment_surcharge("1.50", DUE, DUE + datetime.timedelta(days=1))
    assert s.amount == Decimal("0.05")
    s = dl.late_payment_surcharge(Decimal("12345.67"), DUE, DUE + datetime.timedelta(days=1))
    assert s.amount == Decimal("370.37")  # 370.3701


def test_bad_surcharge_input_in_chinese():
    with pytest.raises(ValueError, match="浮点数"):
        dl.late_payment_surcharge(100.0, DUE, DUE)
    with pytest.raises(ValueError, match="负数"):
        dl.late_payment_surcharge(-1, DUE, DUE)
    with pytest.raises(ValueError, match="不是有效的金额"):
        dl.late_payment_surcharge("abc", DUE, DUE)
    with pytest.raises(ValueError, match="开始日期不能晚于结束日期"):
        dl.late_payment_surcharge(FINE, DUE, DUE, [(D(2026, 10, 20), D(2026, 10, 10))])
    with pytest.raises(ValueError, match="日期"):
        dl.late_payment_surcharge(FINE, "2026-10-08", DUE)


# --- all deadlines of a case --------------------------------------------------------


def test_compute_deadlines_fills_the_response():
    # Decision announced with the party present on 09-29: served the same day.
    # statement 09-24 + 3 wd: 09-28, 29, 30 → 09-30; hearing 10-09 (above);
    # payment 09-29 + 15 = 10-14; publicity 10-14 (above);
    # reconsideration 09-29 + 60 = Sat 11-28 → Mon 11-30;
    # litigation 09-29 + 6 months = Mon 2027-03-29 (2027 assumed).
    result = dl.compute_deadlines(
        SCHEDULE, filed=D(2026, 7, 3), noticed=D(2026, 9, 24), decided=D(2026, 9, 29),
        party_present_at_announcement=True)
    assert result.as_response() == {"deadlines": {
        "decision": "2026-10-01", "statement": "2026-09-30", "hearing_request": "2026-10-09",
        "service": "2026-09-29", "payment": "2026-10-14", "publicity": "2026-10-14",
        "reconsideration": "2026-11-30", "litigation": "2027-03-29"}}
    assert result.assumed_years == frozenset({2027})
    assert result.get("decision").flagged
    named = {c.applies_to for c in result.citations}
    assert {f"deadlines.{k}" for k in result.as_response()["deadlines"]} <= named


def test_compute_deadlines_not_informed_and_omissions():
    result = dl.compute_deadlines(SCHEDULE, served=D(2026, 9, 29), rights_not_informed=True)
    answer = result.as_response()
    assert answer["reconsideration_outer_limit"] == "2027-09-29"
    assert set(answer["deadlines"]) == {"payment", "reconsideration", "litigation"}
    assert answer["deadlines"]["litigation"] == "2027-09-29"
    only_filed = dl.compute_deadlines(SCHEDULE, filed=D(2026, 7, 2))
    assert only_filed.as_response() == {"deadlines": {"decision": "2026-09-30"}}
    # Served unknown and party absent: no payment, no remedies, no service without the flag.
    assert set(dl.compute_deadlines(SCHEDULE, decided=D(2026, 9, 29)).as_response()[
        "deadlines"]) == {"publicity"}


def test_compute_deadlines_rejects_inconsistent_dates():
    with pytest.raises(ValueError, match="送达日期不能早于决定日期"):
        dl.compute_deadlines(SCHEDULE, decided=D(2026, 9, 29), served=D(2026, 9, 28))
    with pytest.raises(ValueError, match="决定日期不能早于立案日期"):
        dl.compute_deadlines(SCHEDULE, filed=D(2026, 9, 29), decided=D(2026, 9, 28))


# --- properties ------------------------------------------------------------------------

dates = st.dates(min_value=D(2022, 1, 1), max_value=D(2030, 12, 31))
money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False,
                    allow_infinity=False)
spans = st.lists(st.tuples(dates, st.integers(0, 120)).map(
    lambda t: (t[0], t[0] + datetime.timedelta(days=t[1]))), max_size=3)


@given(fine=money, due=dates, a=st.integers(0, 400), b=st.integers(0, 400), periods=spans)
def test_surcharge_capped_and_monotonic(fine, due, a, b, periods):
    early, late = sorted((a, b))
    first = dl.late_payment_surcharge(fine, due, due + datetime.timedelta(days=early), periods)
    second = dl.late_payment_surcharge(fine, due, due + datetime.timedelta(days=late), periods)
    assert Decimal(0) <= first.amount <= second.amount <= fine.quantize(Decimal("0.01"))
    assert first.overdue_days <= second.overdue_days
    assert second.amount.as_tuple().exponent == -2


@given(start=dates, present=st.booleans(), informed=st.booleans())
def test_deadlines_never_before_their_start(start, present, informed):
    results = [
        dl.decision_deadline(SCHEDULE, start),
        dl.statement_deadline(SCHEDULE, start),
        dl.hearing_request_deadline(SCHEDULE, start),
        dl.service_deadline(SCHEDULE, start, party_present_at_announcement=present),
        dl.payment_deadline(SCHEDULE, start),
        dl.publicity_deadline(SCHEDULE, start),
    ]
    for remedy in (dl.reconsideration_deadline(SCHEDULE, start, rights_not_informed=not informed),
                   dl.litigation_deadline(SCHEDULE, start, rights_not_informed=not informed)):
        results.append(remedy.deadline)
        if remedy.outer_limit:
            results.append(remedy.outer_limit)
    for r in results:
        assert r.date >= r.start >= start
        assert r.statutory_date >= start
        if r.party_deadline:
            assert r.date >= r.statutory_date and SCHEDULE.working(r.date)
        else:
            assert r.date == r.statutory_date
