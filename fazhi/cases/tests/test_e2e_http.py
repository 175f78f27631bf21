"""End to end over HTTP (案件办理全流程): the penalty-case procedure as its users drive it
from their pages — handling officers (承办人员), the head (负责人), the legal reviewer
(法制审核员) and the enterprise's own user — each record a POST of the case page's form,
each move a POST of its button, every date given in the form so that the deadlines are
the engine's for known days (expected figures computed through `fazhi.legal.rules`).

Scenarios: an ordinary case from the lead to the archive (and the event record verified,
then tampered with); a dual penalty (一案双罚); a hearing with legal review and
collective discussion; a no-penalty decision (不予行政处罚); a criminal transfer
(行刑衔接); late payment with the surcharge (加处罚款); a suspension (中止) moving the
deadlines; early credit repair (信用修复). Refusals — the wrong role, a missing document,
legal review skipped when required, a fine outside the statute — show a Chinese reason
and change nothing (the case row and the event record as they were).

Leads are made from an inspection finding through the services (as `worlds` does);
every step after the lead is over HTTP."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import docx
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.cases.models import (
    CaseStatus,
    CreditRecord,
    CreditRepairApplication,
    Hearing,
    Outcome,
    PartyDecision,
    PartyKind,
    PenaltyCase,
    Publicity,
    Transfer,
)
from fazhi.cases.rules.workflow import GATES
from fazhi.cases.services import case_lead_from_finding
from fazhi.cases.tests.test_views_stages import client_for
from fazhi.cases.tests.worlds import TRAINING_ITEM, fresh, load_work_safety_catalogue
from fazhi.core.calendar import load_schedule
from fazhi.core.models import Event, Role
from fazhi.core.rules.numbering import format_document_number
from fazhi.core.services.events import verify_record
from fazhi.core.tests.factories import make_id_number
from fazhi.inspection.models import InspectionCategory
from fazhi.inspection.services import finding_add, inspection_create
from fazhi.inspection.tests.test_services import certify
from fazhi.legal.catalogue import large_fine_threshold
from fazhi.legal.models import EnforcementItem
from fazhi.legal.rules import deadlines, procedure
from fazhi.subjects.models import ResponsiblePerson

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
DISCOVERED = datetime.date(2024, 5, 6)
FILED = datetime.date(2024, 5, 8)
REPORTED = datetime.date(2024, 5, 20)
FINE = Decimal("30000")
# 安全生产法(2021) 第一百零五条第（二）项: at the first finding the unit AND its responsible
# persons are fined, each within its own range (the catalogue yaml).
DUAL_ITEM = "WSL2021-105-02"


# --- the people and their pages ----------------------------------------------------------------

@pytest.fixture
def team(make_user, make_enterprise, jurisdictions, users):
    """Two certified handling officers of the 南湖区 bureau, its head and reviewer, an
    enterprise in 解放街道 with its principal, and the enterprise's own user."""
    load_work_safety_catalogue()
    # certificates valid from 2023 until a year from now (one scenario runs on recent days)
    until = max(datetime.date(2027, 12, 31), timezone.localdate() + 365 * DAY)
    officers = [certify(make_user(Role.OFFICER), valid_to=until) for _ in range(2)]
    enterprise = make_enterprise(jurisdictions["nanhu_town"])
    principal = ResponsiblePerson.objects.create(
        enterprise=enterprise, kind=ResponsiblePerson.Kind.PRINCIPAL, name="周建华",
        id_number=make_id_number(7))
    owner = make_user(Role.ENTERPRISE, enterprise=enterprise)
    return SimpleNamespace(
        officers=officers, enterprise=enterprise, principal=principal,
        officer=client_for(officers[0]), leader=client_for(users[Role.LEADER]),
        reviewer=client_for(users[Role.REVIEWER]), owner=client_for(owner))


def day(value: datetime.date) -> str:
    return value.isoformat()


def shown(value: datetime.date) -> str:
    """A date as the case page writes it (Y年n月j日)."""
    return f"{value.year}年{value.month}月{value.day}日"


def page(client: Client, case: PenaltyCase) -> str:
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def send(client: Client, case: PenaltyCase, url: str, data: dict) -> str:
    """POST a form of the case page with the version the page shows; the page after."""
    data = {"version": fresh(case).version, **data}
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:case_detail", args=[case.pk])
    return response.content.decode()


