"""The running deadlines of a penalty case (案件期限), read from the records (no writes):
for the case page, the officer's home page and the API.

Each deadline says whose it is. The agency's own (作出决定、听证通知、送达、公示) and the
payment period (缴款: the party's, but an unpaid fine past its due date is the agency's
to pursue — 加处罚款, 申请强制执行) are *tracked*: overdue when not done and the day is
past the due day, or done after it (the due day itself is on time). The party's own
periods (陈述申辩、听证申请、申请复议、提起诉讼) are shown for information: the agency
cannot be late on them, so they are never overdue.

While the case is suspended (中止, an open CaseSuspension) its tracked deadlines not yet
met are shown as suspended and not overdue. A case at its end (结案、归档、撤销、终止、
不予立案) shows only what was done, overdue only where an act was done late.

`overdue_cases` answers the home page's question — which cases have a tracked deadline
past due and not met — with a few queries, not by building every case's list.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from fazhi.cases.models import (
    CaseParty,
    CaseSuspension,
    Hearing,
    Outcome,
    PartyDecision,
    PenaltyCase,
    Publicity,
    Remedy,
)
from fazhi.cases.rules import workflow
from fazhi.cases.services.workflow import execution_state, latest_notice
from fazhi.core.calendar import Schedule, load_schedule
from fazhi.core.models import Event
from fazhi.legal.rules import deadlines as dl
from fazhi.legal.rules import procedure

# The agency's deadline before the hearing (听证通知); the engine has no name for it.
HEARING_NOTICE = "hearing_notice"
# States in which nothing runs any more: only what was done is shown.
ENDED_STATES = workflow.READ_ONLY_STATES
# Decisions that are administrative acts with a document the party can challenge.
_CHALLENGEABLE = {Outcome.PENALTY, Outcome.NO_PENALTY}


@dataclass(frozen=True)
class CaseDeadline:
    """One deadline of a case: when it falls due, whether and when the act was done."""

    key: str  # the engine's name (fazhi.legal.rules.deadlines) or HEARING_NOTICE
    label: str
    due: datetime.date
    party: str | None  # the party's name, for per-party deadlines
    done_on: datetime.date | None
    overdue: bool
    citations: tuple[dict, ...]
    suspended: bool = False  # 中止: a tracked deadline not met while the case is suspended
    information: bool = False  # the party's own period: shown, never overdue
    notes: tuple[str, ...] = field(default=())

    @property
    def needs_action(self) -> bool:
        """Past due and still not done: what the home page lists."""
        return self.overdue and self.done_on is None


def _item(key: str, label: str, due: datetime.date, done_on: datetime.date | None,
          today: datetime.date, *, suspended: bool, party: str | None = None,
          citations: Iterable[dict] = (), information: bool = False,
          notes: Iterable[str] = ()) -> CaseDeadline:
    if information:
        overdue, paused = False, False
    elif done_on is not None:
        overdue, paused = done_on > due, False
    elif suspended:
        overdue, paused = False, True
    else:
        overdue, paused = today > due, False
    return CaseDeadline(key=key, label=label, due=due, party=party, done_on=done_on,
                        overdue=overdue, citations=tuple(citations), suspended=paused,
                        information=information, notes=tuple(notes))


def _cites(result: dl.DeadlineResult | dl.RemedyDeadline) -> list[dict]:
    return [c.as_dict() for c in result.citations]


# --- the computations shared with overdue_cases ----------------------------------------------

def last_hearing_notice_day(hearing_date: datetime.date,
                            schedule: Schedule) -> procedure.HearingNoticeResult | None:
    """The engine's answer for a hearing on `hearing_date` (None before the 2021 law,
    which the rule does not cover)."""
    try:
        return procedure.hearing_notice_compliant(hearing_date, hearing_date, schedule)
    except ValueError:
        return None


def service_due(decided_on: datetime.date, schedule: Schedule) -> dl.DeadlineResult | None:
    """The last day to serve a decision made on `decided_on`, counted as if the party
    was not present at the announcement (the longer period; the records do not say)."""
    try:
        return dl.service_deadline(schedule, decided_on, party_present_at_announcement=False)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Instalment:
    number: int | None  # None: a single payment deadline
    due: datetime.date
    done_on: datetime.date | None


def payment_instalments(decision: PartyDecision, today: datetime.date) -> list[_Instalment]:
    """The payment periods of a decision and when each was met, from
    `execution_state`: an instalment is met when the payments covered it without a
    surcharge, or once the whole decision is settled (surcharge included); all of them
    when the court's enforcement concluded. Needs the decision's payments, remedies,
    arrangement and court enforcement (prefetch them for many decisions)."""
    if decision.outcome != Outcome.PENALTY or not decision.amount_due:
        return []
    state = execution_state(decision, today)
    if state is None:
        return []
    court = getattr(decision, "court_enforcement", None)
    concluded = (court.concluded_on if court is not None and court.concluded_on is not None
                 and court.concluded_on <= today else None)
    paid_days = [p.paid_on for p in decision.payments.all() if p.paid_on <= today]
    settled_on = max(paid_days) if state.settled and paid_days else None
    numbered = len(state.instalments) > 1 or getattr(decision, "arrangement", None) is not None
    found = []
    for number, inst in enumerate(state.instalments, start=1):
        if inst.covered_on is not None and not inst.surcharge:
            done = inst.covered_on
        elif state.settled:
            done = settled_on or inst.covered_on
        else:
            done = concluded
        found.append(_Instalment(number if numbered else None, inst.instalment.due, done))
    return found


# --- one case ----------------------------------------------------------------------------------

def _decision_citations(case: PenaltyCase) -> tuple[list[dict], list[str]]:
    """What approve_filing recorded (the deadline as computed on the filing day), or the
    engine's answer again when no such event exists (e.g. a case entered afterwards)."""
    event = (Event.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk),
                                  action="case.approve_filing")
             .order_by("-seq").only("payload").first())
    if event is not None and event.payload.get("decision_due_citations"):
        return (list(event.payload["decision_due_citations"]),
                [str(n) for n in event.payload.get("notes", [])])
    if case.filed_on is None:
        return [], []
    try:
        result = dl.decision_deadline(load_schedule(), case.filed_on)
    except ValueError:
        return [], []
    return _cites(result), list(result.notes)


