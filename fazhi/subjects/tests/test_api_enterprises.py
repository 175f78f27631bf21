"""GET /api/v1/enterprises and /enterprises/{id} over HTTP: scope by role, filters,
pagination, ID-number masking, lean queries."""

from __future__ import annotations

import pytest

from fazhi.core.tests.api_world import build_api_world, token_client
from fazhi.subjects.models import RiskLevel, SupervisionCategory
from fazhi.subjects.rules.masking import can_see_id_numbers

LIST = "/api/v1/enterprises"

NANHU_CODES = {"330402", "330402001"}


@pytest.fixture
def world(db):
    return build_api_world()


def _listed(client, **params) -> dict:
    response = client.get(LIST, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _names(body: dict) -> set[str]:
    return {item["name"] for item in body["items"]}


# --- scope ------------------------------------------------------------------------


def test_a_nanhu_officer_sees_only_nanhu_enterprises(world):
    client = token_client(world.users["nanhu_officer"])
    body = _listed(client)
    e = world.enterprises
    assert {item["id"] for item in body["items"]} == {e["nanhu"].pk, e["nanhu_town"].pk}
    assert body["count"] == 2
    assert {item["jurisdiction"] for item in body["items"]} <= NANHU_CODES
    for other in ("xiuzhou", "city"):
        response = client.get(f"{LIST}/{e[other].pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到"}
    # Another county's enterprise is indistinguishable from one that does not exist.
    missing = client.get(f"{LIST}/{max(x.pk for x in e.values()) + 1000}")
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到"}


def test_a_city_officer_sees_every_enterprise_of_the_city(world):
    body = _listed(token_client(world.users["city_officer"]))
    assert {item["id"] for item in body["items"]} == {x.pk for x in world.enterprises.values()}
    client = token_client(world.users["city_officer"])
    for enterprise in world.enterprises.values():
        assert client.get(f"{LIST}/{enterprise.pk}").status_code == 200


def test_an_enterprise_user_sees_only_its_own_enterprise(world):
    client = token_client(world.users["enterprise"])
    own = world.enterprises["nanhu"]
    body = _listed(client)
    assert [item["id"] for item in body["items"]] == [own.pk]
    assert client.get(f"{LIST}/{own.pk}").status_code == 200
    # Even the enterprise next door in the same district is out of reach.
    assert client.get(f"{LIST}/{world.enterprises['nanhu_town'].pk}").status_code == 404
    assert _listed(client, jurisdiction="330402001")["count"] == 0


def test_a_filter_never_widens_the_scope(world):
    client = token_client(world.users["nanhu_officer"])
    assert _listed(client, jurisdiction="330411")["count"] == 0
    assert _listed(client, jurisdiction="330400")["count"] == 2  # the city: still only Nanhu
    assert _listed(client, q=world.enterprises["xiuzhou"].uscc)["count"] == 0


def test_every_enterprise_carries_its_jurisdiction_code(world):
    body = _listed(token_client(world.users["city_officer"]))
    by_id = {item["id"]: item for item in body["items"]}
    for enterprise in world.enterprises.values():
        item = by_id[enterprise.pk]
        assert item["jurisdiction"] == enterprise.jurisdiction.code
        assert item["jurisdiction_name"] == enterprise.jurisdiction.name


def test_list_item_fields(world):
    client = token_client(world.users["nanhu_officer"])
    e = world.enterprises["nanhu"]
    item = next(i for i in _listed(client)["items"] if i["id"] == e.pk)
    assert item == {
        "id": e.pk, "name": "嘉兴南湖精细化工有限公司", "uscc": e.uscc, "address": e.address,
        "jurisdiction": "330402", "jurisdiction_name": "南湖区", "industry_code": "C2614",
        "supervision_category": "hazchem_production",
        "supervision_category_label": "危险化学品生产",
        "risk_level": "major", "risk_level_label": "重大风险",
        "park": {"id": world.parks["nanhu"].pk, "name": "南湖化工园区", "risk_level": "higher"},
    }
    town_item = next(i for i in _listed(client)["items"]
                     if i["id"] == world.enterprises["nanhu_town"].pk)
    assert town_item["park"] is None
    detail = client.get(f"{LIST}/{e.pk}").json()
    assert {k: v for k, v in detail.items() if k != "people"} == item
    assert [(p["kind"], p["name"]) for p in detail["people"]] == [
        ("principal", "张建国"), ("safety_manager", "李安全")]


# --- filters ----------------------------------------------------------------------


def test_filters(world):
    client = token_client(world.users["city_officer"])
    e = world.enterprises
    assert _names(_listed(client, q="精细化工")) == {e["nanhu"].name}
    assert _names(_listed(client, q=e["city"].uscc)) == {e["city"].name}
    assert _names(_listed(client, q="王江泾镇测试路")) == {e["xiuzhou"].name}
    assert _names(_listed(client, jurisdiction="330402")) == {e["nanhu"].name,
                                                              e["nanhu_town"].name}
    assert _names(_listed(client, jurisdiction="330402001")) == {e["nanhu_town"].name}
    assert _names(_listed(client, category=SupervisionCategory.HAZCHEM_USE)) == {
        e["xiuzhou"].name}
    assert _names(_listed(client, risk_level=RiskLevel.MAJOR)) == {e["nanhu"].name}
    assert _names(_listed(client, park=world.parks["xiuzhou"].pk)) == {e["xiuzhou"].name}
    # Filters combine.
    assert _listed(client, jurisdiction="330402", risk_level=RiskLevel.LARGE)["count"] == 0
    # Blank parameters (as a form sends them) mean "any".
    assert _listed(client, q="", jurisdiction="", category="", risk_level="",
                   park="")["count"] == 4


@pytest.mark.parametrize("params, label", [
    ({"category": "chemicals"}, "监管类别"),
    ({"risk_level": "red"}, "安全风险等级"),
    ({"park": "abc"}, "化工园区"),
    ({"park": "0"}, "化工园区"),
    ({"jurisdiction": "3304"}, "辖区代码"),
    ({"jurisdiction": "330402/"}, "辖区代码"),
    ({"q": "字" * 101}, "关键词"),
    ({"q": "a\x00b"}, "关键词"),
    ({"page": "0"}, "页码"),
    ({"page_size": "x"}, "每页条数"),
])
def test_bad_filters_get_422_naming_the_field(world, params, label):
    response = token_client(world.users["city_officer"]).get(LIST, params)
    assert response.status_code == 422
    assert label in response.json()["detail"]


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "1.5", "99999999999999999999999"])
def test_bad_ids_are_4xx_not_500(world, bad_id):
    response = token_client(world.users["city_officer"]).get(f"{LIST}/{bad_id}")
    assert response.status_code in {404, 422}
    assert response["Content-Type"].startswith("application/json")


