"""The deadlines a case page and the officer's home page show (案件期限), and the case
ledger (案件台账) export.

Cases are built up to case review through the services (`worlds.case_in_review`); the
later records (decisions, notice, publicity, service, payments) are written as rows,
with every due date computed by the legal engine the way the stage's service does."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fazhi.cases import deadlines as case_dl
from fazhi.cases.ledger import HEADERS, MONEY_FORMAT, case_ledger_workbook
from fazhi.cases.models import (
    CaseExtension,
    CaseNotice,
    CaseStatus,
    CaseSuspension,
    DefenceStatement,
    Hearing,
    Outcome,
    PartyDecision,
    PartyKind,
    Payment,
    PaymentArrangement,
    PenaltyCase,
    Publicity,
)
from fazhi.cases.selectors import case_deadlines_for, cases_with_overdue_deadlines
from fazhi.cases.services.workflow import execution_state
from fazhi.cases.tests.worlds import FILED, case_in_review, fresh, load_work_safety_catalogue
from fazhi.core.calendar import load_schedule
from fazhi.core.models import Event, Role
from fazhi.legal.rules import deadlines as dl
from fazhi.legal.rules import procedure

pytestmark = pytest.mark.django_db

ONE = datetime.timedelta(days=1)
NOTICE_SERVED = datetime.date(2024, 5, 22)
DECIDED = datetime.date(2024, 6, 3)
# Test inputs (the proposals), not figures of the engine.
FINES = {PartyKind.UNIT: Decimal("20000.00"), PartyKind.PRINCIPAL: Decimal("5000.00")}


@pytest.fixture
def build(make_user, make_enterprise, jurisdictions, users):
    load_work_safety_catalogue()

    def make() -> tuple[list, PenaltyCase]:
        return case_in_review(make_user, make_enterprise, jurisdictions, users)

    return make


def _status(case: PenaltyCase, status: str) -> PenaltyCase:
    PenaltyCase.objects.filter(pk=case.pk).update(status=status)
    return fresh(case)


def _propose(case: PenaltyCase) -> dict[str, PartyDecision]:
    item = case.items.first()
    return {party.kind: PartyDecision.objects.create(
        party=party, outcome=Outcome.PENALTY, item=item, measures=["fine"],
        fine=FINES[party.kind], hearing_rights=party.kind == PartyKind.UNIT,
        reason="未按照规定对从业人员进行安全生产教育和培训") for party in case.parties.all()}


def _notice(case: PenaltyCase, served: datetime.date = NOTICE_SERVED) -> CaseNotice:
    schedule = load_schedule()
    notice = CaseNotice.objects.create(
        case=case, number=f"告知-{case.pk}", issued_on=served, hearing_rights=True,
        served_on=served, statement_due=dl.statement_deadline(schedule, served).date,
        hearing_request_due=dl.hearing_request_deadline(schedule, served).date)
    _status(case, CaseStatus.NOTICE)
    return notice


def _decide(case: PenaltyCase, decisions: dict, on: datetime.date = DECIDED) -> None:
    schedule = load_schedule()
    for decision in decisions.values():
        decision.decided_on, decision.number = on, f"决定-{decision.pk}"
        decision.save()
        Publicity.objects.create(decision=decision,
                                 due=dl.publicity_deadline(schedule, on).date)
    _status(case, CaseStatus.DECIDED)


def _serve(decision: PartyDecision, on: datetime.date) -> None:
    decision.served_on = on
    decision.payment_due = dl.payment_deadline(load_schedule(), on).date
    decision.save()


def _publish(decision: PartyDecision, on: datetime.date) -> None:
    Publicity.objects.filter(decision=decision).update(published_on=on)


def _by(items, key, party=None):
    found = [d for d in items if d.key == key and (party is None or d.party == party)]
    assert len(found) == 1, (key, party, found)
    return found[0]


def _late_ids(today: datetime.date, qs=None) -> set[int]:
    return set(case_dl.overdue_cases(qs if qs is not None else PenaltyCase.objects.all(),
                                     today).values_list("pk", flat=True))


# --- notice stage -------------------------------------------------------------------------------

def test_at_notice_the_decision_period_runs_and_the_party_periods_are_information(build):
    officers, case = build()
    decisions = _propose(case)
    notice = _notice(case)
    schedule = load_schedule()
    expected_due = dl.decision_deadline(schedule, FILED)
    assert fresh(case).decision_due == expected_due.date

    today = notice.statement_due
    items = case_dl.case_deadlines(fresh(case), today)
    assert [d.key for d in items] == [dl.DECISION, dl.STATEMENT, dl.HEARING_REQUEST]
    decision = _by(items, dl.DECISION)
    assert (decision.due, decision.done_on, decision.overdue) == (expected_due.date, None, False)
    assert decision.label == "作出决定期限"
    # the citations recorded when filing was approved are the engine's
    event = Event.objects.get(object_id=str(case.pk), action="case.approve_filing")
    assert list(decision.citations) == event.payload["decision_due_citations"]
    assert {c["article"] for c in decision.citations} == {
        c.article for c in expected_due.citations}

    statement = _by(items, dl.STATEMENT)
    assert statement.due == dl.statement_deadline(schedule, NOTICE_SERVED).date
    assert statement.information and statement.done_on is None
    request = _by(items, dl.HEARING_REQUEST)
    assert request.due == dl.hearing_request_deadline(schedule, NOTICE_SERVED).date

    # the party staying silent past its periods makes nothing of the agency's late
    later = max(notice.statement_due, notice.hearing_request_due) + 3 * ONE
    assert later <= expected_due.date
    for item in case_dl.case_deadlines(fresh(case), later):
        assert not item.overdue

    # both parties heard: the statement period is done on the later day
    for offset, party_decision in enumerate(decisions.values()):
        DefenceStatement.objects.create(
            case=case, party=party_decision.party, received_on=NOTICE_SERVED + offset * ONE,
            content="已组织补训", recorded_by=officers[0])
    statement = _by(case_dl.case_deadlines(fresh(case), later), dl.STATEMENT)
    assert statement.done_on == NOTICE_SERVED + ONE


def test_the_decision_period_is_overdue_only_after_its_last_day(build):
    _officers, case = build()
    _propose(case)
    _notice(case)
    due = fresh(case).decision_due

    on_the_day = _by(case_dl.case_deadlines(fresh(case), due), dl.DECISION)
    assert not on_the_day.overdue and not on_the_day.needs_action
    assert case.pk not in _late_ids(due)

    day_after = _by(case_dl.case_deadlines(fresh(case), due + ONE), dl.DECISION)
    assert day_after.overdue and day_after.needs_action
    assert case.pk in _late_ids(due + ONE)


def test_an_extension_moves_the_period_and_is_mentioned(build, users):
    _officers, case = build()
    _propose(case)
    _notice(case)
    base = dl.decision_deadline(load_schedule(), FILED)
    extension = base.extensions[0]
    CaseExtension.objects.create(
        case=case, reason="案情复杂", approved_on=base.date - ONE,
        approved_by=users[Role.LEADER], due_before=base.date, due_after=extension.date,
        basis=[{**extension.citation.as_dict(), "approval": extension.approval}])
    PenaltyCase.objects.filter(pk=case.pk).update(decision_due=extension.date)

    item = _by(case_dl.case_deadlines(fresh(case), base.date + ONE), dl.DECISION)
    assert item.due == extension.date and not item.overdue
    assert any("延期" in note and str(extension.date) in note for note in item.notes)
    assert extension.citation.as_dict().items() <= item.citations[-1].items()
    assert case.pk not in _late_ids(base.date + ONE)


def test_a_suspended_case_shows_its_deadlines_as_suspended(build, users):
    _officers, case = build()
    _propose(case)
    _notice(case)
    due = fresh(case).decision_due
    suspension = CaseSuspension.objects.create(case=case, reason="等待鉴定结论",
                                               started_on=due - 5 * ONE,
                                               approved_by=users[Role.LEADER])

    item = _by(case_dl.case_deadlines(fresh(case), due + 10 * ONE), dl.DECISION)
    assert item.suspended and not item.overdue and not item.needs_action
    assert any("中止" in note for note in item.notes)
    assert case.pk not in _late_ids(due + 10 * ONE)

    suspension.ended_on = due
    suspension.save()
    item = _by(case_dl.case_deadlines(fresh(case), due + 10 * ONE), dl.DECISION)
    assert not item.suspended and item.overdue
    assert case.pk in _late_ids(due + 10 * ONE)


def test_the_hearing_notice_is_due_seven_working_days_before_the_hearing(build):
    _officers, case = build()
    _propose(case)
    _notice(case)
    hearing_day = datetime.date(2024, 6, 5)
    hearing = Hearing.objects.create(case=case, requested_on=NOTICE_SERVED + ONE,
                                     hearing_date=hearing_day)
    _status(case, CaseStatus.HEARING)
    last = procedure.hearing_notice_compliant(hearing_day, hearing_day,
                                              load_schedule()).last_notice_day
    assert last < hearing_day

    items = case_dl.case_deadlines(fresh(case), last)
    assert _by(items, dl.HEARING_REQUEST).done_on == NOTICE_SERVED + ONE
    notice = _by(items, case_dl.HEARING_NOTICE)
    assert notice.due == last and not notice.overdue
    assert case.pk not in _late_ids(last)
    assert _by(case_dl.case_deadlines(fresh(case), last + ONE), case_dl.HEARING_NOTICE).overdue
    assert case.pk in _late_ids(last + ONE)

    hearing.notice_sent_on = last + ONE  # sent, but late
    hearing.save()
    late = _by(case_dl.case_deadlines(fresh(case), last + 3 * ONE), case_dl.HEARING_NOTICE)
    assert late.done_on == last + ONE and late.overdue and not late.needs_action
    assert case.pk not in _late_ids(last + 3 * ONE)


# --- decided and served -------------------------------------------------------------------------

def test_once_decided_service_and_publicity_run_per_party(build):
    _officers, case = build()
    decisions = _propose(case)
    _notice(case)
    _decide(case, decisions)
    schedule = load_schedule()
    service_due = dl.service_deadline(schedule, DECIDED,
                                      party_present_at_announcement=False).date
    publicity_due = dl.publicity_deadline(schedule, DECIDED).date
    unit, principal = decisions[PartyKind.UNIT], decisions[PartyKind.PRINCIPAL]

    items = case_dl.case_deadlines(fresh(case), service_due)
    assert [d.key for d in items] == [
        dl.DECISION, dl.STATEMENT, dl.HEARING_REQUEST, dl.SERVICE, dl.SERVICE,
        dl.PUBLICITY, dl.PUBLICITY]
    decision = _by(items, dl.DECISION)
    assert decision.done_on == DECIDED and not decision.overdue
    for party in (unit.party.name, principal.party.name):
        service = _by(items, dl.SERVICE, party)
        assert service.due == service_due and not service.overdue
        assert _by(items, dl.PUBLICITY, party).due == publicity_due
    assert case.pk not in _late_ids(min(service_due, publicity_due))

    _serve(unit, service_due)  # on the last day: on time
    _publish(unit, publicity_due)
    _publish(principal, publicity_due + ONE)  # a day late
    after = max(service_due, publicity_due) + ONE
    items = case_dl.case_deadlines(fresh(case), after)
    assert not _by(items, dl.SERVICE, unit.party.name).overdue
    late_service = _by(items, dl.SERVICE, principal.party.name)
    assert late_service.overdue and late_service.needs_action
    assert not _by(items, dl.PUBLICITY, unit.party.name).overdue
    late_publicity = _by(items, dl.PUBLICITY, principal.party.name)
    assert late_publicity.overdue and not late_publicity.needs_action
    assert case.pk in _late_ids(after)

    _serve(principal, after)
    assert case.pk not in _late_ids(after)


def test_once_served_payment_runs_and_the_remedy_periods_are_information(build, users):
    officers, case = build()
    decisions = _propose(case)
    _notice(case)
    _decide(case, decisions)
    schedule = load_schedule()
    served = dl.service_deadline(schedule, DECIDED, party_present_at_announcement=False).date
    for decision in decisions.values():
        _serve(decision, served)
        _publish(decision, DECIDED + ONE)
    _status(case, CaseStatus.SERVED)
    unit, principal = decisions[PartyKind.UNIT], decisions[PartyKind.PRINCIPAL]
    payment_due = dl.payment_deadline(schedule, served).date
    Payment.objects.create(decision=unit, kind=Payment.Kind.PRINCIPAL, amount=unit.fine,
                           paid_on=payment_due, recorded_by=officers[0])

    items = case_dl.case_deadlines(fresh(case), payment_due)
    for decision in (unit, principal):
        payment = _by(items, dl.PAYMENT, decision.party.name)
        assert payment.due == payment_due and not payment.overdue
        assert payment.label == "缴款期限"
    assert _by(items, dl.PAYMENT, unit.party.name).done_on == payment_due
    assert case.pk not in _late_ids(payment_due)

    after = payment_due + ONE
    items = case_dl.case_deadlines(fresh(case), after)
    assert not _by(items, dl.PAYMENT, unit.party.name).overdue
    unpaid = _by(items, dl.PAYMENT, principal.party.name)
    assert unpaid.overdue and unpaid.needs_action and unpaid.done_on is None
    assert case.pk in _late_ids(after)

    reconsideration = dl.reconsideration_deadline(schedule, served).deadline.date
    litigation = dl.litigation_deadline(schedule, served).deadline.date
    long_after = litigation + ONE
    items = case_dl.case_deadlines(fresh(case), long_after)
    assert _by(items, dl.RECONSIDERATION, unit.party.name).due == reconsideration
    assert _by(items, dl.LITIGATION, principal.party.name).due == litigation
    for item in items:
        if item.key in {dl.RECONSIDERATION, dl.LITIGATION}:
            assert item.information and not item.overdue

    # paid late with the surcharge: done, on the day it was settled, and marked late
    state_day = after + 2 * ONE
    Payment.objects.create(decision=principal, kind=Payment.Kind.PRINCIPAL,
                           amount=principal.fine, paid_on=state_day, recorded_by=officers[0])
    surcharge = execution_state(PartyDecision.objects.get(pk=principal.pk),
                                state_day).surcharge
    assert surcharge > 0
    assert case.pk in _late_ids(state_day)  # the surcharge is still owed
    Payment.objects.create(decision=principal, kind=Payment.Kind.SURCHARGE, amount=surcharge,
                           paid_on=state_day, recorded_by=officers[0])
    settled = _by(case_dl.case_deadlines(fresh(case), state_day), dl.PAYMENT,
                  principal.party.name)
    assert settled.done_on == state_day and settled.overdue and not settled.needs_action
    assert case.pk not in _late_ids(state_day)


def test_an_arrangement_gives_one_payment_deadline_per_instalment(build, users):
    officers, case = build()
    decisions = _propose(case)
    _notice(case)
    _decide(case, decisions)
    for decision in decisions.values():
        _serve(decision, DECIDED)
        _publish(decision, DECIDED)
    _status(case, CaseStatus.SERVED)
    unit = decisions[PartyKind.UNIT]
    first, second = unit.payment_due, unit.payment_due + 30 * ONE
    half = unit.fine / 2
    PaymentArrangement.objects.create(
        decision=unit, kind=PaymentArrangement.Kind.INSTALMENTS, reason="资金周转困难",
        schedule=[{"due": first.isoformat(), "amount": str(half)},
                  {"due": second.isoformat(), "amount": str(half)}],
        approved_by=users[Role.LEADER], approved_on=DECIDED + ONE)
    principal = decisions[PartyKind.PRINCIPAL]
    Payment.objects.create(decision=principal, kind=Payment.Kind.PRINCIPAL,
                           amount=principal.fine, paid_on=DECIDED, recorded_by=officers[0])
    Payment.objects.create(decision=unit, kind=Payment.Kind.PRINCIPAL, amount=half,
                           paid_on=first, recorded_by=officers[0])

    items = [d for d in case_dl.case_deadlines(fresh(case), second)
             if d.key == dl.PAYMENT and d.party == unit.party.name]
    assert [(d.label, d.due, d.done_on) for d in items] == [
        ("缴款期限（第1期）", first, first), ("缴款期限（第2期）", second, None)]
    assert not any(d.overdue for d in items)
    assert case.pk not in _late_ids(second)
    late = [d for d in case_dl.case_deadlines(fresh(case), second + ONE)
            if d.key == dl.PAYMENT and d.needs_action]
    assert [(d.party, d.due) for d in late] == [(unit.party.name, second)]
    assert case.pk in _late_ids(second + ONE)


def test_a_closed_case_shows_only_what_was_done_and_what_was_late(build):
    _officers, case = build()
    decisions = _propose(case)
    _notice(case)
    _decide(case, decisions)
    schedule = load_schedule()
    service_due = dl.service_deadline(schedule, DECIDED,
                                      party_present_at_announcement=False).date
    _serve(decisions[PartyKind.UNIT], service_due)
    _serve(decisions[PartyKind.PRINCIPAL], service_due + ONE)  # late
    for decision in decisions.values():
        _publish(decision, DECIDED)
    closed = service_due + 10 * ONE
    PenaltyCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=closed)

    items = case_dl.case_deadlines(fresh(case), closed + 365 * ONE)
    assert items and all(d.done_on is not None for d in items)
    assert not any(d.needs_action for d in items)
    assert [d.party for d in items if d.overdue] == [decisions[PartyKind.PRINCIPAL].party.name]
    assert {d.key for d in items} >= {dl.DECISION, dl.SERVICE, dl.PUBLICITY}
    assert case.pk not in _late_ids(closed + 365 * ONE)


# --- many cases and scope -----------------------------------------------------------------------

def test_overdue_cases_finds_exactly_the_overdue_ones_within_the_users_scope(
        build, make_user, agencies, jurisdictions, django_assert_max_num_queries):
    _o, late_here = build()
    _propose(late_here)
    _notice(late_here)
    _o, on_time = build()
    decisions = _propose(on_time)
    _notice(on_time)
    _decide(on_time, decisions)
    _o, late_there = build()
    _propose(late_there)
    _notice(late_there)
    late_there.jurisdiction = jurisdictions["xiuzhou_town"]
    late_there.save()

    today = fresh(late_here).decision_due + ONE
    # the on-time case: decided before its due day, served and published in time
    for decision in decisions.values():
        _serve(decision, DECIDED)
        _publish(decision, DECIDED)
    _status(on_time, CaseStatus.SERVED)
    for decision in decisions.values():
        Payment.objects.create(decision=decision, kind=Payment.Kind.PRINCIPAL,
                               amount=decision.fine, paid_on=DECIDED,
                               recorded_by=_o[0])

    with django_assert_max_num_queries(10):
        found = _late_ids(today)
    assert found == {late_here.pk, late_there.pk}
    # the same answer as the case pages
    for case in PenaltyCase.objects.all():
        listed = any(d.needs_action for d in case_dl.case_deadlines(case, today))
        assert listed == (case.pk in found), case

    nanhu = make_user(Role.OFFICER)
    xiuzhou = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    city = make_user(Role.LEADER, agency=agencies["city"])
    assert set(cases_with_overdue_deadlines(user=nanhu, today=today)) == {fresh(late_here)}
    assert set(cases_with_overdue_deadlines(user=xiuzhou, today=today)) == {fresh(late_there)}
    assert {c.pk for c in cases_with_overdue_deadlines(user=city, today=today)} == found
    assert case_deadlines_for(user=xiuzhou, pk=late_here.pk, today=today) is None
    mine = case_deadlines_for(user=nanhu, pk=late_here.pk, today=today)
    assert mine is not None and _by(mine, dl.DECISION).needs_action


# --- the ledger ----------------------------------------------------------------------------------

def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_the_ledger_has_a_row_per_party_decision_with_money_and_dates(build):
    officers, decided = build()
    decisions = _propose(decided)
    _notice(decided)
    _decide(decided, decisions)
    for decision in decisions.values():
        _serve(decision, DECIDED)
        _publish(decision, DECIDED + ONE)
    unit = decisions[PartyKind.UNIT]
    Payment.objects.create(decision=unit, kind=Payment.Kind.PRINCIPAL, amount=unit.fine,
                           paid_on=DECIDED + ONE, recorded_by=officers[0])
    _o, undecided = build()

    ws = _sheet(case_ledger_workbook(PenaltyCase.objects.all()))
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert len(rows) == 1 + 2 + 1
    col = {h: i for i, h in enumerate(HEADERS)}
    by_party = {r[col["当事人"]]: r for r in rows[1:]}
    for decision in decisions.values():
        row = by_party[decision.party.name]
        assert row[col["立案编号"]] == fresh(decided).number
        assert row[col["当事人类别"]] == decision.party.get_kind_display()
        assert Decimal(str(row[col["罚款（元）"]])) == decision.fine
        assert Decimal(str(row[col["没收（元）"]])) == 0
        assert row[col["处罚种类"]] == "罚款"
        assert row[col["决定书文号"]] == decision.number
        assert row[col["决定日期"]].date() == DECIDED
        assert row[col["送达日期"]].date() == DECIDED
        assert row[col["公示日期"]].date() == DECIDED + ONE
        assert row[col["立案日期"]].date() == FILED
    assert by_party[unit.party.name][col["缴款情况"]].startswith("已缴清")
    assert by_party[decisions[PartyKind.PRINCIPAL].party.name][col["缴款情况"]].startswith(
        "未缴清")
    # the case without decisions: one row naming its parties, no money
    lone = [r for r in rows[1:] if r[col["立案编号"]] == fresh(undecided).number]
    assert len(lone) == 1 and lone[0][col["罚款（元）"]] is None
    assert [r[0] for r in rows[1:]] == [1, 2, 3]

    fine_col = col["罚款（元）"] + 1
    for r in range(2, ws.max_row + 1):
        assert ws.cell(row=r, column=fine_col).number_format == MONEY_FORMAT
        assert ws.cell(row=r, column=col["没收（元）"] + 1).number_format == MONEY_FORMAT


def test_the_ledger_reads_a_fixed_number_of_queries(build, django_assert_max_num_queries):
    for _ in range(3):
        officers, case = build()
        decisions = _propose(case)
        _notice(case)
        _decide(case, decisions)
        for decision in decisions.values():
            _serve(decision, DECIDED)
            Payment.objects.create(decision=decision, kind=Payment.Kind.PRINCIPAL,
                                   amount=decision.fine, paid_on=DECIDED,
                                   recorded_by=officers[0])
    with django_assert_max_num_queries(10):
        data = case_ledger_workbook(PenaltyCase.objects.all())
    assert len(list(_sheet(data).iter_rows(min_row=2))) == 6
