"""Service and execution (送达与执行) and transfers: the payment deadline from service,
payments against what is owed (the surcharge computed by the engine), instalments
approved by the head, the court-enforcement window of 行政强制法 第五十三条, criminal
transfers with their number and the police's answer. Refusals are in Chinese and
change nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cases.models import (
    CaseStatus,
    Outcome,
    PartyDecision,
    PartyKind,
    Payment,
    PenaltyCase,
    Transfer,
)
from fazhi.cases.rules.workflow import GATES
from fazhi.cases.services import (
    case_assess,
    case_transition,
    notice_served,
    party_decision_propose,
)
from fazhi.cases.services.execution import (
    court_enforcement_apply,
    court_enforcement_conclude,
    decision_served_record,
    payment_arrangement_approve,
    payment_record,
    transfer_answer,
    transfer_record,
)
from fazhi.cases.services.workflow import execution_state
from fazhi.cases.tests.worlds import (
    REPORTED,
    TRAINING_ITEM,
    case_in_review,
    fresh,
    load_work_safety_catalogue,
)
from fazhi.core import calendar
from fazhi.core.models import Event, Role
from fazhi.core.rules.numbering import format_document_number
from fazhi.legal.rules import deadlines

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
UNIT_FINE = Decimal("30000")
PERSON_FINE = Decimal("8000")


# --- the builder (stands in for the review services until they exist) ------------------------

def decided_world(make_user, make_enterprise, jurisdictions, users, *,
                  item_code: str = TRAINING_ITEM, principal: bool = False):
    """A case DECIDED through the services: a fine per party inside the item's
    first-stage statutory range (proposed, so the engine prices it and says whether the
    party has hearing rights), nothing that requires legal review or collective
    discussion, the notice served the day after it was issued and the decision made
    after the statement (and hearing-request) period. Returns (officers, case)."""
    load_work_safety_catalogue()
    officers, case = case_in_review(make_user, make_enterprise, jurisdictions, users,
                                    item_code=item_code, principal=principal)
    for party in case.parties.all():
        fine = UNIT_FINE if party.kind == PartyKind.UNIT else PERSON_FINE
        party_decision_propose(actor=officers[0], case=case, version=fresh(case).version,
                               party=party, outcome=Outcome.PENALTY, item_code=item_code,
                               measures=["fine"], fine=fine, on=REPORTED,
                               reason="违法事实清楚，证据确凿，依据执法事项规定的处罚条款给予罚款")
    case = case_assess(actor=officers[0], case=fresh(case), version=fresh(case).version,
                       facts={}, on=REPORTED)
    leader = users[Role.LEADER]
    case = case_transition(actor=officers[0], case=case, action="submit_approval",
                           version=case.version, on=REPORTED)
    noticed = REPORTED + DAY
    case = case_transition(actor=leader, case=case, action="approve_notice",
                           version=case.version, on=noticed)
    notice = notice_served(actor=officers[0], case=case, version=case.version,
                           served_on=noticed + DAY)
    decide_on = max(d for d in (notice.statement_due, notice.hearing_request_due) if d) + DAY
    case = fresh(case)
    case = case_transition(actor=leader, case=case, action="decide", version=case.version,
                           on=decide_on)
    assert case.status == CaseStatus.DECIDED
    return officers, case


def serve_all(officer, case, on=None) -> PenaltyCase:
    """Record the service of every decision the day after it and move the case."""
    for decision in PartyDecision.objects.filter(party__case=case):
        day = on or decision.decided_on + DAY
        decision_served_record(actor=officer, case=case, version=fresh(case).version,
                               decision=decision, served_on=day, method="直接送达",
                               recipient="李明（办公室主任）")
        served = day
    case = fresh(case)
    return case_transition(actor=officer, case=case, action="serve", version=case.version,
                           on=served)


def unit_decision(case) -> PartyDecision:
    return PartyDecision.objects.get(party__case=case, party__kind=PartyKind.UNIT)


def refused(call, exc=ValidationError) -> str:
    """Run a refused call: the exception's message, with no event and no row written."""
    events, payments = Event.objects.count(), Payment.objects.count()
    transfers = Transfer.objects.count()
    with pytest.raises(exc) as err:
        call()
    assert (Event.objects.count(), Payment.objects.count(),
            Transfer.objects.count()) == (events, payments, transfers)
    return " ".join(err.value.messages) if exc is ValidationError else str(err.value)


