"""A penalty-case lead (线索登记) from an inspection finding: it carries the finding's
evidence and the catalogue items chosen, the link is kept both ways, refusals are in
Chinese and save nothing, and the case list is scoped like the inspections."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.cases.models import CaseSource, CaseStatus, PenaltyCase
from fazhi.cases.selectors import case_get, case_list
from fazhi.cases.services import case_details_set, case_lead_from_finding, case_transition
from fazhi.core.models import Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.inspection.models import InspectionCategory
from fazhi.inspection.services import (
    evidence_attach,
    finding_add,
    inspection_create,
    inspection_finish,
)
from fazhi.inspection.tests.test_services import certify
from fazhi.legal.models import EnforcementItem

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 6)
_codes = itertools.count(1)


def _item():
    # A test-only catalogue entry: no real item code or legal text is implied.
    n = next(_codes)
    return EnforcementItem.objects.create(code=f"TEST-CASE-{n:03d}", name=f"测试执法事项{n}",
                                          valid_from=datetime.date(2021, 9, 1))


@pytest.fixture
def items(db):
    return [_item() for _ in range(3)]


@pytest.fixture
def officers(make_user):
    return [certify(make_user(Role.OFFICER)) for _ in range(2)]


@pytest.fixture
def enterprise(make_enterprise, jurisdictions):
    return make_enterprise(jurisdictions["nanhu_town"])


@pytest.fixture
def finding(officers, enterprise, settings, tmp_path):
    """A finding with two evidence files, on a finished inspection."""
    settings.MEDIA_ROOT = tmp_path
    inspection = inspection_create(actor=officers[0], enterprise=enterprise, date=DAY,
                                   place="生产车间", category=InspectionCategory.GENERAL,
                                   officers=officers)
    finding = finding_add(actor=officers[0], inspection=inspection,
                          description="特种作业人员未持证上岗")
    for name, content in (("现场照片.jpg", b"\xff\xd8\xff one"), ("询问笔录.pdf", b"%PDF-1.4 two")):
        content_type = "image/jpeg" if name.endswith(".jpg") else "application/pdf"
        evidence_attach(actor=officers[0], finding=finding, upload=SimpleUploadedFile(
            name, content, content_type=content_type))
    inspection_finish(actor=officers[0], inspection=inspection, signed_by="赵六")
    return finding


def _refused(exc_type, call):
    events = Event.objects.count()
    with pytest.raises(exc_type) as err:
        call()
    assert PenaltyCase.objects.count() == 0
    assert Event.objects.count() == events
    return err.value


def test_lead_carries_the_findings_evidence_and_items(officers, finding, items, enterprise,
                                                      agencies, jurisdictions):
    case = case_lead_from_finding(actor=officers[1], finding=finding,
                                  item_codes=[items[0].code, f" {items[1].code} ", items[0].code])
    assert case.status == CaseStatus.LEAD and case.source == CaseSource.INSPECTION
    assert (case.enterprise, case.agency, case.jurisdiction) == (
        enterprise, agencies["nanhu"], jurisdictions["nanhu_town"])
    assert case.jurisdiction_path == jurisdictions["nanhu_town"].path
    assert case.facts == "特种作业人员未持证上岗"
    assert set(case.items.all()) == set(items[:2])
    assert set(case.inspection_evidence.all()) == set(finding.evidence.all())
    assert case.inspection_evidence.count() == 2
    # Both ways.
    assert case.finding == finding
    assert list(finding.case_leads.all()) == [case]
    [lead_event] = object_events(case)
    assert lead_event.action == "case.lead_registered"
    assert lead_event.payload["items"] == [items[0].code, items[1].code]
    assert sorted(e["sha256"] for e in lead_event.payload["evidence"]) == sorted(
        finding.evidence.values_list("sha256", flat=True))
    link = object_events(finding.inspection).last()
    assert link.action == "inspection.finding_to_case"
    assert link.payload == {"finding": finding.pk, "case": case.pk}
    assert verify_record() == []


def test_facts_given_replace_the_finding_description(officers, finding, items):
    case = case_lead_from_finding(actor=officers[0], finding=finding, item_codes=[items[2].code],
                                  facts="  两名焊工无证作业  ")
    assert case.facts == "两名焊工无证作业"


def test_unknown_item_code_is_refused_in_chinese(officers, finding, items):
    err = _refused(ValidationError, lambda: case_lead_from_finding(
        actor=officers[0], finding=finding, item_codes=[items[0].code, "NO-SUCH-ITEM"]))
    assert err.message_dict["items"] == ["执法事项目录中没有：NO-SUCH-ITEM"]


def test_a_lead_needs_an_item(officers, finding):
    err = _refused(ValidationError, lambda: case_lead_from_finding(
        actor=officers[0], finding=finding, item_codes=["", "  "]))
    assert "请选择" in " ".join(err.messages)


def test_an_officer_of_another_county_is_refused(make_user, agencies, finding, items):
    outsider = certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    _refused(PermissionDenied, lambda: case_lead_from_finding(
        actor=outsider, finding=finding, item_codes=[items[0].code]))


def test_enterprise_and_other_roles_are_refused(make_user, users, enterprise, finding, items):
    owner = make_user(Role.ENTERPRISE, enterprise=enterprise)
    for actor in (owner, users[Role.ENTERPRISE], users[Role.SUPERVISOR], users[Role.REVIEWER]):
        err = _refused(PermissionDenied, lambda actor=actor: case_lead_from_finding(
            actor=actor, finding=finding, item_codes=[items[0].code]))
        assert "无权" in str(err)


def test_case_list_is_scoped(make_user, make_enterprise, agencies, jurisdictions, users,
                             enterprise, officers, finding, items):
    mine = case_lead_from_finding(actor=officers[0], finding=finding, item_codes=[items[0].code])
    xiuzhou_officers = [certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
                        for _ in range(2)]
    other = make_enterprise(jurisdictions["xiuzhou_town"])
    inspection = inspection_create(actor=xiuzhou_officers[0], enterprise=other, date=DAY,
                                   place="仓库", category=InspectionCategory.GENERAL,
                                   officers=xiuzhou_officers)
    theirs = case_lead_from_finding(
        actor=xiuzhou_officers[0], item_codes=[items[1].code],
        finding=finding_add(actor=xiuzhou_officers[0], inspection=inspection,
                            description="未建立隐患排查治理制度"))
    city = make_user(Role.LEADER, agency=agencies["city"])
    owner = make_user(Role.ENTERPRISE, enterprise=enterprise)
    assert list(case_list(user=officers[0])) == [mine]
    assert list(case_list(user=xiuzhou_officers[0])) == [theirs]
    assert set(case_list(user=city)) == {mine, theirs}
    supervisor = users[Role.SUPERVISOR]  # oversees 南湖区
    assert list(case_list(user=owner)) == []  # a lead is internal until filed
    assert list(case_list(user=supervisor)) == []
    assert list(case_list(user=officers[0], status=CaseStatus.LEAD)) == [mine]
    assert case_get(user=officers[0], pk=mine.pk) == mine
    assert case_get(user=officers[0], pk=theirs.pk) is None
    mine = case_details_set(actor=officers[0], case=mine, version=mine.version,
                            violation_date=DAY)
    mine = case_transition(actor=officers[0], case=mine, action="submit_filing",
                           version=mine.version, on=DAY)
    case_transition(actor=users[Role.LEADER], case=mine, action="approve_filing",
                    version=mine.version, on=DAY)
    assert list(case_list(user=owner)) == [mine]
    assert list(case_list(user=users[Role.ENTERPRISE])) == []
    assert list(case_list(user=supervisor)) == [mine]  # filed, in 南湖区; not 秀洲区's lead
    PenaltyCase.objects.filter(pk=theirs.pk).update(filed_on=DAY)  # 秀洲区's, filed: still not
    assert case_get(user=supervisor, pk=theirs.pk) is None
    assert case_get(user=supervisor, pk=mine.pk) == mine
    assert case_get(user=owner, pk=theirs.pk) is None


def test_an_item_not_in_force_or_not_a_penalty_is_refused(officers, finding):
    later = EnforcementItem.objects.create(code="TEST-CASE-LATER", name="尚未施行的事项",
                                           valid_from=DAY + datetime.timedelta(days=1))
    check = EnforcementItem.objects.create(code="TEST-CASE-CHECK", name="行政检查事项",
                                           kind=EnforcementItem.Kind.INSPECTION,
                                           valid_from=datetime.date(2021, 9, 1))
    err = _refused(ValidationError, lambda: case_lead_from_finding(
        actor=officers[0], finding=finding, item_codes=[later.code, check.code]))
    assert ("以下事项不是2024年05月06日有效的行政处罚事项：TEST-CASE-LATER、TEST-CASE-CHECK"
            in err.messages)