def _decision_item(case: PenaltyCase, decisions: dict[int, PartyDecision],
                   party_ids: list[int], today: datetime.date,
                   suspended: bool) -> CaseDeadline:
    decided = [decisions[p].decided_on for p in party_ids
               if p in decisions and decisions[p].decided_on is not None]
    done_on = max(decided) if party_ids and len(decided) == len(party_ids) else None
    citations, notes = _decision_citations(case)
    for extension in case.extensions.all():
        citations.extend(extension.basis)
        notes.append(_("%(on)s经批准延期：%(before)s延长至%(after)s（%(reason)s）") % {
            "on": extension.approved_on, "before": extension.due_before,
            "after": extension.due_after, "reason": extension.reason})
    for suspension in case.suspensions.all():
        if suspension.ended_on is None:
            notes.append(_("%(on)s起中止，中止期间不计入办案期限，恢复后期限相应顺延")
                         % {"on": suspension.started_on})
        else:
            notes.append(_("%(start)s至%(end)s中止，期限已相应顺延")
                         % {"start": suspension.started_on, "end": suspension.ended_on})
    return _item(dl.DECISION, _("作出决定期限"), case.decision_due, done_on, today,
                 suspended=suspended, citations=citations, notes=notes)


def _notice_items(case: PenaltyCase, decisions: dict[int, PartyDecision],
                  party_ids: list[int], hearing: Hearing | None, today: datetime.date,
                  schedule: Schedule) -> list[CaseDeadline]:
    """The party's periods after the notice (告知书) was served: information only."""
    notice = latest_notice(case)
    if notice is None or notice.served_on is None:
        return []
    found = []
    if notice.statement_due is not None:
        # the parties to be penalised must be heard; with none, every party
        heard_from = [p for p in party_ids if p in decisions
                      and decisions[p].outcome == Outcome.PENALTY] or party_ids
        first: dict[int, datetime.date] = {}
        for s in case.statements.filter(received_on__gte=notice.served_on).order_by(
                "received_on"):
            first.setdefault(s.party_id, s.received_on)
        done_on = (max(first[p] for p in heard_from)
                   if heard_from and all(p in first for p in heard_from) else None)
        found.append(_item(dl.STATEMENT, _("陈述申辩期限"), notice.statement_due, done_on,
                           today, suspended=False, information=True, citations=_cites(
                               dl.statement_deadline(schedule, notice.served_on))))
    if notice.hearing_rights and notice.hearing_request_due is not None:
        done_on = hearing.requested_on if hearing is not None else None
        found.append(_item(dl.HEARING_REQUEST, _("听证申请期限"), notice.hearing_request_due,
                           done_on, today, suspended=False, information=True,
                           citations=_cites(dl.hearing_request_deadline(
                               schedule, notice.served_on))))
    return found


