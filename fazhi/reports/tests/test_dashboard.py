"""The leaders' dashboard (领导驾驶舱) over HTTP on the small demo: its key figures are the
registry's, its twelve months add up to the year's indicators (and each month is the
indicator for that month), each county's row is the indicator for that county, the open
cases by stage are the cases by state, the overdue counts land on lists of as many
records; a county user sees its county only (another area: 404); enterprise users and
social supervisors are refused (403)."""

from __future__ import annotations

import calendar
import datetime
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from fazhi.cases.deadlines import overdue_cases
from fazhi.cases.models import PenaltyCase
from fazhi.cases.rules.workflow import READ_ONLY_STATES, STATE_LABELS
from fazhi.cases.selectors import case_list
from fazhi.core.models import Jurisdiction, Role, User
from fazhi.core.selectors import path_filter
from fazhi.inspection.models import Inspection
from fazhi.inspection.selectors import hazards_overdue_orders, hazards_overdue_reinspections
from fazhi.reports.dashboard import KEY_FIGURES
from fazhi.reports.registry import Period, get_indicator, percent

URL = "/reports/dashboard/"
YEAR = 2024
# The monthly series and the indicator each adds up to.
MONTHLY = {"inspections": "inspections.count", "cases": "cases.count",
           "fines": "cases.fines_confiscations", "hazards": "hazards.found",
           "accidents": "accidents.count", "deaths": "accidents.deaths"}
COLUMNS = ["inspections", "cases", "fines", "hazards", "rectified", "accidents", "deaths"]
# The area comparison's columns and their indicators.
COMPARED = {"cases": "cases.count", "fines": "cases.fines_confiscations",
            "inspections": "inspections.count", "hazards": "hazards.found",
            "accidents": "accidents.count"}
CASE_ROW = r'href="/cases/(\d+)/"'
INSPECTION_ROW = r'href="/inspection/inspections/(\d+)/"'
HAZARD_ROW = r'href="/inspection/hazards/(\d+)/"'


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The 200-enterprise demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                call_command("load_demo", enterprises=200, stdout=io.StringIO())
                yield
                raise _Rollback
        except _Rollback:
            pass


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _page(username: str, **params: object) -> str:
    response = _client(username).get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _block(html: str, testid: str, tag: str = "div") -> str:
    match = re.search(rf'<{tag}[^>]*data-testid="{re.escape(testid)}"[^>]*>(.*?)</{tag}>',
                      html, flags=re.DOTALL)
    assert match, testid
    return match.group(1)


def _cell(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', html)
    assert match, testid
    return match.group(1).strip()


def _figure(html: str, indicator_id: str) -> str:
    start = html.index(f'data-testid="figure-{indicator_id}"')
    return html[start:html.index("</div>\n  </div>", start)]


def _month_rows(html: str) -> list[list[str]]:
    table = _block(html, "month-table", "table")
    rows = re.findall(r'<tr data-testid="month-row">(.*?)</tr>', table, flags=re.DOTALL)
    return [re.findall(r"<td>([^<]*)</td>", row) for row in rows]


def _area_rows(html: str) -> dict[str, dict[str, str]]:
    rows = re.findall(r'<tr data-testid="area-row" data-code="(\d+)">(.*?)</tr>', html,
                      flags=re.DOTALL)
    return {code: {key: _cell(row, key) for key in COMPARED} for code, row in rows}


def _month(year: int, month: int) -> Period:
    return Period(datetime.date(year, month, 1),
                  datetime.date(year, month, calendar.monthrange(year, month)[1]))


def _listed(client: Client, url: str, row_pattern: str) -> int:
    """The records a list shows over all its pages (distinct detail links)."""
    seen: set[str] = set()
    page = 1
    while True:
        html = client.get(f"{url}&page={page}").content.decode()
        seen.update(re.findall(row_pattern, html))
        pages = re.search(r"(\d+) / (\d+)</span>", html)
        if not pages or page >= int(pages.group(2)):
            return len(seen)
        page += 1


@pytest.mark.django_db
def test_key_figures_are_the_registrys_with_the_year_before(demo):
    city = Jurisdiction.objects.get(code="330400")
    html = _page("leader", year=YEAR, jurisdiction="330400")
    period = Period.for_year(YEAR)
    shown = 0
    for indicator_id in KEY_FIGURES:
        try:
            indicator = get_indicator(indicator_id)
        except KeyError:
            continue
        tile = _figure(html, indicator_id)
        value = indicator.evaluate(period, city)
        assert _cell(tile, "value") == str(value), indicator_id
        assert _cell(tile, "previous") == str(
            indicator.evaluate(period.previous_year(), city)), indicator_id
        drill = re.search(r'href="([^"]+)" data-testid="drill"', tile)
        expected = indicator.drill_url(period, city) if value else None
        assert (drill.group(1).replace("&amp;", "&") if drill else None) == expected
        shown += 1
    for required in ("cases.count", "cases.fines_confiscations", "inspections.count",
                     "hazards.found", "hazards.rectified_rate", "accidents.count",
                     "accidents.deaths"):
        assert f'data-testid="figure-{required}"' in html
    assert shown >= 7


@pytest.mark.django_db
def test_the_twelve_months_add_up_to_the_years_indicators(demo):
    city = Jurisdiction.objects.get(code="330400")
    html = _page("leader", year=YEAR, jurisdiction="330400")
    rows = _month_rows(html)
    assert len(rows) == 12
    period = Period.for_year(YEAR)
    for key, indicator_id in MONTHLY.items():
        indicator = get_indicator(indicator_id)
        column = [Decimal(row[COLUMNS.index(key)]) for row in rows]
        assert sum(column) == indicator.evaluate(period, city), key
        assert sum(column) > 0 or key == "deaths", key  # the demo city has each kind
        for month, value in enumerate(column, start=1):
            assert value == indicator.evaluate(_month(YEAR, month), city), (key, month)
    total = re.search(r'<td data-key="cases">([^<]*)</td>', html).group(1)
    assert int(total) == get_indicator("cases.count").evaluate(period, city)
    # hazards rectified (closed by the year's end) over hazards found: the year's rate
    found = sum(int(row[COLUMNS.index("hazards")]) for row in rows)
    rectified = sum(int(row[COLUMNS.index("rectified")]) for row in rows)
    assert percent(rectified, found) == get_indicator("hazards.rectified_rate").evaluate(
        period, city)


@pytest.mark.django_db
def test_the_charts_get_the_months_as_json(demo):
    html = _page("leader", year=YEAR, jurisdiction="330400")
    data = json.loads(re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', html,
        flags=re.DOTALL).group(1))
    rows = _month_rows(html)
    assert data["work"]["bars"][0] == [int(row[0]) for row in rows]
    assert len(data["months"]) == 12 and sum(data["pipeline"]["counts"]) >= 0
    assert '/static/vendor/echarts/echarts.min.js' in html
    assert '/static/fazhi/dashboard.js' in html