def record(client: Client, case: PenaltyCase, what: str, done: str | None = None,
           **data) -> str:
    """One record form (`cases:case_record`); `done`: its success message, asserted."""
    html = send(client, case, reverse("cases:case_record", args=[case.pk, what]), data)
    if done is not None:
        assert done in html, _errors(html)
    return html


def move(client: Client, case: PenaltyCase, action: str, on: datetime.date,
         reason: str = "", *, ok: bool = True) -> str:
    """A move button (`cases:case_transition`) with its date; `ok`: asserted accepted."""
    html = send(client, case, reverse("cases:case_transition", args=[case.pk]),
                {"action": action, "on": day(on), "reason": reason})
    if ok:
        assert "已办理：" in html, _errors(html)
    return html


def _errors(html: str) -> list[str]:
    return re.findall(r'class="alert alert-error"[^>]*>([^<]*)<', html)


def snapshot(case: PenaltyCase) -> tuple:
    """What a refusal must leave as it was: the case row, its decisions and transfers,
    and the event record."""
    return (PenaltyCase.objects.filter(pk=case.pk).values().get(),
            list(PartyDecision.objects.filter(party__case=case).values()),
            list(Transfer.objects.filter(case=case).values()), Event.objects.count())


def refused(case: PenaltyCase, attempt) -> str:
    """Run a POST the services refuse: the page it shows, nothing changed."""
    before = snapshot(case)
    html = attempt()
    assert snapshot(case) == before
    assert _errors(html), "a refusal shows its reason"
    return html


def deadline_row(html: str, key: str) -> str:
    """The deadlines panel's line for one deadline."""
    found = re.search(rf'<li[^>]*data-key="{key}"[^>]*>.*?</li>', html, re.S)
    assert found, key
    return found.group(0)


def events_of(case: PenaltyCase) -> list[str]:
    return list(Event.objects.filter(object_type="cases.penaltycase", object_id=str(case.pk))
                .order_by("seq").values_list("action", flat=True))


def docx_text(response) -> str:
    assert response.status_code == 200
    return "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)


# --- shared steps over HTTP --------------------------------------------------------------------

def lead(team, *, item: str = TRAINING_ITEM, discovered: datetime.date = DISCOVERED
         ) -> PenaltyCase:
    """The lead made from an inspection finding (the services, as `worlds` does)."""
    officer = team.officers[0]
    inspection = inspection_create(actor=officer, enterprise=team.enterprise, date=discovered,
                                   place="生产车间", category=InspectionCategory.GENERAL,
                                   officers=team.officers)
    finding = finding_add(actor=officer, inspection=inspection,
                          description="生产车间安全出口被锁闭，未对从业人员进行安全培训")
    return case_lead_from_finding(actor=officer, finding=finding, item_codes=[item])


def filed(team, case: PenaltyCase, on: datetime.date = FILED) -> PenaltyCase:
    """线索 → 立案: the violation date and handlers, submitted, approved."""
    html = send(team.officer, case, reverse("cases:case_details", args=[case.pk]), {
        "violation_date": day(case.discovered_on),
        "handlers": [o.pk for o in team.officers]})
    assert "案件信息已保存" in html
    move(team.officer, case, "submit_filing", on)
    move(team.leader, case, "approve_filing", on)
    return fresh(case)


def investigated(team, case: PenaltyCase, on: datetime.date = REPORTED, *,
                 principal: bool = False) -> PenaltyCase:
    """调查取证 → 案件审核: parties, the evidence list and the report, by the handler."""
    url = reverse("cases:party_add", args=[case.pk])
    assert "当事人已列明" in send(team.officer, case, url, {"kind": PartyKind.UNIT})
    if principal:
        assert "当事人已列明" in send(team.officer, case, url, {
            "kind": PartyKind.PRINCIPAL, "person": team.principal.pk})
    assert "证据已登记" in send(team.officer, case, reverse("cases:evidence_add", args=[case.pk]), {
        "kind": "record", "name": "现场检查笔录", "source": "承办人员现场制作",
        "proves": "安全出口被锁闭", "collected_on": day(case.filed_on)})
    assert "调查终结报告已保存" in send(
        team.officer, case, reverse("cases:report_save", args=[case.pk]), {
            "date": day(on), "facts": "该公司生产车间安全出口被锁闭",
            "proposal": "依据安全生产法给予行政处罚"})
    move(team.officer, case, "submit_case_review", on)
    return fresh(case)


