"""Writes of the capacity app: `<entity>_<action>(*, actor, ...)`, each in one
transaction, refused in Chinese before anything is saved (PermissionDenied when the
actor may not keep the agency's records, ValidationError for bad input), each change
written into the event record. Personal ID numbers never go into event payloads."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model

from fazhi.capacity.models import (
    AgencyProfile,
    BaseVisitCount,
    Campaign,
    LegalAdviser,
    LegalQualification,
    LegalUnit,
    OutreachBase,
    OutreachWork,
    PublicLawyerLicence,
    StaffMember,
    StaffRole,
    StudyAttendance,
    StudyMaterial,
    StudySession,
    WorkAward,
)
from fazhi.capacity.rules.access import can_write
from fazhi.core.models import Agency, Department, User
from fazhi.core.services.events import record_event
from fazhi.legal.models import Law
from fazhi.subjects.rules.identifiers import IdentifierError, normalize_id_number

PERSON_FIELDS = ("name", "position", "is_leader", "joined_on", "left_on", "department")


def _require(actor: User, agency: Agency) -> None:
    if not can_write(actor, agency.jurisdiction.path):
        raise PermissionDenied("无权维护该机关的法治能力建设信息。")


def _save(obj: Model) -> Model:
    obj.full_clean()
    obj.save()
    return obj


def _id_number(value: str) -> str:
    if not value:
        return ""
    try:
        return normalize_id_number(value)
    except IdentifierError as exc:
        raise ValidationError({"id_number": str(exc)}) from None


def _payload(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.pk if isinstance(value, Model) else value
    return out


# --- agencies --------------------------------------------------------------------------------

@transaction.atomic
def profile_set(*, actor: User, agency: Agency, lawyer_coverage_exempt: bool,
                note: str = "") -> AgencyProfile:
    _require(actor, agency)
    profile, _created = AgencyProfile.objects.get_or_create(agency=agency)
    profile.lawyer_coverage_exempt, profile.note = lawyer_coverage_exempt, note
    _save(profile)
    record_event(actor=actor, obj=profile, action="capacity.profile.set",
                 payload={"agency": agency.pk, "lawyer_coverage_exempt": lawyer_coverage_exempt})
    return profile


@transaction.atomic
def legal_unit_create(*, actor: User, agency: Agency, name: str, form: str,
                      established_on: datetime.date,
                      department: Department | None = None) -> LegalUnit:
    _require(actor, agency)
    unit = _save(LegalUnit(agency=agency, name=name, form=form, established_on=established_on,
                           department=department))
    record_event(actor=actor, obj=unit, action="capacity.legal_unit.created",
                 payload=_payload(unit, ("agency", "name", "form", "established_on")))
    return unit


@transaction.atomic
def legal_unit_dissolve(*, actor: User, unit: LegalUnit, on: datetime.date) -> LegalUnit:
    _require(actor, unit.agency)
    if unit.dissolved_on:
        raise ValidationError("该法制机构已撤销。")
    unit.dissolved_on = on
    _save(unit)
    record_event(actor=actor, obj=unit, action="capacity.legal_unit.dissolved",
                 payload={"dissolved_on": on})
    return unit


# --- people ----------------------------------------------------------------------------------

@transaction.atomic
def person_create(*, actor: User, agency: Agency, name: str, joined_on: datetime.date,
                  id_number: str = "", position: str = "", is_leader: bool = False,
                  department: Department | None = None, user: User | None = None,
                  roles: Sequence[str] = ()) -> StaffMember:
    """A person and the roles they start with on `joined_on`."""
    _require(actor, agency)
    person = _save(StaffMember(agency=agency, name=name.strip(), joined_on=joined_on,
                               id_number=_id_number(id_number), position=position,
                               is_leader=is_leader, department=department, user=user))
    record_event(actor=actor, obj=person, action="capacity.person.created",
                 payload=_payload(person, ("agency", *PERSON_FIELDS)))
    for kind in roles:
        role_add(actor=actor, person=person, kind=kind, start=joined_on)
    return person


@transaction.atomic
def person_update(*, actor: User, person: StaffMember, **changes: Any) -> StaffMember:
    """Change the fields named in PERSON_FIELDS (and id_number)."""
    _require(actor, person.agency)
    unknown = set(changes) - {*PERSON_FIELDS, "id_number"}
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    if "id_number" in changes:
        changes["id_number"] = _id_number(changes["id_number"] or "")
    for name, value in changes.items():
        setattr(person, name, value)
    _save(person)
    changed = [name for name in changes if name != "id_number"]
    record_event(actor=actor, obj=person, action="capacity.person.updated",
                 payload={**_payload(person, changed),
                          **({"id_number_changed": True} if "id_number" in changes else {})})
    return person


@transaction.atomic
def role_add(*, actor: User, person: StaffMember, kind: str,
             start: datetime.date) -> StaffRole:
    _require(actor, person.agency)
    if StaffRole.objects.filter(person=person, kind=kind, end__isnull=True).exists():
        raise ValidationError("该人员已在此岗位上。")
    if start < person.joined_on:
        raise ValidationError("岗位起始日期不能早于到岗日期。")
    role = _save(StaffRole(person=person, kind=kind, start=start))
    record_event(actor=actor, obj=person, action="capacity.role.added",
                 payload={"role": role.pk, "kind": kind, "start": start})
    return role


@transaction.atomic
def role_end(*, actor: User, role: StaffRole, end: datetime.date) -> StaffRole:
    _require(actor, role.person.agency)
    if role.end is not None:
        raise ValidationError("该岗位已终止。")
    if end < role.start:
        raise ValidationError("终止日期不能早于岗位起始日期。")
    role.end = end
    _save(role)
    record_event(actor=actor, obj=role.person, action="capacity.role.ended",
                 payload={"role": role.pk, "kind": role.kind, "end": end})
    return role


@transaction.atomic
def qualification_set(*, actor: User, person: StaffMember, certificate_number: str,
                      granted_on: datetime.date,
                      kind: str = LegalQualification.Kind.A) -> LegalQualification:
    _require(actor, person.agency)
    qualification = LegalQualification.objects.filter(person=person).first() \
        or LegalQualification(person=person)
    qualification.certificate_number = certificate_number.strip()
    qualification.granted_on, qualification.kind = granted_on, kind
    _save(qualification)
    record_event(actor=actor, obj=person, action="capacity.qualification.set",
                 payload={"certificate_number": qualification.certificate_number,
                          "granted_on": granted_on, "kind": kind})
    return qualification


@transaction.atomic
def licence_add(*, actor: User, person: StaffMember, number: str,
                issued_on: datetime.date) -> PublicLawyerLicence:
    _require(actor, person.agency)
    licence = _save(PublicLawyerLicence(person=person, number=number.strip(),
                                        issued_on=issued_on))
    record_event(actor=actor, obj=person, action="capacity.licence.added",
                 payload={"licence": licence.pk, "number": licence.number,
                          "issued_on": issued_on})
    return licence


@transaction.atomic
def licence_revoke(*, actor: User, licence: PublicLawyerLicence,
                   on: datetime.date) -> PublicLawyerLicence:
    _require(actor, licence.person.agency)
    if licence.revoked_on is not None:
        raise ValidationError("该公职律师证已注销。")
    licence.revoked_on = on
    _save(licence)
    record_event(actor=actor, obj=licence.person, action="capacity.licence.revoked",
                 payload={"licence": licence.pk, "revoked_on": on})
    return licence


@transaction.atomic
def adviser_create(*, actor: User, agency: Agency, name: str, law_firm: str,
                   contract_start: datetime.date, contract_end: datetime.date) -> LegalAdviser:
    _require(actor, agency)
    adviser = _save(LegalAdviser(agency=agency, name=name, law_firm=law_firm,
                                 contract_start=contract_start, contract_end=contract_end))
    record_event(actor=actor, obj=adviser, action="capacity.adviser.created",
                 payload=_payload(adviser, ("agency", "name", "law_firm", "contract_start",
                                            "contract_end")))
    return adviser


# --- study ----------------------------------------------------------------------------------

@transaction.atomic
def study_session_create(*, actor: User, agency: Agency, date: datetime.date, form: str,
                         topic: str, speaker: str = "", laws: Iterable[Law] = (),
                         laws_text: str = "", present: Iterable[StaffMember] = (),
                         absent: Iterable[tuple[StaffMember, str]] = ()) -> StudySession:
    """A session with the laws studied and who came (and who was excused, and why)."""
    _require(actor, agency)
    session = _save(StudySession(agency=agency, date=date, form=form, topic=topic.strip(),
                                 speaker=speaker, laws_text=laws_text))
    session.laws.set(list(laws))
    rows = [StudyAttendance(session=session, person=p, present=True) for p in present]
    rows += [StudyAttendance(session=session, person=p, present=False, absence_reason=reason)
             for p, reason in absent]
    for row in rows:
        if not row.person.jurisdiction_path.startswith(agency.jurisdiction.path):
            raise ValidationError(f"参学人员“{row.person.name}”不属于本机关或其下级。")
    StudyAttendance.objects.bulk_create(rows)
    record_event(actor=actor, obj=session, action="capacity.study.created",
                 payload={**_payload(session, ("agency", "date", "form", "topic")),
                          "laws": sorted(law.pk for law in session.laws.all()),
                          "present": len([r for r in rows if r.present]),
                          "absent": len([r for r in rows if not r.present])})
    return session


@transaction.atomic
def study_material_add(*, actor: User, session: StudySession, title: str, name: str,
                       data: bytes) -> StudyMaterial:
    _require(actor, session.agency)
    if not data:
        raise ValidationError("上传的文件是空的。")
    material = StudyMaterial(session=session, title=title, sha256=StudyMaterial.digest(data))
    material.file.save(name, ContentFile(data), save=False)
    _save(material)
    record_event(actor=actor, obj=session, action="capacity.study.material_added",
                 payload={"title": title, "sha256": material.sha256})
    return material


# --- outreach -------------------------------------------------------------------------------

@transaction.atomic
def base_create(*, actor: User, agency: Agency, name: str, level: str,
                opened_on: datetime.date, jurisdiction=None) -> OutreachBase:
    _require(actor, agency)
    base = _save(OutreachBase(agency=agency, name=name, level=level, opened_on=opened_on,
                              jurisdiction=jurisdiction or agency.jurisdiction))
    record_event(actor=actor, obj=base, action="capacity.base.created",
                 payload=_payload(base, ("agency", "name", "level", "opened_on")))
    return base


@transaction.atomic
def visits_record(*, actor: User, base: OutreachBase, month: datetime.date,
                  visitors: int) -> BaseVisitCount:
    """The month's visitors (a second entry for the month replaces the first)."""
    _require(actor, base.agency)
    row = BaseVisitCount.objects.filter(base=base, month=month).first() \
        or BaseVisitCount(base=base, month=month)
    row.visitors = visitors
    _save(row)
    record_event(actor=actor, obj=base, action="capacity.base.visits",
                 payload={"month": month, "visitors": visitors})
    return row