def case_deadlines(case: PenaltyCase, today: datetime.date) -> list[CaseDeadline]:
    """The deadlines of `case` as of `today`, in the order they arise: the decision
    period from filing; the party's periods from the notice; the hearing notice; then per
    party the service and publicity of its decision, its payment and its remedies."""
    schedule = load_schedule()
    suspended = case.suspensions.filter(ended_on__isnull=True).exists()
    parties = list(case.parties.select_related(
        "decision__publicity", "decision__arrangement", "decision__court_enforcement")
        .prefetch_related("decision__payments", "decision__remedies").order_by("id"))
    party_ids = [p.pk for p in parties]
    decisions = {p.pk: p.decision for p in parties if hasattr(p, "decision")}
    hearing = Hearing.objects.filter(case=case).first()

    found: list[CaseDeadline] = []
    if case.decision_due is not None:
        found.append(_decision_item(case, decisions, party_ids, today, suspended))
    found.extend(_notice_items(case, decisions, party_ids, hearing, today, schedule))
    if hearing is not None and hearing.hearing_date is not None:
        result = last_hearing_notice_day(hearing.hearing_date, schedule)
        if result is not None:
            found.append(_item(
                HEARING_NOTICE, _("听证通知（听证日期%(day)s）") % {"day": hearing.hearing_date},
                result.last_notice_day, hearing.notice_sent_on, today, suspended=suspended,
                citations=[c.as_dict() for c in result.citations]))

    decided = [(p, decisions[p.pk]) for p in parties
               if p.pk in decisions and decisions[p.pk].decided_on is not None]
    for party, decision in decided:
        result = service_due(decision.decided_on, schedule)
        if result is not None:
            found.append(_item(dl.SERVICE, _("送达期限"), result.date, decision.served_on,
                               today, suspended=suspended, party=party.name,
                               citations=_cites(result), notes=result.notes))
    for party, decision in decided:
        publicity = getattr(decision, "publicity", None)
        # taken down before it was published (set aside, repaired): nothing left to do
        if publicity is None or (publicity.published_on is None
                                 and publicity.ended_on is not None):
            continue
        found.append(_item(dl.PUBLICITY, _("公示期限"), publicity.due, publicity.published_on,
                           today, suspended=suspended, party=party.name,
                           citations=publicity.citations))
    for party, decision in decided:
        citations = (_cites(dl.payment_deadline(schedule, decision.served_on))
                     if decision.served_on is not None else [])
        for inst in payment_instalments(decision, today):
            label = (_("缴款期限") if inst.number is None
                     else _("缴款期限（第%(n)s期）") % {"n": inst.number})
            found.append(_item(dl.PAYMENT, label, inst.due, inst.done_on, today,
                               suspended=suspended, party=party.name, citations=citations))
    for kind, key, label, compute in (
            (Remedy.Kind.RECONSIDERATION, dl.RECONSIDERATION, _("申请行政复议期限"),
             dl.reconsideration_deadline),
            (Remedy.Kind.LITIGATION, dl.LITIGATION, _("提起行政诉讼期限"),
             dl.litigation_deadline)):
        for party, decision in decided:
            if decision.served_on is None or decision.outcome not in _CHALLENGEABLE:
                continue
            try:
                result = compute(schedule, decision.served_on)
            except ValueError:
                continue
            filed = sorted(r.filed_on for r in decision.remedies.all() if r.kind == kind)
            found.append(_item(key, label, result.deadline.date, filed[0] if filed else None,
                               today, suspended=False, party=party.name, information=True,
                               citations=_cites(result), notes=result.deadline.notes))

    if case.status in ENDED_STATES:
        found = [d for d in found if d.done_on is not None]
    return found


