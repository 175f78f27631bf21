"""The filing stage of a case through the workflow table: a lead with two certified
handlers is submitted, the leader files it (numbered, decision deadline from the
engine) or refuses with a reason; every gate refuses in Chinese and changes nothing;
a stale version is refused, and on PostgreSQL two simultaneous moves: one wins."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from fazhi.cases.models import CaseStatus, PenaltyCase
from fazhi.cases.rules.workflow import GATES
from fazhi.cases.services import case_details_set, case_lead_from_finding, case_transition
from fazhi.core.models import Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.inspection.models import InspectionCategory
from fazhi.inspection.services import finding_add, inspection_create
from fazhi.inspection.tests.test_services import certify
from fazhi.legal.models import EnforcementItem

DAY = datetime.date(2024, 5, 6)
FILED = datetime.date(2024, 5, 8)


def _world(make_user, make_enterprise, jurisdictions):
    officers = [certify(make_user(Role.OFFICER)) for _ in range(2)]
    enterprise = make_enterprise(jurisdictions["nanhu_town"])
    inspection = inspection_create(actor=officers[0], enterprise=enterprise, date=DAY,
                                   place="生产车间", category=InspectionCategory.GENERAL,
                                   officers=officers)
    finding = finding_add(actor=officers[0], inspection=inspection, description="未组织安全培训")
    item = EnforcementItem.objects.create(code="TEST-FILING-1", name="测试执法事项",
                                          valid_from=datetime.date(2021, 9, 1))
    case = case_lead_from_finding(actor=officers[0], finding=finding, item_codes=[item.code])
    return officers, case


@pytest.fixture
def world(make_user, make_enterprise, jurisdictions):
    return _world(make_user, make_enterprise, jurisdictions)


def _unchanged(call, exc=ValidationError):
    events = Event.objects.count()
    before = PenaltyCase.objects.values().get()
    with pytest.raises(exc) as err:
        call()
    assert PenaltyCase.objects.values().get() == before
    assert Event.objects.count() == events
    return err.value.messages if exc is ValidationError else [str(err.value)]


@pytest.mark.django_db
def test_a_lead_is_filed_with_its_number_and_decision_deadline(world, users):
    officers, case = world
    assert set(case.handlers.all()) == set(officers) and case.discovered_on == DAY
    case = case_details_set(actor=officers[0], case=case, version=case.version,
                            violation_date=datetime.date(2024, 5, 1))
    case = case_transition(actor=officers[0], case=case, action="submit_filing",
                           version=case.version, on=FILED)
    assert case.status == CaseStatus.FILING
    case = case_transition(actor=users[Role.LEADER], case=case, action="approve_filing",
                           version=case.version, on=FILED)
    assert case.status == CaseStatus.INVESTIGATION
    assert case.number == "南应急立〔2024〕1号" and case.filed_on == FILED
    # Filed in 2024 under the 2015 work-safety rule: 30 days (extendable), not 90.
    assert case.decision_due == FILED + datetime.timedelta(days=30)
    event = object_events(case).last()
    assert event.action == "case.approve_filing"
    assert event.payload["number"] == case.number
    assert any(c["article"] == "第三十一条" for c in event.payload["decision_due_citations"])
    assert [e.action for e in object_events(case)] == [
        "case.lead_registered", "case.details_set", "case.submit_filing",
        "case.approve_filing"]
    assert verify_record() == []


@pytest.mark.django_db
def test_filing_gates_refuse_in_chinese_and_change_nothing(world, users, make_user):
    officers, case = world
    # Submitting needs a handler; a reviewer may not.
    messages = _unchanged(lambda: case_transition(
        actor=users[Role.REVIEWER], case=case, action="submit_filing", version=case.version))
    assert messages == ["您的角色不能“提请立案”"]
    # A handler whose certificate lapsed: the two-handler gate names the article.
    officers[1].certificates.update(valid_to=DAY)
    messages = _unchanged(lambda: case_transition(
        actor=officers[0], case=case, action="submit_filing", version=case.version, on=FILED))
    assert messages == [GATES["two_certified_handlers"]] and "第四十二条" in messages[0]
    officers[1].certificates.update(valid_to=datetime.date(2030, 1, 1))
    case = case_transition(actor=officers[0], case=case, action="submit_filing",
                           version=case.version, on=FILED)
    # No violation date: the limitation cannot be checked, so the case cannot be filed.
    messages = _unchanged(lambda: case_transition(
        actor=users[Role.LEADER], case=case, action="approve_filing", version=case.version,
        on=FILED))
    assert messages == [GATES["within_limitation"]]
    # Refusing to file needs a reason; with one, the case ends there.
    messages = _unchanged(lambda: case_transition(
        actor=users[Role.LEADER], case=case, action="refuse_filing", version=case.version))
    assert messages == [GATES["reason_given"]]
    case = case_transition(actor=users[Role.LEADER], case=case, action="refuse_filing",
                           version=case.version, reason="违法事实不能成立")
    assert case.status == CaseStatus.NOT_FILED and case.ended_reason == "违法事实不能成立"
    messages = _unchanged(lambda: case_transition(
        actor=users[Role.LEADER], case=case, action="approve_filing", version=case.version))
    assert messages == ["案件处于“不予立案”阶段，不能“批准立案”"]


@pytest.mark.django_db
def test_a_violation_past_the_limitation_cannot_be_filed(world, users):
    officers, case = world
    case = case_details_set(actor=officers[0], case=case, version=case.version,
                            violation_date=datetime.date(2022, 5, 5))
    case = case_transition(actor=officers[0], case=case, action="submit_filing",
                           version=case.version, on=FILED)
    messages = _unchanged(lambda: case_transition(
        actor=users[Role.LEADER], case=case, action="approve_filing", version=case.version,
        on=FILED))
    assert "第三十六条" in messages[0]


@pytest.mark.django_db
def test_a_stale_version_or_another_county_is_refused(world, users, make_user, agencies):
    officers, case = world
    stale = case.version
    case = case_details_set(actor=officers[0], case=case, version=stale,
                            violation_date=datetime.date(2024, 5, 1))
    messages = _unchanged(lambda: case_transition(
        actor=officers[0], case=case, action="submit_filing", version=stale))
    assert "请刷新后重试" in messages[0]
    outsider = make_user(Role.LEADER, agency=agencies["xiuzhou"])
    _unchanged(lambda: case_transition(actor=outsider, case=case, action="submit_filing",
                                       version=case.version), exc=PermissionDenied)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_moves_exactly_one_wins(make_user, make_enterprise, jurisdictions,
                                                 users):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    officers, case = _world(make_user, make_enterprise, jurisdictions)
    case = case_details_set(actor=officers[0], case=case, version=case.version,
                            violation_date=datetime.date(2024, 5, 1))
    case = case_transition(actor=officers[0], case=case, action="submit_filing",
                           version=case.version, on=FILED)
    leader, seen = users[Role.LEADER], case.version
    moves = [("approve_filing", ""), ("refuse_filing", "证据不足")] * 3
    results: list[str] = []
    lock, start = threading.Lock(), threading.Barrier(len(moves))

    def worker(action: str, reason: str) -> None:
        try:
            start.wait()
            case_transition(actor=leader, case=case, action=action, version=seen,
                            reason=reason, on=FILED)
            outcome = action
        except ValidationError as exc:
            outcome = "refused: " + exc.messages[0]
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=move) for move in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [r for r in results if not r.startswith("refused")]
    assert len(winners) == 1 and len(results) == len(moves)
    assert all("请刷新后重试" in r for r in results if r.startswith("refused"))
    case.refresh_from_db()
    assert case.version == seen + 1
    assert object_events(case).filter(action=f"case.{winners[0]}").count() == 1
