"""The investigation stage: parties (一案双罚: the unit and its principal as separate
parties), the evidence list, the investigation report, and the move to case review that
needs all three. Only the case's handlers write them, only while investigating; every
refusal is in Chinese and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fazhi.cases.models import CaseParty, CaseStatus, EvidenceItem, PartyKind, PenaltyCase
from fazhi.cases.rules.workflow import GATES
from fazhi.cases.services import (
    case_details_set,
    case_party_add,
    case_transition,
    evidence_item_add,
    investigation_report_save,
)
from fazhi.cases.tests.test_filing import FILED, _world
from fazhi.core.models import Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.core.tests.factories import make_id_number
from fazhi.subjects.models import ResponsiblePerson

pytestmark = pytest.mark.django_db
LATER = FILED + datetime.timedelta(days=5)


@pytest.fixture
def filed(make_user, make_enterprise, jurisdictions, users):
    """A case under investigation, with its principal on the enterprise's record."""
    officers, case = _world(make_user, make_enterprise, jurisdictions)
    case = case_details_set(actor=officers[0], case=case, version=case.version,
                            violation_date=datetime.date(2024, 5, 1))
    case = case_transition(actor=officers[0], case=case, action="submit_filing",
                           version=case.version, on=FILED)
    case = case_transition(actor=users[Role.LEADER], case=case, action="approve_filing",
                           version=case.version, on=FILED)
    principal = ResponsiblePerson.objects.create(
        enterprise=case.enterprise, kind=ResponsiblePerson.Kind.PRINCIPAL, name="周建华",
        id_number=make_id_number(1))
    return officers, case, principal


def _fresh(case):
    return PenaltyCase.objects.get(pk=case.pk)


def _unchanged(call, exc=ValidationError):
    events, rows = Event.objects.count(), (CaseParty.objects.count(),
                                           EvidenceItem.objects.count())
    with pytest.raises(exc) as err:
        call()
    assert Event.objects.count() == events
    assert (CaseParty.objects.count(), EvidenceItem.objects.count()) == rows
    return " ".join(err.value.messages) if exc is ValidationError else str(err.value)


def test_a_dual_penalty_case_reaches_case_review(filed):
    officers, case, principal = filed
    officer = officers[0]
    assert "调查终结报告" in " ".join(case_transition_problems(officer, case))
    unit = case_party_add(actor=officer, case=case, version=case.version, kind=PartyKind.UNIT)
    case = _fresh(case)
    person = case_party_add(actor=officer, case=case, version=case.version,
                            kind=PartyKind.PRINCIPAL, person=principal)
    assert (unit.name, person.name) == (case.enterprise.name, "周建华")
    case = _fresh(case)
    first = evidence_item_add(actor=officers[1], case=case, version=case.version,
                              kind="party_statement", name="询问笔录（周建华）",
                              source="承办人员询问制作", proves="未组织从业人员安全培训",
                              collected_on=LATER)
    case = _fresh(case)
    second = evidence_item_add(actor=officer, case=case, version=case.version,
                               kind="document", name="培训档案复印件", source="当事单位提供",
                               proves="近一年无培训记录", collected_on=LATER)
    assert (first.number, second.number) == (1, 2)
    case = _fresh(case)
    investigation_report_save(actor=officer, case=case, version=case.version, date=LATER,
                              facts="当事单位未按规定组织从业人员安全生产教育和培训。",
                              proposal="建议对单位及其主要负责人分别给予行政处罚。")
    case = _fresh(case)
    case = case_transition(actor=officer, case=case, action="submit_case_review",
                           version=case.version, on=LATER)
    assert case.status == CaseStatus.CASE_REVIEW
    actions = [e.action for e in object_events(case)][-6:]
    assert actions == ["case.party_added", "case.party_added", "case.evidence_added",
                       "case.evidence_added", "case.investigation_reported",
                       "case.submit_case_review"]
    assert verify_record() == []
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "周建华（主要负责人）" in page and "培训档案复印件" in page
    assert "建议对单位及其主要负责人分别给予行政处罚。" in page


def case_transition_problems(actor, case):
    try:
        case_transition(actor=actor, case=case, action="submit_case_review",
                        version=case.version)
    except ValidationError as exc:
        return exc.messages
    raise AssertionError("the move should have been refused")


