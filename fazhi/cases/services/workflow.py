"""Moves through the workflow (`fazhi.cases.rules.workflow`): the gate facts computed
from the records, the effects of each move (numbers, deadlines, the records a move
opens), and suspension (中止) and extension (延期) of the decision deadline.

A gate whose records do not exist yet (investigation report, notice, decision ...) is
simply not met, so the case cannot skip it."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Collection
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import (
    CaseExtension,
    CaseNotice,
    CaseStatus,
    CaseSuspension,
    CreditRecord,
    Hearing,
    InvestigationReport,
    LegalReview,
    Outcome,
    PartyDecision,
    PartyKind,
    Payment,
    PenaltyCase,
    Publicity,
    ReviewConclusion,
    ReviewOpinion,
    Transfer,
)
from fazhi.cases.rules import decisions as decision_rules
from fazhi.cases.rules import workflow
from fazhi.cases.rules.execution import Instalment, owed
from fazhi.cases.services.common import is_handler, locked_case, saved
from fazhi.core import calendar
from fazhi.core.models import Role, User
from fazhi.core.permissions import eligible_officers
from fazhi.core.services.events import record_event
from fazhi.core.services.numbering import document_number_allocate
from fazhi.legal.rules import deadlines, exemptions, procedure


def _handlers_certified(case: PenaltyCase, on: datetime.date) -> bool:
    """At least two handlers, all officers of the case's agency with a certificate
    valid `on` (《行政处罚法》第四十二条)."""
    handlers = case.handlers.all()
    count = handlers.count()
    return count >= 2 and eligible_officers(
        handlers.filter(agency=case.agency), on).count() == count


def _within_limitation(case: PenaltyCase) -> bool:
    if case.violation_date is None:
        return False
    return not procedure.limitation(violation_ended=case.violation_date,
                                    discovered=case.discovered_on).expired


def case_decisions(case: PenaltyCase) -> list[PartyDecision]:
    """The decision (or proposal) of each party that has one, in party order."""
    return list(PartyDecision.objects.filter(party__case=case).select_related("party")
                .order_by("party_id"))


def proposal_of(decision: PartyDecision) -> decision_rules.Proposal:
    return decision_rules.Proposal(
        party=decision.party.name, outcome=decision.outcome,
        measures=tuple(decision.measures), fine=decision.fine,
        confiscation=decision.confiscation, statutory_min=decision.statutory_min,
        statutory_max=decision.statutory_max, recommended_min=decision.recommended_min,
        recommended_max=decision.recommended_max, deviation_reason=decision.deviation_reason,
        exempt_ground=decision.exempt_ground, waived_amount=decision.waived_amount,
        has_item=decision.item_id is not None, reason=decision.reason)


def decision_problems(case: PenaltyCase) -> list[str]:
    """Why the proposals cannot be decided as they stand (every party needs one)."""
    found = []
    decided = {d.party_id: d for d in case_decisions(case)}
    for party in case.parties.all():
        if party.pk not in decided:
            found.append(_("%(party)s：尚未提出处理意见") % {"party": party.name})
    criminal = case.transfers.filter(kind=Transfer.Kind.CRIMINAL).exists()
    for decision in decided.values():
        found.extend(decision_rules.problems(proposal_of(decision),
                                             criminal_transfer_made=criminal))
    return found


def latest_notice(case: PenaltyCase) -> CaseNotice | None:
    return case.notices.order_by("-issued_on", "-id").first()


def latest_review(case: PenaltyCase) -> LegalReview | None:
    return case.legal_reviews.order_by("-round").first()


def _defence_heard(case: PenaltyCase, decisions: list[PartyDecision],
                   on: datetime.date) -> bool:
    """No penalty without the party told and heard (《行政处罚法》第四十四、四十五、六十二条):
    the notice served; every statement made reviewed; and the statement period run out
    unless every party to be penalised has spoken or waived; with hearing rights, the
    hearing-request period run out (a hearing asked for is `hearing_report_if_requested`)."""
    penalised = [d for d in decisions if d.outcome == Outcome.PENALTY]
    if not penalised:
        return True
    notice = latest_notice(case)
    if notice is None or notice.served_on is None or notice.statement_due is None:
        return False
    statements = list(case.statements.filter(received_on__gte=notice.served_on))
    if any(not s.waived and not s.review.strip() for s in statements):
        return False
    heard = {s.party_id for s in statements}
    if not all(d.party_id in heard for d in penalised) and on <= notice.statement_due:
        return False
    # with hearing rights and no hearing asked for, the party may still ask until the due day
    return not (notice.hearing_rights and not Hearing.objects.filter(case=case).exists() and (
        notice.hearing_request_due is None or on <= notice.hearing_request_due))


def execution_state(decision: PartyDecision, as_of: datetime.date):
    """What the party owes on `as_of` (`fazhi.cases.rules.execution.owed`)."""
    if decision.payment_due is None:
        return None
    arrangement = getattr(decision, "arrangement", None)
    if arrangement is not None:
        instalments = [Instalment(datetime.date.fromisoformat(e["due"]),
                                  Decimal(e["amount"])) for e in arrangement.schedule]
    else:
        instalments = [Instalment(decision.payment_due, decision.amount_due)]
    payments = list(decision.payments.all())
    principal = [(p.paid_on, p.amount) for p in payments if p.kind == Payment.Kind.PRINCIPAL]
    surcharge_paid = sum((p.amount for p in payments if p.kind == Payment.Kind.SURCHARGE),
                         start=Decimal(0))
    remedies = [(r.filed_on, r.decided_on or as_of) for r in decision.remedies.all()]
    return owed(instalments, principal, surcharge_paid, as_of, remedies)


def _executed(decision: PartyDecision, on: datetime.date) -> bool:
    if decision.outcome != Outcome.PENALTY or not decision.amount_due:
        return True
    court = getattr(decision, "court_enforcement", None)
    if court is not None and court.concluded_on is not None:
        return True
    state = execution_state(decision, on)
    return state is not None and state.settled


def _archive_complete(case: PenaltyCase, decisions: list[PartyDecision]) -> bool:
    if not InvestigationReport.objects.filter(case=case).exists():
        return False
    if not case.evidence_items.exists() or not decisions:
        return False
    for d in decisions:
        if d.decided_on is None or d.served_on is None:
            return False
        publicity = getattr(d, "publicity", None)
        if publicity is not None and publicity.published_on is None and (
                publicity.ended_on is None):  # set aside before publication: nothing to show
            return False
    return True


def _opinions_answered(case: PenaltyCase) -> bool:
    opinions = ReviewOpinion.objects.filter(review__case=case, answer="")
    if case.status == CaseStatus.LEGAL_REVIEW:
        current = latest_review(case)
        opinions = opinions.exclude(review=current)
    return not opinions.exists()


def _review_passed(case: PenaltyCase, review: LegalReview | None,
                   hearing: Hearing | None) -> bool:
    """Not required, or the latest round agreed — and, after a hearing, a round submitted
    after it (the hearing may be what made review required: 第五十八条第一款第（二）项)."""
    if not case.review_required:
        return True
    if review is None or review.conclusion != ReviewConclusion.AGREE:
        return False
    return hearing is None or hearing.hearing_date is None or (
        review.submitted_on >= hearing.hearing_date)


def gate_facts(case: PenaltyCase, on: datetime.date, reason: str,
               gates: Collection[str] | None = None) -> dict[str, bool]:
    """The facts the records establish on `on` for `gates` (default: every gate of the
    workflow table); a move asks only for its own, so it reads only what they need."""
    decisions = functools.cache(lambda: case_decisions(case))
    review = functools.cache(lambda: latest_review(case))
    notice = functools.cache(lambda: latest_notice(case))
    hearing = functools.cache(lambda: Hearing.objects.filter(case=case).first())
    checks: dict[str, Callable[[], bool]] = {
        "not_suspended": lambda: not case.suspensions.filter(ended_on__isnull=True).exists(),
        "two_certified_handlers": lambda: _handlers_certified(case, on),
        "items_named": lambda: case.items.exists(),
        "within_limitation": lambda: _within_limitation(case),
        "reason_given": lambda: bool(reason),
        "investigation_report": lambda: InvestigationReport.objects.filter(case=case).exists(),
        "evidence_list": lambda: case.evidence_items.exists(),
        "parties_named": lambda: case.parties.exists(),
        "legal_review_assessed": lambda: case.review_required is not None,
        "legal_review_passed_if_required": lambda: _review_passed(case, review(), hearing()),
        "opinions_answered": lambda: _opinions_answered(case),
        "review_agreed": lambda: review() is not None
        and review().conclusion == ReviewConclusion.AGREE,
        "review_opinions_given": lambda: review() is not None and review().opinions.exists(),
        "collective_done_if_required": lambda: case.discussions.exists() or (
            not case.collective_required and case.status != CaseStatus.COLLECTIVE),
        "notice_needed": lambda: any(d.outcome == Outcome.PENALTY for d in decisions()),
        "hearing_rights": lambda: notice() is not None and notice().hearing_rights,
        "hearing_requested_in_time": lambda: notice() is not None
        and notice().hearing_request_due is not None and on <= notice().hearing_request_due,
        "hearing_report_if_requested": lambda: hearing() is None
        or bool(hearing().report.strip()),
        "defence_heard": lambda: _defence_heard(case, decisions(), on),
        "measures_within_statute": lambda: not decision_problems(case),
        "decision_document": lambda: bool(decisions()) and all(
            d.reason.strip() for d in decisions()),
        "service_receipt": lambda: bool(decisions()) and all(
            d.served_on is not None for d in decisions()),
        "execution_complete": lambda: all(_executed(d, on) for d in decisions()),
        "archive_complete": lambda: _archive_complete(case, decisions()),
    }
    return {gate: checks[gate]() for gate in (checks if gates is None else gates)}


# --- the effects of moves -------------------------------------------------------------------

def _effects_approve_filing(actor: User, case: PenaltyCase, on: datetime.date) -> dict:
    number = document_number_allocate(actor=actor, agency=case.agency, doc_type="filing",
                                      year=on.year)
    due = deadlines.decision_deadline(calendar.load_schedule(), on)
    case.number, case.filed_on, case.decision_due = number.text, on, due.date
    return {"number": number.text, "filed_on": on, "decision_due": due.date,
            "decision_due_period": due.period,
            "decision_due_citations": [c.as_dict() for c in due.citations],
            "notes": list(due.notes)}


def _effects_submit_legal_review(actor: User, case: PenaltyCase, on: datetime.date) -> dict:
    last = latest_review(case)
    review = LegalReview.objects.create(case=case, round=(last.round if last else 0) + 1,
                                        submitted_on=on, submitted_by=actor)
    return {"review": review.pk, "round": review.round}


def _effects_approve_notice(actor: User, case: PenaltyCase, on: datetime.date) -> dict:
    penalised = [d for d in case_decisions(case) if d.outcome == Outcome.PENALTY]
    hearing = any(d.hearing_rights for d in penalised)
    number = document_number_allocate(actor=actor, agency=case.agency,
                                      doc_type="hearing_notice" if hearing else "notice",
                                      year=on.year)
    notice = CaseNotice.objects.create(
        case=case, number=number.text, issued_on=on, hearing_rights=hearing,
        citations=case.assessment.get("hearing_citations", []))
    return {"notice": notice.pk, "number": notice.number, "hearing_rights": hearing}


def _effects_record_hearing_request(actor: User, case: PenaltyCase, on: datetime.date) -> dict:
    Hearing.objects.create(case=case, requested_on=on)
    return {"requested_on": on}


_DECISION_DOC = {Outcome.PENALTY: "penalty_decision", Outcome.NO_PENALTY: "no_penalty_decision"}


def _effects_decide(actor: User, case: PenaltyCase, on: datetime.date) -> dict:
    """Number and date each party's decision; queue penalties for publicity (7 working
    days) and open the unit's credit record with the periods of the rule in force."""
    schedule = calendar.load_schedule()
    service_due = deadlines.service_deadline(schedule, on, party_present_at_announcement=False)
    decided = []
    for decision in case_decisions(case):
        doc_type = _DECISION_DOC.get(decision.outcome)
        if doc_type is not None:
            decision.number = document_number_allocate(
                actor=actor, agency=case.agency, doc_type=doc_type, year=on.year).text
        decision.decided_on = on
        decision.save(update_fields=["number", "decided_on"])
        entry: dict = {"party": decision.party_id, "outcome": decision.outcome,
                       "number": decision.number, "fine": decision.fine,
                       "confiscation": decision.confiscation}
        if decision.outcome == Outcome.PENALTY:
            publicity = deadlines.publicity_deadline(schedule, on)
            Publicity.objects.create(decision=decision, due=publicity.date,
                                     citations=[c.as_dict() for c in publicity.citations])
            entry["publicity_due"] = publicity.date
            if decision.party.kind == PartyKind.UNIT:
                credit = exemptions.credit(on, decision.credit_severity)
                CreditRecord.objects.create(
                    decision=decision, enterprise=case.enterprise, severity=credit.severity,
                    rule_version=credit.rule_version, min_period_ends=credit.min_period_ends,
                    earliest_repair=credit.earliest_repair,
                    publicity_ends_at_latest=credit.publicity_ends_at_latest,
                    conditions=list(credit.conditions),
                    citations=[c.as_dict() for c in credit.citations])
                entry["credit_earliest_repair"] = credit.earliest_repair
        decided.append(entry)
    return {"decisions": decided, "service_due": service_due.date,
            "service_due_citations": [c.as_dict() for c in service_due.citations]}


