"""Each cases indicator moves when a case is added or decided through the API: leads
registered with `POST /api/v1/cases`, moved with `POST /api/v1/cases/{id}/transitions`
(the records between the moves written by the services, as the case page's forms
write them). The figures are read through the registry (`get_indicator(...).evaluate`)
for 2024 and 嘉兴市 before and after each step, and the test asserts exactly which
figures moved and by how much — the amounts from the decisions' own records.

The cases are the city bureau's (嘉兴市应急管理局): asked for the city, its bureau-scope
figures (法制审核, 集体讨论) count only the city bureau's own cases."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.cases import services
from fazhi.cases.models import (
    CaseSource,
    CaseStatus,
    PartyDecision,
    PartyKind,
    Payment,
    PenaltyCase,
    Remedy,
    Transfer,
)
from fazhi.cases.tests.test_api import client_for as api_client
from fazhi.cases.tests.test_indicators import IDS
from fazhi.cases.tests.worlds import TRAINING_ITEM, fresh, load_work_safety_catalogue
from fazhi.core.models import Event, Role
from fazhi.core.tests.factories import make_id_number
from fazhi.inspection.tests.test_services import certify
from fazhi.reports.registry import Period, get_indicator
from fazhi.subjects.models import ResponsiblePerson

pytestmark = pytest.mark.django_db
API = "/api/v1/cases"
YEAR = Period.for_year(2024)
DAY = datetime.timedelta(days=1)
DISCOVERED = datetime.date(2024, 5, 6)
FILED = datetime.date(2024, 5, 8)
REPORTED = datetime.date(2024, 5, 20)
# 安全生产法(2021) 第一百零五条第（二）项: at the first finding the unit AND its responsible
# persons are fined (一案双罚), each within its own range (catalogue yaml).
DUAL_ITEM = "WSL2021-105-02"


def figures(jurisdiction) -> dict:
    return {key: get_indicator(key).evaluate(YEAR, jurisdiction) for key in IDS}


def moved(before: dict, after: dict) -> dict:
    """The figures that changed, with the change."""
    return {key: after[key] - before[key] for key in IDS if after[key] != before[key]}


@pytest.fixture
def desk(make_user, make_enterprise, jurisdictions, agencies):
    """The city bureau's people, an enterprise in 解放街道 with its principal, the
    catalogue; `watch()` reads the city's figures."""
    load_work_safety_catalogue()
    city = agencies["city"]
    officers = [certify(make_user(Role.OFFICER, agency=city)) for _ in range(2)]
    enterprise = make_enterprise(jurisdictions["nanhu_town"])
    principal = ResponsiblePerson.objects.create(
        enterprise=enterprise, kind=ResponsiblePerson.Kind.PRINCIPAL, name="周建华",
        id_number=make_id_number(7))
    return SimpleNamespace(
        officers=officers, officer=officers[0], enterprise=enterprise, principal=principal,
        leader=make_user(Role.LEADER, agency=city),
        reviewer=make_user(Role.REVIEWER, agency=city),
        owner=make_user(Role.ENTERPRISE, enterprise=enterprise), api={},
        watch=lambda: figures(jurisdictions["city"]), county=jurisdictions["nanhu"])


def client(desk, user) -> Client:
    if user.pk not in desk.api:
        desk.api[user.pk] = api_client(user)
    return desk.api[user.pk]