@pytest.fixture
def world(make_user, make_enterprise, jurisdictions, users):
    return decided_world(make_user, make_enterprise, jurisdictions, users)


@pytest.fixture
def served(world, users):
    officers, case = world
    return officers, serve_all(officers[0], case)


# --- service ---------------------------------------------------------------------------------

def test_service_sets_the_payment_deadline_and_opens_execution(world):
    officers, case = world
    decision = unit_decision(case)
    early = decision.decided_on - DAY
    message = refused(lambda: decision_served_record(
        actor=officers[0], case=case, version=case.version, decision=decision,
        served_on=early, method="直接送达", recipient="李明"))
    assert "送达日期不能早于决定日期" in message
    assert "送达方式应为" in refused(lambda: decision_served_record(
        actor=officers[0], case=case, version=case.version, decision=decision,
        served_on=decision.decided_on, method="口头通知", recipient="李明"))
    assert GATES["service_receipt"] in refused(lambda: case_transition(
        actor=officers[0], case=case, action="serve", version=case.version,
        on=decision.decided_on))

    case = serve_all(officers[0], case)
    decision = unit_decision(case)
    expected = deadlines.payment_deadline(calendar.load_schedule(), decision.served_on).date
    assert case.status == CaseStatus.SERVED
    assert (decision.payment_due, decision.service_method) == (expected, "直接送达")


# --- payments --------------------------------------------------------------------------------

def test_payment_on_time_closes_execution(served, users):
    officers, case = served
    decision = unit_decision(case)
    payment_record(actor=officers[1], case=case, version=case.version, decision=decision,
                   kind=Payment.Kind.PRINCIPAL, amount=decision.amount_due,
                   paid_on=decision.payment_due, receipt="JK2024060001")
    case = fresh(case)
    assert execution_state(decision, decision.payment_due).settled
    case = case_transition(actor=users[Role.LEADER], case=case, action="close",
                           version=case.version, on=decision.payment_due + DAY)
    assert case.status == CaseStatus.CLOSED and case.closed_on == decision.payment_due + DAY


def test_late_payment_owes_the_surcharge_before_the_case_closes(served, users):
    officers, case = served
    leader = users[Role.LEADER]
    decision = unit_decision(case)
    paid_on = decision.payment_due + datetime.timedelta(days=5)
    payment_record(actor=officers[0], case=case, version=case.version, decision=decision,
                   kind=Payment.Kind.PRINCIPAL, amount=decision.amount_due, paid_on=paid_on)
    case = fresh(case)
    owed = deadlines.late_payment_surcharge(decision.amount_due, decision.payment_due,
                                            paid_on).amount
    assert owed > 0
    assert GATES["execution_complete"] in refused(lambda: case_transition(
        actor=leader, case=case, action="close", version=case.version, on=paid_on))
    message = refused(lambda: payment_record(
        actor=leader, case=case, version=case.version, decision=decision,
        kind=Payment.Kind.SURCHARGE, amount=owed + Decimal("0.01"), paid_on=paid_on))
    assert f"{owed:,.2f}元" in message

    payment_record(actor=leader, case=case, version=case.version, decision=decision,
                   kind=Payment.Kind.SURCHARGE, amount=owed, paid_on=paid_on)
    case = case_transition(actor=leader, case=fresh(case), action="close",
                           version=fresh(case).version, on=paid_on)
    assert case.status == CaseStatus.CLOSED


