"""Case review to decision: proposals priced by the legal engine (statute refused,
benchmark deviation explained, no penalty with the fine waived), the engine's
assessment gating legal review and collective discussion, review rounds with opinions
and answers, the notice's periods, statements and the hearing. Figures are the
engine's, never literals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cases.models import CaseStatus, PartyDecision, PartyKind
from fazhi.cases.services import case_transition
from fazhi.cases.services.review import (
    case_assess,
    collective_discussion_record,
    hearing_report_save,
    hearing_schedule,
    legal_review_conclude,
    notice_served,
    party_decision_propose,
    review_opinion_add,
    review_opinion_answer,
    statement_record,
    statement_review,
)
from fazhi.cases.tests.worlds import (
    REPORTED,
    TRAINING_ITEM,
    case_in_review,
    fresh,
    load_work_safety_catalogue,
)
from fazhi.core.calendar import load_schedule
from fazhi.core.models import Event, Role
from fazhi.legal import engine
from fazhi.legal import services as legal_services
from fazhi.legal.catalogue import large_fine_threshold
from fazhi.legal.models import EnforcementItem
from fazhi.legal.rules import deadlines, procedure
from fazhi.legal.rules.discretion import BenchmarkTier, FineRange
from fazhi.legal.selectors import resolve_items

pytestmark = pytest.mark.django_db
ON = REPORTED + datetime.timedelta(days=2)
DAY = datetime.timedelta(days=1)
MEASURES = ("order_correct_within_deadline", "fine")


@pytest.fixture
def world(make_user, make_enterprise, jurisdictions, users):
    """A case in review with the unit as its only party."""
    load_work_safety_catalogue()
    officers, case = case_in_review(make_user, make_enterprise, jurisdictions, users,
                                    principal=False)
    return officers[0], case, users


def _engine_fine(case, *, party_type="unit", role=None, tier=None, stage="first") -> dict:
    """What POST /legal/assess answers for the party's fine (recommendation.fine)."""
    items = resolve_items([TRAINING_ITEM], on=case.violation_date, decided=ON,
                          jurisdiction=case.jurisdiction.code, stage=stage)
    answer = engine.assess(
        engine.AssessRequest(party_type=party_type, role=role, item=TRAINING_ITEM,
                             stage=stage, tier=tier,
                             dates=engine.Dates(violation_ended=case.violation_date,
                                                decided=ON)),
        schedule=load_schedule(), items=items,
        threshold=large_fine_threshold(case.jurisdiction, ON), today=ON)
    fines = answer["recommendation"]["fine"]
    return {k: Decimal(v) for k, v in next(iter(fines.values())).items()}


def _unit(case):
    return case.parties.get(kind=PartyKind.UNIT)


def _propose(officer, case, fine=0, **kw):
    fields = {"outcome": "penalty", "reason": "未对新入职从业人员进行安全生产教育和培训",
              "item_code": TRAINING_ITEM, "measures": MEASURES, "fine": fine, "on": ON}
    fields.update(kw)
    party = fields.pop("party", None) or _unit(case)
    case = fresh(case)
    party_decision_propose(actor=officer, case=case, version=case.version, party=party,
                           **fields)
    return fresh(case)


def _move(actor, case, action, on, **kw):
    case = fresh(case)
    return case_transition(actor=actor, case=case, action=action, version=case.version,
                           on=on, **kw)


def _assess(officer, case, **facts):
    case = fresh(case)
    return case_assess(actor=officer, case=case, version=case.version, facts=facts, on=ON)


def _refused(call, exc=ValidationError) -> str:
    """The refusal's text; nothing was written to the event record."""
    events = Event.objects.count()
    with pytest.raises(exc) as err:
        call()
    assert Event.objects.count() == events
    return " ".join(err.value.messages) if exc is ValidationError else str(err.value)


def _to_notice(officer, case, users, fine, **facts):
    """Proposal, assessment, approval and notice (no review or discussion required)."""
    case = _propose(officer, case, fine)
    _assess(officer, case, **facts)
    _move(officer, case, "submit_approval", ON)
    return _move(users[Role.LEADER], case, "approve_notice", ON + DAY)


