"""Capacity pages over HTTP: the overview's rates as of a day, people with masking and
scoping, forms only for those who keep the records, a study session with laws and
attendance, outreach for a year, and the indicators' drill-down."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from fazhi.capacity import services
from fazhi.capacity.models import (
    BaseVisitCount,
    OutreachBase,
    StaffMember,
    StudySession,
    WorkAward,
)
from fazhi.core.tests.factories import make_id_number
from fazhi.legal.models import Law
from fazhi.reports.registry import Period, get_indicator

pytestmark = pytest.mark.django_db
D = datetime.date


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rate_text(html: str, key: str) -> str:
    block = html.split(f'data-testid="rate-{key}"', 1)[1]
    return re.search(r'class="fs-4">([^<]+)<', block).group(1)


def person(world, agency="nanhu", name="甲", roles=("reviewer",), **kw) -> StaffMember:
    return services.person_create(actor=world.users["city_reviewer"],
                                  agency=world.agencies[agency], name=name,
                                  joined_on=D(2020, 1, 1), roles=roles, **kw)


def test_overview_rates_move_when_a_qualification_is_recorded_on_the_page(world):
    reviewer = person(world)
    client = login(world.users["city_reviewer"])
    url = "/capacity/"
    html = client.get(url, {"jurisdiction": "330400", "day": "2024-12-31"}).content.decode()
    assert rate_text(html, "qualified") == "0.00%"
    assert rate_text(html, "units") == "100.00%"  # city, two districts and the zone
    response = client.post(f"/capacity/people/{reviewer.pk}/qualification/", {
        "kind": "A", "certificate_number": "A20203304000001", "granted_on": "2020-02-01"})
    assert response.status_code == 302
    html = client.get(url, {"jurisdiction": "330400", "day": "2024-12-31"}).content.decode()
    assert rate_text(html, "qualified") == "100.00%"
    assert rate_text(html, "reviewers") == "25.00%"  # 1 of 4 city and county bureaus
    earlier = client.get(url, {"jurisdiction": "330400", "day": "2019-12-31"}).content.decode()
    assert "无统计对象" in earlier.split('data-testid="rate-qualified"', 1)[1][:400]


def test_people_are_scoped_and_id_numbers_masked(world):
    number = make_id_number(9, "330402")
    person(world, name="南湖甲", id_number=number)
    person(world, agency="xiuzhou", name="秀洲乙")
    leader = login(world.users["nanhu_leader"]).get("/capacity/people/").content.decode()
    assert "南湖甲" in leader and "秀洲乙" not in leader
    assert number not in leader and number[:6] + "********" + number[-4:] in leader
    officer = login(world.users["nanhu_officer"]).get("/capacity/people/").content.decode()
    assert number in officer  # an officer writes ID numbers into documents
    other = StaffMember.objects.get(name="秀洲乙")
    assert login(world.users["nanhu_leader"]).get(
        f"/capacity/people/{other.pk}/").status_code == 404
    assert login(world.users["supervisor"]).get("/capacity/people/").status_code == 403


def test_forms_only_for_those_who_keep_the_records(world):
    someone = person(world)
    officer = login(world.users["nanhu_officer"])
    html = officer.get(f"/capacity/people/{someone.pk}/").content.decode()
    assert 'data-testid="qualification-form"' not in html
    response = officer.post(f"/capacity/people/{someone.pk}/qualification/", {
        "kind": "A", "certificate_number": "A1", "granted_on": "2020-02-01"}, follow=True)
    assert "无权维护" in response.content.decode()
    assert officer.get("/capacity/people/new/").status_code == 403
    writer = login(world.users["nanhu_leader"])
    html = writer.get(f"/capacity/people/{someone.pk}/").content.decode()
    assert 'data-testid="qualification-form"' in html


def test_person_form_creates_with_roles_and_refuses_a_bad_id(world):
    client = login(world.users["city_reviewer"])
    data = {"agency": world.agencies["nanhu"].pk, "name": "新人", "joined_on": "2024-03-01",
            "roles": ["reviewer"], "id_number": "330402198001011230"}
    html = client.post("/capacity/people/new/", data).content.decode()
    assert "校验码错误" in html and not StaffMember.objects.exists()
    data["id_number"] = make_id_number(3, "330402")
    response = client.post("/capacity/people/new/", data)
    created = StaffMember.objects.get()
    assert response.status_code == 302 and created.roles.get().kind == "reviewer"


def test_study_session_with_laws_attendance_and_the_indicator(world):
    law = Law.objects.create(name="中华人民共和国安全生产法", level="law", version="2021",
                             effective=D(2021, 9, 1))
    leader_person = person(world, agency="city", name="局长", roles=(), is_leader=True)
    client = login(world.users["city_reviewer"])
    response = client.post("/capacity/study/new/", {
        "agency": world.agencies["city"].pk, "date": "2024-05-08", "form": "central_group",
        "topic": "学习新《安全生产法》", "laws": [law.pk], "laws_text": "",
        "present": [leader_person.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    session = StudySession.objects.get()
    html = client.get(f"/capacity/study/{session.pk}/").content.decode()
    assert "中华人民共和国安全生产法" in html and 'data-testid="leaders">1 / 1' in html
    period, city = Period.for_year(2024), world.jurisdictions["city"]
    assert get_indicator("study.sessions").evaluate(period, city) == 1
    # A county bureau's session is not the bureau's own (scope: bureau).
    services.study_session_create(actor=world.users["city_reviewer"],
                                  agency=world.agencies["nanhu"], date=D(2024, 6, 1),
                                  form="meeting", topic="会前学法")
    assert get_indicator("study.sessions").evaluate(period, city) == 1
    assert get_indicator("study.sessions").evaluate(period, world.jurisdictions["nanhu"]) == 1
    drill = get_indicator("study.sessions").drill_url(period, city)
    assert 'data-testid="study-count">1<' in client.get(drill).content.decode()


def test_outreach_counts_bases_as_of_the_end_and_visitors_in_the_period(world):
    actor, city = world.users["city_reviewer"], world.jurisdictions["city"]
    base = services.base_create(actor=actor, agency=world.agencies["nanhu"], name="体验馆",
                                level=OutreachBase.Level.CITY, opened_on=D(2024, 5, 12))
    services.visits_record(actor=actor, base=base, month=D(2024, 6, 1), visitors=1200)
    services.visits_record(actor=actor, base=base, month=D(2025, 1, 1), visitors=99)
    work = services.work_create(actor=actor, agency=world.agencies["city"], title="普法动漫",
                                kind="animation", published_on=D(2024, 3, 1))
    services.award_add(actor=actor, work=work, name="全国优秀作品", level=WorkAward.Level.NATIONAL,
                       awarded_on=D(2024, 11, 1))
    value = lambda key, period: get_indicator(key).evaluate(period, city)  # noqa: E731
    assert value("outreach.bases.city", Period.for_year(2024)) == 1
    assert value("outreach.bases.city", Period.for_year(2023)) == 0
    assert value("outreach.bases.city", Period(D(2024, 1, 1), D(2024, 5, 11))) == 0
    assert value("outreach.visitors", Period.for_year(2024)) == 1200
    assert value("outreach.works.awarded", Period.for_year(2024)) == 1
    assert BaseVisitCount.objects.count() == 2
    html = login(world.users["city_leader"]).get("/capacity/outreach/",
                                                 {"year": 2024}).content.decode()
    assert 'data-testid="visitors">1200<' in html and "普法动漫" in html


def test_reviewer_drill_lists_the_reviewers_in_post_that_day(world):
    person(world, name="在岗")
    gone = person(world, name="离岗")
    services.person_update(actor=world.users["city_reviewer"], person=gone,
                           left_on=D(2024, 6, 1))
    url = get_indicator("staff.reviewers.rate").drill_url(Period.for_year(2024),
                                                          world.jurisdictions["city"])
    html = login(world.users["city_leader"]).get(url).content.decode()
    assert "在岗" in html and "离岗</a>" not in html
