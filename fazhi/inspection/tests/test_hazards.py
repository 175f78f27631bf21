"""Hazards (事故隐患) from a finding: registration (on the spot, ordered, major with its
criterion), the enterprise's report, re-inspection by two certified officers (closed,
ordered again, escalated), supervision listing (挂牌督办), the overdue lists and their
scoping, and the event record of every step. Refusals are in Chinese and save nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core.models import DocumentCounter, Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.inspection.models import (
    ChecklistItem,
    Hazard,
    HazardLevel,
    HazardSupervision,
    InspectionCategory,
    RectificationOrder,
    Reinspection,
    SupervisionLevel,
)
from fazhi.inspection.rules.hazards import REINSPECTION
from fazhi.inspection.selectors import (
    hazard_events,
    hazard_get,
    hazard_list,
    hazards_overdue_orders,
    hazards_overdue_reinspections,
)
from fazhi.inspection.services import (
    finding_add,
    hazard_register,
    inspection_create,
    inspection_update,
    rectification_report,
    reinspection_record,
    supervision_list,
)
from fazhi.inspection.tests.test_services import certify

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2024, 5, 6)  # the inspection day
DEADLINE = D(2024, 5, 20)
PERIOD = datetime.timedelta(days=REINSPECTION.days)


@pytest.fixture
def officers(make_user):
    """Three certified officers of the 南湖区 bureau."""
    return [certify(make_user(Role.OFFICER)) for _ in range(3)]


@pytest.fixture
def enterprise(make_enterprise, jurisdictions):
    return make_enterprise(jurisdictions["nanhu_town"])


@pytest.fixture
def owner(make_user, enterprise):
    """The enterprise's own user."""
    return make_user(Role.ENTERPRISE, enterprise=enterprise)


@pytest.fixture
def items(db):
    major = ChecklistItem.objects.create(
        code="HC2017-02", standard=ChecklistItem.Standard.CHEMICALS_2017, number=2,
        text="特种作业人员未持证上岗")
    trade = ChecklistItem.objects.create(
        code="GM2023-01", standard=ChecklistItem.Standard.INDUSTRY_TRADE_2023, number=1,
        text="工贸测试条款")
    general = ChecklistItem.objects.create(
        code="GEN-01", standard=ChecklistItem.Standard.GENERAL, number=1, text="安全警示标志")
    return {"major": major, "trade": trade, "general": general}


@pytest.fixture
def inspection(officers, enterprise):
    return inspection_create(actor=officers[0], enterprise=enterprise, date=DAY, place="生产车间",
                             category=InspectionCategory.GENERAL, officers=officers[:2])


@pytest.fixture
def finding(officers, inspection):
    def make(item=None, description="消防通道堵塞"):
        return finding_add(actor=officers[0], inspection=inspection, item=item,
                           description=description)
    return make


@pytest.fixture
def ordered(officers, finding):
    """A general hazard under a rectification order with DEADLINE."""
    return hazard_register(actor=officers[0], finding=finding(), level=HazardLevel.GENERAL,
                           deadline=DEADLINE)


@pytest.fixture
def major(officers, finding, items):
    """A major hazard (criterion from its finding's item) under an order with DEADLINE."""
    return hazard_register(actor=officers[0], finding=finding(items["major"], "焊工无证作业"),
                           level=HazardLevel.MAJOR, deadline=DEADLINE)


def _actions(hazard):
    return [e.action for e in object_events(hazard)]


def _refused(exc_type, call, *, models=(Hazard, RectificationOrder, Reinspection,
                                       HazardSupervision)):
    """Run `call`, expect `exc_type`, and check that no row and no event was added."""
    counts = {m: m.objects.count() for m in models}
    events = Event.objects.count()
    with pytest.raises(exc_type) as err:
        call()
    assert {m: m.objects.count() for m in models} == counts
    assert Event.objects.count() == events
    return err.value


def _messages(err):
    return " ".join(err.messages)


# --- registration ---------------------------------------------------------------------------

def test_general_hazard_rectified_on_site_is_closed_at_once(officers, finding):
    hazard = hazard_register(actor=officers[0], finding=finding(), level=HazardLevel.GENERAL,
                             rectified_on_site=True)
    assert hazard.status == Hazard.Status.CLOSED and hazard.closed_on == DAY
    assert hazard.found_on == DAY and hazard.deadline is None
    assert not hazard.orders.exists()
    assert not DocumentCounter.objects.exists()  # no order number taken
    assert _actions(hazard) == ["hazard.registered"]
    assert hazard.finding.hazard == hazard