# --- proposals ------------------------------------------------------------------------------

def test_a_proposal_within_the_statute_stores_the_engines_range(world):
    officer, case, _ = world
    expected = _engine_fine(case)  # no benchmark: the range is the statute's
    fine = expected["suggested"]
    _assess(officer, _propose(officer, case, fine))
    case = _propose(officer, case, fine)  # replaced: one decision, assessment reset
    decision = PartyDecision.objects.get(party__case=case)
    assert (decision.statutory_min, decision.statutory_max) == (expected["min"], expected["max"])
    assert (decision.recommended_min, decision.recommended_max, decision.suggested) == (
        expected["min"], expected["max"], expected["suggested"])
    # 第六十三条: a fine at or above the jurisdiction's 较大数额 carries hearing rights
    threshold = large_fine_threshold(case.jurisdiction, ON).unit_min
    assert decision.hearing_rights is (fine >= threshold) and decision.method
    assert {"provision_applied", "hearing_rights"} <= {c["applies_to"] for c in
                                                      decision.citations}
    assert case.review_required is None and case.collective_required is None
    assert case.assessment["hearing_citations"] and "facts" not in case.assessment


def test_a_fine_above_the_statutory_maximum_is_refused_and_nothing_changes(world):
    officer, case, _ = world
    over = _engine_fine(case)["max"] + 1
    message = _refused(lambda: _propose(officer, case, over))
    assert "超出法定幅度" in message and "第四条" in message
    assert not PartyDecision.objects.filter(party__case=case).exists()
    assert fresh(case).version == case.version


def test_outside_the_benchmark_needs_a_written_reason(world):
    officer, case, users = world
    # Test data, not a published benchmark: tiers within the statutory range.
    legal_services.benchmark_save(
        actor=users[Role.ADMIN], item=EnforcementItem.objects.get(code=TRAINING_ITEM),
        name="测试用裁量基准", version="T1", valid_from=datetime.date(2024, 1, 1), tiers=[
            BenchmarkTier("minor", fine_unit=FineRange(0, 30000)),
            BenchmarkTier("general", fine_unit=FineRange(30001, 100000))])
    minor = _engine_fine(case, tier="minor")
    above = minor["max"] + 1000
    assert above <= _engine_fine(case)["max"]  # lawful, but outside the tier
    message = _refused(lambda: _propose(officer, case, above, tier="minor"))
    assert "裁量基准" in message and "第三十四条" in message
    _propose(officer, case, above, tier="minor", deviation_reason="培训缺失人数多、时间长")
    decision = PartyDecision.objects.get(party__case=case)
    assert (decision.recommended_min, decision.recommended_max, decision.suggested) == (
        minor["min"], minor["max"], minor["suggested"])
    assert "测试用裁量基准" in decision.method and decision.fine == above
    assert "阶次" in _refused(lambda: _propose(officer, case, above, tier="severe"))


def test_no_penalty_waives_the_fine_that_would_otherwise_apply(world):
    officer, case, _ = world
    no_ground = _refused(lambda: _propose(officer, case, outcome="no_penalty", measures=()))
    assert "第三十三条" in no_ground
    _propose(officer, case, outcome="no_penalty", measures=(), exempt_ground="first")
    decision = PartyDecision.objects.get(party__case=case)
    assert decision.waived_amount == _engine_fine(case)["suggested"] > 0
    assert decision.hearing_rights is False


def test_a_person_is_priced_on_the_persons_range(make_user, make_enterprise, jurisdictions,
                                                 users):
    load_work_safety_catalogue()
    officers, case = case_in_review(make_user, make_enterprise, jurisdictions, users)
    principal = case.parties.get(kind=PartyKind.PRINCIPAL)
    # at the first finding the provision fines only the unit
    assert "没有罚款规定" in _refused(
        lambda: _propose(officers[0], case, 1000, party=principal))
    persons = _engine_fine(case, party_type="individual", role="principal", stage="overdue")
    _propose(officers[0], case, persons["min"], party=principal, stage="overdue",
             measures=("fine",))
    decision = PartyDecision.objects.get(party=principal)
    assert (decision.statutory_min, decision.statutory_max) == (persons["min"],
                                                                persons["max"])


