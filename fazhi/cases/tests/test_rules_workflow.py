"""The case workflow table: every state reachable, final states closed, each refusal
names its reason in Chinese."""

from __future__ import annotations

import pytest

from fazhi.cases.rules import workflow as wf

ALL_GATES = {gate: True for gate in wf.GATES}


def test_every_state_is_reachable_from_the_lead():
    reached, frontier = {wf.LEAD}, [wf.LEAD]
    while frontier:
        state = frontier.pop()
        for transition in wf.available(state):
            if transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(wf.STATE_LABELS)


def test_final_states_have_no_way_out_and_a_closed_case_can_only_be_archived():
    for state in wf.FINAL_STATES:
        assert wf.available(state) == []
    assert [t.action for t in wf.available(wf.CLOSED)] == ["archive"]


def test_every_gate_has_a_message_and_every_action_is_unique():
    assert len(wf.BY_ACTION) == len(wf.TRANSITIONS)
    for transition in wf.TRANSITIONS:
        assert set(transition.gates) <= set(wf.GATES), transition.action
        assert transition.target in wf.STATE_LABELS
        assert transition.sources <= set(wf.STATE_LABELS)


def test_the_ordinary_path_from_lead_to_archive_is_allowed_when_every_gate_holds():
    path = ["submit_filing", "approve_filing", "submit_case_review", "submit_approval",
            "approve_notice", "decide", "serve", "close", "archive"]
    roles = {"submit_filing": wf.OFFICER, "approve_filing": wf.LEADER,
             "submit_case_review": wf.OFFICER, "submit_approval": wf.OFFICER,
             "approve_notice": wf.LEADER, "decide": wf.LEADER, "serve": wf.OFFICER,
             "close": wf.LEADER, "archive": wf.OFFICER}
    state = wf.LEAD
    for action in path:
        assert wf.problems(action, state, wf.Actor(roles[action], True), ALL_GATES) == []
        state = wf.BY_ACTION[action].target
    assert state == wf.ARCHIVED


def test_a_decision_without_the_required_legal_review_is_refused_with_the_article():
    facts = {**ALL_GATES, "legal_review_passed_if_required": False}
    found = wf.problems("decide", wf.NOTICE, wf.Actor(wf.LEADER, False), facts)
    assert found == [wf.GATES["legal_review_passed_if_required"]]
    assert "第五十八条" in found[0]


@pytest.mark.parametrize(("actor", "expected"), [
    (wf.Actor(wf.REVIEWER, False), "您的角色不能“提请立案”"),
    (wf.Actor(wf.OFFICER, False), "只有本案承办人员才能“提请立案”"),
])
def test_role_and_handler_are_checked(actor, expected):
    assert wf.problems("submit_filing", wf.LEAD, actor, ALL_GATES) == [expected]


def test_wrong_state_unknown_action_and_missing_facts():
    assert wf.problems("decide", wf.LEAD, wf.Actor(wf.LEADER, False), ALL_GATES) == [
        "案件处于“线索登记”阶段，不能“作出决定”"]
    assert wf.problems("fly", wf.LEAD, wf.Actor(wf.LEADER, False), {}) == ["未知的办案操作：fly"]
    # a gate absent from the facts is not met; a suspended case moves nowhere
    found = wf.problems("serve", wf.DECIDED, wf.Actor(wf.OFFICER, True), {})
    assert found == [wf.GATES["not_suspended"], wf.GATES["service_receipt"]]


def test_deadlines_start_where_the_law_starts_them():
    assert wf.BY_ACTION["approve_filing"].starts == ("decision",)
    # publicity runs from the decision (7 working days), payment from service (15 days)
    assert set(wf.BY_ACTION["decide"].starts) == {"service", "publicity"}
    assert set(wf.BY_ACTION["serve"].starts) >= {"payment", "reconsideration", "litigation"}
    assert set(wf.BY_ACTION["approve_notice"].starts) == {"statement", "hearing_request"}