def test_general_hazard_ordered(officers, finding, enterprise, agencies):
    hazard = hazard_register(actor=officers[0], finding=finding(), level=HazardLevel.GENERAL,
                             deadline=DEADLINE, requirements="清理消防通道")
    [order] = hazard.orders.all()
    assert order.number == "南应急责改〔2024〕1号"
    assert (order.issued_on, order.deadline, order.requirements) == (DAY, DEADLINE, "清理消防通道")
    assert order.reinspection_due == DEADLINE + PERIOD
    assert hazard.status == Hazard.Status.ORDERED
    assert (hazard.deadline, hazard.reinspection_due) == (DEADLINE, DEADLINE + PERIOD)
    assert (hazard.enterprise, hazard.agency) == (enterprise, agencies["nanhu"])
    assert hazard.criterion is None
    assert _actions(hazard) == ["hazard.registered", "hazard.ordered"]
    ordered_event = object_events(hazard).last()
    assert ordered_event.payload["number"] == order.number


def test_major_hazard_ordered_with_the_finding_criterion(officers, major, items, finding):
    assert major.level == HazardLevel.MAJOR and major.criterion == items["major"]
    assert major.orders.get().number == "南应急责改〔2024〕1号"
    second = hazard_register(actor=officers[0], finding=finding(description="工贸问题"),
                             level=HazardLevel.MAJOR, criterion=items["trade"],
                             deadline=DEADLINE)
    assert second.criterion == items["trade"]
    assert second.orders.get().number == "南应急责改〔2024〕2号"


def test_default_requirements_are_written_on_the_order(ordered):
    assert "整改" in ordered.orders.get().requirements


def test_major_hazard_without_a_criterion_is_refused(officers, finding):
    f = finding()
    err = _refused(ValidationError, lambda: hazard_register(
        actor=officers[0], finding=f, level=HazardLevel.MAJOR, deadline=DEADLINE))
    assert "判定标准" in _messages(err)
    assert not DocumentCounter.objects.exists()


def test_major_hazard_with_a_general_criterion_is_refused(officers, finding, items):
    f = finding(items["general"])
    err = _refused(ValidationError, lambda: hazard_register(
        actor=officers[0], finding=f, level=HazardLevel.MAJOR, deadline=DEADLINE))
    assert "不是重大事故隐患判定标准条款" in _messages(err)


def test_major_hazard_on_the_spot_is_refused(officers, finding, items):
    f = finding(items["major"])
    err = _refused(ValidationError, lambda: hazard_register(
        actor=officers[0], finding=f, level=HazardLevel.MAJOR, rectified_on_site=True))
    assert "不能按当场整改处理" in _messages(err)


def test_deadline_on_the_inspection_day_is_refused_next_day_accepted(officers, finding):
    f = finding()
    err = _refused(ValidationError, lambda: hazard_register(
        actor=officers[0], finding=f, level=HazardLevel.GENERAL, deadline=DAY))
    assert "整改期限应晚于指令下达日期（2024年05月06日）" in _messages(err)
    _refused(ValidationError, lambda: hazard_register(
        actor=officers[0], finding=f, level=HazardLevel.GENERAL))  # no deadline at all
    hazard = hazard_register(actor=officers[0], finding=f, level=HazardLevel.GENERAL,
                             deadline=DAY + datetime.timedelta(days=1))
    assert hazard.deadline == D(2024, 5, 7)


def test_duplicate_registration_is_refused(officers, ordered, finding):
    err = _refused(ValidationError, lambda: hazard_register(
        actor=officers[0], finding=ordered.finding, level=HazardLevel.GENERAL,
        rectified_on_site=True))
    assert "已登记为事故隐患" in _messages(err)
    # The refused registration gave its number back: the next order is number 2.
    other = hazard_register(actor=officers[0], finding=finding(description="另一问题"),
                            level=HazardLevel.GENERAL, deadline=DEADLINE)
    assert other.orders.get().number == "南应急责改〔2024〕2号"