@transaction.atomic
def work_create(*, actor: User, agency: Agency, title: str, kind: str,
                published_on: datetime.date) -> OutreachWork:
    _require(actor, agency)
    work = _save(OutreachWork(agency=agency, title=title, kind=kind, published_on=published_on))
    record_event(actor=actor, obj=work, action="capacity.work.created",
                 payload=_payload(work, ("agency", "title", "kind", "published_on")))
    return work


@transaction.atomic
def award_add(*, actor: User, work: OutreachWork, name: str, level: str,
              awarded_on: datetime.date) -> WorkAward:
    _require(actor, work.agency)
    award = _save(WorkAward(work=work, name=name, level=level, awarded_on=awarded_on))
    record_event(actor=actor, obj=work, action="capacity.work.awarded",
                 payload={"name": name, "level": level, "awarded_on": awarded_on})
    return award


@transaction.atomic
def campaign_create(*, actor: User, agency: Agency, kind: str, title: str,
                    start: datetime.date, end: datetime.date, reach: int = 0) -> Campaign:
    _require(actor, agency)
    campaign = _save(Campaign(agency=agency, kind=kind, title=title, start=start, end=end,
                              reach=reach))
    record_event(actor=actor, obj=campaign, action="capacity.campaign.created",
                 payload=_payload(campaign, ("agency", "kind", "title", "start", "end",
                                             "reach")))
    return campaign
