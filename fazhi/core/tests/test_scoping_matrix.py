"""Jurisdiction scoping as a matrix (role × jurisdiction × object), over HTTP.

Every list and detail read, on the pages and in the API, must give the same answer:
a county user sees its county and the towns below it, a town station its town, a city
user the whole city, an enterprise user only its own enterprise, a social supervisor
the area they oversee.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.core.services.tokens import token_issue
from fazhi.core.tests.factories import make_uscc
from fazhi.subjects.models import Enterprise

_serial = itertools.count(1)


@pytest.fixture
def world(db):
    province = Jurisdiction.objects.create(code="330000", name="浙江省", level="province")
    city = Jurisdiction.objects.create(code="330400", name="嘉兴市", level="city", parent=province)
    nanhu = Jurisdiction.objects.create(code="330402", name="南湖区", level="county", parent=city)
    xiuzhou = Jurisdiction.objects.create(code="330411", name="秀洲区", level="county", parent=city)
    daqiao = Jurisdiction.objects.create(code="330402101", name="大桥镇", level="town",
                                         parent=nanhu)
    jianshe = Jurisdiction.objects.create(code="330402001", name="建设街道", level="town",
                                          parent=nanhu)
    wangdian = Jurisdiction.objects.create(code="330411102", name="王店镇", level="town",
                                           parent=xiuzhou)

    city_bureau = Agency.objects.create(name="嘉兴市应急管理局", kind="city_bureau",
                                        jurisdiction=city, doc_prefix="嘉应急")
    nanhu_bureau = Agency.objects.create(name="嘉兴市南湖区应急管理局", kind="county_bureau",
                                         jurisdiction=nanhu, parent=city_bureau,
                                         doc_prefix="南应急")
    xiuzhou_bureau = Agency.objects.create(name="嘉兴市秀洲区应急管理局", kind="county_bureau",
                                           jurisdiction=xiuzhou, parent=city_bureau,
                                           doc_prefix="秀应急")
    daqiao_station = Agency.objects.create(name="大桥镇应急消防管理站", kind="town_station",
                                           jurisdiction=daqiao, parent=nanhu_bureau,
                                           doc_prefix="大桥应急", delegated=True)

    def enterprise(name: str, where: Jurisdiction) -> Enterprise:
        return Enterprise.objects.create(
            name=name, uscc=make_uscc(next(_serial), where.code[:6]),
            address=f"{where.name}某路1号",
            jurisdiction=where, industry_code="C2614", supervision_category="industry_trade")

    objects = {
        "daqiao": enterprise("嘉兴大桥化工有限公司", daqiao),
        "jianshe": enterprise("嘉兴建设机械有限公司", jianshe),
        "wangdian": enterprise("嘉兴王店纺织有限公司", wangdian),
        "city_level": enterprise("嘉兴市直属单位有限公司", city),
    }

    def user(username: str, role: str, **kw) -> User:
        return User.objects.create_user(username=username, password="x-Pass-2024!", role=role,
                                        **kw)

    users = {
        "city_officer": user("c_off", Role.OFFICER, agency=city_bureau),
        "city_leader": user("c_lead", Role.LEADER, agency=city_bureau),
        "city_reviewer": user("c_rev", Role.REVIEWER, agency=city_bureau),
        "city_admin": user("c_adm", Role.ADMIN, agency=city_bureau),
        "nanhu_officer": user("n_off", Role.OFFICER, agency=nanhu_bureau),
        "nanhu_leader": user("n_lead", Role.LEADER, agency=nanhu_bureau),
        "xiuzhou_officer": user("x_off", Role.OFFICER, agency=xiuzhou_bureau),
        "daqiao_officer": user("d_off", Role.OFFICER, agency=daqiao_station),
        "enterprise_daqiao": user("ent", Role.ENTERPRISE, enterprise=objects["daqiao"]),
        "supervisor_nanhu": user("sup", Role.SUPERVISOR, supervised_jurisdiction=nanhu),
        "unbound_officer": user("lost", Role.OFFICER),
    }
    return users, objects


ALL = {"daqiao", "jianshe", "wangdian", "city_level"}
NANHU = {"daqiao", "jianshe"}
VISIBLE = {
    "city_officer": ALL,
    "city_leader": ALL,
    "city_reviewer": ALL,
    "city_admin": ALL,
    "nanhu_officer": NANHU,
    "nanhu_leader": NANHU,
    "xiuzhou_officer": {"wangdian"},
    "daqiao_officer": {"daqiao"},
    "enterprise_daqiao": {"daqiao"},
    "supervisor_nanhu": NANHU,
    "unbound_officer": set(),
}


def _api_client(user: User) -> Client:
    with transaction.atomic():
        raw, _ = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_enterprise_pages_follow_the_matrix(world, who):
    users, objects = world
    client = _page_client(users[who])
    for name, enterprise in objects.items():
        response = client.get(reverse("subjects:enterprise_detail", args=[enterprise.pk]))
        expected = 200 if name in VISIBLE[who] else 404
        assert response.status_code == expected, (who, name)
    listing = client.get(reverse("subjects:enterprise_list")).content.decode()
    for name, enterprise in objects.items():
        assert (enterprise.name in listing) == (name in VISIBLE[who]), (who, name)


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_enterprise_api_follows_the_matrix(world, who):
    users, objects = world
    client = _api_client(users[who])
    for name, enterprise in objects.items():
        response = client.get(f"/api/v1/enterprises/{enterprise.pk}")
        expected = 200 if name in VISIBLE[who] else 404
        assert response.status_code == expected, (who, name)
    listed = client.get("/api/v1/enterprises", {"page_size": 100}).json()
    listed_ids = {item["id"] for item in listed["items"]}
    assert listed_ids == {objects[name].pk for name in VISIBLE[who]}, who
    assert listed["count"] == len(VISIBLE[who])


JURISDICTIONS_VISIBLE = {
    "city_officer": {"330400", "330402", "330411", "330402101", "330402001", "330411102"},
    "nanhu_officer": {"330402", "330402101", "330402001"},
    "daqiao_officer": {"330402101"},
    "xiuzhou_officer": {"330411", "330411102"},
    "unbound_officer": set(),
}


@pytest.mark.parametrize("who", sorted(JURISDICTIONS_VISIBLE))
def test_jurisdiction_api_follows_the_matrix(world, who):
    users, _ = world
    client = _api_client(users[who])
    listed = client.get("/api/v1/jurisdictions", {"page_size": 100}).json()
    assert {item["code"] for item in listed["items"]} == JURISDICTIONS_VISIBLE[who]
    for code in ("330400", "330402", "330411102"):
        response = client.get(f"/api/v1/jurisdictions/{code}")
        assert response.status_code == (200 if code in JURISDICTIONS_VISIBLE[who] else 404)


def test_a_filter_cannot_widen_the_scope(world):
    """Asking for another county's code gives nothing, not that county's data."""
    users, objects = world
    client = _api_client(users["nanhu_officer"])
    listed = client.get("/api/v1/enterprises", {"jurisdiction": "330411"}).json()
    assert listed["count"] == 0
    page = _page_client(users["nanhu_officer"]).get(
        reverse("subjects:enterprise_list"), {"jurisdiction": "330411"})
    assert objects["wangdian"].name not in page.content.decode()


def test_anonymous_sees_nothing(world):
    _, objects = world
    response = Client().get(reverse("subjects:enterprise_detail", args=[objects["daqiao"].pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Client().get("/api/v1/enterprises").status_code == 401
