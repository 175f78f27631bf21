"""Service and execution (送达与执行) of the decisions, and transfers (案件移送).

- Service record per party (送达回证, 《行政处罚法》第六十一条: 依照民事诉讼法的有关规定送达):
  the payment deadline (缴款期限, 第六十七条第三款) runs from it.
- Payments of the fine and confiscation (罚没款) and of the surcharge (加处罚款,
  第七十二条第一款第（一）项), checked against what the party owes that day
  (`fazhi.cases.rules.execution.owed` through `services.workflow.execution_state`).
- Deferral or instalments (暂缓或者分期缴纳, 第六十六条第二款) approved by the head.
- Application to the people's court for enforcement (申请人民法院强制执行, 第七十二条第一款
  第（四）项; 《行政强制法》第五十三条) and its conclusion.
- Transfers to the police (移送公安机关行政拘留) or for a suspected crime (涉嫌犯罪移送).

Every write runs in one transaction on the case locked at the version the actor saw and
writes its event; a refusal raises a Chinese ValidationError / PermissionDenied and
changes nothing."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Collection, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import (
    CaseStatus,
    CourtEnforcement,
    Outcome,
    PartyDecision,
    Payment,
    PaymentArrangement,
    PenaltyCase,
    Remedy,
    Transfer,
)
from fazhi.cases.rules import workflow
from fazhi.cases.services.common import is_handler, saved, staged_case
from fazhi.cases.services.workflow import execution_state
from fazhi.core import calendar
from fazhi.core.models import User
from fazhi.core.rules.calendar import day_text
from fazhi.core.rules.money import parse_yuan, yuan_text
from fazhi.core.services.events import record_event
from fazhi.core.services.numbering import document_number_allocate
from fazhi.legal.rules import deadlines
from fazhi.legal.rules.citations import ACL, APL, cite

# 行政处罚法(2021) 第六十一条 sends service to the 民事诉讼法 送达 chapter; these are the
# ways it provides (electronic service only with the party's consent, 第六十一条第二款 —
# not checked here: the recipient field records who confirmed).
SERVICE_METHODS: tuple[str, ...] = ("直接送达", "留置送达", "邮寄送达", "电子送达", "委托送达",
                                    "公告送达")
NO_RECIPIENT_METHODS = frozenset({"公告送达"})  # service by announcement has no signer

# The stages in which a case may be transferred: from investigation until execution.
TRANSFER_STATES = frozenset({
    CaseStatus.INVESTIGATION, CaseStatus.CASE_REVIEW, CaseStatus.LEGAL_REVIEW,
    CaseStatus.APPROVAL, CaseStatus.COLLECTIVE, CaseStatus.NOTICE, CaseStatus.HEARING,
    CaseStatus.DECIDED, CaseStatus.SERVED})

# Remedy results that take the decision away (nothing left to enforce).
_SET_ASIDE = frozenset({Remedy.Result.REVOKED, Remedy.Result.LOST})


def _not_future(value: datetime.date, field: str, what: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("%(what)s不能晚于今天") % {"what": what}})


def _amount(value: object, field: str, what: str) -> Decimal:
    """A positive amount in yuan, to the fen (Decimal; a float is refused)."""
    try:
        amount = parse_yuan(value, what, whole_cents=True)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None
    if amount <= 0:
        raise ValidationError({field: _("%(what)s应大于零") % {"what": what}})
    return amount


def _staged(actor: User, case: PenaltyCase, version: int, *, states: Collection[str],
            roles: Collection[str], what: str) -> PenaltyCase:
    """`staged_case`, where an officer must also be one of the case's handlers (a head
    may act on any case of the jurisdiction)."""
    case = staged_case(actor, case, version, states=states, roles=roles, what=what)
    if actor.role == workflow.OFFICER and not is_handler(actor, case):
        raise PermissionDenied(_("只有本案承办人员才能%(what)s") % {"what": what})
    return case


def _own_decision(case: PenaltyCase, decision: PartyDecision) -> PartyDecision:
    """The decision row, fresh, once it belongs to this case."""
    found = (PartyDecision.objects.select_related("party")
             .filter(pk=decision.pk, party__case=case).first())
    if found is None:
        raise ValidationError({"decision": _("该处理决定不属于本案")})
    return found


def _with_amount(decision: PartyDecision) -> PartyDecision:
    if decision.outcome != Outcome.PENALTY or decision.amount_due <= 0:
        raise ValidationError({"decision": _("%(party)s的处理决定没有罚没款，无需缴纳")
                               % {"party": decision.party.name}})
    if decision.payment_due is None:
        raise ValidationError({"decision": _("%(party)s的处罚决定书尚未登记送达，缴款期限未起算")
                               % {"party": decision.party.name}})
    return decision


def _principal_paid(decision: PartyDecision) -> Decimal:
    return sum((p.amount for p in decision.payments.filter(kind=Payment.Kind.PRINCIPAL)),
               start=Decimal(0))


# --- service (送达) ---------------------------------------------------------------------------

def decision_served_record(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    decision: PartyDecision,
    served_on: datetime.date,
    method: str,
    recipient: str,
) -> PartyDecision:
    """Record the service of one party's decision (送达回证): date, method, who signed.
    A penalty with an amount gets its payment deadline (15 days from service,
    《行政处罚法》第六十七条第三款, from the legal engine). Once every decision is
    served the handler moves the case with `case_transition(action="serve")`."""
    recipient = (recipient or "").strip()
    if method not in SERVICE_METHODS:
        raise ValidationError({"method": _("送达方式应为：%(methods)s")
                               % {"methods": "、".join(SERVICE_METHODS)}})
    if not recipient and method not in NO_RECIPIENT_METHODS:
        raise ValidationError({"recipient": _("应填写签收人（留置送达的，填写拒收人）")})
    _not_future(served_on, "served_on", _("送达日期"))
    with transaction.atomic():
        case = staged_case(actor, case, version, states={CaseStatus.DECIDED},
                           roles={workflow.OFFICER}, handler_only=True, what=_("登记送达"))
        decision = _own_decision(case, decision)
        if decision.decided_on is None:
            raise ValidationError({"decision": _("该处理决定尚未作出")})
        if decision.served_on is not None:
            raise ValidationError({"decision": _("%(party)s的决定书已于%(day)s送达")
                                   % {"party": decision.party.name,
                                      "day": day_text(decision.served_on)}})
        if served_on < decision.decided_on:
            raise ValidationError({"served_on": _("送达日期不能早于决定日期（%(day)s）")
                                   % {"day": day_text(decision.decided_on)}})
        decision.served_on, decision.service_method = served_on, method
        decision.service_recipient = recipient
        schedule = calendar.load_schedule()
        # 第六十一条: within 7 working days of the decision when the party was absent
        # (recorded, not refused: the service happened when it happened)
        service_due = deadlines.service_deadline(schedule, decision.decided_on,
                                                 party_present_at_announcement=False)
        payload: dict = {"decision": decision.pk, "party": decision.party.name,
                         "served_on": served_on, "method": method, "recipient": recipient,
                         "service_due": service_due.date, "late": served_on > service_due.date}
        if decision.outcome == Outcome.PENALTY and decision.amount_due > 0:
            due = deadlines.payment_deadline(schedule, served_on)
            decision.payment_due = due.date
            payload.update({"payment_due": due.date, "amount_due": decision.amount_due,
                            "payment_due_citations": [c.as_dict() for c in due.citations],
                            "notes": list(due.notes)})
        decision.save(update_fields=["served_on", "service_method", "service_recipient",
                                     "payment_due"])
        saved(case)
        record_event(actor=actor, obj=case, action="case.decision_served", payload=payload)
    return decision


# --- payments (缴款) --------------------------------------------------------------------------

def payment_record(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    decision: PartyDecision,
    kind: str,
    amount: Decimal,
    paid_on: datetime.date,
    receipt: str = "",
) -> Payment:
    """Record a payment of the fine and confiscation (罚没款) or of the surcharge
    (加处罚款). Neither may exceed what is owed: the principal what is still
    outstanding, the surcharge what has run up by `paid_on` less what was paid."""
    if kind not in Payment.Kind.values:
        raise ValidationError({"kind": _("款项应为罚没款或加处罚款")})
    amount = _amount(amount, "amount", _("缴款金额"))
    receipt = (receipt or "").strip()
    _not_future(paid_on, "paid_on", _("缴款日期"))
    with transaction.atomic():
        case = _staged(actor, case, version, states={CaseStatus.SERVED},
                       roles={workflow.OFFICER, workflow.LEADER}, what=_("登记缴款"))
        decision = _with_amount(_own_decision(case, decision))
        if paid_on < decision.served_on:
            raise ValidationError({"paid_on": _("缴款日期不能早于送达日期（%(day)s）")
                                   % {"day": day_text(decision.served_on)}})
        if kind == Payment.Kind.PRINCIPAL:
            outstanding = decision.amount_due - _principal_paid(decision)
            if amount > outstanding:
                raise ValidationError({"amount": _(
                    "缴款金额%(amount)s超过尚欠罚没款：应缴%(due)s，尚欠%(left)s")
                    % {"amount": yuan_text(amount), "due": yuan_text(decision.amount_due),
                       "left": yuan_text(max(outstanding, Decimal(0)))}})
        else:
            state = execution_state(decision, paid_on)
            owed = state.surcharge_outstanding
            if amount > owed:
                raise ValidationError({"amount": _(
                    "缴款金额%(amount)s超过截至%(day)s尚欠的加处罚款%(owed)s"
                    "（已产生%(total)s，已缴%(paid)s）")
                    % {"amount": yuan_text(amount), "day": day_text(paid_on),
                       "owed": yuan_text(owed), "total": yuan_text(state.surcharge),
                       "paid": yuan_text(state.surcharge_paid)}})
        payment = Payment.objects.create(decision=decision, kind=kind, amount=amount,
                                         paid_on=paid_on, receipt=receipt, recorded_by=actor)
        after = execution_state(decision, paid_on)
        saved(case)
        record_event(actor=actor, obj=case, action="case.payment_recorded", payload={
            "payment": payment.pk, "decision": decision.pk, "party": decision.party.name,
            "kind": kind, "amount": amount, "paid_on": paid_on, "receipt": receipt,
            "principal_outstanding": after.principal_outstanding,
            "surcharge_outstanding": after.surcharge_outstanding,
            "citations": [c.as_dict() for c in after.citations]})
    return payment


def payment_arrangement_approve(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    decision: PartyDecision,
    kind: str,
    reason: str,
    schedule: Sequence[tuple[datetime.date, Decimal]],
    on: datetime.date | None = None,
) -> PaymentArrangement:
    """The head approves deferral (暂缓, one new due date) or instalments (分期, two or
    more) of the fine (《行政处罚法》第六十六条第二款: 确有经济困难的，经当事人申请和行政
    机关批准). The schedule covers the whole amount due, each due date after the
    original deadline and in increasing order.

    The platform's reading (the article sets no time limit; unconfirmed): approval only
    within the original payment period (on or before `payment_due`) and before any
    payment of the principal. After the deadline the surcharge already runs (第七十二条),
    and a schedule over a part already paid would not match the amount due, which the
    surcharge computation (`rules.execution.owed`) reads from the schedule."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if kind not in PaymentArrangement.Kind.values:
        raise ValidationError({"kind": _("方式应为暂缓缴纳或分期缴纳")})
    if not reason:
        raise ValidationError({"reason": _("应写明申请理由（确有经济困难的情况）")})
    _not_future(on, "on", _("批准日期"))
    entries: list[tuple[datetime.date, Decimal]] = []
    for due, amount in schedule:
        if not isinstance(due, datetime.date) or isinstance(due, datetime.datetime):
            raise ValidationError({"schedule": _("缴纳计划的期限应为日期")})
        entries.append((due, _amount(amount, "schedule", _("每期金额"))))
    if kind == PaymentArrangement.Kind.DEFERRAL and len(entries) != 1:
        raise ValidationError({"schedule": _("暂缓缴纳应只有一个缴纳期限")})
    if kind == PaymentArrangement.Kind.INSTALMENTS and len(entries) < 2:
        raise ValidationError({"schedule": _("分期缴纳应至少分为两期")})
    if any(later[0] <= earlier[0] for earlier, later in itertools.pairwise(entries)):
        raise ValidationError({"schedule": _("各期缴纳期限应按先后顺序排列，且不能相同")})
    with transaction.atomic():
        case = staged_case(actor, case, version, states={CaseStatus.SERVED},
                           roles={workflow.LEADER}, what=_("批准暂缓或分期缴纳"))
        decision = _with_amount(_own_decision(case, decision))
        if PaymentArrangement.objects.filter(decision=decision).exists():
            raise ValidationError({"decision": _("%(party)s已批准过暂缓或分期缴纳")
                                   % {"party": decision.party.name}})
        if decision.payments.filter(kind=Payment.Kind.PRINCIPAL).exists():
            raise ValidationError({"decision": _("已开始缴纳罚没款，不能再批准暂缓或分期缴纳")})
        if on > decision.payment_due:
            raise ValidationError({"on": _(
                "缴款期限已于%(due)s届满，逾期后已开始加处罚款，不能再批准暂缓或分期缴纳"
                "（《行政处罚法》第六十六条第二款、第七十二条）")
                % {"due": day_text(decision.payment_due)}})
        if on < decision.served_on:
            raise ValidationError({"on": _("批准日期不能早于决定书送达日期")})
        total = sum((amount for _due, amount in entries), start=Decimal(0))
        if total != decision.amount_due:
            raise ValidationError({"schedule": _("缴纳计划合计%(total)s，应等于应缴罚没款%(due)s")
                                   % {"total": yuan_text(total),
                                      "due": yuan_text(decision.amount_due)}})
        if entries[0][0] <= decision.payment_due:
            raise ValidationError({"schedule": _("暂缓或分期的缴纳期限应晚于原缴款期限%(due)s")
                                   % {"due": day_text(decision.payment_due)}})
        arrangement = PaymentArrangement.objects.create(
            decision=decision, kind=kind, reason=reason, approved_by=actor, approved_on=on,
            schedule=[{"due": due.isoformat(), "amount": f"{amount:.2f}"}
                      for due, amount in entries])
        saved(case)
        record_event(actor=actor, obj=case, action="case.payment_arrangement_approved",
                     payload={"arrangement": arrangement.pk, "decision": decision.pk,
                              "party": decision.party.name, "kind": kind, "reason": reason,
                              "schedule": arrangement.schedule, "approved_on": on,
                              "original_due": decision.payment_due,
                              "citation": cite(APL, "第六十六条第二款",
                                               "payment_arrangement").as_dict()})
    return arrangement


