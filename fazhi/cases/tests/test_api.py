"""Cases in the JSON API: the list and a case scoped like the pages, the moves open to
the caller, a move through the workflow, and refusals (a stale version, an unmet gate,
another county) answered in Chinese with nothing changed."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
from decimal import Decimal
from types import SimpleNamespace

import docx
import pytest
from django.test import Client
from django.utils import timezone

from fazhi.cases import documents, services
from fazhi.cases.models import (
    CaseParty,
    CaseSource,
    CaseStatus,
    Outcome,
    PartyDecision,
    PartyKind,
    PenaltyCase,
)
from fazhi.cases.services import case_details_set
from fazhi.cases.services.documents import DOCUMENT_ISSUED
from fazhi.cases.tests.test_filing import FILED, _world
from fazhi.cases.tests.worlds import (
    REPORTED,
    TRAINING_ITEM,
    case_in_review,
    fresh,
    load_work_safety_catalogue,
)
from fazhi.core.models import Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.tokens import token_issue

pytestmark = pytest.mark.django_db
API = "/api/v1/cases"
DOCX = documents.DOCX_CONTENT_TYPE
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MONEY = re.compile(r"\d+\.\d{2}")


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


# --- the list's filters -------------------------------------------------------------------------

def _row(officer, enterprise, **fields) -> PenaltyCase:
    """A case written as a row (the filters only read): in `enterprise`'s place."""
    values = {"agency": officer.agency, "enterprise": enterprise,
              "jurisdiction": enterprise.jurisdiction, "source": CaseSource.INSPECTION,
              "facts": "测试案件", "discovered_on": datetime.date(2024, 3, 1),
              "created_by": officer}
    values.update(fields)
    return PenaltyCase.objects.create(**values)


@pytest.fixture
def listed(make_user, make_enterprise, jurisdictions, agencies):
    """Five cases: four in 南湖区 (one by the town station), one in 秀洲区."""
    officer = make_user(Role.OFFICER)
    station = make_user(Role.OFFICER, agency=agencies["nanhu_town"])
    outsider = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    first = make_enterprise(jurisdictions["nanhu_town"], name="南湖精细化工有限公司")
    second = make_enterprise(jurisdictions["nanhu_town"], name="解放街道五金加工厂")
    today = timezone.localdate()
    cases = SimpleNamespace(officer=officer, outsider=outsider, first=first, second=second)
    cases.lead = _row(officer, second, source=CaseSource.TIP)
    # filed in 2024, its 30-day decision period long past and nothing decided: overdue
    cases.late = _row(officer, first, status=CaseStatus.INVESTIGATION,
                      number="南应急立〔2024〕7号", filed_on=datetime.date(2024, 3, 4),
                      decision_due=datetime.date(2024, 4, 3))
    cases.decided = _row(officer, first, status=CaseStatus.SERVED, number="南应急立〔2023〕2号",
                         filed_on=datetime.date(2023, 2, 1),
                         decision_due=datetime.date(2023, 3, 3),
                         discovered_on=datetime.date(2023, 1, 20))
    party = CaseParty.objects.create(case=cases.decided, kind=PartyKind.UNIT, name=first.name)
    PartyDecision.objects.create(party=party, outcome=Outcome.NO_PENALTY, exempt_ground="first",
                                 number="南应急不罚〔2023〕1号",
                                 decided_on=datetime.date(2023, 2, 20),
                                 served_on=datetime.date(2023, 2, 21))
    cases.station = _row(station, second, source=CaseSource.ACCIDENT,
                         status=CaseStatus.CASE_REVIEW, number="解放应急立〔2024〕1号",
                         filed_on=datetime.date(2024, 6, 3),
                         decision_due=today + datetime.timedelta(days=30))
    elsewhere = make_enterprise(jurisdictions["xiuzhou_town"])
    cases.elsewhere = _row(outsider, elsewhere, status=CaseStatus.INVESTIGATION,
                           number="秀应急立〔2024〕3号", filed_on=datetime.date(2024, 3, 4),
                           decision_due=datetime.date(2024, 4, 3))
    return cases


def _ids(client, query: str = "") -> set[int]:
    response = client.get(f"{API}?page_size=100{query}")
    assert response.status_code == 200, response.content.decode()
    return {item["id"] for item in response.json()["items"]}