def test_registration_needs_an_officer_of_the_jurisdiction(make_user, agencies, users,
                                                           finding):
    f = finding()
    outsider = certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    for actor in (outsider, users[Role.ENTERPRISE], users[Role.REVIEWER]):
        _refused(PermissionDenied, lambda actor=actor: hazard_register(
            actor=actor, finding=f, level=HazardLevel.GENERAL, deadline=DEADLINE))


# --- the enterprise's report -----------------------------------------------------------------

def test_report_by_the_enterprise_itself(owner, ordered):
    order = rectification_report(actor=owner, hazard=ordered, report_date=D(2024, 5, 10),
                                 text="已清理消防通道")
    ordered.refresh_from_db()
    assert ordered.status == Hazard.Status.REPORTED
    assert (order.report_date, order.report_text) == (D(2024, 5, 10), "已清理消防通道")
    # Reported before the deadline: due counts from the report.
    assert order.reinspection_due == ordered.reinspection_due == D(2024, 5, 10) + PERIOD
    event = object_events(ordered).last()
    assert event.action == "hazard.reported" and event.actor == owner
    assert event.payload["late"] is False


def test_report_after_the_deadline_counts_from_the_deadline(owner, ordered):
    order = rectification_report(actor=owner, hazard=ordered, report_date=D(2024, 5, 25),
                                 text="已整改")
    assert order.reinspection_due == DEADLINE + PERIOD
    assert object_events(ordered).last().payload["late"] is True


def test_report_on_paper_recorded_by_an_officer(officers, ordered):
    rectification_report(actor=officers[2], hazard=ordered, report_date=DEADLINE, text="书面报告")
    ordered.refresh_from_db()
    assert ordered.status == Hazard.Status.REPORTED


def test_report_by_another_enterprise_is_refused(users, make_user, agencies, ordered):
    outsider = certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    for actor in (users[Role.ENTERPRISE], outsider, users[Role.LEADER]):
        _refused(PermissionDenied, lambda actor=actor: rectification_report(
            actor=actor, hazard=ordered, report_date=D(2024, 5, 10), text="已整改"))
    ordered.refresh_from_db()
    assert ordered.status == Hazard.Status.ORDERED
    assert ordered.orders.get().report_date is None


def test_report_before_the_order_is_refused(owner, ordered):
    err = _refused(ValidationError, lambda: rectification_report(
        actor=owner, hazard=ordered, report_date=DAY - datetime.timedelta(days=1), text="已整改"))
    assert "不能早于整改指令下达日期" in _messages(err)
    ordered.refresh_from_db()
    assert ordered.status == Hazard.Status.ORDERED


def test_report_needs_text_and_an_open_order(owner, ordered, officers, finding):
    _refused(ValidationError, lambda: rectification_report(
        actor=owner, hazard=ordered, report_date=DAY, text="  "))
    rectification_report(actor=owner, hazard=ordered, report_date=DAY, text="已整改")
    err = _refused(ValidationError, lambda: rectification_report(
        actor=owner, hazard=ordered, report_date=DAY, text="再报一次"))
    assert "不能报告整改" in _messages(err)
    closed = hazard_register(actor=officers[0], finding=finding(), level=HazardLevel.GENERAL,
                             rectified_on_site=True)
    _refused(ValidationError, lambda: rectification_report(
        actor=owner, hazard=closed, report_date=DAY, text="已整改"))


# --- re-inspection --------------------------------------------------------------------------

def _reinspect(team, hazard, **kw):
    """Re-inspect `hazard` by the first two of `team` (keywords override)."""
    values = {"actor": team[0], "hazard": hazard, "date": D(2024, 5, 22),
              "officers": team[:2], "passed": True, "opinion": "已整改到位"}
    values.update(kw)
    return reinspection_record(**values)


def test_reinspection_needs_two_certified_officers(make_user, officers, ordered):
    err = _refused(ValidationError, lambda: _reinspect(officers, ordered, officers=officers[:1]))
    assert "不得少于2人" in _messages(err)
    expired = certify(make_user(Role.OFFICER, full_name="王五"),
                      valid_to=D(2024, 5, 21))
    err = _refused(ValidationError, lambda: _reinspect(officers, ordered,
                                                       officers=[officers[0], expired]))
    assert "王五于2024年05月22日无有效执法证" in _messages(err)
    # The same officer twice is one officer.
    _refused(ValidationError, lambda: _reinspect(officers, ordered,
                                                 officers=[officers[0], officers[0]]))
    ordered.refresh_from_db()
    assert ordered.status == Hazard.Status.ORDERED


