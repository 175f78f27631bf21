"""Every staff page of the oversight app renders for the roles that use it, in each state
of a tip (with its forms), and answers 403/404 to the others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.models import Role
from fazhi.oversight import services
from fazhi.oversight.crypto import Identity
from fazhi.oversight.models import PostColumn, Tip, TipKind

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_pages_render_through_a_tips_life(agencies, users, desk):
    tip, _ = services.tip_submit(
        actor=None, kind=TipKind.CONCEALED, channel=Tip.Channel.PORTAL, subject_name="某厂",
        content="瞒报死亡1人", jurisdiction=agencies["nanhu"].jurisdiction,
        identity=Identity(name="钱某", phone="13700001111"))
    services.post_publish(actor=users[Role.OFFICER], column=PostColumn.NEWS, title="动态",
                          body="正文")
    row = services.disclosure_register(
        actor=users[Role.OFFICER], applicant_kind="citizen", applicant_name="孙某",
        applicant_contact="电话", description="某文件", channel="post",
        received_on=tip.received_on)
    detail = reverse("oversight:tip_detail", args=[tip.pk])
    officer, leader = client_for(users[Role.OFFICER]), client_for(users[Role.LEADER])
    for step in ("received", "accept", "conclude", "reward_propose", "reward_decide"):
        if step == "accept":
            officer.post(reverse("oversight:tip_action", args=[tip.pk, "accept"]), {})
        elif step == "conclude":
            officer.post(reverse("oversight:tip_action", args=[tip.pk, "conclude"]), {
                "outcome": "substantiated", "summary": "查实瞒报", "accident_class": "ordinary",
                "concealed_deaths": 1})
        elif step == "reward_propose":
            officer.post(reverse("oversight:tip_action", args=[tip.pk, "reward_propose"]), {})
        elif step == "reward_decide":
            leader.post(reverse("oversight:tip_action", args=[tip.pk, "reward_decide"]),
                        {"approve": "1", "reason": "同意"})
        for client in (officer, leader, client_for(desk)):
            page = client.get(detail)
            assert page.status_code == 200, step
    tip.refresh_from_db()
    assert tip.status == Tip.Status.CONCLUDED and tip.reward.amount == 30000
    assert tip.reward.status == "approved"
    client_for(desk).post(reverse("oversight:tip_action", args=[tip.pk, "reward_pay"]),
                          {"method": "bank", "voucher": "V-1"})
    tip.reward.refresh_from_db()
    assert tip.reward.status == "paid"
    for name, args in (("overview", []), ("tip_list", []), ("tip_create", []),
                       ("supervisor_list", []), ("disclosure_list", []),
                       ("disclosure_detail", [row.pk]), ("post_list", [])):
        for client in (officer, leader):
            assert client.get(reverse(f"oversight:{name}", args=args)).status_code == 200, name
    enterprise = client_for(users[Role.ENTERPRISE])
    assert enterprise.get(reverse("oversight:tip_list")).status_code == 403
    assert Client().get(reverse("oversight:tip_list")).status_code == 302  # to the login


def test_a_refused_action_says_why_and_changes_nothing(agencies, users):
    tip, _ = services.tip_submit(
        actor=None, kind=TipKind.HAZARD, channel=Tip.Channel.PORTAL, subject_name="某厂",
        content="隐患", jurisdiction=agencies["nanhu"].jurisdiction, anonymous=True)
    officer = client_for(users[Role.OFFICER])
    response = officer.post(reverse("oversight:tip_action", args=[tip.pk, "conclude"]),
                            {"outcome": "substantiated", "summary": "属实"}, follow=True)
    assert "只有已受理、核查中的举报可以办结" in response.content.decode()
    tip.refresh_from_db()
    assert tip.status == Tip.Status.RECEIVED
