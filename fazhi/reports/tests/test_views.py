"""The statistics page (统计指标) on the small demo: its figures are the registry's, beside
the same period a year earlier; a county user sees only its county; and the drill-down
links of figures land on record lists holding exactly as many records as the figure."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from fazhi.core.models import Jurisdiction, User
from fazhi.reports.registry import Period, all_indicators, change_percent, get_indicator
from fazhi.reports.selectors import period_of

URL = "/reports/indicators/"


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


def _row(html: str, indicator_id: str) -> str:
    match = re.search(rf'<tr data-testid="indicator-{re.escape(indicator_id)}">(.*?)</tr>',
                      html, flags=re.DOTALL)
    assert match, indicator_id
    return match.group(1)


def _cell(row: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', row)
    assert match, testid
    return match.group(1).strip()


def _drill(html: str, indicator_id: str) -> str | None:
    match = re.search(r'href="([^"]+)" data-testid="drill"', _row(html, indicator_id))
    return match.group(1).replace("&amp;", "&") if match else None


def _listed(client: Client, url: str, row_pattern: str) -> int:
    """The records a list shows over all its pages (distinct detail links)."""
    seen: set[str] = set()
    page = 1
    while True:
        sep = "&" if urlsplit(url).query else "?"
        response = client.get(f"{url}{sep}page={page}")
        assert response.status_code == 200
        html = response.content.decode()
        seen.update(re.findall(row_pattern, html))
        pages = re.search(r"(\d+) / (\d+)</span>", html)
        if not pages or page >= int(pages.group(2)):
            return len(seen)
        page += 1


def _lands_on_the_figure(client: Client, html: str, indicator_id: str, row_pattern: str,
                        figure: int) -> None:
    url = _drill(html, indicator_id)
    if not figure:  # nothing behind a zero: no link (a year-filtered list may list others)
        assert url is None, indicator_id
        return
    assert url, indicator_id
    assert _listed(client, url, row_pattern) == figure, indicator_id


CASE_ROW = r'href="/cases/(\d+)/"'
INSPECTION_ROW = r'href="/inspection/inspections/(\d+)/"'
HAZARD_ROW = r'href="/inspection/hazards/(\d+)/"'
ACCIDENT_ROW = r'href="/accidents/(\d+)/"'
DRILLS = (("cases.count", CASE_ROW), ("inspections.count", INSPECTION_ROW),
          ("hazards.found", HAZARD_ROW), ("hazards.major.found", HAZARD_ROW),
          ("accidents.count", ACCIDENT_ROW))


@pytest.mark.django_db
def test_page_shows_every_figure_of_the_registry_with_the_year_before(demo):
    city = Jurisdiction.objects.get(code="330400")
    response = _client("leader").get(URL, {"year": 2024, "jurisdiction": "330400"})
    assert response.status_code == 200
    html = response.content.decode()
    period = Period.for_year(2024)
    for indicator in all_indicators():
        row = _row(html, indicator.id)
        assert _cell(row, "value") == str(indicator.evaluate(period, city)), indicator.id
        assert _cell(row, "previous") == str(
            indicator.evaluate(period.previous_year(), city)), indicator.id
    # year-on-year of the cases filed: 2024 against 2023, computed by the registry's rule
    count = get_indicator("cases.count")
    now, before = count.evaluate(period, city), count.evaluate(period.previous_year(), city)
    assert before > 0
    change = change_percent(now, before)
    assert _cell(_row(html, "cases.count"), "change") == f"{'+' if change > 0 else ''}{change}%"
    # the definition (口径) is shown beside the figure
    assert str(count.definition) in _row(html, "cases.count")


@pytest.mark.django_db
def test_a_quarter_is_computed_for_its_own_days(demo):
    city = Jurisdiction.objects.get(code="330400")
    html = _client("leader").get(URL, {"year": 2024, "period": "quarter", "q": 2,
                                       "jurisdiction": "330400"}).content.decode()
    quarter = period_of(2024, "quarter", 2)
    assert (quarter.start.isoformat(), quarter.end.isoformat()) == ("2024-04-01", "2024-06-30")
    for indicator_id in ("cases.count", "inspections.count", "accidents.count"):
        indicator = get_indicator(indicator_id)
        assert _cell(_row(html, indicator_id), "value") == str(
            indicator.evaluate(quarter, city))
    # the case list filters by filing dates: a quarter has its list; the others by year only
    assert _drill(html, "cases.count") is not None or not get_indicator(
        "cases.count").evaluate(quarter, city)
    assert _drill(html, "inspections.count") is None
    assert _drill(html, "accidents.count") is None


@pytest.mark.django_db
def test_a_county_user_sees_its_county_only(demo):
    client = _client("nanhu_officer")
    assert client.get(URL, {"year": 2024}).status_code == 200
    assert client.get(URL, {"year": 2024, "jurisdiction": "330402"}).status_code == 200
    assert client.get(URL, {"year": 2024, "jurisdiction": "330411"}).status_code == 404
    assert client.get(URL, {"year": 2024, "jurisdiction": "330400"}).status_code == 404
    html = client.get(URL, {"year": 2024}).content.decode()
    nanhu = Jurisdiction.objects.get(code="330402")
    assert _cell(_row(html, "cases.count"), "value") == str(
        get_indicator("cases.count").evaluate(Period.for_year(2024), nanhu))


@pytest.mark.django_db
def test_only_staff_may_see_the_page(demo):
    assert _client("enterprise").get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the login page


@pytest.mark.django_db
@pytest.mark.parametrize("username, code", [("leader", "330400"), ("nanhu_officer", "330402")])
def test_drill_down_lands_on_exactly_the_records_counted(demo, username, code):
    client = _client(username)
    area = Jurisdiction.objects.get(code=code)
    period = Period.for_year(2024)
    html = client.get(URL, {"year": 2024, "jurisdiction": code}).content.decode()
    for indicator_id, row_pattern in DRILLS:
        figure = get_indicator(indicator_id).evaluate(period, area)
        if code == "330400":
            assert figure > 0, indicator_id  # the demo city has records of each kind
        _lands_on_the_figure(client, html, indicator_id, row_pattern, figure)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["leader", "nanhu_officer"])
def test_drill_down_of_a_county(demo, username):
    """A county's figures, seen from the city (a leader picking the county) or by the
    county's own officer: every list narrows to the county by its area filter."""
    client = _client(username)
    nanhu = Jurisdiction.objects.get(code="330402")
    period = Period.for_year(2024)
    html = client.get(URL, {"year": 2024, "jurisdiction": "330402"}).content.decode()
    for indicator_id, row_pattern in DRILLS:
        figure = get_indicator(indicator_id).evaluate(period, nanhu)
        if indicator_id in ("cases.count", "inspections.count", "hazards.found"):
            assert figure > 0, indicator_id  # the small demo's county has these records
        _lands_on_the_figure(client, html, indicator_id, row_pattern, figure)
        if figure:
            assert parse_qs(urlsplit(_drill(html, indicator_id)).query)["jurisdiction"] == [
                "330402"]


