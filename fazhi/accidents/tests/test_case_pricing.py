"""A penalty case opened from an accident is priced by the accident rules on the
accident's class: the unit by 安全生产法 第一百一十四条, the principal by 第九十五条 (a share
of the previous year's income). Expected ranges come from `fazhi.legal.rules.accidents`."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fazhi.accidents import services
from fazhi.accidents.tests.test_services import DAY, account
from fazhi.cases.models import CaseParty, PartyKind, PenaltyCase
from fazhi.cases.services import (
    case_details_set,
    case_party_add,
    case_transition,
    evidence_item_add,
    investigation_report_save,
    party_decision_propose,
)
from fazhi.core.models import Event, Role
from fazhi.core.tests.factories import make_id_number
from fazhi.inspection.tests.test_services import certify
from fazhi.legal.rules import accidents as law
from fazhi.subjects.models import ResponsiblePerson

pytestmark = pytest.mark.django_db
INCOME = Decimal("240000")


def _fresh(case: PenaltyCase) -> PenaltyCase:
    return PenaltyCase.objects.get(pk=case.pk)


def _in_review(approved, officer, make_user, users, subject: str
               ) -> tuple[PenaltyCase, CaseParty]:
    """The accountability's case taken to case review with its one party."""
    team = [certify(officer), certify(make_user(Role.OFFICER))]
    case = services.accident_case_open(actor=officer, handlers=team,
                                       accountability=account(approved, officer, subject))
    on = case.discovered_on
    case = case_details_set(actor=officer, case=case, version=case.version, violation_date=DAY)
    case = case_transition(actor=officer, case=case, action="submit_filing",
                           version=case.version, on=on)
    case = case_transition(actor=users[Role.LEADER], case=case, action="approve_filing",
                           version=case.version, on=on)
    person = None
    if subject == "principal":
        person = ResponsiblePerson.objects.create(
            enterprise=case.enterprise, kind=ResponsiblePerson.Kind.PRINCIPAL, name="钱国强",
            id_number=make_id_number(3))
    party = case_party_add(actor=officer, case=case, version=case.version,
                           kind=PartyKind.PRINCIPAL if person else PartyKind.UNIT, person=person)
    case = _fresh(case)
    evidence_item_add(actor=officer, case=case, version=case.version, kind="document",
                      name="事故调查报告及批复", source="事故调查组", proves="事故责任认定",
                      collected_on=on)
    case = _fresh(case)
    investigation_report_save(actor=officer, case=case, version=case.version, date=on,
                              facts="对较大事故的发生负有责任", proposal="依法给予罚款")
    case = _fresh(case)
    case = case_transition(actor=officer, case=case, action="submit_case_review",
                           version=case.version, on=on)
    return case, party


def _propose(case, party, officer, fine, **kw):
    return party_decision_propose(
        actor=officer, case=case, version=_fresh(case).version, party=party,
        outcome="penalty", item_code=case.items.get().code, stage="accident",
        measures=["fine"], fine=fine, reason="事故调查报告认定负有责任", on=case.discovered_on,
        **kw)


def test_the_unit_is_priced_by_article_114_on_the_accidents_class(approved, officer,
                                                                   make_user, users):
    case, party = _in_review(approved, officer, make_user, users, "unit")
    expected = law.unit_fine_for_accident(law.LARGE, occurred_on=DAY,
                                          decided_on=case.discovered_on)
    decision = _propose(case, party, officer, expected.min)
    assert (decision.statutory_min, decision.statutory_max) == (expected.min, expected.max)
    assert any("第一百一十四条" in c["article"] for c in decision.citations)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="超出法定幅度"):
        _propose(case, party, officer, expected.max + 1)
    assert Event.objects.count() == events


def test_the_principal_is_priced_by_article_95_on_the_previous_years_income(
        approved, officer, make_user, users):
    case, party = _in_review(approved, officer, make_user, users, "principal")
    with pytest.raises(ValidationError, match="上一年年收入"):
        _propose(case, party, officer, Decimal("100000"))
    expected = law.principal_fine(law.LARGE, income_prev_year=INCOME, occurred_on=DAY,
                                  decided_on=case.discovered_on)
    decision = _propose(case, party, officer, expected.amount_min, income_prev_year=INCOME)
    assert decision.statutory_min == decision.statutory_max == expected.amount_min
    assert any("第九十五条" in c["article"] for c in decision.citations)
