"""The certificate API over HTTP: the dates at their edges, lists and detail scoped and
masked by role."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fazhi.core.models import Role
from fazhi.core.services.tokens import token_issue
from fazhi.licensing.models_certificates import CertificateKind
from fazhi.licensing.tests.test_cert_helpers import (  # noqa: F401 - fixtures
    _issuer,
    _make_certificate,
    _signing_key,
)

URL = "/api/v1/licensing/certificate-dates"


def api(user) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_dates_of_a_special_operation_certificate(officer):
    response = post(api(officer), {"kind": "special_operation", "issued": "2024-02-29",
                                   "continuous_years_in_trade": 3, "compliant": True,
                                   "extension_approved": False})
    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: body[k] for k in ("review_due", "review_application_opens", "expires",
                                 "review_interval_years")} == {
        "review_due": "2027-02-28", "review_application_opens": "2026-12-30",
        "expires": "2030-02-28", "review_interval_years": 3}
    assert "latest_extension_application" not in body
    assert any(c["article"] == "第二十一条" for c in body["citations"])


def test_extended_interval_at_exactly_10_years(officer):
    body = post(api(officer), {"kind": "special_operation", "issued": "2024-05-06",
                               "continuous_years_in_trade": 10, "compliant": True,
                               "extension_approved": True}).json()
    assert body["review_interval_years"] == 6
    assert body["review_due"] == body["expires"] == "2030-05-06"


def test_dates_of_a_qualification_certificate_only_its_fields(officer):
    body = post(api(officer), {"kind": "principal_safety_qualification",
                               "issued": "2024-01-31"}).json()
    assert body["expires"] == "2027-01-31"
    assert body["latest_extension_application"] == "2027-01-01"
    for absent in ("review_due", "review_application_opens", "review_interval_years"):
        assert absent not in body
    assert body["citations"][0]["law"] == "安全生产培训管理办法"


@pytest.mark.parametrize("body, words", [
    ({"kind": "forklift", "issued": "2024-01-01"}, "证书类别"),
    ({"kind": "special_operation", "issued": "2024-13-01"}, "发证日期"),
    ({"kind": "special_operation"}, "发证日期"),
    ({"kind": "special_operation", "issued": "2024-01-01", "continuous_years_in_trade": -1},
     "连续从事本工种年限"),
    ({"kind": "special_operation", "issued": "2024-01-01", "continuous_years_in_trade": 9,
      "extension_approved": True}, "不满10年"),
    ({"kind": "special_operation", "issued": "2010-06-30"}, "施行日"),
    ({"kind": "principal_safety_qualification", "issued": "2024-01-01",
      "extension_approved": True}, "第二十五条"),
    ({"kind": "special_operation", "issued": "1900-01-01"}, "之间"),
])
def test_bad_input_is_a_422_in_chinese(officer, body, words):
    response = post(api(officer), body)
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_dates_need_a_token():
    assert post(Client(), {"kind": "special_operation", "issued": "2024-01-01"}
                ).status_code == 401


def test_list_and_detail_are_scoped_and_masked(make_user, agencies, make_certificate):
    nanhu = make_certificate(name="周建华")
    xiuzhou = make_certificate(name="李明", jurisdiction="xiuzhou")
    make_certificate(CertificateKind.PRINCIPAL, name="王芳")
    county = api(make_user(Role.OFFICER))  # 南湖区
    body = county.get("/api/v1/licensing/certificates").json()
    assert {i["holder_name"] for i in body["items"]} == {"周建华", "王芳"}
    assert county.get(f"/api/v1/licensing/certificates/{xiuzhou.pk}").status_code == 404
    detail = county.get(f"/api/v1/licensing/certificates/{nanhu.pk}").json()
    assert detail["id_number"] == nanhu.holder.id_number  # an officer needs it whole
    assert detail["status"] == "valid" and detail["review_due"] == "2027-03-15"
    assert detail["qr_payload"].startswith("FZC1|")
    leader = api(make_user(Role.LEADER))
    shown = leader.get(f"/api/v1/licensing/certificates/{nanhu.pk}").json()
    assert "*" in shown["id_number"] and "*" in shown["number"]
    managers = county.get("/api/v1/licensing/certificates?kind=managers").json()
    assert [i["holder_name"] for i in managers["items"]] == ["王芳"]
    city = api(make_user(Role.OFFICER, agency=agencies["city"]))
    assert city.get("/api/v1/licensing/certificates").json()["count"] == 3


def test_reminders_list_what_falls_due(make_user, make_certificate):
    today = datetime.date.today()
    soon = make_certificate(name="赵强", issued_on=today.replace(year=today.year - 3)
                            + datetime.timedelta(days=20))
    make_certificate(name="钱伟", issued_on=today - datetime.timedelta(days=30))
    client = api(make_user(Role.OFFICER))
    due = client.get("/api/v1/licensing/certificates/reminders?within_days=60").json()
    assert [i["holder_name"] for i in due["items"]] == ["赵强"]
    assert due["items"][0]["review_due"] == soon.review_due.isoformat()
    assert client.get("/api/v1/licensing/certificates/reminders?what=expired"
                      ).json()["count"] == 0
