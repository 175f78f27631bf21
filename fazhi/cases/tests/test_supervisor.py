"""A social supervisor (社会监督员) and the penalty cases, over HTTP (pages and API).

The supervisor of 南湖区 reads the filed cases of 南湖区 (list, case page, API list and
detail: 200) and nothing of 秀洲区 or of a lead (internal until 立案: absent / 404); the
supervisor of 秀洲区 the other way round. The case page is read-only for them: no form,
no move, no document link, none of the agency's internal sections; every POST (pages
and API), every document download and the ledger export answer 403 with nothing
changed — the same POST an officer makes is accepted. Resident ID numbers in the case's
free text and in its event record (执法全过程记录) appear masked, on the page and in
the API."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.cases import services
from fazhi.cases.models import CaseSource, CaseStatus, EvidenceItem, PartyDecision, PenaltyCase
from fazhi.cases.tests.test_api import _decided_world, _row
from fazhi.cases.tests.test_api import client_for as api_client_for
from fazhi.cases.tests.worlds import fresh
from fazhi.cases.views_records import RECORDS
from fazhi.core.models import Event, Role

pytestmark = pytest.mark.django_db
API = "/api/v1/cases"
WHOLE_ID = "330402198001011234"
MASKED_ID = "330402********1234"
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(make_user, make_enterprise, jurisdictions, agencies, users):
    """The decided 一案双罚 case of 南湖区 (`test_api._decided_world`: legal review,
    the unit's decision served, the principal transferred to the police), its facts and
    evidence naming a person by ID number, suspended by the head with a reason that
    does too; a lead in 南湖区; a filed case in 秀洲区."""
    stage = _decided_world(make_user, make_enterprise, jurisdictions, users)
    case = stage.case
    PenaltyCase.objects.filter(pk=case.pk).update(
        facts=f"主要负责人周建华（身份证号码{WHOLE_ID}）未组织从业人员安全培训")
    EvidenceItem.objects.filter(case=case).update(proves=f"周建华（{WHOLE_ID}）未组织培训")
    case = fresh(case)
    services.case_suspend(actor=users[Role.LEADER], case=case, version=case.version,
                          reason=f"当事人周建华（{WHOLE_ID}）住院治疗")
    officer = stage.officers[0]
    lead = _row(officer, make_enterprise(jurisdictions["nanhu_town"]), source=CaseSource.TIP)
    outsider = make_user(Role.OFFICER, agency=agencies["xiuzhou"])
    elsewhere = _row(outsider, make_enterprise(jurisdictions["xiuzhou_town"]),
                     status=CaseStatus.INVESTIGATION, number="秀应急立〔2024〕3号",
                     filed_on=datetime.date(2024, 3, 4), decision_due=datetime.date(2024, 4, 3))
    return SimpleNamespace(
        case=fresh(case), officer=officer, unit=stage.unit, principal=stage.principal,
        lead=lead, elsewhere=elsewhere, supervisor=users[Role.SUPERVISOR],
        xiuzhou_supervisor=make_user(Role.SUPERVISOR,
                                     supervised_jurisdiction=jurisdictions["xiuzhou"]))


def _detail(pk: int) -> str:
    return reverse("cases:case_detail", args=[pk])


def _listed(client: Client, **headers) -> set[int]:
    response = client.get(reverse("cases:case_list"), **headers)
    assert response.status_code == 200
    return {int(pk) for pk in CASE_LINK.findall(response.content.decode())}


def _api_ids(client: Client) -> set[int]:
    response = client.get(f"{API}?page_size=100")
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def test_a_supervisor_reads_the_filed_cases_of_their_area_only(world):
    nanhu, xiuzhou = client_for(world.supervisor), client_for(world.xiuzhou_supervisor)
    assert _listed(nanhu) == {world.case.pk}  # not the lead, not 秀洲区's case
    assert _listed(nanhu, HTTP_HX_REQUEST="true") == {world.case.pk}  # the pager's fragment
    assert _listed(xiuzhou) == {world.elsewhere.pk}
    assert nanhu.get(_detail(world.case.pk)).status_code == 200
    for pk in (world.elsewhere.pk, world.lead.pk):
        assert nanhu.get(_detail(pk)).status_code == 404
    assert xiuzhou.get(_detail(world.elsewhere.pk)).status_code == 200
    assert xiuzhou.get(_detail(world.case.pk)).status_code == 404
    # the API the same way
    api = api_client_for(world.supervisor)
    assert _api_ids(api) == {world.case.pk}
    assert _api_ids(api_client_for(world.xiuzhou_supervisor)) == {world.elsewhere.pk}
    assert api.get(f"{API}/{world.case.pk}").status_code == 200
    for pk in (world.elsewhere.pk, world.lead.pk):
        assert api.get(f"{API}/{pk}").status_code == 404


def test_the_case_page_is_read_only_for_a_supervisor(world):
    case = world.case
    unit_decision = PartyDecision.objects.get(party=world.unit)
    html = client_for(world.supervisor).get(_detail(case.pk)).content.decode()
    assert unit_decision.number in html and 'data-testid="decision"' in html
    # no form posting anywhere in the case, no move, no document to download
    assert not re.search(r'<form method="post" action="/cases/', html)
    assert 'data-testid="move-' not in html and 'data-testid="form-' not in html
    assert 'data-testid="documents"' not in html and "/documents/" not in html
    # the agency's internal work stays internal
    for section in ("section-legal-review", "section-discussion", "section-transfers"):
        assert f'data-testid="{section}"' not in html
    # the inspection the case came from is an enforcement record of the area: readable
    inspection_url = reverse("inspection:inspection_detail",
                             args=[case.finding.inspection_id])
    assert inspection_url in html
    assert client_for(world.supervisor).get(inspection_url).status_code == 200
    # the handling officer sees the same page with its forms and documents
    staff = client_for(world.officer).get(_detail(case.pk)).content.decode()
    assert re.search(r'<form method="post" action="/cases/', staff)
    assert 'data-testid="documents"' in staff and 'data-testid="section-legal-review"' in staff


def test_the_api_shows_a_supervisor_decisions_but_no_internal_records(world):
    body = api_client_for(world.supervisor).get(f"{API}/{world.case.pk}").json()
    unit = next(p for p in body["parties"] if p["kind"] == "unit")
    assert unit["decision"]["number"] == PartyDecision.objects.get(party=world.unit).number
    assert body["moves"] == [] and body["documents"] == []
    assert body["legal_reviews"] is None
    assert body["transfers"][0]["persons"] is None and body["transfers"][0]["persons_count"] == 1
    staff = api_client_for(world.officer).get(f"{API}/{world.case.pk}").json()
    assert staff["documents"] and staff["legal_reviews"]


def test_id_numbers_are_masked_for_a_supervisor(world):
    html = client_for(world.supervisor).get(_detail(world.case.pk)).content.decode()
    assert WHOLE_ID not in html
    assert f"主要负责人周建华（身份证号码{MASKED_ID}）" in html  # the facts
    assert f"周建华（{MASKED_ID}）未组织培训" in html  # the evidence list
    assert f"理由：当事人周建华（{MASKED_ID}）住院治疗" in html  # the event record
    raw = api_client_for(world.supervisor).get(f"{API}/{world.case.pk}").content.decode()
    assert WHOLE_ID not in raw and MASKED_ID in raw
    # an officer writes the number into documents: whole
    assert WHOLE_ID in client_for(world.officer).get(_detail(world.case.pk)).content.decode()


def _state(case: PenaltyCase) -> tuple:
    case = fresh(case)
    decisions = PartyDecision.objects.filter(party__case=case).order_by("pk")
    return (Event.objects.count(), PenaltyCase.objects.count(), case.version, case.status,
            [(d.served_on, d.decided_on) for d in decisions])


def test_every_write_from_a_supervisor_is_refused_and_changes_nothing(world):
    case, supervisor = world.case, world.supervisor
    principal = PartyDecision.objects.get(party=world.principal)
    assert principal.served_on is None  # the officer may still register its service
    service = {"version": case.version, "decision": principal.pk,
               "served_on": principal.decided_on.isoformat(), "method": "直接送达",
               "recipient": "周建华"}
    page, api = client_for(supervisor), api_client_for(supervisor)  # a token is an event
    before = _state(case)
    urls = [reverse("cases:case_transition", args=[case.pk]),
            reverse("cases:case_details", args=[case.pk]),
            reverse("cases:party_add", args=[case.pk]),
            reverse("cases:evidence_add", args=[case.pk]),
            reverse("cases:report_save", args=[case.pk])]
    urls += [reverse("cases:case_record", args=[case.pk, what]) for what in RECORDS]
    for url in urls:
        assert page.post(url, {"version": case.version, "action": "resume"}).status_code == 403
    assert page.post(reverse("cases:case_record", args=[case.pk, "service"]),
                     service).status_code == 403
    # documents and the ledger: staff only (the decision too: it carries whole ID numbers)
    decision = PartyDecision.objects.get(party=world.unit)
    for kind, query in (("penalty_decision", {"obj": decision.pk}), ("filing", {})):
        url = reverse("cases:case_document", args=[case.pk, kind])
        assert page.get(url, query).status_code == 403
    assert page.get(reverse("cases:case_ledger_xlsx")).status_code == 403
    # the API
    response = api.post(f"{API}/{case.pk}/transitions",
                        {"action": "resume", "version": case.version},
                        content_type="application/json")
    assert response.status_code == 403 and "只能查阅" in response.json()["detail"]
    response = api.post(API, {"enterprise": case.enterprise_id, "source": "tip",
                              "facts": "群众举报", "discovered_on": "2024-05-01",
                              "items": ["WSL2021-097-03"]}, content_type="application/json")
    assert response.status_code == 403
    response = api.get(f"{API}/{case.pk}/documents/penalty_decision", {"obj": decision.pk})
    assert response.status_code == 403
    assert _state(case) == before
    # the very same service record from the handling officer is accepted
    client_for(world.officer).post(reverse("cases:case_record", args=[case.pk, "service"]),
                                   service)
    assert PartyDecision.objects.get(pk=principal.pk).served_on == principal.decided_on
