"""三同时 reviews, consultations against the restriction list, upgrade projects and the
figures computed from them, over HTTP."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fazhi.core.models import Role
from fazhi.licensing.models_projects import ConsultationRequest
from fazhi.licensing.tests.test_permits_http import (  # noqa: F401 (fixture)
    API,
    client_for,
    issued_permit,
    post,
    receive,
    world,
)
from fazhi.reports.registry import Period, get_indicator

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def people(world):  # noqa: F811 (the imported fixture)
    """The users and enterprises of the permits tests' world."""
    return world


@pytest.fixture
def admin(make_user, agencies):
    return make_user(Role.ADMIN, agency=agencies["city"])


def project_with_reviews(officer, enterprise) -> dict:
    created = post(officer, f"{API}/construction-projects", {
        "enterprise": enterprise.pk, "name": "年产2万吨液氯储存扩建项目", "nature": "expand"})
    assert created.status_code == 201, created.content.decode()
    return created.json()


def test_three_reviews_in_order_each_with_opinion_and_outcome(people):
    officer = client_for(people["officer"])
    project = project_with_reviews(officer, people["enterprise"])
    url = f"{API}/construction-projects/{project['id']}/reviews"
    early = post(officer, url, {"stage": "design", "applied_on": D(2024, 2, 1)})
    assert early.status_code == 422 and "安全条件审查" in early.json()["detail"]
    applied = post(officer, url, {"stage": "conditions", "applied_on": D(2024, 2, 1),
                                  "experts": "张工、李工、王工"}).json()
    review = applied["reviews"][0]
    failed = post(officer, f"{API}/safety-reviews/{review['id']}/conclusion", {
        "concluded_on": D(2024, 2, 20), "outcome": "failed",
        "opinion": "外部安全防护距离不满足要求"}).json()
    assert failed["outcome"] == "failed" and "危化项目审〔2024〕1号" in failed["opinion_number"]
    again = post(officer, url, {"stage": "conditions", "applied_on": D(2024, 3, 1)}).json()
    second = next(r for r in again["reviews"] if not r["concluded_on"])
    post(officer, f"{API}/safety-reviews/{second['id']}/conclusion", {
        "concluded_on": D(2024, 3, 15), "outcome": "passed", "opinion": "同意通过"})
    design = post(officer, url, {"stage": "design", "applied_on": D(2024, 4, 1)})
    assert design.status_code == 201
    # Not in a 秀洲 officer's scope.
    assert client_for(people["xiuzhou"]).get(
        f"{API}/construction-projects/{project['id']}").status_code == 404

    # The page shows the reviews; the review list drills to those concluded in 2024.
    web = Client()
    web.force_login(people["officer"])
    page = web.get(f"/licensing/projects/{project['id']}/").content.decode()
    assert "外部安全防护距离不满足要求" in page and "安全设施设计审查" in page
    listing = web.get("/licensing/projects/reviews/", {"year": 2024}).content.decode()
    assert 'data-testid="review-count">2<' in listing


def test_restriction_list_is_kept_by_administrators_and_matches_name_and_cas(people, admin):
    officer = client_for(people["officer"])
    row = {"name": "光气", "cas": "75-44-5", "restriction": "prohibited",
           "basis": "嘉兴市危险化学品“禁限控”目录（2023年版）禁止类第1项"}
    assert post(officer, f"{API}/restricted-chemicals", row).status_code == 403
    boss = client_for(admin)
    assert post(boss, f"{API}/restricted-chemicals", row).status_code == 201
    assert post(boss, f"{API}/restricted-chemicals", {
        "name": "氯气", "cas": "7782-50-6", "restriction": "restricted",
        "basis": "x"}).status_code == 422  # wrong check digit
    post(boss, f"{API}/restricted-chemicals", {
        "name": "液氯", "cas": "7782-50-5", "restriction": "restricted",
        "basis": "嘉兴市危险化学品“禁限控”目录（2023年版）限制类第8项"})
    matches = post(officer, f"{API}/restriction-check", {
        "chemicals": "氯 7782-50-5\n光 气\n甲苯 108-88-3"}).json()
    assert [(m["name"], m["by"], m["restriction"]) for m in matches] == [
        ("光气", "name", "prohibited"), ("液氯", "cas", "restricted")]
    assert "禁止类第1项" in matches[0]["basis"]

    web = Client()
    web.force_login(people["officer"])
    page = web.get("/licensing/projects/restrictions/",
                   {"chemicals": "光气 75-44-5"}).content.decode()
    assert 'data-testid="restriction-match"' in page and "禁止类第1项" in page


def test_a_consultation_with_a_prohibited_chemical_cannot_be_approved(people, admin,
                                                                      jurisdictions):
    post(client_for(admin), f"{API}/restricted-chemicals", {
        "name": "光气", "cas": "75-44-5", "restriction": "prohibited",
        "basis": "市禁限控目录禁止类第1项"})
    officer = client_for(people["officer"])
    created = post(officer, f"{API}/consultations", {
        "project_name": "年产5万吨聚碳酸酯项目", "applicant": "某新材料有限公司",
        "jurisdiction": jurisdictions["nanhu"].code, "description": "光气法聚碳酸酯",
        "chemicals": "光气 75-44-5\n双酚A 80-05-7", "received_on": D(2024, 5, 6)})
    assert created.status_code == 201
    c = created.json()
    assert [m["name"] for m in c["matches"]] == ["光气"]
    url = f"{API}/consultations/{c['id']}/conclusion"
    body = {"concluded_on": D(2024, 5, 20), "experts": "化工安全专家组5人",
            "opinion": "工艺本质安全水平低"}
    approve = post(officer, url, {**body, "outcome": "approved"})
    assert approve.status_code == 422 and "禁止类" in approve.json()["detail"]
    assert post(officer, url, {**body, "outcome": "vetoed"}).status_code == 422  # no reasons
    vetoed = post(officer, url, {**body, "outcome": "vetoed",
                                 "reasons": "涉及禁止类化学品光气"}).json()
    assert vetoed["outcome"] == "vetoed"
    web = Client()
    web.force_login(people["officer"])
    page = web.get(f"/licensing/projects/consultations/{c['id']}/").content.decode()
    assert "涉及禁止类化学品光气" in page and "市禁限控目录禁止类第1项" in page