def test_passed_reinspection_closes_the_hazard_and_its_supervision(users, officers, owner,
                                                                   major, agencies):
    supervision = supervision_list(actor=users[Role.LEADER], hazard=major,
                                   level=SupervisionLevel.COUNTY, agency=agencies["nanhu"],
                                   listed_on=D(2024, 5, 8), note="限期销号")
    rectification_report(actor=owner, hazard=major, report_date=D(2024, 5, 15), text="已整改")
    reinspection = _reinspect(officers, major, date=D(2024, 5, 22))
    assert reinspection.number == "南应急复查〔2024〕1号"
    assert set(reinspection.officers.all()) == set(officers[:2])
    assert reinspection.order == major.orders.get()
    major.refresh_from_db()
    supervision.refresh_from_db()
    assert major.status == Hazard.Status.CLOSED and major.closed_on == D(2024, 5, 22)
    assert supervision.closed_on == D(2024, 5, 22)
    assert _actions(major) == [
        "hazard.registered", "hazard.ordered", "hazard.supervision_listed", "hazard.reported",
        "hazard.reinspected", "hazard.closed", "hazard.supervision_closed",
    ]
    assert verify_record() == []


def test_failed_reinspection_with_a_new_deadline_issues_a_new_order(officers, owner, ordered):
    rectification_report(actor=owner, hazard=ordered, report_date=D(2024, 5, 15), text="已整改")
    new_deadline = D(2024, 6, 10)
    first = _reinspect(officers, ordered, passed=False, opinion="仍有杂物堵塞",
                       new_deadline=new_deadline, new_requirements="彻底清理")
    assert not first.passed
    ordered.refresh_from_db()
    assert ordered.status == Hazard.Status.ORDERED
    assert ordered.deadline == new_deadline
    assert ordered.reinspection_due == new_deadline + PERIOD
    old, new = ordered.orders.order_by("id")
    assert old.reinspection == first
    assert new.number == "南应急责改〔2024〕2号"
    assert (new.issued_on, new.deadline, new.requirements) == (
        D(2024, 5, 22), new_deadline, "彻底清理")
    # The second round runs on the new order and can close the hazard.
    rectification_report(actor=owner, hazard=ordered, report_date=D(2024, 6, 5), text="已清理")
    second = _reinspect(officers, ordered, date=D(2024, 6, 8))
    assert second.order == new and second.number == "南应急复查〔2024〕2号"
    ordered.refresh_from_db()
    assert ordered.status == Hazard.Status.CLOSED
    assert _actions(ordered) == [
        "hazard.registered", "hazard.ordered", "hazard.reported", "hazard.reinspected",
        "hazard.ordered", "hazard.reported", "hazard.reinspected", "hazard.closed",
    ]
    assert verify_record() == []


def test_failed_reinspection_keeps_the_old_requirements_by_default(officers, ordered):
    _reinspect(officers, ordered, passed=False, opinion="未整改", new_deadline=D(2024, 6, 10))
    old, new = ordered.orders.order_by("id")
    assert new.requirements == old.requirements


def test_failed_reinspection_escalated(officers, ordered):
    _reinspect(officers, ordered, passed=False, opinion="拒不整改", escalate=True)
    ordered.refresh_from_db()
    assert ordered.status == Hazard.Status.ESCALATED
    assert ordered.orders.count() == 1
    assert _actions(ordered)[-2:] == ["hazard.reinspected", "hazard.escalated"]
    err = _refused(ValidationError, lambda: _reinspect(officers, ordered))
    assert "不能复查" in _messages(err)
    assert verify_record() == []


def test_failed_reinspection_needs_exactly_one_way_forward(officers, ordered):
    for kw in ({}, {"new_deadline": D(2024, 6, 10), "escalate": True}):
        err = _refused(ValidationError, lambda kw=kw: _reinspect(
            officers, ordered, passed=False, opinion="未整改", **kw))
        assert "二者选一" in _messages(err)
    # A new deadline must fall after the re-inspection day.
    err = _refused(ValidationError, lambda: _reinspect(
        officers, ordered, passed=False, opinion="未整改", new_deadline=D(2024, 5, 22)))
    assert "整改期限应晚于指令下达日期（2024年05月22日）" in _messages(err)
    assert not DocumentCounter.objects.filter(doc_type="re_inspection").exists()