def in_review(team, *, item: str = TRAINING_ITEM, principal: bool = False) -> PenaltyCase:
    return investigated(team, filed(team, lead(team, item=item)), principal=principal)


def party(case: PenaltyCase, kind: str = PartyKind.UNIT):
    return case.parties.get(kind=kind)


def proposal(case: PenaltyCase, fine: Decimal = FINE, *, kind: str = PartyKind.UNIT,
             item: str = TRAINING_ITEM, **extra) -> dict:
    measures = ["order_correct_within_deadline", "fine"] if kind == PartyKind.UNIT else ["fine"]
    return {"party": party(case, kind).pk, "outcome": "penalty", "item_code": item,
            "stage": "first", "measures": measures, "fine": str(fine), "confiscation": "0",
            "credit_severity": "general", "reason": "违法事实清楚，证据确凿", **extra}


def propose(team, case: PenaltyCase, **data) -> str:
    return record(team.officer, case, "propose", "处理意见已保存", **data)


def noticed(team, case: PenaltyCase, on: datetime.date, facts: tuple[str, ...] = ()
            ) -> PenaltyCase:
    """The engine's assessment, approval and the notice, served the next day."""
    record(team.officer, case, "assess", "已由处罚引擎评估", facts=list(facts))
    move(team.officer, case, "submit_approval", on)
    move(team.leader, case, "approve_notice", on)
    record(team.officer, case, "notice_served", "告知书送达已登记", served_on=day(on + DAY))
    return fresh(case)


def decided(team, case: PenaltyCase, on: datetime.date = REPORTED) -> PenaltyCase:
    """From the proposals to the decision: every party waives 陈述申辩 (no hearing
    rights below 较大数额), the head decides two days after the notice."""
    case = noticed(team, case, on)
    for p in case.parties.all():
        record(team.officer, case, "statement", "陈述申辩已登记", party=p.pk,
               received_on=day(on + DAY), waived="on")
    move(team.leader, case, "decide", on + 2 * DAY)
    return fresh(case)


def served(team, case: PenaltyCase) -> PenaltyCase:
    """送达回证 of every decision the day after it, then 送达完毕."""
    for decision in PartyDecision.objects.filter(party__case=case):
        on = decision.decided_on + DAY
        record(team.officer, case, "service", "送达回证已登记", decision=decision.pk,
               served_on=day(on), method="直接送达", recipient="李明（办公室主任）")
    move(team.officer, case, "serve", on)
    return fresh(case)


def pay(team, case: PenaltyCase, decision: PartyDecision, on: datetime.date,
        kind: str = "principal", amount: Decimal | None = None, *, ok: bool = True) -> str:
    return record(team.officer, case, "payment", "缴款已登记" if ok else None,
                  decision=decision.pk, kind=kind,
                  amount=str(decision.amount_due if amount is None else amount),
                  paid_on=day(on), receipt="JK0001")


def unit_decision(case: PenaltyCase) -> PartyDecision:
    return PartyDecision.objects.get(party__case=case, party__kind=PartyKind.UNIT)


# --- a. an ordinary case, lead to archive ------------------------------------------------------

