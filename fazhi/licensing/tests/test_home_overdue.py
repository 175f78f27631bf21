"""The home pages' card of permit applications past their statutory deadline: an
officer's and a leader's own area only, received ones past the acceptance deadline and
accepted ones past the decision deadline, days late in working days, the "全部" link to
the list filtered to overdue ones, no card for enterprise users and supervisors, and a
query count that does not grow with the rows."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fazhi.core import calendar
from fazhi.core.models import Role
from fazhi.licensing.models_permits import PermitApplication
from fazhi.licensing.services_permits import (
    materials_for,
    permit_application_accept,
    permit_application_not_accept,
    permit_application_receive,
)
from fazhi.subjects.models import SupervisionCategory

pytestmark = pytest.mark.django_db
CARD = 'data-testid="overdue-permit-applications"'
ROW = 'data-testid="home-overdue-application"'


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def world(make_user, make_enterprise, agencies, jurisdictions) -> dict[str, Any]:
    nanhu = make_enterprise(jurisdictions["nanhu"], name="嘉兴南湖化工有限公司",
                            supervision_category=SupervisionCategory.HAZCHEM_USE)
    return {
        "nanhu": nanhu,
        "xiuzhou_enterprise": make_enterprise(jurisdictions["xiuzhou"], name="秀洲化工有限公司"),
        "officer": make_user(Role.OFFICER),
        "leader": make_user(Role.LEADER),
        "xiuzhou": make_user(Role.OFFICER, agency=agencies["xiuzhou"]),
        "owner": make_user(Role.ENTERPRISE, enterprise=nanhu),
        "supervisor": make_user(Role.SUPERVISOR),
    }


def receive(world: dict[str, Any], received_on: datetime.date, *, enterprise: Any = None,
            actor: Any = None, permit_type: str = "use") -> PermitApplication:
    return permit_application_receive(
        actor=actor or world["officer"], enterprise=enterprise or world["nanhu"],
        permit_type=permit_type, kind="issue", received_on=received_on,
        scope="使用：液氯 200吨/年",
        materials=[m["code"] for m in materials_for(permit_type, "issue")])


def accept(world: dict[str, Any], app: PermitApplication, accepted_on: datetime.date
           ) -> PermitApplication:
    return permit_application_accept(actor=world["officer"], application=app,
                                     accepted_on=accepted_on)


def home(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def rows(html: str) -> list[str]:
    return re.findall(r'<li[^>]*' + ROW + r'[^>]*>(.*?)</li>', html, re.S)


@pytest.fixture
def cases(world) -> dict[str, PermitApplication]:
    """Two overdue 南湖区 applications, two not yet due, and an overdue 秀洲区 one."""
    late_received = receive(world, days_ago(60))
    late_accepted = accept(world, receive(world, days_ago(120), permit_type="operation"),
                           days_ago(118))
    fresh_received = receive(world, timezone.localdate())
    fresh_accepted = accept(world, receive(world, days_ago(2)), days_ago(1))
    xiuzhou = receive(world, days_ago(60), enterprise=world["xiuzhou_enterprise"],
                      actor=world["xiuzhou"])
    today = timezone.localdate()
    # The premises of the test, from the services' own deadlines.
    assert late_received.status == "received" and late_received.acceptance_due < today
    assert late_accepted.status == "accepted" and late_accepted.decision_due < today
    assert fresh_received.acceptance_due >= today and fresh_accepted.decision_due >= today
    return {"late_received": late_received, "late_accepted": late_accepted,
            "fresh_received": fresh_received, "fresh_accepted": fresh_accepted,
            "xiuzhou": xiuzhou}


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_staff_of_the_area_see_both_overdue_applications_and_not_the_ones_still_in_time(
        world, cases, role):
    html = home(world[role])
    assert CARD in html
    shown = rows(html)
    assert len(shown) == 2
    by_link = {re.search(r'href="([^"]+)"', r).group(1): r for r in shown}
    received = by_link[f"/licensing/permits/applications/{cases['late_received'].pk}/"]
    accepted = by_link[f"/licensing/permits/applications/{cases['late_accepted'].pk}/"]
    # Enterprise, permit type and kind, which deadline and its date.
    assert "嘉兴南湖化工有限公司" in received and "安全使用许可证" in received
    assert "核发" in received
    assert f"受理期限 {cases['late_received'].acceptance_due:%Y-%m-%d}" in received
    assert "经营许可证" in accepted
    assert f"作出决定期限 {cases['late_accepted'].decision_due:%Y-%m-%d}" in accepted
    # Longest overdue first: the accepted one's deadline is the earlier.
    assert shown.index(accepted) < shown.index(received)
    for fresh in ("fresh_received", "fresh_accepted"):
        assert f"/applications/{cases[fresh].pk}/" not in html
    assert f"/applications/{cases['xiuzhou'].pk}/" not in html
    assert 'href="/licensing/permits/applications/?overdue=1"' in html


def test_days_late_are_working_days_on_the_calendar(world, cases):
    app = cases["late_received"]
    today = timezone.localdate()
    working = sum(1 for n in range(1, (today - app.acceptance_due).days + 1)
                  if calendar.is_working_day(app.acceptance_due + datetime.timedelta(days=n)))
    (row,) = [r for r in rows(home(world["officer"])) if f"/applications/{app.pk}/" in r]
    late = re.search(r'data-testid="working-days-late">(.*?)</span>', row, re.S).group(1)
    assert late == f"逾期 {working} 个工作日"
    assert working < (today - app.acceptance_due).days  # weekends are not counted


def test_another_county_sees_the_card_without_our_applications(world, cases):
    html = home(world["xiuzhou"])
    assert CARD in html
    (only,) = rows(html)
    assert f"/applications/{cases['xiuzhou'].pk}/" in only


def test_an_application_decided_late_leaves_the_card(world, cases):
    app = cases["late_received"]
    permit_application_not_accept(actor=world["officer"], application=app,
                                  decided_on=timezone.localdate(), reason="不属于本机关职权范围")
    html = home(world["officer"])
    assert f"/applications/{app.pk}/" not in html and len(rows(html)) == 1


@pytest.mark.parametrize("role", ["owner", "supervisor"])
def test_enterprise_users_and_supervisors_get_no_card(world, cases, role):
    html = home(world[role])
    assert CARD not in html and ROW not in html


def test_the_list_filters_to_overdue_applications(world, cases):
    client = Client()
    client.force_login(world["officer"])
    url = "/licensing/permits/applications/"
    everything = client.get(url).content.decode()
    assert everything.count('data-testid="application-row"') == 4
    assert 'data-testid="overdue-filter"' not in everything
    late = client.get(url, {"overdue": "1"}).content.decode()
    assert late.count('data-testid="application-row"') == 2
    assert 'data-testid="overdue-filter"' in late
    for key in ("late_received", "late_accepted"):
        assert f"/applications/{cases[key].pk}/" in late
    for key in ("fresh_received", "fresh_accepted"):
        assert f"/applications/{cases[key].pk}/" not in late


def test_home_query_count_does_not_grow_with_the_overdue_applications(
        world, django_assert_max_num_queries):
    receive(world, days_ago(60))
    client = Client()
    client.force_login(world["officer"])
    client.get("/")  # warm the session and the calendar cache
    with CaptureQueriesContext(connection) as one:
        assert len(rows(client.get("/").content.decode())) == 1
    for n in range(9):
        receive(world, days_ago(40 + n), permit_type=("use", "operation")[n % 2])
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get("/").content.decode()
    assert len(rows(html)) == 8 and "查看全部" in html
    assert re.search(r'id="overdue-permit-applications-heading".*?badge[^>]*>10<', html, re.S)