def test_reinspection_needs_an_opinion_and_a_date_after_the_order(officers, ordered):
    _refused(ValidationError, lambda: _reinspect(officers, ordered, opinion=" "))
    err = _refused(ValidationError, lambda: _reinspect(
        officers, ordered, date=DAY - datetime.timedelta(days=1)))
    assert "复查日期不能早于整改指令下达日期" in _messages(err)


def test_a_closed_hazard_cannot_be_reinspected(officers, ordered, finding):
    _reinspect(officers, ordered)
    err = _refused(ValidationError, lambda: _reinspect(officers, ordered))
    assert "已销号" in _messages(err)
    on_site = hazard_register(actor=officers[0], finding=finding(), level=HazardLevel.GENERAL,
                              rectified_on_site=True)
    _refused(ValidationError, lambda: _reinspect(officers, on_site))


def test_reinspection_by_an_outsider_is_refused(make_user, agencies, users, officers, ordered):
    outsider = certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    for actor in (outsider, users[Role.ENTERPRISE], users[Role.LEADER]):
        _refused(PermissionDenied, lambda actor=actor: _reinspect(officers, ordered, actor=actor))


def test_late_reinspection_is_recorded_as_late(officers, ordered):
    late_day = DEADLINE + PERIOD + datetime.timedelta(days=1)
    _reinspect(officers, ordered, date=late_day)
    event = next(e for e in object_events(ordered) if e.action == "hazard.reinspected")
    assert event.payload["late"] is True


# --- supervision listing (挂牌督办) ----------------------------------------------------------

def test_supervision_of_a_major_hazard(users, major, agencies):
    supervision = supervision_list(actor=users[Role.LEADER], hazard=major,
                                   level=SupervisionLevel.CITY, agency=agencies["city"],
                                   listed_on=DAY, note=" 市级督办 ")
    assert (supervision.level, supervision.agency, supervision.listed_on) == (
        SupervisionLevel.CITY, agencies["city"], DAY)
    assert supervision.note == "市级督办" and supervision.closed_on is None
    assert major.supervision == supervision
    event = object_events(major).last()
    assert event.action == "hazard.supervision_listed"
    assert event.payload["agency"] == "嘉兴市应急管理局"


def test_supervision_of_a_general_hazard_is_refused(users, ordered, agencies):
    err = _refused(ValidationError, lambda: supervision_list(
        actor=users[Role.LEADER], hazard=ordered, level=SupervisionLevel.COUNTY,
        agency=agencies["nanhu"], listed_on=DAY))
    assert "只有重大事故隐患才能挂牌督办" in _messages(err)


def test_supervision_twice_is_refused(users, major, agencies):
    supervision_list(actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.COUNTY,
                     agency=agencies["nanhu"], listed_on=DAY)
    err = _refused(ValidationError, lambda: supervision_list(
        actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.CITY,
        agency=agencies["city"], listed_on=DAY))
    assert "已挂牌督办" in _messages(err)


def test_supervision_by_an_agency_without_jurisdiction_is_refused(users, major, agencies):
    err = _refused(ValidationError, lambda: supervision_list(
        actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.COUNTY,
        agency=agencies["xiuzhou"], listed_on=DAY))
    assert "管辖权" in _messages(err)


def test_supervision_listed_before_the_hazard_was_found_is_refused(users, major, agencies):
    err = _refused(ValidationError, lambda: supervision_list(
        actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.COUNTY,
        agency=agencies["nanhu"], listed_on=DAY - datetime.timedelta(days=1)))
    assert "挂牌日期不能早于隐患发现日期" in _messages(err)
    supervision_list(actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.COUNTY,
                     agency=agencies["nanhu"], listed_on=DAY)  # the same day is fine


def test_supervision_refusals_of_role_level_and_state(users, make_user, major, agencies,
                                                      officers):
    outsider = make_user(Role.LEADER, agency=agencies["xiuzhou"])
    for actor in (users[Role.ENTERPRISE], users[Role.REVIEWER], outsider):
        _refused(PermissionDenied, lambda actor=actor: supervision_list(
            actor=actor, hazard=major, level=SupervisionLevel.COUNTY,
            agency=agencies["nanhu"], listed_on=DAY))
    _refused(ValidationError, lambda: supervision_list(
        actor=users[Role.LEADER], hazard=major, level="national", agency=agencies["nanhu"],
        listed_on=DAY))
    _reinspect(officers, major)
    err = _refused(ValidationError, lambda: supervision_list(
        actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.COUNTY,
        agency=agencies["nanhu"], listed_on=D(2024, 5, 23)))
    assert "已销号" in _messages(err)


