"""Cases in the JSON API: the list and a case scoped like the pages, the moves open to
the caller, a move through the workflow, and refusals (a stale version, an unmet gate,
another county) answered in Chinese with nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fazhi.cases.models import CaseStatus, PenaltyCase
from fazhi.cases.services import case_details_set
from fazhi.cases.tests.test_filing import FILED, _world
from fazhi.core.models import Event, Role
from fazhi.core.services.tokens import token_issue

pytestmark = pytest.mark.django_db
API = "/api/v1/cases"


def client_for(user) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _move(client, case_pk, **body):
    return client.post(f"{API}/{case_pk}/transitions", body, content_type="application/json")


def test_a_case_is_filed_through_the_api(make_user, make_enterprise, jurisdictions, users):
    officers, case = _world(make_user, make_enterprise, jurisdictions)
    case = case_details_set(actor=officers[0], case=case, version=case.version,
                            violation_date=datetime.date(2024, 5, 1))
    officer = client_for(officers[0])
    listing = officer.get(API).json()
    assert listing["count"] == 1 and listing["items"][0]["status"] == "lead"
    detail = officer.get(f"{API}/{case.pk}").json()
    assert [m["action"] for m in detail["moves"]] == ["submit_filing"]
    response = _move(officer, case.pk, action="submit_filing", version=detail["version"],
                     on=FILED.isoformat())
    assert response.status_code == 200, response.content.decode()
    body = _move(client_for(users[Role.LEADER]), case.pk, action="approve_filing",
                 version=response.json()["version"], on=FILED.isoformat()).json()
    assert body["status"] == CaseStatus.INVESTIGATION and body["status_label"] == "调查取证"
    assert body["number"] == "南应急立〔2024〕1号"
    assert body["decision_due"] == (FILED + datetime.timedelta(days=30)).isoformat()


def test_refusals_answer_in_chinese_and_change_nothing(make_user, make_enterprise,
                                                       jurisdictions, users, agencies):
    officers, case = _world(make_user, make_enterprise, jurisdictions)
    officer = client_for(officers[0])
    events = Event.objects.count()
    # No violation date yet does not stop submission; a stale version does.
    response = _move(officer, case.pk, action="submit_filing", version=case.version + 1)
    assert response.status_code == 422 and "请刷新后重试" in response.json()["detail"]
    response = _move(officer, case.pk, action="approve_filing", version=case.version)
    assert response.status_code == 422
    assert "不能“批准立案”" in response.json()["detail"]
    assert Event.objects.count() == events
    assert PenaltyCase.objects.get(pk=case.pk).status == CaseStatus.LEAD
    outsider = client_for(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    assert outsider.get(f"{API}/{case.pk}").status_code == 404
    assert _move(outsider, case.pk, action="submit_filing",
                 version=case.version).status_code == 404
    assert outsider.get(API).json()["count"] == 0
    owner = client_for(make_user(Role.ENTERPRISE, enterprise=case.enterprise))
    assert owner.get(API).json()["count"] == 0  # a lead is internal until filed
    assert officer.get(f"{API}?status=nonsense").status_code == 422
