"""Social supervisors (社会监督员) and the inspection records, pages and API: a supervisor
of 南湖区 reads the plans, draws, inspections, hazards and assistance of 南湖区 (and
none of 秀洲区: 404, absent from lists), is shown no form, write button or download it
may not use, has every write refused with nothing changed, and reads resident ID
numbers typed into the records masked."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.core.models import Event, Role
from fazhi.core.services.tokens import token_issue
from fazhi.core.tests.factories import make_id_number
from fazhi.inspection.models import (
    AssistanceVisit,
    ChecklistItem,
    EvidenceFile,
    Finding,
    Hazard,
    Inspection,
    InspectionPlan,
    InspectionResult,
    KeyAssistedEnterprise,
    RandomDraw,
    RectificationOrder,
)
from fazhi.inspection.services import (
    assistance_visit_record,
    checklist_load,
    draw_run,
    evidence_attach,
    finding_add,
    hazard_register,
    inspection_create,
    key_assisted_add,
    plan_create,
)
from fazhi.inspection.tests.test_services import certify
from fazhi.subjects.rules.masking import mask_id_number

pytestmark = pytest.mark.django_db

API = "/api/v1/inspection"
DAY = datetime.date(2024, 5, 6)
ID_NUMBER = make_id_number(7)
MASKED = mask_id_number(ID_NUMBER)
NANHU_FIRM, XIUZHOU_FIRM = "南湖禾丰化工有限公司", "秀洲运河化工有限公司"


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> Client:
    raw, _token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def url(name: str, obj=None) -> str:
    return reverse(f"inspection:{name}", args=[obj.pk] if obj is not None else [])


def _area(key, *, leader, officers, enterprise, reason):
    """A plan with a draw, a draft inspection whose finding (with a photo) names a
    person with an ID number, a general hazard with its order, a visit and a key
    assisted enterprise, all of one county."""
    agency = officers[0].agency
    plan = plan_create(actor=leader, agency=agency, year=2024, planned={"general": 4})
    draw = draw_run(actor=leader, plan=plan, category="general",
                    sampling_ratio=Decimal("1"), on=DAY, seed=7)
    inspection = inspection_create(actor=officers[0], enterprise=enterprise, date=DAY,
                                   place="甲类仓库", category="general", officers=officers)
    finding = finding_add(actor=officers[0], inspection=inspection,
                          description=f"{key}：叉车司机李四（身份证号{ID_NUMBER}）无证作业")
    photo = SimpleUploadedFile(f"{ID_NUMBER}.png", b"\x89PNG data", content_type="image/png")
    evidence = evidence_attach(actor=officers[0], finding=finding, upload=photo)
    hazard = hazard_register(actor=officers[0], finding=finding, level="general",
                             deadline=DAY + datetime.timedelta(days=15),
                             requirements=f"对李四（{ID_NUMBER}）停止作业并培训")
    visit = assistance_visit_record(actor=leader, enterprise=enterprise, date=DAY,
                                    expert="陈工", problems=f"{key}安全阀未校验",
                                    advice="建立台账")
    key_row = key_assisted_add(actor=leader, enterprise=enterprise, year=2024, reason=reason)
    return {"plan": plan, "draw": draw, "inspection": inspection, "finding": finding,
            "evidence": evidence, "hazard": hazard, "order": hazard.orders.get(),
            "visit": visit, "key": key_row, "officers": officers, "enterprise": enterprise,
            "leader": leader}


@pytest.fixture
def areas(make_user, make_enterprise, agencies, jurisdictions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    checklist_load(actor=None)
    nanhu = _area(
        "南湖", leader=make_user(Role.LEADER),
        officers=[certify(make_user(Role.OFFICER)) for _ in range(2)],
        enterprise=make_enterprise(jurisdictions["nanhu_town"], name=NANHU_FIRM),
        reason="南湖重点")
    xiuzhou = _area(
        "秀洲", leader=make_user(Role.LEADER, agency=agencies["xiuzhou"]),
        officers=[certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
                  for _ in range(2)],
        enterprise=make_enterprise(jurisdictions["xiuzhou_town"], name=XIUZHOU_FIRM),
        reason="秀洲重点")
    supervisor = make_user(Role.SUPERVISOR, supervised_jurisdiction=jurisdictions["nanhu"])
    return {"nanhu": nanhu, "xiuzhou": xiuzhou, "supervisor": supervisor}


def _snapshot() -> dict[str, int]:
    """Every write of the app records an event; the row counts say what it would add."""
    models = (Event, InspectionPlan, RandomDraw, Inspection, InspectionResult, Finding,
              EvidenceFile, Hazard, RectificationOrder, AssistanceVisit,
              KeyAssistedEnterprise)
    return {m.__name__: m.objects.count() for m in models}


POST_FORM = re.compile(r'<form[^>]*method="post"[^>]*action="([^"]*)"', re.I)


def _post_forms(html: str) -> list[str]:
    """The actions of the page's POST forms, but the navigation's logout."""
    return [a for a in POST_FORM.findall(html) if a != reverse("logout")]


# --- pages: reads ---------------------------------------------------------------------

def test_supervisor_reads_the_pages_of_its_area_and_not_another(areas):
    client = page_client(areas["supervisor"])
    nanhu, xiuzhou = areas["nanhu"], areas["xiuzhou"]
    for name, query in (("inspection_list", {}), ("hazard_list", {}), ("plan_list", {}),
                        ("assistance_visits", {"year": 2024}),
                        ("key_assisted", {"year": 2024})):
        response = client.get(url(name), query)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html
        if name in ("inspection_list", "assistance_visits", "key_assisted"):
            assert NANHU_FIRM in html and XIUZHOU_FIRM not in html, name
        # The tabs between the lists are shown to the supervisor too.
        assert url("hazard_list") in html and url("plan_list") in html, name
    hazards = client.get(url("hazard_list")).content.decode()
    assert url("hazard_detail", nanhu["hazard"]) in hazards
    assert url("hazard_detail", xiuzhou["hazard"]) not in hazards
    plans = client.get(url("plan_list")).content.decode()
    assert nanhu["plan"].title in plans and xiuzhou["plan"].title not in plans
    # The htmx fragments of the lists are scoped alike.
    for name in ("inspection_list", "hazard_list"):
        partial = client.get(url(name), HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in partial
        assert 'count">1<' in partial, name

    for name in ("inspection", "hazard", "plan"):
        mine = client.get(url(f"{name}_detail", nanhu[name]))
        assert mine.status_code == 200, name
        assert client.get(url(f"{name}_detail", xiuzhou[name])).status_code == 404, name
    detail = client.get(url("inspection_detail", nanhu["inspection"])).content.decode()
    assert NANHU_FIRM in detail and "执法全过程记录" in detail
    assert 'data-action="inspection.finding_added"' in detail
    plan = client.get(url("plan_detail", nanhu["plan"])).content.decode()
    assert plan.count('data-testid="pick"') == nanhu["draw"].picks.count() > 0


# --- pages: read only -----------------------------------------------------------------

def test_supervisor_is_shown_no_form_and_no_write_or_download_link(areas):
    nanhu = areas["nanhu"]
    finding, hazard = nanhu["finding"], nanhu["hazard"]
    write_urls = [
        url("inspection_create"), url("inspection_edit", nanhu["inspection"]),
        url("results_record", nanhu["inspection"]), url("finding_create", nanhu["inspection"]),
        url("inspection_finish", nanhu["inspection"]), url("evidence_upload", finding),
        url("case_lead_create", finding), url("hazard_report", hazard),
        url("hazard_reinspect", hazard), url("hazard_supervise", hazard),
        url("draw_check", nanhu["draw"]), url("inspection_record_docx", nanhu["inspection"]),
        url("order_docx", nanhu["order"]), url("hazard_ledger_xlsx"),
        url("evidence_file", nanhu["evidence"]),
    ]
    pages = [url("inspection_detail", nanhu["inspection"]), url("hazard_detail", hazard),
             url("plan_detail", nanhu["plan"]), url("inspection_list"), url("hazard_list"),
             url("assistance_visits") + "?year=2024", url("key_assisted") + "?year=2024"]

    # The same pages give an officer and a leader of the county their forms and links.
    officer_html = "".join(page_client(nanhu["officers"][0]).get(p).content.decode()
                           for p in pages)
    leader_html = page_client(nanhu["leader"]).get(pages[-1]).content.decode()
    assert 'data-testid="key-form"' in leader_html
    for write_url in write_urls:
        if write_url != url("hazard_supervise", hazard):  # a general hazard is not listed
            assert write_url in officer_html, write_url

    client = page_client(areas["supervisor"])
    for page in pages:
        html = client.get(page).content.decode()
        assert _post_forms(html) == [], page
        for write_url in write_urls:
            assert write_url not in html, (page, write_url)
        for testid in ("new-inspection", "edit-draft", "record-docx", "ledger-link",
                       "draw-check", "visit-form", "key-form"):
            assert f'data-testid="{testid}"' not in html, (page, testid)
    # The evidence is listed (name, size, SHA-256), not linked.
    detail = client.get(pages[0]).content.decode()
    assert 'data-testid="evidence"' in detail and nanhu["evidence"].sha256[:12] in detail


# --- pages: writes refused ------------------------------------------------------------

def test_every_page_write_refuses_the_supervisor_and_changes_nothing(areas):
    nanhu, xiuzhou = areas["nanhu"], areas["xiuzhou"]
    inspection, finding, hazard = nanhu["inspection"], nanhu["finding"], nanhu["hazard"]
    officers = [o.pk for o in nanhu["officers"]]
    item = ChecklistItem.objects.get(code="HC2017-01")
    client = page_client(areas["supervisor"])
    before = _snapshot()
    posts = [
        (url("inspection_create"), {"enterprise": nanhu["enterprise"].pk,
                                    "date": "2024-05-07", "place": "仓库",
                                    "category": "general", "officers": officers}),
        (url("inspection_edit", inspection), {"date": "2024-05-06", "place": "改",
                                              "category": "general", "officers": officers}),
        (url("results_record", inspection), {"result-item": item.pk, "result-outcome": "ok"}),
        (url("finding_create", inspection), {"finding-description": "监督员记录"}),
        (url("inspection_finish", inspection), {"finish-signed_by": "王五"}),
        (url("evidence_upload", finding), {f"evidence-{finding.pk}-file": SimpleUploadedFile(
            "a.png", b"\x89PNG x", content_type="image/png")}),
        (url("hazard_create", finding), {"level": "general", "rectified_on_site": "on"}),
        (url("case_lead_create", finding), {"item_codes": "X", "facts": "监督员"}),
        (url("hazard_report", hazard), {"report-report_date": "2024-05-10",
                                        "report-text": "已整改"}),
        (url("hazard_reinspect", hazard), {"reinspection-date": "2024-05-20",
                                           "reinspection-officers": officers,
                                           "reinspection-passed": "on",
                                           "reinspection-opinion": "合格"}),
        (url("hazard_supervise", hazard), {"supervision-level": "county",
                                           "supervision-listed_on": "2024-05-08"}),
        (url("draw_check", nanhu["draw"]), {}),
        (url("assistance_visits"), {"visit-enterprise": nanhu["enterprise"].pk,
                                    "visit-date": "2024-03-01", "visit-expert": "陈工",
                                    "visit-problems": "问题", "visit-advice": "建议"}),
        (url("key_assisted"), {"key-enterprise": nanhu["enterprise"].pk,
                               "key-year": "2025", "key-reason": "原因"}),
    ]
    for target, data in posts:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.post(target, data, **headers)
            assert response.status_code == 403, (target, response.status_code)
            assert _post_forms(response.content.decode()) == [], target
    # Another county's records are not even found.
    assert client.post(url("finding_create", xiuzhou["inspection"]),
                       {"finding-description": "越权"}).status_code == 404
    # The write forms, the picker, the documents, the ledger and the evidence: refused.
    for target in (url("inspection_create"), url("inspection_edit", inspection),
                   url("hazard_create", finding), url("case_lead_create", finding),
                   url("enterprise_search") + "?enterprise_q=禾丰",
                   url("inspection_record_docx", inspection), url("order_docx", nanhu["order"]),
                   url("hazard_ledger_xlsx"), url("evidence_file", nanhu["evidence"])):
        assert client.get(target).status_code == 403, target
    assert _snapshot() == before
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DRAFT and inspection.place == "甲类仓库"


def test_staff_still_download_evidence_and_check_draws(areas):
    # The refusals above are the supervisor's, not everybody's.
    nanhu = areas["nanhu"]
    officer = page_client(nanhu["officers"][0])
    response = officer.get(url("evidence_file", nanhu["evidence"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG data"
    events = Event.objects.filter(action="random_draw.rerun_checked").count()
    assert officer.post(url("draw_check", nanhu["draw"])).status_code == 200
    assert Event.objects.filter(action="random_draw.rerun_checked").count() == events + 1


# --- pages: ID numbers ----------------------------------------------------------------

def test_supervisor_reads_id_numbers_masked_on_the_pages(areas):
    nanhu = areas["nanhu"]
    pages = [url("inspection_detail", nanhu["inspection"]), url("hazard_detail", nanhu["hazard"]),
             url("hazard_list")]
    supervisor = page_client(areas["supervisor"])
    officer = page_client(nanhu["officers"][0])
    for page in pages:
        html = supervisor.get(page).content.decode()
        assert ID_NUMBER not in html, page
        assert MASKED in html, page
    detail = supervisor.get(pages[0]).content.decode()
    # The finding, the evidence's file name and the event record's detail line.
    assert detail.count(MASKED) >= 3
    # An officer writes the number into documents: he sees it whole.
    assert ID_NUMBER in officer.get(pages[0]).content.decode()


# --- API ------------------------------------------------------------------------------

def _ids(client: Client, path: str) -> set[int]:
    response = client.get(f"{API}{path}", {"page_size": 100})
    assert response.status_code == 200, response.content.decode()
    return {row["id"] for row in response.json()["items"]}


def test_supervisor_reads_the_api_of_its_area_with_id_numbers_masked(areas):
    nanhu, xiuzhou = areas["nanhu"], areas["xiuzhou"]
    client = api_client(areas["supervisor"])
    for path, key in (("/plans", "plan"), ("/draws", "draw"), ("/inspections", "inspection"),
                      ("/hazards", "hazard")):
        assert _ids(client, path) == {nanhu[key].pk}, path
    for path, key in (("/plans", "plan"), ("/draws", "draw"), ("/inspections", "inspection"),
                      ("/hazards", "hazard")):
        assert client.get(f"{API}{path}/{nanhu[key].pk}").status_code == 200, path
        assert client.get(f"{API}{path}/{xiuzhou[key].pk}").status_code == 404, path

    inspection = client.get(f"{API}/inspections/{nanhu['inspection'].pk}")
    hazard = client.get(f"{API}/hazards/{nanhu['hazard'].pk}")
    listing = client.get(f"{API}/hazards")
    for response in (inspection, hazard, listing):
        assert ID_NUMBER not in response.content.decode()
        assert MASKED in response.content.decode()
    body = inspection.json()
    assert MASKED in body["findings"][0]["description"]
    assert body["findings"][0]["evidence"][0]["original_name"] == f"{MASKED}.png"
    assert MASKED in hazard.json()["orders"][0]["requirements"]
    # An officer gets the numbers whole.
    whole = api_client(nanhu["officers"][0]).get(f"{API}/inspections/{nanhu['inspection'].pk}")
    assert ID_NUMBER in whole.json()["findings"][0]["description"]


def test_every_api_write_refuses_the_supervisor_and_changes_nothing(areas):
    nanhu = areas["nanhu"]
    officers = [o.pk for o in nanhu["officers"]]
    inspection, finding, hazard = nanhu["inspection"], nanhu["finding"], nanhu["hazard"]
    client = api_client(areas["supervisor"])
    before = _snapshot()
    posts = [
        ("/plans", {"year": 2025, "planned_general": 3}),
        (f"/plans/{nanhu['plan'].pk}/draws", {"category": "general", "sampling_ratio": "0.5"}),
        (f"/draws/{nanhu['draw'].pk}/rerun-check", {}),
        ("/inspections", {"enterprise": nanhu["enterprise"].pk, "date": "2024-05-07",
                          "place": "仓库", "category": "general", "officers": officers}),
        (f"/inspections/{inspection.pk}/results",
         {"results": [{"item": "HC2017-01", "outcome": "ok"}]}),
        (f"/inspections/{inspection.pk}/findings", {"description": "监督员记录"}),
        (f"/inspections/{inspection.pk}/finish", {"signed_by": "王五"}),
        (f"/findings/{finding.pk}/hazard", {"level": "general", "rectified_on_site": True}),
        (f"/hazards/{hazard.pk}/report", {"report_date": "2024-05-10", "text": "已整改"}),
        (f"/hazards/{hazard.pk}/reinspection", {"date": "2024-05-20", "officers": officers,
                                                "passed": True, "opinion": "合格"}),
        (f"/hazards/{hazard.pk}/supervision", {"level": "county", "listed_on": "2024-05-08"}),
    ]
    for path, body in posts:
        response = client.post(f"{API}{path}", body, content_type="application/json")
        assert response.status_code == 403, (path, response.content.decode())
        assert "无权" in response.json()["detail"], path
    assert _snapshot() == before