def test_an_ordinary_case_from_the_lead_to_the_archive(team):
    schedule = load_schedule()
    case = lead(team)
    assert case.status == CaseStatus.LEAD
    case = filed(team, case)
    html = page(team.officer, case)
    expected_due = deadlines.decision_deadline(schedule, FILED).date
    assert case.status == CaseStatus.INVESTIGATION and case.number in html
    assert case.decision_due == expected_due
    assert f"{expected_due:%Y-%m-%d}" in deadline_row(html, "decision")

    case = investigated(team, case)
    html = page(team.officer, case)
    assert case.status == CaseStatus.CASE_REVIEW and "现场检查笔录" in html
    stage = EnforcementItem.objects.get(code=TRAINING_ITEM).stage_penalties.get(stage="first")
    assert stage.unit_min <= FINE <= stage.unit_max  # lawful, below 较大数额
    assert large_fine_threshold(case.jurisdiction, REPORTED).unit_min > FINE
    propose(team, case, **proposal(case))
    decision = unit_decision(case)
    assert (decision.statutory_min, decision.statutory_max) == (stage.unit_min, stage.unit_max)
    assert decision.hearing_rights is False

    case = noticed(team, case, REPORTED)
    notice = case.notices.get()
    served_on = REPORTED + DAY
    assert (case.review_required, case.collective_required) == (False, False)
    assert notice.statement_due == deadlines.statement_deadline(schedule, served_on).date
    html = page(team.officer, case)
    assert notice.number in html
    assert f"{notice.statement_due:%Y-%m-%d}" in deadline_row(html, "statement")
    record(team.officer, case, "statement", "陈述申辩已登记", party=party(case).pk,
           received_on=day(served_on), waived="on")
    decided_on = REPORTED + 2 * DAY
    move(team.leader, case, "decide", decided_on)
    decision.refresh_from_db()
    html = page(team.officer, case)
    assert fresh(case).status == CaseStatus.DECIDED and decision.number in html
    assert decision.publicity.due == deadlines.publicity_deadline(schedule, decided_on).date
    assert shown(decision.publicity.due) in html

    case = served(team, case)
    decision.refresh_from_db()
    assert case.status == CaseStatus.SERVED
    assert decision.payment_due == deadlines.payment_deadline(schedule,
                                                              decision.served_on).date
    assert shown(decision.payment_due) in page(team.officer, case)
    html = pay(team, case, decision, decision.payment_due)
    assert "已缴清" in html
    record(team.officer, case, "publish", "处罚决定已公示", publicity=decision.publicity.pk,
           on=day(decision.payment_due))
    move(team.leader, case, "close", decision.payment_due + DAY)
    move(team.officer, case, "archive", decision.payment_due + 2 * DAY)
    case = fresh(case)
    assert case.status == CaseStatus.ARCHIVED
    assert (case.closed_on, case.archived_on) == (decision.payment_due + DAY,
                                                  decision.payment_due + 2 * DAY)
    assert [a for a in events_of(case) if a in {
        "case.lead_registered", "case.submit_filing", "case.approve_filing",
        "case.submit_case_review", "case.submit_approval", "case.approve_notice",
        "case.decide", "case.serve", "case.close", "case.archive"}] == [
        "case.lead_registered", "case.submit_filing", "case.approve_filing",
        "case.submit_case_review", "case.submit_approval", "case.approve_notice",
        "case.decide", "case.serve", "case.close", "case.archive"]
    # the archived case is read-only: no move left (remedies may still follow the decision)
    assert 'data-testid="move-' not in page(team.officer, case)

    # the event record is intact, and a tampered case event is found and named
    assert verify_record() == []
    event = Event.objects.filter(object_type="cases.penaltycase", object_id=str(case.pk),
                                 action="case.decide").get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_event SET payload = %s WHERE seq = %s",
                       ['{"decisions": []}', event.seq])
    problems = verify_record()
    assert [(p.seq, p.object) for p in problems] == [(event.seq,
                                                      f"cases.penaltycase:{case.pk}")]
    assert "修改" in problems[0].problem


# --- b. 一案双罚 --------------------------------------------------------------------------------

def test_a_dual_penalty_case_fines_the_unit_and_its_principal_each_with_a_decision(team):
    case = in_review(team, item=DUAL_ITEM, principal=True)
    stage = EnforcementItem.objects.get(code=DUAL_ITEM).stage_penalties.get(stage="first")
    person_fine = Decimal("5000")
    assert stage.responsible_min <= person_fine <= stage.responsible_max  # the person's range
    propose(team, case, **proposal(case, item=DUAL_ITEM))
    propose(team, case, **proposal(case, person_fine, kind=PartyKind.PRINCIPAL, item=DUAL_ITEM))
    principal = PartyDecision.objects.get(party__case=case, party__kind=PartyKind.PRINCIPAL)
    assert (principal.statutory_min, principal.statutory_max) == (stage.responsible_min,
                                                                  stage.responsible_max)
    case = decided(team, case)
    unit, principal = unit_decision(case), PartyDecision.objects.get(pk=principal.pk)
    assert case.status == CaseStatus.DECIDED
    assert unit.number and principal.number and unit.number != principal.number
    assert (unit.fine, principal.fine) == (FINE, person_fine)
    html = page(team.officer, case)
    numbers = re.findall(r'data-testid="decision-number">([^<]+)<', html)
    assert sorted(numbers) == sorted([unit.number, principal.number])
    # each party's own decision document, with its number and name
    url = reverse("cases:case_document", args=[case.pk, "penalty_decision"])
    for decision in (unit, principal):
        text = docx_text(team.officer.get(url, {"obj": decision.pk}))
        assert decision.number in text and decision.party.name in text
    # both queued for publicity; the credit record is the unit's
    assert Publicity.objects.filter(decision__party__case=case).count() == 2
    assert list(CreditRecord.objects.filter(decision__party__case=case)
                .values_list("decision", flat=True)) == [unit.pk]

    case = served(team, case)
    unit.refresh_from_db()
    principal.refresh_from_db()
    pay(team, case, unit, unit.payment_due)
    html = refused(case, lambda: move(team.leader, case, "close", unit.payment_due, ok=False))
    assert GATES["execution_complete"] in html  # the principal has not paid
    pay(team, case, principal, principal.payment_due)
    move(team.leader, case, "close", principal.payment_due)
    assert fresh(case).status == CaseStatus.CLOSED