def test_each_filter_narrows_the_list_within_the_users_scope(listed):
    c = listed
    officer = client_for(c.officer)
    everything = {c.lead.pk, c.late.pk, c.decided.pk, c.station.pk}
    assert _ids(officer) == everything
    assert _ids(officer, "&status=investigation") == {c.late.pk}
    assert _ids(officer, "&source=tip") == {c.lead.pk}
    assert _ids(officer, "&source=accident&status=") == {c.station.pk}  # blank: any
    assert _ids(officer, "&year=2024") == {c.late.pk, c.station.pk}
    assert _ids(officer, "&year=2023") == {c.decided.pk}
    assert _ids(officer, f"&enterprise={c.first.pk}") == {c.late.pk, c.decided.pk}
    agency = c.station.agency_id
    assert _ids(officer, f"&agency={agency}") == {c.station.pk}
    assert _ids(officer, "&q=〔2023〕") == {c.decided.pk}
    assert _ids(officer, "&q=五金加工") == {c.lead.pk, c.station.pk}
    assert _ids(officer, "&overdue=true") == {c.late.pk}
    assert _ids(officer, "&overdue=false") == everything - {c.late.pk}
    assert _ids(officer, "&decided_from=2023-02-01&decided_to=2023-02-28") == {c.decided.pk}
    assert _ids(officer, "&decided_from=2023-02-21") == set()
    assert _ids(officer, "&decided_to=2023-02-20") == {c.decided.pk}
    # the list item names the agency and the source
    item = officer.get(f"{API}?status=case_review").json()["items"][0]
    assert item["agency_name"] == "南湖区解放街道应急消防管理站"
    assert item["source_label"] == "事故调查"
    # another county: only its own case, whatever the filter
    outsider = client_for(c.outsider)
    assert _ids(outsider) == {c.elsewhere.pk}
    assert _ids(outsider, f"&enterprise={c.first.pk}") == set()
    assert _ids(officer, "&q=秀应急") == set()


@pytest.mark.parametrize(("query", "label"), [
    ("status=nonsense", "办理阶段"),
    ("source=rumour", "案件来源"),
    ("year=1800", "立案年度"),
    ("year=abc", "立案年度"),
    ("enterprise=0", "当事单位"),
    ("agency=-1", "执法机关"),
    ("overdue=perhaps", "逾期"),
    ("decided_from=2024-13-01", "决定日期起"),
    ("decided_to=9999-01-01", "决定日期止"),
    ("decided_from=2024-06-02&decided_to=2024-06-01", "决定日期起"),
    ("q=" + "案" * 101, "关键词"),
])
def test_a_bad_filter_is_a_422_in_chinese(listed, query, label):
    response = client_for(listed.officer).get(f"{API}?{query}")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("输入有误。") and label in detail, detail


def test_another_countys_case_is_not_found(listed):
    outsider = client_for(listed.outsider)
    assert outsider.get(f"{API}/{listed.late.pk}").status_code == 404
    response = outsider.get(f"{API}/{listed.late.pk}/documents/filing")
    assert response.status_code == 404 and response.json()["detail"] == "未找到"
    assert client_for(listed.officer).get(f"{API}/{listed.elsewhere.pk}").status_code == 404


# --- a decided case in detail -------------------------------------------------------------------

ON = REPORTED + datetime.timedelta(days=2)
DAY = datetime.timedelta(days=1)
FINE = Decimal("12345.60")  # the handler's proposal (test input), within the statute


def _fresh_move(actor, case, action, on):
    case = fresh(case)
    return services.case_transition(actor=actor, case=case, action=action,
                                    version=case.version, on=on)


