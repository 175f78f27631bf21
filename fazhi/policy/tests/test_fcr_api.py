"""POST /api/v1/policy/fcr/screen over HTTP: the answer's exact shape, spans into the
text sent, clause-level input, Chinese 422s for bad input, bearer-token authentication."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fazhi.core.services.tokens import token_issue

URL = "/api/v1/policy/fcr/screen"


@pytest.fixture
def api(users) -> Client:
    raw, _token = token_issue(user=users["officer"])
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, body) -> object:
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post(URL, data=data, content_type="application/json")


def test_a_document_is_screened_into_flags_with_spans_in_the_text_sent(api):
    text = ("关于印发本区应急物资采购管理办法的通知\n"
            "第一条　为规范应急物资采购，制定本办法。\n"
            "第二条　应急物资采购项目中，本地企业加3分。\n"
            "第三条　投标人可以通过电子交易系统远程递交投标文件。")
    response = _post(api, {"text": text})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"violates", "flags"}
    assert body["violates"] is True
    (flag,) = body["flags"]
    assert set(flag) == {"standard", "start", "end", "cue", "explanation"}
    assert flag["standard"] == "FCR-9-3"
    assert text[flag["start"]:flag["end"]] == "应急物资采购项目中，本地企业加3分。"
    assert flag["cue"] in text[flag["start"]:flag["end"]]
    assert "第九条" in flag["explanation"]


def test_a_single_clause_works_and_a_clean_text_does_not_violate(api):
    body = _post(api, {"text": "本市出租汽车企业须加入市出租汽车协会，并按车辆数缴纳会费。"}).json()
    assert body["violates"] is True and body["flags"][0]["standard"] == "FCR-11-4"
    assert body["flags"][0]["start"] == 0
    clean = _post(api, {"text": "各企业应当于每年12月31日前完成年度安全生产培训。"}).json()
    assert clean == {"violates": False, "flags": []}


def test_offsets_count_characters_not_bytes(api):
    text = "😀各单位注意。全市安全评价机构数量控制在20家以内。"
    (flag,) = _post(api, {"text": text}).json()["flags"]
    assert text[flag["start"]:flag["end"]] == "全市安全评价机构数量控制在20家以内。"


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "   \n "}, {"text": 5},
                                  {"text": ["a"]}, {"text": "a\u0000b"},
                                  {"text": "款" * 200_001}])
def test_bad_input_is_refused_with_422_in_chinese(api, body):
    response = _post(api, body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail)


def test_the_api_needs_a_token(users):
    response = Client().post(URL, data=json.dumps({"text": "本地企业加3分"}),
                             content_type="application/json")
    assert response.status_code == 401
    # a browser session alone is not an API credential either
    client = Client()
    client.force_login(users["officer"])
    assert client.post(URL, data=json.dumps({"text": "x"}),
                       content_type="application/json").status_code == 401