# --- c. hearing, legal review and collective discussion -----------------------------------------

def test_a_large_fine_goes_through_hearing_legal_review_and_collective_discussion(team):
    schedule = load_schedule()
    case = in_review(team)
    large = large_fine_threshold(case.jurisdiction, REPORTED).unit_min  # 较大数额 (第六十三条)
    stage = EnforcementItem.objects.get(code=TRAINING_ITEM).stage_penalties.get(stage="first")
    assert stage.unit_min <= large <= stage.unit_max
    propose(team, case, **proposal(case, large))
    assert unit_decision(case).hearing_rights is True
    # major rights alone, before any hearing: no legal review required yet
    case = noticed(team, case, REPORTED, facts=("major_rights",))
    assert (case.review_required, case.collective_required) == (False, False)
    notice = case.notices.get()
    served_on = REPORTED + DAY
    request_due = deadlines.hearing_request_deadline(schedule, served_on).date
    assert notice.hearing_rights is True and notice.hearing_request_due == request_due
    assert f"{request_due:%Y-%m-%d}" in deadline_row(page(team.officer, case),
                                                     "hearing_request")

    # the hearing request: too late refused, in time accepted
    html = refused(case, lambda: move(team.officer, case, "record_hearing_request",
                                      request_due + DAY, ok=False))
    assert GATES["hearing_requested_in_time"] in html
    move(team.officer, case, "record_hearing_request", request_due)
    assert fresh(case).status == CaseStatus.HEARING

    # the hearing notice at least seven working days ahead (第六十四条第（二）项)
    hearing_day = request_due + 21 * DAY
    last = procedure.hearing_notice_compliant(hearing_day, hearing_day, schedule).last_notice_day
    data = {"hearing_date": day(hearing_day), "place": "区应急管理局听证室", "host": "法制科科长"}
    html = refused(case, lambda: record(team.officer, case, "hearing_schedule",
                                        notice_sent_on=day(last + DAY), **data))
    assert f"{last:%Y年%m月%d日}" in html and "七个工作日" in html
    record(team.officer, case, "hearing_schedule", "听证已安排", notice_sent_on=day(last),
           **data)
    hearing = Hearing.objects.get(case=case)
    assert (hearing.notice_sent_on, hearing.hearing_date) == (last, hearing_day)
    assert hearing.notice_compliant and hearing.notice_number in page(team.officer, case)
    record(team.officer, case, "hearing_report", "听证笔录和听证报告已保存",
           record="听证笔录：当事人对事实无异议", report="建议维持原处理意见", on=day(hearing_day))
    assert fresh(case).review_required is True  # 第五十八条第一款第（二）项: heard, major rights
    record(team.officer, case, "assess", "已由处罚引擎评估",
           facts=["major_rights", "major_violation"])
    case = fresh(case)
    assert (case.review_required, case.collective_required) == (True, True)

    # legal review skipped when required: refused, nothing changed
    html = refused(case, lambda: move(team.officer, case, "submit_approval", hearing_day,
                                      ok=False))
    assert GATES["legal_review_passed_if_required"] in html and "第五十八条" in html
    html = refused(case, lambda: move(team.leader, case, "decide", hearing_day, ok=False))
    assert GATES["legal_review_passed_if_required"] in html

    # 法制审核: an opinion, sent back, answered, agreed
    move(team.officer, case, "submit_legal_review", hearing_day)
    record(team.reviewer, case, "opinion", "审核意见已登记",
           issue="听证中当事人提出的整改情况未核实", law="《行政处罚法》第四十五条",
           suggestion="核实后在处理理由中说明")
    record(team.reviewer, case, "conclude_review", "审核结论已作出", conclusion="modify",
           summary="按意见修改", on=day(hearing_day))
    assert fresh(case).status == CaseStatus.CASE_REVIEW
    opinion = fresh(case).legal_reviews.get().opinions.get()
    record(team.officer, case, "answer", "已回复审核意见", opinion=opinion.pk,
           answer="已核实，整改未完成", on=day(hearing_day + DAY))
    move(team.officer, case, "submit_legal_review", hearing_day + DAY)
    record(team.reviewer, case, "conclude_review", "审核结论已作出", conclusion="agree",
           on=day(hearing_day + DAY))
    case = fresh(case)
    assert case.status == CaseStatus.APPROVAL
    assert [r.conclusion for r in case.legal_reviews.order_by("round")] == ["modify", "agree"]

    # 集体讨论: neither approval nor decision before its minutes
    later = hearing_day + 2 * DAY
    for action in ("approve_notice", "decide"):
        html = refused(case, lambda action=action: move(team.leader, case, action, later,
                                                         ok=False))
        assert GATES["collective_done_if_required"] in html
    move(team.leader, case, "submit_collective", later)
    html = refused(case, lambda: move(team.leader, case, "decide", later, ok=False))
    assert GATES["collective_done_if_required"] in html
    record(team.leader, case, "discussion", "集体讨论记录已保存", date=day(later), host="局长",
           attendees="局长\n副局长甲", opinions="副局长甲：同意",
           conclusion="同意按处理意见作出决定")
    move(team.leader, case, "decide", later)
    case = fresh(case)
    decision = unit_decision(case)
    assert case.status == CaseStatus.DECIDED and decision.fine == large
    html = page(team.officer, case)
    assert decision.number in html
    for action in ("case.hearing_scheduled", "case.hearing_reported", "case.discussed",
                   "case.review_opinion_answered", "case.decide"):
        assert action in events_of(case)