def test_overpayment_refused(served):
    officers, case = served
    decision = unit_decision(case)
    half = decision.amount_due / 2
    payment_record(actor=officers[0], case=case, version=case.version, decision=decision,
                   kind=Payment.Kind.PRINCIPAL, amount=half, paid_on=decision.served_on)
    case = fresh(case)
    message = refused(lambda: payment_record(
        actor=officers[0], case=case, version=case.version, decision=decision,
        kind=Payment.Kind.PRINCIPAL, amount=half + 1, paid_on=decision.served_on))
    assert "超过尚欠罚没款" in message and f"{half:,.2f}元" in message
    assert "应大于零" in refused(lambda: payment_record(
        actor=officers[0], case=case, version=case.version, decision=decision,
        kind=Payment.Kind.PRINCIPAL, amount=Decimal(0), paid_on=decision.served_on))
    # on time: no surcharge to pay
    assert "加处罚款" in refused(lambda: payment_record(
        actor=officers[0], case=case, version=case.version, decision=decision,
        kind=Payment.Kind.SURCHARGE, amount=Decimal(1), paid_on=decision.served_on))


def test_instalment_plan(served, users):
    officers, case = served
    leader = users[Role.LEADER]
    decision = unit_decision(case)
    half = decision.amount_due / 2
    first, second = (decision.payment_due + datetime.timedelta(days=30),
                     decision.payment_due + datetime.timedelta(days=60))

    def approve(kind, schedule, actor=leader):
        return payment_arrangement_approve(
            actor=actor, case=fresh(case), version=fresh(case).version, decision=decision,
            kind=kind, reason="企业资金周转困难，提供了财务报表", schedule=schedule,
            on=decision.served_on)

    refused(lambda: approve("instalments", [(first, half), (second, half)], officers[0]),
            PermissionDenied)
    assert "应等于应缴罚没款" in refused(lambda: approve("instalments", [(first, half),
                                                                    (second, half - 1)]))
    assert "暂缓缴纳应只有一个" in refused(lambda: approve("deferral", [(first, half),
                                                                   (second, half)]))
    assert "至少分为两期" in refused(lambda: approve("instalments", [(first, decision.amount_due)]))
    assert "先后顺序" in refused(lambda: approve("instalments", [(second, half), (first, half)]))
    assert "晚于原缴款期限" in refused(lambda: approve(
        "instalments", [(decision.payment_due, half), (second, half)]))

    plan = approve("instalments", [(first, half), (second, half)])
    assert plan.schedule == [{"due": first.isoformat(), "amount": f"{half:.2f}"},
                             {"due": second.isoformat(), "amount": f"{half:.2f}"}]
    # the first instalment on its own due date: after the original deadline, yet no surcharge
    payment_record(actor=officers[0], case=fresh(case), version=fresh(case).version,
                   decision=decision, kind=Payment.Kind.PRINCIPAL, amount=half, paid_on=first)
    late = second + datetime.timedelta(days=2)
    payment_record(actor=officers[0], case=fresh(case), version=fresh(case).version,
                   decision=decision, kind=Payment.Kind.PRINCIPAL, amount=half, paid_on=late)
    state = execution_state(PartyDecision.objects.get(pk=decision.pk), late)
    assert state.principal_outstanding == 0
    assert state.surcharge == deadlines.late_payment_surcharge(half, second, late).amount
    assert "已批准过" in refused(lambda: approve("deferral", [(second, decision.amount_due)]))


# --- court enforcement -----------------------------------------------------------------------

def test_court_enforcement_refused_before_the_remedy_periods_ran_out(served, users):
    officers, case = served
    leader = users[Role.LEADER]
    decision = unit_decision(case)
    schedule = calendar.load_schedule()
    litigation = deadlines.litigation_deadline(schedule, decision.served_on).deadline.date
    reconsideration = deadlines.reconsideration_deadline(schedule,
                                                         decision.served_on).deadline.date
    last = max(litigation, reconsideration)

    def apply(on, actor=leader):
        return court_enforcement_apply(actor=actor, case=fresh(case),
                                       version=fresh(case).version, decision=decision,
                                       applied_on=on, court="嘉兴市南湖区人民法院")

    message = refused(lambda: apply(last))
    assert "第五十三条" in message and f"{last + DAY:%Y年%m月%d日}" in message
    refused(lambda: apply(last + DAY, officers[0]), PermissionDenied)

    enforcement = apply(last + DAY)
    event = Event.objects.filter(action="case.court_enforcement_applied").get()
    assert event.payload["late"] is False
    assert event.payload["window_to"] == deadlines.add_months(last, 3).isoformat()
    court_enforcement_conclude(actor=leader, case=fresh(case), version=fresh(case).version,
                               decision=decision, concluded_on=enforcement.applied_on + DAY,
                               outcome="法院裁定准予执行，已划拨罚款")
    case = case_transition(actor=leader, case=fresh(case), action="close",
                           version=fresh(case).version, on=enforcement.applied_on + DAY)
    assert case.status == CaseStatus.CLOSED