def _effects_close(actor: User, case: PenaltyCase, on: datetime.date) -> dict:
    case.closed_on = on
    return {"closed_on": on}


def _effects_archive(actor: User, case: PenaltyCase, on: datetime.date) -> dict:
    case.archived_on = on
    return {"archived_on": on}


_EFFECTS: dict[str, Callable[[User, PenaltyCase, datetime.date], dict]] = {
    "approve_filing": _effects_approve_filing,
    "submit_legal_review": _effects_submit_legal_review,
    "approve_notice": _effects_approve_notice,
    "record_hearing_request": _effects_record_hearing_request,
    "decide": _effects_decide,
    "close": _effects_close,
    "archive": _effects_archive,
}


def _gates_of(action: str) -> tuple[str, ...] | None:
    transition = workflow.BY_ACTION.get(action)
    return transition.gates if transition else None


def transition_locked(*, actor: User, case: PenaltyCase, action: str, on: datetime.date,
                      reason: str = "", extra: dict | None = None) -> PenaltyCase:
    """The move on a case already locked in the caller's transaction (services that
    record something and move the case in one step, e.g. a review's conclusion)."""
    actor_facts = workflow.Actor(role=actor.role, is_handler=is_handler(actor, case))
    problems = workflow.problems(action, case.status, actor_facts,
                                 gate_facts(case, on, reason, _gates_of(action)))
    if problems:
        raise ValidationError(problems)
    transition = workflow.BY_ACTION[action]
    payload: dict = {"from": case.status, "to": transition.target, "on": on, **(extra or {})}
    if reason:
        payload["reason"] = reason
    effect = _EFFECTS.get(action)
    if effect is not None:
        payload.update(effect(actor, case, on))
    if transition.target in workflow.FINAL_STATES and reason:
        case.ended_reason = reason
    case.status = transition.target
    saved(case)
    record_event(actor=actor, obj=case, action=f"case.{action}", payload=payload)
    return case


