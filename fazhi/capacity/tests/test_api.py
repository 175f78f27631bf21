"""People and the staff rates over HTTP: the rates move when a person changes through
the API, as of any day; scoping, masking and refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fazhi.capacity.models import StaffMember
from fazhi.capacity.tests.conftest import client_for
from fazhi.core.models import Event
from fazhi.core.tests.factories import make_id_number
from fazhi.reports.registry import Period, get_indicator

pytestmark = pytest.mark.django_db
API = "/api/v1/capacity"
D = datetime.date


def post(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


def rates(client, day="2024-12-31", jurisdiction="330400") -> dict:
    response = client.get(f"{API}/rates", {"jurisdiction": jurisdiction, "day": day})
    assert response.status_code == 200, response.content
    return response.json()


def add_person(client, agency, name, *, roles=(), joined="2020-01-01", **kw) -> dict:
    response = post(client, f"{API}/people", {"agency": agency.pk, "name": name,
                                              "joined_on": joined, "roles": list(roles), **kw})
    assert response.status_code == 201, response.content
    return response.json()


def test_reviewer_rates_move_with_people_changed_through_the_api(world):
    client = client_for(world.users["city_reviewer"])
    start = rates(client)
    assert start["reviewers"] == {"numerator": 0, "denominator": 4, "percent": "0.00"}
    assert start["qualified_reviewers"]["denominator"] == 0  # nobody to count: 0.00
    city = add_person(client, world.agencies["city"], "张法审", roles=["reviewer"])
    add_person(client, world.agencies["nanhu"], "李法审", roles=["reviewer"])
    after = rates(client)
    assert after["reviewers"]["percent"] == "50.00"
    assert after["qualified_reviewers"] == {"numerator": 0, "denominator": 2, "percent": "0.00"}

    response = post(client, f"{API}/people/{city['id']}/qualification",
                    {"certificate_number": "A20193304000123", "granted_on": "2019-03-08"},
                    method="put")
    assert response.status_code == 200, response.content
    assert rates(client)["qualified_reviewers"]["percent"] == "50.00"
    indicator = get_indicator("staff.reviewers.qualified_rate")
    city_area = world.jurisdictions["city"]
    assert indicator.evaluate(Period.for_year(2024), city_area) == Decimal("50.00")

    # The reviewer leaves: the rates of days after that move back, earlier ones do not.
    role_id = response.json()["roles"][0]["id"]
    response = post(client, f"{API}/people/{city['id']}/roles/{role_id}/end",
                    {"end": "2024-07-01"})
    assert response.status_code == 200, response.content
    assert rates(client, day="2024-06-30")["qualified_reviewers"]["percent"] == "50.00"
    assert rates(client, day="2024-07-01")["qualified_reviewers"]["denominator"] == 1
    assert indicator.evaluate(Period.for_year(2024), city_area) == Decimal("0.00")
    assert Event.objects.filter(action="capacity.role.ended").count() == 1


def test_a_qualification_granted_after_the_day_is_not_counted(world):
    client = client_for(world.users["city_reviewer"])
    person = add_person(client, world.agencies["city"], "王新", roles=["reviewer"])
    post(client, f"{API}/people/{person['id']}/qualification",
         {"certificate_number": "A20243304000999", "granted_on": "2024-03-15"}, method="put")
    assert rates(client, day="2024-03-14")["qualified_reviewers"]["numerator"] == 0
    assert rates(client, day="2024-03-15")["qualified_reviewers"]["numerator"] == 1
    assert get_indicator("staff.reviewers.qualified_rate").evaluate(
        Period.for_year(2023), world.jurisdictions["city"]) == Decimal("0.00")


def test_public_lawyers_coverage_leaves_out_the_flagged_zone(world):
    client = client_for(world.users["city_reviewer"])
    for key, name in (("city", "甲"), ("nanhu", "乙")):
        person = add_person(client, world.agencies[key], f"律师{name}")
        response = post(client, f"{API}/people/{person['id']}/licences",
                        {"number": f"13304{key}0001", "issued_on": "2022-06-01"})
        assert response.status_code == 201, response.content
    result = rates(client)
    # nanhu and xiuzhou are counted; the zone is exempt; the city bureau reported apart.
    assert result["lawyer_coverage"] == {"numerator": 1, "denominator": 2, "percent": "50.00"}
    assert (result["public_lawyers"], result["public_lawyers_bureau"]) == (2, 1)
    zone = next(a for a in result["agencies"] if a["name"].startswith("嘉兴经济"))
    assert zone["coverage_exempt"] is True

    licence = StaffMember.objects.get(name="律师乙").lawyer_licences.get()
    person_id = licence.person_id
    response = post(client, f"{API}/people/{person_id}/licences/{licence.pk}/revoke",
                    {"on": "2024-10-01"})
    assert response.status_code == 200, response.content
    assert rates(client)["lawyer_coverage"]["percent"] == "0.00"
    assert rates(client, day="2024-09-30")["lawyer_coverage"]["percent"] == "50.00"
    city = world.jurisdictions["city"]
    assert get_indicator("staff.public_lawyers.city").evaluate(Period.for_year(2024), city) == 1


def test_rates_of_an_area_without_agencies_are_zero(world):
    client = client_for(world.users["city_reviewer"])
    result = rates(client, jurisdiction="330402001")  # a town without a station bureau
    assert result["legal_units"] == {"numerator": 0, "denominator": 0, "percent": "0.00"}
    assert result["lawyer_coverage"]["denominator"] == 0


def test_county_user_sees_only_its_county(world):
    writer = client_for(world.users["city_reviewer"])
    nanhu = add_person(writer, world.agencies["nanhu"], "南湖人")
    xiuzhou = add_person(writer, world.agencies["xiuzhou"], "秀洲人")
    client = client_for(world.users["nanhu_officer"])
    names = [p["name"] for p in client.get(f"{API}/people").json()["items"]]
    assert names == ["南湖人"]
    assert client.get(f"{API}/people/{nanhu['id']}").status_code == 200
    assert client.get(f"{API}/people/{xiuzhou['id']}").status_code == 404
    assert client.get(f"{API}/rates", {"jurisdiction": "330400"}).status_code == 404
    leader = client_for(world.users["nanhu_leader"])
    response = post(leader, f"{API}/people", {"agency": world.agencies["xiuzhou"].pk,
                                              "name": "越权", "joined_on": "2024-01-01"})
    assert response.status_code == 404
    supervisor = client_for(world.users["supervisor"])
    assert supervisor.get(f"{API}/people").json()["count"] == 0
    assert supervisor.get(f"{API}/rates").status_code == 404


def test_id_numbers_are_masked_unless_the_role_needs_them(world):
    number = make_id_number(7, "330402")
    writer = client_for(world.users["city_reviewer"])
    person = add_person(writer, world.agencies["nanhu"], "周身份", id_number=number)
    assert person["id_number"] == number  # a reviewer sees it whole
    seen = client_for(world.users["nanhu_leader"]).get(f"{API}/people/{person['id']}").json()
    assert seen["id_number"] == number[:6] + "********" + number[-4:]
    assert number not in str(Event.objects.filter(action="capacity.person.created")
                             .values_list("payload", flat=True)[0])


def test_refusals_are_chinese_and_change_nothing(world):
    officer = client_for(world.users["nanhu_officer"])
    response = post(officer, f"{API}/people", {"agency": world.agencies["nanhu"].pk,
                                               "name": "无权", "joined_on": "2024-01-01"})
    assert response.status_code == 403 and "无权" in response.json()["detail"]
    writer = client_for(world.users["city_reviewer"])
    response = post(writer, f"{API}/people", {"agency": world.agencies["nanhu"].pk,
                                              "name": "错号", "joined_on": "2024-01-01",
                                              "id_number": "330402198001011230"})
    assert response.status_code == 422 and "身份证号" in response.json()["detail"]
    person = add_person(writer, world.agencies["nanhu"], "早到", roles=["reviewer"],
                        joined="2024-01-01")
    response = post(writer, f"{API}/people/{person['id']}/roles",
                    {"kind": "reviewer", "start": "2024-02-01"})
    assert response.status_code == 422 and "已在此岗位" in response.json()["detail"]
    response = post(writer, f"{API}/people/{person['id']}/roles",
                    {"kind": "officer", "start": "2023-01-01"})
    assert response.status_code == 422 and "早于到岗日期" in response.json()["detail"]
    assert StaffMember.objects.count() == 1
