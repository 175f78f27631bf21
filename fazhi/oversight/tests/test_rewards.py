"""Rewards end to end: `POST /api/v1/oversight/tip-reward` answers exactly
{"reward", "citations"} (clamps at both ends, Chinese 422s); a substantiated tip linked to
the penalty case it led to is rewarded from that case's fines — proposed, approved by a
head, paid by the tip desk — and anonymous, unfounded or undecided tips are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from fazhi.cases.models import PartyDecision
from fazhi.cases.tests.test_execution import decided_world
from fazhi.core.models import Event, Role
from fazhi.core.services.tokens import token_issue
from fazhi.oversight import services
from fazhi.oversight.crypto import Identity
from fazhi.oversight.models import Tip, TipKind, TipReward
from fazhi.oversight.rules import rewards

pytestmark = pytest.mark.django_db
URL = "/api/v1/oversight/tip-reward"


def api(user) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize(("body", "reward"), [
    ({"tip_type": "major_hazard_or_illegal_operation", "penalty_amount": 0}, 3000),
    ({"tip_type": "major_hazard_or_illegal_operation", "penalty_amount": 20000}, 3000),
    ({"tip_type": "major_hazard_or_illegal_operation", "penalty_amount": 100000}, 15000),
    ({"tip_type": "major_hazard_or_illegal_operation", "penalty_amount": 2000000}, 300000),
    ({"tip_type": "major_hazard_or_illegal_operation", "penalty_amount": 9000000}, 300000),
    ({"tip_type": "concealed_accident", "accident_class": "ordinary", "concealed_deaths": 2,
      "penalty_amount": 0}, 60000),
    ({"tip_type": "concealed_accident", "accident_class": "extraordinary",
      "concealed_deaths": 6, "penalty_amount": 0}, 300000),
])
def test_tip_reward_api_answers_exactly_reward_and_citations(users, body, reward):
    response = api(users[Role.OFFICER]).post(URL, body, content_type="application/json")
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"reward", "citations"}
    assert answer["reward"] == reward and isinstance(answer["reward"], int)
    assert answer["citations"] and all(
        set(c) == {"law", "version", "article", "applies_to"} for c in answer["citations"])


@pytest.mark.parametrize("body", [
    {"tip_type": "other", "penalty_amount": 1},
    {"tip_type": "major_hazard_or_illegal_operation", "penalty_amount": -5},
    {"tip_type": "concealed_accident", "concealed_deaths": 1},
    {"tip_type": "concealed_accident", "accident_class": "huge", "concealed_deaths": 1},
])
def test_tip_reward_api_refuses_bad_input_in_chinese(users, body):
    response = api(users[Role.OFFICER]).post(URL, body, content_type="application/json")
    assert response.status_code == 422
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_tip_reward_api_needs_a_token():
    response = Client().post(URL, {"tip_type": "concealed_accident"},
                             content_type="application/json")
    assert response.status_code == 401


def _tip(agencies, *, kind=TipKind.HAZARD, anonymous=False, jurisdiction=None) -> Tip:
    tip, _ = services.tip_submit(
        actor=None, kind=kind, channel=Tip.Channel.PORTAL, subject_name="某公司",
        content="未对从业人员进行安全培训", anonymous=anonymous,
        jurisdiction=jurisdiction or agencies["nanhu_town"].jurisdiction,
        identity=None if anonymous else Identity(name="李举报", phone="13800001111"))
    return tip


@pytest.fixture
def world(make_user, make_enterprise, jurisdictions, users):
    return decided_world(make_user, make_enterprise, jurisdictions, users)


def test_a_tip_that_led_to_a_case_is_rewarded_from_its_fines(world, agencies, users, desk):
    officers, case = world
    officer, leader = officers[0], users[Role.LEADER]
    tip = _tip(agencies)
    services.tip_accept(actor=officer, tip=tip)
    tip = services.tip_link(actor=officer, tip=Tip.objects.get(pk=tip.pk), case=case)
    # not concluded yet: no reward
    with pytest.raises(ValidationError, match="属实"):
        services.tip_reward_propose(actor=officer, tip=tip)
    tip = services.tip_conclude(actor=officer, tip=tip, outcome=Tip.Outcome.SUBSTANTIATED,
                                summary="经查属实，已立案查处")
    reward = services.tip_reward_propose(actor=officer, tip=tip)
    fines = sum(d.fine + d.confiscation for d in PartyDecision.objects.filter(party__case=case))
    expected = rewards.tip_reward(tip_type=TipKind.HAZARD, penalty_amount=fines)
    assert reward.penalty_amount == fines and reward.amount == expected.amount
    assert reward.status == TipReward.Status.PROPOSED
    # an officer may not approve; a head approves; only the desk pays
    with pytest.raises(PermissionDenied):
        services.tip_reward_decide(actor=officer, reward=reward, approve=True, reason="同意")
    reward = services.tip_reward_decide(actor=leader, reward=reward, approve=True,
                                        reason="符合奖励条件")
    assert reward.claim_due is not None
    with pytest.raises(PermissionDenied):
        services.tip_reward_pay(actor=leader, reward=reward, method="bank", voucher="P-1")
    reward = services.tip_reward_pay(actor=desk, reward=reward, method="bank",
                                     voucher="JX2024-0001")
    assert reward.status == TipReward.Status.PAID
    actions = list(Event.objects.filter(object_type="oversight.tip", object_id=str(tip.pk))
                   .values_list("action", flat=True))
    assert actions[-3:] == ["oversight.reward.proposed", "oversight.reward.decided",
                            "oversight.reward.paid"]


def test_rewards_are_refused_for_anonymous_unfounded_or_unlinked_tips(agencies, users):
    officer = users[Role.OFFICER]
    anonymous = _tip(agencies, anonymous=True)
    services.tip_accept(actor=officer, tip=anonymous)
    anonymous = services.tip_conclude(actor=officer, tip=Tip.objects.get(pk=anonymous.pk),
                                      outcome=Tip.Outcome.SUBSTANTIATED, summary="属实")
    with pytest.raises(ValidationError, match="匿名"):
        services.tip_reward_propose(actor=officer, tip=anonymous)
    unfounded = _tip(agencies)
    services.tip_accept(actor=officer, tip=unfounded)
    unfounded = services.tip_conclude(actor=officer, tip=Tip.objects.get(pk=unfounded.pk),
                                      outcome=Tip.Outcome.UNFOUNDED, summary="经查不属实")
    with pytest.raises(ValidationError, match="属实"):
        services.tip_reward_propose(actor=officer, tip=unfounded)
    unlinked = _tip(agencies)
    services.tip_accept(actor=officer, tip=unlinked)
    unlinked = services.tip_conclude(actor=officer, tip=Tip.objects.get(pk=unlinked.pk),
                                     outcome=Tip.Outcome.SUBSTANTIATED, summary="属实")
    with pytest.raises(ValidationError, match="关联"):
        services.tip_reward_propose(actor=officer, tip=unlinked)
    assert not TipReward.objects.exists()


def test_a_concealed_accident_tip_is_rewarded_per_death(agencies, users):
    officer = users[Role.OFFICER]
    tip = _tip(agencies, kind=TipKind.CONCEALED)
    services.tip_accept(actor=officer, tip=tip)
    with pytest.raises(ValidationError):
        services.tip_conclude(actor=officer, tip=Tip.objects.get(pk=tip.pk),
                              outcome=Tip.Outcome.SUBSTANTIATED, summary="属实")
    tip = services.tip_conclude(actor=officer, tip=Tip.objects.get(pk=tip.pk),
                                outcome=Tip.Outcome.SUBSTANTIATED, summary="查实瞒报2人",
                                accident_class="large", concealed_deaths=2)
    reward = services.tip_reward_propose(actor=officer, tip=tip)
    assert reward.amount == 80000