def _decided_world(make_user, make_enterprise, jurisdictions, users):
    """一案双罚 through the services: the unit fined, its principal not penalised (首违);
    the engine asks for legal review (two rounds, one opinion) and collective discussion;
    notice served, the unit waives its statement, decision, the unit's decision served,
    and its principal transferred to the police for detention."""
    load_work_safety_catalogue()
    officers, case = case_in_review(make_user, make_enterprise, jurisdictions, users)
    officer, leader, reviewer = officers[0], users[Role.LEADER], users[Role.REVIEWER]
    unit, principal = case.parties.order_by("id")
    case = fresh(case)
    services.party_decision_propose(
        actor=officer, case=case, version=case.version, party=unit, outcome="penalty",
        reason="未对新入职从业人员进行安全生产教育和培训", item_code=TRAINING_ITEM,
        measures=["order_correct_within_deadline", "fine"], fine=FINE, on=ON)
    case = fresh(case)
    services.party_decision_propose(
        actor=officer, case=case, version=case.version, party=principal,
        outcome="no_penalty", reason="初次违法，已组织补训", item_code=TRAINING_ITEM,
        exempt_ground="first", on=ON)
    case = fresh(case)
    services.case_assess(actor=officer, case=case, version=case.version,
                         facts={"complex": True}, on=ON)
    stage = SimpleNamespace(proposed=fresh(case))
    _fresh_move(officer, case, "submit_legal_review", ON)
    case = fresh(case)
    opinion = services.review_opinion_add(actor=reviewer, case=case, version=case.version,
                                          issue="违法事实中培训人数与询问笔录不一致",
                                          law="《行政处罚法》第五条第二款", suggestion="核实后修改")
    case = fresh(case)
    services.legal_review_conclude(actor=reviewer, case=case, version=case.version,
                                   conclusion="modify", summary="按意见修改", on=ON)
    case = fresh(case)
    services.review_opinion_answer(actor=officer, case=case, version=case.version,
                                   opinion=opinion, answer="已核实", on=ON)
    _fresh_move(officer, case, "submit_legal_review", ON + DAY)
    case = fresh(case)
    services.legal_review_conclude(actor=reviewer, case=case, version=case.version,
                                   conclusion="agree", on=ON + DAY)
    _fresh_move(leader, case, "submit_collective", ON + 2 * DAY)
    case = fresh(case)
    services.collective_discussion_record(
        actor=leader, case=case, version=case.version, date=ON + 2 * DAY, host="局长",
        attendees=["局长", "副局长甲"], opinions=[{"name": "副局长甲", "opinion": "同意"}],
        conclusion="同意承办人处理意见")
    _fresh_move(leader, case, "approve_notice", ON + 3 * DAY)
    served = ON + 4 * DAY
    case = fresh(case)
    services.notice_served(actor=officer, case=case, version=case.version, served_on=served)
    case = fresh(case)
    services.statement_record(actor=officer, case=case, version=case.version, party=unit,
                              received_on=served, waived=True)
    _fresh_move(leader, case, "decide", served)
    case = fresh(case)
    services.decision_served_record(actor=officer, case=case, version=case.version,
                                    decision=PartyDecision.objects.get(party=unit),
                                    served_on=served + DAY, method="直接送达",
                                    recipient="陈小红")
    case = fresh(case)
    services.transfer_record(actor=officer, case=case, version=case.version,
                             kind="detention", receiver="嘉兴市公安局南湖区分局",
                             persons=["周建华（330402198001011234）"],
                             facts="拒不执行停产停业决定", on=served + DAY)
    stage.case, stage.officers, stage.unit, stage.principal = fresh(case), officers, unit, principal
    return stage


@pytest.fixture
def decided(make_user, make_enterprise, jurisdictions, users):
    return _decided_world(make_user, make_enterprise, jurisdictions, users)


def _party(body, kind):
    return next(p for p in body["parties"] if p["kind"] == kind)