@pytest.mark.django_db
def test_each_county_row_is_the_indicator_for_that_county(demo):
    html = _page("leader", year=YEAR, jurisdiction="330400")
    rows = _area_rows(html)
    counties = list(Jurisdiction.objects.filter(parent__code="330400").order_by("code"))
    assert [code for code in rows][:len(counties)] == [c.code for c in counties]
    period = Period.for_year(YEAR)
    city = Jurisdiction.objects.get(code="330400")
    for county in counties:
        for key, indicator_id in COMPARED.items():
            assert rows[county.code][key] == str(
                get_indicator(indicator_id).evaluate(period, county)), (county.code, key)
    # the rows (with the city's own level, when shown) add up to the city's figures
    for key, indicator_id in COMPARED.items():
        assert sum(Decimal(row[key]) for row in rows.values()) == get_indicator(
            indicator_id).evaluate(period, city), key


@pytest.mark.django_db
def test_open_cases_by_stage_are_the_cases_by_state(demo):
    html = _page("leader", year=YEAR, jurisdiction="330400")
    city = Jurisdiction.objects.get(code="330400")
    statuses = Counter(PenaltyCase.objects.filter(
        path_filter(city.path, field="jurisdiction_path")).values_list("status", flat=True))
    pipeline = _block(html, "pipeline", "table")
    open_states = [s for s in STATE_LABELS if s not in READ_ONLY_STATES]
    for state in open_states:
        row = _block(pipeline, f"stage-{state}", "tr")
        assert STATE_LABELS[state] in row
        assert _cell(row, "stage-count") == str(statuses.get(state, 0)), state
    for state in READ_ONLY_STATES:
        assert f'data-testid="stage-{state}"' not in pipeline
    assert sum(statuses[s] for s in open_states) > 0  # the demo has open cases


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["330400", "330402"])
def test_overdue_counts_land_on_lists_of_as_many_records(demo, code):
    leader = User.objects.get(username="leader")
    area = Jurisdiction.objects.get(code=code)
    today = timezone.localdate()
    in_area = path_filter(area.path, field="jurisdiction_path")
    expected = {
        "cases": overdue_cases(case_list(user=leader).filter(in_area), today).count(),
        "orders": hazards_overdue_orders(user=leader, today=today).filter(in_area).count(),
        "reinspections": hazards_overdue_reinspections(user=leader, today=today).filter(
            in_area).count(),
    }
    client = _client("leader")
    html = client.get(URL, {"year": YEAR, "jurisdiction": code}).content.decode()
    for key, row_pattern in (("cases", CASE_ROW), ("orders", HAZARD_ROW),
                             ("reinspections", HAZARD_ROW)):
        item = _block(html, f"overdue-{key}", "li")
        count = int(_cell(item, "overdue-count"))
        assert count == expected[key], key
        link = re.search(r'href="([^"]+)" data-testid="overdue-link"', item)
        if count:
            assert _listed(client, link.group(1).replace("&amp;", "&"), row_pattern) == count
        else:
            assert link is None
    if code == "330400":  # the demo city has late rectification work
        assert expected["orders"] + expected["reinspections"] > 0