# --- application to the court (申请人民法院强制执行) ------------------------------------------

def court_enforcement_window(decision: PartyDecision) -> dict:
    """When the agency, which has no enforcement power of its own, may apply to the
    court (《行政强制法》第五十三条): once the party let the reconsideration and
    litigation periods run out without paying, within three months from their expiry.
    With an approved deferral or instalments the period runs from the arrangement's
    last due date (《行政处罚法》第七十二条第二款). The periods are counted from
    service (the engine's `reconsideration_deadline` / `litigation_deadline`).
    The reminder that must precede the application (催告, 《行政强制法》第五十四条) is
    not recorded by the platform yet."""
    schedule = calendar.load_schedule()
    known = decision.served_on
    reconsideration = deadlines.reconsideration_deadline(schedule, known).deadline
    litigation = deadlines.litigation_deadline(schedule, known).deadline
    expiry = max(reconsideration.date, litigation.date)
    citations = [*reconsideration.citations, *litigation.citations,
                 cite(ACL, "第五十三条", "court_enforcement")]
    arrangement = getattr(decision, "arrangement", None)
    if arrangement is not None:
        last_due = max(datetime.date.fromisoformat(e["due"]) for e in arrangement.schedule)
        if last_due > expiry:
            expiry = last_due
        citations.append(cite(APL, "第七十二条第二款", "court_enforcement"))
    return {"periods_end": expiry, "earliest": expiry + datetime.timedelta(days=1),
            "latest": deadlines.add_months(expiry, 3),
            "reconsideration_due": reconsideration.date, "litigation_due": litigation.date,
            "citations": [c.as_dict() for c in dict.fromkeys(citations)]}