def test_reinspection_dated_before_the_supervision_listing_is_refused(users, officers, major,
                                                                    agencies):
    """A back-dated re-inspection (5-21) entered after the listing (5-25) would end the
    listing before it began: refused in Chinese, nothing saved."""
    supervision_list(actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.COUNTY,
                     agency=agencies["nanhu"], listed_on=D(2024, 5, 25))
    err = _refused(ValidationError, lambda: _reinspect(officers, major, date=D(2024, 5, 21)))
    assert "复查日期不能早于挂牌督办日期（2024年05月25日）" in _messages(err)
    major.refresh_from_db()
    assert major.status == Hazard.Status.ORDERED


def test_supervision_level_follows_the_listing_agency(users, major, agencies):
    err = _refused(ValidationError, lambda: supervision_list(
        actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.PROVINCE,
        agency=agencies["nanhu"], listed_on=DAY))
    assert "督办级别应与督办机关的层级一致" in _messages(err)
    err = _refused(ValidationError, lambda: supervision_list(
        actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.COUNTY,
        agency=agencies["nanhu_town"], listed_on=DAY))
    assert "乡镇（街道）机构不能挂牌督办" in _messages(err)


def test_passed_reinspection_with_a_new_deadline_or_escalation_is_refused(officers, ordered):
    for extra in ({"escalate": True}, {"new_deadline": D(2024, 6, 30)}):
        err = _refused(ValidationError, lambda extra=extra: reinspection_record(
            actor=officers[0], hazard=ordered, date=D(2024, 5, 21), officers=officers[:2],
            passed=True, opinion="已整改", **extra))
        assert "复查合格的隐患予以销号" in _messages(err)


def test_reinspection_before_the_report_and_a_future_report_are_refused(owner, officers,
                                                                       ordered):
    future = datetime.date.today() + datetime.timedelta(days=2)
    err = _refused(ValidationError, lambda: rectification_report(
        actor=owner, hazard=ordered, report_date=future, text="已整改"))
    assert "整改报告日期不能晚于今天" in _messages(err)
    rectification_report(actor=owner, hazard=ordered, report_date=D(2024, 5, 18), text="已整改")
    err = _refused(ValidationError, lambda: _reinspect(officers, ordered, date=D(2024, 5, 17)))
    assert "复查日期不能早于企业报告整改的日期" in _messages(err)


def test_an_officer_of_another_agency_cannot_reinspect(make_user, agencies, officers, ordered):
    city_officer = certify(make_user(Role.OFFICER, agency=agencies["city"]))
    err = _refused(ValidationError, lambda: reinspection_record(
        actor=officers[0], hazard=ordered, date=D(2024, 5, 21),
        officers=[officers[0], city_officer], passed=True, opinion="已整改"))
    assert "不是本机关执法人员" in _messages(err)


# --- reads: overdue lists and scoping ------------------------------------------------------

def test_overdue_orders_and_reinspections(officers, owner, finding, ordered, major):
    reported = hazard_register(actor=officers[0], finding=finding(description="第三个"),
                               level=HazardLevel.GENERAL, deadline=D(2024, 5, 30))
    rectification_report(actor=owner, hazard=reported, report_date=D(2024, 5, 10),
                         text="已整改")  # due 5-10 + PERIOD
    hazard_register(actor=officers[0], finding=finding(description="当场"),
                    level=HazardLevel.GENERAL, rectified_on_site=True)
    user = officers[0]
    # On the deadline day nothing is overdue yet; the day after, both open orders are.
    assert list(hazards_overdue_orders(user=user, today=DEADLINE)) == []
    assert set(hazards_overdue_orders(user=user, today=DEADLINE + datetime.timedelta(days=1))) \
        == {ordered, major}
    # A reported hazard is no longer waiting for the enterprise.
    assert reported not in hazards_overdue_orders(user=user, today=D(2024, 7, 1))
    due = D(2024, 5, 10) + PERIOD
    assert list(hazards_overdue_reinspections(user=user, today=due)) == []
    assert list(hazards_overdue_reinspections(user=user, today=due + datetime.timedelta(
        days=1))) == [reported]
    later = DEADLINE + PERIOD + datetime.timedelta(days=1)
    assert list(hazards_overdue_reinspections(user=user, today=later)) == [
        reported, *sorted([ordered, major], key=lambda h: h.pk)]
    # Re-inspected and closed: off both lists.
    _reinspect(officers, ordered)
    assert ordered not in hazards_overdue_orders(user=user, today=later)
    assert ordered not in hazards_overdue_reinspections(user=user, today=later)


