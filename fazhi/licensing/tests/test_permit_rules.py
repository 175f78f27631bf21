"""The permit rules at their edges (pure: a hand-made schedule of the 2024 National Day
holiday, so no database): acceptance in 5 working days, the decision in 20 (+10) or 45
working days, periods not counted, validity, the restriction-list match."""

from __future__ import annotations

import datetime

import pytest

from fazhi.core.rules.calendar import Schedule
from fazhi.licensing.rules import permits as law

D = datetime.date
# 国务院办公厅 2024: 国庆节 10月1日至7日放假（1–4日、7日为工作日中的假日），
# 9月29日（星期日）、10月12日（星期六）上班.
SCHEDULE = Schedule(holidays={D(2024, 10, d) for d in (1, 2, 3, 4, 7)},
                    workdays={D(2024, 9, 29), D(2024, 10, 12)}, loaded_years={2024})


def test_acceptance_due_is_the_fifth_working_day_not_counting_the_day_of_receipt():
    # Monday 2024-03-04 → Monday 2024-03-11 (Tue..Fri = 4, the next Monday = 5).
    due = law.acceptance_due(SCHEDULE, D(2024, 3, 4))
    assert due.date == D(2024, 3, 11)
    assert any(c.article.startswith("第三十二条") for c in due.citations)
    assert not due.assumed_years


def test_acceptance_due_skips_the_national_day_holiday_and_counts_the_make_up_sunday():
    # Friday 27 September: Sun 29 (上班) 1, Mon 30 2, Oct 1–7 off, Tue 8 3, Wed 9 4, Thu 10 5.
    assert law.acceptance_due(SCHEDULE, D(2024, 9, 27)).date == D(2024, 10, 10)


def test_correction_notice_on_the_fifth_working_day_is_in_time_the_next_day_is_not():
    received = D(2024, 9, 27)
    assert law.correction_notice_in_time(SCHEDULE, received, D(2024, 10, 10))
    assert not law.correction_notice_in_time(SCHEDULE, received, D(2024, 10, 11))
    assert law.deemed_accepted_on(SCHEDULE, received, D(2024, 10, 10)) is None
    assert law.deemed_accepted_on(SCHEDULE, received, D(2024, 10, 11)) == received


def test_decision_in_20_working_days_and_10_more_when_extended():
    accepted = D(2024, 9, 20)  # Friday
    base = law.decision_due(SCHEDULE, accepted, law.USE)
    # 23..27 (5), 29 Sun (6), 30 (7), 8..11 (11), 12 Sat (12), 14..18 (17), 21..23 (20)
    assert base.date == D(2024, 10, 23)
    extended = law.decision_due(SCHEDULE, accepted, law.USE, extended=True)
    assert extended.date == D(2024, 11, 6)
    assert any(c.article == "第四十二条第一款" for c in base.citations)


def test_production_permit_follows_the_regulation_45_days_without_extension():
    due = law.decision_due(SCHEDULE, D(2024, 3, 1), law.PRODUCTION)
    assert due.date == D(2024, 5, 3)  # 45 working days (no holidays in this schedule then)
    assert any(c.law == "安全生产许可证条例" for c in due.citations)
    with pytest.raises(ValueError):
        law.decision_due(SCHEDULE, D(2024, 3, 1), law.PRODUCTION, extended=True)
    assert law.extension_allowed(law.PRODUCTION, already_extended=False)
    assert law.extension_allowed(law.OPERATION, already_extended=False) is None
    assert law.extension_allowed(law.OPERATION, already_extended=True)


def test_expert_review_days_are_not_counted_and_overlaps_count_once():
    # Mon 2024-09-23 .. Tue 2024-10-08: working days 23–27 (5), 29 (1), 30 (1), 8 (1) = 8.
    assert law.excluded_working_days(SCHEDULE, [(D(2024, 9, 23), D(2024, 10, 8))]) == 8
    assert law.excluded_working_days(
        SCHEDULE, [(D(2024, 9, 23), D(2024, 9, 25)), (D(2024, 9, 24), D(2024, 9, 27))]) == 5
    due = law.decision_due(SCHEDULE, D(2024, 9, 20), law.OPERATION, excluded_days=8)
    assert due.date == law.decision_due(SCHEDULE, D(2024, 9, 20), law.OPERATION).date + \
        datetime.timedelta(days=12)  # 8 more working days from Wed 23 Oct: Mon 4 Nov
    assert law.EXCLUDED_CITATION in due.citations
    with pytest.raises(ValueError):
        law.excluded_working_days(SCHEDULE, [(D(2024, 9, 25), D(2024, 9, 24))])


def test_an_unloaded_year_is_reported_as_assumed():
    due = law.acceptance_due(SCHEDULE, D(2025, 12, 29))
    assert due.assumed_years == frozenset({2025, 2026})


def test_validity_three_years_to_the_corresponding_day_and_29_february():
    assert law.validity_end(law.USE, D(2024, 5, 10)) == D(2027, 5, 10)
    assert law.validity_end(law.OPERATION, D(2024, 2, 29)) == D(2027, 2, 28)
    assert law.extended_validity_end(law.PRODUCTION, D(2027, 5, 10)) == D(2030, 5, 10)
    assert law.renewal_apply_by(law.PRODUCTION, D(2027, 5, 31)).date == D(2027, 2, 28)
    assert law.issue_due(SCHEDULE, D(2024, 9, 27)).date == D(2024, 10, 16)  # 12th: 上班


def test_extension_without_review_needs_compliance_and_no_fatal_accident():
    assert law.extension_without_review(compliant=True, fatal_accident=False).without_review
    check = law.extension_without_review(compliant=True, fatal_accident=True)
    assert not check.without_review and "死亡事故" in check.reasons[0]


def test_cas_numbers_are_checked_by_their_check_digit():
    assert law.normalise_cas("7782-50-5") == "7782-50-5"     # chlorine
    assert law.normalise_cas("７７８２－５０－５") == "7782-50-5"  # full width
    assert law.normalise_cas("7782-50-6") is None
    assert law.normalise_cas("chlorine") is None


def test_restriction_match_by_cas_then_by_name_prohibited_first():
    entries = [law.RestrictionEntry(1, "光气", "75-44-5", "prohibited", "市禁限控目录第1项"),
               law.RestrictionEntry(2, "氯气", "7782-50-5", "restricted", "市禁限控目录第8项"),
               law.RestrictionEntry(3, "硝酸铵", "", "restricted", "市禁限控目录第12项")]
    lines, problems = law.parse_chemicals(
        "液氯 7782-50-5\n 硝酸 铵\n光 气\n甲苯 108-88-3\n坏号 1-11-1")
    assert problems and "第5行" in problems[0]
    found = law.match_restrictions(lines, entries)
    assert [(m.entry.key, m.by) for m in found] == [(1, "name"), (2, "cas"), (3, "name")]
