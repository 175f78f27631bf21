"""The accident pages over HTTP: registering through the form, new figures re-classifying
the accident (the change and both classes in the revisions and the event record), the
reporting and investigation forms with the engine's deadlines, accountability opening a
penalty case, legal guidance and opinions, refusals shown in Chinese with nothing
changed, the statistics page showing the figures counted from the records, the ledger,
and scope (another county: 404; an enterprise user: only its own accidents; a social
supervisor: the accidents of the area they oversee, read-only, personal data masked).

Classes, deadlines and ranges expected here are computed through
`fazhi.legal.rules.accidents`, never typed in."""

from __future__ import annotations

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from fazhi.accidents import services
from fazhi.accidents.ledger import HEADERS
from fazhi.accidents.models import Accident, AccidentRevision, Accountability, OpinionItem
from fazhi.accidents.views import RECORDS
from fazhi.cases.models import CaseSource
from fazhi.cases.tests.worlds import load_work_safety_catalogue
from fazhi.core.models import Event, Role
from fazhi.legal.rules import accidents as law
from fazhi.subjects.rules.masking import mask_id_number, mask_person_name

pytestmark = pytest.mark.django_db

SH = datetime.timezone(datetime.timedelta(hours=8))
OCCURRED = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=SH)
DAY = OCCURRED.date()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, accident: Accident) -> str:
    response = client.get(reverse("accidents:accident_detail", args=[accident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post(client: Client, accident: Accident, what: str, data: dict) -> str:
    """Post one form of the accident page and follow back to it."""
    response = client.post(reverse("accidents:accident_record", args=[accident.pk, what]),
                           data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def fresh(accident: Accident) -> Accident:
    return Accident.objects.get(pk=accident.pk)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)  # 南湖区应急管理局


@pytest.fixture
def register(officer, jurisdictions, make_enterprise):
    def make(**kw) -> Accident:
        fields = {"actor": officer, "jurisdiction": jurisdictions["nanhu_town"],
                  "occurred_at": OCCURRED, "place": "解放街道某厂房检修车间",
                  "industry": "industry_trade", "account": "作业人员在检修时被卷入设备",
                  "deaths": 2, "enterprise": make_enterprise()}
        fields.update(kw)
        fields.setdefault("known_on", fields["occurred_at"].date())
        return services.accident_register(**fields)
    return make


# --- register and re-classify ----------------------------------------------------------

def test_an_accident_registered_through_its_form_is_classed_by_the_engine(
        officer, jurisdictions, make_enterprise):
    enterprise = make_enterprise(jurisdictions["nanhu_town"])
    client = client_for(officer)
    form = client.get(reverse("accidents:accident_create")).content.decode()
    assert 'data-testid="accident-form"' in form
    response = client.post(reverse("accidents:accident_create"), {
        "jurisdiction": jurisdictions["nanhu_town"].code, "occurred_at": "2024-03-01T09:30",
        "place": "解放街道某厂房", "industry": "industry_trade", "enterprise_q": enterprise.uscc,
        "deaths": "1", "missing": "0", "serious_injuries": "10", "direct_loss": "1200000.50",
        "account": "储罐检修时发生中毒", "known_on": "2024-03-01"}, follow=True)
    html = response.content.decode()
    accident = Accident.objects.get()
    expected = law.accident_class(1, 10, Decimal("1200000.50"))
    assert accident.accident_class == expected.code == law.LARGE  # 10 serious injuries
    assert accident.enterprise == enterprise
    assert accident.occurred_at == OCCURRED  # the form's time is Beijing time
    assert f"事故已登记（{accident.number}）" in html
    assert f'data-testid="accident-class">{expected.label}<' in html
    assert "第三条第一款" in html  # the article the class rests on
    listing = client.get(reverse("accidents:accident_list")).content.decode()
    assert accident.number in listing and 'data-testid="accident-count">1<' in listing
    # the filters and the pager swap the results only (htmx)
    partial = client.get(reverse("accidents:accident_list") + "?industry=industry_trade",
                         HTTP_HX_REQUEST="true").content.decode()
    assert accident.number in partial and "<html" not in partial
    partial = client.get(reverse("accidents:accident_list") + "?industry=fire",
                         HTTP_HX_REQUEST="true").content.decode()
    assert accident.number not in partial and "没有符合条件的事故" in partial


def test_the_register_form_shows_the_services_refusal_and_saves_nothing(officer, jurisdictions):
    response = client_for(officer).post(reverse("accidents:accident_create"), {
        "jurisdiction": jurisdictions["nanhu"].code, "occurred_at": "2024-03-01T09:30",
        "place": "某厂房", "industry": "fire", "on_highway": "on", "deaths": "0",
        "missing": "0", "serious_injuries": "0", "direct_loss": "0", "account": "火灾"})
    assert response.status_code == 400
    assert "只有道路交通事故可以标记为高速公路事故" in response.content.decode()
    assert not Accident.objects.exists() and not Event.objects.exists()


def test_a_death_added_later_reclassifies_through_the_page_and_is_recorded(register, officer):
    accident = register(deaths=2)
    client = client_for(officer)
    assert f'data-testid="accident-class">{law.CLASS_LABELS[law.ORDINARY]}<' in page(
        client, accident)
    html = post(client, accident, "figures", {
        "known_on": (DAY + days(7)).isoformat(), "deaths": "3", "missing": "0",
        "serious_injuries": "0", "direct_loss": "0", "reason": "一名伤者抢救无效死亡"})
    accident = fresh(accident)
    new = law.accident_class(3, 0, 0)
    assert accident.accident_class == new.code == law.LARGE
    assert "事故数据已更新，事故等级已重新计算" in html
    assert f'data-testid="accident-class">{new.label}<' in html
    assert html.count('data-testid="revision"') == 2
    assert "一名伤者抢救无效死亡" in html
    # the event record names both classes
    assert "事故数据变更" in html
    assert f"事故等级：{law.CLASS_LABELS[law.ORDINARY]} → {new.label}" in html
    # the investigation is now led by the government the new class names
    assert law.INVESTIGATED_BY[law.LARGE] in html


def test_unchanged_figures_are_refused_in_chinese_and_change_nothing(register, officer):
    accident = register(deaths=2)
    events = Event.objects.count()
    html = post(client_for(officer), accident, "figures", {
        "known_on": (DAY + days(1)).isoformat(), "deaths": "2", "missing": "0",
        "serious_injuries": "0", "direct_loss": "0", "reason": "核实"})
    assert "事故数据没有变化" in html
    html = post(client_for(officer), accident, "figures", {
        "known_on": (DAY + days(1)).isoformat(), "deaths": "-1", "missing": "0",
        "serious_injuries": "0", "direct_loss": "0", "reason": "核实"})
    assert "死亡人数：" in html
    assert Event.objects.count() == events
    assert AccidentRevision.objects.filter(accident=accident).count() == 1


# --- reporting ---------------------------------------------------------------------------

def test_a_late_unit_report_is_flagged_with_its_consequences(register, officer):
    accident = register()
    head = OCCURRED + datetime.timedelta(minutes=10)
    late_by = datetime.timedelta(minutes=5)
    html = post(client_for(officer), accident, "reporting", {
        "head_informed_at": head.strftime("%Y-%m-%dT%H:%M"),
        "unit_reported_at": (head + law.REPORT_WITHIN + late_by).strftime("%Y-%m-%dT%H:%M"),
        "bureau_informed_at": "", "reported_up_at": ""})
    assert "报告时间已记录" in html
    assert 'data-testid="unit-late"' in html and "超时5分" in html
    assert 'data-testid="consequence"' in html
    status = law.late_report(head, head + law.REPORT_WITHIN + late_by)
    assert status.late
    consequences = law.reporting_consequences(occurred_on=DAY, late=True, omitted=False,
                                              false_report=False, concealed=False)
    for c in consequences:
        assert c.citations[0].article in html
    html = post(client_for(officer), accident, "finding", {
        "concealed": "on", "finding": "经查该单位隐瞒事故超过规定时限未报告"})
    assert "事故报告情况已认定" in html
    assert 'data-testid="reporting-act">瞒报<' in html
    assert fresh(accident).concealed


# --- investigation -----------------------------------------------------------------------

def test_the_investigation_forms_with_the_engines_deadlines(register, officer):
    accident = register(deaths=3)  # 较大事故
    client = client_for(officer)
    html = post(client, accident, "investigation", {
        "started_on": (DAY + days(1)).isoformat(), "led_by": "",
        "team": "张三，南湖区应急管理局，组长\n李四，南湖区公安分局，成员"})
    assert "事故调查组已成立" in html
    inv = fresh(accident).investigation
    due = law.investigation_report_due(DAY, law.LARGE)
    assert inv.led_by == law.INVESTIGATED_BY[law.LARGE]
    assert [m["name"] for m in inv.team] == ["张三", "李四"]
    assert f'data-testid="report-due">{due.due:%Y年%-m月%-d日}<' in html
    assert f'data-testid="latest-with-extension">{due.latest_with_extension:%Y年%-m月%-d日}<' \
        in html
    html = post(client, accident, "extension", {"days": "20", "approved_by": "嘉兴市人民政府",
                                                "reason": "需补充技术鉴定"})
    inv.refresh_from_db()
    assert inv.report_due == due.due + days(20)
    assert f'data-testid="report-due">{inv.report_due:%Y年%-m月%-d日}<' in html
    assert "经嘉兴市人民政府批准延长20日" in html
    submitted = DAY + days(70)
    html = post(client, accident, "report", {
        "submitted_on": submitted.isoformat(), "appraisal_days": "0",
        "nature": "生产安全责任事故", "cause": "设备防护缺失", "summary": "调查报告摘要"})
    assert "事故调查报告已登记" in html
    approval = law.investigation_approval_due(submitted, law.LARGE)
    assert f'data-testid="approval-due">{approval.due:%Y年%-m月%-d日}<' in html
    # an approval before the report is refused, nothing changed
    html = post(client, accident, "approval", {"approved_on": (submitted - days(1)).isoformat(),
                                               "approved_by": "嘉兴市人民政府"})
    assert "批复日期不能早于调查报告提交日期" in html
    inv.refresh_from_db()
    assert inv.approved_on is None
    html = post(client, accident, "approval", {"approved_on": (submitted + days(5)).isoformat(),
                                               "approved_by": "嘉兴市人民政府"})
    assert "调查报告批复已登记" in html and 'data-testid="approved"' in html


def test_accountability_opens_a_penalty_case_with_the_engines_range(register, officer):
    load_work_safety_catalogue()
    accident = register(deaths=3)
    inv = services.investigation_open(actor=officer, accident=accident,
                                      started_on=DAY + days(1),
                                      team=[{"name": "张三", "unit": "", "role": "组长"}])
    client = client_for(officer)
    html = post(client, accident, "accountability", {
        "subject": "unit", "name": accident.enterprise.name,
        "enterprise": accident.enterprise_id, "person": "",
        "responsibility": "未落实检修安全措施", "measures": "建议依法给予行政处罚"})
    assert "责任追究已登记" in html
    fine = law.unit_fine_for_accident(law.LARGE, occurred_on=DAY)
    assert f"罚款{fine.min:,.0f}元至{fine.max:,.0f}元" in html
    assert "调查报告批复后可据此登记案件线索" in html and 'data-testid="open-case"' not in html
    services.investigation_report_submit(actor=officer, investigation=inv,
                                         submitted_on=DAY + days(50), cause="原因",
                                         nature="责任事故", summary="摘要")
    inv.refresh_from_db()
    services.investigation_approve(actor=officer, investigation=inv,
                                   approved_on=DAY + days(60), approved_by="嘉兴市人民政府")
    html = page(client, accident)
    assert 'data-testid="open-case"' in html
    item = Accountability.objects.get()
    html = post(client, accident, "case", {"accountability": item.pk, "on": ""})
    assert "已登记行政处罚案件线索" in html
    item.refresh_from_db()
    case = item.case
    assert case.source == CaseSource.ACCIDENT and case.enterprise == accident.enterprise
    assert list(case.items.values_list("code", flat=True)) == ["WSL2021-114-02"]
    assert reverse("cases:case_detail", args=[case.pk]) in html
    assert 'data-testid="open-case"' not in html


def test_guidance_and_opinions_by_the_reviewer_answered_by_the_officer(register, officer,
                                                                       make_user):
    accident = register()
    services.investigation_open(actor=officer, accident=accident, started_on=DAY + days(1),
                                team=[{"name": "张三", "unit": "", "role": "组长"}])
    client = client_for(officer)
    html = post(client, accident, "review", {"requested_on": (DAY + days(30)).isoformat(),
                                             "requested_of": "南湖区司法局",
                                             "questions": "责任认定的法律适用"})
    assert "法律指导申请已登记" in html
    review = fresh(accident).investigation.reviews.get()
    reviewer = client_for(make_user(Role.REVIEWER))
    reviewer_page = page(reviewer, accident)
    assert 'data-testid="form-guidance"' in reviewer_page
    assert 'data-testid="form-figures"' not in reviewer_page  # accident work: officers
    html = post(reviewer, accident, "guidance", {"review": review.pk,
                                                 "guidance_on": (DAY + days(35)).isoformat(),
                                                 "guidance": "建议补充证据"})
    assert "法律指导意见已登记" in html and 'data-testid="guidance"' in html
    html = post(reviewer, accident, "opinion", {
        "issued_on": (DAY + days(40)).isoformat(), "issued_by": "南湖区司法局",
        "review": review.pk, "conclusion": "基本合法，需修改两处",
        "items": "责任认定依据不充分\n处理建议未引用条款"})
    assert html.count('data-testid="opinion-item"') == 2
    # the reviewer may not answer for the investigation team
    assert post(reviewer, accident, "response", {}).count("您的角色无权办理此项") == 1
    item = OpinionItem.objects.order_by("number").first()
    html = post(client, accident, "response", {"item": item.pk, "outcome": "adopted",
                                               "response": "已补充询问笔录"})
    assert "已回复审查意见" in html
    item.refresh_from_db()
    assert (item.outcome, item.response) == ("adopted", "已补充询问笔录")
    actions = [e.action for e in Event.objects.order_by("seq")]
    assert actions[-4:] == ["accident.review_requested", "accident.review_guided",
                            "accident.opinion_added", "accident.opinion_item_responded"]


# --- statistics ----------------------------------------------------------------------------

def _yoy(current: int, previous: int) -> str:
    change = (Decimal(current - previous) * 100 / Decimal(previous)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{'+' if change > 0 else ''}{change}%"


def test_the_statistics_page_shows_the_figures_counted_from_the_records(
        register, make_user, agencies, jurisdictions):
    city = make_user(Role.OFFICER, agency=agencies["city"])
    made = [
        register(deaths=2),
        register(deaths=1, industry="road", on_highway=True,
                 occurred_at=OCCURRED.replace(month=7)),
        register(actor=city, jurisdiction=jurisdictions["xiuzhou_town"], deaths=3,
                 industry="fire", occurred_at=OCCURRED.replace(month=7)),
        register(deaths=4, occurred_at=OCCURRED.replace(year=2023)),
        register(deaths=0, occurred_at=OCCURRED.replace(year=2023, month=12)),
    ]
    this_year = [a for a in made if a.occurred_at.year == 2024]
    last_year = [a for a in made if a.occurred_at.year == 2023]
    html = client_for(city).get(reverse("accidents:accident_stats") + "?year=2024"
                                ).content.decode()
    count, deaths = len(this_year), sum(a.deaths for a in this_year)
    prev_count, prev_deaths = len(last_year), sum(a.deaths for a in last_year)
    assert f'data-testid="total-count">{count}<' in html
    assert f'data-testid="total-deaths">{deaths}<' in html
    assert f'data-testid="count-change">{_yoy(count, prev_count)}<' in html
    assert f'data-testid="deaths-change">{_yoy(deaths, prev_deaths)}<' in html
    highway = [a for a in this_year if a.on_highway]
    assert f'data-testid="highway-count">{len(highway)}<' in html
    assert f'data-testid="highway-deaths">{sum(a.deaths for a in highway)}<' in html
    # by county: a table (no map), each county with the accidents below it
    for county in ("nanhu", "xiuzhou"):
        j = jurisdictions[county]
        rows = [a for a in this_year if a.jurisdiction_path.startswith(j.path)]
        cell = html.split(f'data-code="{j.code}"', 1)[1]
        assert f'data-testid="county-count">{len(rows)}<' in cell.split("</tr>")[0]
    # the trend chart: ECharts served locally, fed by the month figures
    assert "vendor/echarts/echarts.min.js" in html and 'id="accident-trend"' in html
    assert '"counts": [0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0]' in html
    # a county user: its own county by default, another county's figures 404
    nanhu = client_for(make_user(Role.OFFICER))
    html = nanhu.get(reverse("accidents:accident_stats") + "?year=2024").content.decode()
    own = [a for a in this_year if a.jurisdiction_path.startswith(jurisdictions["nanhu"].path)]
    assert f'data-testid="total-count">{len(own)}<' in html
    assert nanhu.get(reverse("accidents:accident_stats") + "?year=2024&jurisdiction="
                     + jurisdictions["xiuzhou"].code).status_code == 404


# --- scope ---------------------------------------------------------------------------------

def test_a_county_user_cannot_see_or_write_another_countys_accident(register, make_user,
                                                                    agencies, officer):
    accident = register()
    outsider = client_for(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    assert outsider.get(reverse("accidents:accident_detail", args=[accident.pk])
                        ).status_code == 404
    events = Event.objects.count()
    response = outsider.post(reverse("accidents:accident_record", args=[accident.pk, "figures"]),
                             {"known_on": DAY.isoformat(), "deaths": "5", "missing": "0",
                              "serious_injuries": "0", "direct_loss": "0", "reason": "x"})
    assert response.status_code == 404
    assert Event.objects.count() == events and fresh(accident).deaths == 2
    listing = outsider.get(reverse("accidents:accident_list")).content.decode()
    assert accident.number not in listing


def test_an_enterprise_user_sees_only_its_own_accidents_and_no_forms(register, make_user,
                                                                     make_enterprise):
    own = register()
    other = register()
    client = client_for(make_user(Role.ENTERPRISE, enterprise=own.enterprise))
    listing = client.get(reverse("accidents:accident_list")).content.decode()
    assert own.number in listing and other.number not in listing
    assert 'data-testid="ledger-link"' not in listing
    html = page(client, own)
    assert 'data-testid="form-' not in html
    assert client.get(reverse("accidents:accident_detail", args=[other.pk])).status_code == 404
    response = client.post(reverse("accidents:accident_record", args=[own.pk, "figures"]),
                           {"known_on": DAY.isoformat(), "deaths": "3", "missing": "0",
                            "serious_injuries": "0", "direct_loss": "0", "reason": "x"})
    assert response.status_code == 403
    assert fresh(own).deaths == 2
    assert client.get(reverse("accidents:accident_ledger_xlsx")).status_code == 403
    assert client.get(reverse("accidents:accident_stats")).status_code == 403
    assert client.get(reverse("accidents:accident_create")).status_code == 403


ID = "330402198001011234"  # a resident ID number typed into the texts
PRINCIPAL = "王建国"  # the unit's principal, held responsible by the report


@pytest.fixture
def examined(register, officer, make_user):
    """A 南湖区 accident with an approved report that names the principal, a legal
    review, and an ID number typed into its account, a change of figures and the
    accountability."""
    accident = register(account=f"伤者（身份证号{ID}）在检修时被卷入设备")
    services.accident_figures_update(
        actor=officer, accident=accident, known_on=DAY + days(2), deaths=3, missing=0,
        serious_injuries=0, direct_loss=0, reason=f"伤者{ID}抢救无效死亡")
    inv = services.investigation_open(actor=officer, accident=accident,
                                      started_on=DAY + days(1),
                                      team=[{"name": "张三", "unit": "", "role": "组长"}])
    services.investigation_report_submit(actor=officer, investigation=inv,
                                         submitted_on=DAY + days(50), cause="防护缺失",
                                         nature="责任事故", summary=f"{PRINCIPAL}未组织检修")
    inv.refresh_from_db()
    services.investigation_approve(actor=officer, investigation=inv,
                                   approved_on=DAY + days(60), approved_by="嘉兴市人民政府")
    services.accountability_add(
        actor=officer, investigation=inv, subject="principal", name=PRINCIPAL,
        responsibility=f"{PRINCIPAL}（{ID}）未履行主要负责人职责", measures="建议依法处罚")
    services.report_review_request(actor=officer, investigation=inv,
                                   requested_on=DAY + days(40), requested_of="南湖区司法局",
                                   questions="责任认定的法律适用")
    return fresh(accident)


def test_a_supervisor_reads_the_accidents_of_their_area_without_any_form(
        examined, register, make_user, agencies, jurisdictions):
    city = make_user(Role.OFFICER, agency=agencies["city"])
    far = register(actor=city, jurisdiction=jurisdictions["xiuzhou_town"])
    client = client_for(make_user(Role.SUPERVISOR))  # oversees 南湖区
    listing = client.get(reverse("accidents:accident_list")).content.decode()
    assert examined.number in listing and far.number not in listing
    assert 'data-testid="register-link"' not in listing
    assert 'data-testid="ledger-link"' not in listing  # the ledger stays staff-only
    assert reverse("accidents:accident_stats") in listing  # the tab to the statistics
    partial = client.get(reverse("accidents:accident_list") + "?industry=industry_trade",
                         HTTP_HX_REQUEST="true").content.decode()
    assert examined.number in partial and far.number not in partial
    assert client.get(reverse("accidents:accident_detail", args=[far.pk])).status_code == 404
    html = page(client, examined)
    assert 'data-testid="investigation"' in html and 'data-testid="accountability"' in html
    assert 'data-testid="form-' not in html and "/records/" not in html
    assert 'data-testid="open-case"' not in html
    # the legality review is the agencies' internal work
    assert 'data-testid="review"' not in html and "责任认定的法律适用" not in html
    owner = page(client_for(make_user(Role.ENTERPRISE, enterprise=examined.enterprise)),
                 examined)
    assert 'data-testid="review"' not in owner  # nor to the unit (as in the API)
    assert 'data-testid="review"' in page(client_for(examined.created_by), examined)
    assert client.get(reverse("accidents:accident_create")).status_code == 403
    assert client.get(reverse("accidents:accident_ledger_xlsx")).status_code == 403
    # a supervisor of 秀洲区 sees that county's accident and not 南湖区's
    xiuzhou = client_for(make_user(Role.SUPERVISOR,
                                   supervised_jurisdiction=jurisdictions["xiuzhou"]))
    assert far.number in page(xiuzhou, far)
    assert xiuzhou.get(reverse("accidents:accident_detail", args=[examined.pk])
                       ).status_code == 404


def test_a_supervisors_posts_are_refused_and_change_nothing(examined, make_user):
    client = client_for(make_user(Role.SUPERVISOR))
    events, revisions = Event.objects.count(), AccidentRevision.objects.count()
    item = Accountability.objects.get()
    data = {"known_on": (DAY + days(9)).isoformat(), "deaths": "9", "missing": "0",
            "serious_injuries": "0", "direct_loss": "0", "reason": "x",
            "concealed": "on", "finding": "x", "accountability": item.pk, "on": "",
            "subject": "person", "name": "某人", "responsibility": "x", "measures": "x",
            "requested_on": (DAY + days(45)).isoformat(), "requested_of": "x",
            "questions": "x"}
    for what in RECORDS:
        response = client.post(reverse("accidents:accident_record", args=[examined.pk, what]),
                               data)
        assert response.status_code == 403, what
    response = client.post(reverse("accidents:accident_create"), {
        "jurisdiction": examined.jurisdiction.code, "occurred_at": "2024-03-01T09:30",
        "place": "某处", "industry": "fire", "deaths": "1", "missing": "0",
        "serious_injuries": "0", "direct_loss": "0", "account": "火灾"})
    assert response.status_code == 403
    after = fresh(examined)
    assert (after.deaths, after.concealed, after.report_finding) == (
        examined.deaths, examined.concealed, examined.report_finding)
    assert Event.objects.count() == events
    assert AccidentRevision.objects.count() == revisions
    assert Accountability.objects.count() == 1 and Accident.objects.count() == 1
    assert Accountability.objects.get().case_id is None


def test_id_numbers_and_the_responsible_persons_name_are_masked_for_a_supervisor(
        examined, officer, make_user):
    supervisor = page(client_for(make_user(Role.SUPERVISOR)), examined)
    assert ID not in supervisor and mask_id_number(ID) in supervisor
    # account, change of figures (table and event record), accountability
    assert supervisor.count(mask_id_number(ID)) >= 4
    assert PRINCIPAL not in supervisor
    assert f'data-testid="accountability-name">{mask_person_name(PRINCIPAL)}<' in supervisor
    assert f"{mask_person_name(PRINCIPAL)}未组织检修" in supervisor  # the report's summary
    # the officer writes the documents: the whole number and the name
    whole = page(client_for(officer), examined)
    assert whole.count(ID) == supervisor.count(mask_id_number(ID))
    assert f'data-testid="accountability-name">{PRINCIPAL}<' in whole
    # a leader approves but needs no whole ID number (masking.WHOLE_ID_ROLES)
    leader = page(client_for(make_user(Role.LEADER)), examined)
    assert ID not in leader and f'data-testid="accountability-name">{PRINCIPAL}<' in leader


def test_a_supervisor_reads_the_statistics_of_their_area(register, make_user, agencies,
                                                         jurisdictions):
    city = make_user(Role.OFFICER, agency=agencies["city"])
    own = [register(deaths=2), register(deaths=1, industry="road")]
    register(actor=city, jurisdiction=jurisdictions["xiuzhou_town"], deaths=5)
    client = client_for(make_user(Role.SUPERVISOR))
    response = client.get(reverse("accidents:accident_stats") + "?year=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="total-count">{len(own)}<' in html
    assert f'data-testid="total-deaths">{sum(a.deaths for a in own)}<' in html
    assert client.get(reverse("accidents:accident_stats") + "?year=2024&jurisdiction="
                      + jurisdictions["xiuzhou"].code).status_code == 404


# --- the ledger ----------------------------------------------------------------------------

def test_the_ledger_opens_in_openpyxl_with_the_lists_filters(register, officer):
    first = register(deaths=3)
    register(industry="road", on_highway=True, deaths=1)
    register(occurred_at=OCCURRED.replace(year=2023))
    services.accident_figures_update(actor=officer, accident=first, known_on=DAY + days(3),
                                     deaths=4, missing=0, serious_injuries=0, direct_loss=0,
                                     reason="伤者死亡")
    client = client_for(officer)
    listing = client.get(reverse("accidents:accident_list") + "?year=2024").content.decode()
    assert 'href="/accidents/ledger.xlsx?year=2024"' in listing
    response = client.get(reverse("accidents:accident_ledger_xlsx") + "?year=2024")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    body = rows[1:]
    assert len(body) == 2  # 2024 only
    column = {h: i for i, h in enumerate(HEADERS)}
    row = next(r for r in body if r[column["事故编号"]] == first.number)
    assert row[column["死亡人数"]] == 4
    assert row[column["事故等级"]] == law.CLASS_LABELS[law.accident_class(4, 0, 0).code]
    assert "伤者死亡" in row[column["数据变更"]]
    assert row[column["发生时间"]] == OCCURRED.replace(tzinfo=None)
    highway = client.get(reverse("accidents:accident_ledger_xlsx") + "?year=2024&highway=1")
    rows = list(openpyxl.load_workbook(io.BytesIO(highway.content)).active.iter_rows(
        values_only=True))
    assert len(rows) == 2 and rows[1][column["高速公路"]] == "是"
