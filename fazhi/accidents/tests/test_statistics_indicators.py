"""The accident statistics and indicators count the records of the period: accidents by
their occurrence as a Shanghai date (31 December 23:59 in, 1 January 00:00 out, whatever
the UTC date says), deaths as the latest figures, the city / county scope by the
accident's place, guidance and opinions by their own dates. Records are built with the
ORM directly: what is tested here is the counting, not the procedure."""

from __future__ import annotations

import datetime
import io
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from fazhi.accidents.models import (
    Accident,
    AccidentClass,
    Industry,
    Investigation,
    LegalityOpinion,
    ReportReview,
)
from fazhi.accidents.statistics import (
    NO_CHANGE,
    Tally,
    accident_statistics,
    by_month,
    tally,
    yoy_percent,
)
from fazhi.core.models import Jurisdiction, Role, User
from fazhi.reports.registry import TZ, Period, all_indicators, get_indicator

pytestmark = pytest.mark.django_db

REPORT = Path(settings.BASE_DIR).parent / "shared" / "reference" / "report_2024.yaml"
# id: (label, kind, scope), as report_2024.yaml lists them.
IDS = {
    "accidents.count": ("生产安全事故起数", "count", "city"),
    "accidents.deaths": ("死亡人数", "count", "city"),
    "accidents.highway.count": ("其中高速公路事故起数", "count", "city"),
    "accidents.highway.deaths": ("其中高速公路死亡人数", "count", "city"),
    "accidents.count.yoy": ("事故起数同比", "percent", "city"),
    "accidents.deaths.yoy": ("死亡人数同比", "percent", "city"),
    "accidents.report_review.guided": ("事故调查报告获司法部门法律指导（起）", "count", "city"),
    "accidents.report_review.opinions": ("书面合法性审查意见（件）", "count", "city"),
}
Y2023, Y2024, Y2025 = (Period.for_year(y) for y in (2023, 2024, 2025))
D = datetime.date
_serial = itertools.count(1)


def at(*args: int) -> datetime.datetime:
    """A Shanghai wall-clock time."""
    return datetime.datetime(*args, tzinfo=TZ)


def _value(indicator_id: str, period: Period, jurisdiction: Jurisdiction):
    return get_indicator(indicator_id).evaluate(period, jurisdiction)


@pytest.fixture
def officer(make_user) -> User:
    return make_user(Role.OFFICER)


@pytest.fixture
def accident(officer, agencies, jurisdictions):
    """accident(where, occurred_at, deaths=0, **fields): an accident located in
    jurisdictions[where], registered by that county's bureau (the city's at the city)."""

    def make(where: str, occurred_at: datetime.datetime, deaths: int = 0,
             **fields) -> Accident:
        agency = agencies["city" if where in ("city", "province") else
                          "xiuzhou" if where.startswith("xiuzhou") else "nanhu"]
        fields.setdefault("industry", Industry.INDUSTRY_TRADE)
        fields.setdefault("accident_class",
                          AccidentClass.LARGE if deaths >= 3 else AccidentClass.ORDINARY)
        return Accident.objects.create(
            number=f"TEST-{next(_serial)}", agency=agency, jurisdiction=jurisdictions[where],
            occurred_at=occurred_at, place="测试地点", account="测试事故经过",
            deaths=deaths, created_by=officer, **fields)

    return make


def _investigation(accident: Accident) -> Investigation:
    day = accident.occurred_at.astimezone(TZ).date()
    return Investigation.objects.create(accident=accident, led_by="事故发生地县级人民政府",
                                        started_on=day, report_due=day)


def _review(investigation: Investigation, guidance_on: datetime.date | None,
            user: User) -> ReportReview:
    return ReportReview.objects.create(
        investigation=investigation, requested_on=D(2024, 3, 1), requested_of="嘉兴市司法局",
        questions="责任认定的法律适用", guidance_on=guidance_on,
        guidance="建议补充责任认定的法律依据" if guidance_on else "", created_by=user)


def _opinion(investigation: Investigation, issued_on: datetime.date,
             user: User) -> LegalityOpinion:
    return LegalityOpinion.objects.create(
        investigation=investigation, issued_on=issued_on, issued_by="嘉兴市司法局",
        conclusion="调查报告基本合法，建议修改后报批", created_by=user)


# --- registration ---------------------------------------------------------------------------