def test_case_review_needs_report_evidence_and_parties(filed):
    officers, case, _principal = filed
    problems = case_transition_problems(officers[0], case)
    assert problems == [GATES["investigation_report"], GATES["evidence_list"],
                        GATES["parties_named"]]
    assert _fresh(case).status == CaseStatus.INVESTIGATION


def test_investigation_refusals(filed, make_user, make_enterprise, jurisdictions, users):
    officers, case, principal = filed
    stranger = ResponsiblePerson.objects.create(
        enterprise=make_enterprise(jurisdictions["nanhu_town"]),
        kind=ResponsiblePerson.Kind.PRINCIPAL, name="吴某", id_number=make_id_number(2))
    message = _unchanged(lambda: case_party_add(
        actor=officers[0], case=case, version=case.version, kind=PartyKind.PRINCIPAL,
        person=stranger))
    assert "吴某不是" in message
    message = _unchanged(lambda: case_party_add(
        actor=officers[0], case=case, version=case.version, kind=PartyKind.UNIT,
        person=principal))
    assert "单位当事人不选人员" in message
    # Not a handler, or a leader: refused.
    outsider = make_user(Role.OFFICER)
    _unchanged(lambda: case_party_add(actor=outsider, case=case, version=case.version,
                                      kind=PartyKind.UNIT), exc=PermissionDenied)
    _unchanged(lambda: case_party_add(actor=users[Role.LEADER], case=case,
                                      version=case.version, kind=PartyKind.UNIT),
               exc=PermissionDenied)
    message = _unchanged(lambda: evidence_item_add(
        actor=officers[0], case=case, version=case.version, kind="hearsay", name="传闻",
        source="某人", proves="某事", collected_on=LATER))
    assert "第三十三条" in message
    message = _unchanged(lambda: evidence_item_add(
        actor=officers[0], case=case, version=case.version, kind="document", name="",
        source="", proves="某事", collected_on=LATER))
    assert "请填写：证据名称、来源" in message
    case_party_add(actor=officers[0], case=case, version=case.version, kind=PartyKind.UNIT)
    message = _unchanged(lambda: case_party_add(
        actor=officers[0], case=_fresh(case), version=_fresh(case).version,
        kind=PartyKind.UNIT))
    assert "已列明单位当事人" in message
    # A stale version: reload.
    message = _unchanged(lambda: evidence_item_add(
        actor=officers[0], case=case, version=case.version, kind="document", name="档案",
        source="单位", proves="事实", collected_on=LATER))
    assert "请刷新后重试" in message


def test_the_investigation_over_http_up_to_case_review(filed):
    officers, case, principal = filed
    client = Client()
    client.force_login(officers[0])
    url = reverse("cases:case_detail", args=[case.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="party-form"' in page and 'data-testid="report-form"' in page

    def post(name, data):
        version = _fresh(case).version
        return client.post(reverse(f"cases:{name}", args=[case.pk]),
                           {"version": version, **data}, follow=True).content.decode()

    assert "当事人已列明" in post("party_add", {"kind": "unit"})
    html = post("party_add", {"kind": "principal", "person": principal.pk})
    assert "周建华（主要负责人）" in html
    # A refusal is shown and changes nothing.
    html = post("party_add", {"kind": "unit"})
    assert "本案已列明单位当事人" in html and _fresh(case).parties.count() == 2
    assert "证据已登记" in post("evidence_add", {
        "kind": "party_statement", "name": "询问笔录（周建华）", "source": "承办人员询问制作",
        "proves": "未组织安全培训", "collected_on": LATER.isoformat()})
    assert "调查终结报告已保存" in post("report_save", {
        "date": LATER.isoformat(), "facts": "未按规定组织安全培训。",
        "proposal": "建议对单位及其主要负责人分别给予行政处罚。"})
    html = client.post(reverse("cases:case_transition", args=[case.pk]), {
        "action": "submit_case_review", "version": _fresh(case).version,
        "on": LATER.isoformat()}, follow=True).content.decode()
    assert "已办理：调查终结，提交案件审核" in html
    assert _fresh(case).status == CaseStatus.CASE_REVIEW
    # Once in review the investigation forms are gone.
    assert 'data-testid="party-form"' not in client.get(url).content.decode()
