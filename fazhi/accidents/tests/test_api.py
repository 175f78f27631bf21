"""Accidents in the JSON API: the list with its filters, the detail (figures, class with
its articles, revisions, reporting, investigation), registering (201) and new figures
re-classifying through the engine, the statistics of a year; Chinese 422s with nothing
saved; scope (another county and other enterprises: 404; a social supervisor reads the
area they oversee, never writes, and sees ID numbers and responsible persons masked).
Money is a string with two decimals and times carry +08:00."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client

from fazhi.accidents import services, statistics
from fazhi.accidents.models import Accident
from fazhi.core.models import Event, Role
from fazhi.core.services.tokens import token_issue
from fazhi.legal.rules import accidents as law
from fazhi.reports.registry import Period, get_indicator
from fazhi.subjects.rules.masking import mask_id_number, mask_person_name

pytestmark = pytest.mark.django_db
API = "/api/v1/accidents"
SH = datetime.timezone(datetime.timedelta(hours=8))
OCCURRED = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=SH)
DAY = OCCURRED.date()
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def client_for(user) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)  # 南湖区应急管理局


@pytest.fixture
def register(officer, jurisdictions, make_enterprise):
    def make(**kw) -> Accident:
        fields = {"actor": officer, "jurisdiction": jurisdictions["nanhu_town"],
                  "occurred_at": OCCURRED, "place": "解放街道某厂房", "industry": "industry_trade",
                  "account": "作业人员在检修时被卷入设备", "deaths": 2,
                  "enterprise": make_enterprise()}
        fields.update(kw)
        fields.setdefault("known_on", fields["occurred_at"].date())
        return services.accident_register(**fields)
    return make


def body(jurisdictions, **kw) -> dict:
    values = {"jurisdiction": jurisdictions["nanhu_town"].code,
              "occurred_at": "2024-03-01T09:30:00+08:00", "place": "解放街道某仓库",
              "industry": "industry_trade", "deaths": 1, "serious_injuries": 2,
              "direct_loss": "1500000.50", "account": "叉车作业时货物坠落",
              "known_on": "2024-03-01"}
    values.update(kw)
    return values


def test_an_accident_is_registered_and_reclassified_through_the_api(officer, jurisdictions,
                                                                    make_enterprise):
    enterprise = make_enterprise(jurisdictions["nanhu_town"])
    client = client_for(officer)
    response = post(client, API, body(jurisdictions, enterprise=enterprise.pk))
    assert response.status_code == 201, response.content.decode()
    created = response.json()
    expected = law.accident_class(1, 2, Decimal("1500000.50"))
    assert created["accident_class"] == expected.code and created["class_label"] == expected.label
    assert created["direct_loss"] == "1500000.50"
    assert created["occurred_at"].startswith("2024-03-01T09:30:00") \
        and created["occurred_at"].endswith("+08:00")
    assert created["enterprise"] == enterprise.pk
    assert [c["article"] for c in created["class_citations"]] == [
        c.article for c in expected.citations]
    assert len(created["revisions"]) == 1 and created["investigation"] is None
    assert created["reporting"]["unit_late"] is None
    accident = Accident.objects.get(pk=created["id"])
    assert created["number"] == accident.number
    # a death a week later: re-classified by the engine, both figures kept
    response = post(client, f"{API}/{accident.pk}/figures", {
        "known_on": "2024-03-08", "deaths": 3, "missing": 0, "serious_injuries": 2,
        "direct_loss": "1500000.50", "reason": "伤者抢救无效死亡"})
    assert response.status_code == 200, response.content.decode()
    detail = response.json()
    new = law.accident_class(3, 2, Decimal("1500000.50"))
    assert detail["accident_class"] == new.code == law.LARGE
    assert [(r["deaths"], r["accident_class"]) for r in detail["revisions"]] == [
        (1, expected.code), (3, new.code)]
    assert detail["revisions"][1]["recorded_at"].endswith("+08:00")
    event = Event.objects.filter(action="accident.figures_updated").get()
    assert event.payload["from"]["class"] == expected.code
    assert event.payload["to"]["class"] == new.code
    listing = client.get(API).json()
    assert listing["count"] == 1 and listing["items"][0]["class_label"] == new.label


def test_the_detail_has_reporting_and_the_investigations_engine_deadlines(register, officer):
    accident = register(deaths=3)
    head = OCCURRED + datetime.timedelta(minutes=5)
    services.accident_reporting_set(actor=officer, accident=accident, head_informed_at=head,
                                    unit_reported_at=head + law.REPORT_WITHIN
                                    + datetime.timedelta(seconds=1))
    inv = services.investigation_open(actor=officer, accident=Accident.objects.get(
        pk=accident.pk), started_on=DAY + datetime.timedelta(days=1),
        team=[{"name": "张三", "unit": "南湖区应急管理局", "role": "组长"}])
    submitted = DAY + datetime.timedelta(days=50)
    services.investigation_report_submit(actor=officer, investigation=inv,
                                         submitted_on=submitted, cause="原因",
                                         nature="责任事故", summary="摘要")
    detail = client_for(officer).get(f"{API}/{accident.pk}").json()
    reporting = detail["reporting"]
    assert reporting["unit_late"] is True and reporting["acts"] == ["迟报"]
    assert reporting["unit_deadline"] == (head + law.REPORT_WITHIN).isoformat()
    assert reporting["consequences"] and all(c["citations"] for c in reporting["consequences"])
    investigation = detail["investigation"]
    due = law.investigation_report_due(DAY, law.LARGE)
    assert investigation["led_by"] == law.INVESTIGATED_BY[law.LARGE]
    assert investigation["report_due"] == due.due.isoformat()
    assert investigation["latest_with_extension"] == due.latest_with_extension.isoformat()
    assert investigation["approval_due"] == law.investigation_approval_due(
        submitted, law.LARGE).due.isoformat()
    assert investigation["team"][0]["name"] == "张三"
    assert investigation["reviews"] == [] and investigation["opinions"] == []


def test_refusals_are_422_in_chinese_and_save_nothing(officer, jurisdictions, make_user):
    client = client_for(officer)
    events = Event.objects.count()
    cases = [
        (body(jurisdictions, occurred_at="2024-03-01T09:30:00"), "须带时区"),
        (body(jurisdictions, direct_loss=1.5), "不接受浮点数"),
        (body(jurisdictions, deaths=-1), "死亡人数（deaths）"),
        (body(jurisdictions, industry="meteor"), "行业领域（industry）"),
        (body(jurisdictions, jurisdiction=jurisdictions["xiuzhou"].code), "不在您的辖区内"),
        (body(jurisdictions, industry="fire", on_highway=True), "只有道路交通事故"),
        (body(jurisdictions, occurred_at="2999-01-01T00:00:00+08:00"), "发生时间"),
        ({k: v for k, v in body(jurisdictions).items() if k != "place"}, "发生地点（place）"),
    ]
    for payload, text in cases:
        response = post(client, API, payload)
        assert response.status_code == 422, (payload, response.content.decode())
        detail = response.json()["detail"]
        assert CHINESE.search(detail) and text in detail, detail
    assert not Accident.objects.exists() and Event.objects.count() == events
    assert client.get(f"{API}?industry=meteor").status_code == 422
    assert client.get(f"{API}/stats").status_code == 422  # the year is required
    # a social supervisor's role may not register: 403, in Chinese
    response = post(client_for(make_user(Role.SUPERVISOR)), API, body(jurisdictions))
    assert response.status_code == 403 and CHINESE.search(response.json()["detail"])
    assert not Accident.objects.exists()


def test_new_figures_refused_when_unchanged_or_out_of_scope(register, officer, make_user,
                                                            agencies):
    accident = register(deaths=2)
    same = {"known_on": "2024-03-02", "deaths": 2, "missing": 0, "serious_injuries": 0,
            "direct_loss": "0", "reason": "核实"}
    response = post(client_for(officer), f"{API}/{accident.pk}/figures", same)
    assert response.status_code == 422 and "没有变化" in response.json()["detail"]
    outsider = client_for(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    more = {**same, "deaths": 5}
    assert post(outsider, f"{API}/{accident.pk}/figures", more).status_code == 404
    assert outsider.get(f"{API}/{accident.pk}").status_code == 404
    assert outsider.get(API).json()["count"] == 0
    owner = client_for(make_user(Role.ENTERPRISE, enterprise=accident.enterprise))
    response = post(owner, f"{API}/{accident.pk}/figures", more)
    assert response.status_code == 403 and CHINESE.search(response.json()["detail"])
    assert Accident.objects.get(pk=accident.pk).deaths == 2
    assert Event.objects.filter(action="accident.figures_updated").count() == 0


def test_list_filters_and_scope(register, make_user, agencies, jurisdictions, users):
    city = make_user(Role.OFFICER, agency=agencies["city"])
    nanhu = register()
    road = register(industry="road", on_highway=True, deaths=3,
                    occurred_at=OCCURRED.replace(year=2023))
    far = register(actor=city, jurisdiction=jurisdictions["xiuzhou_town"], industry="fire")
    client = client_for(city)

    def ids(query: str = "") -> set[int]:
        response = client.get(f"{API}{query}")
        assert response.status_code == 200, response.content.decode()
        return {item["id"] for item in response.json()["items"]}

    assert ids() == {nanhu.pk, road.pk, far.pk}
    assert ids("?year=2024") == {nanhu.pk, far.pk}
    assert ids(f"?jurisdiction={jurisdictions['xiuzhou'].code}") == {far.pk}
    assert ids("?industry=fire") == {far.pk}
    assert ids("?accident_class=large") == {road.pk}
    assert ids("?highway=true") == {road.pk} and ids("?highway=false") == {nanhu.pk, far.pk}
    assert ids("?industry=") == {nanhu.pk, road.pk, far.pk}  # blank: any
    owner = client_for(make_user(Role.ENTERPRISE, enterprise=nanhu.enterprise))
    listing = owner.get(API).json()
    assert [item["id"] for item in listing["items"]] == [nanhu.pk]
    assert owner.get(f"{API}/{road.pk}").status_code == 404
    detail = owner.get(f"{API}/{nanhu.pk}").json()
    assert detail["number"] == nanhu.number
    supervisor = client_for(users[Role.SUPERVISOR])  # oversees 南湖区
    assert {item["id"] for item in supervisor.get(API).json()["items"]} == {nanhu.pk, road.pk}
    assert supervisor.get(f"{API}/{far.pk}").status_code == 404


def test_the_statistics_are_the_records_counted(register, make_user, agencies, jurisdictions):
    city = make_user(Role.OFFICER, agency=agencies["city"])
    register(deaths=2)
    register(deaths=1, industry="road", on_highway=True, occurred_at=OCCURRED.replace(month=7))
    register(actor=city, jurisdiction=jurisdictions["xiuzhou_town"], deaths=4)
    register(deaths=3, occurred_at=OCCURRED.replace(year=2023))
    client = client_for(city)
    stats = client.get(f"{API}/stats?year=2024").json()
    accidents_2024 = Accident.objects.filter(occurred_at__year=2024)
    assert stats["jurisdiction"] == jurisdictions["city"].code
    assert stats["total"] == {"count": accidents_2024.count(),
                              "deaths": sum(a.deaths for a in accidents_2024)}
    assert stats["highway"] == {"count": 1, "deaths": 1}
    assert stats["previous"] == {"count": 1, "deaths": 3}
    expected = statistics.yoy_percent(stats["total"]["deaths"], 3)
    assert stats["deaths_change"]["percent"] == str(expected)
    assert Decimal(stats["count_change"]["percent"]) == Decimal(
        (accidents_2024.count() - 1) * 100)
    by_county = {row["key"]: row for row in stats["by_county"]}
    assert by_county[jurisdictions["xiuzhou"].code]["deaths"] == 4
    assert by_county[jurisdictions["nanhu"].code]["count"] == 2
    assert [row["count"] for row in stats["by_month"]] == [
        row.count for row in statistics.by_month(Period.for_year(2024), jurisdictions["city"])]
    assert sum(row["count"] for row in stats["by_class"]) == stats["total"]["count"]
    # an accident added through the API moves the figures
    response = post(client, API, {
        "jurisdiction": jurisdictions["nanhu"].code, "occurred_at": "2024-12-31T23:59:00+08:00",
        "place": "高速公路某段", "industry": "road", "on_highway": True, "deaths": 2,
        "account": "车辆追尾"})
    assert response.status_code == 201, response.content.decode()
    after = client.get(f"{API}/stats?year=2024").json()
    assert after["total"]["count"] == stats["total"]["count"] + 1
    assert after["highway"] == {"count": 2, "deaths": 3}
    assert after["by_month"][11]["count"] == 1
    # scope: a county user's own county by default; another county 404; others 403
    nanhu = client_for(make_user(Role.OFFICER))
    assert nanhu.get(f"{API}/stats?year=2024").json()["jurisdiction"] == \
        jurisdictions["nanhu"].code
    assert nanhu.get(f"{API}/stats?year=2024&jurisdiction="
                     f"{jurisdictions['xiuzhou'].code}").status_code == 404
    owner = client_for(make_user(Role.ENTERPRISE))
    response = owner.get(f"{API}/stats?year=2024")
    assert response.status_code == 403 and CHINESE.search(response.json()["detail"])


def test_a_supervisor_reads_masked_details_and_statistics_and_writes_nothing(
        register, officer, make_user, agencies, jurisdictions):
    number, principal = "330402198001011234", "王建国"
    accident = register(account=f"伤者（{number}）被卷入设备")
    inv = services.investigation_open(actor=officer, accident=accident,
                                      started_on=DAY + datetime.timedelta(days=1),
                                      team=[{"name": "张三", "unit": "", "role": "组长"}])
    services.accountability_add(actor=officer, investigation=inv, subject="principal",
                                name=principal, responsibility=f"{principal}未履行职责",
                                measures="建议依法处罚")
    services.report_review_request(actor=officer, investigation=inv,
                                   requested_on=DAY + datetime.timedelta(days=5),
                                   requested_of="南湖区司法局", questions="法律适用")
    city = make_user(Role.OFFICER, agency=agencies["city"])
    register(actor=city, jurisdiction=jurisdictions["xiuzhou_town"], deaths=4)
    client = client_for(make_user(Role.SUPERVISOR))
    detail = client.get(f"{API}/{accident.pk}").json()
    assert detail["account"] == f"伤者（{mask_id_number(number)}）被卷入设备"
    (item,) = detail["investigation"]["accountability"]
    assert item["name"] == mask_person_name(principal)
    assert item["responsibility"] == f"{mask_person_name(principal)}未履行职责"
    assert detail["investigation"]["reviews"] is None  # internal work
    assert detail["investigation"]["opinions"] is None
    staff = client_for(officer).get(f"{API}/{accident.pk}").json()
    assert number in staff["account"] and len(staff["investigation"]["reviews"]) == 1
    assert staff["investigation"]["accountability"][0]["name"] == principal
    # the statistics of 南湖区 only; another county 404
    stats = client.get(f"{API}/stats?year=2024").json()
    assert stats["jurisdiction"] == jurisdictions["nanhu"].code
    assert stats["total"] == {"count": 1, "deaths": accident.deaths}
    assert client.get(f"{API}/stats?year=2024&jurisdiction="
                      f"{jurisdictions['xiuzhou'].code}").status_code == 404
    # writes: 403, nothing changed
    events = Event.objects.count()
    response = post(client, f"{API}/{accident.pk}/figures", {
        "known_on": "2024-03-05", "deaths": 5, "missing": 0, "serious_injuries": 0,
        "direct_loss": "0", "reason": "核实"})
    assert response.status_code == 403 and CHINESE.search(response.json()["detail"])
    response = post(client, API, body(jurisdictions))
    assert response.status_code == 403
    assert Event.objects.count() == events and Accident.objects.count() == 2
    assert Accident.objects.get(pk=accident.pk).deaths == accident.deaths


def test_the_operations_are_documented_in_chinese():
    schema = Client().get("/api/v1/openapi.json").json()
    paths = {"/api/v1/accidents": ("get", "post"), "/api/v1/accidents/stats": ("get",),
             "/api/v1/accidents/{id}": ("get",), "/api/v1/accidents/{id}/figures": ("post",)}
    for path, methods in paths.items():
        for method in methods:
            operation = schema["paths"][path][method]
            assert CHINESE.search(operation["summary"]) and CHINESE.search(
                operation["description"]), (path, method)


def _figures(jurisdiction) -> dict[str, object]:
    period = Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    return {key: get_indicator(key).evaluate(period, jurisdiction) for key in (
        "accidents.count", "accidents.deaths", "accidents.highway.count",
        "accidents.highway.deaths", "accidents.count.yoy", "accidents.deaths.yoy")}


def test_the_indicators_move_when_an_accident_is_added_or_updated_through_the_api(
        officer, jurisdictions, register):
    city = jurisdictions["nanhu_town"].parent.parent  # 嘉兴市 above 南湖区
    register(occurred_at=OCCURRED.replace(year=2023), deaths=2)  # last year's, for the yoy
    before = _figures(city)
    client = client_for(officer)
    created = post(client, API, body(jurisdictions, industry="road", on_highway=True,
                                     deaths=1, serious_injuries=0, direct_loss="0")).json()
    after = _figures(city)
    assert after["accidents.count"] == before["accidents.count"] + 1
    assert after["accidents.deaths"] == before["accidents.deaths"] + 1
    assert after["accidents.highway.count"] == before["accidents.highway.count"] + 1
    assert after["accidents.highway.deaths"] == before["accidents.highway.deaths"] + 1
    assert after["accidents.count.yoy"] == statistics.yoy_percent(after["accidents.count"], 1)
    post(client, f"{API}/{created['id']}/figures", {
        "known_on": "2024-03-05", "deaths": 2, "missing": 0, "serious_injuries": 0,
        "direct_loss": "0", "reason": "伤者抢救无效死亡"})
    assert _figures(city)["accidents.deaths"] == after["accidents.deaths"] + 1