def register(desk, *, source: str, items: list[str]) -> PenaltyCase:
    """A lead through the API, the second officer named as handler."""
    response = client(desk, desk.officer).post(API, {
        "enterprise": desk.enterprise.pk, "source": source, "facts": "群众举报该单位安全出口被锁闭",
        "discovered_on": DISCOVERED.isoformat(), "items": items,
        "handlers": [desk.officers[1].pk]}, content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    return PenaltyCase.objects.get(pk=response.json()["id"])


def move(desk, user, case, action: str, on: datetime.date, **extra) -> PenaltyCase:
    response = client(desk, user).post(f"{API}/{case.pk}/transitions", {
        "action": action, "version": fresh(case).version, "on": on.isoformat(), **extra},
        content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    return fresh(case)


def file(desk, case) -> PenaltyCase:
    case = services.case_details_set(actor=desk.officer, case=case, version=case.version,
                                     violation_date=DISCOVERED)
    move(desk, desk.officer, case, "submit_filing", FILED)
    return move(desk, desk.leader, case, "approve_filing", FILED)


def investigate(desk, case, *, principal: bool = False) -> PenaltyCase:
    """Parties, one evidence item and the report; then 调查终结 through the API."""
    for kind, person in ((PartyKind.UNIT, None),
                         *([(PartyKind.PRINCIPAL, desk.principal)] if principal else [])):
        services.case_party_add(actor=desk.officer, case=fresh(case),
                                version=fresh(case).version, kind=kind, person=person)
    services.evidence_item_add(actor=desk.officer, case=fresh(case), version=fresh(case).version,
                               kind="record", name="现场检查笔录", source="承办人员制作",
                               proves="安全出口被锁闭", collected_on=FILED)
    services.investigation_report_save(actor=desk.officer, case=fresh(case),
                                       version=fresh(case).version, date=REPORTED,
                                       facts="该公司生产车间安全出口被锁闭", proposal="依法处理")
    return move(desk, desk.officer, case, "submit_case_review", REPORTED)


def propose(desk, case, kind: str, **fields) -> PartyDecision:
    fields.setdefault("reason", "违法事实清楚，证据确凿")
    return services.party_decision_propose(
        actor=desk.officer, case=fresh(case), version=fresh(case).version,
        party=case.parties.get(kind=kind), on=REPORTED, **fields)


def assess(desk, case, **facts) -> PenaltyCase:
    return services.case_assess(actor=desk.officer, case=fresh(case),
                                version=fresh(case).version, facts=facts, on=REPORTED)


# --- a dual, non-site case: filed, decided, paid, repaired, challenged ------------------------

def test_a_non_site_dual_penalty_case_moves_its_figures_step_by_step(desk):
    before = desk.watch()
    case = register(desk, source=CaseSource.NON_SITE, items=[DUAL_ITEM])
    assert desk.watch() == before  # a lead is not a case yet
    case = file(desk, case)
    assert moved(before, after := desk.watch()) == {
        "cases.count": 1, "cases.offsite": 1, "cases.online_rate": Decimal("100.0")}

    case = investigate(desk, case, principal=True)
    unit = propose(desk, case, PartyKind.UNIT, outcome="penalty", item_code=DUAL_ITEM,
                   measures=["order_correct_within_deadline", "fine"], fine=Decimal("30000"))
    person = propose(desk, case, PartyKind.PRINCIPAL, outcome="penalty", item_code=DUAL_ITEM,
                     measures=["fine"], fine=Decimal("5000"))
    assert not (unit.hearing_rights or person.hearing_rights)  # below 较大数额: no hearing
    assess(desk, case)
    move(desk, desk.officer, case, "submit_approval", REPORTED)
    case = move(desk, desk.leader, case, "approve_notice", REPORTED + DAY)
    served = REPORTED + 2 * DAY
    services.notice_served(actor=desk.officer, case=case, version=case.version,
                           served_on=served)
    for party in case.parties.all():
        services.statement_record(actor=desk.officer, case=fresh(case),
                                  version=fresh(case).version, party=party,
                                  received_on=served, waived=True)
    decided = served + DAY
    assert desk.watch() == after  # proposals are not decisions
    case = move(desk, desk.leader, case, "decide", decided)
    assert case.status == CaseStatus.DECIDED
    unit.refresh_from_db()
    person.refresh_from_db()
    assert moved(after, after := desk.watch()) == {
        "cases.dual_penalty": 1,
        "cases.fines_confiscations": unit.amount_due + person.amount_due}

    # served and paid; the enterprise repairs its credit once the minimum period ran
    for decision in (unit, person):
        services.decision_served_record(actor=desk.officer, case=fresh(case),
                                        version=fresh(case).version, decision=decision,
                                        served_on=decided + DAY, method="直接送达",
                                        recipient="李明")
    case = move(desk, desk.officer, case, "serve", decided + DAY)
    for decision in (unit, person):
        services.payment_record(actor=desk.officer, case=fresh(case),
                                version=fresh(case).version, decision=decision,
                                kind=Payment.Kind.PRINCIPAL, amount=decision.amount_due,
                                paid_on=decided + 2 * DAY)
    credit = PartyDecision.objects.get(pk=unit.pk).credit
    application = services.credit_repair_apply(actor=desk.owner, credit=credit,
                                               statement="已缴清罚款并完成整改",
                                               on=credit.earliest_repair)
    assert desk.watch() == after  # applied is not repaired
    services.credit_repair_decide(actor=desk.officer, application=application, approve=True,
                                  reason="符合修复条件", on=credit.earliest_repair)
    assert moved(after, after := desk.watch()) == {"credit.repaired_units": 1}

    # the principal's decision revoked on reconsideration; the unit loses a lawsuit
    for decision, kind, result, figure in (
            (person, Remedy.Kind.RECONSIDERATION, Remedy.Result.REVOKED,
             "reconsideration.overturned"),
            (unit, Remedy.Kind.LITIGATION, Remedy.Result.LOST, "litigation.lost")):
        remedy = services.remedy_record(actor=desk.officer, decision=decision, kind=kind,
                                        filed_on=decided + 10 * DAY, body="嘉兴市人民政府")
        assert desk.watch() == after  # pending: nothing decided yet
        services.remedy_conclude(actor=desk.officer, remedy=remedy, result=result,
                                 decided_on=decided + 60 * DAY)
        assert moved(after, after := desk.watch()) == {figure: 1}


# --- an exempt case after legal review and collective discussion -----------------------------

def test_an_exempt_case_moves_review_discussion_and_exempt_figures(desk):
    case = register(desk, source=CaseSource.TIP, items=[TRAINING_ITEM])
    case = investigate(desk, file(desk, case))
    before = desk.watch()
    decision = propose(desk, case, PartyKind.UNIT, outcome="no_penalty", item_code=TRAINING_ITEM,
                       exempt_ground="minor")
    assert decision.waived_amount == decision.suggested > 0  # the engine's fine, waived
    case = assess(desk, case, complex=True)
    assert case.review_required and case.collective_required

    # 法制审核: two opinions sent back, answered, then agreed in a second round
    case = move(desk, desk.officer, case, "submit_legal_review", REPORTED)
    opinions = [services.review_opinion_add(
        actor=desk.reviewer, case=fresh(case), version=fresh(case).version, issue=issue,
        law="《行政处罚法》第三十三条第一款", suggestion="补充说明") for issue in (
        "未写明及时改正的证据", "危害后果轻微的认定依据不足")]
    services.legal_review_conclude(actor=desk.reviewer, case=fresh(case),
                                   version=fresh(case).version, conclusion="modify",
                                   on=REPORTED + DAY)
    assert moved(before, after := desk.watch()) == {
        "review.legal.cases": 1, "review.legal.opinions": len(opinions)}
    for opinion in opinions:
        services.review_opinion_answer(actor=desk.officer, case=fresh(case),
                                       version=fresh(case).version, opinion=opinion,
                                       answer="已补充", on=REPORTED + DAY)
    move(desk, desk.officer, case, "submit_legal_review", REPORTED + 2 * DAY)
    case = services.legal_review_conclude(actor=desk.reviewer, case=fresh(case),
                                          version=fresh(case).version, conclusion="agree",
                                          on=REPORTED + 2 * DAY)
    assert case.status == CaseStatus.APPROVAL
    assert desk.watch() == after  # a second round of the same case is not another case
    # bureau scope: the city bureau's case is not the 南湖区 bureau's
    assert get_indicator("review.legal.cases").evaluate(YEAR, desk.county) == 0

    # 集体讨论, then the decision without a notice (nobody is penalised)
    case = move(desk, desk.leader, case, "submit_collective", REPORTED + 3 * DAY)
    services.collective_discussion_record(
        actor=desk.leader, case=case, version=case.version, date=REPORTED + 3 * DAY,
        host="局长", attendees=["局长", "副局长"], opinions=[{"name": "副局长", "opinion": "同意"}],
        conclusion="同意不予行政处罚")
    assert moved(after, after := desk.watch()) == {"review.collective.cases": 1}
    case = move(desk, desk.leader, case, "decide", REPORTED + 4 * DAY)
    decision.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and decision.number
    assert moved(after, desk.watch()) == {"cases.exempt": 1,
                                          "cases.exempt.waived_amount": decision.waived_amount}


# --- transfers to the police -------------------------------------------------------------------

def test_transfers_move_the_transfer_figures(desk):
    case = file(desk, register(desk, source=CaseSource.TIP, items=[TRAINING_ITEM]))
    before = desk.watch()

    def transfer(kind: str, persons: list[str]) -> Transfer:
        return services.transfer_record(
            actor=desk.officer, case=fresh(case), version=fresh(case).version, kind=kind,
            receiver="嘉兴市公安局南湖区分局", persons=persons, facts="涉嫌违法犯罪",
            on=FILED + DAY)

    criminal = transfer(Transfer.Kind.CRIMINAL, ["周建华", "李强"])
    assert moved(before, after := desk.watch()) == {
        "transfers.criminal.cases": 1, "transfers.criminal.persons": criminal.person_count}
    detention = transfer(Transfer.Kind.DETENTION, ["王五"])
    assert moved(after, desk.watch()) == {"transfers.detention.persons": detention.person_count}


# --- the endpoint itself -----------------------------------------------------------------------

def test_a_lead_is_registered_through_the_api(desk):
    response = client(desk, desk.officer).post(API, {
        "enterprise": desk.enterprise.pk, "source": "non_site", "facts": "在线监测发现超限运行",
        "discovered_on": DISCOVERED.isoformat(), "items": [DUAL_ITEM],
        "handlers": [desk.officers[1].pk]}, content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    case = PenaltyCase.objects.get(pk=body["id"])
    assert (body["status"], body["source"], body["source_label"]) == ("lead", "non_site",
                                                                      "非现场监管")
    assert (case.agency, case.jurisdiction) == (desk.officer.agency, desk.enterprise.jurisdiction)
    assert body["items"] == [DUAL_ITEM] and body["enterprise"] == desk.enterprise.pk
    assert body["handlers"] == sorted(o.pk for o in desk.officers)  # the actor and the named
    assert body["discovered_on"] == DISCOVERED.isoformat() and body["number"] == ""
    assert [m["action"] for m in body["moves"]] == ["submit_filing"]
    event = Event.objects.get(action="case.lead_registered")
    assert event.object_id == str(case.pk) and event.payload["source"] == "non_site"


def test_a_refused_lead_says_why_and_saves_nothing(desk, make_user, make_enterprise,
                                                   jurisdictions):
    elsewhere = make_enterprise(jurisdictions["xiuzhou_town"])
    county_officer = make_user(Role.OFFICER)  # 南湖区 bureau: 秀洲区 is not its to see
    good = {"enterprise": desk.enterprise.pk, "source": "tip", "facts": "举报",
            "discovered_on": DISCOVERED.isoformat(), "items": [TRAINING_ITEM]}
    tomorrow = timezone.localdate() + DAY
    cases = [
        (desk.officer, {"source": "inspection"}, 422, "请从检查记录转为案件线索"),
        (desk.officer, {"items": ["WSL2021-999-99"]}, 422, "执法事项目录中没有"),
        (desk.officer, {"discovered_on": tomorrow.isoformat()}, 422, "不能晚于今天"),
        (desk.officer, {"handlers": [999999]}, 422, "编号为 999999 的人员不存在"),
        (county_officer, {"enterprise": elsewhere.pk}, 422, "不在您的辖区内"),
        (desk.reviewer, {}, 403, "管辖范围"),
        (desk.owner, {}, 403, "管辖范围"),
        (desk.officer, {"facts": ""}, 422, None),
        (desk.officer, {"source": "rumour"}, 422, None),
    ]
    clients = {user.pk: client(desk, user) for user, *_rest in cases}  # tokens issued first
    counts = (PenaltyCase.objects.count(), Event.objects.count())
    for user, change, status, text in cases:
        response = clients[user.pk].post(API, {**good, **change},
                                           content_type="application/json")
        assert response.status_code == status, (change, response.content.decode())
        if text:
            assert text in response.json()["detail"], change
    assert (PenaltyCase.objects.count(), Event.objects.count()) == counts


def test_openapi_documents_the_lead_registration_in_chinese(db):
    operation = Client().get("/api/v1/openapi.json").json()["paths"]["/api/v1/cases"]["post"]
    assert operation["summary"] == "登记案件线索" and "非现场监管" in operation["description"]
    assert {"201", "403", "422"} <= set(operation["responses"])