@pytest.mark.django_db
def test_a_county_user_sees_its_county_only(demo):
    client = _client("nanhu_officer")
    assert client.get(URL, {"year": YEAR, "jurisdiction": "330411"}).status_code == 404
    assert client.get(URL, {"year": YEAR, "jurisdiction": "330400"}).status_code == 404
    assert client.get(URL, {"year": YEAR, "jurisdiction": "330402"}).status_code == 200
    html = _page("nanhu_officer", year=YEAR)
    nanhu = Jurisdiction.objects.get(code="330402")
    period = Period.for_year(YEAR)
    assert _cell(_figure(html, "cases.count"), "value") == str(
        get_indicator("cases.count").evaluate(period, nanhu))
    # the area choice offers the county and its towns, never another county or the city
    options = re.findall(r'<option value="(\d{6,})"', html)
    assert options[0] == "330402"
    assert all(code.startswith("330402") for code in options)
    # the comparison is of the county's towns
    assert _area_rows(html) and all(code.startswith("330402") for code in _area_rows(html))


@pytest.mark.django_db
def test_the_city_leader_may_pick_a_county(demo):
    html = _page("leader", year=YEAR, jurisdiction="330411")
    xiuzhou = Jurisdiction.objects.get(code="330411")
    period = Period.for_year(YEAR)
    for indicator_id in ("cases.count", "accidents.count"):
        assert _cell(_figure(html, indicator_id), "value") == str(
            get_indicator(indicator_id).evaluate(period, xiuzhou))
    # each figure's link lands on a list of exactly the records it counts, in 秀洲区
    client = _client("leader")
    for indicator_id, row_pattern in (("cases.count", CASE_ROW),
                                      ("inspections.count", INSPECTION_ROW),
                                      ("hazards.found", HAZARD_ROW)):
        figure = get_indicator(indicator_id).evaluate(period, xiuzhou)
        drill = re.search(r'href="([^"]+)" data-testid="drill"', _figure(html, indicator_id))
        if not figure:
            assert drill is None, indicator_id
            continue
        url = drill.group(1).replace("&amp;", "&")
        assert "jurisdiction=330411" in url
        assert _listed(client, url, row_pattern) == figure, indicator_id


@pytest.mark.django_db
def test_enterprise_users_and_supervisors_are_refused(demo):
    assert _client("enterprise").get(URL).status_code == 403
    supervisor = User.objects.create_user(
        username="dash_supervisor", full_name="监督员", role=Role.SUPERVISOR,
        supervised_jurisdiction=Jurisdiction.objects.get(code="330402"), password="x" * 12)
    client = Client()
    client.force_login(supervisor)
    assert client.get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the login page


@pytest.mark.django_db
def test_without_a_year_the_latest_year_with_records(demo):
    city = Jurisdiction.objects.get(code="330400")
    today = timezone.localdate()
    end = datetime.date(today.year, 12, 31)
    latest = max(
        d for d in (
            PenaltyCase.objects.filter(filed_on__lte=end).aggregate(d=Max("filed_on"))["d"],
            Inspection.objects.filter(date__lte=end, status=Inspection.Status.FINISHED)
            .aggregate(d=Max("date"))["d"]) if d)
    response = _client("leader").get(URL)
    assert response.context["year"] == latest.year
    assert response.context["area"] == city
    html = response.content.decode()
    assert ('data-testid="year-fallback"' in html) == (latest.year != today.year)
    # a bad year is the default, not an error
    assert _client("leader").get(URL, {"year": "abc"}).context["year"] == latest.year


@pytest.mark.django_db
def test_the_page_reads_a_bounded_number_of_queries(demo, django_assert_max_num_queries):
    client = _client("leader")
    with django_assert_max_num_queries(90):
        assert client.get(URL, {"year": YEAR}).status_code == 200


@pytest.mark.django_db
def test_leaders_home_and_nav_link_to_the_dashboard(demo):
    html = _client("leader").get("/").content.decode()
    assert re.search(r'href="/reports/dashboard/"[^>]*data-testid="dashboard-link"', html)
    assert re.search(r'<a class="nav-link[^"]*" href="/reports/dashboard/"', html)
    # another staff role sees the nav entry; an enterprise user does not
    assert 'href="/reports/dashboard/"' in _client("officer").get("/").content.decode()
    assert "/reports/dashboard/" not in _client("enterprise").get("/").content.decode()