# --- pagination -------------------------------------------------------------------


@pytest.fixture
def crowded(world):
    """25 more enterprises in 南湖区 (27 in all), half of them in the park."""
    for n in range(25):
        world.enterprise("nanhu", park=world.parks["nanhu"] if n % 2 else None)
    return world


def test_pages_cover_every_enterprise_once(crowded):
    client = token_client(crowded.users["nanhu_officer"])
    pages = [client.get(LIST, {"page": p, "page_size": 10}).json() for p in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [10, 10, 7, 0]
    assert all(p["count"] == 27 and p["page_size"] == 10 for p in pages)
    assert [p["page"] for p in pages] == [1, 2, 3, 4]
    ids = [item["id"] for p in pages for item in p["items"]]
    assert len(ids) == len(set(ids)) == 27
    # Pages are consecutive slices of one stable order.
    whole = client.get(LIST, {"page_size": 100}).json()["items"]
    assert ids == [item["id"] for item in whole]


def test_page_size_defaults_to_20_and_is_capped_at_100(crowded):
    client = token_client(crowded.users["city_officer"])
    default = client.get(LIST).json()
    assert (default["page"], default["page_size"], len(default["items"])) == (1, 20, 20)
    capped = client.get(LIST, {"page_size": 5000}).json()
    assert capped["page_size"] == 100
    assert len(capped["items"]) == capped["count"] == 29


def test_list_queries_do_not_grow_with_the_page(crowded, django_assert_max_num_queries):
    client = token_client(crowded.users["city_officer"])
    client.get(LIST)  # takes the once-a-minute last-used write
    # The token with its user, the count, one page with jurisdiction and park joined.
    with django_assert_max_num_queries(3):
        small = client.get(LIST, {"page_size": 2})
    with django_assert_max_num_queries(3):
        large = client.get(LIST, {"page_size": 100})
    assert len(small.json()["items"]) == 2 and len(large.json()["items"]) == 29
    assert any(item["park"] for item in large.json()["items"])


def test_detail_queries_are_bounded(world, django_assert_max_num_queries):
    client = token_client(world.users["city_officer"])
    url = f"{LIST}/{world.enterprises['nanhu'].pk}"
    client.get(url)
    # The token with its user, the enterprise with jurisdiction and park, its people.
    with django_assert_max_num_queries(3):
        assert len(client.get(url).json()["people"]) == 2


# --- ID numbers -------------------------------------------------------------------


ROLES = ["city_officer", "nanhu_officer", "nanhu_leader", "nanhu_reviewer", "nanhu_admin",
         "enterprise", "supervisor"]


@pytest.mark.parametrize("who", ROLES)
def test_id_numbers_are_whole_or_masked_by_role(world, who):
    user = world.users[who]
    detail = token_client(user).get(f"{LIST}/{world.enterprises['nanhu'].pk}").json()
    stored = {p.name: p.id_number for p in world.enterprises["nanhu"].people.all()}
    for person in detail["people"]:
        whole = stored[person["name"]]
        shown = person["id_number"]
        if can_see_id_numbers(user):
            assert shown == whole
        else:
            # Only the first 6 (the area) and the last 4 survive; the birth date is gone.
            assert shown != whole
            assert shown[:6] == whole[:6] and shown[-4:] == whole[-4:]
            assert whole[6:14] not in shown


def test_masking_applies_to_some_roles_and_not_others(world):
    # Guards the test above from passing vacuously if the rule let everyone (or no
    # one) see whole numbers.
    decisions = {who: can_see_id_numbers(world.users[who]) for who in ROLES}
    assert decisions["supervisor"] is False
    assert decisions["nanhu_officer"] is True