# --- d. 不予行政处罚 ----------------------------------------------------------------------------

def test_a_no_penalty_decision_without_a_notice(team):
    case = in_review(team)
    propose(team, case, **proposal(case, Decimal(0), outcome="no_penalty", measures=[],
                                   exempt_ground="minor"))
    decision = unit_decision(case)
    assert decision.waived_amount == decision.suggested > 0  # the engine's fine, waived
    record(team.officer, case, "assess", "已由处罚引擎评估", facts=[])
    move(team.officer, case, "submit_approval", REPORTED)
    html = refused(case, lambda: move(team.leader, case, "approve_notice", REPORTED, ok=False))
    assert GATES["notice_needed"] in html
    move(team.leader, case, "decide", REPORTED + DAY)
    case = fresh(case)
    decision.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and not case.notices.exists()
    assert decision.outcome == Outcome.NO_PENALTY and decision.decided_on == REPORTED + DAY
    assert not Publicity.objects.filter(decision=decision).exists()
    assert not CreditRecord.objects.filter(decision=decision).exists()
    html = page(team.officer, case)
    assert decision.number in html and f"{decision.waived_amount:.2f}元" in html
    url = reverse("cases:case_document", args=[case.pk, "no_penalty_decision"])
    assert f"{url}?obj={decision.pk}" in html
    text = docx_text(team.officer.get(url, {"obj": decision.pk}))
    assert decision.number in text and "不予行政处罚" in text
    # the enterprise downloads its decision too
    assert decision.number in docx_text(team.owner.get(url, {"obj": decision.pk}))
    case = served(team, case)
    move(team.leader, case, "close", REPORTED + 3 * DAY)  # nothing to pay
    assert fresh(case).status == CaseStatus.CLOSED


# --- e. 涉嫌犯罪移送 ----------------------------------------------------------------------------