def test_registered_with_the_report_ids_labels_kinds_and_scopes():
    ours = {i.id: (str(i.label), i.kind, i.scope) for i in all_indicators()
            if i.id.startswith("accidents.")}
    assert ours == IDS


@pytest.mark.skipif(not REPORT.exists(), reason="../shared/reference is not beside this clone")
def test_the_registrations_here_are_those_of_the_reference_file():
    report = yaml.safe_load(REPORT.read_text(encoding="utf-8"))
    assert {row["id"]: (row["label"], row["kind"], row["scope"])
            for row in report["indicators"] if row["module"] == "accidents"} == IDS


# --- periods: the Shanghai date of the occurrence ------------------------------------------

def test_an_accident_belongs_to_the_year_of_its_shanghai_date(accident, jurisdictions):
    city = jurisdictions["city"]
    accident("nanhu", at(2024, 1, 1, 0, 0), deaths=1)         # 2023-12-31 16:00 UTC: in 2024
    accident("nanhu", at(2024, 12, 31, 23, 59), deaths=2)     # the last minute: in 2024
    accident("nanhu", at(2025, 1, 1, 0, 0), deaths=4)         # the next year
    accident("xiuzhou", at(2025, 1, 1, 7, 30), deaths=8)      # 2024-12-31 23:30 UTC: 2025
    accident("xiuzhou", at(2023, 12, 31, 23, 59, 59), deaths=16)  # the year before

    assert tally(Y2024, city) == Tally(2, 3)
    assert tally(Y2025, city) == Tally(2, 12)
    assert tally(Y2023, city) == Tally(1, 16)
    assert (_value("accidents.count", Y2024, city), _value("accidents.deaths", Y2024, city)) \
        == (2, 3)
    assert _value("accidents.deaths", Y2025, city) == 12
    # the months are Shanghai months too: 1 January 00:00 is January, not December
    months = {row.key: (row.count, row.deaths) for row in by_month(Y2024, city)}
    assert months["1"] == (1, 1) and months["12"] == (1, 2)
    assert sum(c for c, _ in months.values()) == 2


def test_a_period_of_days_counts_whole_shanghai_days(accident, jurisdictions):
    city = jurisdictions["city"]
    accident("nanhu", at(2024, 6, 30, 23, 59))
    accident("nanhu", at(2024, 7, 1, 0, 0))
    june = Period(D(2024, 6, 1), D(2024, 6, 30))
    assert _value("accidents.count", june, city) == 1


def test_deaths_are_the_latest_known_figures(accident, jurisdictions, officer):
    city = jurisdictions["city"]
    crash = accident("nanhu", at(2024, 5, 3, 9, 0), deaths=2,
                     industry=Industry.ROAD)
    crash.revisions.create(known_on=D(2024, 5, 3), deaths=2, missing=0, serious_injuries=1,
                           direct_loss=0, accident_class=AccidentClass.ORDINARY,
                           reason="初报", recorded_by=officer)
    # 补报: a third death seven days later; the registry's figures are updated with it
    crash.revisions.create(known_on=D(2024, 5, 10), deaths=3, missing=0, serious_injuries=0,
                           direct_loss=0, accident_class=AccidentClass.LARGE,
                           reason="一名重伤人员经抢救无效死亡", recorded_by=officer)
    Accident.objects.filter(pk=crash.pk).update(deaths=3, accident_class=AccidentClass.LARGE)
    assert _value("accidents.deaths", Y2024, city) == 3  # not 2, not 2 + 3
    classes = {row.key: row.count for row in accident_statistics(
        year=2024, jurisdiction=city).by_class}
    assert classes == {"ordinary": 0, "large": 1, "major": 0, "extraordinary": 0}


# --- scope: the accident's place ----------------------------------------------------------