def test_the_detail_of_a_decided_case(decided):
    case = decided.case
    response = client_for(decided.officers[1]).get(f"{API}/{case.pk}")
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    raw = response.content.decode()
    unit_row = PartyDecision.objects.get(party=decided.unit)
    principal_row = PartyDecision.objects.get(party=decided.principal)

    unit = _party(body, "unit")["decision"]
    assert unit["outcome"] == "penalty" and unit["item"] == TRAINING_ITEM
    assert unit["measure_labels"] == ["责令限期改正", "罚款"]
    assert unit["fine"] == "12345.60" and unit["confiscation"] == "0.00"
    # the engine's ranges as stored, two decimals, strings
    for name in ("statutory_min", "statutory_max", "recommended_min", "recommended_max"):
        assert unit[name] == f"{getattr(unit_row, name):.2f}", name
    assert Decimal(unit["statutory_min"]) <= FINE <= Decimal(unit["statutory_max"])
    assert unit["number"] == unit_row.number != "" and unit["decided_on"] == str(
        unit_row.decided_on)
    assert unit["served_on"] == str(unit_row.served_on)
    assert unit["payment_due"] == str(unit_row.payment_due)
    assert unit["hearing_rights"] is unit_row.hearing_rights
    assert {c["applies_to"] for c in unit["citations"]} >= {"provision_applied"}
    principal = _party(body, "principal")["decision"]
    assert principal["outcome"] == "no_penalty" and principal["exempt_ground"] == "first"
    assert principal["waived_amount"] == f"{principal_row.waived_amount:.2f}"
    assert principal["fine"] == "0.00" and principal["served_on"] is None
    # money is never a JSON number: yuan as strings with two decimals
    for decision in (unit, principal):
        for name in ("fine", "confiscation", "waived_amount", "statutory_max"):
            if decision[name] is not None:
                assert MONEY.fullmatch(decision[name]), (name, decision[name])

    assessment = body["assessment"]
    assert assessment["review_required"] is True and assessment["collective_required"] is True
    assert assessment["review_grounds"] == case.assessment["legal_review"]["grounds"]
    assert assessment["review_citations"] == case.assessment["legal_review"]["citations"]
    assert assessment["collective_citations"] == case.assessment["collective"]["citations"]

    keys = {d["key"] for d in body["deadlines"]}
    assert {"decision", "service", "publicity", "payment"} <= keys
    service = next(d for d in body["deadlines"]
                   if d["key"] == "service" and d["party"] == decided.unit.name)
    assert service["done_on"] == str(unit_row.served_on) and service["overdue"] is False
    assert service["citations"]

    docs = {(d["kind"], d["object"]): d for d in body["documents"]}
    decision_doc = docs[("penalty_decision", unit_row.pk)]
    assert decision_doc["available"] is True and decision_doc["title"] == "行政处罚决定书"
    assert decision_doc["url"] == (f"{API}/{case.pk}/documents/penalty_decision"
                                   f"?obj={unit_row.pk}")
    assert ("penalty_decision", principal_row.pk) not in docs  # not penalised
    assert docs[("no_penalty_decision", principal_row.pk)]["available"] is True
    unserved = docs[("service", principal_row.pk)]
    assert unserved["available"] is False and unserved["url"] is None
    assert unserved["reason"] == f"尚未登记对{decided.principal.name}的送达情况，不能制作送达回证"
    assert docs[("closure", None)]["available"] is True
    assert [d["object"] for d in body["documents"] if d["kind"] == "legal_review"] == list(
        case.legal_reviews.order_by("round").values_list("pk", flat=True))

    assert [(r["round"], r["conclusion"], r["opinions"]) for r in body["legal_reviews"]] == [
        (1, "modify", 1), (2, "agree", 0)]
    [transfer] = body["transfers"]
    assert transfer["kind"] == "detention" and transfer["persons_count"] == 1
    assert transfer["persons"] == ["周建华（330402********1234）"]
    # no personal ID number anywhere: neither the transfer's nor the principal's own
    assert "330402198001011234" not in raw
    assert decided.principal.person.id_number not in raw


def test_the_enterprise_sees_its_decisions_but_not_the_internal_records(decided, make_user):
    case = decided.case
    owner = client_for(make_user(Role.ENTERPRISE, enterprise=case.enterprise))
    body = owner.get(f"{API}/{case.pk}").json()
    assert _party(body, "unit")["decision"]["fine"] == "12345.60"
    assert body["legal_reviews"] is None and body["moves"] == []
    assert body["transfers"][0]["persons"] is None
    assert body["transfers"][0]["persons_count"] == 1
    assert {d["kind"] for d in body["documents"]} == {
        "penalty_decision", "no_penalty_decision", "service"}
    response = owner.get(f"{API}/{case.pk}/documents/handling")
    assert response.status_code == 403 and "内部文书" in response.json()["detail"]
    stranger = client_for(make_user(Role.ENTERPRISE))
    assert stranger.get(f"{API}/{case.pk}").status_code == 404