def test_a_criminal_transfer_before_the_transfer_outcome(team):
    case = in_review(team, principal=True)
    transfer_outcome = {"party": party(case, PartyKind.PRINCIPAL).pk, "outcome": "transfer",
                        "stage": "first", "credit_severity": "general",
                        "reason": "涉嫌重大责任事故罪，移送公安机关"}
    html = refused(case, lambda: record(team.officer, case, "propose", **transfer_outcome))
    assert "应先制作案件移送书" in html

    on = REPORTED + DAY
    record(team.officer, case, "transfer", "案件已移送", kind="criminal",
           receiver="嘉兴市公安局南湖区分局", persons="周建华", facts="涉嫌重大责任事故罪",
           on=day(on))
    transfer = Transfer.objects.get(case=case)
    assert transfer.number == format_document_number(case.agency.doc_prefix, "transfer",
                                                     on.year, 1)
    assert (transfer.kind, transfer.persons) == (Transfer.Kind.CRIMINAL, ["周建华"])
    html = page(team.officer, case)
    assert transfer.number in html
    text = docx_text(team.officer.get(
        reverse("cases:case_document", args=[case.pk, "transfer"]), {"obj": transfer.pk}))
    assert transfer.number in text

    record(team.officer, case, "propose", "处理意见已保存", **transfer_outcome)
    assert PartyDecision.objects.get(party__case=case,
                                     party__kind=PartyKind.PRINCIPAL).outcome == "transfer"
    record(team.officer, case, "transfer_answer", "接收机关回复已登记", transfer=transfer.pk,
           answer="accepted", answered_on=day(on + 3 * DAY), outcome="已立案侦查")
    transfer.refresh_from_db()
    assert (transfer.answer, transfer.answered_on) == (Transfer.Answer.ACCEPTED, on + 3 * DAY)
    assert {"case.transferred", "case.transfer_answered"} <= set(events_of(case))


# --- f. 逾期缴款与加处罚款 ------------------------------------------------------------------------

def test_a_late_payment_owes_the_surcharge_before_the_case_closes(team):
    case = in_review(team)
    propose(team, case, **proposal(case))
    case = served(team, decided(team, case))
    decision = unit_decision(case)
    paid_on = decision.payment_due + 5 * DAY
    pay(team, case, decision, paid_on)
    owed = deadlines.late_payment_surcharge(decision.amount_due, decision.payment_due,
                                            paid_on).amount
    assert owed > 0
    html = page(team.officer, case)
    assert f"加处罚款 {owed:.2f}元" in html and "尚欠 0.00元" in html
    html = refused(case, lambda: move(team.leader, case, "close", paid_on, ok=False))
    assert GATES["execution_complete"] in html
    html = refused(case, lambda: pay(team, case, decision, paid_on, "surcharge",
                                     owed + Decimal("0.01"), ok=False))
    assert f"{owed:,.2f}元" in html
    pay(team, case, decision, paid_on, "surcharge", owed)
    move(team.leader, case, "close", paid_on)
    assert fresh(case).status == CaseStatus.CLOSED


# --- g. 中止 moves the deadlines -----------------------------------------------------------------

def test_a_suspension_stops_every_move_and_moves_the_decision_deadline(team):
    case = in_review(team)
    due = case.decision_due
    start = REPORTED + DAY
    record(team.leader, case, "suspend", "案件已中止", reason="等待技术鉴定结论", on=day(start))
    html = page(team.officer, case)
    assert 'data-testid="suspended"' in html
    assert "中止期间不计入" in deadline_row(html, "decision")
    for client, action in ((team.leader, "return_investigation"),
                           (team.officer, "submit_approval")):
        html = refused(case, lambda client=client, action=action: move(
            client, case, action, start + DAY, "补充询问", ok=False))
        assert GATES["not_suspended"] in html

    resumed = start + 12 * DAY
    record(team.leader, case, "resume", "案件已恢复办理", on=day(resumed))
    case = fresh(case)
    assert case.decision_due == due + 12 * DAY
    row = deadline_row(page(team.officer, case), "decision")
    assert f"{case.decision_due:%Y-%m-%d}" in row and f"{due:%Y-%m-%d}" not in row
    assert Event.objects.filter(action="case.resumed").get().payload["days"] == 12
    move(team.leader, case, "return_investigation", resumed, "补充询问")  # moving again


# --- h. 信用修复 ----------------------------------------------------------------------------------