def court_enforcement_apply(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    decision: PartyDecision,
    applied_on: datetime.date,
    court: str,
) -> CourtEnforcement:
    """The head applies to the court for enforcement of an unpaid fine. Refused before
    the party's reconsideration and litigation periods ran out (`court_enforcement_window`);
    an application after the three months is recorded with `late: true`."""
    court = (court or "").strip()
    if not court:
        raise ValidationError({"court": _("应写明申请执行的人民法院")})
    _not_future(applied_on, "applied_on", _("申请日期"))
    with transaction.atomic():
        case = staged_case(actor, case, version, states={CaseStatus.SERVED},
                           roles={workflow.LEADER}, what=_("申请人民法院强制执行"))
        decision = _with_amount(_own_decision(case, decision))
        if CourtEnforcement.objects.filter(decision=decision).exists():
            raise ValidationError({"decision": _("已申请人民法院强制执行")})
        remedies = list(decision.remedies.all())
        if any(r.result == Remedy.Result.PENDING for r in remedies):
            raise ValidationError({"decision": _("行政复议或行政诉讼尚在进行，不能申请强制执行")})
        if any(r.result in _SET_ASIDE for r in remedies):
            raise ValidationError({"decision": _("处罚决定已被撤销或败诉，不能申请强制执行")})
        outstanding = decision.amount_due - _principal_paid(decision)
        if outstanding <= 0:
            raise ValidationError({"decision": _("罚没款已缴清，无需申请强制执行")})
        window = court_enforcement_window(decision)
        if applied_on < window["earliest"]:
            raise ValidationError({"applied_on": _(
                "当事人的复议期限（至%(rec)s）和诉讼期限（至%(lit)s）尚未届满，%(from)s起方可"
                "申请人民法院强制执行（《行政强制法》第五十三条）")
                % {"rec": day_text(window["reconsideration_due"]),
                   "lit": day_text(window["litigation_due"]),
                   "from": day_text(window["earliest"])}})
        enforcement = CourtEnforcement.objects.create(decision=decision, applied_on=applied_on,
                                                      court=court)
        saved(case)
        record_event(actor=actor, obj=case, action="case.court_enforcement_applied", payload={
            "enforcement": enforcement.pk, "decision": decision.pk,
            "party": decision.party.name, "applied_on": applied_on, "court": court,
            "principal_outstanding": outstanding, "window_from": window["earliest"],
            "window_to": window["latest"], "late": applied_on > window["latest"],
            "citations": window["citations"]})
    return enforcement