def test_court_enforcement_needs_an_outstanding_principal(served, users):
    officers, case = served
    decision = unit_decision(case)
    payment_record(actor=officers[0], case=case, version=case.version, decision=decision,
                   kind=Payment.Kind.PRINCIPAL, amount=decision.amount_due,
                   paid_on=decision.payment_due)
    later = decision.served_on + datetime.timedelta(days=400)
    assert "已缴清" in refused(lambda: court_enforcement_apply(
        actor=users[Role.LEADER], case=fresh(case), version=fresh(case).version,
        decision=decision, applied_on=later, court="嘉兴市南湖区人民法院"))


# --- rights and versions ---------------------------------------------------------------------

def test_wrong_role_or_stale_version_refused_with_nothing_changed(served, users, make_user):
    officers, case = served
    decision = unit_decision(case)
    stranger = make_user(Role.OFFICER)  # an officer of the bureau, not on the case

    def pay(actor, version=case.version):
        return payment_record(actor=actor, case=case, version=version, decision=decision,
                              kind=Payment.Kind.PRINCIPAL, amount=decision.amount_due,
                              paid_on=decision.payment_due)

    assert "承办人员" in refused(lambda: pay(stranger), PermissionDenied)
    refused(lambda: pay(users[Role.REVIEWER]), PermissionDenied)
    refused(lambda: pay(users[Role.ENTERPRISE]), PermissionDenied)
    assert "请刷新" in refused(lambda: pay(officers[0], version=case.version - 1))
    assert not decision.payments.exists() and fresh(case).version == case.version


# --- transfers -------------------------------------------------------------------------------

def test_criminal_transfer_with_its_number_and_the_polices_acceptance(
        make_user, make_enterprise, jurisdictions, users):
    load_work_safety_catalogue()
    officers, case = case_in_review(make_user, make_enterprise, jurisdictions, users)
    on = REPORTED + DAY

    def record(kind, persons, actor=officers[0]):
        return transfer_record(actor=actor, case=fresh(case), version=fresh(case).version,
                               kind=kind, receiver="嘉兴市公安局南湖区分局", persons=persons,
                               facts="涉嫌重大责任事故罪", on=on)

    assert "应列明被移送的人员" in refused(lambda: record(Transfer.Kind.DETENTION, []))
    refused(lambda: record(Transfer.Kind.CRIMINAL, ["周建华"], users[Role.LEADER]),
            PermissionDenied)
    transfer = record(Transfer.Kind.CRIMINAL, ["周建华"])
    assert transfer.number == format_document_number(case.agency.doc_prefix, "transfer",
                                                     on.year, 1)
    assert transfer.person_count == 1

    def answer(day, reply=Transfer.Answer.ACCEPTED):
        return transfer_answer(actor=officers[1], case=fresh(case),
                               version=fresh(case).version, transfer=transfer, answer=reply,
                               answered_on=day, outcome="已立案侦查")

    assert "不能早于移送日期" in refused(lambda: answer(on - DAY))
    assert "接收机关回复应为" in refused(lambda: answer(on, "pending"))
    transfer = answer(on + DAY)
    assert (transfer.answer, transfer.answered_on) == (Transfer.Answer.ACCEPTED, on + DAY)
    assert "已登记回复" in refused(lambda: answer(on + DAY, Transfer.Answer.RETURNED))
    event = Event.objects.filter(action="case.transferred").get()
    assert event.payload["number"] == transfer.number
