"""Suspension (中止) and extension (延期): approved by a head with reasons; a suspended
case does not move; resuming moves the decision deadline by the days suspended; an
extension goes to the next limit the engine allows and no further."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cases.models import CaseExtension, CaseSuspension
from fazhi.cases.rules.workflow import GATES
from fazhi.cases.services import case_extend, case_resume, case_suspend, case_transition
from fazhi.cases.tests.worlds import FILED, case_in_review, fresh, load_work_safety_catalogue
from fazhi.core import calendar
from fazhi.core.models import Event, Role
from fazhi.legal.rules import deadlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(make_user, make_enterprise, jurisdictions, users):
    load_work_safety_catalogue()
    return case_in_review(make_user, make_enterprise, jurisdictions, users)


def _refused(call, exc=ValidationError) -> str:
    events = Event.objects.count()
    with pytest.raises(exc) as err:
        call()
    assert Event.objects.count() == events
    return " ".join(err.value.messages) if exc is ValidationError else str(err.value)


def test_a_suspended_case_does_not_move_and_resuming_moves_the_deadline(in_review, users):
    officers, case = in_review
    leader = users[Role.LEADER]
    due = case.decision_due
    assert "负责人" in _refused(lambda: case_suspend(
        actor=officers[0], case=case, version=case.version, reason="等待鉴定结论"),
        PermissionDenied)
    assert "中止理由" in _refused(lambda: case_suspend(
        actor=leader, case=case, version=case.version, reason=" "))
    start = datetime.date(2024, 5, 21)
    case_suspend(actor=leader, case=case, version=case.version, reason="等待鉴定结论", on=start)
    case = fresh(case)
    message = _refused(lambda: case_transition(
        actor=leader, case=case, action="return_investigation", version=case.version,
        reason="补充询问"))
    assert GATES["not_suspended"] in message
    resumed = start + datetime.timedelta(days=12)
    case_resume(actor=leader, case=case, version=case.version, on=resumed)
    case = fresh(case)
    assert case.decision_due == due + datetime.timedelta(days=12)
    assert CaseSuspension.objects.get(case=case).ended_on == resumed
    event = Event.objects.filter(action="case.resumed").get()
    assert event.payload["days"] == 12
    # moving again works once resumed
    case_transition(actor=leader, case=case, action="return_investigation",
                    version=case.version, reason="补充询问")


def test_extension_goes_to_the_engines_next_limit_and_no_further(in_review, users):
    _, case = in_review
    leader = users[Role.LEADER]
    engine = deadlines.decision_deadline(calendar.load_schedule(), FILED)
    assert case.decision_due == engine.date and engine.extensions  # filed in 2024: 2015 rule
    for limit in engine.extensions:
        case_extend(actor=leader, case=case, version=case.version, reason="案情复杂",
                    on=FILED + datetime.timedelta(days=1))
        case = fresh(case)
        assert case.decision_due == limit.date
    assert "最长期限" in _refused(lambda: case_extend(
        actor=leader, case=case, version=case.version, reason="案情复杂",
        on=FILED + datetime.timedelta(days=1)))
    assert CaseExtension.objects.filter(case=case).count() == len(engine.extensions)
    first = CaseExtension.objects.filter(case=case).first()
    assert first.due_before == engine.date and first.basis[0]["approval"]


def test_no_extension_once_the_deadline_has_passed(in_review, users):
    _, case = in_review
    late = case.decision_due + datetime.timedelta(days=1)
    assert "届满" in _refused(lambda: case_extend(
        actor=users[Role.LEADER], case=case, version=case.version, reason="案情复杂", on=late))
