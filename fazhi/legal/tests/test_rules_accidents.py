"""Accident rules: class edges, the unit's and the principal's fines by text version,
the 1-hour report, the investigation deadline and the criminal-transfer threshold.

Expected values are written from the texts quoted in each test, not from the module."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.rules.calendar import Schedule
from fazhi.legal.rules.accidents import (
    accident_class,
    criminal_transfer_threshold_met,
    investigation_report_due,
    late_report,
    principal_fine,
    report_deadline,
    unit_fine_for_accident,
)

D = datetime.date
SH = datetime.timezone(datetime.timedelta(hours=8))
AFTER_2021 = D(2022, 3, 1)
BEFORE_2021 = D(2020, 6, 1)


def articles(result, applies_to=None):
    return {(c.law, c.version, c.article) for c in result.citations
            if applies_to is None or c.applies_to == applies_to}


# --- 1. accident class: 条例 第三条 ------------------------------------------------
# 特别重大: 30人以上死亡 / 100人以上重伤 / 1亿元以上; 重大: 10–30 / 50–100 / 5000万–1亿;
# 较大: 3–10 / 10–50 / 1000万–5000万; 一般: below. 第三条第三款: 以上含本数，以下不含本数.

@pytest.mark.parametrize(("deaths", "expected"), [
    (0, "ordinary"), (2, "ordinary"), (3, "large"), (9, "large"), (10, "major"),
    (29, "major"), (30, "extraordinary")])
def test_class_by_deaths(deaths, expected):
    assert accident_class(deaths, 0, 0).code == expected


@pytest.mark.parametrize(("injuries", "expected"), [
    (9, "ordinary"), (10, "large"), (49, "large"), (50, "major"), (99, "major"),
    (100, "extraordinary")])
def test_class_by_serious_injuries(injuries, expected):
    assert accident_class(0, injuries, 0).code == expected


@pytest.mark.parametrize(("loss", "expected"), [
    ("9999999.99", "ordinary"), ("10000000", "large"), ("49999999.99", "large"),
    ("50000000", "major"), ("99999999.99", "major"), ("100000000", "extraordinary")])
def test_class_by_direct_loss(loss, expected):
    assert accident_class(0, 0, Decimal(loss)).code == expected


def test_the_highest_class_reached_by_any_measure_decides():
    # 2 deaths (一般) but 50 serious injuries (重大): 重大.
    result = accident_class(2, 50, Decimal("1000"))
    assert result.code == "major"
    assert result.label == "重大事故"
    assert result.reached_by == ("serious_injuries",)
    # every measure at the same class is named
    assert accident_class(3, 10, 10_000_000).reached_by == (
        "deaths", "serious_injuries", "direct_loss")


def test_class_cites_the_article_and_the_counting_rule():
    result = accident_class(30, 0, 0)
    assert articles(result, "accident.class") == {
        ("生产安全事故报告和调查处理条例", "2007", "第三条第一款第（一）项"),
        ("生产安全事故报告和调查处理条例", "2007", "第三条第三款")}
    assert result.as_dict() == {"class": "extraordinary"}


@pytest.mark.parametrize(("args", "message"), [
    ((-1, 0, 0), "死亡人数不能为负数"),
    ((0, -1, 0), "重伤人数"),
    ((0, 0, -1), "直接经济损失不能为负数"),
    ((1.0, 0, 0), "死亡人数应为整数"),
    ((True, 0, 0), "死亡人数应为整数"),
    ((0, 0, 1.5), "不接受浮点数"),
    ((0, 0, "一百万"), "不是有效的金额"),
    ((0, 0, Decimal("NaN")), "不是有效的金额"),
])
def test_bad_figures_are_refused_in_chinese(args, message):
    with pytest.raises(ValueError, match=message):
        accident_class(*args)


def _class_from_text(deaths: int, injuries: int, loss: Decimal) -> int:
    """第三条 written out per measure, 0 = 一般 … 3 = 特别重大; the highest wins."""
    def rank(value, floors):
        return sum(value >= f for f in floors)
    return max(rank(deaths, (3, 10, 30)), rank(injuries, (10, 50, 100)),
               rank(loss, (10_000_000, 50_000_000, 100_000_000)))


ORDER = ["ordinary", "large", "major", "extraordinary"]
money = st.decimals(min_value=0, max_value=Decimal("300000000"), places=2)


@given(st.integers(0, 120), st.integers(0, 300), money)
def test_class_matches_the_article_for_any_figures(deaths, injuries, loss):
    assert ORDER.index(accident_class(deaths, injuries, loss).code) == \
        _class_from_text(deaths, injuries, loss)


@given(st.integers(0, 60), st.integers(0, 150), money, st.integers(0, 40), st.integers(0, 80))
def test_more_casualties_never_lower_the_class(deaths, injuries, loss, more_d, more_i):
    before = ORDER.index(accident_class(deaths, injuries, loss).code)
    after = ORDER.index(accident_class(deaths + more_d, injuries + more_i, loss).code)
    assert after >= before


# --- 2. the unit's fine ---------------------------------------------------------
# 安全生产法(2021) 第一百一十四条第一款: 一般30万–100万; 较大100万–200万; 重大200万–1000万;
# 特别重大1000万–2000万. 第二款: 情节特别严重、影响特别恶劣的，可以按前款罚款数额的二倍以上
# 五倍以下. 2014 text 第一百零九条: 20万–50万; 50万–100万; 100万–500万; 500万–1000万，
# 特别重大情节特别严重的1000万–2000万.

WSL_2021_RANGES = {"ordinary": (300_000, 1_000_000), "large": (1_000_000, 2_000_000),
                   "major": (2_000_000, 10_000_000), "extraordinary": (10_000_000, 20_000_000)}
WSL_2014_RANGES = {"ordinary": (200_000, 500_000), "large": (500_000, 1_000_000),
                   "major": (1_000_000, 5_000_000), "extraordinary": (5_000_000, 10_000_000)}


@pytest.mark.parametrize("code", ORDER)
def test_unit_fine_2021_ranges(code):
    fine = unit_fine_for_accident(code, occurred_on=AFTER_2021)
    low, high = WSL_2021_RANGES[code]
    assert (fine.min, fine.max) == (Decimal(low), Decimal(high))
    assert fine.version == "2021" and not fine.aggravated
    assert fine.as_dict() == {"min": f"{low}.00", "max": f"{high}.00"}
    item = {"ordinary": "（一）", "large": "（二）", "major": "（三）", "extraordinary": "（四）"}
    assert ("中华人民共和国安全生产法", "2021", f"第一百一十四条第一款第{item[code]}项") in \
        articles(fine, "accident.unit_fine")


@pytest.mark.parametrize("code", ORDER)
def test_unit_fine_2021_aggravated_is_two_to_five_times_for_every_class(code):
    fine = unit_fine_for_accident(code, True, occurred_on=AFTER_2021)
    low, high = WSL_2021_RANGES[code]
    assert (fine.min, fine.max) == (Decimal(2 * low), Decimal(5 * high))
    assert (fine.base_min, fine.base_max) == (Decimal(low), Decimal(high))
    assert fine.aggravated and fine.discretionary  # “可以”
    assert ("中华人民共和国安全生产法", "2021", "第一百一十四条第二款") in articles(fine)


def test_extraordinary_aggravated_maximum_is_one_hundred_million():
    # The figure announced with the 2021 amendment: 特别重大事故罚款最高可达1亿元.
    assert unit_fine_for_accident("extraordinary", True, occurred_on=AFTER_2021).max == \
        Decimal(100_000_000)


@pytest.mark.parametrize("code", ORDER)
def test_unit_fine_2014_ranges_for_accidents_before_september_2021(code):
    fine = unit_fine_for_accident(code, occurred_on=BEFORE_2021)
    low, high = WSL_2014_RANGES[code]
    assert (fine.min, fine.max) == (Decimal(low), Decimal(high))
    assert fine.version == "2014"
    assert {c.article[:6] for c in fine.citations} == {"第一百零九条"}


def test_2014_aggravation_only_for_extraordinary_accidents():
    fine = unit_fine_for_accident("extraordinary", True, occurred_on=BEFORE_2021)
    assert (fine.min, fine.max) == (Decimal(10_000_000), Decimal(20_000_000))
    assert fine.aggravated and not fine.discretionary  # 2014: “处”
    major = unit_fine_for_accident("major", True, occurred_on=BEFORE_2021)
    assert (major.min, major.max) == (Decimal(1_000_000), Decimal(5_000_000))
    assert not major.aggravated
    assert any("仅对特别重大事故" in n for n in major.notes)


def test_text_switches_on_1_september_2021():
    assert unit_fine_for_accident("ordinary", occurred_on=D(2021, 8, 31)).version == "2014"
    assert unit_fine_for_accident("ordinary", occurred_on=D(2021, 9, 1)).version == "2021"


def test_old_accident_decided_after_2021_keeps_the_lighter_old_text():
    # 行政处罚法 第三十七条: the later text applies only when lighter; 2021 is heavier.
    fine = unit_fine_for_accident("large", occurred_on=D(2021, 8, 31),
                                  decided_on=D(2021, 10, 8))
    assert fine.version == "2014"
    assert (fine.min, fine.max) == (Decimal(500_000), Decimal(1_000_000))
    assert ("中华人民共和国行政处罚法", "2021", "第三十七条") in articles(fine)


def test_unit_fine_bad_input():
    with pytest.raises(ValueError, match="事故等级应为"):
        unit_fine_for_accident("serious", occurred_on=AFTER_2021)
    with pytest.raises(ValueError, match="早于安全生产法\\(2014\\)施行日"):
        unit_fine_for_accident("ordinary", occurred_on=D(2014, 11, 30))
    with pytest.raises(ValueError, match="处罚决定日期不能早于事故发生日期"):
        unit_fine_for_accident("ordinary", occurred_on=AFTER_2021, decided_on=D(2022, 1, 1))


# --- 3. the principal's fine ------------------------------------------------------
# 安全生产法(2021) 第九十五条: 40% / 60% / 80% / 100% of 上一年年收入; 2014 第九十二条:
# 30% / 40% / 60% / 80%. 第一百一十条 (2014: 第一百零六条): 迟报 etc. 60%–100%.
# 条例 第三十五条: 漏报 40%–80%.

@pytest.mark.parametrize(("code", "rate_2021", "rate_2014"), [
    ("ordinary", "0.40", "0.30"), ("large", "0.60", "0.40"),
    ("major", "0.80", "0.60"), ("extraordinary", "1.00", "0.80")])
def test_principal_rate_by_class_and_text(code, rate_2021, rate_2014):
    new = principal_fine(code, occurred_on=AFTER_2021)
    old = principal_fine(code, occurred_on=BEFORE_2021)
    assert (new.min_rate, new.max_rate) == (Decimal(rate_2021), Decimal(rate_2021))
    assert (old.min_rate, old.max_rate) == (Decimal(rate_2014), Decimal(rate_2014))
    assert {c.article[:5] for c in new.citations} == {"第九十五条"}
    assert {c.article[:5] for c in old.citations} == {"第九十二条"}
    assert new.amount_min is None and new.as_dict()["amount_max"] is None


def test_principal_amounts_from_income_round_half_up():
    # 100 000.0125 × 40 % = 40 000.005 → 40 000.01 (half up, not to even).
    fine = principal_fine("ordinary", income_prev_year=Decimal("100000.0125"),
                          occurred_on=AFTER_2021)
    assert fine.amount_min == fine.amount_max == Decimal("40000.01")
    assert fine.as_dict() == {"min_rate": "0.40", "max_rate": "0.40",
                              "amount_min": "40000.01", "amount_max": "40000.01"}


def test_late_report_without_class_is_60_to_100_percent():
    fine = principal_fine(late_report=True, income_prev_year=250_000, occurred_on=AFTER_2021)
    assert fine.basis == "late_report"
    assert (fine.min_rate, fine.max_rate) == (Decimal("0.60"), Decimal("1.00"))
    assert (fine.amount_min, fine.amount_max) == (Decimal("150000.00"), Decimal("250000.00"))
    assert ("中华人民共和国安全生产法", "2021", "第一百一十条第二款") in \
        articles(fine, "accident.principal_fine")
    old = principal_fine(late_report=True, occurred_on=BEFORE_2021)
    assert (old.min_rate, old.max_rate) == (Decimal("0.60"), Decimal("1.00"))
    assert ("中华人民共和国安全生产法", "2014", "第一百零六条第二款") in articles(old)


def test_class_and_late_report_are_two_fines_neither_dropped():
    fine = principal_fine("major", True, 100_000, occurred_on=AFTER_2021)
    assert fine.basis == "duties" and fine.min_rate == Decimal("0.80")
    (late,) = fine.separate
    assert late.basis == "late_report"
    assert (late.amount_min, late.amount_max) == (Decimal("60000.00"), Decimal("100000.00"))


def test_omitted_report_falls_back_to_the_regulation_and_is_flagged():
    fine = principal_fine(omitted_report=True, income_prev_year=100_000,
                          occurred_on=AFTER_2021)
    assert (fine.min_rate, fine.max_rate) == (Decimal("0.40"), Decimal("0.80"))
    assert articles(fine) == {("生产安全事故报告和调查处理条例", "2007", "第三十五条第（二）项")}
    assert fine.notes


def test_principal_fine_needs_a_class_or_a_reporting_fact():
    with pytest.raises(ValueError, match="需要事故等级"):
        principal_fine(occurred_on=AFTER_2021)
    with pytest.raises(ValueError, match="上一年年收入不能为负数"):
        principal_fine("ordinary", income_prev_year=-1, occurred_on=AFTER_2021)


# --- 4. the 1-hour report: 条例 第九条 ---------------------------------------------
# 1小时内: counted from the moment informed (民法典 第二百零一条第二款); 以内 includes
# the figure (民法典 第一千二百五十九条); 迟报 = 超过规定时限.

INFORMED = datetime.datetime(2024, 5, 6, 10, 15, 0, tzinfo=SH)


def test_deadline_is_one_hour_after_the_principal_is_informed():
    result = report_deadline(INFORMED)
    assert result.deadline == datetime.datetime(2024, 5, 6, 11, 15, 0, tzinfo=SH)
    assert result.as_dict() == {"report_deadline": "2024-05-06T11:15:00+08:00"}
    assert ("生产安全事故报告和调查处理条例", "2007", "第九条") in \
        articles(result, "accident.report_deadline")


def test_exactly_one_hour_is_in_time_one_second_more_is_late():
    on_time = late_report(INFORMED, INFORMED + datetime.timedelta(hours=1))
    assert not on_time.late and on_time.overdue == datetime.timedelta(0)
    late = late_report(INFORMED, INFORMED + datetime.timedelta(hours=1, seconds=1))
    assert late.late and late.overdue == datetime.timedelta(seconds=1)
    assert late.as_dict() == {"late_report": True}
    assert ("生产安全事故报告和调查处理条例", "2007", "第九条") in \
        articles(late, "accident.late_report")


def test_times_in_other_offsets_are_compared_as_instants():
    utc = INFORMED.astimezone(datetime.UTC)  # 02:15 UTC
    result = late_report(utc, datetime.datetime(2024, 5, 6, 3, 15, 1, tzinfo=datetime.UTC))
    assert result.late
    assert result.deadline.utcoffset() == datetime.timedelta(hours=8)


def test_a_direct_report_before_the_principal_knew_is_in_time():
    assert not late_report(INFORMED, INFORMED - datetime.timedelta(minutes=5)).late


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="须带时区"):
        report_deadline(datetime.datetime(2024, 5, 6, 10, 15))


# --- 5. investigation report: 条例 第二十九条 ---------------------------------------
# 60 calendar days from the accident day, that day not counted (民法典 第二百零一条);
# extension at most 60 days.

def test_investigation_report_due_and_latest():
    # Accident 2024-03-01: day 1 = 03-02 … 03-31 is day 30, 04-30 day 60.
    # Extension: 05-01 … 05-31 = 31 days, 06-01 … 06-29 = 29 more → 06-29.
    result = investigation_report_due(D(2024, 3, 1))
    assert result.due == D(2024, 4, 30)
    assert result.latest_with_extension == D(2024, 6, 29)
    assert result.as_dict() == {"investigation_report_due": "2024-04-30",
                                "investigation_report_latest_with_extension": "2024-06-29"}
    assert ("生产安全事故报告和调查处理条例", "2007", "第二十九条") in \
        articles(result, "accident.investigation_report_latest_with_extension")


def test_last_day_in_time_next_day_late():
    result = investigation_report_due(D(2024, 3, 1))
    assert not result.is_late(D(2024, 4, 30))
    assert result.is_late(D(2024, 5, 1))
    assert not result.is_late(D(2024, 6, 29), extended=True)
    assert result.is_late(D(2024, 6, 30), extended=True)


def test_technical_appraisal_days_are_not_counted():
    # 第二十七条: 10 days of appraisal push both dates by 10 days.
    result = investigation_report_due(D(2024, 3, 1), appraisal_days=10)
    assert result.due == D(2024, 5, 10)
    assert result.latest_with_extension == D(2024, 7, 9)
    assert ("生产安全事故报告和调查处理条例", "2007", "第二十七条") in articles(result)


def test_class_names_who_investigates():
    assert investigation_report_due(D(2024, 3, 1), "large").investigated_by == \
        "事故发生地设区的市级人民政府"
    assert investigation_report_due(D(2024, 3, 1)).investigated_by is None


def test_rest_day_is_flagged_not_moved_and_unknown_years_are_reported():
    # Accident 2024-08-31 → due 2024-10-30 (Wed); a schedule marking it a holiday
    # flags it; the extension end 2024-12-29 is a Sunday.
    schedule = Schedule(holidays={D(2024, 10, 30)}, loaded_years={2024})
    result = investigation_report_due(D(2024, 8, 31), schedule=schedule)
    assert result.due == D(2024, 10, 30) and result.due_is_rest_day is True
    assert result.latest_with_extension == D(2024, 12, 29)
    assert result.latest_is_rest_day is True
    assert result.assumed_years == frozenset()
    # An accident in late 2025 reaches 2026, whose schedule is not loaded here.
    later = investigation_report_due(D(2025, 12, 1), schedule=schedule)
    assert 2026 in later.assumed_years


def test_investigation_bad_input():
    with pytest.raises(ValueError, match="事故发生日期应为日期"):
        investigation_report_due("2024-03-01")
    with pytest.raises(ValueError, match="技术鉴定天数不能为负数"):
        investigation_report_due(D(2024, 3, 1), appraisal_days=-1)


# --- 6. criminal transfer: 法释〔2015〕22号 第六条 -----------------------------------
# 造成死亡一人以上，或者重伤三人以上；造成直接经济损失一百万元以上 (以上 includes the
# figure, 刑法 第九十九条).

@pytest.mark.parametrize(("deaths", "injuries", "loss", "met"), [
    (0, 0, "0", False), (1, 0, "0", True),
    (0, 2, "0", False), (0, 3, "0", True),
    (0, 0, "999999.99", False), (0, 0, "1000000", True)])
def test_criminal_threshold_edges(deaths, injuries, loss, met):
    result = criminal_transfer_threshold_met(deaths, injuries, Decimal(loss))
    assert result.threshold_met is met
    assert result.required is met
    assert result.as_dict() == {"threshold_met": met, "required": met}


def test_criminal_threshold_citations_and_serious_tier():
    result = criminal_transfer_threshold_met(0, 0, Decimal("1000000"))
    assert result.reached_by == ("direct_loss",)
    law = "最高人民法院、最高人民检察院关于办理危害生产安全刑事案件适用法律若干问题的解释"
    assert (law, "2015", "第六条第一款第（二）项") in \
        articles(result, "criminal_transfer.threshold_met")
    assert ("中华人民共和国行政处罚法", "2021", "第二十七条第一款") in \
        articles(result, "criminal_transfer.required")
    assert not result.especially_bad_possible
    # 第七条: 3 deaths / 10 serious injuries / 500万 with main responsibility.
    assert not criminal_transfer_threshold_met(2, 9, Decimal("4999999.99")).especially_bad_possible
    assert criminal_transfer_threshold_met(3, 0, 0).especially_bad_possible
    assert criminal_transfer_threshold_met(0, 10, 0).especially_bad_possible
    assert criminal_transfer_threshold_met(0, 0, 5_000_000).especially_bad_possible
