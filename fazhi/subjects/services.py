"""Writes of regulated subjects: enterprises, their responsible persons, chemical parks.

Each function runs in one transaction, validates with `full_clean()`, and writes its
event into the record (执法全过程记录) in the same transaction. Only officers and
administrators whose jurisdiction contains the subject may write it
(`rules.access`). Event payloads never hold a whole ID number (`rules.masking`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core.models import Jurisdiction, User
from fazhi.core.services.events import record_event
from fazhi.subjects.models import ChemicalPark, Enterprise, ResponsiblePerson
from fazhi.subjects.rules.access import can_edit_subjects, path_contains
from fazhi.subjects.rules.identifiers import (
    IdentifierError,
    normalize_id_number,
    normalize_industry_code,
    normalize_uscc,
)
from fazhi.subjects.rules.masking import mask_id_number

ENTERPRISE_FIELDS = (
    "name", "uscc", "address", "jurisdiction", "industry_code", "supervision_category",
    "risk_level", "park",
)
PARK_FIELDS = ("name", "jurisdiction", "risk_level", "assessed_on")


# --- helpers -----------------------------------------------------------------------------

def _require_writer(actor: User, *jurisdictions: Jurisdiction, what: str) -> None:
    """PermissionDenied (Chinese) unless `actor` may write subjects in every one of
    `jurisdictions`."""
    if not can_edit_subjects(actor):
        raise PermissionDenied(_("您的角色无权维护%(what)s信息") % {"what": what})
    own = actor.jurisdiction
    for jurisdiction in jurisdictions:
        if not path_contains(own.path if own else None, jurisdiction.path):
            raise PermissionDenied(
                _("%(place)s不在您的辖区内，您无权维护该%(what)s")
                % {"place": jurisdiction.name, "what": what}
            )


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown field(s): {', '.join(sorted(unknown))}")


def _resolve_jurisdiction(value: Jurisdiction | str) -> Jurisdiction:
    if isinstance(value, Jurisdiction):
        return value
    found = Jurisdiction.objects.filter(code=str(value).strip()).first()
    if found is None:
        raise ValidationError({"jurisdiction": _("属地区划代码“%(code)s”不存在") % {"code": value}})
    return found


def _resolve_park(value: ChemicalPark | int | None) -> ChemicalPark | None:
    if value is None or isinstance(value, ChemicalPark):
        return value
    found = ChemicalPark.objects.filter(pk=value).first()
    if found is None:
        raise ValidationError({"park": _("化工园区不存在")})
    return found


def _normalise_enterprise_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Compact the identifiers and resolve references; Chinese ValidationError keyed
    by field when an identifier is wrong."""
    out = dict(fields)
    errors: dict[str, str] = {}
    for key, normalise in (("uscc", normalize_uscc), ("industry_code", normalize_industry_code)):
        if key in out:
            try:
                out[key] = normalise(out[key])
            except IdentifierError as exc:
                errors[key] = str(exc)
    for key in ("name", "address"):
        if isinstance(out.get(key), str):
            out[key] = out[key].strip()
    if errors:
        raise ValidationError(errors)
    if "jurisdiction" in out:
        out["jurisdiction"] = _resolve_jurisdiction(out["jurisdiction"])
    if "park" in out:
        out["park"] = _resolve_park(out["park"])
    return out


def _check_uscc_free(uscc: str, exclude_pk: int | None = None) -> None:
    taken = Enterprise.objects.filter(uscc=uscc)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        # Do not name the holder: it may lie outside the actor's jurisdiction.
        raise ValidationError({"uscc": _("统一社会信用代码%(uscc)s已登记，不能重复登记")
                               % {"uscc": uscc}})


