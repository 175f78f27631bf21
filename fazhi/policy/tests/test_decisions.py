"""Major administrative decisions over HTTP: the catalogue, the five steps with their
records, comments and files, the decision refused with a step missing (naming the steps
and articles), adopted with all five, publication and evaluation."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.core.models import Event
from fazhi.core.tests.api_world import API_PASSWORD, token_client
from fazhi.policy.models_decisions import DecisionCatalogue, DecisionStatus, MajorDecision

STEPS = {
    "public": {"started_on": "2024-03-01", "completed_on": "2024-04-05",
               "comment_from": "2024-03-01", "comment_until": "2024-03-31",
               "summary": "在门户网站公开征求意见"},
    "expert": {"started_on": "2024-04-08", "completed_on": "2024-04-08",
               "participants": "化工安全专家5名", "summary": "专家论证会"},
    "risk": {"started_on": "2024-04-10", "completed_on": "2024-04-20", "risk_level": "low",
             "summary": "社会稳定风险评估"},
    "legality": {"started_on": "2024-04-22", "completed_on": "2024-05-06", "legality": "legal",
                 "summary": "法规处出具合法性审查意见"},
    "collective": {"started_on": "2024-05-10", "completed_on": "2024-05-10",
                   "meeting": "局党委会", "summary": "集体讨论通过"},
}


@pytest.fixture
def staff(make_user, agencies):
    return {role: make_user(role, agency=agencies["city"], password=API_PASSWORD)
            for role in ("officer", "reviewer", "leader")}


@pytest.fixture
def clients(staff):
    out = {}
    for role, user in staff.items():
        out[role] = Client()
        out[role].force_login(user)
    return out


@pytest.fixture
def decision(clients):
    clients["officer"].post("/policy/decisions/", {"year": "2024", "published_on": "2024-02-01"})
    catalogue = DecisionCatalogue.objects.get()
    response = clients["officer"].post(f"/policy/decisions/catalogues/{catalogue.pk}/add/", {
        "title": "嘉兴市危险化学品企业安全设施变更管理规定",
        "undertaker": "危险化学品安全监督管理处",
        "planned_by": "2024年6月", "summary": "规范安全设施变更"})
    decision = MajorDecision.objects.get()
    assert response.url == f"/policy/decisions/{decision.pk}/"
    return decision


def _record(clients, decision, kind: str, **override):
    role = "reviewer" if kind == "legality" else "officer"
    data = {"kind": kind, **{f"{kind}-{k}": v for k, v in {**STEPS[kind], **override}.items()},
            f"{kind}-kind": kind}
    return clients[role].post(f"/policy/decisions/{decision.pk}/act/step/", data)


def _messages(response) -> list[str]:
    """The error messages the page shows after the redirect."""
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def test_adoption_refused_with_missing_steps(clients, staff, decision):
    for kind in ("public", "legality", "collective"):
        _record(clients, decision, kind)
    api = token_client(staff["leader"])
    response = api.post(f"/api/v1/policy/decisions/{decision.pk}/adopt",
                        {"adopted_on": "2024-05-10", "decision_text": "通过"},
                        content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "专家论证" in detail and "第十九条" in detail
    assert "风险评估" in detail and "第二十二条" in detail
    assert "公众参与" not in detail
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_PROGRESS and decision.adopted_on is None
    # the page says the same before the button
    page = clients["leader"].get(f"/policy/decisions/{decision.pk}/").content.decode()
    assert "缺少法定程序「专家论证」" in page


def test_short_comment_period_needs_a_reason(clients, decision):
    response = _record(clients, decision, "public", comment_until="2024-03-30")
    assert any("不足30日" in m for m in _messages(response))
    assert not decision.steps.exists()
    _record(clients, decision, "public", comment_until="2024-03-30",
            urgent_reason="汛期前须出台")
    assert decision.steps.get().urgent_reason == "汛期前须出台"


def test_legality_step_is_the_legal_department_s(clients, decision):
    data = {"kind": "legality", "legality-kind": "legality",
            **{f"legality-{k}": v for k, v in STEPS["legality"].items()}}
    response = clients["officer"].post(f"/policy/decisions/{decision.pk}/act/step/", data)
    assert any("无权" in m for m in _messages(response))
    assert not decision.steps.exists()


def test_all_five_steps_then_adopted_published_evaluated(clients, staff, decision, settings,
                                                          tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for kind in STEPS:
        response = _record(clients, decision, kind)
        assert response.status_code == 302 and not _messages(response), _messages(response)
    clients["officer"].post(f"/policy/decisions/{decision.pk}/act/comment/", {
        "received_on": "2024-03-15", "source": "企业", "content": "建议明确变更分类",
        "adopted": "1", "response": "已采纳"})
    upload = SimpleUploadedFile("论证意见.pdf", b"%PDF-1.4 expert opinion")
    clients["officer"].post(f"/policy/decisions/{decision.pk}/act/file/",
                            {"step": "expert", "file": upload})
    step = decision.steps.get(kind="expert")
    assert step.files.get().original_name == "论证意见.pdf"
    assert decision.steps.get(kind="public").comments.count() == 1
    # officers cannot decide; the leader can
    decision.refresh_from_db()
    data = {"version": decision.version, "adopted_on": "2024-05-10", "decision_text": "同意印发"}
    response = clients["officer"].post(f"/policy/decisions/{decision.pk}/act/adopt/", data)
    assert any("无权" in m for m in _messages(response))
    response = clients["leader"].post(f"/policy/decisions/{decision.pk}/act/adopt/", data)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED, _messages(response)
    # no step can change after the decision
    response = _record(clients, decision, "risk", risk_level="high")
    assert decision.steps.get(kind="risk").risk_level == "low"
    clients["officer"].post(f"/policy/decisions/{decision.pk}/act/publish/", {
        "published_on": "2024-05-20", "published_where": "市应急管理局门户网站"})
    clients["officer"].post(f"/policy/decisions/{decision.pk}/act/evaluate/", {
        "evaluated_on": "2025-05-20", "evaluator": "政策法规处", "conclusion": "实施效果良好"})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PUBLISHED
    assert decision.evaluations.count() == 1
    actions = list(Event.objects.filter(object_type="policy.majordecision",
                                        object_id=str(decision.pk)).values_list("action",
                                                                                flat=True))
    assert actions.count("policy.decision.step_recorded") == 5
    assert {"policy.decision.adopted", "policy.decision.published",
            "policy.decision.evaluated", "policy.decision.file_added",
            "policy.decision.comment_added"} <= set(actions)
    api = token_client(staff["officer"])
    detail = api.get(f"/api/v1/policy/decisions/{decision.pk}").json()
    assert [s["kind"] for s in detail["steps"]] == list(STEPS) and detail["gaps"] == []


def test_comment_outside_the_period_is_refused(clients, decision):
    _record(clients, decision, "public")
    response = clients["officer"].post(f"/policy/decisions/{decision.pk}/act/comment/", {
        "received_on": "2024-04-02", "source": "公众", "content": "意见"})
    assert any("不在公开征求意见期间内" in m for m in _messages(response))


def test_scoping(clients, decision, make_user, agencies):
    county = Client()
    county.force_login(make_user("leader", agency=agencies["nanhu"]))
    assert county.get(f"/policy/decisions/{decision.pk}/").status_code == 404
    assert county.post(f"/policy/decisions/{decision.pk}/act/adopt/", {}).status_code == 404
    api = token_client(make_user("officer", agency=agencies["nanhu"], password=API_PASSWORD))
    assert api.get(f"/api/v1/policy/decisions/{decision.pk}").status_code == 404
    assert api.get("/api/v1/policy/decisions").json()["count"] == 0
    own = token_client(make_user("officer", agency=agencies["city"], password=API_PASSWORD))
    listed = own.get("/api/v1/policy/decisions?year=2024").json()
    assert [d["id"] for d in listed["items"]] == [decision.pk]
    assert listed["items"][0]["status"] == "catalogued"