def test_county_scope_and_the_breakdown_by_county(accident, jurisdictions):
    city, nanhu, xiuzhou = (jurisdictions[k] for k in ("city", "nanhu", "xiuzhou"))
    accident("nanhu", at(2024, 3, 1, 10, 0), deaths=1)
    accident("nanhu_town", at(2024, 3, 2, 10, 0), deaths=2)  # a town counts in its county
    accident("xiuzhou_town", at(2024, 4, 1, 10, 0), deaths=1, industry=Industry.FIRE)

    assert tally(Y2024, nanhu) == Tally(2, 3)
    assert tally(Y2024, xiuzhou) == Tally(1, 1)
    assert tally(Y2024, city) == Tally(3, 4)
    assert _value("accidents.count", Y2024, jurisdictions["nanhu_town"]) == 1

    rows = accident_statistics(year=2024, jurisdiction=city).by_county
    assert [(r.key, r.label, r.count, r.deaths) for r in rows] == [
        ("330402", "南湖区", 2, 3), ("330411", "秀洲区", 1, 1)]  # no 本级 row: none there
    accident("city", at(2024, 8, 8, 8, 0), deaths=1, industry=Industry.ROAD, on_highway=True)
    rows = accident_statistics(year=2024, jurisdiction=city).by_county
    assert [(r.key, r.count) for r in rows] == [("330402", 2), ("330411", 1), ("330400", 1)]
    assert rows[-1].label == "嘉兴市（本级）"
    # a county's breakdown lists its towns
    nanhu_rows = accident_statistics(year=2024, jurisdiction=nanhu).by_county
    assert [(r.key, r.count) for r in nanhu_rows] == [("330402001", 1), ("330402", 1)]


def test_breakdowns_add_up_to_the_totals(accident, jurisdictions):
    city = jurisdictions["city"]
    accident("nanhu", at(2024, 2, 10, 8, 0), deaths=1, industry=Industry.ROAD,
             on_highway=True)
    accident("nanhu", at(2024, 2, 11, 8, 0), deaths=1, industry=Industry.ROAD)
    accident("xiuzhou", at(2024, 9, 1, 14, 0), deaths=3, industry=Industry.CONSTRUCTION)
    accident("xiuzhou_town", at(2024, 11, 20, 2, 0), deaths=0, industry=Industry.FIRE)

    stats = accident_statistics(year=2024, jurisdiction=city)
    assert stats.total == Tally(4, 5)
    assert stats.highway == Tally(1, 1)
    assert _value("accidents.highway.count", Y2024, city) == 1
    assert _value("accidents.highway.deaths", Y2024, city) == 1
    industries = {r.key: (r.count, r.deaths) for r in stats.by_industry}
    assert industries["road"] == (2, 2) and industries["construction"] == (1, 3)
    assert industries["fire"] == (1, 0) and industries["industry_trade"] == (0, 0)
    for rows in (stats.by_class, stats.by_industry, stats.by_county, stats.by_month):
        assert Tally(sum(r.count for r in rows), sum(r.deaths for r in rows)) == stats.total
    assert [r.key for r in stats.by_month] == [str(m) for m in range(1, 13)]


def test_the_statistics_are_a_fixed_number_of_queries(accident, jurisdictions,
                                                      django_assert_num_queries):
    city = jurisdictions["city"]
    for n in range(12):
        accident("nanhu_town" if n % 2 else "xiuzhou", at(2024, n + 1, 5, 9, 0), deaths=n % 3)
    with django_assert_num_queries(6):
        accident_statistics(year=2024, jurisdiction=city)


# --- year on year -------------------------------------------------------------------------

def test_year_on_year_change_one_decimal_half_up(accident, jurisdictions):
    city = jurisdictions["city"]
    for month in (1, 2, 3, 4, 5, 6, 7, 8):
        accident("nanhu", at(2023, month, 3, 9, 0), deaths=2)
    for month in (1, 2, 3, 4, 5, 6, 7):
        accident("xiuzhou", at(2024, month, 3, 9, 0), deaths=0)
    accident("xiuzhou", at(2024, 9, 3, 9, 0), deaths=17)
    # count 8 → 8: 0.0; deaths 16 → 17: +6.25 %, half up to 6.3 (not the banker's 6.2)
    assert _value("accidents.count.yoy", Y2024, city) == Decimal("0.0")
    assert _value("accidents.deaths.yoy", Y2024, city) == Decimal("6.3")
    stats = accident_statistics(year=2024, jurisdiction=city)
    assert stats.deaths_change.percent == Decimal("6.3")
    assert stats.deaths_change.display == "+6.3%"
    assert (stats.previous, stats.total) == (Tally(8, 16), Tally(8, 17))
    # scope applies to both years: 南湖区 had 8 accidents in 2023 and none in 2024
    assert _value("accidents.count.yoy", Y2024, jurisdictions["nanhu"]) == Decimal("-100.0")
    assert _value("accidents.count.yoy", Y2024, jurisdictions["xiuzhou"]) == Decimal("0.0")