def case_transition(
    *,
    actor: User,
    case: PenaltyCase,
    action: str,
    version: int,
    reason: str = "",
    on: datetime.date | None = None,
) -> PenaltyCase:
    """Move the case by `action` of the workflow table. `version` is the version the
    actor saw: if someone moved the case meanwhile, the move is refused (reload and
    retry). Every refusal lists every unmet gate, with the article it rests on."""
    on = on or timezone.localdate()
    with transaction.atomic():
        case = locked_case(actor, case, version)
        return transition_locked(actor=actor, case=case, action=action, on=on,
                                 reason=(reason or "").strip())


# --- suspension (中止) and extension (延期) ---------------------------------------------------

def _head_of_case(actor: User, case: PenaltyCase, version: int, what: str) -> PenaltyCase:
    case = locked_case(actor, case, version)
    if actor.role != Role.LEADER:
        raise PermissionDenied(_("只有负责人才能批准%(what)s") % {"what": what})
    if case.status not in workflow.SUSPENDABLE_STATES:
        raise ValidationError(_("案件处于“%(state)s”阶段，不能%(what)s")
                              % {"state": case.get_status_display(), "what": what})
    return case


def case_suspend(*, actor: User, case: PenaltyCase, version: int, reason: str,
                 on: datetime.date | None = None) -> CaseSuspension:
    """中止 with the head's approval: nothing moves until resumed."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("应写明中止理由")})
    with transaction.atomic():
        case = _head_of_case(actor, case, version, _("中止"))
        if case.suspensions.filter(ended_on__isnull=True).exists():
            raise ValidationError(_("案件已中止"))
        suspension = CaseSuspension.objects.create(case=case, reason=reason, started_on=on,
                                                   approved_by=actor)
        saved(case)
        record_event(actor=actor, obj=case, action="case.suspended",
                     payload={"suspension": suspension.pk, "reason": reason, "on": on})
    return suspension


def case_resume(*, actor: User, case: PenaltyCase, version: int,
                on: datetime.date | None = None) -> CaseSuspension:
    """恢复: the decision deadline moves by the days the suspension lasted
    (`workflow.moved_by_suspension`)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        case = _head_of_case(actor, case, version, _("恢复办理"))
        suspension = case.suspensions.filter(ended_on__isnull=True).first()
        if suspension is None:
            raise ValidationError(_("案件未中止"))
        if on < suspension.started_on:
            raise ValidationError({"on": _("恢复日期不能早于中止日期")})
        suspension.ended_on, suspension.resumed_by = on, actor
        suspension.save(update_fields=["ended_on", "resumed_by"])
        moved: dict = {}
        if case.decision_due and case.status not in {CaseStatus.DECIDED, CaseStatus.SERVED}:
            due = workflow.moved_by_suspension(case.decision_due, suspension.started_on, on)
            moved = {"decision_due": {"from": case.decision_due, "to": due}}
            case.decision_due = due
        saved(case)
        record_event(actor=actor, obj=case, action="case.resumed", payload={
            "suspension": suspension.pk, "on": on,
            "days": (on - suspension.started_on).days, **moved})
    return suspension