def test_a_stale_version_is_refused(world):
    officer, case, _ = world
    seen = case.version
    _propose(officer, case, 1000)
    assert "已被他人更新" in _refused(lambda: party_decision_propose(
        actor=officer, case=case, version=seen, party=_unit(case), outcome="penalty",
        reason="理由", item_code=TRAINING_ITEM, measures=MEASURES, fine=2000, on=ON))


# --- legal review and collective discussion --------------------------------------------------

def test_legal_review_rounds_until_agreed(world, make_user):
    officer, case, users = world
    reviewer = users[Role.REVIEWER]
    _assess(officer, _propose(officer, case, 10000), complex=True)
    case = fresh(case)
    assert case.review_required is True and case.collective_required is True
    assert case.assessment["legal_review"]["citations"]
    assert "第五十八条" in _refused(lambda: _move(officer, case, "submit_approval", ON))
    case = _move(officer, case, "submit_legal_review", ON)
    assert case.status == CaseStatus.LEGAL_REVIEW
    handling_reviewer = make_user(Role.REVIEWER)
    case.handlers.add(handling_reviewer)
    assert "承办人员" in _refused(lambda: review_opinion_add(
        actor=handling_reviewer, case=case, version=case.version, issue="问题", law="依据",
        suggestion="建议"), PermissionDenied)
    opinions = []
    for issue in ("违法事实中培训人数与询问笔录不一致", "未写明从轻情节的认定理由"):
        case = fresh(case)
        opinions.append(review_opinion_add(actor=reviewer, case=case, version=case.version,
                                           issue=issue, law="《行政处罚法》第五条第二款",
                                           suggestion="核实后修改"))
    assert [o.number for o in opinions] == [1, 2]
    case = fresh(case)
    case = legal_review_conclude(actor=reviewer, case=case, version=case.version,
                                 conclusion="modify", summary="按意见修改", on=ON)
    assert case.status == CaseStatus.CASE_REVIEW
    assert "逐条回复" in _refused(lambda: _move(officer, case, "submit_legal_review", ON))
    for opinion in opinions:
        case = fresh(case)
        review_opinion_answer(actor=officer, case=case, version=case.version,
                              opinion=opinion, answer="已核实并修改", on=ON)
    _move(officer, case, "submit_legal_review", ON + DAY)
    case = fresh(case)
    case = legal_review_conclude(actor=reviewer, case=case, version=case.version,
                                 conclusion="agree", on=ON + DAY)
    assert case.status == CaseStatus.APPROVAL
    assert [r.conclusion for r in case.legal_reviews.all()] == ["modify", "agree"]


def test_collective_discussion_before_the_notice(world):
    officer, case, users = world
    leader = users[Role.LEADER]
    _assess(officer, _propose(officer, case, 10000), major_violation=True)
    case = _move(officer, case, "submit_approval", ON)
    assert case.collective_required is True and case.review_required is False
    assert "第五十七条第二款" in _refused(lambda: _move(leader, case, "approve_notice", ON))
    case = _move(leader, case, "submit_collective", ON + DAY)
    assert "第五十七条第二款" in _refused(lambda: _move(leader, case, "approve_notice", ON))

    def record(date, opinions):
        return collective_discussion_record(
            actor=leader, case=fresh(case), version=fresh(case).version, date=date,
            host="局长", attendees=["局长", "副局长甲"], opinions=opinions,
            conclusion="同意承办人处理意见")

    said = [{"name": "副局长甲", "opinion": "同意"}]
    assert "出席人员" in _refused(lambda: record(ON + DAY, [{"name": "旁听者",
                                                                "opinion": "同意"}]))
    assert "提请集体讨论" in _refused(lambda: record(ON, said))
    record(ON + DAY, said)
    assert _move(leader, case, "approve_notice", ON + 2 * DAY).status == CaseStatus.NOTICE


# --- notice, statements, hearing -------------------------------------------------------------