def test_year_on_year_decrease_as_the_report_states_it():
    # 69 accidents against 76, 47 deaths against 51 (report_2024.yaml notes)
    assert yoy_percent(69, 76) == Decimal("-9.2")
    assert yoy_percent(47, 51) == Decimal("-7.8")


def test_year_on_year_with_an_empty_previous_year(accident, jurisdictions):
    city = jurisdictions["city"]
    accident("nanhu", at(2024, 6, 1, 9, 0), deaths=1)
    stats = accident_statistics(year=2024, jurisdiction=city)
    assert stats.previous == Tally(0, 0)
    assert stats.count_change.percent is None and stats.deaths_change.percent is None
    assert stats.count_change.display == NO_CHANGE == "—"
    # an indicator is a number: no base gives 0.0 (the registry's convention, documented)
    assert _value("accidents.count.yoy", Y2024, city) == Decimal("0.0")
    assert _value("accidents.deaths.yoy", Y2024, city) == Decimal("0.0")


# --- legality review of investigation reports ------------------------------------------------

def test_guided_reports_are_distinct_investigations_guided_in_the_period(
        accident, jurisdictions, officer):
    city, nanhu, xiuzhou = (jurisdictions[k] for k in ("city", "nanhu", "xiuzhou"))
    twice = _investigation(accident("nanhu", at(2023, 11, 2, 9, 0), deaths=1))
    _review(twice, D(2024, 1, 1), officer)
    _review(twice, D(2024, 12, 31), officer)  # guided twice in 2024: one report
    waiting = _investigation(accident("nanhu_town", at(2024, 5, 2, 9, 0), deaths=1))
    _review(waiting, None, officer)  # asked, not answered yet
    late = _investigation(accident("xiuzhou", at(2024, 10, 2, 9, 0), deaths=1))
    _review(late, D(2025, 1, 1), officer)
    other = _investigation(accident("xiuzhou_town", at(2024, 3, 2, 9, 0), deaths=1))
    _review(other, D(2024, 6, 1), officer)

    assert _value("accidents.report_review.guided", Y2024, city) == 2
    assert _value("accidents.report_review.guided", Y2024, nanhu) == 1
    assert _value("accidents.report_review.guided", Y2024, xiuzhou) == 1
    assert _value("accidents.report_review.guided", Y2025, city) == 1
    assert _value("accidents.report_review.guided", Y2023, city) == 0


def test_written_opinions_are_counted_by_their_issue_date(accident, jurisdictions, officer):
    city, nanhu = jurisdictions["city"], jurisdictions["nanhu"]
    first = _investigation(accident("nanhu", at(2024, 2, 2, 9, 0), deaths=1))
    _opinion(first, D(2024, 1, 1), officer)
    _opinion(first, D(2024, 12, 31), officer)  # two opinions on one report: two
    second = _investigation(accident("xiuzhou_town", at(2024, 3, 2, 9, 0), deaths=1))
    _opinion(second, D(2025, 1, 1), officer)

    assert _value("accidents.report_review.opinions", Y2024, city) == 2
    assert _value("accidents.report_review.opinions", Y2024, nanhu) == 2
    assert _value("accidents.report_review.opinions", Y2024, jurisdictions["xiuzhou"]) == 0
    assert _value("accidents.report_review.opinions", Y2025, city) == 1


def test_the_indicators_command_prints_the_accident_figures(accident, jurisdictions):
    accident("nanhu", at(2023, 7, 1, 9, 0), deaths=2)
    accident("nanhu", at(2023, 8, 1, 9, 0), deaths=1)
    accident("xiuzhou", at(2024, 7, 1, 9, 0), deaths=2, industry=Industry.ROAD,
             on_highway=True)
    out = io.StringIO()
    call_command("indicators", year=2024, jurisdiction="330400", format="json",
                 only="accidents.", stdout=out)
    assert json.loads(out.getvalue()) == {
        "accidents.count": 1, "accidents.deaths": 2, "accidents.highway.count": 1,
        "accidents.highway.deaths": 2, "accidents.count.yoy": -50.0,
        "accidents.deaths.yoy": -33.3, "accidents.report_review.guided": 0,
        "accidents.report_review.opinions": 0}