def _value(obj: Any, field: str) -> Any:
    """A field's value as it goes into an event payload (references by code/name)."""
    value = getattr(obj, field)
    if isinstance(value, Jurisdiction):
        return value.code
    if isinstance(value, ChemicalPark):
        return value.name
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _apply(obj: Any, fields: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Set `fields` on `obj`; return what really changed as {field: {from, to}}."""
    changes: dict[str, dict[str, Any]] = {}
    for field, new in fields.items():
        old_value = _value(obj, field)
        setattr(obj, field, new)
        new_value = _value(obj, field)
        if old_value != new_value:
            changes[field] = {"from": old_value, "to": new_value}
    return changes


def enterprise_payload(enterprise: Enterprise) -> dict[str, Any]:
    """What the record keeps about a newly registered enterprise."""
    return {field: _value(enterprise, field) for field in ENTERPRISE_FIELDS}


# --- enterprises -------------------------------------------------------------------------

def enterprise_create(*, actor: User, **fields: Any) -> Enterprise:
    """Register an enterprise (生产经营单位) in the actor's jurisdiction."""
    _check_fields(fields, ENTERPRISE_FIELDS)
    fields = _normalise_enterprise_fields(fields)
    if "jurisdiction" not in fields:
        raise ValidationError({"jurisdiction": _("请填写属地")})
    _require_writer(actor, fields["jurisdiction"], what=_("生产经营单位"))
    with transaction.atomic():
        enterprise = Enterprise(**fields)
        # Uniqueness is checked below with a message that does not name the holder.
        enterprise.full_clean(validate_unique=False)
        _check_uscc_free(enterprise.uscc)
        enterprise.save()
        record_event(actor=actor, obj=enterprise, action="enterprise.created",
                     payload=enterprise_payload(enterprise))
    return enterprise


def enterprise_update(*, actor: User, enterprise: Enterprise, **fields: Any) -> Enterprise:
    """Change an enterprise's fields. Moving it to another jurisdiction needs both the
    old and the new one inside the actor's. No change: no save, no event."""
    _check_fields(fields, ENTERPRISE_FIELDS)
    fields = _normalise_enterprise_fields(fields)
    places = [enterprise.jurisdiction]
    if "jurisdiction" in fields:
        places.append(fields["jurisdiction"])
    _require_writer(actor, *places, what=_("生产经营单位"))
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        changes = _apply(enterprise, fields)
        if not changes:
            return enterprise
        enterprise.full_clean(validate_unique=False)
        if "uscc" in changes:
            _check_uscc_free(enterprise.uscc, exclude_pk=enterprise.pk)
        enterprise.save()
        record_event(actor=actor, obj=enterprise, action="enterprise.updated",
                     payload={"changes": changes})
    return enterprise


def person_set(
    *,
    actor: User,
    enterprise: Enterprise,
    kind: str,
    name: str,
    id_number: str,
    phone: str = "",
) -> ResponsiblePerson:
    """Record the enterprise's principal (主要负责人: there is one, a new one replaces
    the old) or a safety manager (安全管理人员: one row per ID number, updated in place).
    The event is written on the enterprise, with the ID number masked."""
    if kind not in ResponsiblePerson.Kind.values:
        raise ValidationError({"kind": _("人员身份不正确")})
    try:
        id_number = normalize_id_number(id_number)
    except IdentifierError as exc:
        raise ValidationError({"id_number": str(exc)}) from exc
    name, phone = (name or "").strip(), (phone or "").strip()
    _require_writer(actor, enterprise.jurisdiction, what=_("生产经营单位"))
    with transaction.atomic():
        # Lock the enterprise so two principals cannot be set at once.
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        people = ResponsiblePerson.objects.filter(enterprise=enterprise, kind=kind)
        if kind == ResponsiblePerson.Kind.PRINCIPAL:
            person = people.first()
        else:
            person = people.filter(id_number=id_number).first()
        previous = None
        if person is None:
            person = ResponsiblePerson(enterprise=enterprise, kind=kind)
        else:
            previous = {"name": person.name, "id_number": mask_id_number(person.id_number)}
        person.name, person.id_number, person.phone = name, id_number, phone
        person.full_clean()
        person.save()
        payload: dict[str, Any] = {
            "kind": kind, "name": name, "id_number": mask_id_number(id_number),
        }
        if previous is not None:
            payload["previous"] = previous
        record_event(actor=actor, obj=enterprise, action="enterprise.person_set",
                     payload=payload)
    return person


# --- chemical parks ----------------------------------------------------------------------

def _normalise_park_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if isinstance(out.get("name"), str):
        out["name"] = out["name"].strip()
    if "jurisdiction" in out:
        out["jurisdiction"] = _resolve_jurisdiction(out["jurisdiction"])
    return out


def park_create(
    *,
    actor: User,
    name: str,
    jurisdiction: Jurisdiction | str,
    risk_level: str,
    assessed_on: datetime.date | None = None,
) -> ChemicalPark:
    """Register a chemical park (化工园区) with its latest risk assessment."""
    fields = _normalise_park_fields({
        "name": name, "jurisdiction": jurisdiction, "risk_level": risk_level,
        "assessed_on": assessed_on,
    })
    _require_writer(actor, fields["jurisdiction"], what=_("化工园区"))
    with transaction.atomic():
        park = ChemicalPark(**fields)
        park.full_clean()
        park.save()
        record_event(actor=actor, obj=park, action="park.created",
                     payload={field: _value(park, field) for field in PARK_FIELDS})
    return park


def park_update(*, actor: User, park: ChemicalPark, **fields: Any) -> ChemicalPark:
    """Change a park (e.g. a new risk assessment). No change: no save, no event."""
    _check_fields(fields, PARK_FIELDS)
    fields = _normalise_park_fields(fields)
    places = [park.jurisdiction]
    if "jurisdiction" in fields:
        places.append(fields["jurisdiction"])
    _require_writer(actor, *places, what=_("化工园区"))
    with transaction.atomic():
        park = ChemicalPark.objects.select_for_update().get(pk=park.pk)
        changes = _apply(park, fields)
        if not changes:
            return park
        park.full_clean()
        park.save()
        record_event(actor=actor, obj=park, action="park.updated", payload={"changes": changes})
    return park
