"""Writes of enterprises, responsible persons and parks: validation, jurisdiction
permission, and the event record (with ID numbers never whole)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core.models import Event, Role
from fazhi.core.selectors import object_events
from fazhi.core.services.events import verify_record
from fazhi.core.tests.factories import make_id_number, make_uscc
from fazhi.subjects.models import ChemicalPark, Enterprise, ResponsiblePerson, RiskLevel
from fazhi.subjects.rules.masking import mask_id_number
from fazhi.subjects.services import (
    enterprise_create,
    enterprise_update,
    park_create,
    park_update,
    person_set,
)

pytestmark = pytest.mark.django_db


def _fields(jurisdictions, **kw):
    fields = {
        "name": "嘉兴市某某化工有限公司",
        "uscc": make_uscc(901).lower(),
        "address": "南湖区大桥镇亚太路1号",
        "jurisdiction": jurisdictions["nanhu_town"],
        "industry_code": "c2614",
        "supervision_category": "hazchem_production",
        "risk_level": RiskLevel.LARGE,
    }
    fields.update(kw)
    return fields


# --- enterprise_create ---------------------------------------------------------------------


def test_create_normalises_and_writes_one_event(users, jurisdictions, parks):
    officer = users[Role.OFFICER]
    enterprise = enterprise_create(actor=officer, **_fields(jurisdictions, park=parks["nanhu"]))
    enterprise.refresh_from_db()
    assert enterprise.uscc == make_uscc(901)  # upper-cased
    assert enterprise.industry_code == "C2614"
    assert enterprise.jurisdiction_path == jurisdictions["nanhu_town"].path
    events = list(object_events(enterprise))
    assert [e.action for e in events] == ["enterprise.created"]
    assert events[0].actor_id == officer.pk
    assert events[0].payload["uscc"] == enterprise.uscc
    assert events[0].payload["jurisdiction"] == "330402001"
    assert events[0].payload["park"] == parks["nanhu"].name
    assert verify_record() == []


def test_create_accepts_a_jurisdiction_code(users, jurisdictions):
    enterprise = enterprise_create(
        actor=users[Role.OFFICER], **_fields(jurisdictions, jurisdiction="330402")
    )
    assert enterprise.jurisdiction == jurisdictions["nanhu"]


@pytest.mark.parametrize(
    "field, value, fragment",
    [
        ("uscc", "91330402MA2B1234", "应为18位"),
        ("industry_code", "2614", "门类字母"),
        ("name", "", ""),
        ("supervision_category", "mining_and_more", ""),
    ],
)
def test_create_refuses_bad_fields_and_writes_nothing(users, jurisdictions, field, value, fragment):
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError) as err:
        enterprise_create(actor=users[Role.OFFICER], **_fields(jurisdictions, **{field: value}))
    assert field in err.value.message_dict
    assert fragment in " ".join(err.value.message_dict[field])
    assert Enterprise.objects.count() == before
    assert Event.objects.count() == 0


def test_duplicate_uscc_is_refused_without_naming_the_holder(users, jurisdictions, make_enterprise):
    other = make_enterprise(jurisdictions["xiuzhou"], name="秀洲某公司")
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError) as err:
        enterprise_create(actor=users[Role.OFFICER], **_fields(jurisdictions, uscc=other.uscc))
    message = " ".join(err.value.message_dict["uscc"])
    assert "已登记" in message and "秀洲某公司" not in message
    assert Enterprise.objects.count() == before


def test_officer_cannot_create_outside_own_jurisdiction(users, jurisdictions):
    before = Enterprise.objects.count()
    with pytest.raises(PermissionDenied) as err:
        enterprise_create(
            actor=users[Role.OFFICER],
            **_fields(jurisdictions, jurisdiction=jurisdictions["xiuzhou_town"]),
        )
    assert "不在您的辖区内" in str(err.value)
    assert Enterprise.objects.count() == before and Event.objects.count() == 0


def test_city_officer_may_create_anywhere_in_the_city(make_user, agencies, jurisdictions):
    officer = make_user(Role.OFFICER, agency=agencies["city"])
    enterprise = enterprise_create(
        actor=officer, **_fields(jurisdictions, jurisdiction=jurisdictions["xiuzhou_town"])
    )
    assert enterprise.pk


@pytest.mark.parametrize("role", [Role.LEADER, Role.REVIEWER, Role.ENTERPRISE, Role.SUPERVISOR])
def test_roles_that_do_not_keep_the_registry_cannot_write(users, jurisdictions, role):
    with pytest.raises(PermissionDenied):
        enterprise_create(actor=users[role], **_fields(jurisdictions))
    assert not Enterprise.objects.filter(name="嘉兴市某某化工有限公司").exists()


# --- enterprise_update ---------------------------------------------------------------------


def test_update_records_what_changed(users, jurisdictions, make_enterprise):
    enterprise = make_enterprise(jurisdictions["nanhu"], risk_level=RiskLevel.GENERAL)
    updated = enterprise_update(
        actor=users[Role.OFFICER],
        enterprise=enterprise,
        risk_level=RiskLevel.MAJOR,
        address=enterprise.address,
    )
    assert updated.risk_level == RiskLevel.MAJOR
    assert Enterprise.objects.get(pk=enterprise.pk).risk_level == RiskLevel.MAJOR
    [event] = object_events(enterprise)
    assert event.action == "enterprise.updated"
    # The address did not change, so only the risk level is recorded.
    assert event.payload == {"changes": {"risk_level": {"from": "general", "to": "major"}}}


def test_update_without_change_writes_no_event(users, jurisdictions, make_enterprise):
    enterprise = make_enterprise(jurisdictions["nanhu"])
    enterprise_update(actor=users[Role.OFFICER], enterprise=enterprise, name=enterprise.name)
    assert Event.objects.count() == 0


def test_moving_keeps_the_denormalised_path_in_step(users, jurisdictions, make_enterprise):
    enterprise = make_enterprise(jurisdictions["nanhu"])
    enterprise_update(
        actor=users[Role.OFFICER], enterprise=enterprise, jurisdiction=jurisdictions["nanhu_town"]
    )
    assert (
        Enterprise.objects.get(pk=enterprise.pk).jurisdiction_path
        == jurisdictions["nanhu_town"].path
    )


def test_cannot_update_an_enterprise_outside_own_jurisdiction(
    users, jurisdictions, make_enterprise
):
    enterprise = make_enterprise(jurisdictions["xiuzhou"], risk_level=RiskLevel.LOW)
    with pytest.raises(PermissionDenied):
        enterprise_update(
            actor=users[Role.OFFICER], enterprise=enterprise, risk_level=RiskLevel.MAJOR
        )
    assert Enterprise.objects.get(pk=enterprise.pk).risk_level == RiskLevel.LOW
    assert Event.objects.count() == 0


def test_cannot_move_an_enterprise_out_of_own_jurisdiction(users, jurisdictions, make_enterprise):
    enterprise = make_enterprise(jurisdictions["nanhu"])
    with pytest.raises(PermissionDenied):
        enterprise_update(
            actor=users[Role.OFFICER], enterprise=enterprise, jurisdiction=jurisdictions["xiuzhou"]
        )
    assert Enterprise.objects.get(pk=enterprise.pk).jurisdiction == jurisdictions["nanhu"]


def test_update_to_a_taken_uscc_is_refused(users, jurisdictions, make_enterprise):
    first, second = make_enterprise(), make_enterprise()
    with pytest.raises(ValidationError):
        enterprise_update(actor=users[Role.OFFICER], enterprise=second, uscc=first.uscc)
    assert Enterprise.objects.get(pk=second.pk).uscc != first.uscc


def test_unknown_field_is_a_programming_error(users, make_enterprise):
    with pytest.raises(TypeError):
        enterprise_update(actor=users[Role.OFFICER], enterprise=make_enterprise(), colour="red")


# --- person_set ----------------------------------------------------------------------------


def test_principal_is_replaced_and_id_never_whole_in_the_record(users, make_enterprise):
    enterprise = make_enterprise()
    first, second = make_id_number(11), make_id_number(12)
    person_set(
        actor=users[Role.OFFICER],
        enterprise=enterprise,
        kind="principal",
        name="张三",
        id_number=first.lower(),
        phone="13800000000",
    )
    person_set(
        actor=users[Role.OFFICER],
        enterprise=enterprise,
        kind="principal",
        name="李四",
        id_number=second,
    )
    principals = ResponsiblePerson.objects.filter(enterprise=enterprise, kind="principal")
    assert [(p.name, p.id_number) for p in principals] == [("李四", second)]
    events = list(object_events(enterprise))
    assert [e.action for e in events] == ["enterprise.person_set"] * 2
    assert events[1].payload["previous"]["id_number"] == mask_id_number(first)
    stored = json.dumps([e.payload for e in Event.objects.all()], ensure_ascii=False)
    assert first not in stored and second not in stored
    assert mask_id_number(second) in stored


def test_safety_managers_are_kept_one_per_id_number(users, make_enterprise):
    enterprise = make_enterprise()
    officer = users[Role.OFFICER]
    person_set(
        actor=officer,
        enterprise=enterprise,
        kind="safety_manager",
        name="王五",
        id_number=make_id_number(21),
    )
    person_set(
        actor=officer,
        enterprise=enterprise,
        kind="safety_manager",
        name="赵六",
        id_number=make_id_number(22),
    )
    person_set(
        actor=officer,
        enterprise=enterprise,
        kind="safety_manager",
        name="王五",
        id_number=make_id_number(21),
        phone="0573-1234567",
    )
    managers = ResponsiblePerson.objects.filter(enterprise=enterprise, kind="safety_manager")
    assert sorted((m.name, m.phone) for m in managers) == [("王五", "0573-1234567"), ("赵六", "")]


def test_person_with_bad_id_number_is_refused(users, make_enterprise):
    enterprise = make_enterprise()
    bad = make_id_number(31)[:-1] + ("0" if make_id_number(31)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        person_set(
            actor=users[Role.OFFICER],
            enterprise=enterprise,
            kind="principal",
            name="张三",
            id_number=bad,
        )
    assert "校验码错误" in " ".join(err.value.message_dict["id_number"])
    assert not ResponsiblePerson.objects.exists() and not Event.objects.exists()


def test_person_outside_jurisdiction_is_refused(users, jurisdictions, make_enterprise):
    enterprise = make_enterprise(jurisdictions["xiuzhou"])
    with pytest.raises(PermissionDenied):
        person_set(
            actor=users[Role.OFFICER],
            enterprise=enterprise,
            kind="principal",
            name="张三",
            id_number=make_id_number(41),
        )
    assert not ResponsiblePerson.objects.exists()


# --- parks ---------------------------------------------------------------------------------


def test_park_create_and_update_write_events(users, jurisdictions):
    officer = users[Role.OFFICER]
    park = park_create(
        actor=officer,
        name="南湖新材料园区",
        jurisdiction=jurisdictions["nanhu_town"],
        risk_level=ChemicalPark.RiskLevel.GENERAL,
    )
    park_update(actor=officer, park=park, risk_level=ChemicalPark.RiskLevel.LOWER)
    assert ChemicalPark.objects.get(pk=park.pk).risk_level == ChemicalPark.RiskLevel.LOWER
    assert [e.action for e in object_events(park)] == ["park.created", "park.updated"]
    assert verify_record() == []


def test_park_outside_jurisdiction_is_refused(users, parks):
    with pytest.raises(PermissionDenied):
        park_update(
            actor=users[Role.OFFICER], park=parks["xiuzhou"], risk_level=ChemicalPark.RiskLevel.HIGH
        )
    assert ChemicalPark.objects.get(pk=parks["xiuzhou"].pk).risk_level == "lower"
