"""Assistance (帮扶指导): expert service visits and the year's list of key enterprises
under assistance, with their events, refusals (nothing saved) and scoped lists."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core.models import Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.inspection.models import AssistanceVisit, KeyAssistedEnterprise
from fazhi.inspection.selectors import assistance_visit_list, key_assisted_list
from fazhi.inspection.services import assistance_visit_record, key_assisted_add

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 12)


@pytest.fixture
def enterprise(make_enterprise, jurisdictions):
    return make_enterprise(jurisdictions["nanhu_town"])


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


def _visit(actor, enterprise, **kw):
    values = {"actor": actor, "enterprise": enterprise, "date": DAY, "expert": " 李工 ",
              "problems": "储罐区静电接地不规范", "advice": "按标准整改接地并定期检测",
              "expert_field": "化工安全"}
    values.update(kw)
    return assistance_visit_record(**values)


def _refused(exc_type, call):
    counts = (AssistanceVisit.objects.count(), KeyAssistedEnterprise.objects.count())
    events = Event.objects.count()
    with pytest.raises(exc_type) as err:
        call()
    assert (AssistanceVisit.objects.count(), KeyAssistedEnterprise.objects.count()) == counts
    assert Event.objects.count() == events
    return err.value


# --- visits ---------------------------------------------------------------------------------

def test_a_visit_is_recorded_with_its_event(officer, enterprise, agencies):
    visit = _visit(officer, enterprise)
    assert (visit.enterprise, visit.agency, visit.date) == (enterprise, agencies["nanhu"], DAY)
    assert visit.expert == "李工" and visit.expert_field == "化工安全"
    assert visit.jurisdiction_path == enterprise.jurisdiction_path
    [event] = object_events(visit)
    assert event.action == "assistance_visit.recorded" and event.actor == officer
    assert event.payload["expert"] == "李工"
    assert event.payload["problems"] == "储罐区静电接地不规范"
    assert verify_record() == []


def test_a_visit_organised_by_the_city(make_user, agencies, enterprise):
    leader = make_user(Role.LEADER, agency=agencies["city"])
    visit = _visit(leader, enterprise)
    assert visit.agency == agencies["city"]


def test_a_visit_needs_expert_problems_and_advice(officer, enterprise):
    for field in ("expert", "problems", "advice"):
        err = _refused(ValidationError, lambda field=field: _visit(officer, enterprise,
                                                                   **{field: "  "}))
        assert field in err.message_dict
        assert "不能为空" in err.message_dict[field][0]


def test_a_visit_by_an_outsider_is_refused(make_user, agencies, users, enterprise):
    outsider = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    for actor in (outsider, users[Role.ENTERPRISE], users[Role.REVIEWER], users[Role.SUPERVISOR]):
        _refused(PermissionDenied, lambda actor=actor: _visit(actor, enterprise))


# --- key enterprises under assistance -------------------------------------------------------

def test_key_assisted_listing_and_its_event(users, enterprise, agencies):
    row = key_assisted_add(actor=users[Role.LEADER], enterprise=enterprise, year=2024,
                           reason=" 重大危险源企业 ")
    assert (row.agency, row.year, row.reason) == (agencies["nanhu"], 2024, "重大危险源企业")
    assert row.jurisdiction_path == enterprise.jurisdiction_path
    [event] = object_events(row)
    assert event.action == "key_assisted.listed" and event.payload["year"] == 2024
    assert verify_record() == []


def test_same_enterprise_and_year_twice_is_refused(users, make_user, agencies, enterprise):
    key_assisted_add(actor=users[Role.LEADER], enterprise=enterprise, year=2024, reason="首次")
    city = make_user(Role.LEADER, agency=agencies["city"])
    for actor in (users[Role.LEADER], city):  # by any agency
        err = _refused(ValidationError, lambda actor=actor: key_assisted_add(
            actor=actor, enterprise=enterprise, year=2024, reason="再次"))
        assert f"{enterprise.name}已列入2024年度重点帮扶企业" in err.messages
    key_assisted_add(actor=users[Role.LEADER], enterprise=enterprise, year=2025, reason="次年")
    assert KeyAssistedEnterprise.objects.filter(enterprise=enterprise).count() == 2


def test_key_assisted_by_an_outsider_is_refused(make_user, agencies, users, enterprise):
    outsider = make_user(Role.LEADER, agency=agencies["xiuzhou"])
    for actor in (outsider, users[Role.ENTERPRISE], users[Role.REVIEWER]):
        _refused(PermissionDenied, lambda actor=actor: key_assisted_add(
            actor=actor, enterprise=enterprise, year=2024, reason="测试"))


def test_key_assisted_needs_a_reason(users, enterprise):
    err = _refused(ValidationError, lambda: key_assisted_add(
        actor=users[Role.LEADER], enterprise=enterprise, year=2024, reason=" "))
    assert "reason" in err.message_dict


# --- scoping of the lists ---------------------------------------------------------------------

def test_lists_are_scoped(make_user, make_enterprise, agencies, jurisdictions, users, officer,
                          enterprise):
    xiuzhou_officer = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    other = make_enterprise(jurisdictions["xiuzhou_town"])
    my_visit = _visit(officer, enterprise)
    old_visit = _visit(officer, enterprise, date=datetime.date(2023, 11, 3))
    their_visit = _visit(xiuzhou_officer, other)
    my_key = key_assisted_add(actor=officer, enterprise=enterprise, year=2024, reason="重点")
    their_key = key_assisted_add(actor=xiuzhou_officer, enterprise=other, year=2024,
                                 reason="重点")
    old_key = key_assisted_add(actor=officer, enterprise=enterprise, year=2023, reason="重点")
    city = make_user(Role.LEADER, agency=agencies["city"])
    owner = make_user(Role.ENTERPRISE, enterprise=enterprise)
    supervisor = users[Role.SUPERVISOR]  # oversees 南湖区

    assert set(assistance_visit_list(user=officer)) == {my_visit, old_visit}
    assert list(assistance_visit_list(user=officer, year=2024)) == [my_visit]
    assert list(assistance_visit_list(user=xiuzhou_officer)) == [their_visit]
    assert set(assistance_visit_list(user=city, year=2024)) == {my_visit, their_visit}
    assert set(assistance_visit_list(user=owner)) == {my_visit, old_visit}
    assert list(assistance_visit_list(user=users[Role.ENTERPRISE])) == []
    assert their_visit not in assistance_visit_list(user=supervisor)

    assert set(key_assisted_list(user=officer)) == {my_key, old_key}
    assert list(key_assisted_list(user=officer, year=2024)) == [my_key]
    assert list(key_assisted_list(user=xiuzhou_officer)) == [their_key]
    assert set(key_assisted_list(user=city, year=2024)) == {my_key, their_key}
    assert list(key_assisted_list(user=owner, year=2024)) == [my_key]
    assert list(key_assisted_list(user=users[Role.ENTERPRISE])) == []


def test_an_agency_of_another_county_cannot_organise_the_visit(users, enterprise, agencies):
    with pytest.raises(ValidationError) as err:
        assistance_visit_record(actor=users[Role.ADMIN], enterprise=enterprise, date=DAY,
                                expert="张工", problems="问题", advice="建议",
                                agency=agencies["xiuzhou"])
    assert "没有管辖权" in " ".join(err.value.messages)
    assert not AssistanceVisit.objects.exists()
