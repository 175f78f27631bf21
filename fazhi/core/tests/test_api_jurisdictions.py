"""GET /api/v1/jurisdictions and /jurisdictions/{code}: scoped like the pages."""

from __future__ import annotations

import pytest

from fazhi.core.tests.api_world import build_api_world, token_client


@pytest.fixture
def world(db):
    return build_api_world()


ALL_CITY = {"330400", "330402", "330411", "330402001", "330411101"}
VISIBLE = {
    "city_officer": ALL_CITY,
    "nanhu_officer": {"330402", "330402001"},
    "xiuzhou_officer": {"330411", "330411101"},
    "supervisor": {"330402", "330402001"},
    "enterprise": {"330402"},  # only where its own enterprise is
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_list_and_detail_follow_the_users_scope(world, who):
    client = token_client(world.users[who])
    listed = client.get("/api/v1/jurisdictions", {"page_size": 100}).json()
    assert {item["code"] for item in listed["items"]} == VISIBLE[who]
    assert listed["count"] == len(VISIBLE[who])
    for code in sorted(ALL_CITY | {"330000", "999999"}):
        response = client.get(f"/api/v1/jurisdictions/{code}")
        expected = 200 if code in VISIBLE[who] else 404
        assert response.status_code == expected, (who, code)
        if expected == 404:
            # Out of scope looks exactly like nonexistent.
            assert response.json() == {"detail": "未找到"}


def test_fields_carry_codes_not_ids(world):
    client = token_client(world.users["nanhu_officer"])
    town = client.get("/api/v1/jurisdictions/330402001").json()
    assert town == {"code": "330402001", "name": "解放街道", "level": "town",
                    "level_label": "镇（街道）", "parent": "330402"}
    listed = client.get("/api/v1/jurisdictions").json()
    # The list is in code order and its items look like the detail.
    assert [item["code"] for item in listed["items"]] == ["330402", "330402001"]
    assert listed["items"][1] == town
    city = token_client(world.users["city_officer"]).get("/api/v1/jurisdictions/330400").json()
    assert city["parent"] == "330000"


def test_pagination_of_jurisdictions(world):
    client = token_client(world.users["city_officer"])
    first = client.get("/api/v1/jurisdictions", {"page_size": 2}).json()
    third = client.get("/api/v1/jurisdictions", {"page_size": 2, "page": 3}).json()
    assert (first["count"], first["page"], first["page_size"]) == (5, 1, 2)
    assert len(first["items"]) == 2 and len(third["items"]) == 1
    assert third["page"] == 3


def test_list_query_count_does_not_grow_with_the_page(world, django_assert_max_num_queries):
    from fazhi.core.models import Jurisdiction

    for n in range(30):
        Jurisdiction.objects.create(code=f"330402{n + 100:03d}", name=f"测试镇{n}",
                                    level="town", parent=world.jurisdictions["nanhu"])
    client = token_client(world.users["city_officer"])
    client.get("/api/v1/jurisdictions")  # takes the once-a-minute last-used write
    # The token with its user, the count, one page with the parents joined.
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/jurisdictions", {"page_size": 100})
    assert len(response.json()["items"]) == 35
