"""The accident services: registry and reclassification in the event record, reporting
timeliness and findings, the investigation's deadlines from the engine, the approval,
the penalty case opened from the accountability, the legality review, scope.

Expected deadlines, classes and ranges are computed through `fazhi.legal.rules.accidents`
(the edges of the law itself are tested in fazhi/legal/tests)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.accidents import services
from fazhi.accidents.models import Accident, AccidentRevision, Accountability, OpinionItem
from fazhi.accidents.selectors import accident_get, accident_list
from fazhi.cases.models import CaseSource
from fazhi.cases.tests.worlds import load_work_safety_catalogue
from fazhi.core.models import Event
from fazhi.core.selectors import object_events
from fazhi.legal.rules import accidents as law

SH = datetime.timezone(datetime.timedelta(hours=8))
OCCURRED = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=SH)
DAY = OCCURRED.date()
HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def officer(make_user):
    return make_user("officer")  # 南湖区应急管理局


@pytest.fixture
def register(officer, jurisdictions, make_enterprise):
    def make(**kw) -> Accident:
        fields = {"actor": officer, "jurisdiction": jurisdictions["nanhu_town"],
                  "occurred_at": OCCURRED, "place": "解放街道某厂房", "industry": "industry_trade",
                  "account": "作业人员在检修时被卷入设备", "deaths": 2,
                  "enterprise": make_enterprise(), "known_on": DAY}
        fields.update(kw)
        return services.accident_register(**fields)
    return make


def update(accident: Accident, actor, *, known_on: datetime.date, **figures):
    values = {"deaths": accident.deaths, "missing": accident.missing,
              "serious_injuries": accident.serious_injuries,
              "direct_loss": accident.direct_loss, **figures}
    return services.accident_figures_update(actor=actor, accident=accident,
                                            known_on=known_on, reason="伤者抢救无效死亡",
                                            **values)


def events(accident: Accident, action: str) -> list[Event]:
    return [e for e in object_events(accident) if e.action == action]


def fresh(accident: Accident) -> Accident:
    return Accident.objects.get(pk=accident.pk)


# --- registry and reclassification ------------------------------------------------------

def test_register_numbers_classifies_by_the_engine_and_keeps_the_first_revision(register):
    accident = register()
    assert accident.number == "南应急事故〔2024〕1号"
    assert accident.accident_class == law.accident_class(2, 0, 0).code
    assert accident.class_citations == [c.as_dict() for c in law.accident_class(2, 0, 0)
                                        .citations]
    (revision,) = accident.revisions.all()
    assert (revision.deaths, revision.accident_class) == (2, accident.accident_class)
    (event,) = events(accident, "accident.registered")
    assert event.payload["class"] == accident.accident_class
    assert register().number == "南应急事故〔2024〕2号"


def test_a_death_seven_days_later_moves_the_class_at_three_deaths_and_is_recorded(
        register, officer):
    accident = register(deaths=2)
    assert accident.accident_class == law.ORDINARY
    revision = update(accident, officer, known_on=DAY + days(7), deaths=3)
    accident = fresh(accident)
    assert accident.accident_class == law.accident_class(3, 0, 0).code == law.LARGE
    assert revision.accident_class == law.LARGE and revision.deaths == 3
    assert accident.revisions.count() == 2
    (event,) = events(accident, "accident.figures_updated")
    assert event.payload["from"]["deaths"] == 2 and event.payload["to"]["deaths"] == 3
    assert (event.payload["from"]["class"], event.payload["to"]["class"]) == (
        law.ORDINARY, law.LARGE)
    assert event.payload["supplementary"] is True
    # 条例 第二十条第二款: 较大事故 is the city's to investigate, the county's before.
    assert event.payload["higher_government_may_investigate"] is True


@pytest.mark.parametrize(("industry", "window"), [
    ("industry_trade", law.SUPPLEMENT_DAYS), ("road", law.SUPPLEMENT_DAYS_ROAD_FIRE),
    ("fire", law.SUPPLEMENT_DAYS_ROAD_FIRE)])
def test_supplementary_report_window_through_the_service(register, officer, industry, window):
    accident = register(industry=industry)
    last = law.supplementary_report_window(DAY, road_or_fire=window == 7).last_day
    assert last == DAY + days(window)
    in_time = update(accident, officer, known_on=last, serious_injuries=1)
    late = update(fresh(accident), officer, known_on=last + days(1), serious_injuries=2)
    assert "不属补报" not in in_time.reason
    assert "不属补报" in late.reason and "更正" in late.reason
    first, second = events(accident, "accident.figures_updated")
    assert first.payload["supplementary"] is True
    assert second.payload["supplementary"] is False


def test_figures_update_refusals_change_nothing(register, officer):
    accident = register()
    for kwargs, message in [
        ({"known_on": DAY - days(1), "deaths": 3}, "不能早于事故发生日期"),
        ({"known_on": DAY + days(1)}, "没有变化"),
        ({"known_on": DAY + days(1), "deaths": -1}, "不能为负数"),
        ({"known_on": DAY + days(1), "direct_loss": 1.5}, "不接受浮点数"),
    ]:
        with pytest.raises(ValidationError, match=message):
            update(accident, officer, **kwargs)
    assert fresh(accident).deaths == 2
    assert accident.revisions.count() == 1
    assert not events(accident, "accident.figures_updated")


def test_register_refuses_a_highway_flag_off_the_road(register):
    with pytest.raises(ValidationError, match="高速公路"):
        register(industry="fire", on_highway=True)
    assert register(industry="road", on_highway=True).on_highway


# --- reporting -------------------------------------------------------------------------

def test_unit_report_at_one_hour_in_time_one_second_more_late(register, officer):
    head = OCCURRED + datetime.timedelta(minutes=10)
    accident = register()
    services.accident_reporting_set(actor=officer, accident=accident, head_informed_at=head,
                                    unit_reported_at=head + HOUR)
    services.accident_reporting_set(actor=officer, accident=accident,
                                    unit_reported_at=head + HOUR + SECOND)
    first, second = events(accident, "accident.reporting_set")
    assert first.payload["unit_late"] is False and second.payload["unit_late"] is True
    assert fresh(accident).head_informed_at == head  # a None leaves a time as it is


def test_upward_report_at_two_hours_in_time_one_second_more_late(register, officer):
    informed = OCCURRED + HOUR
    accident = register()
    services.accident_reporting_set(actor=officer, accident=accident,
                                    bureau_informed_at=informed,
                                    reported_up_at=informed + 2 * HOUR)
    services.accident_reporting_set(actor=officer, accident=accident,
                                    reported_up_at=informed + 2 * HOUR + SECOND)
    first, second = events(accident, "accident.reporting_set")
    assert first.payload["upward_late"] is False and second.payload["upward_late"] is True
    assert first.payload["unit_late"] is None  # the unit's times are not known


def test_reporting_times_refused_before_the_accident_or_out_of_order(register, officer):
    accident = register()
    with pytest.raises(ValidationError, match="不能早于事故发生时间"):
        services.accident_reporting_set(actor=officer, accident=accident,
                                        head_informed_at=OCCURRED - SECOND)
    with pytest.raises(ValidationError, match="请先填写本局接到报告时间"):
        services.accident_reporting_set(actor=officer, accident=accident,
                                        reported_up_at=OCCURRED + HOUR)
    with pytest.raises(ValidationError, match="不能早于本局接到报告时间"):
        services.accident_reporting_set(actor=officer, accident=accident,
                                        bureau_informed_at=OCCURRED + 2 * HOUR,
                                        reported_up_at=OCCURRED + HOUR)
    accident = fresh(accident)
    assert accident.head_informed_at is None and accident.bureau_informed_at is None
    assert not events(accident, "accident.reporting_set")


def test_finding_of_concealment_with_late_report_lists_the_consequences(register, officer):
    accident = register()
    services.accident_reporting_set(actor=officer, accident=accident,
                                    head_informed_at=OCCURRED,
                                    unit_reported_at=OCCURRED + 3 * HOUR)
    with pytest.raises(ValidationError, match="请填写报告情况认定理由"):
        services.accident_report_finding(actor=officer, accident=accident, concealed=True,
                                         finding=" ")
    services.accident_report_finding(actor=officer, accident=accident, concealed=True,
                                     finding="事故发生后单位未报告，经举报核查属实")
    accident = fresh(accident)
    assert accident.concealed and not accident.omitted_report
    (event,) = events(accident, "accident.report_finding")
    assert event.payload["acts"] == ["迟报", "瞒报"]
    expected = law.reporting_consequences(occurred_on=DAY, late=True, concealed=True)
    assert event.payload["consequences"] == [c.as_dict() for c in expected]
    unit = [c for c in event.payload["consequences"] if c["subject"] == "unit"]
    assert unit and unit[0]["citations"][0]["article"] == "第三十六条第（一）项"


# --- investigation ---------------------------------------------------------------------

TEAM = [{"name": "张三", "unit": "南湖区应急管理局", "role": "组长"},
        {"name": "李四", "unit": "南湖区公安分局", "role": "成员"}]


def open_investigation(accident, actor, **kw):
    return services.investigation_open(actor=actor, accident=accident,
                                       started_on=DAY + days(1), team=TEAM, **kw)


def test_investigation_led_by_the_class_and_due_from_the_engine(register, officer):
    accident = register(deaths=3)
    investigation = open_investigation(accident, officer)
    assert investigation.led_by == law.INVESTIGATED_BY[law.LARGE]
    assert investigation.report_due == law.investigation_report_due(DAY, law.LARGE).due
    with pytest.raises(ValidationError, match="已成立调查组"):
        open_investigation(accident, officer)
    with pytest.raises(ValidationError, match="调查组成员"):
        services.investigation_open(actor=officer, accident=register(), started_on=DAY,
                                    team=[{"unit": "无名"}])


def test_extension_up_to_sixty_days_in_all_and_no_more(register, officer):
    investigation = open_investigation(register(), officer)
    base = law.investigation_report_due(DAY).due
    investigation = services.investigation_extend(
        actor=officer, investigation=investigation, days=40, reason="需补充技术调查",
        approved_by="南湖区人民政府")
    investigation = services.investigation_extend(
        actor=officer, investigation=investigation, days=20, reason="需补充询问",
        approved_by="南湖区人民政府")
    assert investigation.extension_days == law.MAX_EXTENSION_DAYS
    assert investigation.report_due == base + days(law.MAX_EXTENSION_DAYS)
    assert investigation.report_due == law.investigation_report_due(DAY).latest_with_extension
    with pytest.raises(ValidationError, match="延长期限最长不超过60日"):
        services.investigation_extend(actor=officer, investigation=investigation, days=1,
                                      reason="再延长", approved_by="南湖区人民政府")
    other = open_investigation(register(), officer)
    with pytest.raises(ValidationError, match="第二十九条"):
        services.investigation_extend(actor=officer, investigation=other,
                                      days=law.MAX_EXTENSION_DAYS + 1, reason="延长",
                                      approved_by="南湖区人民政府")
    other.refresh_from_db()
    assert other.extension_days == 0 and other.report_due == base
    with pytest.raises(ValidationError, match="延长批准机关"):
        services.investigation_extend(actor=officer, investigation=other, days=10,
                                      reason="延长", approved_by="")


def submit(investigation, actor, on, **kw):
    return services.investigation_report_submit(
        actor=actor, investigation=investigation, submitted_on=on, cause="设备防护缺失",
        nature="生产安全责任事故", summary="调查报告摘要", **kw)


def test_report_due_excludes_appraisal_and_approval_due_by_class(register, officer):
    investigation = open_investigation(register(deaths=3), officer)
    submitted = DAY + days(70)
    investigation = submit(investigation, officer, submitted, appraisal_days=15)
    assert investigation.report_due == law.investigation_report_due(
        DAY, appraisal_days=15).due
    assert investigation.reply_due == law.investigation_approval_due(submitted, law.LARGE).due
    (event,) = events(investigation.accident, "accident.investigation_reported")
    assert event.payload["late"] is False  # 70 days, 15 of them appraisal


def test_approval_before_the_report_or_without_one_is_refused(register, officer):
    investigation = open_investigation(register(), officer)
    with pytest.raises(ValidationError, match="尚未提交"):
        services.investigation_approve(actor=officer, investigation=investigation,
                                       approved_on=DAY + days(30), approved_by="南湖区人民政府")
    submitted = DAY + days(50)
    submit(investigation, officer, submitted)
    with pytest.raises(ValidationError, match="批复日期不能早于调查报告提交日期"):
        services.investigation_approve(actor=officer, investigation=investigation,
                                       approved_on=submitted - days(1),
                                       approved_by="南湖区人民政府")
    investigation.refresh_from_db()
    assert investigation.approved_on is None
    due = law.investigation_approval_due(submitted, law.ORDINARY).due
    services.investigation_approve(actor=officer, investigation=investigation,
                                   approved_on=due + days(1), approved_by="南湖区人民政府")
    (event,) = events(investigation.accident, "accident.investigation_approved")
    assert event.payload["late"] is True
    with pytest.raises(ValidationError, match="已批复"):
        submit(investigation, officer, submitted)


# --- the penalty case --------------------------------------------------------------------

@pytest.fixture
def approved(register, officer):
    """A 较大事故 (3 deaths) whose report was approved 2024-05-20."""
    load_work_safety_catalogue()
    accident = register(deaths=3)
    investigation = open_investigation(accident, officer)
    submit(investigation, officer, DAY + days(60))
    return services.investigation_approve(actor=officer, investigation=investigation,
                                          approved_on=DAY + days(80),
                                          approved_by="嘉兴市人民政府")


def account(investigation, actor, subject="unit", **kw):
    return services.accountability_add(
        actor=actor, investigation=investigation, subject=subject, name="嘉兴测试化工有限公司",
        responsibility="未落实设备检修安全措施，对事故发生负有责任",
        measures="建议依法给予行政处罚", **kw)


@pytest.mark.parametrize(("subject", "prefix"), [("unit", "WSL2021-114-"),
                                                 ("principal", "WSL2021-095-")])
def test_case_opened_from_accountability_with_the_item_by_class(approved, officer, subject,
                                                                prefix):
    item = account(approved, officer, subject)
    case = services.accident_case_open(actor=officer, accountability=item)
    accident = approved.accident
    assert list(case.items.values_list("code", flat=True)) == [f"{prefix}02"]  # 较大
    assert case.source == CaseSource.ACCIDENT
    assert case.enterprise == accident.enterprise
    assert case.discovered_on == approved.approved_on
    item.refresh_from_db()
    assert item.case == case
    (event,) = events(accident, "accident.case_opened")
    assert event.payload["case"] == case.pk and event.payload["item"] == f"{prefix}02"
    if subject == "unit":
        fine = law.unit_fine_for_accident(law.LARGE, occurred_on=DAY)
        assert event.payload["unit_fine"] == fine.as_dict()
    else:
        fine = law.principal_fine(law.LARGE, occurred_on=DAY)
        assert event.payload["principal_fine"] == fine.as_dict()
    assert [e.action for e in object_events(case)] == ["case.lead_registered"]
    with pytest.raises(ValidationError, match="已登记案件"):
        services.accident_case_open(actor=officer, accountability=item)


def test_case_refused_before_approval_and_without_an_enterprise(register, officer,
                                                                 make_enterprise):
    load_work_safety_catalogue()
    accident = register(deaths=3, enterprise=None)
    investigation = open_investigation(accident, officer)
    item = account(investigation, officer)
    with pytest.raises(ValidationError, match="尚未批复"):
        services.accident_case_open(actor=officer, accountability=item)
    submit(investigation, officer, DAY + days(60))
    services.investigation_approve(actor=officer, investigation=investigation,
                                   approved_on=DAY + days(70), approved_by="嘉兴市人民政府")
    with pytest.raises(ValidationError, match="事故责任单位"):
        services.accident_case_open(actor=officer, accountability=item)
    with pytest.raises(ValidationError, match="不能早于调查报告批复日期"):
        services.accident_case_open(actor=officer, accountability=account(
            investigation, officer, enterprise=make_enterprise()), on=DAY + days(69))
    assert not Accountability.objects.filter(case__isnull=False).exists()
    person = account(investigation, officer, "person", enterprise=make_enterprise())
    with pytest.raises(ValidationError, match="其他责任人员"):
        services.accident_case_open(actor=officer, accountability=person)


# --- legality review -------------------------------------------------------------------

def test_review_guidance_and_opinion_items_with_responses(register, officer):
    investigation = open_investigation(register(), officer)
    review = services.report_review_request(
        actor=officer, investigation=investigation, requested_on=DAY + days(40),
        requested_of="南湖区司法局", questions="责任认定的法律适用")
    with pytest.raises(ValidationError, match="不能早于申请日期"):
        services.report_review_guidance(actor=officer, review=review,
                                        guidance_on=DAY + days(39), guidance="意见")
    review = services.report_review_guidance(actor=officer, review=review,
                                             guidance_on=DAY + days(45), guidance="建议补充证据")
    assert review.guidance_on == DAY + days(45)
    opinion = services.legality_opinion_add(
        actor=officer, investigation=investigation, issued_on=DAY + days(50),
        issued_by="南湖区司法局", conclusion="基本合法，需修改两处", review=review,
        items=["责任认定依据不充分", "处理建议未引用条款"])
    items = list(opinion.items.all())
    assert [(i.number, i.outcome) for i in items] == [(1, "pending"), (2, "pending")]
    with pytest.raises(ValidationError, match="请选择处理结果"):
        services.opinion_item_respond(actor=officer, item=items[0], response="已补充",
                                      outcome="pending")
    answered = services.opinion_item_respond(actor=officer, item=items[0],
                                             response="已补充询问笔录", outcome="adopted")
    assert OpinionItem.objects.get(pk=answered.pk).outcome == "adopted"
    with pytest.raises(ValidationError, match="不能有空条目"):
        services.legality_opinion_add(actor=officer, investigation=investigation,
                                      issued_on=DAY + days(50), issued_by="南湖区司法局",
                                      conclusion="合法", items=["一", " "])
    other = open_investigation(register(), officer)
    with pytest.raises(ValidationError, match="不属于本事故调查"):
        services.legality_opinion_add(actor=officer, investigation=other,
                                      issued_on=DAY + days(50), issued_by="南湖区司法局",
                                      conclusion="合法", items=["一"], review=review)
    actions = [e.action for e in object_events(investigation.accident)]
    assert actions[-4:] == ["accident.review_requested", "accident.review_guided",
                            "accident.opinion_added", "accident.opinion_item_responded"]


# --- scope -----------------------------------------------------------------------------

def test_a_county_officer_cannot_write_another_countys_accident(register, make_user,
                                                                agencies, jurisdictions):
    accident = register()
    xiuzhou = make_user("officer", agency=agencies["xiuzhou"])
    before = Event.objects.count()
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        update(accident, xiuzhou, known_on=DAY + days(7), deaths=3)
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        services.accident_register(actor=xiuzhou, jurisdiction=jurisdictions["nanhu"],
                                   occurred_at=OCCURRED, place="某处", industry="fire",
                                   account="经过")
    assert fresh(accident).deaths == 2 and fresh(accident).accident_class == law.ORDINARY
    assert AccidentRevision.objects.filter(accident=accident).count() == 1
    assert Event.objects.count() == before
    city = make_user("officer", agency=agencies["city"])
    update(accident, city, known_on=DAY + days(7), deaths=3)
    assert fresh(accident).accident_class == law.LARGE


def test_enterprise_users_and_supervisors_cannot_write(register, users):
    accident = register()
    for role in ("enterprise", "supervisor"):
        with pytest.raises(PermissionDenied, match="无权"):
            update(accident, users[role], known_on=DAY + days(1), deaths=3)


def test_selectors_scope_and_filters(register, make_user, agencies, jurisdictions, users,
                                     make_enterprise):
    own = make_enterprise()
    nanhu = register(enterprise=own)
    road = register(industry="road", on_highway=True, deaths=3,
                    occurred_at=OCCURRED.replace(year=2023))
    city = make_user("officer", agency=agencies["city"])
    far = register(actor=city, jurisdiction=jurisdictions["xiuzhou"])
    nanhu_officer = nanhu.created_by
    assert set(accident_list(user=nanhu_officer)) == {nanhu, road}
    assert set(accident_list(user=city)) == {nanhu, road, far}
    assert accident_get(user=nanhu_officer, pk=far.pk) is None
    assert accident_get(user=city, pk=far.pk) == far
    owner = make_user("enterprise", enterprise=own)
    assert list(accident_list(user=owner)) == [nanhu]
    # a social supervisor reads the area they oversee (南湖区) and below, nothing else
    assert set(accident_list(user=users["supervisor"])) == {nanhu, road}
    assert accident_get(user=users["supervisor"], pk=far.pk) is None
    xiuzhou = make_user("supervisor", supervised_jurisdiction=jurisdictions["xiuzhou"])
    assert list(accident_list(user=xiuzhou)) == [far]
    assert list(accident_list(user=city, year=2023)) == [road]
    assert list(accident_list(user=city, highway=True)) == [road]
    assert list(accident_list(user=city, industry="road")) == [road]
    assert list(accident_list(user=city, accident_class=law.LARGE)) == [road]
    assert list(accident_list(user=city, jurisdiction="330411")) == [far]
    assert set(accident_list(user=city, jurisdiction=jurisdictions["nanhu"])) == {nanhu, road}
