"""The case pages over HTTP: a lead filed through its page (details, submission,
approval with the number and decision deadline shown), refusals shown in Chinese with
nothing changed (a missing gate, a stale page), and scoping (another county: 404; the
enterprise and the social supervisor of the area: 404 before filing, the case read-only
once filed; the supervisor of another area: 404). More of the supervisor's view in
test_supervisor.py."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.cases.models import CaseStatus, PenaltyCase
from fazhi.cases.tests.test_filing import FILED, _world
from fazhi.core.models import Event, Role

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _move(client, case, action, version, **extra):
    return client.post(reverse("cases:case_transition", args=[case.pk]), {
        "action": action, "version": version, "on": FILED.isoformat(), **extra}, follow=True)


def test_a_lead_is_filed_through_its_page(make_user, make_enterprise, jurisdictions, users):
    officers, case = _world(make_user, make_enterprise, jurisdictions)
    officer = client_for(officers[0])
    page = officer.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "线索登记" in page and 'data-testid="move-submit_filing"' in page
    assert "执法全过程记录" in page
    response = officer.post(reverse("cases:case_details", args=[case.pk]), {
        "version": case.version, "violation_date": "2024-05-01",
        "handlers": [o.pk for o in officers]}, follow=True)
    assert "案件信息已保存" in response.content.decode()
    case.refresh_from_db()
    response = _move(officer, case, "submit_filing", case.version)
    assert "已办理：提请立案" in response.content.decode()
    case.refresh_from_db()
    leader = client_for(users[Role.LEADER])
    assert 'data-testid="move-approve_filing"' in leader.get(
        reverse("cases:case_detail", args=[case.pk])).content.decode()
    html = _move(leader, case, "approve_filing", case.version).content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATION
    assert f'data-testid="case-number">{case.number}<' in html
    assert "2024年6月7日" in html  # 30 days from filing under the 2015 rule
    listing = leader.get(reverse("cases:case_list")).content.decode()
    assert case.number in listing
    assert "尚未列明当事人" in html and "尚未制作" in html


def test_refusals_are_shown_in_chinese_and_change_nothing(make_user, make_enterprise,
                                                          jurisdictions, users):
    officers, case = _world(make_user, make_enterprise, jurisdictions)
    officer = client_for(officers[0])
    case = PenaltyCase.objects.get(pk=case.pk)
    officer.post(reverse("cases:case_details", args=[case.pk]), {
        "version": case.version, "handlers": [o.pk for o in officers]})
    case.refresh_from_db()
    stale = case.version
    _move(officer, case, "submit_filing", stale)
    case.refresh_from_db()
    events = Event.objects.count()
    # The leader files without a violation date: refused with the article.
    html = _move(client_for(users[Role.LEADER]), case, "approve_filing",
                 case.version).content.decode()
    assert "违法行为已超过追责时效" in html and "第三十六条" in html
    # A page opened before the last move: told to reload.
    html = _move(officer, case, "submit_filing", stale).content.decode()
    assert "请刷新后重试" in html
    assert Event.objects.count() == events
    assert PenaltyCase.objects.get(pk=case.pk).status == CaseStatus.FILING


def test_scoping_of_the_case_pages(make_user, make_enterprise, jurisdictions, users, agencies):
    _officers, case = _world(make_user, make_enterprise, jurisdictions)
    url = reverse("cases:case_detail", args=[case.pk])
    owner = make_user(Role.ENTERPRISE, enterprise=case.enterprise)
    outsider = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    supervisor = users[Role.SUPERVISOR]  # oversees 南湖区, the case's county
    other_supervisor = make_user(Role.SUPERVISOR, supervised_jurisdiction=jurisdictions["xiuzhou"])
    # A lead is the agency's internal work: nobody outside it sees it.
    for user in (outsider, owner, supervisor, other_supervisor):
        assert client_for(user).get(url).status_code == 404
    assert client_for(users[Role.REVIEWER]).get(url).status_code == 200
    # Filed, the enterprise and the supervisor of the area see the case (read only: no
    # moves, no form); the supervisor of another area still does not.
    PenaltyCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.INVESTIGATION, filed_on=FILED, number="南应急立〔2024〕9号",
        decision_due=FILED + datetime.timedelta(days=30))
    for user in (owner, supervisor):
        page = client_for(user).get(url).content.decode()
        assert "南应急立〔2024〕9号" in page and "data-testid=\"move-" not in page
        assert "method=\"post\" action=\"/cases/" not in page
    assert client_for(other_supervisor).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