def case_extend(*, actor: User, case: PenaltyCase, version: int, reason: str,
                on: datetime.date | None = None) -> CaseExtension:
    """延期 of the decision deadline to the next limit the engine allows (e.g. 30 → 90
    → 180 days under the 2015 work-safety rule), approved by the head; days the case
    was suspended still count on top."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("应写明延期理由")})
    with transaction.atomic():
        case = _head_of_case(actor, case, version, _("延期"))
        if case.filed_on is None or case.decision_due is None or case.status in {
                CaseStatus.DECIDED, CaseStatus.SERVED}:
            raise ValidationError(_("只有已立案、尚未作出决定的案件才能延期"))
        if on > case.decision_due:
            raise ValidationError(_("办案期限已于%(due)s届满，不能再延期")
                                  % {"due": f"{case.decision_due:%Y年%m月%d日}"})
        base = deadlines.decision_deadline(calendar.load_schedule(), case.filed_on)
        shift = datetime.timedelta(days=sum(
            ((s.ended_on or on) - s.started_on).days for s in case.suspensions.all()))
        later = [e for e in base.extensions if e.date + shift > case.decision_due]
        if not later:
            raise ValidationError(_("办案期限已达可延长的最长期限，不能再延期（%(basis)s）")
                                  % {"basis": "；".join(c.article for c in base.citations)})
        extension = later[0]
        record = CaseExtension.objects.create(
            case=case, reason=reason, approved_on=on, approved_by=actor,
            due_before=case.decision_due, due_after=extension.date + shift,
            basis=[{**extension.citation.as_dict(), "approval": extension.approval,
                    "confidence": extension.confidence}])
        case.decision_due = record.due_after
        saved(case)
        record_event(actor=actor, obj=case, action="case.extended", payload={
            "extension": record.pk, "reason": reason, "from": record.due_before,
            "to": record.due_after, "approval": extension.approval,
            "citation": extension.citation.as_dict()})
    return record
