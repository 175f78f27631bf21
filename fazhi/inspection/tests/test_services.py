"""Writes of the inspection app: the two-certified-officers rule (refused in Chinese,
nothing saved), the draw with its stored inputs and re-run check, recusals, the event
record of every step, and jurisdiction scoping of the reads."""

from __future__ import annotations

import datetime
import hashlib
import itertools
from decimal import Decimal

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.models import EnforcementCertificate, Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.inspection.models import (
    ChecklistItem,
    DrawPick,
    Inspection,
    InspectionCategory,
    RandomDraw,
)
from fazhi.inspection.selectors import draw_list, inspection_list
from fazhi.inspection.services import (
    CHECKLIST_FILE,
    checklist_load,
    draw_publish,
    draw_rerun_check,
    draw_run,
    evidence_attach,
    finding_add,
    inspection_create,
    inspection_finish,
    inspection_record_results,
    inspection_update,
    plan_create,
    recusal_declare,
)
from fazhi.subjects.models import Enterprise, RiskLevel

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 6)
_numbers = itertools.count(1)


def certify(officer, valid_from=datetime.date(2023, 1, 1), valid_to=datetime.date(2027, 12, 31)):
    EnforcementCertificate.objects.create(
        holder=officer, number=f"ZJ{next(_numbers):08d}", valid_from=valid_from,
        valid_to=valid_to)
    return officer


@pytest.fixture
def officers(make_user):
    """Three certified officers of the 南湖区 bureau."""
    return [certify(make_user(Role.OFFICER)) for _ in range(3)]


@pytest.fixture
def enterprise(make_enterprise, jurisdictions):
    return make_enterprise(jurisdictions["nanhu_town"])


def _create(actor, enterprise, officers, **kw):
    values = {"actor": actor, "enterprise": enterprise, "date": DAY, "place": "生产车间",
              "category": InspectionCategory.GENERAL, "officers": officers}
    values.update(kw)
    return inspection_create(**values)


# --- two certified officers -------------------------------------------------------------

def test_one_officer_is_refused_in_chinese_and_nothing_is_saved(officers, enterprise):
    events = Event.objects.count()
    with pytest.raises(ValidationError) as err:
        _create(officers[0], enterprise, [officers[0]])
    assert any("不得少于2人" in m for m in err.value.messages)
    assert Inspection.objects.count() == 0
    assert Event.objects.count() == events


def test_an_expired_certificate_is_refused_and_nothing_is_saved(make_user, officers, enterprise):
    expired = certify(make_user(Role.OFFICER, full_name="王五"),
                      valid_to=DAY - datetime.timedelta(days=1))
    events = Event.objects.count()
    with pytest.raises(ValidationError) as err:
        _create(officers[0], enterprise, [officers[0], expired])
    assert any(m.startswith("王五于2024年05月06日无有效执法证") for m in err.value.messages)
    assert Inspection.objects.count() == 0
    assert Event.objects.count() == events


def test_a_recused_officer_cannot_inspect_the_enterprise(users, officers, enterprise):
    recusal_declare(actor=users[Role.LEADER], officer=officers[1], enterprise=enterprise,
                    reason="近亲属在该单位任职", valid_from=DAY - datetime.timedelta(days=30))
    with pytest.raises(ValidationError) as err:
        _create(officers[0], enterprise, officers[:2])
    assert any("回避" in m for m in err.value.messages)
    assert Inspection.objects.count() == 0


