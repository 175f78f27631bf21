"""Cleanup campaigns (清理) over HTTP: the documents in force are picked, each result is
recorded, concluding applies the results to the documents, and the list is published."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fazhi.core.models import Event
from fazhi.policy.models_normdocs import (
    CleanupCampaign,
    DocIssuer,
    DocStatus,
    NormativeDocument,
)
from fazhi.policy.selectors_normdocs import public_cleanup_results

D = datetime.date


@pytest.fixture
def officer(make_user, agencies):
    return make_user("officer", agency=agencies["city"])


@pytest.fixture
def client(officer):
    c = Client()
    c.force_login(officer)
    return c


def _in_force(agency, issuer: str, n: int, status: str = DocStatus.IN_FORCE):
    # documents issued before the platform: registered as they stand
    doc = NormativeDocument.objects.create(
        agency=agency, issuer=issuer, title=f"规范性文件{issuer}{n}", number=f"测试〔2019〕{n}号",
        status=status, drafted_on=D(2019, 1, n), published_on=D(2019, 2, n),
        effective_on=D(2019, 3, n), text="第一条 为了……")
    doc.lineage = doc
    doc.save()
    return doc


def test_cleanup_applies_results_and_publishes(client, officer, agencies):
    city = agencies["city"]
    own = [_in_force(city, DocIssuer.BUREAU, n) for n in range(1, 5)]
    _in_force(city, DocIssuer.BUREAU, 9, status=DocStatus.REPEALED)  # not in force
    gov = _in_force(city, DocIssuer.GOV_OFFICE, 7)
    _in_force(agencies["nanhu"], DocIssuer.BUREAU, 8)  # another bureau's
    response = client.post("/policy/cleanups/", {
        "title": "2024年度局机关规范性文件清理", "issuer": "bureau", "started_on": "2024-09-01",
        "basis": "按照省司法厅部署"})
    campaign = CleanupCampaign.objects.get()
    assert response.url == f"/policy/cleanups/{campaign.pk}/"
    assert sorted(r.document_id for r in campaign.results.all()) == [d.pk for d in own]
    assert gov.pk not in [r.document_id for r in campaign.results.all()]

    rows = {r.document_id: r for r in campaign.results.all()}
    choices = {own[0].pk: ("continue", ""), own[1].pk: ("amend", "上位法修订"),
               own[2].pk: ("repeal", "调整对象已消失"), own[3].pk: ("invalidate", "有效期届满")}
    # concluding with a result missing is refused
    client.post(f"/policy/cleanups/{campaign.pk}/act/conclude/", {"day": "2024-11-20"})
    campaign.refresh_from_db()
    assert campaign.status == CleanupCampaign.Status.OPEN
    for pk, (result, reason) in choices.items():
        row = rows[pk]
        client.post(f"/policy/cleanups/{campaign.pk}/act/result/", {
            "row": row.pk, f"r{row.pk}-row": row.pk, f"r{row.pk}-result": result,
            f"r{row.pk}-reason": reason})
    # a repeal without a reason is refused, nothing changes
    client.post(f"/policy/cleanups/{campaign.pk}/act/result/", {
        "row": rows[own[0].pk].pk, f"r{rows[own[0].pk].pk}-row": rows[own[0].pk].pk,
        f"r{rows[own[0].pk].pk}-result": "repeal", f"r{rows[own[0].pk].pk}-reason": ""})
    assert campaign.results.get(document=own[0]).result == "continue"
    # publishing before concluding is refused
    client.post(f"/policy/cleanups/{campaign.pk}/act/publish/", {"day": "2024-11-25"})
    campaign.refresh_from_db()
    assert campaign.published_on is None

    client.post(f"/policy/cleanups/{campaign.pk}/act/conclude/", {"day": "2024-11-20"})
    campaign.refresh_from_db()
    assert campaign.status == CleanupCampaign.Status.CONCLUDED
    statuses = {d.pk: NormativeDocument.objects.get(pk=d.pk).status for d in own}
    assert statuses == {own[0].pk: DocStatus.IN_FORCE, own[1].pk: DocStatus.IN_FORCE,
                        own[2].pk: DocStatus.REPEALED, own[3].pk: DocStatus.EXPIRED}
    assert NormativeDocument.objects.get(pk=own[2].pk).ended_on == D(2024, 11, 20)
    amended = NormativeDocument.objects.get(previous=own[1])
    assert amended.status == DocStatus.DRAFTING and amended.version_no == 2
    assert Event.objects.filter(object_type="policy.normativedocument",
                                object_id=str(own[2].pk), action="policy.normdoc.repeal").exists()

    assert list(public_cleanup_results()) == []
    client.post(f"/policy/cleanups/{campaign.pk}/act/publish/", {"day": "2024-11-25"})
    published = list(public_cleanup_results())
    assert published == [campaign]
    assert {r.result for r in published[0].results.all()} == {
        "continue", "amend", "repeal", "invalidate"}
    page = client.get(f"/policy/cleanups/{campaign.pk}/").content.decode()
    assert "结果已公布" in page and "宣布失效" in page
    assert set(Event.objects.filter(object_type="policy.cleanupcampaign").values_list(
        "action", flat=True)) == {"policy.cleanup.opened", "policy.cleanup.result",
                                  "policy.cleanup.concluded", "policy.cleanup.published"}


def test_cleanup_of_gov_office_documents_and_scoping(client, agencies, make_user):
    city = agencies["city"]
    gov = [_in_force(city, DocIssuer.GOV_OFFICE, n) for n in range(1, 3)]
    client.post("/policy/cleanups/", {"title": "市府办文件清理", "issuer": "gov_office",
                                      "started_on": "2024-09-01"})
    campaign = CleanupCampaign.objects.get()
    assert sorted(r.document_id for r in campaign.results.all()) == [d.pk for d in gov]
    county = Client()
    county.force_login(make_user("officer", agency=agencies["nanhu"]))
    assert county.get(f"/policy/cleanups/{campaign.pk}/").status_code == 404
    # nothing in force in this scope: refused, nothing created
    county.post("/policy/cleanups/", {"title": "无", "issuer": "gov_office",
                                      "started_on": "2024-09-01"})
    assert CleanupCampaign.objects.count() == 1
