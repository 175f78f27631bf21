"""Accident rules of the registry's workflow: reporting upward (条例 第十一条), the 补报
window (第十三条) and a higher government's own investigation (第二十条), the approval
of the report (第三十二条), and the consequences of 迟报 / 漏报 / 谎报 / 瞒报 (第三十五、
三十六条; 安全生产法 第一百一十条).

Expected values are written from the texts quoted in each test, not from the module."""

import datetime
from decimal import Decimal

import pytest

from fazhi.legal.rules.accidents import (
    higher_government_may_investigate,
    investigation_approval_due,
    late_upward_report,
    reporting_consequences,
    supplementary_report_window,
    upward_report_deadline,
)

D = datetime.date
SH = datetime.timezone(datetime.timedelta(hours=8))
INFORMED = datetime.datetime(2024, 5, 6, 22, 30, tzinfo=SH)
SECOND = datetime.timedelta(seconds=1)
TWO_HOURS = datetime.timedelta(hours=2)


def articles(result, applies_to=None):
    return {(c.law, c.article) for c in result.citations
            if applies_to is None or c.applies_to == applies_to}


# --- 第十一条: 逐级上报，每级上报的时间不得超过2小时 -----------------------------------

def test_upward_report_exactly_two_hours_after_being_informed_is_in_time():
    result = late_upward_report(INFORMED, INFORMED + TWO_HOURS)
    assert not result.late and result.overdue == datetime.timedelta(0)
    assert ("生产安全事故报告和调查处理条例", "第十一条") in articles(result)


def test_upward_report_one_second_after_two_hours_is_late():
    result = late_upward_report(INFORMED, INFORMED + TWO_HOURS + SECOND)
    assert result.late and result.overdue == SECOND


def test_upward_deadline_crosses_midnight_in_shanghai_time():
    utc = INFORMED.astimezone(datetime.UTC)
    deadline = upward_report_deadline(utc).deadline
    assert deadline == datetime.datetime(2024, 5, 7, 0, 30, tzinfo=SH)
    assert deadline.utcoffset() == datetime.timedelta(hours=8)


def test_upward_report_refuses_a_naive_time():
    with pytest.raises(ValueError, match="时区"):
        late_upward_report(INFORMED.replace(tzinfo=None), INFORMED)


# --- 第十三条: 自事故发生之日起30日内伤亡人数变化应补报；道路交通、火灾事故7日内 ---------
# 民法典 第二百零一条第一款: the accident day is not counted.

@pytest.mark.parametrize(("road_or_fire", "last_day"), [
    (False, D(2024, 3, 31)), (True, D(2024, 3, 8))])
def test_supplement_window_last_day_is_in_the_day_after_is_not(road_or_fire, last_day):
    window = supplementary_report_window(D(2024, 3, 1), road_or_fire=road_or_fire)
    assert window.last_day == last_day
    assert window.covers(last_day)
    assert not window.covers(last_day + datetime.timedelta(days=1))
    assert window.covers(D(2024, 3, 1))
    assert ("生产安全事故报告和调查处理条例", "第十三条第一款") in articles(window)


def test_supplement_window_does_not_cover_a_day_before_the_accident():
    assert not supplementary_report_window(D(2024, 3, 1)).covers(D(2024, 2, 29))


# --- 第二十条第二款: 30日内（道路交通、火灾7日内）因伤亡人数变化导致等级变化，应当由上级
# 人民政府负责调查的，上级人民政府可以另行组织事故调查组进行调查 ---------------------

def test_higher_government_may_investigate_only_when_casualties_raise_the_class_in_time():
    window = supplementary_report_window(D(2024, 3, 1), road_or_fire=True)
    in_time, too_late = D(2024, 3, 8), D(2024, 3, 9)
    assert higher_government_may_investigate(window, in_time, "ordinary", "large",
                                             casualties_changed=True)
    assert not higher_government_may_investigate(window, too_late, "ordinary", "large",
                                                 casualties_changed=True)
    assert not higher_government_may_investigate(window, in_time, "ordinary", "large",
                                                 casualties_changed=False)  # loss only
    assert not higher_government_may_investigate(window, in_time, "large", "ordinary",
                                                 casualties_changed=True)


# --- 第三十二条第一款: 重大、较大、一般事故自收到报告之日起15日内批复；特别重大事故30日内，
# 特殊情况下可以延长，延长的时间最长不超过30日 --------------------------------------