def court_enforcement_conclude(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    decision: PartyDecision,
    concluded_on: datetime.date,
    outcome: str,
) -> CourtEnforcement:
    """Record the end of the court's enforcement (执行终结) and its result; the case can
    then be closed (`execution_complete`)."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("应写明执行结果")})
    _not_future(concluded_on, "concluded_on", _("执行终结日期"))
    with transaction.atomic():
        case = staged_case(actor, case, version, states={CaseStatus.SERVED},
                           roles={workflow.LEADER}, what=_("登记强制执行结果"))
        decision = _own_decision(case, decision)
        enforcement = CourtEnforcement.objects.filter(decision=decision).first()
        if enforcement is None:
            raise ValidationError({"decision": _("尚未申请人民法院强制执行")})
        if enforcement.concluded_on is not None:
            raise ValidationError({"decision": _("强制执行已于%(day)s终结")
                                   % {"day": day_text(enforcement.concluded_on)}})
        if concluded_on < enforcement.applied_on:
            raise ValidationError({"concluded_on": _("执行终结日期不能早于申请日期（%(day)s）")
                                   % {"day": day_text(enforcement.applied_on)}})
        enforcement.concluded_on, enforcement.outcome = concluded_on, outcome
        enforcement.save(update_fields=["concluded_on", "outcome"])
        saved(case)
        record_event(actor=actor, obj=case, action="case.court_enforcement_concluded",
                     payload={"enforcement": enforcement.pk, "decision": decision.pk,
                              "party": decision.party.name, "concluded_on": concluded_on,
                              "outcome": outcome})
    return enforcement


# --- transfers (案件移送) ----------------------------------------------------------------------

def transfer_record(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    kind: str,
    receiver: str,
    persons: Sequence[str],
    facts: str,
    on: datetime.date | None = None,
) -> Transfer:
    """The transfer letter (移送书, numbered): to the police for administrative
    detention (persons named and counted) or for a suspected crime (行刑衔接). A
    criminal transfer lets the head decide the TRANSFER outcome."""
    on = on or timezone.localdate()
    receiver, facts = (receiver or "").strip(), (facts or "").strip()
    names = [str(p).strip() for p in persons or ()]
    if kind not in Transfer.Kind.values:
        raise ValidationError({"kind": _("移送类别应为移送行政拘留或涉嫌犯罪移送")})
    if not receiver:
        raise ValidationError({"receiver": _("应写明接收机关")})
    if not facts:
        raise ValidationError({"facts": _("应写明移送事由（涉嫌的违法犯罪事实）")})
    if any(not name for name in names) or len(set(names)) != len(names):
        raise ValidationError({"persons": _("移送人员姓名不能为空或重复")})
    if kind == Transfer.Kind.DETENTION and not names:
        raise ValidationError({"persons": _("移送行政拘留的，应列明被移送的人员")})
    _not_future(on, "on", _("移送日期"))
    with transaction.atomic():
        case = staged_case(actor, case, version, states=TRANSFER_STATES,
                           roles={workflow.OFFICER}, handler_only=True, what=_("移送案件"))
        if case.filed_on and on < case.filed_on:
            raise ValidationError({"on": _("移送日期不能早于立案日期（%(day)s）")
                                   % {"day": day_text(case.filed_on)}})
        number = document_number_allocate(actor=actor, agency=case.agency,
                                          doc_type="transfer", year=on.year).text
        transfer = Transfer.objects.create(
            case=case, kind=kind, number=number, transferred_on=on, receiver=receiver,
            persons=names, facts=facts, created_by=actor)
        saved(case)
        record_event(actor=actor, obj=case, action="case.transferred", payload={
            "transfer": transfer.pk, "kind": kind, "number": number, "on": on,
            "receiver": receiver, "persons": names, "facts": facts})
    return transfer


def transfer_answer(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    transfer: Transfer,
    answer: str,
    answered_on: datetime.date,
    outcome: str = "",
) -> Transfer:
    """The receiver's answer to a transfer: accepted (立案受理) or returned (不予受理、
    退回), with its outcome when known."""
    outcome = (outcome or "").strip()
    if answer not in {Transfer.Answer.ACCEPTED, Transfer.Answer.RETURNED}:
        raise ValidationError({"answer": _("接收机关回复应为已受理或不予受理、退回")})
    _not_future(answered_on, "answered_on", _("回复日期"))
    with transaction.atomic():
        case = staged_case(actor, case, version, states=TRANSFER_STATES,
                           roles={workflow.OFFICER}, handler_only=True,
                           what=_("登记移送回复"))
        transfer = Transfer.objects.filter(pk=transfer.pk, case=case).first()
        if transfer is None:
            raise ValidationError({"transfer": _("该移送书不属于本案")})
        if transfer.answer != Transfer.Answer.PENDING:
            raise ValidationError({"transfer": _("%(number)s已登记回复")
                                   % {"number": transfer.number}})
        if answered_on < transfer.transferred_on:
            raise ValidationError({"answered_on": _("回复日期不能早于移送日期（%(day)s）")
                                   % {"day": day_text(transfer.transferred_on)}})
        transfer.answer, transfer.answered_on, transfer.outcome = answer, answered_on, outcome
        transfer.save(update_fields=["answer", "answered_on", "outcome"])
        saved(case)
        record_event(actor=actor, obj=case, action="case.transfer_answered", payload={
            "transfer": transfer.pk, "number": transfer.number, "answer": answer,
            "answered_on": answered_on, "outcome": outcome})
    return transfer