def test_the_enterprise_does_not_see_a_proposal_before_the_decision(make_user, make_enterprise,
                                                                    jurisdictions, users):
    load_work_safety_catalogue()
    officers, case = case_in_review(make_user, make_enterprise, jurisdictions, users,
                                    principal=False)
    unit = case.parties.get()
    services.party_decision_propose(
        actor=officers[0], case=case, version=case.version, party=unit, outcome="penalty",
        reason="未培训", item_code=TRAINING_ITEM, measures=["fine"], fine=FINE, on=ON)
    staff = client_for(officers[0]).get(f"{API}/{case.pk}").json()
    assert staff["parties"][0]["decision"]["fine"] == "12345.60"
    assert staff["assessment"]["review_required"] is None  # not assessed yet
    owner = client_for(make_user(Role.ENTERPRISE, enterprise=case.enterprise))
    body = owner.get(f"{API}/{case.pk}").json()
    assert body["parties"][0]["decision"] is None
    assert body["documents"] == []  # not even which decision document is coming


# --- documents ----------------------------------------------------------------------------------

def test_a_document_downloads_as_docx_and_is_recorded(decided):
    case = decided.case
    officer = client_for(decided.officers[1])
    unit_row = PartyDecision.objects.get(party=decided.unit)
    response = officer.get(f"{API}/{case.pk}/documents/penalty_decision?obj={unit_row.pk}")
    assert response.status_code == 200, response.content.decode()
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    data = response.content
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert unit_row.number in text and "行政处罚决定书" in text
    event = object_events(case).filter(action=DOCUMENT_ISSUED).get()
    assert event.actor == decided.officers[1]
    assert event.payload["object"] == unit_row.pk
    assert event.payload["sha256"] == hashlib.sha256(data).hexdigest()
    # case-wide documents need no obj
    assert officer.get(f"{API}/{case.pk}/documents/closure").status_code == 200


def test_a_document_not_ready_is_a_422_with_the_reason(decided):
    case = decided.case
    officer = client_for(decided.officers[1])
    events = Event.objects.count()
    principal_row = PartyDecision.objects.get(party=decided.principal)
    response = officer.get(f"{API}/{case.pk}/documents/service?obj={principal_row.pk}")
    assert response.status_code == 422
    assert response.json()["detail"] == (
        f"尚未登记对{decided.principal.name}的送达情况，不能制作送达回证")
    response = officer.get(f"{API}/{case.pk}/documents/penalty_decision")
    assert response.status_code == 422 and "应指明" in response.json()["detail"]
    response = officer.get(f"{API}/{case.pk}/documents/nonsense")
    assert response.status_code == 422 and "文书种类" in response.json()["detail"]
    # a record of another case is not this case's
    other = PartyDecision.objects.exclude(party__case=case).values_list("pk", flat=True)
    missing = max([principal_row.pk, *other]) + 1
    response = officer.get(f"{API}/{case.pk}/documents/penalty_decision?obj={missing}")
    assert response.status_code == 404
    assert Event.objects.count() == events


# --- the OpenAPI document -----------------------------------------------------------------------

def test_openapi_documents_the_case_endpoints_in_chinese(db):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path, method in (("/api/v1/cases", "get"), ("/api/v1/cases/{id}", "get"),
                         ("/api/v1/cases/{id}/transitions", "post"),
                         ("/api/v1/cases/{id}/documents/{kind}", "get")):
        operation = paths[path][method]
        assert CHINESE.search(operation["summary"]) and CHINESE.search(
            operation["description"]), path
    listing = {p["name"]: p for p in paths["/api/v1/cases"]["get"]["parameters"]}
    assert {"status", "source", "year", "enterprise", "agency", "q", "overdue",
            "decided_from", "decided_to", "page", "page_size"} <= set(listing)
    download = paths["/api/v1/cases/{id}/documents/{kind}"]["get"]
    assert download["summary"] == "下载案件文书"
    content = download["responses"]["200"]["content"]
    assert content[DOCX]["schema"] == {"type": "string", "format": "binary"}
    assert {"403", "404", "422"} <= set(download["responses"])
    kinds = json.dumps(schema)
    assert all(f'"{kind}"' in kinds for kind in documents.DOCUMENTS)