def test_the_decision_waits_for_the_statement_period(world):
    officer, case, users = world
    case = _to_notice(officer, case, users, 10000)
    served = ON + 3 * DAY
    notice = notice_served(actor=officer, case=case, version=case.version, served_on=served)
    due = deadlines.statement_deadline(load_schedule(), served)
    assert notice.statement_due == due.date and notice.hearing_request_due is None
    assert notice.citations and notice.hearing_rights is False
    case = fresh(case)
    statement = statement_record(actor=officer, case=case, version=case.version,
                                 party=_unit(case), received_on=served,
                                 content="已组织补训，请求从轻")
    after = due.date + DAY
    assert "陈述申辩" in _refused(lambda: _move(users[Role.LEADER], case, "decide", due.date))
    assert "陈述申辩" in _refused(lambda: _move(users[Role.LEADER], case, "decide", after))
    case = fresh(case)
    statement_review(actor=officer, case=case, version=case.version, statement=statement,
                     review="补训事实属实，但已在裁量中考虑", adopted=False)
    assert _move(users[Role.LEADER], case, "decide", after).status == CaseStatus.DECIDED


def test_an_express_waiver_ends_the_statement_period(world):
    officer, case, users = world
    case = _to_notice(officer, case, users, 10000)
    served = ON + 3 * DAY
    notice_served(actor=officer, case=case, version=case.version, served_on=served)
    case = fresh(case)
    assert "择一" in _refused(lambda: statement_record(
        actor=officer, case=case, version=case.version, party=_unit(case),
        received_on=served, waived=True, content="放弃"))
    assert "早于" in _refused(lambda: statement_record(
        actor=officer, case=case, version=case.version, party=_unit(case),
        received_on=served - DAY, waived=True))
    statement_record(actor=officer, case=case, version=case.version, party=_unit(case),
                     received_on=served, waived=True)
    assert _move(users[Role.LEADER], case, "decide", served).status == CaseStatus.DECIDED


def test_a_large_fine_brings_a_hearing_and_then_legal_review(world):
    officer, case, users = world
    leader, reviewer = users[Role.LEADER], users[Role.REVIEWER]
    large = large_fine_threshold(case.jurisdiction, ON).unit_min
    case = _to_notice(officer, case, users, large, major_rights=True)
    assert case.review_required is False  # major rights alone: no hearing yet
    served = ON + 3 * DAY
    notice = notice_served(actor=officer, case=case, version=case.version, served_on=served)
    request_due = deadlines.hearing_request_deadline(load_schedule(), served).date
    assert notice.hearing_rights is True and notice.hearing_request_due == request_due
    assert "五日内" in _refused(lambda: _move(officer, case, "record_hearing_request",
                                            request_due + DAY))
    case = _move(officer, case, "record_hearing_request", request_due)
    assert case.status == CaseStatus.HEARING

    hearing_day = request_due + 21 * DAY
    last = procedure.hearing_notice_compliant(hearing_day, hearing_day,
                                              load_schedule()).last_notice_day

    def schedule(sent):
        case_now = fresh(case)
        return hearing_schedule(actor=officer, case=case_now, version=case_now.version,
                                notice_sent_on=sent, hearing_date=hearing_day,
                                place="区应急管理局听证室", host="法制科科长")

    assert f"{last:%Y年%m月%d日}" in _refused(lambda: schedule(last + DAY))
    assert schedule(last).notice_compliant is True
    case = fresh(case)
    hearing_report_save(actor=officer, case=case, version=case.version, record="听证笔录",
                        report="建议维持原处理意见", on=hearing_day)
    case = fresh(case)
    assert case.review_required is True  # 第五十八条第一款第（二）项: heard, major rights
    assert "第五十八条" in _refused(lambda: _move(leader, case, "decide", hearing_day))
    _move(officer, case, "submit_legal_review", hearing_day)
    case = fresh(case)
    legal_review_conclude(actor=reviewer, case=case, version=case.version,
                          conclusion="agree", on=hearing_day)
    assert _move(leader, case, "decide", hearing_day + DAY).status == CaseStatus.DECIDED