def test_overdue_lists_are_scoped(make_user, make_enterprise, agencies, jurisdictions, users,
                                  owner, officers, ordered):
    later = D(2024, 12, 31)
    xiuzhou_officers = [certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
                        for _ in range(2)]
    other = make_enterprise(jurisdictions["xiuzhou_town"])
    theirs_inspection = inspection_create(
        actor=xiuzhou_officers[0], enterprise=other, date=DAY, place="仓库",
        category=InspectionCategory.GENERAL, officers=xiuzhou_officers)
    theirs = hazard_register(
        actor=xiuzhou_officers[0], level=HazardLevel.GENERAL, deadline=DEADLINE,
        finding=finding_add(actor=xiuzhou_officers[0], inspection=theirs_inspection,
                            description="仓库堆放混乱"))
    assert theirs.orders.get().number == "秀应急责改〔2024〕1号"
    city = make_user(Role.LEADER, agency=agencies["city"])
    for select in (hazards_overdue_orders, hazards_overdue_reinspections):
        assert list(select(user=officers[0], today=later)) == [ordered]
        assert list(select(user=xiuzhou_officers[0], today=later)) == [theirs]
        assert set(select(user=city, today=later)) == {ordered, theirs}
        assert list(select(user=owner, today=later)) == [ordered]
        assert list(select(user=users[Role.ENTERPRISE], today=later)) == []
    assert list(hazard_list(user=xiuzhou_officers[0])) == [theirs]
    assert hazard_get(user=xiuzhou_officers[0], pk=ordered.pk) is None
    assert not hazard_events(user=xiuzhou_officers[0], hazard=ordered).exists()
    assert list(hazard_events(user=owner, hazard=ordered).values_list("action", flat=True)) == [
        "hazard.registered", "hazard.ordered"]


def test_hazard_list_filters(officers, finding, ordered, major):
    user = officers[0]
    assert list(hazard_list(user=user, level=HazardLevel.MAJOR)) == [major]
    assert set(hazard_list(user=user, status=Hazard.Status.ORDERED)) == {ordered, major}
    assert set(hazard_list(user=user, year=2024)) == {ordered, major}
    assert list(hazard_list(user=user, year=2023)) == []
    assert hazard_get(user=user, pk=major.pk) == major


# --- the whole record ----------------------------------------------------------------------

def test_every_step_is_in_the_record(users, officers, owner, major, agencies, finding):
    supervision_list(actor=users[Role.LEADER], hazard=major, level=SupervisionLevel.COUNTY,
                     agency=agencies["nanhu"], listed_on=DAY)
    rectification_report(actor=owner, hazard=major, report_date=D(2024, 5, 18), text="已整改")
    _reinspect(officers, major, passed=False, opinion="未整改到位", new_deadline=D(2024, 6, 5))
    rectification_report(actor=owner, hazard=major, report_date=D(2024, 6, 4), text="已整改")
    _reinspect(officers, major, date=D(2024, 6, 6), passed=False, opinion="仍未整改",
               escalate=True)
    escalated_actions = _actions(major)
    assert escalated_actions == [
        "hazard.registered", "hazard.ordered", "hazard.supervision_listed", "hazard.reported",
        "hazard.reinspected", "hazard.ordered", "hazard.reported", "hazard.reinspected",
        "hazard.escalated",
    ]
    assert {e.actor for e in object_events(major) if e.action == "hazard.reported"} == {owner}
    assert verify_record() == []


def test_the_date_of_a_draft_with_a_hazard_stays_fixed(officers, inspection, ordered):
    err = _refused(ValidationError, lambda: inspection_update(
        actor=officers[0], inspection=inspection, date=DAY + datetime.timedelta(days=1),
        place="生产车间", category=InspectionCategory.GENERAL, officers=officers[:2]))
    assert "已登记事故隐患的检查不能修改检查日期" in _messages(err)