def test_finish_rechecks_certificates(officers, enterprise):
    inspection = _create(officers[0], enterprise, officers[:2])
    officers[1].certificates.update(valid_to=DAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        inspection_finish(actor=officers[0], inspection=inspection, signed_by="赵六")
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DRAFT


# --- the inspection record ----------------------------------------------------------------

def test_full_inspection_writes_each_step_into_the_record(officers, enterprise, settings,
                                                          tmp_path):
    settings.MEDIA_ROOT = tmp_path
    checklist_load(actor=None)
    item = ChecklistItem.objects.get(code="HC2017-02")
    inspection = _create(officers[0], enterprise, officers[:2],
                         category=InspectionCategory.JOINT, joint_departments=["市场监管局"])
    inspection_record_results(actor=officers[0], inspection=inspection,
                              results=[(item, "finding", "两名焊工无证")])
    finding = finding_add(actor=officers[0], inspection=inspection, item=item,
                          description="特种作业人员未持证上岗")
    content = b"\xff\xd8\xff photo bytes"
    evidence = evidence_attach(actor=officers[0], finding=finding, upload=SimpleUploadedFile(
        "现场照片.jpg", content, content_type="image/jpeg"))
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.file.read() == content
    inspection_finish(actor=officers[0], inspection=inspection, refusal_reason="负责人拒绝签字")
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.FINISHED
    assert set(inspection.officers.all()) == set(officers[:2])
    assert [e.action for e in object_events(inspection)] == [
        "inspection.created", "inspection.results_recorded", "inspection.finding_added",
        "inspection.evidence_attached", "inspection.finished",
    ]
    assert verify_record() == []
    with pytest.raises(ValidationError):  # finished: no more changes
        finding_add(actor=officers[0], inspection=inspection, description="补充")


def test_finish_needs_a_signature_or_a_refusal_reason(officers, enterprise):
    inspection = _create(officers[0], enterprise, officers[:2])
    with pytest.raises(ValidationError):
        inspection_finish(actor=officers[0], inspection=inspection)


def test_joint_and_non_site_inspections_need_their_details(officers, enterprise):
    with pytest.raises(ValidationError) as err:
        _create(officers[0], enterprise, officers[:2], category=InspectionCategory.JOINT,
                non_site=True)
    assert set(err.value.message_dict) == {"joint_departments", "non_site_source"}
    inspection = _create(officers[0], enterprise, officers[:2], non_site=True,
                         non_site_source="video")
    assert inspection.non_site and inspection.non_site_source == "video"


def test_rejected_evidence_type_saves_nothing(officers, enterprise, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    inspection = _create(officers[0], enterprise, officers[:2])
    finding = finding_add(actor=officers[0], inspection=inspection, description="问题")
    with pytest.raises(ValidationError):
        evidence_attach(actor=officers[0], finding=finding, upload=SimpleUploadedFile(
            "x.exe", b"MZ", content_type="application/x-msdownload"))
    assert not finding.evidence.exists()
    assert not any(tmp_path.rglob("*.*"))


# --- scoping and permission ---------------------------------------------------------------

def test_scoping_of_inspections(make_user, make_enterprise, agencies, jurisdictions, officers,
                                enterprise, users):
    xiuzhou_officers = [certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
                        for _ in range(2)]
    other = make_enterprise(jurisdictions["xiuzhou_town"])
    mine = _create(officers[0], enterprise, officers[:2])
    theirs = _create(xiuzhou_officers[0], other, xiuzhou_officers)
    city = make_user(Role.LEADER, agency=agencies["city"])
    assert list(inspection_list(user=officers[0])) == [mine]
    assert list(inspection_list(user=xiuzhou_officers[0])) == [theirs]
    assert set(inspection_list(user=city)) == {mine, theirs}
    owner = make_user(Role.ENTERPRISE, enterprise=enterprise)
    assert list(inspection_list(user=owner)) == [mine]
    assert list(inspection_list(user=users[Role.ENTERPRISE])) == []


def test_an_officer_cannot_inspect_outside_the_jurisdiction(make_user, agencies, officers,
                                                            enterprise):
    outsider = certify(make_user(Role.OFFICER, agency=agencies["xiuzhou"]))
    with pytest.raises(PermissionDenied):
        _create(outsider, enterprise, [outsider, officers[0]])
    assert Inspection.objects.count() == 0


# --- draws ------------------------------------------------------------------------------

@pytest.fixture
def pool(make_enterprise, jurisdictions):
    risks = [RiskLevel.MAJOR, RiskLevel.LARGE, RiskLevel.GENERAL, RiskLevel.LOW]
    return [make_enterprise(jurisdictions["nanhu_town"], risk_level=risks[i % 4])
            for i in range(12)]


@pytest.fixture
def plan(users, agencies):
    return plan_create(actor=users[Role.LEADER], agency=agencies["nanhu"], year=2024,
                       planned={"key": 10, "general": 20})


def test_draw_honours_certificates_and_recusals_and_can_be_rerun(
        users, make_user, officers, pool, plan, make_enterprise, jurisdictions):
    expired = certify(make_user(Role.OFFICER), valid_to=DAY - datetime.timedelta(days=1))
    uncertified = make_user(Role.OFFICER)
    make_enterprise(jurisdictions["xiuzhou_town"])  # outside the plan's area
    recusal_declare(actor=users[Role.LEADER], officer=officers[0], enterprise=pool[0],
                    reason="曾在该单位任职", valid_from=DAY)
    draw = draw_run(actor=users[Role.LEADER], plan=plan, category=InspectionCategory.GENERAL,
                    sampling_ratio="1", on=DAY, seed=20240506)
    picks = list(draw.picks.prefetch_related("officers"))
    in_area = set(Enterprise.objects.filter(
        jurisdiction_path__startswith=jurisdictions["nanhu"].path).values_list("pk", flat=True))
    assert {e.pk for e in pool} <= in_area
    assert {p.enterprise_id for p in picks} == in_area
    certified_ids = {o.pk for o in officers}
    for pick in picks:
        chosen = {o.pk for o in pick.officers.all()}
        assert len(chosen) >= 2 and chosen <= certified_ids
        assert not chosen & {expired.pk, uncertified.pk}
        if pick.enterprise_id == pool[0].pk:
            assert officers[0].pk not in chosen
    [event] = [e for e in object_events(draw) if e.action == "random_draw.run"]
    assert event.payload["seed"] == 20240506
    assert [row[0] for row in event.payload["pool"]] == sorted(in_area)
    assert event.payload["result"] == draw.result

    check = draw_rerun_check(actor=users[Role.OFFICER], draw=draw)
    assert check.matches
    assert object_events(draw).last().action == "random_draw.rerun_checked"


def test_same_seed_and_pool_give_the_same_draw(users, officers, pool, plan):
    first = draw_run(actor=users[Role.LEADER], plan=plan, category="key",
                     sampling_ratio=Decimal("0.25"), on=DAY, seed=99)
    DrawPick.objects.filter(draw=first).delete()
    RandomDraw.objects.filter(pk=first.pk).delete()
    second = draw_run(actor=users[Role.LEADER], plan=plan, category="key",
                      sampling_ratio=Decimal("0.25"), on=DAY, seed=99)
    assert second.result == first.result


def test_rerun_check_detects_a_changed_pick(users, officers, pool, plan):
    draw = draw_run(actor=users[Role.LEADER], plan=plan, category="key",
                    sampling_ratio="0.5", on=DAY, seed=5)
    pick = draw.picks.first()
    current = set(pick.officers.values_list("pk", flat=True))
    spare = next(o for o in officers if o.pk not in current)
    pick.officers.set([spare, *list(pick.officers.all())[:1]])
    assert not draw_rerun_check(actor=users[Role.LEADER], draw=draw).matches


def test_second_draw_avoids_the_previous_pair(users, officers, pool, plan):
    first = draw_run(actor=users[Role.LEADER], plan=plan, category="key", sampling_ratio="1",
                     on=DAY, seed=1)
    second = draw_run(actor=users[Role.LEADER], plan=plan, category="key", sampling_ratio="1",
                      on=DAY, seed=1)
    before = {p["enterprise"]: set(p["officers"]) for p in first.result}
    for pick in second.result:
        assert set(pick["officers"]) != before[pick["enterprise"]]


def test_draw_avoids_the_pair_of_the_last_finished_inspection(users, officers, pool, plan):
    """"Last time's pair" is also the pair that last inspected, not only the last drawn."""
    for enterprise in pool:
        inspection = _create(officers[0], enterprise, officers[:2])
        inspection_finish(actor=officers[0], inspection=inspection, signed_by="赵六")
    draw = draw_run(actor=users[Role.LEADER], plan=plan, category="key", sampling_ratio="1",
                    on=DAY + datetime.timedelta(days=1), seed=1)
    last_pair = sorted(o.pk for o in officers[:2])
    assert all(draw.previous_pairs[str(e.pk)] == last_pair for e in pool)
    for pick in draw.result:
        if pick["enterprise"] in {e.pk for e in pool}:
            assert sorted(pick["officers"]) != last_pair


def test_draw_without_two_certified_officers_is_refused(users, make_user, pool, plan):
    certify(make_user(Role.OFFICER))
    with pytest.raises(ValidationError) as err:
        draw_run(actor=users[Role.LEADER], plan=plan, category="key", sampling_ratio="1",
                 on=DAY)
    assert "执法证" in err.value.messages[0]
    assert RandomDraw.objects.count() == 0


def test_draws_are_scoped_and_publishing_is_recorded(users, make_user, agencies, officers,
                                                     pool, plan):
    draw = draw_run(actor=users[Role.LEADER], plan=plan, category="key", sampling_ratio="0.5",
                    on=DAY)
    assert list(draw_list(user=users[Role.OFFICER])) == [draw]
    assert list(draw_list(user=make_user(Role.OFFICER, agency=agencies["xiuzhou"]))) == []
    assert list(draw_list(user=users[Role.ENTERPRISE])) == []
    with pytest.raises(PermissionDenied):
        draw_rerun_check(actor=make_user(Role.OFFICER, agency=agencies["xiuzhou"]), draw=draw)
    draw_publish(actor=users[Role.LEADER], draw=draw)
    draw.refresh_from_db()
    assert draw.published
    assert object_events(draw).last().action == "random_draw.published"


def test_plan_is_one_per_agency_and_year(users, agencies, plan):
    assert [e.action for e in object_events(plan)] == ["inspection_plan.created"]
    with pytest.raises(ValidationError):
        plan_create(actor=users[Role.LEADER], agency=agencies["nanhu"], year=2024, planned={})
    with pytest.raises(PermissionDenied):
        plan_create(actor=users[Role.ENTERPRISE], agency=agencies["nanhu"], year=2025,
                    planned={})


# --- checklist ----------------------------------------------------------------------------

def test_checklist_loads_the_reference_items_once(db):
    items = yaml.safe_load(CHECKLIST_FILE.read_text(encoding="utf-8"))["items"]
    result = checklist_load(actor=None)
    assert result.created == len(items) == ChecklistItem.objects.count()
    # 安监总管三〔2017〕121号 lists 20 items.
    assert ChecklistItem.objects.filter(standard="chemicals_2017").count() == 20
    assert checklist_load(actor=None).created == 0
    assert checklist_load(actor=None).updated == 0


# --- editing a draft ----------------------------------------------------------------------

def test_a_draft_is_corrected_with_its_changes_in_the_record(officers, enterprise):
    inspection = _create(officers[0], enterprise, officers[:2])
    inspection_update(actor=officers[0], inspection=inspection, date=DAY, place=" 仓库 ",
                      category=InspectionCategory.GENERAL, officers=[officers[0], officers[2]])
    inspection.refresh_from_db()
    assert inspection.place == "仓库"
    assert sorted(inspection.officers.values_list("pk", flat=True)) == sorted(
        [officers[0].pk, officers[2].pk])
    event = object_events(inspection).last()
    assert event.action == "inspection.updated"
    assert set(event.payload["changes"]) == {"place", "officers"}


def test_a_draft_correction_is_checked_like_a_new_record(officers, enterprise):
    inspection = _create(officers[0], enterprise, officers[:2])
    events = Event.objects.count()
    with pytest.raises(ValidationError) as err:
        inspection_update(actor=officers[0], inspection=inspection, date=DAY, place="仓库",
                          category=InspectionCategory.GENERAL, officers=[officers[0]])
    assert any("不得少于2人" in m for m in err.value.messages)
    inspection.refresh_from_db()
    assert inspection.place == "生产车间" and inspection.officers.count() == 2
    assert Event.objects.count() == events
    inspection_finish(actor=officers[0], inspection=inspection, signed_by="赵六")
    with pytest.raises(ValidationError) as err:
        inspection_update(actor=officers[0], inspection=inspection, date=DAY, place="仓库",
                          category=InspectionCategory.GENERAL, officers=officers[:2])
    assert "检查记录已完成，不能再修改" in err.value.messages
