"""/api/v1/inspection/ over HTTP: scoping like the pages, the two-certified-officers rule
(refused in Chinese, nothing saved), plans and reproducible draws, and the hazard
lifecycle (order → report → re-inspection → closure, supervision, overdue)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fazhi.core.models import Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.tokens import token_issue
from fazhi.inspection.models import Hazard, Inspection, RandomDraw
from fazhi.inspection.services import checklist_load
from fazhi.inspection.tests.test_services import certify

pytestmark = pytest.mark.django_db

API = "/api/v1/inspection"
DAY = datetime.date(2024, 5, 6)


def client_for(user) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


@pytest.fixture
def officers(make_user):
    """Three certified officers of the 南湖区 bureau."""
    return [certify(make_user(Role.OFFICER)) for _ in range(3)]


@pytest.fixture
def xiuzhou_officers(make_user, agencies):
    return [certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"])) for _ in range(2)]


@pytest.fixture
def enterprise(make_enterprise, jurisdictions):
    return make_enterprise(jurisdictions["nanhu_town"])


@pytest.fixture
def checklist(db):
    checklist_load(actor=None)


def _inspection_body(enterprise, officers, **kw) -> dict:
    body = {"enterprise": enterprise.pk, "date": DAY.isoformat(), "place": "生产车间",
            "category": "general", "officers": [o.pk for o in officers]}
    body.update(kw)
    return body


def _create(client, enterprise, officers, **kw) -> dict:
    return _ok(client.post(f"{API}/inspections", _inspection_body(enterprise, officers, **kw),
                           content_type="application/json"), 201)


def _post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


# --- inspections: the two-officer rule ---------------------------------------------------

def test_an_inspection_with_two_certified_officers_is_created(officers, enterprise):
    client = client_for(officers[0])
    body = _create(client, enterprise, officers[:2], category="joint",
                   joint_departments=["市场监管局"], non_site=True, non_site_source="video")
    assert body["status"] == "draft" and body["status_label"] == "草稿"
    assert body["enterprise"] == enterprise.pk and body["jurisdiction"] == "330402001"
    assert {o["id"] for o in body["officers"]} == {o.pk for o in officers[:2]}
    assert body["joint_departments"] == ["市场监管局"] and body["non_site_source"] == "video"
    inspection = Inspection.objects.get(pk=body["id"])
    assert [e.action for e in object_events(inspection)] == ["inspection.created"]
    assert _ok(client.get(f"{API}/inspections/{body['id']}")) == body


def test_one_officer_is_refused_in_chinese_and_nothing_is_saved(officers, enterprise):
    client = client_for(officers[0])
    events = Event.objects.count()
    response = _post(client, f"{API}/inspections", _inspection_body(enterprise, officers[:1]))
    assert response.status_code == 422
    assert "检查人员不得少于2人" in response.json()["detail"]
    assert Inspection.objects.count() == 0
    assert Event.objects.count() == events


def test_an_expired_certificate_is_refused(make_user, officers, enterprise):
    expired = certify(make_user(Role.OFFICER, full_name="王五"),
                      valid_to=DAY - datetime.timedelta(days=1))
    response = _post(client_for(officers[0]), f"{API}/inspections",
                     _inspection_body(enterprise, [officers[0], expired]))
    assert response.status_code == 422
    assert "王五于2024年05月06日无有效执法证" in response.json()["detail"]
    assert Inspection.objects.count() == 0


def test_refusals_of_the_inspection_form(users, officers, enterprise, make_enterprise,
                                         jurisdictions):
    client = client_for(officers[0])
    # A reviewer may read but not record: 403 with the service's reason.
    response = _post(client_for(users[Role.REVIEWER]), f"{API}/inspections",
                     _inspection_body(enterprise, officers[:2]))
    assert response.status_code == 403 and "无权记录执法检查" in response.json()["detail"]
    # An enterprise of another county is not in reach: 422 on the field.
    other = make_enterprise(jurisdictions["xiuzhou_town"])
    response = _post(client, f"{API}/inspections", _inspection_body(other, officers[:2]))
    assert response.status_code == 422 and "被检查单位" in response.json()["detail"]
    nobody = _inspection_body(enterprise, officers[:1])
    nobody["officers"].append(officers[-1].pk + 10_000)
    response = _post(client, f"{API}/inspections", nobody)
    assert response.status_code == 422 and "检查人员" in response.json()["detail"]
    response = _post(client, f"{API}/inspections",
                     _inspection_body(enterprise, officers[:2], category="joint"))
    assert response.status_code == 422 and "联合检查应列明" in response.json()["detail"]
    response = _post(client, f"{API}/inspections",
                     _inspection_body(enterprise, officers[:2], category="visit"))
    assert response.status_code == 422 and "检查类别（category）" in response.json()["detail"]
    # A date the deadline arithmetic could not handle is refused, not a 500.
    response = _post(client, f"{API}/inspections",
                     _inspection_body(enterprise, officers[:2], date="9999-12-31"))
    assert response.status_code == 422 and "检查日期（date）" in response.json()["detail"]
    assert Inspection.objects.count() == 0


# --- scoping ---------------------------------------------------------------------------

@pytest.fixture
def two_counties(officers, xiuzhou_officers, enterprise, make_enterprise, jurisdictions):
    """One finished inspection with a hazard in each county."""
    other = make_enterprise(jurisdictions["xiuzhou_town"])
    made = {}
    for key, team, firm in (("nanhu", officers[:2], enterprise),
                            ("xiuzhou", xiuzhou_officers, other)):
        client = client_for(team[0])
        inspection = _create(client, firm, team)
        finding = _ok(_post(client, f"{API}/inspections/{inspection['id']}/findings",
                            {"description": "配电箱未接地"}), 201)
        hazard = _ok(_post(client, f"{API}/findings/{finding['id']}/hazard",
                           {"level": "general", "deadline": "2024-05-20"}), 201)
        made[key] = {"inspection": inspection["id"], "hazard": hazard["id"], "enterprise": firm}
    return made


def _ids(client, url: str, **params) -> set[int]:
    body = _ok(client.get(url, {"page_size": 100, **params}))
    return {item["id"] for item in body["items"]}


def test_a_county_user_sees_its_county_only(officers, two_counties):
    client = client_for(officers[0])
    mine, theirs = two_counties["nanhu"], two_counties["xiuzhou"]
    assert _ids(client, f"{API}/inspections") == {mine["inspection"]}
    assert _ids(client, f"{API}/hazards") == {mine["hazard"]}
    for url in (f"{API}/inspections/{theirs['inspection']}", f"{API}/hazards/{theirs['hazard']}"):
        response = client.get(url)
        assert response.status_code == 404 and response.json() == {"detail": "未找到"}
    # Writing to another county's record is a 404 too: its existence is not revealed.
    response = _post(client, f"{API}/hazards/{theirs['hazard']}/report",
                     {"report_date": "2024-05-10", "text": "已整改"})
    assert response.status_code == 404


def test_a_city_user_sees_both_counties(make_user, agencies, two_counties):
    client = client_for(make_user(Role.LEADER, agency=agencies["city"]))
    assert _ids(client, f"{API}/inspections") == {
        two_counties["nanhu"]["inspection"], two_counties["xiuzhou"]["inspection"]}
    assert _ids(client, f"{API}/hazards") == {
        two_counties["nanhu"]["hazard"], two_counties["xiuzhou"]["hazard"]}


def test_an_enterprise_user_sees_only_its_own(make_user, users, two_counties, officers, plan):
    owner = make_user(Role.ENTERPRISE, enterprise=two_counties["nanhu"]["enterprise"])
    client = client_for(owner)
    assert _ids(client, f"{API}/inspections") == {two_counties["nanhu"]["inspection"]}
    assert _ids(client, f"{API}/hazards") == {two_counties["nanhu"]["hazard"]}
    assert client.get(f"{API}/hazards/{two_counties['xiuzhou']['hazard']}").status_code == 404
    # No plans or draws for enterprises.
    assert _ids(client, f"{API}/plans") == set()
    assert client.get(f"{API}/plans/{plan['id']}").status_code == 404
    # Another enterprise of the same district sees nothing at all.
    neighbour = client_for(users[Role.ENTERPRISE])
    assert _ids(neighbour, f"{API}/inspections") == set()
    assert _ids(neighbour, f"{API}/hazards") == set()


def test_list_filters(officers, two_counties, enterprise):
    client = client_for(officers[0])
    url = f"{API}/inspections"
    assert _ids(client, url, status="draft") == {two_counties["nanhu"]["inspection"]}
    assert _ids(client, url, status="finished") == set()
    assert _ids(client, url, year=2023) == set()
    assert _ids(client, url, enterprise=enterprise.pk, status="") == {
        two_counties["nanhu"]["inspection"]}
    response = client.get(url, {"status": "done"})
    assert response.status_code == 422 and "状态" in response.json()["detail"]
    assert _ids(client, f"{API}/hazards", level="major") == set()
    assert _ids(client, f"{API}/hazards", level="general", year=2024) == {
        two_counties["nanhu"]["hazard"]}
    # Its 2024 deadline has passed and nothing was reported: overdue.
    assert _ids(client, f"{API}/hazards", overdue="true") == {two_counties["nanhu"]["hazard"]}
    assert _ids(client, f"{API}/hazards", overdue="false") == set()


# --- plans and draws ---------------------------------------------------------------------

@pytest.fixture
def plan(users):
    client = client_for(users[Role.LEADER])
    return _ok(_post(client, f"{API}/plans", {"year": 2024, "planned_key": 10,
                                              "planned_general": 20}), 201)


def test_plans(users, agencies, plan, make_user):
    assert plan["agency"] == agencies["nanhu"].pk and plan["title"] == (
        "嘉兴市南湖区应急管理局2024年度执法检查计划")
    client = client_for(users[Role.OFFICER])
    assert _ids(client, f"{API}/plans") == {plan["id"]}
    assert _ok(client.get(f"{API}/plans/{plan['id']}")) == plan
    response = _post(client_for(users[Role.LEADER]), f"{API}/plans", {"year": 2024})
    assert response.status_code == 422 and "年度执法检查计划已存在" in response.json()["detail"]
    xiuzhou = client_for(make_user(Role.LEADER, agency=agencies["xiuzhou"]))
    assert xiuzhou.get(f"{API}/plans/{plan['id']}").status_code == 404
    response = _post(xiuzhou, f"{API}/plans", {"year": 2025, "agency": agencies["nanhu"].pk})
    assert response.status_code == 403 and "不在您的辖区内" in response.json()["detail"]


def test_a_draw_through_the_api_is_stored_and_rerun(users, officers, plan, make_enterprise,
                                                    jurisdictions):
    for _ in range(6):
        make_enterprise(jurisdictions["nanhu_town"])
    client = client_for(users[Role.LEADER])
    body = {"category": "key", "sampling_ratio": "0.5", "on": DAY.isoformat(),
            "filters": {"jurisdiction": "330402001"}, "seed": "20240506"}
    draw = _ok(_post(client, f"{API}/plans/{plan['id']}/draws", body), 201)
    assert draw["seed"] == "20240506" and draw["sampling_ratio"] == "0.5000"
    assert draw["filters"] == {"jurisdiction": "330402001"}
    assert draw["picks"] and len(draw["picks"]) == len(draw["result"])
    certified = {o.pk for o in officers}
    for pick in draw["picks"]:
        assert len(pick["officers"]) >= 2 and {o["id"] for o in pick["officers"]} <= certified
    assert _ok(client.get(f"{API}/draws/{draw['id']}")) == draw
    assert _ids(client, f"{API}/draws") == {draw["id"]}
    check = _ok(_post(client_for(officers[0]), f"{API}/draws/{draw['id']}/rerun-check"))
    assert check["matches"] and check["rerun"] == draw["result"]

    bad = [({"sampling_ratio": "1.5"}, "抽查比例"), ({"sampling_ratio": 0.5}, "抽查比例"),
           ({"filters": {"town": "x"}}, "town"), ({"category": "x"}, "检查类别")]
    for change, words in bad:
        response = _post(client, f"{API}/plans/{plan['id']}/draws", {**body, **change})
        assert response.status_code == 422 and words in response.json()["detail"], change
    assert RandomDraw.objects.count() == 1
    assert _post(client_for(users[Role.ENTERPRISE]),
                 f"{API}/plans/{plan['id']}/draws", body).status_code == 404


# --- the hazard lifecycle ----------------------------------------------------------------

def test_hazard_lifecycle_over_http(users, officers, enterprise, make_user, agencies,
                                    checklist):
    officer = client_for(officers[0])
    inspection = _create(officer, enterprise, officers[:2])
    url = f"{API}/inspections/{inspection['id']}"
    detail = _ok(_post(officer, f"{url}/results", {"results": [
        {"item": "HC2017-02", "outcome": "finding", "note": "两名焊工无证"},
        {"item": "HC2017-01", "outcome": "ok"}]}))
    assert [(r["item"], r["outcome"]) for r in detail["results"]] == [
        ("HC2017-01", "ok"), ("HC2017-02", "finding")]
    response = _post(officer, f"{url}/results", {"results": [{"item": "NOPE", "outcome": "ok"}]})
    assert response.status_code == 422 and "NOPE" in response.json()["detail"]
    finding = _ok(_post(officer, f"{url}/findings",
                        {"description": "特种作业人员未持证上岗", "item": "HC2017-02"}), 201)
    assert finding["item"] == "HC2017-02" and finding["hazard"] is None

    # A major hazard needs a deadline; the criterion comes from the finding's item.
    response = _post(officer, f"{API}/findings/{finding['id']}/hazard", {"level": "major"})
    assert response.status_code == 422 and "整改期限" in response.json()["detail"]
    hazard = _ok(_post(officer, f"{API}/findings/{finding['id']}/hazard",
                       {"level": "major", "deadline": "2024-05-20"}), 201)
    hid = hazard["id"]
    assert hazard["criterion"] == "HC2017-02" and hazard["status"] == "ordered"
    [order] = hazard["orders"]
    assert order["number"].startswith("南应急责改〔2024〕") and order["deadline"] == "2024-05-20"
    assert _ok(officer.get(url))["findings"][0]["hazard"] == hid
    _ok(_post(officer, f"{url}/finish", {"signed_by": "赵六"}))

    leader = client_for(users[Role.LEADER])
    response = _post(client_for(users[Role.REVIEWER]), f"{API}/hazards/{hid}/supervision",
                     {"level": "county", "listed_on": "2024-05-07"})
    assert response.status_code == 403 and "挂牌督办" in response.json()["detail"]
    listed = _ok(_post(leader, f"{API}/hazards/{hid}/supervision",
                       {"level": "county", "listed_on": "2024-05-07", "note": "每周报告进展"}),
                 201)
    assert listed["supervision"]["level_label"] == "县级挂牌督办"
    assert listed["supervision_level"] == "county"

    owner = client_for(make_user(Role.ENTERPRISE, enterprise=enterprise))
    reported = _ok(_post(owner, f"{API}/hazards/{hid}/report",
                         {"report_date": "2024-05-18", "text": "已组织焊工参加培训"}))
    assert reported["status"] == "reported"
    assert reported["orders"][0]["report_date"] == "2024-05-18"
    # The enterprise cannot re-inspect itself.
    reinspection = {"date": "2024-05-22", "officers": [o.pk for o in officers[:2]],
                    "passed": False, "opinion": "仍有一名焊工未取证",
                    "new_deadline": "2024-06-05"}
    assert _post(owner, f"{API}/hazards/{hid}/reinspection", reinspection).status_code == 403
    failed = _ok(_post(officer, f"{API}/hazards/{hid}/reinspection", reinspection), 201)
    assert failed["status"] == "ordered" and len(failed["orders"]) == 2
    assert failed["orders"][0]["reinspection"]["passed"] is False
    assert failed["deadline"] == "2024-06-05"

    # A re-inspection by one officer is refused, in Chinese, and changes nothing.
    _ok(_post(owner, f"{API}/hazards/{hid}/report",
              {"report_date": "2024-06-01", "text": "全部焊工已取证"}))
    events = Event.objects.count()
    alone = {**reinspection, "officers": [officers[0].pk], "passed": True, "new_deadline": None}
    response = _post(officer, f"{API}/hazards/{hid}/reinspection", alone)
    assert response.status_code == 422 and "不得少于2人" in response.json()["detail"]
    assert Event.objects.count() == events
    passed = _ok(_post(officer, f"{API}/hazards/{hid}/reinspection",
                       {**alone, "date": "2024-06-03", "officers": [o.pk for o in officers[1:]],
                        "opinion": "整改合格"}), 201)
    assert passed["status"] == "closed" and passed["closed_on"] == "2024-06-03"
    assert passed["supervision"]["closed_on"] == "2024-06-03"
    assert passed["overdue"] is False
    assert passed["orders"][1]["reinspection"]["number"].startswith("南应急复查〔2024〕")

    assert [e.action for e in object_events(Hazard.objects.get(pk=hid))] == [
        "hazard.registered", "hazard.ordered", "hazard.supervision_listed",
        "hazard.reported", "hazard.reinspected", "hazard.ordered", "hazard.reported",
        "hazard.reinspected", "hazard.closed", "hazard.supervision_closed",
    ]
    # Closed: nothing more to report.
    response = _post(owner, f"{API}/hazards/{hid}/report",
                     {"report_date": "2024-06-04", "text": "再次报告"})
    assert response.status_code == 422 and "已销号" in response.json()["detail"]


def test_a_general_hazard_rectified_on_the_spot_is_closed_at_once(officers, enterprise):
    client = client_for(officers[0])
    inspection = _create(client, enterprise, officers[:2])
    finding = _ok(_post(client, f"{API}/inspections/{inspection['id']}/findings",
                        {"description": "灭火器压力不足"}), 201)
    hazard = _ok(_post(client, f"{API}/findings/{finding['id']}/hazard",
                       {"level": "general", "rectified_on_site": True}), 201)
    assert hazard["status"] == "closed" and hazard["orders"] == []
    assert hazard["closed_on"] == DAY.isoformat()
    response = _post(client, f"{API}/findings/{finding['id']}/hazard", {"level": "general",
                                                                        "deadline": "2024-06-01"})
    assert response.status_code == 422 and "已登记为事故隐患" in response.json()["detail"]


# --- the indicator -------------------------------------------------------------------------

def test_inspections_count_goes_up_when_an_inspection_is_added_through_the_api(
        officers, enterprise, jurisdictions):
    from fazhi.reports.registry import Period, get_indicator

    indicator = get_indicator("inspections.count")
    period = Period.for_year(2024)
    before = indicator.evaluate(period, jurisdictions["city"])
    client = client_for(officers[0])
    inspection = _create(client, enterprise, officers[:2])
    _ok(_post(client, f"{API}/inspections/{inspection['id']}/finish", {"signed_by": "赵六"}))
    assert indicator.evaluate(period, jurisdictions["city"]) == before + 1
    assert indicator.evaluate(Period.for_year(2023), jurisdictions["city"]) == 0