def test_early_credit_repair_applied_for_by_the_enterprise_and_approved(team):
    case = in_review(team)
    propose(team, case, **proposal(case))
    case = served(team, decided(team, case))
    decision = unit_decision(case)
    credit = decision.credit
    assert 'data-testid="form-repair_apply"' not in page(team.owner, case)  # not paid yet
    pay(team, case, decision, decision.payment_due)
    record(team.officer, case, "publish", "处罚决定已公示", publicity=decision.publicity.pk,
           on=day(decision.payment_due))
    assert credit.earliest_repair <= timezone.localdate()  # decided in 2024
    assert 'data-testid="form-repair_apply"' in page(team.owner, case)
    record(team.owner, case, "repair_apply", "信用修复申请已提交", credit=credit.pk,
           statement="已缴清罚款，安全出口已整改并建立巡查制度")
    application = CreditRepairApplication.objects.get(credit=credit)
    html = record(team.officer, case, "repair_decide", "信用修复申请已审核",
                  application=application.pk, approve="yes", reason="已履行处罚义务并完成整改",
                  on=day(timezone.localdate()))
    assert 'data-testid="credit-repaired"' in html and "已履行处罚义务并完成整改" in html
    credit.refresh_from_db()
    publicity = Publicity.objects.get(decision=decision)
    assert credit.repaired_on == timezone.localdate()
    assert (publicity.ended_on, publicity.ended_reason) == (timezone.localdate(), "信用修复")


def test_credit_repair_before_the_minimum_period_is_refused(team):
    """A penalty decided days ago, fully paid: the minimum publicity period has not run."""
    start = timezone.localdate() - 30 * DAY
    case = filed(team, lead(team, discovered=start), start + DAY)
    case = investigated(team, case, start + 5 * DAY)
    propose(team, case, **proposal(case))
    case = served(team, decided(team, case, start + 6 * DAY))
    decision = unit_decision(case)
    pay(team, case, decision, decision.served_on)
    credit = decision.credit
    assert credit.earliest_repair > timezone.localdate()
    html = page(team.owner, case)
    assert "尚欠 0.00元" in html and 'data-testid="form-repair_apply"' not in html
    html = refused(case, lambda: record(team.owner, case, "repair_apply", credit=credit.pk,
                                        statement="已缴清罚款"))
    assert f"最短公示期尚未届满，{credit.earliest_repair:%Y年%m月%d日}起方可申请" in html
    assert not CreditRepairApplication.objects.filter(credit=credit).exists()


# --- refusals change nothing ----------------------------------------------------------------------

def test_refused_steps_say_why_and_change_nothing(team):
    case = lead(team)
    send(team.officer, case, reverse("cases:case_details", args=[case.pk]), {
        "violation_date": day(DISCOVERED), "handlers": [o.pk for o in team.officers]})
    # the wrong role: the head does not submit, the officer does not approve
    html = refused(case, lambda: move(team.leader, case, "submit_filing", FILED, ok=False))
    assert "您的角色不能“提请立案”" in html
    move(team.officer, case, "submit_filing", FILED)
    html = refused(case, lambda: move(team.officer, case, "approve_filing", FILED, ok=False))
    assert "您的角色不能“批准立案”" in html
    move(team.leader, case, "approve_filing", FILED)

    # a missing document: no case review without the investigation report
    send(team.officer, case, reverse("cases:party_add", args=[case.pk]), {"kind": "unit"})
    send(team.officer, case, reverse("cases:evidence_add", args=[case.pk]), {
        "kind": "record", "name": "现场检查笔录", "source": "承办人员现场制作",
        "proves": "安全出口被锁闭", "collected_on": day(FILED)})
    html = refused(case, lambda: move(team.officer, case, "submit_case_review", REPORTED,
                                      ok=False))
    assert GATES["investigation_report"] in html

    # a fine outside the statute: the proposal is refused with the article
    case = fresh(case)
    send(team.officer, case, reverse("cases:report_save", args=[case.pk]), {
        "date": day(REPORTED), "facts": "该公司生产车间安全出口被锁闭", "proposal": "罚款"})
    move(team.officer, case, "submit_case_review", REPORTED)
    over = EnforcementItem.objects.get(code=TRAINING_ITEM).stage_penalties.get(
        stage="first").unit_max + 1
    html = refused(case, lambda: record(team.officer, case, "propose",
                                        **proposal(fresh(case), over)))
    assert "超出法定幅度" in html and "第四条" in html
    # a record in the wrong hands: the reviewer may not propose
    html = refused(case, lambda: record(team.reviewer, case, "propose",
                                        **proposal(fresh(case))))
    assert "您的角色不能提出处理意见" in html