def test_the_figures_come_from_the_records(people, jurisdictions):
    """Each indicator counts exactly its records: refusals, 延期 and open reviews left out."""
    officer, leader = client_for(people["officer"]), client_for(people["leader"])
    issued_permit(people)  # 使用许可证 核发, 2024-03-20: counted in production_use
    op = receive(officer, people["enterprise"], permit_type="operation",
                 received_on=D(2024, 4, 1))
    url = f"{API}/permit-applications/{op['id']}"
    post(officer, f"{url}/acceptance", {"accepted_on": D(2024, 4, 1)})
    post(leader, f"{url}/decision", {"decided_on": D(2024, 4, 10), "approve": False,
                                     "reasons": "不符合条件"})  # refused: not counted
    project = project_with_reviews(officer, people["enterprise"])
    rurl = f"{API}/construction-projects/{project['id']}/reviews"
    review = post(officer, rurl, {"stage": "conditions", "applied_on": D(2023, 12, 1)})
    rid = review.json()["reviews"][0]["id"]
    post(officer, f"{API}/safety-reviews/{rid}/conclusion", {
        "concluded_on": D(2024, 1, 10), "outcome": "passed", "opinion": "通过"})
    post(officer, rurl, {"stage": "design", "applied_on": D(2024, 2, 1)})  # open: not counted
    for i, outcome in enumerate(("approved", "vetoed")):
        c = post(officer, f"{API}/consultations", {
            "project_name": f"新建项目{i}", "applicant": "某公司",
            "jurisdiction": jurisdictions["nanhu"].code, "description": "新建",
            "chemicals": "甲苯 108-88-3", "received_on": D(2024, 6, 3)}).json()
        post(officer, f"{API}/consultations/{c['id']}/conclusion", {
            "concluded_on": D(2024, 6, 20), "outcome": outcome, "experts": "专家组",
            "opinion": "意见", "reasons": "风险高" if outcome == "vetoed" else ""})
    web = Client()
    web.force_login(people["officer"])
    web.post("/licensing/projects/upgrades/new/", {
        "uscc": people["enterprise"].uscc, "name": "老旧氯化装置自动化改造",
        "started_on": "2024-03-01", "description": "淘汰老旧反应釜"})
    from fazhi.licensing.models_projects import UpgradeProject

    upgrade = UpgradeProject.objects.get()
    for name, action, qty, unit in (("搪瓷反应釜", "eliminated", 6, "台"),
                                    ("DCS控制系统", "replaced", 2, "套")):
        web.post(f"/licensing/projects/upgrades/{upgrade.pk}/equipment/", {
            "name": name, "action": action, "quantity": qty,
            "unit": "unit" if unit == "台" else "set"})
    web.post(f"/licensing/projects/upgrades/{upgrade.pk}/complete/",
             {"completed_on": "2024-11-30"})

    city, year = jurisdictions["city"], Period.for_year(2024)
    figures = {i: get_indicator(i).evaluate(year, city) for i in (
        "permits.three_simultaneities", "permits.production_use", "permits.operation",
        "projects.consulted", "projects.rejected", "upgrades.projects", "upgrades.equipment")}
    assert figures == {"permits.three_simultaneities": 1, "permits.production_use": 1,
                       "permits.operation": 0, "projects.consulted": 2,
                       "projects.rejected": 1, "upgrades.projects": 1,
                       "upgrades.equipment": 8}
    assert get_indicator("upgrades.equipment").evaluate(Period.for_year(2023), city) == 0
    assert get_indicator("permits.production_use").evaluate(year, jurisdictions["xiuzhou"]) == 0
    assert ConsultationRequest.objects.filter(outcome="vetoed").count() == 1
    # The drill lists exactly the counted applications.
    drill = get_indicator("permits.production_use").drill_url(year, city)
    assert 'data-testid="application-count">1<' in web.get(drill).content.decode()


def test_every_page_opens_for_staff_and_the_enterprise(people, admin):
    issued_permit(people)
    officer = client_for(people["officer"])
    project = project_with_reviews(officer, people["enterprise"])
    web = Client()
    pages = ["/licensing/permits/", "/licensing/permits/applications/",
             "/licensing/permits/applications/new/", "/licensing/projects/",
             "/licensing/projects/new/", f"/licensing/projects/{project['id']}/",
             "/licensing/projects/reviews/", "/licensing/projects/consultations/",
             "/licensing/projects/consultations/new/", "/licensing/projects/restrictions/",
             "/licensing/projects/upgrades/", "/licensing/projects/upgrades/new/",
             "/licensing/permits/?expiring_within=90&status=valid"]
    for user in (people["officer"], admin):
        web.force_login(user)
        for url in pages:
            assert web.get(url).status_code == 200, url
    web.force_login(people["owner"])
    listing = web.get("/licensing/permits/").content.decode()
    assert 'data-testid="permit-count">1<' in listing
    assert web.get("/licensing/permits/applications/new/").status_code == 403
    assert web.get(f"/licensing/projects/{project['id']}/").status_code == 200  # its own
    web.force_login(people["stranger"])
    assert web.get(f"/licensing/projects/{project['id']}/").status_code == 404
    assert web.get("/licensing/permits/ledger.xlsx").status_code == 403
