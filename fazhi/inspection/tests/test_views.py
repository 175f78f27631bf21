"""The inspection pages through the Django test client: every list and detail renders in
Chinese for each role, scoping (404 outside the jurisdiction, an enterprise user sees
its own records only; social supervisors: test_supervisor.py), who sees which form,
refusals shown on the form with nothing saved, the enterprise picker, htmx partials,
plans with the draw check, assistance, case leads and the links to the documents and
the ledger."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.cases.models import PenaltyCase
from fazhi.core.models import EnforcementCertificate, Event, Role
from fazhi.inspection.models import (
    AssistanceVisit,
    ChecklistItem,
    DrawPick,
    Hazard,
    Inspection,
    InspectionCategory,
    KeyAssistedEnterprise,
)
from fazhi.inspection.rules.hazards import REINSPECTION
from fazhi.inspection.services import (
    checklist_load,
    draw_run,
    evidence_attach,
    finding_add,
    hazard_register,
    inspection_create,
    plan_create,
)
from fazhi.legal.models import EnforcementItem

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 6)
_numbers = itertools.count(1)

LISTS = {
    "inspection:inspection_list": "执法检查",
    "inspection:hazard_list": "事故隐患",
    "inspection:plan_list": "执法检查计划与双随机抽取",
    "inspection:assistance_visits": "专家指导服务",
    "inspection:key_assisted": "重点帮扶企业",
}


def certify(officer):
    EnforcementCertificate.objects.create(
        holder=officer, number=f"VW{next(_numbers):08d}", valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2035, 12, 31))
    return officer


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(users, make_user, make_enterprise, jurisdictions, agencies):
    """A 南湖区 inspection with a finding (with evidence), a general hazard and its order;
    `users` are one per role in 南湖区, the enterprise user of another enterprise."""
    checklist_load(actor=None)
    officers = [certify(users[Role.OFFICER]), certify(make_user(Role.OFFICER))]
    enterprise = make_enterprise(jurisdictions["nanhu_town"], name="嘉兴禾丰化工有限公司")
    inspection = inspection_create(actor=officers[0], enterprise=enterprise, date=DAY,
                                   place="甲类仓库", category="general", officers=officers)
    finding = finding_add(actor=officers[0], inspection=inspection,
                          description="消防通道堵塞")
    hazard = hazard_register(actor=officers[0], finding=finding, level="general",
                             deadline=DAY + datetime.timedelta(days=15))
    return {"users": users, "officers": officers, "enterprise": enterprise,
            "inspection": inspection, "finding": finding, "hazard": hazard,
            "owner": make_user(Role.ENTERPRISE, enterprise=enterprise)}


def detail_url(name: str, obj) -> str:
    return reverse(f"inspection:{name}", args=[obj.pk])


# --- every page, every role ------------------------------------------------------------

@pytest.mark.parametrize("role", [r.value for r in Role])
def test_list_pages_render_in_chinese_for_each_role(world, role):
    client = client_for(world["users"][role])
    for name, heading in LISTS.items():
        response = client.get(reverse(name))
        assert response.status_code == 200, (name, role)
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html and heading in html


@pytest.mark.parametrize("role", ["officer", "leader", "reviewer", "admin"])
def test_staff_of_the_county_see_the_details(world, role):
    client = client_for(world["users"][role])
    inspection = client.get(detail_url("inspection_detail", world["inspection"]))
    assert inspection.status_code == 200
    assert "嘉兴禾丰化工有限公司" in inspection.content.decode()
    assert "执法全过程记录" in inspection.content.decode()
    hazard = client.get(detail_url("hazard_detail", world["hazard"]))
    assert hazard.status_code == 200 and "一般事故隐患" in hazard.content.decode()
    listing = client.get(reverse("inspection:hazard_list")).content.decode()
    assert 'data-testid="hazard-count">1<' in listing


def test_the_owner_sees_its_records_and_another_enterprise_user_nothing(world):
    owner = client_for(world["owner"])
    stranger = client_for(world["users"]["enterprise"])
    for name, obj in (("inspection_detail", world["inspection"]),
                      ("hazard_detail", world["hazard"])):
        assert owner.get(detail_url(name, obj)).status_code == 200
        assert stranger.get(detail_url(name, obj)).status_code == 404
    assert 'data-testid="inspection-count">1<' in owner.get(
        reverse("inspection:inspection_list")).content.decode()
    assert 'data-testid="inspection-count">0<' in stranger.get(
        reverse("inspection:inspection_list")).content.decode()
    page = owner.get(detail_url("inspection_detail", world["inspection"])).content.decode()
    # Read only: no draft forms, no hazard or case buttons, no document link.
    assert "记录发现的问题" not in page and "登记为事故隐患" not in page
    assert 'data-testid="record-docx"' not in page


def test_another_county_gets_404_and_empty_lists(world, make_user, agencies):
    outsider = client_for(certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"])))
    for name, obj in (("inspection_detail", world["inspection"]),
                      ("hazard_detail", world["hazard"]),
                      ("hazard_create", world["finding"]),
                      ("case_lead_create", world["finding"])):
        assert outsider.get(detail_url(name, obj)).status_code == 404, name
    response = outsider.post(detail_url("finding_create", world["inspection"]),
                             {"finding-description": "越权记录"})
    assert response.status_code == 404
    assert 'data-testid="inspection-count">0<' in outsider.get(
        reverse("inspection:inspection_list")).content.decode()
    # The city bureau sees the county's records.
    city = client_for(make_user(Role.LEADER, agency=agencies["city"]))
    assert city.get(detail_url("hazard_detail", world["hazard"])).status_code == 200


def test_the_new_inspection_form_is_for_inspectors_only(world):
    url = reverse("inspection:inspection_create")
    # Social supervisors: every write refused, tests/test_supervisor.py.
    for role in ("leader", "reviewer", "enterprise"):
        assert client_for(world["users"][role]).get(url).status_code == 403, role
    html = client_for(world["users"]["officer"]).get(url).content.decode()
    assert "新建检查记录（草稿）" in html and 'name="officers"' in html
    assert "不得少于2人" in html


def test_detail_page_shows_the_draft_forms_and_document_link(world):
    html = client_for(world["officers"][0]).get(
        detail_url("inspection_detail", world["inspection"])).content.decode()
    for text in ("记录结果", "记录发现的问题", "上传证据", "完成检查", "转为案件线索"):
        assert text in html
    assert reverse("inspection:inspection_record_docx", args=[world["inspection"].pk]) in html
    assert detail_url("hazard_detail", world["hazard"]) in html
    for action in ("inspection.created", "inspection.finding_added"):
        assert f'data-action="{action}"' in html


def test_hazard_detail_cites_the_reinspection_rule_as_unconfirmed(world):
    html = client_for(world["officers"][0]).get(
        detail_url("hazard_detail", world["hazard"])).content.decode()
    assert REINSPECTION.citation in html
    assert not REINSPECTION.confirmed and "待核实" in html
    order = world["hazard"].orders.get()
    assert reverse("inspection:order_docx", args=[order.pk]) in html
    # A general hazard is not listed for supervision.
    assert "一般事故隐患不挂牌督办" in html


def test_hazard_list_filters_and_the_ledger_link_keeps_them(world):
    client = client_for(world["officers"][0])
    url = reverse("inspection:hazard_list")
    html = client.get(url, {"level": "major"}).content.decode()
    assert 'data-testid="hazard-count">0<' in html
    html = client.get(url, {"level": "general", "year": "2024", "page": "1"}).content.decode()
    assert 'data-testid="hazard-count">1<' in html
    ledger = reverse("inspection:hazard_ledger_xlsx")
    assert f'href="{ledger}?level=general&amp;year=2024"' in html
    # htmx asks for the results only.
    partial = client.get(url, {"status": "closed"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'data-testid="hazard-count">0<' in partial


def test_inspection_list_filters_by_status_and_year(world):
    client = client_for(world["officers"][0])
    url = reverse("inspection:inspection_list")
    assert 'inspection-count">1<' in client.get(url, {"status": "draft"}).content.decode()
    assert 'inspection-count">0<' in client.get(url, {"status": "finished"}).content.decode()
    assert 'inspection-count">0<' in client.get(url, {"year": "2023"}).content.decode()
    assert 'inspection-count">1<' in client.get(url, {"year": "2024"}).content.decode()


# --- forms: refusals on the form, nothing saved -----------------------------------------

def test_a_major_hazard_without_criterion_is_refused_on_the_form(world):
    officer = world["officers"][0]
    finding = finding_add(actor=officer, inspection=world["inspection"],
                          description="储罐区可燃气体报警器失效")
    events = Event.objects.count()
    response = client_for(officer).post(detail_url("hazard_create", finding), {
        "level": "major", "deadline": "2024-06-30"})
    assert response.status_code == 400
    assert "重大事故隐患应注明所符合的判定标准条款" in response.content.decode()
    assert not Hazard.objects.filter(finding=finding).exists()
    assert Event.objects.count() == events


def test_finish_needs_a_signature_or_a_refusal(world):
    client = client_for(world["officers"][0])
    url = detail_url("inspection_finish", world["inspection"])
    response = client.post(url, {"finish-signed_by": ""})
    assert response.status_code == 400
    assert "请填写被检查单位签字人" in response.content.decode()
    # With htmx the answer is 200 so that the form is swapped in place.
    response = client.post(url, {"finish-signed_by": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="form-finish"' in response.content.decode()
    response = client.post(url, {"finish-refusal_reason": "负责人拒绝签字"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"]
    world["inspection"].refresh_from_db()
    assert world["inspection"].status == Inspection.Status.FINISHED
    html = client.get(detail_url("inspection_detail", world["inspection"])).content.decode()
    assert "拒绝签字" in html and "记录发现的问题" not in html


def test_a_refused_evidence_type_is_shown_and_nothing_saved(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    finding = world["finding"]
    bad = SimpleUploadedFile("run.exe", b"MZ...", content_type="application/x-msdownload")
    response = client_for(world["officers"][0]).post(
        detail_url("evidence_upload", finding), {f"evidence-{finding.pk}-file": bad})
    assert response.status_code == 400
    assert "不支持的证据文件类型" in response.content.decode()
    assert finding.evidence.count() == 0


def test_evidence_files_are_served_within_scope_only(world, settings, tmp_path, make_user,
                                                     agencies):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("photo.png", b"\x89PNG data", content_type="image/png")
    evidence = evidence_attach(actor=world["officers"][0], finding=world["finding"],
                               upload=photo)
    url = detail_url("evidence_file", evidence)
    response = client_for(world["officers"][0]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\x89PNG data"
    outsider = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    assert client_for(outsider).get(url).status_code == 404


def test_checklist_result_and_finding_through_the_forms(world):
    client = client_for(world["officers"][0])
    item = ChecklistItem.objects.get(code="HC2017-01")
    response = client.post(detail_url("results_record", world["inspection"]), {
        "result-item": item.pk, "result-outcome": "ok", "result-note": ""})
    assert response.status_code == 302
    assert world["inspection"].results.get().item == item
    response = client.post(detail_url("finding_create", world["inspection"]),
                           {"finding-description": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()


# --- the enterprise picker -----------------------------------------------------------

def test_enterprise_picker_lists_candidates_and_resolves_a_choice(world, make_enterprise,
                                                                   jurisdictions):
    make_enterprise(jurisdictions["nanhu"], name="嘉兴禾丰物流有限公司")
    client = client_for(world["officers"][0])
    search = reverse("inspection:enterprise_search")
    html = client.get(search, {"name": "enterprise", "enterprise_q": "禾丰"}).content.decode()
    assert html.count('data-testid="enterprise-choice"') == 2
    officers = [o.pk for o in world["officers"]]
    form = {"enterprise_q": "禾丰", "date": "2024-05-07", "place": "仓库",
            "category": "general", "officers": officers}
    response = client.post(reverse("inspection:inspection_create"), form)
    assert response.status_code == 400
    assert "找到多家单位，请在下面选择一家" in response.content.decode()
    response = client.post(reverse("inspection:inspection_create"),
                           {**form, "enterprise": world["enterprise"].pk})
    assert response.status_code == 302
    assert Inspection.objects.filter(date=datetime.date(2024, 5, 7),
                                     enterprise=world["enterprise"]).exists()


def test_enterprise_picker_never_offers_another_countys_enterprise(world, make_enterprise,
                                                                    jurisdictions):
    other = make_enterprise(jurisdictions["xiuzhou"], name="秀洲禾丰化工有限公司")
    client = client_for(world["officers"][0])
    html = client.get(reverse("inspection:enterprise_search"),
                      {"enterprise_q": "秀洲禾丰"}).content.decode()
    assert "秀洲禾丰" not in html
    response = client.post(reverse("inspection:inspection_create"), {
        "enterprise_q": "x", "enterprise": other.pk, "date": "2024-05-07", "place": "仓库",
        "category": "general", "officers": [o.pk for o in world["officers"]]})
    assert response.status_code == 400
    assert not Inspection.objects.filter(enterprise=other).exists()


# --- case leads ------------------------------------------------------------------------

def test_a_finding_becomes_a_case_lead(world):
    EnforcementItem.objects.create(code="TEST-097-1", name="未按规定培训从业人员",
                                   valid_from=datetime.date(2021, 9, 1))
    client = client_for(world["officers"][0])
    url = detail_url("case_lead_create", world["finding"])
    assert "涉及执法事项" in client.get(url).content.decode()
    response = client.post(url, {"item_codes": "NO-SUCH"})
    assert response.status_code == 400
    assert "执法事项目录中没有：NO-SUCH" in response.content.decode()
    response = client.post(url, {"item_codes": "TEST-097-1", "facts": "通道堵塞，屡查屡犯"})
    assert response.status_code == 302
    case = PenaltyCase.objects.get()
    assert case.finding == world["finding"]
    html = client.get(detail_url("inspection_detail", world["inspection"])).content.decode()
    assert f"案件线索 {case.pk}（线索登记）" in html
    assert 'data-action="inspection.finding_to_case"' in html


# --- assistance ------------------------------------------------------------------------

def test_assistance_visit_and_key_enterprise_forms(world, users):
    leader = client_for(users["leader"])
    url = reverse("inspection:assistance_visits")
    response = leader.post(url, {
        "visit-enterprise_q": world["enterprise"].uscc, "visit-date": "2024-03-01",
        "visit-expert": "陈工", "visit-expert_field": "化工工艺",
        "visit-problems": "安全阀未定期校验", "visit-advice": "建立安全附件台账"})
    assert response.status_code == 302
    visit = AssistanceVisit.objects.get()
    html = leader.get(url, {"year": 2024}).content.decode()
    assert 'data-testid="visit-count">1<' in html and "陈工" in html
    assert 'data-testid="visit-count">0<' in leader.get(url, {"year": 2023}).content.decode()
    assert visit.enterprise == world["enterprise"]

    key_url = reverse("inspection:key_assisted")
    form = {"key-enterprise_q": world["enterprise"].name, "key-year": "2024",
            "key-reason": "近三年发生过生产安全事故"}
    assert leader.post(key_url, form).status_code == 302
    response = leader.post(key_url, form)
    assert response.status_code == 400
    assert "已列入2024年度重点帮扶企业" in response.content.decode()
    assert KeyAssistedEnterprise.objects.count() == 1
    assert 'data-testid="key-count">1<' in leader.get(key_url, {"year": 2024}).content.decode()
    # Read only for a reviewer; no writing for an enterprise user.
    assert 'data-testid="key-form"' not in client_for(users["reviewer"]).get(
        key_url).content.decode()
    assert client_for(users["enterprise"]).post(key_url, form).status_code == 403


# --- plans and draws -------------------------------------------------------------------

def test_plan_detail_shows_the_draw_and_the_check_matches(world, users, make_enterprise,
                                                         jurisdictions, agencies):
    for n in range(3):
        make_enterprise(jurisdictions["nanhu"], name=f"抽查单位{n}")
    plan = plan_create(actor=users["leader"], agency=agencies["nanhu"], year=2024,
                       planned={"general": 10})
    draw = draw_run(actor=users["leader"], plan=plan, category="general",
                    sampling_ratio=Decimal("0.5"), on=DAY, seed=20240506)
    client = client_for(users["reviewer"])
    assert plan.title in client.get(reverse("inspection:plan_list")).content.decode()
    html = client.get(detail_url("plan_detail", plan)).content.decode()
    assert html.count('data-testid="pick"') == DrawPick.objects.filter(draw=draw).count()
    assert "随机种子 20240506" in html and "未公示" in html
    response = client.post(detail_url("draw_check", draw), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-matches="true"' in response.content.decode()
    plain = client.post(detail_url("draw_check", draw))
    assert plain.status_code == 200 and "复核一致" in plain.content.decode()
    assert Event.objects.filter(action="random_draw.rerun_checked").count() == 2
    # A stored pick changed afterwards: the check says so.
    pick = DrawPick.objects.filter(draw=draw).first()
    pick.officers.set([world["officers"][0]])
    response = client.post(detail_url("draw_check", draw), HTTP_HX_REQUEST="true")
    assert 'data-matches="false"' in response.content.decode()
    # Enterprise users see no plans.
    assert client_for(users["enterprise"]).get(detail_url("plan_detail", plan)).status_code == 404


# --- navigation ------------------------------------------------------------------------

def test_nav_links_per_role(world):
    for role in ("officer", "leader", "reviewer", "admin"):
        html = client_for(world["users"][role]).get("/").content.decode()
        assert "执法检查</a>" in html and "事故隐患</a>" in html and "隐患整改</a>" not in html
    html = client_for(world["owner"]).get("/").content.decode()
    assert "隐患整改</a>" in html and "执法检查</a>" not in html


def test_a_draft_is_corrected_over_http_and_a_refusal_changes_nothing(make_user, make_enterprise,
                                                                       jurisdictions):
    officers = [certify(make_user(Role.OFFICER)) for _ in range(3)]
    enterprise = make_enterprise(jurisdictions["nanhu_town"])
    inspection = inspection_create(actor=officers[0], enterprise=enterprise,
                                   date=datetime.date(2024, 5, 6), place="生产车间",
                                   category=InspectionCategory.GENERAL, officers=officers[:2])
    client = client_for(officers[0])
    url = reverse("inspection:inspection_edit", args=[inspection.pk])
    assert 'data-testid="edit-draft"' in client.get(
        detail_url("inspection_detail", inspection)).content.decode()
    page = client.get(url).content.decode()
    assert "修改检查记录草稿" in page and 'value="生产车间"' in page
    form = {"date": "2024-05-06", "place": "甲类仓库", "category": "general",
            "officers": [officers[0].pk]}
    response = client.post(url, form)
    assert response.status_code == 400 and "不得少于2人" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.place == "生产车间"
    response = client.post(url, {**form, "officers": [officers[0].pk, officers[2].pk]})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.place == "甲类仓库"
    assert set(inspection.officers.all()) == {officers[0], officers[2]}
