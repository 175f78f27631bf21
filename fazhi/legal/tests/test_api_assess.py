"""`POST /api/v1/legal/assess` over HTTP with a bearer token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fazhi.core.tests.api_world import build_api_world, token_client
from fazhi.legal.engine import uncited_elements

pytestmark = pytest.mark.usefixtures("wsl_catalogue")

URL = "/api/v1/legal/assess"

# The spec's example request, with concrete values.
SPEC_EXAMPLE = {
    "party_type": "unit",
    "jurisdiction": "330400",
    "item": "安全生产法 第九十七条第三项",
    "items": ["WSL2021-097-03"],
    "stage": "first",
    "tier": "general",
    "proposed": {"fine": 50000, "confiscation": 0,
                 "measures": ["order_correct_within_deadline", "fine"]},
    "facts": {
        "facts_conclusive": True, "first_violation": True, "minor": True, "harm_minor": True,
        "corrected_in_time": False, "harmful_consequence": False, "no_fault_proven": False,
        "actively_eliminated_harm": False, "involves_life_health_or_financial_safety": False,
        "complex": False, "multiple_legal_relations": False, "major_public_interest": False,
        "major_rights": False, "hearing_held": False,
        "especially_serious_and_egregious": False, "late_report": False,
        "party_present_at_announcement": True, "rights_not_informed": False,
        "illegal_gains": 0, "principal_income_prev_year": "360000.00",
        "credit_severity": "general",
    },
    "accident": {"deaths": 0, "serious_injuries": 1, "direct_loss": "200000",
                 "occurred_at": "2026-03-02T09:00:00+08:00",
                 "head_informed_at": "2026-03-02T09:20:00+08:00",
                 "reported_at": "2026-03-02T10:05:00+08:00"},
    "dates": {
        "violation_ended": "2026-03-01", "discovered": "2026-03-02", "filed": "2026-03-03",
        "noticed": "2026-04-01", "hearing_notice_sent": "2026-04-10",
        "hearing_date": "2026-04-22", "decided": "2026-05-06", "served": "2026-05-06",
        "content_known": "2026-05-06", "as_of": "2026-06-30",
        "surcharge_suspended": [["2026-06-01", "2026-06-10"]],
    },
    "config": {"large_fine_threshold": {"individual_min": 20000, "unit_min": 50000}},
}


@pytest.fixture
def world(db):
    return build_api_world()


@pytest.fixture
def city(world) -> Client:
    return token_client(world.users["city_officer"])


def post(client: Client, body: object) -> tuple[int, dict]:
    response = client.post(URL, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_without_a_token_401(world):
    status, body = post(Client(), SPEC_EXAMPLE)
    assert status == 401
    assert "令牌" in body["detail"]


def test_the_spec_example_is_answered_with_citations(city):
    status, body = post(city, SPEC_EXAMPLE)
    assert status == 200, body
    # 50000 yuan on a unit reaches the 5万元 threshold (以上含本数) → hearing rights;
    # far above 3000 → no summary procedure (行政处罚法 第五十一条、第六十三条).
    assert body["hearing_rights"] is True
    assert body["summary_procedure_allowed"] is False
    assert body["threshold_used"] == {"individual_min": 20000, "unit_min": 50000}
    assert body["provision_applied"] == "安全生产法 第九十七条第（三）项"
    assert body["recommendation"]["fine"]["unit"]["max"] == "100000"
    # Reported 45 minutes after the head was told: within the hour (条例 第九条).
    assert body["accident"]["late_report"] is False
    assert body["accident"]["class"] == "ordinary"
    assert body["deadlines"]["payment"] == "2026-05-21"
    assert body["criminal_transfer"] == {"threshold_met": False, "required": False}
    assert uncited_elements(body) == []


def test_an_empty_body_object_answers_nothing(city):
    assert post(city, {}) == (200, {"citations": []})


def test_any_role_may_ask(world):
    client = token_client(world.users["enterprise"])
    status, _ = post(client, {"party_type": "unit", "proposed": {"fine": 100}})
    assert status == 200


@pytest.mark.parametrize(("body", "words"), [
    ({"party_type": "company"}, "当事人类型"),
    ({"tier": "huge"}, "裁量阶次"),
    ({"proposed": {"measures": ["jail"]}}, "拟作出的处罚种类"),
    ({"dates": {"decided": "2026-13-01"}}, "决定日期"),
    ({"dates": {"decided": "1900-01-01"}}, "dates.decided"),
    ({"facts": {"frist_violation": True}}, "frist_violation"),
    ({"item": "WSL-999-9"}, "执法事项（item）"),
    ({"items": ["WSL2021-097-01", "nothing"]}, "items[1]"),
    ({"accident": {"occurred_at": "2026-03-02T09:00:00"}}, "须带时区"),
    ({"dates": {"filed": "2026-03-05", "decided": "2026-03-01"}}, "决定日期不能早于立案日期"),
    ({"config": {"large_fine_threshold": {"individual_min": 0, "unit_min": 5}}},
     "较大数额罚款标准"),
    ({"proposed": {"fine": "12.345"}}, "proposed.fine"),
    ({"proposed": {"fine": -5}}, "不能为负数"),
])
def test_bad_fields_get_a_chinese_422_naming_the_field(city, body, words):
    status, answer = post(city, body)
    assert status == 422, answer
    assert words in answer["detail"]


@pytest.mark.parametrize("field", [
    {"proposed": {"fine": 50000.0}},
    {"facts": {"principal_income_prev_year": 1.5}},
    {"accident": {"direct_loss": 1e6}},
])
def test_json_floats_are_refused_for_money(city, field):
    status, answer = post(city, field)
    assert status == 422
    assert "不接受浮点数" in answer["detail"]


def test_jurisdiction_must_be_visible_to_the_user(world):
    nanhu = token_client(world.users["nanhu_officer"])
    assert post(nanhu, {"jurisdiction": "330402"})[0] == 200
    status, answer = post(nanhu, {"jurisdiction": "330400"})  # the city above it
    assert status == 422 and "jurisdiction" in answer["detail"]
    assert post(nanhu, {"jurisdiction": "999999"})[0] == 422


def test_not_json_is_a_400_in_chinese(city):
    response = city.post(URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_the_operation_is_documented(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert "法律" in operation["summary"]
    assert "422" in operation["responses"]