# --- many cases ---------------------------------------------------------------------------------

def overdue_cases(cases_qs: QuerySet[PenaltyCase], today: datetime.date) -> QuerySet[PenaltyCase]:
    """The cases of `cases_qs` (already scoped to the user) with a tracked deadline past
    due and not met on `today` — exactly those whose `case_deadlines` has an item that
    `needs_action`. Cases at their end or suspended have none. The decision and
    publicity periods are compared in SQL; the hearing notice, service and payment
    periods count working days or payments, so their few open candidates are checked
    with the same functions the case page uses."""
    active = (cases_qs.exclude(status__in=ENDED_STATES)
              .exclude(Exists(CaseSuspension.objects.filter(case=OuterRef("pk"),
                                                            ended_on__isnull=True))))
    active_ids = active.values("pk")
    undecided = CaseParty.objects.filter(case=OuterRef("pk"), decision__decided_on__isnull=True)
    decision_late = Q(decision_due__lt=today) & (
        Exists(undecided) | ~Exists(CaseParty.objects.filter(case=OuterRef("pk"))))
    publicity_late = Exists(Publicity.objects.filter(
        decision__party__case=OuterRef("pk"), due__lt=today, published_on__isnull=True,
        ended_on__isnull=True))

    schedule = load_schedule()
    late: set[int] = set()
    hearings = Hearing.objects.filter(case__in=active_ids, hearing_date__isnull=False,
                                      notice_sent_on__isnull=True)
    for case_id, hearing_date in hearings.values_list("case_id", "hearing_date"):
        result = last_hearing_notice_day(hearing_date, schedule)
        if result is not None and today > result.last_notice_day:
            late.add(case_id)
    # 7 working days are at least 7 calendar days: older decisions only
    unserved = PartyDecision.objects.filter(
        party__case__in=active_ids, served_on__isnull=True,
        decided_on__lt=today - datetime.timedelta(days=7))
    for case_id, decided_on in unserved.values_list("party__case_id", "decided_on"):
        result = service_due(decided_on, schedule)
        if result is not None and today > result.date:
            late.add(case_id)
    unpaid = (PartyDecision.objects
              .filter(party__case__in=active_ids, outcome=Outcome.PENALTY,
                      payment_due__isnull=False)
              .filter(Q(fine__gt=Decimal(0)) | Q(confiscation__gt=Decimal(0)))
              .filter(Q(payment_due__lt=today) | Q(arrangement__isnull=False))
              .select_related("party", "arrangement", "court_enforcement")
              .prefetch_related("payments", "remedies"))
    for decision in unpaid:
        if decision.party.case_id in late:
            continue
        if any(i.done_on is None and today > i.due
               for i in payment_instalments(decision, today)):
            late.add(decision.party.case_id)
    return active.filter(decision_late | publicity_late | Q(pk__in=late))