@pytest.mark.parametrize("klass", ["ordinary", "large", "major"])
def test_approval_within_15_days_on_the_15th_day_in_time_the_16th_late(klass):
    result = investigation_approval_due(D(2024, 6, 10), klass)
    assert result.due == D(2024, 6, 25)
    assert not result.is_late(D(2024, 6, 25))
    assert result.is_late(D(2024, 6, 26))
    assert not result.extendable and result.latest_with_extension == result.due
    assert result.is_late(D(2024, 6, 26), extended=True)  # no extension for these classes
    assert ("生产安全事故报告和调查处理条例", "第三十二条第一款") in articles(result)


def test_extraordinary_approval_within_30_days_extendable_by_at_most_30():
    result = investigation_approval_due(D(2024, 6, 10), "extraordinary")
    assert result.due == D(2024, 7, 10)
    assert not result.is_late(D(2024, 7, 10)) and result.is_late(D(2024, 7, 11))
    assert result.extendable and result.latest_with_extension == D(2024, 8, 9)
    assert not result.is_late(D(2024, 8, 9), extended=True)
    assert result.is_late(D(2024, 8, 10), extended=True)


def test_approval_rule_refuses_an_unknown_class():
    with pytest.raises(ValueError, match="事故等级"):
        investigation_approval_due(D(2024, 6, 10), "serious")


# --- consequences: 安全生产法(2021) 第一百一十条第二款 (隐瞒不报、谎报或者迟报: 上一年年
# 收入60%至100%); 条例 第三十五条第（二）项 (漏报: 40%至80%); 条例 第三十六条第（一）项
# (谎报或者瞒报: 单位100万至500万元; 主要负责人、直接负责的主管人员和其他直接责任人员
# 60%至100%) ---------------------------------------------------------------------------

AFTER_2021 = D(2023, 4, 1)


def test_no_failure_no_consequence():
    assert reporting_consequences(occurred_on=AFTER_2021) == ()


def test_late_report_exposes_the_principal_to_60_to_100_percent_under_art_110():
    (late,) = reporting_consequences(occurred_on=AFTER_2021, late=True)
    assert (late.act_label, late.subject) == ("迟报", "principal")
    assert (late.min_rate, late.max_rate) == (Decimal("0.60"), Decimal("1.00"))
    assert ("中华人民共和国安全生产法", "第一百一十条第二款") in articles(late)


def test_late_report_before_september_2021_cites_the_2014_text():
    (late,) = reporting_consequences(occurred_on=D(2020, 6, 1), late=True)
    assert late.version == "2014"
    assert ("中华人民共和国安全生产法", "第一百零六条第二款") in articles(late)


def test_omitted_report_rests_on_the_regulation_40_to_80_percent():
    (omitted,) = reporting_consequences(occurred_on=AFTER_2021, omitted=True)
    assert (omitted.act_label, omitted.min_rate, omitted.max_rate) == (
        "漏报", Decimal("0.40"), Decimal("0.80"))
    assert articles(omitted) == {("生产安全事故报告和调查处理条例", "第三十五条第（二）项")}


@pytest.mark.parametrize(("flag", "label"), [("false_report", "谎报"), ("concealed", "瞒报")])
def test_false_or_concealed_report_fines_the_unit_and_the_people(flag, label):
    found = reporting_consequences(occurred_on=AFTER_2021, **{flag: True})
    by_subject = {c.subject: c for c in found}
    assert set(by_subject) == {"principal", "unit", "responsible_persons"}
    assert {c.act_label for c in found} == {label}
    unit = by_subject["unit"]
    assert (unit.min_amount, unit.max_amount) == (Decimal(1_000_000), Decimal(5_000_000))
    assert articles(unit) == {("生产安全事故报告和调查处理条例", "第三十六条第（一）项")}
    people = by_subject["responsible_persons"]
    assert (people.min_rate, people.max_rate) == (Decimal("0.60"), Decimal("1.00"))
    principal = by_subject["principal"]
    assert (principal.min_rate, principal.max_rate) == (Decimal("0.60"), Decimal("1.00"))
    assert ("中华人民共和国安全生产法", "第一百一十条第二款") in articles(principal)


def test_every_act_found_is_listed_in_order_as_a_separate_consequence():
    found = reporting_consequences(occurred_on=AFTER_2021, late=True, omitted=True,
                                   false_report=True, concealed=True)
    acts = [c.act for c in found if c.subject == "principal"]
    assert acts == ["late", "omitted", "false_report", "concealed"]
    as_dict = found[0].as_dict()
    assert as_dict["min_rate"] == "0.60" and as_dict["citations"]


def test_consequences_refuse_an_accident_before_the_regulation():
    with pytest.raises(ValueError, match="尚未施行"):
        reporting_consequences(occurred_on=D(2007, 5, 31), omitted=True)