@pytest.mark.django_db
def test_lists_refuse_an_area_the_user_may_not_see(demo):
    """An area filter outside the user's jurisdiction lists nothing (as the case list)."""
    client = _client("nanhu_officer")
    for path, row in (("/inspection/", INSPECTION_ROW),
                      ("/inspection/hazards/", HAZARD_ROW), ("/cases/", CASE_ROW)):
        assert re.findall(row, client.get(path).content.decode()), path  # own: some
        for code in ("330411", "330400", "nonsense"):
            html = client.get(path, {"jurisdiction": code}).content.decode()
            assert re.findall(row, html) == [], (path, code)
            assert "不在您的管辖范围内" in html


@pytest.mark.django_db
def test_drill_filters_show_as_removable_badges(demo):
    client = _client("leader")
    html = client.get(URL, {"year": 2024, "jurisdiction": "330402"}).content.decode()
    url = _drill(html, "cases.offsite") or _drill(html, "cases.count")
    listing = client.get(url).content.decode()
    badges = re.findall(r'data-param="(\w+)">\s*([^<]+?)\s*<a href="([^"]+)"', listing)
    params = {param for param, _label, _href in badges}
    assert {"jurisdiction", "filed_from", "filed_to"} <= params
    labels = {param: label for param, label, _href in badges}
    assert labels["jurisdiction"] == "区域：南湖区"
    assert labels["filed_from"] == "立案日期自2024-01-01"
    # removing the area badge keeps the dates and widens the list to the whole city
    remove = next(href for param, _l, href in badges if param == "jurisdiction")
    remove = remove.replace("&amp;", "&")
    query = parse_qs(urlsplit(remove).query)
    assert "jurisdiction" not in query and query["filed_from"] == ["2024-01-01"]
    city_filed = get_indicator("cases.count").evaluate(
        Period.for_year(2024), Jurisdiction.objects.get(code="330400"))
    if "source" not in query:
        assert _listed(client, remove, CASE_ROW) == city_filed
    # the status form keeps the drill filters until a badge removes them
    assert 'type="hidden" name="jurisdiction" value="330402"' in listing
    inspections = client.get(_drill(html, "inspections.count")).content.decode()
    assert 'data-param="jurisdiction"' in inspections and "区域：南湖区" in inspections


@pytest.mark.django_db
def test_case_list_refuses_an_area_the_user_may_not_see(demo):
    client = _client("nanhu_officer")
    html = client.get("/cases/", {"jurisdiction": "330411"}).content.decode()
    assert re.findall(CASE_ROW, html) == []
