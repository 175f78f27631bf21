"""Publicity, credit repair and remedies: the public text masks an individual party and
carries no ID number; the enterprise (and only it) applies for early repair once the
minimum period has run and the fine is paid, an officer decides with reasons and
approval ends the publicity; a decision revoked on reconsideration leaves the public
record. These records are made without the case's version (also after closing);
refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cases.models import (
    CaseStatus,
    CreditRecord,
    CreditRepairApplication,
    InvestigationReport,
    PartyDecision,
    PartyKind,
    Payment,
    Publicity,
    Remedy,
)
from fazhi.cases.services import case_transition
from fazhi.cases.services.execution import payment_record
from fazhi.cases.services.publicity import (
    credit_repair_apply,
    credit_repair_decide,
    publicity_publish,
    remedy_conclude,
    remedy_record,
)
from fazhi.cases.tests.test_execution import decided_world, serve_all
from fazhi.cases.tests.worlds import fresh
from fazhi.core import calendar
from fazhi.core.models import Event, Role
from fazhi.core.rules.calendar import add_working_days

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
# An item whose first stage fines the unit and, separately, its responsible persons.
DUAL_ITEM = "WSL2021-105-02"


def refused(call, exc=ValidationError) -> str:
    """Run a refused call: its message, with no event written and no record changed."""
    def snapshot():
        return (Event.objects.count(),
                list(Publicity.objects.values_list("published_on", "ended_on")),
                list(CreditRecord.objects.values_list("repaired_on", flat=True)),
                list(CreditRepairApplication.objects.values_list("status", flat=True)),
                list(Remedy.objects.values_list("result", flat=True)))
    before = snapshot()
    with pytest.raises(exc) as err:
        call()
    assert snapshot() == before
    return " ".join(err.value.messages) if exc is ValidationError else str(err.value)


def decision_of(case, kind) -> PartyDecision:
    return PartyDecision.objects.get(party__case=case, party__kind=kind)


@pytest.fixture
def dual(make_user, make_enterprise, jurisdictions, users):
    """A dual-penalty case (the unit and its principal 周建华), decided and served."""
    officers, case = decided_world(make_user, make_enterprise, jurisdictions, users,
                                   item_code=DUAL_ITEM, principal=True)
    return officers, serve_all(officers[0], case)


@pytest.fixture
def unit_case(make_user, make_enterprise, jurisdictions, users):
    officers, case = decided_world(make_user, make_enterprise, jurisdictions, users)
    return officers, serve_all(officers[0], case)


# --- publication -----------------------------------------------------------------------------

def test_publicity_masks_the_individual_party_and_carries_no_id_number(dual, users):
    officers, case = dual
    principal = decision_of(case, PartyKind.PRINCIPAL)
    person = principal.party.person
    # the report names the principal with his ID and mobile numbers
    InvestigationReport.objects.filter(case=case).update(
        facts=f"经查，主要负责人{person.name}（身份证号{person.id_number}，电话13912345678）"
              f"未组织清理被占用的疏散通道")
    publicity = publicity_publish(actor=officers[0], publicity=principal.publicity,
                                  on=principal.publicity.due)
    content = publicity.content
    masked = person.name[0] + "*" * (len(person.name) - 1)
    assert masked in content and person.name not in content
    assert person.id_number not in content and "13912345678" not in content
    assert principal.number in content and case.agency.name in content
    assert f"{principal.fine:,.2f}元" in content and principal.item.name in content
    for provision in principal.item.penalty.all():
        assert provision.label in content
    assert publicity.published_on == publicity.due and publicity.ends_on is None  # no credit

    unit = decision_of(case, PartyKind.UNIT)
    late = unit.publicity.due + DAY
    unit_publicity = publicity_publish(actor=users[Role.LEADER], publicity=unit.publicity,
                                       on=late)
    assert case.enterprise.name in unit_publicity.content
    assert unit_publicity.ends_on == unit.credit.publicity_ends_at_latest
    payloads = [e.payload for e in Event.objects.filter(action="case.publicity_published")
                .order_by("seq")]
    assert [p["late"] for p in payloads] == [False, True]
    assert "已于" in refused(lambda: publicity_publish(actor=officers[0],
                                                      publicity=unit_publicity, on=late))


def test_publication_refused_to_the_wrong_role_or_jurisdiction(unit_case, users, make_user,
                                                                 agencies):
    _officers, case = unit_case
    publicity = decision_of(case, PartyKind.UNIT).publicity
    refused(lambda: publicity_publish(actor=users[Role.REVIEWER], publicity=publicity,
                                      on=publicity.due), PermissionDenied)
    elsewhere = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    assert "辖区" in refused(lambda: publicity_publish(actor=elsewhere, publicity=publicity,
                                                     on=publicity.due), PermissionDenied)


# --- credit repair ---------------------------------------------------------------------------

def test_early_credit_repair(unit_case, users, make_user):
    officers, case = unit_case
    decision = decision_of(case, PartyKind.UNIT)
    credit = decision.credit
    publicity_publish(actor=officers[0], publicity=decision.publicity, on=decision.publicity.due)
    owner = make_user(Role.ENTERPRISE, enterprise=case.enterprise)
    other = make_user(Role.ENTERPRISE)  # another enterprise's user

    def apply(on, actor=owner):
        return credit_repair_apply(actor=actor, credit=credit, on=on,
                                   statement="已缴清罚款，疏散通道已清理，作出信用承诺")

    earliest = credit.earliest_repair
    assert earliest is not None and earliest > decision.decided_on
    rule = next(c for c in credit.citations if c["applies_to"] == "credit.earliest_repair")
    message = refused(lambda: apply(earliest - DAY))
    assert f"{earliest:%Y年%m月%d日}" in message and rule["article"] in message
    refused(lambda: apply(earliest, other), PermissionDenied)
    refused(lambda: apply(earliest, officers[0]), PermissionDenied)
    assert "尚欠罚没款" in refused(lambda: apply(earliest))  # the fine is unpaid

    payment_record(actor=officers[0], case=case, version=case.version, decision=decision,
                   kind=Payment.Kind.PRINCIPAL, amount=decision.amount_due,
                   paid_on=decision.payment_due)
    case = case_transition(actor=users[Role.LEADER], case=fresh(case), action="close",
                           version=fresh(case).version, on=decision.payment_due)
    assert case.status == CaseStatus.CLOSED  # repair happens after the case is closed
    application = apply(earliest)
    assert "正在审核" in refused(lambda: apply(earliest))
    assert "审核理由" in refused(lambda: credit_repair_decide(
        actor=officers[1], application=application, approve=True, reason=" ", on=earliest))
    refused(lambda: credit_repair_decide(actor=owner, application=application, approve=True,
                                         reason="自行批准", on=earliest), PermissionDenied)

    credit_repair_decide(actor=officers[1], application=application, approve=True,
                         reason="最短公示期已满，义务已履行，已作信用承诺", on=earliest + DAY)
    application.refresh_from_db()
    credit.refresh_from_db()
    publicity = Publicity.objects.get(decision=decision)
    assert application.status == CreditRepairApplication.Status.APPROVED
    assert credit.repaired_on == earliest + DAY
    assert (publicity.ended_on, publicity.ended_reason) == (earliest + DAY, "信用修复")
    assert "已于" in refused(lambda: apply(earliest + DAY))


def test_refused_repair_keeps_the_publicity(unit_case, make_user, users):
    officers, case = unit_case
    decision = decision_of(case, PartyKind.UNIT)
    payment_record(actor=officers[0], case=case, version=case.version, decision=decision,
                   kind=Payment.Kind.PRINCIPAL, amount=decision.amount_due,
                   paid_on=decision.payment_due)
    owner = make_user(Role.ENTERPRISE, enterprise=case.enterprise)
    on = decision.credit.earliest_repair
    application = credit_repair_apply(actor=owner, credit=decision.credit, on=on,
                                      statement="已整改")
    credit_repair_decide(actor=users[Role.LEADER], application=application, approve=False,
                         reason="未提交整改证明材料", on=on)
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (
        CreditRepairApplication.Status.REFUSED, "未提交整改证明材料")
    assert Publicity.objects.get(decision=decision).ended_on is None
    assert CreditRecord.objects.get(decision=decision).repaired_on is None
    # refused: a new application may follow
    credit_repair_apply(actor=owner, credit=decision.credit, on=on + DAY, statement="补充材料")


# --- reconsideration and litigation ----------------------------------------------------------

def test_a_revoked_decision_leaves_the_public_record(unit_case, users):
    officers, case = unit_case
    decision = decision_of(case, PartyKind.UNIT)
    publicity_publish(actor=officers[0], publicity=decision.publicity, on=decision.publicity.due)
    filed = decision.served_on + datetime.timedelta(days=20)
    assert "不能早于送达日期" in refused(lambda: remedy_record(
        actor=officers[0], decision=decision, kind=Remedy.Kind.RECONSIDERATION,
        filed_on=decision.served_on - DAY, body="嘉兴市南湖区人民政府"))
    refused(lambda: remedy_record(actor=users[Role.ENTERPRISE], decision=decision,
                                  kind=Remedy.Kind.RECONSIDERATION, filed_on=filed,
                                  body="嘉兴市南湖区人民政府"), PermissionDenied)
    remedy = remedy_record(actor=officers[0], decision=decision,
                           kind=Remedy.Kind.RECONSIDERATION, filed_on=filed,
                           body="嘉兴市南湖区人民政府")
    assert "正在审理" in refused(lambda: remedy_record(
        actor=officers[0], decision=decision, kind=Remedy.Kind.LITIGATION, filed_on=filed,
        body="嘉兴市南湖区人民法院"))
    decided_on = filed + datetime.timedelta(days=50)
    assert "行政复议的结果应为" in refused(lambda: remedy_conclude(
        actor=users[Role.LEADER], remedy=remedy, result=Remedy.Result.WON,
        decided_on=decided_on))

    remedy_conclude(actor=users[Role.LEADER], remedy=remedy, result=Remedy.Result.REVOKED,
                    decided_on=decided_on)
    publicity = Publicity.objects.get(decision=decision)
    assert publicity.ended_on == decided_on and "撤销" in publicity.ended_reason
    event = Event.objects.filter(action="case.remedy_concluded").get()
    withdraw = add_working_days(calendar.load_schedule(), decided_on, 3).date
    assert event.payload["withdraw_due"] == withdraw.isoformat()


def test_a_won_lawsuit_keeps_the_public_record(unit_case, users):
    officers, case = unit_case
    decision = decision_of(case, PartyKind.UNIT)
    publicity_publish(actor=officers[0], publicity=decision.publicity, on=decision.publicity.due)
    filed = decision.served_on + datetime.timedelta(days=30)
    remedy = remedy_record(actor=users[Role.LEADER], decision=decision,
                           kind=Remedy.Kind.LITIGATION, filed_on=filed,
                           body="嘉兴市南湖区人民法院")
    remedy_conclude(actor=officers[1], remedy=remedy, result=Remedy.Result.WON,
                    decided_on=filed + datetime.timedelta(days=90))
    assert Publicity.objects.get(decision=decision).ended_on is None
    assert "已有结果" in refused(lambda: remedy_conclude(
        actor=officers[1], remedy=remedy, result=Remedy.Result.LOST,
        decided_on=filed + datetime.timedelta(days=91)))
